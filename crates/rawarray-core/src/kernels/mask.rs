//! Boolean-mask selection (compress) and assignment (expand), in C order, split across the
//! pool for large arrays.
//!
//! A [`MaskWalk`] cuts the C-order positions of an operand and its mask into parts and
//! counts the true mask bytes of each part (the first pass, itself split); the running sums
//! of those counts place each part's output (selection) or input (assignment), so in the
//! second pass the parts run independently.
//!
//! The inner loops read the mask in blocks of 64 bytes, as eight `u64` words:
//! ```text
//! all bytes zero    -> skip 64 elements (a run of false costs eight loads per block)
//! all bytes nonzero -> extend over the following all-true words; one bulk copy
//! mixed             -> selection: store each element at the output cursor and advance
//!                      the cursor by the mask bit (no unpredictable branch);
//!                      assignment: blend each element with its new value by the bit
//! ```
//! Only the block's class is branched on, and it is predictable for runs and scattered
//! masks alike (a branch per word would mispredict on half the words of a 10% mask). An
//! unconditional store needs room: a part checks that a block's worth of elements still
//! fits in its output range (or source range, for assignment) before the branch-free path
//! and takes the branchy path for its last few elements, so parts never write into each
//! other's ranges.

use smallvec::SmallVec;

use crate::parallel::{self, Bases, Cost};
use crate::strided::{self, Axis};

/// One set bit (the lowest) in every byte of a word.
const LANES: u64 = 0x0101_0101_0101_0101;

/// Parts are at least this many elements: below it the pool's overhead outweighs the work.
const MIN_PART: usize = 1 << 16;

/// One bit (the lowest of each byte) for every nonzero byte of `w`: a bool byte of 2 is true
/// too. `(b & 0x7f) + 0x7f` sets bit 7 exactly when the low seven bits are not all zero and
/// never carries into the next byte; or-ing `b` adds its own bit 7.
#[inline(always)]
fn nonzero_lanes(w: u64) -> u64 {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    ((((w & LOW7) + LOW7) | w) >> 7) & LANES
}

/// How the inner loops move one element: as an integer of the element's width, or as a
/// runtime number of bytes for other itemsizes (`S`, `V` and `U` of any length).
trait Item: Copy {
    fn width(self) -> usize;

    /// Copies one element.
    ///
    /// # Safety
    /// `from` readable and `to` writable for `width` bytes (any alignment).
    unsafe fn copy(self, from: *const u8, to: *mut u8);

    /// Writes the element at `from` over the one at `to` when `take`, else leaves `to`'s
    /// value as it is; branch-free for the integer widths (`to` is rewritten either way).
    ///
    /// # Safety
    /// As for [`Item::copy`], and `to` readable.
    unsafe fn blend(self, from: *const u8, to: *mut u8, take: bool);
}

/// A fixed-width element moved as the integer type `T`.
#[derive(Copy, Clone)]
struct Fixed<T>(std::marker::PhantomData<T>);

macro_rules! fixed_item {
    ($($t:ty),*) => {$(
        impl Item for Fixed<$t> {
            #[inline(always)]
            fn width(self) -> usize {
                std::mem::size_of::<$t>()
            }

            #[inline(always)]
            unsafe fn copy(self, from: *const u8, to: *mut u8) {
                // SAFETY: the caller's contract: `width` bytes at each, any alignment.
                unsafe { to.cast::<$t>().write_unaligned(from.cast::<$t>().read_unaligned()) }
            }

            #[inline(always)]
            unsafe fn blend(self, from: *const u8, to: *mut u8, take: bool) {
                let keep = (take as $t).wrapping_sub(1);
                // SAFETY: the caller's contract: `width` bytes at each, any alignment.
                unsafe {
                    let new = from.cast::<$t>().read_unaligned();
                    let old = to.cast::<$t>().read_unaligned();
                    to.cast::<$t>().write_unaligned((new & !keep) | (old & keep));
                }
            }
        }
    )*};
}
fixed_item!(u8, u16, u32, u64, u128);

/// An element of a runtime number of bytes.
#[derive(Copy, Clone)]
struct AnySize(usize);

impl Item for AnySize {
    #[inline(always)]
    fn width(self) -> usize {
        self.0
    }

    #[inline(always)]
    unsafe fn copy(self, from: *const u8, to: *mut u8) {
        // SAFETY: the caller's contract; the two never overlap (distinct arrays, or the
        // compress cursor, which never passes the element it copies).
        unsafe { std::ptr::copy_nonoverlapping(from, to, self.0) }
    }

    #[inline(always)]
    unsafe fn blend(self, from: *const u8, to: *mut u8, take: bool) {
        if take {
            // SAFETY: the caller's contract.
            unsafe { std::ptr::copy_nonoverlapping(from, to, self.0) }
        }
    }
}

/// Calls `$body` with `$item` bound to the [`Item`] for `$itemsize`.
macro_rules! with_item {
    ($itemsize:expr, $item:ident => $body:expr) => {
        match $itemsize {
            1 => {
                let $item = Fixed::<u8>(std::marker::PhantomData);
                $body
            }
            2 => {
                let $item = Fixed::<u16>(std::marker::PhantomData);
                $body
            }
            4 => {
                let $item = Fixed::<u32>(std::marker::PhantomData);
                $body
            }
            8 => {
                let $item = Fixed::<u64>(std::marker::PhantomData);
                $body
            }
            16 => {
                let $item = Fixed::<u128>(std::marker::PhantomData);
                $body
            }
            w => {
                let $item = AnySize(w);
                $body
            }
        }
    };
}

/// The number of nonzero bytes among `n` mask bytes `ms` apart.
///
/// # Safety
/// The `n` bytes must be readable.
#[inline(always)]
unsafe fn count_run(m: *const u8, ms: isize, n: usize) -> usize {
    let mut total = 0usize;
    if ms == 1 {
        // SAFETY: the caller's contract: `n` contiguous readable bytes (the mask is only
        // read during this call).
        let bytes = unsafe { std::slice::from_raw_parts(m, n) };
        // Byte lanes: blocks of 255 fit a u8 count, which vectorises 16-64 bytes an
        // instruction (a usize count widens every byte to 64 bits).
        for block in bytes.chunks(255) {
            total += block.iter().fold(0u8, |c, &b| c + (b != 0) as u8) as usize;
        }
    } else {
        for i in 0..n as isize {
            // SAFETY: the caller's contract.
            total += unsafe { *m.offset(i * ms) != 0 } as usize;
        }
    }
    total
}

/// The number of nonzero bytes in a bool layout.
///
/// # Safety
/// `mask`/`strides` over `shape` must address readable bytes.
pub unsafe fn count_true(shape: &[usize], mask: *const u8, strides: &[isize]) -> usize {
    let mut total = 0usize;
    // SAFETY: forwarded from this function's contract.
    unsafe { strided::for_each(shape, [mask as *mut u8], [strides], |p, s, n| total += count_run(p[0], s[0], n)) };
    total
}

/// Copies `n` elements `ss` bytes apart to consecutive elements at `out`.
///
/// # Safety
/// The source elements readable, `out` writable for `n` elements, no overlap.
#[inline(always)]
unsafe fn copy_block<I: Item>(it: I, src: *const u8, ss: isize, out: *mut u8, n: usize) {
    let w = it.width();
    if ss == w as isize {
        // SAFETY: the caller's contract; a dense source is `n * w` contiguous bytes.
        unsafe { std::ptr::copy_nonoverlapping(src, out, n * w) };
    } else {
        for i in 0..n {
            // SAFETY: the caller's contract.
            unsafe { it.copy(src.offset(i as isize * ss), out.add(i * w)) };
        }
    }
}

/// Mask bytes looked at together: a block that is all false or all true takes one
/// predictable branch, whatever the density of a scattered mask.
const BLOCK: usize = 64;

/// What one block of mask bytes holds.
enum Block {
    /// Every byte zero.
    False,
    /// Every byte nonzero.
    True,
    /// The [`nonzero_lanes`] of its eight words.
    Mixed([u64; BLOCK / 8]),
}

/// Classifies the `BLOCK` mask bytes at `m`.
///
/// # Safety
/// `BLOCK` bytes at `m` must be readable.
#[inline(always)]
unsafe fn block(m: *const u8) -> Block {
    // SAFETY: the caller's contract; unaligned loads.
    let words: [u64; BLOCK / 8] = std::array::from_fn(|k| unsafe { m.add(8 * k).cast::<u64>().read_unaligned() });
    if words.iter().fold(0, |a, &w| a | w) == 0 {
        return Block::False;
    }
    let lanes = words.map(nonzero_lanes);
    if lanes.iter().fold(LANES, |a, &l| a & l) == LANES {
        Block::True
    } else {
        Block::Mixed(lanes)
    }
}

/// The end (exclusive) of the run of all-true mask words starting at `i`, a multiple of
/// eight bytes from `i`, at most `n`.
///
/// # Safety
/// Mask bytes `i..n` must be readable.
#[inline(always)]
unsafe fn true_run_end(m: *const u8, mut i: usize, n: usize) -> usize {
    // SAFETY: `i + 8 <= n` keeps every word inside the readable bytes.
    while i + 8 <= n && nonzero_lanes(unsafe { m.add(i).cast::<u64>().read_unaligned() }) == LANES {
        i += 8;
    }
    i
}

/// Selection over one inner run: the elements of `src` (`ss` apart) whose mask byte (`ms`
/// apart) is nonzero go to `*out`, which advances; `end` bounds this part's output.
///
/// # Safety
/// `n` source elements and mask bytes readable; `*out..end` writable, not overlapping the
/// source, and exactly as long as the selected elements of the rest of this part.
#[inline(always)]
unsafe fn compress_run<I: Item>(
    it: I,
    src: *const u8,
    ss: isize,
    m: *const u8,
    ms: isize,
    n: usize,
    out: &mut *mut u8,
    end: *mut u8,
) {
    let w = it.width();
    let mut o = *out;
    let mut i = 0usize;
    // Dense 4- and 8-byte elements: mixed blocks compress in registers (AVX-512).
    let wide = ms == 1 && ss == w as isize && matches!(w, 4 | 8) && wide::available();
    // SAFETY: for the whole loop, every index below `n` addresses a readable element and mask byte
    // (the contract); `o` advances only past selected elements, so it never passes `end`,
    // and an unconditional store happens only with room for it before `end`: a block's
    // worth checked before the branch-free block loop, one (`o != end`) in the tail loop.
    unsafe {
        if ms == 1 {
            while i + BLOCK <= n {
                match block(m.add(i)) {
                    Block::False => i += BLOCK,
                    Block::True => {
                        let j = true_run_end(m, i + BLOCK, n);
                        copy_block(it, src.offset(i as isize * ss), ss, o, j - i);
                        o = o.add((j - i) * w);
                        i = j;
                    }
                    Block::Mixed(_) if wide && (end as usize) - (o as usize) >= BLOCK * w => {
                        // `wide` was only set where the loop runs; the block's `BLOCK`
                        // elements (dense) and mask bytes are readable and the output has
                        // room for all of them.
                        o = wide::compress_block(src.offset(i as isize * ss), m.add(i), o, w);
                        i += BLOCK;
                    }
                    Block::Mixed(lanes) => {
                        let from = src.offset(i as isize * ss);
                        if (end as usize) - (o as usize) >= BLOCK * w {
                            for (k, l) in lanes.iter().enumerate() {
                                for b in 0..8 {
                                    it.copy(from.offset((8 * k + b) as isize * ss), o);
                                    o = o.add(w * ((l >> (8 * b)) & 1) as usize);
                                }
                            }
                        } else {
                            for (k, l) in lanes.iter().enumerate() {
                                for b in 0..8 {
                                    if (l >> (8 * b)) & 1 != 0 {
                                        it.copy(from.offset((8 * k + b) as isize * ss), o);
                                        o = o.add(w);
                                    }
                                }
                            }
                        }
                        i += BLOCK;
                    }
                }
            }
        }
        while i < n && o != end {
            it.copy(src.offset(i as isize * ss), o);
            o = o.add(w * (*m.offset(i as isize * ms) != 0) as usize);
            i += 1;
        }
    }
    *out = o;
}

/// Mixed mask blocks of dense 4- and 8-byte elements, compressed in AVX-512 registers:
/// eight (sixteen) elements a load, their selected ones packed to the front by one
/// `vpcompressq` (`vpcompressd`) and stored whole; the cursor advances by the count. (The
/// register form: compressing straight to memory is microcoded and slow on Zen 4.)
mod wide {
    /// Whether the CPU has AVX-512 F and BW (`std` caches the answer).
    #[inline]
    pub(super) fn available() -> bool {
        #[cfg(target_arch = "x86_64")]
        {
            std::arch::is_x86_feature_detected!("avx512f") && std::arch::is_x86_feature_detected!("avx512bw")
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            false
        }
    }

    /// Compresses one block: the elements at `from` (`BLOCK` of `w` bytes, dense) whose
    /// mask byte at `m` is nonzero go to `o` on; returns the advanced cursor.
    ///
    /// # Safety
    /// [`available`] is true; `w` is 4 or 8; `BLOCK` elements at `from` and `BLOCK` mask
    /// bytes at `m` are readable; `BLOCK * w` bytes at `o` are writable (each 64-byte store
    /// may run past the selected elements, never past the block's worth) and overlap neither.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bw,popcnt")]
    pub(super) unsafe fn compress_block(from: *const u8, m: *const u8, mut o: *mut u8, w: usize) -> *mut u8 {
        use std::arch::x86_64::*;
        const _: () = assert!(super::BLOCK == 64);
        // SAFETY: the contract: 64 readable mask bytes, 8 (w = 8) or 4 (w = 4) groups of 64
        // readable source bytes; the store of group `g` starts after the selected elements
        // of the groups before it, so it ends at most `(64 - 64 / w) * w + 64 = 64 w` bytes
        // from the block's first output byte: inside the writable room.
        unsafe {
            let mv = _mm512_loadu_si512(m.cast());
            let bits: u64 = _mm512_test_epi8_mask(mv, mv);
            if w == 8 {
                for g in 0..8 {
                    let k = (bits >> (8 * g)) as u8;
                    let v = _mm512_loadu_si512(from.add(64 * g).cast());
                    _mm512_storeu_si512(o.cast(), _mm512_maskz_compress_epi64(k, v));
                    o = o.add(8 * k.count_ones() as usize);
                }
            } else {
                for g in 0..4 {
                    let k = (bits >> (16 * g)) as u16;
                    let v = _mm512_loadu_si512(from.add(64 * g).cast());
                    _mm512_storeu_si512(o.cast(), _mm512_maskz_compress_epi32(k, v));
                    o = o.add(4 * k.count_ones() as usize);
                }
            }
        }
        o
    }

    /// Never called: [`available`] is false off x86-64.
    #[cfg(not(target_arch = "x86_64"))]
    pub(super) unsafe fn compress_block(_: *const u8, _: *const u8, o: *mut u8, _: usize) -> *mut u8 {
        unreachable!("no AVX-512 off x86-64")
    }
}

/// Assignment over one inner run: the elements of `dst` (`ds` apart) whose mask byte is
/// nonzero receive consecutive source elements from `*src` (advancing by `step` bytes, 0
/// repeating one); `end` bounds this part's source.
///
/// # Safety
/// `n` destination elements writable and readable, `n` mask bytes readable; `*src..end`
/// readable, not overlapping the destination, and exactly the source elements of the rest
/// of this part (one element when `step` is 0).
#[inline(always)]
#[allow(clippy::too_many_arguments)] // one inner loop, its operands spelled out
unsafe fn expand_run<I: Item>(
    it: I,
    dst: *mut u8,
    ds: isize,
    m: *const u8,
    ms: isize,
    n: usize,
    src: &mut *const u8,
    end: *const u8,
    step: usize,
) {
    let w = it.width();
    let mut s = *src;
    let mut i = 0usize;
    // SAFETY: for the whole loop, indices below `n` address destination elements and mask bytes of
    // the contract; `s` advances once per selected element, so it stays inside `*src..end`
    // (or on the one element when `step` is 0); the branch-free blend reads a block's worth
    // of source elements only when that many remain before `end`.
    unsafe {
        if ms == 1 {
            while i + BLOCK <= n {
                let to = dst.offset(i as isize * ds);
                match block(m.add(i)) {
                    Block::False => i += BLOCK,
                    Block::True => {
                        let j = true_run_end(m, i + BLOCK, n);
                        if step == w && ds == w as isize {
                            std::ptr::copy_nonoverlapping(s, to, (j - i) * w);
                        } else {
                            for k in 0..j - i {
                                it.copy(s.add(k * step), to.offset(k as isize * ds));
                            }
                        }
                        s = s.add((j - i) * step);
                        i = j;
                    }
                    Block::Mixed(lanes) => {
                        if step == 0 || (end as usize) - (s as usize) >= BLOCK * step {
                            for (k, l) in lanes.iter().enumerate() {
                                for b in 0..8 {
                                    let take = (l >> (8 * b)) & 1;
                                    it.blend(s, to.offset((8 * k + b) as isize * ds), take != 0);
                                    s = s.add(step * take as usize);
                                }
                            }
                        } else {
                            for (k, l) in lanes.iter().enumerate() {
                                for b in 0..8 {
                                    if (l >> (8 * b)) & 1 != 0 {
                                        it.copy(s, to.offset((8 * k + b) as isize * ds));
                                        s = s.add(step);
                                    }
                                }
                            }
                        }
                        i += BLOCK;
                    }
                }
            }
        }
        for i in i..n {
            if *m.offset(i as isize * ms) != 0 {
                it.copy(s, dst.offset(i as isize * ds));
                s = s.add(step);
            }
        }
    }
    *src = s;
}

/// A C-order walk of an operand and its bool mask over one shape, cut into parts, with the
/// number of true mask bytes before each part.
pub struct MaskWalk {
    axes: SmallVec<[Axis<2>; 4]>,
    /// Flat C-order positions: part `k` is `bounds[k]..bounds[k + 1]`. (Inline for one
    /// part: small walks allocate nothing.)
    bounds: SmallVec<[usize; 2]>,
    /// `starts[k]` true mask bytes precede part `k`; the last entry is the total.
    starts: SmallVec<[usize; 2]>,
    parallel: bool,
}

impl MaskWalk {
    /// Plans the walk of an operand with byte strides `strides` and a bool mask at `mask`
    /// with `mask_strides`, both over `shape`, and counts the mask's true bytes (on the pool
    /// when the walk is large and `may_split`).
    ///
    /// # Safety
    /// `mask`/`mask_strides` over `shape` must address readable bytes, which must not change
    /// until the walk's [`MaskWalk::compress`] or [`MaskWalk::expand`] has run.
    pub unsafe fn new(
        shape: &[usize],
        strides: &[isize],
        mask: *const u8,
        mask_strides: &[isize],
        may_split: bool,
    ) -> MaskWalk {
        let total: usize = shape.iter().product();
        let parallel = may_split && parallel::should_split(total, Cost::Compute);
        let parts = if parallel { (total / MIN_PART).clamp(2, 8 * parallel::num_threads()) } else { 1 };
        // Inner boundaries on multiples of 64 positions keep whole mask words in a part.
        // SAFETY: forwarded from this function's contract.
        unsafe { MaskWalk::with_parts(shape, strides, mask, mask_strides, parts, 64, parallel) }
    }

    /// [`MaskWalk::new`] with the number of parts, the alignment of their boundaries and
    /// the use of the pool chosen by the caller.
    ///
    /// # Safety
    /// As for [`MaskWalk::new`].
    unsafe fn with_parts(
        shape: &[usize],
        strides: &[isize],
        mask: *const u8,
        mask_strides: &[isize],
        parts: usize,
        align: usize,
        parallel: bool,
    ) -> MaskWalk {
        let total: usize = shape.iter().product();
        let axes = strided::plan_c_order(shape, [strides, mask_strides]).unwrap_or_default();
        let bounds: SmallVec<[usize; 2]> = if parts == 1 {
            SmallVec::from_slice(&[0, total])
        } else {
            parallel::split_points(total, parts, align).into()
        };
        let mask = Bases([std::ptr::null_mut(), mask as *mut u8]);
        let count_part = |k: usize| {
            let mut count = 0;
            let bases = mask;
            // SAFETY: the range lies inside the shape, whose mask bytes are readable (the
            // contract); only the mask operand is read.
            unsafe {
                strided::walk_range(&axes, bases.0, bounds[k], bounds[k + 1], |p, s, n| {
                    count += count_run(p[1], s[1], n)
                })
            };
            count
        };
        let mut starts: SmallVec<[usize; 2]> = SmallVec::from_slice(&[0]);
        if bounds.len() == 2 {
            starts.push(count_part(0));
        } else {
            for c in parallel::map_parts(bounds.len() - 1, parallel, count_part) {
                starts.push(starts.last().copied().unwrap_or(0) + c);
            }
        }
        MaskWalk { axes, bounds, starts, parallel }
    }

    /// The number of true mask bytes.
    pub fn count(&self) -> usize {
        self.starts.last().copied().unwrap_or(0)
    }

    /// Runs `part(k, bases)` for every part, on the pool when the walk is split.
    fn run_parts<const N: usize>(&self, bases: Bases<N>, part: impl Fn(usize, Bases<N>) + Sync) {
        parallel::map_parts(self.bounds.len() - 1, self.parallel, |k| part(k, bases));
    }

    /// Copies the elements of `src` where the mask is true, in C order, densely to `out`.
    ///
    /// # Safety
    /// `src` with the operand strides and `mask` with the mask strides given to
    /// [`MaskWalk::new`] must address readable elements over its shape; `out` must be
    /// writable for `count() * itemsize` bytes and must not overlap `src`.
    pub unsafe fn compress(&self, src: *const u8, mask: *const u8, out: *mut u8, itemsize: usize) {
        self.run_parts(Bases([src as *mut u8, mask as *mut u8, out]), |k, b| {
            let [src, mask, out] = b.0;
            // SAFETY: part `k`'s selected elements go to its own slice
            // `starts[k]..starts[k + 1]` of `out` (the contract gives room for all of them);
            // the walk covers the part's positions of the two readable layouts.
            unsafe {
                let mut cursor = out.add(self.starts[k] * itemsize);
                let end = out.add(self.starts[k + 1] * itemsize);
                strided::walk_range(
                    &self.axes,
                    [src, mask],
                    self.bounds[k],
                    self.bounds[k + 1],
                    |p, s, n| with_item!(itemsize, it => compress_run(it, p[0], s[0], p[1], s[1], n, &mut cursor, end)),
                );
                debug_assert!(cursor == end, "part {k} selected a different count");
            }
        });
    }

    /// Writes consecutive elements of `src` (advancing by `step` bytes; 0 repeats one
    /// element) into the elements of `dst` where the mask is true, in C order.
    ///
    /// # Safety
    /// `dst` with the operand strides given to [`MaskWalk::new`] must address readable and
    /// writable elements over its shape (whose bytes no two elements share, when the walk
    /// was made with `may_split`), and `mask` readable bytes with the mask strides; `src`
    /// must hold `count()` elements `step` bytes apart (or one, with `step == 0`) and must
    /// not overlap `dst` or the mask.
    pub unsafe fn expand(&self, dst: *mut u8, mask: *const u8, src: *const u8, step: usize, itemsize: usize) {
        self.run_parts(Bases([dst, mask as *mut u8, src as *mut u8]), |k, b| {
            let [dst, mask, src] = b.0;
            // SAFETY: part `k` reads its own source elements `starts[k]..starts[k + 1]` and
            // writes only its own destination elements (disjoint from other parts' by the
            // contract); the walk covers the part's positions of the layouts.
            unsafe {
                let mut cursor = src.add(self.starts[k] * step) as *const u8;
                let end = if step == 0 { src.add(itemsize) } else { src.add(self.starts[k + 1] * step) };
                strided::walk_range(&self.axes, [dst, mask], self.bounds[k], self.bounds[k + 1], |p, s, n| {
                    with_item!(itemsize, it => expand_run(it, p[0], s[0], p[1], s[1], n, &mut cursor, end, step))
                });
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A mask with runs: blocks of all-false, all-true and mixed bytes (some of them 2 or 255).
    fn mask_bytes() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(
            prop_oneof![
                (1usize..150).prop_map(|n| vec![0u8; n]),
                (1usize..150).prop_map(|n| vec![1u8; n]),
                proptest::collection::vec(prop_oneof![Just(0u8), Just(1), Just(2), Just(255)], 1..100),
            ],
            0..12,
        )
        .prop_map(|v| v.concat())
    }

    /// Memory laid out for a 2-D walk: the byte offsets of every C-order position, the base
    /// offset (so the most negative one is 0) and the buffer length.
    fn laid_out(shape: [usize; 2], strides: [isize; 2], width: usize) -> (Vec<usize>, isize, usize) {
        let mut offsets = vec![];
        for r in 0..shape[0] as isize {
            for c in 0..shape[1] as isize {
                offsets.push(r * strides[0] + c * strides[1]);
            }
        }
        let lo = offsets.iter().copied().min().unwrap_or(0).min(0);
        let hi = offsets.iter().copied().max().unwrap_or(0).max(0);
        (offsets.iter().map(|o| (o - lo) as usize).collect(), -lo, (hi - lo) as usize + width)
    }

    /// The 2-D layouts a mask of `n` bytes is tried on: (shape, source strides in elements,
    /// mask strides in bytes): dense, a reversed strided source, a strided reversed mask, and
    /// two 2-D walks whose source is F-ordered.
    fn layouts(n: usize) -> Vec<([usize; 2], [isize; 2], [isize; 2])> {
        let mut v = vec![([1, n], [0, 1], [0, 1]), ([1, n], [0, -2], [0, 1]), ([1, n], [0, 1], [0, -3])];
        if n.is_multiple_of(2) && n > 0 {
            let h = n / 2;
            v.push(([2, h], [1, 2], [h as isize, 1]));
            v.push(([h, 2], [1, h as isize], [1, h as isize]));
        }
        v
    }

    /// Selection and assignment on every layout, walked in `parts` parts.
    fn check(mask: &[u8], itemsize: usize, parts: usize, parallel: bool) -> Result<(), TestCaseError> {
        let n = mask.len();
        for (shape, es, ms) in layouts(n) {
            let strides = es.map(|e| e * itemsize as isize);
            let (soff, sbase, slen) = laid_out(shape, strides, itemsize);
            let (moff, mbase, mlen) = laid_out(shape, ms, 1);
            let src: Vec<u8> = (0..slen).map(|i| (i * 31 % 251) as u8).collect();
            let mut mbuf = vec![7u8; mlen];
            for (p, &o) in moff.iter().enumerate() {
                mbuf[o] = mask[p];
            }
            let selected: Vec<usize> = (0..n).filter(|&p| mask[p] != 0).collect();
            let want: Vec<u8> = selected.iter().flat_map(|&p| src[soff[p]..soff[p] + itemsize].to_vec()).collect();
            // SAFETY: every position's element and mask byte lie inside `src`/`dst` and
            // `mbuf` (`laid_out` sized them); `out` and `values` hold the selected elements.
            unsafe {
                let mptr = mbuf.as_ptr().offset(mbase);
                let walk = MaskWalk::with_parts(&shape, &strides, mptr, &ms, parts, 1, parallel);
                prop_assert_eq!(walk.count(), selected.len());
                let mut out = vec![0u8; want.len()];
                walk.compress(src.as_ptr().offset(sbase), mptr, out.as_mut_ptr(), itemsize);
                prop_assert_eq!(&out, &want, "select: shape {:?} strides {:?} mask strides {:?}", shape, strides, ms);

                // Assignment of one value per selected element, then of one repeated value.
                let values: Vec<u8> = (0..want.len().max(itemsize)).map(|i| (i * 7 + 3) as u8).collect();
                for step in [itemsize, 0] {
                    let mut expect = src.clone();
                    for (c, &p) in selected.iter().enumerate() {
                        let v = &values[c * step..c * step + itemsize];
                        expect[soff[p]..soff[p] + itemsize].copy_from_slice(v);
                    }
                    let mut dst = src.clone();
                    walk.expand(dst.as_mut_ptr().offset(sbase), mptr, values.as_ptr(), step, itemsize);
                    prop_assert_eq!(&dst, &expect, "assign step {}: shape {:?} strides {:?}", step, shape, strides);
                }
            }
        }
        Ok(())
    }

    proptest! {
        /// Selection and assignment agree with a naive filter, for every layout, itemsize and
        /// cut into parts.
        #[test]
        fn compress_and_expand_match_naive(
            mask in mask_bytes(),
            itemsize in prop_oneof![Just(1usize), Just(2), Just(4), Just(8), Just(16), Just(3), Just(12)],
            parts in 1usize..6,
            parallel: bool,
        ) {
            check(&mask, itemsize, parts, parallel)?;
        }
    }

    #[test]
    fn count_true_counts_nonzero_bytes() {
        let mask: Vec<u8> = (0..1000u32).map(|i| (i.wrapping_mul(2654435761) >> 29) as u8 & 3).collect();
        let want = mask.iter().filter(|&&b| b != 0).count();
        // SAFETY: 1000 readable bytes, and 500 at stride 2.
        unsafe {
            assert_eq!(count_true(&[1000], mask.as_ptr(), &[1]), want);
            assert_eq!(count_true(&[500], mask.as_ptr(), &[2]), mask.iter().step_by(2).filter(|&&b| b != 0).count());
        }
    }

    #[test]
    fn nonzero_lanes_marks_every_nonzero_byte() {
        for b in 0..=255u8 {
            let w = u64::from_ne_bytes([b, 0, b, 1, 255, 0, 128, b]);
            let want: [u8; 8] = [b != 0, false, b != 0, true, true, false, true, b != 0].map(u8::from);
            assert_eq!(nonzero_lanes(w), u64::from_ne_bytes(want), "{b}");
        }
    }
}
