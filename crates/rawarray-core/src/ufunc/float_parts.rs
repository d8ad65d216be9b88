//! A float's parts: `modf` (fractional and integral parts), `frexp` (mantissa in [0.5, 1)
//! and exponent) and `ldexp` (`x * 2**n`, rounded once), with C's results for zeros,
//! infinities, NaN and subnormals. float16 goes through float32 as NumPy's loops do.

use half::f16;

use super::loops::{Bin, Un2};
use super::ops::h;
use super::Status;
use crate::kernels::Element;

/// `modf`: (fractional part, integral part), both with the sign of `x`.
pub(crate) struct Modf;
/// `frexp`: (mantissa, exponent) with `x = mantissa * 2**exponent`.
pub(crate) struct Frexp;
/// `ldexp`: `x * 2**n`.
pub(crate) struct Ldexp;

macro_rules! parts {
    ($t:ty, $u:ty, $bits:literal, $exp_mask:expr, $half_exp:expr, $subnormal_scale:expr, $subnormal_shift:literal,
     $max_exp:literal, $min_exp:literal, $big:expr, $small:expr, $small_shift:literal, $scale:ident) => {
        impl Un2<$t> for Modf {
            type O1 = $t;
            type O2 = $t;
            #[inline]
            fn f(x: $t, _: &mut Status) -> ($t, $t) {
                let i = x.trunc();
                let frac = if x.is_infinite() { (0.0 as $t).copysign(x) } else { (x - i).copysign(x) };
                (frac, i)
            }
        }

        impl Un2<$t> for Frexp {
            type O1 = $t;
            type O2 = i32;
            #[inline]
            fn f(x: $t, _: &mut Status) -> ($t, i32) {
                if x == 0.0 || !x.is_finite() {
                    return (x, 0);
                }
                let (mut bits, mut shift) = (x.to_bits(), 0);
                if bits & $exp_mask == 0 {
                    // Subnormal: scaled into the normal range first (exactly).
                    bits = (x * $subnormal_scale).to_bits();
                    shift = $subnormal_shift;
                }
                let e = ((bits & $exp_mask) >> $bits) as i32;
                (<$t>::from_bits((bits & !$exp_mask) | $half_exp), e - ($half_exp >> $bits) as i32 - shift)
            }
        }

        impl Bin<$t, i32> for Ldexp {
            type O = $t;
            #[inline]
            fn f(x: $t, n: i32, st: &mut Status) -> $t {
                let r = $scale(x, n);
                // The flags C's ldexp raises, set here rather than read from the status
                // word (the vectorised loop evaluates every scaling step on every lane):
                // overflow to infinity, and underflow for a tiny result that is not exact.
                if x.is_finite() && x != 0.0 {
                    if r.is_infinite() {
                        st.flags.overflow = true;
                    } else if r.abs() < <$t>::MIN_POSITIVE && (r == 0.0 || $scale(r, n.saturating_neg()) != x) {
                        st.flags.underflow = true;
                    }
                }
                r
            }
        }

        /// `x * 2**n`: scaled in at most three exact steps, then one rounding multiply (so
        /// a subnormal result is rounded once, as C's ldexp rounds it).
        #[inline]
        fn $scale(x: $t, n: i32) -> $t {
            let (mut y, mut n) = (x, n);
            if n > $max_exp {
                y *= $big;
                n -= $max_exp;
                if n > $max_exp {
                    y *= $big;
                    n = (n - $max_exp).min($max_exp);
                }
            } else if n < $min_exp {
                y *= $small;
                n -= $min_exp + $small_shift;
                if n < $min_exp {
                    y *= $small;
                    n = (n - $min_exp - $small_shift).max($min_exp);
                }
            }
            y * <$t>::from_bits(((n - $min_exp + 1) as $u) << $bits)
        }

        impl Bin<$t, i64> for Ldexp {
            type O = $t;
            #[inline]
            fn f(x: $t, n: i64, st: &mut Status) -> $t {
                // NumPy's `long` exponent loops clamp to the C int range.
                <Ldexp as Bin<$t, i32>>::f(x, n.clamp(i32::MIN as i64, i32::MAX as i64) as i32, st)
            }
        }
    };
}

// f64: exponent bits 52..63, 0.5 has biased exponent 0x3fe, subnormals scaled by 2**54;
// 2**1023 and 2**-1022 * 2**53 for ldexp's exact steps.
parts!(
    f64,
    u64,
    52,
    0x7ff0_0000_0000_0000u64,
    0x3fe0_0000_0000_0000u64,
    f64::from_bits(0x4350_0000_0000_0000),
    54,
    1023,
    -1022,
    f64::from_bits(0x7fe0_0000_0000_0000),
    f64::from_bits(0x0010_0000_0000_0000) * f64::from_bits(0x4340_0000_0000_0000),
    53,
    scale64
);
// f32: exponent bits 23..31, 0.5 at 0x7e, subnormals scaled by 2**25; 2**127 and
// 2**-126 * 2**24.
parts!(
    f32,
    u32,
    23,
    0x7f80_0000u32,
    0x3f00_0000u32,
    f32::from_bits(0x4c00_0000),
    25,
    127,
    -126,
    f32::from_bits(0x7f00_0000),
    f32::from_bits(0x0080_0000) * f32::from_bits(0x4b80_0000),
    24,
    scale32
);

impl Un2<f16> for Modf {
    type O1 = f16;
    type O2 = f16;
    fn f(x: f16, st: &mut Status) -> (f16, f16) {
        let (a, b) = <Modf as Un2<f32>>::f(x.to_f32(), st);
        (f16::from_f32(a), f16::from_f32(b))
    }
}

impl Un2<f16> for Frexp {
    type O1 = f16;
    type O2 = i32;
    fn f(x: f16, st: &mut Status) -> (f16, i32) {
        let (m, e) = <Frexp as Un2<f32>>::f(x.to_f32(), st);
        (f16::from_f32(m), e)
    }
}

impl<N: Element> Bin<f16, N> for Ldexp
where
    Ldexp: Bin<f32, N, O = f32>,
{
    type O = f16;
    fn f(x: f16, n: N, st: &mut Status) -> f16 {
        h(<Ldexp as Bin<f32, N>>::f(x.to_f32(), n, st), st)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_follow_c() {
        let mut st = Status::default();
        let m = |x: f64| <Modf as Un2<f64>>::f(x, &mut Status::default());
        assert_eq!(m(-2.5), (-0.5, -2.0));
        assert!(m(-2.0).0.is_sign_negative() && m(f64::INFINITY) == (0.0, f64::INFINITY));
        let fx = |x: f64| <Frexp as Un2<f64>>::f(x, &mut Status::default());
        assert_eq!(fx(-3.5), (-0.875, 2));
        assert_eq!(fx(5e-324), (0.5, -1073));
        assert_eq!(fx(1e308).1, 1024);
        assert_eq!(<Frexp as Un2<f32>>::f(f32::from_bits(1), &mut st), (0.5, -148));
        let ld = |x: f64, n: i32| <Ldexp as Bin<f64, i32>>::f(x, n, &mut Status::default());
        assert_eq!(ld(1.0, 1023), 2f64.powi(1023));
        assert_eq!(ld(1.0, -1074), 5e-324);
        assert_eq!(ld(1.0, -1075), 0.0);
        assert_eq!(ld(1.5, -1074), 1e-323); // rounds half to even once
        assert_eq!(ld(1.0, 1024), f64::INFINITY);
        assert_eq!(ld(f64::MIN_POSITIVE, 2000), 2f64.powi(978));
        assert_eq!(ld(2f64.powi(1000), -2000), 2f64.powi(-1000));
        assert_eq!(<Ldexp as Bin<f32, i64>>::f(1.0, 1 << 40, &mut st), f32::INFINITY);
        assert_eq!(<Ldexp as Bin<f32, i32>>::f(1.0, -149, &mut st), f32::from_bits(1));
    }
}
