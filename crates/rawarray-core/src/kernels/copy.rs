//! Copying elements between strided layouts, with or without a byte swap.
//!
//! The unit of a copy is one element of `itemsize` bytes; a swap reverses each component of
//! `swap_unit` bytes (the item size for integers and floats, half of it for complex).

use crate::strided;

/// How bytes move from a source element to a destination element.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Swap {
    /// Copy bytes as they are.
    None,
    /// Reverse every run of this many bytes (2, 4 or 8) inside each element.
    Units(usize),
}

/// Copies `n` elements of type `T` reversing each element's bytes (`swap_bytes`), which
/// compiles to `bswap`/`pshufb` and vectorises on contiguous runs.
#[inline(always)]
unsafe fn swap_loop<T: Copy>(
    dst: *mut u8,
    ds: isize,
    src: *const u8,
    ss: isize,
    n: usize,
    swap: impl Fn(T) -> T,
) -> bool {
    for i in 0..n as isize {
        // SAFETY: as in `copy_loop`: every address is a valid element of `size_of::<T>()`
        // bytes in both operands (the caller's contract of `copy_strided`).
        unsafe {
            let v = src.offset(i * ss).cast::<T>().read_unaligned();
            dst.offset(i * ds).cast::<T>().write_unaligned(swap(v));
        }
    }
    true
}

#[inline(always)]
unsafe fn copy_loop<const W: usize>(dst: *mut u8, ds: isize, src: *const u8, ss: isize, n: usize, swap_unit: usize) {
    // Typed swaps for whole-element and half-element (complex) units.
    // SAFETY: forwarded from this function's contract: every address is a valid element
    // of `W` bytes in both operands, and `W` is the size of each typed element used here.
    let done = unsafe {
        match (W, swap_unit) {
            (2, 2) => swap_loop::<u16>(dst, ds, src, ss, n, u16::swap_bytes),
            (4, 4) => swap_loop::<u32>(dst, ds, src, ss, n, u32::swap_bytes),
            (8, 8) => swap_loop::<u64>(dst, ds, src, ss, n, u64::swap_bytes),
            (8, 4) => swap_loop::<[u32; 2]>(dst, ds, src, ss, n, |[a, b]| [a.swap_bytes(), b.swap_bytes()]),
            (16, 8) => swap_loop::<[u64; 2]>(dst, ds, src, ss, n, |[a, b]| [a.swap_bytes(), b.swap_bytes()]),
            _ => false,
        }
    };
    if done {
        return;
    }
    for i in 0..n as isize {
        // SAFETY: the caller of `copy_strided` guarantees that every element address the
        // walk produces is valid for `W` bytes in both operands.
        unsafe {
            let mut b: [u8; W] = src.offset(i * ss).cast::<[u8; W]>().read_unaligned();
            if swap_unit != 0 {
                for chunk in b.chunks_exact_mut(swap_unit) {
                    chunk.reverse();
                }
            }
            dst.offset(i * ds).cast::<[u8; W]>().write_unaligned(b);
        }
    }
}

/// `dst[i] = src[-i]` for `n` elements of `W` bytes: a contiguous destination filled from a
/// source walked backwards from `src`.
///
/// # Safety
/// `dst..dst + n * W` must be writable and `src - (n - 1) * W ..= src + W` readable, and the
/// two ranges must not overlap.
#[inline(always)]
unsafe fn reverse_loop<const W: usize>(dst: *mut u8, src: *const u8, n: usize) {
    for i in 0..n {
        // SAFETY: `i < n`, so both addresses are inside the ranges of the contract.
        unsafe {
            let v = src.sub(i * W).cast::<[u8; W]>().read_unaligned();
            dst.add(i * W).cast::<[u8; W]>().write_unaligned(v);
        }
    }
}

/// Copies every element of `shape` from the source layout to the destination layout.
///
/// Contiguous runs with no swap become one `memmove`; other runs copy element by element
/// with unaligned loads, monomorphised for the common item sizes.
///
/// # Safety
/// Every element address reachable from `src`/`src_strides` (reads) and `dst`/`dst_strides`
/// (writes) over `shape` must be valid for `itemsize` bytes, and the two sets of addresses
/// must either be identical element for element or not overlap at all (callers copy an
/// overlapping source to a temporary first).
pub unsafe fn copy_strided(
    shape: &[usize],
    dst: *mut u8,
    dst_strides: &[isize],
    src: *const u8,
    src_strides: &[isize],
    itemsize: usize,
    swap: Swap,
) {
    let unit = match swap {
        Swap::None => 0,
        Swap::Units(u) => u,
    };
    let isz = itemsize as isize;
    // SAFETY: forwarded from this function's contract.
    unsafe {
        strided::for_each(shape, [dst, src as *mut u8], [dst_strides, src_strides], |p, s, n| {
            let (d, ds, sp, ss) = (p[0], s[0], p[1] as *const u8, s[1]);
            if unit == 0 && ds == isz && ss == isz {
                std::ptr::copy(sp, d, n * itemsize);
                return;
            }
            if unit == 0 && ds == isz && ss == -isz {
                // A reversed contiguous run (`a[::-1]`): constant strides let the loop vectorise.
                match itemsize {
                    1 => return reverse_loop::<1>(d, sp, n),
                    2 => return reverse_loop::<2>(d, sp, n),
                    4 => return reverse_loop::<4>(d, sp, n),
                    8 => return reverse_loop::<8>(d, sp, n),
                    16 => return reverse_loop::<16>(d, sp, n),
                    _ => {}
                }
            }
            match itemsize {
                1 => copy_loop::<1>(d, ds, sp, ss, n, 0),
                2 => copy_loop::<2>(d, ds, sp, ss, n, unit),
                4 => copy_loop::<4>(d, ds, sp, ss, n, unit),
                8 => copy_loop::<8>(d, ds, sp, ss, n, unit),
                16 => copy_loop::<16>(d, ds, sp, ss, n, unit),
                _ => {
                    for i in 0..n as isize {
                        let (di, si) = (d.offset(i * ds), sp.offset(i * ss));
                        std::ptr::copy(si, di, itemsize);
                        if unit != 0 {
                            std::slice::from_raw_parts_mut(di, itemsize)
                                .chunks_exact_mut(unit)
                                .for_each(|c| c.reverse());
                        }
                    }
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
        /// The fast path agrees with a naive element-by-element copy.
        #[test]
        fn matches_naive(n in 0usize..40, step in 1isize..4, neg in any::<bool>(), unit in prop_oneof![Just(0usize), Just(2), Just(4), Just(8)]) {
            let itemsize = 8usize;
            let src: Vec<u8> = (0..(n * itemsize * 4) as u32).map(|x| (x * 7 % 251) as u8).collect();
            let mut dst = vec![0u8; n * itemsize];
            let ss = if neg { -step * 8 } else { step * 8 };
            let start = if neg && n > 0 { ((n - 1) as isize * step * 8) as usize } else { 0 };
            let swap = if unit == 0 { Swap::None } else { Swap::Units(unit) };
            // SAFETY: every address is inside `src`/`dst` by the construction above.
            unsafe { copy_strided(&[n], dst.as_mut_ptr(), &[8], src.as_ptr().add(start), &[ss], itemsize, swap) };
            for i in 0..n {
                let s = (start as isize + i as isize * ss) as usize;
                let mut want = src[s..s + 8].to_vec();
                if unit != 0 { want.chunks_exact_mut(unit).for_each(|c| c.reverse()); }
                prop_assert_eq!(&dst[i * 8..i * 8 + 8], &want[..]);
            }
        }
    }
}
