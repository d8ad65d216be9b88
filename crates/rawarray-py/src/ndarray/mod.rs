//! `rawarray.ndarray`: the Python object around a core `Array`, with its `.base`, its
//! writeable flag and its attributes. Methods are split by concern into the sibling files.

mod arith;
mod flags;
mod index_methods;
mod indexing;
mod methods;
mod new;
mod operators;
mod reductions;

pub use flags::PyFlags;
pub use methods::item_to_py;
pub use new::strides_from_py;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use pyo3::prelude::*;
use pyo3::types::PyTuple;
use rawarray_core::array::Array;

use crate::dtype::PyDType;
use crate::errors::IntoPy;

/// An N-dimensional array over raw memory.
#[pyclass(name = "ndarray", module = "rawarray", frozen, weakref, subclass)]
pub struct PyNdArray {
    /// The core array (buffer, dtype, layout).
    pub array: Array,
    /// NumPy's `.base`: `None` when this object owns its memory, else the array or the
    /// foreign object it views.
    pub base: Option<Py<PyAny>>,
    /// NumPy's WRITEABLE flag.
    pub writeable: AtomicBool,
    /// Live buffer-protocol exports of this object.
    pub exports: AtomicUsize,
}

impl PyNdArray {
    /// An array that owns its (new) memory.
    pub fn owned(array: Array) -> Self {
        let w = array.is_writable();
        PyNdArray { array, base: None, writeable: AtomicBool::new(w), exports: AtomicUsize::new(0) }
    }

    /// An array over foreign memory whose `.base` is the object the user passed.
    pub fn foreign(array: Array, base: Py<PyAny>, writeable: bool) -> Self {
        let w = writeable && array.is_writable();
        PyNdArray { array, base: Some(base), writeable: AtomicBool::new(w), exports: AtomicUsize::new(0) }
    }

    /// True when NumPy's WRITEABLE flag is set.
    pub fn is_writeable(&self) -> bool {
        self.writeable.load(Ordering::Relaxed)
    }

    /// Raises NumPy's error unless the array may be written.
    pub fn check_writeable(&self) -> PyResult<()> {
        if self.is_writeable() {
            Ok(())
        } else {
            Err(pyo3::exceptions::PyValueError::new_err("assignment destination is read-only"))
        }
    }
}

/// Wraps a new view `array` of `slf`: `.base` collapses to the array that owns the memory
/// (or to the first array whose base is not an ndarray), and the writeable flag is inherited.
pub fn make_view<'py>(slf: &Bound<'py, PyNdArray>, array: Array) -> PyResult<Bound<'py, PyNdArray>> {
    let me = slf.get();
    let base: Py<PyAny> = match &me.base {
        Some(b) if b.bind(slf.py()).is_exact_instance_of::<PyNdArray>() => b.clone_ref(slf.py()),
        _ => slf.clone().into_any().unbind(),
    };
    let w = me.is_writeable();
    Bound::new(
        slf.py(),
        PyNdArray { array, base: Some(base), writeable: AtomicBool::new(w), exports: AtomicUsize::new(0) },
    )
}

/// Wraps a freshly allocated array.
pub fn make_owned(py: Python<'_>, array: Array) -> PyResult<Bound<'_, PyNdArray>> {
    Bound::new(py, PyNdArray::owned(array))
}

fn tuple_of<'py, T: IntoPyObject<'py> + Copy>(py: Python<'py>, v: &[T]) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(py, v.iter().copied())
}

#[pymethods]
impl PyNdArray {
    /// Elements per axis.
    #[getter]
    fn shape<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        tuple_of(py, self.array.shape())
    }

    /// Number of axes.
    #[getter]
    fn ndim(&self) -> usize {
        self.array.ndim()
    }

    /// Number of elements.
    #[getter]
    fn size(&self) -> usize {
        self.array.size()
    }

    /// Bytes per element.
    #[getter]
    fn itemsize(&self) -> usize {
        self.array.itemsize()
    }

    /// Bytes of all elements.
    #[getter]
    fn nbytes(&self) -> usize {
        self.array.nbytes()
    }

    /// The element type.
    #[getter]
    fn dtype(&self) -> PyDType {
        PyDType { dtype: self.array.dtype() }
    }

    /// Byte strides per axis.
    #[getter]
    fn strides<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        tuple_of(py, self.array.strides())
    }

    /// The object whose memory this array views, or `None` when it owns its memory.
    #[getter]
    fn base(&self, py: Python<'_>) -> Option<Py<PyAny>> {
        self.base.as_ref().map(|b| b.clone_ref(py))
    }

    /// The flags object (C_CONTIGUOUS, F_CONTIGUOUS, OWNDATA, WRITEABLE, ALIGNED).
    #[getter]
    fn flags(slf: Bound<'_, Self>) -> PyFlags {
        PyFlags { array: slf.unbind() }
    }

    /// A memoryview of the elements.
    #[getter]
    fn data<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let py = slf.py();
        py.get_type::<pyo3::types::PyMemoryView>().call1((slf,))
    }

    /// The transposed view.
    #[getter(T)]
    fn t<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyNdArray>> {
        let a = slf.get().array.transpose(None).py()?;
        make_view(slf, a)
    }

    fn __len__(&self) -> PyResult<usize> {
        match self.array.shape().first() {
            Some(&n) => Ok(n),
            None => Err(pyo3::exceptions::PyTypeError::new_err("len() of unsized object")),
        }
    }
}
