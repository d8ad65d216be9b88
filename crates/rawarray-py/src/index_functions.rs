//! Module-level index and casting functions (`take`, `put`, `nonzero`, `copyto`, `repeat`,
//! `promote_types`, `can_cast`, ...): argument conversion around `rawarray_core::index::functions`
//! and `rawarray_core::promote`.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyComplex, PyFloat, PyInt, PyTuple};
use rawarray_core::array::Array;
use rawarray_core::dtype::{DType, Kind};
use rawarray_core::index::functions;
use rawarray_core::kernels::take::IndexMode;
use rawarray_core::layout::Order;
use rawarray_core::promote::{self, Casting, PyScalarKind};

use crate::convert::{array_from_py, py_to_scalar, CopyMode, OrderArg};
use crate::dtype::{dtype_from_py, PyDType};
use crate::errors::IntoPy;
use crate::ndarray::ArrayRef;
use crate::ndarray::{make_owned, PyNdArray};

/// Any object as an array (no copy when it already is one).
pub fn as_array<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyNdArray>> {
    array_from_py(obj, None, CopyMode::IfNeeded, OrderArg::K)
}

/// NumPy's `AxisError` (from `rawarray.exceptions`) for `axis` on `ndim` axes.
fn axis_error(py: Python<'_>, axis: isize, ndim: usize) -> PyErr {
    match py.import("rawarray.exceptions").and_then(|m| m.getattr("AxisError")).and_then(|c| c.call1((axis, ndim))) {
        Ok(e) => PyErr::from_value(e),
        Err(e) => e,
    }
}

/// `axis` normalised against `ndim` (negative counts from the end), or NumPy's AxisError.
pub fn normalize_axis(py: Python<'_>, axis: isize, ndim: usize) -> PyResult<usize> {
    let n = ndim as isize;
    if axis < -n || axis >= n {
        return Err(axis_error(py, axis, ndim));
    }
    Ok(if axis < 0 { (axis + n) as usize } else { axis as usize })
}

/// Parses NumPy's `mode=` of `take`/`put`.
pub fn index_mode(mode: &str) -> PyResult<IndexMode> {
    match mode {
        "raise" => Ok(IndexMode::Raise),
        "wrap" => Ok(IndexMode::Wrap),
        "clip" => Ok(IndexMode::Clip),
        other => {
            Err(PyValueError::new_err(format!("clipmode must be one of 'clip', 'raise', or 'wrap' (got '{other}')")))
        }
    }
}

/// Parses NumPy's `casting=`.
pub fn casting_arg(casting: &str) -> PyResult<Casting> {
    Casting::parse(casting).py()
}

/// Index arrays as NumPy reads them: an ndarray must cast to int64 under `rule`
/// (`same_kind` for `take`, `safe` for `put`); other objects (lists) are converted and
/// their numbers cast to int64 unsafely.
pub fn index_array(obj: &Bound<'_, PyAny>, rule: Casting) -> PyResult<Array> {
    // Only lists, tuples and Python numbers are converted leniently.
    let strict = !(obj.is_instance_of::<pyo3::types::PyList>()
        || obj.is_instance_of::<PyTuple>()
        || obj.is_instance_of::<PyInt>()
        || obj.is_instance_of::<PyFloat>());
    let a = as_array(obj)?.arr().clone();
    let from = a.dtype();
    let ok = if strict {
        promote::can_cast(from, DType::INT64, rule)
    } else {
        matches!(from.kind(), Kind::Int | Kind::UInt | Kind::Bool | Kind::Float) || a.size() == 0
    };
    if !ok {
        let m = promote::cast_error(from, DType::INT64, rule).to_string();
        // NumPy words the refusal for a 0-d index as a scalar cast.
        let m = if a.ndim() == 0 { m.replacen("array data", "scalar", 1) } else { m };
        return Err(PyTypeError::new_err(m));
    }
    match from.kind() {
        Kind::Int | Kind::UInt => Ok(a),
        _ => a.astype(DType::INT64, Order::C).py(),
    }
}

/// A 0-d result as a typed scalar, anything else as an array.
fn array_or_scalar<'py>(py: Python<'py>, a: Array) -> PyResult<Bound<'py, PyAny>> {
    if a.ndim() == 0 {
        let s = a.get(&[]).py()?;
        return Ok(crate::scalar::scalar_to_py(py, &s, a.dtype())?.into_bound(py));
    }
    Ok(make_owned(py, a)?.into_any())
}

/// `take` for the function and the method.
pub fn take_impl<'py>(
    py: Python<'py>,
    a: &Array,
    idx: &Array,
    axis: Option<isize>,
    out: Option<&Bound<'py, PyNdArray>>,
    mode: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let mode = index_mode(mode)?;
    let axis = match axis {
        Some(ax) => Some(normalize_axis(py, ax, a.ndim().max(1))?),
        None => None,
    };
    // A 0-d array takes along its one (implicit) axis.
    let (a, axis) =
        if a.ndim() == 0 { (a.reshape(&[1], Order::C).py()?.0, axis.map(|_| 0)) } else { (a.clone(), axis) };
    if let Some(out) = out {
        // NumPy checks `out` before it looks at the indices.
        let mut shape: Vec<usize> = match axis {
            Some(ax) => a.shape()[..ax].to_vec(),
            None => Vec::new(),
        };
        shape.extend_from_slice(idx.shape());
        if let Some(ax) = axis {
            shape.extend_from_slice(&a.shape()[ax + 1..]);
        }
        let o = out.get();
        if o.arr(py).shape() != shape.as_slice() {
            return Err(PyValueError::new_err("output array does not match result of ndarray.take"));
        }
        if !promote::can_cast(o.arr(py).dtype(), a.dtype(), Casting::Safe) {
            let m = promote::cast_error(o.arr(py).dtype(), a.dtype(), Casting::Safe).to_string();
            // NumPy words the refusal for a 0-d `out` as a scalar cast.
            let m = if shape.is_empty() { m.replacen("array data", "scalar", 1) } else { m };
            return Err(PyTypeError::new_err(m));
        }
        o.check_writeable()?;
    }
    let r = functions::take(&a, idx, axis, mode).py()?;
    let Some(out) = out else { return array_or_scalar(py, r) };
    out.arr().assign(&r).py()?;
    crate::errstate::report_cast(py)?;
    Ok(out.clone().into_any())
}

/// `put` for the function and the method.
pub fn put_impl(a: &Bound<'_, PyNdArray>, ind: &Bound<'_, PyAny>, v: &Bound<'_, PyAny>, mode: &str) -> PyResult<()> {
    let me = a.get();
    let py = a.py();
    let mode = index_mode(mode)?;
    me.check_writeable()?;
    let idx = index_array(ind, Casting::Safe)?;
    if me.arr(py).size() == 0 && idx.size() > 0 {
        return Err(pyo3::exceptions::PyIndexError::new_err("cannot replace elements of an empty array"));
    }
    let values = array_from_py(v, Some(me.arr(py).dtype()), CopyMode::IfNeeded, OrderArg::C)?;
    let values = values.arr();
    functions::put(&me.arr(py), &idx, &values, mode).py()?;
    crate::errstate::report_cast(py)
}

/// `nonzero` for the function and the method.
pub fn nonzero_impl<'py>(py: Python<'py>, a: &Array) -> PyResult<Bound<'py, PyTuple>> {
    // As NumPy: one `(count, ndim)` block, returned as views of its columns.
    let block = make_owned(py, functions::nonzero_block(a).py()?)?;
    let cols = functions::columns(&block.arr()).py()?;
    let objs = cols.into_iter().map(|c| crate::ndarray::make_view(&block, c)).collect::<PyResult<Vec<_>>>()?;
    PyTuple::new(py, objs)
}

/// The counts of `repeat` (one number, or one per element) checked against the `n`
/// elements along the axis, in NumPy's order: length, then sign.
fn repeat_counts(repeats: &Bound<'_, PyAny>, n: usize) -> PyResult<Vec<usize>> {
    let r = as_array(repeats)?.arr().clone();
    if r.size() > 0 && !matches!(r.dtype().kind(), Kind::Int | Kind::UInt | Kind::Bool) {
        return Err(PyTypeError::new_err(format!(
            "Cannot cast array data from dtype('{}') to dtype('int64') according to the rule 'safe'",
            r.dtype().repr_spec()
        )));
    }
    if r.ndim() > 1 {
        return Err(PyValueError::new_err("object too deep for desired array"));
    }
    let vals: Vec<i64> = r.to_scalars().iter().map(|s| s.as_i64()).collect();
    if let [v] = vals[..] {
        if v < 0 && n > 0 {
            return Err(PyValueError::new_err("negative dimensions are not allowed"));
        }
        return Ok(vec![v.max(0) as usize]);
    }
    if vals.len() != n {
        return Err(PyValueError::new_err(format!(
            "operands could not be broadcast together with shape ({n},) ({},)",
            vals.len()
        )));
    }
    if vals.iter().any(|&v| v < 0) {
        return Err(PyValueError::new_err("repeats may not contain negative values."));
    }
    Ok(vals.into_iter().map(|v| v as usize).collect())
}

/// `repeat` for the function and the method.
pub fn repeat_impl<'py>(
    py: Python<'py>,
    a: &Array,
    repeats: &Bound<'py, PyAny>,
    axis: Option<isize>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let axis = match axis {
        Some(ax) if a.ndim() > 0 => Some(normalize_axis(py, ax, a.ndim())?),
        Some(ax) => {
            normalize_axis(py, ax, 1)?;
            None
        }
        None => None,
    };
    let n = match axis {
        Some(ax) => a.shape()[ax],
        None => a.size(),
    };
    let counts = repeat_counts(repeats, n)?;
    let r = functions::repeat(a, &counts, axis).py()?;
    make_owned(py, r)
}

/// `take(a, indices, axis=None, out=None, mode='raise')`.
#[pyfunction]
#[pyo3(signature = (a, indices, axis = None, out = None, mode = "raise"))]
pub fn take<'py>(
    a: &Bound<'py, PyAny>,
    indices: &Bound<'py, PyAny>,
    axis: Option<isize>,
    out: Option<Bound<'py, PyNdArray>>,
    mode: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let arr = as_array(a)?;
    let arr = arr.arr();
    take_impl(a.py(), &arr, &index_array(indices, Casting::SameKind)?, axis, out.as_ref(), mode)
}

/// `put(a, ind, v, mode='raise')`: `a` must be an ndarray.
#[pyfunction]
#[pyo3(signature = (a, ind, v, mode = "raise"))]
pub fn put(a: &Bound<'_, PyAny>, ind: &Bound<'_, PyAny>, v: &Bound<'_, PyAny>, mode: &str) -> PyResult<()> {
    let Ok(arr) = a.cast::<PyNdArray>() else {
        let name = a.get_type().name()?;
        return Err(PyTypeError::new_err(format!("argument 1 must be rawarray.ndarray, not {name}")));
    };
    put_impl(arr, ind, v, mode)
}

/// `nonzero(a)`: the coordinates of the true elements, one array per axis.
#[pyfunction]
pub fn nonzero<'py>(a: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyTuple>> {
    let arr = as_array(a)?;
    let arr = arr.arr();
    nonzero_impl(a.py(), &arr)
}

/// `repeat(a, repeats, axis=None)`.
#[pyfunction]
#[pyo3(signature = (a, repeats, axis = None))]
pub fn repeat<'py>(
    a: &Bound<'py, PyAny>,
    repeats: &Bound<'py, PyAny>,
    axis: Option<isize>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let arr = as_array(a)?;
    let arr = arr.arr();
    repeat_impl(a.py(), &arr, repeats, axis)
}

/// The kind of a Python scalar that NEP 50 treats as weak (`int`, `float`, `complex`).
pub(crate) fn weak_kind(obj: &Bound<'_, PyAny>) -> Option<PyScalarKind> {
    if obj.is_instance_of::<PyBool>() {
        None
    } else if obj.is_instance_of::<PyInt>() {
        Some(PyScalarKind::Int)
    } else if obj.is_instance_of::<PyFloat>() {
        Some(PyScalarKind::Float)
    } else if obj.is_instance_of::<PyComplex>() {
        Some(PyScalarKind::Complex)
    } else {
        None
    }
}

/// `copyto(dst, src, casting='same_kind', where=True)`.
#[pyfunction]
#[pyo3(signature = (dst, src, casting = "same_kind", r#where = None))]
pub fn copyto(
    dst: &Bound<'_, PyAny>,
    src: &Bound<'_, PyAny>,
    casting: &str,
    r#where: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    let Ok(d) = dst.cast::<PyNdArray>() else {
        let name = dst.get_type().name()?;
        return Err(PyTypeError::new_err(format!("copyto() argument 1 must be rawarray.ndarray, not {name}")));
    };
    let rule = casting_arg(casting)?;
    let me = d.get();
    let py = d.py();
    me.check_writeable()?;
    let dt = me.arr(py).dtype();
    // A Python number is weak (NEP 50): it becomes an element of the promoted dtype
    // (`result_type(dst, scalar)`, its value range-checked), which is then cast under the
    // rule. NumPy's `equiv` also insists that the number's default dtype (int64, float64,
    // complex128) be equivalent to that promoted dtype.
    let src_arr = match weak_kind(src) {
        Some(kind) => {
            let default = promote::result_type_weak(DType::BOOL, kind).py()?;
            let from = if matches!(dt.kind(), Kind::Bytes | Kind::Void) {
                default
            } else {
                promote::result_type_weak(dt, kind).unwrap_or(default)
            };
            if rule == Casting::Equiv && !promote::can_cast(default, from, Casting::Equiv) {
                let name = match kind {
                    PyScalarKind::Int => "int",
                    PyScalarKind::Float => "float",
                    _ => "complex",
                };
                return Err(PyTypeError::new_err(format!(
                    "cannot cast Python {name} to {} under the casting rule 'equiv'",
                    from.repr_spec()
                )));
            }
            let v = py_to_scalar(src, from)?;
            Array::full(from, &[], Order::C, &v).py()?
        }
        // Text: NumPy makes a `U` array and casts it, which only the 'unsafe' rule allows;
        // rawarray reads the text as an `S` array (ASCII, as that cast requires) and casts
        // that (numbers are parsed).
        None if crate::convert::holds_text(src) => {
            if rule != Casting::Unsafe {
                let chars = match src.cast::<pyo3::types::PyString>() {
                    Ok(t) => t.to_cow()?.chars().count(),
                    Err(_) => {
                        array_from_py(src, Some(DType::bytes(0)), CopyMode::IfNeeded, OrderArg::K)?.arr().itemsize()
                    }
                };
                let what = if crate::convert::is_sequence(src) { "array data" } else { "scalar" };
                return Err(PyTypeError::new_err(format!(
                    "Cannot cast {what} from dtype('<U{chars}') to dtype('{}') according to the rule '{}'",
                    dt.repr_spec(),
                    rule.name()
                )));
            }
            array_from_py(src, Some(DType::bytes(0)), CopyMode::IfNeeded, OrderArg::K)?.arr().clone()
        }
        None => as_array(src)?.arr().clone(),
    };
    let src_arr = (src_arr, rule);
    let mask = match r#where {
        None => None,
        Some(w) if w.is_instance_of::<PyBool>() && w.is_truthy()? => None,
        Some(w) => Some(as_array(w)?.arr().clone()),
    };
    let (from, rule) = (src_arr.0.dtype(), src_arr.1);
    if !promote::can_cast(from, dt, rule) {
        let m = promote::cast_error(from, dt, rule).to_string();
        // NumPy words a refused cast of a 0-d source as a scalar cast.
        let m = if src_arr.0.ndim() == 0 { m.replacen("cast array data", "cast scalar", 1) } else { m };
        return Err(PyTypeError::new_err(m));
    }
    functions::copyto(&me.arr(py), &src_arr.0, rule, mask.as_ref()).py()?;
    crate::errstate::report_cast(py)
}

/// `promote_types(type1, type2)`.
#[pyfunction]
pub fn promote_types(type1: &Bound<'_, PyAny>, type2: &Bound<'_, PyAny>) -> PyResult<PyDType> {
    let d = promote::promote_types(dtype_from_py(type1)?, dtype_from_py(type2)?).py()?;
    Ok(PyDType { dtype: d })
}

/// The dtype of an array, a typed scalar or a dtype-like argument of `can_cast`.
fn dtype_of(obj: &Bound<'_, PyAny>) -> PyResult<DType> {
    if let Ok(a) = obj.cast::<PyNdArray>() {
        return Ok(a.arr().dtype());
    }
    if !obj.is_instance_of::<pyo3::types::PyType>() {
        if let Ok(d) = obj.getattr("dtype") {
            if let Ok(d) = d.cast::<PyDType>() {
                return Ok(d.get().dtype);
            }
        }
    }
    dtype_from_py(obj)
}

/// `can_cast(from_, to, casting='safe')`: Python numbers are refused as in NumPy 2.
#[pyfunction]
#[pyo3(signature = (from_, to, casting = "safe"))]
pub fn can_cast(from_: &Bound<'_, PyAny>, to: &Bound<'_, PyAny>, casting: &str) -> PyResult<bool> {
    let rule = casting_arg(casting)?;
    if from_.is_instance_of::<PyInt>() || from_.is_instance_of::<PyFloat>() || from_.is_instance_of::<PyComplex>() {
        return Err(PyTypeError::new_err(
            "can_cast() does not support Python ints, floats, and complex because the result used to depend on the value.\nThis change was part of adopting NEP 50, we may explicitly allow them again in the future.",
        ));
    }
    let from = dtype_of(from_)?;
    let to = dtype_from_py(to)?;
    let to = rawarray_core::kernels::cast::resolve_unsized(from, to);
    Ok(promote::can_cast(from, to, rule))
}

/// The truth value of every element as a bool array (NumPy's `nonzero` rule; a helper of
/// `where`, `place` and `putmask`).
#[pyfunction]
pub fn _truth<'py>(a: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyNdArray>> {
    let arr = as_array(a)?;
    let t = functions::truth(&arr.arr()).py()?;
    if t.dtype() == arr.arr().dtype() {
        return Ok(arr);
    }
    make_owned(a.py(), t)
}

/// A new array of `shape` whose memory order follows `perm` (outermost axis first), with
/// unspecified contents (recycled memory, no zeroing): the result of `concatenate` before
/// the inputs are copied in.
#[pyfunction]
pub fn _empty_perm<'py>(
    py: Python<'py>,
    shape: Vec<usize>,
    dtype: &Bound<'py, PyAny>,
    perm: Vec<usize>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let d = dtype_from_py(dtype)?;
    if perm.len() != shape.len() || shape.is_empty() && !perm.is_empty() {
        return Err(PyValueError::new_err("perm must be a permutation of the axes"));
    }
    let permuted: Vec<usize> = perm.iter().map(|&p| shape.get(p).copied().unwrap_or(0)).collect();
    let block = Array::empty(d, &permuted, Order::C).py()?;
    let mut inverse = vec![0usize; perm.len()];
    for (k, &p) in perm.iter().enumerate() {
        if p >= perm.len() {
            return Err(PyValueError::new_err("perm must be a permutation of the axes"));
        }
        inverse[p] = k;
    }
    make_owned(py, block.transpose(Some(&inverse)).py()?)
}

/// Registers the functions of this file.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(take, m)?)?;
    m.add_function(wrap_pyfunction!(put, m)?)?;
    m.add_function(wrap_pyfunction!(nonzero, m)?)?;
    m.add_function(wrap_pyfunction!(repeat, m)?)?;
    m.add_function(wrap_pyfunction!(copyto, m)?)?;
    m.add_function(wrap_pyfunction!(promote_types, m)?)?;
    m.add_function(wrap_pyfunction!(can_cast, m)?)?;
    m.add_function(wrap_pyfunction!(_truth, m)?)?;
    m.add_function(wrap_pyfunction!(_empty_perm, m)?)?;
    Ok(())
}
