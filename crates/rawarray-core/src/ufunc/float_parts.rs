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

/// The three operations for one float type `$t` (bits `$u`), in a module `$m` of its own
/// for the constants, which all follow from the type's format.
macro_rules! parts {
    ($t:ty, $u:ty, $m:ident) => {
        mod $m {
            use super::{Bin, Frexp, Ldexp, Modf, Status, Un2};

            /// Stored mantissa bits: the exponent field starts here.
            const BITS: u32 = <$t>::MANTISSA_DIGITS - 1;
            /// The exponent field (infinity's bits).
            const EXP_MASK: $u = <$t>::INFINITY.to_bits();
            /// 0.5, whose exponent frexp's mantissas take.
            const HALF: $u = (0.5 as $t).to_bits();
            /// The exponents of the largest and smallest normal powers of two.
            const MAX_EXP: i32 = <$t>::MAX_EXP - 1;
            const MIN_EXP: i32 = <$t>::MIN_EXP - 1;

            /// `2**n` for a normal power of two.
            const fn pow2(n: i32) -> $t {
                <$t>::from_bits(((n - MIN_EXP + 1) as $u) << BITS)
            }

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
                    if bits & EXP_MASK == 0 {
                        // Subnormal: scaled into the normal range first (exactly).
                        shift = <$t>::MANTISSA_DIGITS as i32 + 1;
                        bits = (x * pow2(shift)).to_bits();
                    }
                    let e = ((bits & EXP_MASK) >> BITS) as i32;
                    (<$t>::from_bits((bits & !EXP_MASK) | HALF), e - (HALF >> BITS) as i32 - shift)
                }
            }

            impl Bin<$t, i32> for Ldexp {
                type O = $t;
                #[inline]
                fn f(x: $t, n: i32, st: &mut Status) -> $t {
                    let r = scale(x, n);
                    // The flags C's ldexp raises, set here rather than read from the status
                    // word (the vectorised loop evaluates every scaling step on every lane):
                    // overflow to infinity, and underflow for a tiny result that is not exact.
                    if x.is_finite() && x != 0.0 {
                        if r.is_infinite() {
                            st.flags.overflow = true;
                        } else if r.abs() < <$t>::MIN_POSITIVE && (r == 0.0 || scale(r, n.saturating_neg()) != x) {
                            st.flags.underflow = true;
                        }
                    }
                    r
                }
            }

            /// `x * 2**n`: scaled in at most three exact steps, then one rounding multiply (so
            /// a subnormal result is rounded once, as C's ldexp rounds it).
            #[inline]
            fn scale(x: $t, n: i32) -> $t {
                // Steps of 2**MAX_EXP up, of 2**(MIN_EXP + mantissa digits) down.
                let down = MIN_EXP + <$t>::MANTISSA_DIGITS as i32;
                let (mut y, mut n) = (x, n);
                if n > MAX_EXP {
                    y *= pow2(MAX_EXP);
                    n -= MAX_EXP;
                    if n > MAX_EXP {
                        y *= pow2(MAX_EXP);
                        n = (n - MAX_EXP).min(MAX_EXP);
                    }
                } else if n < MIN_EXP {
                    y *= pow2(MIN_EXP) * pow2(<$t>::MANTISSA_DIGITS as i32);
                    n -= down;
                    if n < MIN_EXP {
                        y *= pow2(MIN_EXP) * pow2(<$t>::MANTISSA_DIGITS as i32);
                        n = (n - down).max(MIN_EXP);
                    }
                }
                y * pow2(n)
            }

            impl Bin<$t, i64> for Ldexp {
                type O = $t;
                #[inline]
                fn f(x: $t, n: i64, st: &mut Status) -> $t {
                    // NumPy's `long` exponent loops clamp to the C int range.
                    <Ldexp as Bin<$t, i32>>::f(x, n.clamp(i32::MIN as i64, i32::MAX as i64) as i32, st)
                }
            }
        }
    };
}

parts!(f64, u64, parts64);
parts!(f32, u32, parts32);

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
