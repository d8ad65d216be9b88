//! Casts between every pair of dtypes with NumPy's unsafe-casting (`astype`) results.
//!
//! Numeric to numeric pairs run typed loops monomorphised over both element types
//! ([`convert::CastFrom`]); a contiguous native run is a plain indexed loop the compiler
//! vectorises, anything else (strided, unaligned, byte-swapped) loads and stores one
//! element at a time. Bytes (`S`) and void (`V`) go through [`text`].

pub mod convert;
pub mod same_value;
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
    // To bool is "nonzero", which reads both parts: nothing is discarded.
    from.kind() == Kind::Complex && matches!(to.kind(), Kind::Int | Kind::UInt | Kind::Float)
}

/// One inner loop of a numeric cast; returns the exceptions it raised (a
/// [`crate::fpe::bits`] set).
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
) -> u8 {
    let (sz_s, sz_d) = (std::mem::size_of::<S>() as isize, std::mem::size_of::<D>() as isize);
    if !sswap && !dswap && ss == sz_s && ds == sz_d {
        if stream {
            // Large widening casts write with non-temporal stores (`kernels::stream`), a
            // chunk at a time, so the exceptions scan reads a source chunk still in cache.
            const CHUNK: usize = 4096;
            let (s, d) = (src.cast::<S>(), dst.cast::<D>());
            let mut flags = 0u8;
            let mut start = 0;
            while start < n {
                let m = CHUNK.min(n - start);
                // SAFETY: `start + m <= n`: the chunk lies inside both runs (caller's
                // contract); `fill` reads source element `i` of the chunk only to compute
                // destination element `i`, and the runs do not overlap.
                unsafe {
                    let (cs, cd) = (s.add(start), d.add(start));
                    stream::fill(cd, m, true, |i| D::cast_from(cs.add(i).read_unaligned()));
                    flags |= block_flags::<S, D>(cs, m);
                }
                start += m;
            }
            return flags;
        }
        // SAFETY: contiguous run of `n` elements in each operand (caller's contract);
        // unaligned reads/writes through typed pointers, no slices over shared memory.
        return unsafe { contiguous::<S, D>(dst.cast::<D>(), src.cast::<S>(), n) };
    }
    let mut flags = 0u8;
    for i in 0..n as isize {
        // SAFETY: element `i` of each operand is valid by the caller's contract.
        unsafe {
            let v = S::load(src.offset(i * ss), sswap);
            flags |= D::cast_flags(v);
            D::cast_from(v).store(dst.offset(i * ds), dswap);
        }
    }
    flags
}

/// The vectorisable loop: `dst[i] = D::cast_from(src[i])` for `i < n`; returns the
/// exceptions raised (the OR of [`CastFrom::cast_flags`]).
///
/// Blocks of the source (still in L1 after their conversion) are scanned with the cheap
/// [`CastFrom::may_raise`], which vectorises; only a block it flags (NaN, huge or tiny
/// values) runs the exact, scalar test. For f64 to f32 the processor's status word after
/// the block is the first filter ([`CastFrom::STATUS_WORD_HINT`]). For pairs that never
/// raise the scan is constant false and compiles away.
///
/// Compiled for several CPU levels (`multiversion`): the 64-bit compares of the scan and
/// most conversions vectorise only from AVX2 on.
///
/// # Safety
/// `src..src+n` and `dst..dst+n` must be valid (any alignment) and must not overlap.
#[multiversion::multiversion(targets = "simd")]
unsafe fn contiguous<S: Element, D: Element + CastFrom<S>>(dst: *mut D, src: *const S, n: usize) -> u8 {
    const BLOCK: usize = 512;
    let mut flags = 0u8;
    let mut start = 0;
    while start < n {
        let end = n.min(start + BLOCK);
        if D::STATUS_WORD_HINT {
            crate::fpe::clear();
        }
        for i in start..end {
            // SAFETY: `i < n`, inside both runs by the caller's contract.
            unsafe {
                let v = src.add(i).read_unaligned();
                dst.add(i).write_unaligned(D::cast_from(v));
            }
        }
        // With the hint, the status word says whether the block needs a look (platforms
        // without a readable one report nothing: always look).
        let look = !D::STATUS_WORD_HINT || {
            let hw = crate::fpe::raised();
            hw.overflow || hw.underflow || !crate::fpe::READABLE
        };
        if look {
            // SAFETY: `start..end` lies inside the source run (caller's contract).
            flags |= unsafe { block_flags::<S, D>(src.add(start), end - start) };
        }
        start = end;
    }
    flags
}

/// The exceptions of converting `n` source elements: the cheap [`CastFrom::may_raise`]
/// scan (which vectorises), then the exact test only when it flags.
///
/// # Safety
/// `src..src+n` must be readable (any alignment).
#[inline(always)]
unsafe fn block_flags<S: Element, D: CastFrom<S>>(src: *const S, n: usize) -> u8 {
    let mut suspect = false;
    for i in 0..n {
        // SAFETY: `i < n`, inside the run by the caller's contract.
        suspect |= D::may_raise(unsafe { src.add(i).read_unaligned() });
    }
    let mut flags = 0u8;
    if suspect {
        for i in 0..n {
            // SAFETY: as above.
            flags |= D::cast_flags(unsafe { src.add(i).read_unaligned() });
        }
    }
    flags
}

/// Numeric to numeric cast of a whole array walk; records the exceptions raised on the
/// calling thread ([`crate::fpe::record_cast`]).
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
        let parts = unsafe {
            parallel::for_each_split(dst.shape(), ptrs, strides, cost, |f: &mut u8, p, s, n| *f |= body(p, s, n))
        };
        crate::fpe::record_cast(parts.into_iter().fold(0, |a, b| a | b));
        return;
    }
    let mut flags = 0u8;
    // SAFETY: as above.
    unsafe { strided::for_each(dst.shape(), ptrs, strides, |p, s, n| flags |= body(p, s, n)) };
    crate::fpe::record_cast(flags);
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
    if discards_imaginary(sd, dd) {
        crate::fpe::record_cast(crate::fpe::bits::COMPLEX);
    }
    if dd.is_numeric() && sd.is_numeric() {
        // SAFETY: `Array::assign` hands over checked layouts of one shape with no overlap.
        dispatch_numeric!(sd, S => unsafe { cast_from_source::<S>(dst, src) }, else => unreachable!());
        return Ok(());
    }
    text::cast_flexible(dst, src)
}

/// The floating-point exceptions NumPy raises converting the scalar `v` to `to` (for
/// scalar constructors and Python numbers meeting an array, which do not run a cast loop):
/// the value's own precision (f64, complex128, int64 or uint64) converted as
/// [`CastFrom::cast_flags`] says.
pub fn value_flags(v: &crate::scalar::Scalar, to: DType) -> crate::fpe::FpFlags {
    use crate::scalar::Scalar;
    fn of<S: Copy>(s: S, to: DType) -> u8
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
        dispatch_numeric!(to, D => <D as CastFrom<S>>::cast_flags(s), else => 0)
    }
    let b = match *v {
        Scalar::Float(f) => of(f, to),
        Scalar::Complex(re, im) => of(num_complex::Complex::new(re, im), to),
        Scalar::Int(i) => of(i, to),
        Scalar::UInt(u) => of(u, to),
        Scalar::Bool(_) | Scalar::Bytes(_) | Scalar::Void(_) => 0,
    };
    crate::fpe::FpFlags::from_bits(b)
}

#[cfg(test)]
pub(crate) mod tests;
