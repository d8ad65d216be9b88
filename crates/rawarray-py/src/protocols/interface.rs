//! `__array_interface__` (version 3), both ways.
//!
//! Consuming: the dict's `data` is a raw `(address, readonly)` pair, a buffer-exporting
//! object, or `None` (the holder's own buffer). A raw address is *safer than NumPy*: every
//! byte the layout reaches must be proven readable first, either by a buffer export of the
//! holder that covers it (cheap, and held) or by `/proc/self/maps` (mapped, readable; the
//! array is writeable only if every page is mapped writable too). An unproven range raises
//! `ValueError` instead of crashing later.
//!
//! The keep-alive owner holds the holder object and the interface dict (NumPy scalars keep
//! their temporary array in the dict).

use pyo3::exceptions::{PyAttributeError, PyTypeError, PyValueError};
use pyo3::ffi;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString, PyTuple};
use rawarray_core::array::Array;
use rawarray_core::buffer::Buffer;
use rawarray_core::dtype::DType;
use rawarray_core::layout::{contiguous_strides, Order};

use crate::errors::IntoPy;
use crate::ndarray::PyNdArray;
use crate::owner::{HeldBuffer, KeepAlive};

/// `obj.__array_interface__` (instance attribute or class attribute/property), or `None`
/// when there is none. Errors other than `AttributeError` propagate.
pub fn lookup<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyAny>>> {
    match obj.getattr(intern!(obj.py(), "__array_interface__")) {
        Ok(v) => Ok(Some(v)),
        Err(e) if e.is_instance_of::<PyAttributeError>(obj.py()) => Ok(None),
        Err(e) => Err(e),
    }
}

fn index_of(item: &Bound<'_, PyAny>) -> PyResult<isize> {
    let i = item.call_method0(intern!(item.py(), "__index__")).map_err(|_| {
        PyTypeError::new_err(format!(
            "'{}' object cannot be interpreted as an integer",
            item.get_type().name().map(|n| n.to_string()).unwrap_or_default()
        ))
    })?;
    i.extract::<isize>().map_err(|_| PyValueError::new_err("__array_interface__ value does not fit in an index"))
}

fn ints_of(t: &Bound<'_, PyTuple>) -> PyResult<Vec<isize>> {
    t.iter().map(|x| index_of(&x)).collect()
}

/// Where the interface says the data is.
enum Data<'py> {
    Address { address: usize, readonly: bool },
    Object(Bound<'py, PyAny>),
}

/// Wraps the memory an `__array_interface__` dict describes (`.base` = `obj`).
///
/// # Errors
/// `ValueError`/`TypeError` naming the problem for malformed dicts; `ValueError` for a raw
/// address whose range cannot be proven readable.
pub fn wrap<'py>(obj: &Bound<'py, PyAny>, iface: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyNdArray>> {
    let py = obj.py();
    let d = iface
        .cast::<PyDict>()
        .map_err(|_| PyValueError::new_err("Invalid __array_interface__ value, must be a dict"))?;
    if let Some(v) = d.get_item("version")? {
        let v: i64 = v.extract().map_err(|_| PyTypeError::new_err("__array_interface__ version must be an integer"))?;
        if v != 3 {
            return Err(PyValueError::new_err(format!(
                "__array_interface__ version {v} is not supported (only version 3)"
            )));
        }
    }
    let typestr = d.get_item("typestr")?.ok_or_else(|| PyValueError::new_err("Missing __array_interface__ typestr"))?;
    let typestr =
        typestr.cast::<PyString>().map_err(|_| PyTypeError::new_err("__array_interface__ typestr must be a string"))?;
    let dtype = DType::parse(typestr.to_str()?).py()?;
    if let Some(descr) = d.get_item("descr")? {
        check_descr(&descr, dtype)?;
    }
    let shape = d.get_item("shape")?.ok_or_else(|| PyValueError::new_err("Missing __array_interface__ shape"))?;
    let shape = shape.cast::<PyTuple>().map_err(|_| PyTypeError::new_err("shape must be a tuple"))?;
    let shape = ints_of(shape)?;
    if shape.iter().any(|&s| s < 0) {
        return Err(PyValueError::new_err("negative dimensions are not allowed"));
    }
    let shape: Vec<usize> = shape.into_iter().map(|s| s as usize).collect();
    let strides: Vec<isize> = match d.get_item("strides")? {
        Some(s) if !s.is_none() => {
            let s = s.cast::<PyTuple>().map_err(|_| PyTypeError::new_err("strides must be a tuple"))?;
            let s = ints_of(s)?;
            if s.len() != shape.len() {
                return Err(PyValueError::new_err("mismatch in length of strides and shape"));
            }
            s
        }
        _ => contiguous_strides(&shape, dtype.itemsize(), Order::C).py()?.to_vec(),
    };
    let offset = match d.get_item("offset")? {
        Some(o) if !o.is_none() => {
            let o = index_of(&o)?;
            usize::try_from(o).map_err(|_| PyValueError::new_err("__array_interface__ offset must be non-negative"))?
        }
        _ => 0,
    };
    let data = match d.get_item("data")? {
        None => Data::Object(obj.clone()),
        Some(x) if x.is_none() => Data::Object(obj.clone()),
        Some(x) => match x.cast::<PyTuple>() {
            Ok(t) => {
                if t.len() != 2 {
                    return Err(PyTypeError::new_err(
                        "__array_interface__ data must be a 2-tuple with (data pointer integer, read-only flag)",
                    ));
                }
                let a = t.get_item(0)?;
                let address: usize = if a.is_instance_of::<pyo3::types::PyInt>() {
                    a.extract().map_err(|_| {
                        PyValueError::new_err(
                            "__array_interface__ data pointer must be a non-negative integer that fits a pointer",
                        )
                    })?
                } else {
                    return Err(PyTypeError::new_err(
                        "first element of __array_interface__ data tuple must be an integer.",
                    ));
                };
                Data::Address { address, readonly: t.get_item(1)?.is_truthy()? }
            }
            Err(_) => Data::Object(x),
        },
    };
    let objects = vec![obj.clone().unbind(), iface.clone().unbind()];
    let (array, writable) = match data {
        Data::Object(src) => {
            let held = HeldBuffer::get(&src, ffi::PyBUF_SIMPLE)?;
            let writable = !held.readonly();
            let (ptr, len) = (held.buf(), held.len_bytes());
            let owner = KeepAlive { export: Some(held), objects };
            // SAFETY: a simple export is `len` contiguous bytes at `ptr`, valid (writable
            // unless read-only) while the export is held by the buffer's owner.
            let buf = unsafe { Buffer::from_foreign(ptr, len, writable, Box::new(owner)) };
            (Array::try_new(buf, dtype, &shape, &strides, offset).py()?, writable)
        }
        Data::Address { address, readonly } => {
            // As in NumPy (and the protocol's text), `offset` applies only to buffer data:
            // a raw pointer already addresses element [0, ..., 0].
            let first = address;
            let (export, mapped_writable) = match super::reach(&shape, &strides, dtype.itemsize())? {
                None => (None, true),
                Some((lo, hi)) => {
                    if address == 0 {
                        return Err(PyValueError::new_err(
                            "__array_interface__ data pointer is NULL but the array contains data",
                        ));
                    }
                    let start =
                        (first as isize).checked_add(lo).filter(|&s| s > 0).ok_or_else(|| {
                            PyValueError::new_err("__array_interface__ data range underflows address 0")
                        })? as usize;
                    let end = (first as isize)
                        .checked_add(hi)
                        .filter(|&e| e > 0)
                        .ok_or_else(|| PyValueError::new_err("__array_interface__ data range overflows"))?
                        as usize;
                    prove_readable(obj, start, end)?
                }
            };
            let writable = !readonly && mapped_writable;
            let owner = KeepAlive { export, objects };
            // SAFETY: `prove_readable` showed that every byte the layout reaches is mapped
            // readable (and writable when `mapped_writable`), and the owner keeps alive the
            // objects that vouch for the pointer.
            let a = unsafe { super::foreign_array(first as *mut u8, dtype, &shape, &strides, writable, owner)? };
            (a, writable)
        }
    };
    crate::ndarray::new_array(py, PyNdArray::foreign(array, obj.clone().unbind(), writable))
}

/// Accepts only `[('', typestr)]` for the same dtype as `typestr`.
fn check_descr(descr: &Bound<'_, PyAny>, dtype: DType) -> PyResult<()> {
    let bad = || {
        PyTypeError::new_err(
            "rawarray supports only __array_interface__ descr [('', typestr)] (no structured or sub-array dtypes)",
        )
    };
    let list = descr.cast::<PyList>().map_err(|_| bad())?;
    if list.len() != 1 {
        return Err(bad());
    }
    let item = list.get_item(0)?;
    let t = item.cast::<PyTuple>().map_err(|_| bad())?;
    if t.len() != 2 {
        return Err(bad());
    }
    let name: String = t.get_item(0)?.extract().map_err(|_| bad())?;
    let ts: String = t.get_item(1)?.extract().map_err(|_| bad())?;
    if !name.is_empty() || DType::parse(&ts).ok() != Some(dtype) {
        return Err(bad());
    }
    Ok(())
}

/// Proves `start..end` readable. Returns the held export that proved it (if any) and
/// whether the range may be written.
fn prove_readable(holder: &Bound<'_, PyAny>, start: usize, end: usize) -> PyResult<(Option<HeldBuffer>, bool)> {
    // Cheap path: the holder's own buffer export covers the range (NumPy arrays do).
    // SAFETY: `holder` is a live object and the GIL is held.
    if unsafe { ffi::PyObject_CheckBuffer(holder.as_ptr()) } != 0 {
        match HeldBuffer::get(holder, ffi::PyBUF_RECORDS_RO) {
            Ok(held) => {
                if let Some((lo, hi)) = export_bounds(&held) {
                    if lo <= start && end <= hi {
                        let w = !held.readonly();
                        return Ok((Some(held), w));
                    }
                }
            }
            Err(e) => drop(e),
        }
    }
    match probe_maps(start, end) {
        Ok(w) => Ok((None, w)),
        Err(why) => Err(PyValueError::new_err(format!(
            "__array_interface__ data range 0x{start:x}..0x{end:x} is not readable memory ({why})"
        ))),
    }
}

/// The absolute byte range an export covers.
fn export_bounds(held: &HeldBuffer) -> Option<(usize, usize)> {
    if held.has_indirection() {
        return None;
    }
    let itemsize = usize::try_from(held.itemsize()).ok()?;
    let base = held.buf() as usize;
    let (Some(shape), Some(strides)) = (held.shape(), held.strides()) else {
        return Some((base, base.checked_add(held.len_bytes())?));
    };
    let shape: Vec<usize> = shape.iter().map(|&d| usize::try_from(d).ok()).collect::<Option<_>>()?;
    let (lo, hi) = super::reach(&shape, strides, itemsize).ok()??;
    Some(((base as isize).checked_add(lo)? as usize, (base as isize).checked_add(hi)? as usize))
}

/// Checks with `/proc/self/maps` that `start..end` is covered by readable mappings; returns
/// whether all of them are writable too.
#[cfg(target_os = "linux")]
fn probe_maps(start: usize, end: usize) -> Result<bool, String> {
    let maps = std::fs::read_to_string("/proc/self/maps").map_err(|e| format!("cannot read /proc/self/maps: {e}"))?;
    let mut cur = start;
    let mut writable = true;
    for line in maps.lines() {
        let mut fields = line.split_ascii_whitespace();
        let (Some(range), Some(perms)) = (fields.next(), fields.next()) else { continue };
        let Some((a, b)) = range.split_once('-') else { continue };
        let (Ok(a), Ok(b)) = (usize::from_str_radix(a, 16), usize::from_str_radix(b, 16)) else { continue };
        if b <= cur {
            continue;
        }
        if a > cur {
            break;
        }
        let p = perms.as_bytes();
        if p.first() != Some(&b'r') {
            return Err(format!("page at 0x{cur:x} is not readable ({perms})"));
        }
        writable &= p.get(1) == Some(&b'w');
        cur = b;
        if cur >= end {
            return Ok(writable);
        }
    }
    Err(format!("no mapping at 0x{cur:x}"))
}

/// Without `/proc/self/maps` the range cannot be proven: refuse raw pointers.
#[cfg(not(target_os = "linux"))]
fn probe_maps(_start: usize, _end: usize) -> Result<bool, String> {
    Err("raw pointers can only be checked on Linux".to_string())
}

#[pymethods]
impl PyNdArray {
    /// NumPy's array interface (version 3): shape, typestr, descr, data `(address,
    /// readonly)` and strides (`None` exactly when C-contiguous).
    #[getter]
    fn __array_interface__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let a = &self.arr(py);
        let d = PyDict::new(py);
        let ts = a.dtype().str();
        d.set_item("shape", PyTuple::new(py, a.shape())?)?;
        d.set_item("typestr", &ts)?;
        d.set_item("descr", PyList::new(py, [("", &ts)])?)?;
        d.set_item("data", (a.data_ptr() as usize, !self.is_writeable()))?;
        if a.is_c_contiguous() {
            d.set_item("strides", py.None())?;
        } else {
            d.set_item("strides", PyTuple::new(py, a.strides())?)?;
        }
        d.set_item("version", 3)?;
        Ok(d)
    }
}
