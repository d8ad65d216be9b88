//! Dtype promotion: NumPy 2's `np.promote_types` for our dtypes, and NEP 50's rules for
//! a Python scalar (bool, int, float, complex) meeting an array (`np.result_type`).
//! Results are always in native byte order. Refused pairs are `Error::Promotion` carrying
//! the message of NumPy's `DTypePromotionError` (a `TypeError`).

use crate::dtype::{DType, Kind};
use crate::error::{Error, Result};
use crate::kernels::cast::text::str_len;

/// The kind of a Python scalar operand, which NEP 50 treats as "weak".
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PyScalarKind {
    /// `bool` (not weak: it is NumPy's bool).
    Bool,
    /// `int`.
    Int,
    /// `float`.
    Float,
    /// `complex`.
    Complex,
}

/// NumPy's class name of a dtype's DType (`Int8DType`, `BytesDType`, ...).
pub fn dtype_class(d: DType) -> String {
    let name = match (d.kind(), d.itemsize()) {
        (Kind::Bool, _) => "Bool".to_string(),
        (Kind::Bytes, _) => "Bytes".to_string(),
        (Kind::Void, _) => "Void".to_string(),
        (Kind::Int, n) => format!("Int{}", n * 8),
        (Kind::UInt, n) => format!("UInt{}", n * 8),
        (Kind::Float, n) => format!("Float{}", n * 8),
        (Kind::Complex, n) => format!("Complex{}", n * 8),
    };
    format!("<class 'numpy.dtypes.{name}DType'>")
}

fn no_common(a: &str, b: &str) -> Error {
    Error::Promotion(format!(
        "The DTypes {a} and {b} do not have a common DType. For example they cannot be stored in a single array unless the dtype is `object`."
    ))
}

/// The smallest float size (bytes) that holds every value of an integer of `n` bytes
/// in NumPy's table: 1 -> float16, 2 -> float32, 4 and 8 -> float64.
fn float_size_for_int(n: usize) -> usize {
    match n {
        1 => 2,
        2 => 4,
        _ => 8,
    }
}

/// The "float size" of a numeric dtype for promotion with floats and complex numbers.
fn float_size(d: DType) -> usize {
    match d.kind() {
        Kind::Bool => 2,
        Kind::Int | Kind::UInt => float_size_for_int(d.itemsize()),
        Kind::Complex => d.itemsize() / 2,
        _ => d.itemsize(),
    }
}

fn make(kind: Kind, itemsize: usize) -> DType {
    DType::try_new(kind, itemsize, crate::dtype::ByteOrder::NATIVE).expect("promotion yields valid sizes")
}

/// NumPy 2's `np.promote_types(a, b)`.
///
/// # Errors
/// `Promotion` (NumPy's `DTypePromotionError`) for void with anything but void of the same size.
pub fn promote_types(a: DType, b: DType) -> Result<DType> {
    use Kind::*;
    let (ka, kb) = (a.kind(), b.kind());
    if ka == Void || kb == Void {
        if ka == Void && kb == Void {
            if a.itemsize() == b.itemsize() {
                return Ok(a);
            }
            crate::bail!(
                Promotion,
                "Invalid type promotion with void datatypes of different lengths. Use the `np.bytes_` datatype instead to pad the shorter value with trailing zero bytes."
            );
        }
        return Err(no_common(&dtype_class(a), &dtype_class(b)));
    }
    if ka == Bytes || kb == Bytes {
        return Ok(DType::bytes(str_len(a).max(str_len(b))));
    }
    let (sa, sb) = (a.itemsize(), b.itemsize());
    let out = match (ka, kb) {
        (Bool, _) => b.to_native(),
        (_, Bool) => a.to_native(),
        (Int, Int) | (UInt, UInt) => make(ka, sa.max(sb)),
        (Int, UInt) | (UInt, Int) => {
            let (si, su) = if ka == Int { (sa, sb) } else { (sb, sa) };
            if su < si {
                make(Int, si)
            } else if su < 8 {
                make(Int, su * 2)
            } else {
                make(Float, 8)
            }
        }
        (Complex, _) | (_, Complex) => make(Complex, 2 * float_size(a).max(float_size(b)).max(4)),
        _ => make(Float, float_size(a).max(float_size(b))),
    };
    Ok(out)
}

/// NEP 50: the result dtype of an operation between an array of `array` dtype and a Python
/// scalar of kind `py` (`np.result_type(arr, 1.0)`); Python int/float/complex are weak and
/// only raise the kind, never the precision.
///
/// # Errors
/// `Type` (NumPy's `DTypePromotionError`) for bytes with a Python number and for void.
pub fn result_type_weak(array: DType, py: PyScalarKind) -> Result<DType> {
    use Kind::*;
    let k = array.kind();
    if matches!(k, Bytes | Void) && !(k == Bytes && py == PyScalarKind::Bool) {
        let other = match py {
            PyScalarKind::Bool => dtype_class(DType::BOOL),
            PyScalarKind::Int => "<class 'numpy.dtypes._PyLongDType'>".to_string(),
            PyScalarKind::Float => "<class 'numpy.dtypes._PyFloatDType'>".to_string(),
            PyScalarKind::Complex => "<class 'numpy.dtypes._PyComplexDType'>".to_string(),
        };
        let this = dtype_class(array);
        crate::bail!(
            Promotion,
            "The DType {this} could not be promoted by {other}. This means that no common DType exists for the given inputs. For example they cannot be stored in a single array unless the dtype is `object`. The full list of DTypes is: ({this}, {other})"
        );
    }
    let out = match (py, k) {
        (PyScalarKind::Bool, _) => return promote_types(array, DType::BOOL),
        (PyScalarKind::Int, Bool) => DType::INT64,
        (PyScalarKind::Float, Bool | Int | UInt) => DType::FLOAT64,
        (PyScalarKind::Complex, Bool | Int | UInt) => DType::COMPLEX128,
        (PyScalarKind::Complex, Float) => make(Complex, 2 * array.itemsize().max(4)),
        _ => array.to_native(),
    };
    Ok(out)
}

/// NumPy's casting rules, from the strictest to the most permissive (`casting=`).
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Casting {
    /// `'no'`: only the identical dtype (byte order included).
    No,
    /// `'equiv'`: the same dtype, possibly in the other byte order.
    Equiv,
    /// `'safe'`: every value survives the cast.
    Safe,
    /// `'same_kind'`: safe casts, or casts within a kind or to a higher kind
    /// (bool < uint < int < float < complex).
    SameKind,
    /// `'unsafe'`: any cast.
    Unsafe,
}

impl Casting {
    /// Parses NumPy's spelling.
    ///
    /// # Errors
    /// `Value` with NumPy's message for anything else.
    pub fn parse(s: &str) -> Result<Casting> {
        Ok(match s {
            "no" => Casting::No,
            "equiv" => Casting::Equiv,
            "safe" => Casting::Safe,
            "same_kind" => Casting::SameKind,
            "unsafe" => Casting::Unsafe,
            _ => crate::bail!(Value, "casting must be one of 'no', 'equiv', 'safe', 'same_kind', 'unsafe' (got '{s}')"),
        })
    }

    /// NumPy's spelling.
    pub fn name(self) -> &'static str {
        match self {
            Casting::No => "no",
            Casting::Equiv => "equiv",
            Casting::Safe => "safe",
            Casting::SameKind => "same_kind",
            Casting::Unsafe => "unsafe",
        }
    }
}

/// The rank of a numeric kind for the `same_kind` rule.
fn kind_rank(k: Kind) -> Option<u8> {
    match k {
        Kind::Bool => Some(0),
        Kind::UInt => Some(1),
        Kind::Int => Some(2),
        Kind::Float => Some(3),
        Kind::Complex => Some(4),
        Kind::Bytes | Kind::Void => None,
    }
}

/// The strictest rule under which NumPy 2 allows casting `from` to `to`
/// (`np.can_cast(from, to, c)` is true exactly for the rules at least this permissive).
pub fn min_casting(from: DType, to: DType) -> Casting {
    use Kind::*;
    let (kf, kt) = (from.kind(), to.kind());
    let (sf, st) = (from.itemsize(), to.itemsize());
    if kf == kt && sf == st {
        // Byte order only matters for multi-byte numbers.
        let swapped = from.is_numeric() && sf > 1 && from.needs_swap() != to.needs_swap();
        return if swapped { Casting::Equiv } else { Casting::No };
    }
    match (kf, kt) {
        (Void, Void) | (Bytes, Bytes) => {
            if st >= sf {
                Casting::Safe
            } else {
                Casting::SameKind
            }
        }
        (_, Void) => {
            if st >= sf {
                Casting::Safe
            } else {
                Casting::Unsafe
            }
        }
        (Void, _) | (Bytes, _) => Casting::Unsafe,
        (_, Bytes) => {
            if str_len(from) <= st {
                Casting::Safe
            } else {
                Casting::SameKind
            }
        }
        _ => {
            let promoted = promote_types(from, to).ok();
            if promoted.is_some_and(|p| p.kind() == kt && p.itemsize() == st) {
                Casting::Safe
            } else if kind_rank(kf) <= kind_rank(kt) {
                Casting::SameKind
            } else {
                Casting::Unsafe
            }
        }
    }
}

/// NumPy 2's `np.can_cast(from, to, casting)` for two dtypes.
///
/// ```
/// use rawarray_core::dtype::DType;
/// use rawarray_core::promote::{can_cast, Casting};
/// assert!(can_cast(DType::INT64, DType::FLOAT64, Casting::Safe));
/// assert!(!can_cast(DType::FLOAT64, DType::INT64, Casting::SameKind));
/// ```
pub fn can_cast(from: DType, to: DType, casting: Casting) -> bool {
    // `unsafe` (astype's default) allows every cast: no need to classify the pair.
    casting == Casting::Unsafe || min_casting(from, to) <= casting
}

/// NumPy's error for a cast refused by `casting`.
pub fn cast_error(from: DType, to: DType, casting: Casting) -> Error {
    Error::Type(format!(
        "Cannot cast array data from dtype('{}') to dtype('{}') according to the rule '{}'",
        from.repr_spec(),
        to.repr_spec(),
        casting.name()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every pair (and every array dtype with every Python scalar kind) against the table
    /// NumPy printed (`promote_numpy.tsv`).
    #[test]
    fn matches_numpy_table() {
        let mut checked = 0;
        for line in include_str!("promote_numpy.tsv").lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = line.split('\t').collect();
            let a = DType::parse(f[0]).unwrap();
            let got = match f[1].strip_prefix("py:") {
                Some(kind) => {
                    let py = match kind {
                        "bool" => PyScalarKind::Bool,
                        "int" => PyScalarKind::Int,
                        "float" => PyScalarKind::Float,
                        _ => PyScalarKind::Complex,
                    };
                    result_type_weak(a, py)
                }
                None => promote_types(a, DType::parse(f[1]).unwrap()),
            };
            match (got, f[2].strip_prefix('!')) {
                (Ok(d), None) => assert_eq!(d.str(), f[2], "{line}"),
                (Err(Error::Promotion(m)), Some(want)) => assert_eq!(m, want, "{line}"),
                (other, _) => panic!("{line}: got {other:?}"),
            }
            checked += 1;
        }
        assert_eq!(checked, 22 * 22 + 22 * 4);
    }

    /// Every pair of dtypes (both byte orders, several S and V sizes) under every rule,
    /// against the table NumPy printed (`cast_numpy.tsv`).
    #[test]
    fn can_cast_matches_numpy_table() {
        let rules = [Casting::No, Casting::Equiv, Casting::Safe, Casting::SameKind, Casting::Unsafe];
        let mut checked = 0;
        for line in include_str!("cast_numpy.tsv").lines().filter(|l| !l.starts_with('#')) {
            let f: Vec<&str> = line.split('\t').collect();
            let (a, b) = (DType::parse(f[0]).unwrap(), DType::parse(f[1]).unwrap());
            for (rule, want) in rules.iter().zip(f[2].chars()) {
                assert_eq!(can_cast(a, b, *rule), want == '1', "{line} {rule:?}");
                checked += 1;
            }
        }
        assert_eq!(checked, 35 * 35 * 5);
    }
}
