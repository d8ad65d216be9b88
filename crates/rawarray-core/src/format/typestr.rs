//! Dtype spellings as NumPy's `dtype(str)` accepts them: array-interface typestrs,
//! names and one-letter codes, with an optional byte-order prefix.

use crate::bail;
use crate::dtype::{ByteOrder, DType, Kind};
use crate::error::Result;

/// Parses one dtype spelling; see [`DType::parse`].
///
/// # Errors
/// `Type` with NumPy's "data type 'x' not understood" message.
pub fn parse_dtype(spec: &str) -> Result<DType> {
    let not_understood = || crate::error::Error::Type(format!("data type '{spec}' not understood"));
    if let Some(d) = by_name(spec) {
        return Ok(d);
    }
    let (order, rest) = match spec.chars().next() {
        Some('<') => (Some(ByteOrder::Little), &spec[1..]),
        Some('>') => (Some(ByteOrder::Big), &spec[1..]),
        Some('=') => (Some(ByteOrder::NATIVE), &spec[1..]),
        Some('|') => (Some(ByteOrder::NotApplicable), &spec[1..]),
        _ => (None, spec),
    };
    if rest.is_empty() {
        return Err(not_understood());
    }
    if order.is_some() {
        if let Some(d) = by_name(rest) {
            // NumPy accepts a byte-order prefix on names only for its one-letter codes;
            // names such as '>float64' are refused.
            if rest.len() > 1 {
                return Err(not_understood());
            }
            return Ok(d.with_byte_order(order.unwrap_or(ByteOrder::NATIVE)));
        }
    }
    let mut chars = rest.chars();
    let code = chars.next().ok_or_else(not_understood)?;
    let digits = chars.as_str();
    if digits.is_empty() {
        return by_code(code).map(|d| d.with_byte_order(order.unwrap_or(ByteOrder::NATIVE))).ok_or_else(not_understood);
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(not_understood());
    }
    let size: usize = digits.parse().map_err(|_| not_understood())?;
    let kind = match code {
        'b' | '?' => Kind::Bool,
        'i' => Kind::Int,
        'u' => Kind::UInt,
        'f' => Kind::Float,
        'c' => Kind::Complex,
        'S' | 'a' => Kind::Bytes,
        'V' => Kind::Void,
        _ => return Err(not_understood()),
    };
    if matches!(kind, Kind::Bytes | Kind::Void) && size > i32::MAX as usize {
        bail!(Type, "data type '{}' not understood", spec);
    }
    DType::try_new(kind, size, order.unwrap_or(ByteOrder::NATIVE)).map_err(|_| not_understood())
}

/// One-letter type codes (struct-module style, native sizes on LP64 Linux).
pub(crate) const fn by_code(code: char) -> Option<DType> {
    Some(match code {
        '?' => DType::BOOL,
        'b' => DType::INT8,
        'B' => DType::UINT8,
        'h' => DType::INT16,
        'H' => DType::UINT16,
        'i' => DType::INT32,
        'I' => DType::UINT32,
        'l' | 'q' | 'p' => DType::INT64,
        'L' | 'Q' | 'P' => DType::UINT64,
        'e' => DType::FLOAT16,
        'f' => DType::FLOAT32,
        'd' => DType::FLOAT64,
        'F' => DType::COMPLEX64,
        'D' => DType::COMPLEX128,
        'S' | 'a' => DType::bytes(0),
        'V' => DType::void(0),
        'c' => DType::bytes(1),
        _ => return None,
    })
}

/// Names and one-letter codes without a byte-order prefix.
fn by_name(name: &str) -> Option<DType> {
    let mut chars = name.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return by_code(c);
    }
    Some(match name {
        "bool" | "bool_" => DType::BOOL,
        "int8" | "byte" => DType::INT8,
        "int16" | "short" => DType::INT16,
        "int32" | "intc" => DType::INT32,
        "int64" | "int" | "long" | "longlong" | "intp" | "int_" => DType::INT64,
        "uint8" | "ubyte" => DType::UINT8,
        "uint16" | "ushort" => DType::UINT16,
        "uint32" | "uintc" => DType::UINT32,
        "uint64" | "uint" | "ulong" | "ulonglong" | "uintp" => DType::UINT64,
        "float16" | "half" => DType::FLOAT16,
        "float32" | "single" => DType::FLOAT32,
        "float64" | "float" | "double" => DType::FLOAT64,
        "complex64" | "csingle" => DType::COMPLEX64,
        "complex128" | "complex" | "cdouble" => DType::COMPLEX128,
        "bytes" | "bytes_" => DType::bytes(0),
        "void" => DType::void(0),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings() {
        for (s, want) in [
            ("<f8", "<f8"),
            (">i4", ">i4"),
            ("|u1", "|u1"),
            ("=u2", "<u2"),
            ("S5", "|S5"),
            ("V8", "|V8"),
            ("float64", "<f8"),
            ("uint8", "|u1"),
            ("int", "<i8"),
            ("bool", "|b1"),
            ("complex128", "<c16"),
            ("float16", "<f2"),
            ("d", "<f8"),
            ("i", "<i4"),
            ("B", "|u1"),
            (">d", ">f8"),
            ("c", "|S1"),
            ("S", "|S0"),
        ] {
            assert_eq!(parse_dtype(s).unwrap().str(), want, "{s}");
        }
    }

    #[test]
    fn refusals() {
        for s in ["", "<", "f3", "i16", "b2", "float65", ">float64", "x", "f8x", "U5", "S-1", "O"] {
            let e = parse_dtype(s).unwrap_err();
            assert!(matches!(e, crate::error::Error::Type(_)), "{s}");
        }
    }
}
