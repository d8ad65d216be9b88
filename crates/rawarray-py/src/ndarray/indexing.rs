//! `a[key]` and `a[key] = value`: basic keys give views; boolean masks and keys with index
//! arrays (parsed here into core items, planned and run by `rawarray_core::index::advanced`)
//! give copies or write in place.

use pyo3::exceptions::{PyIndexError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyComplex, PyEllipsis, PyFloat, PyInt, PySlice, PyTuple};
use rawarray_core::array::Array;
use rawarray_core::dtype::{DType, Kind};
use rawarray_core::index::advanced::{is_advanced, put, take, AdvancedItem};
use rawarray_core::index::{basic_index, select_first, FirstAxis, IndexItem};
use rawarray_core::kernels::take::IndexMode;
use rawarray_core::layout::Order;
use rawarray_core::parallel::Cost;
use rawarray_core::scalar::Scalar;
use smallvec::SmallVec;

use super::{make_view, PyNdArray};
use crate::convert::{assign_operand, exact_isize, from_nested, py_to_item, OrderArg};
use crate::errors::IntoPy;
use crate::ndarray::ArrayRef;

/// A parsed key: basic items, a boolean mask of the array's shape, or an advanced key.
pub enum Key {
    /// Integers, slices, `...` and `None`.
    Basic(Vec<IndexItem>),
    /// A boolean array of the indexed array's shape.
    Mask(Array),
    /// A key with integer or boolean index arrays.
    Advanced(Vec<AdvancedItem>),
}

const INVALID_INDEX: &str =
    "only integers, slices (`:`), ellipsis (`...`), numpy.newaxis (`None`) and integer or boolean arrays are valid indices";

fn invalid() -> PyErr {
    PyIndexError::new_err(INVALID_INDEX)
}

fn slice_item(s: &Bound<'_, PySlice>) -> PyResult<IndexItem> {
    let (mut start, mut stop, mut step): (pyo3::ffi::Py_ssize_t, pyo3::ffi::Py_ssize_t, pyo3::ffi::Py_ssize_t) =
        (0, 0, 0);
    // SAFETY: `s` is a live slice object (checked by the cast) and the three out-pointers
    // are valid locals. `PySlice_Unpack` maps None to the extreme values that
    // `slice_indices` clamps exactly as Python does, and calls `__index__` on the parts.
    let rc = unsafe { pyo3::ffi::PySlice_Unpack(s.as_ptr(), &mut start, &mut stop, &mut step) };
    if rc < 0 {
        return Err(PyErr::fetch(s.py()));
    }
    Ok(IndexItem::Slice { start: Some(start), stop: Some(stop), step: Some(step) })
}

/// The items of a basic key, held inline for up to four.
type Items = SmallVec<[IndexItem; 4]>;

/// Reads a basic key written with plain Python objects into `items`: exact `int`s,
/// slices, `None` and `...`, alone or in a tuple. Parsed without the general path's vectors,
/// for the common keys (`b[1]`, `b[:, 1]`, `a[...]`). False for any other key, which the
/// general path takes (with its errors).
fn plain_key(key: &Bound<'_, PyAny>, items: &mut Items) -> PyResult<bool> {
    fn item(o: &Bound<'_, PyAny>) -> PyResult<Option<IndexItem>> {
        if o.is_exact_instance_of::<PyInt>() {
            // An int beyond isize goes the general way, which reports it.
            return Ok(exact_isize(o).map(IndexItem::Int));
        }
        if let Ok(s) = o.cast_exact::<PySlice>() {
            return slice_item(s).map(Some);
        }
        if o.is_none() {
            return Ok(Some(IndexItem::NewAxis));
        }
        if o.is_exact_instance_of::<PyEllipsis>() {
            return Ok(Some(IndexItem::Ellipsis));
        }
        Ok(None)
    }
    let Ok(t) = key.cast_exact::<PyTuple>() else {
        let Some(i) = item(key)? else { return Ok(false) };
        items.push(i);
        return Ok(true);
    };
    for o in t.iter_borrowed() {
        match item(&o)? {
            Some(i) => items.push(i),
            None => return Ok(false),
        }
    }
    Ok(true)
}

/// The indices of a key of one exact Python int per axis of an array of at most four axes
/// (`a[5]`, `b[1, 2]`), read without the item parser (the commonest keys, whose whole cost
/// is the call); `None` for any other key, or an int beyond `isize` (which the general path
/// reports).
#[inline]
fn int_key(key: &Bound<'_, PyAny>, ndim: usize) -> Option<([isize; 4], usize)> {
    let mut index = [0isize; 4];
    if let Ok(t) = key.cast_exact::<PyTuple>() {
        if t.len() != ndim || ndim > 4 {
            return None;
        }
        for (slot, o) in index.iter_mut().zip(t.iter_borrowed()) {
            *slot = exact_isize(&o)?;
        }
    } else {
        if ndim != 1 {
            return None;
        }
        index[0] = exact_isize(key)?;
    }
    Some((index, ndim))
}

/// The indices of a key of exactly one integer per axis (an element, not a view).
fn element_index(items: &[IndexItem], ndim: usize) -> Option<SmallVec<[isize; 8]>> {
    if items.len() != ndim {
        return None;
    }
    items.iter().map(|i| if let IndexItem::Int(i) = *i { Some(i) } else { None }).collect()
}

/// The view of `a` a plain basic key selects, with the one-item keys on their own paths.
fn plain_view(a: &Array, items: &[IndexItem]) -> PyResult<Array> {
    match *items {
        [IndexItem::Ellipsis] => Ok(a.clone()),
        [IndexItem::Int(i)] => rawarray_core::index::index_first(a, i),
        [IndexItem::Slice { start, stop, step }] => rawarray_core::index::slice_first(a, start, stop, step),
        _ => basic_index(a, items),
    }
    .py()
}

/// True for a Python number of exact built-in type, which assignment converts directly.
fn is_python_number(o: &Bound<'_, PyAny>) -> bool {
    o.is_exact_instance_of::<PyFloat>()
        || o.is_exact_instance_of::<PyInt>()
        || o.is_exact_instance_of::<PyBool>()
        || o.is_exact_instance_of::<PyComplex>()
}

fn index_int(o: &Bound<'_, PyAny>) -> PyResult<Option<IndexItem>> {
    if !o.is_instance_of::<PyBool>() && (o.is_instance_of::<PyInt>() || o.hasattr("__index__")?) {
        if let Ok(i) = o.call_method0("__index__") {
            return match i.extract::<isize>() {
                Ok(v) => Ok(Some(IndexItem::Int(v))),
                // NumPy 2 raises OverflowError for an index in `2**63..2**64`, and its
                // invalid-index error for any other beyond `isize`.
                Err(_) if i.extract::<u64>().is_ok() => {
                    Err(pyo3::exceptions::PyOverflowError::new_err("Python int too large to convert to C long"))
                }
                Err(_) => Err(invalid()),
            };
        }
    }
    Ok(None)
}

fn array_item(a: &Bound<'_, PyNdArray>) -> PyResult<AdvancedItem> {
    Ok(AdvancedItem::Array(a.arr().clone()))
}

/// One item of a key.
fn part(o: &Bound<'_, PyAny>) -> PyResult<AdvancedItem> {
    if o.is_none() {
        return Ok(AdvancedItem::Basic(IndexItem::NewAxis));
    }
    if o.is_instance_of::<PyEllipsis>() {
        return Ok(AdvancedItem::Basic(IndexItem::Ellipsis));
    }
    if let Ok(s) = o.cast::<PySlice>() {
        return Ok(AdvancedItem::Basic(slice_item(s)?));
    }
    if let Ok(b) = o.cast::<PyBool>() {
        let a = Array::full(DType::BOOL, &[], Order::C, &Scalar::Bool(b.is_true())).py()?;
        return Ok(AdvancedItem::Array(a));
    }
    if o.is_instance_of::<PyInt>() {
        if let Some(i) = index_int(o)? {
            return Ok(AdvancedItem::Basic(i));
        }
    }
    if let Ok(a) = o.cast::<PyNdArray>() {
        return array_item(a);
    }
    if !crate::convert::is_list_or_tuple(o) {
        if let Some(a) = crate::protocols::wrap_foreign(o)? {
            return array_item(&a);
        }
    }
    if crate::convert::is_sequence(o) {
        // A sequence (a list, a tuple, a `range`, ...) becomes an index array; NumPy
        // reports a ragged sequence as such, and any other failed or non-integer
        // conversion with its generic message.
        let a = from_nested(o, None, OrderArg::C).map_err(|e| {
            let ragged = e.is_instance_of::<PyValueError>(o.py())
                && e.value(o.py()).to_string().starts_with("setting an array element with a sequence");
            if ragged {
                e
            } else {
                invalid()
            }
        })?;
        let x_pin = a.arr();
        let x = &*x_pin;
        return match x.dtype().kind() {
            Kind::Bool | Kind::Int | Kind::UInt => Ok(AdvancedItem::Array(x.clone())),
            _ if x.size() == 0 => Ok(AdvancedItem::Array(x.astype(DType::INT64, Order::C).py()?)),
            _ => Err(invalid()),
        };
    }
    if let Some(i) = index_int(o)? {
        return Ok(AdvancedItem::Basic(i));
    }
    Err(invalid())
}

/// Parses a key for the array `a`.
pub fn parse_key(a: &Array, key: &Bound<'_, PyAny>) -> PyResult<Key> {
    let mut parts: Vec<AdvancedItem> = match key.cast::<PyTuple>() {
        Ok(t) => t.iter().map(|o| part(&o)).collect::<PyResult<_>>()?,
        Err(_) => vec![part(key)?],
    };
    if let [AdvancedItem::Array(x)] = parts.as_mut_slice() {
        if x.dtype().kind() == Kind::Bool && x.shape() == a.shape() {
            return Ok(Key::Mask(x.clone()));
        }
    }
    if is_advanced(&parts, a.ndim()) {
        return Ok(Key::Advanced(parts));
    }
    // A basic key; its arrays (if any) are 0-d integers of a full integer index.
    let items = parts
        .into_iter()
        .map(|p| match p {
            AdvancedItem::Basic(i) => Ok(i),
            AdvancedItem::Array(x) => Ok(IndexItem::Int(x.get(&[]).py()?.as_i64() as isize)),
        })
        .collect::<PyResult<_>>()?;
    Ok(Key::Basic(items))
}

#[pymethods]
impl PyNdArray {
    fn __getitem__<'py>(slf: &Bound<'py, Self>, key: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyAny>> {
        // One pin for the whole call: the key's `__index__` may run Python code.
        let a = slf.arr();
        // Fast paths for the most common reads: `a[i]` on a 1-D array, and one int per axis.
        if let Some((index, n)) = int_key(key, a.ndim()) {
            let e = if n == 1 { a.element_1d(index[0]) } else { a.element(&index[..n]) };
            return crate::scalar::element_scalar(slf.py(), &e.py()?);
        }
        // One slice (`a[1:3]`): checked, then the view is built in the new object.
        if let Ok(k) = key.cast_exact::<PySlice>() {
            if let IndexItem::Slice { start, stop, step } = slice_item(k)? {
                let sel = FirstAxis::slice(&a, start, stop, step).py()?;
                return Ok(super::make_view_with(slf, |a| select_first(a, sel))?.into_any());
            }
        }
        // Fast paths for one ndarray key: a boolean mask of the array's shape, or a 1-D
        // integer index array on a non-empty 1-D array (`take`, as the general path does).
        if let Ok(k) = key.cast_exact::<PyNdArray>() {
            let x = k.arr();
            if x.ndim() > 0 && x.dtype().kind() == Kind::Bool && x.shape() == a.shape() {
                let (arr, m): (&Array, &Array) = (&a, &x);
                let out = crate::threads::run(slf.py(), m.size(), Cost::Compute, || arr.mask_select(m)).py()?;
                return Ok(super::make_owned(slf.py(), out)?.into_any());
            }
            if a.ndim() == 1 && x.ndim() == 1 && a.size() > 0 && matches!(x.dtype().kind(), Kind::Int | Kind::UInt) {
                let out = rawarray_core::index::functions::take(&a, &x, Some(0), IndexMode::Raise).py()?;
                return Ok(super::make_owned(slf.py(), out)?.into_any());
            }
        }
        // Keys of plain ints, slices, None and `...`: no key vectors, no index arrays.
        let mut items = Items::new();
        if plain_key(key, &mut items)? {
            if let Some(index) = element_index(&items, a.ndim()) {
                return crate::scalar::element_scalar(slf.py(), &a.element(&index).py()?);
            }
            // One int or one slice: checked here, then the view is built in the new object.
            let first = match items[..] {
                [IndexItem::Ellipsis] => return Ok(super::make_view_with(slf, Array::clone)?.into_any()),
                [IndexItem::Int(i)] => Some(FirstAxis::index(&a, i)),
                [IndexItem::Slice { start, stop, step }] => Some(FirstAxis::slice(&a, start, stop, step)),
                _ => None,
            };
            if let Some(sel) = first {
                let sel = sel.py()?;
                return Ok(super::make_view_with(slf, |a| select_first(a, sel))?.into_any());
            }
            return Ok(super::try_make_view(slf, |a| plain_view(a, &items))?.into_any());
        }
        match parse_key(&a, key)? {
            Key::Basic(items) => {
                let v = basic_index(&a, &items).py()?;
                let all_ints = v.ndim() == 0 && items.iter().all(|i| matches!(i, IndexItem::Int(_)));
                if all_ints {
                    let s = v.get(&[]).py()?;
                    return Ok(crate::scalar::scalar_to_py(slf.py(), &s, v.dtype())?.into_bound(slf.py()));
                }
                Ok(make_view(slf, v)?.into_any())
            }
            Key::Mask(mask) => {
                let m = &mask;
                if m.ndim() == 0 {
                    // a[True] adds an axis of length 1, a[False] of length 0.
                    let base = basic_index(&a, &[IndexItem::NewAxis]).py()?;
                    let n = if m.get(&[]).py()?.is_truthy() { 1 } else { 0 };
                    let sel =
                        basic_index(&base, &[IndexItem::Slice { start: Some(0), stop: Some(n), step: None }]).py()?;
                    let out = sel.copy(rawarray_core::layout::Order::C).py()?;
                    return Ok(super::make_owned(slf.py(), out)?.into_any());
                }
                let arr: &Array = &a;
                let out = crate::threads::run(slf.py(), m.size(), Cost::Compute, || arr.mask_select(m)).py()?;
                Ok(super::make_owned(slf.py(), out)?.into_any())
            }
            Key::Advanced(items) => {
                let out = take(&a, &items).py()?;
                Ok(super::make_owned(slf.py(), out)?.into_any())
            }
        }
    }

    fn __setitem__(slf: &Bound<'_, Self>, key: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        Self::set_item(slf, key, value)?;
        crate::errstate::report_cast(slf.py())
    }
}

impl PyNdArray {
    /// `a[key] = value` without the cast warnings (which `__setitem__` reports after).
    fn set_item(slf: &Bound<'_, Self>, key: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        slf.get().check_writeable()?;
        let a = slf.arr();
        let dt = a.dtype();
        // One int per axis and a Python number: stored straight into the element.
        if let Some((index, n)) = int_key(key, a.ndim()) {
            if is_python_number(value) {
                let place = a.element(&index[..n]).py()?;
                return place.write(&py_to_item(value, dt)?).py();
            }
        }
        // Keys of plain ints, slices, None and `...`; a Python number is converted straight
        // to the element type (after the index is resolved, as NumPy orders its errors)
        // without a 0-d array.
        let mut items = Items::new();
        if plain_key(key, &mut items)? {
            if let Some(index) = element_index(&items, a.ndim()) {
                let place = a.element(&index).py()?;
                if is_python_number(value) {
                    return place.write(&py_to_item(value, dt)?).py();
                }
                // One element takes one value: NumPy refuses any array of at least one axis
                // here (even of one element), where a view would broadcast it.
                let src = assign_operand(value, dt, true)?;
                let src = src.arr();
                if src.ndim() > 0 {
                    return Err(PyValueError::new_err("setting an array element with a sequence."));
                }
                return plain_view(&a, &items)?.assign(&src).py();
            }
            let v = plain_view(&a, &items)?;
            if is_python_number(value) {
                return v.fill(&py_to_item(value, dt)?).py();
            }
            let src = assign_operand(value, dt, true)?;
            let src = src.arr();
            return v.assign(&src).py();
        }
        // Fast path for a boolean mask of the array's shape given as one ndarray.
        if let Ok(k) = key.cast_exact::<PyNdArray>() {
            let m = k.arr();
            if m.ndim() > 0 && m.dtype().kind() == Kind::Bool && m.shape() == a.shape() {
                let src = assign_operand(value, dt, false)?;
                let src = src.arr();
                let (arr, m, src): (&Array, &Array, &Array) = (&a, &m, &src);
                return crate::threads::run(slf.py(), m.size(), Cost::Compute, || arr.mask_assign(m, src)).py();
            }
        }
        match parse_key(&a, key)? {
            Key::Basic(items) => {
                let v = basic_index(&a, &items).py()?;
                let src = assign_operand(value, dt, true)?;
                let src = src.arr();
                v.assign(&src).py()
            }
            Key::Mask(mask) => {
                let src = assign_operand(value, dt, false)?;
                let src = src.arr();
                let (arr, src): (&Array, &Array) = (&a, &src);
                crate::threads::run(slf.py(), mask.size(), Cost::Compute, || arr.mask_assign(&mask, src)).py()
            }
            Key::Advanced(items) => {
                let src = assign_operand(value, dt, false)?;
                let src = src.arr();
                put(&a, &items, &src).py()
            }
        }
    }
}
