//! The extension side of `rawarray.lib.stride_tricks`: `_as_strided`, a view with any
//! shape and strides that the core has checked against the array's whole buffer.

use std::sync::atomic::Ordering;

use pyo3::prelude::*;

use crate::construct::shape_from_py;
use crate::errors::IntoPy;
use crate::ndarray::ArrayRef;
use crate::ndarray::{make_view, strides_from_py, PyNdArray};

/// `_as_strided(x, shape=None, strides=None, writeable=True)`: the view of `x`'s buffer
/// with element `[0, ..., 0]` at `x`'s first element. `ValueError` when any reachable byte
/// lies outside the buffer that holds `x` (the rest of that buffer may be reached). The
/// result is read-only when `writeable` is false or `x` is read-only; `.base` is the array
/// that owns the memory (or the foreign object), as for every view.
#[pyfunction]
#[pyo3(signature = (x, shape = None, strides = None, writeable = true))]
#[pyo3(name = "_as_strided")]
pub fn as_strided<'py>(
    x: &Bound<'py, PyNdArray>,
    shape: Option<&Bound<'py, PyAny>>,
    strides: Option<&Bound<'py, PyAny>>,
    writeable: bool,
) -> PyResult<Bound<'py, PyNdArray>> {
    let shape = shape.filter(|s| !s.is_none()).map(shape_from_py).transpose()?;
    let strides = strides.filter(|s| !s.is_none()).map(strides_from_py).transpose()?;
    let view = x.arr().as_strided(shape.as_deref(), strides.as_deref()).py()?;
    let out = make_view(x, view)?;
    if !writeable {
        out.get().writeable.store(false, Ordering::Relaxed);
    }
    Ok(out)
}
