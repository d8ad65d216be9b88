//! Casts involving bytes (`S<n>`) and void (`V<n>`): NumPy's text of numbers, Python's
//! parsing of bytes back into numbers (`int()`, `float()`, `complex()`), and byte copies
//! with NUL padding or truncation. Slow paths, one element at a time through [`Scalar`].

use crate::array::Array;
use crate::dtype::{DType, Kind};
use crate::error::{Error, Result};
use crate::format::float::Width;
use crate::format::print::bytes_repr;
use crate::format::print::float::{scalar_complex_str, scalar_float_str};
use crate::scalar::Scalar;
use crate::strided;

/// The `S` length NumPy picks for a cast from `from` to the unsized `S`.
pub fn str_len(from: DType) -> usize {
    match from.kind() {
        Kind::Bytes | Kind::Void => from.itemsize(),
        Kind::Bool => 5,
        Kind::Int => [0, 4, 6, 0, 11, 0, 0, 0, 21][from.itemsize()],
        Kind::UInt => [0, 3, 5, 0, 10, 0, 0, 0, 20][from.itemsize()],
        Kind::Float => 32,
        Kind::Complex => 64,
    }
}

fn width_of(dtype: DType) -> Width {
    match (dtype.kind(), dtype.itemsize()) {
        (Kind::Float, 2) => Width::F16,
        (Kind::Float, 4) | (Kind::Complex, 8) => Width::F32,
        _ => Width::F64,
    }
}

/// The text NumPy writes for one numeric element in a cast to `S`.
pub fn number_text(value: &Scalar, dtype: DType) -> String {
    match *value {
        Scalar::Bool(b) => if b { "True" } else { "False" }.to_string(),
        Scalar::Int(i) => i.to_string(),
        Scalar::UInt(u) => u.to_string(),
        Scalar::Float(x) => scalar_float_str(x, width_of(dtype), false),
        Scalar::Complex(re, im) => scalar_complex_str(re, im, width_of(dtype)),
        Scalar::Bytes(ref b) | Scalar::Void(ref b) => String::from_utf8_lossy(b).into_owned(),
    }
}

fn strip_ws(b: &[u8]) -> &[u8] {
    let ws = |c: &u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
    let start = b.iter().position(|c| !ws(c)).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !ws(c)).map_or(start, |p| p + 1);
    &b[start..end]
}

/// Removes underscores that sit between two digits (PEP 515); `None` if any other
/// underscore is present.
fn strip_underscores(b: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(b.len());
    for (i, &c) in b.iter().enumerate() {
        if c == b'_' {
            let ok = i > 0 && b[i - 1].is_ascii_digit() && b.get(i + 1).is_some_and(u8::is_ascii_digit);
            if !ok {
                return None;
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// A parsed Python integer: exact when it fits in i128, else `None` (too large).
fn parse_int(b: &[u8]) -> std::result::Result<Option<i128>, ()> {
    let s = strip_ws(b);
    let (neg, digits) = match s.first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if digits.is_empty() || !digits[0].is_ascii_digit() {
        return Err(());
    }
    let digits = strip_underscores(digits).ok_or(())?;
    if !digits.iter().all(u8::is_ascii_digit) {
        return Err(());
    }
    let mut v: Option<i128> = Some(0);
    for &d in &digits {
        v = v.and_then(|v| v.checked_mul(10)).and_then(|v| v.checked_add((d - b'0') as i128));
    }
    Ok(v.map(|v| if neg { -v } else { v }))
}

/// Python's `float()` of bytes.
fn parse_float(b: &[u8]) -> Option<f64> {
    let s = strip_ws(b);
    let s = strip_underscores(s)?;
    let text = std::str::from_utf8(&s).ok()?;
    // Rust accepts exactly Python's forms here (sign, digits with optional point and
    // exponent, `inf`/`infinity`/`nan` in any case) except for a few spellings it also
    // allows that Python does not; refuse those.
    if text.is_empty() || text.contains(|c: char| !(c.is_ascii_alphanumeric() || "+-.".contains(c))) {
        return None;
    }
    text.parse::<f64>().ok()
}

/// Python's `complex()` of bytes.
fn parse_complex(b: &[u8]) -> Option<(f64, f64)> {
    let mut s = strip_ws(b);
    if s.first() == Some(&b'(') && s.last() == Some(&b')') && s.len() >= 2 {
        s = strip_ws(&s[1..s.len() - 1]);
    }
    if s.is_empty() || s.iter().any(|c| c.is_ascii_whitespace()) {
        return None;
    }
    let Some(body) = s.strip_suffix(b"j").or_else(|| s.strip_suffix(b"J")) else {
        return Some((parse_float(s)?, 0.0));
    };
    let imag = |t: &[u8]| match t {
        b"" | b"+" => Some(1.0),
        b"-" => Some(-1.0),
        _ => parse_float(t),
    };
    let split = (1..body.len()).rev().find(|&k| matches!(body[k], b'+' | b'-') && !matches!(body[k - 1], b'e' | b'E'));
    match split {
        Some(k) => Some((parse_float(&body[..k])?, imag(&body[k..])?)),
        None => Some((0.0, imag(body)?)),
    }
}

/// Python's `repr` of a str (quotes chosen as Python does; control characters escaped).
fn str_repr(t: &str) -> String {
    let quote = if t.contains('\'') && !t.contains('"') { '"' } else { '\'' };
    let mut s = String::from(quote);
    for c in t.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '\t' => s.push_str("\\t"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            c if c == quote => {
                s.push('\\');
                s.push(quote);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => s.push_str(&format!("\\x{:02x}", c as u32)),
            c => s.push(c),
        }
    }
    s.push(quote);
    s
}

/// Python's `complex(bytes.decode())` with its three errors: `UnicodeDecodeError` (a
/// `ValueError`), misplaced underscores, and a malformed string.
fn python_complex(b: &[u8]) -> Result<(f64, f64)> {
    let t = std::str::from_utf8(b).map_err(|e| Error::Decode(b.to_vec(), e))?;
    let cleaned;
    let mut text = b;
    if t.contains('_') {
        // CPython's `_Py_string_to_number_with_underscores`, over the whole string.
        let bad = || Error::Value(format!("could not convert string to complex: {}", str_repr(t)));
        let mut prev = 0u8;
        let mut out = Vec::with_capacity(b.len());
        for (i, &c) in b.iter().enumerate() {
            if c == b'_' {
                if i == 0 || !prev.is_ascii_digit() {
                    return Err(bad());
                }
            } else {
                if prev == b'_' && !c.is_ascii_digit() {
                    return Err(bad());
                }
                out.push(c);
            }
            prev = c;
        }
        if prev == b'_' {
            return Err(bad());
        }
        cleaned = out;
        text = &cleaned;
    }
    parse_complex(text).ok_or_else(|| Error::Value("complex() arg is a malformed string".into()))
}

/// The number of `dtype` that the text `raw` (an `S` element's bytes) spells, as NumPy's
/// cast from `S` reads it (Python's `int()`, `float()`, `complex()`).
///
/// # Errors
/// `Value` with NumPy's message for malformed text or a value out of the dtype's range.
pub fn parse_text(raw: &[u8], dtype: DType) -> Result<Scalar> {
    parse_element(raw, false, dtype)
}

/// The value of one `S`/`V` element read as a number of `dtype`, or NumPy's error.
fn parse_element(raw: &[u8], is_void: bool, dtype: DType) -> Result<Scalar> {
    let text = if is_void { raw } else { &raw[..raw.iter().rposition(|&c| c != 0).map_or(0, |p| p + 1)] };
    let float_err = || {
        if is_void {
            Error::Value("setting an array element with a sequence.".into())
        } else {
            Error::Value(format!("could not convert string to float: np.bytes_({})", bytes_repr(text)))
        }
    };
    match dtype.kind() {
        Kind::Bool => Ok(Scalar::Bool(text.iter().any(|&c| c != 0))),
        Kind::Int | Kind::UInt => {
            let v = parse_int(text)
                .map_err(|()| Error::Value(format!("invalid literal for int() with base 10: {}", bytes_repr(text))))?;
            let too_large = || Error::Value("Python int too large to convert to C long".into());
            let v = v.ok_or_else(too_large)?;
            let bits = dtype.itemsize() as u32 * 8;
            let (lo, hi) = if dtype.kind() == Kind::Int {
                (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
            } else {
                (0, (1i128 << bits) - 1)
            };
            if (lo..=hi).contains(&v) {
                return Ok(if v < 0 { Scalar::Int(v as i64) } else { Scalar::UInt(v as u64) });
            }
            let fits_long = i64::try_from(v).is_ok();
            if !fits_long {
                return Err(too_large());
            }
            Err(Error::Value(format!("Python integer {} out of bounds for {}", v, dtype.name())))
        }
        Kind::Float => parse_float(text).map(Scalar::Float).ok_or_else(float_err),
        Kind::Complex if is_void => match parse_complex(text) {
            Some((re, im)) => Ok(Scalar::Complex(re, im)),
            None => Err(Error::Value(format!("could not convert string to float: {}", bytes_repr(text)))),
        },
        Kind::Complex => python_complex(text).map(|(re, im)| Scalar::Complex(re, im)),
        Kind::Bytes | Kind::Void => unreachable!("numeric destinations only"),
    }
}

/// Copies `k = min(n, src.len())` bytes and zero-fills the rest of the `n`-byte element.
///
/// # Safety
/// `dst..dst+n` must be writable and not overlap `src`.
unsafe fn put_padded(dst: *mut u8, n: usize, src: &[u8]) {
    let k = src.len().min(n);
    // SAFETY: writable by the caller's contract; `src` is a separate slice.
    unsafe {
        std::ptr::copy_nonoverlapping(src.as_ptr(), dst, k);
        std::ptr::write_bytes(dst.add(k), 0, n - k);
    }
}

/// Casts where either side is bytes or void.
pub(super) fn cast_flexible(dst: &Array, src: &Array) -> Result<()> {
    let (dd, sd) = (dst.dtype(), src.dtype());
    let (dn, sn) = (dd.itemsize(), sd.itemsize());
    if sd.kind() == Kind::Void && dd.kind() == Kind::Bytes {
        if src.size() == 0 {
            return Ok(());
        }
        return Err(Error::Value("setting an array element with a sequence".into()));
    }
    let mut result = Ok(());
    let mut scratch = vec![0u8; sn.max(16)];
    // SAFETY: both layouts are checked against their buffers and have `dst`'s shape; the
    // caller guarantees no overlap, so reading `sn` bytes at a source element and writing
    // `dn` bytes at the matching destination element is sound.
    unsafe {
        strided::for_each(dst.shape(), [dst.data_ptr(), src.data_ptr()], [dst.strides(), src.strides()], |p, s, n| {
            for i in 0..n as isize {
                if result.is_err() {
                    return;
                }
                let (d, sp) = (p[0].offset(i * s[0]), p[1].offset(i * s[1]) as *const u8);
                std::ptr::copy_nonoverlapping(sp, scratch.as_mut_ptr(), sn);
                let raw = &scratch[..sn];
                if !sd.is_numeric() {
                    if !dd.is_numeric() {
                        put_padded(d, dn, raw);
                    } else {
                        match parse_element(raw, sd.kind() == Kind::Void, dd) {
                            Ok(v) => v.write(d, dd),
                            Err(e) => result = Err(e),
                        }
                    }
                } else if dd.kind() == Kind::Bytes {
                    let v = Scalar::read(sp, sd);
                    put_padded(d, dn, number_text(&v, sd).as_bytes());
                } else {
                    // Numbers to void: the element's bytes in native order.
                    let mut bytes = raw.to_vec();
                    if let crate::kernels::copy::Swap::Units(u) = crate::array::swap_of(sd) {
                        if sd.needs_swap() {
                            bytes.chunks_exact_mut(u).for_each(|c| c.reverse());
                        }
                    }
                    put_padded(d, dn, &bytes);
                }
            }
        })
    };
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_text_matches_numpy() {
        // np.array(vals, d).astype('S') with NumPy 2.4.6.
        let f64s = [
            (65504.0, "65504.0"),
            (1e15, "1000000000000000.0"),
            (1e16, "1e+16"),
            (1e-4, "0.0001"),
            (1e-5, "1e-05"),
            (-0.0, "-0.0"),
            (2.5e-5, "2.5e-05"),
            (12345678901234567.0, "1.2345678901234568e+16"),
            (0.30000000000000004, "0.30000000000000004"),
        ];
        for (x, want) in f64s {
            assert_eq!(scalar_float_str(x, Width::F64, false), want);
        }
        let f32s =
            [(65504.0, "65504.0"), (1e6, "1e+06"), (999999.0, "999999.0"), (1e-4, "1e-04"), (1.0001e-4, "0.00010001")];
        for (x, want) in f32s {
            assert_eq!(scalar_float_str(x as f32 as f64, Width::F32, false), want, "{x}");
        }
        let f16s = [(65504.0, "6.55e+04"), (999.0, "999.0"), (1000.0, "1e+03"), (1e-4, "0.0001"), (3e-8, "6e-08")];
        for (x, want) in f16s {
            assert_eq!(scalar_float_str(half::f16::from_f64(x).to_f64(), Width::F16, false), want, "{x}");
        }
    }

    #[test]
    fn complex_text_matches_numpy() {
        for (re, im, want) in [
            (1.0, 2.0, "(1+2j)"),
            (1.5, -0.5, "(1.5-0.5j)"),
            (0.0, 0.0, "0j"),
            (-0.0, -1.0, "(-0-1j)"),
            (f64::NAN, f64::INFINITY, "(nan+infj)"),
            (1e20, 1e-5, "(1e+20+1e-05j)"),
            (0.0, 3.0, "3j"),
            (1.0, f64::NAN, "(1+nanj)"),
            (0.0, -f64::NAN, "nanj"),
            (-0.0, 0.0, "(-0+0j)"),
            (1e15, 1e16, "(1000000000000000+1e+16j)"),
        ] {
            assert_eq!(scalar_complex_str(re, im, Width::F64), want);
        }
        assert_eq!(scalar_complex_str(1e7, 1.0, Width::F32), "(1e+07+1j)");
        assert_eq!(scalar_complex_str(0.1f32 as f64, 1e5, Width::F32), "(0.1+100000j)");
        assert_eq!(scalar_complex_str(123456.0, 1e-4f32 as f64, Width::F32), "(123456+1e-04j)");
    }

    #[test]
    fn parsing_matches_python() {
        assert_eq!(parse_int(b" 13 "), Ok(Some(13)));
        assert_eq!(parse_int(b"1_000"), Ok(Some(1000)));
        assert_eq!(parse_int(b"+5"), Ok(Some(5)));
        assert_eq!(parse_int(b"007"), Ok(Some(7)));
        for bad in [&b"_1"[..], b"1__0", b"1.5", b"", b"0b1", b"1e5", b"1\x002"] {
            assert_eq!(parse_int(bad), Err(()), "{bad:?}");
        }
        assert_eq!(parse_float(b"1_0.5"), Some(10.5));
        assert_eq!(parse_float(b" inf"), Some(f64::INFINITY));
        assert!(parse_float(b"-NaN").unwrap().is_nan());
        for bad in [&b"0x10"[..], b"", b" ", b"1.5.", b"True", b"1.5j"] {
            assert_eq!(parse_float(bad), None, "{bad:?}");
        }
        assert_eq!(parse_complex(b"1+2j"), Some((1.0, 2.0)));
        assert_eq!(parse_complex(b"( 1+2j )"), Some((1.0, 2.0)));
        assert_eq!(parse_complex(b"-j"), Some((0.0, -1.0)));
        assert_eq!(parse_complex(b"1e+3-2e-1j"), Some((1000.0, -0.2)));
        assert_eq!(parse_complex(b"(1)"), Some((1.0, 0.0)));
        assert_eq!(parse_complex(b"infj"), Some((0.0, f64::INFINITY)));
        assert_eq!(parse_complex(b"1 + 2j"), None);
        assert_eq!(parse_complex(b"1+"), None);
        assert_eq!(bytes_repr(b"it's"), "b\"it's\"");
        assert_eq!(bytes_repr(b"a\"b'c"), "b'a\"b\\'c'");
        assert_eq!(bytes_repr(b"a\\b\x7f\x1f"), "b'a\\\\b\\x7f\\x1f'");
    }
}
