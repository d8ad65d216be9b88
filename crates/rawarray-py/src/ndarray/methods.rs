//! ndarray methods that convert, copy, reshape or reinterpret.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyTuple};
use rawarray_core::array::Array;
use rawarray_core::dtype::DType;
use rawarray_core::layout::Order;
use rawarray_core::parallel::Cost;
use rawarray_core::scalar::Scalar;
use smallvec::SmallVec;

use super::{make_owned, make_view, make_view_with, try_make_view, PyNdArray};
use crate::convert::{py_to_item, CopyMode, OrderArg};
use crate::dtype::dtype_from_py;
use crate::errors::IntoPy;
use crate::ndarray::ArrayRef;

/// Reads a shape given as an int or a sequence of ints (or as `*args`).
pub fn shape_arg(args: &Bound<'_, PyTuple>) -> PyResult<Vec<isize>> {
    if args.len() == 1 {
        let a = args.get_item(0)?;
        if let Ok(i) = index_of(&a) {
            return Ok(vec![i]);
        }
        if let Ok(t) = a.try_iter() {
            return t.map(|x| index_of(&x?)).collect();
        }
        return Ok(vec![index_of(&a)?]);
    }
    args.iter().map(|x| index_of(&x)).collect()
}

fn index_of(o: &Bound<'_, PyAny>) -> PyResult<isize> {
    // `extract` goes through `operator.index` (PyNumber_Index): ints directly, other
    // objects by `__index__`, floats refused with Python's own TypeError.
    o.extract()
}

fn order_of(order: Option<&str>, default: OrderArg) -> PyResult<OrderArg> {
    OrderArg::parse(order, default)
}

/// Converts the elements at `ptr` (axes `shape`, byte `strides`) to Python values, nested
/// as lists in C order. Each list is made at its final length and filled in place: no
/// intermediate vector of values or of objects.
///
/// # Safety
/// `shape` and `strides` with `ptr` must describe elements of `dtype` inside one readable
/// buffer that stays alive during the call (a checked layout of a pinned array).
unsafe fn to_list(
    py: Python<'_>,
    shape: &[usize],
    strides: &[isize],
    ptr: *const u8,
    dtype: DType,
) -> PyResult<Py<PyAny>> {
    let (Some((&n, rest)), Some((&step, rest_strides))) = (shape.split_first(), strides.split_first()) else {
        // SAFETY: `ptr` is an element of the checked layout (caller's contract).
        return item_to_py(py, &unsafe { Scalar::read(ptr, dtype) });
    };
    let len = isize::try_from(n).map_err(|_| pyo3::exceptions::PyMemoryError::new_err("list too long"))?;
    // SAFETY: `PyList_New` needs the GIL (held: `py`); a NULL result has set the exception.
    let raw = unsafe { ffi::PyList_New(len) };
    if raw.is_null() {
        return Err(PyErr::fetch(py));
    }
    // SAFETY: `raw` is a new (owned) reference. Until every slot is set, the list holds
    // NULLs, which its deallocator tolerates if an element's conversion fails below.
    let list = unsafe { Bound::from_owned_ptr(py, raw) };
    for i in 0..n {
        // SAFETY: `i < n` stays on this axis of the checked layout (caller's contract).
        let item = unsafe { to_list(py, rest, rest_strides, ptr.offset(i as isize * step), dtype)? };
        // SAFETY: `i < len` is a slot of the fresh list, set once; `SET_ITEM` steals the reference.
        unsafe { ffi::PyList_SET_ITEM(list.as_ptr(), i as isize, item.into_ptr()) };
    }
    Ok(list.unbind())
}

/// A Python-native value (`item()`/`tolist()` semantics: int, float, complex, bool, bytes).
pub fn item_to_py(py: Python<'_>, v: &Scalar) -> PyResult<Py<PyAny>> {
    Ok(match v {
        Scalar::Bool(b) => pyo3::types::PyBool::new(py, *b).to_owned().into_any().unbind(),
        Scalar::Int(i) => i.into_pyobject(py)?.into_any().unbind(),
        Scalar::UInt(u) => u.into_pyobject(py)?.into_any().unbind(),
        Scalar::Float(f) => f.into_pyobject(py)?.into_any().unbind(),
        Scalar::Complex(re, im) => pyo3::types::PyComplex::from_doubles(py, *re, *im).into_any().unbind(),
        Scalar::Bytes(b) | Scalar::Void(b) => PyBytes::new(py, b).into_any().unbind(),
    })
}

#[pymethods]
impl PyNdArray {
    /// The elements as nested Python lists of Python scalars.
    fn tolist(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let a = self.arr(py);
        // SAFETY: the pinned array's layout is checked against its buffer, and the pin keeps
        // that array (and so its buffer) alive and unreplaced for the whole walk.
        unsafe { to_list(py, a.shape(), a.strides(), a.data_ptr(), a.dtype()) }
    }

    /// One element as a Python scalar: no argument for size-1 arrays, a flat index, or one
    /// index per axis.
    #[pyo3(signature = (*args))]
    fn item(&self, py: Python<'_>, args: &Bound<'_, PyTuple>) -> PyResult<Py<PyAny>> {
        let a = &self.arr(py);
        let idx: Vec<usize> = if args.is_empty() {
            if a.size() != 1 {
                return Err(PyValueError::new_err("can only convert an array of size 1 to a Python scalar"));
            }
            vec![0; a.ndim()]
        } else {
            let raw: Vec<isize> = if args.len() == 1 {
                shape_arg(args)?
            } else {
                args.iter().map(|x| index_of(&x)).collect::<PyResult<_>>()?
            };
            if raw.len() == 1 && a.ndim() != 1 {
                let n = a.size() as isize;
                let f = if raw[0] < 0 { raw[0] + n } else { raw[0] };
                if f < 0 || f >= n {
                    return Err(pyo3::exceptions::PyIndexError::new_err("index out of bounds"));
                }
                let mut rem = f as usize;
                let mut idx = vec![0; a.ndim()];
                for k in (0..a.ndim()).rev() {
                    idx[k] = rem % a.shape()[k];
                    rem /= a.shape()[k];
                }
                idx
            } else {
                if raw.len() != a.ndim() {
                    return Err(PyValueError::new_err("incorrect number of indices for array"));
                }
                raw.iter()
                    .enumerate()
                    .map(|(k, &i)| rawarray_core::index::normalize_index(i, a.shape()[k], k))
                    .collect::<rawarray_core::Result<_>>()
                    .py()?
            }
        };
        item_to_py(py, &a.get(&idx).py()?)
    }

    /// The raw bytes of the elements in C (default) or F order.
    #[pyo3(signature = (order = "C"))]
    fn tobytes<'py>(&self, py: Python<'py>, order: &str) -> PyResult<Bound<'py, PyBytes>> {
        // NumPy's tobytes: 'F' is column-major, 'A' follows a Fortran-ordered array, and
        // 'C' and 'K' are row-major.
        let o = match order_of(Some(order), OrderArg::C)? {
            OrderArg::F => Order::F,
            OrderArg::A => self.arr(py).natural_order(),
            _ => Order::C,
        };
        let a_pin = self.arr(py);
        let a = &*a_pin;
        crate::protocols::new_bytes(py, a.nbytes(), |buf| {
            crate::threads::run(py, a.size(), Cost::Memory, || a.copy_to_slice(buf, o)).py()
        })
    }

    /// A copy in the given order (`C` by default).
    #[pyo3(signature = (order = "C"))]
    fn copy<'py>(&self, py: Python<'py>, order: &str) -> PyResult<Bound<'py, PyNdArray>> {
        let order = order_of(Some(order), OrderArg::C)?;
        let src = self.arr(py);
        let src: &Array = &src;
        let out = crate::threads::run(py, src.size(), Cost::Memory, || match order {
            OrderArg::K => src.copy_keep_order(),
            o => src.copy(o.resolve(src)),
        })
        .py()?;
        make_owned(py, out)
    }

    /// Fills every element with one value.
    fn fill(&self, py: Python<'_>, value: &Bound<'_, PyAny>) -> PyResult<()> {
        self.check_writeable()?;
        let v = py_to_item(value, self.arr(py).dtype())?;
        self.arr(py).fill(&v).py()?;
        crate::errstate::report_cast(py)
    }

    /// A converted copy (or `self` when `copy=False` and nothing changes).
    #[pyo3(signature = (dtype, order = "K", casting = "unsafe", subok = true, copy = true))]
    fn astype<'py>(
        slf: &Bound<'py, Self>,
        dtype: &Bound<'py, PyAny>,
        order: &str,
        casting: &str,
        subok: bool,
        copy: bool,
    ) -> PyResult<Bound<'py, PyNdArray>> {
        let _ = subok;
        let d = dtype_from_py(dtype)?;
        let from = slf.arr().dtype();
        let to = rawarray_core::kernels::cast::resolve_unsized(from, d);
        let o = order_of(Some(order), OrderArg::K)?;
        let mode = if copy { CopyMode::Always } else { CopyMode::IfNeeded };
        if casting == "same_value" {
            return crate::convert::finish_same_value(slf, to, mode, o);
        }
        let rule = rawarray_core::promote::Casting::parse(casting).py()?;
        if !rawarray_core::promote::can_cast(from, to, rule) {
            let m = rawarray_core::promote::cast_error(from, to, rule).to_string();
            // NumPy words the refusal for a 0-d array as a scalar cast.
            let m = if slf.arr().ndim() == 0 { m.replacen("array data", "scalar", 1) } else { m };
            return Err(PyTypeError::new_err(m));
        }
        crate::convert::finish(slf.clone(), Some(d), mode, o)
    }

    /// The same memory read as another dtype.
    #[pyo3(signature = (dtype = None, r#type = None))]
    fn view<'py>(
        slf: &Bound<'py, Self>,
        dtype: Option<&Bound<'py, PyAny>>,
        r#type: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyNdArray>> {
        let _ = r#type;
        match dtype {
            None => make_view_with(slf, Array::clone),
            Some(d) => {
                let d = dtype_from_py(d)?;
                try_make_view(slf, |a| a.view_as(d).py())
            }
        }
    }

    /// Swaps the bytes of every element: a new array, or in place (returning `self`).
    #[pyo3(signature = (inplace = false))]
    fn byteswap<'py>(slf: &Bound<'py, Self>, inplace: bool) -> PyResult<Bound<'py, PyNdArray>> {
        let me = slf.get();
        let py = slf.py();
        if inplace {
            me.check_writeable()?;
        }
        let a_pin = me.arr(py);
        let a = &*a_pin;
        match crate::threads::run(slf.py(), a.size(), Cost::Memory, || a.byteswap(inplace)).py()? {
            Some(a) => make_owned(slf.py(), a),
            None => Ok(slf.clone()),
        }
    }

    /// The elements with another shape: a view when possible, else a copy.
    #[pyo3(signature = (*shape, order = "C", copy = None))]
    fn reshape<'py>(
        slf: &Bound<'py, Self>,
        shape: &Bound<'py, PyTuple>,
        order: &str,
        copy: Option<bool>,
    ) -> PyResult<Bound<'py, PyNdArray>> {
        if shape.is_empty() {
            return Err(PyTypeError::new_err("reshape() takes exactly 1 argument (0 given)"));
        }
        match small_dims(shape) {
            Some(dims) => reshape_impl(slf, &dims, order, copy),
            None => reshape_impl(slf, &shape_arg(shape)?, order, copy),
        }
    }

    /// A 1-D view when the elements are contiguous in the requested order, else a copy.
    #[pyo3(signature = (order = "C"))]
    fn ravel<'py>(slf: &Bound<'py, Self>, order: &str) -> PyResult<Bound<'py, PyNdArray>> {
        let a_pin = slf.arr();
        let a = &*a_pin;
        let o = match order_of(Some(order), OrderArg::C)? {
            OrderArg::K => {
                if let Some(v) = a.dense_flat_view() {
                    return make_view(slf, v);
                }
                // Not one dense block: a copy laid out in this array's memory order (axes by
                // decreasing stride), read in that order.
                let c = a.copy_keep_order().py()?;
                return make_owned(slf.py(), c.dense_flat_view().unwrap_or_else(|| c.contiguous_flat()));
            }
            other => other.resolve(a),
        };
        let contiguous = match o {
            Order::C => a.is_c_contiguous(),
            Order::F => a.is_f_contiguous(),
        };
        if contiguous {
            return make_view_with(slf, Array::contiguous_flat);
        }
        make_owned(slf.py(), a.copy(o).py()?.contiguous_flat())
    }

    /// A 1-D copy.
    #[pyo3(signature = (order = "C"))]
    fn flatten<'py>(slf: &Bound<'py, Self>, order: &str) -> PyResult<Bound<'py, PyNdArray>> {
        let a_pin = slf.arr();
        let a = &*a_pin;
        let o = order_of(Some(order), OrderArg::C)?.resolve(a);
        // The copy is contiguous in `o`, so its memory order is the flattened order.
        make_owned(slf.py(), a.copy(o).py()?.contiguous_flat())
    }

    /// The axes permuted (reversed by default).
    #[pyo3(signature = (*axes))]
    fn transpose<'py>(slf: &Bound<'py, Self>, axes: &Bound<'py, PyTuple>) -> PyResult<Bound<'py, PyNdArray>> {
        let a_pin = slf.arr();
        let a = &*a_pin;
        if axes.is_empty() || (axes.len() == 1 && axes.get_item(0)?.is_none()) {
            return make_view_with(slf, Array::t);
        }
        let raw = match small_dims(axes) {
            Some(d) => d,
            None => shape_arg(axes)?.into_iter().collect(),
        };
        let nd = a.ndim() as isize;
        let perm = raw
            .iter()
            .map(|&x| {
                let y = if x < 0 { x + nd } else { x };
                if y < 0 || y >= nd {
                    Err(crate::errors::to_py_err(rawarray_core::Error::Value(format!(
                        "axis {x} is out of bounds for array of dimension {nd}"
                    ))))
                } else {
                    Ok(y as usize)
                }
            })
            .collect::<PyResult<SmallVec<[usize; 4]>>>()?;
        let out = a.transpose(Some(&perm)).py()?;
        make_view(slf, out)
    }

    fn __iter__(slf: Bound<'_, Self>) -> PyResult<PyArrayIter> {
        if slf.arr().ndim() == 0 {
            return Err(PyTypeError::new_err("iteration over a 0-d array"));
        }
        Ok(PyArrayIter { array: slf.unbind(), next: std::sync::atomic::AtomicUsize::new(0) })
    }

    fn __copy__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyNdArray>> {
        make_owned(py, self.arr(py).copy(self.arr(py).natural_order()).py()?)
    }

    #[pyo3(signature = (memo = None))]
    fn __deepcopy__<'py>(&self, py: Python<'py>, memo: Option<&Bound<'py, PyAny>>) -> PyResult<Bound<'py, PyNdArray>> {
        let _ = memo;
        self.__copy__(py)
    }
}

/// A shape given as plain ints (`a.reshape(2, 5)`, `a.reshape((2, 5))`), read without a
/// heap vector; `None` for any other form, which [`shape_arg`] reads (and reports).
fn small_dims(shape: &Bound<'_, PyTuple>) -> Option<SmallVec<[isize; 4]>> {
    let ints = |items: &[Bound<'_, PyAny>]| -> Option<SmallVec<[isize; 4]>> {
        items.iter().map(crate::convert::exact_isize).collect()
    };
    match shape.as_slice() {
        [t] => match t.cast_exact::<PyTuple>() {
            Ok(t) => ints(t.as_slice()),
            Err(_) => ints(std::slice::from_ref(t)),
        },
        many => ints(many),
    }
}

fn reshape_impl<'py>(
    slf: &Bound<'py, PyNdArray>,
    dims: &[isize],
    order: &str,
    copy: Option<bool>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let a_pin = slf.arr();
    let a: &Array = &a_pin;
    let o = match order_of(Some(order), OrderArg::C)? {
        OrderArg::F => Order::F,
        OrderArg::A => a.natural_order(),
        _ => Order::C,
    };
    let new_shape = rawarray_core::array::resolve_shape(dims, a.size(), a.shape()).py()?;
    let dense = match o {
        Order::C => a.is_c_contiguous(),
        Order::F => a.is_f_contiguous(),
    };
    if dense && copy != Some(true) {
        // The common case: contiguous strides, the view built in the new object.
        return make_view_with(slf, |a| a.contiguous_reshaped(&new_shape, o));
    }
    let view = if copy == Some(true) { None } else { a.layout().reshaped(&new_shape, o, a.itemsize()) };
    match view {
        Some(layout) => {
            // SAFETY: `reshaped` reaches exactly the bytes of the checked layout.
            let v = unsafe { a.view_unchecked(a.dtype(), layout) };
            make_view(slf, v)
        }
        None if copy == Some(false) => Err(PyValueError::new_err("Unable to avoid creating a copy while reshaping.")),
        None => {
            // Like NumPy, the result is a view of an intermediate copy.
            let c = make_owned(slf.py(), a.copy(o).py()?)?;
            let (v, _) = c.arr().reshape(dims, o).py()?;
            make_view(&c, v)
        }
    }
}

/// Iterator over the first axis of an array.
#[pyclass(name = "ndarray_iterator", module = "rawarray", frozen)]
pub struct PyArrayIter {
    array: Py<PyNdArray>,
    next: std::sync::atomic::AtomicUsize,
}

#[pymethods]
impl PyArrayIter {
    fn __iter__(slf: Bound<'_, Self>) -> Bound<'_, Self> {
        slf
    }

    fn __next__<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        let arr = self.array.bind(py);
        let a_pin = arr.arr();
        let a = &*a_pin;
        let i = self.next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        if i >= a.shape()[0] {
            return Ok(None);
        }
        if a.ndim() == 1 {
            // Elements of a 1-D array: read directly, no view.
            return Ok(Some(crate::scalar::element_scalar(py, &a.element_1d(i as isize).py()?)?));
        }
        // Rows of an array of two or more axes: views.
        Ok(Some(try_make_view(arr, |a| rawarray_core::index::index_first(a, i as isize).py())?.into_any()))
    }
}
