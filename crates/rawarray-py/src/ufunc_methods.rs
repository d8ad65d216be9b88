//! The ufunc methods `reduce`, `accumulate`, `reduceat`, `outer` and `at`: argument
//! handling as NumPy's. The ufuncs that have a dedicated reduction (`add` is `sum`,
//! `maximum` is `max`, ...) take it, so `add.reduce` keeps `sum`'s pairwise bits; the others
//! fold through their loop in the core (`rawarray_core::ufunc::methods`).

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use rawarray_core::layout::Order;
use rawarray_core::reduce::ReduceOp;
use rawarray_core::ufunc::methods::{self, ReduceArgs};

use crate::convert::{array_from_py, py_to_scalar, where_mask, CopyMode, OrderArg};
use crate::errors::IntoPy;
use crate::errstate::report;
use crate::ndarray::{make_owned, ArrayRef, PyNdArray};
use crate::reductions::{axis_mask, check_out, do_accumulate, do_reduce, finish_result, opt_dtype, write_or_wrap};
use crate::ufunc::PyUfunc;

/// An `axis=` argument whose default (0) differs from an explicit `None` (every axis).
pub enum AxisArg<'py> {
    /// Not given.
    Default,
    /// Given (possibly `None`).
    Given(Bound<'py, PyAny>),
}

impl<'a, 'py> FromPyObject<'a, 'py> for AxisArg<'py> {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        Ok(AxisArg::Given(obj.to_owned()))
    }
}

impl<'py> AxisArg<'py> {
    /// The axis object: the given one, or 0 (no axis for a 0-d array, as NumPy reduces a
    /// 0-d array to itself).
    fn object(&self, py: Python<'py>, ndim: usize) -> PyResult<Option<Bound<'py, PyAny>>> {
        match self {
            AxisArg::Given(a) => Ok(Some(a.clone())),
            AxisArg::Default if ndim == 0 => Ok(Some(PyTuple::empty(py).into_any())),
            AxisArg::Default => Ok(Some(0i64.into_pyobject(py)?.into_any())),
        }
    }
}

/// The dedicated reduction that is this ufunc's `reduce` (NumPy's `sum` is `add.reduce`).
fn dedicated(name: &str) -> Option<ReduceOp> {
    Some(match name {
        "add" => ReduceOp::Sum,
        "multiply" => ReduceOp::Prod,
        "maximum" => ReduceOp::Max,
        "minimum" => ReduceOp::Min,
        "logical_or" => ReduceOp::Any,
        "logical_and" => ReduceOp::All,
        "fmax" => ReduceOp::NanMax,
        "fmin" => ReduceOp::NanMin,
        _ => return None,
    })
}

fn as_array<'py>(a: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyNdArray>> {
    array_from_py(a, None, CopyMode::IfNeeded, OrderArg::K)
}

/// `out=` as one array: an array, a one-element tuple, or `None`.
fn single_out<'py>(out: Option<&Bound<'py, PyAny>>) -> PyResult<Option<Bound<'py, PyAny>>> {
    match out {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) => match o.cast::<PyTuple>() {
            Ok(t) if t.len() == 1 => Ok(Some(t.get_item(0)?)),
            Ok(_) => Err(PyValueError::new_err("The 'out' tuple must have exactly one entry")),
            Err(_) => Ok(Some(o.clone())),
        },
    }
}

/// The one axis of `accumulate` and `reduceat`, as NumPy's generic reduction reads it: an
/// int, a tuple of one int, or `None` (all axes: only a 1-d array has one); another count
/// is refused.
fn method_axis(axis: &AxisArg<'_>, ndim: usize, method: &str) -> PyResult<usize> {
    let axes = match axis {
        AxisArg::Default => return Ok(0),
        AxisArg::Given(a) => axis_mask(Some(a), ndim)?,
    };
    let mut picked = axes.iter().enumerate().filter(|&(_, &r)| r).map(|(k, _)| k);
    match (picked.next(), picked.next()) {
        (Some(k), None) => Ok(k),
        _ => Err(PyValueError::new_err(format!("{method} does not allow multiple axes"))),
    }
}

fn require_binary(uf: &rawarray_core::ufunc::Ufunc, method: &str) -> PyResult<()> {
    if uf.nin != 2 {
        return Err(PyValueError::new_err(format!("{method} only supported for binary functions")));
    }
    if uf.nout != 1 {
        return Err(PyValueError::new_err(format!("{method} only supported for functions returning a single value")));
    }
    Ok(())
}

#[pymethods]
impl PyUfunc {
    /// NumPy's `ufunc.reduce`: the ufunc folded along `axis` (0 by default; `None` for all
    /// axes, a tuple for several when the ufunc is reorderable).
    #[pyo3(signature = (array, axis=AxisArg::Default, dtype=None, out=None, keepdims=false, initial=None, r#where=None))]
    fn reduce<'py>(
        &self,
        py: Python<'py>,
        array: &Bound<'py, PyAny>,
        axis: AxisArg<'py>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
        keepdims: bool,
        initial: Option<&Bound<'py, PyAny>>,
        r#where: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let uf = self.uf;
        require_binary(uf, "reduce")?;
        let a = as_array(array)?;
        let ndim = a.arr().ndim();
        let axis = axis.object(py, ndim)?;
        let out = single_out(out)?;
        // `sum` and `prod` take `dtype=`; the other dedicated reductions have none.
        let typed = dtype.is_some_and(|d| !d.is_none()) && !matches!(uf.name, "add" | "multiply");
        if let Some(op) = dedicated(uf.name).filter(|_| !typed) {
            return do_reduce(&a, op, axis.as_ref(), dtype, out.as_ref(), keepdims, initial, r#where);
        }
        let arr = a.arr().clone();
        let axes = axis_mask(axis.as_ref(), ndim)?;
        let dtype = opt_dtype(dtype, true)?;
        let mask = where_mask(r#where)?;
        let index = methods::reduce_loop(uf, arr.dtype(), dtype).py()?;
        let rt = uf.loops[index].dtype(2);
        let initial = match initial {
            Some(i) if !i.is_none() => Some(py_to_scalar(i, rt)?),
            _ => None,
        };
        check_out(out.as_ref(), arr.shape(), &axes, keepdims, uf.name)?;
        let args = ReduceArgs { ufunc: uf, array: &arr, axes: &axes, dtype, initial, mask: mask.as_ref() };
        let (r, flags) = methods::reduce(&args).py()?;
        report(py, flags, "reduce", false)?;
        crate::errstate::report_cast(py)?;
        // The core gives the kept axes; `finish_result` wants the reduced ones as length 1.
        let kept: Vec<isize> =
            arr.shape().iter().zip(&axes).map(|(&d, &red)| if red { 1 } else { d as isize }).collect();
        let r = r.reshape(&kept, Order::C).py()?.0;
        finish_result(py, r, &axes, keepdims, out.as_ref())
    }

    /// NumPy's `ufunc.accumulate`: the running fold along `axis` (0 by default).
    #[pyo3(signature = (array, axis=AxisArg::Default, dtype=None, out=None))]
    fn accumulate<'py>(
        &self,
        py: Python<'py>,
        array: &Bound<'py, PyAny>,
        axis: AxisArg<'py>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let uf = self.uf;
        require_binary(uf, "accumulate")?;
        let a = as_array(array)?;
        let ndim = a.arr().ndim();
        if ndim == 0 {
            return Err(PyTypeError::new_err("cannot accumulate on a scalar"));
        }
        let k = method_axis(&axis, ndim, "accumulate")?;
        let out = single_out(out)?;
        if matches!(uf.name, "add" | "multiply") {
            let axis_obj = k.into_pyobject(py)?.into_any();
            return do_accumulate(&a, uf.name == "multiply", Some(&axis_obj), dtype, out.as_ref(), false);
        }
        let dtype = opt_dtype(dtype, false)?;
        let arr = a.arr().clone();
        let (r, flags) = methods::accumulate(uf, &arr, k, dtype).py()?;
        report(py, flags, "accumulate", false)?;
        write_or_wrap(py, r, out.as_ref(), "accumulation")
    }

    /// NumPy's `ufunc.reduceat`: the fold over each `indices[i]:indices[i + 1]` along `axis`.
    #[pyo3(signature = (array, indices, axis=AxisArg::Default, dtype=None, out=None))]
    fn reduceat<'py>(
        &self,
        py: Python<'py>,
        array: &Bound<'py, PyAny>,
        indices: &Bound<'py, PyAny>,
        axis: AxisArg<'py>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let uf = self.uf;
        require_binary(uf, "reduceat")?;
        let a = as_array(array)?;
        let ndim = a.arr().ndim();
        if ndim == 0 {
            return Err(PyTypeError::new_err("cannot reduceat on a scalar"));
        }
        let k = method_axis(&axis, ndim, "reduceat")?;
        let idx = array_from_py(indices, None, CopyMode::IfNeeded, OrderArg::C)?;
        let idx = idx.arr().clone();
        if idx.ndim() != 1 {
            return Err(PyValueError::new_err("index array must be 1-dimensional"));
        }
        let idx = idx.astype(rawarray_core::dtype::DType::INT64, Order::C).py()?;
        let list: Vec<i64> = (0..idx.size())
            .map(|i| match idx.get(&[i]) {
                Ok(rawarray_core::scalar::Scalar::Int(v)) => v,
                _ => 0,
            })
            .collect();
        let dtype = opt_dtype(dtype, false)?;
        let out = single_out(out)?;
        let arr = a.arr().clone();
        let (r, flags) = methods::reduceat(uf, &arr, &list, k, dtype).py()?;
        report(py, flags, "reduceat", false)?;
        write_or_wrap(py, r, out.as_ref(), "reduceat")
    }

    /// NumPy's `ufunc.outer`: the ufunc over every pair, `A[..., None, ...] op B`, with the
    /// ufunc's keywords.
    #[pyo3(signature = (a, b, /, **kwargs))]
    fn outer<'py>(
        slf: &Bound<'py, Self>,
        a: &Bound<'py, PyAny>,
        b: &Bound<'py, PyAny>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let uf = slf.get().uf;
        if uf.nin != 2 {
            return Err(PyValueError::new_err("outer product only supported for binary functions"));
        }
        let a = as_array(a)?;
        let b = as_array(b)?;
        let ar = a.arr().clone();
        let mut dims: Vec<isize> = ar.shape().iter().map(|&d| d as isize).collect();
        dims.extend(std::iter::repeat_n(1, b.arr().ndim()));
        let (expanded, _) = ar.reshape(&dims, Order::C).py()?;
        let expanded = crate::ndarray::make_view(&a, expanded)?;
        slf.call((expanded, b), kwargs)
    }

    /// NumPy's `ufunc.at`: `a[indices] = ufunc(a[indices], b)` unbuffered, so a repeated
    /// index applies the ufunc once per occurrence.
    #[pyo3(signature = (a, indices, b=None, /))]
    fn at<'py>(
        &self,
        py: Python<'py>,
        a: &Bound<'py, PyAny>,
        indices: &Bound<'py, PyAny>,
        b: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<()> {
        let uf = self.uf;
        let Ok(target) = a.cast::<PyNdArray>() else {
            return Err(PyTypeError::new_err("first operand must be array"));
        };
        target.get().check_writeable()?;
        let arr = target.arr().clone();
        // The flat C-order position of every selected element, through the indexing itself.
        let n = arr.size() as i64;
        let shape: Vec<isize> = arr.shape().iter().map(|&d| d as isize).collect();
        let flat = crate::construct::arange(py, &PyTuple::new(py, [n])?, None, None)?;
        let flat = flat.arr().reshape(&shape, Order::C).py()?.0;
        let flat = make_owned(py, flat)?;
        let selected = flat.as_any().get_item(indices)?;
        let positions = as_array(&selected)?.arr().clone();
        let values = match b {
            None if uf.nin == 1 => None,
            None => return Err(PyValueError::new_err("second operand needed for ufunc")),
            Some(_) if uf.nin == 1 => return Err(PyValueError::new_err("second operand provided when ufunc is unary")),
            Some(b) => {
                // NumPy converts the values with `asarray` (a Python number is not weak here).
                let v = as_array(b)?.arr().clone();
                let layout = v
                    .layout()
                    .broadcast_to(positions.shape())
                    .map_err(|_| PyValueError::new_err("array is not broadcastable to correct shape"))?;
                // SAFETY: a broadcast layout reaches only bytes the original layout reaches.
                Some(unsafe { v.view_unchecked(v.dtype(), layout) })
            }
        };
        let flags = methods::at(uf, &arr, &positions, values.as_ref()).py()?;
        // NumPy names the ufunc when its indexed loop ran (a 1-D target, ufuncs that have
        // one), else the method.
        let indexed = matches!(
            uf.name,
            "add" | "subtract" | "multiply" | "divide" | "floor_divide" | "maximum" | "minimum" | "fmax" | "fmin"
        );
        report(py, flags, if indexed && arr.ndim() == 1 { uf.name } else { "at" }, false)
    }
}
