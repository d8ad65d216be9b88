//! The one N-d strided driver every kernel uses.
//!
//! It walks `N` operands that share a shape, each with its own base pointer and byte
//! strides, and hands a 1-D inner loop `(pointers, byte strides, length)` to a callback.
//! Before walking it drops length-1 axes, orders axes so the first operand's smallest
//! stride is innermost, and coalesces axes that are contiguous for every operand into one,
//! so a C-, F- or otherwise dense walk becomes a single long inner loop.

use smallvec::SmallVec;

/// One axis of the walk: its length and each operand's byte stride along it.
#[derive(Copy, Clone, Debug)]
pub(crate) struct Axis<const N: usize> {
    pub(crate) len: usize,
    pub(crate) strides: [isize; N],
}

/// Plans the walk: the axes (outermost first) after dropping, reordering and coalescing.
/// Returns `None` when the shape has no elements.
pub(crate) fn plan<const N: usize>(
    shape: &[usize],
    strides: [&[isize]; N],
    reorder: bool,
) -> Option<SmallVec<[Axis<N>; 4]>> {
    if shape.contains(&0) {
        return None;
    }
    let mut axes: SmallVec<[Axis<N>; 4]> = shape
        .iter()
        .enumerate()
        .filter(|(_, &d)| d != 1)
        .map(|(k, &d)| Axis { len: d, strides: std::array::from_fn(|op| strides[op][k]) })
        .collect();
    if reorder {
        // Largest |stride| of operand 0 outermost; a stable sort keeps C order among ties.
        axes.sort_by_key(|a| std::cmp::Reverse(a.strides[0].unsigned_abs()));
    }
    let mut merged: SmallVec<[Axis<N>; 4]> = SmallVec::new();
    for ax in axes {
        if let Some(outer) = merged.last_mut() {
            let len = ax.len as isize;
            if (0..N).all(|op| outer.strides[op] == ax.strides[op] * len) {
                outer.len *= ax.len;
                outer.strides = ax.strides;
                continue;
            }
        }
        merged.push(ax);
    }
    if reorder && merged.len() >= 2 {
        // A tiny innermost axis (a (n, 2) walk whose operand 0 is C-ordered, say) would mean
        // one inner-loop call per couple of elements; a much longer axis goes innermost
        // instead, at the cost of strided access in operand 0.
        let (k, longest) = merged.iter().enumerate().max_by_key(|(_, a)| a.len).map(|(k, a)| (k, a.len))?;
        let inner = merged[merged.len() - 1].len;
        if inner < 16 && longest >= 64 * inner {
            let ax = merged.remove(k);
            merged.push(ax);
        }
    }
    Some(merged)
}

/// Two-axis walks of at most this many elements skip the planning (see [`for_each`]).
const SMALL_2D: usize = 64;

/// Walks every element of `shape` for `N` operands, calling `inner` once per inner loop.
///
/// # Safety
/// For every operand `op` and every index `i` in `shape`, `bases[op] + Σ i[k]·strides[op][k]`
/// must be a valid element address for whatever `inner` does with it (a checked
/// [`crate::layout::Layout`] guarantees this for reads of its own buffer).
pub unsafe fn for_each<const N: usize, F>(shape: &[usize], bases: [*mut u8; N], strides: [&[isize]; N], mut inner: F)
where
    F: FnMut([*mut u8; N], [isize; N], usize),
{
    // Zero and one axes need no planning (the common case for small arrays).
    match shape {
        [] => return inner(bases, [0; N], 1),
        [0] => return,
        [n] => return inner(bases, std::array::from_fn(|op| strides[op][0]), *n),
        // Small 2-D walks (a transposed 10-element copy, say): planning costs more than it
        // saves. The same runs as `plan` gives: length-1 axes dropped, the axis operand 0
        // steps least innermost (the later one on ties), the two merged when contiguous for
        // every operand; so kernels that sum along runs see NumPy's run lengths.
        &[n0, n1] if n0.saturating_mul(n1) <= SMALL_2D => {
            match (n0, n1) {
                (0, _) | (_, 0) => return,
                (1, 1) => return inner(bases, [0; N], 1),
                (1, _) => return inner(bases, std::array::from_fn(|op| strides[op][1]), n1),
                (_, 1) => return inner(bases, std::array::from_fn(|op| strides[op][0]), n0),
                _ => {}
            }
            let (outer, inner_ax) =
                if strides[0][1].unsigned_abs() <= strides[0][0].unsigned_abs() { (0, 1) } else { (1, 0) };
            let len = shape[inner_ax];
            let inner_strides: [isize; N] = std::array::from_fn(|op| strides[op][inner_ax]);
            if (0..N).all(|op| strides[op][outer] == inner_strides[op] * len as isize) {
                return inner(bases, inner_strides, n0 * n1);
            }
            let mut ptrs = bases;
            for _ in 0..shape[outer] {
                inner(ptrs, inner_strides, len);
                for (op, p) in ptrs.iter_mut().enumerate() {
                    *p = p.wrapping_offset(strides[op][outer]);
                }
            }
            return;
        }
        _ => {}
    }
    let Some(axes) = plan(shape, strides, true) else {
        return;
    };
    // SAFETY: forwarded from this function's contract.
    unsafe { walk(&axes, bases, inner) }
}

/// Runs the odometer over planned axes (outermost first), one `inner` call per inner loop.
///
/// # Safety
/// As for [`for_each`], for the addresses the planned axes produce.
pub(crate) unsafe fn walk<const N: usize, F>(axes: &[Axis<N>], bases: [*mut u8; N], mut inner: F)
where
    F: FnMut([*mut u8; N], [isize; N], usize),
{
    let Some((last, outer)) = axes.split_last() else {
        inner(bases, [0; N], 1);
        return;
    };
    let mut idx: SmallVec<[usize; 4]> = SmallVec::from_elem(0, outer.len());
    let mut ptrs = bases;
    loop {
        inner(ptrs, last.strides, last.len);
        if !odometer_step(outer, &mut idx, &mut ptrs) {
            return;
        }
    }
}

/// Advances the multi-index `idx` over the `outer` axes by one, innermost first, moving the
/// operand pointers along; false (and all indices back at zero) after the last position.
fn odometer_step<const N: usize>(outer: &[Axis<N>], idx: &mut [usize], ptrs: &mut [*mut u8; N]) -> bool {
    for k in (0..outer.len()).rev() {
        idx[k] += 1;
        for (op, p) in ptrs.iter_mut().enumerate() {
            *p = p.wrapping_offset(outer[k].strides[op]);
        }
        if idx[k] < outer[k].len {
            return true;
        }
        for (op, p) in ptrs.iter_mut().enumerate() {
            *p = p.wrapping_offset(-(outer[k].strides[op] * outer[k].len as isize));
        }
        idx[k] = 0;
    }
    false
}

/// Walks `shape` in C order (last index fastest) regardless of strides, for operations whose
/// result depends on the visiting order (filling a C-ordered output, printing).
///
/// # Safety
/// As for [`for_each`].
pub unsafe fn for_each_c_order<const N: usize, F>(
    shape: &[usize],
    bases: [*mut u8; N],
    strides: [&[isize]; N],
    mut inner: F,
) where
    F: FnMut([*mut u8; N], [isize; N], usize),
{
    match shape {
        [] => return inner(bases, [0; N], 1),
        [0] => return,
        [n] => return inner(bases, std::array::from_fn(|op| strides[op][0]), *n),
        _ => {}
    }
    let Some(axes) = plan(shape, strides, false) else {
        return;
    };
    // SAFETY: forwarded from this function's contract; the plan keeps C order (it only
    // drops length-1 axes and merges neighbours that are contiguous for every operand).
    unsafe { walk(&axes, bases, inner) }
}

/// Plans a C-order walk (length-1 axes dropped, neighbours that are contiguous for every
/// operand merged, never reordered), for kernels that split the flat C-order index range
/// with [`walk_range`]. `None` when the shape has no elements.
pub(crate) fn plan_c_order<const N: usize>(shape: &[usize], strides: [&[isize]; N]) -> Option<SmallVec<[Axis<N>; 4]>> {
    plan(shape, strides, false)
}

/// Walks the flat C-order positions `start..end` of planned axes (as [`plan_c_order`]
/// returns them), one `inner` call per piece of an inner row. An empty axis list is one
/// element (a 0-d array).
///
/// # Safety
/// As for [`for_each`], for the addresses of the positions in `start..end`; `end` must not
/// exceed the product of the axis lengths.
pub(crate) unsafe fn walk_range<const N: usize, F>(
    axes: &[Axis<N>],
    bases: [*mut u8; N],
    start: usize,
    end: usize,
    mut inner: F,
) where
    F: FnMut([*mut u8; N], [isize; N], usize),
{
    if start >= end {
        return;
    }
    let Some((last, outer)) = axes.split_last() else {
        inner(bases, [0; N], 1);
        return;
    };
    // The multi-index of `start`: the outer axes' indices and the position in the row.
    let mut idx: SmallVec<[usize; 4]> = SmallVec::from_elem(0, outer.len());
    let mut rest = start / last.len;
    let mut col = start % last.len;
    let mut ptrs = bases;
    for k in (0..outer.len()).rev() {
        idx[k] = rest % outer[k].len;
        rest /= outer[k].len;
        for (op, p) in ptrs.iter_mut().enumerate() {
            *p = p.wrapping_offset(outer[k].strides[op] * idx[k] as isize);
        }
    }
    let mut remaining = end - start;
    loop {
        let take = (last.len - col).min(remaining);
        let row: [*mut u8; N] = std::array::from_fn(|op| ptrs[op].wrapping_offset(last.strides[op] * col as isize));
        inner(row, last.strides, take);
        remaining -= take;
        if remaining == 0 {
            return;
        }
        col = 0;
        // `remaining > 0` keeps the step in range.
        odometer_step(outer, &mut idx, &mut ptrs);
    }
}

/// True when no two elements of the layout `(shape, strides)` share a byte, checked by a
/// sufficient condition: sorted by |stride|, each axis steps over everything the smaller
/// axes reach. Dense layouts in any axis order pass; zero strides and `as_strided`-made
/// self-overlapping views do not. Kernels split writes across threads only when this holds.
pub fn writes_are_disjoint(shape: &[usize], strides: &[isize], itemsize: usize) -> bool {
    if shape.contains(&0) {
        return true;
    }
    let mut axes: SmallVec<[(usize, usize); 4]> =
        shape.iter().zip(strides).filter(|(&d, _)| d > 1).map(|(&d, &s)| (s.unsigned_abs(), d)).collect();
    axes.sort_unstable();
    let mut reach = itemsize;
    for (stride, len) in axes {
        if stride < reach {
            return false;
        }
        let Some(r) = stride.checked_mul(len - 1).and_then(|x| x.checked_add(reach)) else {
            return false;
        };
        reach = r;
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The runs (operand offsets, strides, length) a walk hands to its callback.
    fn runs(shape: &[usize], strides: [&[isize]; 2], planned: bool) -> Vec<([isize; 2], [isize; 2], usize)> {
        let base = std::ptr::null_mut::<u8>().wrapping_add(1 << 20);
        let mut out = vec![];
        let mut record = |p: [*mut u8; 2], s: [isize; 2], n: usize| {
            let at = |q: *mut u8| (q as isize).wrapping_sub(base as isize);
            out.push(([at(p[0]), at(p[1])], s, n))
        };
        // SAFETY: the callback only records addresses; it never dereferences them.
        unsafe {
            if planned {
                if let Some(axes) = plan(shape, strides, true) {
                    walk(&axes, [base, base], &mut record);
                }
            } else {
                for_each(shape, [base, base], strides, &mut record);
            }
        }
        out
    }

    #[test]
    fn small_2d_walks_give_the_planned_runs() {
        let layouts: [(&[usize], &[isize], &[isize]); 10] = [
            (&[2, 5], &[40, 8], &[40, 8]),
            (&[2, 5], &[8, 16], &[40, 8]),
            (&[5, 2], &[8, 40], &[16, 8]),
            (&[1, 7], &[8, 8], &[56, 8]),
            (&[7, 1], &[8, 8], &[8, 64]),
            (&[1, 1], &[8, 8], &[8, 8]),
            (&[3, 4], &[0, 8], &[32, 8]),
            (&[4, 4], &[-32, 8], &[32, 8]),
            (&[8, 8], &[8, 8], &[64, 8]),
            (&[3, 0], &[8, 8], &[8, 8]),
        ];
        for (shape, s0, s1) in layouts {
            let want = runs(shape, [s0, s1], true);
            let got = runs(shape, [s0, s1], false);
            if want.is_empty() {
                assert!(got.is_empty() || shape.iter().product::<usize>() == 1, "{shape:?}");
            } else {
                assert_eq!(got, want, "{shape:?} {s0:?} {s1:?}");
            }
        }
    }

    fn visited(shape: &[usize], strides: &[isize]) -> Vec<isize> {
        let mut out = vec![];
        // SAFETY: the callback only records offsets; it never dereferences.
        unsafe {
            for_each(shape, [std::ptr::null_mut::<u8>().wrapping_add(1000)], [strides], |p, s, n| {
                for i in 0..n as isize {
                    out.push(p[0] as isize - 1000 + i * s[0]);
                }
            })
        };
        out.sort();
        out
    }

    #[test]
    fn coalesces_contiguous_axes() {
        let axes = plan(&[2, 3, 4], [&[96, 32, 8]], false).unwrap();
        assert_eq!(axes.len(), 1);
        assert_eq!(axes[0].len, 24);
        let axes = plan(&[2, 3, 4], [&[8, 16, 48]], true).unwrap();
        assert_eq!(axes.len(), 1);
    }

    #[test]
    fn disjoint_writes() {
        assert!(writes_are_disjoint(&[2, 3], &[24, 8], 8));
        assert!(writes_are_disjoint(&[2, 3], &[8, -16], 8));
        assert!(writes_are_disjoint(&[4, 1], &[8, 0], 8));
        assert!(!writes_are_disjoint(&[4, 2], &[8, 0], 8));
        assert!(!writes_are_disjoint(&[3, 3], &[8, 8], 8));
        assert!(!writes_are_disjoint(&[5], &[4], 8));
        assert!(writes_are_disjoint(&[0, 5], &[0, 0], 8));
    }

    /// Offsets in C order of the flat range `start..end`, walked piecewise.
    fn range_offsets(shape: &[usize], strides: &[isize], start: usize, end: usize) -> Vec<isize> {
        let mut out = vec![];
        let Some(axes) = plan_c_order(shape, [strides]) else { return out };
        // SAFETY: the callback only records offsets; it never dereferences.
        unsafe {
            walk_range(&axes, [std::ptr::null_mut::<u8>().wrapping_add(1000)], start, end, |p, s, n| {
                for i in 0..n as isize {
                    out.push(p[0] as isize - 1000 + i * s[0]);
                }
            })
        };
        out
    }

    #[test]
    fn range_walk_splits_the_c_order_walk() {
        let cases: [(&[usize], &[isize]); 5] =
            [(&[2, 3, 4], &[-96, 8, 24]), (&[7], &[-8]), (&[3, 1, 5], &[40, 7, 8]), (&[], &[]), (&[4, 6], &[48, 8])];
        for (shape, strides) in cases {
            let total: usize = shape.iter().product();
            let whole = range_offsets(shape, strides, 0, total);
            assert_eq!(whole.len(), total);
            for a in 0..=total {
                for b in a..=total {
                    let mut parts = range_offsets(shape, strides, 0, a);
                    parts.extend(range_offsets(shape, strides, a, b));
                    parts.extend(range_offsets(shape, strides, b, total));
                    assert_eq!(parts, whole, "{shape:?} {strides:?} split at {a}, {b}");
                }
            }
        }
        // C order: the last index fastest whatever the strides.
        assert_eq!(range_offsets(&[2, 2], &[8, 16], 0, 4), vec![0, 16, 8, 24]);
    }

    #[test]
    fn visits_every_offset_once() {
        assert_eq!(visited(&[2, 3], &[-24, 8]), vec![-24, -16, -8, 0, 8, 16]);
        assert_eq!(visited(&[3, 1, 2], &[2, 77, 10]), vec![0, 2, 4, 10, 12, 14]);
        assert_eq!(visited(&[], &[]), vec![0]);
        assert!(visited(&[3, 0], &[8, 8]).is_empty());
    }
}
