//! Comparison kernels against a naive Scalar-based twin and NumPy-printed cases.

use proptest::prelude::*;

use super::*;
use crate::kernels::cast::tests::{dtype_strategy, strided_array};
use crate::scalar::Scalar;

/// The naive twin: read both elements, bring them to the promoted dtype through Scalar
/// write/read, compare with NumPy's rules.
fn naive(x: &Scalar, y: &Scalar, da: DType, db: DType, op: CmpOp) -> bool {
    let exact_int = |s: &Scalar| match *s {
        Scalar::Bool(b) => b as i128,
        Scalar::Int(i) => i as i128,
        Scalar::UInt(u) => u as i128,
        _ => unreachable!(),
    };
    let is_int = |d: DType| matches!(d.kind(), Kind::Int | Kind::UInt | Kind::Bool);
    let common = promote_types(da, db).unwrap();
    let to_common = |s: &Scalar| {
        let mut buf = [0u8; 16];
        // SAFETY: `buf` holds 16 bytes, the largest numeric item size.
        unsafe {
            s.write(buf.as_mut_ptr(), common);
            Scalar::read(buf.as_ptr(), common)
        }
    };
    if is_int(da) && is_int(db) && matches!(common.kind(), Kind::Float) {
        // int64/uint64 (or smaller signed) against uint64: exact.
        return op.of_ordering(Some(exact_int(x).cmp(&exact_int(y))));
    }
    let (x, y) = (to_common(x), to_common(y));
    match (x, y) {
        (Scalar::Complex(xr, xi), Scalar::Complex(yr, yi)) => {
            let lt =
                |xr: f64, xi: f64, yr: f64, yi: f64| (xr < yr && !xi.is_nan() && !yi.is_nan()) || (xr == yr && xi < yi);
            let le = |xr: f64, xi: f64, yr: f64, yi: f64| {
                (xr < yr && !xi.is_nan() && !yi.is_nan()) || (xr == yr && xi <= yi)
            };
            match op {
                CmpOp::Eq => xr == yr && xi == yi,
                CmpOp::Ne => !(xr == yr && xi == yi),
                CmpOp::Lt => lt(xr, xi, yr, yi),
                CmpOp::Le => le(xr, xi, yr, yi),
                CmpOp::Gt => lt(yr, yi, xr, xi),
                CmpOp::Ge => le(yr, yi, xr, xi),
            }
        }
        (Scalar::Float(a), Scalar::Float(b)) => op.of_ordering(a.partial_cmp(&b)),
        (a, b) => op.of_ordering(Some(exact_int(&a).cmp(&exact_int(&b)))),
    }
}

fn op_strategy() -> impl Strategy<Value = CmpOp> {
    prop_oneof![Just(CmpOp::Eq), Just(CmpOp::Ne), Just(CmpOp::Lt), Just(CmpOp::Le), Just(CmpOp::Gt), Just(CmpOp::Ge)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Every dtype pair and operator, with strided, negative, unaligned and swapped
    /// operands, and `b` either full length, one element (stride-0 broadcast) or 0-d.
    #[test]
    fn compare_matches_naive(
        da in dtype_strategy(), db in dtype_strategy(), op in op_strategy(),
        // A small alphabet so that equal values (and NaNs, zeros of both signs) are common.
        bytes in proptest::collection::vec(prop_oneof![Just(0u8), Just(1), Just(0x80), Just(0xff), Just(0x3f), Just(0x7f)], 1..24),
        bytes_b in proptest::collection::vec(prop_oneof![Just(0u8), Just(1), Just(0x80), Just(0xff), Just(0x3f), Just(0x7f)], 1..24),
        n in 0usize..30, step in 1isize..3, neg in any::<bool>(), pad in 0usize..8, mode in 0u8..3,
    ) {
        let a = strided_array(da, &bytes, n, step, neg, pad);
        let b = match mode {
            0 => strided_array(db, &bytes_b, n, 1, !neg, 1),
            1 => strided_array(db, &bytes_b, 1, 1, false, 3),
            _ => {
                let one = strided_array(db, &bytes_b, 1, 1, false, 5);
                one.reshape(&[], Order::C).unwrap().0
            }
        };
        let out = compare(&a, &b, op).unwrap();
        prop_assert_eq!(out.shape(), &[n]);
        let (xs, ys, got) = (a.to_scalars(), b.to_scalars(), out.to_scalars());
        for i in 0..n {
            let y = if mode == 0 { &ys[i] } else { &ys[0] };
            let want = naive(&xs[i], y, da, db, op);
            prop_assert_eq!(&got[i], &Scalar::Bool(want), "{} {:?} {}: {:?} vs {:?}", da, op, db, xs[i], y);
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

fn bools(a: &Array) -> Vec<bool> {
    a.to_scalars().iter().map(Scalar::is_truthy).collect()
}

#[test]
fn numpy_cases() {
    let c = |re: f64, im: f64| Scalar::Complex(re, im);
    let xs = arr("c16", &[c(1.0, f64::NAN), c(f64::NAN, 0.0), c(1.0, 1.0), c(1.0, 2.0)]);
    // np.array([1+nanj, nan+0j, 1+1j, 1+2j]) < np.array([1+2j]) -> [F, F, T, F]
    assert_eq!(bools(&compare(&xs, &arr("c16", &[c(1.0, 2.0)]), CmpOp::Lt).unwrap()), [false, false, true, false]);
    assert_eq!(bools(&compare(&xs, &arr("c16", &[c(1.0, f64::NAN)]), CmpOp::Eq).unwrap()), [false; 4]);
    let le = arr("c16", &[c(1.0, f64::NAN), c(1.0, 1.0), c(2.0, 0.0)]);
    assert_eq!(bools(&compare(&le, &arr("c16", &[c(1.0, 1.0)]), CmpOp::Le).unwrap()), [false, true, false]);
    // np.array([2**63],'u8') > np.array([-1],'i8') -> True; 2**53+1 (i8) == 2**53 (f8) -> True
    let big = arr("u8", &[Scalar::UInt(1 << 63)]);
    assert_eq!(bools(&compare(&big, &arr("i8", &[Scalar::Int(-1)]), CmpOp::Gt).unwrap()), [true]);
    let odd = arr("i8", &[Scalar::Int((1 << 53) + 1)]);
    assert_eq!(bools(&compare(&odd, &arr("f8", &[Scalar::Float(9007199254740992.0)]), CmpOp::Eq).unwrap()), [true]);
    assert_eq!(bools(&compare(&odd, &arr("u8", &[Scalar::UInt((1 << 53) + 1)]), CmpOp::Eq).unwrap()), [true]);
    assert_eq!(bools(&compare(&odd, &arr("u8", &[Scalar::UInt(1 << 53)]), CmpOp::Eq).unwrap()), [false]);
    // np.array([2],'u1') == np.array([True]) -> False (compared as uint8)
    assert_eq!(
        bools(&compare(&arr("u1", &[Scalar::UInt(2)]), &arr("?", &[Scalar::Bool(true)]), CmpOp::Eq).unwrap()),
        [false]
    );

    let s =
        |n: usize, v: &[&[u8]]| arr(&format!("S{n}"), &v.iter().map(|b| Scalar::Bytes(b.to_vec())).collect::<Vec<_>>());
    // np.array([b'ab', b'ab\x00', b'a'],'S3') < np.array([b'ab'],'S3') -> [F, F, T]
    assert_eq!(
        bools(&compare(&s(3, &[b"ab", b"ab\0", b"a"]), &s(3, &[b"ab"]), CmpOp::Lt).unwrap()),
        [false, false, true]
    );
    // S4 [ab, ab\0c, a, b] == S2 [ab] -> [T, F, F, F]
    let raw = Array::try_new(
        crate::buffer::Buffer::from_bytes(b"ab\0\0ab\0ca\0\0\0b\0\0\0").unwrap(),
        DType::bytes(4),
        &[4],
        &[4],
        0,
    )
    .unwrap();
    assert_eq!(bools(&compare(&raw, &s(2, &[b"ab"]), CmpOp::Eq).unwrap()), [true, false, false, false]);
    assert_eq!(bools(&compare(&s(3, &[b"a\0b"]), &s(3, &[b"a"]), CmpOp::Gt).unwrap()), [true]);

    // Errors and the no-loop equality results.
    let i = arr("i8", &[Scalar::Int(1), Scalar::Int(2), Scalar::Int(3)]);
    assert_eq!(
        compare(&i, &s(1, &[b"2"]), CmpOp::Lt).unwrap_err().to_string(),
        "ufunc 'less' did not contain a loop with signature matching types (<class 'numpy.dtypes.Int64DType'>, <class 'numpy.dtypes.BytesDType'>) -> None"
    );
    assert_eq!(bools(&compare(&s(1, &[b"1"]), &arr("i8", &[Scalar::Int(1)]), CmpOp::Eq).unwrap()), [false]);
    assert_eq!(bools(&compare(&s(1, &[b"1"]), &arr("f8", &[Scalar::Float(1.5)]), CmpOp::Ne).unwrap()), [true]);
    let four = arr("i8", &[0, 0, 0, 0].map(Scalar::Int));
    assert_eq!(
        compare(&i, &four, CmpOp::Lt).unwrap_err(),
        Error::Value("operands could not be broadcast together with shapes (3,) (4,) ".into())
    );
    let v2 = Array::zeros(DType::void(2), &[2], Order::C).unwrap();
    let v3 = Array::zeros(DType::void(3), &[2], Order::C).unwrap();
    assert_eq!(bools(&compare(&v2, &v2, CmpOp::Eq).unwrap()), [true, true]);
    assert!(
        matches!(compare(&v2, &v3, CmpOp::Eq), Err(Error::Type(m)) if m.starts_with("cannot compare unstructured voids"))
    );
    assert!(
        matches!(compare(&v2, &Array::zeros(DType::INT16, &[2], Order::C).unwrap(), CmpOp::Ne), Err(Error::Type(m)) if m == "Cannot compare structured or void to non-void arrays.")
    );
    assert!(matches!(
        compare(&v2, &v2, CmpOp::Lt),
        Err(Error::UFuncType(e)) if e.message.contains("'less' did not contain a loop")
            && matches!(e.kind, crate::error::UFuncErrorKind::NoLoop { .. })
    ));
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

/// Every dtype pair and operator on special values (NaN, -0.0, 2**53+1, int64/uint64
/// extremes, complex with NaN parts) as an outer comparison `a[:, None] op b[None, :]`,
/// against NumPy's results (`compare_numpy.tsv`).
#[test]
fn every_pair_matches_numpy_table() {
    let mut checked = 0;
    for line in include_str!("compare_numpy.tsv").lines().filter(|l| !l.starts_with('#')) {
        let f: Vec<&str> = line.split('\t').collect();
        let (da, db) = (DType::parse(f[0]).unwrap(), DType::parse(f[1]).unwrap());
        let mk = |d: DType, hex: &str| {
            let bytes = unhex(hex);
            let n = bytes.len() / d.itemsize();
            let buf = crate::buffer::Buffer::from_bytes(&bytes).unwrap();
            Array::try_new(buf, d, &[n], &[d.itemsize() as isize], 0).unwrap()
        };
        let (a, b) = (mk(da, f[2]), mk(db, f[3]));
        let (na, nb) = (a.size(), b.size());
        let col = a.reshape(&[na as isize, 1], Order::C).unwrap().0;
        for field in &f[4..] {
            let (name, bits) = field.split_once(':').unwrap();
            let op = match name {
                "eq" => CmpOp::Eq,
                "ne" => CmpOp::Ne,
                "lt" => CmpOp::Lt,
                "le" => CmpOp::Le,
                "gt" => CmpOp::Gt,
                _ => CmpOp::Ge,
            };
            let got = compare(&col, &b, op).unwrap();
            assert_eq!(got.shape(), &[na, nb]);
            let got: String = bools(&got).iter().map(|&x| if x { '1' } else { '0' }).collect();
            assert_eq!(got, bits, "{da} {name} {db}: {:?} vs {:?}", a.to_scalars(), b.to_scalars());
        }
        checked += 1;
    }
    assert_eq!(checked, 14 * 14);
}

#[test]
fn broadcasting_2d() {
    let col = arr("f8", &[Scalar::Float(1.0), Scalar::Float(2.0)]).reshape(&[2, 1], Order::C).unwrap().0;
    let row = arr("i4", &[Scalar::Int(0), Scalar::Int(1), Scalar::Int(2)]);
    let out = compare(&col, &row, CmpOp::Gt).unwrap();
    assert_eq!(out.shape(), &[2, 3]);
    assert!(out.is_c_contiguous());
    assert_eq!(bools(&out), [true, false, false, true, true, false]);
}

/// `cargo test --release -p rawarray-core -- --ignored --nocapture bench_` prints timings.
#[test]
#[ignore = "timing, run by hand in release mode"]
fn bench_compare_f64_with_scalar() {
    let n = 10_000_000;
    let a = Array::zeros(DType::FLOAT64, &[n], Order::C).unwrap();
    let s = arr("f8", &[Scalar::Float(0.5)]).reshape(&[], Order::C).unwrap().0;
    compare(&a, &s, CmpOp::Lt).unwrap();
    let reps = 10;
    let t = std::time::Instant::now();
    for _ in 0..reps {
        std::hint::black_box(compare(&a, &s, CmpOp::Lt).unwrap());
    }
    println!("compare f64 < scalar 1e7: {:.2} ms", t.elapsed().as_secs_f64() * 1e3 / reps as f64);
    let b = Array::zeros(DType::FLOAT64, &[n], Order::C).unwrap();
    let t = std::time::Instant::now();
    for _ in 0..reps {
        std::hint::black_box(compare(&a, &b, CmpOp::Eq).unwrap());
    }
    println!("compare f64 == f64 1e7: {:.2} ms", t.elapsed().as_secs_f64() * 1e3 / reps as f64);
}

#[test]
#[ignore = "timing, run by hand in release mode"]
fn bench_compare_kernel_cache_resident() {
    // 1e5 elements x 100 calls: the bool output is reused by the allocator and stays in
    // cache, so this measures the kernel rather than first-touch page faults.
    let n = 100_000;
    let a = Array::zeros(DType::FLOAT64, &[n], Order::C).unwrap();
    let s = arr("f8", &[Scalar::Float(0.5)]).reshape(&[], Order::C).unwrap().0;
    let reps = 100;
    let t = std::time::Instant::now();
    for _ in 0..reps {
        std::hint::black_box(compare(&a, &s, CmpOp::Lt).unwrap());
    }
    println!("compare f64 < scalar 1e5 x100 (= 1e7 elements): {:.2} ms", t.elapsed().as_secs_f64() * 1e3);
}

#[test]
fn bytes_against_numbers_are_all_unequal_whatever_the_memory_held() {
    // Recycled allocations of the result's size hold ones first, so a result that was
    // not written would show them.
    for n in [2, 3, 8, 64, 4096] {
        let ints = Array::zeros(DType::INT64, &[n], Order::C).unwrap();
        let bytes = Array::zeros(DType::bytes(2), &[1], Order::C).unwrap();
        drop(Array::full(DType::BOOL, &[n], Order::C, &Scalar::Bool(true)).unwrap());
        assert!(bools(&compare(&ints, &bytes, CmpOp::Eq).unwrap()).iter().all(|&v| !v));
        assert!(bools(&compare(&bytes, &ints, CmpOp::Ne).unwrap()).iter().all(|&v| v));
        assert!(compare(&ints, &bytes, CmpOp::Lt).is_err());
    }
}
