//! Lane functions for `log`: branch-free, so that the block loops in `mod.rs` vectorise.
//!
//! Algorithm: subnormals are scaled by 2^52 (2^23) first; `x = 2^k m` with
//! `m` in `[sqrt(1/2), sqrt(2))` from the bits; with `f = m - 1` and `s = f / (2 + f)`,
//! `log(1 + f) = 2 atanh(s) = f - hfsq + s (hfsq + R(s^2))` where `hfsq = f^2 / 2` and `R` is a
//! near-minimax polynomial (fitted with mpmath's `chebyfit`) for `(2 atanh(s) - 2s) / s`;
//! then `log x = k ln2 + log(1 + f)` with ln 2 split in two parts. Zero, negative, infinite
//! and NaN inputs are selected at the end.

// The polynomial coefficients are printed with all the digits of the fit.
#![allow(clippy::excessive_precision)]

use super::exp::{SHIFT32, SHIFT64};
use super::{mla32, mla64};

pub(super) const LN2_HI: f64 = 0.6931471803691238;
pub(super) const LN2_LO: f64 = 1.9082149292705877e-10;
/// The bits of sqrt(1/2): subtracting them puts the mantissa boundary at sqrt(2).
const SQRT_HALF_BITS64: i64 = 0x3fe6_a09e_667f_3bcd;
/// `z P(z)` with `2 atanh(s) = 2s + s z P(z)`, `z = s^2 <= 0.02944`; degree 6, highest
/// first; fit error 3.1e-16 (times `z s`, far below an ulp).
pub(super) const LOG64: [f64; 7] = [
    0.14616585424888623,
    0.15331710618210773,
    0.18182889455674947,
    0.22222211130259878,
    0.2857142862600327,
    0.39999999999899444,
    0.666666666666667,
];

/// `log` of one f64 lane.
#[inline(always)]
pub(super) fn log_f64<const F: bool>(x: f64) -> f64 {
    let tiny = x < f64::MIN_POSITIVE;
    let xs = if tiny { x * 4503599627370496.0 } else { x };
    let kadj: i64 = if tiny { -52 } else { 0 };
    let ix = xs.to_bits() as i64;
    let tmp = ix.wrapping_sub(SQRT_HALF_BITS64);
    let k = (tmp >> 52) + kadj;
    let m = f64::from_bits(ix.wrapping_sub(tmp & (-1i64 << 52)) as u64);
    // |k| < 2^11, so the shifter converts it to a double exactly (no i64 -> f64 convert,
    // which AVX2 lacks).
    let kf = f64::from_bits(SHIFT64.to_bits().wrapping_add(k as u64)) - SHIFT64;
    let f = m - 1.0;
    let s = f / (2.0 + f);
    let z = s * s;
    let mut p = LOG64[0];
    for c in &LOG64[1..] {
        p = mla64::<F>(p, z, *c);
    }
    let r = z * p;
    let hfsq = 0.5 * f * f;
    let y = mla64::<F>(kf, LN2_HI, -((hfsq - mla64::<F>(s, hfsq + r, kf * LN2_LO)) - f));
    if x > 0.0 && x < f64::INFINITY {
        y
    } else if x == 0.0 {
        f64::NEG_INFINITY
    } else if x < 0.0 {
        f64::NAN
    } else {
        x
    }
}

pub(super) const LN2_HI32: f32 = 0.69314575;
pub(super) const LN2_LO32: f32 = 1.4286068e-06;
const SQRT_HALF_BITS32: i32 = 0x3f35_04f3;
/// As `LOG64`, degree 2; fit error 1.9e-7 (times `z s`).
pub(super) const LOG32: [f32; 3] = [0.2958005304318844, 0.39988778282162807, 0.6666668504515603];

/// `log` of one f32 lane.
#[inline(always)]
pub(super) fn log_f32<const F: bool>(x: f32) -> f32 {
    let tiny = x < f32::MIN_POSITIVE;
    let xs = if tiny { x * 8388608.0 } else { x };
    let kadj: i32 = if tiny { -23 } else { 0 };
    let ix = xs.to_bits() as i32;
    let tmp = ix.wrapping_sub(SQRT_HALF_BITS32);
    let k = (tmp >> 23) + kadj;
    let m = f32::from_bits(ix.wrapping_sub(tmp & (-1i32 << 23)) as u32);
    let kf = f32::from_bits(SHIFT32.to_bits().wrapping_add(k as u32)) - SHIFT32;
    let f = m - 1.0;
    let s = f / (2.0 + f);
    let z = s * s;
    let p = mla32::<F>(mla32::<F>(LOG32[0], z, LOG32[1]), z, LOG32[2]);
    let r = z * p;
    let hfsq = 0.5 * f * f;
    let y = mla32::<F>(kf, LN2_HI32, -((hfsq - mla32::<F>(s, hfsq + r, kf * LN2_LO32)) - f));
    if x > 0.0 && x < f32::INFINITY {
        y
    } else if x == 0.0 {
        f32::NEG_INFINITY
    } else if x < 0.0 {
        f32::NAN
    } else {
        x
    }
}
