//! The number protocol of typed scalars: arithmetic with NEP 50 weak Python scalars,
//! rich comparisons and hashing. Values are computed by `rawarray_core::scalar_ops`;
//! this file converts operands, raises and turns floating-point flags into warnings.

use std::cmp::Ordering;

use pyo3::basic::CompareOp;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyComplex, PyFloat, PyInt, PyTuple};
use rawarray_core::dtype::{DType, Kind};
use rawarray_core::promote::{promote_types, result_type_weak, PyScalarKind};
use rawarray_core::scalar::Scalar;
use rawarray_core::scalar_ops::{self, as_i128, uses_scalar_math, BinOp, FpFlags, UnOp};

use super::construct::{cast_warn_python, python_int_in_range};
use super::{bool_scalar, new_scalar, PyGeneric};
use crate::errors::IntoPy;

/// The other operand of a binary operation.
enum Other<'py> {
    /// A rawarray scalar (or Python `bytes`, which NumPy treats as a `bytes_`).
    Typed(Scalar, DType),
    /// A Python `bool`, `int`, `float` or `complex`: weak in NEP 50.
    Weak(Bound<'py, PyAny>, PyScalarKind),
}

fn classify<'py>(obj: &Bound<'py, PyAny>) -> Option<Other<'py>> {
    if let Ok(g) = obj.cast::<PyGeneric>() {
        let g = g.get();
        return Some(Other::Typed(g.value.clone(), g.dtype));
    }
    let kind = if obj.is_instance_of::<PyBool>() {
        PyScalarKind::Bool
    } else if obj.is_instance_of::<PyInt>() {
        PyScalarKind::Int
    } else if obj.is_instance_of::<PyFloat>() {
        PyScalarKind::Float
    } else if obj.is_instance_of::<PyComplex>() {
        PyScalarKind::Complex
    } else if let Ok(b) = obj.cast::<PyBytes>() {
        let v = b.as_bytes().to_vec();
        let n = v.len();
        return Some(Other::Typed(Scalar::Bytes(v), DType::bytes(n)));
    } else {
        return None;
    };
    Some(Other::Weak(obj.clone(), kind))
}

/// A weak Python scalar as a value of `d` (the NEP 50 result dtype), with NumPy's
/// OverflowError for integers out of range and its warning for float overflow.
fn weak_value(obj: &Bound<'_, PyAny>, kind: PyScalarKind, d: DType) -> PyResult<Scalar> {
    let py = obj.py();
    match kind {
        PyScalarKind::Bool => Ok(Scalar::Bool(obj.is_truthy()?)),
        PyScalarKind::Int if matches!(d.kind(), Kind::Int | Kind::UInt) => python_int_in_range(obj, d),
        PyScalarKind::Int | PyScalarKind::Float => {
            // PyFloat_AsDouble: correctly rounded, OverflowError for huge integers.
            let f: f64 = obj.extract()?;
            cast_warn_python(py, &Scalar::Float(f), d)
        }
        PyScalarKind::Complex => {
            let c = obj.cast::<PyComplex>()?;
            cast_warn_python(py, &Scalar::Complex(c.real(), c.imag()), d)
        }
    }
}

/// The other operand's value, the common dtype of both operands, and whether NumPy
/// would use its scalar math for them.
///
/// For typed operands `mine` is the left one (`__add__` is always called on the left
/// scalar, as Python tries the left operand's slot first).
fn resolve(mine: DType, other: Other<'_>, op: Option<BinOp>) -> PyResult<(Scalar, DType, bool)> {
    match other {
        Other::Typed(v, d) => {
            let common = promote_types(mine, d).py()?;
            Ok((v, common, uses_scalar_math(common, mine, Some(d))))
        }
        Other::Weak(obj, kind) => {
            let d = result_type_weak(mine, kind).py()?;
            if op == Some(BinOp::TrueDiv) && kind == PyScalarKind::Int && matches!(d.kind(), Kind::Int | Kind::UInt) {
                // Integer true division runs in float64: NumPy converts a Python int that
                // does not fit the integer dtype straight to a double.
                if let Err(e) = python_int_in_range(&obj, d) {
                    if e.is_instance_of::<pyo3::exceptions::PyOverflowError>(obj.py()) {
                        let f: f64 = obj.extract()?;
                        return Ok((Scalar::Float(f), DType::FLOAT64, uses_scalar_math(d, mine, None)));
                    }
                    return Err(e);
                }
            }
            if let Some(op) = op {
                // An operation without a loop for the dtype fails before NumPy converts the
                // Python number (no "overflow encountered in cast" for `complex64 // 1e300`).
                scalar_ops::loop_dtype(op, d).py()?;
            }
            Ok((weak_value(&obj, kind, d)?, d, uses_scalar_math(d, mine, None)))
        }
    }
}

/// What NumPy's scalar math does with `//`, `%` and divmod of complex numbers, which have
/// no loop: a complex scalar or a typed complex operand returns NotImplemented (Python's
/// TypeError then names both operands' types: "unsupported operand type(s) for //:
/// 'rawarray.complex128' and 'int'"); a Python complex beside a real scalar goes to the
/// ufunc, which refuses it.
enum ComplexDivision {
    NotImplemented,
    Ufunc,
    Computed,
}

fn complex_division(mine: DType, other: Option<&Other<'_>>, op: BinOp) -> ComplexDivision {
    if !matches!(op, BinOp::FloorDiv | BinOp::Rem) {
        return ComplexDivision::Computed;
    }
    match other {
        _ if mine.kind() == Kind::Complex => ComplexDivision::NotImplemented,
        Some(Other::Typed(_, d)) if d.kind() == Kind::Complex => ComplexDivision::NotImplemented,
        Some(Other::Weak(_, PyScalarKind::Complex)) => ComplexDivision::Ufunc,
        _ => ComplexDivision::Computed,
    }
}

fn emit(py: Python<'_>, flags: FpFlags, ufunc: &str, scalar_math: bool) -> PyResult<()> {
    crate::errstate::report(py, flags, ufunc, scalar_math)
}

/// Both operands as doubles when `me` is a float64 and `other` a float64, a Python float or
/// a Python int that fits an `isize` (weak, so converted to float64 as NumPy does): the
/// commonest scalar operations, which then need no promotion.
fn float64_pair(me: &PyGeneric, other: &Bound<'_, PyAny>) -> Option<(f64, f64)> {
    let (Scalar::Float(x), true) = (&me.value, me.dtype == DType::FLOAT64) else {
        return None;
    };
    let y = if let Ok(f) = other.cast_exact::<PyFloat>() {
        f.value()
    } else if other.is_exact_instance_of::<PyInt>() {
        // Rounded to nearest as `PyLong_AsDouble` rounds.
        crate::convert::exact_isize(other)? as f64
    } else {
        match other.cast::<PyGeneric>().ok()?.get() {
            PyGeneric { value: Scalar::Float(y), dtype } if *dtype == DType::FLOAT64 => *y,
            _ => return None,
        }
    };
    Some((*x, y))
}

/// Whether NumPy's scalar operators hand `other` to the array path: a sequence (a list,
/// a tuple, a `range`, ...) or a foreign array (an object with `__array_interface__`,
/// `__array__` or `__dlpack__`). rawarray arrays are left to their own reflected operators.
fn array_like(other: &Bound<'_, PyAny>) -> PyResult<bool> {
    if other.is_instance_of::<crate::ndarray::PyNdArray>() {
        return Ok(false);
    }
    let py = other.py();
    Ok(crate::convert::is_sequence(other)
        || other.hasattr(pyo3::intern!(py, "__array_interface__"))?
        || other.hasattr(pyo3::intern!(py, "__array__"))?
        || other.hasattr(pyo3::intern!(py, "__dlpack__"))?)
}

/// The operation on a scalar and an operand that is not a scalar: `ufunc(scalar, other)`
/// (or reflected) for an array-like `other`, as NumPy's scalar operators defer to its array
/// operators; NotImplemented otherwise.
fn array_path(
    slf: &Bound<'_, PyGeneric>,
    other: &Bound<'_, PyAny>,
    ufunc: &str,
    reflected: bool,
) -> PyResult<Py<PyAny>> {
    let py = slf.py();
    if !array_like(other)? {
        return Ok(py.NotImplemented());
    }
    ufunc_path(slf, other, ufunc, reflected)
}

/// `ufunc(slf, other)` (reflected: `ufunc(other, slf)`) called as from Python.
fn ufunc_path(
    slf: &Bound<'_, PyGeneric>,
    other: &Bound<'_, PyAny>,
    ufunc: &str,
    reflected: bool,
) -> PyResult<Py<PyAny>> {
    let py = slf.py();
    let f = py.import(pyo3::intern!(py, "rawarray._rawarray"))?.getattr(ufunc)?;
    let r = if reflected { f.call1((other, slf))? } else { f.call1((slf, other))? };
    Ok(r.unbind())
}

fn binop(slf: &Bound<'_, PyGeneric>, other: &Bound<'_, PyAny>, op: BinOp, reflected: bool) -> PyResult<Py<PyAny>> {
    let py = slf.py();
    let me = slf.get();
    // float64 with a float64 or a weak Python number: computed here when the result is
    // normal, which is what NumPy gives with nothing to warn about.
    if let Some((x, y)) = float64_pair(me, other) {
        let (l, r) = if reflected { (y, x) } else { (x, y) };
        if let Some(z) = scalar_ops::float64_quick(op, l, r) {
            return Ok(new_scalar(py, Scalar::Float(z), DType::FLOAT64)?.unbind());
        }
    }
    let o = classify(other);
    match complex_division(me.dtype, o.as_ref(), op) {
        ComplexDivision::NotImplemented => return Ok(py.NotImplemented()),
        ComplexDivision::Ufunc => return ufunc_path(slf, other, op.ufunc_name(), reflected),
        ComplexDivision::Computed => {}
    }
    let Some(o) = o else {
        // A scalar times a list or tuple is left to Python's sequence repetition, as NumPy
        // leaves it (an integer repeats it; other types fail there).
        let repeat =
            op == BinOp::Mul && (other.is_instance_of::<pyo3::types::PyList>() || other.is_instance_of::<PyTuple>());
        if repeat {
            return Ok(py.NotImplemented());
        }
        return array_path(slf, other, op.ufunc_name(), reflected);
    };
    let (v, common, scalar_math) = resolve(me.dtype, o, Some(op))?;
    let (a, b) = if reflected { (&v, &me.value) } else { (&me.value, &v) };
    let out = scalar_ops::binary(op, a, b, common, scalar_math).py()?;
    emit(py, out.flags, op.ufunc_name(), scalar_math)?;
    Ok(new_scalar(py, out.value, out.dtype)?.unbind())
}

/// `divmod` of two scalars: the quotient and remainder as `//` and `%` compute them, with
/// the warnings of both reported once and named after NumPy's divmod ("divide by zero
/// encountered in scalar divmod"), as its scalar math computes the pair in one function.
fn divmod(slf: &Bound<'_, PyGeneric>, other: &Bound<'_, PyAny>, reflected: bool) -> PyResult<Py<PyAny>> {
    let py = slf.py();
    let me = slf.get();
    let o = classify(other);
    match complex_division(me.dtype, o.as_ref(), BinOp::FloorDiv) {
        ComplexDivision::NotImplemented => return Ok(py.NotImplemented()),
        ComplexDivision::Ufunc => return ufunc_path(slf, other, "divmod", reflected),
        ComplexDivision::Computed => {}
    }
    let Some(o) = o else {
        return array_path(slf, other, "divmod", reflected);
    };
    let (v, common, scalar_math) = resolve(me.dtype, o, Some(BinOp::FloorDiv))?;
    let (a, b) = if reflected { (&v, &me.value) } else { (&me.value, &v) };
    let q = scalar_ops::binary(BinOp::FloorDiv, a, b, common, scalar_math).py()?;
    let r = scalar_ops::binary(BinOp::Rem, a, b, common, scalar_math).py()?;
    emit(py, q.flags.union(r.flags), "divmod", scalar_math)?;
    let pair = [new_scalar(py, q.value, q.dtype)?, new_scalar(py, r.value, r.dtype)?];
    Ok(PyTuple::new(py, pair)?.into_any().unbind())
}

fn unop(slf: &Bound<'_, PyGeneric>, op: UnOp) -> PyResult<Py<PyAny>> {
    let py = slf.py();
    let me = slf.get();
    if let (Scalar::Float(x), true) = (&me.value, me.dtype == DType::FLOAT64) {
        // Sign changes of a float64 raise no flag, NaN included.
        let z = match op {
            UnOp::Neg => -*x,
            UnOp::Pos => *x,
            UnOp::Abs => x.abs(),
        };
        return Ok(new_scalar(py, Scalar::Float(z), DType::FLOAT64)?.unbind());
    }
    let out = scalar_ops::unary(op, &me.value, me.dtype).py()?;
    emit(py, out.flags, op.ufunc_name(), me.dtype.kind() != Kind::Bool)?;
    Ok(new_scalar(py, out.value, out.dtype)?.unbind())
}

/// A bitwise operator through its ufunc (`bitwise_and`, `left_shift`, `invert`, ...) on
/// the scalars, which returns a scalar: the same NEP 50 promotion as the arithmetic above,
/// and NumPy's TypeError for float or complex operands. NotImplemented for other operand
/// types, as for the arithmetic.
fn bitwise(
    slf: &Bound<'_, PyGeneric>,
    other: Option<&Bound<'_, PyAny>>,
    ufunc: &str,
    reflected: bool,
) -> PyResult<Py<PyAny>> {
    let py = slf.py();
    let f = py.import(pyo3::intern!(py, "rawarray._rawarray"))?.getattr(ufunc)?;
    let r = match other {
        None => f.call1((slf,))?,
        Some(o) if classify(o).is_none() => return array_path(slf, o, ufunc, reflected),
        Some(o) if reflected => f.call1((o, slf))?,
        Some(o) => f.call1((slf, o))?,
    };
    Ok(r.unbind())
}

/// The order of `me` against another operand, and whether an ordering operator raises
/// "invalid" for them (see [`scalar_ops::compare`]); `Err(())` when the types do not
/// compare.
fn order(me: &PyGeneric, other: &Bound<'_, PyAny>) -> PyResult<Result<(Option<Ordering>, bool), ()>> {
    if let Some((x, y)) = float64_pair(me, other) {
        return Ok(Ok((x.partial_cmp(&y), false)));
    }
    let Some(o) = classify(other) else { return Ok(Err(())) };
    match o {
        // Integers compare exactly, whatever the Python integer's size (NumPy 2).
        Other::Weak(obj, PyScalarKind::Int) if matches!(me.dtype.kind(), Kind::Int | Kind::UInt) => {
            let mine = as_i128(&me.value);
            let o = match obj.extract::<i128>() {
                Ok(v) => mine.cmp(&v),
                Err(_) if obj.gt(0)? => Ordering::Less,
                Err(_) => Ordering::Greater,
            };
            Ok(Ok((Some(o), false)))
        }
        o => {
            let (v, d, scalar_math) = resolve(me.dtype, o, None)?;
            Ok(scalar_ops::compare(&me.value, me.dtype, &v, d, scalar_math).map_err(|_| ()))
        }
    }
}

#[pymethods]
impl PyGeneric {
    fn __add__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, other, BinOp::Add, false)
    }
    fn __radd__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, other, BinOp::Add, true)
    }
    fn __sub__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, other, BinOp::Sub, false)
    }
    fn __rsub__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, other, BinOp::Sub, true)
    }
    fn __mul__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, other, BinOp::Mul, false)
    }
    fn __rmul__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, other, BinOp::Mul, true)
    }
    fn __truediv__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, other, BinOp::TrueDiv, false)
    }
    fn __rtruediv__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, other, BinOp::TrueDiv, true)
    }
    fn __floordiv__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, other, BinOp::FloorDiv, false)
    }
    fn __rfloordiv__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, other, BinOp::FloorDiv, true)
    }
    fn __mod__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, other, BinOp::Rem, false)
    }
    fn __rmod__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, other, BinOp::Rem, true)
    }
    fn __divmod__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        divmod(slf, other, false)
    }
    fn __rdivmod__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        divmod(slf, other, true)
    }
    fn __pow__(
        slf: &Bound<'_, Self>,
        other: &Bound<'_, PyAny>,
        modulo: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        if modulo.is_some_and(|m| !m.is_none()) {
            return Ok(slf.py().NotImplemented());
        }
        binop(slf, other, BinOp::Pow, false)
    }
    fn __rpow__(
        slf: &Bound<'_, Self>,
        other: &Bound<'_, PyAny>,
        modulo: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        if modulo.is_some_and(|m| !m.is_none()) {
            return Ok(slf.py().NotImplemented());
        }
        binop(slf, other, BinOp::Pow, true)
    }
    fn __neg__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        unop(slf, UnOp::Neg)
    }
    fn __pos__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        unop(slf, UnOp::Pos)
    }
    fn __abs__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        unop(slf, UnOp::Abs)
    }
    fn __and__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        bitwise(slf, Some(other), "bitwise_and", false)
    }
    fn __rand__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        bitwise(slf, Some(other), "bitwise_and", true)
    }
    fn __or__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        bitwise(slf, Some(other), "bitwise_or", false)
    }
    fn __ror__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        bitwise(slf, Some(other), "bitwise_or", true)
    }
    fn __xor__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        bitwise(slf, Some(other), "bitwise_xor", false)
    }
    fn __rxor__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        bitwise(slf, Some(other), "bitwise_xor", true)
    }
    fn __lshift__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        bitwise(slf, Some(other), "left_shift", false)
    }
    fn __rlshift__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        bitwise(slf, Some(other), "left_shift", true)
    }
    fn __rshift__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        bitwise(slf, Some(other), "right_shift", false)
    }
    fn __rrshift__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        bitwise(slf, Some(other), "right_shift", true)
    }
    fn __invert__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        bitwise(slf, None, "invert", false)
    }

    fn __richcmp__(slf: &Bound<'_, Self>, other: &Bound<'_, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let Ok((ord, signals)) = order(slf.get(), other)? else {
            // NumPy answers `==`/`!=` with other types itself (`float64(1) == 'a'` is
            // `False_`), except for arrays and sequences, which broadcast: rawarray arrays
            // through their reflected operators, the others through the ufunc.
            if other.is_instance_of::<crate::ndarray::PyNdArray>() {
                return Ok(py.NotImplemented());
            }
            if array_like(other)? {
                let name = match op {
                    CompareOp::Lt => "less",
                    CompareOp::Le => "less_equal",
                    CompareOp::Eq => "equal",
                    CompareOp::Ne => "not_equal",
                    CompareOp::Gt => "greater",
                    CompareOp::Ge => "greater_equal",
                };
                return array_path(slf, other, name, false);
            }
            return match op {
                CompareOp::Eq | CompareOp::Ne => Ok(bool_scalar(py, matches!(op, CompareOp::Ne))?.unbind()),
                _ => Ok(py.NotImplemented()),
            };
        };
        if signals && !matches!(op, CompareOp::Eq | CompareOp::Ne) {
            // Only the ufunc path signals (scalar math never does), so its names.
            let name = match op {
                CompareOp::Lt => "less",
                CompareOp::Le => "less_equal",
                CompareOp::Gt => "greater",
                _ => "greater_equal",
            };
            emit(py, FpFlags { invalid: true, ..FpFlags::default() }, name, false)?;
        }
        let r = match op {
            CompareOp::Lt => ord == Some(Ordering::Less),
            CompareOp::Le => matches!(ord, Some(Ordering::Less | Ordering::Equal)),
            CompareOp::Eq => ord == Some(Ordering::Equal),
            CompareOp::Ne => ord != Some(Ordering::Equal),
            CompareOp::Gt => ord == Some(Ordering::Greater),
            CompareOp::Ge => matches!(ord, Some(Ordering::Greater | Ordering::Equal)),
        };
        Ok(bool_scalar(py, r)?.unbind())
    }

    /// The hash of the equal Python value, so `hash(x) == hash(x.item())`.
    fn __hash__(&self, py: Python<'_>) -> PyResult<isize> {
        self.item(py)?.bind(py).hash()
    }
}
