//! NumPy 2's `clip` ufunc (`np._core.umath.clip`, three inputs `x, min, max`): its
//! element rules per type, and its loop.
//!
//! NumPy's loop has two paths. When both bounds are constant over the run (stride 0, the
//! common case of scalar bounds), its float loops compare `x < min`, then `x > max`, so an
//! element equal to a bound is kept as it is (`clip(-0.0, 0.0, 1.0)` is `-0.0`), and a NaN
//! bound fills the whole run with that bound. Otherwise every element is
//! `MIN(MAX(x, min), max)` with NumPy's NaN-propagating `MAX(a, b) = isnan(a) ? a : (a > b ?
//! a : b)` (so an element equal to a bound takes the bound). float16 keeps the element when
//! equal on both paths (`a >= b ? a : b`), complex numbers compare lexicographically, and
//! integers and bools are plain.

use multiversion::multiversion;
use num_complex::Complex;

use super::Status;
use crate::kernels::{stream, Bool, Element};

/// One element type's clip rules.
pub(crate) trait Clip: Element + Default {
    /// `MIN(MAX(x, lo), hi)` with NumPy's element `MIN`/`MAX` for the type.
    fn each(x: Self, lo: Self, hi: Self) -> Self;
    /// The loop for bounds constant over the run; `each` unless the type's loop differs.
    #[inline(always)]
    fn constant(x: Self, lo: Self, hi: Self) -> Self {
        Self::each(x, lo, hi)
    }
    /// With constant bounds, the value every element takes regardless of `x` (NumPy's
    /// float loops fill the run with a NaN bound, `min` first).
    #[inline(always)]
    fn fill(_lo: Self, _hi: Self) -> Option<Self> {
        None
    }
}

macro_rules! plain {
    ($($t:ty),*) => {$(
        impl Clip for $t {
            #[inline(always)]
            fn each(x: Self, lo: Self, hi: Self) -> Self {
                let m = if x > lo { x } else { lo };
                if m < hi { m } else { hi }
            }
        }
    )*};
}
plain!(Bool, i8, u8, i16, u16, i32, u32, i64, u64);

macro_rules! float {
    ($($t:ty),*) => {$(
        impl Clip for $t {
            #[inline(always)]
            fn each(x: Self, lo: Self, hi: Self) -> Self {
                let m = if x.is_nan() || x > lo { x } else { lo };
                if m.is_nan() || m < hi { m } else { hi }
            }
            #[inline(always)]
            fn constant(x: Self, lo: Self, hi: Self) -> Self {
                let mut v = x;
                if v < lo {
                    v = lo;
                }
                if v > hi {
                    v = hi;
                }
                v
            }
            #[inline(always)]
            fn fill(lo: Self, hi: Self) -> Option<Self> {
                if lo.is_nan() {
                    Some(lo)
                } else if hi.is_nan() {
                    Some(hi)
                } else {
                    None
                }
            }
        }
    )*};
}
float!(f32, f64);

impl Clip for half::f16 {
    /// NumPy's `npy_half_ge`/`npy_half_le`: the element is kept when equal (signed zeros
    /// compare equal), on both paths.
    #[inline(always)]
    fn each(x: Self, lo: Self, hi: Self) -> Self {
        let m = if x.is_nan() || x.to_f32() >= lo.to_f32() { x } else { lo };
        if m.is_nan() || m.to_f32() <= hi.to_f32() {
            m
        } else {
            hi
        }
    }
}

macro_rules! complex {
    ($($t:ty),*) => {$(
        impl Clip for Complex<$t> {
            #[inline(always)]
            fn each(x: Self, lo: Self, hi: Self) -> Self {
                let nan = |a: Self| a.re.is_nan() || a.im.is_nan();
                let gt = |a: Self, b: Self| if a.re == b.re { a.im > b.im } else { a.re > b.re };
                let m = if nan(x) || gt(x, lo) { x } else { lo };
                if nan(m) || gt(hi, m) { m } else { hi }
            }
        }
    )*};
}
complex!(f32, f64);

/// The constant-bounds loop over contiguous runs (vectorised per CPU level); `po` is `px`
/// or overlaps nothing.
///
/// # Safety
/// `n` elements of `T` at `px` are readable and at `po` writable.
#[multiversion(targets = "simd")]
unsafe fn constant_contig<T: Clip>(px: *const u8, po: *mut u8, n: usize, lo: T, hi: T) {
    let x = px.cast::<T>();
    // SAFETY: (whole body) every index is `< n`, inside both runs by the caller's contract;
    // element `i` is read before it is written, through unaligned raw accesses.
    unsafe {
        if std::ptr::eq(po, px) {
            let o = px.cast_mut().cast::<T>();
            for i in 0..n {
                o.add(i).write_unaligned(T::constant(o.add(i).read_unaligned(), lo, hi));
            }
        } else {
            let o = po.cast::<T>();
            for i in 0..n {
                o.add(i).write_unaligned(T::constant(x.add(i).read_unaligned(), lo, hi));
            }
        }
    }
}

/// The clip loop for [`super::LoopFn`]: operands `x, min, max, out`, all of dtype `T`.
/// Quiet: NumPy clears the status word after its loop.
///
/// # Safety
/// As for [`super::LoopFn`].
pub(crate) unsafe fn clip<T: Clip>(args: &[*mut u8; 4], st: &[isize; 4], n: usize) -> Status {
    if n == 0 {
        return Status::default();
    }
    let [px, pl, ph, po] = *args;
    let size = std::mem::size_of::<T>() as isize;
    let at = |p: *mut u8, s: isize, i: usize| p.wrapping_offset(i as isize * s).cast::<T>();
    // SAFETY: (whole body) `n` elements of every operand at its stride are valid by the
    // caller's contract (one element for a zero stride); outputs coincide with an input
    // exactly or overlap none, and each element is read before it is written.
    unsafe {
        if st[1] == 0 && st[2] == 0 {
            let (lo, hi) = (pl.cast::<T>().read_unaligned(), ph.cast::<T>().read_unaligned());
            if let Some(v) = T::fill(lo, hi) {
                for i in 0..n {
                    at(po, st[3], i).write_unaligned(v);
                }
            } else if st[0] == size && st[3] == size {
                if !std::ptr::eq(po, px) && stream::hinted() {
                    // A large fresh output: non-temporal stores save the read for ownership
                    // (in place, the loads have brought the lines in already).
                    let x = px.cast::<T>();
                    stream::fill(po.cast::<T>(), n, true, |i| T::constant(x.add(i).read_unaligned(), lo, hi));
                } else {
                    constant_contig::<T>(px, po, n, lo, hi);
                }
            } else {
                for i in 0..n {
                    let x = at(px, st[0], i).read_unaligned();
                    at(po, st[3], i).write_unaligned(T::constant(x, lo, hi));
                }
            }
        } else {
            for i in 0..n {
                let (x, lo, hi) = (
                    at(px, st[0], i).read_unaligned(),
                    at(pl, st[1], i).read_unaligned(),
                    at(ph, st[2], i).read_unaligned(),
                );
                at(po, st[3], i).write_unaligned(T::each(x, lo, hi));
            }
        }
    }
    Status::default()
}
