//! Resolution and execution checks in Rust (the full comparison with NumPy is in the
//! Python tests).

use super::*;
use crate::array::Array;
use crate::layout::Order;
use crate::scalar::Scalar;

fn arr(d: DType, v: &[f64]) -> Array {
    let a = Array::zeros(d, &[v.len()], Order::C).unwrap();
    for (i, x) in v.iter().enumerate() {
        // SAFETY: index `i` is inside the fresh array.
        unsafe { Scalar::Float(*x).cast(d).write(a.element_ptr(&[i]).unwrap(), d) };
    }
    a
}

fn call(name: &str, ins: &[Array]) -> Array {
    let uf = get(name).unwrap();
    let types: Vec<InType> = ins.iter().map(|a| InType::Typed(a.dtype())).collect();
    let r = uf.resolve(&types, None, Casting::SameKind).unwrap();
    let ins: Vec<&Array> = ins.iter().collect();
    let (out, _) = execute(&ExecArgs {
        ufunc: uf,
        index: r.index,
        inputs: &ins,
        outs: &[],
        mask: None,
        casting: Casting::SameKind,
        order: OutOrder::K,
    })
    .unwrap();
    out[0].clone()
}

#[test]
fn resolves_like_numpy() {
    let add = get("add").unwrap();
    let t = |a: DType, b: DType| {
        add.loops[add.resolve(&[InType::Typed(a), InType::Typed(b)], None, Casting::SameKind).unwrap().index].types
    };
    assert_eq!(t(DType::INT8, DType::UINT8), "hh->h");
    assert_eq!(t(DType::INT64, DType::UINT64), "dd->d");
    let div = get("divide").unwrap();
    let r = div.resolve(&[InType::Typed(DType::INT8), InType::Typed(DType::INT8)], None, Casting::SameKind).unwrap();
    assert_eq!(div.loops[r.index].types, "dd->d");
    let sqrt = get("sqrt").unwrap();
    let r = sqrt.resolve(&[InType::Typed(DType::INT8)], None, Casting::SameKind).unwrap();
    assert_eq!(sqrt.loops[r.index].types, "e->e");
    let band = get("bitwise_and").unwrap();
    let e = band.resolve(&[InType::Typed(DType::FLOAT64), InType::Typed(DType::INT8)], None, Casting::SameKind);
    assert!(matches!(e, Err(Error::Type(m)) if m.contains("not supported for the input types")));
    let r =
        add.resolve(&[InType::Typed(DType::UINT8), InType::Weak(PyScalarKind::Int)], None, Casting::SameKind).unwrap();
    assert_eq!(r.weak_dtypes[1], DType::UINT8);
}

#[test]
fn computes() {
    let a = arr(DType::FLOAT64, &[1.0, 2.0, 3.0]);
    let b = arr(DType::INT32, &[4.0, 0.0, -1.0]);
    let r = call("add", &[a.clone(), b.clone()]);
    assert_eq!(r.to_scalars(), vec![Scalar::Float(5.0), Scalar::Float(2.0), Scalar::Float(2.0)]);
    let i = arr(DType::INT32, &[7.0, -7.0, 3.0]);
    let r = call("floor_divide", &[i, b]);
    assert_eq!(r.to_scalars(), vec![Scalar::Int(1), Scalar::Int(0), Scalar::Int(-3)]);
}

#[test]
fn type_errors_say_which_ufunc_error() {
    use crate::error::UFuncErrorKind;
    let add = get("add").unwrap();
    let u1 = DType::bytes(1);
    match add.resolve(&[InType::Typed(u1), InType::Typed(DType::INT64)], None, Casting::SameKind) {
        Err(Error::UFuncType(e)) => {
            assert_eq!(e.ufunc, "add");
            assert_eq!(e.kind, UFuncErrorKind::NoLoop { dtypes: vec![u1, DType::INT64], nout: 1 });
        }
        other => panic!("{other:?}"),
    }
    let f8 = InType::Typed(DType::FLOAT64);
    match add.resolve(&[f8, f8], Some(DType::INT32), Casting::SameKind) {
        Err(Error::UFuncType(e)) => assert!(matches!(
            e.kind,
            UFuncErrorKind::InputCasting {
                from: DType::FLOAT64,
                to: DType::INT32,
                index: 0,
                casting: Casting::SameKind
            }
        )),
        other => panic!("{other:?}"),
    }
    let divmod = get("divmod").unwrap();
    let i = divmod.resolve(&[f8, f8], None, Casting::SameKind).unwrap().index;
    let e = divmod.check_output(i, 1, DType::INT64, Casting::SameKind).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Cannot cast ufunc 'divmod' output 3 from dtype('float64') to dtype('int64') with casting rule 'same_kind'"
    );
    let dd = add.loops.iter().position(|l| l.types == "dd->d").unwrap();
    let e = add.check_output(dd, 0, DType::INT64, Casting::Safe).unwrap_err();
    assert!(matches!(&e, Error::UFuncType(u) if matches!(u.kind, UFuncErrorKind::OutputCasting { index: 2, .. })));
}

#[test]
fn small_path_matches_general_path() {
    // The stack-scalar path and the 0-d array path give the same bytes.
    let a = arr(DType::FLOAT32, &[1.5, -2.0, 3.25]);
    let mul = get("multiply").unwrap();
    let types = [InType::Typed(DType::FLOAT32), InType::Weak(crate::promote::PyScalarKind::Float)];
    let r = mul.resolve(&types, None, Casting::SameKind).unwrap();
    let v = Scalar::Float(0.1);
    let small = execute_small_scalar(mul, r.index, &a, 1, &v, None, OutOrder::K).unwrap().unwrap();
    let x = Array::full(r.weak_dtypes[1], &[], Order::C, &v).unwrap();
    let general = call("multiply", &[a.clone(), x]);
    let small = small.result.unwrap();
    assert_eq!(small.dtype(), general.dtype());
    assert_eq!(small.to_bytes(Order::C).unwrap(), general.to_bytes(Order::C).unwrap());
}

fn values(a: &Array) -> Vec<f64> {
    let c = a.astype(DType::FLOAT64, Order::C).unwrap().reshape(&[-1], Order::C).unwrap().0;
    (0..c.size())
        .map(|i| match c.get(&[i]).unwrap() {
            Scalar::Float(f) => f,
            _ => f64::NAN,
        })
        .collect()
}

/// The methods' folds against naive twins: a left fold of `subtract` over each column of a
/// transposed (strided) matrix, its running fold, and `reduceat` segments.
#[test]
fn reduce_accumulate_reduceat_fold_in_order() {
    let v: Vec<f64> = (0..12).map(|i| (i * i % 7) as f64 - 2.5).collect();
    let m = arr(DType::FLOAT64, &v).reshape(&[3, 4], Order::C).unwrap().0;
    let t = m.transpose(None).unwrap(); // shape (4, 3), strided
    let sub = get("subtract").unwrap();
    // reduce over axis 1 of `t`: for each row r of t (= column r of m), m[0][r] - m[1][r] - m[2][r].
    let args =
        methods::ReduceArgs { ufunc: sub, array: &t, axes: &[false, true], dtype: None, initial: None, mask: None };
    let (r, _) = methods::reduce(&args).unwrap();
    let want: Vec<f64> = (0..4).map(|c| v[c] - v[4 + c] - v[8 + c]).collect();
    assert_eq!(values(&r), want);
    // accumulate along axis 0 of `m`: running differences down each column.
    let (acc, _) = methods::accumulate(sub, &m, 0, None).unwrap();
    let mut want = v.clone();
    for i in 4..12 {
        want[i] = want[i - 4] - v[i];
    }
    assert_eq!(values(&acc), want);
    // reduceat on the flat vector: [0, 5) [5, 2) -> v[5] alone, [2, 12).
    let flat = arr(DType::FLOAT64, &v);
    let (ra, _) = methods::reduceat(sub, &flat, &[0, 5, 2], 0, None).unwrap();
    let fold = |r: std::ops::Range<usize>| v[r.clone()].iter().skip(1).fold(v[r.start], |a, &b| a - b);
    assert_eq!(values(&ra), vec![fold(0..5), v[5], fold(2..12)]);
    // hypot starts from its identity (0), as NumPy's: hypot.reduce([-3]) == 3.
    let h = get("hypot").unwrap();
    let one = arr(DType::FLOAT64, &[-3.0]);
    let args = methods::ReduceArgs { ufunc: h, array: &one, axes: &[true], dtype: None, initial: None, mask: None };
    assert_eq!(values(&methods::reduce(&args).unwrap().0), vec![3.0]);
    // Not reorderable: one axis at most; no identity: no empty reduction.
    let args =
        methods::ReduceArgs { ufunc: sub, array: &m, axes: &[true, true], dtype: None, initial: None, mask: None };
    assert!(methods::reduce(&args).is_err());
    let empty = arr(DType::FLOAT64, &[]);
    let args = methods::ReduceArgs { ufunc: sub, array: &empty, axes: &[true], dtype: None, initial: None, mask: None };
    assert!(methods::reduce(&args).is_err());
}

/// `at` applies the ufunc once per occurrence of a repeated position.
#[test]
fn at_is_unbuffered() {
    let a = arr(DType::INT64, &[0.0, 0.0, 0.0]);
    let pos = arr(DType::INT64, &[0.0, 0.0, 2.0, 0.0]);
    let b = arr(DType::INT64, &[1.0, 2.0, 3.0, 4.0]);
    methods::at(get("add").unwrap(), &a, &pos, Some(&b)).unwrap();
    assert_eq!(values(&a), vec![7.0, 0.0, 3.0]);
    methods::at(get("negative").unwrap(), &a, &arr(DType::INT64, &[2.0, 2.0, 0.0]), None).unwrap();
    assert_eq!(values(&a), vec![-7.0, 0.0, 3.0]);
}

#[test]
fn number_theory_and_float_step_functions_hand_checked() {
    // gcd/lcm on magnitudes, wrapping into the type: |-128| is 128 (as int8, -128);
    // lcm(-128, 3) = 384 wraps to -128; lcm(100, 3) = 300 wraps to 44.
    let i8s = |v: &[f64]| arr(DType::INT8, v);
    assert_eq!(
        values(&call("gcd", &[i8s(&[-128.0, 12.0, 0.0, -6.0]), i8s(&[0.0, 18.0, 0.0, 4.0])])),
        [-128.0, 6.0, 0.0, 2.0]
    );
    assert_eq!(values(&call("lcm", &[i8s(&[-128.0, 100.0, 0.0]), i8s(&[3.0, 3.0, 5.0])])), [-128.0, 44.0, 0.0]);
    // nextafter: one bit step (float16 1 -> 1 + 2^-10), y for equal floats, the smallest
    // subnormal from zero with y's sign.
    let h = call("nextafter", &[arr(DType::FLOAT16, &[1.0, 0.0, -2.0]), arr(DType::FLOAT16, &[2.0, -1.0, 3.0])]);
    assert_eq!(values(&h), [1.0 + 1.0 / 1024.0, -(2f64.powi(-24)), -2.0 + 1.0 / 1024.0]);
    let d = call("nextafter", &[arr(DType::FLOAT64, &[0.0, 1.0]), arr(DType::FLOAT64, &[-0.0, 0.0])]);
    let dv = values(&d);
    assert!(dv[0] == 0.0 && dv[0].is_sign_negative() && dv[1] == 1.0 - f64::EPSILON / 2.0);
    // spacing: away from zero for floats (negative for negative x), always positive and
    // the gap below for a negative power of two in float16.
    assert_eq!(
        values(&call("spacing", &[arr(DType::FLOAT64, &[1.0, -1.0, -0.0])])),
        [f64::EPSILON, -f64::EPSILON, 5e-324]
    );
    assert_eq!(
        values(&call("spacing", &[arr(DType::FLOAT16, &[1.0, -1.0, -3.0])])),
        [1.0 / 1024.0, 1.0 / 2048.0, 1.0 / 512.0]
    );
    // logaddexp(x, x) = x + ln 2; logaddexp2(0, 0) = 1; heaviside takes h0 at zero.
    let l =
        values(&call("logaddexp", &[arr(DType::FLOAT64, &[0.0, 1.0]), arr(DType::FLOAT64, &[0.0, f64::NEG_INFINITY])]));
    assert_eq!(l, [std::f64::consts::LN_2, 1.0]);
    assert_eq!(values(&call("logaddexp2", &[arr(DType::FLOAT32, &[0.0]), arr(DType::FLOAT32, &[0.0])])), [1.0]);
    let hv = call("heaviside", &[arr(DType::FLOAT64, &[-2.0, 0.0, 3.0]), arr(DType::FLOAT64, &[0.5, 0.5, 0.5])]);
    assert_eq!(values(&hv), [0.0, 0.5, 1.0]);
}

/// NumPy's plain complex product (a loop whose output does not advance, a reversed
/// complex64 run, every loop on CPUs without FMA) raises only its own parts' flags:
/// `re = ar*br - ai*bi` overflows (finite minus inf) and `im = ar*bi + ai*br` overflows
/// (inf plus inf), and nothing computes `ar*bi - ai*br` (inf minus inf, "invalid"), which a
/// vectorised formula did in a lane it threw away.
#[test]
fn plain_complex_products_raise_only_their_own_flags() {
    use super::loops::{bin, un};
    use super::ops::{Mul, Square};
    use num_complex::Complex;
    let overflow_only = FpFlags { overflow: true, ..FpFlags::default() };

    fn check<T: crate::kernels::Element + Default + Copy + PartialEq + std::fmt::Debug>(v: T, expect: T, flags: FpFlags)
    where
        Mul: super::loops::Bin<T, T, O = T>,
        Square: super::loops::Un<T, O = T>,
    {
        // `black_box`: the products must run here, not be folded at compile time.
        let (xs, mut out) = (std::hint::black_box([v, v]), [T::default()]);
        let xp = xs.as_ptr().cast_mut().cast::<u8>();
        let op = out.as_mut_ptr().cast::<u8>();
        let z = std::mem::size_of::<T>() as isize;
        for (name, strides) in [("zero output stride", [z, z, 0, 0]), ("reversed", [-z, z, z, 0])] {
            let first = if strides[0] < 0 { xp.wrapping_offset(z) } else { xp };
            crate::fpe::clear();
            // SAFETY: one element of each operand (the first input at `xs[1]` when reversed).
            let (st, raised) = crate::fpe::track(|| unsafe { bin::<Mul, T, T>(&[first, xp, op, op], &strides, 1) });
            assert_eq!((out[0], st.flags.union(raised)), (expect, flags), "multiply, {name}");
            crate::fpe::clear();
            // SAFETY: as above, one input.
            let (st, raised) = crate::fpe::track(|| unsafe {
                un::<Square, T>(&[first, op, op, op], &[strides[0], strides[2], 0, 0], 1)
            });
            assert_eq!((out[0], st.flags.union(raised)), (expect, flags), "square, {name}");
        }
    }
    check(Complex::new(1e100_f64, 1e300), Complex::new(f64::NEG_INFINITY, f64::INFINITY), overflow_only);
    check(Complex::new(1e10_f32, 1e30), Complex::new(f32::NEG_INFINITY, f32::INFINITY), overflow_only);
}

#[test]
fn clip_takes_numpys_two_paths() {
    let bits = |a: &Array| -> Vec<u64> {
        (0..a.size()).map(|i| if let Scalar::Float(v) = a.get(&[i]).unwrap() { v.to_bits() } else { 0 }).collect()
    };
    let zero_d = |v: f64| arr(DType::FLOAT64, &[v]).reshape(&[], Order::C).unwrap().0;
    let x = arr(DType::FLOAT64, &[-0.0, 0.0, 5.0, f64::NAN, -3.0]);
    // Constant bounds: an element equal to a bound is kept (its sign of zero too).
    let r = call("clip", &[x.clone(), zero_d(0.0), zero_d(1.0)]);
    let want: Vec<u64> = [-0.0, 0.0, 1.0, f64::NAN, 0.0].iter().map(|v: &f64| v.to_bits()).collect();
    assert_eq!(bits(&r), want);
    // A NaN bound fills the run with itself.
    let r = call("clip", &[x.clone(), zero_d(-f64::NAN), zero_d(1.0)]);
    assert!(bits(&r).iter().all(|&b| b == (-f64::NAN).to_bits()));
    // Bounds that vary: NumPy's MIN(MAX(x, lo), hi), an equal element takes the bound.
    let lo = arr(DType::FLOAT64, &[0.0, -0.0, 0.0, 0.0, 0.0]);
    let hi = arr(DType::FLOAT64, &[1.0; 5]);
    let r = call("clip", &[x, lo, hi]);
    let want: Vec<u64> = [0.0, -0.0, 1.0, f64::NAN, 0.0].iter().map(|v: &f64| v.to_bits()).collect();
    assert_eq!(bits(&r), want);
}
