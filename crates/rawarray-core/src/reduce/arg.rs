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

/// Elements per block of the fast scan: small enough that the winning block is rescanned
/// from cache.
const BLOCK: usize = 512;
/// Runs shorter than this take the scalar scan (a vector block would not pay for its call).
const SHORT: usize = 16;

/// The index of the first of `n` contiguous elements at `p` equal to `v`, or `n` when none
/// is. Chunks are tested with a branch-free `any` the compiler vectorises; only the chunk
/// that hits is searched element by element.
///
/// # Safety
/// `p..p + n * size_of::<T>()` must be readable elements of type `T`.
#[inline]
unsafe fn first_eq<T: Copy + PartialEq>(p: *const u8, n: usize, v: T) -> usize {
    const CHUNK: usize = 32;
    let q = p.cast::<T>();
    let mut i = 0;
    while i + CHUNK <= n {
        let mut hit = false;
        for j in 0..CHUNK {
            // SAFETY: `i + j < n`, inside the caller's elements.
            hit |= unsafe { q.add(i + j).read_unaligned() } == v;
        }
        if hit {
            break;
        }
        i += CHUNK;
    }
    // SAFETY: `i < n` is tested before each read.
    while i < n && unsafe { q.add(i).read_unaligned() } != v {
        i += 1;
    }
    i
}

macro_rules! fast_arg {
    ($($t:ty),*) => {$(
        impl ArgRun for $t {
            /// Contiguous runs: the vectorised min/max of each block of [`BLOCK`] elements
            /// (a NaN block is scanned for its first NaN), the first block holding the
            /// extreme wins, and that block is searched for the first element equal to it.
            /// Signed zeros compare equal, so the first of `0.0`/`-0.0` is found, as
            /// NumPy's scan finds it.
            unsafe fn arg_run<const MAX: bool>(p: *const u8, s: isize, n: usize) -> usize {
                let size = std::mem::size_of::<$t>();
                if s != size as isize || n < SHORT {
                    // SAFETY: forwarded.
                    return unsafe { arg_generic::<$t, MAX>(p, s, n) };
                }
                let mut best: Option<($t, usize)> = None;
                let mut start = 0;
                while start < n {
                    let len = BLOCK.min(n - start);
                    let q = p.wrapping_add(start * size);
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
                // SAFETY: the winning block lies inside the run; it holds `b`, so the
                // search stops inside it.
                bs + unsafe { first_eq::<$t>(p.wrapping_add(bs * size), BLOCK.min(n - bs), b) }
            }
        }
    )*};
}
fast_arg!(i8, i16, i32, i64, u8, u16, u32, u64, f32, f64);

impl ArgRun for Bool {}
impl ArgRun for f16 {}
impl ArgRun for Complex<f32> {}
impl ArgRun for Complex<f64> {}
