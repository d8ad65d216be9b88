//! The methods of binary ufuncs: `reduce`, `accumulate`, `reduceat` and `at`, with NumPy's
//! type resolution for reductions (the `sum` upcast of small integers for `add` and
//! `multiply`, a loop whose first input and output agree), its identity, `initial` and
//! `where` rules, and a fold through the ufunc's own loop in NumPy's order, so
//! non-associative ufuncs (`subtract`, `power`, `arctan2`) give NumPy's results.
//!
//! Invariant: every loop call gets operands of exactly the loop's dtypes; a fold's
//! accumulator is its own fresh array, and the loop's output coincides with its first input
//! exactly (same address and stride), as [`LoopFn`](super::LoopFn) allows.

use half::f16;
use smallvec::SmallVec;

use super::{Identity, Status, Ufunc};
use crate::array::Array;
use crate::dtype::{DType, Kind};
use crate::error::{Error, Result};
use crate::fpe::{self, FpFlags};
use crate::layout::Order;
use crate::promote::Casting;
use crate::scalar::Scalar;
use crate::{bail, ensure, strided};

/// The checks every method makes: two inputs, one output.
fn check_binary(uf: &Ufunc, method: &str) -> Result<()> {
    ensure!(uf.nin == 2, Value, "{} only supported for binary functions", method);
    ensure!(uf.nout == 1, Value, "{} only supported for functions returning a single value", method);
    Ok(())
}

/// NumPy's reorderable ufuncs (an identity, or `ReorderableNone`): only these reduce over
/// several axes at once.
fn reorderable(uf: &Ufunc) -> bool {
    uf.identity != Identity::None || matches!(uf.name, "maximum" | "minimum" | "fmax" | "fmin")
}

/// The loop a reduction or accumulation runs: for `dtype` when given (inputs cast
/// unsafely), else the loop NumPy picks for two operands of the input's dtype, after the
/// `sum` rule (`add` and `multiply` of bool and of integers narrower than 64 bits compute
/// in int64 or uint64) and the logical ufuncs' (bool). The loop's first input and its
/// output must share a dtype.
///
/// # Errors
/// `Type` "No loop matching the specified signature and casting was found" when no loop
/// carries its output back into its first input; the resolution's own errors.
pub fn reduce_loop(uf: &'static Ufunc, input: DType, dtype: Option<DType>) -> Result<usize> {
    let input = input.to_native();
    let upcast = match input.kind() {
        Kind::Bool | Kind::Int if input.itemsize() < 8 => Some(DType::INT64),
        Kind::UInt if input.itemsize() < 8 => Some(DType::UINT64),
        _ => None,
    };
    if dtype.is_none() && matches!(uf.name, "logical_and" | "logical_or" | "logical_xor") {
        // NumPy's logical ufuncs reduce in bool whatever the input (their promoter).
        if let Some(i) = uf.loops.iter().position(|l| l.types == "??->?") {
            return Ok(i);
        }
    }
    let dtype = dtype.map(|d| d.to_native()).or(if matches!(uf.name, "add" | "multiply") { upcast } else { None });
    let ins = [super::InType::Typed(dtype.unwrap_or(input)), super::InType::Typed(input)];
    let resolved = match dtype {
        Some(d) => uf.resolve(&ins, Some(d), Casting::Unsafe)?,
        None => uf.resolve(&ins, None, Casting::Safe)?,
    };
    let lp = &uf.loops[resolved.index];
    if lp.dtype(0) != lp.dtype(2) {
        bail!(Type, "No loop matching the specified signature and casting was found for ufunc {}", uf.name);
    }
    Ok(resolved.index)
}

/// Runs `f` with the floating-point status word cleared first when the ufunc reads it, and
/// returns its statuses with the raised exceptions.
fn with_flags(uf: &Ufunc, f: impl FnOnce() -> Status) -> Result<FpFlags> {
    if uf.hardware_fpe && fpe::raised() != FpFlags::default() {
        fpe::clear();
    }
    let st = f();
    if st.negative_power {
        bail!(Value, "Integers to negative integer powers are not allowed.");
    }
    let mut flags = st.flags;
    if uf.hardware_fpe {
        flags = flags.union(fpe::raised());
    }
    Ok(flags)
}

/// `x` moved so that the `red` axes come last, as one axis (a copy when they cannot be
/// merged in place), with the shape of the other axes.
fn fold_axes_last(x: &Array, red: &[bool]) -> Result<(Array, SmallVec<[usize; 4]>)> {
    let keep: SmallVec<[usize; 4]> = (0..x.ndim()).filter(|&k| !red[k]).collect();
    let mut perm: SmallVec<[usize; 4]> = keep.clone();
    perm.extend((0..x.ndim()).filter(|&k| red[k]));
    let outer: SmallVec<[usize; 4]> = keep.iter().map(|&k| x.shape()[k]).collect();
    let t = x.transpose(Some(&perm))?;
    let n: usize = (0..x.ndim()).filter(|&k| red[k]).map(|k| x.shape()[k]).product();
    let mut dims: SmallVec<[isize; 5]> = outer.iter().map(|&d| d as isize).collect();
    dims.push(n as isize);
    let (folded, _) = t.reshape(&dims, Order::C)?;
    Ok((folded, outer))
}

/// The arguments of [`reduce`].
pub struct ReduceArgs<'a> {
    /// The ufunc.
    pub ufunc: &'static Ufunc,
    /// The array reduced.
    pub array: &'a Array,
    /// Which axes are reduced (one flag per axis of `array`).
    pub axes: &'a [bool],
    /// `dtype=`.
    pub dtype: Option<DType>,
    /// `initial=`, already a value of the reduction's dtype.
    pub initial: Option<Scalar>,
    /// `where=`: a boolean mask broadcastable to `array`.
    pub mask: Option<&'a Array>,
}

/// NumPy's `ufunc.reduce`: the result has the input's shape with the reduced axes removed,
/// in the loop's dtype, and the floating-point exceptions raised.
///
/// The accumulator starts from `initial`, else from the identity, else from the first
/// element along the axis; each element then enters through the loop in index order.
///
/// # Errors
/// NumPy's `Value` errors for unary or two-output ufuncs, several axes of a ufunc that is
/// not reorderable, empty reductions and masks without an identity or `initial`; loop
/// resolution errors.
pub fn reduce(args: &ReduceArgs<'_>) -> Result<(Array, FpFlags)> {
    let uf = args.ufunc;
    check_binary(uf, "reduce")?;
    let a = args.array;
    ensure!(args.axes.len() == a.ndim(), Value, "one axis flag per axis");
    let nred = args.axes.iter().filter(|&&r| r).count();
    if nred > 1 && !reorderable(uf) {
        bail!(Value, "reduction operation '{}' is not reorderable, so at most one axis may be specified", uf.name);
    }
    let index = reduce_loop(uf, a.dtype(), args.dtype)?;
    let lp = &uf.loops[index];
    let rt = lp.dtype(2);
    let identity = match uf.identity {
        Identity::None => None,
        Identity::Int(i) => Some(Scalar::Int(i)),
        Identity::Bool(b) => Some(Scalar::Bool(b)),
        Identity::Float(v) => Some(Scalar::Float(v)),
    };
    if args.mask.is_some() && args.initial.is_none() && identity.is_none() {
        bail!(
            Value,
            "reduction operation '{}' does not have an identity, so to use a where mask one has to specify 'initial'",
            uf.name
        );
    }
    // NumPy casts the input inside the reduction: its cast's exceptions are the reduction's.
    let before = fpe::take_cast_bits();
    let x = if a.dtype() == lp.dtype(1) { a.clone() } else { a.astype_keep_order(lp.dtype(1))? };
    let mut input_flags = FpFlags::from_bits(fpe::take_cast_bits());
    fpe::record_cast(before);
    let (x, outer) = fold_axes_last(&x, args.axes)?;
    let n = *x.shape().last().unwrap_or(&1);
    let mask = match args.mask {
        None => None,
        Some(m) => {
            let m = if m.dtype() == DType::BOOL { m.clone() } else { m.astype_keep_order(DType::BOOL)? };
            let layout = m.layout().broadcast_to(a.shape())?;
            // SAFETY: a broadcast layout reaches only bytes the mask's own layout reaches.
            let m = unsafe { m.view_unchecked(DType::BOOL, layout) };
            Some(fold_axes_last(&m, args.axes)?.0)
        }
    };
    // The starting value (`initial`, else the identity, as NumPy starts `hypot.reduce` from
    // 0), and the first element along the axis that still has to enter.
    let (start, first): (Option<Scalar>, usize) = match (&args.initial, &identity) {
        (Some(v), _) | (None, Some(v)) => (Some(v.clone()), 0),
        (None, None) if n > 0 => (None, 1),
        (None, None) => bail!(Value, "zero-size array to reduction operation {} which has no identity", uf.name),
    };
    let acc = match start {
        Some(v) => Array::full(rt, &outer, Order::C, &v)?,
        None => {
            // The first element along the axis, cast from the input (NumPy copies it with a
            // cast of its own, whose exceptions stay recorded as the cast's); the
            // reduction's own cast covers the other elements.
            let acc = Array::empty(rt, &outer, Order::C)?;
            let folded = fold_axes_last(a, args.axes)?.0;
            acc.assign(&first_along_last(&folded)?)?;
            if a.dtype() != lp.dtype(1) && n > 1 {
                let before = fpe::take_cast_bits();
                let nd = folded.ndim();
                drop(axis_range(&folded, nd - 1, 1, n)?.astype_keep_order(lp.dtype(1))?);
                input_flags = FpFlags::from_bits(fpe::take_cast_bits());
                fpe::record_cast(before);
            } else {
                input_flags = FpFlags::default();
            }
            acc
        }
    };
    let sk = *x.strides().last().unwrap_or(&0);
    let outer_x: SmallVec<[isize; 4]> = x.strides()[..x.ndim().saturating_sub(1)].iter().copied().collect();
    if mask.is_none() && half_reduces_in_float(uf, a, args.axes, rt) {
        let subtract = uf.name == "subtract";
        // Byte-swapped input reaches NumPy's loop through its cast buffers, 8192 elements
        // at a time: the accumulator is rounded to float16 after each.
        let chunk = if a.dtype() == DType::FLOAT16 { usize::MAX } else { 8192 };
        let flags = with_flags(uf, || {
            let mut status = Status::default();
            // SAFETY: as for the loop below: `acc` is fresh float16 of the outer shape, `x`
            // float16 with `n` elements along its last axis at stride `sk`.
            unsafe {
                strided::for_each(&outer, [acc.data_ptr(), x.data_ptr()], [acc.strides(), &outer_x], |p, s, len| {
                    for j in 0..len as isize {
                        let r = p[0].wrapping_offset(j * s[0]).cast::<f16>();
                        let rest = p[1].wrapping_offset(j * s[1] + first as isize * sk);
                        let mut v = r.read_unaligned();
                        let mut done = 0;
                        while done < n - first {
                            // Buffers start at the axis's first element, including one that
                            // was copied into the accumulator rather than folded in.
                            let m = (n - first - done).min(chunk - (first + done) % chunk);
                            let at = rest.wrapping_offset(done as isize * sk);
                            let mut w = v.to_f32();
                            for i in 0..m as isize {
                                let e = at.wrapping_offset(i * sk).cast::<f16>().read_unaligned().to_f32();
                                if subtract {
                                    w -= e;
                                } else {
                                    w /= e;
                                }
                            }
                            v = super::ops::h(w, &mut status);
                            done += m;
                        }
                        r.write_unaligned(v);
                    }
                })
            };
            status
        })?;
        return Ok((acc, flags.union(input_flags)));
    }
    let func = lp.func;
    let flags = with_flags(uf, || {
        let mut status = Status::default();
        match &mask {
            None => {
                // SAFETY: `acc` is fresh, C-contiguous, of the outer shape and the loop's output
                // (= first input) dtype; `x` has the loop's second input dtype and the outer
                // shape plus an axis of `n` elements at stride `sk`, all inside its checked
                // layout. The output coincides exactly with the first input.
                unsafe {
                    strided::for_each(&outer, [acc.data_ptr(), x.data_ptr()], [acc.strides(), &outer_x], |p, s, len| {
                        for i in first..n {
                            let xi = p[1].wrapping_offset(i as isize * sk);
                            let st = func(&[p[0], xi, p[0], p[0]], &[s[0], s[1], s[0], 0], len);
                            status = status.union(st);
                        }
                    })
                };
            }
            Some(m) => {
                let sm = *m.strides().last().unwrap_or(&0);
                let outer_m: SmallVec<[isize; 4]> = m.strides()[..m.ndim().saturating_sub(1)].iter().copied().collect();
                // SAFETY: as above; the mask has the same folded shape as `x`, each element a
                // readable bool inside its checked (broadcast) layout.
                unsafe {
                    strided::for_each(
                        &outer,
                        [acc.data_ptr(), x.data_ptr(), m.data_ptr()],
                        [acc.strides(), &outer_x, &outer_m],
                        |p, s, len| {
                            for j in 0..len as isize {
                                let r = p[0].wrapping_offset(j * s[0]);
                                let xj = p[1].wrapping_offset(j * s[1]);
                                let mj = p[2].wrapping_offset(j * s[2]);
                                for i in 0..n as isize {
                                    if mj.wrapping_offset(i * sm).read() != 0 {
                                        let st = func(&[r, xj.wrapping_offset(i * sk), r, r], &[0; 4], 1);
                                        status = status.union(st);
                                    }
                                }
                            }
                        },
                    )
                };
            }
        }
        status
    })?;
    // NumPy's float loops that clear the status word (min/max, comparisons) drop the
    // exceptions of the cast before them too.
    let cleared = !uf.hardware_fpe && matches!(rt.kind(), Kind::Float | Kind::Complex);
    Ok((acc, if cleared { flags } else { flags.union(input_flags) }))
}

/// Whether NumPy's float16 `subtract` or `divide` loop reduces `a` in float: its iterator
/// puts innermost the axis of smallest input stride (the last of equal ones), and when that
/// is the reduced axis its loop keeps a float accumulator along it (subtracting or dividing
/// by each element in turn: unlike `add`, no pairwise sum), rounded to float16 once per
/// output element. Otherwise each step is its own float16 operation.
/// Byte-swapped float16 input counts too (NumPy casts it in buffers; see the caller).
fn half_reduces_in_float(uf: &Ufunc, a: &Array, axes: &[bool], rt: DType) -> bool {
    if rt != DType::FLOAT16 || a.dtype().to_native() != DType::FLOAT16 || !matches!(uf.name, "subtract" | "divide") {
        return false;
    }
    let live = |j: usize| a.shape()[j] > 1;
    let Some(k) = (0..a.ndim()).find(|&j| axes[j] && live(j)) else {
        return false;
    };
    let sk = a.strides()[k].unsigned_abs();
    (0..a.ndim()).filter(|&j| j != k && live(j)).all(|j| {
        let sj = a.strides()[j].unsigned_abs();
        sk < sj || (sk == sj && k > j)
    })
}

/// The elements at index 0 of the last axis of `x` (which must not be empty), as a view.
fn first_along_last(x: &Array) -> Result<Array> {
    let nd = x.ndim();
    ensure!(nd > 0 && x.shape()[nd - 1] > 0, Value, "the reduced axis is empty");
    // SAFETY: dropping the last axis at index 0 keeps the same offset and the other axes'
    // strides: a subset of the checked layout's elements.
    let layout = unsafe {
        crate::layout::Layout::new_unchecked(
            x.shape()[..nd - 1].into(),
            x.strides()[..nd - 1].into(),
            x.layout().offset(),
        )
    };
    // SAFETY: see above.
    Ok(unsafe { x.view_unchecked(x.dtype(), layout) })
}

/// NumPy's `ufunc.accumulate` along `axis`: element `i` of the result is the loop applied
/// to element `i - 1` of the result and element `i` of the input (element 0 is the input's,
/// cast), in the loop's dtype; the result has the input's shape.
///
/// # Errors
/// As for [`reduce`] (unary or two-output ufuncs, loop resolution).
pub fn accumulate(uf: &'static Ufunc, a: &Array, axis: usize, dtype: Option<DType>) -> Result<(Array, FpFlags)> {
    check_binary(uf, "accumulate")?;
    ensure!(axis < a.ndim(), Value, "axis out of range");
    let index = reduce_loop(uf, a.dtype(), dtype)?;
    let lp = &uf.loops[index];
    let x = if a.dtype() == lp.dtype(1) { a.clone() } else { a.astype_keep_order(lp.dtype(1))? };
    let out = Array::empty(lp.dtype(2), a.shape(), Order::C)?;
    let n = a.shape()[axis];
    if n == 0 || out.size() == 0 {
        return Ok((out, FpFlags::default()));
    }
    // Element 0 along the axis: the input's, cast.
    let red: SmallVec<[bool; 4]> = (0..a.ndim()).map(|k| k == axis).collect();
    let (xf, outer) = fold_axes_last(&x, &red)?;
    let of = out.transpose(Some(&perm_last(a.ndim(), axis)))?;
    first_along_last(&of)?.assign(&first_along_last(&xf)?)?;
    let (sx, so) = (x.strides()[axis], out.strides()[axis]);
    let outer_x: SmallVec<[isize; 4]> = (0..a.ndim()).filter(|&k| k != axis).map(|k| x.strides()[k]).collect();
    let outer_o: SmallVec<[isize; 4]> = (0..a.ndim()).filter(|&k| k != axis).map(|k| out.strides()[k]).collect();
    let func = lp.func;
    let flags = with_flags(uf, || {
        let mut status = Status::default();
        // SAFETY: `out` is fresh with the input's shape in the loop's output dtype; `x` has
        // the loop's second input dtype; for each outer run, step `i` reads result `i - 1`
        // and input `i` and writes result `i`, distinct elements of the fresh array.
        unsafe {
            strided::for_each(&outer, [out.data_ptr(), x.data_ptr()], [&outer_o, &outer_x], |p, s, len| {
                for i in 1..n as isize {
                    let prev = p[0].wrapping_offset((i - 1) * so);
                    let cur = p[0].wrapping_offset(i * so);
                    let xi = p[1].wrapping_offset(i * sx);
                    let st = func(&[prev, xi, cur, cur], &[s[0], s[1], s[0], 0], len);
                    status = status.union(st);
                }
            })
        };
        status
    })?;
    Ok((out, flags))
}

/// The permutation that moves `axis` last.
fn perm_last(nd: usize, axis: usize) -> SmallVec<[usize; 4]> {
    let mut p: SmallVec<[usize; 4]> = (0..nd).filter(|&k| k != axis).collect();
    p.push(axis);
    p
}

/// NumPy's `ufunc.reduceat`: for each `indices[i]`, the reduction of `a[indices[i]:
/// indices[i + 1]]` along `axis` (to the end for the last index), or `a[indices[i]]` alone
/// when `indices[i] >= indices[i + 1]`.
///
/// # Errors
/// `Index` "index {i} out-of-bounds in {name}.reduceat [0, {n})" for an index outside the
/// axis; as for [`accumulate`] otherwise.
pub fn reduceat(
    uf: &'static Ufunc,
    a: &Array,
    indices: &[i64],
    axis: usize,
    dtype: Option<DType>,
) -> Result<(Array, FpFlags)> {
    check_binary(uf, "reduceat")?;
    ensure!(axis < a.ndim(), Value, "axis out of range");
    let n = a.shape()[axis];
    for &i in indices {
        if i < 0 || i as usize >= n {
            return Err(Error::Index(format!("index {} out-of-bounds in {}.reduceat [0, {})", i, uf.name, n)));
        }
    }
    let index = reduce_loop(uf, a.dtype(), dtype)?;
    let lp = &uf.loops[index];
    let x = if a.dtype() == lp.dtype(1) { a.clone() } else { a.astype_keep_order(lp.dtype(1))? };
    let mut shape: SmallVec<[usize; 4]> = a.shape().into();
    shape[axis] = indices.len();
    let out = Array::empty(lp.dtype(2), &shape, Order::C)?;
    if out.size() == 0 {
        return Ok((out, FpFlags::default()));
    }
    let (sx, so) = (x.strides()[axis], out.strides()[axis]);
    let outer: SmallVec<[usize; 4]> = (0..a.ndim()).filter(|&k| k != axis).map(|k| a.shape()[k]).collect();
    let outer_x: SmallVec<[isize; 4]> = (0..a.ndim()).filter(|&k| k != axis).map(|k| x.strides()[k]).collect();
    let outer_o: SmallVec<[isize; 4]> = (0..a.ndim()).filter(|&k| k != axis).map(|k| out.strides()[k]).collect();
    // Each output slot starts as its first input element (cast through `assign`).
    for (j, &i) in indices.iter().enumerate() {
        let src = axis_slice(&x, axis, i as usize)?;
        axis_slice(&out, axis, j)?.assign(&src)?;
    }
    if uf.name == "add" && matches!(lp.dtype(2).kind(), Kind::Float | Kind::Complex) {
        // NumPy's float add loop sums a reduction pairwise: each segment as `sum` does.
        let mut flags = FpFlags::default();
        let red: SmallVec<[bool; 4]> = (0..a.ndim()).map(|k| k == axis).collect();
        for (j, &start) in indices.iter().enumerate() {
            let end = indices.get(j + 1).copied().unwrap_or(n as i64).max(start + 1) as usize;
            let seg = axis_range(&x, axis, start as usize, end)?;
            let r = crate::reduce::reduce(&seg, crate::reduce::ReduceOp::Sum, &red, None, None, None)?;
            flags = flags.union(r.flags);
            let v = r.array.reshape(&[-1], Order::C)?.0;
            let slot = axis_slice(&out, axis, j)?;
            slot.assign(
                &v.reshape(&slot.shape().iter().map(|&d| d as isize).collect::<SmallVec<[isize; 4]>>(), Order::C)?.0,
            )?;
        }
        return Ok((out, flags));
    }
    let func = lp.func;
    let flags = with_flags(uf, || {
        let mut status = Status::default();
        // SAFETY: `out` is fresh; every index was checked to lie on the axis; step `i` reads
        // and writes output slot `j` (the loop's output coinciding with its first input)
        // and reads input element `i`.
        unsafe {
            strided::for_each(&outer, [out.data_ptr(), x.data_ptr()], [&outer_o, &outer_x], |p, s, len| {
                for (j, &start) in indices.iter().enumerate() {
                    let end = indices.get(j + 1).copied().unwrap_or(n as i64);
                    let r = p[0].wrapping_offset(j as isize * so);
                    for i in start + 1..end {
                        let xi = p[1].wrapping_offset(i as isize * sx);
                        let st = func(&[r, xi, r, r], &[s[0], s[1], s[0], 0], len);
                        status = status.union(st);
                    }
                }
            })
        };
        status
    })?;
    Ok((out, flags))
}

/// The elements `start..end` of `axis`, as a view.
fn axis_range(x: &Array, axis: usize, start: usize, end: usize) -> Result<Array> {
    ensure!(start < end && end <= x.shape()[axis], Index, "range out of bounds");
    let mut shape: SmallVec<[usize; 4]> = x.shape().into();
    shape[axis] = end - start;
    let offset = x.layout().offset() as isize + start as isize * x.strides()[axis];
    // SAFETY: elements `start..end` of the axis with every index of the other axes are
    // elements of the checked layout, so the new offset and shape reach a subset of its bytes.
    let layout = unsafe { crate::layout::Layout::new_unchecked(shape, x.strides().into(), offset as usize) };
    // SAFETY: see above.
    Ok(unsafe { x.view_unchecked(x.dtype(), layout) })
}

/// The elements at index `i` of `axis`, as a view with that axis removed.
fn axis_slice(x: &Array, axis: usize, i: usize) -> Result<Array> {
    ensure!(i < x.shape()[axis], Index, "index {} out of range", i);
    let shape: SmallVec<[usize; 4]> = (0..x.ndim()).filter(|&k| k != axis).map(|k| x.shape()[k]).collect();
    let strides: SmallVec<[isize; 4]> = (0..x.ndim()).filter(|&k| k != axis).map(|k| x.strides()[k]).collect();
    let offset = x.layout().offset() as isize + i as isize * x.strides()[axis];
    // SAFETY: element `i` of the axis and every index of the other axes is an element of the
    // checked layout, so the new offset and the remaining axes reach a subset of its bytes.
    let layout = unsafe { crate::layout::Layout::new_unchecked(shape, strides, offset as usize) };
    // SAFETY: see above.
    Ok(unsafe { x.view_unchecked(x.dtype(), layout) })
}

/// NumPy's unbuffered `ufunc.at(a, indices, b)`: for each selected element in order
/// (repeats included), `a[k] = ufunc(a[k], b[j])` (`ufunc(a[k])` for a unary ufunc), where
/// `positions` holds the selected elements' flat C-order positions in `a` and `b` is
/// already broadcast to `positions`' shape. The element is converted to the loop's dtype
/// and back for each step.
///
/// # Errors
/// `Value` for a read-only `a`, two-output ufuncs or a missing or extra second operand;
/// loop resolution errors.
pub fn at(uf: &'static Ufunc, a: &Array, positions: &Array, b: Option<&Array>) -> Result<FpFlags> {
    ensure!(uf.nout == 1, Value, "at only supported for functions returning a single value");
    ensure!(uf.nin <= 2, Value, "at only supported for unary and binary functions");
    a.check_writable()?;
    let mut ins: SmallVec<[super::InType; 2]> = SmallVec::new();
    ins.push(super::InType::Typed(a.dtype()));
    match (uf.nin, b) {
        (1, None) => {}
        (2, Some(b)) => {
            ensure!(positions.shape() == b.shape(), Value, "the values must match the indices");
            ins.push(super::InType::Typed(b.dtype()));
        }
        (1, Some(_)) => bail!(Value, "second operand needed for ufunc"),
        _ => bail!(Value, "second operand needed for ufunc"),
    }
    // NumPy's `at` casts the result back into `a` unsafely.
    let resolved = uf.resolve(&ins, None, Casting::SameKind)?;
    let lp = &uf.loops[resolved.index];
    let nin = uf.nin;
    let pos = positions.astype(DType::INT64, Order::C)?;
    // The values in the loop's second input dtype; a unary loop reads none (a stand-in).
    let vals = match b {
        Some(b) => b.astype(lp.dtype(1), Order::C)?,
        None => Array::zeros(DType::INT64, &[], Order::C)?,
    };
    let vsize = if nin == 2 { lp.dtype(1).itemsize() } else { 0 };
    // In place when `a` holds the loop's first input and output dtype (the loop's output
    // then coincides exactly with its first input); else each element goes through a
    // converted copy.
    let direct = a.dtype() == lp.dtype(0) && lp.dtype(0) == lp.dtype(nin);
    let shape: SmallVec<[usize; 4]> = a.shape().into();
    let mut flags = FpFlags::default();
    for k in 0..pos.size() {
        // SAFETY: `pos` is a fresh C-contiguous int64 array of `pos.size()` elements.
        let flat = unsafe { pos.data_ptr().cast::<i64>().add(k).read_unaligned() };
        ensure!(flat >= 0 && (flat as usize) < a.size(), Index, "index out of bounds");
        // The byte offset of element `flat` (C order) in `a`'s layout.
        let mut rest = flat as usize;
        let mut offset = a.layout().offset() as isize;
        for d in (0..shape.len()).rev() {
            offset += (rest % shape[d]) as isize * a.strides()[d];
            rest /= shape[d];
        }
        let v = vals.data_ptr().wrapping_add(k * vsize);
        // The operand slots: inputs, then the output (a unary loop's output is slot 1).
        let args = |x: *mut u8, r: *mut u8| if nin == 2 { [x, v, r, r] } else { [x, r, r, r] };
        if direct {
            let p = a.buffer().as_ptr().wrapping_offset(offset);
            flags = flags.union(with_flags(uf, || {
                // SAFETY: `p` is element `flat` of `a`'s checked, writable layout, of the
                // loop's first input and output dtype; `v` is element `k` of the fresh
                // `vals` in the loop's second input dtype (unread by a unary loop).
                unsafe { (lp.func)(&args(p, p), &[0; 4], 1) }
            })?);
            continue;
        }
        // SAFETY: a 0-d layout at the byte offset of one element of `a`'s checked layout.
        let elem = unsafe { crate::layout::Layout::new_unchecked(SmallVec::new(), SmallVec::new(), offset as usize) };
        // SAFETY: see above.
        let target = unsafe { a.view_unchecked(a.dtype(), elem) };
        let cur = target.astype(lp.dtype(0), Order::C)?;
        let res = Array::empty(lp.dtype(nin), &[], Order::C)?;
        flags = flags.union(with_flags(uf, || {
            // SAFETY: `cur`, `res` are fresh 0-d arrays of the loop's first input and output
            // dtypes; `v` is element `k` of the fresh `vals` in the loop's second input dtype.
            unsafe { (lp.func)(&args(cur.data_ptr(), res.data_ptr()), &[0; 4], 1) }
        })?);
        target.assign(&res)?;
    }
    Ok(flags)
}
