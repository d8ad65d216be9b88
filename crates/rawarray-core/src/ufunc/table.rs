//! The registry: every ufunc with its loops in NumPy's order (`np.<name>.types` without
//! the object, longdouble, datetime and timedelta loops, and without NumPy's duplicate
//! entries for its SIMD variants).

#![allow(clippy::vec_init_then_push, reason = "loop lists are pushed by macros, group by group")]

use std::sync::OnceLock;

use num_complex::Complex;

use super::float_parts::{Frexp, Ldexp, Modf};
use super::loops::{bin, bin2, bin_fma, power, un, un2, un_fma, un_own_flags, un_raising};
use super::ops::*;
use super::{Identity, Loop, Resolver, Ufunc};
use crate::kernels::Bool;
use crate::parallel::Cost;

type C32 = Complex<f32>;
type C64 = Complex<f64>;

macro_rules! b_same {
    ($v:ident, $op:ty; $($c:literal $t:ty),*) => {$(
        $v.push(Loop::new(concat!($c, $c, "->", $c), bin::<$op, $t, $t>));
    )*};
}
macro_rules! b_bool {
    ($v:ident, $op:ty; $($c:literal $t:ty),*) => {$(
        $v.push(Loop::new(concat!($c, $c, "->?"), bin::<$op, $t, $t>));
    )*};
}
macro_rules! u_same {
    ($v:ident, $op:ty; $($c:literal $t:ty),*) => {$(
        $v.push(Loop::new(concat!($c, "->", $c), un::<$op, $t>));
    )*};
}
macro_rules! u_bool {
    ($v:ident, $op:ty; $($c:literal $t:ty),*) => {$(
        $v.push(Loop::new(concat!($c, "->?"), un::<$op, $t>));
    )*};
}
macro_rules! u_u8 {
    ($v:ident, $op:ty; $($c:literal $t:ty),*) => {$(
        $v.push(Loop::new(concat!($c, "->B"), un::<$op, $t>));
    )*};
}
macro_rules! b2_same {
    ($v:ident, $op:ty; $($c:literal $t:ty),*) => {$(
        $v.push(Loop::new(concat!($c, $c, "->", $c, $c), bin2::<$op, $t>));
    )*};
}

/// The three-input `clip` loops (`$op` unused: the element rules are [`super::clip::Clip`]).
macro_rules! t_same {
    ($v:ident, $op:ty; $($c:literal $t:ty),*) => {$(
        $v.push(Loop::new(concat!($c, $c, $c, "->", $c), super::clip::clip::<$t>));
    )*};
}

/// Pushes the loops of the named type groups, in NumPy's order.
macro_rules! with {
    ($m:ident, $v:ident, $op:ty;) => {};
    ($m:ident, $v:ident, $op:ty; bool $($rest:tt)*) => {
        $m!($v, $op; "?" Bool);
        with!($m, $v, $op; $($rest)*);
    };
    ($m:ident, $v:ident, $op:ty; ints $($rest:tt)*) => {
        $m!($v, $op; "b" i8, "B" u8, "h" i16, "H" u16, "i" i32, "I" u32, "l" i64, "L" u64, "q" i64, "Q" u64);
        with!($m, $v, $op; $($rest)*);
    };
    ($m:ident, $v:ident, $op:ty; floats $($rest:tt)*) => {
        $m!($v, $op; "e" half::f16, "f" f32, "d" f64);
        with!($m, $v, $op; $($rest)*);
    };
    // The complex elementary functions, whose elements report their own flags.
    ($m:ident, $v:ident, $op:ty; cplx_fn $($rest:tt)*) => {
        $v.push(Loop::new("F->F", un_own_flags::<$op, C32>));
        $v.push(Loop::new("D->D", un_own_flags::<$op, C64>));
        with!($m, $v, $op; $($rest)*);
    };
    ($m:ident, $v:ident, $op:ty; cplx $($rest:tt)*) => {
        $m!($v, $op; "F" C32, "D" C64);
        with!($m, $v, $op; $($rest)*);
    };
}

/// Builds one ufunc's loop list.
macro_rules! loops {
    ($m:ident, $op:ty; $($groups:tt)*) => {{
        let mut v: Vec<Loop> = Vec::new();
        with!($m, v, $op; $($groups)*);
        v
    }};
}

struct Spec {
    nin: usize,
    nout: usize,
    identity: Identity,
    hardware_fpe: bool,
    cost: Cost,
    resolver: Resolver,
    compare: bool,
}

const BINARY: Spec = Spec {
    nin: 2,
    nout: 1,
    identity: Identity::None,
    hardware_fpe: true,
    cost: Cost::Memory,
    resolver: Resolver::Default,
    compare: false,
};
const UNARY: Spec = Spec { nin: 1, ..BINARY };

fn make(name: &'static str, spec: Spec, loops: Vec<Loop>) -> Ufunc {
    Ufunc {
        name,
        nin: spec.nin,
        nout: spec.nout,
        identity: spec.identity,
        loops,
        hardware_fpe: spec.hardware_fpe,
        cost: spec.cost,
        resolver: spec.resolver,
        compare: spec.compare,
    }
}

fn comparison<Op>(name: &'static str, mut v: Vec<Loop>) -> Ufunc
where
    Op: super::loops::Bin<i64, u64, O = Bool> + super::loops::Bin<u64, i64, O = Bool>,
{
    // NumPy puts the exact mixed int64/uint64 loops after the integer ones.
    let at = v.iter().position(|l| l.types == "ee->?").unwrap_or(v.len());
    v.insert(at, Loop::new("Qq->?", bin::<Op, u64, i64>));
    v.insert(at, Loop::new("qQ->?", bin::<Op, i64, u64>));
    make(name, Spec { hardware_fpe: false, compare: true, ..BINARY }, v)
}

/// Builds the registry. floor_divide, remainder and divmod report the flags their
/// element functions compute (NumPy's `npy_divmod` steps, emulated exactly): the compiler
/// may turn their sign tests into signalling compares that would raise spurious "invalid".
fn build() -> Vec<Ufunc> {
    let compute = |s: Spec| Spec { cost: Cost::Compute, ..s };
    let quiet = |s: Spec| Spec { hardware_fpe: false, ..s };
    let ident = |s: Spec, i: Identity| Spec { identity: i, ..s };
    let mut absolute = loops!(u_same, Abs; bool ints floats);
    absolute.push(Loop::new("F->f", un_fma::<AbsFused, Abs, C32, true, true>));
    absolute.push(Loop::new("D->d", un_fma::<AbsFused, Abs, C64, true, true>));
    vec![
        make("add", ident(BINARY, Identity::Int(0)), loops!(b_same, Add; bool ints floats cplx)),
        make("subtract", Spec { resolver: Resolver::Subtract, ..BINARY }, loops!(b_same, Sub; ints floats cplx)),
        make("multiply", ident(BINARY, Identity::Int(1)), {
            let mut v = loops!(b_same, Mul; bool ints floats);
            v.push(Loop::new("FF->F", bin_fma::<MulFused, Mul, C32, C32, true>));
            v.push(Loop::new("DD->D", bin_fma::<MulFused, Mul, C64, C64, false>));
            v
        }),
        make(
            "divide",
            Spec { resolver: Resolver::TrueDivide, cost: Cost::Compute, ..BINARY },
            loops!(b_same, TrueDiv; floats cplx),
        ),
        make("floor_divide", quiet(compute(BINARY)), loops!(b_same, FloorDiv; ints floats)),
        make("remainder", quiet(compute(BINARY)), loops!(b_same, Rem; ints floats)),
        make("fmod", compute(BINARY), loops!(b_same, Fmod; ints floats)),
        make("divmod", quiet(compute(Spec { nout: 2, ..BINARY })), loops!(b2_same, DivMod; ints floats)),
        make("power", compute(BINARY), {
            let mut v = loops!(b_same, Pow; ints);
            b_same!(v, Pow; "e" half::f16);
            v.push(Loop::new("ff->f", power::<f32>));
            v.push(Loop::new("dd->d", power::<f64>));
            with!(b_same, v, Pow; cplx);
            v
        }),
        make("float_power", compute(BINARY), {
            let mut v = Vec::new();
            b_same!(v, Pow; "d" f64, "D" C64);
            v
        }),
        make("negative", Spec { resolver: Resolver::Negative, ..UNARY }, loops!(u_same, Neg; ints floats cplx)),
        make("positive", Spec { resolver: Resolver::NoBool, ..UNARY }, loops!(u_same, Pos; ints floats cplx)),
        make("absolute", UNARY, absolute),
        make("fabs", UNARY, loops!(u_same, Abs; floats)),
        make("modf", quiet(Spec { nout: 2, ..UNARY }), {
            let mut v = Vec::new();
            v.push(Loop::new("e->ee", un2::<Modf, half::f16>));
            v.push(Loop::new("f->ff", un2::<Modf, f32>));
            v.push(Loop::new("d->dd", un2::<Modf, f64>));
            v
        }),
        make("frexp", quiet(Spec { nout: 2, ..UNARY }), {
            let mut v = Vec::new();
            v.push(Loop::new("e->ei", un2::<Frexp, half::f16>));
            v.push(Loop::new("f->fi", un2::<Frexp, f32>));
            v.push(Loop::new("d->di", un2::<Frexp, f64>));
            v
        }),
        make("ldexp", quiet(Spec { resolver: Resolver::Legacy, ..BINARY }), {
            let mut v = Vec::new();
            v.push(Loop::new("ei->e", bin::<Ldexp, half::f16, i32>));
            v.push(Loop::new("fi->f", bin::<Ldexp, f32, i32>));
            v.push(Loop::new("el->e", bin::<Ldexp, half::f16, i64>));
            v.push(Loop::new("fl->f", bin::<Ldexp, f32, i64>));
            v.push(Loop::new("di->d", bin::<Ldexp, f64, i32>));
            v.push(Loop::new("dl->d", bin::<Ldexp, f64, i64>));
            v
        }),
        make("sign", Spec { resolver: Resolver::NoBool, ..quiet(UNARY) }, {
            let mut v = loops!(u_same, Sign; ints floats);
            v.push(Loop::new("F->F", un_raising::<Sign, C32>));
            v.push(Loop::new("D->D", un_raising::<Sign, C64>));
            v
        }),
        comparison::<Eq>("equal", loops!(b_bool, Eq; bool ints floats cplx)),
        comparison::<Ne>("not_equal", loops!(b_bool, Ne; bool ints floats cplx)),
        comparison::<Lt>("less", loops!(b_bool, Lt; bool ints floats cplx)),
        comparison::<Le>("less_equal", loops!(b_bool, Le; bool ints floats cplx)),
        comparison::<Gt>("greater", loops!(b_bool, Gt; bool ints floats cplx)),
        comparison::<Ge>("greater_equal", loops!(b_bool, Ge; bool ints floats cplx)),
        make(
            "logical_and",
            Spec { resolver: Resolver::Logical, ..quiet(ident(BINARY, Identity::Bool(true))) },
            loops!(b_bool, LAnd; bool ints floats cplx),
        ),
        make(
            "logical_or",
            Spec { resolver: Resolver::Logical, ..quiet(ident(BINARY, Identity::Bool(false))) },
            loops!(b_bool, LOr; bool ints floats cplx),
        ),
        make(
            "logical_xor",
            Spec { resolver: Resolver::Logical, ..quiet(ident(BINARY, Identity::Bool(false))) },
            loops!(b_bool, LXor; bool ints floats cplx),
        ),
        make("logical_not", quiet(UNARY), loops!(u_bool, LNot; bool ints floats cplx)),
        make("bitwise_and", quiet(ident(BINARY, Identity::Int(-1))), loops!(b_same, BitAnd; bool ints)),
        make("bitwise_or", quiet(ident(BINARY, Identity::Int(0))), loops!(b_same, BitOr; bool ints)),
        make("bitwise_xor", quiet(ident(BINARY, Identity::Int(0))), loops!(b_same, BitXor; bool ints)),
        make("invert", quiet(UNARY), loops!(u_same, Invert; bool ints)),
        make("bitwise_count", quiet(UNARY), loops!(u_u8, BitwiseCount; ints)),
        make(
            "gcd",
            Spec { resolver: Resolver::Uniform, ..quiet(ident(BINARY, Identity::Int(0))) },
            loops!(b_same, Gcd; ints),
        ),
        make("lcm", Spec { resolver: Resolver::Uniform, ..quiet(BINARY) }, loops!(b_same, Lcm; ints)),
        make("left_shift", quiet(BINARY), loops!(b_same, LShift; ints)),
        make("right_shift", quiet(BINARY), loops!(b_same, RShift; ints)),
        make("sqrt", compute(UNARY), loops!(u_same, Sqrt; floats cplx_fn)),
        make("cbrt", compute(UNARY), loops!(u_same, Cbrt; floats)),
        make("square", UNARY, {
            let mut v = loops!(u_same, Square; ints floats);
            v.push(Loop::new("F->F", un_fma::<SquareFused, Square, C32, true, false>));
            v.push(Loop::new("D->D", un_fma::<SquareFused, Square, C64, false, false>));
            v
        }),
        make("reciprocal", compute(UNARY), loops!(u_same, Recip; ints floats cplx)),
        make("exp", compute(UNARY), loops!(u_same, Exp; floats cplx_fn)),
        make("exp2", compute(UNARY), loops!(u_same, Exp2; floats cplx_fn)),
        make("expm1", compute(UNARY), loops!(u_same, Expm1; floats cplx_fn)),
        make("log", compute(UNARY), loops!(u_same, Log; floats cplx_fn)),
        make("log2", compute(UNARY), loops!(u_same, Log2; floats cplx_fn)),
        make("log10", compute(UNARY), loops!(u_same, Log10; floats cplx_fn)),
        make("log1p", compute(UNARY), loops!(u_same, Log1p; floats cplx_fn)),
        make("sin", compute(UNARY), loops!(u_same, Sin; floats cplx_fn)),
        make("cos", compute(UNARY), loops!(u_same, Cos; floats cplx_fn)),
        make("tan", compute(UNARY), loops!(u_same, Tan; floats cplx_fn)),
        make("arcsin", compute(UNARY), loops!(u_same, Asin; floats cplx_fn)),
        make("arccos", compute(UNARY), loops!(u_same, Acos; floats cplx_fn)),
        make("arctan", compute(UNARY), loops!(u_same, Atan; floats cplx_fn)),
        make("arctan2", compute(BINARY), loops!(b_same, Arctan2; floats)),
        make("hypot", compute(ident(BINARY, Identity::Int(0))), loops!(b_same, Hypot; floats)),
        make(
            "logaddexp",
            compute(ident(BINARY, Identity::Float(f64::NEG_INFINITY))),
            loops!(b_same, LogAddExp; floats),
        ),
        make(
            "logaddexp2",
            compute(ident(BINARY, Identity::Float(f64::NEG_INFINITY))),
            loops!(b_same, LogAddExp2; floats),
        ),
        make("heaviside", quiet(BINARY), loops!(b_same, Heaviside; floats)),
        make("sinh", compute(UNARY), loops!(u_same, Sinh; floats cplx_fn)),
        make("cosh", compute(UNARY), loops!(u_same, Cosh; floats cplx_fn)),
        make("tanh", compute(UNARY), loops!(u_same, Tanh; floats cplx_fn)),
        make("arcsinh", compute(UNARY), loops!(u_same, Asinh; floats cplx_fn)),
        make("arccosh", compute(UNARY), loops!(u_same, Acosh; floats cplx_fn)),
        make("arctanh", compute(UNARY), loops!(u_same, Atanh; floats cplx_fn)),
        make("deg2rad", UNARY, loops!(u_same, Deg2rad; floats)),
        make("rad2deg", UNARY, loops!(u_same, Rad2deg; floats)),
        make("degrees", UNARY, loops!(u_same, Rad2deg; floats)),
        make("radians", UNARY, loops!(u_same, Deg2rad; floats)),
        make("floor", quiet(UNARY), loops!(u_same, Floor; bool ints floats)),
        make("ceil", quiet(UNARY), loops!(u_same, Ceil; bool ints floats)),
        make("trunc", quiet(UNARY), loops!(u_same, Trunc; bool ints floats)),
        make("rint", quiet(UNARY), loops!(u_same, Rint; floats cplx)),
        make("isnan", quiet(UNARY), loops!(u_bool, Isnan; bool ints floats cplx)),
        make("isinf", quiet(UNARY), loops!(u_bool, Isinf; bool ints floats cplx)),
        make("isfinite", quiet(UNARY), loops!(u_bool, Isfinite; bool ints floats cplx)),
        make("signbit", quiet(UNARY), loops!(u_bool, Signbit; floats)),
        make("copysign", quiet(BINARY), loops!(b_same, Copysign; floats)),
        make("nextafter", quiet(BINARY), loops!(b_same, NextAfter; floats)),
        make("spacing", quiet(UNARY), loops!(u_same, Spacing; floats)),
        make("minimum", quiet(BINARY), loops!(b_same, Minimum; bool ints floats cplx)),
        make("maximum", quiet(BINARY), loops!(b_same, Maximum; bool ints floats cplx)),
        make("fmin", quiet(BINARY), loops!(b_same, Fmin; bool ints floats cplx)),
        make("fmax", quiet(BINARY), loops!(b_same, Fmax; bool ints floats cplx)),
        make("conjugate", quiet(UNARY), loops!(u_same, Conj; ints floats cplx)),
        // NumPy's `np._core.umath.clip`, which `np.clip` calls when both bounds are given.
        make("clip", quiet(Spec { nin: 3, ..BINARY }), loops!(t_same, (); bool ints floats cplx)),
    ]
}

/// Every ufunc, built on first use.
pub fn registry() -> &'static [Ufunc] {
    static REGISTRY: OnceLock<Vec<Ufunc>> = OnceLock::new();
    REGISTRY.get_or_init(build)
}
