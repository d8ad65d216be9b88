//! ndarray methods and attributes that are ufunc calls or complex-part views: `.real`,
//! `.imag`, `conj()`, `conjugate()`, `clip()`, `round()`.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyInt, PyTuple};
use rawarray_core::array::Array;
use rawarray_core::dtype::Kind;
use rawarray_core::layout::Order;
use rawarray_core::ufunc::parts::complex_part;
use rawarray_core::ufunc::{Casting, OutOrder};
use smallvec::{smallvec, SmallVec};

use super::{make_view, PyNdArray};
use crate::errors::IntoPy;
use crate::ndarray::ArrayRef;
use crate::ufunc::{call, classify, get, Forced, Input};

fn scalar_input<'py>(obj: &Bound<'py, PyAny>) -> PyResult<Input<'py>> {
    classify(obj, false)?.ok_or_else(|| pyo3::exceptions::PyTypeError::new_err("unsupported operand"))
}

#[pymethods]
impl PyNdArray {
    /// The real part: a view for complex arrays, the array itself otherwise.
    #[getter]
    fn real<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        match complex_part(&slf.arr(), false).py()? {
            Some(v) => Ok(make_view(slf, v)?.into_any()),
            None => Ok(make_view(slf, slf.arr().clone())?.into_any()),
        }
    }

    /// The imaginary part: a view for complex arrays, read-only zeros otherwise.
    #[getter]
    fn imag<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
        let a_pin = slf.arr();
        let a = &*a_pin;
        match complex_part(a, true).py()? {
            Some(v) => Ok(make_view(slf, v)?.into_any()),
            None => {
                let z = Array::zeros(a.dtype().to_native(), a.shape(), Order::C).py()?;
                let obj = super::make_owned(slf.py(), z)?;
                obj.get().writeable.store(false, std::sync::atomic::Ordering::Relaxed);
                Ok(obj.into_any())
            }
        }
    }

    fn conj(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        Self::conjugate(slf)
    }

    /// The complex conjugate; as in NumPy, a non-complex array is returned itself.
    fn conjugate(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        if slf.arr().dtype().kind() != Kind::Complex {
            return Ok(slf.clone().into_any().unbind());
        }
        let me = Input::Typed(slf.arr().clone());
        call(slf.py(), get("conjugate"), &[me], &[None], None, &Forced::Free, Casting::SameKind, OutOrder::K)
    }

    /// Rounds to `decimals` places as NumPy's `PyArray_Round`: a sequence of ufunc calls
    /// (scale, `rint`, scale back), written in Python as `rawarray._ufuncs._round`.
    #[pyo3(signature = (decimals=None, out=None))]
    fn round<'py>(
        slf: &Bound<'py, Self>,
        decimals: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let f = slf.py().import("rawarray._ufuncs")?.getattr("_round")?;
        match decimals {
            Some(d) => f.call1((slf, d, out)),
            None => f.call1((slf, 0, out)),
        }
    }

    /// NumPy 2's `clip`: its three-input `clip` ufunc when both bounds are given, else
    /// `maximum`, `minimum` or `positive`. As in NumPy, a Python int bound beyond an integer
    /// dtype's range is no bound (`clip(uint8_array, -1, 300)` is a copy, not an
    /// OverflowError), and the ufunc keywords (`where`, `casting`, `dtype`, `order`) go to
    /// the ufunc call.
    #[pyo3(signature = (min=None, max=None, out=None, **kwargs))]
    fn clip<'py>(
        slf: &Bound<'py, Self>,
        min: Option<&Bound<'py, PyAny>>,
        max: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let dt = slf.arr().dtype();
        let bound = |b: Option<&Bound<'py, PyAny>>, low: bool| -> PyResult<Option<Bound<'py, PyAny>>> {
            let Some(b) = b.filter(|b| !b.is_none()) else { return Ok(None) };
            if matches!(dt.kind(), Kind::Int | Kind::UInt) && b.is_exact_instance_of::<PyInt>() {
                let (lo, hi) = rawarray_core::scalar_ops::int_range(dt);
                let beyond = if low { b.le(lo)? } else { b.ge(hi)? };
                if beyond {
                    return Ok(None);
                }
            }
            Ok(Some(b.clone()))
        };
        let x = slf.clone().into_any();
        let (name, operands): (&str, SmallVec<[Bound<'py, PyAny>; 3]>) = match (bound(min, true)?, bound(max, false)?) {
            (Some(lo), Some(hi)) => ("clip", smallvec![x, lo, hi]),
            (Some(lo), None) => ("maximum", smallvec![x, lo]),
            (None, Some(hi)) => ("minimum", smallvec![x, hi]),
            (None, None) => ("positive", smallvec![x]),
        };
        if let Some(kw) = kwargs.filter(|k| !k.is_empty()) {
            // Keywords: through the ufunc's own `__call__`, which parses them.
            let kw = kw.copy()?;
            // `out` is always passed (None when absent), as NumPy's `_clip` does: so a `where`
            // without `out` does not raise the ufuncs' uninitialised-memory warning.
            kw.set_item("out", out.filter(|o| !o.is_none()))?;
            let f = py.import("rawarray._rawarray")?.getattr(name)?;
            return Ok(f.call(PyTuple::new(py, operands)?, Some(&kw))?.unbind());
        }
        let out: Option<Bound<'py, PyNdArray>> = match out {
            Some(o) if !o.is_none() => Some(o.cast::<PyNdArray>()?.clone()),
            _ => None,
        };
        let ins = operands.iter().map(scalar_input).collect::<PyResult<SmallVec<[_; 3]>>>()?;
        call(py, get(name), &ins, &[out], None, &Forced::Free, Casting::SameKind, OutOrder::K)
    }
}
