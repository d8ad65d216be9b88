//! Vectorised transcendental functions on contiguous float data: exp, log, sin, cos and
//! sqrt for f32 and f64, plus f16 <-> f32 slice conversion, as single-threaded building
//! blocks for the ufunc loops (the caller splits large arrays with
//! [`crate::parallel::map_ranges`]).
//!
//! Invariant: every kernel returns NumPy's IEEE exceptions for its inputs, computed from the
//! values (not read from the status word, which the polynomial approximations may set
//! spuriously), and gives IEEE/NumPy's special values (inf, NaN, signed zeros, subnormals).
//!
//! How it vectorises: each kernel is a plain element loop (in chunks of 2048) over
//! branch-free lane code (selects instead of `if`, bit tricks instead of integer
//! conversions), which LLVM vectorises; in place (`dst == src`) has its own loop over one
//! slice, because two aliasing raw pointers would fail LLVM's overlap check and run scalar.
//! [`multiversion`] compiles the loops for AVX-512, AVX2+FMA and the baseline and picks one
//! at run time. `mul_add` is a single instruction only where FMA is enabled, so the lane
//! code takes `const F: bool` and uses `mul_add` only in the clones whose
//! `target_cfg_f!(target_feature = "fma")` is true (a baseline `mul_add` calls libm's `fma`).
//!
//! Exception: on CPUs with AVX-512 (F and DQ), exp and log (f32 and f64) run hand-written
//! loops (`avx512.rs`) instead, because the instructions that make them fast (`vgetmant`,
//! `vgetexp`, `vscalef`, `vpermt2pd` table lookups, `vfpclass`) are never emitted from plain
//! float code, and because those loops store a large output with non-temporal stores (the
//! portable loops do not, so they read every output line before writing it). Per element in
//! cache (2-vCPU Zen 4 VM, CPU time): f64 exp 0.80 -> 0.60 ns, f64 log 1.09 -> 0.83 ns, f32
//! log 0.47 -> 0.34 ns (NumPy's AVX-512 loops: 1.04, 0.85 and 0.39 ns); f32 exp 0.37 -> 0.24
//! ns through `rawarray.exp(a, out=o)` at 32768 elements (NumPy 0.52 ns), and 2.9 -> 1.7 ms
//! at 10^7 in `make bench`, where the streaming stores matter most. The portable lane code
//! stays the reference for the other CPUs and for the tests' lane variants. Their accuracy
//! is the table's below (re-measured: f64 exp and log at most 1.0 ulp from glibc on the
//! sample, f32 log 0.843 ulp and f32 exp 0.995 ulp over all 2^32 inputs).
//!
//! Accuracy, measured by this module's tests (`exhaustive_accuracy_report`): f32 over all
//! 2^32 inputs, as the error in ulps against the f64 `std` result (the exact value to f32
//! precision); f64 over 10^6 random, wide-range and near-multiple-of-pi/2 inputs, as the
//! difference in ulps from glibc (itself within about 0.5 ulp of the exact result).
//!
//! | function | f32 max error (ulp) | f64 max difference from glibc (ulp) |
//! |---|---|---|
//! | exp | 0.995 | 1.0 |
//! | log | 0.843 | 1.0 |
//! | sin | 1.49 (near zeros of sin, from the f32 reduction) | ≤ 1.5 (tested bound) |
//! | cos | 1.49 (as sin) | 1.0 |
//! | sqrt | correctly rounded (hardware) | correctly rounded |
//!
//! ```
//! use rawarray_core::kernels::vmath::{exp_f64_slice, log_f32_slice};
//! let mut y = [0.0; 3];
//! let flags = exp_f64_slice(&[0.0, 1.0, 1000.0], &mut y);
//! assert_eq!(y[0], 1.0);
//! assert_eq!(y[2], f64::INFINITY);
//! assert!(flags.overflow);
//! let mut z = [0.0f32; 2];
//! assert!(log_f32_slice(&[0.0, -1.0], &mut z).divide);
//! ```

#[cfg(target_arch = "x86_64")]
mod avx512;
mod exp;
mod log;
mod trig;

#[cfg(test)]
mod tests;

use half::f16;
use multiversion::multiversion;

use crate::fpe::FpFlags;

const DIVIDE: u32 = 1;
const OVERFLOW: u32 = 2;
const INVALID: u32 = 4;
const UNDERFLOW: u32 = 8;

fn to_flags(bits: u32) -> FpFlags {
    FpFlags {
        divide: bits & DIVIDE != 0,
        overflow: bits & OVERFLOW != 0,
        invalid: bits & INVALID != 0,
        underflow: bits & UNDERFLOW != 0,
    }
}

/// `a * b + c`, fused when `F` (only instantiated with `F = true` where FMA is a single
/// instruction).
#[inline(always)]
fn mla64<const F: bool>(a: f64, b: f64, c: f64) -> f64 {
    if F {
        a.mul_add(b, c)
    } else {
        a * b + c
    }
}

/// `a * b + c` for f32, as [`mla64`].
#[inline(always)]
fn mla32<const F: bool>(a: f32, b: f32, c: f32) -> f32 {
    if F {
        a.mul_add(b, c)
    } else {
        a * b + c
    }
}

/// Flag bit (not an IEEE exception) asking for the chunk's `fixup` pass.
const SLOW: u32 = 1 << 16;
/// Elements per chunk: the flags of a chunk decide whether its `fixup` pass runs.
const CHUNK: usize = 2048;

/// Maps `lane` over `n` elements and ORs `flags(x, y)` over them; a chunk whose flags
/// contain [`SLOW`] then gets `fixup` over its results (lanes that need it keep their input
/// as the result until then). The loops are plain element loops, which LLVM vectorises;
/// in place (`dst == src`) runs a separate loop over one slice, because a raw-pointer loop
/// over two aliasing pointers would fail LLVM's run-time overlap check and run scalar.
///
/// # Safety
/// `src[..n]` must be readable and `dst[..n]` writable, both aligned for `T`; they are
/// either the same pointer or do not overlap.
#[inline(always)]
unsafe fn drive<T: Copy>(
    src: *const T,
    dst: *mut T,
    n: usize,
    lane: impl Fn(T) -> T,
    flags: impl Fn(T, T) -> u32,
    fixup: impl Fn(&mut [T]),
) -> u32 {
    let mut acc = 0;
    if n == 0 {
        return 0;
    }
    if std::ptr::eq(src, dst) {
        // SAFETY: `dst[..n]` is readable and writable, aligned and (in place) the only
        // view of these elements during this call.
        let d = unsafe { std::slice::from_raw_parts_mut(dst, n) };
        for c in d.chunks_mut(CHUNK) {
            let mut a = 0;
            for v in c.iter_mut() {
                let x = *v;
                let y = lane(x);
                a |= flags(x, y);
                *v = y;
            }
            if a & SLOW != 0 {
                fixup(c);
            }
            acc |= a;
        }
    } else {
        // SAFETY: readable/writable, aligned, and not overlapping (caller's contract), so
        // a shared and a mutable slice may coexist.
        let (s, d) = unsafe { (std::slice::from_raw_parts(src, n), std::slice::from_raw_parts_mut(dst, n)) };
        for (sc, dc) in s.chunks(CHUNK).zip(d.chunks_mut(CHUNK)) {
            let mut a = 0;
            for (x, v) in sc.iter().zip(dc.iter_mut()) {
                let y = lane(*x);
                a |= flags(*x, y);
                *v = y;
            }
            if a & SLOW != 0 {
                fixup(dc);
            }
            acc |= a;
        }
    }
    acc & !SLOW
}

/// No fixup pass.
#[inline(always)]
fn no_fixup<T>(_: &mut [T]) {}

/// Defines `$name(src, dst, n)`, its multiversioned loop and the safe `$slice` wrapper.
/// `$lane`, `$flags` and `$fixup` (see [`drive`]) may use the const `$fma: bool`.
macro_rules! vmath_kernel {
    (
        $(#[$doc:meta])*
        $name:ident, $slice:ident, $t:ty,
        |$fma:ident| $lane:expr, $flags:expr, $fixup:expr
        $(; avx512 $avx512:path)?
    ) => {
        $(#[$doc])*
        ///
        /// Returns the IEEE exceptions NumPy reports for these inputs.
        ///
        /// # Safety
        /// `src[..n]` must be readable and `dst[..n]` writable, both aligned for the element
        /// type; `dst` is either equal to `src` (in place) or does not overlap it.
        pub unsafe fn $name(src: *const $t, dst: *mut $t, n: usize) -> FpFlags {
            #[multiversion(targets(
                "x86_64+avx512f+avx512vl+avx512dq+avx512bw+fma",
                "x86_64+avx2+fma",
            ))]
            unsafe fn run(src: *const $t, dst: *mut $t, n: usize) -> u32 {
                if multiversion::target::target_cfg_f!(target_feature = "fma") {
                    #[allow(dead_code)]
                    const $fma: bool = true;
                    // SAFETY: forwarded from the caller of the outer function.
                    unsafe { drive::<$t>(src, dst, n, $lane, $flags, $fixup) }
                } else {
                    #[allow(dead_code)]
                    const $fma: bool = false;
                    // SAFETY: forwarded from the caller of the outer function.
                    unsafe { drive::<$t>(src, dst, n, $lane, $flags, $fixup) }
                }
            }
            $(
                #[cfg(target_arch = "x86_64")]
                if avx512::available() {
                    // SAFETY: AVX-512 is available (checked); the caller's contract is the
                    // AVX-512 loop's.
                    return to_flags(unsafe { $avx512(src, dst, n) });
                }
            )?
            // SAFETY: the caller upholds `run`'s contract, which is this function's.
            to_flags(unsafe { run(src, dst, n) })
        }

        #[doc = concat!("[`", stringify!($name), "`] over slices.")]
        ///
        /// # Panics
        /// If the lengths differ.
        pub fn $slice(src: &[$t], dst: &mut [$t]) -> FpFlags {
            assert_eq!(src.len(), dst.len(), "source and destination lengths differ");
            // SAFETY: two valid slices of the same length; `&` and `&mut` cannot overlap.
            unsafe { $name(src.as_ptr(), dst.as_mut_ptr(), src.len()) }
        }
    };
}

/// exp's flags: overflow when a finite input gives inf, underflow when a finite input
/// gives a subnormal or zero.
#[inline(always)]
fn exp_flags64(x: f64, y: f64) -> u32 {
    (u32::from(y == f64::INFINITY && x != f64::INFINITY) * OVERFLOW)
        | (u32::from(y < f64::MIN_POSITIVE && x != f64::NEG_INFINITY) * UNDERFLOW)
}

#[inline(always)]
fn exp_flags32(x: f32, y: f32) -> u32 {
    (u32::from(y == f32::INFINITY && x != f32::INFINITY) * OVERFLOW)
        | (u32::from(y < f32::MIN_POSITIVE && x != f32::NEG_INFINITY) * UNDERFLOW)
}

/// log's flags: divide for +-0, invalid for negative numbers (including -inf).
#[inline(always)]
fn log_flags64(x: f64, _y: f64) -> u32 {
    (u32::from(x == 0.0) * DIVIDE) | (u32::from(x < 0.0) * INVALID)
}

#[inline(always)]
fn log_flags32(x: f32, _y: f32) -> u32 {
    (u32::from(x == 0.0) * DIVIDE) | (u32::from(x < 0.0) * INVALID)
}

/// sqrt's flags: invalid for negative numbers (not -0, whose root is -0).
#[inline(always)]
fn sqrt_flags64(x: f64, _y: f64) -> u32 {
    u32::from(x < 0.0) * INVALID
}

#[inline(always)]
fn sqrt_flags32(x: f32, _y: f32) -> u32 {
    u32::from(x < 0.0) * INVALID
}

vmath_kernel! {
    /// `dst[i] = exp(src[i])` for f64 (overflow to inf above ln(MAX), gradual underflow
    /// rounded once).
    exp_f64, exp_f64_slice, f64,
    |FMA| exp::exp_f64::<FMA>, exp_flags64, no_fixup; avx512 avx512::exp_f64
}

vmath_kernel! {
    /// `dst[i] = exp(src[i])` for f32.
    exp_f32, exp_f32_slice, f32,
    |FMA| exp::exp_f32::<FMA>, exp_flags32, no_fixup; avx512 avx512::exp_f32
}

vmath_kernel! {
    /// `dst[i] = ln(src[i])` for f64 (log(+-0) = -inf, log(x < 0) = NaN).
    log_f64, log_f64_slice, f64,
    |FMA| log::log_f64::<FMA>, log_flags64, no_fixup; avx512 avx512::log_f64
}

vmath_kernel! {
    /// `dst[i] = ln(src[i])` for f32.
    log_f32, log_f32_slice, f32,
    |FMA| log::log_f32::<FMA>, log_flags32, no_fixup; avx512 avx512::log_f32
}

vmath_kernel! {
    /// `dst[i] = sin(src[i])` for f64 (beyond |x| = 1e6 glibc's `sin`).
    sin_f64, sin_f64_slice, f64,
    |FMA| trig::sin_f64::<FMA>, trig::flags64, trig::fixup_f64::<false>
}

vmath_kernel! {
    /// `dst[i] = cos(src[i])` for f64 (beyond |x| = 1e6 glibc's `cos`).
    cos_f64, cos_f64_slice, f64,
    |FMA| trig::cos_f64::<FMA>, trig::flags64, trig::fixup_f64::<true>
}

vmath_kernel! {
    /// `dst[i] = sin(src[i])` for f32 (beyond |x| = 71476 through f64 `sin`).
    sin_f32, sin_f32_slice, f32,
    |FMA| trig::sin_f32::<FMA>, trig::flags32, trig::fixup_f32::<false>
}

vmath_kernel! {
    /// `dst[i] = cos(src[i])` for f32 (beyond |x| = 71476 through f64 `cos`).
    cos_f32, cos_f32_slice, f32,
    |FMA| trig::cos_f32::<FMA>, trig::flags32, trig::fixup_f32::<true>
}

vmath_kernel! {
    /// `dst[i] = sqrt(src[i])` for f64 (the hardware instruction, correctly rounded).
    sqrt_f64, sqrt_f64_slice, f64,
    |FMA| f64::sqrt, sqrt_flags64, no_fixup
}

vmath_kernel! {
    /// `dst[i] = sqrt(src[i])` for f32 (the hardware instruction, correctly rounded).
    sqrt_f32, sqrt_f32_slice, f32,
    |FMA| f32::sqrt, sqrt_flags32, no_fixup
}

/// Converts `n` float16 values to f32 (exact), through `half`'s slice conversion, which
/// uses F16C's `vcvtph2ps` when the CPU has it (measured at 10^7: 2.8 ms, against 3.3 ms
/// for a branch-free bit-twiddling loop vectorised with AVX-512).
///
/// # Safety
/// `src[..n]` must be readable and `dst[..n]` writable, both aligned for their types, and
/// the two ranges must not overlap.
pub unsafe fn f16_to_f32(src: *const f16, dst: *mut f32, n: usize) {
    use half::slice::HalfFloatSliceExt;
    // SAFETY: valid, aligned and non-overlapping by the caller's contract.
    let (s, d) = unsafe { (std::slice::from_raw_parts(src, n), std::slice::from_raw_parts_mut(dst, n)) };
    s.convert_to_f32_slice(d);
}

/// [`f16_to_f32`] over slices.
///
/// # Panics
/// If the lengths differ.
pub fn f16_to_f32_slice(src: &[f16], dst: &mut [f32]) {
    assert_eq!(src.len(), dst.len(), "source and destination lengths differ");
    // SAFETY: two valid slices of the same length cannot overlap.
    unsafe { f16_to_f32(src.as_ptr(), dst.as_mut_ptr(), src.len()) }
}

/// Converts `n` f32 values to float16, rounding to nearest even (overflow to inf, gradual
/// underflow, NaN kept NaN), through `half`'s slice conversion, which uses F16C's
/// `vcvtps2ph` when the CPU has it (2.7 ms at 10^7, against 22 ms per element).
///
/// # Safety
/// `src[..n]` must be readable and `dst[..n]` writable, both aligned for their types, and
/// the two ranges must not overlap.
pub unsafe fn f32_to_f16(src: *const f32, dst: *mut f16, n: usize) {
    use half::slice::HalfFloatSliceExt;
    // SAFETY: valid, aligned and non-overlapping by the caller's contract.
    let (s, d) = unsafe { (std::slice::from_raw_parts(src, n), std::slice::from_raw_parts_mut(dst, n)) };
    d.convert_from_f32_slice(s);
}

/// [`f32_to_f16`] over slices.
///
/// # Panics
/// If the lengths differ.
pub fn f32_to_f16_slice(src: &[f32], dst: &mut [f16]) {
    assert_eq!(src.len(), dst.len(), "source and destination lengths differ");
    // SAFETY: two valid slices of the same length cannot overlap.
    unsafe { f32_to_f16(src.as_ptr(), dst.as_mut_ptr(), src.len()) }
}
