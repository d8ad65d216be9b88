//! NumPy's floating-point error handling: `seterr`/`geterr`/`seterrcall` and the one function
//! that turns a kernel's [`FpFlags`] into nothing, a RuntimeWarning, a FloatingPointError, a
//! printed line or a call, as the current settings say.
//!
//! The settings are per thread (NumPy 2 keeps them in a context variable, which new threads
//! also start from the defaults); `rawarray.errstate` in Python saves and restores them.

use std::cell::{Cell, RefCell};

use pyo3::exceptions::{PyFloatingPointError, PyRuntimeWarning, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use rawarray_core::fpe::FpFlags;

/// What to do about one category of floating-point error.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum Action {
    Ignore,
    Warn,
    Raise,
    Call,
    Print,
    Log,
}

impl Action {
    fn name(self) -> &'static str {
        match self {
            Action::Ignore => "ignore",
            Action::Warn => "warn",
            Action::Raise => "raise",
            Action::Call => "call",
            Action::Print => "print",
            Action::Log => "log",
        }
    }

    fn parse(s: &str) -> PyResult<Action> {
        Ok(match s {
            "ignore" => Action::Ignore,
            "warn" => Action::Warn,
            "raise" => Action::Raise,
            "call" => Action::Call,
            "print" => Action::Print,
            "log" => Action::Log,
            _ => return Err(PyValueError::new_err(format!("invalid error mode '{s}'"))),
        })
    }
}

/// The four categories in NumPy's order: divide, over, under, invalid.
const NAMES: [&str; 4] = ["divide", "over", "under", "invalid"];
const DEFAULT: [Action; 4] = [Action::Warn, Action::Warn, Action::Ignore, Action::Warn];

thread_local! {
    static MODES: Cell<[Action; 4]> = const { Cell::new(DEFAULT) };
    static CALL: RefCell<Option<Py<PyAny>>> = const { RefCell::new(None) };
}

fn modes_dict<'py>(py: Python<'py>, modes: [Action; 4]) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (name, mode) in NAMES.iter().zip(modes) {
        d.set_item(name, mode.name())?;
    }
    Ok(d)
}

/// Sets how floating-point errors are handled; returns the old settings as a dict.
#[pyfunction]
#[pyo3(signature = (all=None, divide=None, over=None, under=None, invalid=None))]
pub fn seterr<'py>(
    py: Python<'py>,
    all: Option<&str>,
    divide: Option<&str>,
    over: Option<&str>,
    under: Option<&str>,
    invalid: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let old = MODES.with(Cell::get);
    let mut new = old;
    if let Some(a) = all {
        new = [Action::parse(a)?; 4];
    }
    for (slot, v) in new.iter_mut().zip([divide, over, under, invalid]) {
        if let Some(v) = v {
            *slot = Action::parse(v)?;
        }
    }
    MODES.with(|m| m.set(new));
    modes_dict(py, old)
}

/// The current floating-point error handling as a dict.
#[pyfunction]
pub fn geterr(py: Python<'_>) -> PyResult<Bound<'_, PyDict>> {
    modes_dict(py, MODES.with(Cell::get))
}

/// Sets the callable (or object with a `write` method) used by the 'call' and 'log' modes;
/// returns the old one.
#[pyfunction]
pub fn seterrcall(py: Python<'_>, func: Option<Py<PyAny>>) -> PyResult<Option<Py<PyAny>>> {
    if let Some(f) = &func {
        let f = f.bind(py);
        if !f.is_callable() && !f.hasattr("write")? {
            return Err(PyValueError::new_err("Only callable can be used as callback"));
        }
    }
    Ok(CALL.with(|c| std::mem::replace(&mut *c.borrow_mut(), func)))
}

/// The callable set by `seterrcall`.
#[pyfunction]
pub fn geterrcall(py: Python<'_>) -> Option<Py<PyAny>> {
    CALL.with(|c| c.borrow().as_ref().map(|f| f.clone_ref(py)))
}

/// Handles the errors one operation raised, as the current settings say. `name` is the
/// ufunc's name ("add", "divide", ...); `scalar_math` selects NumPy's "in scalar add"
/// wording of its scalar fast path.
///
/// # Errors
/// FloatingPointError under 'raise'; whatever a warning filter or callback raises.
pub fn report(py: Python<'_>, flags: FpFlags, name: &str, scalar_math: bool) -> PyResult<()> {
    // Casts made on the way (inputs converted to the loop's dtypes, Python numbers stored
    // in a narrower float) come first, as NumPy's cast loops run first.
    report_cast(py)?;
    report_flags(py, flags, name, scalar_math)
}

/// Reports the exceptions the casts made on this thread raised since the last report
/// ("invalid value encountered in cast", "overflow encountered in cast"); operations that
/// convert values without running a ufunc (astype, assignment, array(..., dtype=)) call
/// this when done.
///
/// # Errors
/// As for [`report`].
pub fn report_cast(py: Python<'_>) -> PyResult<()> {
    let bits = rawarray_core::fpe::take_cast_bits();
    if bits & rawarray_core::fpe::bits::COMPLEX != 0 {
        crate::scalar::complex_warning(py)?;
    }
    report_flags(py, FpFlags::from_bits(bits), "cast", false)
}

fn report_flags(py: Python<'_>, flags: FpFlags, name: &str, scalar_math: bool) -> PyResult<()> {
    if !(flags.any() || flags.underflow) {
        return Ok(());
    }
    let modes = MODES.with(Cell::get);
    let place = if scalar_math { format!("scalar {name}") } else { name.to_string() };
    let raised = [flags.divide, flags.overflow, flags.underflow, flags.invalid];
    let texts = ["divide by zero", "overflow", "underflow", "invalid value"];
    for k in 0..4 {
        if !raised[k] || modes[k] == Action::Ignore {
            continue;
        }
        let msg = format!("{} encountered in {place}", texts[k]);
        match modes[k] {
            Action::Ignore => {}
            Action::Warn => {
                let cat = py.get_type::<PyRuntimeWarning>();
                let c = std::ffi::CString::new(msg).unwrap_or_default();
                PyErr::warn(py, &cat, &c, 1)?;
            }
            Action::Raise => return Err(PyFloatingPointError::new_err(msg)),
            Action::Print => {
                let sys = py.import("sys")?;
                sys.getattr("stderr")?.call_method1("write", (format!("Warning: {msg}\n"),))?;
            }
            Action::Call | Action::Log => {
                let Some(f) = geterrcall(py) else {
                    return Err(pyo3::exceptions::PyNameError::new_err(format!(
                        "python callback specified for {} (in  {place}) but no function found.",
                        texts[k]
                    )));
                };
                let f = f.bind(py);
                // NumPy's flag bits: divide 1, over 2, under 4, invalid 8.
                let bit = 1u32 << k;
                if modes[k] == Action::Call {
                    f.call1((NAMES_LONG[k], bit))?;
                } else {
                    f.call_method1("write", (format!("Warning: {msg}\n"),))?;
                }
            }
        }
    }
    Ok(())
}

/// The first argument NumPy passes to an error callback.
const NAMES_LONG: [&str; 4] = ["divide by zero", "overflow", "underflow", "invalid value"];

/// Adds the functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(seterr, m)?)?;
    m.add_function(wrap_pyfunction!(geterr, m)?)?;
    m.add_function(wrap_pyfunction!(seterrcall, m)?)?;
    m.add_function(wrap_pyfunction!(geterrcall, m)?)?;
    Ok(())
}
