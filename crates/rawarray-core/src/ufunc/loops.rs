//! Generic inner loops over the [`super::LoopFn`] ABI: one binary, one unary and one
//! two-output driver, each with a contiguous fast path (fixed-size blocks copied through
//! local arrays, so the compiler vectorises the arithmetic and an output that coincides
//! with an input is harmless), a broadcast-scalar fast path (stride 0) and a strided path.
//! The contiguous paths are compiled for several CPU levels with `multiversion`.

use multiversion::multiversion;

use super::Status;
use crate::fpe::FpFlags;
use crate::kernels::Element;

/// Elements per block of the contiguous paths.
const BLOCK: usize = 128;

/// A binary elementwise operation on elements `A`, `B`.
pub(crate) trait Bin<A: Element, B: Element = A> {
    /// The output element.
    type O: Element + Default;
    /// One element.
    fn f(a: A, b: B, st: &mut Status) -> Self::O;
}

/// A unary elementwise operation.
pub(crate) trait Un<A: Element> {
    /// The output element.
    type O: Element + Default;
    /// One element.
    fn f(a: A, st: &mut Status) -> Self::O;
    /// A replacement for the contiguous loop (vectorised math kernels plug in here):
    /// `(src, dst, n) -> flags`.
    const CONTIG: Option<unsafe fn(*const u8, *mut u8, usize) -> FpFlags> = None;
}

/// A binary operation with two outputs (divmod).
pub(crate) trait Bin2<A: Element> {
    /// One element: both results.
    fn f(a: A, b: A, st: &mut Status) -> (A, A);
}

/// `out[i] = f(a[i], b[i])` over contiguous runs; `SA`/`SB` mark an operand broadcast
/// from one element (stride 0).
///
/// # Safety
/// `n` contiguous elements at `pa`/`pb` (one element when broadcast) are readable and `n`
/// at `po` writable; `po` coincides with an input run or overlaps none.
#[multiversion(targets = "simd")]
unsafe fn bin_contig<Op: Bin<A, B>, A: Element + Default, B: Element + Default, const SA: bool, const SB: bool>(
    pa: *const u8,
    pb: *const u8,
    po: *mut u8,
    n: usize,
    st: &mut Status,
) {
    let (za, zb, zo) = (size_of::<A>(), size_of::<B>(), size_of::<Op::O>());
    let mut xa = [A::default(); BLOCK];
    let mut xb = [B::default(); BLOCK];
    let mut xo = [<Op::O>::default(); BLOCK];
    // SAFETY: broadcast operands have one readable element (caller's contract).
    let a0 = if SA { unsafe { pa.cast::<A>().read_unaligned() } } else { A::default() };
    // SAFETY: as above.
    let b0 = if SB { unsafe { pb.cast::<B>().read_unaligned() } } else { B::default() };
    let mut i = 0;
    while i < n {
        let m = BLOCK.min(n - i);
        // SAFETY: elements `i..i+m` lie in the runs (caller's contract); the blocks are
        // local arrays, so no reference covers the caller's memory. Copies go byte-wise.
        unsafe {
            if !SA {
                std::ptr::copy_nonoverlapping(pa.add(i * za), xa.as_mut_ptr().cast::<u8>(), m * za);
            }
            if !SB {
                std::ptr::copy_nonoverlapping(pb.add(i * zb), xb.as_mut_ptr().cast::<u8>(), m * zb);
            }
        }
        for k in 0..m {
            let x = if SA { a0 } else { xa[k] };
            let y = if SB { b0 } else { xb[k] };
            xo[k] = Op::f(x, y, st);
        }
        // SAFETY: as above; the whole block of inputs was read before this write.
        unsafe { std::ptr::copy_nonoverlapping(xo.as_ptr().cast::<u8>(), po.add(i * zo), m * zo) };
        i += m;
    }
}

/// The binary loop for [`super::LoopFn`].
///
/// # Safety
/// As for [`super::LoopFn`] with operand dtypes `A`, `B`, `Op::O`.
pub(crate) unsafe fn bin<Op: Bin<A, B>, A: Element + Default, B: Element + Default>(
    args: &[*mut u8; 4],
    s: &[isize; 4],
    n: usize,
) -> Status {
    let mut st = Status::default();
    let (za, zb, zo) = (size_of::<A>() as isize, size_of::<B>() as isize, size_of::<Op::O>() as isize);
    let (pa, pb, po) = (args[0], args[1], args[2]);
    // SAFETY: (all branches) the runs are valid by the caller's contract; the strided path
    // reads and writes one element at a time through raw pointers.
    unsafe {
        if s[2] == zo && s[0] == za && s[1] == zb {
            bin_contig::<Op, A, B, false, false>(pa, pb, po, n, &mut st);
        } else if s[2] == zo && s[0] == za && s[1] == 0 {
            bin_contig::<Op, A, B, false, true>(pa, pb, po, n, &mut st);
        } else if s[2] == zo && s[0] == 0 && s[1] == zb {
            bin_contig::<Op, A, B, true, false>(pa, pb, po, n, &mut st);
        } else {
            for i in 0..n as isize {
                let x = A::load(pa.offset(i * s[0]), false);
                let y = B::load(pb.offset(i * s[1]), false);
                Op::f(x, y, &mut st).store(po.offset(i * s[2]), false);
            }
        }
    }
    st
}

/// `out[i] = f(a[i])` over contiguous runs.
///
/// # Safety
/// As for [`bin_contig`] with one input.
#[multiversion(targets = "simd")]
unsafe fn un_contig<Op: Un<A>, A: Element + Default>(pa: *const u8, po: *mut u8, n: usize, st: &mut Status) {
    let (za, zo) = (size_of::<A>(), size_of::<Op::O>());
    let mut xa = [A::default(); BLOCK];
    let mut xo = [<Op::O>::default(); BLOCK];
    let mut i = 0;
    while i < n {
        let m = BLOCK.min(n - i);
        // SAFETY: elements `i..i+m` lie in both runs (caller's contract); local blocks.
        unsafe { std::ptr::copy_nonoverlapping(pa.add(i * za), xa.as_mut_ptr().cast::<u8>(), m * za) };
        for k in 0..m {
            xo[k] = Op::f(xa[k], st);
        }
        // SAFETY: as above.
        unsafe { std::ptr::copy_nonoverlapping(xo.as_ptr().cast::<u8>(), po.add(i * zo), m * zo) };
        i += m;
    }
}

/// The unary loop for [`super::LoopFn`].
///
/// # Safety
/// As for [`super::LoopFn`] with operand dtypes `A`, `Op::O`.
pub(crate) unsafe fn un<Op: Un<A>, A: Element + Default>(args: &[*mut u8; 4], s: &[isize; 4], n: usize) -> Status {
    let mut st = Status::default();
    let (za, zo) = (size_of::<A>() as isize, size_of::<Op::O>() as isize);
    let (pa, po) = (args[0], args[1]);
    // SAFETY: (all branches) the runs are valid by the caller's contract.
    unsafe {
        if s[1] == zo && s[0] == za {
            if let Some(k) = Op::CONTIG {
                // A replacement kernel requires an output that does not overlap the input
                // unless it is the same run.
                // Its flags are explicit: keep what the status word had recorded before,
                // then clear what the kernel's own (possibly spurious) operations set.
                let before = crate::fpe::raised();
                let flags = k(pa, po, n);
                crate::fpe::clear();
                st.flags = flags.union(before);
            } else {
                un_contig::<Op, A>(pa, po, n, &mut st);
            }
        } else {
            for i in 0..n as isize {
                Op::f(A::load(pa.offset(i * s[0]), false), &mut st).store(po.offset(i * s[1]), false);
            }
        }
    }
    st
}

/// The two-output loop for [`super::LoopFn`] (inputs `A, A`, outputs `A, A`).
///
/// # Safety
/// As for [`super::LoopFn`].
pub(crate) unsafe fn bin2<Op: Bin2<A>, A: Element>(args: &[*mut u8; 4], s: &[isize; 4], n: usize) -> Status {
    let mut st = Status::default();
    for i in 0..n as isize {
        // SAFETY: element `i` of every operand is valid by the caller's contract.
        unsafe {
            let x = A::load(args[0].offset(i * s[0]), false);
            let y = A::load(args[1].offset(i * s[1]), false);
            let (q, r) = Op::f(x, y, &mut st);
            q.store(args[2].offset(i * s[2]), false);
            r.store(args[3].offset(i * s[3]), false);
        }
    }
    st
}
