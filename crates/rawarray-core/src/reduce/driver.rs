//! The axis-reduction driver: reduces a strided input into an output whose strides are zero
//! along the reduced axes, the way NumPy's reduction iterator does.
//!
//! The walk is planned over (input, output) with the input's smallest stride innermost and
//! contiguous axes coalesced. If the innermost axis is reduced, each inner loop is a 1-D
//! "run" reduced to one value (pairwise for float sums) and combined into its output element;
//! if it is kept, the inner loop combines a row of inputs into a row of outputs elementwise
//! (`out[i] = out[i] + in[i]`), which vectorises. When the axis just outside it is reduced
//! (a C-order sum over axis 0), several input rows are added per pass over the accumulator
//! row, in column chunks that stay in cache, still in row order per element: the serial
//! result, which is NumPy's (a plain sequential add per column). Large walks split a *kept*
//! axis across the pool (by column ranges, one per thread, when that is the inner axis), so
//! tasks write disjoint outputs and the order of operations per output element is the
//! serial one; a reduction to a single value splits the run along NumPy's pairwise tree
//! (same bits as serial) or, for several axes, gives each task its own accumulator.

use smallvec::SmallVec;

use super::num::{at, put, Num};
use super::pairwise;
use crate::fpe::{self, FpFlags};
use crate::kernels::{Bool, Element};
use crate::parallel::{map_parts, min_len, num_threads, Cost};
use crate::strided::{plan, walk, Axis};

/// One reduction operation on elements `T` producing `Self::Out`.
pub(crate) trait Op<T: Num>: Sync {
    /// The output element type (`T`, or `Bool` for any/all).
    type Out: Element;
    /// Whether floating-point exceptions of the loop are reported (sum/prod).
    const TRACK_FPE: bool = false;
    /// Combines two partial results, `a` first.
    fn combine(a: Self::Out, b: Self::Out) -> Self::Out;
    /// Reduces a run of `n >= 1` elements.
    ///
    /// # Safety
    /// `p + i * s` must be a readable `T` for every `i < n`.
    unsafe fn run(p: *const u8, s: isize, n: usize) -> Self::Out;
    /// `start` combined with a run of `n >= 1` elements, as NumPy's loop does it into an
    /// output that holds `start` (a product multiplies from `start` element by element, so
    /// `prod(initial=0)` of overflowing elements is 0, not `0 * inf`).
    ///
    /// # Safety
    /// As for [`Op::run`].
    unsafe fn run_from(start: Self::Out, p: *const u8, s: isize, n: usize) -> Self::Out {
        // SAFETY: forwarded.
        Self::combine(start, unsafe { Self::run(p, s, n) })
    }
    /// Where a run of `n` elements is split in two for parallel work.
    fn split(n: usize) -> usize {
        (n / 2) & !63
    }
    /// `out[i] = combine(out[i], in[i])` for `i < n` (a product multiplies with
    /// [`Num::mul_fused`] on CPUs with FMA, as NumPy's elementwise loop).
    ///
    /// # Safety
    /// `out + i * os` must be a writable `Out` and `inp + i * is` a readable `T` for `i < n`.
    unsafe fn accumulate(out: *mut u8, os: isize, inp: *const u8, is: isize, n: usize);
    /// [`Op::accumulate`] of `rows` input rows, row `r` starting at `inp + r * rs`, in row
    /// order for every element (the serial result, bit for bit).
    ///
    /// # Safety
    /// As for [`Op::accumulate`], for every row.
    unsafe fn accumulate_rows(out: *mut u8, os: isize, inp: *const u8, is: isize, rs: isize, rows: usize, n: usize);
}

/// Elements per lane group of the row accumulation: the accumulators of one group live in
/// registers while four rows are added into them.
const LANES: usize = 8;
/// Rows added per pass over the accumulator row.
const ROWS: usize = 4;
/// Bytes of the accumulator row that one pass over the rows updates (stays in L1/L2).
const CHUNK_BYTES: usize = 1 << 14;

macro_rules! accumulate_with {
    ($lift:expr) => {
        #[inline]
        unsafe fn accumulate(out: *mut u8, os: isize, inp: *const u8, is: isize, n: usize) {
            if os == std::mem::size_of::<Self::Out>() as isize && is == std::mem::size_of::<T>() as isize {
                // Contiguous rows: constant strides let the loop vectorise.
                let (o, x) = (out.cast::<Self::Out>(), inp.cast::<T>());
                for i in 0..n {
                    // SAFETY: `i < n` contiguous elements of each, by the caller's contract.
                    unsafe {
                        let a = o.add(i).read_unaligned();
                        let b = $lift(x.add(i).read_unaligned());
                        o.add(i).write_unaligned(<Self as Op<T>>::combine(a, b));
                    }
                }
                return;
            }
            for i in 0..n {
                // SAFETY: `i < n`, by the caller's contract.
                unsafe {
                    let a = at::<Self::Out>(out, i, os);
                    let b = $lift(at::<T>(inp, i, is));
                    put(out, i, os, <Self as Op<T>>::combine(a, b));
                }
            }
        }

        #[inline]
        unsafe fn accumulate_rows(
            out: *mut u8,
            os: isize,
            inp: *const u8,
            is: isize,
            rs: isize,
            rows: usize,
            n: usize,
        ) {
            let contiguous = os == std::mem::size_of::<Self::Out>() as isize && is == std::mem::size_of::<T>() as isize;
            let mut r = 0;
            if contiguous {
                // `ROWS` rows per pass: each group of `LANES` accumulators is loaded once, takes
                // the rows' elements in row order, and is stored once.
                let o = out.cast::<Self::Out>();
                let body = n - n % LANES;
                while r + ROWS <= rows {
                    let x: [*const T; ROWS] =
                        std::array::from_fn(|k| inp.wrapping_offset((r + k) as isize * rs).cast::<T>());
                    let mut i = 0;
                    while i < body {
                        // SAFETY: `i + LANES <= n` elements of the accumulator row and of rows
                        // `r..r + ROWS`, all inside the caller's rows.
                        unsafe {
                            let mut acc: [Self::Out; LANES] = std::array::from_fn(|j| o.add(i + j).read_unaligned());
                            for xk in x {
                                for (j, a) in acc.iter_mut().enumerate() {
                                    *a = <Self as Op<T>>::combine(*a, $lift(xk.add(i + j).read_unaligned()));
                                }
                            }
                            for (j, a) in acc.iter().enumerate() {
                                o.add(i + j).write_unaligned(*a);
                            }
                        }
                        i += LANES;
                    }
                    while i < n {
                        // SAFETY: `i < n`, inside every row.
                        unsafe {
                            let mut a = o.add(i).read_unaligned();
                            for xk in x {
                                a = <Self as Op<T>>::combine(a, $lift(xk.add(i).read_unaligned()));
                            }
                            o.add(i).write_unaligned(a);
                        }
                        i += 1;
                    }
                    r += ROWS;
                }
            }
            while r < rows {
                // SAFETY: row `r < rows`, by the caller's contract.
                unsafe { <Self as Op<T>>::accumulate(out, os, inp.wrapping_offset(r as isize * rs), is, n) };
                r += 1;
            }
        }
    };
}

pub(crate) struct Sum;
impl<T: Num> Op<T> for Sum {
    type Out = T;
    const TRACK_FPE: bool = true;
    #[inline(always)]
    fn combine(a: T, b: T) -> T {
        a.add(b)
    }
    unsafe fn run(p: *const u8, s: isize, n: usize) -> T {
        // SAFETY: forwarded.
        unsafe { T::sum_run(p, s, n) }
    }
    fn split(n: usize) -> usize {
        if T::INEXACT {
            pairwise::split_point(n)
        } else {
            (n / 2) & !63
        }
    }
    accumulate_with!(|x: T| x);
}

pub(crate) struct Prod;
impl<T: Num> Op<T> for Prod {
    type Out = T;
    const TRACK_FPE: bool = true;
    #[inline(always)]
    fn combine(a: T, b: T) -> T {
        a.mul(b)
    }
    unsafe fn run(p: *const u8, s: isize, n: usize) -> T {
        // SAFETY: forwarded.
        unsafe { T::prod_run(T::ONE, p, s, n) }
    }
    unsafe fn run_from(start: T, p: *const u8, s: isize, n: usize) -> T {
        // SAFETY: forwarded.
        unsafe { T::prod_run(start, p, s, n) }
    }
    // Rows combine elementwise, as NumPy's elementwise multiply loop: fused complex products
    // on CPUs with FMA (`FusedRows`); runs reduce into one element, as its plain loop.
    unsafe fn accumulate(out: *mut u8, os: isize, inp: *const u8, is: isize, n: usize) {
        // SAFETY: forwarded (one row).
        unsafe { <Self as Op<T>>::accumulate_rows(out, os, inp, is, 0, 1, n) }
    }
    unsafe fn accumulate_rows(out: *mut u8, os: isize, inp: *const u8, is: isize, rs: isize, rows: usize, n: usize) {
        #[cfg(target_arch = "x86_64")]
        if T::FUSED_MUL && crate::kernels::has_fma() {
            // SAFETY: FMA is available (checked); the rest is forwarded.
            return unsafe { fused_rows::<T>(out, os, inp, is, rs, rows, n) };
        }
        // SAFETY: forwarded.
        unsafe { <PlainRows as Op<T>>::accumulate_rows(out, os, inp, is, rs, rows, n) }
    }
}

/// The row loops of [`Prod`] with NumPy's plain products.
struct PlainRows;
/// The row loops of [`Prod`] with fused complex products ([`Num::mul_fused`]), run only
/// through [`fused_rows`], which compiles them with FMA.
struct FusedRows;
macro_rules! prod_rows {
    ($name:ident, $mul:ident) => {
        impl<T: Num> Op<T> for $name {
            type Out = T;
            const TRACK_FPE: bool = true;
            #[inline(always)]
            fn combine(a: T, b: T) -> T {
                a.$mul(b)
            }
            unsafe fn run(p: *const u8, s: isize, n: usize) -> T {
                // SAFETY: forwarded.
                unsafe { T::prod_run(T::ONE, p, s, n) }
            }
            accumulate_with!(|x: T| x);
        }
    };
}
prod_rows!(PlainRows, mul);
prod_rows!(FusedRows, mul_fused);

/// [`FusedRows`]' row loop compiled with FMA, so that `mul_add` is one instruction.
///
/// # Safety
/// The CPU has FMA; otherwise as for [`Op::accumulate_rows`].
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "fma")]
unsafe fn fused_rows<T: Num>(out: *mut u8, os: isize, inp: *const u8, is: isize, rs: isize, rows: usize, n: usize) {
    // SAFETY: forwarded.
    unsafe { <FusedRows as Op<T>>::accumulate_rows(out, os, inp, is, rs, rows, n) }
}

/// NaN-propagating maximum (`MAX`) or minimum.
pub(crate) struct Extreme<const MAX: bool>;
impl<T: Num, const MAX: bool> Op<T> for Extreme<MAX> {
    type Out = T;
    #[inline(always)]
    fn combine(a: T, b: T) -> T {
        if a.is_nan() {
            a
        } else if b.is_nan() || (if MAX { b.gt(a) } else { b.lt(a) }) {
            b
        } else {
            a
        }
    }
    unsafe fn run(p: *const u8, s: isize, n: usize) -> T {
        // SAFETY: forwarded.
        unsafe { T::extreme_run::<MAX>(p, s, n) }
    }
    accumulate_with!(|x: T| x);
}

/// NaN-ignoring maximum (`MAX`) or minimum (NumPy's `fmax`/`fmin`): NaN only when all are.
pub(crate) struct NanExtreme<const MAX: bool>;
impl<T: Num, const MAX: bool> Op<T> for NanExtreme<MAX> {
    type Out = T;
    #[inline(always)]
    fn combine(a: T, b: T) -> T {
        if b.is_nan() {
            a
        } else if a.is_nan() || (if MAX { b.gt(a) } else { b.lt(a) }) {
            b
        } else {
            a
        }
    }
    unsafe fn run(p: *const u8, s: isize, n: usize) -> T {
        // SAFETY: `n >= 1` elements are readable.
        let mut m = unsafe { at::<T>(p, 0, s) };
        for i in 1..n {
            // SAFETY: `i < n`.
            m = Self::combine(m, unsafe { at::<T>(p, i, s) });
        }
        m
    }
    accumulate_with!(|x: T| x);
}

/// Logical or (`ANY`) or logical and of the truth values.
pub(crate) struct Logical<const ANY: bool>;
impl<T: Num, const ANY: bool> Op<T> for Logical<ANY> {
    type Out = Bool;
    #[inline(always)]
    fn combine(a: Bool, b: Bool) -> Bool {
        if ANY {
            Bool((a.0 != 0 || b.0 != 0) as u8)
        } else {
            Bool((a.0 != 0 && b.0 != 0) as u8)
        }
    }
    unsafe fn run(p: *const u8, s: isize, n: usize) -> Bool {
        // Blocks of 256 without branches, then an early exit between blocks.
        let mut i = 0;
        while i < n {
            let end = (i + 256).min(n);
            let mut hit = false;
            for k in i..end {
                // SAFETY: `k < n`, by the caller's contract.
                let nz = unsafe { at::<T>(p, k, s) }.nonzero();
                hit |= if ANY { nz } else { !nz };
            }
            if hit {
                return Bool(ANY as u8);
            }
            i = end;
        }
        Bool(!ANY as u8)
    }
    accumulate_with!(|x: T| Bool(x.nonzero() as u8));
}

/// Raw pointers moved into pool tasks.
#[derive(Copy, Clone)]
struct Ptr(*mut u8);
// SAFETY: tasks only dereference the pointer under the contract of `reduce_into`, which
// makes them read shared input and write disjoint outputs.
unsafe impl Send for Ptr {}
// SAFETY: as above.
unsafe impl Sync for Ptr {}

/// Leaves of the split tree of a run: `(start, len)` pairs, depth-first, `2^depth` of them.
fn leaves<T: Num, O: Op<T>>(start: usize, n: usize, depth: u32, out: &mut Vec<(usize, usize)>) {
    if depth == 0 || n <= pairwise::PW_BLOCKSIZE * 2 {
        out.push((start, n));
        return;
    }
    let n2 = O::split(n);
    leaves::<T, O>(start, n2, depth - 1, out);
    leaves::<T, O>(start + n2, n - n2, depth - 1, out);
}

/// Combines leaf results in the shape of the tree that produced them.
fn fold_tree<T: Num, O: Op<T>>(n: usize, depth: u32, results: &mut std::slice::Iter<'_, O::Out>) -> O::Out {
    if depth == 0 || n <= pairwise::PW_BLOCKSIZE * 2 {
        return *results.next().expect("one result per leaf");
    }
    let n2 = O::split(n);
    let a = fold_tree::<T, O>(n2, depth - 1, results);
    let b = fold_tree::<T, O>(n - n2, depth - 1, results);
    O::combine(a, b)
}

fn track<R>(on: bool, f: impl FnOnce() -> R) -> (R, FpFlags) {
    if on {
        fpe::track(f)
    } else {
        (f(), FpFlags::default())
    }
}

/// Reduces `inp` (with `shape` and byte strides `is`) into `out`, whose byte strides `os`
/// are zero along the reduced axes. `out` must hold the starting values (identity, initial
/// value or first elements); every input element is combined into its output element.
/// Returns the floating-point exceptions raised (for ops that report them).
///
/// # Safety
/// Every index of `shape` must address a readable `T` through `inp`/`is` and a writable
/// `O::Out` through `out`/`os`; `out` must not overlap `inp`, and no two distinct output
/// positions reached with nonzero strides may share bytes.
pub(crate) unsafe fn reduce_into<T: Num, O: Op<T>>(
    shape: &[usize],
    inp: *const u8,
    is: &[isize],
    out: *mut u8,
    os: &[isize],
) -> FpFlags {
    let Some(axes) = plan(shape, [is, os], true) else {
        return FpFlags::default();
    };
    let total: usize = shape.iter().product();
    let parallel = num_threads() > 1 && total >= min_len(Cost::Compute);
    let (inp, out) = (Ptr(inp as *mut u8), Ptr(out));
    if axes.iter().all(|a| a.strides[1] == 0) {
        // A reduction to one value.
        let (value, flags) = if axes.len() <= 1 {
            let (n, s) = axes.first().map_or((1, 0), |a| (a.len, a.strides[0]));
            if parallel {
                let depth = (num_threads() * 2).next_power_of_two().trailing_zeros();
                let mut parts = Vec::new();
                leaves::<T, O>(0, n, depth, &mut parts);
                let res = map_parts(parts.len(), true, |k| {
                    let (start, len) = parts[k];
                    let p = inp;
                    // SAFETY: the leaf lies inside the run, readable by the contract.
                    track(O::TRACK_FPE, || unsafe { O::run(p.0.offset(start as isize * s), s, len) })
                });
                let flags = res.iter().fold(FpFlags::default(), |f, r| f.union(r.1));
                let vals: Vec<O::Out> = res.into_iter().map(|r| r.0).collect();
                (fold_tree::<T, O>(n, depth, &mut vals.iter()), flags)
            } else {
                // SAFETY: the run is readable by the contract; `out` addresses one `Out`.
                let (v, flags) = track(O::TRACK_FPE, || unsafe { O::run_from(at::<O::Out>(out.0, 0, 0), inp.0, s, n) });
                // SAFETY: as above.
                unsafe { put(out.0, 0, 0, v) };
                return flags;
            }
        } else {
            let (outer, rest) = axes.split_first().expect("several axes");
            let parts = if parallel { (num_threads() * 2).min(outer.len) } else { 1 };
            let res = map_parts(parts, parallel, |k| {
                let (start, end) = (outer.len * k / parts, outer.len * (k + 1) / parts);
                let mut sub: SmallVec<[Axis<2>; 4]> = SmallVec::new();
                sub.push(Axis { len: end - start, strides: outer.strides });
                sub.extend(rest.iter().copied());
                let whole = inp;
                let base = whole.0.wrapping_offset(start as isize * outer.strides[0]);
                let mut acc: Option<O::Out> = None;
                let flags = track(O::TRACK_FPE, || {
                    if end > start {
                        // SAFETY: the sub-walk covers part of the caller's index space.
                        unsafe {
                            walk(&sub, [base, std::ptr::null_mut()], |p, s, n| {
                                let v = O::run(p[0], s[0], n);
                                acc = Some(match acc {
                                    Some(a) => O::combine(a, v),
                                    None => v,
                                });
                            })
                        }
                    }
                })
                .1;
                (acc, flags)
            });
            let flags = res.iter().fold(FpFlags::default(), |f, r| f.union(r.1));
            let value = res.into_iter().filter_map(|r| r.0).reduce(O::combine);
            match value {
                Some(v) => (v, flags),
                None => return flags,
            }
        };
        // SAFETY: `out` addresses one writable `Out` (all strides are zero).
        unsafe {
            let start = at::<O::Out>(out.0, 0, 0);
            put(out.0, 0, 0, O::combine(start, value));
        }
        return flags;
    }
    // Some axis is kept. When the innermost axis is kept and the next one reduced (a C-order
    // sum over axis 0, an F-order sum over axis 1), rows of that axis are added into the
    // accumulator row several at a time, in column chunks that stay in cache; the walk then
    // skips that axis.
    let m = axes.len();
    let rows = (m >= 2 && axes[m - 1].strides[1] != 0 && axes[m - 2].strides[1] == 0).then(|| axes[m - 2]);
    let mut walk_axes = axes.clone();
    if rows.is_some() {
        walk_axes.remove(m - 2);
    }
    // Split the outermost kept axis so tasks own disjoint outputs; when that is the inner
    // axis, one part per thread in whole lane groups (long contiguous row pieces).
    let split_at = walk_axes.iter().position(|a| a.strides[1] != 0).expect("a kept axis");
    let split_len = walk_axes[split_at].len;
    let inner = split_at + 1 == walk_axes.len();
    let parts = match (parallel, inner) {
        (false, _) => 1,
        (true, true) => num_threads().min(split_len / LANES).max(1),
        (true, false) => (num_threads() * 2).min(split_len),
    };
    let bound = |k: usize| match (inner, k) {
        (_, k) if k == parts => split_len,
        (true, k) => split_len * k / parts / LANES * LANES,
        (false, k) => split_len * k / parts,
    };
    let chunk = (CHUNK_BYTES / std::mem::size_of::<O::Out>()).max(LANES);
    let res = map_parts(parts, parallel, |k| {
        let (start, end) = (bound(k), bound(k + 1));
        let mut sub = walk_axes.clone();
        sub[split_at].len = end - start;
        let st = sub[split_at].strides;
        let (ip, op) = (inp, out);
        let bases = [ip.0.wrapping_offset(start as isize * st[0]), op.0.wrapping_offset(start as isize * st[1])];
        if end == start {
            return FpFlags::default();
        }
        track(O::TRACK_FPE, || {
            // SAFETY: the sub-walk covers part of the caller's index space; tasks write
            // disjoint outputs because they own disjoint ranges of a kept axis.
            unsafe {
                walk(&sub, bases, |p, s, n| {
                    if let Some(r) = rows {
                        let mut c = 0;
                        while c < n {
                            let w = chunk.min(n - c);
                            let (o, i) = (p[1].offset(c as isize * s[1]), p[0].offset(c as isize * s[0]));
                            O::accumulate_rows(o, s[1], i, s[0], r.strides[0], r.len, w);
                            c += w;
                        }
                    } else if s[1] == 0 {
                        let a = at::<O::Out>(p[1], 0, 0);
                        put(p[1], 0, 0, O::run_from(a, p[0], s[0], n));
                    } else {
                        O::accumulate(p[1], s[1], p[0], s[0], n);
                    }
                })
            }
        })
        .1
    });
    res.into_iter().fold(FpFlags::default(), FpFlags::union)
}
