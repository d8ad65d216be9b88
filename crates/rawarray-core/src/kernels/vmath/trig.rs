//! Lane and block functions for `sin` and `cos`.
//!
//! Algorithm: `n = round(x * 2/pi)`, `r = x - n pi/2` (Cody–Waite: pi/2 split into parts
//! whose products with `n` are exact, the f64 remainder kept as a double-double `r + rlo`),
//! then a near-minimax polynomial for `sin` or `cos` on `|r| <= pi/4` (fitted with mpmath's
//! `chebyfit`) chosen by the quadrant `n mod 4`. Both polynomials are evaluated for every
//! lane and selected, so the loop has no branches. Lanes beyond the fast range (and
//! inf/NaN) keep their input and are recomputed afterwards by the scalar `std` function
//! (glibc's, which reduces huge arguments exactly), as NumPy does; a chunk without such
//! lanes skips that pass.

// The polynomial coefficients are printed with all the digits of the fit.
#![allow(clippy::excessive_precision)]

use super::exp::{SHIFT32, SHIFT64};
use super::{mla32, mla64, INVALID, SLOW};

const FRAC_2_PI: f64 = std::f64::consts::FRAC_2_PI;
/// pi/2 cut into 33-bit pieces (exact products with `|n| < 2^20`) and a 53-bit rest.
const P1: f64 = 1.5707963267341256;
const P2: f64 = 6.077100506303966e-11;
const P3: f64 = 2.0222662487111665e-21;
const P4: f64 = 8.4784276603689e-32;
/// f64 lanes with `|x|` up to here take the vector path (`n < 2^20`).
const LIMIT64: f64 = 1.0e6;

/// `sin(r) = r + r z S(z)`, `z = r^2 <= (pi/4)^2`; degree 6, highest first; fit error 1.2e-20.
const SIN64: [f64; 7] = [
    -7.586685070091267e-13,
    1.605853141458901e-10,
    -2.5052106231157904e-08,
    2.7557319219335453e-06,
    -0.0001984126984126506,
    0.008333333333333331,
    -0.16666666666666666,
];
/// `cos(r) = 1 - z/2 + z^2 C(z)`; degree 5, highest first; fit error 1.3e-18.
const COS64: [f64; 6] = [
    -1.1382614868556325e-11,
    2.0876146024689747e-09,
    -2.7557317270560326e-07,
    2.4801587298763433e-05,
    -0.0013888888888887395,
    0.041666666666666664,
];

/// `sin(x)` (`quadrant_offset` 0) or `cos(x)` (1) of one f64 lane with `0 <= x <= LIMIT64`.
#[inline(always)]
fn sincos_f64<const F: bool>(x: f64, quadrant_offset: u64) -> f64 {
    let t = mla64::<F>(x, FRAC_2_PI, SHIFT64);
    let nf = t - SHIFT64;
    let q = t.to_bits().wrapping_sub(SHIFT64.to_bits()).wrapping_add(quadrant_offset);
    // Exact: `nf * P1` is exact and within a factor 2 of `x` (Sterbenz).
    let r1 = x - nf * P1;
    let w2 = nf * P2;
    let hi = r1 - w2;
    // Two-sum error of `r1 - w2`.
    let bb = hi - r1;
    let e = (r1 - (hi - bb)) + (-w2 - bb);
    let lo = e - mla64::<F>(nf, P3, nf * P4);
    let r = hi + lo;
    let rlo = (hi - r) + lo;
    let z = r * r;
    let mut s = SIN64[0];
    for c in &SIN64[1..] {
        s = mla64::<F>(s, z, *c);
    }
    // sin(r + rlo) ~ sin r + rlo cos r.
    let sin = r + mla64::<F>(r * z, s, rlo * (1.0 - 0.5 * z));
    let mut c = COS64[0];
    for k in &COS64[1..] {
        c = mla64::<F>(c, z, *k);
    }
    // cos(r + rlo) ~ cos r - rlo sin r; `1 - z/2` is summed with its rounding error.
    let hz = 0.5 * z;
    let w = 1.0 - hz;
    let cos = w + (((1.0 - w) - hz) + mla64::<F>(z * z, c, -(r * rlo)));
    let y = if q & 1 == 0 { sin } else { cos };
    f64::from_bits(y.to_bits() ^ ((q & 2) << 62))
}

/// `sin` of one f64 lane; lanes beyond the fast range keep `x` for [`fixup_f64`].
#[inline(always)]
pub(super) fn sin_f64<const F: bool>(x: f64) -> f64 {
    // sin is odd: reduce |x| and give the result the sign of x (this also keeps -0).
    let ax = x.abs();
    let fast = ax <= LIMIT64;
    let v = sincos_f64::<F>(if fast { ax } else { 0.0 }, 0);
    let v = f64::from_bits(v.to_bits() ^ (x.to_bits() & (1 << 63)));
    if fast {
        v
    } else {
        x
    }
}

/// `cos` of one f64 lane; lanes beyond the fast range keep `x` for [`fixup_f64`].
#[inline(always)]
pub(super) fn cos_f64<const F: bool>(x: f64) -> f64 {
    // cos is even: reduce |x|.
    let ax = x.abs();
    let fast = ax <= LIMIT64;
    let v = sincos_f64::<F>(if fast { ax } else { 0.0 }, 1);
    if fast {
        v
    } else {
        x
    }
}

/// Whether `x` is beyond the fast range (NaN included, hence the negated comparison).
#[inline(always)]
#[allow(clippy::neg_cmp_op_on_partial_ord)]
fn slow64(x: f64) -> bool {
    !(x.abs() <= LIMIT64)
}

/// As [`slow64`].
#[inline(always)]
#[allow(clippy::neg_cmp_op_on_partial_ord)]
fn slow32(x: f32) -> bool {
    !(x.abs() <= LIMIT32)
}

/// sin/cos flags: invalid for +-inf; [`SLOW`] for lanes beyond the fast range (and NaN).
#[inline(always)]
pub(super) fn flags64(x: f64, _y: f64) -> u32 {
    (u32::from(x.abs() == f64::INFINITY) * INVALID) | (u32::from(slow64(x)) * SLOW)
}

/// Recomputes the lanes that kept their input (beyond the fast range) with `std`.
pub(super) fn fixup_f64<const COS: bool>(y: &mut [f64]) {
    for v in y {
        if slow64(*v) {
            *v = if COS { v.cos() } else { v.sin() };
        }
    }
}

const FRAC_2_PI32: f32 = std::f32::consts::FRAC_2_PI;
/// pi/2 as three f32 (for the FMA reduction, where `x - n Q1` is exact).
const Q1: f32 = 1.5707964;
const Q2: f32 = -4.371139e-08;
const Q3: f32 = -1.7151245e-15;
/// f32 lanes with `|x|` up to here take the vector path.
const LIMIT32: f32 = 71476.0;
/// As `SIN64`, degree 3; fit error 2.8e-11.
const SIN32: [f32; 4] = [2.7249864655139585e-06, -0.00019840086263755443, 0.008333331873837089, -0.16666666663853044];
/// As `COS64`, degree 2; fit error 2.0e-9.
const COS32: [f32; 3] = [2.454789161981386e-05, -0.0013888302802309161, 0.04166666465830042];

/// `sin(x)` (`quadrant_offset` 0) or `cos(x)` (1) of one f32 lane with `0 <= x <= LIMIT32`.
#[inline(always)]
fn sincos_f32<const F: bool>(x: f32, quadrant_offset: u32) -> f32 {
    let (r, q) = if F {
        // With FMA, `x - n Q1` is exact (a multiple of ulp(x) below 1), and the two further
        // terms are each rounded once.
        let t = x.mul_add(FRAC_2_PI32, SHIFT32);
        let nf = t - SHIFT32;
        let q = t.to_bits().wrapping_sub(SHIFT32.to_bits());
        let r = (-nf).mul_add(Q1, x);
        let r = (-nf).mul_add(Q2, r);
        ((-nf).mul_add(Q3, r), q)
    } else {
        // Without FMA, reduce in f64, where the 33-bit parts give exact products.
        let xd = f64::from(x);
        let t = xd * FRAC_2_PI + SHIFT64;
        let nf = t - SHIFT64;
        let q = t.to_bits().wrapping_sub(SHIFT64.to_bits()) as u32;
        (((xd - nf * P1) - nf * P2 - nf * P3) as f32, q)
    };
    let q = q.wrapping_add(quadrant_offset);
    let z = r * r;
    let s = mla32::<F>(mla32::<F>(mla32::<F>(SIN32[0], z, SIN32[1]), z, SIN32[2]), z, SIN32[3]);
    let sin = mla32::<F>(r * z, s, r);
    let c = mla32::<F>(mla32::<F>(COS32[0], z, COS32[1]), z, COS32[2]);
    let hz = 0.5 * z;
    let w = 1.0 - hz;
    let cos = w + mla32::<F>(z * z, c, (1.0 - w) - hz);
    let y = if q & 1 == 0 { sin } else { cos };
    f32::from_bits(y.to_bits() ^ ((q & 2) << 30))
}

/// `sin` of one f32 lane; lanes beyond the fast range keep `x` for [`fixup_f32`].
#[inline(always)]
pub(super) fn sin_f32<const F: bool>(x: f32) -> f32 {
    let ax = x.abs();
    let fast = ax <= LIMIT32;
    let v = sincos_f32::<F>(if fast { ax } else { 0.0 }, 0);
    let v = f32::from_bits(v.to_bits() ^ (x.to_bits() & (1 << 31)));
    if fast {
        v
    } else {
        x
    }
}

/// `cos` of one f32 lane; lanes beyond the fast range keep `x` for [`fixup_f32`].
#[inline(always)]
pub(super) fn cos_f32<const F: bool>(x: f32) -> f32 {
    let ax = x.abs();
    let fast = ax <= LIMIT32;
    let v = sincos_f32::<F>(if fast { ax } else { 0.0 }, 1);
    if fast {
        v
    } else {
        x
    }
}

/// As [`flags64`].
#[inline(always)]
pub(super) fn flags32(x: f32, _y: f32) -> u32 {
    (u32::from(x.abs() == f32::INFINITY) * INVALID) | (u32::from(slow32(x)) * SLOW)
}

/// Recomputes the lanes that kept their input (beyond the fast range) through f64 `std`.
pub(super) fn fixup_f32<const COS: bool>(y: &mut [f32]) {
    for v in y {
        if slow32(*v) {
            let x = f64::from(*v);
            *v = (if COS { x.cos() } else { x.sin() }) as f32;
        }
    }
}
