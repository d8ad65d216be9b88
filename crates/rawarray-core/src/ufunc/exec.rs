//! Running a resolved ufunc loop: broadcasting, input conversion, output allocation in the
//! inputs' memory order, `out=` (written directly when it has the loop's dtype and does not
//! overlap an input other than exactly, else through a temporary), `where=` (masked runs,
//! so masked-out elements are neither written nor computed), floating-point flags and the
//! split across the thread pool.

use smallvec::SmallVec;

use super::{npiter, Casting, Status, Ufunc};
use crate::array::Array;
use crate::dtype::DType;
use crate::error::Result;
use crate::fpe::{self, FpFlags};
use crate::kernels::stream;
use crate::layout::{broadcast_shapes, shape_str, Order};
use crate::parallel;
use crate::scalar::Scalar;
use crate::{bail, strided};

/// The memory order of the outputs a call allocates (NumPy's `order=`).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq)]
pub enum OutOrder {
    /// As close to the inputs' memory order as possible (NumPy's default).
    #[default]
    K,
    /// Fortran order when every input is Fortran-contiguous (and one is not also
    /// C-contiguous), else C order.
    A,
    /// C order.
    C,
    /// Fortran order.
    F,
}

/// The operands of one ufunc call whose loop has been resolved.
pub struct ExecArgs<'a> {
    /// The ufunc.
    pub ufunc: &'static Ufunc,
    /// The loop index from [`Ufunc::resolve`].
    pub index: usize,
    /// The inputs (any dtype, layout, byte order or alignment; converted as needed).
    pub inputs: &'a [&'a Array],
    /// User outputs (`None` = allocate), `ufunc.nout` entries or empty.
    pub outs: &'a [Option<&'a Array>],
    /// The `where=` mask (any dtype; converted to bool).
    pub mask: Option<&'a Array>,
    /// The casting rule for outputs.
    pub casting: Casting,
    /// The memory order of allocated outputs.
    pub order: OutOrder,
}

/// The results of a call: one array per output (the user's `out` arrays where given) and
/// the floating-point exceptions raised.
pub type Outcome = (SmallVec<[Array; 2]>, FpFlags);

/// The outcome of [`execute_small`]: the fresh result (`None` when the user's `out` was
/// written) and the floating-point exceptions raised.
#[derive(Debug)]
pub struct Small {
    /// The new array, or `None` when the result went into the given `out`.
    pub result: Option<Array>,
    /// The floating-point exceptions the loop raised.
    pub flags: FpFlags,
}

fn broadcast(x: &Array, shape: &[usize]) -> Result<Array> {
    if x.shape() == shape {
        return Ok(x.clone());
    }
    let layout = x.layout().broadcast_to(shape)?;
    // SAFETY: a broadcast layout reaches only bytes the original layout reaches (stride 0
    // on stretched axes).
    Ok(unsafe { x.view_unchecked(x.dtype(), layout) })
}

fn same_run(a: &Array, b: &Array) -> bool {
    a.data_ptr() == b.data_ptr() && a.strides() == b.strides() && a.itemsize() == b.itemsize()
}

/// Runs the call.
///
/// # Errors
/// `Value` for shapes that do not broadcast, an `out` of the wrong shape (NumPy's
/// "non-broadcastable output operand ..."), a read-only `out`, and integers raised to a
/// negative power; `Type` for output casting violations.
pub fn execute(args: &ExecArgs<'_>) -> Result<Outcome> {
    let uf = args.ufunc;
    let lp = &uf.loops[args.index];
    let (nin, nout) = (uf.nin, uf.nout);
    crate::ensure!(args.inputs.len() == nin, Value, "ufunc '{}' takes {} inputs", uf.name, nin);
    if let Some(done) = execute_small(args)? {
        let mut results: SmallVec<[Array; 2]> = SmallVec::new();
        match (done.result, args.outs.first().copied().flatten()) {
            (Some(r), _) => results.push(r),
            (None, Some(o)) => results.push(o.clone()),
            (None, None) => unreachable!("the small path returns a result unless it wrote `out`"),
        }
        return Ok((results, done.flags));
    }
    let user_out = |j: usize| args.outs.get(j).copied().flatten();
    for j in 0..nout {
        if let Some(o) = user_out(j) {
            crate::ensure!(o.is_writable(), Value, "output array is read-only");
            uf.check_output(args.index, j, o.dtype(), args.casting)?;
        }
    }
    // Broadcast shape of the inputs; outputs must already have it (after broadcasting it
    // with their own shapes, as NumPy does).
    // Every operand must broadcast with every other first (NumPy's iterator lists them all,
    // inputs, outputs given, then the mask, when one does not).
    let mut all: SmallVec<[&[usize]; 6]> = args.inputs.iter().map(|a| a.shape()).collect();
    all.extend((0..nout).filter_map(user_out).map(|o| o.shape()));
    all.extend(args.mask.map(|m| m.shape()));
    broadcast_shapes(&all)?;
    let in_shapes: SmallVec<[&[usize]; 3]> = args.inputs.iter().map(|a| a.shape()).collect();
    let mut shape = broadcast_shapes(&in_shapes)?;
    for j in 0..nout {
        if let Some(o) = user_out(j) {
            let full = broadcast_shapes(&[&shape, o.shape()]).ok();
            if full.as_deref() != Some(o.shape()) {
                bail!(
                    Value,
                    "non-broadcastable output operand with shape {} doesn't match the broadcast shape {}",
                    shape_str(o.shape()),
                    shape_str(full.as_deref().unwrap_or(&shape))
                );
            }
            shape = full.unwrap_or(shape);
        }
    }
    if let Some(m) = args.mask {
        broadcast_shapes(&[&shape, m.shape()]).ok().filter(|s| s[..] == shape[..]).ok_or_else(|| {
            crate::error::Error::Value(format!(
                "operands could not be broadcast together with remapped shapes [original->remapped]: {}  and requested shape {}",
                shape_str(m.shape()),
                shape_str(&shape)
            ))
        })?;
    }
    // Inputs in the loop's dtypes, converted whole before broadcasting (a stretched input
    // is converted once, not once per repetition). NumPy casts some inputs before it
    // iterates (`check_for_trivial_loop`, for calls without `where=`): in order, each input
    // that needs a cast or is unaligned is copied when 0-d or 1-d within one buffer (8192
    // elements); the first that is not stops the scan, and it and the inputs after it are
    // cast in buffers as the loop runs (0-d ones excepted). Exceptions of the first kind
    // are the cast's, of the second the ufunc's ("invalid value encountered in add").
    let fits = |n: usize| n <= 8192;
    let needs_buffer = |k: usize, a: &Array| a.dtype() != lp.dtype(k) || (a.ndim() > 0 && !a.is_aligned());
    let up_front: SmallVec<[bool; 3]> = {
        let mut scanning = args.mask.is_none();
        args.inputs
            .iter()
            .enumerate()
            .map(|(k, a)| {
                if !needs_buffer(k, a) {
                    return false;
                }
                scanning &= a.ndim() == 0 || (a.ndim() == 1 && fits(a.size()));
                // (0-d inputs are cast first in every call, masked too.)
                scanning || a.ndim() == 0
            })
            .collect()
    };
    let mut kept = fpe::take_cast_bits();
    let converted = (|| -> Result<(SmallVec<[Array; 3]>, u8)> {
        let mut ins: SmallVec<[Array; 3]> = SmallVec::new();
        let mut named = 0u8;
        for (k, a) in args.inputs.iter().enumerate() {
            let d = lp.dtype(k);
            if a.dtype() == d {
                ins.push(broadcast(a, &shape)?);
            } else {
                let cast = a.astype(d, Order::C);
                let bits = fpe::take_cast_bits();
                if up_front[k] {
                    kept |= bits;
                } else {
                    named |= bits & !fpe::bits::COMPLEX;
                    kept |= bits & fpe::bits::COMPLEX;
                }
                ins.push(broadcast(&cast?, &shape)?);
            }
        }
        Ok((ins, named))
    })();
    fpe::record_cast(kept);
    let (mut ins, buffered_casts) = converted?;
    let mask = match args.mask {
        Some(m) => {
            let m = if m.dtype() == DType::BOOL { m.clone() } else { m.astype(DType::BOOL, Order::C)? };
            Some(broadcast(&m, &shape)?)
        }
        None => None,
    };
    // Where results go: the user's out when it can take them directly, else a temporary.
    // A fresh result takes the memory order `order=` asks for; by default ('K') the one
    // NumPy's iterator picks over all the inputs.
    let fixed = match args.order {
        OutOrder::K => None,
        OutOrder::C => Some(Order::C),
        OutOrder::F => Some(Order::F),
        OutOrder::A => Some(any_order(args.inputs)),
    };
    let fresh = |d: DType| -> Result<Array> {
        match fixed {
            Some(o) => Array::empty(d, &shape, o),
            None => Array::empty_keep_order_of(d, &shape, args.inputs),
        }
    };
    let mut dests: SmallVec<[Array; 2]> = SmallVec::new();
    let mut direct: SmallVec<[bool; 2]> = SmallVec::new();
    for j in 0..nout {
        let d = lp.dtype(nin + j);
        match user_out(j) {
            Some(o) if o.dtype() == d && ins.iter().all(|i| same_run(i, o) || !i.overlaps(o)) => {
                dests.push(o.clone());
                direct.push(true);
            }
            Some(o) if mask.is_some() => {
                // Masked-out elements keep the out's values.
                dests.push(o.astype_keep_order(d)?);
                direct.push(false);
            }
            _ => {
                dests.push(fresh(d)?);
                direct.push(false);
            }
        }
    }
    // The strides NumPy hands its loop for a single element (see `run`). It buffers the
    // operands it casts, and a 0-d or 1-d buffered call keeps the buffers' element-size
    // strides. It casts 0-d inputs up front, though: when no other operand needs a cast
    // or is unaligned, its trivial loop runs instead, with element-size strides too
    // (measured: complex64 `()` times complex128 `(1, 1)` fuses).
    let out_casts = (0..nout).any(|j| user_out(j).is_some_and(|o| o.dtype() != lp.dtype(nin + j)));
    let buffered = out_casts || args.inputs.iter().enumerate().any(|(k, a)| needs_buffer(k, a));
    let trivial =
        buffered && !out_casts && args.inputs.iter().enumerate().all(|(k, a)| a.ndim() == 0 || !needs_buffer(k, a));
    // Zero strides all the same when an `out` needs a cast (measured: complex128 `()` and
    // `(1,)` products into a byte-swapped out take the plain formula), or when a binary
    // call's `out` shares an input's memory: that is never NumPy's trivial loop, and its
    // iterator hands one element over with zero strides, buffered or not (measured:
    // `a *= b` of complex `(1,)` arrays, `b` unaligned or not).
    let out_shares_input =
        nin == 2 && (0..nout).any(|j| user_out(j).is_some_and(|o| args.inputs.iter().any(|i| i.overlaps(o))));
    let single_unit = ((buffered && shape.len() <= 1) || trivial) && !out_casts && !out_shares_input;
    // Three inputs (clip): NumPy's iterator may copy operands into a buffer to run several
    // axes as one (see `npiter`), so a bound constant along our inner axis can reach its
    // loop with element strides, taking the MIN(MAX()) path (`clip(-0.0, (3, 1) zeros,
    // 0)` of a (1, 4) row gives 0.0). Such a bound is spread over the result's shape.
    if nin == 3 && shape.len() >= 2 && shape.iter().all(|&n| n > 0) {
        let layouts: SmallVec<[crate::layout::Layout; 4]> =
            args.inputs.iter().map(|a| a.layout().broadcast_to(&shape)).collect::<Result<_>>()?;
        let out = user_out(0);
        let out_layout = out.map(|o| o.layout().broadcast_to(&shape)).transpose()?;
        let mut ops: SmallVec<[npiter::IterOperand<'_>; 4]> = args
            .inputs
            .iter()
            .zip(&layouts)
            .enumerate()
            .map(|(k, (a, l))| npiter::IterOperand {
                strides: l.strides(),
                allocated: false,
                cast: needs_buffer(k, a) && !up_front[k],
            })
            .collect();
        ops.push(npiter::IterOperand {
            strides: out_layout.as_ref().map_or(&[], |l| l.strides()),
            allocated: out.is_none(),
            cast: out_casts,
        });
        let zero = npiter::zero_loop_strides(&shape, &ops);
        if !(zero[1] && zero[2]) {
            // Only a partly broadcast bound can look constant along our inner axis.
            for b in ins.iter_mut().skip(1) {
                let axes = || b.strides().iter().zip(b.shape()).filter(|&(_, &n)| n > 1);
                if axes().any(|(&st, _)| st != 0) && axes().any(|(&st, _)| st == 0) {
                    *b = b.copy(Order::C)?;
                }
            }
        }
    }
    // Three inputs (clip): for a single element of a 0-d or 1-d result, NumPy's loop sees
    // a zero stride for each 0-d input and element-size strides for the others, buffered
    // or not (measured through clip's constant-bound test: `clip(x, 0-d, 0-d)` takes it,
    // `clip(x, (1,), 0-d)` does not); for a result of more dimensions, zero strides.
    let one = (nin == 3).then(|| {
        let mut st = [0isize; 4];
        if shape.len() <= 1 {
            for (k, a) in args.inputs.iter().enumerate() {
                st[k] = if a.ndim() == 0 { 0 } else { lp.dtype(k).itemsize() as isize };
            }
            st[3] = lp.dtype(3).itemsize() as isize;
        }
        st
    });
    let status = run(uf, lp.func, &shape, &ins, &dests, mask.as_ref(), &direct, single_unit, one)?;
    if status.negative_power {
        bail!(Value, "Integers to negative integer powers are not allowed.");
    }
    // Exceptions of the output casts are the ufunc's own (NumPy casts outputs inside its
    // loop: "overflow encountered in add"); those of the input casts stay recorded for the
    // caller to report as the cast's.
    let input_casts = fpe::take_cast_bits();
    // (NumPy's clip loop clears the status word when it is done, buffered casts' too.)
    let buffered_casts = if uf.name == "clip" { 0 } else { buffered_casts };
    let mut flags = status.flags.union(FpFlags::from_bits(buffered_casts));
    let mut results: SmallVec<[Array; 2]> = SmallVec::new();
    for (j, dest) in dests.into_iter().enumerate() {
        match user_out(j) {
            Some(o) if !direct[j] => {
                o.assign(&dest)?;
                results.push(o.clone());
            }
            _ => results.push(dest),
        }
    }
    let output_casts = fpe::take_cast_bits();
    flags = flags.union(FpFlags::from_bits(output_casts));
    fpe::record_cast(input_casts | (output_casts & fpe::bits::COMPLEX));
    Ok((results, flags))
}

/// NumPy's `order='A'` for allocated outputs: Fortran order when every input is
/// Fortran-contiguous and one of them is not also C-contiguous, else C order.
pub fn any_order(inputs: &[&Array]) -> Order {
    if inputs.iter().all(|a| a.is_f_contiguous()) && inputs.iter().any(|a| !a.is_c_contiguous()) {
        Order::F
    } else {
        Order::C
    }
}

/// The common small case without the general machinery: one output, no `where=`, `out=`
/// absent or already of the result's dtype, shape and C layout, every input already in
/// the loop's dtype and either C-contiguous with the shape of the result or 0-d (a
/// broadcast scalar, stride 0), and too small to split. One loop call over the whole
/// (flat) array into a fresh C-contiguous result. `None` when the call needs the general
/// path ([`execute`] tries this first, so callers that only want speed may call either).
///
/// # Errors
/// `Value` for integers raised to a negative power.
pub fn execute_small(args: &ExecArgs<'_>) -> Result<Option<Small>> {
    let uf = args.ufunc;
    if uf.nout != 1 || args.mask.is_some() || uf.nin > 2 || args.inputs.len() != uf.nin {
        return Ok(None);
    }
    let ops: [Option<&Array>; 2] = [args.inputs.first().copied(), args.inputs.get(1).copied()];
    let out = args.outs.first().copied().flatten();
    small_run(uf, args.index, ops, [std::ptr::null(); 2], out, args.order)
}

/// As [`execute_small`] for a two-input ufunc whose input `k` (0 or 1) is a scalar
/// `value` (a Python scalar the caller has already checked against the dtype NEP 50 gives
/// it): the value is handed to the loop from the stack, in the loop's dtype, with stride 0,
/// instead of as a 0-d array. `out` as in [`ExecArgs::outs`].
///
/// # Errors
/// As for [`execute_small`].
pub fn execute_small_scalar(
    uf: &'static Ufunc,
    index: usize,
    array: &Array,
    k: usize,
    value: &Scalar,
    out: Option<&Array>,
    order: OutOrder,
) -> Result<Option<Small>> {
    if uf.nin != 2 || uf.nout != 1 || k > 1 {
        return Ok(None);
    }
    let d = uf.loops[index].dtype(k);
    if !d.is_numeric() || d.itemsize() > 16 {
        return Ok(None);
    }
    let mut elem = [0u128; 1];
    let p: *mut u8 = elem.as_mut_ptr().cast();
    // SAFETY: `elem` holds 16 bytes, at least one element of the numeric dtype `d`.
    unsafe { value.write(p, d) };
    let mut ops = [Some(array), Some(array)];
    let mut scalars = [std::ptr::null(); 2];
    ops[k] = None;
    scalars[k] = p.cast_const();
    small_run(uf, index, ops, scalars, out, order)
}

/// The small path: `ops[k]` is an input array, or `None` when `scalars[k]` points to one
/// element of the loop's input dtype `k` (read with stride 0).
fn small_run(
    uf: &'static Ufunc,
    index: usize,
    ops: [Option<&Array>; 2],
    scalars: [*const u8; 2],
    out: Option<&Array>,
    order: OutOrder,
) -> Result<Option<Small>> {
    let lp = &uf.loops[index];
    let nin = uf.nin;
    let arrays = || ops[..nin].iter().flatten();
    let shape: &[usize] = match arrays().find(|a| a.ndim() > 0).or_else(|| arrays().next()) {
        Some(a) => a.shape(),
        None => &[],
    };
    if order == OutOrder::F && shape.len() > 1 {
        return Ok(None);
    }
    let mut ptrs = [std::ptr::null_mut::<u8>(); 4];
    let mut strides = [0isize; 4];
    for k in 0..nin {
        let Some(a) = ops[k] else {
            ptrs[k] = scalars[k].cast_mut();
            continue;
        };
        if a.dtype() != lp.dtype(k) {
            return Ok(None);
        }
        if a.ndim() == 0 {
            strides[k] = 0;
        } else if a.shape() == shape && a.is_c_contiguous() {
            // A unary call on a 1-d array passes the array's stride (the element size, or
            // for one element whatever the view has: see `run`).
            strides[k] = if nin == 1 && a.ndim() == 1 { a.strides()[0] } else { a.itemsize() as isize };
        } else {
            return Ok(None);
        }
        ptrs[k] = a.data_ptr();
    }
    let n = shape.iter().product::<usize>();
    if parallel::should_split(n, uf.cost) {
        return Ok(None);
    }
    if n == 1 && shape.len() > 1 && arrays().any(|a| a.ndim() > 0 && !a.is_aligned()) {
        // NumPy buffers an unaligned element and hands its loop zero strides (`run`).
        return Ok(None);
    }
    let d = lp.dtype(nin);
    let fresh = match out {
        None => Some(Array::empty(d, shape, Order::C)?),
        // A user `out` of exactly the loop's dtype, shape and C layout that overlaps no
        // input (or is exactly an input run) is written directly. Not a single element
        // that is an input's too: NumPy's trivial loop refuses an output that shares an
        // input's memory, and its iterator hands the loop zero strides for one element
        // (`run`; measured: `a *= b` of complex `(1,)` arrays takes the plain formula).
        Some(o)
            if o.dtype() == d
                && o.shape() == shape
                && o.is_c_contiguous()
                && o.is_writable()
                && arrays().all(|i| (i.ndim() > 0 && same_run(i, o) && n > 1) || !i.overlaps(o)) =>
        {
            ptrs[nin] = o.data_ptr();
            None
        }
        Some(_) => return Ok(None),
    };
    if let Some(f) = &fresh {
        ptrs[nin] = f.data_ptr();
    }
    strides[nin] = d.itemsize() as isize;
    let mut flags = FpFlags::default();
    if n > 0 {
        if uf.hardware_fpe && fpe::raised() != FpFlags::default() {
            fpe::clear();
        }
        // SAFETY: every input is C-contiguous with `n` elements of the loop's dtype (stride
        // = itemsize; a one-element 1-d view's own stride reaches only element 0), or 0-d
        // or a local scalar (stride 0, one element); the output is
        // C-contiguous with `n` elements of the loop's output dtype, and is fresh, exactly
        // an input run, or overlaps no input (a local scalar overlaps nothing).
        let call = || unsafe { (lp.func)(&ptrs, &strides, n) };
        // Large single-threaded calls (one thread, or below the split size) stream their
        // output like the split ones.
        let touched = (0..=nin).map(|k| lp.dtype(k).itemsize()).sum::<usize>().saturating_mul(n);
        let st = if stream::should_stream(touched) { stream::with_hint(true, call) } else { call() };
        if st.negative_power {
            bail!(Value, "Integers to negative integer powers are not allowed.");
        }
        flags = st.flags;
        if uf.hardware_fpe {
            flags = flags.union(fpe::raised());
        }
    }
    Ok(Some(Small { result: fresh, flags }))
}

/// Per-thread state of a walk: the loops' statuses, and whether the status word was
/// cleared on this thread yet.
#[derive(Default)]
struct Part {
    status: Status,
    cleared: bool,
}

/// Walks all operands and calls the loop on each inner run (only on the masked-in runs).
/// `one`: the strides NumPy hands its loop for a single element, when the caller knows them.
/// `single_unit`: NumPy hands a single element to its loop with element-size strides (it
/// buffers or precasts some operand), not zero strides.
fn run(
    uf: &Ufunc,
    func: super::LoopFn,
    shape: &[usize],
    ins: &[Array],
    dests: &[Array],
    mask: Option<&Array>,
    direct: &[bool],
    single_unit: bool,
    one: Option<[isize; 4]>,
) -> Result<Status> {
    const N: usize = 5;
    let zeros: SmallVec<[isize; 8]> = SmallVec::from_elem(0, shape.len());
    let (nin, nout) = (ins.len(), dests.len());
    // Walk order: first output (its strides pick the traversal), inputs, second output (or
    // third input: no ufunc has both), mask.
    let mut ops: [Option<&Array>; N] = [None; N];
    ops[0] = dests.first();
    ops[1] = ins.first();
    ops[2] = ins.get(1);
    ops[3] = if nin == 3 { ins.get(2) } else { dests.get(1) };
    ops[4] = mask;
    let base0 = dests.first().map_or(std::ptr::null_mut(), |d| d.data_ptr());
    let bases: [*mut u8; N] = std::array::from_fn(|k| ops[k].map_or(base0, |a| a.data_ptr()));
    let strides: [&[isize]; N] = std::array::from_fn(|k| ops[k].map_or(&zeros[..], |a| a.strides()));
    let hardware = uf.hardware_fpe;
    let masked = mask.is_some();
    let total: usize = shape.iter().product();
    // Outputs of calls that touch more memory than the cache holds are written with
    // non-temporal stores (masked calls write short runs and keep plain stores).
    let touched = ins.iter().chain(dests).map(|a| a.itemsize()).sum::<usize>().saturating_mul(total);
    let streamed = !masked && stream::should_stream(touched);
    let mut unit = [0isize; 4];
    for (u, a) in unit.iter_mut().zip(ins.iter().chain(dests)) {
        *u = a.itemsize() as isize;
    }
    // A unary call on one element of a 1-d array gets the operands' own strides (NumPy's
    // trivial unary loop passes them; measured: `abs` of a reversed `(1,)` complex array
    // takes its scalar `hypot` formula, as for any negative stride).
    let mut own_1d = one;
    if nin == 1 && shape.len() == 1 && !single_unit {
        let mut o = [0isize; 4];
        for (u, a) in o.iter_mut().zip(ins.iter().chain(dests)) {
            *u = a.strides().first().copied().unwrap_or(0);
        }
        own_1d = Some(o);
    }
    let inner = move |part: &mut Part, p: [*mut u8; N], s: [isize; N], n: usize| {
        if hardware && !part.cleared {
            // Testing is much cheaper than clearing (glibc's feclearexcept rewrites the x87
            // environment too), and the flags are usually clear already.
            if fpe::raised() != FpFlags::default() {
                fpe::clear();
            }
            part.cleared = true;
        }
        // NumPy's operand order: inputs, then outputs.
        let mut a = [p[0]; 4];
        let mut st = [0isize; 4];
        a[..nin].copy_from_slice(&p[1..1 + nin]);
        st[..nin].copy_from_slice(&s[1..1 + nin]);
        a[nin] = p[0];
        st[nin] = s[0];
        if nout > 1 {
            a[nin + 1] = p[3];
            st[nin + 1] = s[3];
        }
        if total == 1 {
            // NumPy's iterator hands its loop zero strides for a single element, which sends
            // some SIMD loops to their scalar formula (`loops::bin_fma`); its buffered 0-d
            // and 1-d iterations keep the buffers' element-size strides (measured:
            // byte-swapped `()` and `(1,)` products fuse, `(1, 1)` ones do not), as does its
            // trivial loop (`single_unit`).
            st = match own_1d {
                Some(o) => o,
                None if single_unit => unit,
                None => [0; 4],
            };
        }
        let r = if masked {
            let mut r = Status::default();
            let mut i = 0usize;
            while i < n {
                // SAFETY: element `i < n` of the mask run is readable (checked layout).
                let on = |i: usize| unsafe { *p[4].offset(i as isize * s[4]) != 0 };
                if !on(i) {
                    i += 1;
                    continue;
                }
                let start = i;
                while i < n && on(i) {
                    i += 1;
                }
                let sub: [*mut u8; 4] = std::array::from_fn(|k| a[k].wrapping_offset(start as isize * st[k]));
                // SAFETY: the sub-run `start..i` lies inside the run the walk handed over.
                r = r.union(unsafe { func(&sub, &st, i - start) });
            }
            r
        } else if streamed {
            // SAFETY: as below; the hint only changes the store instructions.
            stream::with_hint(true, || unsafe { func(&a, &st, n) })
        } else {
            // SAFETY: the walk hands over runs of `n` valid elements of every operand, whose
            // dtypes are the loop's; outputs coincide with an input exactly or overlap none.
            unsafe { func(&a, &st, n) }
        };
        part.status = part.status.union(r);
        if hardware {
            part.status.flags = part.status.flags.union(fpe::raised());
        }
    };
    // Split only when every output is fresh or densely packed, so that tasks write
    // disjoint bytes.
    let disjoint = dests.iter().zip(direct).all(|(d, &dir)| !dir || d.is_c_contiguous() || d.is_f_contiguous());
    let cost = uf.cost;
    let status = if disjoint && parallel::should_split(total, cost) {
        // SAFETY: every layout is checked against its buffer and broadcast to `shape`;
        // outputs are disjoint per element (dense), so tasks write different bytes.
        let parts = unsafe { parallel::for_each_split(shape, bases, strides, cost, inner) };
        parts.into_iter().fold(Status::default(), |acc, p| acc.union(p.status))
    } else {
        let mut part = Part::default();
        // SAFETY: as above; a single thread.
        unsafe { strided::for_each(shape, bases, strides, |p, s, n| inner(&mut part, p, s, n)) };
        part.status
    };
    Ok(status)
}
