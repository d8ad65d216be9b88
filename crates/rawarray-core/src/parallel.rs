//! Splitting large kernels across a dedicated thread pool.
//!
//! rawarray owns its rayon pool (not rayon's global one, which other libraries in the same
//! process may configure or saturate). The pool is rebuilt when the process id changes, so a
//! child after `fork` (whose copy of the pool has no threads) gets working threads again.
//!
//! Whether a kernel is worth splitting depends on its cost per element: memory-bound loops
//! (copy, add, compare) gain little on two cores and pay ~10 µs of rayon overhead, while
//! compute-bound loops (division, transcendental functions, float16, reductions) gain from
//! a few hundred thousand elements. [`min_len`] gives the thresholds; the environment
//! variables `RAWARRAY_NUM_THREADS`, `RAWARRAY_PAR_MIN_MEMORY` and `RAWARRAY_PAR_MIN_COMPUTE`
//! override them (read once, for benchmarks and tests).
//!
//! The binding must release the GIL before calling into the pool (a caller holding the GIL
//! while workers wait for it would deadlock if a worker touched Python); the core never
//! touches Python, so its closures are plain Rust.

use std::sync::{Arc, Mutex, OnceLock};

use rayon::{ThreadPool, ThreadPoolBuilder};

use crate::strided::{plan, walk, Axis};

/// How expensive one element of a kernel is, which decides when splitting pays.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Cost {
    /// A load, a cheap operation and a store per element (copy, add, compare, casts between
    /// same-size types).
    Memory,
    /// Several nanoseconds per element (division, sqrt, exp/log/sin, float16, reductions).
    Compute,
}

struct Settings {
    threads: usize,
    min_memory: usize,
    min_compute: usize,
}

fn env_usize(name: &str) -> Option<usize> {
    std::env::var(name).ok()?.trim().parse().ok()
}

fn settings() -> &'static Settings {
    static SETTINGS: OnceLock<Settings> = OnceLock::new();
    SETTINGS.get_or_init(|| Settings {
        threads: env_usize("RAWARRAY_NUM_THREADS")
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .max(1),
        min_memory: env_usize("RAWARRAY_PAR_MIN_MEMORY").unwrap_or(1 << 20),
        min_compute: env_usize("RAWARRAY_PAR_MIN_COMPUTE").unwrap_or(1 << 16),
    })
}

/// The number of threads kernels may use (1 means everything runs on the caller's thread).
pub fn num_threads() -> usize {
    settings().threads
}

/// The smallest element count for which a kernel of this cost is split across threads.
pub fn min_len(cost: Cost) -> usize {
    match cost {
        Cost::Memory => settings().min_memory,
        Cost::Compute => settings().min_compute,
    }
}

/// Whether a kernel of `len` elements and this cost should run on the pool. Callers in the
/// binding use this to decide whether releasing the GIL is worth its cost too.
pub fn should_split(len: usize, cost: Cost) -> bool {
    num_threads() > 1 && len >= min_len(cost)
}

/// The pool for this process, built on first use and rebuilt after a `fork`.
fn pool() -> Option<Arc<ThreadPool>> {
    static POOL: Mutex<Option<(u32, Arc<ThreadPool>)>> = Mutex::new(None);
    let pid = std::process::id();
    let mut slot = POOL.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    match &*slot {
        Some((owner, pool)) if *owner == pid => Some(Arc::clone(pool)),
        _ => {
            let pool = ThreadPoolBuilder::new()
                .num_threads(num_threads())
                .thread_name(|i| format!("rawarray-{i}"))
                .build()
                .ok()?;
            let pool = Arc::new(pool);
            *slot = Some((pid, Arc::clone(&pool)));
            Some(pool)
        }
    }
}

/// Runs `f(start, end)` over `0..len` split into ranges whose boundaries are multiples of
/// `align` (except the last), on the pool when [`should_split`] says so, otherwise once on the
/// calling thread. Returns the per-range results in order.
pub fn map_ranges<R, F>(len: usize, align: usize, cost: Cost, f: F) -> Vec<R>
where
    R: Send,
    F: Fn(usize, usize) -> R + Sync,
{
    let pool = if should_split(len, cost) { pool() } else { None };
    let Some(pool) = pool else {
        return vec![f(0, len)];
    };
    let parts = split_points(len, num_threads() * 2, align.max(1));
    let mut results: Vec<Option<R>> = (0..parts.len() - 1).map(|_| None).collect();
    pool.scope(|s| {
        for (slot, w) in results.iter_mut().zip(parts.windows(2)) {
            let f = &f;
            let (start, end) = (w[0], w[1]);
            s.spawn(move |_| *slot = Some(f(start, end)));
        }
    });
    results.into_iter().map(|r| r.expect("every range ran")).collect()
}

/// Boundaries `0 = b0 < b1 < ... = len` of at most `parts` ranges, inner ones multiples of
/// `align`.
pub(crate) fn split_points(len: usize, parts: usize, align: usize) -> Vec<usize> {
    let mut points = vec![0];
    for k in 1..parts {
        let p = (len as u128 * k as u128 / parts as u128) as usize / align * align;
        if p > *points.last().expect("non-empty") && p < len {
            points.push(p);
        }
    }
    points.push(len);
    points
}

/// Raw operand pointers moved into pool tasks.
#[derive(Copy, Clone)]
pub(crate) struct Bases<const N: usize>(pub(crate) [*mut u8; N]);
// SAFETY: the pointers are only dereferenced by kernels whose contracts make every task
// touch disjoint output elements (`for_each_split`'s, or a kernel's own split into parts);
// sending the addresses themselves to another thread is harmless.
unsafe impl<const N: usize> Send for Bases<N> {}
// SAFETY: as above; tasks only copy the addresses.
unsafe impl<const N: usize> Sync for Bases<N> {}

/// Like [`crate::strided::for_each`], but splits the walk across the pool when the element
/// count and `cost` make that worthwhile. Each call of `inner` gets one inner loop; calls run
/// concurrently on different threads for different elements. Returns the values `inner`'s
/// part results were folded into: every part starts from `R::default()` and `fold` combines a
/// part's inner-loop results; the parts come back in walk order.
///
/// # Safety
/// As for [`crate::strided::for_each`]; moreover the callback must be safe to run
/// concurrently on disjoint sets of elements (no two elements may write the same bytes,
/// which holds when the written operand has no zero or overlapping strides).
pub unsafe fn for_each_split<const N: usize, R, F>(
    shape: &[usize],
    bases: [*mut u8; N],
    strides: [&[isize]; N],
    cost: Cost,
    inner: F,
) -> Vec<R>
where
    R: Send + Default,
    F: Fn(&mut R, [*mut u8; N], [isize; N], usize) + Sync,
{
    let total: usize = shape.iter().product();
    if total == 0 {
        return vec![];
    }
    let Some(axes) = plan(shape, strides, true) else {
        return vec![];
    };
    let bases = Bases(bases);
    // Split the outermost planned axis (or the only one). Inner ranges stay multiples of 64
    // elements when the split axis is the inner one, so vector loops keep whole blocks.
    let Some((outer, rest)) = axes.split_first() else {
        let mut r = R::default();
        inner(&mut r, bases.0, [0; N], 1);
        return vec![r];
    };
    let align = if rest.is_empty() { 64 } else { 1 };
    let outer = *outer;
    let rest: smallvec::SmallVec<[Axis<N>; 4]> = rest.iter().copied().collect();
    map_ranges(outer.len, align, if total < min_len(cost) { Cost::Memory } else { cost }, |start, end| {
        let mut r = R::default();
        let mut axes: smallvec::SmallVec<[Axis<N>; 4]> = smallvec::SmallVec::new();
        axes.push(Axis { len: end - start, strides: outer.strides });
        axes.extend(rest.iter().copied());
        let b = bases;
        let part: [*mut u8; N] = std::array::from_fn(|op| b.0[op].wrapping_offset(outer.strides[op] * start as isize));
        // SAFETY: the sub-walk covers a subset of the caller's index space, so every address is
        // valid by the caller's contract; tasks touch disjoint elements (same contract).
        unsafe { walk(&axes, part, |p, s, n| inner(&mut r, p, s, n)) };
        r
    })
}

/// Runs `f(k)` for every `k in 0..parts` and returns the results in order: on the pool when
/// `parallel` is true (and a pool exists), otherwise one after another on the calling thread.
/// For kernels that choose their own split (reductions following NumPy's pairwise tree).
pub fn map_parts<R, F>(parts: usize, parallel: bool, f: F) -> Vec<R>
where
    R: Send,
    F: Fn(usize) -> R + Sync,
{
    let pool = if parallel && parts > 1 && num_threads() > 1 { pool() } else { None };
    let Some(pool) = pool else {
        return (0..parts).map(&f).collect();
    };
    let mut results: Vec<Option<R>> = (0..parts).map(|_| None).collect();
    pool.scope(|s| {
        for (k, slot) in results.iter_mut().enumerate() {
            let f = &f;
            s.spawn(move |_| *slot = Some(f(k)));
        }
    });
    results.into_iter().map(|r| r.expect("every part ran")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_points_cover_the_range() {
        assert_eq!(split_points(10, 4, 1), vec![0, 2, 5, 7, 10]);
        assert_eq!(split_points(1000, 4, 64), vec![0, 192, 448, 704, 1000]);
        assert_eq!(split_points(3, 8, 64), vec![0, 3]);
    }

    #[test]
    fn split_walk_visits_every_offset_once() {
        // Large enough to split on any machine with more than one thread.
        let shape = [3usize, 1 << 21];
        let strides: [isize; 2] = [-(1 << 21), 1];
        let base = std::ptr::null_mut::<u8>().wrapping_add(1 << 23);
        // SAFETY: the callback never dereferences; it counts offsets.
        let parts: Vec<(usize, i128)> = unsafe {
            for_each_split(&shape, [base], [&strides], Cost::Compute, |r: &mut (usize, i128), p, s, n| {
                for i in 0..n as isize {
                    r.0 += 1;
                    r.1 += (p[0].wrapping_offset(i * s[0]) as i128) - (1 << 23);
                }
            })
        };
        let count: usize = parts.iter().map(|r| r.0).sum();
        let sum: i128 = parts.iter().map(|r| r.1).sum();
        assert_eq!(count, 3 << 21);
        let n = 1i128 << 21;
        let expected: i128 = (0..3).map(|k| -k * n * n + n * (n - 1) / 2).sum();
        assert_eq!(sum, expected);
    }
}
