//! Shortest round-trip decimal digits for float16, float32 and float64, and Python's
//! `repr` of a float built on them (what NumPy's scalar `str` and `astype('S')` print).

#[cfg(test)]
use half::f16;

/// The binary width a value must round-trip through.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Width {
    /// IEEE half precision.
    F16,
    /// IEEE single precision.
    F32,
    /// IEEE double precision.
    F64,
}

/// Shortest decimal digits: `(negative, digits, exp)` such that the value is
/// `0.d1d2d3... × 10^exp` and parsing it back at `width` gives the same float.
/// `digits` has no trailing zeros; zero is `("0", 1)`. Not for NaN or infinities.
pub fn shortest_digits(x: f64, width: Width) -> (bool, String, i32) {
    let negative = x.is_sign_negative();
    let a = x.abs();
    if a == 0.0 {
        return (negative, "0".to_string(), 1);
    }
    if width == Width::F16 {
        let (digits, exp) = shortest_f16(a);
        let digits = digits.trim_end_matches('0');
        return (negative, if digits.is_empty() { "0".to_string() } else { digits.to_string() }, exp);
    }
    // Rust's `{:e}` prints the shortest representation that round-trips at the type's width.
    let sci = match width {
        Width::F32 => format!("{:e}", a as f32),
        _ => format!("{a:e}"),
    };
    let (mant, exp) = sci.split_once('e').expect("`{:e}` always has an exponent");
    let exp: i32 = exp.parse().expect("integer exponent");
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let digits = digits.trim_end_matches('0').to_string();
    let digits = if digits.is_empty() { "0".to_string() } else { digits };
    let (digits, exp) = prefer_even(a, width, digits, exp + 1);
    (negative, digits, exp)
}

/// When the value lies exactly halfway between two shortest candidates, Rust's `{:e}`
/// takes the upper one; Python's repr and NumPy's Dragon4 take the one ending in an even
/// digit. Returns the digits and exponent with that tie rule.
fn prefer_even(a: f64, width: Width, digits: String, exp: i32) -> (String, i32) {
    let n = digits.len();
    let last = digits.as_bytes()[n - 1] - b'0';
    if last.is_multiple_of(2) {
        return (digits, exp);
    }
    // A tie needs the exact value to have exactly `n + 1` significant digits, the last a 5.
    // A cheap look first, then the exact expansion (f64 needs at most 767 digits).
    let tail_is_tie = |prec: usize| {
        let sci = format!("{a:.prec$e}");
        let mant: String = sci.split('e').next().unwrap_or("").chars().filter(|c| c.is_ascii_digit()).collect();
        mant.as_bytes().get(n) == Some(&b'5') && mant[n + 1..].bytes().all(|c| c == b'0')
    };
    if !tail_is_tie(n + 20) || !tail_is_tie(780) {
        return (digits, exp);
    }
    let exact = format!("{a:.n$e}");
    let exact_digits: String = exact.split('e').next().unwrap_or("").chars().filter(|c| c.is_ascii_digit()).collect();
    // `exact_digits` is the exact value: `n` digits then the 5; its first `n` digits are the
    // lower candidate, so the upper one adds one unit in the last place.
    let lower = &exact_digits[..n];
    let (alt, alt_exp) = if lower == digits { increment(lower, exp) } else { (lower.to_string(), exp) };
    let text = format!("0.{alt}e{alt_exp}");
    let back: f64 = text.parse().expect("valid float text");
    let round_trips = match width {
        Width::F32 => back as f32 == a as f32,
        _ => back == a,
    };
    let alt = alt.trim_end_matches('0');
    if round_trips && !alt.is_empty() {
        (alt.to_string(), alt_exp)
    } else {
        (digits, exp)
    }
}

/// `digits + 1` in the last place, with the exponent bumped when it carries out (`99` → `1`, e+1).
fn increment(digits: &str, exp: i32) -> (String, i32) {
    let mut b = digits.as_bytes().to_vec();
    for k in (0..b.len()).rev() {
        if b[k] == b'9' {
            b[k] = b'0';
        } else {
            b[k] += 1;
            return (String::from_utf8(b).expect("ascii digits"), exp);
        }
    }
    b.insert(0, b'1');
    b.pop();
    (String::from_utf8(b).expect("ascii digits"), exp + 1)
}

/// Float16 digits by search: for each length p, the nearest p-digit decimal (ties to even)
/// and its neighbour across the exact value; the first that reads back as the same f16
/// wins. Rust has no f16 formatter, and rounding f32 digits misses the binade edges
/// (0.015625 is `0.01563` in NumPy).
fn shortest_f16(a: f64) -> (String, i32) {
    let round_trips = |digits: &str, exp: i32| {
        format!("0.{digits}e{exp}")
            .parse::<f64>()
            .is_ok_and(|v| crate::kernels::cast::convert::f64_to_f16(v).to_f64() == a)
    };
    for p in 1..=17usize {
        let sci = format!("{:.*e}", p - 1, a);
        let (mant, e) = sci.split_once('e').expect("`{:e}` has an exponent");
        let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
        let exp = e.parse::<i32>().expect("integer exponent") + 1;
        if round_trips(&digits, exp) {
            return (digits, exp);
        }
        let below = format!("0.{digits}e{exp}").parse::<f64>().is_ok_and(|v| v < a);
        let (other, oexp) = if below { increment(&digits, exp) } else { decrement(&digits, exp) };
        if round_trips(&other, oexp) {
            return (other, oexp);
        }
    }
    (format!("{a:e}").chars().filter(char::is_ascii_digit).collect(), 1)
}

/// `digits - 1` in the last place (a nonzero decimal), dropping a leading zero it creates.
fn decrement(digits: &str, exp: i32) -> (String, i32) {
    let mut b = digits.as_bytes().to_vec();
    for k in (0..b.len()).rev() {
        if b[k] == b'0' {
            b[k] = b'9';
        } else {
            b[k] -= 1;
            break;
        }
    }
    if b[0] == b'0' && b.len() > 1 {
        b.remove(0);
        return (String::from_utf8(b).expect("ascii digits"), exp - 1);
    }
    (String::from_utf8(b).expect("ascii digits"), exp)
}

/// Python's `repr(float)` style for a value of the given width: `1.0`, `0.1`, `1e+20`,
/// `1e-05`, `inf`, `-inf`, `nan`; fixed notation for decimal exponents in `-4..16`.
pub fn py_repr(x: f64, width: Width) -> String {
    if x.is_nan() {
        return "nan".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".to_string() } else { "-inf".to_string() };
    }
    let (neg, digits, exp) = shortest_digits(x, width);
    let sign = if neg { "-" } else { "" };
    let dexp = exp - 1; // exponent in d.ddd × 10^dexp
    if (-4..16).contains(&dexp) {
        let body = if exp <= 0 {
            format!("0.{}{}", "0".repeat((-exp) as usize), digits)
        } else if digits.len() as i32 <= exp {
            format!("{}{}.0", digits, "0".repeat((exp - digits.len() as i32) as usize))
        } else {
            format!("{}.{}", &digits[..exp as usize], &digits[exp as usize..])
        };
        format!("{sign}{body}")
    } else {
        let mant = if digits.len() == 1 { digits.clone() } else { format!("{}.{}", &digits[..1], &digits[1..]) };
        let esign = if dexp < 0 { '-' } else { '+' };
        format!("{sign}{mant}e{esign}{:02}", dexp.abs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_repr_cases() {
        // Expected strings are Python's `repr` of the same values (checked by hand).
        for (x, want) in [
            (1.0, "1.0"),
            (0.1, "0.1"),
            (1e20, "1e+20"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (-0.0, "-0.0"),
            (123.456, "123.456"),
            (1.5e-7, "1.5e-07"),
            (f64::NAN, "nan"),
            (f64::NEG_INFINITY, "-inf"),
        ] {
            assert_eq!(py_repr(x, Width::F64), want);
        }
        assert_eq!(py_repr(0.1f32 as f64, Width::F32), "0.1");
        assert_eq!(py_repr(f16::from_f64(0.1).to_f64(), Width::F16), "0.1");
        assert_eq!(py_repr(65504.0, Width::F16), "65500.0");
    }

    #[test]
    fn ties_between_shortest_candidates_take_the_even_digit() {
        // Python: repr(2020000000000000.2) == '2020000000000000.2'; NumPy prints
        // np.float32(518220.625) as 518220.62.
        assert_eq!(py_repr(2020000000000000.2, Width::F64), "2020000000000000.2");
        assert_eq!(py_repr(518220.625, Width::F32), "518220.62");
        assert_eq!(py_repr(-295861.625, Width::F32), "-295861.62");
    }
}
