//! Unit tests of the scalar operations against NumPy 2's results (checked by hand).

use half::f16;

use super::*;

fn bin(op: BinOp, a: Scalar, b: Scalar, d: DType) -> Outcome {
    binary(op, &a, &b, d, true).unwrap()
}

#[test]
fn integers_wrap_and_flag_overflow() {
    let r = bin(BinOp::Add, Scalar::Int(100), Scalar::Int(100), DType::INT8);
    assert_eq!((r.value, r.flags.overflow), (Scalar::Int(-56), true));
    let r = bin(BinOp::Mul, Scalar::Int(1 << 62), Scalar::Int(4), DType::INT64);
    assert_eq!((r.value, r.flags.overflow), (Scalar::Int(0), true));
    let r = bin(BinOp::Mul, Scalar::UInt(u64::MAX), Scalar::UInt(u64::MAX), DType::UINT64);
    assert_eq!((r.value, r.flags.overflow), (Scalar::UInt(1), true));
    let r = bin(BinOp::Sub, Scalar::UInt(0), Scalar::UInt(1), DType::UINT64);
    assert_eq!((r.value, r.flags.overflow), (Scalar::UInt(u64::MAX), true));
    let r = bin(BinOp::Add, Scalar::Int(1), Scalar::Int(2), DType::INT16);
    assert_eq!((r.value, r.flags), (Scalar::Int(3), FpFlags::default()));
}

#[test]
fn integer_division_is_floored_and_by_zero_is_zero() {
    let r = bin(BinOp::FloorDiv, Scalar::Int(-7), Scalar::Int(2), DType::INT64);
    assert_eq!(r.value, Scalar::Int(-4));
    let r = bin(BinOp::Rem, Scalar::Int(-7), Scalar::Int(3), DType::INT64);
    assert_eq!(r.value, Scalar::Int(2));
    let r = bin(BinOp::FloorDiv, Scalar::Int(5), Scalar::Int(0), DType::INT8);
    assert_eq!((r.value, r.flags.divide), (Scalar::Int(0), true));
    let r = bin(BinOp::Rem, Scalar::UInt(5), Scalar::UInt(0), DType::UINT8);
    assert_eq!((r.value, r.flags.divide), (Scalar::UInt(0), true));
    let r = bin(BinOp::FloorDiv, Scalar::Int(i64::MIN), Scalar::Int(-1), DType::INT64);
    assert_eq!((r.value, r.flags.overflow), (Scalar::Int(i64::MIN), true));
    let r = bin(BinOp::Rem, Scalar::Int(i64::MIN), Scalar::Int(-1), DType::INT64);
    assert_eq!((r.value, r.flags), (Scalar::Int(0), FpFlags::default()));
}

#[test]
fn true_division_of_integers_is_float64() {
    let r = bin(BinOp::TrueDiv, Scalar::Int(1), Scalar::Int(2), DType::INT8);
    assert_eq!((r.value, r.dtype), (Scalar::Float(0.5), DType::FLOAT64));
    let r = bin(BinOp::TrueDiv, Scalar::Int(0), Scalar::Int(0), DType::INT64);
    assert!(r.flags.invalid && !r.flags.divide);
    let r = bin(BinOp::TrueDiv, Scalar::Int(1), Scalar::Int(0), DType::INT64);
    assert!(r.flags.divide && r.value == Scalar::Float(f64::INFINITY));
}

#[test]
fn powers() {
    let r = bin(BinOp::Pow, Scalar::Int(3), Scalar::Int(50), DType::INT64);
    assert_eq!(r.value, Scalar::Int(6048575297968530377));
    assert!(!r.flags.any());
    assert_eq!(bin(BinOp::Pow, Scalar::Int(3), Scalar::Int(10), DType::INT8).value, Scalar::Int(-87));
    assert!(binary(BinOp::Pow, &Scalar::Int(2), &Scalar::Int(-1), DType::INT64, true).is_err());
    let r = bin(BinOp::Pow, Scalar::Float(0.0), Scalar::Float(-1.0), DType::FLOAT64);
    assert!(r.flags.divide);
    let r = bin(BinOp::Pow, Scalar::Complex(1.0, 2.0), Scalar::Complex(2.0, 0.0), DType::COMPLEX128);
    assert_eq!(r.value, Scalar::Complex(-3.0, 4.0));
}

#[test]
fn booleans_follow_numpys_loops() {
    assert_eq!(bin(BinOp::Add, Scalar::Bool(true), Scalar::Bool(true), DType::BOOL).value, Scalar::Bool(true));
    let r = bin(BinOp::FloorDiv, Scalar::Bool(true), Scalar::Bool(true), DType::BOOL);
    assert_eq!((r.value, r.dtype), (Scalar::Int(1), DType::INT8));
    assert!(binary(BinOp::Sub, &Scalar::Bool(true), &Scalar::Bool(true), DType::BOOL, true).is_err());
    assert!(unary(UnOp::Neg, &Scalar::Bool(true), DType::BOOL).is_err());
    assert_eq!(unary(UnOp::Abs, &Scalar::Bool(true), DType::BOOL).unwrap().value, Scalar::Bool(true));
}

#[test]
fn floats_flag_like_hardware() {
    let r = bin(BinOp::Mul, Scalar::Float(1e308), Scalar::Float(10.0), DType::FLOAT64);
    assert!(r.flags.overflow);
    let r = bin(BinOp::Sub, Scalar::Float(f64::INFINITY), Scalar::Float(f64::INFINITY), DType::FLOAT64);
    assert!(r.flags.invalid);
    let r = bin(BinOp::Add, Scalar::Float(f64::NAN), Scalar::Float(1.0), DType::FLOAT64);
    assert!(!r.flags.any());
    let r = bin(BinOp::FloorDiv, Scalar::Float(1.0), Scalar::Float(0.0), DType::FLOAT64);
    assert!(r.flags.divide && r.value == Scalar::Float(f64::INFINITY));
    let r = bin(BinOp::Rem, Scalar::Float(1.0), Scalar::Float(0.0), DType::FLOAT64);
    assert!(r.flags.invalid && !r.flags.divide);
    let r = bin(BinOp::Rem, Scalar::Float(1.0), Scalar::Float(0.0), DType::FLOAT16);
    assert!(r.flags.invalid && r.flags.divide);
    let r = bin(BinOp::FloorDiv, Scalar::Float(1.0), Scalar::Float(-0.0), DType::FLOAT16);
    assert!(r.flags.invalid && r.flags.divide);
    let r = bin(BinOp::FloorDiv, Scalar::Float(f64::NAN), Scalar::Float(0.0), DType::FLOAT32);
    assert!(!r.flags.any());
    let r = bin(BinOp::FloorDiv, Scalar::Float(8.98846567431158e307), Scalar::Float(0.5), DType::FLOAT64);
    assert!(r.flags.overflow && r.flags.invalid);
    let r = bin(BinOp::Rem, Scalar::Float(1.0), Scalar::Float(2.225073858507e-311), DType::FLOAT64);
    assert!(!r.flags.any());
    let r = bin(BinOp::Rem, Scalar::Float(-7.0), Scalar::Float(3.0), DType::FLOAT64);
    assert_eq!(r.value, Scalar::Float(2.0));
    let r = bin(BinOp::Add, Scalar::Float(60000.0), Scalar::Float(60000.0), DType::FLOAT16);
    assert!(r.flags.overflow && r.value == Scalar::Float(f64::INFINITY));
    let r = bin(BinOp::TrueDiv, Scalar::Float(1.0), Scalar::Float(3.0), DType::FLOAT16);
    assert_eq!(r.value, Scalar::Float(f16::from_f64(1.0 / 3.0).to_f64()));
}

#[test]
fn complex_division_by_zero() {
    let r = bin(BinOp::TrueDiv, Scalar::Complex(1.0, 0.0), Scalar::Complex(0.0, 0.0), DType::COMPLEX128);
    assert!(r.flags.divide && r.flags.invalid);
    let Scalar::Complex(re, im) = r.value else { panic!("complex result") };
    assert!(re.is_infinite() && im.is_nan());
    let r = bin(BinOp::TrueDiv, Scalar::Complex(1.0, 2.0), Scalar::Complex(3.0, -1.0), DType::COMPLEX128);
    assert_eq!(r.value, Scalar::Complex(0.1, 0.7000000000000001));
}

#[test]
fn generic_path_does_not_check_integer_overflow() {
    let r = binary(BinOp::Add, &Scalar::Int(100), &Scalar::Int(100), DType::INT8, false).unwrap();
    assert_eq!((r.value, r.flags), (Scalar::Int(-56), FpFlags::default()));
    let r = binary(BinOp::FloorDiv, &Scalar::Int(1), &Scalar::Int(0), DType::INT8, false).unwrap();
    assert_eq!(r.flags.messages("floor_divide", false), ["divide by zero encountered in floor_divide"]);
    assert!(uses_scalar_math(DType::INT16, DType::INT16, Some(DType::UINT8)));
    assert!(uses_scalar_math(DType::FLOAT64, DType::INT8, Some(DType::FLOAT64)));
    assert!(!uses_scalar_math(DType::UINT8, DType::BOOL, Some(DType::UINT8)));
    assert!(!uses_scalar_math(DType::BOOL, DType::BOOL, Some(DType::BOOL)));
    assert!(!uses_scalar_math(DType::FLOAT64, DType::INT64, None));
}

#[test]
fn unary_ops() {
    let r = unary(UnOp::Neg, &Scalar::UInt(1), DType::UINT8).unwrap();
    assert_eq!((r.value, r.flags.overflow), (Scalar::UInt(255), true));
    let r = unary(UnOp::Abs, &Scalar::Int(-128), DType::INT8).unwrap();
    assert_eq!((r.value, r.flags.overflow), (Scalar::Int(-128), true));
    let r = unary(UnOp::Abs, &Scalar::Complex(3.0, 4.0), DType::COMPLEX64).unwrap();
    assert_eq!((r.value, r.dtype), (Scalar::Float(5.0), DType::FLOAT32));
}

#[test]
fn comparisons_are_exact_for_integers() {
    let c = |a, da, b, db| compare(&a, da, &b, db, true).unwrap();
    assert_eq!(c(Scalar::Int(-1), DType::INT64, Scalar::UInt(u64::MAX), DType::UINT64), (Some(Ordering::Less), false));
    assert_eq!(c(Scalar::Float(f64::NAN), DType::FLOAT64, Scalar::Int(1), DType::INT64), (None, false));
    assert_eq!(
        c(Scalar::Complex(1.0, 2.0), DType::COMPLEX128, Scalar::Complex(2.0, 0.0), DType::COMPLEX128),
        (Some(Ordering::Less), false)
    );
    assert!(compare(&Scalar::Bytes(b"a".to_vec()), DType::bytes(1), &Scalar::Int(1), DType::INT64, true).is_err());
    let nanj = Scalar::Complex(1.0, f64::NAN);
    let two = Scalar::Complex(2.0, 0.0);
    let one = Scalar::Complex(1.0, 0.0);
    // Scalar math compares the parts plainly and never signals.
    assert_eq!(c(nanj.clone(), DType::COMPLEX64, two.clone(), DType::COMPLEX64), (Some(Ordering::Less), false));
    // The ufunc loops: unordered; "invalid" only when the real parts meet a NaN or are
    // equal next to a NaN imaginary part.
    let u = |a: &Scalar, b: &Scalar| compare(a, DType::COMPLEX64, b, DType::COMPLEX64, false).unwrap();
    assert_eq!(u(&nanj, &two), (None, false));
    assert_eq!(u(&nanj, &one), (None, true));
    assert_eq!(u(&Scalar::Complex(f64::NAN, 0.0), &two), (None, true));
    assert_eq!(u(&one, &two), (Some(Ordering::Less), false));
}

#[test]
fn wrap_is_twos_complement() {
    assert_eq!(wrap(128, DType::INT8), -128);
    assert_eq!(wrap(-1, DType::UINT16), 65535);
    assert_eq!(wrap(1i128 << 64, DType::UINT64), 0);
    assert_eq!(int_range(DType::UINT8), (0, 255));
}
