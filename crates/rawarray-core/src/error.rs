//! The core's one error type. Every fallible core function returns [`Result`];
//! the Python binding maps each variant to exactly one Python exception type.

use std::fmt;

use crate::dtype::DType;
use crate::promote::Casting;

/// What went wrong, classified by the Python exception NumPy raises for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// An index out of range or an invalid index (Python `IndexError`).
    Index(String),
    /// A value that is of the right type but not acceptable (Python `ValueError`).
    Value(String),
    /// An argument of the wrong type or an unknown dtype spelling (Python `TypeError`).
    Type(String),
    /// A buffer that cannot be exported or consumed as asked (Python `BufferError`).
    Buffer(String),
    /// An allocation that failed or a size that cannot be allocated (Python `MemoryError`).
    Memory(String),
    /// Dtypes that have no common dtype (NumPy's `DTypePromotionError`, a `TypeError`).
    Promotion(String),
    /// An exact answer that needs more work than allowed (NumPy's `TooHardError`, a
    /// `RuntimeError`).
    TooHard(String),
    /// A ufunc that has no loop for the operands' dtypes, or whose operands cannot be cast
    /// as the casting rule asks (NumPy's `UFuncTypeError` family, `TypeError`s).
    UFuncType(Box<UFuncTypeError>),
    /// Bytes that are not UTF-8 where text was needed (Python's `UnicodeDecodeError`, a
    /// `ValueError`): the bytes and where decoding stopped.
    Decode(Vec<u8>, std::str::Utf8Error),
}

/// One of NumPy's `UFuncTypeError`s: the message and what the exception carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UFuncTypeError {
    /// The ufunc's name (`add`).
    pub ufunc: String,
    /// Which error, with NumPy's attributes.
    pub kind: UFuncErrorKind,
    /// NumPy's message.
    pub message: String,
}

/// The `UFuncTypeError` subclasses NumPy raises.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UFuncErrorKind {
    /// `_UFuncNoLoopError`: no loop for these input dtypes (NumPy's `dtypes` attribute,
    /// without the outputs' `None`s).
    NoLoop {
        /// The input dtypes.
        dtypes: Vec<DType>,
        /// The number of outputs.
        nout: usize,
    },
    /// `_UFuncInputCastingError`: input `index` cannot be cast from `from` to `to`.
    InputCasting {
        /// The rule.
        casting: Casting,
        /// The operand's dtype.
        from: DType,
        /// The loop's dtype.
        to: DType,
        /// The input's position.
        index: usize,
    },
    /// `_UFuncOutputCastingError`: the loop's output cannot be cast to the `out` array's dtype.
    OutputCasting {
        /// The rule.
        casting: Casting,
        /// The loop's dtype.
        from: DType,
        /// The `out` array's dtype.
        to: DType,
        /// The operand position (NumPy counts the inputs first: `nin + k`).
        index: usize,
    },
}

impl Error {
    /// A `UFuncTypeError` of this kind.
    pub fn ufunc(ufunc: &str, kind: UFuncErrorKind, message: String) -> Error {
        Error::UFuncType(Box::new(UFuncTypeError { ufunc: ufunc.to_string(), kind, message }))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Index(m)
            | Error::Value(m)
            | Error::Type(m)
            | Error::Buffer(m)
            | Error::Memory(m)
            | Error::Promotion(m)
            | Error::TooHard(m) => f.write_str(m),
            Error::UFuncType(e) => f.write_str(&e.message),
            Error::Decode(b, e) => {
                let (range, reason) = utf8_failure(b, e);
                let pos = range.start;
                write!(f, "'utf-8' codec can't decode byte 0x{:02x} in position {pos}: {reason}", b[pos])
            }
        }
    }
}

/// Where UTF-8 decoding of `b` failed and why, in Python's terms (the `start..end` and
/// `reason` of its `UnicodeDecodeError`).
pub fn utf8_failure(b: &[u8], e: &std::str::Utf8Error) -> (std::ops::Range<usize>, &'static str) {
    let pos = e.valid_up_to();
    match (b[pos], e.error_len()) {
        (_, None) => (pos..b.len(), "unexpected end of data"),
        (0x80..=0xbf | 0xc0 | 0xc1 | 0xf5..=0xff, _) => (pos..pos + 1, "invalid start byte"),
        (_, Some(n)) => (pos..pos + n, "invalid continuation byte"),
    }
}

impl std::error::Error for Error {}

/// The core's result type.
pub type Result<T> = std::result::Result<T, Error>;

/// Returns early with an error of the given kind and a formatted message.
///
/// ```
/// use rawarray_core::{bail, error::Result};
/// fn f(n: i64) -> Result<()> {
///     if n < 0 { bail!(Value, "negative dimensions are not allowed"); }
///     Ok(())
/// }
/// assert!(f(-1).is_err());
/// ```
#[macro_export]
macro_rules! bail {
    ($kind:ident, $($arg:tt)+) => {
        return Err($crate::error::Error::$kind(format!($($arg)+)))
    };
}

/// Returns early with an error of the given kind unless the condition holds.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $kind:ident, $($arg:tt)+) => {
        if !$cond {
            $crate::bail!($kind, $($arg)+);
        }
    };
}
