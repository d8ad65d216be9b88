//! NumPy's index functions over whole arrays: `take` and `put` with a `mode`, the truth
//! mask and `nonzero`, `copyto` with a cast rule and a `where` mask, and `repeat`.
//!
//! Every function validates its whole input (shapes, bounds, casting) before it writes, so a
//! failed call leaves its destination untouched; results are fresh C-ordered arrays.

use crate::array::Array;
use crate::dtype::{DType, Kind};
use crate::error::Result;
use crate::kernels::select;
use crate::kernels::take::{gather, index_offsets, take_fused, IndexMode};
use crate::layout::{shape_str, Layout, Order, Shape};
use crate::promote::{can_cast, cast_error, Casting};
use crate::{bail, ensure};

/// Byte offsets from the first element of `a` of every position of its first `axis` axes,
/// in C order.
fn outer_offsets(a: &Array, axis: usize) -> Vec<isize> {
    let mut offs = vec![0isize];
    for k in 0..axis {
        let (d, s) = (a.shape()[k], a.strides()[k]);
        offs = offs.iter().flat_map(|&o| (0..d).map(move |i| o + i as isize * s)).collect();
    }
    offs
}

/// [`take`] of a non-empty 1-D integer index array from a non-empty 1-D array, below the
/// size that splits across threads (`a[idx]` at its commonest): kept small so that the
/// result's allocation is inlined and built in place.
#[inline(never)]
fn take_small_1d(a: &Array, indices: &Array, mode: IndexMode) -> Result<Array> {
    let (k, len) = (indices.shape()[0], a.shape()[0]);
    let out = Array::empty(a.dtype(), &[k], Order::C)?;
    // SAFETY: the index layout is checked and integer-typed (checked by `take`); `a`'s
    // only axis has `len > 0` elements `strides[0]` bytes apart inside its buffer; `out` is
    // fresh memory holding one element per index.
    let r = unsafe {
        take_fused(
            &[k],
            indices.data_ptr() as *const u8,
            indices.strides(),
            indices.dtype(),
            len,
            a.strides()[0],
            mode,
            a.data_ptr(),
            out.data_ptr(),
            a.itemsize(),
        )
    };
    r.map_err(|v| out_of_bounds(v, 0, len))?;
    Ok(out)
}

fn out_of_bounds(v: i64, axis: usize, len: usize) -> crate::error::Error {
    crate::error::Error::Index(format!("index {v} is out of bounds for axis {axis} with size {len}"))
}

/// NumPy's `np.take(a, indices, axis, mode=mode)`: the elements (or, with `axis`, the
/// sub-arrays) of `a` at `indices` along `axis` (of the flattened array when `None`).
/// The result has shape `a.shape[:axis] + indices.shape + a.shape[axis+1:]`, C-ordered.
///
/// # Errors
/// `Index` with NumPy's messages for an index out of bounds in `Raise` mode and for a
/// non-empty take from an empty axis; `Type` for non-integer indices; `Memory` when the
/// result cannot be allocated.
///
/// ```
/// use rawarray_core::{array::Array, dtype::DType, layout::Order};
/// use rawarray_core::index::functions::take;
/// use rawarray_core::kernels::take::IndexMode;
/// let a = Array::zeros(DType::FLOAT64, &[3, 4], Order::C).unwrap();
/// let i = Array::zeros(DType::INT64, &[5], Order::C).unwrap();
/// assert_eq!(take(&a, &i, Some(1), IndexMode::Raise).unwrap().shape(), &[3, 5]);
/// ```
pub fn take(a: &Array, indices: &Array, axis: Option<usize>, mode: IndexMode) -> Result<Array> {
    ensure!(
        matches!(indices.dtype().kind(), Kind::Int | Kind::UInt),
        Type,
        "Cannot cast array data from dtype('{}') to dtype('int64') according to the rule 'safe'",
        indices.dtype().repr_spec()
    );
    if matches!(axis, None | Some(0)) && a.ndim() == 1 && indices.ndim() == 1 && a.size() > 0 {
        let k = indices.shape()[0];
        if k > 0 && !crate::parallel::should_split(k, crate::parallel::Cost::Compute) {
            return take_small_1d(a, indices, mode);
        }
    }
    let flat;
    let (a, axis) = match axis {
        Some(ax) => (a, ax),
        None => {
            flat = a.reshape(&[-1], Order::C)?.0;
            (&flat, 0)
        }
    };
    ensure!(axis < a.ndim(), Value, "axis {axis} is out of bounds for array of dimension {}", a.ndim());
    let len = a.shape()[axis];
    let stride = a.strides()[axis];
    let mut shape: Shape = a.shape()[..axis].into();
    shape.extend_from_slice(indices.shape());
    shape.extend_from_slice(&a.shape()[axis + 1..]);
    let out = Array::empty(a.dtype(), &shape, Order::C)?;
    ensure!(len > 0 || out.size() == 0, Index, "cannot do a non-empty take from an empty axes.");
    let ip = indices.data_ptr() as *const u8;
    if out.size() == 0 {
        // Like NumPy, an empty result still checks the indices (in `Raise` mode) when there
        // is at least one outer position.
        let outer: usize = a.shape()[..axis].iter().product();
        if mode == IndexMode::Raise && outer > 0 && indices.size() > 0 {
            // SAFETY: the index layout is checked and integer-typed; `Raise` mode accepts
            // `len == 0` (every index is then out of bounds).
            unsafe { index_offsets(indices.shape(), ip, indices.strides(), indices.dtype(), len, stride, mode) }
                .map_err(|v| out_of_bounds(v, axis, len))?;
        }
        return Ok(out);
    }
    let isz = a.itemsize();
    let (inner_shape, inner_strides) = (&a.shape()[axis + 1..], &a.strides()[axis + 1..]);
    if axis == 0 && inner_shape.iter().all(|&d| d == 1) {
        if let ([k], [is]) = (indices.shape(), indices.strides()) {
            // A 1-D index array: ranges of it gather on the pool. Random reads are bound by
            // memory latency (several ns each), so this splits at the compute threshold.
            let (k, is) = (*k, *is);
            if !crate::parallel::should_split(k, crate::parallel::Cost::Compute) {
                // SAFETY: as in the split gather below, for the one range `0..k`.
                let r = unsafe {
                    take_fused(&[k], ip, &[is], indices.dtype(), len, stride, mode, a.data_ptr(), out.data_ptr(), isz)
                };
                r.map_err(|v| out_of_bounds(v, axis, len))?;
                return Ok(out);
            }
            let (ip, src, dst) = (ip as usize, a.data_ptr() as usize, out.data_ptr() as usize);
            let dtype = indices.dtype();
            let results = crate::parallel::map_ranges(k, 64, crate::parallel::Cost::Compute, |start, end| {
                // SAFETY: `start..end` is a range of the checked 1-D index layout; `a`'s
                // axis 0 has `len` elements `stride` bytes apart inside its buffer; the
                // ranges write disjoint parts of the fresh `out`, one element per index.
                unsafe {
                    take_fused(
                        &[end - start],
                        (ip as *const u8).wrapping_offset(start as isize * is),
                        &[is],
                        dtype,
                        len,
                        stride,
                        mode,
                        src as *const u8,
                        (dst as *mut u8).wrapping_add(start * isz),
                        isz,
                    )
                }
            });
            if let Some(Err(v)) = results.into_iter().find(|r| r.is_err()) {
                return Err(out_of_bounds(v, axis, len));
            }
            return Ok(out);
        }
        // SAFETY: the index layout is checked and integer-typed; `a`'s axis 0 has `len`
        // elements `stride` bytes apart inside its buffer; `out` is fresh memory holding one
        // element per index.
        let r = unsafe {
            take_fused(
                indices.shape(),
                ip,
                indices.strides(),
                indices.dtype(),
                len,
                stride,
                mode,
                a.data_ptr(),
                out.data_ptr(),
                isz,
            )
        };
        r.map_err(|v| out_of_bounds(v, axis, len))?;
        return Ok(out);
    }
    // SAFETY: as above for the index layout; `len > 0` since the result is not empty.
    let offsets = unsafe { index_offsets(indices.shape(), ip, indices.strides(), indices.dtype(), len, stride, mode) }
        .map_err(|v| out_of_bounds(v, axis, len))?;
    let block = indices.size() * inner_shape.iter().product::<usize>() * isz;
    for (k, &o) in outer_offsets(a, axis).iter().enumerate() {
        // SAFETY: `o` is a position of `a`'s outer axes and every offset a normalised
        // position along `axis`, so each source subspace lies in `a`'s checked layout;
        // block `k` of the fresh `out` has room for one inner block per index.
        unsafe {
            gather(&offsets, a.data_ptr().offset(o), inner_shape, inner_strides, out.data_ptr().add(k * block), isz)
        };
    }
    Ok(out)
}

/// NumPy's `np.put(a, indices, values, mode)`: `a.flat[indices[k]] = values.flat[k % n]`
/// for every index in C order (last write wins). `values` is converted to `a`'s dtype
/// first; empty `values` write nothing.
///
/// # Errors
/// `Value` for read-only `a`; `Index` in `Raise` mode for an index out of bounds (nothing
/// is written then) and for a non-empty put into an empty array; `Type` for non-integer
/// indices.
pub fn put(a: &Array, indices: &Array, values: &Array, mode: IndexMode) -> Result<()> {
    ensure!(a.is_writable(), Value, "assignment destination is read-only");
    ensure!(
        matches!(indices.dtype().kind(), Kind::Int | Kind::UInt),
        Type,
        "Cannot cast array data from dtype('{}') to dtype('int64') according to the rule 'safe'",
        indices.dtype().repr_spec()
    );
    let n = a.size();
    ensure!(n > 0 || indices.size() == 0, Index, "cannot replace elements of an empty array");
    if values.size() == 0 || indices.size() == 0 {
        return Ok(());
    }
    let isz = a.itemsize();
    // SAFETY: the index layout is checked and integer-typed; `n > 0`.
    let flat =
        unsafe { index_offsets(indices.shape(), indices.data_ptr(), indices.strides(), indices.dtype(), n, 1, mode) }
            .map_err(|v| out_of_bounds(v, 0, n))?;
    // The byte offset of every flat position, in C order.
    let shape = a.shape();
    let to_byte = |mut j: isize| -> isize {
        let mut off = 0isize;
        for k in (0..shape.len()).rev() {
            let d = shape[k] as isize;
            off += (j % d) * a.strides()[k];
            j /= d;
        }
        off
    };
    // A fresh converted copy: never overlaps `a`.
    let vals = values.astype(a.dtype(), Order::C)?;
    let nv = vals.size();
    let (dst, src) = (a.data_ptr(), vals.data_ptr() as *const u8);
    for (k, &j) in flat.iter().enumerate() {
        // SAFETY: `j` is a normalised flat position in `0..n`, so its byte offset is an
        // element of `a`'s checked layout, which is writable; `k % nv` is an element of the
        // fresh `vals`.
        unsafe { std::ptr::copy_nonoverlapping(src.add((k % nv) * isz), dst.offset(to_byte(j)), isz) };
    }
    Ok(())
}

/// The truth value of every element (NumPy's `nonzero` rule) as a new C-ordered bool array
/// of the same shape; a bool array is returned as it is.
///
/// # Errors
/// `Memory` when the result cannot be allocated.
pub fn truth(a: &Array) -> Result<Array> {
    if a.dtype().kind() == Kind::Bool {
        return Ok(a.clone());
    }
    let out = Array::empty(DType::BOOL, a.shape(), Order::C)?;
    // SAFETY: `a`'s layout is checked; `out` is fresh, writable and of the same shape.
    unsafe { select::truth(a.shape(), a.dtype(), a.data_ptr(), a.strides(), out.data_ptr(), out.strides()) };
    Ok(out)
}

/// NumPy's `nonzero` as one block: a new C-ordered int64 array of shape `(count, ndim)`
/// whose row `i` holds the coordinates of the `i`-th true element in C order. NumPy's
/// `nonzero` returns the columns of this block ([`columns`]).
///
/// # Errors
/// `Value` for a 0-d array (NumPy 2's message); `Memory` on allocation failure.
pub fn nonzero_block(a: &Array) -> Result<Array> {
    if a.ndim() == 0 {
        // NumPy adds a hint for boolean conditions.
        let hint = if a.dtype().kind() == Kind::Bool {
            " If the context of this error is of the form `arr[nonzero(cond)]`, just use `arr[cond]`."
        } else {
            ""
        };
        bail!(Value, "Calling nonzero on 0d arrays is not allowed. Use np.atleast_1d(scalar).nonzero() instead.{hint}");
    }
    let mask = truth(a)?;
    // SAFETY: the mask layout is checked.
    let count = unsafe { crate::kernels::mask::count_true(mask.shape(), mask.data_ptr(), mask.strides()) };
    let nd = a.ndim();
    // One row of slack for the branch-free 1-D loop.
    let block = Array::empty(DType::INT64, &[count + 1, nd], Order::C)?;
    let out = block.data_ptr().cast::<i64>();
    let shape = mask.shape();
    let mut flat = 0usize;
    let mut written = 0usize;
    // SAFETY: the walk reads the mask's checked layout; the block holds `count + 1` rows
    // and at most `count` true elements advance `written`, so every write (also the
    // unconditional one of the 1-D loop) lands inside it.
    unsafe {
        crate::strided::for_each_c_order(shape, [mask.data_ptr()], [mask.strides()], |p, s, m| {
            if nd == 1 {
                for i in 0..m {
                    out.add(written).write_unaligned((flat + i) as i64);
                    written += (*p[0].offset(i as isize * s[0]) != 0) as usize;
                }
                flat += m;
                return;
            }
            // The walk may merge and drop axes, so coordinates come from the flat position.
            for i in 0..m {
                if *p[0].offset(i as isize * s[0]) != 0 {
                    let mut f = flat + i;
                    for k in (0..nd).rev() {
                        out.add(written * nd + k).write_unaligned((f % shape[k]) as i64);
                        f /= shape[k];
                    }
                    written += 1;
                }
            }
            flat += m;
        })
    };
    debug_assert_eq!(written, count);
    let layout = Layout::try_new(&[count, nd], &[8 * nd as isize, 8], 0, 8, block.buffer().len())?;
    // SAFETY: `layout` was checked against the block's buffer just above.
    Ok(unsafe { block.view_unchecked(DType::INT64, layout) })
}

/// The columns of a 2-D array as 1-D views.
pub fn columns(block: &Array) -> Result<Vec<Array>> {
    ensure!(block.ndim() == 2, Value, "columns needs a 2-D array");
    (0..block.shape()[1])
        .map(|k| {
            let (n, s) = (block.shape()[0], block.strides()[0]);
            let offset = block.layout().offset() as isize + k as isize * block.strides()[1];
            let layout = Layout::try_new(&[n], &[s], offset.max(0) as usize, block.itemsize(), block.buffer().len())?;
            // SAFETY: `layout` was checked against the buffer just above.
            Ok(unsafe { block.view_unchecked(block.dtype(), layout) })
        })
        .collect()
}

/// NumPy's `nonzero`: for each axis, an int64 array of the coordinates of the true
/// elements, in C order (the columns of [`nonzero_block`]).
///
/// # Errors
/// As for [`nonzero_block`].
pub fn nonzero(a: &Array) -> Result<Vec<Array>> {
    columns(&nonzero_block(a)?)
}

/// NumPy's `np.copyto(dst, src, casting, where=mask)`: `src` (broadcast to `dst`'s shape,
/// converted to its dtype) is written into `dst` where `mask` (a bool array broadcast to
/// `dst`'s shape) is true, everywhere when `mask` is `None`.
///
/// # Errors
/// `Type` with NumPy's message when `casting` refuses the cast; `Value` for read-only `dst`
/// or shapes that do not broadcast; `Type` for a non-bool mask.
pub fn copyto(dst: &Array, src: &Array, casting: Casting, mask: Option<&Array>) -> Result<()> {
    ensure!(dst.is_writable(), Value, "assignment destination is read-only");
    if !can_cast(src.dtype(), dst.dtype(), casting) {
        return Err(cast_error(src.dtype(), dst.dtype(), casting));
    }
    let broadcast = |x: &Array, what: &str| -> Result<Layout> {
        // Like NumPy, extra leading length-1 axes are dropped.
        let extra = x.ndim().saturating_sub(dst.ndim());
        let layout = if extra > 0 && x.shape()[..extra].iter().all(|&d| d == 1) {
            // SAFETY: dropping length-1 axes keeps exactly the same elements.
            unsafe {
                Layout::new_unchecked(x.shape()[extra..].into(), x.strides()[extra..].into(), x.layout().offset())
            }
        } else {
            x.layout().clone()
        };
        layout.broadcast_to(dst.shape()).map_err(|_| {
            crate::error::Error::Value(format!(
                "could not broadcast {what} from shape {} into shape {}",
                shape_str(x.shape()),
                shape_str(dst.shape())
            ))
        })
    };
    let Some(mask) = mask else {
        broadcast(src, "input array")?;
        return dst.assign(src);
    };
    ensure!(
        mask.dtype().kind() == Kind::Bool,
        Type,
        "Cannot cast array data from dtype('{}') to dtype('bool') according to the rule 'safe'",
        mask.dtype().repr_spec()
    );
    let src_layout = broadcast(src, "input array")?;
    let mask_layout = broadcast(mask, "where")?;
    // SAFETY: broadcasting keeps the layouts inside their buffers.
    let (mut src, mut mask) =
        unsafe { (src.view_unchecked(src.dtype(), src_layout), mask.view_unchecked(DType::BOOL, mask_layout)) };
    if src.dtype() != dst.dtype() || (dst.overlaps(&src) && src.layout() != dst.layout()) {
        let tmp = Array::empty(dst.dtype(), dst.shape(), Order::C)?;
        tmp.assign(&src)?;
        src = tmp;
    }
    if dst.overlaps(&mask) {
        mask = mask.copy(Order::C)?;
    }
    // SAFETY: all three layouts are checked over `dst`'s shape and `dst` is writable; a
    // source or mask that could overlap `dst` was copied above (an identical layout is
    // allowed: it writes each element onto itself).
    unsafe {
        select::copy_where(
            dst.shape(),
            dst.data_ptr(),
            dst.strides(),
            src.data_ptr(),
            src.strides(),
            mask.data_ptr(),
            mask.strides(),
            dst.itemsize(),
        )
    };
    Ok(())
}

/// NumPy's `np.repeat(a, repeats, axis)`: each element (sub-array along `axis`; of the
/// flattened array when `None`) repeated `repeats[k]` times, or `repeats[0]` times each
/// when one count is given. A new C-ordered array.
///
/// # Errors
/// `Value` with NumPy's message when the counts do not match the axis; `Memory` on
/// allocation failure.
pub fn repeat(a: &Array, repeats: &[usize], axis: Option<usize>) -> Result<Array> {
    let (a, axis) = match axis {
        Some(ax) if a.ndim() > 0 => (a.clone(), ax),
        _ => (a.reshape(&[-1], Order::C)?.0, 0),
    };
    ensure!(axis < a.ndim(), Value, "axis {axis} is out of bounds for array of dimension {}", a.ndim());
    let n = a.shape()[axis];
    let reps: Vec<usize> = match repeats {
        [r] => vec![*r; n],
        _ => {
            ensure!(
                repeats.len() == n,
                Value,
                "operands could not be broadcast together with shape ({n},) ({},)",
                repeats.len()
            );
            repeats.to_vec()
        }
    };
    let total = reps.iter().try_fold(0usize, |acc, &r| acc.checked_add(r));
    let Some(total) = total else { bail!(Memory, "repeat result too large") };
    let mut shape: Shape = a.shape().into();
    shape[axis] = total;
    let out = Array::empty(a.dtype(), &shape, Order::C)?;
    if out.size() == 0 {
        return Ok(out);
    }
    let outer = outer_offsets(&a, axis);
    // SAFETY: every outer offset and every `k < n` along `axis` address blocks of `a`'s
    // checked layout; `out` is fresh and holds exactly the repeated blocks.
    unsafe {
        select::repeat(
            a.data_ptr(),
            &outer,
            a.strides()[axis],
            &reps,
            &a.shape()[axis + 1..],
            &a.strides()[axis + 1..],
            out.data_ptr(),
            a.itemsize(),
        )
    };
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::Scalar;

    fn ints(values: &[i64]) -> Array {
        let a = Array::zeros(DType::INT64, &[values.len()], Order::C).unwrap();
        for (i, &v) in values.iter().enumerate() {
            let p = a.element_ptr(&[i]).unwrap();
            // SAFETY: `p` is an element of `a`, which nothing else references.
            unsafe { Scalar::Int(v).write(p, DType::INT64) };
        }
        a
    }

    fn values(a: &Array) -> Vec<i64> {
        a.to_scalars().iter().map(|s| s.as_i64()).collect()
    }

    #[test]
    fn take_modes() {
        let a = ints(&[10, 11, 12]);
        let i = ints(&[-1, 3, 5, -4]);
        assert_eq!(values(&take(&a, &i, None, IndexMode::Wrap).unwrap()), vec![12, 10, 12, 12]);
        assert_eq!(values(&take(&a, &i, None, IndexMode::Clip).unwrap()), vec![10, 12, 12, 10]);
        let e = take(&a, &i, None, IndexMode::Raise).unwrap_err();
        assert_eq!(e, crate::error::Error::Index("index 3 is out of bounds for axis 0 with size 3".into()));
    }

    #[test]
    fn put_checks_before_writing() {
        let a = ints(&[0, 0, 0]);
        assert!(put(&a, &ints(&[0, 7]), &ints(&[5]), IndexMode::Raise).is_err());
        assert_eq!(values(&a), vec![0, 0, 0]);
        put(&a, &ints(&[0, 2, -1]), &ints(&[5, 6, 7]), IndexMode::Raise).unwrap();
        assert_eq!(values(&a), vec![5, 0, 7]);
    }

    #[test]
    fn nonzero_and_repeat() {
        let a = ints(&[0, 3, 0, 4]);
        assert_eq!(values(&nonzero(&a).unwrap()[0]), vec![1, 3]);
        assert_eq!(values(&repeat(&a, &[2], None).unwrap()), vec![0, 0, 3, 3, 0, 0, 4, 4]);
        assert_eq!(values(&repeat(&a, &[0, 1, 0, 2], Some(0)).unwrap()), vec![3, 4, 4]);
    }
}
