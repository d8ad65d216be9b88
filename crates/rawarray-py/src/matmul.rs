//! The products' kernel calls (`rawarray_core::kernels::matmul`): `_matmul` for
//! `rawarray._products`, which applies NumPy's gufunc rules (shapes, promotion, casting,
//! `out=`) in Python, and the direct path that `a @ b` and `matmul(a, b)` take for two
//! arrays of one dtype with matrices on both sides, where those rules have nothing to do.

use pyo3::prelude::*;
use rawarray_core::array::Array;
use rawarray_core::dtype::DType;
use rawarray_core::kernels::matmul;
use rawarray_core::layout::broadcast_shapes;
use rawarray_core::parallel::Cost;

use crate::dtype::dtype_from_py;
use crate::errors::IntoPy;
use crate::ndarray::{make_owned, ArrayRef, PyNdArray};

/// The product of two operands of `dtype`, with the floating-point exceptions reported
/// as NumPy's "... encountered in {name}" (none reported without a name).
fn product<'py>(
    py: Python<'py>,
    a: &Array,
    b: &Array,
    dtype: DType,
    name: Option<&str>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let work = matmul::work(a, b);
    let (out, flags) = crate::threads::run(py, work, Cost::Compute, || matmul::matmul(a, b, dtype)).py()?;
    if let Some(name) = name {
        crate::errstate::report(py, flags, name, false)?;
    }
    make_owned(py, out)
}

/// `_matmul(a, b, dtype, name="matmul", /)`: `a @ b` for `(..., m, k)` and `(..., k, n)`
/// operands of `dtype` (any byte order), as a new array; floating-point exceptions are
/// named after `name` (`dot` for dot and inner), or not reported when it is None (vdot).
#[pyfunction]
#[pyo3(name = "_matmul", signature = (a, b, dtype, name = Some("matmul"), /))]
pub fn matmul_arrays<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyNdArray>,
    b: &Bound<'py, PyNdArray>,
    dtype: &Bound<'py, PyAny>,
    name: Option<&str>,
) -> PyResult<Bound<'py, PyNdArray>> {
    let dtype = dtype_from_py(dtype)?;
    product(py, &a.arr(), &b.arr(), dtype, name)
}

/// `_matmul_direct(a, b, /)`: `a @ b` when both are ndarrays of one native numeric (or
/// bool) dtype with at least two axes, matching `k` and broadcasting stacks, so that the
/// loop is their dtype and no gufunc rule applies; `None` for every other call.
#[pyfunction]
#[pyo3(name = "_matmul_direct", signature = (a, b, /))]
pub fn direct<'py>(
    py: Python<'py>,
    a: &Bound<'py, PyAny>,
    b: &Bound<'py, PyAny>,
) -> PyResult<Option<Bound<'py, PyNdArray>>> {
    let (Ok(a), Ok(b)) = (a.cast::<PyNdArray>(), b.cast::<PyNdArray>()) else {
        return Ok(None);
    };
    let (pa, pb) = (a.arr(), b.arr());
    let d = pa.dtype();
    let (na, nb) = (pa.ndim(), pb.ndim());
    let fits = d == pb.dtype()
        && !d.needs_swap()
        && (d.is_numeric() || d == DType::BOOL)
        && na >= 2
        && nb >= 2
        && pa.shape()[na - 1] == pb.shape()[nb - 2]
        && broadcast_shapes(&[&pa.shape()[..na - 2], &pb.shape()[..nb - 2]]).is_ok();
    if !fits {
        return Ok(None);
    }
    product(py, &pa, &pb, d, Some("matmul")).map(Some)
}
