//! Basic indexing (integers, slices, `...`, `None`) producing views, and the boolean-mask
//! helpers behind mask selection and assignment. Keys with index arrays live in
//! [`advanced`].
//!
//! Every view built here reaches a subset of the bytes its source reaches, so it inherits
//! the source layout's bounds proof.

pub mod advanced;
pub mod functions;

use smallvec::SmallVec;

use crate::array::Array;
use crate::dtype::Kind;
use crate::error::Result;
use crate::layout::{shape_str, Layout, Shape, Strides};
use crate::{bail, ensure};

/// One item of a basic index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IndexItem {
    /// An integer (negative counts from the end); removes the axis.
    Int(isize),
    /// A Python slice `start:stop:step`.
    Slice {
        /// First index, or from the start (end for negative steps).
        start: Option<isize>,
        /// One past the last index, or to the end.
        stop: Option<isize>,
        /// Step (not zero); 1 when `None`.
        step: Option<isize>,
    },
    /// `...`: as many full slices as needed.
    Ellipsis,
    /// `None` / `newaxis`: a new axis of length 1.
    NewAxis,
}

/// Python's `slice.indices(len)`: clamped start, the step, and the number of elements.
///
/// # Errors
/// `Value` for a zero step.
pub fn slice_indices(
    start: Option<isize>,
    stop: Option<isize>,
    step: Option<isize>,
    len: usize,
) -> Result<(isize, isize, usize)> {
    let step = step.unwrap_or(1);
    ensure!(step != 0, Value, "slice step cannot be zero");
    let len = len as isize;
    let clamp = |v: Option<isize>, default: isize| -> isize {
        match v {
            None => default,
            Some(v) if v < 0 => {
                let v = v.saturating_add(len);
                if v < 0 {
                    if step < 0 {
                        -1
                    } else {
                        0
                    }
                } else {
                    v
                }
            }
            Some(v) if v >= len => {
                if step < 0 {
                    len - 1
                } else {
                    len
                }
            }
            Some(v) => v,
        }
    };
    let (start, stop) =
        if step > 0 { (clamp(start, 0), clamp(stop, len)) } else { (clamp(start, len - 1), clamp(stop, -1)) };
    let n = if step > 0 {
        if stop > start {
            (stop - start - 1) / step + 1
        } else {
            0
        }
    } else if start > stop {
        (start - stop - 1) / (-step) + 1
    } else {
        0
    };
    Ok((start, step, n as usize))
}

/// Normalises an integer index against an axis length, with NumPy's IndexError text.
///
/// # Errors
/// `Index` when out of range.
pub fn normalize_index(i: isize, len: usize, axis: usize) -> Result<usize> {
    let n = len as isize;
    let j = if i < 0 { i + n } else { i };
    ensure!(j >= 0 && j < n, Index, "index {} is out of bounds for axis {} with size {}", i, axis, len);
    Ok(j as usize)
}

/// The view selected by a basic index.
///
/// # Errors
/// `Index` for too many indices, more than one ellipsis or an out-of-range integer;
/// `Value` for a zero slice step.
pub fn basic_index(a: &Array, items: &[IndexItem]) -> Result<Array> {
    let ellipses = items.iter().filter(|i| matches!(i, IndexItem::Ellipsis)).count();
    ensure!(ellipses <= 1, Index, "an index can only have a single ellipsis ('...')");
    let consumed = items.iter().filter(|i| matches!(i, IndexItem::Int(_) | IndexItem::Slice { .. })).count();
    let nd = a.ndim();
    ensure!(
        consumed <= nd,
        Index,
        "too many indices for array: array is {}-dimensional, but {} were indexed",
        nd,
        consumed
    );
    let mut shape: Shape = SmallVec::new();
    let mut strides: Strides = SmallVec::new();
    let mut offset = a.layout().offset() as isize;
    let mut axis = 0usize;
    let push_full = |axis: &mut usize, shape: &mut Shape, strides: &mut Strides| {
        shape.push(a.shape()[*axis]);
        strides.push(a.strides()[*axis]);
        *axis += 1;
    };
    for item in items {
        match *item {
            IndexItem::Int(i) => {
                let j = normalize_index(i, a.shape()[axis], axis)?;
                offset += j as isize * a.strides()[axis];
                axis += 1;
            }
            IndexItem::Slice { start, stop, step } => {
                let (start, step, n) = slice_indices(start, stop, step, a.shape()[axis])?;
                if n > 0 {
                    offset += start * a.strides()[axis];
                }
                shape.push(n);
                strides.push(a.strides()[axis] * step);
                axis += 1;
            }
            IndexItem::Ellipsis => {
                for _ in 0..nd - consumed {
                    push_full(&mut axis, &mut shape, &mut strides);
                }
            }
            IndexItem::NewAxis => {
                shape.push(1);
                strides.push(0);
            }
        }
    }
    while axis < nd {
        push_full(&mut axis, &mut shape, &mut strides);
    }
    // SAFETY: integer indices were bounds-checked and slices were clamped by
    // `slice_indices`, so each index of the new layout maps to an index of the old one; a
    // new axis has length 1. The offset stays non-negative: for an empty selection it is
    // only moved by integer indices.
    let layout = unsafe { Layout::new_unchecked(shape, strides, offset as usize) };
    // SAFETY: see above: the view reaches a subset of `a`'s bytes.
    Ok(unsafe { a.view_unchecked(a.dtype(), layout) })
}

/// A checked selection along the first axis of an array: `a[i]` or `a[start:stop:step]`,
/// resolved against the axis length, so that building the view cannot fail
/// ([`select_first`]). Splitting the check from the build lets a caller build the view
/// where it will live, with no `Result<Array>` moved in between.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct FirstAxis {
    /// The length of the first axis the selection was checked against.
    len: usize,
    /// The first element selected.
    start: isize,
    /// Elements between selected ones.
    step: isize,
    /// Elements selected.
    n: usize,
    /// False for an integer index: the axis is dropped.
    keep: bool,
}

impl FirstAxis {
    /// `a[i]`: element `i` of the first axis (negative counts from the end), the axis
    /// dropped.
    ///
    /// # Errors
    /// `Index` with NumPy's messages for a 0-d array or `i` out of range.
    #[inline(always)]
    pub fn index(a: &Array, i: isize) -> Result<FirstAxis> {
        let Some(&len) = a.shape().first() else {
            bail!(Index, "too many indices for array: array is 0-dimensional, but 1 were indexed");
        };
        let j = normalize_index(i, len, 0)?;
        Ok(FirstAxis { len, start: j as isize, step: 1, n: 1, keep: false })
    }

    /// `a[start:stop:step]`: the first axis sliced (Python's slice rules).
    ///
    /// # Errors
    /// `Index` for a 0-d array; `Value` for a zero step.
    #[inline(always)]
    pub fn slice(a: &Array, start: Option<isize>, stop: Option<isize>, step: Option<isize>) -> Result<FirstAxis> {
        let Some(&len) = a.shape().first() else {
            bail!(Index, "too many indices for array: array is 0-dimensional, but 1 were indexed");
        };
        let (start, step, n) = slice_indices(start, stop, step, len)?;
        Ok(FirstAxis { len, start, step, n, keep: true })
    }
}

/// The view `sel` selects from `a`.
///
/// # Panics
/// When `a`'s first axis is not the one `sel` was checked against (no axis, or another
/// length).
#[inline(always)]
pub fn select_first(a: &Array, sel: FirstAxis) -> Array {
    assert!(a.shape().first() == Some(&sel.len), "selection checked against another array");
    // SAFETY: axis 0 exists with the length `sel` was resolved against, and `FirstAxis`'s
    // constructors keep the selection inside `0..len` (`normalize_index`, `slice_indices`);
    // an integer selection has one element, so dropping its axis keeps the same elements.
    let layout = unsafe { a.layout().first_axis_selected(sel.start, sel.step, sel.n, sel.keep) };
    // SAFETY: the layout reaches a subset of `a`'s bytes (above).
    unsafe { a.view_unchecked(a.dtype(), layout) }
}

/// `a[start:stop:step]`: the first axis sliced, as `basic_index` with one slice gives it,
/// without building key vectors (the most common key after an integer).
///
/// # Errors
/// `Index` for a 0-d array; `Value` for a zero step.
#[inline]
pub fn slice_first(a: &Array, start: Option<isize>, stop: Option<isize>, step: Option<isize>) -> Result<Array> {
    Ok(select_first(a, FirstAxis::slice(a, start, stop, step)?))
}

/// `a[i]` for an array of at least one axis: the view of element `i` of the first axis
/// (negative counts from the end), the other axes kept.
///
/// # Errors
/// `Index` with NumPy's messages for a 0-d array or `i` out of range.
#[inline]
pub fn index_first(a: &Array, i: isize) -> Result<Array> {
    Ok(select_first(a, FirstAxis::index(a, i)?))
}

/// Checks that `mask` is a boolean array of `a`'s shape.
///
/// # Errors
/// `Index` with NumPy's message when the shapes differ; `Type` for a non-bool mask.
pub fn check_mask(a: &Array, mask: &Array) -> Result<()> {
    ensure!(mask.dtype().kind() == Kind::Bool, Index, "arrays used as indices must be of integer (or boolean) type");
    if mask.shape() != a.shape() {
        if mask.ndim() > a.ndim() {
            bail!(
                Index,
                "too many indices for array: array is {}-dimensional, but {} were indexed",
                a.ndim(),
                mask.ndim()
            );
        }
        let axis = mask.shape().iter().zip(a.shape()).position(|(m, d)| m != d).unwrap_or(0);
        bail!(
            Index,
            "boolean index did not match indexed array along axis {}; size of axis is {} but size of corresponding boolean axis is {}",
            axis,
            a.shape().get(axis).copied().unwrap_or(0),
            mask.shape().get(axis).copied().unwrap_or(0)
        );
    }
    let _ = shape_str;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dtype::DType;
    use crate::scalar::Scalar;

    #[test]
    #[allow(clippy::type_complexity, reason = "a literal table of test cases")]
    fn slices_match_python() {
        // (start, stop, step, len) -> expected list of indices, cross-checked by hand with Python.
        let cases: &[(Option<isize>, Option<isize>, Option<isize>, usize, &[isize])] = &[
            (None, None, Some(-1), 5, &[4, 3, 2, 1, 0]),
            (Some(-2), None, None, 5, &[3, 4]),
            (Some(10), Some(-10), Some(-3), 5, &[4, 1]),
            (Some(1), Some(1), None, 5, &[]),
            (None, Some(-7), Some(-1), 5, &[4, 3, 2, 1, 0]),
            (Some(-100), Some(100), Some(2), 5, &[0, 2, 4]),
        ];
        for &(a, b, c, len, want) in cases {
            let (start, step, n) = slice_indices(a, b, c, len).unwrap();
            let got: Vec<isize> = (0..n as isize).map(|i| start + i * step).collect();
            assert_eq!(got, want, "{a:?}:{b:?}:{c:?} on {len}");
        }
        assert!(slice_indices(None, None, Some(0), 3).is_err());
    }

    /// A 3x4 float64 array holding 0..12, C order.
    fn grid() -> Array {
        let a = Array::zeros(DType::FLOAT64, &[3, 4], crate::layout::Order::C).unwrap();
        for i in 0..3 {
            for j in 0..4 {
                a.element(&[i, j]).unwrap().write(&Scalar::Float((i * 4 + j) as f64)).unwrap();
            }
        }
        a
    }

    #[test]
    fn first_axis_selections_match_basic_index() {
        let a = grid();
        let t = a.t();
        for arr in [&a, &t] {
            for i in [-3, -1, 0, 2] {
                let want = basic_index(arr, &[IndexItem::Int(i)]).unwrap();
                let got = index_first(arr, i).unwrap();
                assert_eq!((got.shape(), got.strides()), (want.shape(), want.strides()));
                assert_eq!(got.to_scalars(), want.to_scalars());
            }
            for (start, stop, step) in [(None, None, Some(-1)), (Some(1), Some(3), None), (Some(5), None, None)] {
                let want = basic_index(arr, &[IndexItem::Slice { start, stop, step }]).unwrap();
                let got = slice_first(arr, start, stop, step).unwrap();
                assert_eq!((got.shape(), got.strides()), (want.shape(), want.strides()));
                assert_eq!(got.to_scalars(), want.to_scalars());
            }
            assert!(FirstAxis::index(arr, arr.shape()[0] as isize).is_err());
            assert!(FirstAxis::slice(arr, None, None, Some(0)).is_err());
        }
        let zero_d = Array::zeros(DType::FLOAT64, &[], crate::layout::Order::C).unwrap();
        assert!(FirstAxis::index(&zero_d, 0).is_err() && FirstAxis::slice(&zero_d, None, None, None).is_err());
    }

    #[test]
    #[should_panic(expected = "selection checked against another array")]
    fn a_selection_refuses_another_array() {
        let a = grid();
        let sel = FirstAxis::index(&a, 2).unwrap();
        let _ = select_first(&a.t(), sel);
    }
}
