//! Reductions as module functions (`rawarray.sum(a, ...)`, ...) and the argument handling
//! they share with the ndarray methods: axis normalisation with NumPy's AxisError, `out=`,
//! `where=`, `initial=`, keepdims and typed-scalar results. The algorithms are in
//! `rawarray_core::reduce`; large inputs run with the GIL released.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyTuple;
use rawarray_core::array::Array;
use rawarray_core::dtype::{DType, Kind};
use rawarray_core::fpe::FpFlags;
use rawarray_core::layout::Order;
use rawarray_core::parallel::{should_split, Cost};
use rawarray_core::reduce::{self, stats, ReduceOp};
use rawarray_core::scalar::Scalar;

use crate::convert::{array_from_py, operand, py_to_scalar, where_mask, CopyMode, OrderArg};
use crate::dtype::dtype_from_py;
use crate::errors::IntoPy;
use crate::errstate::report;
use crate::ndarray::ArrayRef;
use crate::ndarray::{make_owned, PyNdArray};

static AXIS_ERROR: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// NumPy's `AxisError(axis, ndim)` (from `rawarray.exceptions`).
fn axis_error(py: Python<'_>, axis: isize, ndim: usize) -> PyErr {
    let cls = AXIS_ERROR.get_or_try_init(py, || -> PyResult<Py<PyAny>> {
        Ok(py.import("rawarray.exceptions")?.getattr("AxisError")?.unbind())
    });
    match cls.and_then(|c| c.bind(py).call1((axis, ndim))) {
        Ok(e) => PyErr::from_value(e),
        Err(e) => e,
    }
}

fn normalize_axis(py: Python<'_>, axis: isize, ndim: usize) -> PyResult<usize> {
    let n = ndim as isize;
    if axis < -n || axis >= n {
        return Err(axis_error(py, axis, ndim));
    }
    Ok(if axis < 0 { (axis + n) as usize } else { axis as usize })
}

/// The reduced-axis mask for `axis` (None, an int or a tuple of ints).
pub fn axis_mask(axis: Option<&Bound<'_, PyAny>>, ndim: usize) -> PyResult<Vec<bool>> {
    let Some(axis) = axis.filter(|a| !a.is_none()) else {
        return Ok(vec![true; ndim]);
    };
    let py = axis.py();
    let mut mask = vec![false; ndim];
    let list: Vec<isize> = if let Ok(t) = axis.cast::<PyTuple>() {
        t.iter().map(|x| x.extract::<isize>()).collect::<PyResult<_>>()?
    } else {
        vec![axis.extract::<isize>()?]
    };
    for a in list {
        let k = normalize_axis(py, a, ndim)?;
        if mask[k] {
            return Err(PyValueError::new_err("duplicate value in 'axis'"));
        }
        mask[k] = true;
    }
    Ok(mask)
}

/// A single axis (argmin, cumsum): `None` or an int (a tuple is refused as NumPy does).
pub(crate) fn single_axis(axis: Option<&Bound<'_, PyAny>>, ndim: usize) -> PyResult<Option<usize>> {
    let Some(axis) = axis.filter(|a| !a.is_none()) else {
        return Ok(None);
    };
    let a: isize = axis.extract()?;
    Ok(Some(normalize_axis(axis.py(), a, ndim)?))
}

/// The `dtype=` argument. Reductions (`strict`) refuse a non-native byte order as NumPy's
/// ufunc `reduce` does; `accumulate` accepts it (and computes natively).
pub(crate) fn opt_dtype(dtype: Option<&Bound<'_, PyAny>>, strict: bool) -> PyResult<Option<DType>> {
    match dtype {
        Some(d) if !d.is_none() => {
            let dt = dtype_from_py(d)?;
            if strict && dt.needs_swap() {
                return Err(PyTypeError::new_err(
                    "The `dtype` and `signature` arguments to ufuncs only select the general DType and not details such as the byte order or time unit. You can avoid this error by using the scalar types `np.float64` or the dtype string notation.",
                ));
            }
            Ok(Some(dt))
        }
        _ => Ok(None),
    }
}

/// The input as an ndarray (module functions accept anything `asarray` does).
fn as_array<'py>(a: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyNdArray>> {
    array_from_py(a, None, CopyMode::IfNeeded, OrderArg::K)
}

/// Runs `f` with the GIL released when the input is large enough to use the pool.
///
/// The reductions warn ComplexWarning themselves, by NumPy's rules for `dtype=` (see
/// [`complex_warning`]); a complex to real cast inside the computation does not warn again.
fn maybe_detach<R: Send>(py: Python<'_>, size: usize, f: impl FnOnce() -> R + Send) -> R {
    let r = if should_split(size, Cost::Compute) { py.detach(f) } else { f() };
    let bits = rawarray_core::fpe::take_cast_bits();
    rawarray_core::fpe::record_cast(bits & !rawarray_core::fpe::bits::COMPLEX);
    r
}

/// The result shape without the reduced axes.
fn dropped_shape(shape: &[usize], axes: &[bool]) -> Vec<isize> {
    shape.iter().zip(axes).filter(|(_, &r)| !r).map(|(&d, _)| d as isize).collect()
}

/// A reduction's `out=` checked before any work, as NumPy checks it: an ndarray whose
/// shape [`reduce::check_out_shape`] accepts for an input of `shape` reduced over `axes`.
pub fn check_out(
    out: Option<&Bound<'_, PyAny>>,
    shape: &[usize],
    axes: &[bool],
    keepdims: bool,
    name: &str,
) -> PyResult<()> {
    let Some(out) = out.filter(|o| !o.is_none()) else { return Ok(()) };
    let o = out.cast::<PyNdArray>().map_err(|_| PyTypeError::new_err("output must be an array"))?;
    reduce::check_out_shape(shape, axes, keepdims, o.arr().shape(), name).py()
}

/// Turns a keepdims-shaped core result into what NumPy returns: written into `out` (which
/// must have passed [`check_out`], and is returned), the array itself with `keepdims`,
/// else the array without the reduced axes, or a typed scalar when that has no axes left.
pub fn finish_result<'py>(
    py: Python<'py>,
    result: Array,
    axes: &[bool],
    keepdims: bool,
    out: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let shaped = if keepdims { result } else { result.reshape(&dropped_shape(result.shape(), axes), Order::C).py()?.0 };
    if let Some(out) = out.filter(|o| !o.is_none()) {
        let o = out.cast::<PyNdArray>().map_err(|_| PyTypeError::new_err("output must be an array"))?;
        let od = o.get();
        let od_arr = o.arr();
        od.check_writeable()?;
        od_arr.assign(&shaped).py()?;
        crate::errstate::report_cast(py)?;
        return Ok(out.clone());
    }
    if shaped.ndim() == 0 {
        let v = shaped.get(&[]).py()?;
        return crate::scalar::new_scalar(py, v, shaped.dtype());
    }
    Ok(make_owned(py, shaped)?.into_any())
}

/// `reduce` with NumPy's argument handling; shared by the methods and the functions.
#[allow(clippy::too_many_arguments, reason = "NumPy's reduction signature")]
pub fn do_reduce<'py>(
    a: &Bound<'py, PyNdArray>,
    op: ReduceOp,
    axis: Option<&Bound<'py, PyAny>>,
    dtype: Option<&Bound<'py, PyAny>>,
    out: Option<&Bound<'py, PyAny>>,
    keepdims: bool,
    initial: Option<&Bound<'py, PyAny>>,
    where_: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = a.py();
    let arr_pin = a.arr();
    let arr = &*arr_pin;
    let axes = axis_mask(axis, arr.ndim())?;
    let dtype = opt_dtype(dtype, true)?;
    let mask = where_mask(where_)?;
    let init_dtype = match op {
        ReduceOp::Sum | ReduceOp::Prod => dtype.unwrap_or_else(|| reduce::sum_dtype(arr.dtype())),
        _ => arr.dtype().to_native(),
    };
    let initial: Option<Scalar> = match initial {
        Some(i) if !i.is_none() => Some(py_to_scalar(i, init_dtype)?),
        _ => None,
    };
    check_out(out, arr.shape(), &axes, keepdims, op.ufunc_name())?;
    complex_warning(py, arr.dtype(), dtype)?;
    let r =
        maybe_detach(py, arr.size(), || reduce::reduce(arr, op, &axes, dtype, initial.as_ref(), mask.as_ref())).py()?;
    report_reduce(py, r.flags)?;
    finish_result(py, r.array, &axes, keepdims, out)
}

/// NumPy's ComplexWarning when a reduction's `dtype=` drops the imaginary part of `from`.
fn complex_warning(py: Python<'_>, from: DType, dtype: Option<DType>) -> PyResult<()> {
    match dtype {
        Some(d) if rawarray_core::kernels::cast::discards_imaginary(from, d) => crate::scalar::complex_warning(py),
        _ => Ok(()),
    }
}

/// Reports a reduction's exceptions; those of the casts it made (to `dtype=`) count as
/// the reduction's own, as NumPy's buffered reduce reports them ("... in reduce").
fn report_reduce(py: Python<'_>, flags: FpFlags) -> PyResult<()> {
    report(py, flags.union(rawarray_core::fpe::take_cast()), "reduce", false)
}

/// Reports each of NumPy's named steps' exceptions, in order.
fn report_steps(py: Python<'_>, steps: &[rawarray_core::reduce::nan::StepFlags]) -> PyResult<()> {
    steps.iter().try_for_each(|&(name, flags)| report(py, flags, name, false))
}

fn runtime_warning(py: Python<'_>, msg: &str) -> PyResult<()> {
    crate::scalar::warn(py, py.get_type::<pyo3::exceptions::PyRuntimeWarning>().as_any(), msg)
}

/// argmin/argmax (nanargmin/nanargmax when `nan`) with NumPy's argument handling.
pub fn do_arg<'py>(
    a: &Bound<'py, PyNdArray>,
    max: bool,
    axis: Option<&Bound<'py, PyAny>>,
    out: Option<&Bound<'py, PyAny>>,
    keepdims: bool,
    nan: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let py = a.py();
    let arr_pin = a.arr();
    let arr = &*arr_pin;
    let k = single_axis(axis, arr.ndim())?;
    let nan = nan && matches!(arr.dtype().kind(), Kind::Float | Kind::Complex);
    if !nan && k.is_none() && !keepdims && out.is_none_or(|o| o.is_none()) {
        let i = maybe_detach(py, arr.size(), || reduce::arg_flat(arr, max)).py()?;
        return crate::scalar::new_scalar(py, Scalar::Int(i as i64), DType::INT64);
    }
    // The reduced axis (or all axes), kept as length 1 for keepdims.
    let axes: Vec<bool> = match k {
        Some(k) => (0..arr.ndim()).map(|i| i == k).collect(),
        None => vec![true; arr.ndim()],
    };
    check_arg_out(out, arr.shape(), &axes, keepdims, max)?;
    let r = maybe_detach(py, arr.size(), || {
        if nan {
            reduce::nan::nan_arg_reduce(arr, max, k)
        } else {
            reduce::arg_reduce(arr, max, k)
        }
    })
    .py()?;
    let kd: Vec<isize> = reduce::keepdims_shape(arr.shape(), &axes).iter().map(|&d| d as isize).collect();
    let r = r.reshape(&kd, Order::C).py()?.0;
    finish_result(py, r, &axes, keepdims, out)
}

/// argmin/argmax's `out=`, checked before any work with NumPy's messages: the shape of
/// the result (the reduced `axes` dropped, or kept as length 1 with `keepdims`), and a
/// dtype the int64 indices may be read back from safely (NumPy checks that direction).
fn check_arg_out(
    out: Option<&Bound<'_, PyAny>>,
    shape: &[usize],
    axes: &[bool],
    keepdims: bool,
    max: bool,
) -> PyResult<()> {
    let Some(out) = out.filter(|o| !o.is_none()) else { return Ok(()) };
    let o = out.cast::<PyNdArray>().map_err(|_| PyTypeError::new_err("output must be an array"))?;
    let o = o.arr();
    let fits = if keepdims {
        o.shape() == reduce::keepdims_shape(shape, axes).as_slice()
    } else {
        o.shape().iter().map(|&d| d as isize).eq(dropped_shape(shape, axes))
    };
    if !fits {
        let name = if max { "argmax" } else { "argmin" };
        return Err(PyValueError::new_err(format!("output array does not match result of np.{name}.")));
    }
    if !rawarray_core::promote::can_cast(o.dtype(), DType::INT64, rawarray_core::promote::Casting::Safe) {
        let what = if o.ndim() == 0 { "scalar" } else { "array data" };
        return Err(PyTypeError::new_err(format!(
            "Cannot cast {what} from dtype('{}') to dtype('int64') according to the rule 'safe'",
            o.dtype().repr_spec()
        )));
    }
    Ok(())
}

/// mean with NumPy's argument handling and warnings.
pub fn do_mean<'py>(
    a: &Bound<'py, PyNdArray>,
    axis: Option<&Bound<'py, PyAny>>,
    dtype: Option<&Bound<'py, PyAny>>,
    out: Option<&Bound<'py, PyAny>>,
    keepdims: bool,
    where_: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = a.py();
    let arr_pin = a.arr();
    let arr = &*arr_pin;
    let axes = axis_mask(axis, arr.ndim())?;
    let dtype = match opt_dtype(dtype, true) {
        Ok(d) => d,
        Err(e) => {
            // NumPy warns of an empty slice before its sum refuses the dtype.
            let reduced: usize = arr.shape().iter().zip(&axes).filter(|(_, &r)| r).map(|(&n, _)| n).product();
            if reduced == 0 && where_.is_none_or(|w| w.is_none()) {
                runtime_warning(py, "Mean of empty slice")?;
            }
            return Err(e);
        }
    };
    let mask = where_mask(where_)?;
    check_out(out, arr.shape(), &axes, keepdims, "add")?;
    let s = maybe_detach(py, arr.size(), || stats::mean(arr, &axes, dtype, mask.as_ref())).py()?;
    if s.empty {
        runtime_warning(py, "Mean of empty slice")?;
    }
    // NumPy's sum to `dtype=` warns ComplexWarning (after the empty slice warning).
    complex_warning(py, arr.dtype(), dtype)?;
    report_steps(py, &s.steps)?;
    let sum_dt = stats::mean_sum_dtype(arr.dtype(), dtype);
    report_final_divide(py, &s, sum_dt, &axes, keepdims, out, false)?;
    finish_result(py, s.array, &axes, keepdims, out)
}

/// Whether NumPy's `_mean`/`_var` hold their result as a scalar before returning it: every
/// axis reduced, no `keepdims` (unless the input is 0-d) and no `out`.
fn scalar_result(axes: &[bool], keepdims: bool, out: Option<&Bound<'_, PyAny>>) -> bool {
    (!keepdims || axes.is_empty()) && out.is_none_or(|o| o.is_none()) && axes.iter().all(|&r| r)
}

/// The warnings of mean's and var's last step as NumPy's `_mean`/`_var` raise them: a
/// scalar sum (of dtype `sum_dt`) is divided by the intp count (a float64 one for a
/// fractional `ddof`) in Python, in the scalar math when the quotient's type is one of
/// theirs ("scalar divide"), else by the ufunc ("divide"), and converted back with
/// `ret.dtype.type(...)` ("cast"); a sum array is divided into itself with
/// `casting='unsafe'`, its conversion's exceptions being the division's. float16's final
/// `float16(ret)` is a cast either way.
fn report_final_divide(
    py: Python<'_>,
    s: &stats::Stat,
    sum_dt: DType,
    axes: &[bool],
    keepdims: bool,
    out: Option<&Bound<'_, PyAny>>,
    fractional_ddof: bool,
) -> PyResult<()> {
    let whole = scalar_result(axes, keepdims, out);
    if whole || s.array.dtype() != sum_dt {
        let scalar = whole
            && (fractional_ddof
                || matches!(
                    (sum_dt.kind(), sum_dt.itemsize()),
                    (Kind::Float, 8) | (Kind::Complex, 16) | (Kind::Int, _) | (Kind::UInt, 1 | 2 | 4)
                ));
        report(py, s.flags, "divide", scalar)?;
        report(py, s.cast_flags, "cast", false)
    } else {
        report(py, s.flags.union(s.cast_flags), "divide", false)
    }
}

/// The `mean=` argument of var/std as an array: a Python int/float/complex is weak (NEP 50)
/// and takes the dtype it would have in `a - mean`.
fn mean_arg(mean: Option<&Bound<'_, PyAny>>, like: DType) -> PyResult<Option<Array>> {
    let Some(m) = mean.filter(|m| !m.is_none()) else {
        return Ok(None);
    };
    let arr = match crate::index_functions::weak_kind(m) {
        Some(kind) => operand(m, rawarray_core::promote::result_type_weak(like, kind).py()?)?,
        None => as_array(m)?,
    };
    let array = arr.arr().clone();
    Ok(Some(array))
}

/// var/std (nanvar/nanstd when `nan`) with NumPy's argument handling and warnings.
#[allow(clippy::too_many_arguments, reason = "NumPy's var signature")]
pub fn do_var<'py>(
    a: &Bound<'py, PyNdArray>,
    axis: Option<&Bound<'py, PyAny>>,
    dtype: Option<&Bound<'py, PyAny>>,
    out: Option<&Bound<'py, PyAny>>,
    ddof: Option<&Bound<'py, PyAny>>,
    keepdims: bool,
    where_: Option<&Bound<'py, PyAny>>,
    mean: Option<&Bound<'py, PyAny>>,
    correction: Option<&Bound<'py, PyAny>>,
    sqrt: bool,
    nan: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let py = a.py();
    let arr_pin = a.arr();
    let arr = &*arr_pin;
    let nan = nan && matches!(arr.dtype().kind(), Kind::Float | Kind::Complex);
    let axes = axis_mask(axis, arr.ndim())?;
    let dtype = opt_dtype(dtype, true)?;
    let mask = where_mask(where_)?;
    if nan {
        inexact_only(dtype, out)?;
    }
    let ddof_v: f64 = match ddof {
        Some(d) => d.extract()?,
        None => 0.0,
    };
    let ddof_v = match correction.filter(|c| !c.is_none()) {
        Some(c) => {
            if ddof_v != 0.0 {
                return Err(PyValueError::new_err("ddof and correction can't be provided simultaneously."));
            }
            c.extract()?
        }
        None => ddof_v,
    };
    let mean = mean_arg(mean, arr.dtype())?;
    // std with an integer `dtype=` whose result is a scalar: NumPy takes the root as
    // `ret.dtype.type(sqrt(ret))` (an array's root is a casting error, raised by `var`).
    let whole = scalar_result(&axes, keepdims, out);
    let int_root = sqrt && whole && dtype.is_some_and(|d| matches!(d.kind(), Kind::Int | Kind::UInt));
    check_out(out, arr.shape(), &axes, keepdims, "add")?;
    let s = maybe_detach(py, arr.size(), || {
        if nan {
            reduce::nan::nanvar(arr, &axes, dtype, ddof_v, mask.as_ref(), mean.as_ref(), sqrt && !int_root)
        } else {
            stats::var(arr, &axes, dtype, ddof_v, mask.as_ref(), mean.as_ref(), sqrt && !int_root)
        }
    })
    .py()?;
    // `_var` warns of the degrees of freedom first, `nanvar` after its steps. A ComplexWarning
    // comes with the first steps: the sum into a real `dtype=` of complex input, or (nanvar)
    // the subtraction in place from float input that drops a complex mean's imaginary part
    // (reported before the sum's warnings here).
    let dof = || {
        let msg = if nan { "Degrees of freedom <= 0 for slice." } else { "Degrees of freedom <= 0 for slice" };
        if s.empty {
            runtime_warning(py, msg)
        } else {
            Ok(())
        }
    };
    if !nan {
        dof()?;
    }
    if mean.is_none() {
        complex_warning(py, arr.dtype(), dtype)?;
    }
    let mean_dt = mean.as_ref().map_or(dtype, |m| Some(m.dtype()));
    if nan && arr.dtype().kind() == Kind::Float && mean_dt.is_some_and(|d| d.kind() == Kind::Complex) {
        crate::scalar::complex_warning(py)?;
    }
    report_steps(py, &s.steps)?;
    if nan {
        dof()?;
    }
    // var's sums are in its result dtype.
    report_final_divide(py, &s, s.array.dtype(), &axes, keepdims, out, ddof_v.fract() != 0.0)?;
    report(py, s.root, "sqrt", false)?;
    if int_root {
        let (root, root_flags, cast_flags) = stats::truncated_root(&s.array).py()?;
        report(py, root_flags, "sqrt", false)?;
        report(py, cast_flags, "cast", false)?;
        return finish_result(py, root, &axes, keepdims, out);
    }
    finish_result(py, s.array, &axes, keepdims, out)
}

/// cumsum/cumprod (nancumsum/nancumprod when `nan`: NaN counts as zero or one) with NumPy's
/// argument handling.
pub fn do_accumulate<'py>(
    a: &Bound<'py, PyNdArray>,
    prod: bool,
    axis: Option<&Bound<'py, PyAny>>,
    dtype: Option<&Bound<'py, PyAny>>,
    out: Option<&Bound<'py, PyAny>>,
    nan: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let py = a.py();
    let arr_pin = a.arr();
    let arr = &*arr_pin;
    let k = single_axis(axis, arr.ndim().max(1))?;
    let dtype = opt_dtype(dtype, false)?;
    let nan = nan && matches!(arr.dtype().kind(), Kind::Float | Kind::Complex);
    let (r, flags) = maybe_detach(py, arr.size(), || {
        if nan {
            reduce::accumulate(&stats::replace_nan(arr, prod)?, prod, k, dtype)
        } else {
            reduce::accumulate(arr, prod, k, dtype)
        }
    })
    .py()?;
    complex_warning(py, arr.dtype(), dtype)?;
    report(py, flags, "accumulate", false)?;
    write_or_wrap(py, r, out.filter(|o| !o.is_none()), "accumulation")
}

/// An accumulation's result (`what`: "accumulation", "reduceat") written into `out`, which
/// must have its shape, or wrapped as a new array.
pub(crate) fn write_or_wrap<'py>(
    py: Python<'py>,
    r: Array,
    out: Option<&Bound<'py, PyAny>>,
    what: &str,
) -> PyResult<Bound<'py, PyAny>> {
    if let Some(out) = out {
        let o = out.cast::<PyNdArray>().map_err(|_| PyTypeError::new_err("output must be an array"))?;
        let od = o.arr();
        if od.shape() != r.shape() {
            return Err(PyValueError::new_err(format!("provided out is the wrong size for the {what}.")));
        }
        o.get().check_writeable()?;
        od.assign(&r).py()?;
        crate::errstate::report_cast(py)?;
        return Ok(out.clone());
    }
    Ok(make_owned(py, r)?.into_any())
}

/// ptp = max - min (refused for bool by NumPy's subtract, after max has refused an empty
/// reduction).
pub fn do_ptp<'py>(
    a: &Bound<'py, PyNdArray>,
    axis: Option<&Bound<'py, PyAny>>,
    out: Option<&Bound<'py, PyAny>>,
    keepdims: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let py = a.py();
    let arr_pin = a.arr();
    let arr = &*arr_pin;
    let axes = axis_mask(axis, arr.ndim())?;
    check_out(out, arr.shape(), &axes, keepdims, "maximum")?;
    let (r, step) = maybe_detach(py, arr.size(), || reduce::stats::ptp(arr, &axes)).py()?;
    report_steps(py, &[step])?;
    finish_result(py, r, &axes, keepdims, out)
}

/// nansum/nanprod/nanmin/nanmax: NaN-ignoring reductions (NumPy's `All-NaN slice` warning
/// for min/max).
#[allow(clippy::too_many_arguments, reason = "NumPy's reduction signature")]
pub fn do_nan_reduce<'py>(
    a: &Bound<'py, PyNdArray>,
    op: ReduceOp,
    axis: Option<&Bound<'py, PyAny>>,
    dtype: Option<&Bound<'py, PyAny>>,
    out: Option<&Bound<'py, PyAny>>,
    keepdims: bool,
    initial: Option<&Bound<'py, PyAny>>,
    where_: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = a.py();
    let arr_pin = a.arr();
    let arr = &*arr_pin;
    let inexact = matches!(arr.dtype().kind(), Kind::Float | Kind::Complex);
    if !inexact {
        let plain = match op {
            ReduceOp::NanMax => ReduceOp::Max,
            ReduceOp::NanMin => ReduceOp::Min,
            o => o,
        };
        return do_reduce(a, plain, axis, dtype, out, keepdims, initial, where_);
    }
    match op {
        ReduceOp::NanMax | ReduceOp::NanMin => {
            nan_extreme(a, op, axis, out, keepdims, initial, where_, "All-NaN slice encountered")
        }
        _ => {
            let zeroed = make_owned(py, reduce::stats::replace_nan(arr, op == ReduceOp::Prod).py()?)?;
            do_reduce(&zeroed, op, axis, dtype, out, keepdims, initial, where_)
        }
    }
}

/// nanmax/nanmin of float or complex input, warning `all_nan` when a result is NaN.
#[allow(clippy::too_many_arguments, reason = "NumPy's reduction signature")]
fn nan_extreme<'py>(
    a: &Bound<'py, PyNdArray>,
    op: ReduceOp,
    axis: Option<&Bound<'py, PyAny>>,
    out: Option<&Bound<'py, PyAny>>,
    keepdims: bool,
    initial: Option<&Bound<'py, PyAny>>,
    where_: Option<&Bound<'py, PyAny>>,
    all_nan: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let py = a.py();
    let arr_pin = a.arr();
    let arr = &*arr_pin;
    let axes = axis_mask(axis, arr.ndim())?;
    let mask = where_mask(where_)?;
    let initial: Option<Scalar> = match initial {
        Some(i) if !i.is_none() => Some(py_to_scalar(i, arr.dtype().to_native())?),
        _ => None,
    };
    check_out(out, arr.shape(), &axes, keepdims, op.ufunc_name())?;
    let r =
        maybe_detach(py, arr.size(), || reduce::reduce(arr, op, &axes, None, initial.as_ref(), mask.as_ref())).py()?;
    if reduce::stats::any_nan(&r.array) {
        runtime_warning(py, all_nan)?;
    }
    finish_result(py, r.array, &axes, keepdims, out)
}

/// NumPy's nanmean/nanvar refusals for float or complex input: a `dtype=` or `out=` that
/// is not float or complex.
fn inexact_only(dtype: Option<DType>, out: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
    let inexact = |d: DType| matches!(d.kind(), Kind::Float | Kind::Complex);
    if dtype.is_some_and(|d| !inexact(d)) {
        return Err(PyTypeError::new_err("If a is inexact, then dtype must be inexact"));
    }
    if let Some(o) = out.filter(|o| !o.is_none()).and_then(|o| o.cast::<PyNdArray>().ok()) {
        if !inexact(o.arr().dtype()) {
            return Err(PyTypeError::new_err("If a is inexact, then out must be inexact"));
        }
    }
    Ok(())
}

/// nanmean: the mean of the non-NaN elements ("Mean of empty slice" when there are none).
pub fn do_nanmean<'py>(
    a: &Bound<'py, PyNdArray>,
    axis: Option<&Bound<'py, PyAny>>,
    dtype: Option<&Bound<'py, PyAny>>,
    out: Option<&Bound<'py, PyAny>>,
    keepdims: bool,
    where_: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = a.py();
    let arr_pin = a.arr();
    let arr = &*arr_pin;
    if !matches!(arr.dtype().kind(), Kind::Float | Kind::Complex) {
        return do_mean(a, axis, dtype, out, keepdims, where_);
    }
    let axes = axis_mask(axis, arr.ndim())?;
    let dtype = opt_dtype(dtype, true)?;
    inexact_only(dtype, out)?;
    let mask = where_mask(where_)?;
    check_out(out, arr.shape(), &axes, keepdims, "add")?;
    let s = maybe_detach(py, arr.size(), || stats::nanmean(arr, &axes, dtype, mask.as_ref())).py()?;
    complex_warning(py, arr.dtype(), dtype)?;
    report_steps(py, &s.steps)?;
    if s.empty {
        runtime_warning(py, "Mean of empty slice")?;
    }
    finish_result(py, s.array, &axes, keepdims, out)
}

/// A reduction function with `sum`'s signature, run by `$driver` (`do_reduce` or
/// `do_nan_reduce`).
macro_rules! reduce_fn {
    ($name:ident, $driver:ident, $op:expr, $doc:literal) => {
        #[doc = $doc]
        #[pyfunction]
        #[pyo3(signature = (a, axis=None, dtype=None, out=None, keepdims=false, initial=None, r#where=None))]
        #[allow(clippy::too_many_arguments, reason = "NumPy's signature")]
        pub fn $name<'py>(
            a: &Bound<'py, PyAny>,
            axis: Option<&Bound<'py, PyAny>>,
            dtype: Option<&Bound<'py, PyAny>>,
            out: Option<&Bound<'py, PyAny>>,
            keepdims: bool,
            initial: Option<&Bound<'py, PyAny>>,
            r#where: Option<&Bound<'py, PyAny>>,
        ) -> PyResult<Bound<'py, PyAny>> {
            $driver(&as_array(a)?, $op, axis, dtype, out, keepdims, initial, r#where)
        }
    };
}
reduce_fn!(sum, do_reduce, ReduceOp::Sum, "Sum of array elements over the given axes.");
reduce_fn!(prod, do_reduce, ReduceOp::Prod, "Product of array elements over the given axes.");

/// A reduction function with `max`'s signature (no `dtype`), run by `$driver` on the
/// input as given (`extreme_of` or `nan_extreme_of`).
macro_rules! extreme_fn {
    ($name:ident, $driver:ident, $op:expr, $doc:literal) => {
        #[doc = $doc]
        #[pyfunction]
        #[pyo3(signature = (a, axis=None, out=None, keepdims=false, initial=None, r#where=None))]
        pub fn $name<'py>(
            a: &Bound<'py, PyAny>,
            axis: Option<&Bound<'py, PyAny>>,
            out: Option<&Bound<'py, PyAny>>,
            keepdims: bool,
            initial: Option<&Bound<'py, PyAny>>,
            r#where: Option<&Bound<'py, PyAny>>,
        ) -> PyResult<Bound<'py, PyAny>> {
            $driver(a, $op, axis, out, keepdims, initial, r#where)
        }
    };
}
extreme_fn!(max, extreme_of, ReduceOp::Max, "Maximum along the given axes (NaN-propagating).");
extreme_fn!(min, extreme_of, ReduceOp::Min, "Minimum along the given axes (NaN-propagating).");
extreme_fn!(amax, extreme_of, ReduceOp::Max, "Alias of `max`.");
extreme_fn!(amin, extreme_of, ReduceOp::Min, "Alias of `min`.");

/// max/min of any input: [`do_reduce`] on it as an array.
fn extreme_of<'py>(
    a: &Bound<'py, PyAny>,
    op: ReduceOp,
    axis: Option<&Bound<'py, PyAny>>,
    out: Option<&Bound<'py, PyAny>>,
    keepdims: bool,
    initial: Option<&Bound<'py, PyAny>>,
    where_: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    do_reduce(&as_array(a)?, op, axis, None, out, keepdims, initial, where_)
}

macro_rules! logical_fn {
    ($name:ident, $op:expr, $doc:literal) => {
        #[doc = $doc]
        #[pyfunction]
        #[pyo3(signature = (a, axis=None, out=None, keepdims=false, *, r#where=None))]
        pub fn $name<'py>(
            a: &Bound<'py, PyAny>,
            axis: Option<&Bound<'py, PyAny>>,
            out: Option<&Bound<'py, PyAny>>,
            keepdims: bool,
            r#where: Option<&Bound<'py, PyAny>>,
        ) -> PyResult<Bound<'py, PyAny>> {
            do_reduce(&as_array(a)?, $op, axis, None, out, keepdims, None, r#where)
        }
    };
}
logical_fn!(any, ReduceOp::Any, "Whether any element along the given axes is true.");
logical_fn!(all, ReduceOp::All, "Whether all elements along the given axes are true.");

macro_rules! arg_fn {
    ($name:ident, $max:expr, $nan:expr, $doc:literal) => {
        #[doc = $doc]
        #[pyfunction]
        #[pyo3(signature = (a, axis=None, out=None, *, keepdims=false))]
        pub fn $name<'py>(
            a: &Bound<'py, PyAny>,
            axis: Option<&Bound<'py, PyAny>>,
            out: Option<&Bound<'py, PyAny>>,
            keepdims: bool,
        ) -> PyResult<Bound<'py, PyAny>> {
            do_arg(&as_array(a)?, $max, axis, out, keepdims, $nan)
        }
    };
}
arg_fn!(argmax, true, false, "Index of the first maximum (or first NaN).");
arg_fn!(argmin, false, false, "Index of the first minimum (or first NaN).");
arg_fn!(nanargmax, true, true, "Index of the first maximum ignoring NaNs (an all-NaN slice raises ValueError).");
arg_fn!(nanargmin, false, true, "Index of the first minimum ignoring NaNs (an all-NaN slice raises ValueError).");

/// Arithmetic mean along the given axes.
#[pyfunction]
#[pyo3(signature = (a, axis=None, dtype=None, out=None, keepdims=false, *, r#where=None))]
pub fn mean<'py>(
    a: &Bound<'py, PyAny>,
    axis: Option<&Bound<'py, PyAny>>,
    dtype: Option<&Bound<'py, PyAny>>,
    out: Option<&Bound<'py, PyAny>>,
    keepdims: bool,
    r#where: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    do_mean(&as_array(a)?, axis, dtype, out, keepdims, r#where)
}

macro_rules! var_fn {
    ($name:ident, $py:literal, $sqrt:expr, $nan:expr, $doc:literal) => {
        #[doc = $doc]
        #[pyfunction]
        #[pyo3(name = $py)]
        #[pyo3(signature = (a, axis=None, dtype=None, out=None, ddof=None, keepdims=false, *, r#where=None, mean=None, correction=None))]
        #[allow(clippy::too_many_arguments, reason = "NumPy's signature")]
        pub fn $name<'py>(
            a: &Bound<'py, PyAny>,
            axis: Option<&Bound<'py, PyAny>>,
            dtype: Option<&Bound<'py, PyAny>>,
            out: Option<&Bound<'py, PyAny>>,
            ddof: Option<&Bound<'py, PyAny>>,
            keepdims: bool,
            r#where: Option<&Bound<'py, PyAny>>,
            mean: Option<&Bound<'py, PyAny>>,
            correction: Option<&Bound<'py, PyAny>>,
        ) -> PyResult<Bound<'py, PyAny>> {
            do_var(&as_array(a)?, axis, dtype, out, ddof, keepdims, r#where, mean, correction, $sqrt, $nan)
        }
    };
}
var_fn!(var, "var", false, false, "Variance along the given axes.");
var_fn!(std_dev, "std", true, false, "Standard deviation along the given axes.");
var_fn!(nanvar, "nanvar", false, true, "Variance ignoring NaNs ('Degrees of freedom <= 0 for slice.' warns).");
var_fn!(nanstd, "nanstd", true, true, "Standard deviation ignoring NaNs.");

macro_rules! accumulate_fn {
    ($name:ident, $prod:expr, $nan:expr, $doc:literal) => {
        #[doc = $doc]
        #[pyfunction]
        #[pyo3(signature = (a, axis=None, dtype=None, out=None))]
        pub fn $name<'py>(
            a: &Bound<'py, PyAny>,
            axis: Option<&Bound<'py, PyAny>>,
            dtype: Option<&Bound<'py, PyAny>>,
            out: Option<&Bound<'py, PyAny>>,
        ) -> PyResult<Bound<'py, PyAny>> {
            do_accumulate(&as_array(a)?, $prod, axis, dtype, out, $nan)
        }
    };
}
accumulate_fn!(cumsum, false, false, "Cumulative sum along an axis (flattened when `axis` is None).");
accumulate_fn!(cumprod, true, false, "Cumulative product along an axis (flattened when `axis` is None).");
accumulate_fn!(nancumsum, false, true, "Cumulative sum treating NaN as zero.");
accumulate_fn!(nancumprod, true, true, "Cumulative product treating NaN as one.");

/// Range (maximum minus minimum) along the given axes.
#[pyfunction]
#[pyo3(signature = (a, axis=None, out=None, keepdims=false))]
pub fn ptp<'py>(
    a: &Bound<'py, PyAny>,
    axis: Option<&Bound<'py, PyAny>>,
    out: Option<&Bound<'py, PyAny>>,
    keepdims: bool,
) -> PyResult<Bound<'py, PyAny>> {
    do_ptp(&as_array(a)?, axis, out, keepdims)
}

reduce_fn!(nansum, do_nan_reduce, ReduceOp::Sum, "Sum treating NaN as zero.");
reduce_fn!(nanprod, do_nan_reduce, ReduceOp::Prod, "Product treating NaN as one.");

extreme_fn!(nanmax, nan_extreme_of, ReduceOp::NanMax, "Maximum ignoring NaNs.");
extreme_fn!(nanmin, nan_extreme_of, ReduceOp::NanMin, "Minimum ignoring NaNs.");

/// nanmax/nanmin of any input. NumPy words the all-NaN warning by its path: "All-NaN
/// slice encountered" for an ndarray (fmax/fmin.reduce), "All-NaN axis encountered" for
/// other input (NaN replaced, then amax).
fn nan_extreme_of<'py>(
    a: &Bound<'py, PyAny>,
    op: ReduceOp,
    axis: Option<&Bound<'py, PyAny>>,
    out: Option<&Bound<'py, PyAny>>,
    keepdims: bool,
    initial: Option<&Bound<'py, PyAny>>,
    where_: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let warning =
        if a.is_instance_of::<PyNdArray>() { "All-NaN slice encountered" } else { "All-NaN axis encountered" };
    let arr = as_array(a)?;
    if matches!(arr.arr().dtype().kind(), Kind::Float | Kind::Complex) {
        return nan_extreme(&arr, op, axis, out, keepdims, initial, where_, warning);
    }
    do_nan_reduce(&arr, op, axis, None, out, keepdims, initial, where_)
}

/// Mean ignoring NaNs.
#[pyfunction]
#[pyo3(signature = (a, axis=None, dtype=None, out=None, keepdims=false, *, r#where=None))]
pub fn nanmean<'py>(
    a: &Bound<'py, PyAny>,
    axis: Option<&Bound<'py, PyAny>>,
    dtype: Option<&Bound<'py, PyAny>>,
    out: Option<&Bound<'py, PyAny>>,
    keepdims: bool,
    r#where: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    do_nanmean(&as_array(a)?, axis, dtype, out, keepdims, r#where)
}

/// Adds the functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sum, m)?)?;
    m.add_function(wrap_pyfunction!(prod, m)?)?;
    m.add_function(wrap_pyfunction!(max, m)?)?;
    m.add_function(wrap_pyfunction!(min, m)?)?;
    m.add_function(wrap_pyfunction!(amax, m)?)?;
    m.add_function(wrap_pyfunction!(amin, m)?)?;
    m.add_function(wrap_pyfunction!(any, m)?)?;
    m.add_function(wrap_pyfunction!(all, m)?)?;
    m.add_function(wrap_pyfunction!(argmax, m)?)?;
    m.add_function(wrap_pyfunction!(argmin, m)?)?;
    m.add_function(wrap_pyfunction!(mean, m)?)?;
    m.add_function(wrap_pyfunction!(var, m)?)?;
    m.add_function(wrap_pyfunction!(std_dev, m)?)?;
    m.add_function(wrap_pyfunction!(cumsum, m)?)?;
    m.add_function(wrap_pyfunction!(cumprod, m)?)?;
    m.add_function(wrap_pyfunction!(ptp, m)?)?;
    m.add_function(wrap_pyfunction!(nansum, m)?)?;
    m.add_function(wrap_pyfunction!(nanprod, m)?)?;
    m.add_function(wrap_pyfunction!(nanmax, m)?)?;
    m.add_function(wrap_pyfunction!(nanmin, m)?)?;
    m.add_function(wrap_pyfunction!(nanmean, m)?)?;
    m.add_function(wrap_pyfunction!(nanargmax, m)?)?;
    m.add_function(wrap_pyfunction!(nanargmin, m)?)?;
    m.add_function(wrap_pyfunction!(nanvar, m)?)?;
    m.add_function(wrap_pyfunction!(nanstd, m)?)?;
    m.add_function(wrap_pyfunction!(nancumsum, m)?)?;
    m.add_function(wrap_pyfunction!(nancumprod, m)?)?;
    Ok(())
}
