//! Advanced ("fancy") indexing: integer and boolean index arrays mixed with basic items,
//! with NumPy 2's rules for broadcasting the index arrays, placing their dimensions, and the
//! memory layout of the result.
//!
//! The work is split in two: [`plan`] validates the whole key (item types, bounds,
//! broadcasting) and turns it into a basic view `V`, a list of byte offsets into `V` (one per
//! element of the broadcast index shape, bounds-checked) and the subspace of `V`'s
//! non-indexed axes. [`take`] then gathers and [`put`] scatters; neither can fail half-way,
//! so a failed assignment writes nothing.
//!
//! Where the indexed dimensions land (NumPy's rule): integers count as advanced items once
//! any index array is present. When all advanced items are adjacent in the key, the broadcast
//! index dimensions replace them in place; when a slice, `None` or `...` separates them, they
//! come first.

use smallvec::SmallVec;

use crate::array::Array;
use crate::buffer::Buffer;
use crate::dtype::{DType, Kind};
use crate::error::{Error, Result};
use crate::index::{basic_index, normalize_index, IndexItem};
use crate::kernels::take::{accumulate_offsets, gather, scatter, take_fused, IndexMode};
use crate::layout::{iterator_order, shape_str, Layout, Order, Shape, Strides};
use crate::{bail, ensure};

/// One item of an index that may hold index arrays.
#[derive(Clone, Debug)]
pub enum AdvancedItem {
    /// An integer, slice, `...` or `None`.
    Basic(IndexItem),
    /// An integer (any width and byte order) or boolean array of any shape. A 0-d integer
    /// array is an index array of shape `()`; a 0-d boolean adds an axis of length 1 (true)
    /// or 0 (false).
    Array(Array),
}

/// True when the key must be handled as an advanced index on an array of `ndim` axes: it
/// holds an index array, unless it is a full integer index whose arrays are all 0-d
/// integers (NumPy reads that as an element, not a copy).
pub fn is_advanced(items: &[AdvancedItem], ndim: usize) -> bool {
    let arrays = items.iter().any(|i| matches!(i, AdvancedItem::Array(_)));
    let integer = |i: &AdvancedItem| match i {
        AdvancedItem::Basic(b) => matches!(b, IndexItem::Int(_)),
        AdvancedItem::Array(a) => a.ndim() == 0 && is_int(a.dtype()),
    };
    arrays && !(items.len() == ndim && items.iter().all(integer))
}

fn is_int(d: DType) -> bool {
    matches!(d.kind(), Kind::Int | Kind::UInt)
}

/// The validated form of an advanced index.
struct Plan {
    /// The basic view that the index arrays select from.
    view: Array,
    /// The index arrays and their walks over the broadcast index shape (in the result's
    /// memory order), with the number of elements of that shape.
    selectors: Vec<Selector>,
    walks: Vec<Layout>,
    count: usize,
    /// Shape and byte strides of `view`'s axes that no index array selects.
    sub_shape: Shape,
    sub_strides: Strides,
    /// Shape of the result's memory block: the (possibly permuted) index shape, then the
    /// subspace, densely in C order.
    mem_shape: Shape,
    /// For each result axis, the axis of the memory block it is.
    result_axes: Vec<usize>,
}

impl Plan {
    /// Byte offsets from the view's first element, one per element of the broadcast index
    /// shape in the result's memory order; every index is bounds-checked in this one pass
    /// per index array, before anything is copied.
    fn offsets(&self) -> Result<Vec<isize>> {
        let mut offsets = vec![0isize; self.count];
        // With nothing selected NumPy checks no index (0-d ones were checked with the integers).
        if self.count == 0 {
            return Ok(offsets);
        }
        for (sel, walk) in self.selectors.iter().zip(&self.walks) {
            let len = self.view.shape()[sel.view_axis];
            let stride = self.view.strides()[sel.view_axis];
            let base = sel.array.buffer().as_ptr().wrapping_add(walk.offset()) as *const u8;
            // SAFETY: `walk` is a broadcast and permutation of the index array's checked
            // layout, so it reaches only elements of its buffer; the dtype is an integer
            // dtype (checked in `plan`) and `offsets` has one entry per element of the shape.
            let r = unsafe {
                accumulate_offsets(walk.shape(), base, walk.strides(), sel.array.dtype(), len, stride, &mut offsets)
            };
            if let Err(v) = r {
                bail!(Index, "index {} is out of bounds for axis {} with size {}", v, sel.array_axis, len);
            }
        }
        Ok(offsets)
    }

    fn result_shape(&self) -> Shape {
        self.result_axes.iter().map(|&m| self.mem_shape[m]).collect()
    }

    /// A fresh array laid out as the result is (C-ordered memory block, axes moved).
    fn alloc(&self, dtype: DType) -> Result<Array> {
        // Every element is written by `take` (or by `assign` in `put`).
        let block = Array::empty(dtype, &self.mem_shape, Order::C)?;
        let strides: Strides = self.result_axes.iter().map(|&m| block.strides()[m]).collect();
        // SAFETY: the result axes are a permutation of the block's axes, so the view reaches
        // exactly the block's bytes.
        let layout = unsafe { Layout::new_unchecked(self.result_shape(), strides, 0) };
        // SAFETY: see above.
        Ok(unsafe { block.view_unchecked(dtype, layout) })
    }
}

/// An index array bound to the axis of the view it selects along.
struct Selector {
    array: Array,
    /// Axis of the basic view.
    view_axis: usize,
    /// Axis of the indexed array (for error messages).
    array_axis: usize,
}

fn full_slice() -> IndexItem {
    IndexItem::Slice { start: None, stop: None, step: None }
}

fn too_many(nd: usize, consumed: usize) -> Error {
    Error::Index(format!("too many indices for array: array is {nd}-dimensional, but {consumed} were indexed"))
}

/// A new native int64 1-D array holding `values`.
fn intp_array(values: &[i64]) -> Result<Array> {
    let bytes: Vec<u8> = values.iter().flat_map(|v| v.to_ne_bytes()).collect();
    Array::try_new(Buffer::from_bytes(&bytes)?, DType::INT64, &[values.len()], &[8], 0)
}

/// The coordinates of the true elements of a boolean array, one vector per axis (`nonzero`).
fn nonzero(mask: &Array) -> Result<Vec<Vec<i64>>> {
    let bytes = mask.to_bytes(Order::C)?;
    let shape = mask.shape();
    let mut out: Vec<Vec<i64>> = vec![Vec::new(); shape.len()];
    let mut idx = vec![0usize; shape.len()];
    for &b in &bytes {
        if b != 0 {
            for (o, &i) in out.iter_mut().zip(&idx) {
                o.push(i as i64);
            }
        }
        for k in (0..shape.len()).rev() {
            idx[k] += 1;
            if idx[k] < shape[k] {
                break;
            }
            idx[k] = 0;
        }
    }
    Ok(out)
}

/// Validates an advanced index against `a` and plans the selection.
fn plan(a: &Array, items: &[AdvancedItem]) -> Result<Plan> {
    let nd = a.ndim();
    let ellipses = items.iter().filter(|i| matches!(i, AdvancedItem::Basic(IndexItem::Ellipsis))).count();
    ensure!(ellipses <= 1, Index, "an index can only have a single ellipsis ('...')");
    let consumed: usize = items
        .iter()
        .map(|i| match i {
            AdvancedItem::Basic(IndexItem::Int(_) | IndexItem::Slice { .. }) => 1,
            AdvancedItem::Basic(_) => 0,
            AdvancedItem::Array(x) if x.dtype().kind() == Kind::Bool => x.ndim(),
            AdvancedItem::Array(_) => 1,
        })
        .sum();
    if consumed > nd {
        return Err(too_many(nd, consumed));
    }

    // Turn the key into basic items for the view plus selectors on the view's axes.
    let mut basic: Vec<IndexItem> = Vec::with_capacity(items.len());
    let mut selectors: Vec<Selector> = Vec::new();
    // Positions (in the key) of advanced items, and the view axes before the first one.
    let mut adv_positions: Vec<usize> = Vec::new();
    let mut first_adv_view_axis = None;
    let (mut view_axis, mut array_axis) = (0usize, 0usize);
    let mut int_checks: Vec<(isize, usize)> = Vec::new();
    for (pos, item) in items.iter().enumerate() {
        let mut mark = |view_axis: usize| {
            adv_positions.push(pos);
            first_adv_view_axis.get_or_insert(view_axis);
        };
        match item {
            AdvancedItem::Basic(b @ IndexItem::Int(i)) => {
                int_checks.push((*i, array_axis));
                mark(view_axis);
                basic.push(*b);
                array_axis += 1;
            }
            AdvancedItem::Basic(b @ IndexItem::Slice { .. }) => {
                basic.push(*b);
                view_axis += 1;
                array_axis += 1;
            }
            AdvancedItem::Basic(IndexItem::NewAxis) => {
                basic.push(IndexItem::NewAxis);
                view_axis += 1;
            }
            AdvancedItem::Basic(IndexItem::Ellipsis) => {
                basic.push(IndexItem::Ellipsis);
                view_axis += nd - consumed;
                array_axis += nd - consumed;
            }
            AdvancedItem::Array(x) if x.dtype().kind() == Kind::Bool && x.ndim() == 0 => {
                // A new axis of length 1, selected by [0] (true) or [] (false).
                mark(view_axis);
                basic.push(IndexItem::NewAxis);
                let sel = if x.get(&[])?.is_truthy() { intp_array(&[0])? } else { intp_array(&[])? };
                selectors.push(Selector { array: sel, view_axis, array_axis });
                view_axis += 1;
            }
            AdvancedItem::Array(x) if x.dtype().kind() == Kind::Bool => {
                mark(view_axis);
                for (k, &m) in x.shape().iter().enumerate() {
                    let d = a.shape()[array_axis + k];
                    // NumPy lets an empty boolean axis stand for an axis of any length.
                    ensure!(
                        m == d || m == 0,
                        Index,
                        "boolean index did not match indexed array along axis {}; size of axis is {} but size of corresponding boolean axis is {}",
                        array_axis + k,
                        d,
                        m
                    );
                }
                for (k, coords) in nonzero(x)?.into_iter().enumerate() {
                    selectors.push(Selector {
                        array: intp_array(&coords)?,
                        view_axis: view_axis + k,
                        array_axis: array_axis + k,
                    });
                    basic.push(full_slice());
                }
                view_axis += x.ndim();
                array_axis += x.ndim();
            }
            AdvancedItem::Array(x) if is_int(x.dtype()) => {
                if x.ndim() == 0 {
                    int_checks.push((x.get(&[])?.as_i64() as isize, array_axis));
                }
                mark(view_axis);
                basic.push(full_slice());
                selectors.push(Selector { array: x.clone(), view_axis, array_axis });
                view_axis += 1;
                array_axis += 1;
            }
            AdvancedItem::Array(_) => bail!(Index, "arrays used as indices must be of integer (or boolean) type"),
        }
    }
    // As in NumPy, integers and 0-d index arrays are checked after the boolean shapes, in
    // key order, and before the index arrays are broadcast.
    for (i, axis) in int_checks {
        normalize_index(i, a.shape()[axis], axis)?;
    }
    let view = basic_index(a, &basic)?;

    // Broadcast the index arrays together.
    let shapes: Vec<&[usize]> = selectors.iter().map(|s| s.array.shape()).collect();
    let bshape = crate::layout::broadcast_shapes(&shapes).map_err(|_| {
        // NumPy leaves 0-d index arrays out of the list.
        let list: Vec<String> = shapes.iter().filter(|s| !s.is_empty()).map(|s| shape_str(s)).collect();
        Error::Index(format!(
            "shape mismatch: indexing arrays could not be broadcast together with shapes {} ",
            list.join(" ")
        ))
    })?;
    let layouts: Vec<Layout> =
        selectors.iter().map(|s| s.array.layout().broadcast_to(&bshape)).collect::<Result<_>>()?;

    // The subspace: the view's axes no selector takes.
    let selected: Vec<usize> = selectors.iter().map(|s| s.view_axis).collect();
    let mut sub_shape: Shape = SmallVec::new();
    let mut sub_strides: Strides = SmallVec::new();
    for k in (0..view.ndim()).filter(|k| !selected.contains(k)) {
        sub_shape.push(view.shape()[k]);
        sub_strides.push(view.strides()[k]);
    }

    // Memory order of the index dimensions: NumPy keeps the index arrays' order only when
    // there is no subspace.
    let bn = bshape.len();
    let perm: Vec<usize> = if sub_shape.is_empty() && bn > 1 {
        let strides: Vec<Strides> = layouts.iter().map(|l| l.strides().into()).collect();
        iterator_order(bn, &strides)
    } else {
        (0..bn).collect()
    };

    // Each index array's walk over the broadcast shape, in the result's memory order.
    let walks: Vec<Layout> = layouts.iter().map(|l| l.permuted(&perm)).collect::<Result<_>>()?;
    let count: usize = bshape.iter().product();

    // Result axes: the index dimensions in place when the advanced items were adjacent,
    // else first.
    let adjacent = match (adv_positions.first(), adv_positions.last()) {
        (Some(&f), Some(&l)) => l - f + 1 == adv_positions.len(),
        _ => true,
    };
    let first = first_adv_view_axis.unwrap_or(0);
    let before = if adjacent { (0..first).filter(|k| !selected.contains(k)).count() } else { 0 };
    // The subspace keeps the view's memory order (NumPy's `K`), after the index dimensions.
    let sn = sub_shape.len();
    let sub_perm: Vec<usize> =
        if sn > 1 { iterator_order(sn, std::slice::from_ref(&sub_strides)) } else { (0..sn).collect() };
    let inverse = |perm: &[usize]| {
        let mut inv = vec![0usize; perm.len()];
        for (m, &b) in perm.iter().enumerate() {
            inv[b] = m;
        }
        inv
    };
    let (inv, sub_inv) = (inverse(&perm), inverse(&sub_perm));
    let mut result_axes: Vec<usize> = sub_inv[..before].iter().map(|&m| bn + m).collect();
    result_axes.extend(inv.iter().copied());
    result_axes.extend(sub_inv[before..].iter().map(|&m| bn + m));
    let mut mem_shape: Shape = perm.iter().map(|&b| bshape[b]).collect();
    mem_shape.extend(sub_perm.iter().map(|&k| sub_shape[k]));
    let sub_shape: Shape = sub_perm.iter().map(|&k| sub_shape[k]).collect();
    let sub_strides: Strides = sub_perm.iter().map(|&k| sub_strides[k]).collect();
    Ok(Plan { view, selectors, walks, count, sub_shape, sub_strides, mem_shape, result_axes })
}

/// `a[key]` for a key with index arrays: a new array that owns its data.
///
/// # Errors
/// `Index` with NumPy's messages for out-of-bounds indices, index arrays that cannot be
/// broadcast together, non-integer index arrays, boolean shapes that do not match and too
/// many indices; `Value` for a zero slice step; `Memory` when the result cannot be allocated.
///
/// ```
/// use rawarray_core::{array::Array, dtype::DType, layout::Order};
/// use rawarray_core::index::advanced::{take, AdvancedItem};
/// use rawarray_core::index::IndexItem;
/// let a = Array::zeros(DType::FLOAT64, &[3, 4], Order::C).unwrap();
/// let rows = Array::zeros(DType::INT64, &[2], Order::C).unwrap();
/// let full = IndexItem::Slice { start: None, stop: None, step: None };
/// let r = take(&a, &[AdvancedItem::Basic(full), AdvancedItem::Array(rows)]).unwrap();
/// assert_eq!(r.shape(), &[3, 2]);
/// assert_eq!(r.strides(), &[8, 24]); // NumPy's layout: index dimensions first in memory
/// ```
pub fn take(a: &Array, items: &[AdvancedItem]) -> Result<Array> {
    // `a[idx]` with one 1-D integer index array on a 1-D array is `take(a, idx)`, whose
    // gather is split across the pool (same result, same bounds errors; an empty axis keeps
    // the indexing message).
    if let ([AdvancedItem::Array(ix)], 1) = (items, a.ndim()) {
        if ix.ndim() == 1 && a.size() > 0 && matches!(ix.dtype().kind(), Kind::Int | Kind::UInt) {
            return crate::index::functions::take(a, ix, Some(0), IndexMode::Raise);
        }
    }
    let plan = plan(a, items)?;
    if let ([sel], [walk], true) = (plan.selectors.as_slice(), plan.walks.as_slice(), plan.sub_shape.is_empty()) {
        // One index array and no subspace: a direct typed gather that checks each block of
        // indices just before gathering it (the index array is read once), no offset vector.
        let out = plan.alloc(a.dtype())?;
        let (len, stride) = (plan.view.shape()[sel.view_axis], plan.view.strides()[sel.view_axis]);
        let base = sel.array.buffer().as_ptr().wrapping_add(walk.offset()) as *const u8;
        // SAFETY: `walk` is a broadcast and permutation of the index array's checked layout
        // over an integer dtype; `view`'s axis has `len` elements `stride` bytes apart inside
        // `a`'s buffer; `out` is fresh memory with one element per index, in walk order (a
        // failed check leaves it partly written, and it is dropped).
        let r = unsafe {
            take_fused(
                walk.shape(),
                base,
                walk.strides(),
                sel.array.dtype(),
                len,
                stride,
                IndexMode::Raise,
                plan.view.data_ptr(),
                out.buffer().as_ptr(),
                a.itemsize(),
            )
        };
        if let Err(v) = r {
            bail!(Index, "index {} is out of bounds for axis {} with size {}", v, sel.array_axis, len);
        }
        return Ok(out);
    }
    let offsets = plan.offsets()?;
    let out = plan.alloc(a.dtype())?;
    // SAFETY: every offset was bounds-checked against the view's axes in `plan`, and the
    // subspace layout is the view's own (checked) layout on the other axes, so each source
    // address is an element of `a`'s buffer. `out` is fresh memory holding `mem_shape`
    // densely, one subspace block per offset.
    unsafe { gather(&offsets, plan.view.data_ptr(), &plan.sub_shape, &plan.sub_strides, out.data_ptr(), a.itemsize()) };
    Ok(out)
}

/// `a[key] = src` for a key with index arrays: `src` (any dtype, converted as `astype`
/// does) is broadcast to the indexed shape and written in place; for repeated indices the
/// last write wins. The whole key and the broadcast are checked before anything is
/// written, and `src` is copied first, so an overlapping source reads the old values.
///
/// # Errors
/// As for [`take`]; `Value` for read-only memory or a `src` that cannot be broadcast to the
/// indexed shape (NumPy's "shape mismatch" message).
pub fn put(a: &Array, items: &[AdvancedItem], src: &Array) -> Result<()> {
    ensure!(a.is_writable(), Value, "assignment destination is read-only");
    let plan = plan(a, items)?;
    let shape = plan.result_shape();
    // Like NumPy, extra leading length-1 axes of the value are dropped.
    let extra = src.ndim().saturating_sub(shape.len());
    let src_shape = &src.shape()[extra.min(src.ndim())..];
    let fits = src.shape()[..extra].iter().all(|&d| d == 1)
        && src_shape.iter().rev().zip(shape.iter().rev()).all(|(&s, &d)| s == d || s == 1);
    ensure!(
        fits,
        Value,
        "shape mismatch: value array of shape {} could not be broadcast to indexing result of shape {}",
        shape_str(src.shape()),
        shape_str(&shape)
    );
    let offsets = plan.offsets()?;
    // The value converted to this dtype in fresh memory: one element when it is a single
    // value (written at every position), else laid out as the result would be.
    let repeat = src.size() == 1 && plan.sub_shape.iter().all(|&d| d == 1);
    let tmp = if repeat { Array::zeros(a.dtype(), &[], Order::C)? } else { plan.alloc(a.dtype())? };
    tmp.assign(src)?;
    // SAFETY: as in `take`, every destination address is a checked element of `a`'s
    // buffer, which is writable (checked above); `tmp` is fresh memory laid out densely
    // as `mem_shape` (or one element, with `repeat`, for a subspace of one element), so it
    // does not overlap the destination.
    unsafe {
        scatter(
            &offsets,
            plan.view.data_ptr(),
            &plan.sub_shape,
            &plan.sub_strides,
            tmp.buffer().as_ptr(),
            a.itemsize(),
            repeat,
        )
    };
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::Scalar;

    fn arange(shape: &[usize]) -> Array {
        let n: usize = shape.iter().product();
        let a = Array::zeros(DType::INT64, &[n], Order::C).unwrap();
        for i in 0..n {
            let p = a.element_ptr(&[i]).unwrap();
            // SAFETY: `p` is an element of `a`, which nothing else references.
            unsafe { Scalar::Int(i as i64).write(p, DType::INT64) };
        }
        let dims: Vec<isize> = shape.iter().map(|&d| d as isize).collect();
        a.reshape(&dims, Order::C).unwrap().0
    }

    fn ints(a: &Array) -> Vec<i64> {
        a.to_scalars().iter().map(|s| s.as_i64()).collect()
    }

    fn idx(v: &[i64]) -> AdvancedItem {
        AdvancedItem::Array(intp_array(v).unwrap())
    }

    const ALL: AdvancedItem = AdvancedItem::Basic(IndexItem::Slice { start: None, stop: None, step: None });

    #[test]
    fn adjacent_and_separated_placement() {
        let b = arange(&[2, 3, 4]);
        let r = take(&b, &[ALL, idx(&[0, 2]), idx(&[1, 3])]).unwrap();
        assert_eq!(r.shape(), &[2, 2]);
        assert_eq!(ints(&r), vec![1, 11, 13, 23]);
        let r = take(&b, &[idx(&[0, 1]), ALL, idx(&[0, 1])]).unwrap();
        assert_eq!(r.shape(), &[2, 3]);
        let r = take(&b, &[AdvancedItem::Basic(IndexItem::Int(1)), ALL, idx(&[0, 1])]).unwrap();
        assert_eq!(r.shape(), &[2, 3]);
        assert_eq!(ints(&r), vec![12, 16, 20, 13, 17, 21]);
    }

    #[test]
    fn errors_match_numpy_text() {
        let a = arange(&[3, 4]);
        let e = take(&a, &[idx(&[0, 5])]).unwrap_err();
        assert_eq!(e, Error::Index("index 5 is out of bounds for axis 0 with size 3".into()));
        let e = take(&a, &[idx(&[0, 1]), idx(&[0, 1, 2])]).unwrap_err();
        assert_eq!(
            e,
            Error::Index(
                "shape mismatch: indexing arrays could not be broadcast together with shapes (2,) (3,) ".into()
            )
        );
    }

    #[test]
    fn put_last_write_wins_and_checks_first() {
        let a = arange(&[4]);
        let v = arange(&[3]);
        put(&a, &[idx(&[1, 1, 3])], &v).unwrap();
        assert_eq!(ints(&a), vec![0, 1, 2, 2]);
        assert!(put(&a, &[idx(&[0, 9])], &v.reshape(&[3], Order::C).unwrap().0).is_err());
        assert!(put(&a, &[idx(&[0, 1])], &v).is_err());
        assert_eq!(ints(&a), vec![0, 1, 2, 2]);
    }
}
