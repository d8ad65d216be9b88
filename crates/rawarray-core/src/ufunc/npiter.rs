//! What NumPy's iterator hands a ufunc's inner loop, as far as a loop's path depends on it:
//! the axis order (`npyiter_find_best_axis_ordering`), the coalescing of axes, and the
//! buffer "core" of NumPy 2.3+ (`npyiter_find_buffering_setup`), which copies operands
//! into buffers not only to cast them but also to iterate several axes as one when its
//! cost model finds that cheaper. A buffered operand reaches the loop at element-size
//! strides unless it is zero-strided over the whole core. Only clip needs this: its loop
//! takes another path when both bounds have zero strides.

use smallvec::SmallVec;

/// NumPy's default buffer size, in elements.
const BUFFERSIZE: usize = 8192;

/// One operand of the call: its strides broadcast to the call's shape (ignored for an
/// output the iterator allocates, which follows the iteration order contiguously), and
/// whether NumPy buffers it to cast it (or because it is unaligned).
pub(crate) struct IterOperand<'a> {
    pub strides: &'a [isize],
    pub allocated: bool,
    pub cast: bool,
}

/// For each operand, whether NumPy's inner loop sees it with a zero stride when it
/// iterates `shape` (every axis at least 1 long).
pub(crate) fn zero_loop_strides(shape: &[usize], ops: &[IterOperand<'_>]) -> SmallVec<[bool; 4]> {
    // NumPy's axis order (allocated outputs have no strides yet; length-1 axes none that
    // matter), innermost first, length-1 axes left out.
    let voting: SmallVec<[crate::layout::Strides; 4]> = ops
        .iter()
        .map(|op| (0..shape.len()).map(|a| if op.allocated || shape[a] == 1 { 0 } else { op.strides[a] }).collect())
        .collect();
    let perm: SmallVec<[usize; 8]> =
        crate::layout::iterator_order(shape.len(), &voting).into_iter().rev().filter(|&a| shape[a] > 1).collect();
    // Per axis (in iteration order): its length and each operand's stride. Allocated
    // outputs are contiguous in this order.
    let nop = ops.len();
    let mut dims: SmallVec<[(usize, SmallVec<[isize; 4]>); 8]> = SmallVec::new();
    let mut run = 1isize;
    for &a in &perm {
        let st = ops.iter().map(|op| if op.allocated { run } else { op.strides[a] }).collect();
        run *= shape[a] as isize;
        dims.push((shape[a], st));
    }
    // Coalescing: an axis merges into the one inside it when every operand steps on evenly.
    let mut merged: SmallVec<[(usize, SmallVec<[isize; 4]>); 8]> = SmallVec::new();
    for (n, st) in dims {
        if let Some((m, inner)) = merged.last_mut() {
            if (0..nop).all(|k| inner[k] * *m as isize == st[k]) {
                *m *= n;
                continue;
            }
        }
        merged.push((n, st));
    }
    if merged.is_empty() {
        return ops.iter().map(|_| true).collect();
    }
    // The buffer core: grow over outer axes while NumPy's cost estimate (one plus the
    // number of buffered operands, per element of the buffer) does not get worse.
    let mut cost = 1 + ops.iter().filter(|op| op.cast).count();
    let mut single: SmallVec<[usize; 4]> = ops.iter().map(|_| 1).collect();
    let mut size = merged[0].0;
    let (mut best_dim, mut best_cost, mut best_size) = (0, cost, size);
    for idim in 1..merged.len() {
        if size >= BUFFERSIZE && cost > 1 {
            break;
        }
        let (prev_n, prev) = (&merged[idim - 1].0, &merged[idim - 1].1);
        for k in 0..nop {
            if single[k] == idim {
                if prev[k] * *prev_n as isize == merged[idim].1[k] {
                    single[k] += 1;
                    continue;
                }
                if !ops[k].cast {
                    cost += 1;
                }
            }
        }
        size *= merged[idim].0;
        let bufsize = if size > BUFFERSIZE && cost > 1 { BUFFERSIZE } else { size };
        if (cost * best_size) as f64 <= (best_cost * bufsize) as f64 {
            best_cost = cost;
            best_size = size;
            best_dim = idim;
        }
    }
    (0..nop).map(|k| merged[..=best_dim].iter().all(|(_, st)| st[k] == 0)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(strides: &[isize], cast: bool) -> IterOperand<'_> {
        IterOperand { strides, allocated: false, cast }
    }

    #[test]
    fn a_cheap_core_spans_axes_and_buffers_broadcast_operands() {
        // x (1, 4), lo (3, 1), hi 0-d into a fresh (3, 4): NumPy iterates the 12 elements
        // as one buffer, so `lo` reaches the loop with element strides, `hi` with zero.
        let out = IterOperand { strides: &[], allocated: true, cast: false };
        let z = zero_loop_strides(&[3, 4], &[op(&[0, 4], false), op(&[4, 0], false), op(&[0, 0], false), out]);
        assert_eq!(&z[..], &[false, false, true, false]);
        // Rows of 10000: the core stays one row, along which `lo` is constant.
        let out = IterOperand { strides: &[], allocated: true, cast: false };
        let z = zero_loop_strides(&[3, 10000], &[op(&[0, 4], false), op(&[4, 0], false), op(&[0, 0], false), out]);
        assert_eq!(&z[..], &[false, true, true, false]);
    }
}
