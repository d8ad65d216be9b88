//! Boolean-mask selection (compress) and assignment (expand), in C order.
//!
//! Selection counts the true bytes first, then copies with a branch-free loop: every
//! element is written to the output cursor and the cursor advances by the mask bit, so the
//! output needs one element of slack and the loop has no unpredictable branch.

use crate::strided;

/// The number of nonzero bytes in a bool layout.
///
/// # Safety
/// `mask`/`strides` over `shape` must address readable bytes.
pub unsafe fn count_true(shape: &[usize], mask: *const u8, strides: &[isize]) -> usize {
    let mut total = 0usize;
    // SAFETY: forwarded from this function's contract.
    unsafe {
        strided::for_each(shape, [mask as *mut u8], [strides], |p, s, n| {
            let (m, ms) = (p[0] as *const u8, s[0]);
            if ms == 1 {
                // Byte lanes: blocks of 255 fit a u8 count, which vectorises 16-64 bytes an
                // instruction (a usize count widens every byte to 64 bits).
                for block in std::slice::from_raw_parts(m, n).chunks(255) {
                    total += block.iter().fold(0u8, |c, &b| c + (b != 0) as u8) as usize;
                }
            } else {
                for i in 0..n as isize {
                    total += (*m.offset(i * ms) != 0) as usize;
                }
            }
        })
    };
    total
}

#[inline(always)]
unsafe fn compress_run<const W: usize>(
    src: *const u8,
    ss: isize,
    m: *const u8,
    ms: isize,
    n: usize,
    out: &mut *mut u8,
) {
    let mut o = *out;
    let mut start = 0usize;
    if ms == 1 && ss == W as isize {
        // Contiguous: look at eight mask bytes at once; skip all-false blocks and copy
        // all-true blocks in one go (masks from comparisons of sorted data are long runs).
        const ONES: u64 = 0x0101_0101_0101_0101;
        while start + 8 <= n {
            // SAFETY: bytes `start..start+8` of the mask and elements `start..start+8` of the
            // source are inside the run; the output has room for every selected element
            // plus one, and an all-true block selects exactly the 8 elements it copies.
            unsafe {
                let block = m.add(start).cast::<u64>().read_unaligned();
                if block == ONES {
                    std::ptr::copy_nonoverlapping(src.add(start * W), o, 8 * W);
                    o = o.add(8 * W);
                } else if block != 0 {
                    for i in start..start + 8 {
                        let v = src.add(i * W).cast::<[u8; W]>().read_unaligned();
                        o.cast::<[u8; W]>().write_unaligned(v);
                        o = o.add(W * (*m.add(i) != 0) as usize);
                    }
                }
            }
            start += 8;
        }
    }
    for i in start as isize..n as isize {
        // SAFETY: the caller of `compress` guarantees readable source/mask elements and an
        // output with room for every selected element plus one; the cursor `o` only
        // advances past an element that was selected, so it stays within that room.
        unsafe {
            let v = src.offset(i * ss).cast::<[u8; W]>().read_unaligned();
            o.cast::<[u8; W]>().write_unaligned(v);
            o = o.add(W * (*m.offset(i * ms) != 0) as usize);
        }
    }
    *out = o;
}

/// Copies the elements of `src` where the mask is nonzero, in C order, to `out`.
///
/// # Safety
/// `src` and `mask` layouts over `shape` must be readable; `out` must have room for
/// `count_true + 1` elements of `itemsize` bytes and must not overlap `src`.
pub unsafe fn compress(
    shape: &[usize],
    src: *const u8,
    src_strides: &[isize],
    mask: *const u8,
    mask_strides: &[isize],
    out: *mut u8,
    itemsize: usize,
) {
    let mut cursor = out;
    // SAFETY: forwarded from this function's contract.
    unsafe {
        strided::for_each_c_order(shape, [src as *mut u8, mask as *mut u8], [src_strides, mask_strides], |p, s, n| {
            let (sp, ss, m, ms) = (p[0] as *const u8, s[0], p[1] as *const u8, s[1]);
            match itemsize {
                1 => compress_run::<1>(sp, ss, m, ms, n, &mut cursor),
                2 => compress_run::<2>(sp, ss, m, ms, n, &mut cursor),
                4 => compress_run::<4>(sp, ss, m, ms, n, &mut cursor),
                8 => compress_run::<8>(sp, ss, m, ms, n, &mut cursor),
                16 => compress_run::<16>(sp, ss, m, ms, n, &mut cursor),
                _ => {
                    for i in 0..n as isize {
                        if *m.offset(i * ms) != 0 {
                            std::ptr::copy_nonoverlapping(sp.offset(i * ss), cursor, itemsize);
                            cursor = cursor.add(itemsize);
                        }
                    }
                }
            }
        })
    };
}

/// Writes consecutive elements of `src` (advancing by `src_step` bytes; 0 repeats one
/// element) into the elements of `dst` where the mask is nonzero, in C order.
///
/// # Safety
/// `dst` must be writable and `mask` readable over `shape`; `src` must hold one element per
/// nonzero mask byte (or one, with `src_step == 0`) and must not overlap `dst`.
pub unsafe fn expand(
    shape: &[usize],
    dst: *mut u8,
    dst_strides: &[isize],
    mask: *const u8,
    mask_strides: &[isize],
    src: *const u8,
    src_step: usize,
    itemsize: usize,
) {
    let mut cursor = src;
    // SAFETY: forwarded from this function's contract.
    unsafe {
        strided::for_each_c_order(shape, [dst, mask as *mut u8], [dst_strides, mask_strides], |p, s, n| {
            for i in 0..n as isize {
                if *p[1].offset(i * s[1]) != 0 {
                    std::ptr::copy_nonoverlapping(cursor, p[0].offset(i * s[0]), itemsize);
                    cursor = cursor.add(src_step);
                }
            }
        })
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The branch-free compress agrees with a naive filter.
        #[test]
        fn compress_matches_naive(mask in proptest::collection::vec(prop_oneof![Just(0u8), Just(1), Just(2)], 0..200), itemsize in prop_oneof![Just(1usize), Just(2), Just(4), Just(8), Just(16), Just(3)]) {
            let n = mask.len();
            let src: Vec<u8> = (0..n * itemsize).map(|i| (i * 31 % 251) as u8).collect();
            // SAFETY: the mask is readable over its length.
            let count = unsafe { count_true(&[n], mask.as_ptr(), &[1]) };
            let want: Vec<u8> = (0..n).filter(|&i| mask[i] != 0).flat_map(|i| src[i * itemsize..(i + 1) * itemsize].to_vec()).collect();
            prop_assert_eq!(count * itemsize, want.len());
            let mut out = vec![0u8; (count + 1) * itemsize];
            // SAFETY: `out` has room for count + 1 elements; all layouts are in bounds.
            unsafe { compress(&[n], src.as_ptr(), &[itemsize as isize], mask.as_ptr(), &[1], out.as_mut_ptr(), itemsize) };
            prop_assert_eq!(&out[..count * itemsize], &want[..]);
        }
    }
}
