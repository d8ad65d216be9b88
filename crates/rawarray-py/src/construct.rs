//! Array creation functions: `array`, `asarray`, `empty`/`zeros`/`ones`/`full` and their
//! `_like` forms, `arange`, `frombuffer`.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyTuple};
use rawarray_core::array::Array;
use rawarray_core::dtype::{DType, Kind};
use rawarray_core::layout::Order;
use rawarray_core::scalar::Scalar;

use crate::convert::{array_from_py, CopyMode, OrderArg};
use crate::dtype::dtype_from_py;
use crate::errors::IntoPy;
use crate::ndarray::ArrayRef;
use crate::ndarray::{make_owned, PyNdArray};

fn opt_dtype(dtype: Option<&Bound<'_, PyAny>>) -> PyResult<Option<DType>> {
    match dtype {
        None => Ok(None),
        Some(d) if d.is_none() => Ok(None),
        Some(d) => dtype_from_py(d).map(Some),
    }
}

/// Reads a shape argument: an int or a sequence of ints; negative sizes are refused.
pub fn shape_from_py(shape: &Bound<'_, PyAny>) -> PyResult<Vec<usize>> {
    // Fast paths for the common spellings: an int, or a tuple of ints.
    if let Ok(i) = shape.cast::<pyo3::types::PyInt>() {
        if let Ok(d) = i.extract::<isize>() {
            return dims_to_shape(vec![d]);
        }
    }
    if let Ok(t) = shape.cast::<PyTuple>() {
        let dims: Option<Vec<isize>> =
            t.iter().map(|x| x.cast::<pyo3::types::PyInt>().ok()?.extract::<isize>().ok()).collect();
        if let Some(d) = dims {
            return dims_to_shape(d);
        }
    }
    let dims: Vec<isize> = match shape.try_iter() {
        Ok(it) => it
            .map(|x| {
                let x = x?;
                x.call_method0("__index__")
                    .map_err(|_| {
                        PyTypeError::new_err(format!(
                            "'{}' object cannot be interpreted as an integer",
                            x.get_type().name().map(|n| n.to_string()).unwrap_or_default()
                        ))
                    })?
                    .extract::<isize>()
                    .map_err(|_| PyValueError::new_err("array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size."))
            })
            .collect::<PyResult<_>>()?,
        Err(_) => vec![shape
            .call_method0("__index__")
            .map_err(|_| {
                PyTypeError::new_err(format!(
                    "'{}' object cannot be interpreted as an integer",
                    shape.get_type().name().map(|n| n.to_string()).unwrap_or_default()
                ))
            })?
            .extract::<isize>()
            .map_err(|_| PyValueError::new_err("array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size."))?],
    };
    dims_to_shape(dims)
}

fn dims_to_shape(dims: Vec<isize>) -> PyResult<Vec<usize>> {
    if dims.iter().any(|&d| d < 0) {
        return Err(PyValueError::new_err("negative dimensions are not allowed"));
    }
    Ok(dims.into_iter().map(|d| d as usize).collect())
}

fn creation_order(order: &str) -> PyResult<Order> {
    match OrderArg::parse(Some(order), OrderArg::C)? {
        OrderArg::F => Ok(Order::F),
        OrderArg::C => Ok(Order::C),
        _ => Err(PyValueError::new_err("only 'C' or 'F' order is permitted")),
    }
}

/// A creation dtype: `S0` becomes `S1` as in NumPy.
fn sized(d: DType) -> DType {
    if d.is_unsized() && d.kind() == Kind::Bytes {
        DType::bytes(1)
    } else {
        d
    }
}

/// `array(object, dtype=None, *, copy=True, order='K', subok=False, ndmin=0, like=None)`
#[pyfunction]
#[pyo3(signature = (object, dtype = None, *, copy = Some(true), order = "K", subok = false, ndmin = 0, like = None))]
pub fn array<'py>(
    object: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    copy: Option<bool>,
    order: Option<&str>,
    subok: bool,
    ndmin: usize,
    like: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let _ = (subok, like);
    let copy = match copy {
        None => CopyMode::IfNeeded,
        Some(true) => CopyMode::Always,
        Some(false) => CopyMode::Never,
    };
    let a = array_from_py(object, opt_dtype(dtype)?, copy, OrderArg::parse(order, OrderArg::K)?)?;
    with_ndmin(a, ndmin)
}

fn with_ndmin<'py>(a: Bound<'py, PyNdArray>, ndmin: usize) -> PyResult<Bound<'py, PyNdArray>> {
    let nd = a.arr().ndim();
    if ndmin <= nd {
        return Ok(a);
    }
    let items: Vec<_> = std::iter::repeat_n(rawarray_core::index::IndexItem::NewAxis, ndmin - nd)
        .chain(std::iter::once(rawarray_core::index::IndexItem::Ellipsis))
        .collect();
    let v = rawarray_core::index::basic_index(&a.arr(), &items).py()?;
    crate::ndarray::make_view(&a, v)
}

/// `asarray(a, dtype=None, order=None, *, copy=None)`
#[pyfunction]
#[pyo3(signature = (a, dtype = None, order = None, *, copy = None, like = None))]
pub fn asarray<'py>(
    a: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    order: Option<&str>,
    copy: Option<&Bound<'py, PyAny>>,
    like: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let _ = like;
    array_from_py(a, opt_dtype(dtype)?, CopyMode::from_py(copy)?, OrderArg::parse(order, OrderArg::K)?)
}

/// A new zero-filled array of a shape argument, dtype and creation order.
fn zero_filled<'py>(
    py: Python<'py>,
    shape: &Bound<'py, PyAny>,
    dtype: DType,
    order: &str,
) -> PyResult<Bound<'py, PyNdArray>> {
    let shape = shape_from_py(shape)?;
    make_owned(py, Array::zeros(sized(dtype), &shape, creation_order(order)?).py()?)
}

/// `empty(shape, dtype=float, order='C')` (zero-filled: fresh pages cost nothing extra).
#[pyfunction]
#[pyo3(signature = (shape, dtype = None, order = "C", *, like = None))]
pub fn empty<'py>(
    py: Python<'py>,
    shape: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    order: &str,
    like: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let _ = like;
    zero_filled(py, shape, opt_dtype(dtype)?.unwrap_or(DType::FLOAT64), order)
}

/// A new array of `shape` laid out in the order NumPy's iterator picks for `operands`
/// broadcast to it (the `K` order of `where`'s result). Private: `_empty_keep_order`.
#[pyfunction]
#[pyo3(name = "_empty_keep_order", signature = (shape, dtype, operands, /))]
pub fn empty_keep_order<'py>(
    py: Python<'py>,
    shape: &Bound<'py, PyAny>,
    dtype: &Bound<'py, PyAny>,
    operands: Vec<Bound<'py, PyNdArray>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let shape = shape_from_py(shape)?;
    let dtype = sized(dtype_from_py(dtype)?);
    let pins: Vec<_> = operands.iter().map(|o| o.arr()).collect();
    let refs: Vec<&Array> = pins.iter().map(|p| &**p).collect();
    let out = Array::empty_keep_order_of(dtype, &shape, &refs).py()?;
    drop(pins);
    make_owned(py, out)
}

/// `zeros(shape, dtype=float, order='C')`
#[pyfunction]
#[pyo3(signature = (shape, dtype = None, order = "C", *, like = None))]
pub fn zeros<'py>(
    py: Python<'py>,
    shape: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    order: &str,
    like: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    empty(py, shape, dtype, order, like)
}

/// `ones(shape, dtype=float, order='C')`
#[pyfunction]
#[pyo3(signature = (shape, dtype = None, order = "C", *, like = None))]
pub fn ones<'py>(
    py: Python<'py>,
    shape: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    order: &str,
    like: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let _ = like;
    let d = sized(opt_dtype(dtype)?.unwrap_or(DType::FLOAT64));
    let shape = shape_from_py(shape)?;
    make_owned(py, Array::full(d, &shape, creation_order(order)?, &one_of(d)).py()?)
}

/// The dtype NumPy gives `full` for a Python fill value when no dtype is given.
fn fill_dtype(value: &Bound<'_, PyAny>) -> PyResult<DType> {
    let a = array_from_py(value, None, CopyMode::Always, OrderArg::K)?;
    let dt = a.arr().dtype();
    Ok(dt)
}

/// `full(shape, fill_value, dtype=None, order='C')`
#[pyfunction]
#[pyo3(signature = (shape, fill_value, dtype = None, order = "C", *, like = None))]
pub fn full<'py>(
    py: Python<'py>,
    shape: &Bound<'py, PyAny>,
    fill_value: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    order: &str,
    like: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let _ = like;
    let d = match opt_dtype(dtype)? {
        Some(d) => d,
        None => fill_dtype(fill_value)?,
    };
    let shape_v = shape_from_py(shape)?;
    let out = Array::zeros(sized(d), &shape_v, creation_order(order)?).py()?;
    fill_unsafe(make_owned(py, out)?, fill_value)
}

/// Fills a new array as NumPy's `full` does: `copyto(out, fill_value, casting='unsafe')`,
/// so a Python float in an integer array is cast (with its "invalid value" warning), not
/// refused as an assignment would.
fn fill_unsafe<'py>(out: Bound<'py, PyNdArray>, fill_value: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyNdArray>> {
    crate::index_functions::copyto(out.as_any(), fill_value, "unsafe", None)?;
    Ok(out)
}

/// The new array of a `*_like` function: the prototype's shape and memory order (or `shape`).
fn like_array(proto: &Array, dtype: DType, order: &str, shape: Option<&Bound<'_, PyAny>>) -> PyResult<Array> {
    let o = OrderArg::parse(Some(order), OrderArg::K)?;
    match shape {
        Some(s) if !s.is_none() => {
            let s = shape_from_py(s)?;
            if o == OrderArg::K && s.len() == proto.ndim() {
                return proto.zeros_keep_order_shaped(dtype, &s).py();
            }
            Array::zeros(dtype, &s, if o == OrderArg::K { Order::C } else { o.resolve(proto) }).py()
        }
        _ => o.zeros_like(proto, dtype).py(),
    }
}

/// The zero-filled result of a `*_like` function: the prototype's dtype (or `dtype`), shape
/// (or `shape`) and memory order.
fn new_like(
    prototype: &Bound<'_, PyAny>,
    dtype: Option<&Bound<'_, PyAny>>,
    order: &str,
    shape: Option<&Bound<'_, PyAny>>,
) -> PyResult<Array> {
    let p = array_from_py(prototype, None, CopyMode::IfNeeded, OrderArg::K)?;
    let proto_pin = p.arr();
    let proto = &*proto_pin;
    let d = sized(opt_dtype(dtype)?.unwrap_or(proto.dtype()));
    like_array(proto, d, order, shape)
}

/// The value `ones` fills with: 1, or `b'1'` for bytes.
fn one_of(d: DType) -> Scalar {
    if d.kind() == Kind::Bytes {
        Scalar::Bytes(b"1".to_vec())
    } else {
        Scalar::Int(1)
    }
}

macro_rules! like_fn {
    ($name:ident, $doc:literal, $fill:expr) => {
        #[doc = $doc]
        #[pyfunction]
        #[pyo3(signature = (prototype, dtype = None, order = "K", subok = true, shape = None))]
        pub fn $name<'py>(
            py: Python<'py>,
            prototype: &Bound<'py, PyAny>,
            dtype: Option<&Bound<'py, PyAny>>,
            order: &str,
            subok: bool,
            shape: Option<&Bound<'py, PyAny>>,
        ) -> PyResult<Bound<'py, PyNdArray>> {
            let _ = subok;
            let a = new_like(prototype, dtype, order, shape)?;
            let f: Option<Scalar> = ($fill)(a.dtype());
            if let Some(v) = f {
                a.fill(&v).py()?;
            }
            make_owned(py, a)
        }
    };
}

like_fn!(empty_like, "`empty_like(prototype, dtype=None, order='K', subok=True, shape=None)`", |_d: DType| None);
like_fn!(zeros_like, "`zeros_like(prototype, dtype=None, order='K', subok=True, shape=None)`", |_d: DType| None);
like_fn!(ones_like, "`ones_like(prototype, dtype=None, order='K', subok=True, shape=None)`", |d: DType| Some(one_of(
    d
)));

/// `full_like(a, fill_value, dtype=None, order='K', subok=True, shape=None)`
#[pyfunction]
#[pyo3(signature = (a, fill_value, dtype = None, order = "K", subok = true, shape = None))]
pub fn full_like<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    fill_value: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    order: &str,
    subok: bool,
    shape: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let _ = subok;
    let out = new_like(a, dtype, order, shape)?;
    fill_unsafe(make_owned(py, out)?, fill_value)
}

/// `arange([start,] stop[, step,], dtype=None)`
#[pyfunction]
#[pyo3(signature = (*args, dtype = None, like = None))]
pub fn arange<'py>(
    py: Python<'py>,
    args: &Bound<'py, PyTuple>,
    dtype: Option<&Bound<'py, PyAny>>,
    like: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let _ = like;
    let (start, stop, step) = match args.len() {
        1 => (None, args.get_item(0)?, None),
        2 => (Some(args.get_item(0)?), args.get_item(1)?, None),
        3 => (Some(args.get_item(0)?), args.get_item(1)?, Some(args.get_item(2)?)),
        0 => return Err(PyTypeError::new_err("arange() requires stop to be specified.")),
        _ => return Err(PyTypeError::new_err("arange() takes from 1 to 3 positional arguments")),
    };
    let all: Vec<&Bound<'py, PyAny>> = [start.as_ref(), Some(&stop), step.as_ref()].into_iter().flatten().collect();
    let any_float = all.iter().any(|o| o.is_instance_of::<PyFloat>());
    let any_complex = all.iter().any(|o| o.is_instance_of::<pyo3::types::PyComplex>());
    if any_complex {
        return Err(PyTypeError::new_err("rawarray.arange does not support complex arguments"));
    }
    let inferred = if any_float { DType::FLOAT64 } else { DType::INT64 };
    let d = opt_dtype(dtype)?.unwrap_or(inferred);
    let fstart: f64 = start.as_ref().map(|s| s.extract()).transpose()?.unwrap_or(0.0);
    let fstop: f64 = stop.extract()?;
    let fstep: f64 = step.as_ref().map(|s| s.extract()).transpose()?.unwrap_or(1.0);
    if fstep == 0.0 {
        return Err(PyValueError::new_err("Maximum allowed size exceeded"));
    }
    let len = ((fstop - fstart) / fstep).ceil();
    let n = if len.is_nan() {
        return Err(PyValueError::new_err("arange: cannot compute length"));
    } else if len <= 0.0 {
        0usize
    } else if len > isize::MAX as f64 {
        return Err(PyValueError::new_err("Maximum allowed size exceeded"));
    } else {
        len as usize
    };
    let out = Array::zeros(sized(d), &[n], Order::C).py()?;
    if !any_float && matches!(d.kind(), Kind::Int | Kind::UInt | Kind::Bool) {
        let istart: i64 = start.as_ref().map(|s| s.extract()).transpose()?.unwrap_or(0);
        let istep: i64 = step.as_ref().map(|s| s.extract()).transpose()?.unwrap_or(1);
        let vals: Vec<Scalar> =
            (0..n as i64).map(|i| Scalar::Int(istart.wrapping_add(i.wrapping_mul(istep)))).collect();
        crate::convert::write_c_order(&out, &vals);
    } else {
        // NumPy fills with start + i * delta, where delta is the difference of the first two
        // values computed in the output type.
        let delta = (fstart + fstep) - fstart;
        let vals: Vec<Scalar> = (0..n).map(|i| Scalar::Float(fstart + i as f64 * delta)).collect();
        crate::convert::write_c_order(&out, &vals);
    }
    make_owned(py, out)
}

/// `frombuffer(buffer, dtype=float, count=-1, offset=0)`
#[pyfunction]
#[pyo3(signature = (buffer, dtype = None, count = -1, offset = 0, *, like = None))]
pub fn frombuffer<'py>(
    buffer: &Bound<'py, PyAny>,
    dtype: Option<&Bound<'py, PyAny>>,
    count: isize,
    offset: isize,
    like: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let _ = like;
    let d = opt_dtype(dtype)?.unwrap_or(DType::FLOAT64);
    crate::protocols::frombuffer(buffer, d, count, offset)
}
