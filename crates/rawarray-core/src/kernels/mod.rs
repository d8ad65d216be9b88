//! Typed kernels: the sealed [`Element`] trait, the runtime-dtype dispatch macro, and the
//! kernel families (copy and byteswap, casts, comparisons, mask selection, integer-array take).
//!
//! Kernels work on raw pointers and byte strides handed out by [`crate::strided`]; byte order
//! and misalignment are handled at load/store time, never inside arithmetic.

pub mod cast;
pub mod compare;
pub mod copy;
pub mod mask;
pub mod matmul;
pub mod select;
pub mod stream;
pub mod take;
pub mod vmath;

use half::f16;
use num_complex::Complex;

use crate::dtype::Kind;

/// Whether this CPU has fused multiply-add, which NumPy's SIMD loops then use (its complex
/// multiplication fuses one product of each part; see `ufunc::loops::bin_fma`). `std`
/// caches the answer.
#[inline]
pub(crate) fn has_fma() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("fma")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

mod sealed {
    pub trait Sealed {}
}

/// A bool element as stored: one byte, read as "nonzero" (a byte of 2 is a valid, true
/// element, which a Rust `bool` could not hold).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
#[repr(transparent)]
pub struct Bool(pub u8);

/// A fixed-size element type that kernels are monomorphised over.
pub trait Element: Copy + Send + Sync + 'static + sealed::Sealed {
    /// The dtype kind this type stores.
    const KIND: Kind;

    /// True for float16, whose arithmetic and conversions go through float32 (slow enough
    /// per element that kernels count it as compute-bound).
    const IS_HALF: bool = false;

    /// Reverses the byte order (each component separately for complex numbers).
    fn swap(self) -> Self;

    /// Reads one element at `ptr` (any alignment), swapping bytes when `swap`.
    ///
    /// # Safety
    /// `ptr..ptr + size_of::<Self>()` must be readable.
    #[inline(always)]
    unsafe fn load(ptr: *const u8, swap: bool) -> Self {
        // SAFETY: readable by the caller's contract; `read_unaligned` accepts any alignment,
        // and every bit pattern is a valid `Self` (integers, floats, `Bool(u8)`).
        let v = unsafe { ptr.cast::<Self>().read_unaligned() };
        if swap {
            v.swap()
        } else {
            v
        }
    }

    /// Writes one element at `ptr` (any alignment), swapping bytes when `swap`.
    ///
    /// # Safety
    /// `ptr..ptr + size_of::<Self>()` must be writable.
    #[inline(always)]
    unsafe fn store(self, ptr: *mut u8, swap: bool) {
        let v = if swap { self.swap() } else { self };
        // SAFETY: writable by the caller's contract; `write_unaligned` accepts any alignment.
        unsafe { ptr.cast::<Self>().write_unaligned(v) }
    }
}

macro_rules! impl_int_element {
    ($($t:ty => $kind:ident),*) => {$(
        impl sealed::Sealed for $t {}
        impl Element for $t {
            const KIND: Kind = Kind::$kind;
            #[inline(always)]
            fn swap(self) -> Self { self.swap_bytes() }
        }
    )*};
}
impl_int_element!(i8 => Int, i16 => Int, i32 => Int, i64 => Int, u8 => UInt, u16 => UInt, u32 => UInt, u64 => UInt);

impl sealed::Sealed for Bool {}
impl Element for Bool {
    const KIND: Kind = Kind::Bool;
    #[inline(always)]
    fn swap(self) -> Self {
        self
    }
}

impl sealed::Sealed for f16 {}
impl Element for f16 {
    const KIND: Kind = Kind::Float;
    const IS_HALF: bool = true;
    #[inline(always)]
    fn swap(self) -> Self {
        f16::from_bits(self.to_bits().swap_bytes())
    }
}

impl sealed::Sealed for f32 {}
impl Element for f32 {
    const KIND: Kind = Kind::Float;
    #[inline(always)]
    fn swap(self) -> Self {
        f32::from_bits(self.to_bits().swap_bytes())
    }
}

impl sealed::Sealed for f64 {}
impl Element for f64 {
    const KIND: Kind = Kind::Float;
    #[inline(always)]
    fn swap(self) -> Self {
        f64::from_bits(self.to_bits().swap_bytes())
    }
}

impl sealed::Sealed for Complex<f32> {}
impl Element for Complex<f32> {
    const KIND: Kind = Kind::Complex;
    #[inline(always)]
    fn swap(self) -> Self {
        Complex::new(self.re.swap(), self.im.swap())
    }
}

impl sealed::Sealed for Complex<f64> {}
impl Element for Complex<f64> {
    const KIND: Kind = Kind::Complex;
    #[inline(always)]
    fn swap(self) -> Self {
        Complex::new(self.re.swap(), self.im.swap())
    }
}

/// Runs `$body` with the type alias `$T` bound to the Rust element type of a numeric
/// `DType`; evaluates `$other` for bytes and void.
///
/// ```
/// use rawarray_core::{dispatch_numeric, dtype::DType, kernels::Element};
/// fn size_of_dtype(d: DType) -> usize {
///     dispatch_numeric!(d, T => std::mem::size_of::<T>(), else => d.itemsize())
/// }
/// assert_eq!(size_of_dtype(DType::COMPLEX64), 8);
/// ```
#[macro_export]
macro_rules! dispatch_numeric {
    ($dtype:expr, $T:ident => $body:expr, else => $other:expr) => {{
        use $crate::dtype::Kind as __K;
        match ($dtype.kind(), $dtype.itemsize()) {
            (__K::Bool, _) => {
                type $T = $crate::kernels::Bool;
                $body
            }
            (__K::Int, 1) => {
                type $T = i8;
                $body
            }
            (__K::Int, 2) => {
                type $T = i16;
                $body
            }
            (__K::Int, 4) => {
                type $T = i32;
                $body
            }
            (__K::Int, 8) => {
                type $T = i64;
                $body
            }
            (__K::UInt, 1) => {
                type $T = u8;
                $body
            }
            (__K::UInt, 2) => {
                type $T = u16;
                $body
            }
            (__K::UInt, 4) => {
                type $T = u32;
                $body
            }
            (__K::UInt, 8) => {
                type $T = u64;
                $body
            }
            (__K::Float, 2) => {
                type $T = ::half::f16;
                $body
            }
            (__K::Float, 4) => {
                type $T = f32;
                $body
            }
            (__K::Float, 8) => {
                type $T = f64;
                $body
            }
            (__K::Complex, 8) => {
                type $T = ::num_complex::Complex<f32>;
                $body
            }
            (__K::Complex, 16) => {
                type $T = ::num_complex::Complex<f64>;
                $body
            }
            _ => $other,
        }
    }};
}
