//! ndarray methods and attributes that are ufunc calls or complex-part views: `.real`,
//! `.imag`, `conj()`, `conjugate()`, `clip()`.

use pyo3::prelude::*;
use rawarray_core::array::Array;
use rawarray_core::layout::Order;
use rawarray_core::ufunc::parts::complex_part;
use rawarray_core::ufunc::Casting;

use super::{make_view, PyNdArray};
use crate::errors::IntoPy;
use crate::ndarray::ArrayRef;
use crate::ufunc::{call, classify, get, Input};

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

    fn conjugate(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        let me = Input::Typed(slf.arr().clone());
        call(slf.py(), get("conjugate"), &[me], &[None], None, None, Casting::SameKind)
    }

    /// NumPy 2's `clip`: `minimum(maximum(a, min), max)`, either bound optional.
    #[pyo3(signature = (min=None, max=None, out=None))]
    fn clip<'py>(
        slf: &Bound<'py, Self>,
        min: Option<&Bound<'py, PyAny>>,
        max: Option<&Bound<'py, PyAny>>,
        out: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let out: Option<Bound<'py, PyNdArray>> = match out {
            Some(o) if !o.is_none() => Some(o.cast::<PyNdArray>()?.clone()),
            _ => None,
        };
        let min = min.filter(|m| !m.is_none());
        let max = max.filter(|m| !m.is_none());
        let mut cur: Bound<'py, PyAny> = slf.clone().into_any();
        let mut applied = false;
        for (bound, name) in [(min, "maximum"), (max, "minimum")] {
            let Some(b) = bound else { continue };
            let ins = [scalar_input(&cur)?, scalar_input(b)?];
            cur = call(py, get(name), &ins, std::slice::from_ref(&out), None, None, Casting::SameKind)?.into_bound(py);
            applied = true;
        }
        if !applied {
            let ins = [scalar_input(&cur)?];
            return call(py, get("positive"), &ins, &[out], None, None, Casting::SameKind);
        }
        Ok(cur.unbind())
    }
}
