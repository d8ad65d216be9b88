//! Views of the real and imaginary parts of complex arrays (`.real`, `.imag`).

use crate::array::Array;
use crate::dtype::{DType, Kind};
use crate::error::Result;
use crate::layout::Layout;

/// A view of the real (`imag = false`) or imaginary part of a complex array: a float
/// array of half the itemsize with the same strides, in the same byte order. `None` for
/// arrays that are not complex.
///
/// # Errors
/// Never in practice (the dtype is always valid); kept for symmetry with other views.
pub fn complex_part(a: &Array, imag: bool) -> Result<Option<Array>> {
    if a.dtype().kind() != Kind::Complex {
        return Ok(None);
    }
    let half = a.itemsize() / 2;
    let d = DType::try_new(Kind::Float, half, a.dtype().byte_order())?;
    let l = a.layout();
    let offset = l.offset() + if imag { half } else { 0 };
    // SAFETY: each element of the view is the first or second half of an element of `a`,
    // whose layout is checked against the same buffer; strides and shape are unchanged.
    let layout = unsafe { Layout::new_unchecked(l.shape().into(), l.strides().into(), offset) };
    // SAFETY: see above.
    Ok(Some(unsafe { a.view_unchecked(d, layout) }))
}
