//! `rawarray.ufunc`: the Python object around a core [`Ufunc`], its `__call__` (argument
//! conversion, NEP 50 weak Python scalars, `out=`, `where=`, `dtype=`, `casting=`) and
//! the module attributes `rawarray.add`, ... Type resolution and execution are the core's.

use std::cell::RefCell;

use crate::index_functions::weak_kind;
use pyo3::exceptions::{PyOverflowError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyTuple};
use rawarray_core::array::Array;
use rawarray_core::dtype::{DType, Kind};
use rawarray_core::fpe::FpFlags;
use rawarray_core::layout::Order;
use rawarray_core::promote::PyScalarKind;
use rawarray_core::scalar::Scalar;
use rawarray_core::ufunc::{self, Casting, ExecArgs, Identity, InType, OutOrder, Resolved, Small, Ufunc};
use smallvec::SmallVec;

use crate::convert::{array_from_py, py_to_scalar, where_mask, CopyMode, OrderArg};
use crate::errors::IntoPy;
use crate::ndarray::{make_owned, ArrayRef, Pinned, PyNdArray};

/// A NumPy universal function.
#[pyclass(name = "ufunc", module = "rawarray", frozen)]
pub struct PyUfunc {
    /// The core ufunc.
    pub uf: &'static Ufunc,
}

/// One converted input.
pub enum Input<'py> {
    /// An array (or a typed scalar / converted object as a 0-d or n-d array); the Python
    /// object when it is an ndarray.
    Typed(Array),
    /// A Python bool/int/float/complex.
    Weak(Bound<'py, PyAny>, PyScalarKind),
}

/// Classifies one operand. `strict`: unknown objects give `None` (operators return
/// NotImplemented); otherwise they are converted with `asarray`.
pub fn classify<'py>(obj: &Bound<'py, PyAny>, strict: bool) -> PyResult<Option<Input<'py>>> {
    if let Ok(a) = obj.cast::<PyNdArray>() {
        return Ok(Some(Input::Typed(a.arr().clone())));
    }
    if let Some((v, d)) = crate::scalar::typed_scalar_value(obj)? {
        return Ok(Some(Input::Typed(Array::full(d, &[], Order::C, &v).py()?)));
    }
    let kind = if obj.is_instance_of::<PyBool>() { Some(PyScalarKind::Bool) } else { weak_kind(obj) };
    if let Some(k) = kind {
        return Ok(Some(Input::Weak(obj.clone(), k)));
    }
    if strict {
        // Lists, tuples, array-likes, then other sequences (`range`), as NumPy converts.
        let known = obj.is_instance_of::<pyo3::types::PyList>()
            || obj.is_instance_of::<pyo3::types::PyTuple>()
            || crate::protocols::wrap_foreign(obj)?.is_some()
            || crate::convert::is_sequence(obj);
        if !known {
            return Ok(None);
        }
    }
    let a = array_from_py(obj, None, CopyMode::IfNeeded, OrderArg::K)?;
    let a = a.arr().clone();
    Ok(Some(Input::Typed(a)))
}

/// A resolution cache: (ufunc, input dtypes) -> loop index, for calls whose inputs are all
/// typed (the common case of operators on arrays).
type CacheKey = (usize, [u16; 3], u8);

fn dtype_key(d: DType) -> u16 {
    let kind = match d.kind() {
        Kind::Bool => 1,
        Kind::Int => 2,
        Kind::UInt => 3,
        Kind::Float => 4,
        Kind::Complex => 5,
        _ => 0,
    };
    (kind << 8) | ((d.itemsize() as u16) << 1) | d.needs_swap() as u16
}

thread_local! {
    static CACHE: RefCell<Vec<(CacheKey, Resolved)>> = const { RefCell::new(Vec::new()) };
}

fn resolve_cached(uf: &'static Ufunc, types: &[InType], dtype: Option<DType>, casting: Casting) -> PyResult<Resolved> {
    let cacheable = dtype.is_none() && types.len() <= 3;
    let mut key: CacheKey = (uf as *const Ufunc as usize, [0; 3], casting as u8);
    for (k, t) in types.iter().enumerate() {
        key.1[k] = match t {
            InType::Typed(d) if d.is_numeric() => dtype_key(*d),
            InType::Typed(_) => return uf.resolve(types, dtype, casting).py(),
            InType::Weak(w) => 0xF000 | *w as u16,
        };
    }
    if cacheable {
        if let Some(r) = CACHE.with(|c| c.borrow().iter().find(|(k, _)| *k == key).map(|(_, r)| *r)) {
            return Ok(r);
        }
    }
    let r = uf.resolve(types, dtype, casting).py()?;
    if cacheable {
        CACHE.with(|c| {
            let mut c = c.borrow_mut();
            if c.len() >= 256 {
                c.clear();
            }
            c.push((key, r));
        });
    }
    Ok(r)
}

/// The value of a weak Python scalar as a 0-d array of `d`, with NumPy's OverflowError for
/// integers out of range.
fn weak_array(obj: &Bound<'_, PyAny>, d: DType) -> PyResult<Array> {
    let v = py_to_scalar(obj, d)?;
    Array::full(d, &[], Order::C, &v).py()
}

/// Wraps one fresh result: a scalar when every input was 0-d, else a new ndarray.
fn wrap_fresh(py: Python<'_>, r: Array, all_0d: bool) -> PyResult<Py<PyAny>> {
    if all_0d {
        let v = r.get(&[]).py()?;
        return crate::scalar::scalar_to_py(py, &v, r.dtype());
    }
    Ok(make_owned(py, r)?.into_any().unbind())
}

/// The user's `out` array (pinned), after NumPy's read-only check.
fn writable_out<'a>(out: Option<&'a Bound<'_, PyNdArray>>) -> PyResult<Option<Pinned<'a>>> {
    match out {
        Some(o) => {
            o.get().check_writeable().map_err(|_| PyValueError::new_err("output array is read-only"))?;
            Ok(Some(o.arr()))
        }
        None => Ok(None),
    }
}

/// Reports the floating-point flags of a one-output call and returns its result: the
/// user's `out` object, or the fresh array (a scalar when every input was 0-d).
fn finish(
    py: Python<'_>,
    uf: &Ufunc,
    fresh: Option<Array>,
    flags: FpFlags,
    out: Option<&Bound<'_, PyNdArray>>,
    all_0d: bool,
) -> PyResult<Py<PyAny>> {
    crate::errstate::report(py, flags, uf.name, false)?;
    match (fresh, out) {
        (_, Some(o)) => Ok(o.clone().into_any().unbind()),
        (Some(r), None) => wrap_fresh(py, r, all_0d),
        (None, None) => unreachable!("a call without `out` returns its result"),
    }
}

/// Runs a resolved call of `uf` (one output) on borrowed arrays: the core's small path
/// on this thread when it applies, else the general engine (on the pool, with the GIL
/// released, when the size is worth it). `out` is the user's output object, if any.
fn run_one(
    py: Python<'_>,
    uf: &'static Ufunc,
    index: usize,
    ins: &[&Array],
    out: Option<&Bound<'_, PyNdArray>>,
    order: OutOrder,
) -> PyResult<Py<PyAny>> {
    let out_pin = writable_out(out)?;
    let outs = [out_pin.as_deref()];
    let args = ExecArgs {
        ufunc: uf,
        index,
        inputs: ins,
        outs: if out.is_some() { &outs } else { &[] },
        mask: None,
        casting: Casting::SameKind,
        order,
    };
    let (fresh, flags) = match ufunc::execute_small(&args).py()? {
        Some(Small { result, flags }) => (result, flags),
        None => {
            let size = ins.iter().map(|a| a.size()).max().unwrap_or(0);
            let split = rawarray_core::parallel::should_split(size, uf.cost);
            let (mut results, flags) =
                if split { py.detach(|| ufunc::execute(&args)) } else { ufunc::execute(&args) }.py()?;
            (if out.is_some() { None } else { results.pop() }, flags)
        }
    };
    finish(py, uf, fresh, flags, out, ins.iter().all(|a| a.ndim() == 0))
}

/// What the caller fixes of the loop: nothing, the output dtype (`dtype=`), or some
/// operands' dtypes (`signature=`, one entry per operand).
pub enum Forced {
    /// NumPy's own resolution.
    Free,
    /// `dtype=`.
    Dtype(DType),
    /// `signature=`.
    Signature(SmallVec<[Option<DType>; 4]>),
}

/// Calls `uf` on Python operands. `outs` holds `uf.nout` entries (`None` = allocate).
/// Returns the result (a scalar for 0-d results without `out`, a tuple for two outputs).
pub fn call<'py>(
    py: Python<'py>,
    uf: &'static Ufunc,
    inputs: &[Input<'py>],
    outs: &[Option<Bound<'py, PyNdArray>>],
    mask: Option<Array>,
    forced: &Forced,
    casting: Casting,
    order: OutOrder,
) -> PyResult<Py<PyAny>> {
    let resolve = |types: &[InType], casting: Casting| -> PyResult<Resolved> {
        match forced {
            Forced::Free => resolve_cached(uf, types, None, casting),
            Forced::Dtype(d) => resolve_cached(uf, types, Some(*d), casting),
            Forced::Signature(sig) => uf.resolve_signature(types, sig, casting).py(),
        }
    };
    let mut types = [InType::Weak(PyScalarKind::Int); 3];
    for (k, i) in inputs.iter().enumerate().take(3) {
        types[k] = match i {
            Input::Typed(a) => InType::Typed(a.dtype()),
            Input::Weak(_, kind) => InType::Weak(*kind),
        };
    }
    let n = inputs.len().min(3);
    let int_typed =
        inputs.iter().any(|i| matches!(i, Input::Typed(a) if matches!(a.dtype().kind(), Kind::Int | Kind::UInt)));
    let mut resolved = resolve(&types[..n], casting)?;
    // Weak Python scalars become 0-d arrays of the dtype resolution gave them.
    let mut converted: [Option<Array>; 3] = [None, None, None];
    for (k, i) in inputs.iter().enumerate().take(3) {
        let Input::Weak(obj, kind) = i else { continue };
        let d = resolved.weak_dtypes[k];
        converted[k] = Some(match weak_array(obj, d) {
            Ok(a) => a,
            Err(e)
                if uf.compare && int_typed && *kind == PyScalarKind::Int && e.is_instance_of::<PyOverflowError>(py) =>
            {
                // Comparisons take a Python int that does not fit exactly, whatever the
                // casting rule (NumPy compares it without a cast).
                let (d, v) = if let Ok(v) = obj.extract::<i64>() {
                    (DType::INT64, Scalar::Int(v))
                } else if let Ok(v) = obj.extract::<u64>() {
                    (DType::UINT64, Scalar::UInt(v))
                } else {
                    (DType::FLOAT64, Scalar::Float(obj.extract::<f64>()?))
                };
                types[k] = InType::Typed(d);
                resolved = resolve(&types[..n], Casting::Unsafe)?;
                Array::full(d, &[], Order::C, &v).py()?
            }
            Err(e) => return Err(e),
        });
    }
    let mut ins: SmallVec<[&Array; 3]> = SmallVec::new();
    for (k, i) in inputs.iter().enumerate().take(3) {
        match (i, &converted[k]) {
            (Input::Typed(a), _) => ins.push(a),
            (Input::Weak(..), Some(a)) => ins.push(a),
            (Input::Weak(..), None) => unreachable!("every weak input was converted"),
        }
    }
    if uf.nout == 1 && mask.is_none() && casting == Casting::SameKind {
        return run_one(py, uf, resolved.index, &ins, outs.first().and_then(Option::as_ref), order);
    }
    let all_0d = ins.iter().all(|a| a.ndim() == 0);
    let given = outs.iter().any(|o| o.is_some());
    let out_pins: SmallVec<[Option<Pinned<'_>>; 2]> = outs.iter().map(|o| o.as_ref().map(|b| b.arr())).collect();
    let out_arrays: SmallVec<[Option<&Array>; 2]> = out_pins.iter().map(|p| p.as_deref()).collect();
    for o in outs.iter().flatten() {
        o.get().check_writeable().map_err(|_| PyValueError::new_err("output array is read-only"))?;
    }
    let size = ins.iter().map(|a| a.size()).max().unwrap_or(0);
    let args = ExecArgs {
        ufunc: uf,
        index: resolved.index,
        inputs: &ins,
        outs: if given { &out_arrays } else { &[] },
        mask: mask.as_ref(),
        casting,
        order,
    };
    let split = rawarray_core::parallel::should_split(size, uf.cost);
    let (results, flags) = if split { py.detach(|| ufunc::execute(&args)) } else { ufunc::execute(&args) }.py()?;
    crate::errstate::report(py, flags, uf.name, false)?;
    let mut objs: SmallVec<[Py<PyAny>; 2]> = SmallVec::new();
    for (j, r) in results.into_iter().enumerate() {
        objs.push(match outs.get(j) {
            Some(Some(o)) => o.clone().into_any().unbind(),
            _ => wrap_fresh(py, r, all_0d && !given)?,
        });
    }
    if objs.len() == 1 {
        return Ok(objs.pop().unwrap_or_else(|| py.None()));
    }
    Ok(PyTuple::new(py, objs)?.into_any().unbind())
}

/// The common case of an operator between two arrays: no operand conversion, no
/// allocation besides the result. `out` is the user's output (in-place operators).
///
/// # Errors
/// As for [`call`].
pub fn fast_binary(
    py: Python<'_>,
    uf: &'static Ufunc,
    a: &Array,
    b: &Array,
    out: Option<&Bound<'_, PyNdArray>>,
) -> PyResult<Py<PyAny>> {
    let types = [InType::Typed(a.dtype()), InType::Typed(b.dtype())];
    let resolved = resolve_cached(uf, &types, None, Casting::SameKind)?;
    run_one(py, uf, resolved.index, &[a, b], out, OutOrder::K)
}

/// As [`fast_binary`] for an array and a Python int or float (weak, NEP 50), in that order
/// or `reflected`. `None` when the scalar is of another type or does not fit the dtype it
/// would take: the general path then raises NumPy's error or applies the comparison rules.
///
/// # Errors
/// As for [`call`].
pub fn fast_weak(
    py: Python<'_>,
    uf: &'static Ufunc,
    a: &Array,
    obj: &Bound<'_, PyAny>,
    reflected: bool,
    out: Option<&Bound<'_, PyNdArray>>,
) -> PyResult<Option<Py<PyAny>>> {
    if uf.nin != 2 || uf.nout != 1 {
        return Ok(None);
    }
    let kind = if obj.is_exact_instance_of::<PyFloat>() {
        PyScalarKind::Float
    } else if obj.is_exact_instance_of::<PyInt>() {
        PyScalarKind::Int
    } else {
        return Ok(None);
    };
    let (w, t) = if reflected { (0, 1) } else { (1, 0) };
    let mut types = [InType::Weak(kind); 2];
    types[t] = InType::Typed(a.dtype());
    let resolved = resolve_cached(uf, &types, None, Casting::SameKind)?;
    let d = resolved.weak_dtypes[w];
    let Ok(v) = py_to_scalar(obj, d) else {
        return Ok(None);
    };
    // The value goes to the loop from the stack when the small path applies.
    let out_pin = writable_out(out)?;
    let small = ufunc::execute_small_scalar(uf, resolved.index, a, w, &v, out_pin.as_deref(), OutOrder::K).py()?;
    drop(out_pin);
    if let Some(Small { result, flags }) = small {
        return finish(py, uf, result, flags, out, a.ndim() == 0).map(Some);
    }
    let x = Array::full(d, &[], Order::C, &v).py()?;
    let inputs = if reflected { [&x, a] } else { [a, &x] };
    run_one(py, uf, resolved.index, &inputs, out, OutOrder::K).map(Some)
}

/// A one-input call on an array (unary operators).
///
/// # Errors
/// As for [`call`].
pub fn fast_unary(py: Python<'_>, uf: &'static Ufunc, a: &Array) -> PyResult<Py<PyAny>> {
    let resolved = resolve_cached(uf, &[InType::Typed(a.dtype())], None, Casting::SameKind)?;
    run_one(py, uf, resolved.index, &[a], None, OutOrder::K)
}

fn parse_casting(c: Option<&Bound<'_, PyAny>>) -> PyResult<Casting> {
    let Some(c) = c else { return Ok(Casting::SameKind) };
    let s: std::borrow::Cow<'_, str> = c.extract().map_err(|_| {
        PyTypeError::new_err(format!(
            "casting must be str, not {}",
            c.get_type().name().map(|n| n.to_string()).unwrap_or_default()
        ))
    })?;
    Casting::parse(&s).py()
}

fn parse_order(o: Option<&Bound<'_, PyAny>>) -> PyResult<OutOrder> {
    let Some(o) = o.filter(|o| !o.is_none()) else { return Ok(OutOrder::K) };
    let s: std::borrow::Cow<'_, str> = o.extract().map_err(|_| {
        PyTypeError::new_err(format!(
            "order must be str, not {}",
            o.get_type().name().map(|n| n.to_string()).unwrap_or_default()
        ))
    })?;
    Ok(match OrderArg::parse(Some(&s), OrderArg::K)? {
        OrderArg::C => OutOrder::C,
        OrderArg::F => OutOrder::F,
        OrderArg::A => OutOrder::A,
        OrderArg::K => OutOrder::K,
    })
}

fn out_array<'py>(o: &Bound<'py, PyAny>) -> PyResult<Option<Bound<'py, PyNdArray>>> {
    if o.is_none() {
        return Ok(None);
    }
    o.cast::<PyNdArray>()
        .map(|a| Some(a.clone()))
        .map_err(|_| PyTypeError::new_err("return arrays must be of ArrayType"))
}

/// The keyword arguments a ufunc call takes.
#[derive(Default)]
struct Kwargs<'py> {
    out: Option<Bound<'py, PyAny>>,
    r#where: Option<Bound<'py, PyAny>>,
    dtype: Option<Bound<'py, PyAny>>,
    casting: Option<Bound<'py, PyAny>>,
    order: Option<Bound<'py, PyAny>>,
    signature: Option<Bound<'py, PyAny>>,
}

impl<'py> Kwargs<'py> {
    fn parse(uf: &Ufunc, kwargs: Option<&Bound<'py, PyDict>>) -> PyResult<Kwargs<'py>> {
        let mut kw = Kwargs::default();
        let Some(d) = kwargs else { return Ok(kw) };
        for (k, v) in d.iter() {
            let key: std::borrow::Cow<'_, str> = k.extract()?;
            let slot = match &*key {
                "out" => &mut kw.out,
                "where" => &mut kw.r#where,
                "dtype" => &mut kw.dtype,
                "casting" => &mut kw.casting,
                "order" => &mut kw.order,
                // (`sig` is NumPy's older name, still accepted.)
                "signature" | "sig" => &mut kw.signature,
                // rawarray has no array subclasses to pass through: `subok` is only checked.
                "subok" if v.is_instance_of::<PyBool>() => continue,
                "subok" => return Err(PyTypeError::new_err("'subok' must be a boolean")),
                other => {
                    return Err(PyTypeError::new_err(format!(
                        "{}() got an unexpected keyword argument '{other}'",
                        uf.name
                    )))
                }
            };
            *slot = Some(v);
        }
        Ok(kw)
    }
}

/// NumPy's `signature=`: a type string (`"dd->d"`) or a tuple of one dtype or `None` per
/// operand; `None` everywhere is no constraint.
fn parse_signature(uf: &Ufunc, sig: &Bound<'_, PyAny>) -> PyResult<Forced> {
    let n = uf.nin + uf.nout;
    let one = || PyTypeError::new_err("Use `dtype` or  fill the tuple with more than one 'None'.");
    let mut types: SmallVec<[Option<DType>; 4]> = SmallVec::new();
    if let Ok(text) = sig.extract::<String>() {
        let counts = || {
            PyValueError::new_err(format!(
                "a type-string for {}, {} typecode(s) before and {} after the -> sign",
                uf.name, uf.nin, uf.nout
            ))
        };
        let Some((before, after)) = text.split_once("->") else {
            return Err(if text.chars().count() == 1 { one() } else { counts() });
        };
        if before.chars().count() != uf.nin || after.chars().count() != uf.nout {
            return Err(counts());
        }
        for c in before.chars().chain(after.chars()) {
            let code = pyo3::types::PyString::new(sig.py(), c.encode_utf8(&mut [0; 4]));
            types.push(Some(crate::dtype::dtype_from_py(code.as_any())?));
        }
    } else if let Ok(t) = sig.cast::<PyTuple>() {
        if t.len() == 1 {
            return Err(one());
        }
        if t.len() != n {
            return Err(PyValueError::new_err(format!(
                "a type-tuple must be specified of length {n} for ufunc '{}'",
                uf.name
            )));
        }
        for item in t.iter() {
            types.push(if item.is_none() { None } else { Some(crate::dtype::dtype_from_py(&item)?) });
        }
    } else {
        return Err(PyTypeError::new_err("the signature object to ufunc must be a string or a tuple."));
    }
    Ok(if types.iter().all(Option::is_none) { Forced::Free } else { Forced::Signature(types) })
}

/// The direct path of `ufunc.__call__` for its most common form: every input an ndarray,
/// no keyword but `out=` (one ndarray, also as a 1-tuple or positional). `None` when the
/// call has another form; the general path then handles it (and its errors).
fn call_direct<'py>(
    py: Python<'py>,
    uf: &'static Ufunc,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Option<Py<PyAny>>> {
    let nargs = args.len();
    if uf.nout != 1 || uf.nin > 2 || (nargs != uf.nin && nargs != uf.nin + 1) {
        return Ok(None);
    }
    let mut out_obj: Option<Bound<'py, PyAny>> = if nargs > uf.nin { Some(args.get_item(uf.nin)?) } else { None };
    if let Some(d) = kwargs {
        if d.len() > 1 || nargs > uf.nin {
            return Ok(None);
        }
        if !d.is_empty() {
            let Some(o) = d.get_item(pyo3::intern!(py, "out"))? else {
                return Ok(None);
            };
            out_obj = Some(match o.cast::<PyTuple>() {
                Ok(t) if t.len() == 1 => t.get_item(0)?,
                Ok(_) => return Ok(None),
                Err(_) => o,
            });
        }
    }
    let out = match &out_obj {
        None => None,
        Some(o) if o.is_none() => None,
        Some(o) => match o.cast::<PyNdArray>() {
            Ok(a) => Some(a),
            Err(_) => return Ok(None),
        },
    };
    let a0 = args.get_item(0)?;
    let Ok(x) = a0.cast::<PyNdArray>() else { return Ok(None) };
    if uf.nin == 1 {
        let x = x.arr();
        let resolved = resolve_cached(uf, &[InType::Typed(x.dtype())], None, Casting::SameKind)?;
        return run_one(py, uf, resolved.index, &[&x], out, OutOrder::K).map(Some);
    }
    let a1 = args.get_item(1)?;
    match a1.cast::<PyNdArray>() {
        Ok(y) => fast_binary(py, uf, &x.arr(), &y.arr(), out).map(Some),
        Err(_) => fast_weak(py, uf, &x.arr(), &a1, false, out),
    }
}

/// The six comparisons of two `S`/`V` operands (arrays or `bytes`; NumPy's string
/// comparison loops), with `out=` as the only keyword: the ndarray rich comparison, which
/// compares bytes. `None` for anything else.
fn compare_flexible<'py>(
    uf: &'static Ufunc,
    args: &Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<Option<Py<PyAny>>> {
    use pyo3::basic::CompareOp;
    if args.len() != 2 {
        return Ok(None);
    }
    let flexible = |o: &Bound<'py, PyAny>| match o.cast::<PyNdArray>() {
        Ok(a) => !a.arr().dtype().is_numeric(),
        Err(_) => o.is_instance_of::<pyo3::types::PyBytes>(),
    };
    let (x, y) = (args.get_item(0)?, args.get_item(1)?);
    if !flexible(&x) || !flexible(&y) {
        return Ok(None);
    }
    let op = match uf.name {
        "equal" => CompareOp::Eq,
        "not_equal" => CompareOp::Ne,
        "less" => CompareOp::Lt,
        "less_equal" => CompareOp::Le,
        "greater" => CompareOp::Gt,
        "greater_equal" => CompareOp::Ge,
        _ => return Ok(None),
    };
    // `out=` (an array or a 1-tuple) is the only keyword taken here.
    let out = match kwargs.filter(|k| !k.is_empty()) {
        None => None,
        Some(k) if k.len() == 1 => match k.get_item(pyo3::intern!(args.py(), "out"))? {
            Some(o) => match o.cast::<PyTuple>() {
                Ok(t) if t.len() == 1 => Some(t.get_item(0)?),
                Ok(_) => return Ok(None),
                Err(_) => Some(o),
            },
            None => return Ok(None),
        },
        Some(_) => return Ok(None),
    };
    let x = array_from_py(&x, None, CopyMode::IfNeeded, OrderArg::K)?;
    let r = x.as_any().rich_compare(&y, op)?;
    match out.filter(|o| !o.is_none()) {
        None => Ok(Some(r.unbind())),
        Some(o) => {
            crate::index_functions::copyto(&o, &r, "same_kind", None)?;
            Ok(Some(o.unbind()))
        }
    }
}

#[pymethods]
impl PyUfunc {
    #[pyo3(signature = (*args, **kwargs))]
    fn __call__<'py>(
        &self,
        py: Python<'py>,
        args: &Bound<'py, PyTuple>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Py<PyAny>> {
        let uf = self.uf;
        match call_direct(py, uf, args, kwargs) {
            Ok(Some(r)) => return Ok(r),
            Ok(None) => {
                if let Some(r) = compare_flexible(uf, args, kwargs)? {
                    return Ok(r);
                }
            }
            // No numeric loop: bytes and void operands of a comparison compare as bytes.
            Err(e) => return compare_flexible(uf, args, kwargs)?.ok_or(e),
        }
        let nargs = args.len();
        if nargs < uf.nin || nargs > uf.nin + uf.nout {
            return Err(PyTypeError::new_err(format!(
                "{}() takes from {} to {} positional arguments but {} {} given",
                uf.name,
                uf.nin,
                uf.nin + uf.nout,
                nargs,
                if nargs == 1 { "was" } else { "were" }
            )));
        }
        let kw = Kwargs::parse(uf, kwargs)?;
        let order = parse_order(kw.order.as_ref())?;
        let casting = parse_casting(kw.casting.as_ref())?;
        let mut inputs: SmallVec<[Input<'py>; 3]> = SmallVec::new();
        for k in 0..uf.nin {
            let a = args.get_item(k)?;
            inputs.push(classify(&a, false)?.ok_or_else(|| PyTypeError::new_err("unsupported operand"))?);
        }
        let mut outs: SmallVec<[Option<Bound<'py, PyNdArray>>; 2]> = SmallVec::from_elem(None, uf.nout);
        for k in uf.nin..nargs {
            outs[k - uf.nin] = out_array(&args.get_item(k)?)?;
        }
        if let Some(o) = &kw.out {
            if nargs > uf.nin {
                return Err(PyTypeError::new_err("cannot specify 'out' as both a positional and keyword argument"));
            }
            if let Ok(t) = o.cast::<PyTuple>() {
                if t.len() != uf.nout {
                    return Err(PyValueError::new_err(format!(
                        "The 'out' tuple must have exactly {} entries: one per ufunc output",
                        uf.nout
                    )));
                }
                for (k, item) in t.iter().enumerate() {
                    outs[k] = out_array(&item)?;
                }
            } else if uf.nout == 1 {
                outs[0] = out_array(o)?;
            } else {
                return Err(PyTypeError::new_err("'out' must be a tuple of arrays"));
            }
        }
        let masked = match &kw.r#where {
            Some(w) => !(w.is_instance_of::<PyBool>() && w.is_truthy()?),
            None => false,
        };
        if masked && kw.out.is_none() && nargs == uf.nin {
            // NumPy 2.4 warns: the masked-out elements of a new result are never written.
            let category = py.get_type::<pyo3::exceptions::PyUserWarning>();
            crate::scalar::warn(
                py,
                category.as_any(),
                "'where' used without 'out', expect unitialized memory in output. If this is intentional, use out=None.",
            )?;
        }
        // (Converted after the warning, which NumPy gives before refusing a mask.)
        let mask = where_mask(kw.r#where.as_ref())?;
        let dtype = match &kw.dtype {
            None => None,
            Some(d) if d.is_none() => None,
            Some(d) => Some(crate::dtype::dtype_from_py(d)?),
        };
        let forced = match (&kw.signature, dtype) {
            // (NumPy refuses `signature=None` too, with a dtype or alone.)
            (Some(_), Some(_)) => return Err(PyTypeError::new_err("cannot specify both 'signature' and 'dtype'")),
            (Some(sig), None) => parse_signature(uf, sig)?,
            (None, Some(d)) => Forced::Dtype(d),
            (None, None) => Forced::Free,
        };
        call(py, uf, &inputs, &outs, mask, &forced, casting, order)
    }

    #[getter(__name__)]
    fn name(&self) -> &'static str {
        self.uf.name
    }

    /// The name again, as NumPy's ufuncs give it.
    #[getter(__qualname__)]
    fn qualname(&self) -> &'static str {
        self.uf.name
    }

    /// The core signature of a generalized ufunc; None for these elementwise ones.
    #[getter]
    fn signature(&self, py: Python<'_>) -> Py<PyAny> {
        py.None()
    }

    #[getter]
    fn nin(&self) -> usize {
        self.uf.nin
    }

    #[getter]
    fn nout(&self) -> usize {
        self.uf.nout
    }

    #[getter]
    fn nargs(&self) -> usize {
        self.uf.nin + self.uf.nout
    }

    #[getter]
    fn ntypes(&self) -> usize {
        self.uf.loops.len()
    }

    #[getter]
    fn types(&self) -> Vec<&'static str> {
        self.uf.types()
    }

    #[getter]
    fn identity(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        Ok(match self.uf.identity {
            Identity::None => py.None(),
            Identity::Int(i) => i.into_pyobject(py)?.into_any().unbind(),
            Identity::Bool(b) => PyBool::new(py, b).to_owned().into_any().unbind(),
            Identity::Float(v) => v.into_pyobject(py)?.into_any().unbind(),
        })
    }

    fn __repr__(&self) -> String {
        format!("<ufunc '{}'>", self.uf.name)
    }
}

/// NumPy's aliases, with NumPy 2's array-API names: (alias, ufunc name).
const ALIASES: [(&str, &str); 16] = [
    ("true_divide", "divide"),
    ("mod", "remainder"),
    ("abs", "absolute"),
    ("bitwise_not", "invert"),
    ("conj", "conjugate"),
    ("bitwise_invert", "invert"),
    ("acos", "arccos"),
    ("acosh", "arccosh"),
    ("asin", "arcsin"),
    ("asinh", "arcsinh"),
    ("atan", "arctan"),
    ("atanh", "arctanh"),
    ("atan2", "arctan2"),
    ("pow", "power"),
    ("bitwise_left_shift", "left_shift"),
    ("bitwise_right_shift", "right_shift"),
];

/// Adds the `ufunc` class and every ufunc (and alias) to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyUfunc>()?;
    for uf in ufunc::registry() {
        m.add(uf.name, Py::new(m.py(), PyUfunc { uf })?)?;
    }
    for (alias, name) in ALIASES {
        let obj = m.getattr(name)?;
        m.add(alias, obj)?;
    }
    Ok(())
}

/// The ufunc registered under `name`.
pub fn get(name: &str) -> &'static Ufunc {
    ufunc::get(name).unwrap_or_else(|| unreachable!("ufunc {name} is registered"))
}

/// The ufunc registered under the literal name, looked up once per call site (operators
/// run this on every call).
macro_rules! ufunc_named {
    ($name:literal) => {{
        static UFUNC: std::sync::OnceLock<&'static rawarray_core::ufunc::Ufunc> = std::sync::OnceLock::new();
        *UFUNC.get_or_init(|| $crate::ufunc::get($name))
    }};
}
pub(crate) use ufunc_named;
