//! The `rawarray._rawarray` extension: a thin PyO3 layer over `rawarray-core`.
//!
//! Each pymethod converts its arguments, calls the core and converts the result; the one
//! mapping from core errors to Python exceptions is in `errors.rs`.

mod construct;
mod convert;
mod dtype;
mod errors;
mod errstate;
mod index_functions;
mod join;
mod matmul;
mod ndarray;
mod objects;
mod overlap;
mod owner;
mod protocols;
mod reductions;
mod scalar;
mod stride_tricks;
mod threads;
mod ufunc;
mod ufunc_methods;

use pyo3::prelude::*;

/// The extension module.
#[pymodule(gil_used = true)]
fn _rawarray(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<dtype::PyDType>()?;
    m.add_class::<ndarray::PyNdArray>()?;
    m.add_class::<ndarray::PyFlags>()?;
    m.add_function(wrap_pyfunction!(construct::array, m)?)?;
    m.add_function(wrap_pyfunction!(matmul::matmul_arrays, m)?)?;
    m.add_function(wrap_pyfunction!(matmul::direct, m)?)?;
    m.add_function(wrap_pyfunction!(construct::asarray, m)?)?;
    m.add_function(wrap_pyfunction!(construct::empty, m)?)?;
    m.add_function(wrap_pyfunction!(construct::empty_keep_order, m)?)?;
    m.add_function(wrap_pyfunction!(construct::zeros, m)?)?;
    m.add_function(wrap_pyfunction!(construct::ones, m)?)?;
    m.add_function(wrap_pyfunction!(construct::full, m)?)?;
    m.add_function(wrap_pyfunction!(construct::empty_like, m)?)?;
    m.add_function(wrap_pyfunction!(construct::zeros_like, m)?)?;
    m.add_function(wrap_pyfunction!(construct::ones_like, m)?)?;
    m.add_function(wrap_pyfunction!(construct::full_like, m)?)?;
    m.add_function(wrap_pyfunction!(construct::arange, m)?)?;
    m.add_function(wrap_pyfunction!(construct::frombuffer, m)?)?;
    m.add_function(wrap_pyfunction!(stride_tricks::as_strided, m)?)?;
    m.add_function(wrap_pyfunction!(join::concatenate_direct, m)?)?;
    errstate::register(m)?;
    overlap::register(m)?;
    errors::register(m)?;
    index_functions::register(m)?;
    scalar::register(m)?;
    ufunc::register(m)?;
    reductions::register(m)?;
    Ok(())
}
