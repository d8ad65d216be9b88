//! `ndarray.flags`: NumPy's flags object, read live from its array.

use std::sync::atomic::Ordering;

use pyo3::exceptions::{PyKeyError, PyValueError};
use pyo3::prelude::*;

use super::PyNdArray;

/// The flags of one array (`a.flags`).
#[pyclass(name = "flagsobj", module = "rawarray", frozen)]
pub struct PyFlags {
    /// The array whose flags these are.
    pub array: Py<PyNdArray>,
}

impl PyFlags {
    fn get<'py>(&'py self, py: Python<'py>) -> &'py PyNdArray {
        self.array.bind(py).get()
    }
}

#[pymethods]
impl PyFlags {
    /// C-contiguous (ignoring length-1 axes).
    #[getter]
    fn c_contiguous(&self, py: Python<'_>) -> bool {
        self.get(py).arr(py).is_c_contiguous()
    }

    /// Fortran-contiguous (ignoring length-1 axes).
    #[getter]
    fn f_contiguous(&self, py: Python<'_>) -> bool {
        self.get(py).arr(py).is_f_contiguous()
    }

    /// The array owns its memory (its `.base` is `None`).
    #[getter]
    fn owndata(&self, py: Python<'_>) -> bool {
        self.get(py).base.is_none()
    }

    /// The array may be written.
    #[getter]
    fn writeable(&self, py: Python<'_>) -> bool {
        self.get(py).is_writeable()
    }

    /// Sets WRITEABLE; it cannot become true over read-only memory.
    #[setter]
    fn set_writeable(&self, py: Python<'_>, value: bool) -> PyResult<()> {
        let a = self.get(py);
        if value && !a.arr(py).is_writable() {
            return Err(PyValueError::new_err("cannot set WRITEABLE flag to True of this array"));
        }
        a.writeable.store(value, Ordering::Relaxed);
        Ok(())
    }

    /// Every element is aligned for its dtype.
    #[getter]
    fn aligned(&self, py: Python<'_>) -> bool {
        self.get(py).arr(py).is_aligned()
    }

    /// Always false (rawarray never writes back on deallocation).
    #[getter]
    fn writebackifcopy(&self) -> bool {
        false
    }

    /// C- or Fortran-contiguous.
    #[getter]
    fn contiguous(&self, py: Python<'_>) -> bool {
        self.c_contiguous(py)
    }

    /// Fortran-contiguous and not C-contiguous.
    #[getter]
    fn fortran(&self, py: Python<'_>) -> bool {
        self.f_contiguous(py) && !self.c_contiguous(py)
    }

    /// Aligned, writeable and C-contiguous.
    #[getter]
    fn carray(&self, py: Python<'_>) -> bool {
        self.c_contiguous(py) && self.aligned(py) && self.writeable(py)
    }

    fn __getitem__(&self, py: Python<'_>, key: &str) -> PyResult<bool> {
        Ok(match key {
            "C_CONTIGUOUS" | "C" | "CONTIGUOUS" => self.c_contiguous(py),
            "F_CONTIGUOUS" | "F" | "FORTRAN" => self.f_contiguous(py),
            "OWNDATA" | "O" => self.owndata(py),
            "WRITEABLE" | "W" => self.writeable(py),
            "ALIGNED" | "A" => self.aligned(py),
            "WRITEBACKIFCOPY" | "X" => false,
            "CARRAY" | "CA" => self.carray(py),
            _ => return Err(PyKeyError::new_err("Unknown flag")),
        })
    }

    fn __setitem__(&self, py: Python<'_>, key: &str, value: bool) -> PyResult<()> {
        match key {
            "WRITEABLE" | "W" => self.set_writeable(py, value),
            _ => Err(PyKeyError::new_err("Unknown flag")),
        }
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let t = |b: bool| if b { "True" } else { "False" };
        format!(
            "  C_CONTIGUOUS : {}\n  F_CONTIGUOUS : {}\n  OWNDATA : {}\n  WRITEABLE : {}\n  ALIGNED : {}\n  WRITEBACKIFCOPY : False\n",
            t(self.c_contiguous(py)),
            t(self.f_contiguous(py)),
            t(self.owndata(py)),
            t(self.writeable(py)),
            t(self.aligned(py))
        )
    }
}
