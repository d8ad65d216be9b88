//! Casts between every pair of dtypes with NumPy's unsafe-casting (`astype`) results.
//!
//! Numeric to numeric pairs run typed loops monomorphised over both element types
//! ([`convert::CastFrom`]); a contiguous native run is a plain indexed loop the compiler
//! vectorises, anything else (strided, unaligned, byte-swapped) loads and stores one
//! element at a time. Bytes (`S`) and void (`V`) go through [`text`].

pub mod convert;
pub mod text;

use crate::array::Array;
use crate::dtype::{DType, Kind};
use crate::error::Result;
use crate::kernels::{stream, Element};
use crate::parallel::{self, Cost};
use crate::{dispatch_numeric, strided};

pub use convert::CastFrom;

/// Fills in the size of an unsized `S0`/`V0` target from the source, as NumPy's `astype`
/// does (`S` from a float64 is `S32`, from an int64 `S21`, `V` from an int32 `V4`, ...).
pub fn resolve_unsized(from: DType, to: DType) -> DType {
    if !to.is_unsized() {
        return to;
    }
    match to.kind() {
        Kind::Bytes => DType::bytes(text::str_len(from).max(1)),
        _ => DType::void(from.itemsize()),
    }
}

/// True when casting `from` to `to` drops an imaginary part (NumPy's `ComplexWarning`:
/// "Casting complex values to real discards the imaginary part"). The binding warns.
pub fn discards_imaginary(from: DType, to: DType) -> bool {
    from.kind() == Kind::Complex && matches!(to.kind(), Kind::Bool | Kind::Int | Kind::UInt | Kind::Float)
}

/// One inner loop of a numeric cast.
///
/// # Safety
/// `n` elements at `src + i*ss` (reads, `size_of::<S>()` bytes) and `dst + i*ds` (writes,
/// `size_of::<D>()` bytes) must be valid, and the two sets must not overlap.
#[inline(always)]
unsafe fn cast_run<S: Element, D: Element + CastFrom<S>>(
    dst: *mut u8,
    ds: isize,
    src: *const u8,
    ss: isize,
    n: usize,
    sswap: bool,
    dswap: bool,
    stream: bool,
) {
    let (sz_s, sz_d) = (std::mem::size_of::<S>() as isize, std::mem::size_of::<D>() as isize);
    if !sswap && !dswap && ss == sz_s && ds == sz_d {
        // Float to integer conversions (saturating, several instructions each in the
        // baseline loop) gain from `fill`'s AVX-512 loop; int64 -> float32 measured slower
        // there (vcvtqq2ps), so other unstreamed casts keep the baseline loop.
        let vectorise = S::KIND == Kind::Float && matches!(D::KIND, Kind::Int | Kind::UInt);
        if stream || (vectorise && n >= 256) {
            let s = src.cast::<S>();
            // SAFETY: `fill` calls this for `i < n` only, inside the source run.
            let f = |i: usize| D::cast_from(unsafe { s.add(i).read_unaligned() });
            // SAFETY: as below; `fill` reads element `i` of the source only to compute
            // element `i`, and the runs do not overlap. Long runs go through `fill`'s
            // AVX-512 loop (this loop is built for the baseline CPU), streamed when large.
            unsafe {
                if stream {
                    stream::fill(dst.cast::<D>(), n, true, f);
                } else {
                    stream::fill_vectorised(dst.cast::<D>(), n, f);
                }
            }
            return;
        }
        // SAFETY: contiguous run of `n` elements in each operand (caller's contract);
        // unaligned reads/writes through typed pointers, no slices over shared memory.
        unsafe { contiguous::<S, D>(dst.cast::<D>(), src.cast::<S>(), n) };
        return;
    }
    for i in 0..n as isize {
        // SAFETY: element `i` of each operand is valid by the caller's contract.
        unsafe { D::cast_from(S::load(src.offset(i * ss), sswap)).store(dst.offset(i * ds), dswap) };
    }
}

/// The vectorisable loop: `dst[i] = D::cast_from(src[i])` for `i < n`.
///
/// # Safety
/// `src..src+n` and `dst..dst+n` must be valid (any alignment) and must not overlap.
#[inline(always)]
unsafe fn contiguous<S: Element, D: Element + CastFrom<S>>(dst: *mut D, src: *const S, n: usize) {
    for i in 0..n {
        // SAFETY: `i < n`, inside both runs by the caller's contract.
        unsafe { dst.add(i).write_unaligned(D::cast_from(src.add(i).read_unaligned())) };
    }
}

/// Numeric to numeric cast of a whole array walk.
///
/// # Safety
/// As for [`cast_into`]: checked layouts, `src` broadcast to `dst`'s shape, no overlap.
unsafe fn cast_numeric<S: Element, D: Element + CastFrom<S>>(dst: &Array, src: &Array) {
    let (sswap, dswap) = (src.dtype().needs_swap(), dst.dtype().needs_swap());
    // Large casts write with non-temporal stores (see `kernels::stream`), except narrowing
    // ones (int64 -> float32, float64 -> float32, int64 -> int32), which measured slower so.
    let streamed = dst.itemsize() >= src.itemsize()
        && stream::should_stream(dst.size().saturating_mul(dst.itemsize() + src.itemsize()));
    let body = |p: [*mut u8; 2], s: [isize; 2], n: usize| {
        // SAFETY: the walk hands out runs of valid elements of both checked layouts, which do
        // not overlap (the caller's contract).
        unsafe { cast_run::<S, D>(p[0], s[0], p[1], s[1], n, sswap, dswap, streamed) }
    };
    let (ptrs, strides) = ([dst.data_ptr(), src.data_ptr()], [dst.strides(), src.strides()]);
    // Conversions through float16 cost several instructions an element; others are bound
    // by memory.
    let cost = if S::IS_HALF || D::IS_HALF { Cost::Compute } else { Cost::Memory };
    if parallel::should_split(dst.size(), cost)
        && strided::writes_are_disjoint(dst.shape(), dst.strides(), dst.itemsize())
    {
        // SAFETY: as above; the destination's elements are pairwise disjoint (checked), so
        // concurrent parts never write the same bytes.
        unsafe { parallel::for_each_split(dst.shape(), ptrs, strides, cost, |_: &mut (), p, s, n| body(p, s, n)) };
        return;
    }
    // SAFETY: as above.
    unsafe { strided::for_each(dst.shape(), ptrs, strides, body) };
}

/// Dispatches the destination type for a known source type.
///
/// # Safety
/// As for [`cast_numeric`].
unsafe fn cast_from_source<S: Element>(dst: &Array, src: &Array)
where
    crate::kernels::Bool: CastFrom<S>,
    i8: CastFrom<S>,
    i16: CastFrom<S>,
    i32: CastFrom<S>,
    i64: CastFrom<S>,
    u8: CastFrom<S>,
    u16: CastFrom<S>,
    u32: CastFrom<S>,
    u64: CastFrom<S>,
    half::f16: CastFrom<S>,
    f32: CastFrom<S>,
    f64: CastFrom<S>,
    num_complex::Complex<f32>: CastFrom<S>,
    num_complex::Complex<f64>: CastFrom<S>,
{
    // SAFETY: forwarded from the caller.
    dispatch_numeric!(dst.dtype(), D => unsafe { cast_numeric::<S, D>(dst, src) }, else => unreachable!())
}

/// Converts every element of `src` into `dst`.
///
/// Precondition (checked by [`Array::assign`], which calls this): `src` has `dst`'s shape
/// (already broadcast), `dst` is writable, and the two do not overlap in memory.
///
/// # Errors
/// `Value` for conversions NumPy refuses (unparsable bytes, void to bytes), with NumPy's
/// message; integer overflow while parsing bytes is also `Value` (NumPy: `OverflowError`).
pub fn cast_into(dst: &Array, src: &Array) -> Result<()> {
    debug_assert_eq!(dst.shape(), src.shape());
    let (dd, sd) = (dst.dtype(), src.dtype());
    if dd.is_numeric() && sd.is_numeric() {
        // SAFETY: `Array::assign` hands over checked layouts of one shape with no overlap.
        dispatch_numeric!(sd, S => unsafe { cast_from_source::<S>(dst, src) }, else => unreachable!());
        return Ok(());
    }
    text::cast_flexible(dst, src)
}

#[cfg(test)]
pub(crate) mod tests;
