//! Generic inner loops over the [`super::LoopFn`] ABI: one binary, one unary and one
//! two-output driver, each with a contiguous fast path (plain indexed raw-pointer loops the
//! compiler vectorises, with a variant for an output that is exactly an input), a
//! broadcast-scalar fast path (stride 0) and a strided path.
//! The contiguous paths are compiled for several CPU levels with `multiversion`; when the
//! driver hints that the output is large ([`stream::hinted`]), they write it with
//! non-temporal stores.

use multiversion::multiversion;

use super::ops::{Pow, Sqrt};
use super::Status;
use crate::fpe::FpFlags;
use crate::kernels::{stream, Element};

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
/// from one element (stride 0). Plain indexed raw-pointer loops, which the compiler
/// vectorises (with a run-time overlap check); an output that is exactly an input run
/// gets its own loop that writes through the input's pointer, so that check passes.
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
    let (a, b) = (pa.cast::<A>(), pb.cast::<B>());
    // SAFETY: (whole body) every index is `< n`, inside the runs by the caller's contract;
    // element `i` of each input is read before element `i` of the output is written, and
    // all accesses go through raw pointers with unaligned loads and stores.
    unsafe {
        let a0 = if SA { a.read_unaligned() } else { A::default() };
        let b0 = if SB { b.read_unaligned() } else { B::default() };
        if !SA && std::ptr::eq(po, pa) {
            let o = pa.cast_mut().cast::<Op::O>();
            for i in 0..n {
                let y = if SB { b0 } else { b.add(i).read_unaligned() };
                o.add(i).write_unaligned(Op::f(a.add(i).read_unaligned(), y, st));
            }
        } else if !SB && std::ptr::eq(po, pb) {
            let o = pb.cast_mut().cast::<Op::O>();
            for i in 0..n {
                let x = if SA { a0 } else { a.add(i).read_unaligned() };
                o.add(i).write_unaligned(Op::f(x, b.add(i).read_unaligned(), st));
            }
        } else {
            let o = po.cast::<Op::O>();
            for i in 0..n {
                let x = if SA { a0 } else { a.add(i).read_unaligned() };
                let y = if SB { b0 } else { b.add(i).read_unaligned() };
                o.add(i).write_unaligned(Op::f(x, y, st));
            }
        }
    }
}

/// [`bin_contig`] with non-temporal stores ([`stream::fill`], for outputs the driver hinted
/// are large). Not multiversioned: the element closure must not carry more CPU features than
/// `fill`'s AVX-512 loop, or it could not be inlined there.
///
/// # Safety
/// As for [`bin_contig`].
#[inline(always)]
unsafe fn bin_stream<Op: Bin<A, B>, A: Element + Default, B: Element + Default, const SA: bool, const SB: bool>(
    pa: *const u8,
    pb: *const u8,
    po: *mut u8,
    n: usize,
    st: &mut Status,
) {
    let (a, b) = (pa.cast::<A>(), pb.cast::<B>());
    // SAFETY: every index is `< n`, inside the runs by the caller's contract; `fill`
    // computes each block before storing it, so an output that is an input run is read
    // before it is written.
    unsafe {
        let a0 = if SA { a.read_unaligned() } else { A::default() };
        let b0 = if SB { b.read_unaligned() } else { B::default() };
        stream::fill(po.cast::<Op::O>(), n, true, |i| {
            let x = if SA { a0 } else { a.add(i).read_unaligned() };
            let y = if SB { b0 } else { b.add(i).read_unaligned() };
            Op::f(x, y, st)
        });
    }
}

/// The binary loop for [`super::LoopFn`].
///
/// # Safety
/// As for [`super::LoopFn`] with operand dtypes `A`, `B`, `Op::O`.
#[inline]
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
        // In place (the output is an input run) the loads already bring the lines into
        // cache, so there is no read-for-ownership to save: plain stores.
        let streamed = s[2] == zo && !std::ptr::eq(po, pa) && !std::ptr::eq(po, pb) && stream::hinted();
        if s[2] == zo && s[0] == za && s[1] == zb {
            if streamed {
                bin_stream::<Op, A, B, false, false>(pa, pb, po, n, &mut st);
            } else {
                bin_contig::<Op, A, B, false, false>(pa, pb, po, n, &mut st);
            }
        } else if s[2] == zo && s[0] == za && s[1] == 0 {
            if streamed {
                bin_stream::<Op, A, B, false, true>(pa, pb, po, n, &mut st);
            } else {
                bin_contig::<Op, A, B, false, true>(pa, pb, po, n, &mut st);
            }
        } else if s[2] == zo && s[0] == 0 && s[1] == zb {
            if streamed {
                bin_stream::<Op, A, B, true, false>(pa, pb, po, n, &mut st);
            } else {
                bin_contig::<Op, A, B, true, false>(pa, pb, po, n, &mut st);
            }
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

/// `out[i] = f(a[i])` over contiguous runs (see [`bin_contig`]).
///
/// # Safety
/// As for [`bin_contig`] with one input.
#[multiversion(targets = "simd")]
unsafe fn un_contig<Op: Un<A>, A: Element + Default>(pa: *const u8, po: *mut u8, n: usize, st: &mut Status) {
    let a = pa.cast::<A>();
    // SAFETY: as in `bin_contig`.
    unsafe {
        if std::ptr::eq(po, pa) {
            let o = pa.cast_mut().cast::<Op::O>();
            for i in 0..n {
                o.add(i).write_unaligned(Op::f(a.add(i).read_unaligned(), st));
            }
        } else {
            let o = po.cast::<Op::O>();
            for i in 0..n {
                o.add(i).write_unaligned(Op::f(a.add(i).read_unaligned(), st));
            }
        }
    }
}

/// The unary loop for [`super::LoopFn`].
///
/// # Safety
/// As for [`super::LoopFn`] with operand dtypes `A`, `Op::O`.
#[inline]
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
            } else if !std::ptr::eq(po, pa) && stream::hinted() {
                // Not through the multiversioned `un_contig`: see `bin_stream`.
                let a = pa.cast::<A>();
                stream::fill(po.cast::<Op::O>(), n, true, |i| Op::f(a.add(i).read_unaligned(), &mut st));
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

/// A binary loop whose element function NumPy computes with fused multiply-adds in its
/// SIMD loops (complex multiplication): those run on CPUs with FMA for every elementwise
/// call, whatever the layout (accumulations included); an output that does not advance
/// (stride 0: a reduction into one element, or the single element NumPy's iterator hands
/// over with zero strides) and CPUs without FMA run NumPy's plain C formula. `Fused` and
/// `Plain` are the two element functions. With `NEG_PLAIN` (complex64), an input with a negative stride also runs the
/// plain formula: NumPy's single-precision loop cannot load such runs and falls back to its
/// scalar loop (its double-precision loop can).
///
/// # Safety
/// As for [`bin`].
pub(crate) unsafe fn bin_fma<Fused, Plain, A, B, const NEG_PLAIN: bool>(
    args: &[*mut u8; 4],
    s: &[isize; 4],
    n: usize,
) -> Status
where
    Fused: Bin<A, B>,
    Plain: Bin<A, B, O = Fused::O>,
    A: Element + Default,
    B: Element + Default,
{
    let scalar = s[2] == 0 || (NEG_PLAIN && (s[0] < 0 || s[1] < 0));
    #[cfg(target_arch = "x86_64")]
    if !scalar && crate::kernels::has_fma() {
        /// [`bin`] compiled with FMA, so that `mul_add` is one instruction everywhere in it.
        #[target_feature(enable = "fma")]
        unsafe fn fused<Op: Bin<A, B>, A: Element + Default, B: Element + Default>(
            args: &[*mut u8; 4],
            s: &[isize; 4],
            n: usize,
        ) -> Status {
            // SAFETY: forwarded from the caller.
            unsafe { bin::<Op, A, B>(args, s, n) }
        }
        // SAFETY: FMA is available (checked); the rest is the caller's contract.
        return unsafe { fused::<Fused, A, B>(args, s, n) };
    }
    // SAFETY: the caller's contract.
    unsafe { bin::<Plain, A, B>(args, s, n) }
}

/// NumPy's float32/float64 `power` loop: an exponent shared by the whole run (stride 0)
/// that is 0.5 takes the square root, so `power(-0.0, 0.5)` is -0.0 and `power(-inf, 0.5)`
/// NaN ("invalid"), where `pow` gives 0.0 and inf. NumPy's other shortcuts (exponents -1,
/// 0, 1 and 2) give what `pow` gives, so every other run is `pow`'s.
///
/// # Safety
/// As for [`bin`] with operand dtypes `T`, `T`, `T`.
pub(crate) unsafe fn power<T>(args: &[*mut u8; 4], s: &[isize; 4], n: usize) -> Status
where
    T: Element + Default + Into<f64>,
    Pow: Bin<T, T>,
    Sqrt: Un<T>,
{
    // SAFETY: a run of `n > 0` elements has its first exponent at `args[1]`.
    if s[1] == 0 && n > 0 && unsafe { T::load(args[1], false) }.into() == 0.5 {
        let (sqrt_args, sqrt_strides) =
            ([args[0], args[2], std::ptr::null_mut(), std::ptr::null_mut()], [s[0], s[2], 0, 0]);
        // SAFETY: the input and output runs are the caller's, as `un` takes them.
        return unsafe { un::<Sqrt, T>(&sqrt_args, &sqrt_strides, n) };
    }
    // SAFETY: the caller's contract.
    unsafe { bin::<Pow, T, T>(args, s, n) }
}

/// [`bin_fma`] for a unary operation (complex square and absolute). Without `QUIET`
/// (square), an output stride of 0 runs the plain formula, as for multiply. With `QUIET`
/// (absolute: NumPy's loop stores any stride), the fused path reports no floating-point
/// exceptions: NumPy's SIMD loop clears the status word after it (its `hypot` fallback,
/// taken for negative input strides, does not).
///
/// # Safety
/// As for [`un`].
pub(crate) unsafe fn un_fma<Fused, Plain, A, const NEG_PLAIN: bool, const QUIET: bool>(
    args: &[*mut u8; 4],
    s: &[isize; 4],
    n: usize,
) -> Status
where
    Fused: Un<A>,
    Plain: Un<A, O = Fused::O>,
    A: Element + Default,
{
    // NumPy's square shares multiply's loop family (plain for an output stride of 0); its
    // absolute loop stores any stride.
    let scalar = (NEG_PLAIN && s[0] < 0) || (!QUIET && s[1] == 0);
    #[cfg(target_arch = "x86_64")]
    if !scalar && crate::kernels::has_fma() {
        /// [`un`] compiled with FMA.
        #[target_feature(enable = "fma")]
        unsafe fn fused<Op: Un<A>, A: Element + Default>(args: &[*mut u8; 4], s: &[isize; 4], n: usize) -> Status {
            // SAFETY: forwarded from the caller.
            unsafe { un::<Op, A>(args, s, n) }
        }
        // SAFETY: FMA is available (checked); the rest is the caller's contract.
        let st = unsafe { fused::<Fused, A>(args, s, n) };
        if QUIET {
            crate::fpe::clear();
            return Status::default();
        }
        return st;
    }
    // SAFETY: the caller's contract.
    unsafe { un::<Plain, A>(args, s, n) }
}

/// [`un`] that also reports the floating-point exceptions its operations raise, for a
/// loop of a ufunc that otherwise reports only the flags loops return: complex `sign`,
/// whose `hypot` overflows (or underflows) in NumPy's loop, while its other loops raise
/// nothing NumPy reports.
///
/// # Safety
/// As for [`un`].
pub(crate) unsafe fn un_raising<Op: Un<A>, A: Element + Default>(
    args: &[*mut u8; 4],
    s: &[isize; 4],
    n: usize,
) -> Status {
    // The ufunc does not read the status word, so this loop may start it afresh.
    crate::fpe::clear();
    // SAFETY: the caller's contract.
    let mut st = unsafe { un::<Op, A>(args, s, n) };
    st.flags = st.flags.union(crate::fpe::raised());
    st
}

/// [`un`] for an operation whose element function reports its own flags, all but
/// underflow (the complex elementary functions, whose formulas raise flags NumPy does not):
/// of the flags the loop raises in the status word only underflow is kept, and the status
/// word is left with the flags it held before the loop.
///
/// # Safety
/// As for [`un`].
pub(crate) unsafe fn un_own_flags<Op: Un<A>, A: Element + Default>(
    args: &[*mut u8; 4],
    s: &[isize; 4],
    n: usize,
) -> Status {
    let before = crate::fpe::raised();
    crate::fpe::clear();
    // SAFETY: the caller's contract.
    let mut st = unsafe { un::<Op, A>(args, s, n) };
    st.flags.underflow |= crate::fpe::raised().underflow;
    crate::fpe::clear();
    st.flags = st.flags.union(before);
    st
}

/// A unary elementwise operation with two results (`modf`, `frexp`).
pub(crate) trait Un2<A: Element> {
    /// The first output element.
    type O1: Element;
    /// The second output element.
    type O2: Element;
    /// One element: both results.
    fn f(a: A, st: &mut Status) -> (Self::O1, Self::O2);
}

/// The one-input, two-output loop for [`super::LoopFn`] (input `A`, outputs `Op::O1`,
/// `Op::O2`).
///
/// # Safety
/// As for [`super::LoopFn`].
pub(crate) unsafe fn un2<Op: Un2<A>, A: Element>(args: &[*mut u8; 4], s: &[isize; 4], n: usize) -> Status {
    let mut st = Status::default();
    for i in 0..n as isize {
        // SAFETY: element `i` of every operand is valid by the caller's contract.
        unsafe {
            let (p, q) = Op::f(A::load(args[0].offset(i * s[0]), false), &mut st);
            p.store(args[1].offset(i * s[1]), false);
            q.store(args[2].offset(i * s[2]), false);
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
