//! NumPy 2.4's `astype(dtype, casting='same_value')`: a cast between numeric dtypes that
//! must keep every value, else a `ValueError` naming the C types ("could not cast
//! 'same_value' double to int"). Every numeric pair is allowed; anything with bytes or
//! void is refused as a casting violation, even a cast to the same dtype.
//!
//! The cast runs as `astype` does, its floating-point exceptions dropped (NumPy's cast
//! checks instead of warning), its ComplexWarning kept. Then the result is cast back to
//! the source dtype and compared element by element: NaN matches NaN, -0.0 matches 0, a
//! complex source cast to a real type must have zero imaginary parts. Between signed and
//! unsigned integers of one width the way back restores every value, so there the signed
//! side must also have no negative element; and between integers and floats the float
//! side must be finite (the cast of infinity to an integer is undefined, and float16's
//! way back from an integer past its range is infinity again). Casts to or from bool
//! keep the truth value, which is all a bool holds, so they always pass.

use half::f16;
use num_complex::Complex;

use crate::array::Array;
use crate::dtype::{DType, Kind};
use crate::error::{Error, Result};
use crate::fpe::{casts_of, record_cast, take_cast_bits};
use crate::kernels::Element;
use crate::layout::Order;

/// True when `casting='same_value'` may cast `from` to `to` (both numeric).
pub fn allowed(from: DType, to: DType) -> bool {
    from.is_numeric() && to.is_numeric()
}

/// NumPy's refusal of a pair [`allowed`] rejects.
pub fn refusal(from: DType, to: DType) -> Error {
    Error::Type(format!(
        "Cannot cast array data from dtype('{}') to dtype('{}') according to the rule 'same_value'",
        from.repr_spec(),
        to.repr_spec()
    ))
}

/// `src` cast to `to` (in `order`, or keeping the source's order for `None`), checked to
/// hold every value of `src`.
///
/// # Errors
/// `Type` for a pair [`allowed`] rejects; `Value` with NumPy's message when a value
/// changes; `Memory` when an allocation fails.
pub fn astype_same_value(src: &Array, to: DType, order: Option<Order>) -> Result<Array> {
    if !allowed(src.dtype(), to) {
        return Err(refusal(src.dtype(), to));
    }
    let (out, _) = casts_of(|| match order {
        None => src.astype_keep_order(to),
        Some(o) => src.astype(to, o),
    });
    let out = out?;
    check(src, &out)?;
    Ok(out)
}

/// Checks that `out` (the cast of `src`, the same shape) holds every value of `src`.
fn check(src: &Array, out: &Array) -> Result<()> {
    let native = src.dtype().to_native();
    if native.kind() == Kind::Bool || out.dtype().kind() == Kind::Bool || src.size() == 0 {
        return Ok(());
    }
    // Both in C order and the source's native dtype. The way back is ours: what it
    // records (a ComplexWarning among it) is dropped, what was recorded before is kept.
    let earlier = take_cast_bits();
    let (a, back) = (src.astype(native, Order::C), out.astype(native, Order::C));
    take_cast_bits();
    record_cast(earlier);
    let (a, back) = (a?, back?);
    let mut found =
        crate::dispatch_numeric!(native, T => first_change::<T>(&a, &back), else => unreachable!("numeric"));
    let ints = [Kind::Int, Kind::UInt];
    let mixed_ints =
        ints.contains(&native.kind()) && ints.contains(&out.dtype().kind()) && native.kind() != out.dtype().kind();
    if found.is_none() && mixed_ints {
        let signed = if native.kind() == Kind::Int { a } else { out.astype(out.dtype().to_native(), Order::C)? };
        found = any_negative(&signed).then_some(Part::Real);
    }
    // An infinity on the float side of an integer cast (an integer past float16's range,
    // or an infinite float): the cast of infinity to an integer is undefined, and can
    // even give the way back what it started from.
    let inexact = |k: Kind| matches!(k, Kind::Float | Kind::Complex);
    let float_side = if ints.contains(&native.kind()) && inexact(out.dtype().kind()) {
        Some(out)
    } else if inexact(native.kind()) && ints.contains(&out.dtype().kind()) {
        Some(src)
    } else {
        None
    };
    if let (None, Some(f)) = (found, float_side) {
        let wide = if f.dtype().kind() == Kind::Float { DType::FLOAT64 } else { DType::COMPLEX128 };
        found = any_infinite(&f.astype(wide, Order::C)?).then_some(Part::Real);
    }
    match found {
        None => Ok(()),
        Some(part) => {
            let imag = part == Part::Imag && out.dtype().kind() != Kind::Complex;
            Err(Error::Value(format!(
                "could not cast 'same_value' {} to {}{}",
                src.dtype().c_name(),
                out.dtype().c_name(),
                if imag { ": imag is not 0" } else { "" }
            )))
        }
    }
}

/// Which part of the first changed element changed.
#[derive(Copy, Clone, PartialEq, Eq)]
enum Part {
    Real,
    Imag,
}

/// The first element of `a` that `back` does not match, as [`Exact::same`] sees it.
fn first_change<T: Exact>(a: &Array, back: &Array) -> Option<Part> {
    let (pa, pb, z) = (a.data_ptr(), back.data_ptr(), size_of::<T>());
    (0..a.size()).find_map(|i| {
        // SAFETY: `a` and `back` are C-contiguous arrays of `T` with `a.size()` elements
        // (made by `check`), so element `i` is inside both buffers.
        let (x, y) = unsafe { (T::load(pa.add(i * z), false), T::load(pb.add(i * z), false)) };
        match T::same(x, y) {
            (true, true) => None,
            (false, _) => Some(Part::Real),
            (true, false) => Some(Part::Imag),
        }
    })
}

/// True when a C-contiguous native array of signed integers has a negative element.
fn any_negative(a: &Array) -> bool {
    fn scan<T: Element + Default + PartialOrd>(a: &Array) -> bool {
        let (p, z) = (a.data_ptr(), size_of::<T>());
        // SAFETY: `a` is C-contiguous with `a.size()` elements of `T` (made by `check`).
        (0..a.size()).any(|i| unsafe { T::load(p.add(i * z), false) } < T::default())
    }
    match a.itemsize() {
        1 => scan::<i8>(a),
        2 => scan::<i16>(a),
        4 => scan::<i32>(a),
        _ => scan::<i64>(a),
    }
}

/// True when a C-contiguous native float64 or complex128 array has an infinite part.
fn any_infinite(a: &Array) -> bool {
    let parts = a.size() * a.itemsize() / 8;
    let p = a.data_ptr();
    // SAFETY: `a` is C-contiguous with `a.size()` float64 or complex128 elements (made by
    // `check`), which are `parts` float64 values.
    (0..parts).any(|i| unsafe { f64::load(p.add(i * 8), false) }.is_infinite())
}

/// Value equality for the check: (real parts equal, imaginary parts equal), NaN equal to
/// NaN.
trait Exact: Element {
    fn same(a: Self, b: Self) -> (bool, bool);
}

macro_rules! exact_int {
    ($($t:ty),*) => {$(
        impl Exact for $t {
            fn same(a: Self, b: Self) -> (bool, bool) {
                (a == b, true)
            }
        }
    )*};
}
exact_int!(crate::kernels::Bool, i8, i16, i32, i64, u8, u16, u32, u64);

macro_rules! exact_float {
    ($($t:ty),*) => {$(
        impl Exact for $t {
            fn same(a: Self, b: Self) -> (bool, bool) {
                (a == b || (a.is_nan() && b.is_nan()), true)
            }
        }
        impl Exact for Complex<$t> {
            fn same(a: Self, b: Self) -> (bool, bool) {
                (<$t>::same(a.re, b.re).0, <$t>::same(a.im, b.im).0)
            }
        }
    )*};
}
exact_float!(f32, f64);

impl Exact for f16 {
    fn same(a: Self, b: Self) -> (bool, bool) {
        f32::same(a.to_f32(), b.to_f32())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::Scalar;

    fn one(dtype: DType, v: Scalar) -> Array {
        Array::full(dtype, &[1], Order::C, &v).unwrap()
    }

    fn message(src: &Array, to: DType) -> Option<String> {
        astype_same_value(src, to, None).err().map(|e| e.to_string())
    }

    #[test]
    fn exact_values_pass_and_changed_ones_name_the_c_types() {
        assert_eq!(message(&one(DType::FLOAT64, Scalar::Float(3.0)), DType::INT8), None);
        assert_eq!(message(&one(DType::FLOAT64, Scalar::Float(-0.0)), DType::INT32), None);
        assert_eq!(message(&one(DType::FLOAT64, Scalar::Float(f64::NAN)), DType::FLOAT32), None);
        assert_eq!(message(&one(DType::FLOAT64, Scalar::Float(1.5)), DType::FLOAT16), None);
        let m = message(&one(DType::FLOAT64, Scalar::Float(f64::NAN)), DType::INT32);
        assert_eq!(m.as_deref(), Some("could not cast 'same_value' double to int"));
        let m = message(&one(DType::FLOAT64, Scalar::Float(0.1)), DType::FLOAT32);
        assert_eq!(m.as_deref(), Some("could not cast 'same_value' double to float"));
        let m = message(&one(DType::INT64, Scalar::Int(-1)), DType::UINT8);
        assert_eq!(m.as_deref(), Some("could not cast 'same_value' long to ubyte"));
        let m = message(&one(DType::UINT8, Scalar::UInt(200)), DType::INT8);
        assert_eq!(m.as_deref(), Some("could not cast 'same_value' ubyte to byte"));
        let m = message(&one(DType::INT64, Scalar::Int(-5)), DType::UINT64);
        assert_eq!(m.as_deref(), Some("could not cast 'same_value' long to ulong"));
        assert_eq!(message(&one(DType::INT64, Scalar::Int(5)), DType::UINT8), None);
        let m = message(&one(DType::INT64, Scalar::Int((1 << 24) + 1)), DType::FLOAT32);
        assert_eq!(m.as_deref(), Some("could not cast 'same_value' long to float"));
    }

    #[test]
    fn infinities_never_pass_between_integers_and_floats() {
        let m = message(&one(DType::FLOAT16, Scalar::Float(f64::NEG_INFINITY)), DType::INT32);
        assert_eq!(m.as_deref(), Some("could not cast 'same_value' half to int"));
        let m = message(&one(DType::INT32, Scalar::Int(-(1 << 31))), DType::FLOAT16);
        assert_eq!(m.as_deref(), Some("could not cast 'same_value' int to half"));
        assert_eq!(message(&one(DType::FLOAT16, Scalar::Float(f64::INFINITY)), DType::FLOAT64), None);
    }

    #[test]
    fn complex_to_real_needs_a_zero_imaginary_part_after_an_exact_real_part() {
        let c = |re: f64, im: f64| one(DType::COMPLEX128, Scalar::Complex(re, im));
        assert_eq!(message(&c(1.0, 0.0), DType::FLOAT64), None);
        let m = message(&c(1.0, 1.0), DType::FLOAT64);
        assert_eq!(m.as_deref(), Some("could not cast 'same_value' cdouble to double: imag is not 0"));
        // The real part is checked first.
        let m = message(&c(0.1, 1.0), DType::FLOAT32);
        assert_eq!(m.as_deref(), Some("could not cast 'same_value' cdouble to float"));
        let m = message(&c(0.1, 1.0), DType::COMPLEX64);
        assert_eq!(m.as_deref(), Some("could not cast 'same_value' cdouble to cfloat"));
    }

    #[test]
    fn bool_either_side_passes_and_text_is_refused() {
        assert_eq!(message(&one(DType::FLOAT64, Scalar::Float(0.5)), DType::BOOL), None);
        assert_eq!(message(&one(DType::BOOL, Scalar::Bool(true)), DType::FLOAT16), None);
        let e = astype_same_value(&one(DType::INT8, Scalar::Int(1)), DType::bytes(4), None).unwrap_err();
        assert!(matches!(e, Error::Type(m) if m.ends_with("according to the rule 'same_value'")));
    }
}
