//! Matrix products: NumPy's `matmul` over stacks of matrices, for every numeric dtype.
//!
//! Each output element is summed over `k` in order, one product at a time, the order of
//! NumPy's non-BLAS loops (`@TYPE@_matmul_inner_noblas`), so integer, bool and float16
//! results match NumPy's exactly (float16 accumulates in float32 and rounds once, as
//! NumPy's); float32/float64/complex results differ from NumPy's BLAS ones in the last
//! bits. Integers wrap; bools are the OR of ANDs.
//!
//! Blocking: a panel of `b`'s columns (sized to stay in L2) is packed once into strips of
//! `NR` columns, and `MR` rows of `a` at a time into a `k x MR` slice (any strides, byte
//! order or alignment are handled by packing); each `MR x NR` block of the result is then
//! summed over all of `k` in registers (`micro`), compiled for the CPU's vector level
//! (`multiversion`). float32, float64 and complex products use fused multiply-adds where
//! the CPU has them, as BLAS does. Rows are split across the pool for large products,
//! each part with its own floating-point flags.

use half::f16;
use num_complex::Complex;

use crate::array::Array;
use crate::dtype::{DType, Kind};
use crate::error::{Error, Result};
use crate::fpe::{self, FpFlags};
use crate::kernels::{Bool, Element};
use crate::layout::{broadcast_shapes, Order, Shape};
use crate::parallel::{self, Cost};

/// Output rows of the register block.
const MR: usize = 4;
/// Output columns of the register block (two 512-bit vectors of float64 per row).
const NR: usize = 16;

/// An element type with its accumulator: what one product-and-add computes in.
trait Dot: Element {
    /// The accumulator (float32 for float16, `u8` truth values for bool).
    type Acc: Copy + Send + Sync + Default;
    /// The value as an accumulator operand.
    fn widen(self) -> Self::Acc;
    /// `acc + a * b`, rounded after each operation (no fused multiply-add).
    fn madd(acc: Self::Acc, a: Self::Acc, b: Self::Acc) -> Self::Acc;
    /// `acc + a * b` with one rounding where the CPU fuses them, for the types NumPy
    /// hands to BLAS (float32, float64 and complex, whose BLAS fuses too); `madd` for the
    /// rest, whose results then match NumPy's own loops bit for bit.
    #[inline(always)]
    fn madd_fused(acc: Self::Acc, a: Self::Acc, b: Self::Acc) -> Self::Acc {
        Self::madd(acc, a, b)
    }
    /// The element an accumulated sum stores as, with the flags its rounding raises.
    fn narrow(acc: Self::Acc, flags: &mut FpFlags) -> Self;
    /// Whether an `MR x NR` block of accumulators is kept in vector registers over all of
    /// `k` (real floats); otherwise `MR` rows of a panel's width are accumulated in memory,
    /// which is faster for integers (whose vector multiplies are slow, so the compiler
    /// spills a register block) and complex numbers.
    const REGISTERS: bool = false;
}

/// `Dot` for a type that is its own accumulator, with its product-and-add expressions.
macro_rules! own_dot {
    ($t:ty, |$acc:ident, $a:ident, $b:ident| $madd:expr, fused $fused:expr, registers $reg:expr) => {
        impl Dot for $t {
            type Acc = $t;
            #[inline(always)]
            fn widen(self) -> $t {
                self
            }
            #[inline(always)]
            fn madd($acc: $t, $a: $t, $b: $t) -> $t {
                $madd
            }
            #[inline(always)]
            fn madd_fused($acc: $t, $a: $t, $b: $t) -> $t {
                $fused
            }
            #[inline(always)]
            fn narrow(acc: $t, _: &mut FpFlags) -> $t {
                acc
            }
            const REGISTERS: bool = $reg;
        }
    };
}

macro_rules! int_dot {
    ($($t:ty),*) => {$(
        own_dot!($t, |acc, a, b| acc.wrapping_add(a.wrapping_mul(b)),
            fused acc.wrapping_add(a.wrapping_mul(b)), registers false);
    )*};
}
int_dot!(i8, i16, i32, i64, u8, u16, u32, u64);

macro_rules! float_dot {
    ($($t:ty),*) => {$(
        own_dot!($t, |acc, a, b| acc + a * b, fused a.mul_add(b, acc), registers true);
        own_dot!(Complex<$t>,
            |acc, a, b| Complex::new(acc.re + (a.re * b.re - a.im * b.im), acc.im + (a.re * b.im + a.im * b.re)),
            fused Complex::new(
                (-a.im).mul_add(b.im, a.re.mul_add(b.re, acc.re)),
                a.im.mul_add(b.re, a.re.mul_add(b.im, acc.im)),
            ),
            registers false);
    )*};
}
float_dot!(f32, f64);

impl Dot for f16 {
    type Acc = f32;
    const REGISTERS: bool = true;
    #[inline(always)]
    fn widen(self) -> f32 {
        self.to_f32()
    }
    #[inline(always)]
    fn madd(acc: f32, a: f32, b: f32) -> f32 {
        acc + a * b
    }
    /// NumPy's `npy_float_to_half` flags: overflow to infinity, inexact below the normals.
    fn narrow(acc: f32, flags: &mut FpFlags) -> f16 {
        let h = f16::from_f32(acc);
        if h.is_infinite() && acc.is_finite() {
            flags.overflow = true;
        }
        if acc != 0.0 && acc.abs() < f16::MIN_POSITIVE.to_f32() && h.to_f32() != acc {
            flags.underflow = true;
        }
        h
    }
}

impl Dot for Bool {
    type Acc = u8;
    #[inline(always)]
    fn widen(self) -> u8 {
        u8::from(self.0 != 0)
    }
    #[inline(always)]
    fn madd(acc: u8, a: u8, b: u8) -> u8 {
        acc | (a & b)
    }
    #[inline(always)]
    fn narrow(acc: u8, _: &mut FpFlags) -> Bool {
        Bool(acc)
    }
}

/// One operand's addressing: base pointer, its stack strides (broadcast to the common
/// stack shape, 0 where broadcast) and the two matrix strides, all in bytes.
#[derive(Clone)]
struct Operand {
    base: usize,
    stack: Shape,
    strides: smallvec::SmallVec<[isize; 4]>,
    row: isize,
    col: isize,
    swap: bool,
}

impl Operand {
    fn of(a: &Array, stack: &[usize]) -> Operand {
        let nd = a.ndim();
        let (shape, strides) = (a.shape(), a.strides());
        let lead = stack.len() - (nd - 2);
        let stack_strides = stack
            .iter()
            .enumerate()
            .map(|(k, _)| if k < lead || shape[k - lead] == 1 { 0 } else { strides[k - lead] })
            .collect();
        Operand {
            base: a.data_ptr() as usize,
            stack: stack.iter().copied().collect(),
            strides: stack_strides,
            row: strides[nd - 2],
            col: strides[nd - 1],
            swap: a.dtype().needs_swap(),
        }
    }

    /// The address of matrix `s` (C-order index into the stack shape).
    fn matrix(&self, mut s: usize) -> *const u8 {
        let mut off = 0isize;
        for (dim, stride) in self.stack.iter().zip(&self.strides).rev() {
            off += (s % dim) as isize * stride;
            s /= dim;
        }
        (self.base as *const u8).wrapping_offset(off)
    }
}

/// The multiply-adds of `a @ b` (saturating; 0 for operands [`matmul`] refuses): split
/// across the pool when [`parallel::should_split`] says so for [`Cost::Compute`], which
/// callers use to decide whether to release the GIL.
pub fn work(a: &Array, b: &Array) -> usize {
    if a.ndim() < 2 || b.ndim() < 2 {
        return 0;
    }
    let Ok(stack) = broadcast_shapes(&[&a.shape()[..a.ndim() - 2], &b.shape()[..b.ndim() - 2]]) else {
        return 0;
    };
    let sizes = stack.iter().chain(&a.shape()[a.ndim() - 2..]).chain(&b.shape()[b.ndim() - 1..]);
    sizes.fold(1usize, |w, &d| w.saturating_mul(d))
}

/// `a @ b` for `a` of shape `(..., m, k)` and `b` of `(..., k, n)` whose stack shapes
/// broadcast: a new C-ordered array of `dtype` (native) and shape `(stack..., m, n)`, with
/// the floating-point flags the products and sums raised.
///
/// `a` and `b` must both be of `dtype` up to byte order (callers cast first).
///
/// # Errors
/// `Value` when an operand has fewer than two axes, `k` differs (NumPy's gufunc message),
/// or the stacks do not broadcast; `Type` for a non-numeric dtype or mismatched operands;
/// `Memory` when the result cannot be allocated.
pub fn matmul(a: &Array, b: &Array, dtype: DType) -> Result<(Array, FpFlags)> {
    let dtype = dtype.to_native();
    if !(dtype.is_numeric() || dtype.kind() == Kind::Bool)
        || a.dtype().to_native() != dtype
        || b.dtype().to_native() != dtype
    {
        return Err(Error::Type(format!(
            "matmul operands must both be of the numeric dtype {}, got {} and {}",
            dtype.repr_spec(),
            a.dtype().repr_spec(),
            b.dtype().repr_spec()
        )));
    }
    if a.ndim() < 2 || b.ndim() < 2 {
        return Err(Error::Value("matmul operands must have at least two axes".into()));
    }
    let (m, k) = (a.shape()[a.ndim() - 2], a.shape()[a.ndim() - 1]);
    let (kb, n) = (b.shape()[b.ndim() - 2], b.shape()[b.ndim() - 1]);
    if k != kb {
        return Err(Error::Value(format!(
            "matmul: Input operand 1 has a mismatch in its core dimension 0, with gufunc signature \
             (n?,k),(k,m?)->(n?,m?) (size {kb} is different from {k})"
        )));
    }
    let stack = broadcast_shapes(&[&a.shape()[..a.ndim() - 2], &b.shape()[..b.ndim() - 2]])?;
    let mut shape: Shape = stack.clone();
    shape.push(m);
    shape.push(n);
    if k == 0 {
        // Empty sums: zeros (false for bool), with nothing to multiply.
        return Ok((Array::zeros(dtype, &shape, Order::C)?, FpFlags::default()));
    }
    let out = Array::empty(dtype, &shape, Order::C)?;
    let flags = crate::dispatch_numeric!(dtype, T => run::<T>(a, b, &out, &stack, [m, k, n]),
        else => unreachable!("checked numeric above"))?;
    Ok((out, flags))
}

/// A buffer of `len` copies of `v`, or `Memory` when it cannot be allocated (the packing
/// buffers grow with `k`, which a product of two large vectors makes huge).
fn buffer<V: Copy>(len: usize, v: V) -> Result<Vec<V>> {
    let mut buf = Vec::new();
    buf.try_reserve_exact(len).map_err(|_| {
        Error::Memory(format!(
            "Unable to allocate {} bytes for matmul's packing buffer",
            len.saturating_mul(size_of::<V>())
        ))
    })?;
    buf.resize(len, v);
    Ok(buf)
}

/// Fills `out` (C-ordered, native) with the products; returns the flags raised.
fn run<T: Dot>(a: &Array, b: &Array, out: &Array, stack: &[usize], [m, k, n]: [usize; 3]) -> Result<FpFlags> {
    let count: usize = stack.iter().product();
    let rows = count * m;
    if rows == 0 || n == 0 {
        return Ok(FpFlags::default());
    }
    let (pa, pb) = (Operand::of(a, stack), Operand::of(b, stack));
    let base = out.data_ptr() as usize;
    let parallel = parallel::should_split(rows.saturating_mul(k).saturating_mul(n), Cost::Compute);
    let parts = if parallel { (parallel::num_threads() * 2).min(rows) } else { 1 };
    let bounds = parallel::split_points(rows, parts, 1);
    let results = parallel::map_parts(bounds.len() - 1, parallel, |p| {
        let (start, end) = (bounds[p], bounds[p + 1]);
        let mut bufs = Buffers::<T>::new(k, n)?;
        let mut narrow_flags = FpFlags::default();
        let ((), hw) = fpe::track(|| {
            // SAFETY: every pointer formed below addresses an element of `a`, `b` or `out`
            // (indices within their shapes, through their own strides); `out` is a fresh
            // C-ordered array of `rows * n` elements of `T` and each part writes only its
            // rows `start..end`.
            unsafe { rows_of::<T>(&pa, &pb, base as *mut u8, [m, k, n], start, end, &mut bufs, &mut narrow_flags) }
        });
        Ok(hw.union(narrow_flags))
    });
    results.into_iter().try_fold(FpFlags::default(), |acc, r| r.map(|f| acc.union(f)))
}

/// One part's packing buffers: `b`'s panel (`k x jb`), `a`'s rows (`k x MR`) and, for
/// the types accumulated in memory, the `MR x jb` tile.
struct Buffers<T: Dot> {
    jb: usize,
    panel: Vec<T::Acc>,
    apack: Vec<T::Acc>,
    tile: Vec<T::Acc>,
}

impl<T: Dot> Buffers<T> {
    fn new(k: usize, n: usize) -> Result<Buffers<T>> {
        let zero = T::Acc::default();
        // Columns per packed panel: the panel (k x jb) about half of a 1 MiB L2 cache.
        let jb = ((1usize << 19) / (k.max(1) * size_of::<T::Acc>())).clamp(NR, 1024) / NR * NR;
        let jb = jb.min(n.div_ceil(NR) * NR);
        Ok(Buffers {
            jb,
            panel: buffer(k.saturating_mul(jb), zero)?,
            apack: buffer(k.saturating_mul(MR), zero)?,
            tile: if T::REGISTERS { Vec::new() } else { buffer(MR * jb, zero)? },
        })
    }
}

/// Computes output rows `start..end` (flat over the stack) into `out`.
///
/// # Safety
/// `pa`/`pb` describe readable operands of `T` whose matrices are `m x k` and `k x n` for
/// every stack index; `out` is writable for the rows `start..end` of a C-ordered
/// `(rows, n)` array of `T`.
#[multiversion::multiversion(targets = "simd")]
unsafe fn rows_of<T: Dot>(
    pa: &Operand,
    pb: &Operand,
    out: *mut u8,
    [m, k, n]: [usize; 3],
    start: usize,
    end: usize,
    bufs: &mut Buffers<T>,
    flags: &mut FpFlags,
) {
    let fused = multiversion::target::target_cfg_f!(target_feature = "fma");
    let size = size_of::<T>();
    let zero = T::Acc::default();
    let Buffers { jb, panel, apack, tile } = bufs;
    let jb = *jb;
    let mut r = start;
    while r < end {
        let s = r / m;
        let stack_end = end.min((s + 1) * m);
        let (ma, mb) = (pa.matrix(s), pb.matrix(s));
        for j0 in (0..n).step_by(jb) {
            let w = jb.min(n - j0);
            // Pack b[s][:, j0..j0 + w] in strips of NR columns, each k x NR, zero-padded.
            for (strip, chunk) in panel.chunks_exact_mut(k * NR).take(w.div_ceil(NR)).enumerate() {
                for kk in 0..k {
                    let row = &mut chunk[kk * NR..(kk + 1) * NR];
                    for (j, slot) in row.iter_mut().enumerate() {
                        let col = strip * NR + j;
                        *slot = if col < w {
                            let at = kk as isize * pb.row + (j0 + col) as isize * pb.col;
                            // SAFETY: element (kk, j0 + col) of matrix s of b, per the contract.
                            unsafe { T::load(mb.wrapping_offset(at), pb.swap) }.widen()
                        } else {
                            zero
                        };
                    }
                }
            }
            let mut i0 = r;
            while i0 < stack_end {
                let h = MR.min(stack_end - i0);
                // Pack a[s][i0..i0 + h, :] as k x MR, zero-padded.
                for kk in 0..k {
                    for ii in 0..MR {
                        apack[kk * MR + ii] = if ii < h {
                            let at = (i0 + ii - s * m) as isize * pa.row + kk as isize * pa.col;
                            // SAFETY: element (i0 + ii, kk) of matrix s of a.
                            unsafe { T::load(ma.wrapping_offset(at), pa.swap) }.widen()
                        } else {
                            zero
                        };
                    }
                }
                let strips = w.div_ceil(NR);
                if !T::REGISTERS {
                    tile.fill(zero);
                    for kk in 0..k {
                        let x = &apack[kk * MR..(kk + 1) * MR];
                        for (strip, chunk) in panel.chunks_exact(k * NR).take(strips).enumerate() {
                            let y = &chunk[kk * NR..(kk + 1) * NR];
                            for (ii, &xi) in x.iter().enumerate() {
                                let row = &mut tile[(ii * strips + strip) * NR..(ii * strips + strip + 1) * NR];
                                for (c, &yj) in row.iter_mut().zip(y) {
                                    *c = if fused { T::madd_fused(*c, xi, yj) } else { T::madd(*c, xi, yj) };
                                }
                            }
                        }
                    }
                }
                for (strip, chunk) in panel.chunks_exact(k * NR).take(strips).enumerate() {
                    let block = if !T::REGISTERS {
                        std::array::from_fn(|ii| {
                            let at = (ii * strips + strip) * NR;
                            tile[at..at + NR].try_into().expect("NR elements")
                        })
                    } else if fused {
                        micro::<T, true>(apack, chunk, k)
                    } else {
                        micro::<T, false>(apack, chunk, k)
                    };
                    let cols = NR.min(w - strip * NR);
                    for (ii, row) in block.iter().enumerate().take(h) {
                        let dst = out.wrapping_add(((i0 + ii) * n + j0 + strip * NR) * size);
                        for (j, &c) in row.iter().enumerate().take(cols) {
                            // SAFETY: output element (i0 + ii, j0 + strip * NR + j), a row of
                            // this part, inside the matrix (`j < cols`).
                            unsafe { T::narrow(c, flags).store(dst.wrapping_add(j * size), false) };
                        }
                    }
                }
                i0 += h;
            }
        }
        r = stack_end;
    }
}

/// The `MR x NR` block of products of a packed `k x MR` slice of `a` and `k x NR` strip of
/// `b`, summed over `k` in order in registers (fused multiply-adds when `FUSED`).
#[inline(always)]
fn micro<T: Dot, const FUSED: bool>(a: &[T::Acc], b: &[T::Acc], k: usize) -> [[T::Acc; NR]; MR] {
    let mut acc = [[T::Acc::default(); NR]; MR];
    for (x, y) in a.chunks_exact(MR).zip(b.chunks_exact(NR)).take(k) {
        for (row, &xi) in acc.iter_mut().zip(x) {
            for (c, &yj) in row.iter_mut().zip(y) {
                *c = if FUSED { T::madd_fused(*c, xi, yj) } else { T::madd(*c, xi, yj) };
            }
        }
    }
    acc
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scalar::Scalar;

    fn from(values: &[f64], dtype: DType, shape: &[usize]) -> Array {
        let a = Array::empty(dtype, shape, Order::C).unwrap();
        let flat = a.contiguous_flat();
        for (i, v) in values.iter().enumerate() {
            flat.element_1d(i as isize).unwrap().write(&Scalar::Float(*v)).unwrap();
        }
        a
    }

    fn values(a: &Array) -> Vec<f64> {
        a.to_scalars().iter().map(Scalar::as_f64).collect()
    }

    #[test]
    fn small_products_by_hand() {
        let a = from(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], DType::FLOAT64, &[2, 3]);
        let b = from(&[7.0, 8.0, 9.0, 10.0, 11.0, 12.0], DType::FLOAT64, &[3, 2]);
        let (c, flags) = matmul(&a, &b, DType::FLOAT64).unwrap();
        assert_eq!(c.shape(), &[2, 2]);
        assert_eq!(values(&c), [58.0, 64.0, 139.0, 154.0]);
        assert!(!flags.any());
        // Integers wrap; the transposed (strided) operand reads the same values.
        let a = from(&[200.0, 100.0], DType::UINT8, &[1, 2]);
        let b = from(&[2.0, 2.0], DType::UINT8, &[1, 2]).t();
        assert_eq!(values(&matmul(&a, &b, DType::UINT8).unwrap().0), [(600 % 256) as f64]);
    }

    #[test]
    fn float16_accumulates_in_float32() {
        let a = from(&[2048.0, 1.0, 1.0], DType::FLOAT16, &[1, 3]);
        let b = from(&[1.0, 1.0, 1.0], DType::FLOAT16, &[3, 1]);
        assert_eq!(values(&matmul(&a, &b, DType::FLOAT16).unwrap().0), [2050.0]);
        let a = from(&[60000.0, 60000.0], DType::FLOAT16, &[1, 2]);
        let b = from(&[2.0, 2.0], DType::FLOAT16, &[2, 1]);
        let (c, flags) = matmul(&a, &b, DType::FLOAT16).unwrap();
        assert!(values(&c)[0].is_infinite() && flags.overflow);
    }

    #[test]
    fn stacks_broadcast_and_blocks_cover_every_element() {
        // Sizes straddling the register block's rows and columns and, with this k, the
        // packed panels of b (80 int64 columns each); a broadcast stack.
        let (m, k, n) = (MR + 3, 700, 167);
        let av: Vec<f64> = (0..2 * m * k).map(|x| (x % 7) as f64).collect();
        let bv: Vec<f64> = (0..k * n).map(|x| (x % 5) as f64 - 2.0).collect();
        assert!(k * n > 2 * 80 * k && n % NR != 0);
        let a = from(&av, DType::INT64, &[2, m, k]);
        let b = from(&bv, DType::INT64, &[1, k, n]);
        let (c, _) = matmul(&a, &b, DType::INT64).unwrap();
        assert_eq!(c.shape(), &[2, m, n]);
        let got = values(&c);
        for s in 0..2 {
            for i in 0..m {
                for j in 0..n {
                    let want: f64 = (0..k).map(|q| av[(s * m + i) * k + q] * bv[q * n + j]).sum();
                    assert_eq!(got[(s * m + i) * n + j], want, "{s} {i} {j}");
                }
            }
        }
    }

    #[test]
    fn empty_sums_are_zeros() {
        let a = Array::empty(DType::FLOAT64, &[2, 0], Order::C).unwrap();
        let b = Array::empty(DType::FLOAT64, &[0, 3], Order::C).unwrap();
        let (c, _) = matmul(&a, &b, DType::FLOAT64).unwrap();
        assert_eq!((c.shape(), values(&c)), (&[2usize, 3][..], vec![0.0; 6]));
    }

    #[test]
    fn packing_buffers_that_cannot_be_allocated_are_memory_errors() {
        assert!(matches!(buffer(usize::MAX / 4, 0.0f64), Err(Error::Memory(_))));
        assert_eq!(buffer(3, 1u8).unwrap(), [1, 1, 1]);
    }

    #[test]
    fn mismatched_operands_are_errors() {
        let a = from(&[1.0; 6], DType::FLOAT64, &[2, 3]);
        assert!(matches!(matmul(&a, &a, DType::FLOAT64), Err(Error::Value(_))));
        let f = from(&[1.0; 6], DType::FLOAT32, &[3, 2]);
        assert!(matches!(matmul(&a, &f, DType::FLOAT64), Err(Error::Type(_))));
    }
}
