//! Running a resolved ufunc loop: broadcasting, input conversion, output allocation in the
//! inputs' memory order, `out=` (written directly when it has the loop's dtype and does not
//! overlap an input other than exactly, else through a temporary), `where=` (masked runs,
//! so masked-out elements are neither written nor computed), floating-point flags and the
//! split across the thread pool.

use smallvec::SmallVec;

use super::{Casting, Status, Ufunc};
use crate::array::Array;
use crate::dtype::DType;
use crate::error::Result;
use crate::fpe::{self, FpFlags};
use crate::layout::{broadcast_shapes, shape_str, Order};
use crate::parallel::{self, Cost};
use crate::{bail, strided};

/// The operands of one ufunc call whose loop has been resolved.
pub struct ExecArgs<'a> {
    /// The ufunc.
    pub ufunc: &'static Ufunc,
    /// The loop index from [`Ufunc::resolve`].
    pub index: usize,
    /// The inputs (any dtype, layout, byte order or alignment; converted as needed).
    pub inputs: &'a [Array],
    /// User outputs (`None` = allocate), `ufunc.nout` entries or empty.
    pub outs: &'a [Option<Array>],
    /// The `where=` mask (any dtype; converted to bool).
    pub mask: Option<&'a Array>,
    /// The casting rule for outputs.
    pub casting: Casting,
}

/// The results of a call: one array per output (the user's `out` arrays where given) and
/// the floating-point exceptions raised.
pub type Outcome = (SmallVec<[Array; 2]>, FpFlags);

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
    let lp = uf.loops[args.index];
    let (nin, nout) = (uf.nin, uf.nout);
    crate::ensure!(args.inputs.len() == nin, Value, "ufunc '{}' takes {} inputs", uf.name, nin);
    if let Some(done) = fast_path(args)? {
        return Ok(done);
    }
    let user_out = |j: usize| args.outs.get(j).and_then(|o| o.as_ref());
    for j in 0..nout {
        if let Some(o) = user_out(j) {
            crate::ensure!(o.is_writable(), Value, "output array is read-only");
            uf.check_output(args.index, j, o.dtype(), args.casting)?;
        }
    }
    // Broadcast shape of the inputs; outputs must already have it (after broadcasting it
    // with their own shapes, as NumPy does).
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
    // is converted once, not once per repetition).
    let mut ins: SmallVec<[Array; 3]> = SmallVec::new();
    for (k, a) in args.inputs.iter().enumerate() {
        let d = lp.dtype(k);
        let a = if a.dtype() == d { a.clone() } else { a.astype(d, Order::C)? };
        ins.push(broadcast(&a, &shape)?);
    }
    let mask = match args.mask {
        Some(m) => {
            let m = if m.dtype() == DType::BOOL { m.clone() } else { m.astype(DType::BOOL, Order::C)? };
            Some(broadcast(&m, &shape)?)
        }
        None => None,
    };
    // Where results go: the user's out when it can take them directly, else a temporary.
    // A fresh result takes the memory order NumPy's iterator picks over all the inputs.
    let operands: SmallVec<[&Array; 3]> = args.inputs.iter().collect();
    let fresh = |d: DType| -> Result<Array> { Array::empty_keep_order_of(d, &shape, &operands) };
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
    let status = run(uf, lp.func, &shape, &ins, &dests, mask.as_ref(), &direct)?;
    if status.negative_power {
        bail!(Value, "Integers to negative integer powers are not allowed.");
    }
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
    Ok((results, status.flags))
}

/// The common small case without the general machinery: one output, no `where=`, `out=`
/// absent or already of the result's dtype, shape and C layout,
/// every input already in the loop's dtype and either C-contiguous with the shape of the
/// result or 0-d (a broadcast scalar, stride 0), and too small to split. One loop call
/// over the whole (flat) array into a fresh C-contiguous result.
fn fast_path(args: &ExecArgs<'_>) -> Result<Option<Outcome>> {
    let uf = args.ufunc;
    if uf.nout != 1 || args.mask.is_some() || uf.nin > 2 {
        return Ok(None);
    }
    let lp = uf.loops[args.index];
    let Some(shape_src) = args.inputs.iter().find(|a| a.ndim() > 0).or(args.inputs.first()) else {
        return Ok(None);
    };
    let shape = shape_src.shape();
    let mut ptrs = [std::ptr::null_mut::<u8>(); 4];
    let mut strides = [0isize; 4];
    for (k, a) in args.inputs.iter().enumerate() {
        if a.dtype() != lp.dtype(k) {
            return Ok(None);
        }
        if a.ndim() == 0 {
            strides[k] = 0;
        } else if a.shape() == shape && a.is_c_contiguous() {
            strides[k] = a.itemsize() as isize;
        } else {
            return Ok(None);
        }
        ptrs[k] = a.data_ptr();
    }
    let n = shape.iter().product::<usize>();
    if parallel::should_split(n, uf.cost) {
        return Ok(None);
    }
    let d = lp.dtype(uf.nin);
    let out = match args.outs.first().and_then(Option::as_ref) {
        None => Array::empty(d, shape, Order::C)?,
        // A user `out` of exactly the loop's dtype, shape and C layout that overlaps no
        // input (or is exactly an input run) is written directly.
        Some(o)
            if o.dtype() == d
                && o.shape() == shape
                && o.is_c_contiguous()
                && o.is_writable()
                && args.inputs.iter().all(|i| (i.ndim() > 0 && same_run(i, o)) || !i.overlaps(o)) =>
        {
            o.clone()
        }
        Some(_) => return Ok(None),
    };
    ptrs[uf.nin] = out.data_ptr();
    strides[uf.nin] = out.itemsize() as isize;
    let mut flags = FpFlags::default();
    if n > 0 {
        if uf.hardware_fpe && fpe::raised() != FpFlags::default() {
            fpe::clear();
        }
        // SAFETY: every input is C-contiguous with `n` elements of the loop's dtype (stride
        // = itemsize) or 0-d (stride 0, one element); the output is C-contiguous with `n`
        // elements of the loop's output dtype, and is fresh, exactly an input run, or
        // overlaps no input.
        let st = unsafe { (lp.func)(&ptrs, &strides, n) };
        if st.negative_power {
            bail!(Value, "Integers to negative integer powers are not allowed.");
        }
        flags = st.flags;
        if uf.hardware_fpe {
            flags = flags.union(fpe::raised());
        }
    }
    let mut results: SmallVec<[Array; 2]> = SmallVec::new();
    results.push(out);
    Ok(Some((results, flags)))
}

/// Per-thread state of a walk: the loops' statuses, and whether the status word was
/// cleared on this thread yet.
#[derive(Default)]
struct Part {
    status: Status,
    cleared: bool,
}

/// Walks all operands and calls the loop on each inner run (only on the masked-in runs).
fn run(
    uf: &Ufunc,
    func: super::LoopFn,
    shape: &[usize],
    ins: &[Array],
    dests: &[Array],
    mask: Option<&Array>,
    direct: &[bool],
) -> Result<Status> {
    const N: usize = 5;
    let zeros: SmallVec<[isize; 8]> = SmallVec::from_elem(0, shape.len());
    let (nin, nout) = (ins.len(), dests.len());
    // Walk order: first output (its strides pick the traversal), inputs, second output, mask.
    let mut ops: [Option<&Array>; N] = [None; N];
    ops[0] = dests.first();
    ops[1] = ins.first();
    ops[2] = ins.get(1);
    ops[3] = dests.get(1);
    ops[4] = mask;
    let base0 = dests.first().map_or(std::ptr::null_mut(), |d| d.data_ptr());
    let bases: [*mut u8; N] = std::array::from_fn(|k| ops[k].map_or(base0, |a| a.data_ptr()));
    let strides: [&[isize]; N] = std::array::from_fn(|k| ops[k].map_or(&zeros[..], |a| a.strides()));
    let hardware = uf.hardware_fpe;
    let masked = mask.is_some();
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
    let total: usize = shape.iter().product();
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
    let _ = Cost::Memory;
    Ok(status)
}
