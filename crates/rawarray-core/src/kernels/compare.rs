//! Elementwise comparisons with broadcasting, giving bool arrays.
//!
//! Numeric operands are compared in their promoted dtype (operands of another dtype are
//! cast to it first), except a signed integer against uint64, which NumPy 2 compares
//! exactly (not through float64). Complex numbers order lexicographically with NumPy's
//! NaN rules; NaN compares false except for `!=`. Bytes compare as NUL-padded strings;
//! void supports only `==`/`!=` between equal sizes.

use half::f16;
use num_complex::Complex;

use crate::array::Array;
use crate::dtype::{DType, Kind};
use crate::error::{Error, Result};
use crate::kernels::{Bool, Element};
use crate::layout::{broadcast_shapes, Order};
use crate::promote::{dtype_class, promote_types};
use crate::{bail, dispatch_numeric, strided};

/// A comparison operator.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum CmpOp {
    /// `==`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

impl CmpOp {
    /// NumPy's ufunc name (`less_equal`, ...).
    pub fn ufunc_name(self) -> &'static str {
        match self {
            CmpOp::Eq => "equal",
            CmpOp::Ne => "not_equal",
            CmpOp::Lt => "less",
            CmpOp::Le => "less_equal",
            CmpOp::Gt => "greater",
            CmpOp::Ge => "greater_equal",
        }
    }

    /// Applies the operator to an ordering outcome (`Some(Less)` ...; `None` unordered).
    fn of_ordering(self, o: Option<std::cmp::Ordering>) -> bool {
        use std::cmp::Ordering::*;
        match self {
            CmpOp::Eq => o == Some(Equal),
            CmpOp::Ne => o != Some(Equal),
            CmpOp::Lt => o == Some(Less),
            CmpOp::Le => matches!(o, Some(Less | Equal)),
            CmpOp::Gt => o == Some(Greater),
            CmpOp::Ge => matches!(o, Some(Greater | Equal)),
        }
    }
}

/// Element types with NumPy's comparison semantics.
pub trait CmpElem: Element {
    /// `a < b`.
    fn lt(a: Self, b: Self) -> bool;
    /// `a <= b`.
    fn le(a: Self, b: Self) -> bool;
    /// `a == b`.
    fn eq(a: Self, b: Self) -> bool;
}

macro_rules! cmp_ord {
    ($($t:ty => |$x:ident| $key:expr),*) => {$(
        impl CmpElem for $t {
            #[inline(always)]
            fn lt(a: Self, b: Self) -> bool { let k = |$x: $t| $key; k(a) < k(b) }
            #[inline(always)]
            fn le(a: Self, b: Self) -> bool { let k = |$x: $t| $key; k(a) <= k(b) }
            #[inline(always)]
            #[allow(clippy::float_cmp, reason = "exact comparison is the operation")]
            fn eq(a: Self, b: Self) -> bool { let k = |$x: $t| $key; k(a) == k(b) }
        }
    )*};
}
cmp_ord!(
    i8 => |x| x, i16 => |x| x, i32 => |x| x, i64 => |x| x,
    u8 => |x| x, u16 => |x| x, u32 => |x| x, u64 => |x| x,
    f32 => |x| x, f64 => |x| x,
    f16 => |x| x.to_f32(),
    Bool => |x| x.0 != 0
);

macro_rules! cmp_complex {
    ($($t:ty),*) => {$(
        impl CmpElem for Complex<$t> {
            // NumPy's CLT/CLE/CEQ macros (loops_comparison.dispatch.c.src).
            #[inline(always)]
            fn lt(a: Self, b: Self) -> bool {
                (a.re < b.re && !a.im.is_nan() && !b.im.is_nan()) || (a.re == b.re && a.im < b.im)
            }
            #[inline(always)]
            fn le(a: Self, b: Self) -> bool {
                (a.re < b.re && !a.im.is_nan() && !b.im.is_nan()) || (a.re == b.re && a.im <= b.im)
            }
            #[inline(always)]
            #[allow(clippy::float_cmp, reason = "exact comparison is the operation")]
            fn eq(a: Self, b: Self) -> bool { a.re == b.re && a.im == b.im }
        }
    )*};
}
cmp_complex!(f32, f64);

/// Whether NumPy's complex ordering macros (`CLT`, `CLE`, `CGT`, `CGE`) raise "invalid"
/// for `x` against `y`: their C `<` and `>` compile to signalling compares. The real parts
/// are always compared that way, the imaginary parts only when the real parts are equal
/// (so neither is NaN); the `isnan` tests and `==` are quiet. `==` and `!=` never raise.
#[inline(always)]
#[allow(clippy::float_cmp, reason = "exact comparison is what the macros do")]
pub fn complex_order_signals<T: num_traits::Float>(x: Complex<T>, y: Complex<T>) -> bool {
    x.re.is_nan() || y.re.is_nan() || (x.re == y.re && (x.im.is_nan() || y.im.is_nan()))
}

/// One inner loop: `out[i] = f(a[i], b[i])` as 0/1 bytes, with fast paths for contiguous
/// operands and for a broadcast (stride 0) operand.
///
/// # Safety
/// `n` elements at `out + i*os` (writes, 1 byte), `pa + i*sa` and `pb + i*sb` (reads of
/// `A`/`B`, native order) must be valid; `out` must not overlap the inputs.
#[inline(always)]
#[allow(clippy::too_many_arguments, reason = "an inner-loop ABI: three pointers, three strides")]
unsafe fn run<A: Element, B: Element, F: Fn(A, B) -> bool>(
    out: *mut u8,
    os: isize,
    pa: *const u8,
    sa: isize,
    pb: *const u8,
    sb: isize,
    n: usize,
    f: F,
) {
    let (za, zb) = (std::mem::size_of::<A>() as isize, std::mem::size_of::<B>() as isize);
    let (a, b) = (pa.cast::<A>(), pb.cast::<B>());
    // SAFETY: (all branches) every index is `< n`, inside the runs by the caller's contract;
    // reads and writes are unaligned-tolerant and go through raw pointers only.
    unsafe {
        if os == 1 && sa == za && sb == zb {
            fixed_chunks(out, n, |i| f(a.add(i).read_unaligned(), b.add(i).read_unaligned()));
        } else if os == 1 && sa == za && sb == 0 {
            let y = b.read_unaligned();
            fixed_chunks(out, n, |i| f(a.add(i).read_unaligned(), y));
        } else if os == 1 && sa == 0 && sb == zb {
            let x = a.read_unaligned();
            fixed_chunks(out, n, |i| f(x, b.add(i).read_unaligned()));
        } else {
            for i in 0..n as isize {
                let x = A::load(pa.offset(i * sa), false);
                let y = B::load(pb.offset(i * sb), false);
                *out.offset(i * os) = f(x, y) as u8;
            }
        }
    }
}

/// `out[i] = g(i) as u8` for `i < n`, computed in fixed-size chunks into a local buffer so
/// the compiler sees full-width, non-aliasing loops and vectorises them.
///
/// # Safety
/// `out..out+n` must be writable; `g(i)` must be safe to call for every `i < n`.
#[inline(always)]
unsafe fn fixed_chunks(out: *mut u8, n: usize, g: impl Fn(usize) -> bool) {
    const CHUNK: usize = 64;
    let mut done = 0;
    while done + CHUNK <= n {
        let mut res = [0u8; CHUNK];
        for (k, r) in res.iter_mut().enumerate() {
            *r = g(done + k) as u8;
        }
        // SAFETY: `done + CHUNK <= n`, inside `out` by the caller's contract; `res` is local.
        unsafe { std::ptr::copy_nonoverlapping(res.as_ptr(), out.add(done), CHUNK) };
        done += CHUNK;
    }
    for i in done..n {
        // SAFETY: `i < n`, inside `out` by the caller's contract.
        unsafe { *out.add(i) = g(i) as u8 };
    }
}

/// Walks `out` (fresh, C-contiguous bool) with two native operands already broadcast.
///
/// # Safety
/// `a`/`b` have `out`'s shape with checked layouts and native dtypes `A`/`B`.
unsafe fn walk<A: Element, B: Element, F: Fn(A, B) -> bool + Copy>(out: &Array, a: &Array, b: &Array, f: F) {
    // SAFETY: every layout is checked against its buffer and shares `out`'s shape; `out`
    // is fresh memory, so it overlaps neither input.
    unsafe {
        strided::for_each(
            out.shape(),
            [out.data_ptr(), a.data_ptr(), b.data_ptr()],
            [out.strides(), a.strides(), b.strides()],
            |p, s, n| run::<A, B, F>(p[0], s[0], p[1], s[1], p[2], s[2], n, f),
        )
    };
}

/// Same-type comparison with the operator chosen outside the loop.
///
/// # Safety
/// As for [`walk`] with `A = B = T`.
unsafe fn walk_same<T: CmpElem>(out: &Array, a: &Array, b: &Array, op: CmpOp) {
    // SAFETY: forwarded from the caller.
    unsafe {
        match op {
            CmpOp::Eq => walk::<T, T, _>(out, a, b, |x, y| T::eq(x, y)),
            CmpOp::Ne => walk::<T, T, _>(out, a, b, |x, y| !T::eq(x, y)),
            CmpOp::Lt => walk::<T, T, _>(out, a, b, |x, y| T::lt(x, y)),
            CmpOp::Le => walk::<T, T, _>(out, a, b, |x, y| T::le(x, y)),
            CmpOp::Gt => walk::<T, T, _>(out, a, b, |x, y| T::lt(y, x)),
            CmpOp::Ge => walk::<T, T, _>(out, a, b, |x, y| T::le(y, x)),
        }
    }
}

/// Exact signed (as i64) against unsigned (as u64) comparison.
///
/// # Safety
/// As for [`walk`] with `A = i64`, `B = u64`.
unsafe fn walk_i64_u64(out: &Array, a: &Array, b: &Array, op: CmpOp) {
    // SAFETY: forwarded from the caller.
    unsafe {
        walk::<i64, u64, _>(out, a, b, move |x, y| op.of_ordering(Some((x as i128).cmp(&(y as i128)))));
    }
}

fn no_loop(a: DType, b: DType, op: CmpOp) -> Error {
    Error::ufunc(
        op.ufunc_name(),
        crate::error::UFuncErrorKind::NoLoop { dtypes: vec![a, b], nout: 1 },
        format!(
            "ufunc '{}' did not contain a loop with signature matching types ({}, {}) -> None",
            op.ufunc_name(),
            dtype_class(a),
            dtype_class(b)
        ),
    )
}

/// A broadcast view of `x` with `shape`.
fn broadcast(x: &Array, shape: &[usize]) -> Result<Array> {
    let layout = x.layout().broadcast_to(shape)?;
    // SAFETY: a broadcast layout reaches only bytes the original layout reaches (stride 0
    // on stretched axes).
    Ok(unsafe { x.view_unchecked(x.dtype(), layout) })
}

/// `x` in dtype `d` (a cast copy unless it already is).
fn as_dtype(x: &Array, d: DType) -> Result<Array> {
    if x.dtype() == d {
        Ok(x.clone())
    } else {
        x.astype(d, Order::C)
    }
}

/// Compares `a` and `b` elementwise after broadcasting, giving a new C-contiguous bool
/// array (`np.equal`, `np.less`, ...).
///
/// # Errors
/// `Value` when the shapes cannot be broadcast (NumPy's message); `Type` for operand
/// dtypes NumPy has no comparison loop for (void ordering, bytes against numbers with an
/// ordering operator, void against non-void or void of another size).
pub fn compare(a: &Array, b: &Array, op: CmpOp) -> Result<Array> {
    let (da, db) = (a.dtype(), b.dtype());
    let (ka, kb) = (da.kind(), db.kind());
    let ordering = !matches!(op, CmpOp::Eq | CmpOp::Ne);
    let comparable = match (ka, kb) {
        (Kind::Void, Kind::Void) => !ordering,
        (Kind::Bytes, Kind::Bytes) => true,
        (Kind::Void | Kind::Bytes, _) | (_, Kind::Void | Kind::Bytes) => false,
        _ => true,
    };
    if !comparable && ordering {
        return Err(no_loop(da, db, op));
    }
    let shape = broadcast_shapes(&[a.shape(), b.shape()])?;
    let out = Array::empty(DType::BOOL, &shape, Order::C)?;
    if ka == Kind::Void || kb == Kind::Void {
        if ka != kb {
            bail!(Type, "Cannot compare structured or void to non-void arrays.");
        }
        if da.itemsize() != db.itemsize() {
            bail!(
                Type,
                "cannot compare unstructured voids of different length. Use bytes to compare. (This may return array of False in the future.)"
            );
        }
    }
    if !comparable {
        // `==`/`!=` between bytes and numbers: NumPy returns all False / all True (every
        // element written: `out` is uninitialised).
        out.fill(&crate::scalar::Scalar::Bool(op == CmpOp::Ne))?;
        return Ok(out);
    }
    if !da.is_numeric() {
        compare_bytes(&out, &broadcast(a, &shape)?, &broadcast(b, &shape)?, op);
        return Ok(out);
    }
    // Operands are converted before broadcasting, so a stretched operand is cast once,
    // not once per repetition.
    let mixed = |s: DType, u: DType| s.kind() == Kind::Int && u.kind() == Kind::UInt && u.itemsize() == 8;
    if mixed(da, db) || mixed(db, da) {
        let (s, u, op) = if mixed(da, db) { (a, b, op) } else { (b, a, swap_sides(op)) };
        let s = broadcast(&as_dtype(s, DType::INT64)?, &shape)?;
        let u = broadcast(&as_dtype(u, DType::UINT64)?, &shape)?;
        // SAFETY: both operands are native int64/uint64 checked views of `out`'s shape.
        unsafe { walk_i64_u64(&out, &s, &u, op) };
        return Ok(out);
    }
    let common = promote_types(da, db)?;
    let a = broadcast(&as_dtype(a, common)?, &shape)?;
    let b = broadcast(&as_dtype(b, common)?, &shape)?;
    // SAFETY: both operands are native `common` checked views with `out`'s shape.
    dispatch_numeric!(common, T => unsafe { walk_same::<T>(&out, &a, &b, op) }, else => unreachable!());
    Ok(out)
}

/// The operator with its operands exchanged (`a < b` is `b > a`).
fn swap_sides(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        other => other,
    }
}

/// Bytes (or same-size void) comparison: lexicographic on NUL-padded strings.
fn compare_bytes(out: &Array, a: &Array, b: &Array, op: CmpOp) {
    let (na, nb) = (a.itemsize(), b.itemsize());
    let m = na.max(nb);
    let (mut x, mut y) = (vec![0u8; m], vec![0u8; m]);
    // SAFETY: all three layouts are checked and share `out`'s shape; each read copies one
    // element of its operand into a local buffer (no reference over shared memory), and
    // the write is one byte of the fresh `out`.
    unsafe {
        strided::for_each(
            out.shape(),
            [out.data_ptr(), a.data_ptr(), b.data_ptr()],
            [out.strides(), a.strides(), b.strides()],
            |p, s, n| {
                for i in 0..n as isize {
                    std::ptr::copy_nonoverlapping(p[1].offset(i * s[1]), x.as_mut_ptr(), na);
                    std::ptr::copy_nonoverlapping(p[2].offset(i * s[2]), y.as_mut_ptr(), nb);
                    *p[0].offset(i * s[0]) = op.of_ordering(Some(x.cmp(&y))) as u8;
                }
            },
        )
    };
}

#[cfg(test)]
#[path = "compare_tests.rs"]
mod tests;
