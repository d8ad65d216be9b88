//! Element operations of every ufunc for every element type, with NumPy's semantics:
//! integers wrap (division by zero gives 0 and a "divide by zero" flag), float16
//! computes through float32 and rounds once, complex division is Smith's algorithm and
//! complex powers `npy_cpow` (both shared with `scalar_ops`), maximum/minimum propagate
//! NaN, fmax/fmin ignore it, shifts by the type's width or more give 0 (or -1).
//!
//! Each operation is a unit struct implementing [`Bin`]/[`Un`]/[`Bin2`] per element type.

#![allow(clippy::float_cmp, reason = "exact comparisons are the operations")]
#![allow(unused_comparisons, reason = "one macro body serves signed and unsigned integers")]

use half::f16;
use num_complex::Complex;

use super::cmath;

use super::loops::{Bin, Bin2, Un};
use super::vmath_hook;
use super::Status;
use crate::fpe::FpFlags;
use crate::kernels::cast::CastFrom;
use crate::kernels::compare::{complex_order_signals, CmpElem};
use crate::kernels::Bool;
use crate::scalar_ops::float::{complex_binary, divmod, float_binary};
use crate::scalar_ops::BinOp;

type C32 = Complex<f32>;
type C64 = Complex<f64>;

macro_rules! unit {
    ($($name:ident),*) => {$(
        #[doc = concat!("The `", stringify!($name), "` operation.")]
        pub(crate) struct $name;
    )*};
}
unit!(
    Add, Sub, Mul, TrueDiv, FloorDiv, Rem, Fmod, Pow, Arctan2, Hypot, Copysign, Maximum, Minimum, Fmax, Fmin, BitAnd,
    BitOr, BitXor, LShift, RShift, Eq, Ne, Lt, Le, Gt, Ge, LAnd, LOr, LXor, DivMod, Neg, Pos, Abs, Sign, Square, Recip,
    Conj, Floor, Ceil, Trunc, Rint, Sqrt, Cbrt, Exp, Exp2, Expm1, Log, Log2, Log10, Log1p, Sin, Cos, Tan, Asin, Acos,
    Atan, Sinh, Cosh, Tanh, Asinh, Acosh, Atanh, Deg2rad, Rad2deg, Isnan, Isinf, Isfinite, Signbit, LNot, Invert,
    LogAddExp, LogAddExp2, Heaviside, NextAfter, Spacing, Gcd, Lcm
);

/// Rounds a float32 result to float16, flagging overflow to infinity.
#[inline(always)]
pub(crate) fn h(x: f32, st: &mut Status) -> f16 {
    let r = f16::from_f32(x);
    if r.is_infinite() && x.is_finite() {
        st.flags.overflow = true;
    }
    r
}

#[inline(always)]
fn b(x: bool) -> Bool {
    Bool(x as u8)
}

/// NumPy's truth value of an element.
trait Truthy: Copy {
    fn truthy(self) -> bool;
}
macro_rules! truthy {
    ($($t:ty => |$x:ident| $e:expr),*) => {$( impl Truthy for $t { #[inline(always)] fn truthy(self) -> bool { let $x = self; $e } } )*};
}
truthy!(
    i8 => |x| x != 0, i16 => |x| x != 0, i32 => |x| x != 0, i64 => |x| x != 0,
    u8 => |x| x != 0, u16 => |x| x != 0, u32 => |x| x != 0, u64 => |x| x != 0,
    f32 => |x| x != 0.0, f64 => |x| x != 0.0, f16 => |x| x.to_bits() & 0x7fff != 0,
    Bool => |x| x.0 != 0, C32 => |x| x.re != 0.0 || x.im != 0.0, C64 => |x| x.re != 0.0 || x.im != 0.0
);

macro_rules! bin {
    ($op:ident: $($t:ty),* => |$a:ident, $b:ident, $st:ident| $e:expr) => {$(
        impl Bin<$t> for $op {
            type O = $t;
            #[inline(always)]
            #[allow(unused_variables)]
            fn f($a: $t, $b: $t, $st: &mut Status) -> $t { $e }
        }
    )*};
}
macro_rules! bin_bool {
    ($op:ident: $($t:ty),* => |$a:ident, $b:ident| $e:expr) => {$(
        impl Bin<$t> for $op {
            type O = Bool;
            #[inline(always)]
            fn f($a: $t, $b: $t, _: &mut Status) -> Bool { b($e) }
        }
    )*};
}
macro_rules! un {
    ($op:ident: $($t:ty),* => |$a:ident, $st:ident| $e:expr) => {$(
        impl Un<$t> for $op {
            type O = $t;
            #[inline(always)]
            #[allow(unused_variables)]
            fn f($a: $t, $st: &mut Status) -> $t { $e }
        }
    )*};
}

/// Complex elementary functions: `cmath`'s Annex G special values and overflow-free forms.
macro_rules! complex_un {
    ($op:ident: $f:path) => {
        un!($op: C32, C64 => |x, st| { let (re, im) = $f((x.re, x.im)); Complex::new(re, im) });
    };
}
macro_rules! un_bool {
    ($op:ident: $($t:ty),* => |$a:ident| $e:expr) => {$(
        impl Un<$t> for $op {
            type O = Bool;
            #[inline(always)]
            fn f($a: $t, _: &mut Status) -> Bool { b($e) }
        }
    )*};
}

macro_rules! ints { ($m:ident!($($x:tt)*)) => { $m!($($x)* i8, i16, i32, i64, u8, u16, u32, u64 => ); }; }

// ---- arithmetic -------------------------------------------------------------------------

bin!(Add: i8, i16, i32, i64, u8, u16, u32, u64 => |x, y, st| x.wrapping_add(y));
bin!(Sub: i8, i16, i32, i64, u8, u16, u32, u64 => |x, y, st| x.wrapping_sub(y));
bin!(Mul: i8, i16, i32, i64, u8, u16, u32, u64 => |x, y, st| x.wrapping_mul(y));
bin!(Add: f32, f64, C32, C64 => |x, y, st| x + y);
bin!(Sub: f32, f64, C32, C64 => |x, y, st| x - y);
bin!(Mul: f32, f64 => |x, y, st| x * y);
bin!(Mul: C32, C64 => |x, y, st| x.re.cmul_plain(x.im, y));
/// Complex multiplication as NumPy's SIMD loops compute it on CPUs with FMA (`muladdsub`
/// of `a.re * b` and the rounded `a.im * b` swapped): one product of each part is fused.
/// Only instantiated in loops compiled with FMA (see [`super::loops::bin_fma`]).
pub(crate) struct MulFused;
bin!(MulFused: C32, C64 => |x, y, st| cmul_fused(x, y));

/// NumPy's plain complex product `(ar*br - ai*bi, ar*bi + ai*br)` (its scalar loop, its
/// product reductions, and every loop on CPUs without FMA), as `a.re.cmul_plain(a.im, b)`.
///
/// On x86-64 the six operations are one `asm!` block of scalar SSE instructions. Written
/// as Rust, the compiler pairs the two parts into vector operations; where it does not emit
/// SSE3's `addsubpd` (even with SSE3 enabled it sometimes does not, in unrolled loops) it
/// subtracts and adds whole vectors and keeps one lane of each, and the lanes it throws away
/// (`ar*bi - ai*br`, `ar*br + ai*bi`) raise "invalid" (`inf - inf`) for products whose own
/// parts only overflow, where NumPy warns of the overflow alone. The block also fixes each
/// operation's operand order, which decides the sign of a NaN made from two NaNs.
pub(crate) trait CmulPlain: Sized {
    /// `Complex::new(re, im) * b`, NumPy's plain formula.
    fn cmul_plain(self, im: Self, b: Complex<Self>) -> Complex<Self>;
}

macro_rules! cmul_plain {
    ($t:ty, $mul:literal, $sub:literal, $add:literal, $mov:literal) => {
        impl CmulPlain for $t {
            #[inline(always)]
            fn cmul_plain(self, im: $t, b: Complex<$t>) -> Complex<$t> {
                #[cfg(target_arch = "x86_64")]
                {
                    let (mut re_out, mut im_out) = (self, self);
                    // SAFETY: register-only scalar SSE/SSE2 arithmetic (x86-64's baseline):
                    // no memory, no stack, and no flags but MXCSR's status bits, which the
                    // operations set exactly as the same Rust arithmetic would.
                    unsafe {
                        std::arch::asm!(
                            concat!($mul, " {re}, {br}"),  // re = ar * br
                            concat!($mul, " {im}, {bi}"),  // im = ar * bi
                            concat!($mov, " {t}, {ai}"),
                            concat!($mul, " {t}, {bi}"),   // t = ai * bi
                            concat!($sub, " {re}, {t}"),   // re = ar*br - ai*bi
                            concat!($mov, " {t}, {ai}"),
                            concat!($mul, " {t}, {br}"),   // t = ai * br
                            concat!($add, " {im}, {t}"),   // im = ar*bi + ai*br
                            re = inout(xmm_reg) re_out,
                            im = inout(xmm_reg) im_out,
                            t = out(xmm_reg) _,
                            ai = in(xmm_reg) im,
                            br = in(xmm_reg) b.re,
                            bi = in(xmm_reg) b.im,
                            options(pure, nomem, nostack, preserves_flags),
                        );
                    }
                    Complex::new(re_out, im_out)
                }
                #[cfg(not(target_arch = "x86_64"))]
                {
                    Complex::new(self * b.re - im * b.im, self * b.im + im * b.re)
                }
            }
        }
    };
}
cmul_plain!(f32, "mulss", "subss", "addss", "movaps");
cmul_plain!(f64, "mulsd", "subsd", "addsd", "movapd");

/// `x * y` with one product of each part fused, as NumPy's SIMD loops (`MulFused`,
/// `SquareFused`, and the rows of a complex product reduction).
#[inline(always)]
pub(crate) fn cmul_fused<F: num_traits::Float>(x: Complex<F>, y: Complex<F>) -> Complex<F> {
    Complex::new(x.re.mul_add(y.re, -(x.im * y.im)), x.re.mul_add(y.im, x.im * y.re))
}
bin!(TrueDiv: f32, f64 => |x, y, st| x / y);
bin!(Add: Bool => |x, y, st| b(x.0 != 0 || y.0 != 0));
bin!(Mul: Bool => |x, y, st| b(x.0 != 0 && y.0 != 0));
bin!(Add: f16 => |x, y, st| h(x.to_f32() + y.to_f32(), st));
bin!(Sub: f16 => |x, y, st| h(x.to_f32() - y.to_f32(), st));
bin!(Mul: f16 => |x, y, st| h(x.to_f32() * y.to_f32(), st));
bin!(TrueDiv: f16 => |x, y, st| h(x.to_f32() / y.to_f32(), st));

macro_rules! complex_via {
    ($op:ident, $bop:expr; $($t:ty),*) => {$(
        impl Bin<Complex<$t>> for $op {
            type O = Complex<$t>;
            #[inline(always)]
            fn f(x: Complex<$t>, y: Complex<$t>, st: &mut Status) -> Complex<$t> {
                let (re, im) = complex_binary($bop, (x.re, x.im), (y.re, y.im), &mut st.flags);
                Complex::new(re, im)
            }
        }
    )*};
}
complex_via!(TrueDiv, BinOp::TrueDiv; f32, f64);
complex_via!(Pow, BinOp::Pow; f32, f64);

macro_rules! int_div {
    ($($t:ty),* =>) => {$(
        impl Bin<$t> for FloorDiv {
            type O = $t;
            #[inline(always)]
            fn f(x: $t, y: $t, st: &mut Status) -> $t {
                match x.checked_div(y) {
                    None if y == 0 => { st.flags.divide = true; 0 }
                    None => { st.flags.overflow = true; <$t>::MIN }
                    Some(q) => if x.wrapping_rem(y) != 0 && ((x < 0) != (y < 0)) { q - 1 } else { q },
                }
            }
        }
        impl Bin<$t> for Rem {
            type O = $t;
            #[inline(always)]
            fn f(x: $t, y: $t, st: &mut Status) -> $t {
                if y == 0 { st.flags.divide = true; return 0; }
                let r = x.wrapping_rem(y);
                if r != 0 && ((r < 0) != (y < 0)) { r.wrapping_add(y) } else { r }
            }
        }
        impl Bin<$t> for Fmod {
            type O = $t;
            #[inline(always)]
            fn f(x: $t, y: $t, st: &mut Status) -> $t {
                if y == 0 { st.flags.divide = true; return 0; }
                x.wrapping_rem(y)
            }
        }
        impl Bin2<$t> for DivMod {
            #[inline(always)]
            fn f(x: $t, y: $t, st: &mut Status) -> ($t, $t) {
                if y == 0 { st.flags.divide = true; return (0, 0); }
                (<FloorDiv as Bin<$t>>::f(x, y, st), <Rem as Bin<$t>>::f(x, y, st))
            }
        }
        impl Bin<$t> for Pow {
            type O = $t;
            #[inline(always)]
            fn f(x: $t, y: $t, st: &mut Status) -> $t {
                if y < 0 { st.negative_power = true; return 0; }
                let (mut base, mut e, mut acc) = (x, y, 1 as $t);
                while e > 0 {
                    if e & 1 == 1 { acc = acc.wrapping_mul(base); }
                    base = base.wrapping_mul(base);
                    e >>= 1;
                }
                acc
            }
        }
        impl Bin<$t> for LShift {
            type O = $t;
            #[inline(always)]
            fn f(x: $t, y: $t, _: &mut Status) -> $t {
                if (y as u64) < <$t>::BITS as u64 { x.wrapping_shl(y as u32) } else { 0 }
            }
        }
        impl Bin<$t> for RShift {
            type O = $t;
            #[inline(always)]
            fn f(x: $t, y: $t, _: &mut Status) -> $t {
                if (y as u64) < <$t>::BITS as u64 { x.wrapping_shr(y as u32) } else if x < 0 { (0 as $t).wrapping_sub(1) } else { 0 }
            }
        }
    )*};
}
ints!(int_div!());

macro_rules! float_div {
    ($($t:ty),*) => {$(
        impl Bin<$t> for FloorDiv {
            type O = $t;
            #[inline(always)]
            fn f(x: $t, y: $t, st: &mut Status) -> $t { float_binary(BinOp::FloorDiv, x, y, false, &mut st.flags) }
        }
        impl Bin<$t> for Rem {
            type O = $t;
            #[inline(always)]
            fn f(x: $t, y: $t, st: &mut Status) -> $t { float_binary(BinOp::Rem, x, y, false, &mut st.flags) }
        }
        impl Bin2<$t> for DivMod {
            #[inline(always)]
            fn f(x: $t, y: $t, st: &mut Status) -> ($t, $t) {
                if y == 0.0 {
                    (float_binary(BinOp::FloorDiv, x, y, false, &mut st.flags), float_binary(BinOp::Rem, x, y, false, &mut st.flags))
                } else {
                    divmod(x, y, &mut st.flags)
                }
            }
        }
    )*};
}
float_div!(f32, f64);
impl Bin<f16> for FloorDiv {
    type O = f16;
    fn f(x: f16, y: f16, st: &mut Status) -> f16 {
        h(float_binary(BinOp::FloorDiv, x.to_f32(), y.to_f32(), false, &mut st.flags), st)
    }
}
impl Bin<f16> for Rem {
    type O = f16;
    fn f(x: f16, y: f16, st: &mut Status) -> f16 {
        h(float_binary(BinOp::Rem, x.to_f32(), y.to_f32(), false, &mut st.flags), st)
    }
}
impl Bin2<f16> for DivMod {
    fn f(x: f16, y: f16, st: &mut Status) -> (f16, f16) {
        let (q, r) = <DivMod as Bin2<f32>>::f(x.to_f32(), y.to_f32(), st);
        (h(q, st), h(r, st))
    }
}

/// Binary float functions on f32/f64 and float16 through float32.
macro_rules! float_bin {
    ($op:ident: |$x:ident, $y:ident| $e:expr) => {
        float_bin!($op: |$x, $y| $e; half: $e);
    };
    // A float16 rule of its own (NumPy's half loops are scalar C, its float/double loops SIMD).
    ($op:ident: |$x:ident, $y:ident| $e:expr; half: $h:expr) => {
        bin!($op: f32, f64 => |$x, $y, st| $e);
        impl Bin<f16> for $op {
            type O = f16;
            #[inline(always)]
            fn f(a: f16, c: f16, st: &mut Status) -> f16 {
                let ($x, $y) = (a.to_f32(), c.to_f32());
                h($h, st)
            }
        }
    };
}
float_bin!(Fmod: |x, y| x % y);
float_bin!(Pow: |x, y| x.powf(y));
float_bin!(Arctan2: |x, y| x.atan2(y));
float_bin!(Hypot: |x, y| x.hypot(y));
float_bin!(Copysign: |x, y| x.copysign(y));
// Ties (signed zeros): NumPy's float/double SIMD loops give the second operand, its half
// loop (`npy_half_ge(a, b) || isnan(a) ? a : b`) the first.
float_bin!(Maximum: |x, y| if x > y || x.is_nan() { x } else { y }; half: if x >= y || x.is_nan() { x } else { y });
float_bin!(Minimum: |x, y| if x < y || x.is_nan() { x } else { y }; half: if x <= y || x.is_nan() { x } else { y });
float_bin!(Fmax: |x, y| if x >= y || y.is_nan() { x } else { y });
float_bin!(Fmin: |x, y| if x <= y || y.is_nan() { x } else { y });

/// NumPy's `npy_logaddexp` (`log2 == false`) or `npy_logaddexp2`: equal arguments (equal
/// infinities among them) give `x + ln 2` (`x + 1`), else the larger plus the log of one
/// plus the exponential of the (negative) difference. A NaN argument raises "invalid", as
/// the C `>` comparison NumPy's build makes of it signals.
#[inline(always)]
fn logaddexp<F: num_traits::Float + num_traits::FloatConst>(x: F, y: F, log2: bool, st: &mut Status) -> F {
    if x == y {
        return x + if log2 { F::one() } else { F::LN_2() };
    }
    let d = x - y;
    let tail = |t: F| if log2 { F::LOG2_E() * t.exp2().ln_1p() } else { t.exp().ln_1p() };
    if d > F::zero() {
        x + tail(-d)
    } else if d <= F::zero() {
        y + tail(d)
    } else {
        st.flags.invalid = true;
        d
    }
}
macro_rules! logaddexp {
    ($($op:ident => $log2:expr),*) => {$(
        bin!($op: f32, f64 => |x, y, st| logaddexp(x, y, $log2, st));
        impl Bin<f16> for $op {
            type O = f16;
            #[inline(always)]
            fn f(x: f16, y: f16, st: &mut Status) -> f16 {
                h(logaddexp(x.to_f32(), y.to_f32(), $log2, st), st)
            }
        }
    )*};
}
logaddexp!(LogAddExp => false, LogAddExp2 => true);
// NumPy's `npy_heaviside`: NaN (the positive default NaN) for NaN, `h0` at zero.
float_bin!(Heaviside: |x, y| if x.is_nan() { num_traits::Float::nan() } else if x == 0.0 { y } else if x < 0.0 { 0.0 } else { 1.0 });

/// C's `nextafter` as glibc computes it: NaN for a NaN argument (`x + y`, which NumPy's
/// build evaluates so that `y`'s NaN wins when both are NaN), `y` when equal, else one
/// step of the bit pattern towards `y`; overflow to infinity and a subnormal result raise
/// their flags.
macro_rules! nextafter {
    ($($t:ty => $quiet:expr),*) => {$(
        impl Bin<$t> for NextAfter {
            type O = $t;
            #[inline(always)]
            fn f(x: $t, y: $t, st: &mut Status) -> $t {
                if x.is_nan() || y.is_nan() {
                    let sum = x + y;
                    return if y.is_nan() { <$t>::from_bits(y.to_bits() | $quiet) } else { sum };
                }
                if x == y {
                    return y;
                }
                let r = if x == 0.0 {
                    <$t>::from_bits(1).copysign(y)
                } else if (y > x) == (x > 0.0) {
                    <$t>::from_bits(x.to_bits() + 1)
                } else {
                    <$t>::from_bits(x.to_bits() - 1)
                };
                st.flags.overflow |= r.is_infinite();
                st.flags.underflow |= r != 0.0 && !r.is_normal();
                r
            }
        }
    )*};
}
nextafter!(f32 => 1 << 22, f64 => 1 << 51);
/// NumPy's `npy_half_nextafter`: the default NaN for a NaN argument, `x` when equal (so
/// `nextafter(0, -0)` is `0`), else one step of the bit pattern (overflow flagged).
impl Bin<f16> for NextAfter {
    type O = f16;
    #[inline(always)]
    fn f(x: f16, y: f16, st: &mut Status) -> f16 {
        if x.is_nan() || y.is_nan() {
            return f16::NAN;
        }
        if x == y {
            return x;
        }
        let (xb, yb) = (x.to_bits(), y.to_bits());
        // Positive x steps down when above y (y negative reads as a negative i16); negative
        // x steps towards zero when y is positive or smaller in magnitude.
        let down = if xb & 0x8000 == 0 {
            (xb as i16) > (yb as i16)
        } else {
            yb & 0x8000 == 0 || (xb & 0x7fff) > (yb & 0x7fff)
        };
        let r = f16::from_bits(if xb & 0x7fff == 0 {
            (yb & 0x8000) + 1
        } else if down {
            xb - 1
        } else {
            xb + 1
        });
        st.flags.overflow |= r.is_infinite() && x.is_finite();
        r
    }
}

/// NumPy's `npy_spacing`: the distance from `x` to the next float away from zero (from a
/// zero of either sign, the smallest positive subnormal), NaN for infinities.
macro_rules! spacing {
    ($($t:ty),*) => {$(
        impl Un<$t> for Spacing {
            type O = $t;
            #[inline(always)]
            fn f(x: $t, st: &mut Status) -> $t {
                if x.is_infinite() {
                    return <$t>::NAN;
                }
                let toward = if x < 0.0 { <$t>::NEG_INFINITY } else { <$t>::INFINITY };
                <NextAfter as Bin<$t>>::f(x, toward, st) - x
            }
        }
    )*};
}
spacing!(f32, f64);
/// NumPy's `npy_half_spacing`: always positive; for a negative power of two the spacing
/// below it; NaN ("invalid") for infinities and NaN, infinity ("overflow") for the largest
/// finite value.
impl Un<f16> for Spacing {
    type O = f16;
    #[inline(always)]
    fn f(x: f16, st: &mut Status) -> f16 {
        let h = x.to_bits();
        let (exp, sig) = (h & 0x7c00, h & 0x03ff);
        f16::from_bits(if exp == 0x7c00 {
            st.flags.invalid = true;
            0x7e00
        } else if h == 0x7bff {
            st.flags.overflow = true;
            0x7c00
        } else if h & 0x8000 != 0 && sig == 0 {
            if exp > 0x2c00 {
                exp - 0x2c00
            } else if exp > 0x0400 {
                1 << ((exp >> 10) - 2)
            } else {
                1
            }
        } else if exp > 0x2800 {
            exp - 0x2800
        } else if exp > 0x0400 {
            1 << ((exp >> 10) - 1)
        } else {
            1
        })
    }
}

/// NumPy's `npy_gcd`/`npy_lcm`: Euclid on the magnitudes (the most negative value's
/// magnitude taken modulo the type), the least common multiple `a / gcd * b` wrapping, the
/// result cast back to the type.
fn gcd_u64(mut a: u64, mut b: u64) -> u64 {
    while a != 0 {
        (a, b) = (b % a, a);
    }
    b
}
macro_rules! gcd_lcm {
    ($($t:ty => $magnitude:expr),*) => {$(
        bin!(Gcd: $t => |x, y, st| gcd_u64($magnitude(x), $magnitude(y)) as $t);
        bin!(Lcm: $t => |x, y, st| {
            let (a, c) = ($magnitude(x), $magnitude(y));
            let g = gcd_u64(a, c);
            if g == 0 { 0 } else { (a / g).wrapping_mul(c) as $t }
        });
    )*};
}
gcd_lcm!(
    i8 => |v: i8| u64::from(v.unsigned_abs()), i16 => |v: i16| u64::from(v.unsigned_abs()),
    i32 => |v: i32| u64::from(v.unsigned_abs()), i64 => |v: i64| v.unsigned_abs(),
    u8 => u64::from, u16 => u64::from, u32 => u64::from, u64 => |v: u64| v
);

bin!(Maximum: i8, i16, i32, i64, u8, u16, u32, u64, Bool => |x, y, st| if x >= y { x } else { y });
bin!(Minimum: i8, i16, i32, i64, u8, u16, u32, u64, Bool => |x, y, st| if x <= y { x } else { y });
bin!(Fmax: i8, i16, i32, i64, u8, u16, u32, u64, Bool => |x, y, st| if x >= y { x } else { y });
bin!(Fmin: i8, i16, i32, i64, u8, u16, u32, u64, Bool => |x, y, st| if x <= y { x } else { y });

macro_rules! complex_minmax {
    ($($t:ty),*) => {$(
        bin!(Maximum: Complex<$t> => |x, y, st| if <Complex<$t>>::le(y, x) || x.re.is_nan() || x.im.is_nan() { x } else { y });
        bin!(Minimum: Complex<$t> => |x, y, st| if <Complex<$t>>::le(x, y) || x.re.is_nan() || x.im.is_nan() { x } else { y });
        bin!(Fmax: Complex<$t> => |x, y, st| if <Complex<$t>>::le(y, x) || y.re.is_nan() || y.im.is_nan() { x } else { y });
        bin!(Fmin: Complex<$t> => |x, y, st| if <Complex<$t>>::le(x, y) || y.re.is_nan() || y.im.is_nan() { x } else { y });
    )*};
}
complex_minmax!(f32, f64);

bin!(BitAnd: i8, i16, i32, i64, u8, u16, u32, u64 => |x, y, st| x & y);
bin!(BitOr: i8, i16, i32, i64, u8, u16, u32, u64 => |x, y, st| x | y);
bin!(BitXor: i8, i16, i32, i64, u8, u16, u32, u64 => |x, y, st| x ^ y);
bin!(BitAnd: Bool => |x, y, st| b(x.0 != 0 && y.0 != 0));
bin!(BitOr: Bool => |x, y, st| b(x.0 != 0 || y.0 != 0));
bin!(BitXor: Bool => |x, y, st| b((x.0 != 0) != (y.0 != 0)));

// ---- comparisons and logic ---------------------------------------------------------------

macro_rules! cmp_one {
    ($t:ty) => {
        bin_bool!(Eq: $t => |x, y| <$t as CmpElem>::eq(x, y));
        bin_bool!(Ne: $t => |x, y| !<$t as CmpElem>::eq(x, y));
        bin_bool!(LAnd: $t => |x, y| x.truthy() && y.truthy());
        bin_bool!(LOr: $t => |x, y| x.truthy() || y.truthy());
        bin_bool!(LXor: $t => |x, y| x.truthy() != y.truthy());
        un_bool!(LNot: $t => |x| !x.truthy());
    };
}
macro_rules! cmp_all {
    ($($t:ty),*) => {$( cmp_one!($t); )*};
}
cmp_all!(Bool, i8, i16, i32, i64, u8, u16, u32, u64, f16, f32, f64, C32, C64);
// Real orderings are quiet, as NumPy's loops (SIMD compares that do not signal, or a
// cleared status word for float16).
macro_rules! order_real {
    ($($t:ty),*) => {$(
        bin_bool!(Lt: $t => |x, y| <$t as CmpElem>::lt(x, y));
        bin_bool!(Le: $t => |x, y| <$t as CmpElem>::le(x, y));
        bin_bool!(Gt: $t => |x, y| <$t as CmpElem>::lt(y, x));
        bin_bool!(Ge: $t => |x, y| <$t as CmpElem>::le(y, x));
    )*};
}
order_real!(Bool, i8, i16, i32, i64, u8, u16, u32, u64, f16, f32, f64);

macro_rules! order_complex {
    ($($op:ident => |$x:ident, $y:ident| $e:expr),*) => {$(
        impl<T: num_traits::Float> Bin<Complex<T>> for $op
        where
            Complex<T>: CmpElem,
        {
            type O = Bool;
            #[inline(always)]
            fn f($x: Complex<T>, $y: Complex<T>, st: &mut Status) -> Bool {
                st.flags.invalid |= complex_order_signals($x, $y);
                b($e)
            }
        }
    )*};
}
order_complex!(
    Lt => |x, y| <Complex<T> as CmpElem>::lt(x, y),
    Le => |x, y| <Complex<T> as CmpElem>::le(x, y),
    Gt => |x, y| <Complex<T> as CmpElem>::lt(y, x),
    Ge => |x, y| <Complex<T> as CmpElem>::le(y, x)
);

macro_rules! mixed_cmp {
    ($($op:ident => $cmp:tt),*) => {$(
        impl Bin<i64, u64> for $op {
            type O = Bool;
            #[inline(always)]
            fn f(x: i64, y: u64, _: &mut Status) -> Bool { b((x as i128) $cmp (y as i128)) }
        }
        impl Bin<u64, i64> for $op {
            type O = Bool;
            #[inline(always)]
            fn f(x: u64, y: i64, _: &mut Status) -> Bool { b((x as i128) $cmp (y as i128)) }
        }
    )*};
}
mixed_cmp!(Eq => ==, Ne => !=, Lt => <, Le => <=, Gt => >, Ge => >=);

// ---- unary ------------------------------------------------------------------------------

un!(Neg: i8, i16, i32, i64, u8, u16, u32, u64 => |x, st| x.wrapping_neg());
un!(Neg: f32, f64, C32, C64 => |x, st| -x);
un!(Neg: f16 => |x, st| -x);
un!(Pos: i8, i16, i32, i64, u8, u16, u32, u64, f16, f32, f64, C32, C64 => |x, st| x);
un!(Abs: Bool, u8, u16, u32, u64 => |x, st| x);
un!(Abs: i8, i16, i32, i64 => |x, st| x.wrapping_abs());
un!(Abs: f32, f64 => |x, st| x.abs());
un!(Abs: f16 => |x, st| f16::from_bits(x.to_bits() & 0x7fff));
impl Un<C32> for Abs {
    type O = f32;
    #[inline(always)]
    fn f(x: C32, _: &mut Status) -> f32 {
        x.re.hypot(x.im)
    }
}
impl Un<C64> for Abs {
    type O = f64;
    #[inline(always)]
    fn f(x: C64, _: &mut Status) -> f64 {
        x.re.hypot(x.im)
    }
}

/// `|z|` as NumPy's SIMD absolute loop computes it on CPUs with FMA (its scalar fallback,
/// [`Abs`], is libm's `hypot`): an infinite part makes both infinite, a NaN part both NaN,
/// then `larger * sqrt(fma(ratio, ratio, 1))` with `ratio = smaller / larger` (0 when
/// `larger` is 0 or `smaller` infinite). Not correctly rounded; NumPy runs it for inputs
/// with non-negative strides and reports no flags from it (see `loops::un_fma`).
pub(crate) struct AbsFused;
macro_rules! abs_fused {
    ($($c:ty => $t:ty),*) => {$(
        impl Un<$c> for AbsFused {
            type O = $t;
            #[inline(always)]
            fn f(x: $c, _: &mut Status) -> $t {
                let (inf, nan) = (<$t>::INFINITY, <$t>::NAN);
                let (re, im) = (x.re.abs(), x.im.abs());
                let (re_inf, im_inf) = (re == inf, im == inf);
                let (re, im) = (if im_inf { inf } else { re }, if re_inf { inf } else { im });
                let (re_nan, im_nan) = (re.is_nan(), im.is_nan());
                let (re, im) = (if im_nan { nan } else { re }, if re_nan { nan } else { im });
                let (larger, smaller) = if re > im { (re, im) } else { (im, re) };
                // The operands of a skipped division are chosen first (0 / 1), so that no
                // lane divides 0 by 0 or inf by inf and raises a flag NumPy's masked
                // division does not.
                let divide = !(larger == 0.0 || smaller == inf);
                let ratio = (if divide { smaller } else { 0.0 }) / (if divide { larger } else { 1.0 });
                ratio.mul_add(ratio, 1.0).sqrt() * larger
            }
        }
    )*};
}
abs_fused!(C32 => f32, C64 => f64);
un!(Sign: i8, i16, i32, i64 => |x, st| x.signum());
un!(Sign: u8, u16, u32, u64 => |x, st| (x > 0) as _);
un!(Sign: f32, f64 => |x, st| if x > 0.0 { 1.0 } else if x < 0.0 { -1.0 } else if x == 0.0 { 0.0 } else { x });
un!(Sign: f16 => |x, st| { let v = x.to_f32(); if v > 0.0 { f16::ONE } else if v < 0.0 { f16::NEG_ONE } else if v == 0.0 { f16::ZERO } else { x } });
complex_un!(Sign: cmath::sign);
un!(Square: i8, i16, i32, i64, u8, u16, u32, u64 => |x, st| x.wrapping_mul(x));
un!(Square: f32, f64 => |x, st| x * x);
un!(Square: f16 => |x, st| { let v = x.to_f32(); h(v * v, st) });
un!(Square: C32, C64 => |x, st| x.re.cmul_plain(x.im, x));
/// Complex square as NumPy's SIMD loops compute it on CPUs with FMA ([`MulFused`] of `x, x`).
pub(crate) struct SquareFused;
un!(SquareFused: C32, C64 => |x, st| cmul_fused(x, x));
macro_rules! int_recip {
    ($($t:ty),* =>) => {$(
        un!(Recip: $t => |x, st| {
            if x == 0 {
                st.flags.divide = true;
                st.flags.invalid = true;
            }
            <$t as CastFrom<f64>>::cast_from(1.0 / x as f64)
        });
    )*};
}
ints!(int_recip!());
un!(Recip: f32, f64 => |x, st| 1.0 / x);
un!(Recip: f16 => |x, st| h(1.0 / x.to_f32(), st));
// NumPy's loop compares the parts' magnitudes with a signalling `<=`: a NaN part raises
// "invalid" (Rust's comparisons are quiet, so it is raised here).
un!(Recip: C32, C64 => |x, st| {
    st.flags.invalid |= x.re.is_nan() || x.im.is_nan();
    let (re, im) = cmath::reciprocal((x.re, x.im));
    Complex::new(re, im)
});
un!(Conj: i8, i16, i32, i64, u8, u16, u32, u64, f16, f32, f64 => |x, st| x);
un!(Conj: C32, C64 => |x, st| x.conj());
un!(Floor: Bool, i8, i16, i32, i64, u8, u16, u32, u64 => |x, st| x);
un!(Ceil: Bool, i8, i16, i32, i64, u8, u16, u32, u64 => |x, st| x);
un!(Trunc: Bool, i8, i16, i32, i64, u8, u16, u32, u64 => |x, st| x);
un!(Rint: C32, C64 => |x, st| Complex::new(x.re.round_ties_even(), x.im.round_ties_even()));

/// Unary float functions on f32/f64 and float16 through float32.
macro_rules! float_un {
    ($op:ident: |$x:ident| $e:expr) => {
        un!($op: f32, f64 => |$x, st| $e);
        impl Un<f16> for $op {
            type O = f16;
            #[inline(always)]
            fn f(a: f16, st: &mut Status) -> f16 {
                let $x = a.to_f32();
                h($e, st)
            }
        }
    };
}
float_un!(Floor: |x| x.floor());
float_un!(Ceil: |x| x.ceil());
float_un!(Trunc: |x| x.trunc());
float_un!(Rint: |x| x.round_ties_even());
float_un!(Sqrt: |x| x.sqrt());
float_un!(Cbrt: |x| x.cbrt());
float_un!(Exp2: |x| x.exp2());
float_un!(Expm1: |x| x.exp_m1());
float_un!(Log2: |x| x.log2());
float_un!(Log10: |x| x.log10());
float_un!(Log1p: |x| x.ln_1p());
float_un!(Tan: |x| x.tan());
float_un!(Asin: |x| x.asin());
float_un!(Acos: |x| x.acos());
float_un!(Atan: |x| x.atan());
float_un!(Sinh: |x| x.sinh());
float_un!(Cosh: |x| x.cosh());
float_un!(Tanh: |x| x.tanh());
float_un!(Asinh: |x| x.asinh_c());
float_un!(Acosh: |x| x.acosh_c());

/// The C library's `asinh` and `acosh` (C99, in every platform's math library, and what
/// NumPy calls). `std`'s own formulas differ: `asinh` takes `1 / |x|`, which raises "divide
/// by zero" at 0 and "overflow" at subnormals, and overflows to infinity above half the
/// largest float; `acosh` of `x < 1` returns NaN without raising "invalid".
mod libm {
    extern "C" {
        pub fn asinh(x: f64) -> f64;
        pub fn asinhf(x: f32) -> f32;
        pub fn acosh(x: f64) -> f64;
        pub fn acoshf(x: f32) -> f32;
    }
}

/// `asinh` and `acosh` through [`libm`], for each float width.
trait InverseHyperbolic {
    fn asinh_c(self) -> Self;
    fn acosh_c(self) -> Self;
}
macro_rules! inverse_hyperbolic {
    ($($t:ty: $asinh:ident, $acosh:ident);*) => {$(
        impl InverseHyperbolic for $t {
            #[inline(always)]
            fn asinh_c(self) -> $t {
                // SAFETY: a pure C math function, defined for every value of its type.
                unsafe { libm::$asinh(self) }
            }
            #[inline(always)]
            fn acosh_c(self) -> $t {
                // SAFETY: as above.
                unsafe { libm::$acosh(self) }
            }
        }
    )*};
}
inverse_hyperbolic!(f64: asinh, acosh; f32: asinhf, acoshf);
float_un!(Atanh: |x| atanh(x));

/// `atanh(x) = (log1p(x) - log1p(-x)) / 2`, computed in f64: `std`'s `log1p(2x / (1 - x)) / 2`
/// loses the rounding error of the quotient times `1 / (1 + u)` near `|x| = 1` (thousands
/// of ulps at `1 - 1e-7`), where NumPy's loops are within an ulp; the two `log1p` terms have
/// opposite signs, so nothing cancels.
#[inline(always)]
fn atanh<F: num_traits::Float>(x: F) -> F {
    let w = x.to_f64().unwrap_or(f64::NAN);
    F::from(0.5 * (w.ln_1p() - (-w).ln_1p())).unwrap_or_else(F::nan)
}
un!(Deg2rad: f32 => |x, st| x * (std::f32::consts::PI / 180.0));
un!(Deg2rad: f64 => |x, st| x * (std::f64::consts::PI / 180.0));
un!(Deg2rad: f16 => |x, st| h(x.to_f32() * (std::f32::consts::PI / 180.0), st));
un!(Rad2deg: f32 => |x, st| x * (180.0 / std::f32::consts::PI));
un!(Rad2deg: f64 => |x, st| x * (180.0 / std::f64::consts::PI));
un!(Rad2deg: f16 => |x, st| h(x.to_f32() * (180.0 / std::f32::consts::PI), st));

/// exp/log/sin/cos: f32 and f64 take their contiguous loop from [`vmath_hook`].
macro_rules! hooked_un {
    ($op:ident, $method:ident, $h32:path, $h64:path) => {
        impl Un<f32> for $op {
            type O = f32;
            #[inline(always)]
            fn f(x: f32, _: &mut Status) -> f32 {
                x.$method()
            }
            const CONTIG: Option<unsafe fn(*const u8, *mut u8, usize) -> FpFlags> = Some($h32);
        }
        impl Un<f64> for $op {
            type O = f64;
            #[inline(always)]
            fn f(x: f64, _: &mut Status) -> f64 {
                x.$method()
            }
            const CONTIG: Option<unsafe fn(*const u8, *mut u8, usize) -> FpFlags> = Some($h64);
        }
        impl Un<f16> for $op {
            type O = f16;
            #[inline(always)]
            fn f(x: f16, st: &mut Status) -> f16 {
                h(x.to_f32().$method(), st)
            }
        }
    };
}
hooked_un!(Exp, exp, vmath_hook::exp_f32, vmath_hook::exp_f64);
hooked_un!(Log, ln, vmath_hook::log_f32, vmath_hook::log_f64);
hooked_un!(Sin, sin, vmath_hook::sin_f32, vmath_hook::sin_f64);
hooked_un!(Cos, cos, vmath_hook::cos_f32, vmath_hook::cos_f64);

/// How a complex elementary function of a non-finite argument raises "invalid" in NumPy
/// (its C library's functions, C99 Annex G's special cases): never (the logarithms, the
/// inverse functions, sqrt); by one of the rules below, on `(re, im)`; or, for NumPy's own
/// formula (expm1), as the status word says.
#[derive(Copy, Clone)]
enum NonFinite {
    Quiet,
    Invalid(fn(f64, f64) -> bool),
    Hardware,
}

/// `exp(x + iy)`: an infinite or NaN `y` beside a finite `x`, or beside `x = +inf` when
/// infinite; or a NaN `x` beside a `y` that is neither zero nor NaN.
fn exp_invalid(x: f64, y: f64) -> bool {
    (x.is_finite() && !y.is_finite())
        || (x == f64::INFINITY && y.is_infinite())
        || (x.is_nan() && y != 0.0 && !y.is_nan())
}
/// `sinh(x + iy)`: an infinite `y` beside a number `x`, or a NaN `y` beside a finite
/// nonzero `x`.
fn sinh_invalid(x: f64, y: f64) -> bool {
    (y.is_infinite() && !x.is_nan()) || (y.is_nan() && x.is_finite() && x != 0.0)
}
/// `cosh(x + iy)`: an infinite `y` beside a number `x`.
fn cosh_invalid(x: f64, y: f64) -> bool {
    y.is_infinite() && !x.is_nan()
}
/// `tanh(x + iy)`: an infinite `y` beside a finite or NaN `x`.
fn tanh_invalid(x: f64, y: f64) -> bool {
    y.is_infinite() && !x.is_infinite()
}
/// `sin(z) = -i sinh(iz)`, and so on: the hyperbolic rule with the parts swapped (the
/// rules do not look at signs).
fn sin_invalid(x: f64, y: f64) -> bool {
    sinh_invalid(y, x)
}
fn cos_invalid(x: f64, y: f64) -> bool {
    cosh_invalid(y, x)
}
fn tan_invalid(x: f64, y: f64) -> bool {
    tanh_invalid(y, x)
}

/// The flags NumPy reports for a complex elementary function of `x` with result `r`,
/// decided from the values (its C library's functions raise exactly these). For a finite
/// `x`: "divide by zero" for an infinite part at a pole (`at_pole`), otherwise "overflow"
/// for an infinite part, and "invalid" for a NaN part; `cmath`'s overflow-free forms raise
/// flags of their own along the way (`|z|^2` past the largest float in
/// `log(1e308 + 1e308j)`, `inf - inf` in `arcsin(1)`), and those are not NumPy's. For a
/// non-finite `x`, "invalid" alone, as `nonfinite` says, or what `hardware()` returns: the
/// flags of the computation (run again between a clear and a read of the status word).
/// Underflow, which depends on the intermediate steps, is taken from the status word by
/// the loop ([`super::loops::un_own_flags`]).
#[inline(always)]
fn complex_flags<F: num_traits::Float>(
    x: Complex<F>,
    r: Complex<F>,
    at_pole: bool,
    nonfinite: NonFinite,
    hardware: impl FnOnce() -> FpFlags,
) -> FpFlags {
    if !(x.re.is_finite() && x.im.is_finite()) {
        let (re, im) = (x.re.to_f64().unwrap_or(f64::NAN), x.im.to_f64().unwrap_or(f64::NAN));
        return match nonfinite {
            NonFinite::Quiet => FpFlags::default(),
            NonFinite::Invalid(rule) => FpFlags { invalid: rule(re, im), ..FpFlags::default() },
            NonFinite::Hardware => hardware(),
        };
    }
    let infinite = r.re.is_infinite() || r.im.is_infinite();
    FpFlags {
        divide: infinite && at_pole,
        overflow: infinite && !at_pole,
        invalid: r.re.is_nan() || r.im.is_nan(),
        underflow: false,
    }
}

/// A complex elementary function with the flags of [`complex_flags`]. Its loop is
/// [`super::loops::un_own_flags`], which keeps only the underflow flag from the status
/// word.
macro_rules! complex_fn {
    ($op:ident: $f:path, $nonfinite:expr) => {
        complex_fn!($op: $f, $nonfinite, |_z| false);
    };
    ($op:ident: $f:path, $nonfinite:expr, |$p:ident| $pole:expr) => {
        complex_fn!(@ $op: $f, $nonfinite, |$p| $pole; f32, f64);
    };
    (@ $op:ident: $f:path, $nonfinite:expr, |$p:ident| $pole:expr; $($t:ty),*) => {$(
        impl Un<Complex<$t>> for $op {
            type O = Complex<$t>;
            #[inline(always)]
            fn f(x: Complex<$t>, st: &mut Status) -> Complex<$t> {
                let (re, im) = $f((x.re, x.im));
                let r = Complex::new(re, im);
                let $p = (x.re, x.im);
                let flags = complex_flags(x, r, $pole, $nonfinite, || {
                    // The status word holds earlier elements' underflow: keep it, then
                    // rerun this element alone. `black_box` keeps the computation
                    // between the clear and the read.
                    st.flags.underflow |= crate::fpe::raised().underflow;
                    crate::fpe::clear();
                    let z = std::hint::black_box(x);
                    std::hint::black_box($f((z.re, z.im)));
                    crate::fpe::raised()
                });
                st.flags = st.flags.union(flags);
                r
            }
        }
    )*};
}

// Complex elementary functions: `cmath`'s Annex G special values and overflow-free forms.
use NonFinite::{Hardware, Invalid, Quiet};
complex_fn!(Sqrt: cmath::sqrt, Quiet);
complex_fn!(Exp: cmath::exp, Invalid(exp_invalid));
complex_fn!(Exp2: cmath::exp2, Invalid(exp_invalid));
complex_fn!(Expm1: cmath::expm1, Hardware);
complex_fn!(Log: cmath::log, Quiet, |z| z.0 == 0.0 && z.1 == 0.0);
complex_fn!(Log2: cmath::log2, Quiet, |z| z.0 == 0.0 && z.1 == 0.0);
complex_fn!(Log10: cmath::log10, Quiet, |z| z.0 == 0.0 && z.1 == 0.0);
complex_fn!(Log1p: cmath::log1p, Quiet, |z| z.0 == -1.0 && z.1 == 0.0);
complex_fn!(Sin: cmath::sin, Invalid(sin_invalid));
complex_fn!(Cos: cmath::cos, Invalid(cos_invalid));
complex_fn!(Tan: cmath::tan, Invalid(tan_invalid));
complex_fn!(Asin: cmath::asin, Quiet);
complex_fn!(Acos: cmath::acos, Quiet);
complex_fn!(Atan: cmath::atan, Quiet, |z| z.0 == 0.0 && z.1.abs() == 1.0);
complex_fn!(Sinh: cmath::sinh, Invalid(sinh_invalid));
complex_fn!(Cosh: cmath::cosh, Invalid(cosh_invalid));
complex_fn!(Tanh: cmath::tanh, Invalid(tanh_invalid));
complex_fn!(Asinh: cmath::asinh, Quiet);
complex_fn!(Acosh: cmath::acosh, Quiet);
complex_fn!(Atanh: cmath::atanh, Quiet, |z| z.0.abs() == 1.0 && z.1 == 0.0);

un!(Invert: i8, i16, i32, i64, u8, u16, u32, u64 => |x, st| !x);
un!(Invert: Bool => |x, st| b(x.0 == 0));

unit!(BitwiseCount);

/// `bitwise_count`: the one bits of the absolute value, as a uint8 (NumPy 2; at most 64
/// ones, so the count fits).
macro_rules! bitwise_count {
    ($($t:ty),* => |$x:ident| $e:expr) => {$(
        impl Un<$t> for BitwiseCount {
            type O = u8;
            #[inline(always)]
            fn f($x: $t, _: &mut Status) -> u8 {
                $e as u8
            }
        }
    )*};
}
bitwise_count!(i8, i16, i32, i64 => |x| x.unsigned_abs().count_ones());
bitwise_count!(u8, u16, u32, u64 => |x| x.count_ones());

un_bool!(Isnan: Bool, i8, i16, i32, i64, u8, u16, u32, u64 => |x| { let _ = x; false });
un_bool!(Isinf: Bool, i8, i16, i32, i64, u8, u16, u32, u64 => |x| { let _ = x; false });
un_bool!(Isfinite: Bool, i8, i16, i32, i64, u8, u16, u32, u64 => |x| { let _ = x; true });
un_bool!(Isnan: f16, f32, f64 => |x| x.is_nan());
un_bool!(Isinf: f16, f32, f64 => |x| x.is_infinite());
un_bool!(Isfinite: f16, f32, f64 => |x| x.is_finite());
un_bool!(Isnan: C32, C64 => |x| x.re.is_nan() || x.im.is_nan());
un_bool!(Isinf: C32, C64 => |x| x.re.is_infinite() || x.im.is_infinite());
un_bool!(Isfinite: C32, C64 => |x| x.re.is_finite() && x.im.is_finite());
un_bool!(Signbit: f16, f32, f64 => |x| x.is_sign_negative());
