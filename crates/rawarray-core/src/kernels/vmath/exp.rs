//! Lane functions for `exp`: branch-free, so that the block loops in `mod.rs` vectorise.
//!
//! Algorithm: `n = round(x / ln 2)` with the add-a-shifter trick, `r = x - n ln 2` with ln 2
//! split in two parts (`n * LN2_HI` is exact), `e^r` by a near-minimax polynomial on
//! `|r| <= ln 2 / 2` (coefficients fitted with mpmath's `chebyfit`), and the scaling by
//! `2^n` done as two multiplications by `2^(n/2)` so that overflow gives infinity and
//! gradual underflow rounds once, like a correctly rounded `exp`.

// The polynomial coefficients are printed with all the digits of the fit.
#![allow(clippy::excessive_precision)]

use super::{mla32, mla64};

/// 1.5 * 2^52: adding it rounds a double of magnitude below 2^51 to an integer, which the
/// low bits of the sum then hold.
pub(super) const SHIFT64: f64 = 6755399441055744.0;
/// 1.5 * 2^23, the same for f32.
pub(super) const SHIFT32: f32 = 12582912.0;

const LOG2E: f64 = std::f64::consts::LOG2_E;
/// ln 2 truncated to 32 bits (so `n * LN2_HI` is exact for `|n| < 2^21`) and the rest.
const LN2_HI: f64 = 0.6931471803691238;
const LN2_LO: f64 = 1.9082149292705877e-10;

/// e^r on |r| <= ln2/2, degree 11, highest first; fit error 3.2e-18.
const EXP64: [f64; 10] = [
    2.5110037940619665e-08,
    2.7632640074237224e-07,
    2.755724091767456e-06,
    2.4801485481152372e-05,
    0.0001984126989004796,
    0.0013888888952315874,
    0.008333333333319601,
    0.04166666666648809,
    0.1666666666666668,
    0.5000000000000019,
];

/// `exp` of one f64 lane.
#[inline(always)]
pub(super) fn exp_f64<const F: bool>(x: f64) -> f64 {
    // Beyond +-760 the result is inf or 0 anyway; clamping keeps `n` in the range where
    // the two scale factors are normal numbers. `clamp` keeps NaN.
    let xc = x.clamp(-760.0, 760.0);
    let t = mla64::<F>(xc, LOG2E, SHIFT64);
    let nf = t - SHIFT64;
    let n = t.to_bits().wrapping_sub(SHIFT64.to_bits()) as i64;
    let r = mla64::<F>(nf, -LN2_HI, xc);
    let r = mla64::<F>(nf, -LN2_LO, r);
    let mut p = EXP64[0];
    for c in &EXP64[1..] {
        p = mla64::<F>(p, r, *c);
    }
    let y = 1.0 + mla64::<F>(r * r, p, r);
    let n1 = n >> 1;
    let n2 = n - n1;
    let s1 = f64::from_bits(((n1 + 1023) as u64) << 52);
    let s2 = f64::from_bits(((n2 + 1023) as u64) << 52);
    y * s1 * s2
}

const LOG2E32: f32 = std::f32::consts::LOG2_E;
/// ln 2 truncated to 16 bits (so `n * LN2_HI32` is exact for `|n| < 2^8`) and the rest.
pub(super) const LN2_HI32: f32 = 0.69314575;
pub(super) const LN2_LO32: f32 = 1.4286068e-06;
/// e^r on |r| <= ln2/2, degree 6, highest first; fit error 2.0e-9 (the degree-0 and -1
/// coefficients round to 1 in f32).
pub(super) const EXP32: [f32; 5] =
    [0.0013941108735823515, 0.008375126639835365, 0.04166635289314982, 0.16666415511750649, 0.5000000047118573];

/// `exp` of one f32 lane.
#[inline(always)]
pub(super) fn exp_f32<const F: bool>(x: f32) -> f32 {
    let xc = x.clamp(-150.0, 150.0);
    let t = mla32::<F>(xc, LOG2E32, SHIFT32);
    let nf = t - SHIFT32;
    let n = t.to_bits().wrapping_sub(SHIFT32.to_bits()) as i32;
    let r = mla32::<F>(nf, -LN2_HI32, xc);
    let r = mla32::<F>(nf, -LN2_LO32, r);
    let mut p = EXP32[0];
    for c in &EXP32[1..] {
        p = mla32::<F>(p, r, *c);
    }
    // 1 + r is summed with its rounding error (exact by Fast2Sum, |r| < 1), which the
    // small rest absorbs: this keeps the result within one rounding of e^r.
    let t = 1.0 + r;
    let e = (1.0 - t) + r;
    let y = t + mla32::<F>(r * r, p, e);
    let n1 = n >> 1;
    let n2 = n - n1;
    let s1 = f32::from_bits(((n1 + 127) as u32) << 23);
    let s2 = f32::from_bits(((n2 + 127) as u32) << 23);
    y * s1 * s2
}
