//! The one mapping from the core's `Error` to Python exceptions, and NumPy's
//! `UFuncTypeError` family (TypeError subclasses) that part of it raises.

use pyo3::exceptions::{PyBufferError, PyIndexError, PyMemoryError, PyTypeError, PyUnicodeDecodeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyString, PyTuple};
use pyo3::PyErr;
use rawarray_core::error::{UFuncErrorKind, UFuncTypeError as CoreUFuncTypeError};
use rawarray_core::Error;

use crate::dtype::PyDType;

pyo3::create_exception!(
    rawarray.exceptions,
    UFuncTypeError,
    PyTypeError,
    "A ufunc cannot run on the given dtypes (NumPy's `numpy._core._exceptions.UFuncTypeError`)."
);
pyo3::create_exception!(
    rawarray.exceptions,
    DTypePromotionError,
    PyTypeError,
    "Dtypes with no common dtype (NumPy's `numpy.exceptions.DTypePromotionError`)."
);
pyo3::create_exception!(
    rawarray.exceptions,
    _UFuncNoLoopError,
    UFuncTypeError,
    "The ufunc has no loop for the input dtypes (NumPy's `_UFuncNoLoopError`)."
);
pyo3::create_exception!(
    rawarray.exceptions,
    _UFuncCastingError,
    UFuncTypeError,
    "An operand cannot be cast under the casting rule (NumPy's `_UFuncCastingError`)."
);
pyo3::create_exception!(
    rawarray.exceptions,
    _UFuncInputCastingError,
    _UFuncCastingError,
    "An input cannot be cast to the loop's dtype (NumPy's `_UFuncInputCastingError`)."
);
pyo3::create_exception!(
    rawarray.exceptions,
    _UFuncOutputCastingError,
    _UFuncCastingError,
    "The loop's output cannot be cast to `out` (NumPy's `_UFuncOutputCastingError`)."
);

/// Converts a core error into the Python exception NumPy raises for it.
pub fn to_py_err(e: Error) -> PyErr {
    match e {
        Error::Index(m) => PyIndexError::new_err(m),
        Error::Value(m) => PyValueError::new_err(m),
        Error::Type(m) => PyTypeError::new_err(m),
        Error::Promotion(m) => DTypePromotionError::new_err(m),
        Error::Buffer(m) => PyBufferError::new_err(m),
        Error::Memory(m) => PyMemoryError::new_err(m),
        Error::TooHard(m) => crate::overlap::TooHardError::new_err(m),
        Error::UFuncType(e) => Python::attach(|py| ufunc_type_error(py, *e)),
        // Python builds the message from the bytes and the range, as `bytes.decode` does.
        Error::Decode(b, e) => Python::attach(|py| {
            let (range, reason) = rawarray_core::error::utf8_failure(&b, &e);
            let reason = std::ffi::CString::new(reason).unwrap_or_default();
            match PyUnicodeDecodeError::new(py, c"utf-8", &b, range, &reason) {
                Ok(err) => PyErr::from_value(err.into_any()),
                Err(err) => err,
            }
        }),
    }
}

/// The `UFuncTypeError` subclass for `e`, with NumPy's attributes (`ufunc`, and `dtypes`
/// or `casting`, `from_`, `to`, `in_i`/`out_i`).
fn ufunc_type_error(py: Python<'_>, e: CoreUFuncTypeError) -> PyErr {
    let err = match e.kind {
        UFuncErrorKind::NoLoop { .. } => _UFuncNoLoopError::new_err(e.message),
        UFuncErrorKind::InputCasting { .. } => _UFuncInputCastingError::new_err(e.message),
        UFuncErrorKind::OutputCasting { .. } => _UFuncOutputCastingError::new_err(e.message),
    };
    // The attributes are a courtesy: the exception stands without them.
    let _ = set_attributes(py, &err, &e.ufunc, &e.kind);
    err
}

fn set_attributes(py: Python<'_>, err: &PyErr, ufunc: &str, kind: &UFuncErrorKind) -> PyResult<()> {
    let v = err.value(py);
    let module = py.import("rawarray._rawarray")?;
    let uf = module.getattr(ufunc).unwrap_or_else(|_| PyString::new(py, ufunc).into_any());
    v.setattr("ufunc", uf)?;
    let dt = |d| Py::new(py, PyDType { dtype: d });
    match kind {
        UFuncErrorKind::NoLoop { dtypes, nout } => {
            let mut items: Vec<Py<PyAny>> = Vec::new();
            for d in dtypes {
                items.push(dt(*d)?.into_any());
            }
            items.extend((0..*nout).map(|_| py.None()));
            v.setattr("dtypes", PyTuple::new(py, items)?)?;
        }
        UFuncErrorKind::InputCasting { casting, from, to, index } => {
            v.setattr("casting", casting.name())?;
            v.setattr("from_", dt(*from)?)?;
            v.setattr("to", dt(*to)?)?;
            v.setattr("in_i", *index)?;
        }
        UFuncErrorKind::OutputCasting { casting, from, to, index } => {
            v.setattr("casting", casting.name())?;
            v.setattr("from_", dt(*from)?)?;
            v.setattr("to", dt(*to)?)?;
            v.setattr("out_i", *index)?;
        }
    }
    Ok(())
}

/// Adds the exception classes to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("UFuncTypeError", py.get_type::<UFuncTypeError>())?;
    m.add("DTypePromotionError", py.get_type::<DTypePromotionError>())?;
    m.add("_UFuncNoLoopError", py.get_type::<_UFuncNoLoopError>())?;
    m.add("_UFuncCastingError", py.get_type::<_UFuncCastingError>())?;
    m.add("_UFuncInputCastingError", py.get_type::<_UFuncInputCastingError>())?;
    m.add("_UFuncOutputCastingError", py.get_type::<_UFuncOutputCastingError>())?;
    Ok(())
}

/// `?`-friendly conversion of core results.
pub trait IntoPy<T> {
    /// Maps the error with [`to_py_err`].
    fn py(self) -> pyo3::PyResult<T>;
}

impl<T> IntoPy<T> for rawarray_core::Result<T> {
    fn py(self) -> pyo3::PyResult<T> {
        self.map_err(to_py_err)
    }
}
