//! mean, var and std composed from the sum reduction, the way NumPy's `_methods.py` does it:
//! the sum in NumPy's dtype (float64 for integers, float32 for float16), then a division by
//! the element count computed in double precision and cast back; var takes the mean with
//! kept dimensions, squares the deviations `|x - mean|²` into a temporary and sums those.

use num_complex::Complex;

use super::nan::{squared_deviations, StepFlags};
use super::num::{at, put};
use super::{reduce, reduced_count, ReduceOp};
use crate::array::Array;
use crate::dtype::{DType, Kind};
use crate::error::{Error, Result};
use crate::fpe::{self, FpFlags};
use crate::layout::Strides;
use crate::promote::Casting;
use crate::scalar::Scalar;
use crate::{bail, ensure};

/// A statistic with the warnings NumPy would give for it.
pub struct Stat {
    /// The result, keepdims-shaped.
    pub array: Array,
    /// The exceptions of NumPy's steps before the final division, in its order, each with
    /// the name its warning gives: the sums ("reduce", casts into the sum's dtype
    /// included), var's division of the mean ("divide"), the elementwise steps NumPy runs
    /// as ufuncs ("subtract", "square", ...).
    pub steps: Vec<StepFlags>,
    /// Exceptions of the final division ("... in divide", or "scalar divide" for a scalar).
    pub flags: FpFlags,
    /// mean and var: exceptions of casting the final quotient back to the sum's dtype and
    /// then to the result's (NumPy's `ret.dtype.type(ret / rcount)` for a scalar, its
    /// division into the sum's array otherwise; float16's final cast).
    pub cast_flags: FpFlags,
    /// Exceptions of std's square root, taken after the division ("... in sqrt").
    pub root: FpFlags,
    /// Some output element had no elements (mean: "Mean of empty slice"; var: "Degrees of
    /// freedom <= 0 for slice").
    pub empty: bool,
}

/// A sum over the marked axes as one of NumPy's steps: its exceptions, with those of
/// casting the input into `dtype`, are pushed to `steps` as "reduce".
pub(super) fn summed(
    a: &Array,
    axes: &[bool],
    dtype: Option<DType>,
    where_: Option<&Array>,
    steps: &mut Vec<StepFlags>,
) -> Result<Array> {
    let (r, casts) = fpe::casts_of(|| reduce(a, ReduceOp::Sum, axes, dtype, None, where_));
    let s = r?;
    steps.push(("reduce", s.flags.union(casts)));
    Ok(s.array)
}

/// The element counts per output element: one number, or a keepdims-shaped int64 array
/// (with a `where` mask).
enum Counts {
    All(usize),
    PerElement(Array),
}

fn counts(a: &Array, axes: &[bool], where_: Option<&Array>) -> Result<Counts> {
    let Some(m) = where_ else {
        return Ok(Counts::All(reduced_count(a.shape(), axes)));
    };
    ensure!(
        m.dtype().kind() == Kind::Bool,
        Type,
        "Cannot cast array data from dtype('{}') to dtype('bool') according to the rule 'safe'",
        m.dtype().name()
    );
    let layout = m.layout().broadcast_to(a.shape())?;
    // SAFETY: a broadcast of the mask's checked layout reaches only the mask's bytes.
    let full = unsafe { m.view_unchecked(m.dtype(), layout) };
    Ok(Counts::PerElement(reduce(&full, ReduceOp::Sum, axes, Some(DType::INT64), None, None)?.array))
}

impl Counts {
    fn any_at_most(&self, ddof: f64) -> bool {
        match self {
            Counts::All(n) => (*n as f64) <= ddof,
            Counts::PerElement(c) => c.to_scalars().iter().any(|v| (v.as_i64() as f64) <= ddof),
        }
    }
}

/// NumPy's `mean` sum dtype: float64 for bool and integers, float32 for float16.
pub fn mean_sum_dtype(a: DType, dtype: Option<DType>) -> DType {
    if let Some(d) = dtype {
        return d.to_native();
    }
    match (a.kind(), a.itemsize()) {
        (Kind::Bool | Kind::Int | Kind::UInt, _) => DType::FLOAT64,
        (Kind::Float, 2) => DType::FLOAT32,
        _ => a.to_native(),
    }
}

/// NumPy's complex division by a real count `d >= 0`: Smith's method with a zero imaginary
/// part multiplies by the reciprocal (`inf + 0j` divided by 1 is `inf + nanj`); a zero
/// count divides each part by zero.
#[inline]
fn cdiv(v: Complex<f64>, d: f64) -> Complex<f64> {
    // The reciprocal of a divisor that is never zero, hidden from the optimiser: it would
    // otherwise compute `1/d` ahead of the branch (floating-point operations count as free
    // of side effects), raising a spurious divide-by-zero.
    let scale = 1.0 / std::hint::black_box(if d == 0.0 { 1.0 } else { d });
    if d == 0.0 {
        Complex::new(v.re / d, v.im / d)
    } else {
        Complex::new((v.re + v.im * 0.0) * scale, (v.im - v.re * 0.0) * scale)
    }
}

/// Divides `sum` by `max(count - ddof, 0)` in double precision and casts the quotient to
/// `res`.
fn divide(sum: &Array, counts: &Counts, ddof: f64, res: DType) -> Result<(Array, FpFlags)> {
    let complex = sum.dtype().kind() == Kind::Complex;
    let w = sum.astype_keep_order(if complex { DType::COMPLEX128 } else { DType::FLOAT64 })?;
    let ((), flags) = fpe::track(|| {
        let denom = |c: f64| -> f64 { (c - ddof).max(0.0) };
        // SAFETY: `w` is fresh (keepdims shape); a per-element count array has that same
        // shape; the walk visits each element once.
        unsafe {
            match counts {
                Counts::All(n) => {
                    let d = denom(*n as f64);
                    crate::strided::for_each(w.shape(), [w.data_ptr()], [w.strides()], |p, s, n| {
                        for i in 0..n {
                            if complex {
                                put(p[0], i, s[0], cdiv(at::<Complex<f64>>(p[0], i, s[0]), d));
                            } else {
                                put(p[0], i, s[0], at::<f64>(p[0], i, s[0]) / d);
                            }
                        }
                    });
                }
                Counts::PerElement(c) => {
                    crate::strided::for_each(
                        w.shape(),
                        [w.data_ptr(), c.data_ptr()],
                        [w.strides(), c.strides()],
                        |p, s, n| {
                            for i in 0..n {
                                let d = denom(at::<i64>(p[1], i, s[1]) as f64);
                                if complex {
                                    put(p[0], i, s[0], cdiv(at::<Complex<f64>>(p[0], i, s[0]), d));
                                } else {
                                    put(p[0], i, s[0], at::<f64>(p[0], i, s[0]) / d);
                                }
                            }
                        },
                    );
                }
            }
        }
    });
    // Cast to the sum's dtype first (NumPy divides into the sum's array), then to `res`.
    let back = if w.dtype() == sum.dtype() { w } else { w.astype_keep_order(sum.dtype())? };
    let out = if back.dtype() == res { back } else { back.astype_keep_order(res)? };
    Ok((out, flags))
}

/// std's square root of a (fresh) variance, in place, as NumPy's `sqrt` ufunc in the
/// variance's dtype; returns its exceptions (none when not `sqrt`).
pub(super) fn root(var: &Array, sqrt: bool) -> Result<FpFlags> {
    if !sqrt {
        return Ok(FpFlags::default());
    }
    let (_, (_, flags)) = super::nan::ufunc("sqrt", std::slice::from_ref(var), Some(var), None)?;
    Ok(flags)
}

/// [`divide`] with the exceptions of its casts back from the float64 quotient kept apart
/// (third value) from those recorded before it, which stay recorded: NumPy's steps report
/// them as a cast of a scalar, or as part of the division into an array.
fn divide_apart(sum: &Array, counts: &Counts, ddof: f64, res: DType) -> Result<(Array, FpFlags, FpFlags)> {
    let (r, cast) = fpe::casts_of(|| divide(sum, counts, ddof, res));
    let (array, flags) = r?;
    Ok((array, flags, cast))
}

/// std's root of an integer variance as NumPy takes it for a scalar result,
/// `ret.dtype.type(sqrt(ret))`: through float64, truncated back; the root's exceptions
/// ("... in sqrt") and the conversion's ("... in cast") apart.
///
/// # Errors
/// `Memory` when the float64 copy cannot be allocated.
pub fn truncated_root(var: &Array) -> Result<(Array, FpFlags, FpFlags)> {
    let f = var.astype_keep_order(DType::FLOAT64)?;
    let (_, flags) = super::nan::ufunc("sqrt", std::slice::from_ref(&f), Some(&f), None)?.1;
    let (back, cast) = fpe::casts_of(|| f.astype_keep_order(var.dtype()));
    Ok((back?, flags, cast))
}

/// [`divide`] by a keepdims-shaped int64 array of counts.
pub(super) fn divide_by_counts(sum: &Array, cnt: &Array, ddof: f64, res: DType) -> Result<(Array, FpFlags)> {
    divide(sum, &Counts::PerElement(cnt.clone()), ddof, res)
}

/// NumPy's `mean` over the marked axes (keepdims-shaped result).
///
/// # Errors
/// As for [`reduce`].
pub fn mean(a: &Array, axes: &[bool], dtype: Option<DType>, where_: Option<&Array>) -> Result<Stat> {
    ensure!(a.dtype().is_numeric(), Type, "cannot take the mean of dtype {}", a.dtype().name());
    let sum_dt = mean_sum_dtype(a.dtype(), dtype);
    let res = dtype.map_or_else(
        || if a.dtype().kind() == Kind::Float && a.itemsize() == 2 { DType::FLOAT16 } else { sum_dt },
        |d| d.to_native(),
    );
    let c = counts(a, axes, where_)?;
    let mut steps = Vec::new();
    let s = summed(a, axes, Some(sum_dt), where_, &mut steps)?;
    // The casts back from the float64 quotient are NumPy's own steps, not the reduction's.
    let (array, flags, cast_flags) = divide_apart(&s, &c, 0.0, res)?;
    Ok(Stat { array, steps, flags, cast_flags, root: FpFlags::default(), empty: c.any_at_most(0.0) })
}

/// NumPy's `var` (or `std` when `sqrt`) over the marked axes with `ddof`, keepdims-shaped.
///
/// # Errors
/// As for [`reduce`].
pub fn var(
    a: &Array,
    axes: &[bool],
    dtype: Option<DType>,
    ddof: f64,
    where_: Option<&Array>,
    mean: Option<&Array>,
    sqrt: bool,
) -> Result<Stat> {
    ensure!(a.dtype().is_numeric(), Type, "cannot take the variance of dtype {}", a.dtype().name());
    if let Some(d) = dtype.filter(|d| sqrt && matches!(d.kind(), Kind::Int | Kind::UInt | Kind::Bool)) {
        // std into an integer array: NumPy's `sqrt(ret, out=ret)` with the default
        // `same_kind` rule refuses the float root (checked before any work, so no
        // exceptions are left recorded).
        let uf = crate::ufunc::get("sqrt").ok_or_else(|| Error::Value("no sqrt ufunc".into()))?;
        let found = uf.resolve(&[crate::ufunc::InType::Typed(d.to_native())], None, Casting::SameKind)?;
        uf.check_output(found.index, 0, d.to_native(), Casting::SameKind)?;
    }
    // `_var` sums in `dtype`, float64 for bool and integers, else the input's own dtype
    // (float16 too, unlike `_mean`).
    let mean_dt = match dtype {
        Some(d) => d.to_native(),
        None if matches!(a.dtype().kind(), Kind::Bool | Kind::Int | Kind::UInt) => DType::FLOAT64,
        None => a.dtype().to_native(),
    };
    let c = counts(a, axes, where_)?;
    let mut steps = Vec::new();
    let sum2 = if let Some(m) = mean {
        // NumPy's steps with a given mean: `x = a - mean` in the promoted dtype (integers
        // wrap), squared, summed in `dtype` (float64 for bool and integer input).
        let sq = squared_deviations(a, m, None, &mut steps)?;
        ensure!(
            sq.shape() == a.shape(),
            Value,
            "mean with shape {} broadcasts the input to a larger shape {}",
            crate::layout::shape_str(m.shape()),
            crate::layout::shape_str(sq.shape())
        );
        let exact = matches!(a.dtype().kind(), Kind::Bool | Kind::Int | Kind::UInt);
        summed(&sq, axes, dtype.or(exact.then_some(DType::FLOAT64)), where_, &mut steps)?
    } else {
        let s = summed(a, axes, Some(mean_dt), where_, &mut steps)?;
        // The mean is divided into the keepdims sum array: its conversion's exceptions are
        // the division's.
        let (m, mean_flags, mean_cast) = divide_apart(&s, &c, 0.0, mean_dt)?;
        steps.push(("divide", mean_flags.union(mean_cast)));
        own_mean_squares_summed(a, &m, axes, dtype, where_, &mut steps)?
    };
    // The result dtype: `dtype`, else the sum's.
    let res = dtype.map_or(sum2.dtype(), |d| d.to_native());
    let (array, flags, cast_flags) = divide_apart(&sum2, &c, ddof, res)?;
    // An integer variance has no root here: a caller wanting std's root of a scalar result
    // asks for the variance and takes [`truncated_root`]; an array's root is refused above.
    let integer = matches!(array.dtype().kind(), Kind::Int | Kind::UInt | Kind::Bool);
    let root = root(&array, sqrt && !integer)?;
    Ok(Stat { array, steps, flags, cast_flags, root, empty: c.any_at_most(ddof) })
}

/// var's sum of the squared deviations from its own mean `m` (keepdims-shaped, in the
/// sum's dtype), pushing NumPy's steps' exceptions to `steps`.
fn own_mean_squares_summed(
    a: &Array,
    m: &Array,
    axes: &[bool],
    dtype: Option<DType>,
    where_: Option<&Array>,
    steps: &mut Vec<StepFlags>,
) -> Result<Array> {
    // The deviations: x - mean in the promoted dtype, squared (|.|² for complex numbers).
    let x_dt = crate::promote::promote_types(a.dtype().to_native(), m.dtype())?;
    if matches!(x_dt.kind(), Kind::Int | Kind::UInt) {
        // An integer `dtype=`: NumPy's steps stay in integers. The mean was truncated into
        // the sum's dtype; deviations and their squares wrap; their sum in `dtype` is
        // divided and truncated.
        let sq = squared_deviations(a, m, None, steps)?;
        return summed(&sq, axes, dtype, where_, steps);
    }
    let complex = x_dt.kind() == Kind::Complex;
    let sq_dt = match (x_dt.kind(), x_dt.itemsize()) {
        (Kind::Complex, 8) => DType::FLOAT32,
        (Kind::Complex, _) => DType::FLOAT64,
        (Kind::Float, _) => x_dt,
        _ => bail!(Type, "variance of dtype {}", a.dtype().name()),
    };
    let xa = if a.dtype() == x_dt { a.clone() } else { a.astype_keep_order(x_dt)? };
    let mx = if m.dtype() == x_dt { m.clone() } else { m.astype_keep_order(x_dt)? };
    let whole = axes.iter().all(|&r| r) && where_.is_none() && dtype.is_none_or(|d| d.to_native() == sq_dt);
    if whole && !complex {
        if let Some(sum2) = fused_squared_deviations(&xa, &mx, m.shape())? {
            return Ok(sum2);
        }
    }
    let sq = match own_squared_deviations(&xa, &mx, axes, sq_dt)? {
        Some(sq) => sq,
        // An exception was raised (or float16, whose conversions raise none in hardware):
        // NumPy's ufunc steps, which name it ("overflow encountered in square").
        None => squared_deviations(a, m, None, steps)?,
    };
    summed(&sq, axes, dtype, where_, steps)
}

/// `|x - mean|^2` of a float32/float64 or complex `xa` (in `sq_dt`, its real dtype) in one
/// pass, `m` being keepdims-shaped over the marked axes: NumPy's subtract and square (for
/// complex numbers the squares of both parts, added) without the temporaries. `None` for
/// float16, or when the pass raised a floating-point exception.
fn own_squared_deviations(xa: &Array, m: &Array, axes: &[bool], sq_dt: DType) -> Result<Option<Array>> {
    let complex = xa.dtype().kind() == Kind::Complex;
    if !complex && sq_dt.itemsize() == 2 {
        return Ok(None);
    }
    let sq = xa.empty_keep_order_shaped(sq_dt, xa.shape())?;
    let ms: Strides = m.strides().iter().zip(axes).map(|(&s, &r)| if r { 0 } else { s }).collect();
    macro_rules! deviations {
        ($x:ty, $o:ty, $f:expr) => {
            // SAFETY: `xa` (read only) and `sq` (fresh) have one shape; `m` is read through
            // the strides of its kept axes (zero on reduced ones), inside its keepdims layout.
            unsafe {
                crate::strided::for_each(
                    xa.shape(),
                    [xa.data_ptr(), m.data_ptr(), sq.data_ptr()],
                    [xa.strides(), &ms, sq.strides()],
                    |p, s, n| {
                        for i in 0..n {
                            let x = at::<$x>(p[0], i, s[0]);
                            let mu = at::<$x>(p[1], i, s[1]);
                            let v: $o = $f(x, mu);
                            put(p[2], i, s[2], v);
                        }
                    },
                )
            }
        };
    }
    let ((), flags) = fpe::track(|| match (complex, sq_dt.itemsize()) {
        (false, 8) => deviations!(f64, f64, |x: f64, m: f64| (x - m) * (x - m)),
        (false, _) => deviations!(f32, f32, |x: f32, m: f32| (x - m) * (x - m)),
        (true, 4) => deviations!(Complex<f32>, f32, |x: Complex<f32>, m: Complex<f32>| {
            let (r, i) = (x.re - m.re, x.im - m.im);
            r * r - i * -i
        }),
        (true, _) => deviations!(Complex<f64>, f64, |x: Complex<f64>, m: Complex<f64>| {
            let (r, i) = (x.re - m.re, x.im - m.im);
            r * r - i * -i
        }),
    });
    Ok((!flags.any()).then_some(sq))
}

/// The sum of `(x - mean)^2` over every element of a contiguous, native, non-empty float32
/// or float64 `xa`, as a keepdims-shaped (`shape`) array: one pass that squares and sums
/// without a temporary, split across the pool along NumPy's pairwise tree, so the bits are
/// those of squaring into a temporary and summing it (what NumPy does). `None` when the
/// array does not qualify, or when the sum is not finite: then an overflow or invalid
/// operation happened somewhere, and the caller's two-step path reports it as NumPy does.
fn fused_squared_deviations(xa: &Array, m: &Array, shape: &[usize]) -> Result<Option<Array>> {
    let d = xa.dtype();
    let n = xa.size();
    let contiguous = xa.is_c_contiguous() || xa.is_f_contiguous();
    if n == 0 || !contiguous || !d.is_native() || d.kind() != Kind::Float || !m.dtype().is_native() {
        return Ok(None);
    }
    let p = xa.data_ptr() as usize;
    let out = Array::empty(d, shape, crate::layout::Order::C)?;
    match d.itemsize() {
        8 => {
            // SAFETY: `m` holds one native f64 (the keepdims mean of a whole reduction).
            let mu = unsafe { at::<f64>(m.data_ptr(), 0, 0) };
            // SAFETY: `xa` is contiguous and native with `n` elements at `p`; each leaf is a
            // sub-run of it.
            let v = tree_sum(n, |start, len| unsafe {
                super::pairwise::sum_sq_dev_f64((p as *const f64).add(start), len, mu)
            });
            if !v.is_finite() {
                return Ok(None);
            }
            // SAFETY: `out` is fresh with one element (every axis has length 1) of f64.
            unsafe { put(out.data_ptr(), 0, 0, v) };
        }
        4 => {
            // SAFETY: as above, for f32.
            let mu = unsafe { at::<f32>(m.data_ptr(), 0, 0) };
            // SAFETY: as above, for f32.
            let v = tree_sum(n, |start, len| unsafe {
                super::pairwise::sum_sq_dev_f32((p as *const f32).add(start), len, mu)
            });
            if !v.is_finite() {
                return Ok(None);
            }
            // SAFETY: as above, for f32.
            unsafe { put(out.data_ptr(), 0, 0, v) };
        }
        _ => return Ok(None),
    }
    Ok(Some(out))
}

/// `leaf(0, n)` computed as the top of NumPy's pairwise tree: the run is split at
/// [`super::pairwise::split_point`] into up to `2 * threads` leaves (rounded to a power of
/// two, none shorter than two blocks), the leaves run on the pool, and their results are
/// added back in the shape of the tree, which is what the serial pairwise sum computes.
fn tree_sum<T: Copy + Send + std::ops::Add<Output = T>>(n: usize, leaf: impl Fn(usize, usize) -> T + Sync) -> T {
    use super::pairwise::{split_point, PW_BLOCKSIZE};
    use crate::parallel::{map_parts, min_len, num_threads, Cost};
    fn leaves(start: usize, n: usize, depth: u32, out: &mut Vec<(usize, usize)>) {
        if depth == 0 || n <= PW_BLOCKSIZE * 2 {
            out.push((start, n));
            return;
        }
        let n2 = split_point(n);
        leaves(start, n2, depth - 1, out);
        leaves(start + n2, n - n2, depth - 1, out);
    }
    fn fold<T: Copy + std::ops::Add<Output = T>>(n: usize, depth: u32, res: &mut std::slice::Iter<'_, T>) -> T {
        if depth == 0 || n <= PW_BLOCKSIZE * 2 {
            return *res.next().expect("one result per leaf");
        }
        let n2 = split_point(n);
        let a = fold(n2, depth - 1, res);
        let b = fold(n - n2, depth - 1, res);
        a + b
    }
    if num_threads() <= 1 || n < min_len(Cost::Compute) {
        return leaf(0, n);
    }
    let depth = (num_threads() * 2).next_power_of_two().trailing_zeros();
    let mut parts = Vec::new();
    leaves(0, n, depth, &mut parts);
    let res = map_parts(parts.len(), true, |k| leaf(parts[k].0, parts[k].1));
    fold(n, depth, &mut res.iter())
}

/// True when any element of a float or complex array is NaN.
pub fn any_nan(a: &Array) -> bool {
    let mut found = false;
    crate::dispatch_numeric!(a.dtype().to_native(), T => {
        if a.dtype().is_native() && <T as super::num::Num>::INEXACT {
            // SAFETY: `a`'s layout is checked; elements are read, never written.
            unsafe {
                crate::strided::for_each(a.shape(), [a.data_ptr()], [a.strides()], |p, s, n| {
                    for i in 0..n {
                        found |= super::num::Num::is_nan(at::<T>(p[0], i, s[0]));
                    }
                })
            }
        }
    }, else => {});
    found
}

/// A native copy of `a` with NaN elements (any NaN component for complex numbers) replaced
/// by `fill`, and the bool array of the elements that were not NaN.
pub(super) fn replace_nan_with_mask(a: &Array, fill: &Scalar) -> Result<(Array, Array)> {
    let x = a.astype_keep_order(a.dtype().to_native())?;
    let keep = x.empty_keep_order_shaped(DType::BOOL, x.shape())?;
    let mut bytes = [0u8; 16];
    // SAFETY: `bytes` holds 16 >= itemsize bytes of a numeric dtype.
    unsafe { fill.cast(x.dtype()).write(bytes.as_mut_ptr(), x.dtype()) };
    crate::dispatch_numeric!(x.dtype(), T => {
        // SAFETY: `bytes` holds one native element of `T`, written just above.
        let v: T = unsafe { at::<T>(bytes.as_ptr(), 0, 0) };
        // SAFETY: `x` and `keep` are fresh arrays of one shape; each element is visited once.
        unsafe {
            crate::strided::for_each(x.shape(), [x.data_ptr(), keep.data_ptr()], [x.strides(), keep.strides()], |p, s, n| {
                for i in 0..n {
                    let nan = super::num::Num::is_nan(at::<T>(p[0], i, s[0]));
                    if nan {
                        put(p[0], i, s[0], v);
                    }
                    put(p[1], i, s[1], !nan as u8);
                }
            })
        }
    }, else => bail!(Type, "NaN functions need a numeric dtype"));
    Ok((x, keep))
}

/// A native copy of `a` with NaN elements replaced by zero (by one when `one`).
///
/// # Errors
/// `Type` for non-numeric input; `Memory` on allocation failure.
pub fn replace_nan(a: &Array, one: bool) -> Result<Array> {
    Ok(replace_nan_with_mask(a, &Scalar::Bool(one))?.0)
}

/// NumPy's `nanmean`: the sum of the non-NaN elements divided by their count (no invalid
/// warning; `empty` tells the caller to warn "Mean of empty slice").
///
/// # Errors
/// As for [`reduce`].
pub fn nanmean(a: &Array, axes: &[bool], dtype: Option<DType>, where_: Option<&Array>) -> Result<Stat> {
    let (x, keep) = replace_nan_with_mask(a, &Scalar::Bool(false))?;
    if let Some(m) = where_ {
        ensure!(m.dtype().kind() == Kind::Bool, Type, "where= must be a bool array");
        let ml = m.layout().broadcast_to(keep.shape())?;
        // SAFETY: `keep` is fresh; the mask is read through a checked broadcast layout.
        unsafe {
            crate::strided::for_each(
                keep.shape(),
                [keep.data_ptr(), m.buffer().as_ptr().wrapping_add(ml.offset())],
                [keep.strides(), ml.strides()],
                |p, s, n| {
                    for i in 0..n as isize {
                        if *p[1].offset(i * s[1]) == 0 {
                            *p[0].offset(i * s[0]) = 0;
                        }
                    }
                },
            )
        };
    }
    let cnt = reduce(&keep, ReduceOp::Sum, axes, Some(DType::INT64), None, None)?.array;
    let mut steps = Vec::new();
    let tot = summed(&x, axes, dtype, where_, &mut steps)?;
    let res = tot.dtype();
    let c = Counts::PerElement(cnt);
    let empty = c.any_at_most(0.0);
    let (array, _) = divide(&tot, &c, 0.0, res)?;
    let none = FpFlags::default();
    Ok(Stat { array, steps, flags: none, cast_flags: none, root: none, empty })
}

/// NumPy's `ptp`: maximum minus minimum over the marked axes (keepdims-shaped), in the
/// input's dtype, by the `subtract` ufunc (integers wrap; a float difference past the
/// largest value overflows, `inf - inf` is invalid), with that step's exceptions.
///
/// # Errors
/// As for [`reduce`] with min/max.
pub fn ptp(a: &Array, axes: &[bool]) -> Result<(Array, super::nan::StepFlags)> {
    ensure!(a.dtype().is_numeric(), Type, "ptp needs a numeric dtype");
    let hi = reduce(a, ReduceOp::Max, axes, None, None, None)?.array;
    let lo = reduce(a, ReduceOp::Min, axes, None, None, None)?.array;
    let (_, step) = super::nan::ufunc("subtract", &[hi.clone(), lo], Some(&hi), None)?;
    Ok((hi, step))
}
