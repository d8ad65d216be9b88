//! Tests of the reduction kernels against naive twins: the pairwise sum against a direct
//! transcription of NumPy's recursion, and the axis driver against per-element loops.

use proptest::prelude::*;

use super::*;
use crate::buffer::Buffer;
use crate::layout::Order;

/// NumPy's `pairwise_sum`, transcribed literally over a slice (the twin).
fn naive_pairwise(a: &[f64]) -> f64 {
    let n = a.len();
    if n < 8 {
        a.iter().fold(-0.0, |r, &x| r + x)
    } else if n <= 128 {
        let mut r = [0.0; 8];
        r.copy_from_slice(&a[..8]);
        let mut i = 8;
        while i < n - n % 8 {
            for j in 0..8 {
                r[j] += a[i + j];
            }
            i += 8;
        }
        let mut res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        while i < n {
            res += a[i];
            i += 1;
        }
        res
    } else {
        let n2 = n / 2 - (n / 2) % 8;
        naive_pairwise(&a[..n2]) + naive_pairwise(&a[n2..])
    }
}

fn f64_array(v: &[f64], shape: &[usize]) -> Array {
    let bytes: Vec<u8> = v.iter().flat_map(|x| x.to_ne_bytes()).collect();
    let b = Buffer::from_bytes(&bytes).unwrap();
    let strides = crate::layout::contiguous_strides(shape, 8, Order::C).unwrap();
    Array::try_new(b, DType::FLOAT64, shape, &strides, 0).unwrap()
}

fn values(a: &Array) -> Vec<f64> {
    a.to_scalars().iter().map(|s| s.as_f64()).collect()
}

proptest! {
    #[test]
    fn pairwise_matches_numpy_recursion(v in proptest::collection::vec(-1e6f64..1e6, 0..2000), step in 1usize..3) {
        let picked: Vec<f64> = v.iter().step_by(step).copied().collect();
        // SAFETY: `v` holds `picked.len()` elements at byte stride `8 * step`.
        let got = unsafe { pairwise::sum_f64(v.as_ptr().cast(), 8 * step as isize, picked.len()) };
        prop_assert_eq!(got.to_bits(), naive_pairwise(&picked).to_bits());
    }

    #[test]
    fn axis_driver_matches_naive(
        rows in 1usize..40, cols in 1usize..40, axis in 0usize..3, seed in 0u64..1000,
    ) {
        let v: Vec<f64> = (0..rows * cols).map(|i| ((i as u64 * 7919 + seed) % 201) as f64 - 100.0).collect();
        let a = f64_array(&v, &[rows, cols]);
        let mask: Vec<bool> = match axis { 0 => vec![true, false], 1 => vec![false, true], _ => vec![true, true] };
        let sum = reduce(&a, ReduceOp::Sum, &mask, None, None, None).unwrap().array;
        let max = reduce(&a, ReduceOp::Max, &mask, None, None, None).unwrap().array;
        let (mut want_sum, mut want_max) = (vec![], vec![]);
        match axis {
            0 => for c in 0..cols {
                want_sum.push((0..rows).map(|r| v[r * cols + c]).sum::<f64>());
                want_max.push((0..rows).map(|r| v[r * cols + c]).fold(f64::MIN, f64::max));
            },
            1 => for r in 0..rows {
                want_sum.push(v[r * cols..(r + 1) * cols].iter().sum::<f64>());
                want_max.push(v[r * cols..(r + 1) * cols].iter().copied().fold(f64::MIN, f64::max));
            },
            _ => {
                want_sum.push(v.iter().sum::<f64>());
                want_max.push(v.iter().copied().fold(f64::MIN, f64::max));
            }
        }
        // Small integers: every summation order is exact.
        prop_assert_eq!(values(&sum), want_sum);
        prop_assert_eq!(values(&max), want_max);
        let t = a.transpose(None).unwrap();
        let tmask: Vec<bool> = mask.iter().rev().copied().collect();
        let tsum = reduce(&t, ReduceOp::Sum, &tmask, None, None, None).unwrap().array;
        prop_assert_eq!(values(&tsum), values(&sum));
    }
}

#[test]
fn parallel_full_sum_keeps_the_serial_bits() {
    // Large enough to split across the pool along the pairwise tree.
    let v: Vec<f64> = (0..1_000_003).map(|i| ((i * 37) % 1000) as f64 * 0.001 + 1e-7 * i as f64).collect();
    let a = f64_array(&v, &[v.len()]);
    let got = reduce(&a, ReduceOp::Sum, &[true], None, None, None).unwrap().array;
    assert_eq!(values(&got)[0].to_bits(), (0.0 + naive_pairwise(&v)).to_bits());
}

#[test]
fn argmax_first_extreme_or_nan() {
    let mut v = vec![0.0f64; 5000];
    v[1234] = 3.0;
    v[4000] = 3.0;
    let a = f64_array(&v, &[v.len()]);
    assert_eq!(arg_flat(&a, true).unwrap(), 1234);
    v[3000] = f64::NAN;
    let a = f64_array(&v, &[v.len()]);
    assert_eq!(arg_flat(&a, true).unwrap(), 3000);
    assert_eq!(arg_flat(&a, false).unwrap(), 3000);
}

#[test]
fn empty_reductions_follow_numpy() {
    let a = f64_array(&[], &[0, 3]);
    let e = reduce(&a, ReduceOp::Min, &[true, false], None, None, None).err().unwrap();
    assert_eq!(e.to_string(), "zero-size array to reduction operation minimum which has no identity");
    let s = reduce(&a, ReduceOp::Sum, &[true, false], None, None, None).unwrap().array;
    assert_eq!(values(&s), vec![0.0; 3]);
    assert!(arg_flat(&a, true).is_err());
}

/// The twin of the outer-axis sum: `out[c] = ((0 + a[0][c]) + a[1][c]) + ...`, row by row.
fn naive_column_sums(v: &[f64], rows: usize, cols: usize) -> Vec<f64> {
    let mut acc = vec![0.0; cols];
    for r in 0..rows {
        for (c, a) in acc.iter_mut().enumerate() {
            *a += v[r * cols + c];
        }
    }
    acc
}

proptest! {
    #[test]
    // From two columns on: a single column is a contiguous 1-D sum, which NumPy (and
    // rawarray) add pairwise, not row by row.
    fn outer_axis_sum_keeps_the_sequential_bits(
        rows in 1usize..13, cols in 2usize..70, seed in 0u64..1000,
    ) {
        // Values that round: any change of the order of additions shows in the bits.
        let v: Vec<f64> = (0..rows * cols).map(|i| ((i as u64 * 7919 + seed) % 1013) as f64 / 7.0 - 70.0).collect();
        let a = f64_array(&v, &[rows, cols]);
        let got = reduce(&a, ReduceOp::Sum, &[true, false], None, None, None).unwrap().array;
        let want = naive_column_sums(&v, rows, cols);
        prop_assert_eq!(values(&got).iter().map(|x| x.to_bits()).collect::<Vec<_>>(), want.iter().map(|x| x.to_bits()).collect::<Vec<_>>());
        // The same through a 3-D shape whose middle axis is reduced (rows of each block).
        if rows % 2 == 0 {
            let b = f64_array(&v, &[2, rows / 2, cols]);
            let got = reduce(&b, ReduceOp::Sum, &[false, true, false], None, None, None).unwrap().array;
            let half = rows / 2 * cols;
            let mut want = naive_column_sums(&v[..half], rows / 2, cols);
            want.extend(naive_column_sums(&v[half..], rows / 2, cols));
            prop_assert_eq!(values(&got).iter().map(|x| x.to_bits()).collect::<Vec<_>>(), want.iter().map(|x| x.to_bits()).collect::<Vec<_>>());
        }
    }
}

#[test]
fn parallel_outer_axis_sum_keeps_the_sequential_bits() {
    // Large enough to split the columns across the pool, with chunks of 2048 columns, a
    // row count that is not a multiple of four and a width that is not a multiple of eight.
    let (rows, cols) = (103, 4099);
    let v: Vec<f64> = (0..rows * cols).map(|i| ((i * 7919) % 1013) as f64 / 7.0 - 70.0).collect();
    let a = f64_array(&v, &[rows, cols]);
    let got = reduce(&a, ReduceOp::Sum, &[true, false], None, None, None).unwrap().array;
    let want = naive_column_sums(&v, rows, cols);
    assert!(values(&got).iter().zip(&want).all(|(g, w)| g.to_bits() == w.to_bits()));
    // F order, reduced over axis 1: the mirrored layout takes the same path.
    let t = a.transpose(None).unwrap();
    let got = reduce(&t, ReduceOp::Sum, &[false, true], None, None, None).unwrap().array;
    assert!(values(&got).iter().zip(&want).all(|(g, w)| g.to_bits() == w.to_bits()));
}

proptest! {
    /// The fused sum of squared deviations is NumPy's pairwise sum of the squares, bit for
    /// bit (the twin squares into a vector first, as NumPy's var does).
    #[test]
    fn fused_squared_deviations_match_the_two_steps(v in proptest::collection::vec(-1e6f64..1e6, 0..700), m in -1e3f64..1e3) {
        let sq: Vec<f64> = v.iter().map(|&x| (x - m) * (x - m)).collect();
        // SAFETY: `v` holds `v.len()` readable doubles.
        let fused = unsafe { pairwise::sum_sq_dev_f64(v.as_ptr(), v.len(), m) };
        prop_assert_eq!(fused.to_bits(), naive_pairwise(&sq).to_bits());
        let v32: Vec<f32> = v.iter().map(|&x| x as f32).collect();
        let m32 = m as f32;
        let sq32: Vec<f32> = v32.iter().map(|&x| (x - m32) * (x - m32)).collect();
        // SAFETY: both vectors hold `len` readable floats.
        let (fused, twin) = unsafe {
            (pairwise::sum_sq_dev_f32(v32.as_ptr(), v32.len(), m32), pairwise::sum_f32(sq32.as_ptr().cast(), 4, sq32.len()))
        };
        prop_assert_eq!(fused.to_bits(), twin.to_bits());
    }
}

/// var and std of large arrays (the fused pass, split across the pool) give the bits of the
/// two-step computation: mean, squares into a temporary, pairwise sum, division.
#[test]
fn var_matches_the_two_step_computation() {
    for (n, order) in [(1usize, Order::C), (1000, Order::C), (300_001, Order::C), (1 << 20, Order::F)] {
        let cols = if n % 2 == 1 { 1 } else { 2 };
        let a = Array::empty(crate::dtype::DType::FLOAT64, &[n / cols, cols], order).unwrap();
        let p = a.data_ptr().cast::<f64>();
        let mut vals = Vec::with_capacity(n);
        for i in 0..n {
            let x = ((i as f64) * 0.618_033_988_7).fract() * 1e3 + (i % 7) as f64;
            vals.push(x);
            // SAFETY: `i < n`, inside the fresh contiguous array (memory order).
            unsafe { p.add(i).write(x) };
        }
        let axes = [true, true];
        let st = stats::var(&a, &axes, None, 1.0, None, None, false).unwrap();
        let got = st.array.to_scalars()[0].as_f64();
        let sum = naive_pairwise(&vals);
        let mean = sum / n as f64;
        let sq: Vec<f64> = vals.iter().map(|&x| (x - mean) * (x - mean)).collect();
        let want = naive_pairwise(&sq) / (n as f64 - 1.0).max(0.0);
        assert_eq!(got.to_bits(), want.to_bits(), "n {n}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]
    /// The block scan of contiguous runs finds what the scalar twin finds: the first
    /// extreme (signed zeros tie) or the first NaN, at every length around the short-run
    /// threshold and the block size, for floats and integers.
    #[test]
    fn arg_run_matches_scalar_scan(
        v in proptest::collection::vec(prop_oneof![
            8 => (-3i8..4).prop_map(f64::from),
            1 => Just(-0.0),
            1 => Just(f64::NAN),
            1 => Just(f64::INFINITY),
        ], 1..1400),
        nan_free in any::<bool>(),
    ) {
        use arg::{arg_generic, ArgRun};
        let v: Vec<f64> = if nan_free { v.into_iter().map(|x| if x.is_nan() { 2.0 } else { x }).collect() } else { v };
        let p = v.as_ptr().cast::<u8>();
        let w: Vec<i32> = v.iter().map(|&x| if x.is_nan() { 9 } else { x as i32 }).collect();
        let q = w.as_ptr().cast::<u8>();
        // SAFETY: `v` and `w` are live vectors of `len` contiguous elements.
        unsafe {
            prop_assert_eq!(f64::arg_run::<true>(p, 8, v.len()), arg_generic::<f64, true>(p, 8, v.len()));
            prop_assert_eq!(f64::arg_run::<false>(p, 8, v.len()), arg_generic::<f64, false>(p, 8, v.len()));
            prop_assert_eq!(i32::arg_run::<true>(q, 4, w.len()), arg_generic::<i32, true>(q, 4, w.len()));
            prop_assert_eq!(i32::arg_run::<false>(q, 4, w.len()), arg_generic::<i32, false>(q, 4, w.len()));
        }
    }
}

/// A product reduction's run of complex elements whose product's parts overflow raises
/// "overflow" only, as NumPy's loop: nothing computes more than the product's own parts
/// (the compiler's pairing of the two parts into vectors computed `inf - inf` in a lane it
/// threw away, and raised "invalid"; see `ufunc::ops::CmulPlain`).
#[test]
fn complex_products_raise_only_their_own_flags() {
    use num_complex::Complex;
    let v = Complex::new(3.14907657e27_f64, 5.70863584e280);
    // `black_box`: the product must run here, not be folded at compile time.
    let xs = std::hint::black_box([v, v]);
    let p = xs.as_ptr().cast::<u8>();
    crate::fpe::clear();
    // SAFETY: `xs` holds two contiguous elements.
    let (r, flags) =
        crate::fpe::track(|| unsafe { <Complex<f64> as num::Num>::prod_run(Complex::new(1.0, 0.0), p, 16, 2) });
    assert_eq!((r.re, r.im), (f64::NEG_INFINITY, f64::INFINITY));
    assert_eq!(flags, crate::fpe::FpFlags { overflow: true, ..Default::default() }, "prod_run");
}

/// `out=` shapes against NumPy 2.4's messages (written down from its runs), one case per
/// way a shape can be wrong, and shapes NumPy accepts.
#[test]
fn out_shapes_are_checked_with_numpys_messages() {
    let msg = |shape: &[usize], axes: &[bool], keepdims: bool, out: &[usize]| {
        check_out_shape(shape, axes, keepdims, out, "add").err().map(|e| e.to_string())
    };
    let (f, t) = (false, true);
    assert_eq!(msg(&[2, 3], &[f, t], f, &[2]), None);
    assert_eq!(msg(&[2, 3], &[f, t], t, &[2, 1]), None);
    assert_eq!(msg(&[2, 3], &[t, t], f, &[]), None);
    assert_eq!(msg(&[2, 0], &[f, t], f, &[2]), None);
    assert_eq!(
        msg(&[2, 3], &[t, t], f, &[3]).unwrap(),
        "output parameter for reduction operation add has the wrong number of dimensions: Found 1 but expected 0"
    );
    assert_eq!(
        msg(&[2, 3], &[f, t], t, &[3]).unwrap(),
        "output parameter for reduction operation add has the wrong number of dimensions: Found 1 but expected 2 (must match the operand's when keepdims=True)"
    );
    assert_eq!(
        msg(&[2, 3], &[f, t], f, &[3]).unwrap(),
        "operands could not be broadcast together with remapped shapes [original->remapped]: (3,)->(3,newaxis) (2,3) "
    );
    assert_eq!(
        msg(&[2, 3], &[t, f], f, &[4]).unwrap(),
        "operands could not be broadcast together with remapped shapes [original->remapped]: (4,)->(4) (2,3) "
    );
    assert_eq!(
        msg(&[2, 3, 4], &[f, t, f], f, &[1, 5]).unwrap(),
        "operands could not be broadcast together with remapped shapes [original->remapped]: (1,5)->(1,newaxis,5) (2,3,4) "
    );
    assert_eq!(
        msg(&[2, 3, 4], &[f, t, f], t, &[2, 1, 5]).unwrap(),
        "operands could not be broadcast together with remapped shapes [original->remapped]: (2,1,5)->(2,1,5) (2,3,4) "
    );
    let needs = |d: usize| {
        format!(
            "output operand requires a reduction along dimension {d}, but the reduction is not enabled. The dimension size of 1 does not match the expected output shape."
        )
    };
    assert_eq!(msg(&[2, 3, 4], &[t, f, f], f, &[1, 4]).unwrap(), needs(0));
    assert_eq!(msg(&[2, 3, 4], &[t, f, f], f, &[3, 1]).unwrap(), needs(1));
    assert_eq!(msg(&[2, 3, 4], &[f, f, t], f, &[1, 1]).unwrap(), needs(1));
    assert_eq!(msg(&[2, 3, 4], &[f, t, f], t, &[1, 1, 1]).unwrap(), needs(2));
    assert_eq!(msg(&[2, 3, 4], &[t, t, f], t, &[2, 3, 1]).unwrap(), needs(2));
    assert_eq!(msg(&[0, 3], &[f, t], f, &[1]).unwrap(), needs(0));
    let set_up = |k: usize, n: usize| {
        format!("operand was set up as a reduction along axis {k}, but the length of the axis is {n} (it has to be 1)")
    };
    assert_eq!(msg(&[2, 3, 4], &[f, t, f], t, &[1, 3, 4]).unwrap(), set_up(1, 3));
    assert_eq!(msg(&[2, 3, 4], &[f, t, t], t, &[2, 3, 4]).unwrap(), set_up(2, 4));
    assert_eq!(msg(&[2, 0], &[f, t], t, &[2, 0]).unwrap(), set_up(1, 0));
    assert_eq!(
        msg(&[1, 3], &[f, t], f, &[4]).unwrap(),
        "non-broadcastable operand with shape (1,3) doesn't match the broadcast shape (4,3)"
    );
    assert_eq!(
        msg(&[1, 3], &[f, t], f, &[0]).unwrap(),
        "non-broadcastable operand with shape (1,3) doesn't match the broadcast shape (0,3)"
    );
}
