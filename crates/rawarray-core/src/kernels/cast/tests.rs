//! Cast kernels against a naive twin (Scalar read, reference conversion, Scalar write) and
//! against tables printed by NumPy 2.4.6.

use proptest::prelude::*;

use super::convert::FromFloat;
use super::*;
use crate::buffer::Buffer;
use crate::error::Error;
use crate::layout::Order;
use crate::scalar::Scalar;

pub(crate) const NUMERIC: [&str; 14] =
    ["?", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8", "c8", "c16"];

pub(crate) fn dtype_strategy() -> impl Strategy<Value = DType> {
    (0..NUMERIC.len(), any::<bool>())
        .prop_map(|(k, big)| DType::parse(&format!("{}{}", if big { ">" } else { "<" }, NUMERIC[k])).unwrap())
}

/// A 1-D view of `n` elements over random bytes: stride `step` items (negative when `neg`),
/// plus `pad` bytes so the start can be unaligned.
pub(crate) fn strided_array(dtype: DType, bytes: &[u8], n: usize, step: isize, neg: bool, pad: usize) -> Array {
    let isz = dtype.itemsize() as isize;
    let stride = if neg { -step * isz } else { step * isz };
    let span = if n == 0 { 0 } else { (n as isize - 1) * step * isz + isz } as usize;
    let len = pad + span;
    let data: Vec<u8> = (0..len).map(|i| bytes[i % bytes.len()]).collect();
    let offset = if neg && n > 0 { pad + span - isz as usize } else { pad };
    Array::try_new(Buffer::from_bytes(&data).unwrap(), dtype, &[n], &[stride], offset).unwrap()
}

/// The naive twin of one numeric element conversion.
fn naive(v: &Scalar, from: DType, to: DType) -> Scalar {
    let mut buf = [0u8; 16];
    let is_float_src = matches!(from.kind(), Kind::Float | Kind::Complex);
    let x = v.as_f64();
    let out = match to.kind() {
        Kind::Int | Kind::UInt if is_float_src => match (to.kind(), to.itemsize()) {
            (Kind::Int, 1) => Scalar::Int(i8::from_float(x) as i64),
            (Kind::Int, 2) => Scalar::Int(i16::from_float(x) as i64),
            (Kind::Int, 4) => Scalar::Int(i32::from_float(x) as i64),
            (Kind::Int, _) => Scalar::Int(i64::from_float(x)),
            (_, 1) => Scalar::UInt(u8::from_float(x) as u64),
            (_, 2) => Scalar::UInt(u16::from_float(x) as u64),
            (_, 4) => Scalar::UInt(u32::from_float(x) as u64),
            _ => Scalar::UInt(u64::from_float(x)),
        },
        _ => v.clone(),
    };
    // SAFETY: `buf` holds 16 bytes, the largest numeric item size.
    unsafe {
        out.write(buf.as_mut_ptr(), to);
        Scalar::read(buf.as_ptr(), to)
    }
}

fn same(a: &Scalar, b: &Scalar) -> bool {
    let nan_eq = |x: f64, y: f64| x == y || (x.is_nan() && y.is_nan());
    match (a, b) {
        (Scalar::Float(x), Scalar::Float(y)) => nan_eq(*x, *y),
        (Scalar::Complex(x, y), Scalar::Complex(u, v)) => nan_eq(*x, *u) && nan_eq(*y, *v),
        _ => a == b,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Typed kernels (contiguous fast path and strided/unaligned/swapped path) agree with
    /// the naive Scalar-based twin for every dtype pair.
    #[test]
    fn cast_matches_naive(
        from in dtype_strategy(), to in dtype_strategy(),
        bytes in proptest::collection::vec(any::<u8>(), 1..64),
        n in 0usize..40, step in 1isize..3, neg in any::<bool>(), pad in 0usize..8,
        contiguous_dst in any::<bool>(),
    ) {
        let src = strided_array(from, &bytes, n, step, neg, pad);
        let dst = if contiguous_dst {
            Array::zeros(to, &[n], Order::C).unwrap()
        } else {
            strided_array(to, &[0], n, 2, !neg, 3)
        };
        cast_into(&dst, &src).unwrap();
        let (ins, outs) = (src.to_scalars(), dst.to_scalars());
        for i in 0..n {
            let want = if from.kind() == Kind::Bool && to.kind() == Kind::Bool {
                outs[i].clone() // identity copy of the byte; checked below
            } else {
                naive(&ins[i], from, to)
            };
            prop_assert!(same(&outs[i], &want), "{} -> {}: {:?} gave {:?}, want {:?}", from, to, ins[i], outs[i], want);
        }
    }
}

fn arr(spec: &str, vals: &[Scalar]) -> Array {
    let d = DType::parse(spec).unwrap();
    let a = Array::zeros(d, &[vals.len()], Order::C).unwrap();
    for (i, v) in vals.iter().enumerate() {
        // SAFETY: element `i` of a fresh array.
        unsafe { v.write(a.element_ptr(&[i]).unwrap(), d) };
    }
    a
}

fn bytes_arr(n: usize, vals: &[&[u8]]) -> Array {
    arr(&format!("S{n}"), &vals.iter().map(|v| Scalar::Bytes(v.to_vec())).collect::<Vec<_>>())
}

fn texts(a: &Array) -> Vec<String> {
    a.to_scalars()
        .iter()
        .map(|s| match s {
            Scalar::Bytes(b) | Scalar::Void(b) => String::from_utf8_lossy(b).into_owned(),
            o => o.to_string(),
        })
        .collect()
}

#[test]
fn resolve_unsized_matches_numpy() {
    // np.array([1], dtype=f).astype('S').dtype / .astype('V').dtype
    let want = [
        ("?", 5, 1),
        ("i1", 4, 1),
        ("i2", 6, 2),
        ("i4", 11, 4),
        ("i8", 21, 8),
        ("u1", 3, 1),
        ("u2", 5, 2),
        ("u4", 10, 4),
        ("u8", 20, 8),
        ("f2", 32, 2),
        ("f4", 32, 4),
        ("f8", 32, 8),
        ("c8", 64, 8),
        ("c16", 64, 16),
        ("S3", 3, 3),
    ];
    for (spec, s, v) in want {
        let d = DType::parse(spec).unwrap();
        assert_eq!(resolve_unsized(d, DType::bytes(0)), DType::bytes(s), "{spec}");
        assert_eq!(resolve_unsized(d, DType::void(0)), DType::void(v), "{spec}");
    }
}

#[test]
fn numbers_to_bytes_match_numpy() {
    let a = arr("f8", &[1.5, 0.1, 1e20, -0.0, f64::NAN, f64::NEG_INFINITY, 1e16, 123456789.0].map(Scalar::Float));
    let s = a.astype(DType::bytes(0), Order::C).unwrap();
    assert_eq!(s.dtype(), DType::bytes(32));
    assert_eq!(texts(&s), ["1.5", "0.1", "1e+20", "-0.0", "nan", "-inf", "1e+16", "123456789.0"]);
    let b = arr("?", &[Scalar::Bool(true), Scalar::Bool(false)]).astype(DType::bytes(0), Order::C).unwrap();
    assert_eq!(texts(&b), ["True", "False"]);
    let i = arr("i1", &[Scalar::Int(-5), Scalar::Int(127)]).astype(DType::bytes(2), Order::C).unwrap();
    assert_eq!(texts(&i), ["-5", "12"]);
    let c = arr("c8", &[Scalar::Complex(0.1, 0.2)]).astype(DType::bytes(0), Order::C).unwrap();
    assert_eq!(texts(&c), ["(0.1+0.2j)"]);
    let h = arr(">f2", &[Scalar::Float(65504.0)]).astype(DType::bytes(0), Order::C).unwrap();
    assert_eq!(texts(&h), ["6.55e+04"]);
}

#[test]
fn bytes_to_numbers_match_numpy() {
    let a = bytes_arr(4, &[b"12", b" 13 ", b"-4", b"+5", b"1_0"]);
    let i = a.astype(DType::INT32, Order::C).unwrap();
    assert_eq!(i.to_scalars(), [12, 13, -4, 5, 10].map(Scalar::Int));
    let f = bytes_arr(5, &[b"1.5", b" inf", b"-1e3", b"1_0"]).astype(DType::FLOAT64, Order::C).unwrap();
    assert_eq!(f.to_scalars(), [1.5, f64::INFINITY, -1000.0, 10.0].map(Scalar::Float));
    let c = bytes_arr(8, &[b"1+2j", b"3", b"(1-2j)"]).astype(DType::COMPLEX128, Order::C).unwrap();
    assert_eq!(c.to_scalars(), [(1.0, 2.0), (3.0, 0.0), (1.0, -2.0)].map(|(r, i)| Scalar::Complex(r, i)));
    let b = bytes_arr(5, &[b"1", b"0", b"", b"x", b"False"]).astype(DType::BOOL, Order::C).unwrap();
    assert_eq!(b.to_scalars(), [true, true, false, true, true].map(Scalar::Bool));
    let u = bytes_arr(30, &[b"18446744073709551615"]).astype(DType::UINT64, Order::C).unwrap();
    assert_eq!(u.to_scalars(), [Scalar::UInt(u64::MAX)]);

    let err = |spec: &str, v: &[u8], n: usize| {
        bytes_arr(n, &[v]).astype(DType::parse(spec).unwrap(), Order::C).unwrap_err().to_string()
    };
    assert_eq!(err("i4", b"x", 4), "invalid literal for int() with base 10: b'x'");
    assert_eq!(err("i8", b"", 4), "invalid literal for int() with base 10: b''");
    assert_eq!(err("i4", b"\xff", 5), "invalid literal for int() with base 10: b'\\xff'");
    assert_eq!(err("i1", b"300", 4), "Python integer 300 out of bounds for int8");
    assert_eq!(err("u4", b"-1", 4), "Python integer -1 out of bounds for uint32");
    assert_eq!(err("i8", b"9223372036854775808", 30), "Python int too large to convert to C long");
    assert_eq!(err("u8", b"-99999999999999999999999", 30), "Python int too large to convert to C long");
    assert_eq!(err("f8", b"0x10", 5), "could not convert string to float: np.bytes_(b'0x10')");
    assert_eq!(err("c16", b"x", 5), "complex() arg is a malformed string");
    assert_eq!(err("c16", b" 1_", 5), "could not convert string to complex: ' 1_'");
    assert_eq!(err("c16", b" \xff", 5), "'utf-8' codec can't decode byte 0xff in position 1: invalid start byte");
    let c = bytes_arr(8, &[b" 1_0+2j "]).astype(DType::COMPLEX128, Order::C).unwrap();
    assert_eq!(c.to_scalars(), [Scalar::Complex(10.0, 2.0)]);
}

#[test]
fn bytes_and_void_copies_match_numpy() {
    let abc = bytes_arr(3, &[b"abc"]);
    let raw = |a: &Array| a.to_bytes(Order::C).unwrap();
    assert_eq!(raw(&abc.astype(DType::bytes(5), Order::C).unwrap()), b"abc\0\0");
    assert_eq!(raw(&abc.astype(DType::bytes(2), Order::C).unwrap()), b"ab");
    assert_eq!(raw(&abc.astype(DType::void(5), Order::C).unwrap()), b"abc\0\0");
    assert_eq!(raw(&abc.astype(DType::void(2), Order::C).unwrap()), b"ab");
    let v = abc.astype(DType::void(3), Order::C).unwrap();
    assert_eq!(raw(&v.astype(DType::void(4), Order::C).unwrap()), b"abc\0");
    assert_eq!(
        v.astype(DType::bytes(3), Order::C).unwrap_err(),
        Error::Value("setting an array element with a sequence".into())
    );
    // np.array([1],'>i4').astype('V4') == b'\x01\x00\x00\x00' (native order).
    let be = arr(">i4", &[Scalar::Int(1)]);
    assert_eq!(raw(&be.astype(DType::void(0), Order::C).unwrap()), [1, 0, 0, 0]);
    assert_eq!(raw(&be.astype(DType::void(6), Order::C).unwrap()), [1, 0, 0, 0, 0, 0]);
    // np.zeros(1,'V4').astype('i4'): ValueError invalid literal ... b'\x00\x00\x00\x00'
    let z = Array::zeros(DType::void(4), &[1], Order::C).unwrap();
    assert_eq!(
        z.astype(DType::INT32, Order::C).unwrap_err().to_string(),
        "invalid literal for int() with base 10: b'\\x00\\x00\\x00\\x00'"
    );
    assert_eq!(z.astype(DType::BOOL, Order::C).unwrap().to_scalars(), [Scalar::Bool(false)]);
    assert_eq!(
        z.astype(DType::FLOAT64, Order::C).unwrap_err().to_string(),
        "setting an array element with a sequence."
    );
    let v12 = bytes_arr(2, &[b"12"]).astype(DType::void(2), Order::C).unwrap();
    assert_eq!(v12.astype(DType::FLOAT64, Order::C).unwrap().to_scalars(), [Scalar::Float(12.0)]);
}

#[test]
fn float_to_unsigned_through_arrays() {
    let a = arr("f8", &[f64::NAN, 1e20, -1e20, 300.7, -1.5].map(Scalar::Float));
    let u8s = a.astype(DType::UINT64, Order::C).unwrap().to_scalars();
    let h = 1u64 << 63;
    assert_eq!(u8s, [h, 0, h, 300, u64::MAX].map(Scalar::UInt));
    assert!(discards_imaginary(DType::COMPLEX64, DType::FLOAT64));
    assert!(!discards_imaginary(DType::COMPLEX64, DType::COMPLEX128));
    assert!(!discards_imaginary(DType::FLOAT64, DType::INT8));
    assert!(!discards_imaginary(DType::COMPLEX64, DType::BOOL));
}

/// The exceptions of one cast of `v` (as an `from` array of one element) to `to`, through
/// the array kernel and through [`value_flags`]; both must agree.
fn flags_of(from: &str, to: &str, v: Scalar) -> &'static str {
    let a = arr(from, std::slice::from_ref(&v));
    crate::fpe::take_cast();
    a.astype(DType::parse(to).unwrap(), Order::C).unwrap();
    let f = crate::fpe::take_cast();
    if from == "f8" || from == "c16" {
        assert_eq!(value_flags(&v, DType::parse(to).unwrap()), f, "{from} -> {to}: {v:?}");
    }
    match (f.invalid, f.overflow, f.underflow) {
        (false, false, false) => "",
        (true, false, false) => "I",
        (false, true, false) => "O",
        (false, false, true) => "U",
        _ => "several",
    }
}

#[test]
fn cast_exceptions_match_numpy() {
    // Printed by NumPy 2.4.6 on x86-64 with np.errstate(all='warn'):
    // np.array([x], dtype=from).astype(to) and the RuntimeWarnings it raised.
    let t31 = 2f64.powi(31);
    let t63 = 2f64.powi(63);
    let f = Scalar::Float;
    let cases: &[(&str, &str, f64, &str)] = &[
        ("f8", "i4", f64::NAN, "I"),
        ("f8", "i4", f64::INFINITY, "I"),
        ("f8", "i1", t31, "I"),
        ("f8", "i1", t31 - 1.0, ""),
        ("f8", "i2", -t31, ""),
        ("f8", "u2", -t31 - 1.0, "I"),
        ("f8", "u1", 300.0, ""),
        ("f8", "i8", -t63, ""),
        ("f8", "i8", t63, "I"),
        ("f8", "u4", 2f64.powi(32), ""),
        ("f8", "u4", t63, "I"),
        ("f8", "u8", -t63, ""),
        ("f8", "u8", -1.5 * t63, "I"),
        ("f8", "u8", 2f64.powi(64), "I"),
        ("f8", "u8", 1.8e19, ""),
        ("f8", "?", f64::NAN, ""),
        ("f8", "f4", 1e300, "O"),
        ("f8", "f4", 3.5e38, "O"),
        ("f8", "f4", f64::INFINITY, ""),
        ("f8", "f4", f64::NAN, ""),
        ("f8", "f4", 1e-50, "U"),
        ("f8", "f4", 1e-8, ""),
        ("f8", "f2", 65520.0, "O"),
        ("f8", "f2", 65519.0, ""),
        ("f8", "f2", 1e-8, "U"),
        ("f8", "c8", 1e300, "O"),
        ("f4", "f2", 65536.0, "O"),
        ("f4", "f2", 1e-8, "U"),
        ("f4", "i4", t31, "I"),
        ("f4", "i8", t31, ""),
        ("f2", "u1", f64::INFINITY, "I"),
        ("f2", "i8", 65504.0, ""),
    ];
    for &(from, to, x, want) in cases {
        assert_eq!(flags_of(from, to, f(x)), want, "{from} -> {to}: {x:e}");
    }
    assert_eq!(flags_of("i8", "f2", Scalar::Int(70000)), "O");
    assert_eq!(flags_of("u8", "f2", Scalar::UInt(u64::MAX)), "O");
    assert_eq!(flags_of("i8", "f2", Scalar::Int(-65519)), "");
    assert_eq!(flags_of("c16", "c8", Scalar::Complex(1.0, 1e300)), "O");
    assert_eq!(flags_of("c16", "i2", Scalar::Complex(f64::NAN, 0.0)), "I");
    assert_eq!(flags_of("c16", "f8", Scalar::Complex(1.0, f64::NAN)), "");
    // Reversed, byte-swapped sources take the element loop; the flags are the same.
    let a = arr(">f8", &[f(1.0), f(f64::NAN), f(2.0)]);
    let view = Array::try_new(a.buffer().clone(), a.dtype(), &[2], &[-8], 8).unwrap();
    crate::fpe::take_cast();
    view.astype(DType::INT32, Order::C).unwrap();
    assert!(crate::fpe::take_cast().invalid);
    // Taking clears.
    assert_eq!(crate::fpe::take_cast(), crate::fpe::FpFlags::default());
}

/// `cargo test --release -p rawarray-core -- --ignored --nocapture bench_` prints timings.
#[test]
#[ignore = "timing, run by hand in release mode"]
fn bench_cast_f64_to_i32() {
    let n = 10_000_000;
    let src = Array::zeros(DType::FLOAT64, &[n], Order::C).unwrap();
    for (name, d) in [("i32", DType::INT32), ("f32", DType::FLOAT32), ("f64", DType::FLOAT64), ("u8", DType::UINT8)] {
        let dst = Array::zeros(d, &[n], Order::C).unwrap();
        cast_into(&dst, &src).unwrap();
        let t = std::time::Instant::now();
        let reps = 10;
        for _ in 0..reps {
            cast_into(&dst, &src).unwrap();
        }
        println!("cast f64->{name} 1e7: {:.2} ms", t.elapsed().as_secs_f64() * 1e3 / reps as f64);
    }
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// Every numeric pair on special values (NaN, infinities, out-of-range, rounding edges)
/// against NumPy's bytes (`cast_numpy.tsv`, from a stride-2 view so NumPy runs its scalar
/// loop). Our contiguous fast path and strided path must both give these bytes.
#[test]
fn every_pair_matches_numpy_bytes() {
    let mut checked = 0;
    for line in include_str!("cast_numpy.tsv").lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        let (from, to) = (DType::parse(f[0]).unwrap(), DType::parse(f[1]).unwrap());
        let (src_bytes, want) = (unhex(f[2]), unhex(f[3]));
        let n = src_bytes.len() / from.itemsize();
        let contiguous =
            Array::try_new(Buffer::from_bytes(&src_bytes).unwrap(), from, &[n], &[from.itemsize() as isize], 0)
                .unwrap();
        // A stride-2 view, unaligned by one byte, in the opposite byte order.
        let isz = from.itemsize();
        let swapped = from.new_byte_order("S").unwrap();
        let mut spread = vec![0u8; 1 + 2 * n * isz];
        for i in 0..n {
            let mut e = src_bytes[i * isz..(i + 1) * isz].to_vec();
            if let crate::kernels::copy::Swap::Units(u) = crate::array::swap_of(from) {
                e.chunks_exact_mut(u).for_each(|c| c.reverse());
            }
            spread[1 + 2 * i * isz..1 + (2 * i + 1) * isz].copy_from_slice(&e);
        }
        let strided =
            Array::try_new(Buffer::from_bytes(&spread).unwrap(), swapped, &[n], &[2 * isz as isize], 1).unwrap();
        for src in [contiguous, strided] {
            let dst = Array::zeros(to, &[n], Order::C).unwrap();
            cast_into(&dst, &src).unwrap();
            let got = dst.to_bytes(Order::C).unwrap();
            if got != want {
                let (g, w) = (dst.to_scalars(), {
                    let e = Array::try_new(Buffer::from_bytes(&want).unwrap(), to, &[n], &[to.itemsize() as isize], 0)
                        .unwrap();
                    e.to_scalars()
                });
                let s = src.to_scalars();
                for i in 0..n {
                    assert!(same(&g[i], &w[i]), "{from} -> {to}: {:?} gave {:?}, NumPy {:?}", s[i], g[i], w[i]);
                }
            }
        }
        checked += 1;
    }
    assert_eq!(checked, 14 * 14);
}

/// Float and complex text against NumPy, including shortest-digit ties (`343126.12` for
/// float32 343126.125) and binade edges (`0.01563` for float16 0.015625).
#[test]
fn float_text_matches_numpy_sample() {
    let mut checked = 0;
    for line in include_str!("float_text_numpy.tsv").lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        let d = DType::parse(f[0]).unwrap();
        let mut bytes = unhex(f[1]);
        if f[0] != "c16" {
            bytes.reverse(); // big-endian integer text to little-endian memory
        }
        let a = Array::try_new(Buffer::from_bytes(&bytes).unwrap(), d, &[1], &[d.itemsize() as isize], 0).unwrap();
        let s = a.astype(DType::bytes(0), Order::C).unwrap();
        assert_eq!(texts(&s)[0], f[2], "{line}");
        checked += 1;
    }
    assert!(checked > 1000);
}

/// `may_raise` is false only where `cast_flags` is empty, for one pair.
fn cheap_test_covers<S: Copy + std::fmt::Debug, D: CastFrom<S>>(s: S) -> std::result::Result<(), TestCaseError> {
    prop_assert!(D::cast_flags(s) == 0 || D::may_raise(s), "{s:?}");
    Ok(())
}

proptest! {
    /// The cheap block test of the contiguous loop never misses an exception: random bit
    /// patterns (NaN payloads, subnormals, huge values) for every pair that can raise.
    #[test]
    fn cheap_cast_test_never_misses(b in any::<u64>(), w in any::<u32>(), edge in 0usize..8) {
        let edges = [2f64.powi(31), -(2f64.powi(31)) - 1.0, 2f64.powi(63), 2f64.powi(64), 65520.0, f32::MAX as f64 * 1.0000001, 1e-40, 1e-8];
        for x in [f64::from_bits(b), edges[edge], -edges[edge]] {
            cheap_test_covers::<f64, i8>(x)?; cheap_test_covers::<f64, i16>(x)?; cheap_test_covers::<f64, i32>(x)?;
            cheap_test_covers::<f64, i64>(x)?; cheap_test_covers::<f64, u8>(x)?; cheap_test_covers::<f64, u16>(x)?;
            cheap_test_covers::<f64, u32>(x)?; cheap_test_covers::<f64, u64>(x)?; cheap_test_covers::<f64, f32>(x)?;
            cheap_test_covers::<f64, half::f16>(x)?;
            cheap_test_covers::<num_complex::Complex<f64>, num_complex::Complex<f32>>(num_complex::Complex::new(1.0, x))?;
            cheap_test_covers::<num_complex::Complex<f64>, i32>(num_complex::Complex::new(x, 0.0))?;
        }
        let y = f32::from_bits(w);
        cheap_test_covers::<f32, i32>(y)?; cheap_test_covers::<f32, u64>(y)?; cheap_test_covers::<f32, half::f16>(y)?;
        cheap_test_covers::<i64, half::f16>(b as i64)?; cheap_test_covers::<u64, half::f16>(b >> (edge * 8))?;
        cheap_test_covers::<i32, half::f16>(w as i32 >> (edge * 4))?;
    }
}
