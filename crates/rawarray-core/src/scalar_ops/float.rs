//! Float and complex arithmetic for [`super`]: hardware-like exception flags, NumPy's
//! `npy_divmod`, Smith's complex division and `npy_cpow` with C99 Annex G special values.
//!
//! Invariant: every elementary operation that can raise a floating-point exception in
//! NumPy's compiled code records it in the [`FpFlags`] it is given.

use half::f16;
use num_traits::Float;

use super::{BinOp, FpFlags};

/// Records the flags a hardware operation `x ∘ y = r` would raise: an infinite result from
/// finite inputs is an overflow (a division by zero when `by_zero`), a NaN from non-NaN
/// inputs is invalid.
pub(super) fn check<T: Float>(r: T, x: T, y: T, by_zero: bool, fl: &mut FpFlags) -> T {
    if r.is_infinite() && x.is_finite() && y.is_finite() {
        if by_zero {
            fl.divide = true;
        } else {
            fl.overflow = true;
        }
    } else if r.is_nan() && !x.is_nan() && !y.is_nan() {
        fl.invalid = true;
    }
    r
}

/// Records the underflow of the product or quotient `r = op(x, y)` of finite, non-zero
/// operands as the hardware flags it. Only a result at or below the smallest normal can
/// have underflowed (tiny and inexact); for those the hardware is asked
/// ([`crate::fpe::raises_underflow`]), as NumPy's scalar math reads its status flags.
#[inline]
fn tiny<T: Float>(r: T, x: T, y: T, op: fn(T, T) -> T, fl: &mut FpFlags) -> T {
    let operands = x.is_finite() && y.is_finite() && x != T::zero() && y != T::zero();
    if operands && r.abs() <= T::min_positive_value() && crate::fpe::raises_underflow(x, y, op) {
        fl.underflow = true;
    }
    r
}

/// `x * y` with its flags.
fn mul<T: Float>(x: T, y: T, fl: &mut FpFlags) -> T {
    let r = check(x * y, x, y, false, fl);
    tiny(r, x, y, |a, b| a * b, fl)
}

/// `x / y` with its flags.
fn div<T: Float>(x: T, y: T, fl: &mut FpFlags) -> T {
    let r = check(x / y, x, y, y == T::zero(), fl);
    tiny(r, x, y, |a, b| a / b, fl)
}

/// Rounds a float32 result to float16, flagging overflow to infinity, and underflow when a
/// value below float16's smallest normal is not exactly representable (NumPy's
/// `npy_float_to_half`).
pub(super) fn to_f16(r: f32, fl: &mut FpFlags) -> f64 {
    let h = f16::from_f32(r);
    if h.is_infinite() && r.is_finite() {
        fl.overflow = true;
    }
    if r != 0.0 && r.abs() < f16::MIN_POSITIVE.to_f32() && h.to_f32() != r {
        fl.underflow = true;
    }
    h.to_f64()
}

/// NumPy's `npy_divmod`: Python-style floor division and remainder of floats, recording
/// the exceptions each step raises in hardware (e.g. `inf - inf` when the quotient
/// overflows).
pub(crate) fn divmod<T: Float>(a: T, b: T, fl: &mut FpFlags) -> (T, T) {
    let (zero, one) = (T::zero(), T::one());
    let half = one / (one + one);
    let mut fe = Fe(fl);
    let mut m = check(a % b, a, b, false, fe.0);
    let t = fe.sub(a, m);
    let mut div = fe.div(t, b);
    if m != zero {
        if (b < zero) != (m < zero) {
            m = fe.add(m, b);
            div = fe.sub(div, one);
        }
    } else {
        m = zero.copysign(b);
    }
    let floordiv = if div != zero {
        let mut f = div.floor();
        if fe.sub(div, f) > half {
            f = fe.add(f, one);
        }
        f
    } else {
        zero.copysign(fe.div(a, b))
    };
    (floordiv, m)
}

/// NumPy's `npy_remainder`: the remainder half of [`divmod`]. Compiled NumPy drops the
/// unused quotient, so only the steps below can raise exceptions.
fn remainder<T: Float>(a: T, b: T, fl: &mut FpFlags) -> T {
    let zero = T::zero();
    let m = check(a % b, a, b, false, fl);
    if m == zero {
        zero.copysign(b)
    } else if (b < zero) != (m < zero) {
        check(m + b, m, b, false, fl)
    } else {
        m
    }
}

/// Float arithmetic in `T`; `half` selects NumPy's float16 *scalar math*, whose `//` tests
/// the divisor's bits for zero (so `-0.0` takes the divmod path) and whose `%` always
/// goes through `npy_divmodf` (so `x % 0` also divides by zero).
pub(crate) fn float_binary<T: Float>(op: BinOp, x: T, y: T, half: bool, fl: &mut FpFlags) -> T {
    let zero = T::zero();
    match op {
        BinOp::Add => check(x + y, x, y, false, fl),
        BinOp::Sub => check(x - y, x, y, false, fl),
        BinOp::Mul => mul(x, y, fl),
        BinOp::TrueDiv => div(x, y, fl),
        BinOp::FloorDiv | BinOp::Rem if half && y == zero && (op == BinOp::Rem || y.is_sign_negative()) => {
            // npy_divmodf: fmod(x, 0) is invalid, then x / 0 divides by zero.
            fl.invalid |= !x.is_nan();
            fl.divide |= x.is_finite() && x != zero;
            if op == BinOp::Rem {
                x % y
            } else {
                x / y
            }
        }
        BinOp::FloorDiv if y == zero => {
            // x / 0 in hardware: 0 / 0 is invalid, NaN and infinity are quiet, any other
            // value divides by zero.
            check(x / y, x, y, true, fl)
        }
        BinOp::FloorDiv | BinOp::Rem if half => {
            // npy_half_divmod rounds both results to float16, so `%` also reports a
            // quotient that overflows float16.
            let (q, m) = divmod(x, y, fl);
            let qf = q.to_f32().unwrap_or(0.0);
            if qf.is_finite() && f16::from_f32(qf).is_infinite() {
                fl.overflow = true;
            }
            if op == BinOp::Rem {
                m
            } else {
                q
            }
        }
        BinOp::FloorDiv => divmod(x, y, fl).0,
        BinOp::Rem if y == zero => check(x % y, x, y, false, fl),
        BinOp::Rem => remainder(x, y, fl),
        BinOp::Pow => {
            let r = check(x.powf(y), x, y, x == zero, fl);
            tiny(r, x, y, T::powf, fl)
        }
    }
}

/// Elementary float operations that record the exceptions they raise.
struct Fe<'a>(&'a mut FpFlags);

impl Fe<'_> {
    fn add<T: Float>(&mut self, x: T, y: T) -> T {
        check(x + y, x, y, false, self.0)
    }
    fn sub<T: Float>(&mut self, x: T, y: T) -> T {
        check(x - y, x, y, false, self.0)
    }
    fn mul<T: Float>(&mut self, x: T, y: T) -> T {
        mul(x, y, self.0)
    }
    fn div<T: Float>(&mut self, x: T, y: T) -> T {
        div(x, y, self.0)
    }
    fn cmul<T: Float>(&mut self, (ar, ai): (T, T), (br, bi): (T, T)) -> (T, T) {
        let re = {
            let (p, q) = (self.mul(ar, br), self.mul(ai, bi));
            self.sub(p, q)
        };
        let im = {
            let (p, q) = (self.mul(ar, bi), self.mul(ai, br));
            self.add(p, q)
        };
        (re, im)
    }
    /// Smith's algorithm, as NumPy's complex division loops.
    fn cdiv<T: Float>(&mut self, (ar, ai): (T, T), (br, bi): (T, T)) -> (T, T) {
        let (abs_br, abs_bi) = (br.abs(), bi.abs());
        // NumPy's `>=` below is a signalling comparison: a NaN operand raises invalid.
        if abs_br.is_nan() || abs_bi.is_nan() {
            self.0.invalid = true;
        }
        if abs_br >= abs_bi {
            if abs_br == T::zero() && abs_bi == T::zero() {
                return (self.div(ar, abs_br), self.div(ai, abs_br));
            }
            let rat = self.div(bi, br);
            let t = self.mul(bi, rat);
            let den = self.add(br, t);
            let scl = self.div(T::one(), den);
            let (t1, t2) = (self.mul(ai, rat), self.mul(ar, rat));
            let (n1, n2) = (self.add(ar, t1), self.sub(ai, t2));
            (self.mul(n1, scl), self.mul(n2, scl))
        } else {
            let rat = self.div(br, bi);
            let t = self.mul(br, rat);
            let den = self.add(bi, t);
            let scl = self.div(T::one(), den);
            let (t1, t2) = (self.mul(ar, rat), self.mul(ai, rat));
            let (n1, n2) = (self.add(t1, ai), self.sub(t2, ar));
            (self.mul(n1, scl), self.mul(n2, scl))
        }
    }
}

pub(crate) fn complex_binary<T: Float>(op: BinOp, a: (T, T), b: (T, T), fl: &mut FpFlags) -> (T, T) {
    let mut fe = Fe(fl);
    match op {
        BinOp::Add => (fe.add(a.0, b.0), fe.add(a.1, b.1)),
        BinOp::Sub => (fe.sub(a.0, b.0), fe.sub(a.1, b.1)),
        BinOp::Mul => fe.cmul(a, b),
        BinOp::TrueDiv => fe.cdiv(a, b),
        BinOp::Pow => cpow(&mut fe, a, b),
        BinOp::FloorDiv | BinOp::Rem => unreachable!("loop_dtype refuses complex // and %"),
    }
}

/// NumPy's `npy_cpow`: exact cases, repeated multiplication for small integer powers,
/// `exp(b·log(a))` otherwise.
fn cpow<T: Float>(fe: &mut Fe<'_>, a: (T, T), b: (T, T)) -> (T, T) {
    let (zero, one) = (T::zero(), T::one());
    let ((ar, ai), (br, bi)) = (a, b);
    if br == zero && bi == zero {
        return (one, zero);
    }
    if ar == zero && ai == zero {
        if br > zero {
            return (zero, zero);
        }
        fe.0.invalid = true;
        return (T::nan(), T::nan());
    }
    if bi == zero && br.is_nan() {
        // NumPy's `(npy_intp)br` conversion of a NaN exponent raises invalid.
        fe.0.invalid = true;
    }
    if bi == zero && br.trunc() == br && br.abs() < T::from(100).unwrap_or(one) {
        let n = br.to_i64().unwrap_or(0);
        match n {
            1 => return a,
            2 => return fe.cmul(a, a),
            3 => {
                let sq = fe.cmul(a, a);
                return fe.cmul(a, sq);
            }
            _ => {
                let mut k = n.unsigned_abs();
                let (mut acc, mut p) = ((one, zero), a);
                loop {
                    if k & 1 == 1 {
                        acc = fe.cmul(acc, p);
                    }
                    k >>= 1;
                    if k == 0 {
                        break;
                    }
                    p = fe.cmul(p, p);
                }
                return if n < 0 { fe.cdiv((one, zero), acc) } else { acc };
            }
        }
    }
    // The C library's cpow: cexp(b * clog(a)), with C99 Annex G multiplication and cexp.
    let arg = ai.atan2(ar);
    // libm's atan2 underflows when a tiny ratio `ai / ar` rounds to a tiny angle.
    if ai != zero && ar.is_finite() && arg.abs() < T::min_positive_value() {
        fe.0.underflow = true;
    }
    let log_a = (fe.log_abs(ar, ai), arg);
    let w = fe.cmul_c99(b, log_a);
    fe.cexp(w)
}

/// `x^2 + y^2 - 1` for `0.5 <= x < 1`, `y <= x` and a sum at least -0.5, with the error of
/// one final rounding (glibc's `__x2y2m1`): f64 splits both squares into exact high and low
/// parts and adds the five terms in order of magnitude with exact two-sums; f32 computes in
/// f64, where the squares and their sum are exact.
fn x2y2m1<T: Float>(x: T, y: T) -> T {
    let wide = |v: T| v.to_f64().unwrap_or(f64::NAN);
    if std::mem::size_of::<T>() < 8 {
        let (dx, dy) = (wide(x), wide(y));
        return T::from((dx - 1.0) * (dx + 1.0) + dy * dy).unwrap_or_else(T::nan);
    }
    let (x, y) = (wide(x), wide(y));
    let (xx, yy) = (x * x, y * y);
    let mut v = [x.mul_add(x, -xx), xx, y.mul_add(y, -yy), yy, -1.0];
    let by_magnitude = |a: &f64, b: &f64| a.abs().total_cmp(&b.abs());
    v.sort_by(by_magnitude);
    for i in 0..4 {
        // Fast2Sum: exact, as |v[i + 1]| >= |v[i]|.
        let hi = v[i + 1] + v[i];
        let lo = (v[i + 1] - hi) + v[i];
        (v[i + 1], v[i]) = (hi, lo);
        v[i + 1..].sort_by(by_magnitude);
    }
    T::from(v[4] + v[3] + v[2] + v[1] + v[0]).unwrap_or_else(T::nan)
}

impl Fe<'_> {
    /// `ln |ar + i ai|`, the real part of glibc's `clog` (which NumPy's `cpow` calls): near
    /// |a| = 1 through `log1p` of an accurately computed `|a|^2 - 1`, tiny and huge moduli
    /// scaled first, with the flags glibc raises on the way (the square of a tiny imaginary
    /// part next to a unit real part underflows).
    fn log_abs<T: Float>(&mut self, ar: T, ai: T) -> T {
        if ar.is_nan() || ai.is_nan() {
            return if ar.is_infinite() || ai.is_infinite() { T::infinity() } else { T::nan() };
        }
        let (one, half, two) = (T::one(), T::from(0.5).unwrap_or_else(T::nan), T::one() + T::one());
        let (eps, min, max) = (T::epsilon(), T::min_positive_value(), T::max_value());
        let (mut x, mut y) = (ar.abs(), ai.abs());
        if x < y {
            (x, y) = (y, x);
        }
        let mut scale = 0i32;
        if x > max / two {
            scale = -1;
            x = x / two;
            y = if y >= min * two { y / two } else { T::zero() };
        } else if x < min && y < min {
            // Both subnormal (or zero): scale by 2^mantissa digits, exactly.
            scale = if std::mem::size_of::<T>() < 8 { 24 } else { 53 };
            let up = two.powi(scale);
            (x, y) = (x * up, y * up);
        }
        if scale == 0 {
            if x == one {
                let r = self.mul(y, y).ln_1p() / two;
                // glibc forces the underflow of a tiny result.
                if r != T::zero() && r < min {
                    self.0.underflow = true;
                }
                return r;
            }
            if x > one && x < two && y < one {
                let mut d2m1 = (x - one) * (x + one);
                if y >= eps {
                    d2m1 = d2m1 + y * y;
                }
                return d2m1.ln_1p() / two;
            }
            if x < one && x >= half && y < eps / two {
                return ((x - one) * (x + one)).ln_1p() / two;
            }
            if x < one && x >= half && x * x + y * y >= half {
                return x2y2m1(x, y).ln_1p() / two;
            }
        }
        let ln2 = T::from(std::f64::consts::LN_2).unwrap_or_else(T::nan);
        x.hypot(y).ln() - T::from(scale).unwrap_or_else(T::zero) * ln2
    }
}

impl Fe<'_> {
    /// C99 Annex G complex multiplication (GCC's `__muldc3`): infinities survive
    /// `inf × finite` products that the plain formula turns into NaN.
    fn cmul_c99<T: Float>(&mut self, (a, b): (T, T), (c, d): (T, T)) -> (T, T) {
        let (ac, bd, ad, bc) = (self.mul(a, c), self.mul(b, d), self.mul(a, d), self.mul(b, c));
        let (x, y) = (self.sub(ac, bd), self.add(ad, bc));
        if !(x.is_nan() && y.is_nan()) {
            return (x, y);
        }
        let (zero, one) = (T::zero(), T::one());
        let box_inf = |v: T| if v.is_infinite() { one.copysign(v) } else { zero.copysign(v) };
        let nan_to_zero = |v: T| if v.is_nan() { zero.copysign(v) } else { v };
        let (mut a, mut b, mut c, mut d) = (a, b, c, d);
        let mut recalc = false;
        if a.is_infinite() || b.is_infinite() {
            (a, b, c, d) = (box_inf(a), box_inf(b), nan_to_zero(c), nan_to_zero(d));
            recalc = true;
        }
        if c.is_infinite() || d.is_infinite() {
            (c, d, a, b) = (box_inf(c), box_inf(d), nan_to_zero(a), nan_to_zero(b));
            recalc = true;
        }
        if !recalc && (ac.is_infinite() || bd.is_infinite() || ad.is_infinite() || bc.is_infinite()) {
            (a, b, c, d) = (nan_to_zero(a), nan_to_zero(b), nan_to_zero(c), nan_to_zero(d));
            recalc = true;
        }
        if recalc {
            // The boxed products are finite; `inf × 0` in the scaling raises invalid.
            let inf = T::infinity();
            return (self.mul(inf, a * c - b * d), self.mul(inf, a * d + b * c));
        }
        (x, y)
    }

    /// `exp(x + iy)` with C99 Annex G's special values.
    fn cexp<T: Float>(&mut self, (x, y): (T, T)) -> (T, T) {
        let (zero, nan) = (T::zero(), T::nan());
        if x.is_infinite() {
            if y == zero {
                return (if x > zero { x } else { zero }, y);
            }
            if !y.is_finite() {
                if x < zero {
                    // glibc: a zero whose imaginary part has the sign of `y` (NaN included).
                    return (zero, zero.copysign(y));
                }
                if y.is_infinite() {
                    self.0.invalid = true;
                }
                return (x, nan);
            }
            let m = if x > zero { x } else { zero };
            return (m * y.cos(), m * y.sin());
        }
        if x.is_nan() {
            return (nan, if y == zero { y } else { nan });
        }
        if !y.is_finite() {
            // glibc raises invalid for a NaN imaginary part too.
            self.0.invalid = true;
            return (nan, nan);
        }
        let m = check(x.exp(), x, zero, false, self.0);
        // The C library's `exp` raises underflow for every tiny result of a finite input
        // (such a result is never exact), zero included.
        let min = T::min_positive_value();
        if m < min {
            self.0.underflow = true;
        }
        if y == zero {
            return (m, y);
        }
        let (c, s) = (y.cos(), y.sin());
        let r = (self.mul(m, c), self.mul(m, s));
        // glibc's `cexp` ends by forcing underflow for a subnormal part, exact or not.
        let sub = |v: T| v != zero && v.abs() < min;
        if sub(r.0) || sub(r.1) {
            self.0.underflow = true;
        }
        r
    }
}
