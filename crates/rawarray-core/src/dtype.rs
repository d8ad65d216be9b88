//! Element types: what the bytes of one element mean.
//!
//! A [`DType`] is a kind, an item size in bytes and a byte order. It is a small `Copy`
//! value; the byte order is stored explicitly (`Little`/`Big`) for multi-byte numeric
//! kinds and as `NotApplicable` for one-byte kinds, bytes and void, so two dtypes that
//! NumPy considers equal compare equal here.

use crate::bail;
use crate::error::Result;

/// The family of an element type.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// `?`: one byte, 0 or 1.
    Bool,
    /// `i`: signed two's complement integer.
    Int,
    /// `u`: unsigned integer.
    UInt,
    /// `f`: IEEE 754 binary float (half, single, double).
    Float,
    /// `c`: two floats, real then imaginary.
    Complex,
    /// `S`: fixed-width bytes, NUL-padded.
    Bytes,
    /// `V`: raw bytes without interpretation.
    Void,
}

/// The byte order of a multi-byte element.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum ByteOrder {
    /// Least significant byte first.
    Little,
    /// Most significant byte first.
    Big,
    /// Byte order does not apply (one-byte kinds, bytes, void).
    NotApplicable,
}

impl ByteOrder {
    /// The byte order of the machine this code runs on.
    pub const NATIVE: ByteOrder = if cfg!(target_endian = "little") { ByteOrder::Little } else { ByteOrder::Big };

    /// The opposite byte order (`NotApplicable` stays as it is).
    pub fn swapped(self) -> ByteOrder {
        match self {
            ByteOrder::Little => ByteOrder::Big,
            ByteOrder::Big => ByteOrder::Little,
            ByteOrder::NotApplicable => ByteOrder::NotApplicable,
        }
    }
}

/// An element type: kind, item size in bytes and byte order.
///
/// ```
/// use rawarray_core::dtype::DType;
/// let d = DType::parse(">i4").unwrap();
/// assert_eq!(d.str(), ">i4");
/// assert_eq!(d.name(), "int32");
/// assert!(!d.is_native());
/// ```
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct DType {
    kind: Kind,
    itemsize: usize,
    order: ByteOrder,
}

impl DType {
    /// `bool`
    pub const BOOL: DType = DType { kind: Kind::Bool, itemsize: 1, order: ByteOrder::NotApplicable };
    /// `int8`
    pub const INT8: DType = DType { kind: Kind::Int, itemsize: 1, order: ByteOrder::NotApplicable };
    /// native `int16`
    pub const INT16: DType = DType::numeric_native(Kind::Int, 2);
    /// native `int32`
    pub const INT32: DType = DType::numeric_native(Kind::Int, 4);
    /// native `int64`
    pub const INT64: DType = DType::numeric_native(Kind::Int, 8);
    /// `uint8`
    pub const UINT8: DType = DType { kind: Kind::UInt, itemsize: 1, order: ByteOrder::NotApplicable };
    /// native `uint16`
    pub const UINT16: DType = DType::numeric_native(Kind::UInt, 2);
    /// native `uint32`
    pub const UINT32: DType = DType::numeric_native(Kind::UInt, 4);
    /// native `uint64`
    pub const UINT64: DType = DType::numeric_native(Kind::UInt, 8);
    /// native `float16`
    pub const FLOAT16: DType = DType::numeric_native(Kind::Float, 2);
    /// native `float32`
    pub const FLOAT32: DType = DType::numeric_native(Kind::Float, 4);
    /// native `float64`
    pub const FLOAT64: DType = DType::numeric_native(Kind::Float, 8);
    /// native `complex64`
    pub const COMPLEX64: DType = DType::numeric_native(Kind::Complex, 8);
    /// native `complex128`
    pub const COMPLEX128: DType = DType::numeric_native(Kind::Complex, 16);

    const fn numeric_native(kind: Kind, itemsize: usize) -> DType {
        DType { kind, itemsize, order: ByteOrder::NATIVE }
    }

    /// Builds a dtype, checking that the item size exists for the kind.
    ///
    /// The byte order is normalised: it is `NotApplicable` exactly for one-byte
    /// numeric kinds, bytes and void; `NotApplicable` given for a multi-byte
    /// numeric kind means native.
    ///
    /// # Errors
    /// `Type` when the kind has no such item size (`f3`, `i16`, `b2`).
    pub fn try_new(kind: Kind, itemsize: usize, order: ByteOrder) -> Result<DType> {
        let ok = match kind {
            Kind::Bool => itemsize == 1,
            Kind::Int | Kind::UInt => matches!(itemsize, 1 | 2 | 4 | 8),
            Kind::Float => matches!(itemsize, 2 | 4 | 8),
            Kind::Complex => matches!(itemsize, 8 | 16),
            Kind::Bytes | Kind::Void => itemsize <= i32::MAX as usize,
        };
        if !ok {
            bail!(Type, "data type '{}{}' not understood", kind.char_code(), itemsize);
        }
        let order = if itemsize == 1 || matches!(kind, Kind::Bytes | Kind::Void | Kind::Bool) {
            ByteOrder::NotApplicable
        } else if order == ByteOrder::NotApplicable {
            ByteOrder::NATIVE
        } else {
            order
        };
        Ok(DType { kind, itemsize, order })
    }

    /// Fixed-width bytes of `n` bytes (`S{n}`); `n == 0` is the unsized `S`.
    pub const fn bytes(n: usize) -> DType {
        DType { kind: Kind::Bytes, itemsize: n, order: ByteOrder::NotApplicable }
    }

    /// Raw void of `n` bytes (`V{n}`).
    pub const fn void(n: usize) -> DType {
        DType { kind: Kind::Void, itemsize: n, order: ByteOrder::NotApplicable }
    }

    /// The kind.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Bytes per element.
    pub fn itemsize(&self) -> usize {
        self.itemsize
    }

    /// The stored byte order (`Little`, `Big` or `NotApplicable`).
    pub fn byte_order(&self) -> ByteOrder {
        self.order
    }

    /// True unless the bytes are stored in the non-native order.
    pub fn is_native(&self) -> bool {
        self.order != ByteOrder::NATIVE.swapped()
    }

    /// True when elements must be byte-swapped to be read natively.
    pub fn needs_swap(&self) -> bool {
        !self.is_native()
    }

    /// True for the numeric kinds (bool included), false for bytes and void.
    pub fn is_numeric(&self) -> bool {
        !matches!(self.kind, Kind::Bytes | Kind::Void)
    }

    /// True for `S0`/`V0`, the unsized flexible dtypes that only make sense as a cast target.
    pub fn is_unsized(&self) -> bool {
        !self.is_numeric() && self.itemsize == 0
    }

    /// The required alignment in bytes, as NumPy reports it.
    pub fn alignment(&self) -> usize {
        match self.kind {
            Kind::Bytes | Kind::Void | Kind::Bool => 1,
            Kind::Complex => self.itemsize / 2,
            _ => self.itemsize,
        }
    }

    /// The same dtype in the given byte order (no-op where byte order does not apply).
    pub fn with_byte_order(&self, order: ByteOrder) -> DType {
        if self.order == ByteOrder::NotApplicable {
            *self
        } else {
            let order = if order == ByteOrder::NotApplicable { ByteOrder::NATIVE } else { order };
            DType { order, ..*self }
        }
    }

    /// The same dtype in native byte order.
    pub fn to_native(&self) -> DType {
        self.with_byte_order(ByteOrder::NATIVE)
    }

    /// NumPy's `newbyteorder(order)`: `S`/`s` swaps, `<`/`L`/`l`, `>`/`B`/`b`, `=`/`N`/`n`
    /// (native) and `|`/`I`/`i` (keep) set it.
    ///
    /// # Errors
    /// `Value` for any other order character.
    pub fn new_byte_order(&self, order: &str) -> Result<DType> {
        let target = match order {
            "S" | "s" | "swap" => self.order.swapped(),
            "<" | "L" | "l" | "little" => ByteOrder::Little,
            ">" | "B" | "b" | "big" => ByteOrder::Big,
            "=" | "N" | "n" | "native" => ByteOrder::NATIVE,
            "|" | "I" | "i" => return Ok(*self),
            _ => bail!(Value, "byteorder not recognized (got '{}')", order),
        };
        Ok(self.with_byte_order(target))
    }

    /// The byte-order character NumPy's `dtype.byteorder` reports: `=` native, `<`/`>`
    /// non-native, `|` not applicable.
    pub fn byteorder_char(&self) -> char {
        match self.order {
            ByteOrder::NotApplicable => '|',
            o if o == ByteOrder::NATIVE => '=',
            ByteOrder::Little => '<',
            ByteOrder::Big => '>',
        }
    }

    /// The explicit byte-order character used in typestrs: `<`, `>` or `|`.
    pub fn explicit_order_char(&self) -> char {
        match self.order {
            ByteOrder::NotApplicable => '|',
            ByteOrder::Little => '<',
            ByteOrder::Big => '>',
        }
    }

    /// The array-interface typestr, e.g. `<f8`, `|u1`, `|S5`.
    pub fn str(&self) -> String {
        format!("{}{}{}", self.explicit_order_char(), self.kind.char_code(), self.itemsize)
    }

    /// NumPy's `dtype.name`: `float64`, `uint8`, `bool`, `bytes40`, `void64`, `bytes`.
    pub fn name(&self) -> String {
        match self.kind {
            Kind::Bool => "bool".to_string(),
            Kind::Int => format!("int{}", self.itemsize * 8),
            Kind::UInt => format!("uint{}", self.itemsize * 8),
            Kind::Float => format!("float{}", self.itemsize * 8),
            Kind::Complex => format!("complex{}", self.itemsize * 8),
            Kind::Bytes if self.itemsize == 0 => "bytes".to_string(),
            Kind::Bytes => format!("bytes{}", self.itemsize * 8),
            Kind::Void if self.itemsize == 0 => "void".to_string(),
            Kind::Void => format!("void{}", self.itemsize * 8),
        }
    }

    /// NumPy's `dtype.char`: the one-letter type code.
    pub fn char(&self) -> char {
        match (self.kind, self.itemsize) {
            (Kind::Bool, _) => '?',
            (Kind::Int, 1) => 'b',
            (Kind::Int, 2) => 'h',
            (Kind::Int, 4) => 'i',
            (Kind::Int, _) => 'l',
            (Kind::UInt, 1) => 'B',
            (Kind::UInt, 2) => 'H',
            (Kind::UInt, 4) => 'I',
            (Kind::UInt, _) => 'L',
            (Kind::Float, 2) => 'e',
            (Kind::Float, 4) => 'f',
            (Kind::Float, _) => 'd',
            (Kind::Complex, 8) => 'F',
            (Kind::Complex, _) => 'D',
            (Kind::Bytes, _) => 'S',
            (Kind::Void, _) => 'V',
        }
    }

    /// NumPy's C type name (`double`, `ubyte`, `cfloat`; `bytes`/`void`), as its cast
    /// errors print it.
    pub fn c_name(&self) -> &'static str {
        match self.char() {
            '?' => "bool",
            'b' => "byte",
            'h' => "short",
            'i' => "int",
            'l' => "long",
            'B' => "ubyte",
            'H' => "ushort",
            'I' => "uint",
            'L' => "ulong",
            'e' => "half",
            'f' => "float",
            'd' => "double",
            'F' => "cfloat",
            'D' => "cdouble",
            'S' => "bytes",
            _ => "void",
        }
    }

    /// The text inside NumPy's `dtype(...)` repr: `'float64'`, `'>i4'`, `'S5'`, `'V8'`.
    pub fn repr_spec(&self) -> String {
        match self.kind {
            Kind::Bytes | Kind::Void if self.itemsize == 0 => self.kind.char_code().to_string(),
            Kind::Bytes | Kind::Void => format!("{}{}", self.kind.char_code(), self.itemsize),
            _ if !self.is_native() => self.str(),
            _ => self.name(),
        }
    }

    /// Parses a string spelling as `numpy.dtype(str)` does: typestrs (`'<f8'`, `'|u1'`,
    /// `'S5'`), names (`'float64'`, `'int'`, `'double'`) and one-letter codes (`'d'`, `'B'`),
    /// each optionally prefixed by a byte-order character.
    ///
    /// # Errors
    /// `Type` naming the spelling when it is not understood.
    pub fn parse(spec: &str) -> Result<DType> {
        crate::format::typestr::parse_dtype(spec)
    }
}

impl Kind {
    /// The kind character used in typestrs (`b`, `i`, `u`, `f`, `c`, `S`, `V`).
    pub fn char_code(&self) -> char {
        match self {
            Kind::Bool => 'b',
            Kind::Int => 'i',
            Kind::UInt => 'u',
            Kind::Float => 'f',
            Kind::Complex => 'c',
            Kind::Bytes => 'S',
            Kind::Void => 'V',
        }
    }
}

impl std::fmt::Display for DType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.repr_spec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn native_names_and_codes() {
        assert_eq!(DType::FLOAT64.str(), "<f8");
        assert_eq!(DType::FLOAT64.byteorder_char(), '=');
        assert_eq!(DType::UINT8.byteorder_char(), '|');
        assert_eq!(DType::INT64.char(), 'l');
        assert_eq!(DType::COMPLEX64.alignment(), 4);
        assert_eq!(DType::bytes(5).name(), "bytes40");
        assert_eq!(DType::void(8).repr_spec(), "V8");
    }

    #[test]
    fn byte_order_swaps() {
        let be = DType::FLOAT64.new_byte_order("S").unwrap();
        assert_eq!(be.str(), ">f8");
        assert!(be.needs_swap());
        assert_eq!(be.new_byte_order("=").unwrap(), DType::FLOAT64);
        assert_eq!(DType::UINT8.new_byte_order(">").unwrap(), DType::UINT8);
        assert!(DType::FLOAT64.new_byte_order("x").is_err());
    }

    #[test]
    fn invalid_sizes_are_refused() {
        assert!(DType::try_new(Kind::Float, 3, ByteOrder::NATIVE).is_err());
        assert!(DType::try_new(Kind::Bool, 2, ByteOrder::NATIVE).is_err());
        assert_eq!(DType::try_new(Kind::Int, 1, ByteOrder::Big).unwrap(), DType::INT8);
    }
}
