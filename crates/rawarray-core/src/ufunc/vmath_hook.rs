//! The one place where the contiguous float loops of exp, log, sin and cos are chosen.
//!
//! Aligned runs go to the vectorised kernels in `kernels::vmath` (`(src, dst, n) ->
//! FpFlags`, flags computed from the values); unaligned runs (possible for foreign memory)
//! run the standard library's function in a plain loop and report the flags the status word
//! recorded.

use crate::fpe::FpFlags;

/// `dst[i] = f(src[i])` for `i < n`.
///
/// # Safety
/// `n` elements at `src` readable, at `dst` writable (any alignment); `dst` is `src` or
/// does not overlap it.
#[inline(always)]
unsafe fn std_loop<T: Copy>(src: *const u8, dst: *mut u8, n: usize, f: impl Fn(T) -> T) -> FpFlags {
    let (s, d) = (src.cast::<T>(), dst.cast::<T>());
    let ((), flags) = crate::fpe::track(|| {
        for i in 0..n {
            // SAFETY: `i < n`, inside both runs by the caller's contract; element `i` is
            // read before it is written when the runs coincide.
            unsafe { d.add(i).write_unaligned(f(s.add(i).read_unaligned())) };
        }
    });
    flags
}

macro_rules! hooks {
    ($($name:ident: $t:ty => $std:expr, $fast:path;)*) => {$(
        /// The contiguous loop (see the module docs): the vectorised kernel for aligned
        /// runs, the standard library's function otherwise.
        ///
        /// # Safety
        /// As for `std_loop`.
        pub(crate) unsafe fn $name(src: *const u8, dst: *mut u8, n: usize) -> FpFlags {
            let align = std::mem::align_of::<$t>();
            if src as usize % align == 0 && dst as usize % align == 0 {
                // SAFETY: both runs are aligned (checked) and valid for `n` elements, and
                // `dst` is `src` or disjoint from it (the caller's contract), which is what
                // the vectorised kernels require.
                return unsafe { $fast(src.cast::<$t>(), dst.cast::<$t>(), n) };
            }
            // SAFETY: forwarded from the caller.
            unsafe { std_loop::<$t>(src, dst, n, $std) }
        }
    )*};
}

use crate::kernels::vmath;

hooks! {
    exp_f64: f64 => f64::exp, vmath::exp_f64;
    exp_f32: f32 => f32::exp, vmath::exp_f32;
    log_f64: f64 => f64::ln, vmath::log_f64;
    log_f32: f32 => f32::ln, vmath::log_f32;
    sin_f64: f64 => f64::sin, vmath::sin_f64;
    sin_f32: f32 => f32::sin, vmath::sin_f32;
    cos_f64: f64 => f64::cos, vmath::cos_f64;
    cos_f32: f32 => f32::cos, vmath::cos_f32;
}
