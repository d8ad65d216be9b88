//! ndarray reduction methods (`a.sum()`, `a.argmax(axis=0)`, ...): NumPy's method
//! signatures over the shared argument handling in `crate::reductions`.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use rawarray_core::dtype::Kind;
use rawarray_core::reduce::ReduceOp;

use super::PyNdArray;
use crate::reductions::{do_accumulate, do_arg, do_mean, do_ptp, do_reduce, do_var};

#[pymethods]
impl PyNdArray {
    /// Sum of the elements over the given axes.
    #[pyo3(signature = (axis=None, dtype=None, out=None, keepdims=false, initial=None, r#where=None))]
    #[allow(clippy::too_many_arguments, reason = "NumPy's signature")]
    fn sum<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
        keepdims: bool,
        initial: Option<&Bound<'py, PyAny>>,
        r#where: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        do_reduce(slf, ReduceOp::Sum, axis, dtype, out, keepdims, initial, r#where)
    }

    /// Product of the elements over the given axes.
    #[pyo3(signature = (axis=None, dtype=None, out=None, keepdims=false, initial=None, r#where=None))]
    #[allow(clippy::too_many_arguments, reason = "NumPy's signature")]
    fn prod<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
        keepdims: bool,
        initial: Option<&Bound<'py, PyAny>>,
        r#where: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        do_reduce(slf, ReduceOp::Prod, axis, dtype, out, keepdims, initial, r#where)
    }

    /// Maximum over the given axes (NaN-propagating).
    #[pyo3(signature = (axis=None, out=None, keepdims=false, initial=None, r#where=None))]
    fn max<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
        keepdims: bool,
        initial: Option<&Bound<'py, PyAny>>,
        r#where: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        do_reduce(slf, ReduceOp::Max, axis, None, out, keepdims, initial, r#where)
    }

    /// Minimum over the given axes (NaN-propagating).
    #[pyo3(signature = (axis=None, out=None, keepdims=false, initial=None, r#where=None))]
    fn min<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
        keepdims: bool,
        initial: Option<&Bound<'py, PyAny>>,
        r#where: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        do_reduce(slf, ReduceOp::Min, axis, None, out, keepdims, initial, r#where)
    }

    /// Whether any element over the given axes is true.
    /// (NumPy's method takes a `dtype` second, which only a bool dtype passes.)
    #[pyo3(signature = (axis=None, dtype=None, out=None, keepdims=false, *, r#where=None))]
    fn any<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
        keepdims: bool,
        r#where: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        logical_dtype(dtype, "logical_or")?;
        do_reduce(slf, ReduceOp::Any, axis, None, out, keepdims, None, r#where)
    }

    /// Whether all elements over the given axes are true.
    /// (NumPy's method takes a `dtype` second, which only a bool dtype passes.)
    #[pyo3(signature = (axis=None, dtype=None, out=None, keepdims=false, *, r#where=None))]
    fn all<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
        keepdims: bool,
        r#where: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        logical_dtype(dtype, "logical_and")?;
        do_reduce(slf, ReduceOp::All, axis, None, out, keepdims, None, r#where)
    }

    /// Index of the first maximum (or first NaN).
    #[pyo3(signature = (axis=None, out=None, *, keepdims=false))]
    fn argmax<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
        keepdims: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        do_arg(slf, true, axis, out, keepdims, false)
    }

    /// Index of the first minimum (or first NaN).
    #[pyo3(signature = (axis=None, out=None, *, keepdims=false))]
    fn argmin<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
        keepdims: bool,
    ) -> PyResult<Bound<'py, PyAny>> {
        do_arg(slf, false, axis, out, keepdims, false)
    }

    /// Arithmetic mean over the given axes.
    #[pyo3(signature = (axis=None, dtype=None, out=None, keepdims=false, *, r#where=None))]
    fn mean<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
        keepdims: bool,
        r#where: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        do_mean(slf, axis, dtype, out, keepdims, r#where)
    }

    /// Variance over the given axes.
    #[pyo3(signature = (axis=None, dtype=None, out=None, ddof=None, keepdims=false, *, r#where=None, mean=None))]
    #[allow(clippy::too_many_arguments, reason = "NumPy's signature")]
    fn var<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
        ddof: Option<&Bound<'py, PyAny>>,
        keepdims: bool,
        r#where: Option<&Bound<'py, PyAny>>,
        mean: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        do_var(slf, axis, dtype, out, ddof, keepdims, r#where, mean, None, false, false)
    }

    /// Standard deviation over the given axes.
    #[pyo3(signature = (axis=None, dtype=None, out=None, ddof=None, keepdims=false, *, r#where=None, mean=None))]
    #[allow(clippy::too_many_arguments, reason = "NumPy's signature")]
    fn std<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
        ddof: Option<&Bound<'py, PyAny>>,
        keepdims: bool,
        r#where: Option<&Bound<'py, PyAny>>,
        mean: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        do_var(slf, axis, dtype, out, ddof, keepdims, r#where, mean, None, true, false)
    }

    /// Cumulative sum along an axis (flattened when `axis` is None).
    #[pyo3(signature = (axis=None, dtype=None, out=None))]
    fn cumsum<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        do_accumulate(slf, false, axis, dtype, out, false)
    }

    /// Cumulative product along an axis (flattened when `axis` is None).
    #[pyo3(signature = (axis=None, dtype=None, out=None))]
    fn cumprod<'py>(
        slf: &Bound<'py, Self>,
        axis: Option<&Bound<'py, PyAny>>,
        dtype: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        do_accumulate(slf, true, axis, dtype, out, false)
    }
}

/// The `dtype=` of `any`/`all`: none or bool, else NumPy's error for its logical ufunc.
fn logical_dtype(dtype: Option<&Bound<'_, PyAny>>, ufunc: &str) -> PyResult<()> {
    match dtype.filter(|d| !d.is_none()) {
        Some(d) if crate::dtype::dtype_from_py(d)?.kind() != Kind::Bool => Err(PyTypeError::new_err(format!(
            "No loop matching the specified signature and casting was found for ufunc {ufunc}"
        ))),
        _ => Ok(()),
    }
}

/// `a.ptp` does not exist in NumPy 2 (only `np.ptp`); kept off the class.
#[allow(dead_code, reason = "documentation of a deliberate omission")]
fn ptp_is_a_function_only() {
    let _ = do_ptp;
}
