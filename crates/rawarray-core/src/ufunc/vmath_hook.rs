//! The one place where the contiguous float loops of exp, log, sin and cos are chosen.
//!
//! Each function has the signature of the vectorised kernels in `kernels::vmath`
//! (`(src, dst, n) -> FpFlags`, flags reported explicitly); swapping one in is a one-line
//! change here. Until then they run the standard library's functions in a plain loop and
//! report the flags the status word recorded.

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
    ($($name:ident: $t:ty => $f:expr;)*) => {$(
        /// The contiguous loop (see the module docs).
        ///
        /// # Safety
        /// As for `std_loop`.
        pub(crate) unsafe fn $name(src: *const u8, dst: *mut u8, n: usize) -> FpFlags {
            // SAFETY: forwarded from the caller.
            unsafe { std_loop::<$t>(src, dst, n, $f) }
        }
    )*};
}

hooks! {
    exp_f64: f64 => f64::exp;
    exp_f32: f32 => f32::exp;
    log_f64: f64 => f64::ln;
    log_f32: f32 => f32::ln;
    sin_f64: f64 => f64::sin;
    sin_f32: f32 => f32::sin;
    cos_f64: f64 => f64::cos;
    cos_f32: f32 => f32::cos;
}
