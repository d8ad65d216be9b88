//! The NaN-ignoring statistics that NumPy composes from other operations in
//! `nanfunctions.py`: nanargmin/nanargmax (NaN replaced by ±inf, then argmin/argmax) and
//! nanvar/nanstd (NaN replaced by zero, counts of the others, deviations through the
//! `subtract`/`multiply` ufuncs in the input's dtype). Following the same steps gives NumPy's
//! dtypes, rounding (float16 included) and floating-point warnings.
//!
//! Integer and bool inputs have no NaN: callers route them to the plain functions, as NumPy
//! does.

use smallvec::SmallVec;

use super::num::at;
use super::stats::{replace_nan_with_mask, summed, Stat};
use super::{arg_reduce, blank_where, reduce, ReduceOp};
use crate::array::Array;
use crate::dtype::{DType, Kind};
use crate::ensure;
use crate::error::Result;
use crate::fpe::FpFlags;
use crate::scalar::Scalar;
use crate::ufunc::parts::complex_part;
use crate::ufunc::{execute, Casting, ExecArgs, InType, OutOrder};

/// Floating-point exceptions of one named step (reported as "... encountered in `name`").
pub type StepFlags = (&'static str, FpFlags);

/// Calls the ufunc `name` on `inputs` as NumPy's Python code does (`out=` with
/// `casting='unsafe'`, optional `where=`), returning the result and its exceptions.
pub(super) fn ufunc(
    name: &'static str,
    inputs: &[Array],
    out: Option<&Array>,
    mask: Option<&Array>,
) -> Result<(Array, StepFlags)> {
    let uf = crate::ufunc::get(name).ok_or_else(|| crate::error::Error::Value(format!("no ufunc {name}")))?;
    let types: SmallVec<[InType; 3]> = inputs.iter().map(|a| InType::Typed(a.dtype())).collect();
    let r = uf.resolve(&types, None, Casting::Unsafe)?;
    let ins: SmallVec<[&Array; 3]> = inputs.iter().collect();
    let outs = [out];
    let (res, flags) = execute(&ExecArgs {
        ufunc: uf,
        index: r.index,
        inputs: &ins,
        outs: if out.is_some() { &outs } else { &[] },
        mask,
        casting: Casting::Unsafe,
        order: OutOrder::K,
    })?;
    Ok((res[0].clone(), (name, flags)))
}

/// The squared deviations `|x - mean|²` as NumPy computes them: `var` subtracts into a new
/// array and squares (complex numbers as the sum of the squared parts); `nanvar` (`nan`)
/// subtracts in place under `where`, zeroes the positions in `blank` that are false (the
/// NaNs) and multiplies by the conjugate. Returns a float array (the real part for complex
/// input) and the exceptions of each step.
pub(super) fn squared_deviations(
    x: &Array,
    mean: &Array,
    nan: Option<(&Array, Option<&Array>)>,
    steps: &mut Vec<StepFlags>,
) -> Result<Array> {
    let (d, f) = match nan {
        Some((_, w)) => ufunc("subtract", &[x.clone(), mean.clone()], Some(x), w)?,
        None => ufunc("subtract", &[x.clone(), mean.clone()], None, None)?,
    };
    steps.push(f);
    let complex = d.dtype().kind() == Kind::Complex;
    match nan {
        Some((blank, w)) => {
            blank_where(&d, blank, &Scalar::Bool(false))?;
            let other = if complex { ufunc("conjugate", std::slice::from_ref(&d), None, None)?.0 } else { d.clone() };
            steps.push(ufunc("multiply", &[d.clone(), other], Some(&d), w)?.1);
        }
        None if complex => {
            let re = complex_part(&d, false)?.expect("a complex array");
            let im = complex_part(&d, true)?.expect("a complex array");
            steps.push(ufunc("square", std::slice::from_ref(&re), Some(&re), None)?.1);
            steps.push(ufunc("square", std::slice::from_ref(&im), Some(&im), None)?.1);
            steps.push(ufunc("add", &[re.clone(), im], Some(&re), None)?.1);
        }
        None => steps.push(ufunc("square", std::slice::from_ref(&d), Some(&d), None)?.1),
    }
    Ok(if complex { complex_part(&d, false)?.expect("a complex array") } else { d })
}

/// NumPy's `nanargmin` (`max == false`) / `nanargmax` of a float or complex array: NaN
/// elements become +inf (-inf for max) and the plain argmin/argmax runs; a slice (or, for
/// `axis = None`, the whole array) of NaN only is an error.
///
/// # Errors
/// `Value` "All-NaN slice encountered"; otherwise as for [`arg_reduce`].
pub fn nan_arg_reduce(a: &Array, max: bool, axis: Option<usize>) -> Result<Array> {
    let fill = Scalar::Float(if max { f64::NEG_INFINITY } else { f64::INFINITY });
    let (x, keep) = replace_nan_with_mask(a, &fill)?;
    if keep.size() > 0 {
        let axes: Vec<bool> = (0..a.ndim()).map(|k| axis.is_none_or(|j| j == k)).collect();
        let any = reduce(&keep, ReduceOp::Any, &axes, None, None, None)?.array;
        ensure!(!any.to_scalars().iter().any(|v| v.as_i64() == 0), Value, "All-NaN slice encountered");
    }
    arg_reduce(&x, max, axis)
}

/// NumPy's `nanvar` (or `nanstd` when `sqrt`) of a float or complex array over the marked
/// axes, keepdims-shaped: the sum of the non-NaN elements over their count (or the given
/// `mean`), the squared deviations, their sum over `count - ddof`, and NaN where that is not
/// positive (`empty` asks for "Degrees of freedom <= 0 for slice."). The divisions warn
/// about nothing, as NumPy's `_divide_by_count` runs under `errstate(ignore)`.
///
/// # Errors
/// `Type` for a non-inexact `dtype`; as for [`reduce`] and the ufuncs otherwise.
pub fn nanvar(
    a: &Array,
    axes: &[bool],
    dtype: Option<DType>,
    ddof: f64,
    where_: Option<&Array>,
    mean: Option<&Array>,
    sqrt: bool,
) -> Result<Stat> {
    ensure!(
        dtype.is_none_or(|d| matches!(d.kind(), Kind::Float | Kind::Complex)),
        Type,
        "If a is inexact, then dtype must be inexact"
    );
    let (x, keep) = replace_nan_with_mask(a, &Scalar::Bool(false))?;
    let cnt = reduce(&keep, ReduceOp::Sum, axes, Some(DType::INT64), None, where_)?.array;
    let mut steps = Vec::new();
    let avg = match mean {
        Some(m) => m.clone(),
        None => {
            let s = summed(&x, axes, dtype, where_, &mut steps)?;
            let res = s.dtype();
            super::stats::divide_by_counts(&s, &cnt, 0.0, res)?.0
        }
    };
    let sq = squared_deviations(&x, &avg, Some((&keep, where_)), &mut steps)?;
    let total = summed(&sq, axes, dtype, where_, &mut steps)?;
    let res = total.dtype();
    let (array, _) = super::stats::divide_by_counts(&total, &cnt, ddof, res)?;
    // Where `count - ddof <= 0`: NaN (the division's inf or negative value is replaced).
    let good = cnt.empty_keep_order_shaped(DType::BOOL, cnt.shape())?;
    let mut empty = false;
    // SAFETY: `cnt` (int64) and `good` (bool) are fresh arrays of one shape.
    unsafe {
        crate::strided::for_each(
            cnt.shape(),
            [cnt.data_ptr(), good.data_ptr()],
            [cnt.strides(), good.strides()],
            |p, s, n| {
                for i in 0..n {
                    let ok = at::<i64>(p[0], i, s[0]) as f64 - ddof > 0.0;
                    empty |= !ok;
                    super::num::put(p[1], i, s[1], ok as u8);
                }
            },
        )
    };
    if empty {
        blank_where(&array, &good, &Scalar::Float(f64::NAN))?;
    }
    let root = super::stats::root(&array, sqrt)?;
    let none = FpFlags::default();
    Ok(Stat { array, steps, flags: none, cast_flags: none, root, empty })
}
