//! `may_share_memory`, `shares_memory` and the address bounds behind
//! `rawarray.lib.array_utils.byte_bounds`, over `rawarray_core::overlap`.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rawarray_core::overlap;
use rawarray_core::Error;

use crate::convert::{array_from_py, CopyMode, OrderArg};
use crate::errors::IntoPy;
use crate::ndarray::ArrayRef;
use crate::ndarray::PyNdArray;

pyo3::create_exception!(
    rawarray,
    TooHardError,
    pyo3::exceptions::PyRuntimeError,
    "Raised when `shares_memory` would need more than `max_work` work (NumPy's `numpy.exceptions.TooHardError`)."
);

fn as_array<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyNdArray>> {
    if let Ok(a) = obj.cast::<PyNdArray>() {
        return Ok(a.clone());
    }
    array_from_py(obj, None, CopyMode::IfNeeded, OrderArg::K)
}

/// NumPy's `max_work`: `None` gives the default, -1 (and -2) mean exact, others a bound.
fn max_work_arg(max_work: Option<isize>, default: Option<usize>) -> PyResult<Option<usize>> {
    match max_work {
        None => Ok(default),
        Some(-1 | -2) => Ok(None),
        Some(n) if n < 0 => Err(PyValueError::new_err("Invalid value for max_work")),
        Some(n) => Ok(Some(n as usize)),
    }
}

/// `shares_memory(a, b, /, max_work=None)`: exact; `TooHardError` past `max_work`.
#[pyfunction]
#[pyo3(signature = (a, b, /, max_work = None))]
pub fn shares_memory(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>, max_work: Option<isize>) -> PyResult<bool> {
    let (a, b) = (as_array(a)?, as_array(b)?);
    let mw = max_work_arg(max_work, None)?;
    let (a, b) = (a.arr(), b.arr());
    overlap::shares_memory(&a, &b, mw).py()
}

/// `may_share_memory(a, b, /, max_work=0)`: byte bounds by default; with `max_work` the
/// exact answer, or `True` when that needs more work.
#[pyfunction]
#[pyo3(signature = (a, b, /, max_work = 0))]
pub fn may_share_memory(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>, max_work: Option<isize>) -> PyResult<bool> {
    let (a, b) = (as_array(a)?, as_array(b)?);
    let mw = max_work_arg(max_work, Some(0))?;
    let (a, b) = (&a.arr(), &b.arr());
    if mw == Some(0) {
        return Ok(overlap::may_share_memory(a, b));
    }
    match overlap::shares_memory(a, b, mw) {
        Err(Error::TooHard(_)) => Ok(true),
        r => r.py(),
    }
}

/// `_byte_bounds(a, /)`: the lowest and one-past-highest addresses of `a`'s bytes.
#[pyfunction]
#[pyo3(signature = (a, /))]
#[pyo3(name = "_byte_bounds")]
pub fn byte_bounds(a: &Bound<'_, PyAny>) -> PyResult<(usize, usize)> {
    let a = as_array(a)?;
    let a = a.arr();
    Ok(overlap::byte_bounds(&a))
}

/// Adds the functions and `TooHardError` to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(shares_memory, m)?)?;
    m.add_function(wrap_pyfunction!(may_share_memory, m)?)?;
    m.add_function(wrap_pyfunction!(byte_bounds, m)?)?;
    m.add("TooHardError", m.py().get_type::<TooHardError>())?;
    Ok(())
}
