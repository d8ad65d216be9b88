//! The buffer protocol, both ways: wrapping another object's export (held for the array's
//! whole life), `frombuffer`, and exporting an ndarray (`__getbuffer__`/`__releasebuffer__`).
//!
//! Invariant of the export: `shape`, `strides` and `format` handed out stay valid until
//! `__releasebuffer__`: they live in a per-export box in `view.internal` (a copy, so that
//! `a.shape = ...` may describe the array anew while old exports keep the old description).

use std::ffi::{c_int, CString};
use std::sync::atomic::Ordering;

use pyo3::exceptions::{PyBufferError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use rawarray_core::array::Array;
use rawarray_core::buffer::Buffer;
use rawarray_core::dtype::DType;
use rawarray_core::format::pep3118::{format_of_placed, parse_format};
use rawarray_core::layout::{contiguous_strides, Order};

use crate::errors::IntoPy;
use crate::ndarray::PyNdArray;
use crate::owner::{HeldBuffer, KeepAlive};

/// Wraps `obj`'s buffer export as an array (`.base` = `obj`).
///
/// The export is requested with `PyBUF_RECORDS_RO` (strides and format, any contiguity);
/// exporters report their real writability in `readonly` whatever was asked, so that flag
/// decides whether the array is writeable.
///
/// # Errors
/// The exporter's error; `BufferError` for indirect (suboffset) buffers and formats
/// rawarray cannot represent.
pub fn wrap<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyNdArray>> {
    let held = HeldBuffer::get(obj, ffi::PyBUF_RECORDS_RO)?;
    let writable = !held.readonly();
    let array = array_of_export(held, vec![])?;
    crate::ndarray::new_array(obj.py(), PyNdArray::foreign(array, obj.clone().unbind(), writable))
}

/// An array over a held export, described by the export's own shape, strides and format.
/// The export (plus `objects`) becomes the buffer's owner.
pub(crate) fn array_of_export(held: HeldBuffer, objects: Vec<Py<PyAny>>) -> PyResult<Array> {
    if held.has_indirection() {
        return Err(PyBufferError::new_err("buffers with suboffsets (PIL-style indirection) are not supported"));
    }
    let itemsize = usize::try_from(held.itemsize())
        .ok()
        .filter(|&n| n > 0)
        .ok_or_else(|| PyBufferError::new_err(format!("invalid buffer itemsize {}", held.itemsize())))?;
    let dtype = parse_format(&held.format(), itemsize).py()?;
    let shape: Vec<usize> = match held.shape() {
        Some(s) => s
            .iter()
            .map(|&d| usize::try_from(d).map_err(|_| PyBufferError::new_err("buffer has a negative dimension")))
            .collect::<PyResult<_>>()?,
        None if held.ndim() == 0 => vec![],
        None => vec![held.len_bytes() / itemsize],
    };
    let strides: Vec<isize> = match held.strides() {
        Some(s) => s.to_vec(),
        None => contiguous_strides(&shape, itemsize, Order::C).py()?.to_vec(),
    };
    let writable = !held.readonly();
    let first = held.buf();
    let owner = KeepAlive { export: Some(held), objects };
    // SAFETY: the exporter promises that its shape/strides describe valid memory around
    // `buf` (writable unless `readonly`) while the export is held, and the export is held by
    // the buffer's owner.
    unsafe { super::foreign_array(first, dtype, &shape, &strides, writable, owner) }
}

/// All the bytes of `obj`'s contiguous export as one buffer that holds the export until
/// its last clone drops, writable unless the exporter says `readonly`. While it lives the
/// exporter cannot resize or free the memory. With `any_order` a Fortran-contiguous export
/// is accepted too (NumPy's `ndarray(buffer=...)`); otherwise the export is simple
/// (C-contiguous, as `frombuffer` asks).
///
/// # Errors
/// The exporter's error (`TypeError` for objects without the buffer protocol,
/// `BufferError` for non-contiguous exports).
pub fn held_bytes(obj: &Bound<'_, PyAny>, any_order: bool) -> PyResult<Buffer> {
    let flags = if any_order { ffi::PyBUF_ANY_CONTIGUOUS } else { ffi::PyBUF_SIMPLE };
    let held = HeldBuffer::get(obj, flags)?;
    let (ptr, len, writable) = (held.buf(), held.len_bytes(), !held.readonly());
    let owner = KeepAlive { export: Some(held), objects: vec![] };
    // SAFETY: a simple or any-contiguous export is `len` contiguous bytes starting at `buf`,
    // valid (and writable unless `readonly`) while the export is held; the buffer's owner
    // holds it.
    Ok(unsafe { Buffer::from_foreign(ptr, len, writable, Box::new(owner)) })
}

/// A new `bytes` object of `len` bytes that `fill` writes completely (PyO3's `new_with`
/// zeroes the bytes first: a second pass over memory, paying every page fault with the GIL
/// held). Large objects get huge pages requested before their first touch.
///
/// # Errors
/// `MemoryError` when the object cannot be allocated; `fill`'s error.
pub fn new_bytes<'py>(
    py: Python<'py>,
    len: usize,
    fill: impl FnOnce(&mut [u8]) -> PyResult<()>,
) -> PyResult<Bound<'py, PyBytes>> {
    let size =
        ffi::Py_ssize_t::try_from(len).map_err(|_| pyo3::exceptions::PyMemoryError::new_err("bytes too large"))?;
    // SAFETY: a null source asks CPython for an uninitialised object of `size` bytes; the
    // result, a new reference, is checked for null (a set MemoryError) by
    // `from_owned_ptr_or_err`.
    let bytes = unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyBytes_FromStringAndSize(std::ptr::null(), size))? };
    // SAFETY: the object is a new `bytes` object (so `PyBytes_AsString` cannot fail) that no
    // other code has seen yet: its `len` bytes are ours to write before it is returned.
    let data = unsafe { std::slice::from_raw_parts_mut(ffi::PyBytes_AsString(bytes.as_ptr()).cast::<u8>(), len) };
    rawarray_core::buffer::advise_huge_pages(data.as_mut_ptr(), len);
    fill(data)?;
    // SAFETY: `bytes` was made by `PyBytes_FromStringAndSize` just above.
    Ok(unsafe { bytes.cast_into_unchecked() })
}

/// `frombuffer(buffer, dtype, count, offset)`: a 1-D array over the bytes of `buffer`
/// (requested as a simple, C-contiguous export), with NumPy's checks and messages.
///
/// # Errors
/// `ValueError` for a bad offset/count or a size that is not a multiple of the itemsize;
/// the exporter's error when it has no contiguous buffer.
pub fn frombuffer<'py>(
    buffer: &Bound<'py, PyAny>,
    dtype: DType,
    count: isize,
    offset: isize,
) -> PyResult<Bound<'py, PyNdArray>> {
    let itemsize = dtype.itemsize();
    if itemsize == 0 {
        return Err(PyValueError::new_err("itemsize cannot be zero in type"));
    }
    let buf = held_bytes(buffer, false)?;
    let ts = buf.len();
    if offset < 0 || offset as usize > ts {
        return Err(PyValueError::new_err(format!(
            "offset must be non-negative and no greater than buffer length ({ts})"
        )));
    }
    let offset = offset as usize;
    let s = ts - offset;
    let n = if count < 0 {
        if !s.is_multiple_of(itemsize) {
            return Err(PyValueError::new_err("buffer size must be a multiple of element size"));
        }
        s / itemsize
    } else {
        let want = (count as usize).checked_mul(itemsize);
        if want.is_none_or(|w| w > s) {
            return Err(PyValueError::new_err("buffer is smaller than requested size"));
        }
        count as usize
    };
    let writable = buf.is_writable();
    let array = Array::try_new(buf, dtype, &[n], &[itemsize as isize], offset).py()?;
    crate::ndarray::new_array(buffer.py(), PyNdArray::foreign(array, buffer.clone().unbind(), writable))
}

/// Per-export data freed in `__releasebuffer__`.
struct ExportInfo {
    format: CString,
    /// Shape then strides, in `Py_ssize_t`: a copy, so that `a.shape = ...` may change the
    /// array while the export lives (the export keeps the old description, as in NumPy).
    dims: Box<[isize]>,
}

fn has(flags: c_int, k: c_int) -> bool {
    flags & k == k
}

#[pymethods]
impl PyNdArray {
    /// Exports the elements through the buffer protocol.
    ///
    /// # Safety
    /// Called by CPython with a valid, writable `view`.
    unsafe fn __getbuffer__(slf: Bound<'_, Self>, view: *mut ffi::Py_buffer, flags: c_int) -> PyResult<()> {
        let me = slf.get();
        let pin = me.arr(slf.py());
        let a = &*pin;
        if has(flags, ffi::PyBUF_WRITABLE) && !me.is_writeable() {
            return Err(PyBufferError::new_err("buffer source array is read-only"));
        }
        let (c, f) = (a.is_c_contiguous(), a.is_f_contiguous());
        if has(flags, ffi::PyBUF_C_CONTIGUOUS) && !c {
            return Err(PyBufferError::new_err("ndarray is not C-contiguous"));
        }
        if has(flags, ffi::PyBUF_F_CONTIGUOUS) && !f {
            return Err(PyBufferError::new_err("ndarray is not Fortran contiguous"));
        }
        if has(flags, ffi::PyBUF_ANY_CONTIGUOUS) && !(c || f) {
            return Err(PyBufferError::new_err("ndarray is not contiguous"));
        }
        if !has(flags, ffi::PyBUF_STRIDES) && !c {
            return Err(PyBufferError::new_err("ndarray is not C-contiguous"));
        }
        let format = CString::new(format_of_placed(a.dtype(), a.is_aligned()))
            .map_err(|_| PyBufferError::new_err("format string contains a NUL byte"))?;
        let dims = a.shape().iter().map(|&n| n as isize).chain(a.strides().iter().copied()).collect();
        let info = Box::new(ExportInfo { format, dims });
        let dims = info.dims.as_ptr().cast_mut();
        let nd = has(flags, ffi::PyBUF_ND);
        // SAFETY: CPython passes a valid `view` to fill. Format, shape and strides point into
        // `info`, which lives until `__releasebuffer__`; every dimension fits `isize` (the
        // layout's bytes fit `isize`). `dims` holds `ndim` shape entries then `ndim` strides.
        unsafe {
            (*view).buf = a.data_ptr().cast();
            (*view).len = a.nbytes() as isize;
            (*view).readonly = c_int::from(!me.is_writeable());
            (*view).itemsize = a.itemsize() as isize;
            (*view).format =
                if has(flags, ffi::PyBUF_FORMAT) { info.format.as_ptr().cast_mut() } else { std::ptr::null_mut() };
            (*view).ndim = if nd { a.ndim() as c_int } else { 1 };
            (*view).shape = if nd { dims } else { std::ptr::null_mut() };
            (*view).strides = if has(flags, ffi::PyBUF_STRIDES) { dims.add(a.ndim()) } else { std::ptr::null_mut() };
            (*view).suboffsets = std::ptr::null_mut();
            (*view).internal = Box::into_raw(info).cast();
            me.exports.fetch_add(1, Ordering::Relaxed);
            drop(pin);
            (*view).obj = slf.into_any().into_ptr();
        }
        Ok(())
    }

    /// Ends an export made by `__getbuffer__`.
    ///
    /// # Safety
    /// Called by CPython with a view this object filled.
    unsafe fn __releasebuffer__(&self, view: *mut ffi::Py_buffer) {
        // SAFETY: `internal` was set by `__getbuffer__` from `Box::into_raw` and is freed
        // exactly once, here.
        unsafe {
            let info = (*view).internal.cast::<ExportInfo>();
            if !info.is_null() {
                drop(Box::from_raw(info));
                (*view).internal = std::ptr::null_mut();
            }
        }
        self.exports.fetch_sub(1, Ordering::Relaxed);
    }
}
