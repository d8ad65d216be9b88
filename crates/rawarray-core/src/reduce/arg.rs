//! argmin/argmax: the index of the first extreme element of a run, or of the first NaN
//! (NumPy's rule). Contiguous runs of native floats and integers go through the
//! vectorised min/max loop block by block, then rescan only the winning block.

use super::num::{at, Num};
use crate::kernels::Bool;
use half::f16;
use num_complex::Complex;

/// Element types argmin/argmax can scan.
pub trait ArgRun: Num {
    /// The index of the first largest (`MAX`) or smallest element of a run of `n >= 1`
    /// elements, or of its first NaN.
    ///
    /// # Safety
    /// `p + i * s` must be a readable element for every `i < n`, and `n >= 1`.
    unsafe fn arg_run<const MAX: bool>(p: *const u8, s: isize, n: usize) -> usize {
        // SAFETY: forwarded.
        unsafe { arg_generic::<Self, MAX>(p, s, n) }
    }
}

/// The generic scalar scan.
///
/// # Safety
/// As for [`ArgRun::arg_run`].
pub unsafe fn arg_generic<T: Num, const MAX: bool>(p: *const u8, s: isize, n: usize) -> usize {
    // SAFETY: `n >= 1`.
    let mut best = unsafe { at::<T>(p, 0, s) };
    if best.is_nan() {
        return 0;
    }
    let mut bi = 0;
    for i in 1..n {
        // SAFETY: `i < n`.
        let x = unsafe { at::<T>(p, i, s) };
        if x.is_nan() {
            return i;
        }
        if if MAX { x.gt(best) } else { x.lt(best) } {
            best = x;
            bi = i;
        }
    }
    bi
}

const BLOCK: usize = 512;

macro_rules! fast_arg {
    ($($t:ty),*) => {$(
        impl ArgRun for $t {
            unsafe fn arg_run<const MAX: bool>(p: *const u8, s: isize, n: usize) -> usize {
                if s != std::mem::size_of::<$t>() as isize || n < 2 * BLOCK {
                    // SAFETY: forwarded.
                    return unsafe { arg_generic::<$t, MAX>(p, s, n) };
                }
                let mut best: Option<($t, usize)> = None;
                let mut start = 0;
                while start < n {
                    let len = BLOCK.min(n - start);
                    let q = p.wrapping_add(start * std::mem::size_of::<$t>());
                    // SAFETY: the block lies inside the run.
                    let v = unsafe { <$t as Num>::extreme_run::<MAX>(q, s, len) };
                    if v.is_nan() {
                        // SAFETY: as above.
                        return start + unsafe { arg_generic::<$t, MAX>(q, s, len) };
                    }
                    match best {
                        Some((b, _)) if !(if MAX { v > b } else { v < b }) => {}
                        _ => best = Some((v, start)),
                    }
                    start += len;
                }
                let (b, bs) = best.expect("n >= 1");
                let len = BLOCK.min(n - bs);
                for i in 0..len {
                    // SAFETY: inside the winning block.
                    if unsafe { at::<$t>(p, bs + i, s) } == b {
                        return bs + i;
                    }
                }
                bs
            }
        }
    )*};
}
fast_arg!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);

impl ArgRun for Bool {}
impl ArgRun for f16 {}
impl ArgRun for Complex<f32> {}
impl ArgRun for Complex<f64> {}
