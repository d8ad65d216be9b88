//! Arithmetic and comparison of single values with NumPy 2's scalar semantics.
//!
//! Integer arithmetic wraps at the dtype's width, float16 computes through float32 and
//! rounds once, complex division uses Smith's algorithm and complex powers follow
//! NumPy's `npy_cpow`. The floating-point exceptions NumPy would report (divide by zero,
//! overflow, invalid) come back as [`FpFlags`]; turning them into warnings is the
//! caller's job. Underflow is not reported (NumPy ignores it by default).
//!
//! Invariant: no input value makes these functions panic; result dtypes are native.
//!
//! ```
//! use rawarray_core::dtype::DType;
//! use rawarray_core::scalar::Scalar;
//! use rawarray_core::scalar_ops::{binary, BinOp};
//! let r = binary(BinOp::Add, &Scalar::UInt(200), &Scalar::UInt(100), DType::UINT8, true).unwrap();
//! assert_eq!(r.value, Scalar::UInt(44));
//! assert!(r.flags.overflow);
//! assert_eq!(r.flags.messages(BinOp::Add.ufunc_name(), true), ["overflow encountered in scalar add"]);
//! ```

use std::cmp::Ordering;

use num_complex::Complex;

use crate::bail;
use crate::dtype::{DType, Kind};
use crate::error::Result;
use crate::kernels::compare::complex_order_signals;
use crate::promote::promote_types;
use crate::scalar::Scalar;

pub(crate) mod float;
#[cfg(test)]
mod tests;

use float::{complex_binary, float_binary, to_f16};

/// A binary arithmetic operator.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    TrueDiv,
    /// `//`
    FloorDiv,
    /// `%`
    Rem,
    /// `**`
    Pow,
}

impl BinOp {
    /// The ufunc name NumPy's warnings use (`add`, `divide`, `floor_divide`, ...).
    pub fn ufunc_name(self) -> &'static str {
        match self {
            BinOp::Add => "add",
            BinOp::Sub => "subtract",
            BinOp::Mul => "multiply",
            BinOp::TrueDiv => "divide",
            BinOp::FloorDiv => "floor_divide",
            BinOp::Rem => "remainder",
            BinOp::Pow => "power",
        }
    }

    /// The Python operator.
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::TrueDiv => "/",
            BinOp::FloorDiv => "//",
            BinOp::Rem => "%",
            BinOp::Pow => "**",
        }
    }
}

/// A unary arithmetic operator.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum UnOp {
    /// `-x`
    Neg,
    /// `+x`
    Pos,
    /// `abs(x)`
    Abs,
}

impl UnOp {
    /// The ufunc name NumPy's warnings use.
    pub fn ufunc_name(self) -> &'static str {
        match self {
            UnOp::Neg => "negative",
            UnOp::Pos => "positive",
            UnOp::Abs => "absolute",
        }
    }
}

pub use crate::fpe::FpFlags;

/// Whether NumPy computes an operation on scalars in its scalar math (`scalarmath.c`)
/// rather than in the generic ufunc path. Python first calls the slot of `left` (the
/// typed operand on the left, or the only typed operand when the other is a Python
/// scalar): bool has no scalar math, so a bool there takes the generic path; otherwise
/// scalar math runs when the promoted dtype `common` is `left`'s dtype or the typed
/// `right` operand's (to which `left` defers).
///
/// The paths differ in their warnings: the ufunc path says "in add" instead of
/// "in scalar add" and does not check integer `+ - *` for overflow.
pub fn uses_scalar_math(common: DType, left: DType, right: Option<DType>) -> bool {
    let c = common.to_native();
    left.kind() != Kind::Bool && (left.to_native() == c || right.map(|d| d.to_native()) == Some(c))
}

/// The result of one scalar operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
    /// The value, exact for the result dtype.
    pub value: Scalar,
    /// The (native) result dtype.
    pub dtype: DType,
    /// Exceptions to report.
    pub flags: FpFlags,
}

/// The smallest and largest value of an integer dtype (`(0, 1)` for bool).
pub fn int_range(d: DType) -> (i128, i128) {
    let bits = d.itemsize() as u32 * 8;
    match d.kind() {
        Kind::Int => (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1),
        Kind::UInt => (0, (1i128 << bits) - 1),
        _ => (0, 1),
    }
}

/// The dtype an operation computes in (both inputs are cast to it, and it is the result
/// dtype) when the inputs promote to `common`: NumPy's ufunc loop selection.
///
/// # Errors
/// `Type` for operations without a loop: boolean subtraction, complex `//` and `%`,
/// bytes and void.
pub fn loop_dtype(op: BinOp, common: DType) -> Result<DType> {
    let c = common.to_native();
    match (c.kind(), op) {
        (Kind::Bytes | Kind::Void, _) => {
            bail!(Type, "unsupported operand type(s) for {}: '{}' and '{}'", op.symbol(), c.name(), c.name())
        }
        (Kind::Bool, BinOp::Add | BinOp::Mul) => Ok(c),
        (Kind::Bool, BinOp::Sub) => bail!(
            Type,
            "numpy boolean subtract, the `-` operator, is not supported, use the bitwise_xor, the `^` operator, or the logical_xor function instead."
        ),
        (Kind::Bool | Kind::Int | Kind::UInt, BinOp::TrueDiv) => Ok(DType::FLOAT64),
        (Kind::Bool, _) => Ok(DType::INT8),
        (Kind::Complex, BinOp::FloorDiv | BinOp::Rem) => {
            bail!(Type, "unsupported operand type(s) for {}: '{}' and '{}'", op.symbol(), c.name(), c.name())
        }
        _ => Ok(c),
    }
}

/// `a op b` in float64 for `+ - * /` when no IEEE flag but inexact can have been raised,
/// so [`binary`] would give the same value with nothing to report: a finite sum or
/// difference (a tiny one is exact, so never underflows), or a normal product or quotient,
/// or a zero one with a zero operand; `None` otherwise (other operators, overflow, NaN,
/// division by zero, possible underflow), for [`binary`] to compute with its flags. The
/// quick path of `float64 + 1.0`.
#[inline]
pub fn float64_quick(op: BinOp, a: f64, b: f64) -> Option<f64> {
    let (r, clean) = match op {
        BinOp::Add => (a + b, (a + b).is_finite()),
        BinOp::Sub => (a - b, (a - b).is_finite()),
        BinOp::Mul => (a * b, (a * b).is_normal() || (a * b == 0.0 && (a == 0.0 || b == 0.0) && (a * b).is_finite())),
        BinOp::TrueDiv => (a / b, (a / b).is_normal() || (a == 0.0 && b != 0.0 && b.is_finite())),
        _ => return None,
    };
    clean.then_some(r)
}

/// `a op b` for two values whose dtypes promote to `common` (the values are cast to the
/// loop dtype first, as NumPy casts its inputs). `scalar_math` selects NumPy's scalar
/// math semantics (see [`uses_scalar_math`]); without it integer `+ - *` wrap silently,
/// as NumPy's array loops do.
///
/// # Errors
/// `Type` as for [`loop_dtype`]; `Value` for an integer raised to a negative power.
pub fn binary(op: BinOp, a: &Scalar, b: &Scalar, common: DType, scalar_math: bool) -> Result<Outcome> {
    let d = loop_dtype(op, common)?;
    let (x, y) = (a.cast(d), b.cast(d));
    let mut flags = FpFlags::default();
    let value = match d.kind() {
        Kind::Bool => {
            let (p, q) = (x.is_truthy(), y.is_truthy());
            Scalar::Bool(if op == BinOp::Add { p || q } else { p && q })
        }
        Kind::Int | Kind::UInt => {
            let v = int_binary(op, &x, &y, d, &mut flags)?;
            if !scalar_math && matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul) {
                flags.overflow = false;
            }
            v
        }
        Kind::Float => match d.itemsize() {
            2 => {
                let r = float_binary(op, x.as_f64() as f32, y.as_f64() as f32, scalar_math, &mut flags);
                Scalar::Float(to_f16(r, &mut flags))
            }
            4 => Scalar::Float(float_binary(op, x.as_f64() as f32, y.as_f64() as f32, false, &mut flags) as f64),
            _ => Scalar::Float(float_binary(op, x.as_f64(), y.as_f64(), false, &mut flags)),
        },
        Kind::Complex => {
            let ((ar, ai), (br, bi)) = (x.as_complex(), y.as_complex());
            if d.itemsize() == 8 {
                let (re, im) = complex_binary(op, (ar as f32, ai as f32), (br as f32, bi as f32), &mut flags);
                Scalar::Complex(re as f64, im as f64)
            } else {
                let (re, im) = complex_binary(op, (ar, ai), (br, bi), &mut flags);
                Scalar::Complex(re, im)
            }
        }
        Kind::Bytes | Kind::Void => unreachable!("loop_dtype refuses flexible dtypes"),
    };
    Ok(Outcome { value, dtype: d, flags })
}

/// `op a` for a value of dtype `dtype`.
///
/// # Errors
/// `Type` for boolean negative and positive and for bytes and void.
pub fn unary(op: UnOp, a: &Scalar, dtype: DType) -> Result<Outcome> {
    let d = dtype.to_native();
    let mut flags = FpFlags::default();
    let x = a.cast(d);
    let (value, out) = match (d.kind(), op) {
        (Kind::Bool, UnOp::Neg) => bail!(
            Type,
            "The numpy boolean negative, the `-` operator, is not supported, use the `~` operator or the logical_not function instead."
        ),
        (Kind::Bool, UnOp::Pos) | (Kind::Bytes | Kind::Void, _) => {
            return Err(crate::error::Error::ufunc(
                op.ufunc_name(),
                crate::error::UFuncErrorKind::NoLoop { dtypes: vec![d], nout: 1 },
                format!(
                    "ufunc '{}' did not contain a loop with signature matching types {} -> None",
                    op.ufunc_name(),
                    d.name()
                ),
            ))
        }
        (_, UnOp::Pos) | (Kind::Bool | Kind::UInt, UnOp::Abs) => (x, d),
        (Kind::Int | Kind::UInt, _) => {
            let v: i128 = as_i128(&x);
            let exact = if op == UnOp::Neg { -v } else { v.abs() };
            let w = wrap(exact, d);
            flags.overflow = w != exact;
            (int_scalar(w, d), d)
        }
        (Kind::Float, UnOp::Neg) => (Scalar::Float(-x.as_f64()), d),
        (Kind::Float, _) => (Scalar::Float(x.as_f64().abs()), d),
        (Kind::Complex, UnOp::Neg) => {
            let (re, im) = x.as_complex();
            (Scalar::Complex(-re, -im), d)
        }
        (Kind::Complex, _) => {
            let (re, im) = x.as_complex();
            // NumPy's npy_cabs (hypot) reports no overflow.
            if d.itemsize() == 8 {
                (Scalar::Float((re as f32).hypot(im as f32) as f64), DType::FLOAT32)
            } else {
                (Scalar::Float(re.hypot(im)), DType::FLOAT64)
            }
        }
    };
    Ok(Outcome { value, dtype: out, flags })
}

/// Orders two values as NumPy's comparisons do: integers (and bools) exactly, even
/// int64 against uint64; other numbers in their promoted dtype; complex numbers
/// lexicographically; bytes lexicographically. `None` when the values are unordered.
///
/// Complex numbers with a NaN part differ between NumPy's paths (see
/// [`uses_scalar_math`]): its scalar math compares the parts with plain C operators
/// (`1+nanj < 2` is true), its ufunc loops make any NaN part unordered. The second
/// value says whether the ufunc loops' ordering operators (`<`, `<=`, `>`, `>=`, not
/// `==`/`!=`) raise "invalid" for these values: see [`complex_order_signals`].
///
/// # Errors
/// `Type` when a number is compared with bytes or void.
pub fn compare(a: &Scalar, da: DType, b: &Scalar, db: DType, scalar_math: bool) -> Result<(Option<Ordering>, bool)> {
    let int_like = |d: DType| matches!(d.kind(), Kind::Bool | Kind::Int | Kind::UInt);
    if int_like(da) && int_like(db) {
        return Ok((Some(as_i128(a).cmp(&as_i128(b))), false));
    }
    match (a, b) {
        (Scalar::Bytes(x) | Scalar::Void(x), Scalar::Bytes(y) | Scalar::Void(y)) => return Ok((Some(x.cmp(y)), false)),
        (Scalar::Bytes(_) | Scalar::Void(_), _) | (_, Scalar::Bytes(_) | Scalar::Void(_)) => {
            bail!(Type, "cannot compare {} with {}", da.name(), db.name())
        }
        _ => {}
    }
    let common = promote_types(da, db)?;
    let (x, y) = (a.cast(common), b.cast(common));
    Ok(match common.kind() {
        Kind::Complex => {
            let ((xr, xi), (yr, yi)) = (x.as_complex(), y.as_complex());
            if !scalar_math {
                let signals = complex_order_signals(Complex::new(xr, xi), Complex::new(yr, yi));
                // The ufunc loops' CLT/CLE: any NaN part makes the values unordered.
                if [xr, xi, yr, yi].iter().any(|v| v.is_nan()) {
                    return Ok((None, signals));
                }
            }
            let o = match xr.partial_cmp(&yr) {
                Some(Ordering::Equal) => xi.partial_cmp(&yi),
                o => o,
            };
            (o, false)
        }
        _ => (x.as_f64().partial_cmp(&y.as_f64()), false),
    })
}

/// The exact integer value of a bool or integer scalar (floats truncate).
pub fn as_i128(v: &Scalar) -> i128 {
    match *v {
        Scalar::UInt(u) => u as i128,
        ref other => other.as_i64() as i128,
    }
}

fn wrap(v: i128, d: DType) -> i128 {
    let bits = d.itemsize() as u32 * 8;
    let u = (v as u128) & (u128::MAX >> (128 - bits));
    if d.kind() == Kind::Int && u >> (bits - 1) == 1 {
        u as i128 - (1i128 << bits)
    } else {
        u as i128
    }
}

fn int_scalar(v: i128, d: DType) -> Scalar {
    if d.kind() == Kind::Int {
        Scalar::Int(v as i64)
    } else {
        Scalar::UInt(v as u64)
    }
}

fn int_binary(op: BinOp, x: &Scalar, y: &Scalar, d: DType, fl: &mut FpFlags) -> Result<Scalar> {
    let (a, b) = (as_i128(x), as_i128(y));
    let exact: i128 = match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => match a.checked_mul(b) {
            Some(r) => r,
            None => {
                // Only u64 × u64 can leave i128; the product certainly overflows 64 bits.
                fl.overflow = true;
                return Ok(int_scalar(wrap((a as u128).wrapping_mul(b as u128) as i128, d), d));
            }
        },
        BinOp::FloorDiv | BinOp::Rem if b == 0 => {
            fl.divide = true;
            0
        }
        BinOp::FloorDiv => {
            let q = a / b;
            if a % b != 0 && ((a < 0) != (b < 0)) {
                q - 1
            } else {
                q
            }
        }
        BinOp::Rem => {
            let r = a % b;
            if r != 0 && ((r < 0) != (b < 0)) {
                r + b
            } else {
                r
            }
        }
        BinOp::Pow => {
            if b < 0 {
                bail!(Value, "Integers to negative integer powers are not allowed.");
            }
            // NumPy's integer power wraps silently (no overflow check).
            let (mut base, mut e, mut acc) = (a as u64, b as u64, 1u64);
            while e > 0 {
                if e & 1 == 1 {
                    acc = acc.wrapping_mul(base);
                }
                base = base.wrapping_mul(base);
                e >>= 1;
            }
            return Ok(int_scalar(wrap(acc as i128, d), d));
        }
        BinOp::TrueDiv => unreachable!("integer true division computes in float64"),
    };
    let w = wrap(exact, d);
    if w != exact {
        fl.overflow = true;
    }
    Ok(int_scalar(w, d))
}
