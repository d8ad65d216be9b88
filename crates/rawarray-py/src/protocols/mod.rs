//! Memory protocols: consuming and exporting the buffer protocol and
//! `__array_interface__` (DLPack comes later; see [`dlpack_hook`]).
//!
//! Every array made here views foreign memory zero-copy, keeps the memory alive through the
//! `Buffer`'s owner (a held export and/or the objects that guarantee a raw pointer), and has
//! `.base` = the object the user passed.

mod buffer;
mod interface;

pub use buffer::{frombuffer, held_bytes, new_bytes};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyComplex, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use rawarray_core::array::Array;
use rawarray_core::buffer::Buffer;
use rawarray_core::dtype::DType;
use rawarray_core::layout::Order;

use crate::errors::IntoPy;
use crate::ndarray::ArrayRef;
use crate::ndarray::{make_owned, PyNdArray};
use crate::owner::KeepAlive;

/// Wraps an object that exports memory through an explicit protocol or the buffer
/// protocol, zero-copy, with `.base` = the object; `None` when it exports nothing.
///
/// Order: DLPack (hook, not yet), `__array_interface__` (instance, then class), then the
/// buffer protocol. `bytes` and `str` are scalars here, as in NumPy (`frombuffer` reads
/// their bytes). NumPy scalars, which carry an interface over a temporary, are copied.
pub fn wrap_foreign<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyNdArray>>> {
    if is_plain_python(obj) {
        return Ok(None);
    }
    if let Some(a) = dlpack_hook(obj)? {
        return Ok(Some(a));
    }
    if let Some(iface) = interface::lookup(obj)? {
        let a = interface::wrap(obj, &iface)?;
        if is_numpy_scalar(obj)? {
            let copy = a.arr().copy(Order::C).py()?;
            return make_owned(obj.py(), copy).map(Some);
        }
        return Ok(Some(a));
    }
    if obj.is_instance_of::<PyBytes>() || obj.is_instance_of::<PyString>() {
        return Ok(None);
    }
    // SAFETY: `obj` is a live object and the GIL is held (we hold a `Bound`).
    if unsafe { pyo3::ffi::PyObject_CheckBuffer(obj.as_ptr()) } != 0 {
        return buffer::wrap(obj).map(Some);
    }
    Ok(None)
}

/// Where `__dlpack__` consumption will go (a later issue): it must come before
/// `__array_interface__`. Returns `None` until then.
fn dlpack_hook<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyNdArray>>> {
    let _ = obj;
    Ok(None)
}

/// Objects never wrapped as foreign memory: exact built-in types (the attribute look-ups
/// are skipped) and our typed scalars.
fn is_plain_python(obj: &Bound<'_, PyAny>) -> bool {
    obj.is_none()
        // Our own typed scalars export `__array_interface__` for NumPy's sake; inside
        // rawarray they are values, converted by the scalar rules, never foreign memory.
        || obj.is_instance_of::<crate::scalar::PyGeneric>()
        || obj.is_exact_instance_of::<PyInt>()
        || obj.is_exact_instance_of::<PyFloat>()
        || obj.is_exact_instance_of::<PyBool>()
        || obj.is_exact_instance_of::<PyComplex>()
        || obj.is_exact_instance_of::<PyString>()
        || obj.is_exact_instance_of::<PyBytes>()
        || obj.is_exact_instance_of::<PyList>()
        || obj.is_exact_instance_of::<PyTuple>()
        || obj.is_exact_instance_of::<PyDict>()
}

/// True for instances of `numpy.generic` (found by name: rawarray never imports NumPy).
fn is_numpy_scalar(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    for cls in obj.get_type().mro().iter() {
        let is_generic = cls.getattr("__name__").is_ok_and(|n| n.eq("generic").unwrap_or(false))
            && cls.getattr("__module__").is_ok_and(|m| m.eq("numpy").unwrap_or(false));
        if is_generic {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The lowest and one-past-highest byte reached by `shape`/`strides`, relative to element
/// `[0, ..., 0]`, or `None` for an empty array. Checked arithmetic throughout.
///
/// # Errors
/// `ValueError` when the extent overflows `isize`.
pub(crate) fn reach(shape: &[usize], strides: &[isize], itemsize: usize) -> PyResult<Option<(isize, isize)>> {
    if shape.contains(&0) {
        return Ok(None);
    }
    let overflow = || PyValueError::new_err("strides are too large: the byte offsets overflow");
    let mut lo: isize = 0;
    let mut hi: isize = isize::try_from(itemsize).map_err(|_| overflow())?;
    for (&d, &s) in shape.iter().zip(strides) {
        let last = isize::try_from(d - 1).map_err(|_| overflow())?;
        let r = last.checked_mul(s).ok_or_else(overflow)?;
        if r < 0 {
            lo = lo.checked_add(r).ok_or_else(overflow)?;
        } else {
            hi = hi.checked_add(r).ok_or_else(overflow)?;
        }
    }
    Ok(Some((lo, hi)))
}

/// An array over foreign memory whose element `[0, ..., 0]` is at `first`; the buffer
/// spans exactly the bytes the layout reaches.
///
/// # Safety
/// Every byte `first + lo .. first + hi` (see [`reach`]) must be valid for reads (and for
/// writes when `writable`) for as long as `owner` lives.
pub(crate) unsafe fn foreign_array(
    first: *mut u8,
    dtype: DType,
    shape: &[usize],
    strides: &[isize],
    writable: bool,
    owner: KeepAlive,
) -> PyResult<Array> {
    if shape.len() != strides.len() {
        return Err(PyValueError::new_err("mismatch in length of strides and shape"));
    }
    let (buffer, offset) = match reach(shape, strides, dtype.itemsize())? {
        None => {
            // SAFETY: a zero-length buffer is never dereferenced.
            (unsafe { Buffer::from_foreign(first, 0, writable, Box::new(owner)) }, 0usize)
        }
        Some((lo, hi)) => {
            let start = first.wrapping_offset(lo);
            // SAFETY: the caller guarantees `first + lo .. first + hi` is valid while `owner`
            // lives, and the buffer owns `owner`.
            let b = unsafe { Buffer::from_foreign(start, (hi - lo) as usize, writable, Box::new(owner)) };
            (b, lo.unsigned_abs())
        }
    };
    Array::try_new(buffer, dtype, shape, strides, offset).py()
}
