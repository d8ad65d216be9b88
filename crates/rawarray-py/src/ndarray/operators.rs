//! Arithmetic, bitwise and comparison operators (through the ufuncs), truth value, number
//! conversions and printing of ndarrays.

use pyo3::basic::CompareOp;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyComplex, PyFloat, PyInt};
use rawarray_core::array::Array;
use rawarray_core::dtype::{DType, Kind};
use rawarray_core::kernels::compare::{compare, CmpOp};
use rawarray_core::layout::Order;
use rawarray_core::promote::{result_type_weak, PyScalarKind};
use rawarray_core::scalar::Scalar;

use super::{make_owned, PyNdArray};
use crate::convert::{from_nested, OrderArg};
use crate::errors::IntoPy;
use crate::ndarray::ArrayRef;
use crate::ufunc::{call, classify, fast_binary, fast_unary, fast_weak, ufunc_named, Forced, Input};
use rawarray_core::ufunc::{Casting, OutOrder, Ufunc};

/// The other operand of a binary operation as an array, with NEP 50 weak promotion for
/// Python scalars; `None` when the type is not supported (the operator returns
/// NotImplemented).
pub fn binary_operand(obj: &Bound<'_, PyAny>, like: DType) -> PyResult<Option<Array>> {
    if let Ok(a) = obj.cast::<PyNdArray>() {
        return Ok(Some(a.arr().clone()));
    }
    let weak = |kind: PyScalarKind, v: Scalar| -> PyResult<Option<Array>> {
        let d = result_type_weak(like, kind).py()?;
        Ok(Some(Array::full(d, &[], Order::C, &v).py()?))
    };
    if obj.is_instance_of::<PyBool>() {
        return weak(PyScalarKind::Bool, Scalar::Bool(obj.is_truthy()?));
    }
    if let Ok(i) = obj.cast::<PyInt>() {
        let d = result_type_weak(like, PyScalarKind::Int).py()?;
        if let Ok(v) = i.extract::<i64>() {
            let fits = match d.kind() {
                Kind::Int | Kind::UInt => {
                    let bits = d.itemsize() as u32 * 8;
                    let (lo, hi) = if d.kind() == Kind::Int {
                        (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
                    } else {
                        (0, (1i128 << bits) - 1)
                    };
                    (lo..=hi).contains(&(v as i128))
                }
                _ => true,
            };
            let d = if fits { d } else { DType::INT64 };
            return Ok(Some(Array::full(d, &[], Order::C, &Scalar::Int(v)).py()?));
        }
        if like.kind() == Kind::Bool {
            // bool with a Python int computes in int64, which this value does not fit.
            return Err(pyo3::exceptions::PyOverflowError::new_err("Python int too large to convert to C long"));
        }
        if let Ok(v) = i.extract::<u64>() {
            return Ok(Some(Array::full(DType::UINT64, &[], Order::C, &Scalar::UInt(v)).py()?));
        }
        let f: f64 = i.extract::<f64>()?;
        return Ok(Some(Array::full(DType::FLOAT64, &[], Order::C, &Scalar::Float(f)).py()?));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return weak(PyScalarKind::Float, Scalar::Float(f.value()));
    }
    if let Ok(c) = obj.cast::<PyComplex>() {
        return weak(PyScalarKind::Complex, Scalar::Complex(c.real(), c.imag()));
    }
    if let Some((v, d)) = crate::scalar::typed_scalar_value(obj)? {
        return Ok(Some(Array::full(d, &[], Order::C, &v).py()?));
    }
    if let Some(a) = crate::protocols::wrap_foreign(obj)? {
        return Ok(Some(a.arr().clone()));
    }
    if crate::convert::is_sequence(obj) {
        return Ok(Some(from_nested(obj, None, OrderArg::C)?.arr().clone()));
    }
    if obj.is_instance_of::<pyo3::types::PyBytes>() {
        let b: Vec<u8> = obj.extract()?;
        return Ok(Some(Array::full(DType::bytes(b.len().max(1)), &[], Order::C, &Scalar::Bytes(b)).py()?));
    }
    Ok(None)
}

/// The element of a 0-d array for `float()`, `int()` and `complex()`: NumPy 2.4 refuses
/// arrays of more dimensions, even of one element.
fn scalar_of(a: &PyNdArray, py: Python<'_>) -> PyResult<Scalar> {
    let a = a.arr(py);
    if a.ndim() != 0 {
        return Err(PyTypeError::new_err("only 0-dimensional arrays can be converted to Python scalars"));
    }
    a.get(&[]).py()
}

/// `self <op> other` (or `other <op> self` when `reflected`) through the ufunc;
/// NotImplemented for operand types the ufunc cannot take.
fn binop(
    slf: &Bound<'_, PyNdArray>,
    other: &Bound<'_, PyAny>,
    uf: &'static Ufunc,
    reflected: bool,
) -> PyResult<Py<PyAny>> {
    let py = slf.py();
    if uf.nout == 1 {
        if let Ok(o) = other.cast::<PyNdArray>() {
            let (x, y) = (slf.arr(), o.arr());
            let (x, y) = if reflected { (&*y, &*x) } else { (&*x, &*y) };
            return fast_binary(py, uf, x, y, None);
        }
        if let Some(r) = fast_weak(py, uf, &slf.arr(), other, reflected, None)? {
            return Ok(r);
        }
    }
    let Some(o) = classify(other, true)? else {
        return Ok(py.NotImplemented());
    };
    let me = Input::Typed(slf.arr().clone());
    let ins = if reflected { [o, me] } else { [me, o] };
    let outs: [Option<Bound<'_, PyNdArray>>; 2] = [None, None];
    call(py, uf, &ins, &outs[..uf.nout], None, &Forced::Free, Casting::SameKind, OutOrder::K)
}

/// `self @ other` (or `other @ self`): `NotImplemented` for objects the operators defer
/// to, as for the ufunc operators.
fn matmul_op(slf: &Bound<'_, PyNdArray>, other: &Bound<'_, PyAny>, reflected: bool) -> PyResult<Py<PyAny>> {
    let py = slf.py();
    let (x, y) = if reflected { (other, slf.as_any()) } else { (slf.as_any(), other) };
    if let Some(r) = crate::matmul::direct(py, x, y)? {
        return Ok(r.into_any().unbind());
    }
    if other.cast::<PyNdArray>().is_err() && classify(other, true)?.is_none() {
        return Ok(py.NotImplemented());
    }
    let matmul = py.import("rawarray._products")?.getattr("matmul")?;
    let r = if reflected { matmul.call1((other, slf)) } else { matmul.call1((slf, other)) };
    Ok(r?.unbind())
}

/// `self <op>= other`: the ufunc with `out=self` and casting 'same_kind'.
fn inplace(slf: &Bound<'_, PyNdArray>, other: &Bound<'_, PyAny>, uf: &'static Ufunc, symbol: &str) -> PyResult<()> {
    let py = slf.py();
    if let Ok(o) = other.cast::<PyNdArray>() {
        fast_binary(py, uf, &slf.arr(), &o.arr(), Some(slf))?;
        return Ok(());
    }
    if fast_weak(py, uf, &slf.arr(), other, false, Some(slf))?.is_some() {
        return Ok(());
    }
    let Some(o) = classify(other, true)? else {
        return Err(PyTypeError::new_err(format!(
            "unsupported operand type(s) for {symbol}: 'rawarray.ndarray' and '{}'",
            other.get_type().name()?
        )));
    };
    let me = Input::Typed(slf.arr().clone());
    call(py, uf, &[me, o], &[Some(slf.clone())], None, &Forced::Free, Casting::SameKind, OutOrder::K)?;
    Ok(())
}

/// NumPy's `fast_scalar_power`: a float or complex array raised to the exact Python int 2
/// or -1, or the Python float 0.5, runs square, reciprocal or sqrt instead of power (their
/// values differ from power's for complex numbers, and their warnings name them); a bool
/// or integer array raised to 2 runs square (`bool_array ** 2` is int8, square's loop,
/// where power's would be int64).
fn fast_power(a: &Array, exponent: &Bound<'_, PyAny>) -> Option<&'static Ufunc> {
    if !matches!(a.dtype().kind(), Kind::Float | Kind::Complex) {
        let square = matches!(a.dtype().kind(), Kind::Bool | Kind::Int | Kind::UInt)
            && crate::convert::exact_isize(exponent) == Some(2);
        return square.then(|| ufunc_named!("square"));
    }
    match crate::convert::exact_isize(exponent) {
        Some(2) => return Some(ufunc_named!("square")),
        Some(-1) => return Some(ufunc_named!("reciprocal")),
        _ => {}
    }
    if exponent.is_exact_instance_of::<PyFloat>() && exponent.cast::<PyFloat>().ok()?.value() == 0.5 {
        return Some(ufunc_named!("sqrt"));
    }
    None
}

fn unop(slf: &Bound<'_, PyNdArray>, uf: &'static Ufunc) -> PyResult<Py<PyAny>> {
    fast_unary(slf.py(), uf, &slf.arr())
}

/// The comparison operators: the comparison ufuncs for numbers, the comparison kernel's own
/// rules for bytes and void.
fn richcmp<'py>(slf: &Bound<'py, PyNdArray>, other: &Bound<'py, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
    let py = slf.py();
    let me_pin = slf.arr();
    let me = &*me_pin;
    let other_numeric = match other.cast::<PyNdArray>() {
        Ok(o) => o.arr().dtype().is_numeric(),
        Err(_) => !other.is_instance_of::<pyo3::types::PyBytes>() && !other.is_instance_of::<pyo3::types::PyString>(),
    };
    // Ordering a bytes or void array against numbers fails in the comparison ufunc's
    // promotion, with its error; `==` and `!=` keep the kernel's rules below.
    let ordering = !matches!(op, CompareOp::Eq | CompareOp::Ne);
    if (me.dtype().is_numeric() || ordering) && other_numeric {
        let uf = match op {
            CompareOp::Eq => ufunc_named!("equal"),
            CompareOp::Ne => ufunc_named!("not_equal"),
            CompareOp::Lt => ufunc_named!("less"),
            CompareOp::Le => ufunc_named!("less_equal"),
            CompareOp::Gt => ufunc_named!("greater"),
            CompareOp::Ge => ufunc_named!("greater_equal"),
        };
        return binop(slf, other, uf, false);
    }
    // Bytes and void: the comparison kernel's own rules. Void has no weak promotion with a
    // Python number, which comes as its own array (bool's weak promotion gives its default
    // dtype), so the kernel refuses it as NumPy does.
    let like = if me.dtype().kind() == Kind::Void { DType::BOOL } else { me.dtype() };
    let Some(b) = binary_operand(other, like)? else {
        return Ok(py.NotImplemented());
    };
    let op = match op {
        CompareOp::Eq => CmpOp::Eq,
        CompareOp::Ne => CmpOp::Ne,
        CompareOp::Lt => CmpOp::Lt,
        CompareOp::Le => CmpOp::Le,
        CompareOp::Gt => CmpOp::Gt,
        CompareOp::Ge => CmpOp::Ge,
    };
    let out = compare(me, &b, op).py()?;
    if out.ndim() == 0 {
        // Like a NumPy ufunc, a 0-d result is returned as a scalar.
        let v = out.get(&[]).py()?;
        return crate::scalar::scalar_to_py(py, &v, out.dtype());
    }
    Ok(make_owned(py, out)?.into_any().unbind())
}

/// NumPy's result of `==` (`ne == false`) or `!=` when the comparison has no loop: a bool
/// array of the broadcast shape, all false (true), a scalar for 0-d operands.
fn failed_equality(slf: &Bound<'_, PyNdArray>, other: &Bound<'_, PyAny>, ne: bool) -> PyResult<Py<PyAny>> {
    let py = slf.py();
    let mine = slf.arr().shape().to_vec();
    let theirs = match other.cast::<PyNdArray>() {
        Ok(o) => o.arr().shape().to_vec(),
        Err(_) => binary_operand(other, DType::BOOL).ok().flatten().map_or_else(Vec::new, |a| a.shape().to_vec()),
    };
    let shape = rawarray_core::layout::broadcast_shapes(&[&mine, &theirs]).py()?;
    if shape.is_empty() {
        return crate::scalar::scalar_to_py(py, &Scalar::Bool(ne), DType::BOOL);
    }
    let out = Array::full(DType::BOOL, &shape, Order::C, &Scalar::Bool(ne)).py()?;
    Ok(make_owned(py, out)?.into_any().unbind())
}

#[pymethods]
impl PyNdArray {
    fn __richcmp__<'py>(slf: &Bound<'py, Self>, other: &Bound<'py, PyAny>, op: CompareOp) -> PyResult<Py<PyAny>> {
        let py = slf.py();
        let r = richcmp(slf, other, op);
        if !matches!(op, CompareOp::Eq | CompareOp::Ne) {
            return r;
        }
        // NumPy 2's `==`/`!=` where no comparison loop exists (numbers against bytes or
        // strings, None): every element unequal, in the broadcast shape. Void arrays keep
        // their own errors.
        let failed = match &r {
            Err(e) => e.is_instance_of::<PyTypeError>(py),
            Ok(v) => v.is(py.NotImplemented()) && (other.is_none() || other.is_instance_of::<pyo3::types::PyString>()),
        };
        let void = |a: &Array| a.dtype().kind() == Kind::Void;
        if failed && void(&slf.arr()) && other.is_none() {
            // NumPy makes an object array of None, which void does not compare with.
            return Err(PyTypeError::new_err("Cannot compare structured or void to non-void arrays."));
        }
        if !failed || void(&slf.arr()) || other.cast::<PyNdArray>().is_ok_and(|o| void(&o.arr())) {
            return r;
        }
        failed_equality(slf, other, matches!(op, CompareOp::Ne))
    }
    fn __add__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, o, ufunc_named!("add"), false)
    }
    fn __radd__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, o, ufunc_named!("add"), true)
    }
    fn __sub__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, o, ufunc_named!("subtract"), false)
    }
    fn __rsub__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, o, ufunc_named!("subtract"), true)
    }
    fn __mul__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, o, ufunc_named!("multiply"), false)
    }
    fn __rmul__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, o, ufunc_named!("multiply"), true)
    }
    fn __truediv__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, o, ufunc_named!("divide"), false)
    }
    fn __rtruediv__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, o, ufunc_named!("divide"), true)
    }
    fn __floordiv__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, o, ufunc_named!("floor_divide"), false)
    }
    fn __rfloordiv__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, o, ufunc_named!("floor_divide"), true)
    }
    fn __mod__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, o, ufunc_named!("remainder"), false)
    }
    fn __rmod__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, o, ufunc_named!("remainder"), true)
    }
    fn __divmod__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, o, ufunc_named!("divmod"), false)
    }
    fn __rdivmod__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, o, ufunc_named!("divmod"), true)
    }
    /// `pow(a, b, m)` with a modulus is Python's TypeError (NumPy has no modular power).
    fn __pow__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>, modulo: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        if modulo.is_some_and(|m| !m.is_none()) {
            return Ok(slf.py().NotImplemented());
        }
        if let Some(uf) = fast_power(&slf.arr(), o) {
            return unop(slf, uf);
        }
        binop(slf, o, ufunc_named!("power"), false)
    }
    fn __rpow__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>, modulo: Option<&Bound<'_, PyAny>>) -> PyResult<Py<PyAny>> {
        if modulo.is_some_and(|m| !m.is_none()) {
            return Ok(slf.py().NotImplemented());
        }
        binop(slf, o, ufunc_named!("power"), true)
    }
    /// `a @ b`: `rawarray.matmul` (NumPy's gufunc rules live in `rawarray._products`).
    fn __matmul__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        matmul_op(slf, o, false)
    }
    fn __rmatmul__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        matmul_op(slf, o, true)
    }
    /// `a @= b`: the product written into `a` (its shape and dtype must take it).
    fn __imatmul__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        let products = slf.py().import("rawarray._products")?;
        products.getattr("imatmul")?.call1((slf, o))?;
        Ok(())
    }
    fn __and__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, o, ufunc_named!("bitwise_and"), false)
    }
    fn __rand__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, o, ufunc_named!("bitwise_and"), true)
    }
    fn __or__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, o, ufunc_named!("bitwise_or"), false)
    }
    fn __ror__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, o, ufunc_named!("bitwise_or"), true)
    }
    fn __xor__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, o, ufunc_named!("bitwise_xor"), false)
    }
    fn __rxor__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, o, ufunc_named!("bitwise_xor"), true)
    }
    fn __lshift__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, o, ufunc_named!("left_shift"), false)
    }
    fn __rlshift__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, o, ufunc_named!("left_shift"), true)
    }
    fn __rshift__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, o, ufunc_named!("right_shift"), false)
    }
    fn __rrshift__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        binop(slf, o, ufunc_named!("right_shift"), true)
    }
    fn __iadd__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        inplace(slf, o, ufunc_named!("add"), "+=")
    }
    fn __isub__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        inplace(slf, o, ufunc_named!("subtract"), "-=")
    }
    fn __imul__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        inplace(slf, o, ufunc_named!("multiply"), "*=")
    }
    fn __itruediv__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        inplace(slf, o, ufunc_named!("divide"), "/=")
    }
    fn __ifloordiv__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        inplace(slf, o, ufunc_named!("floor_divide"), "//=")
    }
    fn __imod__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        inplace(slf, o, ufunc_named!("remainder"), "%=")
    }
    fn __ipow__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>, modulo: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let _ = modulo;
        if let Some(uf) = fast_power(&slf.arr(), o) {
            let me = Input::Typed(slf.arr().clone());
            call(slf.py(), uf, &[me], &[Some(slf.clone())], None, &Forced::Free, Casting::SameKind, OutOrder::K)?;
            return Ok(());
        }
        inplace(slf, o, ufunc_named!("power"), "**=")
    }
    fn __iand__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        inplace(slf, o, ufunc_named!("bitwise_and"), "&=")
    }
    fn __ior__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        inplace(slf, o, ufunc_named!("bitwise_or"), "|=")
    }
    fn __ixor__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        inplace(slf, o, ufunc_named!("bitwise_xor"), "^=")
    }
    fn __ilshift__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        inplace(slf, o, ufunc_named!("left_shift"), "<<=")
    }
    fn __irshift__(slf: &Bound<'_, Self>, o: &Bound<'_, PyAny>) -> PyResult<()> {
        inplace(slf, o, ufunc_named!("right_shift"), ">>=")
    }
    fn __neg__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        unop(slf, ufunc_named!("negative"))
    }
    fn __pos__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        unop(slf, ufunc_named!("positive"))
    }
    fn __abs__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        unop(slf, ufunc_named!("absolute"))
    }
    fn __invert__(slf: &Bound<'_, Self>) -> PyResult<Py<PyAny>> {
        unop(slf, ufunc_named!("invert"))
    }

    /// `el in a`: NumPy's `(a == el).any()` (broadcasting; its errors propagate).
    fn __contains__(slf: &Bound<'_, Self>, el: &Bound<'_, PyAny>) -> PyResult<bool> {
        let eq = slf.as_any().rich_compare(el, CompareOp::Eq)?;
        slf.py().import("rawarray")?.getattr("any")?.call1((eq,))?.is_truthy()
    }

    fn __bool__(&self, py: Python<'_>) -> PyResult<bool> {
        match self.arr(py).size() {
            1 => Ok(self.arr(py).get(&vec![0; self.arr(py).ndim()]).py()?.is_truthy()),
            0 => Err(PyValueError::new_err(
                "The truth value of an empty array is ambiguous. Use `array.size > 0` to check that an array is not empty.",
            )),
            _ => Err(PyValueError::new_err(
                "The truth value of an array with more than one element is ambiguous. Use a.any() or a.all()",
            )),
        }
    }

    fn __float__(&self, py: Python<'_>) -> PyResult<f64> {
        Ok(scalar_of(self, py)?.as_f64())
    }

    fn __int__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let s = scalar_of(self, py)?;
        match s {
            Scalar::Float(f) => py.get_type::<PyInt>().call1((f,)).map(|o| o.unbind()),
            Scalar::UInt(u) => Ok(u.into_pyobject(py)?.into_any().unbind()),
            other => Ok(other.as_i64().into_pyobject(py)?.into_any().unbind()),
        }
    }

    fn __complex__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyComplex>> {
        let (re, im) = scalar_of(self, py)?.as_complex();
        Ok(PyComplex::from_doubles(py, re, im))
    }

    fn __index__(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        if self.arr(py).ndim() != 0 || !matches!(self.arr(py).dtype().kind(), Kind::Int | Kind::UInt) {
            return Err(PyTypeError::new_err("only integer scalar arrays can be converted to a scalar index"));
        }
        self.__int__(py)
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        rawarray_core::format::print::array_repr(&self.arr(py))
    }

    fn __str__(&self, py: Python<'_>) -> String {
        rawarray_core::format::print::array_str(&self.arr(py))
    }
}
