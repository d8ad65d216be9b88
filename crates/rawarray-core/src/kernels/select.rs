//! Element-selection kernels behind `nonzero`, `copyto(where=)` and `repeat`: the truth value
//! of any element as a bool byte, a masked strided copy, and repetition along one axis.
//!
//! Truth follows NumPy's `nonzero`: an element is true when any of its bits is set, except
//! the sign bits of floats and complex parts (so `-0.0` is false and NaN is true). The sign
//! bits are masked per byte position, so the test works in either byte order.

use crate::dtype::{DType, Kind};
use crate::kernels::copy::{copy_strided, Swap};
use crate::strided;

/// A per-byte mask that clears the sign bit(s) of a float or complex element stored in
/// `dtype`'s byte order (all ones for other kinds).
fn sign_free_mask(dtype: DType) -> [u8; 16] {
    let mut mask = [0u8; 16];
    let n = dtype.itemsize().min(16);
    mask[..n].fill(0xff);
    let parts = match dtype.kind() {
        Kind::Float => 1,
        Kind::Complex => 2,
        _ => return mask,
    };
    let part = n / parts;
    let little = dtype.needs_swap() != cfg!(target_endian = "little");
    for k in 0..parts {
        let sign_byte = if little { k * part + part - 1 } else { k * part };
        mask[sign_byte] = 0x7f;
    }
    mask
}

#[inline(always)]
unsafe fn truth_run<const W: usize>(src: *const u8, ss: isize, out: *mut u8, os: isize, n: usize, mask: [u8; W]) {
    for i in 0..n as isize {
        // SAFETY: the caller of `truth` guarantees `src + i * ss` is a readable element of
        // `W` bytes and `out + i * os` a writable byte.
        unsafe {
            let v = src.offset(i * ss).cast::<[u8; W]>().read_unaligned();
            let mut any = 0u8;
            for k in 0..W {
                any |= v[k] & mask[k];
            }
            *out.offset(i * os) = (any != 0) as u8;
        }
    }
}

/// Writes 1 where the element of `src` is true (NumPy's `nonzero` truth) and 0 elsewhere.
///
/// # Safety
/// `src`/`src_strides` over `shape` must address readable elements of `dtype`;
/// `out`/`out_strides` writable bytes that do not overlap the source.
pub unsafe fn truth(
    shape: &[usize],
    dtype: DType,
    src: *const u8,
    src_strides: &[isize],
    out: *mut u8,
    out_strides: &[isize],
) {
    let m = sign_free_mask(dtype);
    let w = dtype.itemsize();
    macro_rules! fixed {
        ($w:literal) => {{
            let mut mk = [0u8; $w];
            mk.copy_from_slice(&m[..$w]);
            // SAFETY: forwarded from this function's contract.
            unsafe {
                strided::for_each(shape, [src as *mut u8, out], [src_strides, out_strides], |p, s, n| {
                    truth_run::<$w>(p[0], s[0], p[1], s[1], n, mk)
                })
            }
        }};
    }
    match w {
        1 => fixed!(1),
        2 => fixed!(2),
        4 => fixed!(4),
        8 => fixed!(8),
        16 => fixed!(16),
        _ => {
            // Bytes and void of other sizes: any nonzero byte.
            // SAFETY: forwarded from this function's contract.
            unsafe {
                strided::for_each(shape, [src as *mut u8, out], [src_strides, out_strides], |p, s, n| {
                    for i in 0..n as isize {
                        let e = p[0].offset(i * s[0]);
                        let any = (0..w).any(|k| *e.add(k) != 0);
                        *p[1].offset(i * s[1]) = any as u8;
                    }
                })
            }
        }
    }
}

/// Copies the elements of `src` to `dst` where the bool `mask` is nonzero.
///
/// # Safety
/// All three layouts over `shape` must be valid (`dst` writable); `src` and `mask` must
/// not overlap `dst` unless they are the very same elements.
pub unsafe fn copy_where(
    shape: &[usize],
    dst: *mut u8,
    dst_strides: &[isize],
    src: *const u8,
    src_strides: &[isize],
    mask: *const u8,
    mask_strides: &[isize],
    itemsize: usize,
) {
    macro_rules! fixed {
        ($w:literal) => {
            // SAFETY: forwarded from this function's contract.
            unsafe {
                strided::for_each(
                    shape,
                    [dst, src as *mut u8, mask as *mut u8],
                    [dst_strides, src_strides, mask_strides],
                    |p, s, n| {
                        for i in 0..n as isize {
                            if *p[2].offset(i * s[2]) != 0 {
                                let v = p[1].offset(i * s[1]).cast::<[u8; $w]>().read_unaligned();
                                p[0].offset(i * s[0]).cast::<[u8; $w]>().write_unaligned(v);
                            }
                        }
                    },
                )
            }
        };
    }
    match itemsize {
        1 => fixed!(1),
        2 => fixed!(2),
        4 => fixed!(4),
        8 => fixed!(8),
        16 => fixed!(16),
        _ => {
            // SAFETY: forwarded from this function's contract.
            unsafe {
                strided::for_each(
                    shape,
                    [dst, src as *mut u8, mask as *mut u8],
                    [dst_strides, src_strides, mask_strides],
                    |p, s, n| {
                        for i in 0..n as isize {
                            if *p[2].offset(i * s[2]) != 0 {
                                std::ptr::copy(p[1].offset(i * s[1]), p[0].offset(i * s[0]), itemsize);
                            }
                        }
                    },
                )
            }
        }
    }
}

/// Byte strides of a dense C-ordered block of `shape`.
fn dense_strides(shape: &[usize], itemsize: usize) -> Vec<isize> {
    let mut strides = vec![0isize; shape.len()];
    let mut acc = itemsize as isize;
    for k in (0..shape.len()).rev() {
        strides[k] = acc;
        acc *= shape[k].max(1) as isize;
    }
    strides
}

/// Repeats along one axis: for every position of the outer axes (`outer` byte offsets from
/// `src`, in C order) and every `k` in `0..reps.len()`, the inner block at
/// `src + outer + k * axis_stride` is written `reps[k]` times, densely and in C order, to
/// `out`.
///
/// # Safety
/// Every block read must lie in readable memory of the source layout (`inner_shape` /
/// `inner_strides`); `out` must be writable for
/// `outer.len() * sum(reps) * size(inner_shape) * itemsize` bytes and must not overlap the
/// source.
#[allow(clippy::too_many_arguments)] // one kernel call, the layout spelled out
pub unsafe fn repeat(
    src: *const u8,
    outer: &[isize],
    axis_stride: isize,
    reps: &[usize],
    inner_shape: &[usize],
    inner_strides: &[isize],
    out: *mut u8,
    itemsize: usize,
) {
    let inner: usize = inner_shape.iter().product();
    let chunk = inner * itemsize;
    if chunk == 0 {
        return;
    }
    let dense = dense_strides(inner_shape, itemsize);
    let mut cursor = out;
    macro_rules! single {
        ($w:literal) => {
            for &o in outer {
                for (k, &r) in reps.iter().enumerate() {
                    // SAFETY: `src + o + k * axis_stride` is an element of the source (the
                    // contract); `cursor` advances one element per write inside `out`.
                    unsafe {
                        let v = src.offset(o + k as isize * axis_stride).cast::<[u8; $w]>().read_unaligned();
                        for _ in 0..r {
                            cursor.cast::<[u8; $w]>().write_unaligned(v);
                            cursor = cursor.add($w);
                        }
                    }
                }
            }
        };
    }
    if inner == 1 {
        match itemsize {
            1 => single!(1),
            2 => single!(2),
            4 => single!(4),
            8 => single!(8),
            16 => single!(16),
            _ => {}
        }
        if matches!(itemsize, 1 | 2 | 4 | 8 | 16) {
            return;
        }
    }
    for &o in outer {
        for (k, &r) in reps.iter().enumerate() {
            if r == 0 {
                continue;
            }
            // SAFETY: the block at `src + o + k * axis_stride` is readable (the contract);
            // `cursor` is a fresh dense block inside `out`; the further copies duplicate
            // that block into the following blocks of `out`, which do not overlap it.
            unsafe {
                let from = src.offset(o + k as isize * axis_stride);
                copy_strided(inner_shape, cursor, &dense, from, inner_strides, itemsize, Swap::None);
                for t in 1..r {
                    std::ptr::copy_nonoverlapping(cursor, cursor.add(t * chunk), chunk);
                }
                cursor = cursor.add(r * chunk);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn truth_ignores_float_sign() {
        let vals: [f64; 4] = [0.0, -0.0, f64::NAN, 1.0];
        for dt in [DType::FLOAT64, DType::FLOAT64.with_byte_order(DType::FLOAT64.byte_order().swapped())] {
            let bytes: Vec<u8> = vals
                .iter()
                .flat_map(|v| {
                    let mut b = v.to_ne_bytes();
                    if dt.needs_swap() {
                        b.reverse();
                    }
                    b
                })
                .collect();
            let mut out = [9u8; 4];
            // SAFETY: four readable f8 elements and four writable bytes.
            unsafe { truth(&[4], dt, bytes.as_ptr(), &[8], out.as_mut_ptr(), &[1]) };
            assert_eq!(out, [0, 0, 1, 1], "{dt:?}");
        }
    }

    proptest! {
        /// Repetition agrees with a naive expansion, for element and block copies.
        #[test]
        fn repeat_matches_naive(reps in proptest::collection::vec(0usize..4, 0..12), inner in 1usize..4, itemsize in prop_oneof![Just(1usize), Just(8), Just(3)]) {
            let n = reps.len();
            let src: Vec<u8> = (0..n * inner * itemsize).map(|i| (i * 13 % 251) as u8).collect();
            let total: usize = reps.iter().sum();
            let mut out = vec![0u8; total * inner * itemsize];
            let row = (inner * itemsize) as isize;
            // SAFETY: the source holds `n` rows of `inner` elements; `out` holds every repeat.
            unsafe { repeat(src.as_ptr(), &[0], row, &reps, &[inner], &[itemsize as isize], out.as_mut_ptr(), itemsize) };
            let want: Vec<u8> = reps.iter().enumerate().flat_map(|(k, &r)| {
                let b = &src[k * inner * itemsize..(k + 1) * inner * itemsize];
                std::iter::repeat_n(b.to_vec(), r).flatten()
            }).collect();
            prop_assert_eq!(out, want);
        }
    }
}
