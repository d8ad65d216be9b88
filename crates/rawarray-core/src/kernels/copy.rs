//! Copying elements between strided layouts, with or without a byte swap.
//!
//! The unit of a copy is one element of `itemsize` bytes; a swap reverses each component of
//! `swap_unit` bytes (the item size for integers and floats, half of it for complex).

use crate::kernels::stream;
use crate::parallel::{self, Cost};
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
    stream: bool,
) -> bool {
    // In place the loads already own the lines: nothing to save by streaming.
    if stream && ds == size_of::<T>() as isize && ss == ds && !std::ptr::eq(src, dst) {
        let s = src.cast::<T>();
        // SAFETY: a contiguous run of `n` elements in both operands (the contract below),
        // identical or disjoint; `fill` reads element `i` only to compute element `i`.
        unsafe { stream::fill(dst.cast::<T>(), n, true, |i| swap(s.add(i).read_unaligned())) };
        return true;
    }
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
unsafe fn copy_loop<const W: usize>(
    dst: *mut u8,
    ds: isize,
    src: *const u8,
    ss: isize,
    n: usize,
    swap_unit: usize,
    stream: bool,
) {
    // Typed swaps for whole-element and half-element (complex) units.
    // SAFETY: forwarded from this function's contract: every address is a valid element
    // of `W` bytes in both operands, and `W` is the size of each typed element used here.
    let done = unsafe {
        match (W, swap_unit) {
            (2, 2) => swap_loop::<u16>(dst, ds, src, ss, n, u16::swap_bytes, stream),
            (4, 4) => swap_loop::<u32>(dst, ds, src, ss, n, u32::swap_bytes, stream),
            (8, 8) => swap_loop::<u64>(dst, ds, src, ss, n, u64::swap_bytes, stream),
            (8, 4) => swap_loop::<[u32; 2]>(dst, ds, src, ss, n, |[a, b]| [a.swap_bytes(), b.swap_bytes()], stream),
            (16, 8) => swap_loop::<[u64; 2]>(dst, ds, src, ss, n, |[a, b]| [a.swap_bytes(), b.swap_bytes()], stream),
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
    let total: usize = shape.iter().product();
    // Large copies write with non-temporal stores (see `kernels::stream`).
    let streamed = stream::should_stream(total.saturating_mul(itemsize * 2));
    let body = |p: [*mut u8; 2], s: [isize; 2], n: usize| {
        let (d, ds, sp, ss) = (p[0], s[0], p[1] as *const u8, s[1]);
        // SAFETY (all blocks below): the walk hands out runs of `n` valid elements of each
        // operand, by this function's contract.
        if unit == 0 && ds == isz && ss == isz {
            // `memcpy` already streams large copies (glibc), faster than our AVX-512 loop.
            // SAFETY: see above; `copy` allows identical addresses.
            unsafe { std::ptr::copy(sp, d, n * itemsize) };
            return;
        }
        // SAFETY: see above.
        unsafe {
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
                1 => copy_loop::<1>(d, ds, sp, ss, n, 0, streamed),
                2 => copy_loop::<2>(d, ds, sp, ss, n, unit, streamed),
                4 => copy_loop::<4>(d, ds, sp, ss, n, unit, streamed),
                8 => copy_loop::<8>(d, ds, sp, ss, n, unit, streamed),
                16 => copy_loop::<16>(d, ds, sp, ss, n, unit, streamed),
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
        }
    };
    if total >= TILE * TILE {
        // SAFETY: forwarded from this function's contract.
        if unsafe { copy_tiled(shape, [dst, src as *mut u8], [dst_strides, src_strides], itemsize, &body) } {
            return;
        }
    }
    if parallel::should_split(total, Cost::Memory) && strided::writes_are_disjoint(shape, dst_strides, itemsize) {
        // SAFETY: forwarded from this function's contract; the destination's elements are
        // pairwise disjoint (checked), so concurrent parts never write the same bytes.
        unsafe {
            parallel::for_each_split(
                shape,
                [dst, src as *mut u8],
                [dst_strides, src_strides],
                Cost::Memory,
                |_: &mut (), p, s, n| body(p, s, n),
            )
        };
        return;
    }
    // SAFETY: forwarded from this function's contract.
    unsafe { strided::for_each(shape, [dst, src as *mut u8], [dst_strides, src_strides], body) };
}

/// Edge of the square tiles of a transposing copy, in elements.
const TILE: usize = 32;

/// Copies in `TILE`×`TILE` tiles when the destination's fast axis is a slow axis of the
/// source (a transpose): a plain walk in destination order then reads one element per
/// cache line of the source and evicts each line before its neighbours are used. Returns
/// false (having done nothing) when the layouts do not call for tiling.
///
/// # Safety
/// As for [`copy_strided`]; `body` copies one run of elements between the two operands.
unsafe fn copy_tiled<F>(shape: &[usize], bases: [*mut u8; 2], strides: [&[isize]; 2], itemsize: usize, body: &F) -> bool
where
    F: Fn([*mut u8; 2], [isize; 2], usize),
{
    let Some(axes) = strided::plan(shape, strides, true) else {
        return false;
    };
    let Some((inner, outer)) = axes.split_last() else {
        return false;
    };
    let isz = itemsize as isize;
    // The outer axis along which the source is dense.
    let Some(j) = outer.iter().position(|a| a.strides[1].unsigned_abs() == itemsize) else {
        return false;
    };
    let along = outer[j];
    if inner.strides[1].unsigned_abs() <= 64 || inner.len < TILE || along.len < TILE || inner.strides[0] != isz {
        return false;
    }
    let mut rest: smallvec::SmallVec<[strided::Axis<2>; 4]> =
        outer.iter().enumerate().filter(|&(k, _)| k != j).map(|(_, a)| *a).collect();
    // The odometer hands each combination of the remaining axes to the tile loop below.
    rest.push(strided::Axis { len: 1, strides: [0, 0] });
    let tile = |p: [*mut u8; 2], _: [isize; 2], _: usize| {
        for jb in (0..along.len).step_by(TILE) {
            for ib in (0..inner.len).step_by(TILE) {
                let n = TILE.min(inner.len - ib);
                for jj in jb..(jb + TILE).min(along.len) {
                    let q: [*mut u8; 2] = std::array::from_fn(|op| {
                        p[op].wrapping_offset(along.strides[op] * jj as isize + inner.strides[op] * ib as isize)
                    });
                    body(q, inner.strides, n);
                }
            }
        }
    };
    // SAFETY: the planned axes cover exactly the caller's elements (same contract).
    unsafe { strided::walk(&rest, bases, tile) };
    true
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

    proptest! {
        /// Transposing copies (tiled when large enough) put every element where a naive
        /// copy does, for 3-d layouts with the source dense along any axis.
        #[test]
        fn transposes_match_naive(a in 1usize..70, b in 1usize..70, c in 1usize..4, perm in 0usize..6, swap in any::<bool>()) {
            let shape = [a, b, c];
            let n = a * b * c;
            let src: Vec<u64> = (0..n as u64).map(|x| x * 2654435761).collect();
            // Source strides: C-contiguous strides of the permuted shape, mapped back.
            let order: [usize; 3] = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]][perm];
            let mut sstr = [0isize; 3];
            let mut acc = 8isize;
            for &k in order.iter().rev() {
                sstr[k] = acc;
                acc *= shape[k] as isize;
            }
            let dstr = [(b * c * 8) as isize, (c * 8) as isize, 8];
            let mut dst = vec![0u64; n];
            let sw = if swap { Swap::Units(8) } else { Swap::None };
            // SAFETY: both layouts address exactly the `n` elements of their vectors.
            unsafe { copy_strided(&shape, dst.as_mut_ptr().cast(), &dstr, src.as_ptr().cast(), &sstr, 8, sw) };
            for i in 0..a { for j in 0..b { for k in 0..c {
                let so = (i as isize * sstr[0] + j as isize * sstr[1] + k as isize * sstr[2]) / 8;
                let want = if swap { src[so as usize].swap_bytes() } else { src[so as usize] };
                prop_assert_eq!(dst[(i * b + j) * c + k], want);
            }}}
        }
    }
}
