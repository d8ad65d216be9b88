//! Byte-strided layouts: the shape, strides and offset of an array inside its buffer.
//!
//! Invariant: a `Layout` from [`Layout::try_new`] (or from a method that derives one from
//! a checked layout) only reaches bytes in `0..buffer_len`: for every index `i` with
//! `i[k] < shape[k]`, `offset + Σ i[k]·strides[k]` and the `itemsize` bytes after it lie
//! inside the buffer. The element count fits in `isize`.

use smallvec::SmallVec;

use crate::bail;
use crate::error::Result;

/// Dimensions (elements per axis).
pub type Shape = SmallVec<[usize; 4]>;
/// Byte strides per axis (signed).
pub type Strides = SmallVec<[isize; 4]>;

/// Memory order of a new or copied array.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Order {
    /// Row-major: the last index varies fastest.
    C,
    /// Column-major: the first index varies fastest.
    F,
}

/// Shape, byte strides and byte offset of an array's first element.
#[derive(Debug, PartialEq, Eq)]
pub struct Layout {
    shape: Shape,
    strides: Strides,
    offset: usize,
}

impl Clone for Layout {
    /// Copies the axes through [`axes_from`] (`SmallVec`'s own `clone` goes element by
    /// element through an iterator, which shows in the per-call cost of small operations).
    #[inline(always)]
    fn clone(&self) -> Layout {
        let n = self.shape.len();
        Layout {
            shape: axes_from(n, |k| self.shape[k]),
            strides: axes_from(n, |k| self.strides[k]),
            offset: self.offset,
        }
    }
}

/// The axis values `at(0), ..., at(n - 1)`. Up to four are gathered in a local array
/// that becomes the inline storage, with neither a `memcpy` call nor a length check per
/// element: a view's layout is built on every `a.T` or `a[1:3]`, and its cost shows there.
#[inline(always)]
fn axes_from<T: Copy + Default>(n: usize, at: impl Fn(usize) -> T) -> SmallVec<[T; 4]> {
    if n <= 4 {
        // Four separate values rather than a loop over a local array: they stay in
        // registers and are stored once, where the layout ends up. A local array written one
        // axis at a time and then moved whole is read back with wider loads than the stores
        // that wrote it, which stalls on store forwarding (about 15 cycles per layout).
        let get = |k: usize| if k < n { at(k) } else { T::default() };
        SmallVec::from_buf_and_len([get(0), get(1), get(2), get(3)], n)
    } else {
        axes_from_many(n, &at)
    }
}

/// [`axes_from`] for more than four axes: out of line, so that the common case stays small
/// enough to inline into the view builders.
#[cold]
#[inline(never)]
fn axes_from_many<T: Copy + Default>(n: usize, at: &dyn Fn(usize) -> T) -> SmallVec<[T; 4]> {
    (0..n).map(at).collect()
}

/// The number of elements of `shape`, or `None` if it overflows `isize`.
pub fn checked_size(shape: &[usize]) -> Option<usize> {
    shape.iter().try_fold(1usize, |acc, &d| acc.checked_mul(d)).filter(|&n| n <= isize::MAX as usize)
}

/// The lowest and one-past-highest byte reached relative to the first element, or `None`
/// for an empty array or on overflow. `Some(Err(()))` is never produced: overflow is `Err`.
fn extent(shape: &[usize], strides: &[isize], itemsize: usize) -> std::result::Result<Option<(isize, isize)>, ()> {
    if shape.contains(&0) {
        return Ok(None);
    }
    let mut lo: isize = 0;
    let mut hi: isize = isize::try_from(itemsize).map_err(|_| ())?;
    for (&d, &s) in shape.iter().zip(strides) {
        let last = isize::try_from(d - 1).map_err(|_| ())?;
        let reach = last.checked_mul(s).ok_or(())?;
        if reach < 0 {
            lo = lo.checked_add(reach).ok_or(())?;
        } else {
            hi = hi.checked_add(reach).ok_or(())?;
        }
    }
    Ok(Some((lo, hi)))
}

/// C- or F-order strides for `shape` with items of `itemsize` bytes.
///
/// # Errors
/// `Value` when the total byte size overflows `isize`.
pub fn contiguous_strides(shape: &[usize], itemsize: usize, order: Order) -> Result<Strides> {
    contiguous_parts(shape, itemsize, order).map(|(strides, _)| strides)
}

/// NumPy's error for an array whose byte size overflows `isize`.
pub(crate) fn too_big() -> crate::error::Error {
    crate::error::Error::Value(
        "array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size.".into(),
    )
}

/// [`contiguous_strides`] and the byte size of the elements (zero when an axis is empty), in
/// one pass.
#[inline]
fn contiguous_parts(shape: &[usize], itemsize: usize, order: Order) -> Result<(Strides, usize)> {
    let n = shape.len();
    let mut strides: Strides = SmallVec::from_elem(0, n);
    // Bytes spanned by the axes inside the current one; an empty axis counts as length 1,
    // so `step` never decreases and bounds every stride and the true byte size.
    let mut step = Some(itemsize);
    let mut empty = false;
    for i in 0..n {
        let k = match order {
            Order::C => n - 1 - i,
            Order::F => i,
        };
        let Some(s) = step else { break };
        strides[k] = s as isize;
        empty |= shape[k] == 0;
        step = s.checked_mul(shape[k].max(1));
    }
    match step.filter(|&s| s <= isize::MAX as usize) {
        // Every stride is at most the final `step`, so the casts above kept their values.
        Some(s) => Ok((strides, if empty { 0 } else { s })),
        None => Err(too_big()),
    }
}

impl Layout {
    /// Validates a layout against a buffer of `buffer_len` bytes.
    ///
    /// # Errors
    /// `Value` when shape and strides differ in length, the element count overflows, or any
    /// reachable byte lies outside `0..buffer_len`.
    ///
    /// ```
    /// use rawarray_core::layout::Layout;
    /// assert!(Layout::try_new(&[3], &[-8], 16, 8, 24).is_ok());
    /// assert!(Layout::try_new(&[3], &[-8], 8, 8, 24).is_err());
    /// assert!(Layout::try_new(&[0, 5], &[1000, 1000], 0, 8, 0).is_ok());
    /// ```
    pub fn try_new(
        shape: &[usize],
        strides: &[isize],
        offset: usize,
        itemsize: usize,
        buffer_len: usize,
    ) -> Result<Layout> {
        if shape.len() != strides.len() {
            bail!(Value, "strides, if given, must be the same length as shape");
        }
        if checked_size(shape).is_none() {
            bail!(Value, "array is too big; `arr.size * arr.dtype.itemsize` is larger than the maximum possible size.");
        }
        if offset > buffer_len {
            bail!(Value, "offset {} is out of bounds for a buffer of {} bytes", offset, buffer_len);
        }
        let off = isize::try_from(offset).map_err(|_| crate::error::Error::Value("offset too large".into()))?;
        match extent(shape, strides, itemsize) {
            Err(()) => bail!(Value, "strides are too large: the byte offsets overflow"),
            Ok(None) => {}
            Ok(Some((lo, hi))) => {
                let first = off.checked_add(lo);
                let end = off.checked_add(hi);
                match (first, end) {
                    (Some(first), Some(end)) if first >= 0 && end as usize <= buffer_len => {}
                    _ => bail!(
                        Value,
                        "strides and shape reach bytes {}..{} relative to offset {}, outside a buffer of {} bytes",
                        lo,
                        hi,
                        offset,
                        buffer_len
                    ),
                }
            }
        }
        Ok(Layout { shape: Shape::from_slice(shape), strides: Strides::from_slice(strides), offset })
    }

    /// A contiguous layout at offset 0; the buffer must hold `size * itemsize` bytes.
    ///
    /// # Errors
    /// `Value` when the byte size overflows.
    pub fn contiguous(shape: &[usize], itemsize: usize, order: Order) -> Result<Layout> {
        Layout::contiguous_sized(shape, itemsize, order).map(|(layout, _)| layout)
    }

    /// [`Layout::contiguous`] and the byte size of its elements.
    ///
    /// # Errors
    /// As for [`Layout::contiguous`].
    #[inline]
    pub fn contiguous_sized(shape: &[usize], itemsize: usize, order: Order) -> Result<(Layout, usize)> {
        if let [d] = *shape {
            // One axis (the commonest new array): no stride loop.
            let nbytes = d.checked_mul(itemsize).filter(|&n| n <= isize::MAX as usize).ok_or_else(too_big)?;
            let stride = if d == 0 { 0 } else { itemsize as isize };
            let layout = Layout {
                shape: Shape::from_buf_and_len([d, 0, 0, 0], 1),
                strides: Strides::from_buf_and_len([stride, 0, 0, 0], 1),
                offset: 0,
            };
            return Ok((layout, nbytes));
        }
        let (mut strides, nbytes) = contiguous_parts(shape, itemsize, order)?;
        if nbytes == 0 && shape.contains(&0) {
            // NumPy gives new empty arrays zero strides.
            strides.iter_mut().for_each(|s| *s = 0);
        }
        Ok((Layout { shape: Shape::from_slice(shape), strides, offset: 0 }, nbytes))
    }

    /// Builds a layout without checking it.
    ///
    /// # Safety
    /// The result must satisfy the module invariant for the buffer it is used with: every
    /// reachable byte lies inside it. Debug builds re-check the shape/stride lengths.
    #[inline]
    pub unsafe fn new_unchecked(shape: Shape, strides: Strides, offset: usize) -> Layout {
        debug_assert_eq!(shape.len(), strides.len());
        Layout { shape, strides, offset }
    }

    /// Elements per axis.
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// Byte strides per axis.
    pub fn strides(&self) -> &[isize] {
        &self.strides
    }

    /// Byte offset of the first element (index 0 on every axis) in the buffer.
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Number of axes.
    pub fn ndim(&self) -> usize {
        self.shape.len()
    }

    /// Number of elements.
    pub fn size(&self) -> usize {
        self.shape.iter().product()
    }

    /// The lowest and one-past-highest byte offsets (in the buffer) that the layout reaches,
    /// or `None` when it is empty.
    pub fn byte_bounds(&self, itemsize: usize) -> Option<(usize, usize)> {
        match extent(&self.shape, &self.strides, itemsize) {
            Ok(Some((lo, hi))) => Some(((self.offset as isize + lo) as usize, (self.offset as isize + hi) as usize)),
            _ => None,
        }
    }

    /// NumPy's C-contiguity flag: strides are the C-order strides, ignoring length-1 axes;
    /// empty arrays are contiguous.
    pub fn is_c_contiguous(&self, itemsize: usize) -> bool {
        self.is_contiguous_in((0..self.ndim()).rev(), itemsize)
    }

    /// NumPy's Fortran-contiguity flag (see [`Layout::is_c_contiguous`]).
    pub fn is_f_contiguous(&self, itemsize: usize) -> bool {
        self.is_contiguous_in(0..self.ndim(), itemsize)
    }

    fn is_contiguous_in(&self, axes: impl Iterator<Item = usize>, itemsize: usize) -> bool {
        if self.shape.contains(&0) {
            return true;
        }
        let mut expected = itemsize as isize;
        for k in axes {
            let d = self.shape[k];
            if d != 1 {
                if self.strides[k] != expected {
                    return false;
                }
                expected *= d as isize;
            }
        }
        true
    }

    /// True when every element's address is a multiple of `alignment` given the buffer's
    /// base address `base`.
    pub fn is_aligned(&self, base: usize, alignment: usize) -> bool {
        if alignment <= 1 {
            return true;
        }
        if self.shape.contains(&0) {
            return true;
        }
        let a = alignment as isize;
        (base + self.offset).is_multiple_of(alignment)
            && self.shape.iter().zip(&self.strides).all(|(&d, &s)| d == 1 || s % a == 0)
    }

    /// The axes permuted: axis `k` of the result is axis `axes[k]` of `self`.
    ///
    /// # Errors
    /// `Value` unless `axes` is a permutation of `0..ndim`.
    pub fn permuted(&self, axes: &[usize]) -> Result<Layout> {
        let n = self.ndim();
        if axes.len() != n {
            bail!(Value, "axes don't match array");
        }
        let mut seen: SmallVec<[bool; 8]> = SmallVec::from_elem(false, n);
        for &a in axes {
            if a >= n {
                bail!(Value, "axis {} is out of bounds for array of dimension {}", a, n);
            }
            if seen[a] {
                bail!(Value, "repeated axis in transpose");
            }
            seen[a] = true;
        }
        Ok(Layout {
            shape: axes_from(n, |k| self.shape[axes[k]]),
            strides: axes_from(n, |k| self.strides[axes[k]]),
            offset: self.offset,
        })
    }

    /// The first axis cut to `n` elements from element `start`, `step` elements apart,
    /// and then dropped unless `keep` (for an integer index, `n == 1`): `a[i]` and
    /// `a[start:stop:step]` in one layout.
    ///
    /// # Safety
    /// The layout has an axis; when `n > 0`, `start` and `start + (n - 1) * step` are in
    /// `0..shape[0]` (what [`crate::index::slice_indices`] gives); `n == 1` unless `keep`.
    /// Then the result reaches a subset of this layout's bytes.
    #[inline(always)]
    pub unsafe fn first_axis_selected(&self, start: isize, step: isize, n: usize, keep: bool) -> Layout {
        debug_assert!(keep || n == 1);
        let mut offset = self.offset as isize;
        if n > 0 {
            offset += start * self.strides[0];
        }
        let skip = usize::from(!keep);
        let d = self.shape.len() - skip;
        Layout {
            shape: axes_from(d, |k| if k + skip == 0 { n } else { self.shape[k + skip] }),
            strides: axes_from(d, |k| if k + skip == 0 { self.strides[0] * step } else { self.strides[k + skip] }),
            offset: offset as usize,
        }
    }

    /// The axes reversed (`.T`).
    #[inline(always)]
    pub fn reversed(&self) -> Layout {
        let n = self.shape.len();
        Layout {
            shape: axes_from(n, |k| self.shape[n - 1 - k]),
            strides: axes_from(n, |k| self.strides[n - 1 - k]),
            offset: self.offset,
        }
    }

    /// A view of the same bytes with `new_shape` (same size) read in `order`, or `None`
    /// when that needs a copy. Follows NumPy's `_attempt_nocopy_reshape`.
    pub fn reshaped(&self, new_shape: &[usize], order: Order, itemsize: usize) -> Option<Layout> {
        let size = self.size();
        debug_assert_eq!(checked_size(new_shape), Some(size));
        if size == 0 || size == 1 {
            // Any strides work: use contiguous ones for tidiness.
            let strides = contiguous_strides(new_shape, itemsize, order).ok()?;
            return Some(Layout { shape: Shape::from_slice(new_shape), strides, offset: self.offset });
        }
        // Contiguous in the requested order: the new layout is contiguous too (the common
        // case, without the general algorithm's vectors).
        let dense = match order {
            Order::C => self.is_c_contiguous(itemsize),
            Order::F => self.is_f_contiguous(itemsize),
        };
        if dense {
            let strides = contiguous_strides(new_shape, itemsize, order).ok()?;
            return Some(Layout { shape: Shape::from_slice(new_shape), strides, offset: self.offset });
        }
        // Drop length-1 axes of the old layout.
        let (olddims, oldstrides): (Vec<usize>, Vec<isize>) =
            self.shape.iter().zip(&self.strides).filter(|(&d, _)| d != 1).map(|(&d, &s)| (d, s)).unzip();
        let (olddims, oldstrides, newdims): (Vec<usize>, Vec<isize>, Vec<usize>) = match order {
            Order::C => (olddims, oldstrides, new_shape.to_vec()),
            Order::F => (
                olddims.into_iter().rev().collect(),
                oldstrides.into_iter().rev().collect(),
                new_shape.iter().rev().copied().collect(),
            ),
        };
        let mut newstrides = vec![0isize; newdims.len()];
        let (oldnd, newnd) = (olddims.len(), newdims.len());
        let (mut oi, mut oj, mut ni, mut nj) = (0, 1, 0, 1);
        while ni < newnd && oi < oldnd {
            let mut np = newdims[ni];
            let mut op = olddims[oi];
            while np != op {
                if np < op {
                    np *= newdims[nj];
                    nj += 1;
                } else {
                    op *= olddims[oj];
                    oj += 1;
                }
            }
            // The old axes oi..oj must be contiguous among themselves (C order).
            for ok in oi..oj - 1 {
                if oldstrides[ok] != olddims[ok + 1] as isize * oldstrides[ok + 1] {
                    return None;
                }
            }
            newstrides[nj - 1] = oldstrides[oj - 1];
            for nk in (ni + 1..nj).rev() {
                newstrides[nk - 1] = newstrides[nk] * newdims[nk] as isize;
            }
            ni = nj;
            nj += 1;
            oi = oj;
            oj += 1;
        }
        // Trailing length-1 axes of the new shape.
        let last = if ni >= 1 { newstrides[ni - 1] } else { itemsize as isize };
        for s in newstrides.iter_mut().skip(ni) {
            *s = last;
        }
        if order == Order::F {
            newstrides.reverse();
        }
        Some(Layout { shape: new_shape.into(), strides: newstrides.into(), offset: self.offset })
    }

    /// The layout broadcast to `shape` (NumPy rules: align trailing axes; length-1 axes
    /// stretch with stride 0).
    ///
    /// # Errors
    /// `Value` when the shapes are not compatible.
    pub fn broadcast_to(&self, shape: &[usize]) -> Result<Layout> {
        let n = shape.len();
        if self.ndim() > n {
            bail!(Value, "cannot broadcast a non-scalar to a scalar array");
        }
        let pad = n - self.ndim();
        let mut strides: Strides = SmallVec::from_elem(0, n);
        for k in 0..n {
            if k >= pad {
                let (d, s) = (self.shape[k - pad], self.strides[k - pad]);
                if d == shape[k] {
                    strides[k] = if d == 1 { 0 } else { s };
                } else if d == 1 {
                    strides[k] = 0;
                } else {
                    bail!(
                        Value,
                        "could not broadcast input array from shape {} into shape {}",
                        shape_str(&self.shape),
                        shape_str(shape)
                    );
                }
            }
        }
        Ok(Layout { shape: Shape::from_slice(shape), strides, offset: self.offset })
    }
}

/// The broadcast shape of several shapes (NumPy rules).
///
/// # Errors
/// `Value` naming the shapes when they cannot be broadcast together.
pub fn broadcast_shapes(shapes: &[&[usize]]) -> Result<Shape> {
    let n = shapes.iter().map(|s| s.len()).max().unwrap_or(0);
    let mut out: Shape = SmallVec::from_elem(1, n);
    for s in shapes {
        let pad = n - s.len();
        for (k, &d) in s.iter().enumerate() {
            let o = &mut out[pad + k];
            if *o == 1 {
                *o = d;
            } else if d != 1 && d != *o {
                let list: Vec<String> = shapes.iter().map(|s| shape_str(s)).collect();
                bail!(Value, "operands could not be broadcast together with shapes {} ", list.join(" "));
            }
        }
    }
    Ok(out)
}

/// A shape written as Python writes a tuple: `(3,)`, `(2, 3)`, `()`.
pub fn shape_str(shape: &[usize]) -> String {
    match shape {
        [] => "()".to_string(),
        [d] => format!("({d},)"),
        _ => format!("({})", shape.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(",")),
    }
}

/// A shape with new axes (`None`) written as NumPy's iterator and `reshape` write one:
/// leading new axes left out, later ones as `newaxis`, and the trailing comma only for a
/// one-entry shape: `[None, Some(4)]` is `(4)`, `[Some(3), None]` is `(3,newaxis)`.
pub fn remapped_shape_str(dims: &[Option<usize>]) -> String {
    let Some(first) = dims.iter().position(Option::is_some) else { return "()".to_string() };
    let parts: Vec<String> =
        dims[first..].iter().map(|d| d.map_or_else(|| "newaxis".to_string(), |d| d.to_string())).collect();
    if dims.len() == 1 {
        format!("({},)", parts[0])
    } else {
        format!("({})", parts.join(","))
    }
}

/// NumPy's iterator axis order (`K`) over several operands' strides (broadcast to `ndim`
/// axes; 0 on a stretched axis), outermost axis first: start from C order and move an axis
/// inwards past another only when every operand with nonzero strides on both says so (an
/// insertion sort, as `npyiter_find_best_axis_ordering`). Conflicting operands keep C order.
pub fn iterator_order(ndim: usize, strides: &[Strides]) -> Vec<usize> {
    // `perm` lists axes innermost first, as NumPy's iterator keeps them.
    let mut perm: Vec<usize> = (0..ndim).rev().collect();
    for i0 in 1..ndim {
        let ax0 = perm[i0];
        let mut pos = i0;
        for i1 in (0..i0).rev() {
            let ax1 = perm[i1];
            let mut ambiguous = true;
            let mut swap = false;
            for s in strides {
                let (s0, s1) = (s[ax0], s[ax1]);
                if s0 != 0 && s1 != 0 {
                    if s1.unsigned_abs() <= s0.unsigned_abs() {
                        swap = false;
                    } else if ambiguous {
                        swap = true;
                    }
                    ambiguous = false;
                }
            }
            if ambiguous {
                continue;
            }
            if swap {
                pos = i1;
            } else {
                break;
            }
        }
        if pos != i0 {
            let ax = perm.remove(i0);
            perm.insert(pos, ax);
        }
    }
    perm.reverse();
    perm
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn iterator_order_follows_strides() {
        assert_eq!(iterator_order(2, &[SmallVec::from_slice(&[8, 16])]), vec![1, 0]);
        assert_eq!(iterator_order(2, &[SmallVec::from_slice(&[16, 8])]), vec![0, 1]);
        assert_eq!(iterator_order(2, &[SmallVec::from_slice(&[8, 16]), SmallVec::from_slice(&[16, 8])]), vec![0, 1]);
    }

    /// The naive twin of `try_new`'s bounds check: visit every index.
    fn all_in_bounds(shape: &[usize], strides: &[isize], offset: usize, itemsize: usize, len: usize) -> bool {
        let size: usize = shape.iter().product();
        if size == 0 {
            return offset <= len;
        }
        let mut idx = vec![0usize; shape.len()];
        for _ in 0..size {
            let pos: i128 =
                offset as i128 + idx.iter().zip(strides).map(|(&i, &s)| i as i128 * s as i128).sum::<i128>();
            if pos < 0 || pos + itemsize as i128 > len as i128 {
                return false;
            }
            for k in (0..shape.len()).rev() {
                idx[k] += 1;
                if idx[k] < shape[k] {
                    break;
                }
                idx[k] = 0;
            }
        }
        true
    }

    proptest! {
        #[test]
        fn try_new_accepts_exactly_in_bounds_layouts(
            dims in proptest::collection::vec((0usize..5, -40isize..40), 0..4),
            offset in 0usize..80,
            itemsize in 1usize..9,
            len in 0usize..80,
        ) {
            let shape: Vec<usize> = dims.iter().map(|d| d.0).collect();
            let strides: Vec<isize> = dims.iter().map(|d| d.1).collect();
            let ok = Layout::try_new(&shape, &strides, offset, itemsize, len).is_ok();
            prop_assert_eq!(ok, all_in_bounds(&shape, &strides, offset, itemsize, len));
        }

        /// The one-axis shortcut of `contiguous_sized` against the general stride loop
        /// (reached through a leading unit axis, which changes no stride or size).
        #[test]
        fn one_axis_layouts_match_the_general_path(d in prop_oneof![0usize..20, Just(usize::MAX / 3)], itemsize in 1usize..17) {
            let one = Layout::contiguous_sized(&[d], itemsize, Order::C);
            let general = Layout::contiguous_sized(&[1, d], itemsize, Order::C);
            match (one, general) {
                (Ok((l, n)), Ok((g, m))) => {
                    prop_assert_eq!(n, m);
                    prop_assert_eq!(l.shape(), &g.shape()[1..]);
                    prop_assert_eq!(l.strides(), &g.strides()[1..]);
                    prop_assert_eq!(l.offset(), 0);
                }
                (one, general) => {
                    prop_assert!(one.is_err() && general.is_err());
                }
            }
        }

        #[test]
        fn huge_strides_never_overflow(s in any::<isize>(), d in 1usize..usize::MAX, off in any::<usize>()) {
            let _ = Layout::try_new(&[d, 2], &[s, s], off, 8, 1 << 20);
        }
    }

    #[test]
    fn contiguity_ignores_unit_axes() {
        let l = Layout::try_new(&[1, 3], &[999, 8], 0, 8, 24).unwrap();
        assert!(l.is_c_contiguous(8));
        assert!(l.is_f_contiguous(8));
        let t = Layout::contiguous(&[2, 3], 8, Order::C).unwrap();
        assert!(t.is_c_contiguous(8) && !t.is_f_contiguous(8));
        assert!(t.reversed().is_f_contiguous(8));
    }

    #[test]
    fn reshape_views_and_refusals() {
        let c = Layout::contiguous(&[2, 3], 8, Order::C).unwrap();
        assert_eq!(c.reshaped(&[3, 2], Order::C, 8).unwrap().strides(), &[16, 8]);
        assert!(c.reshaped(&[3, 2], Order::F, 8).is_none());
        let t = c.reversed(); // (3,2) F-contiguous
        assert!(t.reshaped(&[6], Order::C, 8).is_none());
        assert_eq!(t.reshaped(&[6], Order::F, 8).unwrap().strides(), &[8]);
    }

    #[test]
    fn broadcasting() {
        assert_eq!(broadcast_shapes(&[&[3, 1], &[4]]).unwrap().as_slice(), &[3, 4]);
        assert!(broadcast_shapes(&[&[3], &[4]]).is_err());
        let l = Layout::contiguous(&[3], 8, Order::C).unwrap();
        assert_eq!(l.broadcast_to(&[2, 3]).unwrap().strides(), &[0, 8]);
    }
}
