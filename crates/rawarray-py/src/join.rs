//! `rawarray._shape.concatenate`'s direct path: ndarrays of one native numeric dtype joined
//! along an integer axis in the core. Every other call, and every error, is left to the
//! Python implementation, which follows NumPy's promotion, memory order and messages.

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyInt, PyList, PyTuple};
use rawarray_core::array::Array;
use rawarray_core::parallel::Cost;
use smallvec::SmallVec;

use crate::errors::IntoPy;
use crate::ndarray::{make_owned, ArrayRef, PyNdArray};

/// `_concatenate_direct(arrays, axis, /)`: the joined array, or `None` when the call needs
/// the general path. Taken when `arrays` is a list or tuple of (exact) ndarrays of one
/// native numeric dtype and rank, `axis` an int in range, the other axes match, and every
/// input is 1-D or non-empty and C-contiguous: NumPy's result is then C-ordered (its
/// multi-sorted stride order is the identity), as the core's is.
#[pyfunction]
#[pyo3(name = "_concatenate_direct", signature = (arrays, axis, /))]
pub fn concatenate_direct<'py>(
    py: Python<'py>,
    arrays: &Bound<'py, PyAny>,
    axis: &Bound<'py, PyAny>,
) -> PyResult<Option<Bound<'py, PyNdArray>>> {
    let mut objs: SmallVec<[Bound<'py, PyNdArray>; 4]> = SmallVec::new();
    let mut push = |o: Bound<'py, PyAny>| match o.cast_into_exact::<PyNdArray>() {
        Ok(a) => {
            objs.push(a);
            true
        }
        Err(_) => false,
    };
    let all = if let Ok(l) = arrays.cast_exact::<PyList>() {
        l.iter().all(&mut push)
    } else if let Ok(t) = arrays.cast_exact::<PyTuple>() {
        t.iter().all(&mut push)
    } else {
        false
    };
    if !all || objs.is_empty() || !axis.is_exact_instance_of::<PyInt>() || axis.is_instance_of::<PyBool>() {
        return Ok(None);
    }
    let Ok(axis) = axis.extract::<isize>() else { return Ok(None) };
    let pins: SmallVec<[_; 4]> = objs.iter().map(|o| o.arr()).collect();
    let first = &pins[0];
    let (dtype, ndim) = (first.dtype(), first.ndim());
    if ndim == 0 || !dtype.is_numeric() || dtype.needs_swap() || axis < -(ndim as isize) || axis >= ndim as isize {
        return Ok(None);
    }
    let axis = if axis < 0 { axis + ndim as isize } else { axis } as usize;
    let fits = pins.iter().all(|a| {
        a.dtype() == dtype
            && a.ndim() == ndim
            && (ndim == 1 || (a.size() > 0 && a.is_c_contiguous()))
            && a.shape().iter().zip(first.shape()).enumerate().all(|(k, (x, y))| k == axis || x == y)
    });
    if !fits {
        return Ok(None);
    }
    let refs: SmallVec<[&Array; 4]> = pins.iter().map(|p| &**p).collect();
    let size: usize = refs.iter().map(|a| a.size()).sum();
    let out = crate::threads::run(py, size, Cost::Memory, || Array::concatenate(&refs, axis)).py()?;
    drop(refs);
    drop(pins);
    make_owned(py, out).map(Some)
}
