//! NumPy's numeric scalar types called with a sequence or an array return an array of
//! their dtype: `float32([1, 2])`, `int8(arr)` (an unsafe cast, as NumPy's `FORCECAST`),
//! `float64(range(3))`; a 0-d result is the scalar, as before.
//!
//! PyO3's `#[new]` must return an instance of its class, so [`install`] wraps the `tp_new`
//! slot of each numeric scalar class: [`scalar_new`] takes the sequence case and hands
//! every other call to the slot PyO3 made. Python subclasses inherit the wrapper with the
//! slot; `cls.__new__` reads the slot too.

use std::sync::OnceLock;

use pyo3::ffi;
use pyo3::panic::PanicException;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyDict, PyString, PyTuple, PyType};

use crate::convert::{array_from_py, CopyMode, OrderArg};
use crate::ndarray::ArrayRef;

/// (class, the `tp_new` PyO3 made for it), filled once by [`install`].
static ORIGINAL: OnceLock<Vec<(usize, ffi::newfunc)>> = OnceLock::new();

/// Wraps the `tp_new` of each class in `classes` (the numeric scalar types).
///
/// # Errors
/// When called twice (the module is initialised once per process).
pub fn install(classes: &[Bound<'_, PyType>]) -> PyResult<()> {
    let mut table = Vec::new();
    for cls in classes {
        let tp = cls.as_type_ptr();
        // SAFETY: `tp` is a live heap type object (held by `cls`) and the GIL is held;
        // reading its slot is a plain field read.
        if let Some(new) = unsafe { (*tp).tp_new } {
            table.push((tp as usize, new));
        }
    }
    ORIGINAL
        .set(table)
        .map_err(|_| pyo3::exceptions::PyRuntimeError::new_err("scalar constructors already wrapped"))?;
    for cls in classes {
        let tp = cls.as_type_ptr();
        // SAFETY: as above; writing the slot before any instance is made through it and
        // telling the type cache (`PyType_Modified`) is how C extensions replace a slot.
        unsafe {
            (*tp).tp_new = Some(scalar_new);
            ffi::PyType_Modified(tp);
        }
    }
    Ok(())
}

/// The `tp_new` PyO3 made for `subtype` or the nearest base of it that was wrapped.
fn original(subtype: *mut ffi::PyTypeObject) -> Option<ffi::newfunc> {
    let table = ORIGINAL.get()?;
    let mut t = subtype;
    while !t.is_null() {
        if let Some((_, f)) = table.iter().find(|(p, _)| *p == t as usize) {
            return Some(*f);
        }
        // SAFETY: `t` is a live type object (a base of a live type) and the GIL is held.
        t = unsafe { (*t).tp_base };
    }
    None
}

/// The sequence case of `cls(obj)`: the array of `cls`'s dtype when `obj` is a sequence
/// or an array of at least one dimension; `None` for everything else.
fn as_array(
    cls: &Bound<'_, PyAny>,
    args: &Bound<'_, PyTuple>,
    kwds: Option<&Bound<'_, PyDict>>,
) -> PyResult<Option<Py<PyAny>>> {
    if args.len() != 1 || kwds.is_some_and(|k| !k.is_empty()) {
        return Ok(None);
    }
    let obj = args.get_item(0)?;
    let text =
        obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyByteArray>();
    // The C protocol check, as NumPy's discovery makes it (an ndarray, NumPy's or ours,
    // is no registered `collections.abc.Sequence`, which PyO3's `PySequence` asks for).
    // SAFETY: `obj` is a live object and the GIL is held.
    let sequence = unsafe { ffi::PySequence_Check(obj.as_ptr()) } == 1;
    if text || !sequence || obj.is_instance_of::<super::PyGeneric>() {
        return Ok(None);
    }
    let dtype = crate::dtype::dtype_from_py(cls)?;
    let arr = array_from_py(&obj, Some(dtype), CopyMode::IfNeeded, OrderArg::K)?;
    if arr.arr().ndim() == 0 {
        return Ok(None);
    }
    Ok(Some(arr.into_any().unbind()))
}

/// The `tp_new` of the numeric scalar classes (see the module documentation).
///
/// # Safety
/// Called by the interpreter as a `tp_new` slot: the GIL is held, `subtype` is a live type
/// and `args` a tuple (`kwds` a dict or null).
unsafe extern "C" fn scalar_new(
    subtype: *mut ffi::PyTypeObject,
    args: *mut ffi::PyObject,
    kwds: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    let taken = std::panic::catch_unwind(|| {
        // SAFETY: the slot's contract: the GIL is held and the pointers are live.
        let py = unsafe { Python::assume_attached() };
        // SAFETY: as above; borrowed references, kept no longer than this call.
        let (cls, args, kwds) = unsafe {
            (
                Bound::from_borrowed_ptr(py, subtype.cast::<ffi::PyObject>()),
                Bound::from_borrowed_ptr(py, args),
                (!kwds.is_null()).then(|| Bound::from_borrowed_ptr(py, kwds)),
            )
        };
        let args = args.cast_into::<PyTuple>().map_err(PyErr::from)?;
        let kwds = kwds.map(|k| k.cast_into::<PyDict>()).transpose().map_err(PyErr::from)?;
        as_array(&cls, &args, kwds.as_ref())
    });
    match taken {
        Ok(Ok(Some(array))) => array.into_ptr(),
        Ok(Ok(None)) => match original(subtype) {
            // SAFETY: the slot PyO3 made for this class, called with the same arguments.
            Some(new) => unsafe { new(subtype, args, kwds) },
            None => {
                // SAFETY: as above. (Unreachable: only wrapped classes and their
                // subclasses have this slot.)
                let py = unsafe { Python::assume_attached() };
                pyo3::exceptions::PyTypeError::new_err("not a rawarray scalar type").restore(py);
                std::ptr::null_mut()
            }
        },
        Ok(Err(e)) => {
            // SAFETY: the GIL is held (the slot's contract).
            e.restore(unsafe { Python::assume_attached() });
            std::ptr::null_mut()
        }
        Err(_) => {
            // SAFETY: as above.
            let py = unsafe { Python::assume_attached() };
            PanicException::new_err("rawarray scalar constructor panicked").restore(py);
            std::ptr::null_mut()
        }
    }
}
