//! Reductions in NumPy's semantics: sum, prod, min/max (NaN-propagating and NaN-ignoring),
//! any/all, argmin/argmax, mean, var and the cumulative sum and product.
//!
//! Every reduction works the same way: resolve the result and computation dtypes as NumPy 2
//! does (`sum` of small integers in int64/uint64, float16 summed in float32, ...); convert
//! the input once when its dtype or byte order differs from the computation dtype (or when a
//! `where` mask has to blank out elements); allocate the output with the reduced axes of
//! length 1 (keepdims shape, in the input's memory order) and fill it with the starting
//! values; then run the axis driver ([`driver`]). The caller (the binding) drops the reduced
//! axes unless `keepdims`, writes into `out=` and reports the returned floating-point flags.
//!
//! Reductions take an axis mask (`true` for every reduced axis), already normalised.

pub mod arg;
mod driver;
pub mod nan;
pub mod num;
pub mod pairwise;
pub mod stats;

#[cfg(test)]
mod tests;

use smallvec::SmallVec;

use crate::array::Array;
use crate::dtype::{DType, Kind};
use crate::error::Result;
use crate::fpe::FpFlags;
use crate::layout::{Layout, Order, Strides};
use crate::scalar::Scalar;
use crate::{bail, dispatch_numeric, ensure};

use arg::ArgRun;
use driver::{reduce_into, Extreme, Logical, NanExtreme, Op, Prod, Sum};
use num::Num;

/// A reduction operation (NumPy's ufunc `reduce`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum ReduceOp {
    /// `add.reduce`: `sum`.
    Sum,
    /// `multiply.reduce`: `prod`.
    Prod,
    /// `maximum.reduce`: `max`, NaN-propagating.
    Max,
    /// `minimum.reduce`: `min`, NaN-propagating.
    Min,
    /// `logical_or.reduce`: `any`.
    Any,
    /// `logical_and.reduce`: `all`.
    All,
    /// `fmax.reduce`: `nanmax`, NaN-ignoring.
    NanMax,
    /// `fmin.reduce`: `nanmin`, NaN-ignoring.
    NanMin,
}

impl ReduceOp {
    /// The ufunc's name as NumPy's messages spell it.
    pub fn ufunc_name(self) -> &'static str {
        match self {
            ReduceOp::Sum => "add",
            ReduceOp::Prod => "multiply",
            ReduceOp::Max => "maximum",
            ReduceOp::Min => "minimum",
            ReduceOp::Any => "logical_or",
            ReduceOp::All => "logical_and",
            ReduceOp::NanMax => "fmax",
            ReduceOp::NanMin => "fmin",
        }
    }

    /// True when the operation has an identity (an empty reduction is allowed).
    pub fn has_identity(self) -> bool {
        matches!(self, ReduceOp::Sum | ReduceOp::Prod | ReduceOp::Any | ReduceOp::All)
    }
}

/// NumPy's default accumulation dtype of `sum`/`prod`/`cumsum`: bool and integers smaller
/// than the platform long become int64 (uint64 for unsigned), everything else stays.
pub fn sum_dtype(d: DType) -> DType {
    match (d.kind(), d.itemsize()) {
        (Kind::Bool, _) => DType::INT64,
        (Kind::Int, n) if n < 8 => DType::INT64,
        (Kind::UInt, n) if n < 8 => DType::UINT64,
        _ => d.to_native(),
    }
}

/// The dtype a reduction computes in when its result has dtype `res`. float16 stays float16:
/// its runs are summed in float32 and rounded once per run, and rows accumulate with a
/// rounding per step, as NumPy's half loops do.
fn compute_dtype(res: DType) -> DType {
    res.to_native()
}

/// The shape with reduced axes set to 1.
pub fn keepdims_shape(shape: &[usize], axes: &[bool]) -> SmallVec<[usize; 4]> {
    shape.iter().zip(axes).map(|(&d, &r)| if r { 1 } else { d }).collect()
}

/// Checks the shape of a reduction's `out=` against an input of `shape` reduced over
/// `axes`, with NumPy's messages for each way it can be wrong (`name` is the ufunc's):
/// the wrong number of dimensions; then, with the dimensions of `out` set against the
/// input's axes as NumPy's iterator sets them (a reduced axis is a new axis of `out`
/// unless `keepdims`), lengths that do not broadcast; then `out`'s own axes from the last,
/// where a length of 1 would need a reduction the iterator does not do, or a kept reduced
/// axis is not of length 1; then an input axis of length 1 that `out` would stretch.
///
/// # Errors
/// `Value` with NumPy's message for the first failure.
pub fn check_out_shape(shape: &[usize], axes: &[bool], keepdims: bool, out: &[usize], name: &str) -> Result<()> {
    let kept = if keepdims { shape.len() } else { axes.iter().filter(|&&r| !r).count() };
    ensure!(
        out.len() == kept,
        Value,
        "output parameter for reduction operation {name} has the wrong number of dimensions: Found {} but expected {kept}{}",
        out.len(),
        if keepdims { " (must match the operand's when keepdims=True)" } else { "" }
    );
    // `out`'s dimension on each input axis, with its own axis number.
    let mut own = 0..out.len();
    let mapped: SmallVec<[Option<usize>; 4]> =
        axes.iter().map(|&r| if r && !keepdims { None } else { own.next() }).collect();
    let mut common: SmallVec<[usize; 4]> = SmallVec::with_capacity(shape.len());
    for (&d, m) in shape.iter().zip(&mapped) {
        let n = match m.map(|j| out[j]) {
            Some(o) if o != d && o != 1 && d != 1 => {
                let remapped: SmallVec<[Option<usize>; 4]> = mapped.iter().map(|m| m.map(|j| out[j])).collect();
                bail!(
                    Value,
                    "operands could not be broadcast together with remapped shapes [original->remapped]: {}->{} {} ",
                    crate::layout::shape_str(out),
                    crate::layout::remapped_shape_str(&remapped),
                    crate::layout::shape_str(shape)
                );
            }
            Some(o) if d == 1 => o,
            _ => d,
        };
        common.push(n);
    }
    for k in (0..shape.len()).rev() {
        let Some(j) = mapped[k] else { continue };
        if axes[k] && out[j] != 1 {
            bail!(
                Value,
                "operand was set up as a reduction along axis {k}, but the length of the axis is {} (it has to be 1)",
                out[j]
            );
        }
        if !axes[k] && out[j] == 1 && common[k] != 1 {
            bail!(
                Value,
                "output operand requires a reduction along dimension {j}, but the reduction is not enabled. The dimension size of 1 does not match the expected output shape."
            );
        }
    }
    ensure!(
        shape.iter().zip(&common).all(|(&d, &n)| d != 1 || n == 1),
        Value,
        "non-broadcastable operand with shape {} doesn't match the broadcast shape {}",
        crate::layout::shape_str(shape),
        crate::layout::shape_str(&common)
    );
    Ok(())
}

/// The number of elements reduced into each output element.
pub fn reduced_count(shape: &[usize], axes: &[bool]) -> usize {
    shape.iter().zip(axes).filter(|(_, &r)| r).map(|(&d, _)| d).product()
}

fn check_numeric(a: &Array, what: &str) -> Result<()> {
    if a.dtype().is_numeric() {
        return Ok(());
    }
    Err(crate::error::Error::ufunc(
        what,
        crate::error::UFuncErrorKind::NoLoop { dtypes: vec![a.dtype(), a.dtype()], nout: 1 },
        format!(
            "ufunc '{}' did not contain a loop with signature matching types ({:?}, {:?}) -> None",
            what,
            a.dtype().str(),
            a.dtype().str()
        ),
    ))
}

/// A view of `a` with every reduced axis cut to its first element (keepdims shape).
fn first_slice(a: &Array, axes: &[bool]) -> Array {
    let shape = keepdims_shape(a.shape(), axes);
    let strides: Strides = a.strides().iter().zip(axes).map(|(&s, &r)| if r { 0 } else { s }).collect();
    // SAFETY: every index of the new layout is an index of `a`'s layout with the reduced
    // coordinates set to 0 (those axes have length >= 1 here), so it reaches only `a`'s bytes.
    unsafe { a.view_unchecked(a.dtype(), Layout::new_unchecked(shape, strides, a.layout().offset())) }
}

/// Writes the bytes of `value` (of `dtype`) into every element of `x` where `mask` is false.
pub(crate) fn blank_where(x: &Array, mask: &Array, value: &Scalar) -> Result<()> {
    let isz = x.itemsize();
    let mut bytes = [0u8; 16];
    // SAFETY: `bytes` holds 16 >= itemsize bytes.
    unsafe { value.write(bytes.as_mut_ptr(), x.dtype()) };
    let m = mask.layout().broadcast_to(x.shape())?;
    // SAFETY: `x` is a fresh array (writable, no overlap with `mask`); `m` is a checked
    // broadcast of the mask's layout, whose elements are one byte each.
    unsafe {
        crate::strided::for_each(
            x.shape(),
            [x.data_ptr(), mask.buffer().as_ptr().wrapping_add(m.offset())],
            [x.strides(), m.strides()],
            |p, s, n| {
                for i in 0..n as isize {
                    if *p[1].offset(i * s[1]) == 0 {
                        std::ptr::copy_nonoverlapping(bytes.as_ptr(), p[0].offset(i * s[0]), isz);
                    }
                }
            },
        )
    };
    Ok(())
}

/// Checks a `where=` mask: bool dtype (NumPy casts it with the 'safe' rule) and
/// broadcastable to `shape`.
fn check_where(mask: &Array, shape: &[usize]) -> Result<()> {
    ensure!(
        mask.dtype().kind() == Kind::Bool,
        Type,
        "Cannot cast array data from dtype('{}') to dtype('bool') according to the rule 'safe'",
        mask.dtype().name()
    );
    mask.layout().broadcast_to(shape)?;
    Ok(())
}

/// The input converted to `compute` (or `a` itself when it already is), with the elements
/// outside `where_` replaced by `fill`.
fn prepare(a: &Array, compute: DType, where_: Option<&Array>, fill: Option<&Scalar>) -> Result<Array> {
    if a.dtype() == compute && where_.is_none() {
        return Ok(a.clone());
    }
    // Unspecified contents (recycled memory, no page faults), overwritten by the cast.
    let x = a.empty_keep_order_shaped(compute, a.shape())?;
    x.assign(a)?;
    if let (Some(m), Some(v)) = (where_, fill) {
        blank_where(&x, m, &v.cast(compute))?;
    }
    Ok(x)
}

fn identity(op: ReduceOp) -> Scalar {
    match op {
        ReduceOp::Sum | ReduceOp::Any => Scalar::Bool(false),
        ReduceOp::Prod | ReduceOp::All => Scalar::Bool(true),
        _ => Scalar::Bool(false),
    }
}

/// The result of a reduction: keepdims-shaped, native dtype, and the floating-point
/// exceptions its loop raised (to report as "... encountered in reduce").
pub struct Reduced {
    /// The result with the reduced axes kept as length 1.
    pub array: Array,
    /// Floating-point exceptions of the loop (sum and prod only).
    pub flags: FpFlags,
}

/// Runs one typed reduction.
///
/// # Safety
/// `x` has dtype `T`'s dtype, `out` is a fresh array of `O::Out`'s dtype with `x`'s shape on
/// kept axes and length 1 on reduced ones.
unsafe fn run<T: Num, O: Op<T>>(x: &Array, out: &Array, axes: &[bool]) -> FpFlags {
    let os: Strides = out.strides().iter().zip(axes).map(|(&s, &r)| if r { 0 } else { s }).collect();
    // SAFETY: `x`'s layout is checked; `out`'s strides reach, for every index of `x`'s shape,
    // the output element of its kept coordinates; `out` is fresh so nothing overlaps.
    unsafe { reduce_into::<T, O>(x.shape(), x.data_ptr(), x.strides(), out.data_ptr(), &os) }
}

/// Reduces `a` over the axes marked in `axes` with `op`.
///
/// `dtype` (sum and prod only) sets the result and computation dtype; `initial` starts every
/// output element; `where_` (a bool array broadcastable to `a`) selects the elements taken.
///
/// # Errors
/// `Type` for non-numeric input or a non-bool mask; `Value` for an empty reduction without
/// identity or initial value, a mask without initial value for min/max, or a mask that does
/// not broadcast.
pub fn reduce(
    a: &Array,
    op: ReduceOp,
    axes: &[bool],
    dtype: Option<DType>,
    initial: Option<&Scalar>,
    where_: Option<&Array>,
) -> Result<Reduced> {
    if matches!(op, ReduceOp::Any | ReduceOp::All) && !a.dtype().is_numeric() {
        // logical_and/or take any dtype through the bool loop (NumPy's logical promoter):
        // bytes are true when not empty, void when not all zero.
        return reduce(&a.astype(DType::BOOL, Order::C)?, op, axes, dtype, initial, where_);
    }
    check_numeric(a, op.ufunc_name())?;
    ensure!(axes.len() == a.ndim(), Value, "axis mask has the wrong length");
    let res = match op {
        ReduceOp::Sum | ReduceOp::Prod => dtype.map_or_else(|| sum_dtype(a.dtype()), |d| d.to_native()),
        ReduceOp::Any | ReduceOp::All => DType::BOOL,
        _ => a.dtype().to_native(),
    };
    ensure!(res.is_numeric(), Type, "reduction dtype must be numeric");
    let compute = match op {
        ReduceOp::Sum | ReduceOp::Prod => compute_dtype(res),
        _ => a.dtype().to_native(),
    };
    let out_shape = keepdims_shape(a.shape(), axes);
    let out_size: usize = out_shape.iter().product();
    let count = reduced_count(a.shape(), axes);
    if !op.has_identity() && initial.is_none() {
        // NumPy refuses an empty reduced extent even when the result is empty too.
        ensure!(count > 0, Value, "zero-size array to reduction operation {} which has no identity", op.ufunc_name());
        ensure!(
            where_.is_none(),
            Value,
            "reduction operation '{}' does not have an identity, so to use a where mask one has to specify 'initial'",
            op.ufunc_name()
        );
    }
    if let Some(m) = where_ {
        check_where(m, a.shape())?;
    }
    let fill = match (op, initial) {
        (ReduceOp::Sum | ReduceOp::Prod | ReduceOp::Any | ReduceOp::All, _) => identity(op),
        (_, Some(v)) => v.clone(),
        _ => Scalar::Bool(false),
    };
    let x = prepare(a, compute, where_, Some(&fill))?;
    let out_dtype = if matches!(op, ReduceOp::Any | ReduceOp::All) { DType::BOOL } else { compute };
    let out = x.empty_keep_order_shaped(out_dtype, &out_shape)?;
    match (op, initial) {
        (ReduceOp::Sum | ReduceOp::Prod, Some(v)) => out.fill(&v.cast(out_dtype))?,
        (ReduceOp::Min | ReduceOp::Max | ReduceOp::NanMin | ReduceOp::NanMax, Some(v)) => {
            out.fill(&v.cast(out_dtype))?
        }
        (ReduceOp::Min | ReduceOp::Max | ReduceOp::NanMin | ReduceOp::NanMax, None) => {
            if out_size > 0 {
                out.assign(&first_slice(&x, axes))?;
            }
        }
        _ => out.fill(&identity(op).cast(out_dtype))?,
    }
    if out_size == 0 || count == 0 {
        return finish(out, res, FpFlags::default());
    }
    // SAFETY: `x` has dtype `compute` = `T`; `out` is fresh with the keepdims shape and the
    // output dtype of the chosen op (`T`, or bool for any/all).
    let flags = dispatch_numeric!(compute, T => unsafe {
        match op {
            ReduceOp::Sum => run::<T, Sum>(&x, &out, axes),
            ReduceOp::Prod => run::<T, Prod>(&x, &out, axes),
            ReduceOp::Max => run::<T, Extreme<true>>(&x, &out, axes),
            ReduceOp::Min => run::<T, Extreme<false>>(&x, &out, axes),
            ReduceOp::NanMax => run::<T, NanExtreme<true>>(&x, &out, axes),
            ReduceOp::NanMin => run::<T, NanExtreme<false>>(&x, &out, axes),
            ReduceOp::Any => run::<T, Logical<true>>(&x, &out, axes),
            ReduceOp::All => run::<T, Logical<false>>(&x, &out, axes),
        }
    }, else => bail!(Type, "reduction of a non-numeric dtype"));
    finish(out, res, flags)
}

fn finish(out: Array, res: DType, flags: FpFlags) -> Result<Reduced> {
    let array = if out.dtype() == res { out } else { out.astype_keep_order(res)? };
    Ok(Reduced { array, flags })
}

/// argmin (`max == false`) or argmax along one axis, or over the flattened array (C order)
/// when `axis` is `None`. The result is int64 with the axis removed (0-d for `None`).
///
/// # Errors
/// `Type` for non-numeric input; `Value` ("attempt to get argmax of an empty sequence")
/// when the scanned axis is empty.
pub fn arg_reduce(a: &Array, max: bool, axis: Option<usize>) -> Result<Array> {
    let name = if max { "argmax" } else { "argmin" };
    check_numeric(a, name)?;
    let x = if a.dtype().is_native() { a.clone() } else { a.astype_keep_order(a.dtype().to_native())? };
    let (x, axis) = match axis {
        Some(k) => (x, k),
        None => {
            let flat = if x.is_c_contiguous() { x } else { x.copy(crate::layout::Order::C)? };
            (flat.reshape(&[-1], crate::layout::Order::C)?.0, 0)
        }
    };
    ensure!(axis < x.ndim(), Value, "axis out of range");
    let len = x.shape()[axis];
    ensure!(len > 0, Value, "attempt to get {} of an empty sequence", name);
    let outer: SmallVec<[usize; 4]> =
        x.shape().iter().enumerate().filter(|&(k, _)| k != axis).map(|(_, &d)| d).collect();
    let is: Strides = x.strides().iter().enumerate().filter(|&(k, _)| k != axis).map(|(_, &s)| s).collect();
    let sk = x.strides()[axis];
    let out = Array::empty(DType::INT64, &outer, crate::layout::Order::C)?;
    dispatch_numeric!(x.dtype(), T => {
        // SAFETY: `x`'s layout is checked, so every outer index plus `0..len` along `axis`
        // is a readable element; `out` is fresh, C-contiguous, of the outer shape.
        unsafe {
            if outer.is_empty() {
                let i = par_arg::<T>(max, x.data_ptr(), sk, len);
                out.data_ptr().cast::<i64>().write_unaligned(i as i64);
            } else {
                crate::strided::for_each(&outer, [x.data_ptr(), out.data_ptr()], [&is, out.strides()], |p, s, n| {
                    for i in 0..n {
                        let q = p[0].offset(i as isize * s[0]);
                        let r = if max { T::arg_run::<true>(q, sk, len) } else { T::arg_run::<false>(q, sk, len) };
                        num::put(p[1], i, s[1], r as i64);
                    }
                });
            }
        }
    }, else => bail!(Type, "{} of a non-numeric dtype", name));
    Ok(out)
}

/// argmin (`max == false`) or argmax of the flattened array (C order): the index alone,
/// without allocating an output (the common `a.argmax()` call).
///
/// # Errors
/// As for [`arg_reduce`].
pub fn arg_flat(a: &Array, max: bool) -> Result<usize> {
    let name = if max { "argmax" } else { "argmin" };
    check_numeric(a, name)?;
    ensure!(a.size() > 0, Value, "attempt to get {} of an empty sequence", name);
    if a.ndim() > 1 || !a.dtype().is_native() {
        let r = arg_reduce(a, max, None)?;
        // SAFETY: `r` is a fresh 0-d int64 array.
        return Ok(unsafe { r.data_ptr().cast::<i64>().read_unaligned() } as usize);
    }
    let (n, s) = (a.size(), a.strides().first().copied().unwrap_or(0));
    Ok(dispatch_numeric!(a.dtype(), T => {
        // SAFETY: a checked 0-d or 1-D layout: `n` elements at stride `s` are readable.
        unsafe { par_arg::<T>(max, a.data_ptr(), s, n) }
    }, else => 0))
}

/// argmin/argmax of one run, split across the pool when long and contiguous.
///
/// # Safety
/// As for [`ArgRun::arg_run`].
unsafe fn par_arg<T: ArgRun>(max: bool, p: *const u8, s: isize, n: usize) -> usize {
    let one = |q: *const u8, m: usize| -> usize {
        // SAFETY: callers pass sub-runs of the caller's run.
        unsafe {
            if max {
                T::arg_run::<true>(q, s, m)
            } else {
                T::arg_run::<false>(q, s, m)
            }
        }
    };
    let parallel = crate::parallel::should_split(n, crate::parallel::Cost::Compute);
    if !parallel {
        return one(p, n);
    }
    #[derive(Copy, Clone)]
    struct P(*const u8);
    // SAFETY: tasks only read the caller's run.
    unsafe impl Send for P {}
    // SAFETY: as above.
    unsafe impl Sync for P {}
    let base = P(p);
    let parts = crate::parallel::num_threads() * 2;
    let res = crate::parallel::map_parts(parts, true, |k| {
        let (start, end) = ((n * k / parts) & !511, if k + 1 == parts { n } else { (n * (k + 1) / parts) & !511 });
        if end <= start {
            return None;
        }
        let b = base;
        let q = b.0.wrapping_offset(start as isize * s);
        let i = one(q, end - start);
        // SAFETY: `start + i` is inside the run.
        let v = unsafe { num::at::<T>(b.0, start + i, s) };
        Some((start + i, v))
    });
    let mut best: Option<(usize, T)> = None;
    for (i, v) in res.into_iter().flatten() {
        match best {
            Some((_, b)) if b.is_nan() => {}
            Some((_, b)) if !v.is_nan() && !(if max { v.gt(b) } else { v.lt(b) }) => {}
            _ => best = Some((i, v)),
        }
    }
    best.map_or(0, |(i, _)| i)
}

/// The cumulative sum (`prod == false`) or product along `axis`, or over the flattened
/// array (C order) when `axis` is `None` or the input is 0-d (then `axis` must be 0). The
/// result is C-contiguous in `dtype` (default: [`sum_dtype`]); float16 rounds at every
/// step, as NumPy's `accumulate` does.
///
/// # Errors
/// `Type` for non-numeric input or dtype.
pub fn accumulate(a: &Array, prod: bool, axis: Option<usize>, dtype: Option<DType>) -> Result<(Array, FpFlags)> {
    check_numeric(a, if prod { "multiply" } else { "add" })?;
    let res = dtype.map_or_else(|| sum_dtype(a.dtype()), |d| d.to_native());
    ensure!(res.is_numeric(), Type, "accumulation dtype must be numeric");
    // A 0-d input accumulates as one element along axis 0 (NumPy returns shape `(1,)`).
    let (src, axis) = match axis {
        Some(k) if a.ndim() > 0 => (a.clone(), k),
        _ => (a.reshape(&[-1], crate::layout::Order::C)?.0, axis.unwrap_or(0)),
    };
    ensure!(axis < src.ndim(), Value, "axis out of range");
    let out = src.astype(res, crate::layout::Order::C)?;
    let len = out.shape()[axis];
    if out.size() == 0 || len <= 1 {
        return Ok((out, FpFlags::default()));
    }
    let outer: SmallVec<[usize; 4]> =
        out.shape().iter().enumerate().filter(|&(k, _)| k != axis).map(|(_, &d)| d).collect();
    let os: Strides = out.strides().iter().enumerate().filter(|&(k, _)| k != axis).map(|(_, &s)| s).collect();
    let sk = out.strides()[axis];
    let innermost = axis + 1 == out.ndim();
    let ((), flags) = crate::fpe::track(|| {
        dispatch_numeric!(res, T => {
            // NumPy runs the multiply loop once per run, over `len - 1` elements whose output
            // overlaps their first input: its SIMD loop refuses such runs and takes the plain
            // scalar formula, except for a run of one element, which overlaps nothing (complex
            // products then fuse on CPUs with FMA: `Num::mul_fused`).
            let fused = len == 2 && crate::kernels::has_fma();
            let step = |x: T, y: T| match (prod, fused) {
                (true, true) => x.mul_fused(y),
                (true, false) => x.mul(y),
                (false, _) => x.add(y),
            };
            // SAFETY: `out` is fresh and C-contiguous; every address below is one of its
            // elements (outer index plus `0..len` along `axis`).
            unsafe {
                if innermost {
                    crate::strided::for_each(&outer, [out.data_ptr()], [&os], |p, s, n| {
                        for i in 0..n {
                            let q = p[0].offset(i as isize * s[0]);
                            let mut acc = num::at::<T>(q, 0, sk);
                            for j in 1..len {
                                acc = step(acc, num::at::<T>(q, j, sk));
                                num::put(q, j, sk, acc);
                            }
                        }
                    });
                } else {
                    for j in 1..len {
                        let dst = out.data_ptr().offset(j as isize * sk);
                        let src = out.data_ptr().offset((j - 1) as isize * sk);
                        crate::strided::for_each(&outer, [dst, src], [&os, &os], |p, s, n| {
                            for i in 0..n {
                                let y = num::at::<T>(p[0], i, s[0]);
                                let x = num::at::<T>(p[1], i, s[1]);
                                num::put(p[0], i, s[0], step(x, y));
                            }
                        });
                    }
                }
            }
        }, else => {})
    });
    Ok((out, flags))
}
