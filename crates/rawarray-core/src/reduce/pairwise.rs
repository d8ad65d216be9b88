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

/// The pairwise sum of squared deviations `(x - m) * (x - m)` over a contiguous run,
/// fused: the same tree and the same operations, in the same order, as squaring into a
/// temporary array and summing that with the `sum_*` functions above, so the same bits,
/// without writing or re-reading the temporary (var and std).
macro_rules! pairwise_sq_dev {
    ($name:ident, $block:ident, $t:ty) => {
        #[multiversion(targets = "simd")]
        fn $block(p: *const $t, n: usize, m: $t) -> $t {
            let d = |x: $t| (x - m) * (x - m);
            let mut r: [$t; 8] = [0.0; 8];
            for (j, rj) in r.iter_mut().enumerate() {
                // SAFETY: `$name` only calls this with `8 <= n` readable elements at `p`.
                *rj = d(unsafe { p.add(j).read_unaligned() });
            }
            let mut i = 8;
            let end = n - n % 8;
            while i < end {
                for (j, rj) in r.iter_mut().enumerate() {
                    // SAFETY: `i + j < end <= n`.
                    *rj += d(unsafe { p.add(i + j).read_unaligned() });
                }
                i += 8;
            }
            let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
            while i < n {
                // SAFETY: `i < n`.
                res += d(unsafe { p.add(i).read_unaligned() });
                i += 1;
            }
            res
        }

        /// NumPy's pairwise sum of `(x - m)^2` over `n` contiguous elements at `p`.
        ///
        /// # Safety
        /// `p..p + n` must be readable (any alignment).
        pub unsafe fn $name(p: *const $t, n: usize, m: $t) -> $t {
            if n < 8 {
                let mut res: $t = -0.0;
                for i in 0..n {
                    // SAFETY: `i < n`, by the caller's contract.
                    let x = unsafe { p.add(i).read_unaligned() };
                    res += (x - m) * (x - m);
                }
                res
            } else if n <= PW_BLOCKSIZE {
                $block(p, n, m)
            } else {
                let n2 = split_point(n);
                // SAFETY: both halves are inside the caller's run.
                unsafe { $name(p, n2, m) + $name(p.add(n2), n - n2, m) }
            }
        }
    };
}
pairwise_sq_dev!(sum_sq_dev_f64, block_sq_dev_f64, f64);
pairwise_sq_dev!(sum_sq_dev_f32, block_sq_dev_f32, f32);

/// NumPy's half-precision pairwise sum: float16 elements summed in float32 along the same
/// tree (the caller rounds the result to float16 once, as NumPy's loop does).
///
/// # Safety
/// `p + i * s` must be a readable float16 element for every `i < n`.
pub unsafe fn sum_f16(p: *const u8, s: isize, n: usize) -> f32 {
    // SAFETY: callers only pass `i < n`.
    let ld = |i: usize| -> f32 { unsafe { at::<half::f16>(p, i, s) }.to_f32() };
    if n < 8 {
        let mut res: f32 = -0.0;
        for i in 0..n {
            res += ld(i);
        }
        res
    } else if n <= PW_BLOCKSIZE {
        let mut r: [f32; 8] = std::array::from_fn(ld);
        let mut i = 8;
        while i < n - n % 8 {
            for (j, rj) in r.iter_mut().enumerate() {
                *rj += ld(i + j);
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        while i < n {
            res += ld(i);
            i += 1;
        }
        res
    } else {
        let n2 = split_point(n);
        // SAFETY: both halves are inside the caller's run.
        unsafe { sum_f16(p, s, n2) + sum_f16(p.offset(n2 as isize * s), s, n - n2) }
    }
}

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
    /// The wrapping sum of `n` contiguous elements at `p` (a concrete, multiversioned loop).
    ///
    /// # Safety
    /// `p..p + n` must be readable elements.
    unsafe fn sum_contig(p: *const Self, n: usize) -> Self;
}
macro_rules! fast_int {
    ($($t:ty => $f:ident),*) => {$(
        #[multiversion(targets = "simd")]
        fn $f(p: *const $t, n: usize) -> $t {
            // One accumulator: integer addition is associative, so the loop vectoriser
            // splits it into vector accumulators by itself.
            let mut acc: $t = 0;
            for i in 0..n {
                // SAFETY: `i < n`; `int_sum` passes `n` readable contiguous elements.
                acc = acc.wrapping_add(unsafe { p.add(i).read_unaligned() });
            }
            acc
        }
        impl FastInt for $t {
            #[inline(always)]
            fn wadd(self, o: Self) -> Self { self.wrapping_add(o) }
            const Z: Self = 0;
            unsafe fn sum_contig(p: *const Self, n: usize) -> Self { $f(p, n) }
        }
    )*};
}
fast_int!(i8 => sum_i8, i16 => sum_i16, i32 => sum_i32, i64 => sum_i64, u8 => sum_u8, u16 => sum_u16, u32 => sum_u32, u64 => sum_u64);

/// The wrapping sum of a run of integers (any order gives the same result).
///
/// # Safety
/// `p + i * s` must be a readable element for every `i < n`.
pub unsafe fn int_sum<T: FastInt>(p: *const u8, s: isize, n: usize) -> T {
    if s == std::mem::size_of::<T>() as isize {
        // SAFETY: a contiguous run of `n` readable elements, by the caller's contract.
        return unsafe { T::sum_contig(p.cast::<T>(), n) };
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
    /// The largest (`MAX`) or smallest of `n >= 1` contiguous elements at `p`, and whether
    /// any is NaN (then the value is meaningless).
    ///
    /// # Safety
    /// `p..p + n` must be readable elements and `n >= 1`.
    unsafe fn extreme_contig<const MAX: bool>(p: *const Self, n: usize) -> (Self, bool);
}

macro_rules! fast_ord_int {
    ($($t:ty => $max:ident, $min:ident);*) => {$(
        #[multiversion(targets = "simd")]
        fn $max(p: *const $t, n: usize) -> $t {
            // SAFETY: `n >= 1` contiguous readable elements (see `extreme`).
            let mut m = unsafe { p.read_unaligned() };
            for i in 0..n {
                // SAFETY: `i < n`. Integer max is a reduction the vectoriser recognises.
                m = m.max(unsafe { p.add(i).read_unaligned() });
            }
            m
        }
        #[multiversion(targets = "simd")]
        fn $min(p: *const $t, n: usize) -> $t {
            // SAFETY: `n >= 1` contiguous readable elements (see `extreme`).
            let mut m = unsafe { p.read_unaligned() };
            for i in 0..n {
                // SAFETY: `i < n`.
                m = m.min(unsafe { p.add(i).read_unaligned() });
            }
            m
        }
        impl FastOrd for $t {
            #[inline(always)]
            fn nan(self) -> bool {
                false
            }
            unsafe fn extreme_contig<const MAX: bool>(p: *const Self, n: usize) -> (Self, bool) {
                (if MAX { $max(p, n) } else { $min(p, n) }, false)
            }
        }
    )*};
}
fast_ord_int!(
    i8 => max_i8, min_i8; i16 => max_i16, min_i16; i32 => max_i32, min_i32; i64 => max_i64, min_i64;
    u8 => max_u8, min_u8; u16 => max_u16, min_u16; u32 => max_u32, min_u32; u64 => max_u64, min_u64
);

/// Elements per call of the float min/max block (a bounded loop the compiler turns into
/// vector operations on 8 lanes, as in the pairwise sum's block).
const EXT_BLOCK: usize = 256;

macro_rules! fast_ord_float {
    ($t:ty, $blk:ident) => {
        /// Lane-wise max (`MAX`) or min of `n` (a multiple of 8, at least 8) contiguous
        /// elements into `r`, and a NaN probe: the sum of `x - x`, which is NaN when some
        /// element is NaN (or infinite: a false alarm the caller resolves by rescanning).
        #[multiversion(targets = "simd")]
        fn $blk(p: *const $t, n: usize, max: bool, r: &mut [$t; 8], z: &mut [$t; 8]) {
            let mut i = 0;
            while i < n {
                for j in 0..8 {
                    // SAFETY: `i + j < n`; callers pass `n` readable contiguous elements.
                    let x = unsafe { p.add(i + j).read_unaligned() };
                    let better = if max { x > r[j] } else { x < r[j] };
                    r[j] = if better { x } else { r[j] };
                    z[j] += x - x;
                }
                i += 8;
            }
        }

        impl FastOrd for $t {
            #[inline(always)]
            fn nan(self) -> bool {
                self.is_nan()
            }
            unsafe fn extreme_contig<const MAX: bool>(p: *const Self, n: usize) -> (Self, bool) {
                // SAFETY: `n >= 1` contiguous readable elements (see `extreme`).
                let first = unsafe { p.read_unaligned() };
                let mut r = [first; 8];
                let mut z: [$t; 8] = [0.0; 8];
                let body = n - n % 8;
                let mut i = 0;
                while i < body {
                    let len = EXT_BLOCK.min(body - i);
                    $blk(p.wrapping_add(i), len, MAX, &mut r, &mut z);
                    i += len;
                }
                let mut best = r[0];
                for &v in &r[1..] {
                    if if MAX { v > best } else { v < best } {
                        best = v;
                    }
                }
                let mut nan = z.iter().any(|v| v.is_nan());
                while i < n {
                    // SAFETY: `i < n`.
                    let x = unsafe { p.add(i).read_unaligned() };
                    nan |= x.is_nan();
                    if if MAX { x > best } else { x < best } {
                        best = x;
                    }
                    i += 1;
                }
                (best, nan)
            }
        }
    };
}
fast_ord_float!(f32, ext_block_f32);
fast_ord_float!(f64, ext_block_f64);

/// The largest (`MAX`) or smallest of a run of `n >= 1` elements; the first NaN if any.
///
/// # Safety
/// `p + i * s` must be a readable element for every `i < n`, and `n >= 1`.
pub unsafe fn extreme<T: FastOrd, const MAX: bool>(p: *const u8, s: isize, n: usize) -> T {
    if s == std::mem::size_of::<T>() as isize {
        // SAFETY: a contiguous run of `n >= 1` readable elements, by the caller's contract.
        let (v, nan) = unsafe { T::extreme_contig::<MAX>(p.cast::<T>(), n) };
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
