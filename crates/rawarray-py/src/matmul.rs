//! `rawarray._products`' kernel call: the product of two stacks of matrices already cast to
//! one dtype (`rawarray_core::kernels::matmul`). Shapes, promotion, casting and `out=` are
//! NumPy's gufunc rules, applied in Python.

use pyo3::prelude::*;
use rawarray_core::kernels::matmul;
use rawarray_core::parallel::Cost;

use crate::dtype::dtype_from_py;
use crate::errors::IntoPy;
use crate::ndarray::{make_owned, ArrayRef, PyNdArray};

/// `_matmul(a, b, dtype, /)`: `a @ b` for `(..., m, k)` and `(..., k, n)` operands of
/// `dtype` (any byte order), as a new array; the floating-point exceptions are reported
/// as NumPy's "... encountered in matmul".
#[pyfunction]
#[pyo3(name = "_matmul", signature = (a, b, dtype, /))]
pub fn matmul_arrays<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyNdArray>,
    b: &Bound<'py, PyNdArray>,
    dtype: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let dtype = dtype_from_py(dtype)?;
    let (pa, pb) = (a.arr(), b.arr());
    let (ra, rb) = (&*pa, &*pb);
    let work = matmul::work(ra, rb);
    let (out, flags) = crate::threads::run(py, work, Cost::Compute, || matmul::matmul(ra, rb, dtype)).py()?;
    drop(pa);
    drop(pb);
    crate::errstate::report(py, flags, "matmul", false)?;
    make_owned(py, out)
}
