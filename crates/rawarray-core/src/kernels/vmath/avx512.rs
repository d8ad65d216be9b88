//! AVX-512 loops for the kernels where the portable lane code loses to NumPy's AVX-512
//! loops: f64 and f32 exp, f64 and f32 log. Written with intrinsics because they use instructions
//! LLVM never emits for plain float code: `vgetmant`/`vgetexp` (mantissa and exponent,
//! subnormals included, in two instructions), `vscalef` (multiply by `2^n` with overflow to
//! inf and one rounding for subnormals), `vpermt2pd` (a 16-entry table lookup from two
//! registers, no gather) and `vfpclass` (one test for every special input, so that the
//! special-value selects and the flags run only for vectors that contain such lanes).
//!
//! Invariant: the same results contract as the portable lane code (IEEE special values,
//! NumPy's flags computed from the values); the f64 log evaluates the portable algorithm's
//! polynomial on the same reduced argument. The functions are only called after
//! [`available`] returned true.

// The table entries are printed with all their digits.
#![allow(clippy::excessive_precision)]

use std::arch::x86_64::*;

use super::exp::{EXP32, LN2_HI32 as EXP_LN2_HI32, LN2_LO32 as EXP_LN2_LO32, SHIFT32};
use super::log::{LN2_HI, LN2_HI32, LN2_LO, LN2_LO32, LOG32, LOG64};
use super::{DIVIDE, INVALID, OVERFLOW, UNDERFLOW};

/// Whether the CPU runs these loops (AVX-512 F and DQ; `std` caches the answer).
#[inline]
pub(super) fn available() -> bool {
    is_x86_feature_detected!("avx512f") && is_x86_feature_detected!("avx512dq")
}

/// 1.5 * 2^52: adding it rounds a double of magnitude below 2^51 to an integer, which the
/// low bits of the sum then hold.
const SHIFT64: f64 = 6755399441055744.0;
/// 16 / ln 2.
const INV_LN2_16: f64 = 23.083120654223414;
/// ln 2 / 16 truncated to 32 bits (`n * L16_HI` is exact for `|n| < 2^21`) and the rest.
const L16_HI: f64 = 0.04332169877307024;
const L16_LO: f64 = 1.1926343307941173e-11;
/// `2^(j/16)` rounded to f64, j = 0..16.
const EXP2_J16: [f64; 16] = [
    1.0,
    1.0442737824274138,
    1.0905077326652577,
    1.1387886347566916,
    1.189207115002721,
    1.241857812073484,
    1.2968395546510096,
    1.3542555469368927,
    std::f64::consts::SQRT_2,
    1.4768261459394993,
    1.5422108254079407,
    1.6104903319492543,
    1.681792830507429,
    1.7562521603732995,
    1.8340080864093424,
    1.9152065613971474,
];
/// The relative rounding error of each `EXP2_J16` entry: `2^(j/16) = T_j (1 + tail_j)`.
const EXP2_J16_TAIL: [f64; 16] = [
    0.0,
    8.189317638195515e-17,
    -2.7939114859515733e-17,
    7.826573258636076e-17,
    3.3484623336251524e-17,
    3.750854201303127e-17,
    1.9572585293112036e-17,
    5.68648095791174e-17,
    -6.835808657661922e-17,
    -2.3591094770850053e-17,
    5.1548301170786783e-17,
    1.5341410053603723e-17,
    4.875160526227062e-17,
    1.685487290628973e-17,
    1.790126907604513e-17,
    -5.545065618639427e-17,
];
/// `(e^r - 1 - r) / r^2` on `|r| <= ln 2 / 32`, degree 5, highest first; fit error 8.0e-17
/// (times r^2: 3.8e-20 relative to the result).
const EXPM1_Q: [f64; 6] = [
    0.00019841463787840103,
    0.001388906344098826,
    0.008333333332992089,
    0.04166666666359546,
    0.16666666666666669,
    0.5000000000000001,
];

/// Whether a loop writing `bytes` bytes (aligned to its element) streams: the
/// driver asked for it, and the run is long enough for the head to be a small part
/// (callers also keep plain stores in place, where the loads already own the lines).
#[inline(always)]
fn stream_from(bytes: usize) -> bool {
    bytes >= 1024 && crate::kernels::stream::hinted()
}

/// Runs `body` (result and flag bits of one vector) over `n` doubles, the tail with a
/// masked load (filler `fill` in the unused lanes) and a masked store. When the driver
/// hints that the output is large, full vectors are stored with non-temporal stores.
///
/// # Safety
/// Called from a function with AVX-512 F enabled; `src[..n]` readable, `dst[..n]` writable,
/// `dst` equal to `src` or not overlapping it.
#[inline(always)]
unsafe fn drive8(src: *const f64, dst: *mut f64, n: usize, fill: f64, body: impl Fn(__m512d) -> (__m512d, u32)) -> u32 {
    let mut flags = 0;
    let mut i = 0;
    // SAFETY: (whole body) AVX-512 F is enabled in the caller; every access covers
    // elements `i..min(i + 8, n)` (masked when fewer than 8), inside both runs; each vector
    // is loaded before its lanes are stored, so in place is fine.
    unsafe {
        if stream_from(n * 8) && !std::ptr::eq(src, dst) {
            // A large output: a masked head up to the first cache line, then non-temporal
            // stores of whole aligned lines (see `kernels::stream`), fenced at the end.
            let head = ((64 - dst as usize % 64) % 64 / 8).min(n);
            if head > 0 {
                let k = (1u8 << head) - 1;
                let (y, f) = body(_mm512_mask_loadu_pd(_mm512_set1_pd(fill), k, src));
                flags |= f;
                _mm512_mask_storeu_pd(dst, k, y);
                i = head;
            }
            while i + 8 <= n {
                let (y, f) = body(_mm512_loadu_pd(src.add(i)));
                flags |= f;
                _mm512_stream_pd(dst.add(i), y);
                i += 8;
            }
            _mm_sfence();
        }
        while i + 8 <= n {
            let (y, f) = body(_mm512_loadu_pd(src.add(i)));
            flags |= f;
            _mm512_storeu_pd(dst.add(i), y);
            i += 8;
        }
        if i < n {
            let k = (1u8 << (n - i)) - 1;
            let (y, f) = body(_mm512_mask_loadu_pd(_mm512_set1_pd(fill), k, src.add(i)));
            flags |= f;
            _mm512_mask_storeu_pd(dst.add(i), k, y);
        }
    }
    flags
}

/// As [`drive8`] for 16 floats.
///
/// # Safety
/// As for [`drive8`].
#[inline(always)]
unsafe fn drive16(src: *const f32, dst: *mut f32, n: usize, fill: f32, body: impl Fn(__m512) -> (__m512, u32)) -> u32 {
    let mut flags = 0;
    let mut i = 0;
    // SAFETY: as in `drive8`.
    unsafe {
        if stream_from(n * 4) && !std::ptr::eq(src, dst) {
            let head = ((64 - dst as usize % 64) % 64 / 4).min(n);
            if head > 0 {
                let k = (1u16 << head) - 1;
                let (y, f) = body(_mm512_mask_loadu_ps(_mm512_set1_ps(fill), k, src));
                flags |= f;
                _mm512_mask_storeu_ps(dst, k, y);
                i = head;
            }
            while i + 16 <= n {
                let (y, f) = body(_mm512_loadu_ps(src.add(i)));
                flags |= f;
                _mm512_stream_ps(dst.add(i), y);
                i += 16;
            }
            _mm_sfence();
        }
        while i + 16 <= n {
            let (y, f) = body(_mm512_loadu_ps(src.add(i)));
            flags |= f;
            _mm512_storeu_ps(dst.add(i), y);
            i += 16;
        }
        if i < n {
            let k = (1u16 << (n - i)) - 1;
            let (y, f) = body(_mm512_mask_loadu_ps(_mm512_set1_ps(fill), k, src.add(i)));
            flags |= f;
            _mm512_mask_storeu_ps(dst.add(i), k, y);
        }
    }
    flags
}

/// `exp` of 8 lanes, Tang's method with 16 table entries: `n = round(16 x / ln 2)`,
/// `r = x - n ln2/16` (two FMAs, exact high part), `e^x = 2^floor(n/16) T_j (1 + tail_j)
/// e^r` with `j = n mod 16` taken from the low bits of the shifter sum by `vpermt2pd`, and
/// the power of two applied by `vscalef` (inf on overflow, one rounding for subnormals).
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn exp8(x: __m512d) -> __m512d {
    // Beyond +-760 the result is inf or 0 anyway; `min(c, x)` returns `x` when it is NaN.
    let xc = _mm512_max_pd(_mm512_set1_pd(-760.0), _mm512_min_pd(_mm512_set1_pd(760.0), x));
    let shift = _mm512_set1_pd(SHIFT64);
    let t = _mm512_fmadd_pd(xc, _mm512_set1_pd(INV_LN2_16), shift);
    let nf = _mm512_sub_pd(t, shift);
    let r = _mm512_fnmadd_pd(nf, _mm512_set1_pd(L16_HI), xc);
    let r = _mm512_fnmadd_pd(nf, _mm512_set1_pd(L16_LO), r);
    // SAFETY: the tables are 16 f64 each, read as two 8-lane vectors apiece.
    let (t0, t1, l0, l1) = unsafe {
        (
            _mm512_loadu_pd(EXP2_J16.as_ptr()),
            _mm512_loadu_pd(EXP2_J16.as_ptr().add(8)),
            _mm512_loadu_pd(EXP2_J16_TAIL.as_ptr()),
            _mm512_loadu_pd(EXP2_J16_TAIL.as_ptr().add(8)),
        )
    };
    // The low 4 bits of `t` are `n mod 16` (two's complement), the table index.
    let j = _mm512_castpd_si512(t);
    let tj = _mm512_permutex2var_pd(t0, j, t1);
    let tail = _mm512_permutex2var_pd(l0, j, l1);
    // Estrin for Q(r), then e^r - 1 + tail = (r + tail) + r^2 Q(r).
    let c = |i: usize| _mm512_set1_pd(EXPM1_Q[i]);
    let r2 = _mm512_mul_pd(r, r);
    let a = _mm512_fmadd_pd(c(0), r, c(1));
    let b = _mm512_fmadd_pd(c(2), r, c(3));
    let d = _mm512_fmadd_pd(c(4), r, c(5));
    let ab = _mm512_fmadd_pd(a, r2, b);
    let q = _mm512_fmadd_pd(ab, r2, d);
    let p = _mm512_fmadd_pd(q, r2, _mm512_add_pd(r, tail));
    let y = _mm512_fmadd_pd(tj, p, tj);
    // floor(n / 16), exactly, as `vscalef` floors its exponent operand.
    _mm512_scalef_pd(y, _mm512_mul_pd(nf, _mm512_set1_pd(0.0625)))
}

/// `dst[i] = exp(src[i])` for f64; returns the flag bits (overflow, underflow).
///
/// # Safety
/// [`available`] is true; `src[..n]` readable, `dst[..n]` writable, `dst` equal to `src` or
/// not overlapping it.
#[target_feature(enable = "avx512f,avx512dq")]
pub(super) unsafe fn exp_f64(src: *const f64, dst: *mut f64, n: usize) -> u32 {
    let edge = _mm512_set1_pd(708.0);
    let body = |x: __m512d| {
        let y = exp8(x);
        // Overflow and underflow need |x| > 708; vectors without such lanes skip the exact
        // tests (the filler lanes are 0).
        let mut flags = 0;
        if _mm512_cmp_pd_mask::<_CMP_GT_OQ>(_mm512_abs_pd(x), edge) != 0 {
            let over = _mm512_cmp_pd_mask::<_CMP_EQ_OQ>(y, _mm512_set1_pd(f64::INFINITY))
                & _mm512_cmp_pd_mask::<_CMP_NEQ_UQ>(x, _mm512_set1_pd(f64::INFINITY));
            let under = _mm512_cmp_pd_mask::<_CMP_LT_OQ>(y, _mm512_set1_pd(f64::MIN_POSITIVE))
                & _mm512_cmp_pd_mask::<_CMP_NEQ_UQ>(x, _mm512_set1_pd(f64::NEG_INFINITY));
            flags = (u32::from(over != 0) * OVERFLOW) | (u32::from(under != 0) * UNDERFLOW);
        }
        (y, flags)
    };
    // SAFETY: AVX-512 is enabled here; the runs are valid by the caller's contract.
    unsafe { drive8(src, dst, n, 0.0, body) }
}

/// `exp` of 16 f32 lanes: the portable lane code's algorithm (`n = round(x / ln 2)`,
/// `r = x - n ln 2` in two FMAs, its polynomial, `1 + r` summed with its rounding error),
/// with the scaling by `2^n` done by one `vscalef` instead of two multiplications by
/// built exponents (the same single rounding for subnormals, inf on overflow).
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn exp16(x: __m512) -> __m512 {
    // Beyond +-150 the result is inf or 0 anyway; `min(c, x)` returns `x` when it is NaN.
    let xc = _mm512_max_ps(_mm512_set1_ps(-150.0), _mm512_min_ps(_mm512_set1_ps(150.0), x));
    let shift = _mm512_set1_ps(SHIFT32);
    let nf = _mm512_sub_ps(_mm512_fmadd_ps(xc, _mm512_set1_ps(std::f32::consts::LOG2_E), shift), shift);
    let r = _mm512_fnmadd_ps(nf, _mm512_set1_ps(EXP_LN2_HI32), xc);
    let r = _mm512_fnmadd_ps(nf, _mm512_set1_ps(EXP_LN2_LO32), r);
    let mut p = _mm512_set1_ps(EXP32[0]);
    for c in &EXP32[1..] {
        p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(*c));
    }
    let one = _mm512_set1_ps(1.0);
    let t = _mm512_add_ps(one, r);
    let e = _mm512_add_ps(_mm512_sub_ps(one, t), r);
    let y = _mm512_add_ps(t, _mm512_fmadd_ps(_mm512_mul_ps(r, r), p, e));
    _mm512_scalef_ps(y, nf)
}

/// `dst[i] = exp(src[i])` for f32, as [`exp_f64`].
///
/// # Safety
/// As for [`exp_f64`].
#[target_feature(enable = "avx512f,avx512dq")]
pub(super) unsafe fn exp_f32(src: *const f32, dst: *mut f32, n: usize) -> u32 {
    // exp overflows above 88.72 and gives subnormals below -87.34.
    let edge = _mm512_set1_ps(87.0);
    let body = |x: __m512| {
        let y = exp16(x);
        let mut flags = 0;
        if _mm512_cmp_ps_mask::<_CMP_GT_OQ>(_mm512_abs_ps(x), edge) != 0 {
            let over = _mm512_cmp_ps_mask::<_CMP_EQ_OQ>(y, _mm512_set1_ps(f32::INFINITY))
                & _mm512_cmp_ps_mask::<_CMP_NEQ_UQ>(x, _mm512_set1_ps(f32::INFINITY));
            let under = _mm512_cmp_ps_mask::<_CMP_LT_OQ>(y, _mm512_set1_ps(f32::MIN_POSITIVE))
                & _mm512_cmp_ps_mask::<_CMP_NEQ_UQ>(x, _mm512_set1_ps(f32::NEG_INFINITY));
            flags = (u32::from(over != 0) * OVERFLOW) | (u32::from(under != 0) * UNDERFLOW);
        }
        (y, flags)
    };
    // SAFETY: AVX-512 is enabled here; the runs are valid by the caller's contract (the
    // filler 0.0 gives no flags).
    unsafe { drive16(src, dst, n, 0.0, body) }
}

/// `fpclass` bits: QNaN, +0, -0, +inf, -inf, negative finite, SNaN (everything log treats
/// specially; positive subnormals are handled by `vgetmant`/`vgetexp`).
const LOG_SPECIAL: i32 = 0x01 | 0x02 | 0x04 | 0x08 | 0x10 | 0x40 | 0x80;
const ZERO: i32 = 0x02 | 0x04;
const NEGATIVE: i32 = 0x10 | 0x40;

/// `log` of 8 positive finite lanes: `x = 2^k m` with `m` in `[sqrt(1/2), sqrt(2)]` from
/// `vgetmant`/`vgetexp`, then the portable lane code's `2 atanh(f / (2 + f))` polynomial.
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn log8(x: __m512d) -> __m512d {
    let one = _mm512_set1_pd(1.0);
    let m = _mm512_getmant_pd::<_MM_MANT_NORM_1_2, _MM_MANT_SIGN_ZERO>(x);
    let e = _mm512_getexp_pd(x);
    let big = _mm512_cmp_pd_mask::<_CMP_GT_OQ>(m, _mm512_set1_pd(std::f64::consts::SQRT_2));
    let m = _mm512_mask_mul_pd(m, big, m, _mm512_set1_pd(0.5));
    let kf = _mm512_mask_add_pd(e, big, e, one);
    let f = _mm512_sub_pd(m, one);
    let s = _mm512_div_pd(f, _mm512_add_pd(_mm512_set1_pd(2.0), f));
    let z = _mm512_mul_pd(s, s);
    let mut p = _mm512_set1_pd(LOG64[0]);
    for c in &LOG64[1..] {
        p = _mm512_fmadd_pd(p, z, _mm512_set1_pd(*c));
    }
    let r = _mm512_mul_pd(z, p);
    let hfsq = _mm512_mul_pd(_mm512_mul_pd(_mm512_set1_pd(0.5), f), f);
    // k ln2 - ((hfsq - (s (hfsq + r) + k ln2_lo)) - f), as the lane code.
    let inner = _mm512_fmadd_pd(s, _mm512_add_pd(hfsq, r), _mm512_mul_pd(kf, _mm512_set1_pd(LN2_LO)));
    let w = _mm512_sub_pd(_mm512_sub_pd(hfsq, inner), f);
    _mm512_fmsub_pd(kf, _mm512_set1_pd(LN2_HI), w)
}

/// `dst[i] = ln(src[i])` for f64; returns the flag bits (divide for zeros, invalid for
/// negative numbers).
///
/// # Safety
/// As for [`exp_f64`].
#[target_feature(enable = "avx512f,avx512dq")]
pub(super) unsafe fn log_f64(src: *const f64, dst: *mut f64, n: usize) -> u32 {
    let body = |x: __m512d| {
        let mut y = log8(x);
        let mut flags = 0;
        let special = _mm512_fpclass_pd_mask::<LOG_SPECIAL>(x);
        if special != 0 {
            let zero = _mm512_fpclass_pd_mask::<ZERO>(x);
            let neg = _mm512_fpclass_pd_mask::<NEGATIVE>(x);
            // NaN and +inf give themselves, zeros -inf, negative numbers NaN.
            y = _mm512_mask_mov_pd(y, special, x);
            y = _mm512_mask_mov_pd(y, zero, _mm512_set1_pd(f64::NEG_INFINITY));
            y = _mm512_mask_mov_pd(y, neg, _mm512_set1_pd(f64::NAN));
            flags = (u32::from(zero != 0) * DIVIDE) | (u32::from(neg != 0) * INVALID);
        }
        (y, flags)
    };
    // SAFETY: AVX-512 is enabled here; the runs are valid by the caller's contract (the
    // filler 1.0 gives no flags).
    unsafe { drive8(src, dst, n, 1.0, body) }
}

/// As [`log8`] for 16 f32 lanes, with the portable f32 lane code's polynomial.
#[inline]
#[target_feature(enable = "avx512f,avx512dq")]
fn log16(x: __m512) -> __m512 {
    let one = _mm512_set1_ps(1.0);
    let m = _mm512_getmant_ps::<_MM_MANT_NORM_1_2, _MM_MANT_SIGN_ZERO>(x);
    let e = _mm512_getexp_ps(x);
    let big = _mm512_cmp_ps_mask::<_CMP_GT_OQ>(m, _mm512_set1_ps(std::f32::consts::SQRT_2));
    let m = _mm512_mask_mul_ps(m, big, m, _mm512_set1_ps(0.5));
    let kf = _mm512_mask_add_ps(e, big, e, one);
    let f = _mm512_sub_ps(m, one);
    let s = _mm512_div_ps(f, _mm512_add_ps(_mm512_set1_ps(2.0), f));
    let z = _mm512_mul_ps(s, s);
    let p = _mm512_fmadd_ps(_mm512_set1_ps(LOG32[0]), z, _mm512_set1_ps(LOG32[1]));
    let p = _mm512_fmadd_ps(p, z, _mm512_set1_ps(LOG32[2]));
    let r = _mm512_mul_ps(z, p);
    let hfsq = _mm512_mul_ps(_mm512_mul_ps(_mm512_set1_ps(0.5), f), f);
    let inner = _mm512_fmadd_ps(s, _mm512_add_ps(hfsq, r), _mm512_mul_ps(kf, _mm512_set1_ps(LN2_LO32)));
    let w = _mm512_sub_ps(_mm512_sub_ps(hfsq, inner), f);
    _mm512_fmsub_ps(kf, _mm512_set1_ps(LN2_HI32), w)
}

/// `dst[i] = ln(src[i])` for f32, as [`log_f64`].
///
/// # Safety
/// As for [`exp_f64`].
#[target_feature(enable = "avx512f,avx512dq")]
pub(super) unsafe fn log_f32(src: *const f32, dst: *mut f32, n: usize) -> u32 {
    let body = |x: __m512| {
        let mut y = log16(x);
        let mut flags = 0;
        let special = _mm512_fpclass_ps_mask::<LOG_SPECIAL>(x);
        if special != 0 {
            let zero = _mm512_fpclass_ps_mask::<ZERO>(x);
            let neg = _mm512_fpclass_ps_mask::<NEGATIVE>(x);
            y = _mm512_mask_mov_ps(y, special, x);
            y = _mm512_mask_mov_ps(y, zero, _mm512_set1_ps(f32::NEG_INFINITY));
            y = _mm512_mask_mov_ps(y, neg, _mm512_set1_ps(f32::NAN));
            flags = (u32::from(zero != 0) * DIVIDE) | (u32::from(neg != 0) * INVALID);
        }
        (y, flags)
    };
    // SAFETY: as in `log_f64`.
    unsafe { drive16(src, dst, n, 1.0, body) }
}
