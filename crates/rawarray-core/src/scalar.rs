//! One element's value, crossing between typed memory and the outside world.
//!
//! A [`Scalar`] holds the value in the widest Rust type of its kind (float16 and float32
//! widen to f64 exactly), so reading and writing back an element is lossless.

use half::f16;

use crate::dtype::{DType, Kind};

/// The value of one element.
#[derive(Clone, Debug, PartialEq)]
pub enum Scalar {
    /// A bool element.
    Bool(bool),
    /// A signed integer element.
    Int(i64),
    /// An unsigned integer element.
    UInt(u64),
    /// A float element (float16/32 widened exactly).
    Float(f64),
    /// A complex element (real, imaginary).
    Complex(f64, f64),
    /// An `S` element, trailing NULs stripped as NumPy does.
    Bytes(Vec<u8>),
    /// A `V` element, all bytes.
    Void(Vec<u8>),
}

fn read_bytes<const N: usize>(ptr: *const u8, swap: bool) -> [u8; N] {
    let mut b = [0u8; N];
    // SAFETY: callers of `Scalar::read` promise `ptr..ptr+itemsize` is readable and we only
    // get here with `N == itemsize`; `b` is a fresh local, so the ranges do not overlap.
    unsafe { std::ptr::copy_nonoverlapping(ptr, b.as_mut_ptr(), N) };
    if swap {
        b.reverse();
    }
    b
}

fn write_bytes<const N: usize>(ptr: *mut u8, mut b: [u8; N], swap: bool) {
    if swap {
        b.reverse();
    }
    // SAFETY: callers of `Scalar::write` promise `ptr..ptr+itemsize` is writable and
    // `N == itemsize`; `b` is a local, so the ranges do not overlap.
    unsafe { std::ptr::copy_nonoverlapping(b.as_ptr(), ptr, N) };
}

impl Scalar {
    /// Reads one element of type `dtype` at `ptr` (any alignment, any byte order).
    ///
    /// # Safety
    /// `ptr..ptr + dtype.itemsize()` must be readable, and no one may write it concurrently.
    #[inline]
    pub unsafe fn read(ptr: *const u8, dtype: DType) -> Scalar {
        // Inlined fast path for the common native-order numbers (element access, iteration,
        // `tolist`): the value is built in the caller's frame instead of being returned
        // through memory, which stalled the copy that follows on store forwarding.
        if !dtype.needs_swap() {
            // SAFETY: `ptr..ptr+itemsize` is readable by the caller's contract and the
            // itemsize matches the type read; `read_unaligned` tolerates any alignment.
            unsafe {
                match (dtype.kind(), dtype.itemsize()) {
                    (Kind::Float, 8) => return Scalar::Float(ptr.cast::<f64>().read_unaligned()),
                    (Kind::Float, 4) => return Scalar::Float(ptr.cast::<f32>().read_unaligned() as f64),
                    (Kind::Int, 8) => return Scalar::Int(ptr.cast::<i64>().read_unaligned()),
                    (Kind::Int, 4) => return Scalar::Int(ptr.cast::<i32>().read_unaligned() as i64),
                    (Kind::UInt, 8) => return Scalar::UInt(ptr.cast::<u64>().read_unaligned()),
                    (Kind::UInt, 1) => return Scalar::UInt(*ptr as u64),
                    _ => {}
                }
            }
        }
        // SAFETY: the caller's contract, passed on.
        unsafe { Scalar::read_any(ptr, dtype) }
    }

    /// [`Scalar::read`] for every dtype and byte order.
    ///
    /// # Safety
    /// As for [`Scalar::read`].
    #[inline(never)]
    unsafe fn read_any(ptr: *const u8, dtype: DType) -> Scalar {
        let swap = dtype.needs_swap();
        let n = dtype.itemsize();
        match (dtype.kind(), n) {
            // SAFETY: `ptr..ptr+n` is readable by the caller's contract.
            (Kind::Bool, _) => Scalar::Bool(unsafe { *ptr } != 0),
            (Kind::Int, 1) => Scalar::Int(i8::from_ne_bytes(read_bytes(ptr, swap)) as i64),
            (Kind::Int, 2) => Scalar::Int(i16::from_ne_bytes(read_bytes(ptr, swap)) as i64),
            (Kind::Int, 4) => Scalar::Int(i32::from_ne_bytes(read_bytes(ptr, swap)) as i64),
            (Kind::Int, _) => Scalar::Int(i64::from_ne_bytes(read_bytes(ptr, swap))),
            (Kind::UInt, 1) => Scalar::UInt(u8::from_ne_bytes(read_bytes(ptr, swap)) as u64),
            (Kind::UInt, 2) => Scalar::UInt(u16::from_ne_bytes(read_bytes(ptr, swap)) as u64),
            (Kind::UInt, 4) => Scalar::UInt(u32::from_ne_bytes(read_bytes(ptr, swap)) as u64),
            (Kind::UInt, _) => Scalar::UInt(u64::from_ne_bytes(read_bytes(ptr, swap))),
            (Kind::Float, 2) => Scalar::Float(f16::from_bits(u16::from_ne_bytes(read_bytes(ptr, swap))).to_f64()),
            (Kind::Float, 4) => Scalar::Float(f32::from_ne_bytes(read_bytes(ptr, swap)) as f64),
            (Kind::Float, _) => Scalar::Float(f64::from_ne_bytes(read_bytes(ptr, swap))),
            (Kind::Complex, 8) => {
                let b: [u8; 8] = read_bytes(ptr, false);
                let re = f32::from_ne_bytes(swap4(&b[..4], swap));
                let im = f32::from_ne_bytes(swap4(&b[4..], swap));
                Scalar::Complex(re as f64, im as f64)
            }
            (Kind::Complex, _) => {
                let b: [u8; 16] = read_bytes(ptr, false);
                let re = f64::from_ne_bytes(swap8(&b[..8], swap));
                let im = f64::from_ne_bytes(swap8(&b[8..], swap));
                Scalar::Complex(re, im)
            }
            (Kind::Bytes, _) => {
                // SAFETY: `ptr..ptr+n` is readable by the caller's contract.
                let s = unsafe { std::slice::from_raw_parts(ptr, n) };
                let end = s.iter().rposition(|&c| c != 0).map_or(0, |p| p + 1);
                Scalar::Bytes(s[..end].to_vec())
            }
            (Kind::Void, _) => {
                // SAFETY: `ptr..ptr+n` is readable by the caller's contract.
                Scalar::Void(unsafe { std::slice::from_raw_parts(ptr, n) }.to_vec())
            }
        }
    }

    /// Writes the value as one element of `dtype` at `ptr`, converting as NumPy's unsafe
    /// casting does (wrap-around for integers, truncation toward zero for float to int,
    /// the real part for complex to real, nonzero for bool; bytes are NUL-padded or cut).
    ///
    /// # Safety
    /// `ptr..ptr + dtype.itemsize()` must be writable, and no one may access it concurrently.
    pub unsafe fn write(&self, ptr: *mut u8, dtype: DType) {
        let swap = dtype.needs_swap();
        let n = dtype.itemsize();
        if let (Kind::Int | Kind::UInt, Scalar::Float(x) | Scalar::Complex(x, _)) = (dtype.kind(), self) {
            // Floats become integers through the array casts' conversions (x86's truncating
            // instructions), so a scalar converts as a one-element array would.
            use crate::kernels::cast::convert::FromFloat;
            let x = *x;
            match (dtype.kind(), n) {
                (Kind::Int, 1) => write_bytes(ptr, i8::from_float(x).to_ne_bytes(), swap),
                (Kind::Int, 2) => write_bytes(ptr, i16::from_float(x).to_ne_bytes(), swap),
                (Kind::Int, 4) => write_bytes(ptr, i32::from_float(x).to_ne_bytes(), swap),
                (Kind::Int, _) => write_bytes(ptr, i64::from_float(x).to_ne_bytes(), swap),
                (_, 1) => write_bytes(ptr, u8::from_float(x).to_ne_bytes(), swap),
                (_, 2) => write_bytes(ptr, u16::from_float(x).to_ne_bytes(), swap),
                (_, 4) => write_bytes(ptr, u32::from_float(x).to_ne_bytes(), swap),
                _ => write_bytes(ptr, u64::from_float(x).to_ne_bytes(), swap),
            }
            return;
        }
        match (dtype.kind(), n) {
            // SAFETY: writable by the caller's contract.
            (Kind::Bool, _) => unsafe { *ptr = self.is_truthy() as u8 },
            (Kind::Int, 1) => write_bytes(ptr, (self.as_i64() as i8).to_ne_bytes(), swap),
            (Kind::Int, 2) => write_bytes(ptr, (self.as_i64() as i16).to_ne_bytes(), swap),
            (Kind::Int, 4) => write_bytes(ptr, (self.as_i64() as i32).to_ne_bytes(), swap),
            (Kind::Int, _) => write_bytes(ptr, self.as_i64().to_ne_bytes(), swap),
            (Kind::UInt, 1) => write_bytes(ptr, (self.as_u64() as u8).to_ne_bytes(), swap),
            (Kind::UInt, 2) => write_bytes(ptr, (self.as_u64() as u16).to_ne_bytes(), swap),
            (Kind::UInt, 4) => write_bytes(ptr, (self.as_u64() as u32).to_ne_bytes(), swap),
            (Kind::UInt, _) => write_bytes(ptr, self.as_u64().to_ne_bytes(), swap),
            (Kind::Float, 2) => {
                write_bytes(ptr, crate::kernels::cast::convert::f64_to_f16(self.as_f64()).to_bits().to_ne_bytes(), swap)
            }
            (Kind::Float, 4) => write_bytes(ptr, (self.as_f64() as f32).to_ne_bytes(), swap),
            (Kind::Float, _) => write_bytes(ptr, self.as_f64().to_ne_bytes(), swap),
            (Kind::Complex, 8) => {
                let (re, im) = self.as_complex();
                write_bytes(ptr, (re as f32).to_ne_bytes(), swap);
                // SAFETY: `ptr + 4 .. ptr + 8` is inside the element.
                write_bytes(unsafe { ptr.add(4) }, (im as f32).to_ne_bytes(), swap);
            }
            (Kind::Complex, _) => {
                let (re, im) = self.as_complex();
                write_bytes(ptr, re.to_ne_bytes(), swap);
                // SAFETY: `ptr + 8 .. ptr + 16` is inside the element.
                write_bytes(unsafe { ptr.add(8) }, im.to_ne_bytes(), swap);
            }
            (Kind::Bytes | Kind::Void, _) => {
                let src: std::borrow::Cow<'_, [u8]> = match self {
                    Scalar::Bytes(b) | Scalar::Void(b) => b.as_slice().into(),
                    other => other.to_string().into_bytes().into(),
                };
                let k = src.len().min(n);
                // SAFETY: `ptr..ptr+n` is writable and `src` is a separate allocation.
                unsafe {
                    std::ptr::copy_nonoverlapping(src.as_ptr(), ptr, k);
                    std::ptr::write_bytes(ptr.add(k), 0, n - k);
                }
            }
        }
    }

    /// The value converted to a numeric `dtype` with NumPy's unsafe-cast semantics (what
    /// writing it into an element of `dtype` and reading it back gives): integers wrap,
    /// floats round to the dtype's precision, complex to real keeps the real part.
    /// Bytes and void dtypes are returned unchanged.
    pub fn cast(&self, dtype: DType) -> Scalar {
        if !dtype.is_numeric() {
            return self.clone();
        }
        // The widest dtype of each kind holds every value of its kind exactly.
        match (self, dtype.kind(), dtype.itemsize()) {
            (Scalar::Bool(_), Kind::Bool, _)
            | (Scalar::Int(_), Kind::Int, 8)
            | (Scalar::UInt(_), Kind::UInt, 8)
            | (Scalar::Float(_), Kind::Float, 8)
            | (Scalar::Complex(..), Kind::Complex, 16) => return self.clone(),
            _ => {}
        }
        let d = dtype.to_native();
        let mut buf = [0u8; 16];
        // SAFETY: numeric dtypes have an itemsize of at most 16 bytes, so `buf` holds one
        // element; it is a local, so nothing else reads or writes it.
        unsafe {
            self.write(buf.as_mut_ptr(), d);
            Scalar::read(buf.as_ptr(), d)
        }
    }

    /// Python truthiness of the value.
    pub fn is_truthy(&self) -> bool {
        match *self {
            Scalar::Bool(b) => b,
            Scalar::Int(i) => i != 0,
            Scalar::UInt(u) => u != 0,
            Scalar::Float(f) => f != 0.0,
            Scalar::Complex(re, im) => re != 0.0 || im != 0.0,
            Scalar::Bytes(ref b) | Scalar::Void(ref b) => b.iter().any(|&c| c != 0),
        }
    }

    /// The value as i64 with C-cast semantics (floats truncate; out-of-range floats give
    /// `i64::MIN`, as x86 does).
    pub fn as_i64(&self) -> i64 {
        match *self {
            Scalar::Bool(b) => b as i64,
            Scalar::Int(i) => i,
            Scalar::UInt(u) => u as i64,
            Scalar::Float(f) | Scalar::Complex(f, _) => float_to_i64(f),
            Scalar::Bytes(ref b) | Scalar::Void(ref b) => parse_bytes(b).map_or(0, float_to_i64),
        }
    }

    /// The value as u64 with C-cast semantics (negative integers wrap).
    pub fn as_u64(&self) -> u64 {
        match *self {
            Scalar::Bool(b) => b as u64,
            Scalar::Int(i) => i as u64,
            Scalar::UInt(u) => u,
            Scalar::Float(f) | Scalar::Complex(f, _) => float_to_u64(f),
            Scalar::Bytes(ref b) | Scalar::Void(ref b) => parse_bytes(b).map_or(0, float_to_u64),
        }
    }

    /// The value as f64 (the real part of a complex).
    pub fn as_f64(&self) -> f64 {
        match *self {
            Scalar::Bool(b) => b as u8 as f64,
            Scalar::Int(i) => i as f64,
            Scalar::UInt(u) => u as f64,
            Scalar::Float(f) | Scalar::Complex(f, _) => f,
            Scalar::Bytes(ref b) | Scalar::Void(ref b) => parse_bytes(b).unwrap_or(0.0),
        }
    }

    /// The value as (real, imaginary).
    pub fn as_complex(&self) -> (f64, f64) {
        match *self {
            Scalar::Complex(re, im) => (re, im),
            ref other => (other.as_f64(), 0.0),
        }
    }
}

/// x86's conversion of a double to int64: truncation, and `i64::MIN` when out of range
/// or NaN (what NumPy's C casts produce on this platform).
pub fn float_to_i64(f: f64) -> i64 {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if f.is_nan() || !(-TWO_63..TWO_63).contains(&f) {
        i64::MIN
    } else {
        f as i64
    }
}

/// NumPy's double to uint64 on x86: in-range values truncate; negative values go through
/// int64 and wrap; values of 2^64 and above (and NaN) give 2^63.
pub fn float_to_u64(f: f64) -> u64 {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    const TWO_64: f64 = 18_446_744_073_709_551_616.0;
    if f.is_nan() || f >= TWO_64 {
        1u64 << 63
    } else if f >= TWO_63 {
        f as u64
    } else {
        float_to_i64(f) as u64
    }
}

fn parse_bytes(b: &[u8]) -> Option<f64> {
    std::str::from_utf8(b).ok()?.trim().parse().ok()
}

fn swap4(b: &[u8], swap: bool) -> [u8; 4] {
    let mut a: [u8; 4] = b.try_into().expect("4 bytes");
    if swap {
        a.reverse();
    }
    a
}

fn swap8(b: &[u8], swap: bool) -> [u8; 8] {
    let mut a: [u8; 8] = b.try_into().expect("8 bytes");
    if swap {
        a.reverse();
    }
    a
}

impl std::fmt::Display for Scalar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Scalar::Bool(b) => write!(f, "{}", if *b { "True" } else { "False" }),
            Scalar::Int(i) => write!(f, "{i}"),
            Scalar::UInt(u) => write!(f, "{u}"),
            Scalar::Float(x) => write!(f, "{x:?}"),
            Scalar::Complex(re, im) => write!(f, "({re:?}{im:+?}j)"),
            Scalar::Bytes(b) | Scalar::Void(b) => write!(f, "{}", String::from_utf8_lossy(b)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip_every_numeric_dtype_both_orders() {
        for spec in ["?", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8", "c8", "c16"] {
            for order in ["<", ">"] {
                let d = DType::parse(&format!("{order}{spec}")).unwrap();
                let v = match d.kind() {
                    Kind::Bool => Scalar::Bool(true),
                    Kind::Int => Scalar::Int(-5),
                    Kind::UInt => Scalar::UInt(200),
                    Kind::Float => Scalar::Float(1.5),
                    _ => Scalar::Complex(1.5, -2.25),
                };
                let mut buf = [0u8; 17];
                // SAFETY: `buf` has room for 16 bytes at offset 1 (deliberately unaligned).
                let back = unsafe {
                    v.write(buf.as_mut_ptr().add(1), d);
                    Scalar::read(buf.as_ptr().add(1), d)
                };
                assert_eq!(back, v, "{order}{spec}");
            }
        }
    }

    #[test]
    fn big_endian_bytes_are_big_endian() {
        let mut buf = [0u8; 4];
        // SAFETY: `buf` holds 4 bytes.
        unsafe { Scalar::Int(1).write(buf.as_mut_ptr(), DType::parse(">i4").unwrap()) };
        assert_eq!(buf, [0, 0, 0, 1]);
    }

    #[test]
    fn cast_rounds_and_wraps() {
        assert_eq!(Scalar::Int(300).cast(DType::UINT8), Scalar::UInt(44));
        assert_eq!(Scalar::Float(0.1).cast(DType::FLOAT32), Scalar::Float(0.1f32 as f64));
        assert_eq!(Scalar::Complex(1.5, 2.0).cast(DType::FLOAT64), Scalar::Float(1.5));
        assert_eq!(Scalar::UInt(2).cast(DType::BOOL), Scalar::Bool(true));
    }

    #[test]
    fn c_cast_semantics() {
        assert_eq!(Scalar::Float(-1.7).as_i64(), -1);
        assert_eq!(Scalar::Float(f64::NAN).as_i64(), i64::MIN);
        assert_eq!(Scalar::Int(-1).as_u64(), u64::MAX);
    }
}
