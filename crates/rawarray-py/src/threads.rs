//! Releasing the GIL around large kernels.
//!
//! Kernels split large arrays across rawarray's own thread pool (see
//! `rawarray_core::parallel`); they never touch Python, so the GIL can be released while
//! they run and other Python threads keep going, as NumPy does for its loops. Small
//! arrays keep the GIL: releasing and re-taking it costs more than their whole work.

use pyo3::marker::Ungil;
use pyo3::Python;
use rawarray_core::parallel::{self, Cost};

/// Runs `f` without the GIL when `n` elements of a kernel of this cost are worth it.
pub fn run<T, F>(py: Python<'_>, n: usize, cost: Cost, f: F) -> T
where
    F: Ungil + FnOnce() -> T,
    T: Ungil,
{
    if n >= parallel::min_len(cost) {
        py.detach(f)
    } else {
        f()
    }
}
