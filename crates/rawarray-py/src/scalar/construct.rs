//! `rawarray.float64(x)`, `rawarray.uint8(x)`, ...: turning one Python argument into the
//! exact value of a scalar type, with NumPy 2's checks (Python integers out of range raise
//! OverflowError; strings parse as Python's `int()`/`float()`/`complex()` do).

use pyo3::exceptions::{PyOverflowError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyComplex, PyFloat, PyInt, PyString, PyTuple};
use rawarray_core::dtype::{DType, Kind};
use rawarray_core::scalar::Scalar;

use super::{typed_scalar_value, zero_of};
use crate::ndarray::ArrayRef;
use crate::ndarray::PyNdArray;

/// The value (and exact dtype) of `cls(*args)` for the scalar class of `dtype`.
pub fn construct(dtype: DType, name: &str, args: &Bound<'_, PyTuple>) -> PyResult<(Scalar, DType)> {
    let py = args.py();
    let max_args = if dtype.kind() == Kind::Complex { 2 } else { 1 };
    if args.len() > max_args {
        return Err(PyTypeError::new_err(format!(
            "rawarray.{name}() takes at most {max_args} argument{} ({} given)",
            if max_args == 1 { "" } else { "s" },
            args.len()
        )));
    }
    if args.is_empty() {
        if dtype.kind() == Kind::Void {
            return Err(PyTypeError::new_err("void() missing required argument 'value' (pos 0)"));
        }
        return Ok((zero_of(dtype), dtype));
    }
    let obj = args.get_item(0)?;
    if dtype.kind() == Kind::Complex && args.len() == 2 {
        let c = py.get_type::<PyComplex>().call1((obj, args.get_item(1)?))?.cast_into::<PyComplex>()?;
        return Ok((Scalar::Complex(c.real(), c.imag()).cast(dtype), dtype));
    }
    value_for(&obj, dtype)
}

/// Converts one object to a value of `dtype` (the scalar constructors' rules).
pub fn value_for(obj: &Bound<'_, PyAny>, dtype: DType) -> PyResult<(Scalar, DType)> {
    let py = obj.py();
    // Another typed scalar, or a one-element array: an unsafe cast, as NumPy does.
    let typed = match typed_scalar_value(obj)? {
        Some(t) => Some(t),
        None => match obj.cast::<PyNdArray>() {
            Ok(a) if a.arr().ndim() == 0 => {
                let arr_pin = a.arr();
                let arr = &*arr_pin;
                Some((arr.get(&[]).map_err(crate::errors::to_py_err)?, arr.dtype()))
            }
            Ok(_) => {
                return Err(PyTypeError::new_err(
                    "rawarray scalar types accept only 0-d arrays (NumPy would return an array)",
                ))
            }
            Err(_) => None,
        },
    };
    if let Some((v @ Scalar::Complex(..), _)) = &typed {
        if matches!(dtype.kind(), Kind::Int | Kind::UInt | Kind::Float) {
            super::complex_to_real_warning(py, v)?;
        }
    }
    match dtype.kind() {
        Kind::Bool => Ok((Scalar::Bool(obj.is_truthy()?), dtype)),
        Kind::Int | Kind::UInt => {
            if let Some((v, _)) = typed {
                return Ok((cast_warn(py, &v, dtype)?, dtype));
            }
            let i = if obj.is_instance_of::<PyInt>() { obj.clone() } else { py.get_type::<PyInt>().call1((obj,))? };
            Ok((python_int_in_range(&i, dtype)?, dtype))
        }
        Kind::Float => {
            let v = match typed {
                Some((v, _)) => return Ok((cast_warn(py, &v, dtype)?, dtype)),
                None if obj.is_none() => Scalar::Float(f64::NAN),
                None => {
                    let f = if obj.is_instance_of::<PyFloat>() {
                        obj.clone()
                    } else {
                        py.get_type::<PyFloat>().call1((obj,))?
                    };
                    Scalar::Float(f.extract::<f64>()?)
                }
            };
            Ok((cast_warn_python(py, &v, dtype)?, dtype))
        }
        Kind::Complex => {
            let v = match typed {
                Some((v, _)) => return Ok((cast_warn(py, &v, dtype)?, dtype)),
                None if obj.is_none() => Scalar::Complex(f64::NAN, f64::NAN),
                None => {
                    let c = py.get_type::<PyComplex>().call1((obj,))?.cast_into::<PyComplex>()?;
                    Scalar::Complex(c.real(), c.imag())
                }
            };
            Ok((cast_warn_python(py, &v, dtype)?, dtype))
        }
        Kind::Bytes => {
            let raw: Vec<u8> = match typed {
                Some((Scalar::Bytes(b) | Scalar::Void(b), _)) => b,
                Some((v, _)) => v.to_string().into_bytes(),
                None => {
                    if let Ok(s) = obj.cast::<PyString>() {
                        s.call_method1("encode", ("ascii",))?.extract()?
                    } else if let Ok(b) = obj.cast::<PyBytes>() {
                        b.as_bytes().to_vec()
                    } else {
                        py.get_type::<PyBytes>().call1((obj,))?.extract()?
                    }
                }
            };
            // Like NumPy's `bytes_` (a `bytes` subclass) the object keeps its NUL bytes;
            // `item()` strips them.
            let n = raw.len();
            Ok((Scalar::Bytes(raw), DType::bytes(n)))
        }
        Kind::Void => {
            let raw: Vec<u8> = match typed {
                Some((Scalar::Bytes(b) | Scalar::Void(b), _)) => b,
                Some(_) => return Err(PyTypeError::new_err("void() accepts only bytes or an integer size")),
                None if obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>() => {
                    let n: usize = obj.extract()?;
                    vec![0; n]
                }
                None => obj.cast::<PyBytes>().map(|b| b.as_bytes().to_vec()).map_err(|_| {
                    PyTypeError::new_err(format!(
                        "void() argument must be bytes or an integer, not '{}'",
                        obj.get_type().name().map(|n| n.to_string()).unwrap_or_default()
                    ))
                })?,
            };
            let n = raw.len();
            Ok((Scalar::Void(raw), DType::void(n)))
        }
    }
}

/// A Python `int` as a value of integer `dtype`, refusing values out of range as NumPy 2.
///
/// # Errors
/// OverflowError "Python integer 300 out of bounds for uint8".
pub fn python_int_in_range(i: &Bound<'_, PyAny>, dtype: DType) -> PyResult<Scalar> {
    let Ok(v) = i.extract::<i128>() else {
        return Err(PyOverflowError::new_err("Python int too large to convert to C long"));
    };
    crate::convert::check_python_int(v, dtype)?;
    Ok(if dtype.kind() == Kind::Int { Scalar::Int(v as i64) } else { Scalar::UInt(v as u64) })
}

/// `v.cast(dtype)` with NumPy's cast warnings ("overflow encountered in cast" when a finite
/// value becomes infinite, "invalid value encountered in cast" for NaN or out-of-range
/// floats made integers), under the current `errstate`.
pub fn cast_warn(py: Python<'_>, v: &Scalar, dtype: DType) -> PyResult<Scalar> {
    cast_reporting(py, v, dtype, 0)
}

/// [`cast_warn`] for a Python float or complex: NumPy converts those with a C cast and
/// checks only for overflow, so a value too small for `dtype` becomes zero (or a
/// subnormal) without an underflow report (`np.float32(1e-200)`, `np.float32(2) * 1e-200`).
pub fn cast_warn_python(py: Python<'_>, v: &Scalar, dtype: DType) -> PyResult<Scalar> {
    cast_reporting(py, v, dtype, rawarray_core::fpe::bits::UNDERFLOW)
}

/// `v` cast to `dtype`, with the cast's flags reported, those in `unreported` left out.
fn cast_reporting(py: Python<'_>, v: &Scalar, dtype: DType, unreported: u8) -> PyResult<Scalar> {
    let r = v.cast(dtype);
    let bits = rawarray_core::kernels::cast::value_flags(v, dtype).to_bits();
    rawarray_core::fpe::record_cast(bits & !unreported);
    crate::errstate::report_cast(py)?;
    Ok(r)
}
