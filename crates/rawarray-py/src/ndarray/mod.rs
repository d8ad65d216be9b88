//! `rawarray.ndarray`: the Python object around a core `Array`, with its `.base`, its
//! writeable flag and its attributes. Methods are split by concern into the sibling files.

mod arith;
mod cell;
mod flags;
mod index_methods;
mod indexing;
mod methods;
mod new;
mod operators;
mod reductions;

pub use cell::{ArrayCell, Pinned};
pub use flags::PyFlags;
pub use methods::item_to_py;
pub use new::strides_from_py;

use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use pyo3::exceptions::{PyAttributeError, PyBufferError};
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use rawarray_core::array::Array;
use rawarray_core::layout::Order;

use crate::dtype::PyDType;
use crate::errors::IntoPy;

/// An N-dimensional array over raw memory.
#[pyclass(name = "ndarray", module = "rawarray", frozen, weakref, subclass)]
pub struct PyNdArray {
    /// The core array (buffer, dtype, layout), read through pins: see [`ArrayCell`].
    array: ArrayCell,
    /// NumPy's `.base`: `None` when this object owns its memory, else the array or the
    /// foreign object it views.
    pub base: Option<Py<PyAny>>,
    /// NumPy's WRITEABLE flag.
    pub writeable: AtomicBool,
    /// Live buffer-protocol exports of this object.
    pub exports: AtomicUsize,
}

impl PyNdArray {
    /// The core array, pinned so that `a.shape = ...` cannot replace it while it is read.
    #[inline]
    pub fn arr(&self, py: Python<'_>) -> Pinned<'_> {
        self.array.pin(py)
    }

    /// An array that owns its (new) memory.
    pub fn owned(array: Array) -> Self {
        let w = array.is_writable();
        PyNdArray {
            array: ArrayCell::new(array),
            base: None,
            writeable: AtomicBool::new(w),
            exports: AtomicUsize::new(0),
        }
    }

    /// An array over foreign memory whose `.base` is the object the user passed.
    pub fn foreign(array: Array, base: Py<PyAny>, writeable: bool) -> Self {
        let w = writeable && array.is_writable();
        PyNdArray {
            array: ArrayCell::new(array),
            base: Some(base),
            writeable: AtomicBool::new(w),
            exports: AtomicUsize::new(0),
        }
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

/// Reads the core array of a bound `ndarray` (pinned; see [`ArrayCell`]).
pub trait ArrayRef {
    /// The pinned core array.
    fn arr(&self) -> Pinned<'_>;
}

impl ArrayRef for Bound<'_, PyNdArray> {
    #[inline]
    fn arr(&self) -> Pinned<'_> {
        self.get().array.pin(self.py())
    }
}

/// Where the `PyNdArray` sits inside `ndarray` objects (see [`crate::objects`]).
static PLACE: crate::objects::Placement = crate::objects::Placement::new();

/// A new, untracked `ndarray` object holding `value`.
#[inline]
pub fn new_array(py: Python<'_>, value: PyNdArray) -> PyResult<Bound<'_, PyNdArray>> {
    try_new_array(py, |slot| Ok(slot.write(value)))
}

/// A new, untracked `ndarray` object holding what `init` writes into the place it is given,
/// which is in the new object's memory (see [`crate::objects::new_placed`]); when `init`
/// fails, no object is made.
#[inline]
fn try_new_array(
    py: Python<'_>,
    init: impl FnOnce(&mut MaybeUninit<PyNdArray>) -> PyResult<&mut PyNdArray>,
) -> PyResult<Bound<'_, PyNdArray>> {
    crate::objects::try_new_placed(py, &PLACE, init, PyClassInitializer::from, |obj| obj.get())
}

/// Wraps a new view `array` of `slf`: `.base` collapses to the array that owns the memory
/// (or to the first array whose base is not an ndarray), and the writeable flag is inherited.
#[inline]
pub fn make_view<'py>(slf: &Bound<'py, PyNdArray>, array: Array) -> PyResult<Bound<'py, PyNdArray>> {
    try_make_view(slf, move |_| Ok(array))
}

/// [`make_view`] of the view `view` derives from `slf`'s array, built in the new object.
#[inline]
pub fn make_view_with<'py>(
    slf: &Bound<'py, PyNdArray>,
    view: impl FnOnce(&Array) -> Array,
) -> PyResult<Bound<'py, PyNdArray>> {
    let (base, w) = view_base(slf);
    crate::objects::new_placed(
        slf.py(),
        &PLACE,
        |slot| {
            slot.write(PyNdArray {
                array: ArrayCell::new(view(&slf.arr())),
                base: Some(base),
                writeable: AtomicBool::new(w),
                exports: AtomicUsize::new(0),
            })
        },
        PyClassInitializer::from,
        |obj| obj.get(),
    )
}

/// The `.base` and writeable flag of a new view of `slf`.
#[inline]
fn view_base(slf: &Bound<'_, PyNdArray>) -> (Py<PyAny>, bool) {
    let me = slf.get();
    let base: Py<PyAny> = match &me.base {
        Some(b) if b.bind(slf.py()).is_exact_instance_of::<PyNdArray>() => b.clone_ref(slf.py()),
        _ => slf.clone().into_any().unbind(),
    };
    (base, me.is_writeable())
}

/// [`make_view_with`] for a view whose making can fail (then its error is returned).
#[inline]
pub fn try_make_view<'py>(
    slf: &Bound<'py, PyNdArray>,
    view: impl FnOnce(&Array) -> PyResult<Array>,
) -> PyResult<Bound<'py, PyNdArray>> {
    try_new_array(slf.py(), |slot| {
        let array = view(&slf.arr())?;
        let (base, w) = view_base(slf);
        Ok(slot.write(PyNdArray {
            array: ArrayCell::new(array),
            base: Some(base),
            writeable: AtomicBool::new(w),
            exports: AtomicUsize::new(0),
        }))
    })
}

/// Wraps a freshly allocated array.
#[inline]
pub fn make_owned(py: Python<'_>, array: Array) -> PyResult<Bound<'_, PyNdArray>> {
    new_array(py, PyNdArray::owned(array))
}

fn tuple_of<'py, T: IntoPyObject<'py> + Copy>(py: Python<'py>, v: &[T]) -> PyResult<Bound<'py, PyTuple>> {
    PyTuple::new(py, v.iter().copied())
}

#[pymethods]
impl PyNdArray {
    /// Elements per axis.
    #[getter]
    fn shape<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        tuple_of(py, self.arr(py).shape())
    }

    /// Gives the array a new shape in place, where a view of its memory allows it (NumPy's
    /// `a.shape = ...`); otherwise AttributeError, and `a.reshape` makes the copy.
    #[setter]
    fn set_shape(slf: &Bound<'_, Self>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        let py = slf.py();
        if value.is_none() {
            return Err(pyo3::exceptions::PyTypeError::new_err("Use () not None as shape arguments"));
        }
        let dims = methods::shape_arg(&PyTuple::new(py, [value])?)?;
        let view = {
            let a = slf.arr();
            let shape = rawarray_core::array::resolve_shape(&dims, a.size(), a.shape()).py()?;
            match a.layout().reshaped(&shape, Order::C, a.itemsize()) {
                // SAFETY: `reshaped` reaches exactly the bytes of the checked layout.
                Some(layout) => unsafe { a.view_unchecked(a.dtype(), layout) },
                None => {
                    return Err(PyAttributeError::new_err(
                        "Incompatible shape for in-place modification. Use `.reshape()` to make a copy with the desired shape.",
                    ))
                }
            }
        };
        if slf.get().array.replace(py, view) {
            Ok(())
        } else {
            Err(PyBufferError::new_err("cannot change the shape of an array while another thread or call is using it"))
        }
    }

    /// `del a.shape` is refused, as in NumPy.
    #[deleter]
    fn delete_shape(&self) -> PyResult<()> {
        Err(PyAttributeError::new_err("Cannot delete array shape"))
    }

    /// Number of axes.
    #[getter]
    fn ndim(&self, py: Python<'_>) -> usize {
        self.arr(py).ndim()
    }

    /// Number of elements.
    #[getter]
    fn size(&self, py: Python<'_>) -> usize {
        self.arr(py).size()
    }

    /// Bytes per element.
    #[getter]
    fn itemsize(&self, py: Python<'_>) -> usize {
        self.arr(py).itemsize()
    }

    /// Bytes of all elements.
    #[getter]
    fn nbytes(&self, py: Python<'_>) -> usize {
        self.arr(py).nbytes()
    }

    /// The element type.
    #[getter]
    fn dtype<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDType>> {
        crate::dtype::dtype_object(py, self.arr(py).dtype())
    }

    /// Byte strides per axis.
    #[getter]
    fn strides<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        tuple_of(py, self.arr(py).strides())
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
        make_view_with(slf, Array::t)
    }

    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        match self.arr(py).shape().first() {
            Some(&n) => Ok(n),
            None => Err(pyo3::exceptions::PyTypeError::new_err("len() of unsized object")),
        }
    }
}
