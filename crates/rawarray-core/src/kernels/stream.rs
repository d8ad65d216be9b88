//! Non-temporal ("streaming") stores for outputs far larger than the last-level cache.
//!
//! An ordinary store to a line that is not in cache first reads the line from memory (a
//! read-for-ownership) and later writes it back, so `c = a + b` on arrays of 10^7 doubles
//! moves 320 MB, not 240 MB. A non-temporal store writes whole lines straight to memory
//! through write-combining buffers and skips the read. That pays only when the output would
//! not stay in cache anyway: the kernels stream when the bytes an operation touches (inputs
//! plus outputs) reach [`STREAM_MIN_BYTES`] (the size of the last-level cache of the machines
//! we measure on), and write ordinarily otherwise, so that a small result stays in cache for
//! the next operation. Outputs written in place (the output is an input run) keep plain
//! stores too: the loads already brought those lines into cache, so there is no
//! read-for-ownership to save, and streaming them measured slower (`add(a, 0, out=a)` at
//! 10^7 doubles: 3.1 -> 3.4 ms).
//!
//! Invariant: every function here that issues non-temporal stores ends with `sfence` before
//! it returns. Those stores are weakly ordered; the fence makes them visible before the
//! kernel reports its part done to the pool (or hands the result back), so no caller ever
//! sees a streamed store in flight.
//!
//! The stores are AVX-512 (`vmovntdq` of whole 64-byte lines, on CPUs with AVX-512 F, DQ,
//! BW and VL), chosen at run time; on other
//! CPUs and architectures every function falls back to plain stores with the same results.
//! Streaming never changes a result: it is a choice of store instruction only.
//!
//! How a generic loop streams: [`fill`] computes blocks of 256 bytes of results into a local
//! 64-byte aligned buffer, which LLVM keeps in vector registers, and stores each block with
//! four non-temporal stores; the unaligned head and the tail use plain stores. Computing into
//! a larger L1 scratch buffer and copying it out with non-temporal stores was measured and
//! gained nothing over plain stores (c = a + b, 10^7 doubles, two threads), while storing
//! each register directly saves about a fifth of the time; for the portable vmath loops
//! (2048-element chunks, then a non-temporal copy) it was slower than plain stores (exp f32
//! at 10^7: ratio to NumPy 0.42 -> 0.59), so those loops do not stream; the AVX-512 exp
//! and log loops store each result vector with a non-temporal store instead. Plain
//! copies keep `memcpy`, which glibc already streams above a size threshold and which beat
//! an AVX-512 non-temporal copy loop (tobytes of 80 MB: 14 vs 19 ms).
//!
//! The ufunc loops have a fixed ABI, so the ufunc driver tells them to stream through a
//! per-thread hint ([`with_hint`], [`hinted`]) set around each part of a large call.

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

/// Operations that touch at least this many bytes (inputs plus outputs) write their outputs
/// with non-temporal stores: 32 MiB, the last-level cache of the machines we measure on.
/// The environment variable `RAWARRAY_STREAM_MIN_BYTES` overrides it (read once, for
/// benchmarks; a huge value turns streaming off).
pub const STREAM_MIN_BYTES: usize = 32 << 20;

/// The bytes of one streamed block: four cache lines.
const BLOCK: usize = 256;

/// A test override of the threshold (0: none).
static TEST_MIN_BYTES: AtomicUsize = AtomicUsize::new(0);

/// The current threshold in bytes (see [`STREAM_MIN_BYTES`]).
pub fn min_bytes() -> usize {
    match TEST_MIN_BYTES.load(Ordering::Relaxed) {
        0 => {
            static ENV: OnceLock<usize> = OnceLock::new();
            *ENV.get_or_init(|| {
                std::env::var("RAWARRAY_STREAM_MIN_BYTES")
                    .ok()
                    .and_then(|v| v.trim().parse().ok())
                    .unwrap_or(STREAM_MIN_BYTES)
            })
        }
        n => n,
    }
}

/// Sets (`Some`) or clears (`None`) a process-wide override of the threshold, so that tests
/// reach the streaming paths with small arrays. Results never depend on it, so tests that
/// run concurrently are unaffected apart from the store instructions they use.
#[doc(hidden)]
pub fn set_min_bytes_for_tests(bytes: Option<usize>) {
    TEST_MIN_BYTES.store(bytes.map_or(0, |b| b.max(1)), Ordering::Relaxed);
}

/// Whether this CPU has the streaming stores the kernels use (and FMA, which the AVX-512
/// block loop is compiled with).
#[inline]
pub fn available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512dq")
            && std::arch::is_x86_feature_detected!("avx512bw")
            && std::arch::is_x86_feature_detected!("avx512vl")
            && std::arch::is_x86_feature_detected!("fma")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// Whether an operation touching `bytes` bytes (inputs plus outputs) should stream its
/// outputs.
#[inline]
pub fn should_stream(bytes: usize) -> bool {
    bytes >= min_bytes() && available()
}

thread_local! {
    static HINT: Cell<bool> = const { Cell::new(false) };
}

/// Whether the driver running on this thread asked the loops to stream their outputs.
#[inline]
pub(crate) fn hinted() -> bool {
    HINT.with(Cell::get)
}

/// Runs `f` with the streaming hint of this thread set to `on` (restored afterwards).
pub(crate) fn with_hint<R>(on: bool, f: impl FnOnce() -> R) -> R {
    let before = HINT.with(|h| h.replace(on));
    let r = f();
    HINT.with(|h| h.set(before));
    r
}

/// `dst[i] = f(i)` for `i` in `0..n`, in increasing blocks of `i`: all the `f(i)` of a block
/// are computed before any of its elements is stored, so `f` may read the element it is
/// about to replace (in place). With `stream` (and a CPU that has streaming stores, and a
/// destination aligned to the element size), whole 64-byte lines are written with
/// non-temporal stores and the call ends with `sfence`; otherwise plain stores.
///
/// # Safety
/// `dst..dst + n` must be writable (any alignment); `f(i)` may read `dst + j` only for
/// `j >= i` within the block being computed (the contract of an in-place elementwise loop:
/// element `i` is read only to compute element `i`).
#[inline(always)]
pub(crate) unsafe fn fill<T: Copy>(dst: *mut T, n: usize, stream: bool, mut f: impl FnMut(usize) -> T) {
    // SAFETY: forwarded.
    unsafe { fill_with::<T, true>(dst, n, stream, &mut f) }
}

/// [`fill`]: the AVX-512 block loop with non-temporal (`NT`) or ordinary stores; `go`
/// false means plain stores.
///
/// # Safety
/// As for [`fill`].
#[inline(always)]
unsafe fn fill_with<T: Copy, const NT: bool>(dst: *mut T, n: usize, go: bool, f: &mut impl FnMut(usize) -> T) {
    #[cfg(target_arch = "x86_64")]
    {
        let size = std::mem::size_of::<T>();
        if go && size > 0 && BLOCK.is_multiple_of(size) && (dst as usize).is_multiple_of(size) && available() {
            // SAFETY: AVX-512 is available (checked); the size and alignment conditions
            // `fill_avx512` needs were checked just above; the rest is the caller's contract.
            unsafe { fill_avx512::<T, NT>(dst, n, f) };
            return;
        }
    }
    let _ = go;
    for i in 0..n {
        // SAFETY: `i < n`, inside `dst` by the caller's contract.
        unsafe { dst.add(i).write_unaligned(f(i)) };
    }
}

/// One block of results, aligned to a cache line.
#[cfg(target_arch = "x86_64")]
#[repr(C, align(64))]
struct Block([u8; BLOCK]);

/// [`fill`] with non-temporal stores. The element function is compiled here with AVX-512
/// (DQ for 64-bit integer conversions, BW for bytes), which also vectorises loops that are
/// otherwise built for the baseline (casts), and with FMA (every AVX-512 CPU has it), so
/// that an element function compiled with FMA (complex multiplication) inlines here.
///
/// # Safety
/// AVX-512 F, DQ, BW and VL and FMA must be available; `size_of::<T>()` divides [`BLOCK`] and the address of `dst`;
/// otherwise as for [`fill`].
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx512dq,avx512bw,avx512vl,fma")]
unsafe fn fill_avx512<T: Copy, const NT: bool>(dst: *mut T, n: usize, f: &mut impl FnMut(usize) -> T) {
    use std::arch::x86_64::{__m512i, _mm512_load_si512, _mm512_store_si512, _mm512_stream_si512, _mm_sfence};
    let size = std::mem::size_of::<T>();
    let per = BLOCK / size;
    // Plain stores up to the first line boundary: `dst` is a multiple of `size`, and so is
    // the distance to the boundary, because `size` divides 64.
    let mis = dst as usize % 64;
    let head = if mis == 0 { 0 } else { ((64 - mis) / size).min(n) };
    let mut i = 0;
    while i < head {
        // SAFETY: `i < n`, inside `dst` by the caller's contract.
        unsafe { dst.add(i).write_unaligned(f(i)) };
        i += 1;
    }
    let mut buf = std::mem::MaybeUninit::<Block>::uninit();
    let b = buf.as_mut_ptr().cast::<T>();
    while i + per <= n {
        for k in 0..per {
            // SAFETY: `k < per`, and `per` elements of `T` fill the local block exactly.
            unsafe { b.add(k).write_unaligned(f(i + k)) };
        }
        // SAFETY: the block's 256 bytes were all written just above; `dst + i` is 64-byte
        // aligned (the head ended on a line boundary and blocks are whole lines), and the
        // four lines `i..i + per` are inside `dst` because `i + per <= n`. AVX-512 F is
        // enabled on this function.
        unsafe {
            let (s, d) = (b.cast::<__m512i>().cast_const(), dst.add(i).cast::<__m512i>());
            for k in 0..4 {
                if NT {
                    _mm512_stream_si512(d.add(k), _mm512_load_si512(s.add(k)));
                } else {
                    _mm512_store_si512(d.add(k), _mm512_load_si512(s.add(k)));
                }
            }
        }
        i += per;
    }
    while i < n {
        // SAFETY: `i < n`, inside `dst` by the caller's contract.
        unsafe { dst.add(i).write_unaligned(f(i)) };
        i += 1;
    }
    if NT {
        // The module's invariant: no non-temporal store outlives the call.
        _mm_sfence();
    }
}

/// Serialises the tests that change the threshold override.
#[cfg(test)]
pub(crate) static TEST_LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());

#[cfg(test)]
mod tests {
    use super::*;

    /// `fill` writes exactly `f(i)` at every index, streamed or not, for every item size,
    /// destination offset (aligned, unaligned to the line, unaligned to the item) and length
    /// around the head/block/tail boundaries, and leaves the bytes around the run alone.
    #[test]
    fn fill_matches_plain_stores() {
        fn check<T: Copy + PartialEq + std::fmt::Debug>(make: impl Fn(usize) -> T) {
            let size = std::mem::size_of::<T>();
            for offset in [0usize, 1, size, 8, 24, 63, 64, 65] {
                for n in [0usize, 1, 3, 7, 31, 63, 64, 65, 127, 300, 513, 1031] {
                    for stream in [false, true] {
                        let bytes = (n + 4) * size + 256;
                        let mut mem = vec![0xA5u8; bytes];
                        let dst = mem.as_mut_ptr().wrapping_add(offset).cast::<T>();
                        // SAFETY: `offset + n * size <= bytes`; stores are unaligned-safe.
                        unsafe { fill(dst, n, stream, &make) };
                        for i in 0..n {
                            // SAFETY: element `i` lies inside `mem`.
                            let got = unsafe { dst.add(i).read_unaligned() };
                            assert_eq!(got, make(i), "size {size} offset {offset} n {n} i {i}");
                        }
                        assert!(mem[..offset].iter().all(|&b| b == 0xA5));
                        assert!(mem[offset + n * size..].iter().all(|&b| b == 0xA5));
                    }
                }
            }
        }
        check(|i| (i * 7) as u8);
        check(|i| (i * 7919) as u16);
        check(|i| (i as f32) * 1.5);
        check(|i| (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        check(|i| [(i as u64) << 3, !(i as u64)]);
    }

    /// In place: each element is read before it is replaced.
    #[test]
    fn fill_in_place() {
        for n in [5usize, 64, 100, 1000] {
            let mut v: Vec<u32> = (0..n as u32).collect();
            let p = v.as_mut_ptr();
            // SAFETY: `f(i)` reads element `i` of the run it writes, as the contract allows.
            unsafe { fill(p.wrapping_add(1), n - 1, true, |i| p.wrapping_add(1 + i).read() * 3) };
            assert_eq!(v[0], 0);
            assert!(v[1..].iter().enumerate().all(|(i, &x)| x == (i as u32 + 1) * 3));
        }
    }

    #[test]
    fn threshold_override() {
        let _serial = TEST_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        set_min_bytes_for_tests(Some(1000));
        assert_eq!(min_bytes(), 1000);
        assert_eq!(should_stream(1000), available());
        assert!(!should_stream(999));
        set_min_bytes_for_tests(None);
        assert!(min_bytes() >= 1000);
    }

    #[test]
    fn hint_is_scoped() {
        assert!(!hinted());
        let inner = with_hint(true, || (hinted(), with_hint(false, hinted)));
        assert_eq!(inner, (true, false));
        assert!(!hinted());
    }
}

#[cfg(test)]
#[path = "stream_tests.rs"]
mod stream_tests;
