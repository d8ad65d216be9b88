//! The hot 1-D loops of reductions: NumPy's pairwise float sum, integer sums, and
//! NaN-propagating min/max, each with a contiguous fast path compiled for several CPU
//! levels (`multiversion` picks AVX-512/AVX2/SSE at run time).
//!
//! Pairwise summation, as NumPy's `pairwise_sum` in `loops_utils.h.src`:
//!
//! ```text
//! pw(a, n) = n < 8     : ((0 + a0) + a1) + ...                       (plain loop)
//!            n <= 128  : 8 accumulators r[j] = a[j] + a[j+8] + ...,
//!                        ((r0+r1)+(r2+r3)) + ((r4+r5)+(r6+r7)), then the tail in order
//!            otherwise : n2 = n/2 rounded down to a multiple of 8; pw(a, n2) + pw(a+n2, n-n2)
//! ```
//!
//! Following the same tree gives NumPy's bits for the same inner loop. [`split_point`] is the
//! top split, which the parallel driver uses so that a split sum is still the same tree.

use multiversion::multiversion;
use num_complex::Complex;

use super::num::at;

/// The block size below which the 8-accumulator loop runs.
pub const PW_BLOCKSIZE: usize = 128;

/// Where pairwise summation splits a run of `n` elements (`n > PW_BLOCKSIZE`).
pub fn split_point(n: usize) -> usize {
    let n2 = n / 2;
    n2 - n2 % 8
}

macro_rules! pairwise_float {
    ($name:ident, $block:ident, $t:ty) => {
        #[multiversion(targets = "simd")]
        fn $block(p: *const $t, n: usize) -> $t {
            let mut r: [$t; 8] = [0.0; 8];
            for (j, rj) in r.iter_mut().enumerate() {
                // SAFETY: `$name` only calls this with `8 <= n` readable elements at `p`.
                *rj = unsafe { p.add(j).read_unaligned() };
            }
            let mut i = 8;
            let end = n - n % 8;
            while i < end {
                for (j, rj) in r.iter_mut().enumerate() {
                    // SAFETY: `i + j < end <= n`.
                    *rj += unsafe { p.add(i + j).read_unaligned() };
                }
                i += 8;
            }
            let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            while i < n {
                // SAFETY: `i < n`.
                res += unsafe { p.add(i).read_unaligned() };
                i += 1;
            }
            res
        }

        /// NumPy's pairwise sum of a run of `n` elements with byte stride `s`.
        ///
        /// # Safety
        /// `p + i * s` must be a readable element for every `i < n`.
        pub unsafe fn $name(p: *const u8, s: isize, n: usize) -> $t {
            const SIZE: isize = std::mem::size_of::<$t>() as isize;
            if n < 8 {
                let mut res: $t = -0.0;
                for i in 0..n {
                    // SAFETY: `i < n`, by the caller's contract.
                    res += unsafe { at::<$t>(p, i, s) };
                }
                res
            } else if n <= PW_BLOCKSIZE {
                if s == SIZE {
                    // The block checks `n >= 8`; the elements are contiguous.
                    return $block(p.cast::<$t>(), n);
                }
                let mut r: [$t; 8] = [0.0; 8];
                for (j, rj) in r.iter_mut().enumerate() {
                    // SAFETY: `j < 8 <= n`.
                    *rj = unsafe { at::<$t>(p, j, s) };
                }
                let mut i = 8;
                while i < n - n % 8 {
                    for (j, rj) in r.iter_mut().enumerate() {
                        // SAFETY: `i + j < n`.
                        *rj += unsafe { at::<$t>(p, i + j, s) };
                    }
                    i += 8;
                }
                let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
                while i < n {
                    // SAFETY: `i < n`.
                    res += unsafe { at::<$t>(p, i, s) };
                    i += 1;
                }
                res
            } else {
                let n2 = split_point(n);
                // SAFETY: both halves are inside the caller's run.
                unsafe { $name(p, s, n2) + $name(p.offset(n2 as isize * s), s, n - n2) }
            }
        }
    };
}
pairwise_float!(sum_f64, block_f64, f64);
pairwise_float!(sum_f32, block_f32, f32);

macro_rules! pairwise_complex {
    ($name:ident, $inner:ident, $f:ty) => {
        /// NumPy's pairwise sum of complex elements (real and imaginary parts summed with
        /// four accumulators each, over a tree on the count of floats).
        ///
        /// # Safety
        /// `p + i * s` must be a readable complex element for every `i < n`.
        pub unsafe fn $name(p: *const u8, s: isize, n: usize) -> Complex<$f> {
            // SAFETY: forwarded.
            let (re, im) = unsafe { $inner(p, s, 2 * n) };
            Complex::new(re, im)
        }

        /// `nf` counts floats (twice the complex count), as NumPy's loop does.
        unsafe fn $inner(p: *const u8, s: isize, nf: usize) -> ($f, $f) {
            let ld = |i: usize| -> ($f, $f) {
                // SAFETY: callers pass `i < nf / 2`, readable by the contract of `$name`.
                let c = unsafe { at::<Complex<$f>>(p, i, s) };
                (c.re, c.im)
            };
            if nf < 8 {
                let (mut rr, mut ri): ($f, $f) = (-0.0, -0.0);
                for i in 0..nf / 2 {
                    let (a, b) = ld(i);
                    rr += a;
                    ri += b;
                }
                (rr, ri)
            } else if nf <= PW_BLOCKSIZE {
                let mut r: [$f; 8] = [0.0; 8];
                for k in 0..4 {
                    (r[2 * k], r[2 * k + 1]) = ld(k);
                }
                let mut i = 8;
                while i < nf - nf % 8 {
                    for k in 0..4 {
                        let (a, b) = ld(i / 2 + k);
                        r[2 * k] += a;
                        r[2 * k + 1] += b;
                    }
                    i += 8;
                }
                let mut rr = (r[0] + r[2]) + (r[4] + r[6]);
                let mut ri = (r[1] + r[3]) + (r[5] + r[7]);
                while i < nf {
                    let (a, b) = ld(i / 2);
                    rr += a;
                    ri += b;
                    i += 2;
                }
                (rr, ri)
            } else {
                let n2 = split_point(nf);
                // SAFETY: both halves are inside the caller's run (`n2` is even).
                let (a, b) = unsafe { $inner(p, s, n2) };
                // SAFETY: as above.
                let (c, d) = unsafe { $inner(p.offset((n2 / 2) as isize * s), s, nf - n2) };
                (a + c, b + d)
            }
        }
    };
}
pairwise_complex!(sum_c64, pw_c64, f32);
pairwise_complex!(sum_c128, pw_c128, f64);

/// Integer element types for the fast loops.
pub trait FastInt: Copy + Send + Sync + 'static {
    /// Wrapping addition.
    fn wadd(self, o: Self) -> Self;
    /// Zero.
    const Z: Self;
}
macro_rules! fast_int {
    ($($t:ty),*) => {$(
        impl FastInt for $t {
            #[inline(always)]
            fn wadd(self, o: Self) -> Self { self.wrapping_add(o) }
            const Z: Self = 0;
        }
    )*};
}
fast_int!(i8, i16, i32, i64, u8, u16, u32, u64);

#[multiversion(targets = "simd")]
fn int_sum_contig<T: FastInt>(p: *const T, n: usize) -> T {
    let mut acc = [T::Z; 8];
    let mut i = 0;
    while i + 8 <= n {
        for (j, a) in acc.iter_mut().enumerate() {
            // SAFETY: `i + j < n`; `int_sum` passes `n` readable contiguous elements.
            *a = a.wadd(unsafe { p.add(i + j).read_unaligned() });
        }
        i += 8;
    }
    let mut res = acc.iter().fold(T::Z, |x, &y| x.wadd(y));
    while i < n {
        // SAFETY: `i < n`.
        res = res.wadd(unsafe { p.add(i).read_unaligned() });
        i += 1;
    }
    res
}

/// The wrapping sum of a run of integers (any order gives the same result).
///
/// # Safety
/// `p + i * s` must be a readable element for every `i < n`.
pub unsafe fn int_sum<T: FastInt>(p: *const u8, s: isize, n: usize) -> T {
    if s == std::mem::size_of::<T>() as isize {
        return int_sum_contig::<T>(p.cast::<T>(), n);
    }
    let mut acc = T::Z;
    for i in 0..n {
        // SAFETY: `i < n`, by the caller's contract.
        acc = acc.wadd(unsafe { at::<T>(p, i, s) });
    }
    acc
}

/// Element types with a vectorised min/max loop.
pub trait FastOrd: Copy + Send + Sync + 'static + PartialOrd {
    /// True for NaN.
    fn nan(self) -> bool;
}
macro_rules! fast_ord_int {
    ($($t:ty),*) => {$(
        impl FastOrd for $t {
            #[inline(always)]
            fn nan(self) -> bool { false }
        }
    )*};
}
fast_ord_int!(i8, i16, i32, i64, u8, u16, u32, u64);
impl FastOrd for f32 {
    #[inline(always)]
    fn nan(self) -> bool {
        self.is_nan()
    }
}
impl FastOrd for f64 {
    #[inline(always)]
    fn nan(self) -> bool {
        self.is_nan()
    }
}

/// The largest (`MAX`) or smallest of `n >= 1` contiguous elements, and whether any is NaN
/// (then the value is meaningless).
#[multiversion(targets = "simd")]
fn extreme_contig<T: FastOrd, const MAX: bool>(p: *const T, n: usize) -> (T, bool) {
    // SAFETY: `n >= 1` contiguous readable elements (see `extreme`).
    let first = unsafe { p.read_unaligned() };
    let mut m = [first; 8];
    let mut nan = [false; 8];
    let mut i = 0;
    while i + 8 <= n {
        for j in 0..8 {
            // SAFETY: `i + j < n`.
            let x = unsafe { p.add(i + j).read_unaligned() };
            let better = if MAX { x > m[j] } else { x < m[j] };
            m[j] = if better { x } else { m[j] };
            nan[j] |= x.nan();
        }
        i += 8;
    }
    let mut best = m[0];
    let mut any_nan = nan.iter().any(|&b| b);
    for &v in &m[1..] {
        if if MAX { v > best } else { v < best } {
            best = v;
        }
    }
    while i < n {
        // SAFETY: `i < n`.
        let x = unsafe { p.add(i).read_unaligned() };
        any_nan |= x.nan();
        if if MAX { x > best } else { x < best } {
            best = x;
        }
        i += 1;
    }
    (best, any_nan)
}

/// The largest (`MAX`) or smallest of a run of `n >= 1` elements; the first NaN if any.
///
/// # Safety
/// `p + i * s` must be a readable element for every `i < n`, and `n >= 1`.
pub unsafe fn extreme<T: FastOrd, const MAX: bool>(p: *const u8, s: isize, n: usize) -> T {
    if s == std::mem::size_of::<T>() as isize {
        let (v, nan) = extreme_contig::<T, MAX>(p.cast::<T>(), n);
        if !nan {
            return v;
        }
        for i in 0..n {
            // SAFETY: `i < n`.
            let x = unsafe { at::<T>(p, i, s) };
            if x.nan() {
                return x;
            }
        }
        return v;
    }
    // SAFETY: `n >= 1`.
    let mut m = unsafe { at::<T>(p, 0, s) };
    if m.nan() {
        return m;
    }
    for i in 1..n {
        // SAFETY: `i < n`.
        let x = unsafe { at::<T>(p, i, s) };
        if x.nan() {
            return x;
        }
        if if MAX { x > m } else { x < m } {
            m = x;
        }
    }
    m
}
