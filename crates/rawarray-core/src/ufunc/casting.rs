//! NumPy's casting rules for numeric dtypes (`'no'`, `'equiv'`, `'safe'`, `'same_kind'`,
//! `'unsafe'`), as ufuncs check their operands against `casting=`.

use crate::dtype::{DType, Kind};
use crate::promote::promote_types;

/// A casting rule, ordered from strictest to loosest.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Casting {
    /// Identical dtypes only.
    No,
    /// Byte-order changes only.
    Equiv,
    /// Value-preserving casts.
    Safe,
    /// Safe casts or casts within a kind (float64 to float32, uint to int).
    SameKind,
    /// Anything.
    Unsafe,
}

impl Casting {
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

    /// Parses NumPy's spelling.
    pub fn parse(s: &str) -> Option<Casting> {
        Some(match s {
            "no" => Casting::No,
            "equiv" => Casting::Equiv,
            "safe" => Casting::Safe,
            "same_kind" => Casting::SameKind,
            "unsafe" => Casting::Unsafe,
            _ => return None,
        })
    }
}

/// NumPy's kind order for `same_kind`: bool < uint < int < float < complex.
fn kind_rank(k: Kind) -> u8 {
    match k {
        Kind::Bool => 0,
        Kind::UInt => 1,
        Kind::Int => 2,
        Kind::Float => 3,
        Kind::Complex => 4,
        Kind::Bytes | Kind::Void => 5,
    }
}

/// Whether `from` may be cast to `to` under `rule` (numeric dtypes; others only to
/// themselves unless `unsafe`).
pub fn can_cast(from: DType, to: DType, rule: Casting) -> bool {
    if from == to || rule == Casting::Unsafe {
        return true;
    }
    let same_type = from.kind() == to.kind() && from.itemsize() == to.itemsize();
    match rule {
        Casting::No => from == to || (same_type && from.itemsize() == 1),
        Casting::Equiv => same_type,
        _ if !from.is_numeric() || !to.is_numeric() => same_type,
        Casting::Safe => safe(from, to),
        Casting::SameKind => safe(from, to) || kind_rank(from.kind()) <= kind_rank(to.kind()),
        Casting::Unsafe => true,
    }
}

fn safe(from: DType, to: DType) -> bool {
    promote_types(from, to).map(|p| p == to.to_native()).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_follow_numpy() {
        assert!(can_cast(DType::INT8, DType::FLOAT16, Casting::Safe));
        assert!(!can_cast(DType::INT64, DType::UINT64, Casting::SameKind));
        assert!(can_cast(DType::UINT64, DType::INT8, Casting::SameKind));
        assert!(!can_cast(DType::FLOAT64, DType::INT64, Casting::SameKind));
        assert!(can_cast(DType::FLOAT64, DType::FLOAT32, Casting::SameKind));
        assert!(!can_cast(DType::FLOAT64, DType::FLOAT32, Casting::Safe));
        assert!(can_cast(DType::parse(">f8").unwrap(), DType::FLOAT64, Casting::Equiv));
        assert!(!can_cast(DType::parse(">f8").unwrap(), DType::FLOAT64, Casting::No));
    }
}
