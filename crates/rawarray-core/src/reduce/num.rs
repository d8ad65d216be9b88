//! The arithmetic a reduction needs from an element type: identities, add and multiply
//! (wrapping for integers, logical for bool, through float32 for float16), NumPy's order
//! (lexicographic for complex numbers) and NaN tests, plus the 1-D "run" loops (a strided
//! run of elements reduced to one value) that the axis driver calls.
//!
//! Runs read through raw pointers (`read_unaligned`), never slices: the memory may be
//! aliased by Python. Float sums use NumPy's pairwise scheme ([`super::pairwise`]).

use half::f16;
use num_complex::Complex;

use super::pairwise;
use crate::kernels::{Bool, Element};

/// Reads element `i` of a run.
///
/// # Safety
/// `p + i * s` must be a readable element of type `T`.
#[inline(always)]
pub(crate) unsafe fn at<T: Copy>(p: *const u8, i: usize, s: isize) -> T {
    // SAFETY: forwarded from the caller; `read_unaligned` accepts any alignment.
    unsafe { p.offset(i as isize * s).cast::<T>().read_unaligned() }
}

/// Writes element `i` of a run.
///
/// # Safety
/// `p + i * s` must be a writable element of type `T`.
#[inline(always)]
pub(crate) unsafe fn put<T: Copy>(p: *mut u8, i: usize, s: isize, v: T) {
    // SAFETY: forwarded from the caller; `write_unaligned` accepts any alignment.
    unsafe { p.offset(i as isize * s).cast::<T>().write_unaligned(v) }
}

/// An element type reductions can compute in.
pub trait Num: Element + PartialEq {
    /// The additive identity.
    const ZERO: Self;
    /// The multiplicative identity.
    const ONE: Self;
    /// True for float and complex types (NaN exists, sums are pairwise).
    const INEXACT: bool;
    /// Addition as NumPy's `add` loop does it (wrapping, logical or for bool).
    fn add(self, o: Self) -> Self;
    /// Multiplication as NumPy's `multiply` loop does it when reducing into one element.
    fn mul(self, o: Self) -> Self;
    /// Whether [`Num::mul_fused`] differs from [`Num::mul`] (complex numbers).
    const FUSED_MUL: bool = false;
    /// Multiplication as NumPy's elementwise SIMD `multiply` loop does it on CPUs with FMA
    /// (the rows of a product over a kept inner axis, an accumulation run of one element):
    /// the same as [`Num::mul`] except for complex numbers. Callers check for FMA first.
    #[inline(always)]
    fn mul_fused(self, o: Self) -> Self {
        self.mul(o)
    }
    /// Subtraction as NumPy's `subtract` loop does it (wrapping for integers).
    fn sub(self, o: Self) -> Self;
    /// True for NaN (any NaN component for complex numbers).
    fn is_nan(self) -> bool;
    /// The truth value (`x != 0`; NaN is true).
    fn nonzero(self) -> bool;
    /// `self > o` in NumPy's order; false when either is NaN.
    fn gt(self, o: Self) -> bool;
    /// `self < o` in NumPy's order; false when either is NaN.
    fn lt(self, o: Self) -> bool;
    /// A NaN of this type (zero for types without NaN).
    fn nan() -> Self;

    /// The sum of a run of `n` elements.
    ///
    /// # Safety
    /// `p + i * s` must be a readable element for every `i < n`.
    unsafe fn sum_run(p: *const u8, s: isize, n: usize) -> Self {
        let mut acc = Self::ZERO;
        for i in 0..n {
            // SAFETY: `i < n`, by the caller's contract.
            acc = acc.add(unsafe { at::<Self>(p, i, s) });
        }
        acc
    }

    /// `start` times each of a run of `n` elements, in order (NumPy's product loop).
    ///
    /// # Safety
    /// As for [`Num::sum_run`].
    unsafe fn prod_run(start: Self, p: *const u8, s: isize, n: usize) -> Self {
        let mut acc = start;
        for i in 0..n {
            // SAFETY: `i < n`, by the caller's contract.
            acc = acc.mul(unsafe { at::<Self>(p, i, s) });
        }
        acc
    }

    /// The largest (`MAX`) or smallest element of a non-empty run; the first NaN if any.
    ///
    /// # Safety
    /// As for [`Num::sum_run`], with `n >= 1`.
    unsafe fn extreme_run<const MAX: bool>(p: *const u8, s: isize, n: usize) -> Self {
        // SAFETY: `n >= 1`, by the caller's contract.
        let mut m = unsafe { at::<Self>(p, 0, s) };
        if m.is_nan() {
            return m;
        }
        for i in 1..n {
            // SAFETY: `i < n`, by the caller's contract.
            let x = unsafe { at::<Self>(p, i, s) };
            if x.is_nan() {
                return x;
            }
            if if MAX { x.gt(m) } else { x.lt(m) } {
                m = x;
            }
        }
        m
    }
}

macro_rules! int_num {
    ($($t:ty),*) => {$(
        impl Num for $t {
            const ZERO: Self = 0;
            const ONE: Self = 1;
            const INEXACT: bool = false;
            #[inline(always)]
            fn add(self, o: Self) -> Self { self.wrapping_add(o) }
            #[inline(always)]
            fn mul(self, o: Self) -> Self { self.wrapping_mul(o) }
            #[inline(always)]
            fn sub(self, o: Self) -> Self { self.wrapping_sub(o) }
            #[inline(always)]
            fn is_nan(self) -> bool { false }
            #[inline(always)]
            fn nonzero(self) -> bool { self != 0 }
            #[inline(always)]
            fn gt(self, o: Self) -> bool { self > o }
            #[inline(always)]
            fn lt(self, o: Self) -> bool { self < o }
            fn nan() -> Self { 0 }
            unsafe fn sum_run(p: *const u8, s: isize, n: usize) -> Self {
                // SAFETY: forwarded from the caller.
                unsafe { pairwise::int_sum::<$t>(p, s, n) }
            }
            unsafe fn extreme_run<const MAX: bool>(p: *const u8, s: isize, n: usize) -> Self {
                // SAFETY: forwarded from the caller.
                unsafe { pairwise::extreme::<$t, MAX>(p, s, n) }
            }
        }
    )*};
}
int_num!(i8, i16, i32, i64, u8, u16, u32, u64);

impl Num for Bool {
    const ZERO: Self = Bool(0);
    const ONE: Self = Bool(1);
    const INEXACT: bool = false;
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        Bool((self.0 != 0 || o.0 != 0) as u8)
    }
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        Bool((self.0 != 0 && o.0 != 0) as u8)
    }
    fn sub(self, o: Self) -> Self {
        Bool(((self.0 != 0) ^ (o.0 != 0)) as u8)
    }
    fn is_nan(self) -> bool {
        false
    }
    fn nonzero(self) -> bool {
        self.0 != 0
    }
    fn gt(self, o: Self) -> bool {
        self.0 != 0 && o.0 == 0
    }
    fn lt(self, o: Self) -> bool {
        self.0 == 0 && o.0 != 0
    }
    fn nan() -> Self {
        Bool(0)
    }
}

macro_rules! float_num {
    ($t:ty, $sum:path) => {
        impl Num for $t {
            const ZERO: Self = 0.0;
            const ONE: Self = 1.0;
            const INEXACT: bool = true;
            #[inline(always)]
            fn add(self, o: Self) -> Self {
                self + o
            }
            #[inline(always)]
            fn mul(self, o: Self) -> Self {
                self * o
            }
            #[inline(always)]
            fn sub(self, o: Self) -> Self {
                self - o
            }
            #[inline(always)]
            fn is_nan(self) -> bool {
                self.is_nan()
            }
            #[inline(always)]
            fn nonzero(self) -> bool {
                self != 0.0
            }
            #[inline(always)]
            fn gt(self, o: Self) -> bool {
                self > o
            }
            #[inline(always)]
            fn lt(self, o: Self) -> bool {
                self < o
            }
            fn nan() -> Self {
                <$t>::NAN
            }
            unsafe fn sum_run(p: *const u8, s: isize, n: usize) -> Self {
                // SAFETY: forwarded from the caller.
                unsafe { $sum(p, s, n) }
            }
            unsafe fn extreme_run<const MAX: bool>(p: *const u8, s: isize, n: usize) -> Self {
                // SAFETY: forwarded from the caller.
                unsafe { pairwise::extreme::<$t, MAX>(p, s, n) }
            }
        }
    };
}
float_num!(f32, pairwise::sum_f32);
float_num!(f64, pairwise::sum_f64);

impl Num for f16 {
    const ZERO: Self = f16::ZERO;
    const ONE: Self = f16::ONE;
    const INEXACT: bool = true;
    #[inline(always)]
    fn add(self, o: Self) -> Self {
        f16::from_f32(self.to_f32() + o.to_f32())
    }
    #[inline(always)]
    fn mul(self, o: Self) -> Self {
        f16::from_f32(self.to_f32() * o.to_f32())
    }
    fn sub(self, o: Self) -> Self {
        f16::from_f32(self.to_f32() - o.to_f32())
    }
    fn is_nan(self) -> bool {
        self.is_nan()
    }
    fn nonzero(self) -> bool {
        self.to_f32() != 0.0
    }
    fn gt(self, o: Self) -> bool {
        self.to_f32() > o.to_f32()
    }
    fn lt(self, o: Self) -> bool {
        self.to_f32() < o.to_f32()
    }
    fn nan() -> Self {
        f16::NAN
    }
    unsafe fn sum_run(p: *const u8, s: isize, n: usize) -> Self {
        // SAFETY: forwarded from the caller.
        f16::from_f32(unsafe { pairwise::sum_f16(p, s, n) })
    }
    unsafe fn prod_run(start: Self, p: *const u8, s: isize, n: usize) -> Self {
        // NumPy's half loop multiplies in float and rounds once per inner loop.
        let mut acc = start.to_f32();
        for i in 0..n {
            // SAFETY: `i < n`, by the caller's contract.
            acc *= unsafe { at::<f16>(p, i, s) }.to_f32();
        }
        f16::from_f32(acc)
    }
}

macro_rules! complex_num {
    ($f:ty, $sum:path) => {
        impl Num for Complex<$f> {
            const ZERO: Self = Complex::new(0.0, 0.0);
            const ONE: Self = Complex::new(1.0, 0.0);
            const INEXACT: bool = true;
            #[inline(always)]
            fn add(self, o: Self) -> Self {
                self + o
            }
            #[inline(always)]
            fn mul(self, o: Self) -> Self {
                // NumPy's loop: (ar*br - ai*bi, ar*bi + ai*br).
                crate::ufunc::ops::CmulPlain::cmul_plain(self.re, self.im, o)
            }
            const FUSED_MUL: bool = true;
            #[inline(always)]
            fn mul_fused(self, o: Self) -> Self {
                crate::ufunc::ops::cmul_fused(self, o)
            }
            fn sub(self, o: Self) -> Self {
                self - o
            }
            fn is_nan(self) -> bool {
                self.re.is_nan() || self.im.is_nan()
            }
            fn nonzero(self) -> bool {
                self.re != 0.0 || self.im != 0.0
            }
            fn gt(self, o: Self) -> bool {
                self.re > o.re || (self.re == o.re && self.im > o.im)
            }
            fn lt(self, o: Self) -> bool {
                self.re < o.re || (self.re == o.re && self.im < o.im)
            }
            fn nan() -> Self {
                Complex::new(<$f>::NAN, <$f>::NAN)
            }
            unsafe fn sum_run(p: *const u8, s: isize, n: usize) -> Self {
                // SAFETY: forwarded from the caller.
                unsafe { $sum(p, s, n) }
            }
        }
    };
}
complex_num!(f32, pairwise::sum_c64);
complex_num!(f64, pairwise::sum_c128);
