//! New objects of our classes, kept out of Python's cycle collector.
//!
//! PyO3 makes every `#[pyclass]` a garbage-collected type, so `tp_alloc` puts each new
//! array, scalar and dtype object on the collector's young list, and every 700 allocations
//! the collector walks whatever is still alive there. None of our classes defines
//! `__traverse__`: the collector cannot see through them to any object they hold, so it can
//! never find one of them in a cycle, and tracking them only costs time (a fifth of
//! `[x for x in a]` over 1000 elements, in the collector's walk). NumPy's arrays and scalars
//! are not collector-tracked either. Python subclasses of `ndarray` are made by their own
//! type's allocator and stay tracked, as their instance dictionaries need.

use pyo3::prelude::*;
use pyo3::PyClass;

/// `Bound::new`, then the object leaves the collector's lists.
pub fn new_untracked<T: PyClass>(py: Python<'_>, value: impl Into<PyClassInitializer<T>>) -> PyResult<Bound<'_, T>> {
    let obj = Bound::new(py, value)?;
    // SAFETY: `obj` is a live object of a #[pyclass] type, which PyO3 always makes a GC type,
    // and the GIL is held (`py`). `PyObject_GC_UnTrack` accepts tracked and untracked objects
    // alike, so the untrack in PyO3's deallocator stays valid.
    unsafe { pyo3::ffi::PyObject_GC_UnTrack(obj.as_ptr().cast()) };
    Ok(obj)
}
