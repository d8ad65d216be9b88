//! Integer-array indexing kernels: turning index arrays into byte offsets (bounds-checked in
//! one pass), gathering the elements or subspaces at those offsets, and scattering back.
//!
//! Offsets are computed into a Rust-owned `[isize]`, never into shared memory; the gather
//! and scatter loops then copy `itemsize`-byte elements with unaligned `[u8; W]` loads, or
//! whole subspaces with [`copy_strided`].

use crate::dtype::{DType, Kind};
use crate::kernels::copy::{copy_strided, Swap};
use crate::kernels::Element;
use crate::strided;

/// Reads the integer index array at `ptr` (walked in C order over `shape`), normalises each
/// value against `len` (negative counts from the end), and adds `value * stride` to the
/// matching entry of `offsets`. Unsigned 64-bit values wrap to `i64` as NumPy's cast to
/// `intp` does.
///
/// Returns `Err(value)` with the first index outside `-len..len`; `offsets` is then partly
/// updated (callers discard it).
///
/// # Safety
/// `ptr`/`strides` over `shape` must address readable elements of `dtype`, which must be an
/// integer dtype; `offsets.len()` must equal the number of elements of `shape`.
pub unsafe fn accumulate_offsets(
    shape: &[usize],
    ptr: *const u8,
    strides: &[isize],
    dtype: DType,
    len: usize,
    stride: isize,
    offsets: &mut [isize],
) -> Result<(), i64> {
    debug_assert_eq!(offsets.len(), shape.iter().product::<usize>());
    let swap = !dtype.is_native();
    // SAFETY: forwarded from this function's contract.
    unsafe {
        match (dtype.kind(), dtype.itemsize()) {
            (Kind::Int, 1) => accumulate::<i8>(shape, ptr, strides, swap, len, stride, offsets),
            (Kind::Int, 2) => accumulate::<i16>(shape, ptr, strides, swap, len, stride, offsets),
            (Kind::Int, 4) => accumulate::<i32>(shape, ptr, strides, swap, len, stride, offsets),
            (Kind::Int, 8) => accumulate::<i64>(shape, ptr, strides, swap, len, stride, offsets),
            (Kind::UInt, 1) => accumulate::<u8>(shape, ptr, strides, swap, len, stride, offsets),
            (Kind::UInt, 2) => accumulate::<u16>(shape, ptr, strides, swap, len, stride, offsets),
            (Kind::UInt, 4) => accumulate::<u32>(shape, ptr, strides, swap, len, stride, offsets),
            (Kind::UInt, 8) => accumulate::<u64>(shape, ptr, strides, swap, len, stride, offsets),
            _ => unreachable!("accumulate_offsets needs an integer dtype, got {}", dtype.name()),
        }
    }
}

/// An integer element type that converts to `i64` as NumPy's cast to `intp` does.
trait IndexElement: Element {
    fn to_i64(self) -> i64;
}

macro_rules! impl_index_element {
    ($($t:ty),*) => {$(
        impl IndexElement for $t {
            #[inline(always)]
            fn to_i64(self) -> i64 {
                self as i64
            }
        }
    )*};
}
impl_index_element!(i8, i16, i32, i64, u8, u16, u32, u64);

#[inline(always)]
unsafe fn accumulate<T: IndexElement>(
    shape: &[usize],
    ptr: *const u8,
    strides: &[isize],
    swap: bool,
    len: usize,
    stride: isize,
    offsets: &mut [isize],
) -> Result<(), i64> {
    let n = len as i64;
    let mut k = 0usize;
    let mut bad: Option<i64> = None;
    // SAFETY: the caller guarantees every address of the C-order walk is a readable element
    // of `T`, and that `offsets` has one entry per element, so `k` stays in range.
    unsafe {
        strided::for_each_c_order(shape, [ptr as *mut u8], [strides], |p, s, m| {
            if bad.is_some() {
                return;
            }
            let run = &mut offsets[k..k + m];
            let mut ok = true;
            for (i, o) in run.iter_mut().enumerate() {
                let v = T::load(p[0].offset(i as isize * s[0]), swap).to_i64();
                let j = if v < 0 { v.wrapping_add(n) } else { v };
                ok &= (0..n).contains(&j);
                *o += j as isize * stride;
            }
            if !ok {
                // Find the first offender for the message (rare path).
                for i in 0..m {
                    let v = T::load(p[0].offset(i as isize * s[0]), swap).to_i64();
                    if !(-n..n).contains(&v) {
                        bad = Some(v);
                        return;
                    }
                }
            }
            k += m;
        })
    };
    match bad {
        Some(v) => Err(v),
        None => Ok(()),
    }
}

/// What `take` and `put` do with an index outside `-len..len` (NumPy's `mode=`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum IndexMode {
    /// Refuse it (IndexError); negative indices count from the end.
    Raise,
    /// Reduce it modulo the length.
    Wrap,
    /// Clamp it to `0..len` (negative indices become 0).
    Clip,
}

/// How many indices are normalised before they are used (fits in L1 with their offsets).
const BLOCK: usize = 512;

/// Normalises `m` indices read at `p` (`s` bytes apart) against `n` into byte offsets
/// `j * stride` in `offs[..m]`. In `Raise` mode returns `Err(value)` with the first index
/// outside `-n..n`.
///
/// # Safety
/// `p + i * s` must be a readable `T` for `i` in `0..m`; `offs.len() >= m`; `n > 0`.
#[inline(always)]
unsafe fn normalize_run<T: IndexElement, const SWAP: bool>(
    p: *const u8,
    s: isize,
    m: usize,
    n: i64,
    stride: isize,
    mode: IndexMode,
    offs: &mut [isize],
) -> Result<(), i64> {
    let offs = &mut offs[..m];
    match mode {
        IndexMode::Raise => {
            let mut ok = true;
            for (i, o) in offs.iter_mut().enumerate() {
                // SAFETY: `i < m`, so `p + i * s` is a readable `T` (the contract).
                let v = unsafe { T::load(p.offset(i as isize * s), SWAP) }.to_i64();
                ok &= (v >= -n) & (v < n);
                *o = (v + ((v >> 63) & n)) as isize * stride;
            }
            if !ok {
                for i in 0..m {
                    // SAFETY: `i < m`, so `p + i * s` is a readable `T` (the contract).
                    let v = unsafe { T::load(p.offset(i as isize * s), SWAP) }.to_i64();
                    if !(-n..n).contains(&v) {
                        return Err(v);
                    }
                }
            }
        }
        IndexMode::Wrap => {
            for (i, o) in offs.iter_mut().enumerate() {
                // SAFETY: `i < m`, so `p + i * s` is a readable `T` (the contract).
                let v = unsafe { T::load(p.offset(i as isize * s), SWAP) }.to_i64();
                let j = if (0..n).contains(&v) || n == 0 { v } else { v.rem_euclid(n) };
                *o = j as isize * stride;
            }
        }
        IndexMode::Clip => {
            for (i, o) in offs.iter_mut().enumerate() {
                // SAFETY: `i < m`, so `p + i * s` is a readable `T` (the contract).
                let v = unsafe { T::load(p.offset(i as isize * s), SWAP) }.to_i64();
                *o = v.min(n - 1).max(0) as isize * stride;
            }
        }
    }
    Ok(())
}

/// Runs `$body` with `$t` the index element type of `$dtype` and `$swap` its byte order.
macro_rules! by_index_type {
    ($dtype:expr, $t:ident, $swap:ident, $body:expr) => {{
        macro_rules! go {
            ($ty:ty) => {{
                type $t = $ty;
                if $dtype.needs_swap() {
                    const $swap: bool = true;
                    $body
                } else {
                    const $swap: bool = false;
                    $body
                }
            }};
        }
        match ($dtype.kind(), $dtype.itemsize()) {
            (Kind::Int, 1) => go!(i8),
            (Kind::Int, 2) => go!(i16),
            (Kind::Int, 4) => go!(i32),
            (Kind::Int, 8) => go!(i64),
            (Kind::UInt, 1) => go!(u8),
            (Kind::UInt, 2) => go!(u16),
            (Kind::UInt, 4) => go!(u32),
            (Kind::UInt, 8) => go!(u64),
            _ => unreachable!("index kernels need an integer dtype, got {}", $dtype.name()),
        }
    }};
}

/// Reads an integer index array (walked in C order over `shape`) and returns one byte offset
/// `j * stride` per index, `j` normalised against `len` by `mode`.
///
/// Returns `Err(value)` with the first index outside `-len..len` in `Raise` mode.
///
/// # Safety
/// `ptr`/`strides` over `shape` must address readable elements of `dtype`, an integer
/// dtype. With `len == 0` only `Raise` mode gives meaningful offsets (callers refuse the
/// others first).
pub unsafe fn index_offsets(
    shape: &[usize],
    ptr: *const u8,
    strides: &[isize],
    dtype: DType,
    len: usize,
    stride: isize,
    mode: IndexMode,
) -> Result<Vec<isize>, i64> {
    let total: usize = shape.iter().product();
    let mut offsets = vec![0isize; total];
    let mut k = 0usize;
    let mut bad = None;
    by_index_type!(dtype, T, SWAP, {
        // SAFETY: the walk reads only elements of the caller's index layout; `offsets` has
        // one entry per element, so `k..k + m` stays in range.
        unsafe {
            strided::for_each_c_order(shape, [ptr as *mut u8], [strides], |p, s, m| {
                if bad.is_some() {
                    return;
                }
                if let Err(v) =
                    normalize_run::<T, SWAP>(p[0], s[0], m, len as i64, stride, mode, &mut offsets[k..k + m])
                {
                    bad = Some(v);
                }
                k += m;
            })
        }
    });
    match bad {
        Some(v) => Err(v),
        None => Ok(offsets),
    }
}

/// `out[k] = base[index[k]]` for an index array walked in C order over `shape`, one
/// element per index, with `mode` applied. Indices are normalised and checked a block at a
/// time just before that block is gathered, so the index array is read once.
///
/// Returns `Err(value)` with the first index outside `-len..len` in `Raise` mode; `out` may
/// then be partly written (callers give fresh memory and drop it).
///
/// # Safety
/// As for [`index_offsets`]; `base + j * stride` must be a readable element of `itemsize`
/// bytes for every `j` in `0..len`; `out` must be writable for one element per index and
/// must not overlap the source.
pub unsafe fn take_fused(
    shape: &[usize],
    ptr: *const u8,
    strides: &[isize],
    dtype: DType,
    len: usize,
    stride: isize,
    mode: IndexMode,
    base: *const u8,
    out: *mut u8,
    itemsize: usize,
) -> Result<(), i64> {
    if len == 0 {
        // Every index is out of bounds; report the first one.
        // SAFETY: forwarded from this function's contract (`Raise` mode accepts `len == 0`).
        return unsafe { index_offsets(shape, ptr, strides, dtype, 0, stride, IndexMode::Raise) }.map(|_| ());
    }
    if mode == IndexMode::Raise && matches!(itemsize, 1 | 2 | 4 | 8 | 16) {
        let mut cursor = out;
        let mut bad = None;
        by_index_type!(dtype, T, SWAP, {
            // SAFETY: the walk reads only elements of the caller's index layout; every read
            // of the source is at a clamped index in `0..len` (the contract makes those
            // readable); `cursor` advances one element per index inside `out`.
            unsafe {
                strided::for_each_c_order(shape, [ptr as *mut u8], [strides], |p, s, m| {
                    if bad.is_some() {
                        return;
                    }
                    let r = match itemsize {
                        1 => gather_checked::<T, SWAP, 1>(p[0], s[0], m, len as i64, stride, base, cursor),
                        2 => gather_checked::<T, SWAP, 2>(p[0], s[0], m, len as i64, stride, base, cursor),
                        4 => gather_checked::<T, SWAP, 4>(p[0], s[0], m, len as i64, stride, base, cursor),
                        8 => gather_checked::<T, SWAP, 8>(p[0], s[0], m, len as i64, stride, base, cursor),
                        _ => gather_checked::<T, SWAP, 16>(p[0], s[0], m, len as i64, stride, base, cursor),
                    };
                    if let Err(v) = r {
                        bad = Some(v);
                    }
                    cursor = cursor.add(m * itemsize);
                })
            }
        });
        return match bad {
            Some(v) => Err(v),
            None => Ok(()),
        };
    }
    let mut cursor = out;
    let mut bad = None;
    let mut buf = [0isize; BLOCK];
    by_index_type!(dtype, T, SWAP, {
        // SAFETY: the walk reads only elements of the caller's index layout; every offset
        // in `buf` was normalised into `0..len` elements, so the gather reads elements of
        // the source; `cursor` advances one element per index inside `out`.
        unsafe {
            strided::for_each_c_order(shape, [ptr as *mut u8], [strides], |p, s, m| {
                let mut start = 0usize;
                while start < m && bad.is_none() {
                    let c = BLOCK.min(m - start);
                    let q = p[0].offset(start as isize * s[0]);
                    if let Err(v) = normalize_run::<T, SWAP>(q, s[0], c, len as i64, stride, mode, &mut buf) {
                        bad = Some(v);
                        return;
                    }
                    let offs = &buf[..c];
                    match itemsize {
                        1 => gather_elements::<1>(offs, base, cursor),
                        2 => gather_elements::<2>(offs, base, cursor),
                        4 => gather_elements::<4>(offs, base, cursor),
                        8 => gather_elements::<8>(offs, base, cursor),
                        16 => gather_elements::<16>(offs, base, cursor),
                        _ => {
                            for (k, &o) in offs.iter().enumerate() {
                                std::ptr::copy_nonoverlapping(base.offset(o), cursor.add(k * itemsize), itemsize);
                            }
                        }
                    }
                    cursor = cursor.add(c * itemsize);
                    start += c;
                }
            })
        }
    });
    match bad {
        Some(v) => Err(v),
        None => Ok(()),
    }
}

/// One pass of a `Raise`-mode take over a run of `m` indices: each index is checked and,
/// clamped to a valid position (so an out-of-bounds index reads element 0 instead of
/// leaving the source), gathered at once; the check result is reported after the run.
///
/// # Safety
/// `p + i * s` must be a readable `T` for `i < m`; `base + j * stride` a readable element of
/// `W` bytes for `j < n`, with `n > 0`; `out` writable for `m` elements.
#[inline(always)]
unsafe fn gather_checked<T: IndexElement, const SWAP: bool, const W: usize>(
    p: *const u8,
    s: isize,
    m: usize,
    n: i64,
    stride: isize,
    base: *const u8,
    out: *mut u8,
) -> Result<(), i64> {
    let mut ok = true;
    for i in 0..m {
        // SAFETY: `i < m` (the contract), and `j` is clamped into `0..n`.
        unsafe {
            let v = T::load(p.offset(i as isize * s), SWAP).to_i64();
            let good = (v >= -n) & (v < n);
            ok &= good;
            let j = if good { v + ((v >> 63) & n) } else { 0 };
            let e = base.offset(j as isize * stride).cast::<[u8; W]>().read_unaligned();
            out.add(i * W).cast::<[u8; W]>().write_unaligned(e);
        }
    }
    if ok {
        return Ok(());
    }
    for i in 0..m {
        // SAFETY: `i < m` (the contract).
        let v = unsafe { T::load(p.offset(i as isize * s), SWAP) }.to_i64();
        if !(-n..n).contains(&v) {
            return Err(v);
        }
    }
    Ok(())
}

#[inline(always)]
unsafe fn gather_elements<const W: usize>(offsets: &[isize], base: *const u8, out: *mut u8) {
    for (k, &o) in offsets.iter().enumerate() {
        // SAFETY: the caller of `gather` guarantees `base + o` is a readable element and
        // `out` has room for one element per offset.
        unsafe {
            let v = base.offset(o).cast::<[u8; W]>().read_unaligned();
            out.add(k * W).cast::<[u8; W]>().write_unaligned(v);
        }
    }
}

#[inline(always)]
unsafe fn scatter_elements<const W: usize>(offsets: &[isize], base: *mut u8, src: *const u8, repeat: bool) {
    if repeat {
        // SAFETY: the caller of `scatter` guarantees `src` holds one element.
        let v = unsafe { src.cast::<[u8; W]>().read_unaligned() };
        for &o in offsets {
            // SAFETY: the caller of `scatter` guarantees `base + o` is a writable element.
            unsafe { base.offset(o).cast::<[u8; W]>().write_unaligned(v) };
        }
        return;
    }
    for (k, &o) in offsets.iter().enumerate() {
        // SAFETY: the caller of `scatter` guarantees `base + o` is a writable element and
        // `src` holds one element per offset.
        unsafe {
            let v = src.add(k * W).cast::<[u8; W]>().read_unaligned();
            base.offset(o).cast::<[u8; W]>().write_unaligned(v);
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

/// Copies, for each offset in turn, the subspace `sub_shape`/`sub_strides` found at
/// `base + offset` into the next dense C-ordered block of `out`.
///
/// # Safety
/// For every offset, `base + offset` with the subspace layout must address readable
/// elements of `itemsize` bytes; `out` must be writable for
/// `offsets.len() * size(sub_shape) * itemsize` bytes and must not overlap the source.
pub unsafe fn gather(
    offsets: &[isize],
    base: *const u8,
    sub_shape: &[usize],
    sub_strides: &[isize],
    out: *mut u8,
    itemsize: usize,
) {
    let sub: usize = sub_shape.iter().product();
    if sub == 0 {
        return;
    }
    if sub == 1 {
        // SAFETY: forwarded from this function's contract (one element per offset).
        unsafe {
            match itemsize {
                1 => gather_elements::<1>(offsets, base, out),
                2 => gather_elements::<2>(offsets, base, out),
                4 => gather_elements::<4>(offsets, base, out),
                8 => gather_elements::<8>(offsets, base, out),
                16 => gather_elements::<16>(offsets, base, out),
                _ => {
                    for (k, &o) in offsets.iter().enumerate() {
                        std::ptr::copy_nonoverlapping(base.offset(o), out.add(k * itemsize), itemsize);
                    }
                }
            }
        }
        return;
    }
    let chunk = sub * itemsize;
    let dense = dense_strides(sub_shape, itemsize);
    for (k, &o) in offsets.iter().enumerate() {
        // SAFETY: forwarded from this function's contract: the block `k` of `out` is
        // writable and separate from the source subspace at `base + o`.
        unsafe {
            copy_strided(sub_shape, out.add(k * chunk), &dense, base.offset(o), sub_strides, itemsize, Swap::None)
        };
    }
}

/// The inverse of [`gather`]: copies consecutive dense blocks of `src` into the subspace at
/// `base + offset` for each offset in turn, so a repeated offset keeps the last block. With
/// `repeat`, the one block at `src` is written at every offset.
///
/// # Safety
/// For every offset, `base + offset` with the subspace layout must address writable
/// elements of `itemsize` bytes; `src` must be readable for
/// `offsets.len() * size(sub_shape) * itemsize` bytes (one block with `repeat`) and must
/// not overlap the destination.
pub unsafe fn scatter(
    offsets: &[isize],
    base: *mut u8,
    sub_shape: &[usize],
    sub_strides: &[isize],
    src: *const u8,
    itemsize: usize,
    repeat: bool,
) {
    let sub: usize = sub_shape.iter().product();
    if sub == 0 {
        return;
    }
    if sub == 1 {
        // SAFETY: forwarded from this function's contract (one element per offset).
        unsafe {
            match itemsize {
                1 => scatter_elements::<1>(offsets, base, src, repeat),
                2 => scatter_elements::<2>(offsets, base, src, repeat),
                4 => scatter_elements::<4>(offsets, base, src, repeat),
                8 => scatter_elements::<8>(offsets, base, src, repeat),
                16 => scatter_elements::<16>(offsets, base, src, repeat),
                _ => {
                    for (k, &o) in offsets.iter().enumerate() {
                        let from = if repeat { src } else { src.add(k * itemsize) };
                        std::ptr::copy_nonoverlapping(from, base.offset(o), itemsize);
                    }
                }
            }
        }
        return;
    }
    let chunk = sub * itemsize;
    let dense = dense_strides(sub_shape, itemsize);
    for (k, &o) in offsets.iter().enumerate() {
        let from = if repeat { src } else { src.wrapping_add(k * chunk) };
        // SAFETY: forwarded from this function's contract: block `k` of `src` (block 0 with
        // `repeat`) is readable and separate from the destination subspace at `base + o`.
        unsafe { copy_strided(sub_shape, base.offset(o), sub_strides, from, &dense, itemsize, Swap::None) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Offsets, gather and scatter agree with naive indexing of a byte vector.
        #[test]
        fn take_matches_naive(
            len in 1usize..30,
            idx in proptest::collection::vec(-30i64..30, 0..50),
            itemsize in prop_oneof![Just(1usize), Just(2), Just(4), Just(8), Just(16), Just(3)],
        ) {
            let src: Vec<u8> = (0..len * itemsize).map(|i| (i * 37 % 251) as u8).collect();
            let mut offsets = vec![0isize; idx.len()];
            let n = len as i64;
            // SAFETY: `idx` is a dense native i64 vector of `idx.len()` elements.
            let r = unsafe {
                accumulate_offsets(&[idx.len()], idx.as_ptr().cast(), &[8], DType::INT64, len, itemsize as isize, &mut offsets)
            };
            let first_bad = idx.iter().copied().find(|v| !(-n..n).contains(v));
            prop_assert_eq!(r.err(), first_bad);
            if first_bad.is_some() {
                return Ok(());
            }
            let mut out = vec![0u8; idx.len() * itemsize];
            // SAFETY: every offset is a checked element of `src`; `out` has one slot per offset.
            unsafe { gather(&offsets, src.as_ptr(), &[], &[], out.as_mut_ptr(), itemsize) };
            let want: Vec<u8> = idx
                .iter()
                .flat_map(|&v| {
                    let j = if v < 0 { v + n } else { v } as usize;
                    src[j * itemsize..(j + 1) * itemsize].to_vec()
                })
                .collect();
            prop_assert_eq!(&out, &want);
            let mut direct = vec![0u8; idx.len() * itemsize];
            // SAFETY: the indices were checked above; `direct` has one slot per index.
            let r = unsafe {
                take_fused(&[idx.len()], idx.as_ptr().cast(), &[8], DType::INT64, len, itemsize as isize, IndexMode::Raise, src.as_ptr(), direct.as_mut_ptr(), itemsize)
            };
            prop_assert!(r.is_ok());
            prop_assert_eq!(&direct, &want);
            for (mode, norm) in [
                (IndexMode::Wrap, (|v: i64, n: i64| v.rem_euclid(n)) as fn(i64, i64) -> i64),
                (IndexMode::Clip, |v: i64, n: i64| v.clamp(0, n - 1)),
            ] {
                let mut got = vec![0u8; idx.len() * itemsize];
                // SAFETY: `len > 0`; every normalised index is an element of `src`.
                let r = unsafe {
                    take_fused(&[idx.len()], idx.as_ptr().cast(), &[8], DType::INT64, len, itemsize as isize, mode, src.as_ptr(), got.as_mut_ptr(), itemsize)
                };
                prop_assert!(r.is_ok());
                let want: Vec<u8> = idx.iter().flat_map(|&v| {
                    let j = norm(v, n) as usize;
                    src[j * itemsize..(j + 1) * itemsize].to_vec()
                }).collect();
                prop_assert_eq!(got, want);
            }
            let mut dst = vec![0u8; len * itemsize];
            // SAFETY: as above, with `dst` the same size as `src`.
            unsafe { scatter(&offsets, dst.as_mut_ptr(), &[], &[], out.as_ptr(), itemsize, false) };
            let mut naive = vec![0u8; len * itemsize];
            for (k, &v) in idx.iter().enumerate() {
                let j = if v < 0 { v + n } else { v } as usize;
                naive[j * itemsize..(j + 1) * itemsize].copy_from_slice(&out[k * itemsize..(k + 1) * itemsize]);
            }
            prop_assert_eq!(dst, naive);
        }
    }
}
