//! The index methods of `ndarray` (`take`, `put`, `compress`, `nonzero`, `repeat`): thin
//! wrappers over the functions in `crate::index_functions`.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use rawarray_core::promote::Casting;

use super::PyNdArray;
use crate::errors::IntoPy;
use crate::index_functions::{as_array, index_array, nonzero_impl, put_impl, repeat_impl, take_impl};
use crate::ndarray::ArrayRef;

#[pymethods]
impl PyNdArray {
    /// The elements (sub-arrays along `axis`) at `indices`.
    #[pyo3(signature = (indices, axis = None, out = None, mode = "raise"))]
    fn take<'py>(
        &self,
        py: Python<'py>,
        indices: &Bound<'py, PyAny>,
        axis: Option<isize>,
        out: Option<Bound<'py, PyNdArray>>,
        mode: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        take_impl(py, &self.arr(py), &index_array(indices, Casting::SameKind)?, axis, out.as_ref(), mode)
    }

    /// Writes `values` at the flat positions `indices`.
    #[pyo3(signature = (indices, values, mode = "raise"))]
    fn put(slf: &Bound<'_, Self>, indices: &Bound<'_, PyAny>, values: &Bound<'_, PyAny>, mode: &str) -> PyResult<()> {
        put_impl(slf, indices, values, mode)
    }

    /// The sub-arrays along `axis` (elements of the flattened array when `None`) where the
    /// 1-D `condition` is true.
    #[pyo3(signature = (condition, axis = None, out = None))]
    fn compress<'py>(
        &self,
        py: Python<'py>,
        condition: &Bound<'py, PyAny>,
        axis: Option<isize>,
        out: Option<Bound<'py, PyNdArray>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let cond = as_array(condition)?.arr().clone();
        if cond.ndim() != 1 {
            return Err(PyValueError::new_err("condition must be a 1-d array"));
        }
        let idx = rawarray_core::index::functions::nonzero(&cond).py()?.remove(0);
        take_impl(py, &self.arr(py), &idx, axis, out.as_ref(), "raise")
    }

    /// The coordinates of the true elements, one array per axis.
    fn nonzero<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        nonzero_impl(py, &self.arr(py))
    }

    /// Each element (sub-array along `axis`) repeated.
    #[pyo3(signature = (repeats, axis = None))]
    fn repeat<'py>(
        &self,
        py: Python<'py>,
        repeats: &Bound<'py, PyAny>,
        axis: Option<isize>,
    ) -> PyResult<Bound<'py, PyNdArray>> {
        repeat_impl(py, &self.arr(py), repeats, axis)
    }
}
