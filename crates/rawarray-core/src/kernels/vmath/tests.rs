//! Tests of the vmath kernels: special values, flags, in-place and tail handling, and
//! accuracy against references (f32 against the f64 `std` function, f64 against glibc
//! through `std`), for the dispatched kernels and for both the FMA and non-FMA lane code.

use proptest::prelude::*;

use super::*;

/// The error of `y` in f32 ulps of the exact value `exact` (an f64 reference).
fn ulp_err32(y: f32, exact: f64) -> f64 {
    if exact.is_nan() {
        return if y.is_nan() { 0.0 } else { f64::INFINITY };
    }
    let r = exact as f32;
    if r.is_infinite() || y.is_infinite() {
        return if y == r { 0.0 } else { f64::INFINITY };
    }
    let a = r.abs();
    let ulp = f64::from(f32::from_bits(a.to_bits() + 1)) - f64::from(a);
    // Below a power of two, the spacing is half as big.
    let ulp = if exact.abs() < f64::from(a) && a.to_bits() & 0x007f_ffff == 0 && a != 0.0 { ulp / 2.0 } else { ulp };
    (f64::from(y) - exact).abs() / ulp
}

/// The difference between `y` and the reference `r` in f64 ulps of `r`.
fn ulp_diff64(y: f64, r: f64) -> f64 {
    if r.is_nan() {
        return if y.is_nan() { 0.0 } else { f64::INFINITY };
    }
    if r.is_infinite() || y.is_infinite() {
        return if y == r { 0.0 } else { f64::INFINITY };
    }
    if y == r {
        return 0.0;
    }
    let a = r.abs();
    let ulp = if a == 0.0 { f64::from_bits(1) } else { f64::from_bits(a.to_bits() + 1) - a };
    (y - r).abs() / ulp
}

type Kernel32 = fn(&[f32], &mut [f32]) -> FpFlags;
type Kernel64 = fn(&[f64], &mut [f64]) -> FpFlags;
type Run32 = Box<dyn Fn(&[f32], &mut [f32])>;
type Run64 = Box<dyn Fn(&[f64], &mut [f64])>;
/// Name, kernel, reference, and the range of the timing inputs.
type Case32 = (&'static str, Kernel32, fn(f32) -> f32, f32, f32);
type Case64 = (&'static str, Kernel64, fn(f64) -> f64, f64, f64);

/// Runs lane code over slices the way the kernels do (without dispatch).
fn run_lanes<T: Copy>(
    src: &[T],
    dst: &mut [T],
    lane: impl Fn(T) -> T,
    flags: impl Fn(T, T) -> u32,
    fixup: impl Fn(&mut [T]),
) {
    // SAFETY: two valid slices of equal length.
    unsafe { drive(src.as_ptr(), dst.as_mut_ptr(), src.len(), lane, flags, fixup) };
}

/// Lane code with FMA off and on.
fn variants32(name: &str) -> [Run32; 2] {
    match name {
        "exp" => [
            Box::new(|s, d| run_lanes(s, d, exp::exp_f32::<false>, exp_flags32, no_fixup)),
            Box::new(|s, d| run_lanes(s, d, exp::exp_f32::<true>, exp_flags32, no_fixup)),
        ],
        "log" => [
            Box::new(|s, d| run_lanes(s, d, log::log_f32::<false>, log_flags32, no_fixup)),
            Box::new(|s, d| run_lanes(s, d, log::log_f32::<true>, log_flags32, no_fixup)),
        ],
        "sin" => [
            Box::new(|s, d| run_lanes(s, d, trig::sin_f32::<false>, trig::flags32, trig::fixup_f32::<false>)),
            Box::new(|s, d| run_lanes(s, d, trig::sin_f32::<true>, trig::flags32, trig::fixup_f32::<false>)),
        ],
        "cos" => [
            Box::new(|s, d| run_lanes(s, d, trig::cos_f32::<false>, trig::flags32, trig::fixup_f32::<true>)),
            Box::new(|s, d| run_lanes(s, d, trig::cos_f32::<true>, trig::flags32, trig::fixup_f32::<true>)),
        ],
        _ => unreachable!(),
    }
}

fn variants64(name: &str) -> [Run64; 2] {
    match name {
        "exp" => [
            Box::new(|s, d| run_lanes(s, d, exp::exp_f64::<false>, exp_flags64, no_fixup)),
            Box::new(|s, d| run_lanes(s, d, exp::exp_f64::<true>, exp_flags64, no_fixup)),
        ],
        "log" => [
            Box::new(|s, d| run_lanes(s, d, log::log_f64::<false>, log_flags64, no_fixup)),
            Box::new(|s, d| run_lanes(s, d, log::log_f64::<true>, log_flags64, no_fixup)),
        ],
        "sin" => [
            Box::new(|s, d| run_lanes(s, d, trig::sin_f64::<false>, trig::flags64, trig::fixup_f64::<false>)),
            Box::new(|s, d| run_lanes(s, d, trig::sin_f64::<true>, trig::flags64, trig::fixup_f64::<false>)),
        ],
        "cos" => [
            Box::new(|s, d| run_lanes(s, d, trig::cos_f64::<false>, trig::flags64, trig::fixup_f64::<true>)),
            Box::new(|s, d| run_lanes(s, d, trig::cos_f64::<true>, trig::flags64, trig::fixup_f64::<true>)),
        ],
        _ => unreachable!(),
    }
}

const FUNCS: [&str; 4] = ["exp", "log", "sin", "cos"];

fn kernel32(name: &str) -> (Kernel32, fn(f64) -> f64) {
    match name {
        "exp" => (exp_f32_slice, f64::exp),
        "log" => (log_f32_slice, f64::ln),
        "sin" => (sin_f32_slice, f64::sin),
        "cos" => (cos_f32_slice, f64::cos),
        _ => unreachable!(),
    }
}

fn kernel64(name: &str) -> (Kernel64, fn(f64) -> f64) {
    match name {
        "exp" => (exp_f64_slice, f64::exp),
        "log" => (log_f64_slice, f64::ln),
        "sin" => (sin_f64_slice, f64::sin),
        "cos" => (cos_f64_slice, f64::cos),
        _ => unreachable!(),
    }
}

/// Max f32 ulp error of the dispatched kernel and both lane variants over `xs`, with the
/// worst input. `fma_variant: false` skips the FMA lane code run outside a dispatched clone
/// (there every `mul_add` is a libm call, far too slow for 2^32 inputs; on an FMA machine
/// the dispatched kernel runs the same lane code anyway).
fn max_err32(name: &str, xs: &[f32], fma_variant: bool) -> [(f64, f32); 3] {
    let (k, reference) = kernel32(name);
    let exact: Vec<f64> = xs.iter().map(|&x| reference(f64::from(x))).collect();
    let mut y = vec![0.0f32; xs.len()];
    let mut out = [(0.0, 0.0); 3];
    let [v0, v1] = variants32(name);
    for (slot, run) in out
        .iter_mut()
        .zip([
            &(move |s: &[f32], d: &mut [f32]| {
                k(s, d);
            }) as &dyn Fn(&[f32], &mut [f32]),
            &*v0,
            &*v1,
        ])
        .take(if fma_variant { 3 } else { 2 })
    {
        run(xs, &mut y);
        for ((&x, &v), &e) in xs.iter().zip(&y).zip(&exact) {
            let e = ulp_err32(v, e);
            if e > slot.0 {
                *slot = (e, x);
            }
        }
    }
    out
}

fn max_err64(name: &str, xs: &[f64]) -> [(f64, f64); 3] {
    let (k, reference) = kernel64(name);
    let mut y = vec![0.0f64; xs.len()];
    let mut out = [(0.0, 0.0); 3];
    let [v0, v1] = variants64(name);
    for (slot, run) in out.iter_mut().zip([
        &(move |s: &[f64], d: &mut [f64]| {
            k(s, d);
        }) as &dyn Fn(&[f64], &mut [f64]),
        &*v0,
        &*v1,
    ]) {
        run(xs, &mut y);
        for (&x, &v) in xs.iter().zip(&y) {
            let e = ulp_diff64(v, reference(x));
            if e > slot.0 {
                *slot = (e, x);
            }
        }
    }
    out
}

/// Every `stride`-th f32 bit pattern (both signs), plus a few edges.
fn f32_sweep(stride: u32) -> Vec<f32> {
    let mut xs: Vec<f32> = (0..=u32::MAX / stride).map(|i| f32::from_bits(i * stride)).collect();
    xs.extend([0.0, -0.0, f32::INFINITY, f32::NEG_INFINITY, f32::NAN, f32::MIN_POSITIVE]);
    xs.extend([f32::from_bits(1), f32::MAX, f32::MIN, 88.72283, 88.72284, -103.97208, -87.33654]);
    xs
}

/// A deterministic f64 sample: random bit patterns, random values in the functions'
/// interesting ranges, near multiples of pi/2 and edges.
fn f64_sample(n: usize) -> Vec<f64> {
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut xs = Vec::with_capacity(4 * n + 32);
    for _ in 0..n {
        xs.push(f64::from_bits(next()));
        let u = (next() >> 11) as f64 / (1u64 << 53) as f64;
        xs.push((u - 0.5) * 1500.0);
        xs.push((u - 0.5) * 20.0);
        let k = (next() % 1_000_000) as f64;
        xs.push(k * std::f64::consts::FRAC_PI_2 * (1.0 + ((next() % 5) as f64 - 2.0) * 1e-16));
    }
    xs.extend([0.0, -0.0, f64::INFINITY, f64::NEG_INFINITY, f64::NAN, f64::MIN_POSITIVE]);
    xs.extend([f64::from_bits(1), f64::MAX, f64::MIN, 709.782712893384, 709.7827128933841]);
    xs.extend([-708.3964185322641, -745.1332191019411, -745.1332191019412, 1e-300, 1e300]);
    xs
}

#[test]
fn special_values() {
    let inf = f64::INFINITY;
    let mut y = [0.0; 6];
    let f = exp_f64_slice(&[inf, -inf, f64::NAN, 710.0, -746.0, -0.0], &mut y);
    assert_eq!(y[..2], [inf, 0.0]);
    assert!(y[2].is_nan());
    assert_eq!(y[3], inf);
    assert_eq!(y[4], 0.0);
    assert_eq!(y[5], 1.0);
    assert_eq!(f, FpFlags { overflow: true, underflow: true, ..FpFlags::default() });

    let f = log_f64_slice(&[0.0, -0.0, -1.0, -inf, inf, f64::NAN], &mut y);
    assert_eq!(y[..2], [-inf, -inf]);
    assert!(y[2].is_nan() && y[3].is_nan() && y[5].is_nan());
    assert_eq!(y[4], inf);
    assert_eq!(f, FpFlags { divide: true, invalid: true, ..FpFlags::default() });

    let f = sin_f64_slice(&[-0.0, inf, -inf, f64::NAN, 1e300, 0.0], &mut y);
    assert!(y[0] == 0.0 && y[0].is_sign_negative());
    assert!(y[1].is_nan() && y[2].is_nan() && y[3].is_nan());
    assert_eq!(y[4], 1e300f64.sin());
    assert!(y[5] == 0.0 && y[5].is_sign_positive());
    assert_eq!(f, FpFlags { invalid: true, ..FpFlags::default() });
    let f = cos_f64_slice(&[-0.0, 0.0, 1e22, f64::NAN, 3.0, 4.0], &mut y);
    assert_eq!(y[..3], [1.0, 1.0, 1e22f64.cos()]);
    assert_eq!(f, FpFlags::default());

    let f = sqrt_f64_slice(&[-0.0, -1.0, inf, 4.0, 0.0, 2.0], &mut y);
    assert!(y[0] == 0.0 && y[0].is_sign_negative() && y[1].is_nan());
    assert_eq!(y[2..5], [inf, 2.0, 0.0]);
    assert_eq!(f, FpFlags { invalid: true, ..FpFlags::default() });

    let inf = f32::INFINITY;
    let mut z = [0.0f32; 6];
    let f = exp_f32_slice(&[inf, -inf, f32::NAN, 89.0, -104.0, -0.0], &mut z);
    assert_eq!(z[..2], [inf, 0.0]);
    assert_eq!(z[3..], [inf, 0.0, 1.0]);
    assert!(z[2].is_nan());
    assert_eq!(f, FpFlags { overflow: true, underflow: true, ..FpFlags::default() });
    let f = log_f32_slice(&[0.0, -0.0, -1.0, -inf, inf, f32::from_bits(1)], &mut z);
    assert_eq!(z[..2], [-inf, -inf]);
    assert!(z[2].is_nan() && z[3].is_nan());
    assert_eq!(z[4], inf);
    assert_eq!(z[5], (f64::from(f32::from_bits(1)).ln()) as f32);
    assert_eq!(f, FpFlags { divide: true, invalid: true, ..FpFlags::default() });
    let f = sin_f32_slice(&[-0.0, inf, 1e30, f32::NAN, 0.0, 1.0], &mut z);
    assert!(z[0] == 0.0 && z[0].is_sign_negative() && z[1].is_nan() && z[3].is_nan());
    assert_eq!(z[2], f64::from(1e30f32).sin() as f32);
    assert_eq!(f, FpFlags { invalid: true, ..FpFlags::default() });
    let f = cos_f32_slice(&[-inf, 0.0, 1e30, 2.0, 3.0, 4.0], &mut z);
    assert!(z[0].is_nan());
    assert_eq!(z[1], 1.0);
    assert_eq!(f, FpFlags { invalid: true, ..FpFlags::default() });
    let f = sqrt_f32_slice(&[-0.0, -1.0, inf, 4.0, 0.0, 2.0], &mut z);
    assert!(z[1].is_nan());
    assert_eq!(z[3], 2.0);
    assert_eq!(f, FpFlags { invalid: true, ..FpFlags::default() });
}

#[test]
fn no_flags_for_ordinary_inputs_or_nan() {
    let xs: Vec<f64> = (0..100).map(|i| f64::from(i) * 0.37 + 0.01).chain([f64::NAN]).collect();
    let mut y = vec![0.0; xs.len()];
    for name in FUNCS {
        assert_eq!(kernel64(name).0(&xs, &mut y), FpFlags::default(), "{name}");
    }
    let xs: Vec<f32> = xs.iter().map(|&x| x as f32).collect();
    let mut y = vec![0.0; xs.len()];
    for name in FUNCS {
        assert_eq!(kernel32(name).0(&xs, &mut y), FpFlags::default(), "{name}");
    }
}

#[test]
fn in_place_and_every_tail_length() {
    for n in 0..40 {
        let xs: Vec<f64> = (0..n).map(|i| f64::from(i) * 0.7 - 9.0).collect();
        let mut expect = vec![0.0; n as usize];
        exp_f64_slice(&xs, &mut expect);
        let mut buf = xs.clone();
        // SAFETY: `buf` is a valid vector; in place is allowed.
        unsafe { exp_f64(buf.as_ptr(), buf.as_mut_ptr(), buf.len()) };
        assert_eq!(buf, expect);
        for (x, e) in xs.iter().zip(&expect) {
            assert!(ulp_diff64(*e, x.exp()) <= 1.0);
        }
        let xs: Vec<f32> = xs.iter().map(|&x| x as f32).collect();
        let mut buf = xs.clone();
        // SAFETY: as above.
        unsafe { sin_f32(buf.as_ptr(), buf.as_mut_ptr(), buf.len()) };
        for (x, v) in xs.iter().zip(&buf) {
            assert!(ulp_err32(*v, f64::from(*x).sin()) <= 1.5);
        }
    }
}

/// Every tail length and every lane position of a special input (the AVX-512 loops use a
/// masked tail with filler lanes, which must give neither results nor flags): the values of
/// the dispatched kernel within the bound of glibc, the special results exact, and the
/// flags exactly those of the special lane.
#[test]
fn special_lane_in_every_position_and_tail() {
    type Case = (Kernel64, fn(f64) -> f64, f64, FpFlags);
    let cases: [Case; 4] = [
        (exp_f64_slice, f64::exp, 710.0, FpFlags { overflow: true, ..FpFlags::default() }),
        (exp_f64_slice, f64::exp, -746.0, FpFlags { underflow: true, ..FpFlags::default() }),
        (log_f64_slice, f64::ln, 0.0, FpFlags { divide: true, ..FpFlags::default() }),
        (log_f64_slice, f64::ln, -2.0, FpFlags { invalid: true, ..FpFlags::default() }),
    ];
    for (k, reference, special, want) in cases {
        for n in 1..40usize {
            for p in 0..n {
                let mut xs: Vec<f64> = (0..n).map(|i| i as f64 * 0.31 + 0.05).collect();
                xs[p] = special;
                let mut y = vec![0.0; n];
                assert_eq!(k(&xs, &mut y), want, "n {n} position {p}");
                for (x, v) in xs.iter().zip(&y) {
                    assert!(ulp_diff64(*v, reference(*x)) <= BOUND64, "n {n} position {p}: {x}");
                }
                let mut buf = xs.clone();
                // SAFETY: in place on a valid vector is allowed.
                let f = unsafe {
                    if !(-700.0..=700.0).contains(&special) {
                        exp_f64(buf.as_ptr(), buf.as_mut_ptr(), n)
                    } else {
                        log_f64(buf.as_ptr(), buf.as_mut_ptr(), n)
                    }
                };
                assert_eq!(f, want);
                assert_eq!(
                    buf.iter().map(|v| v.to_bits()).collect::<Vec<_>>(),
                    y.iter().map(|v| v.to_bits()).collect::<Vec<_>>()
                );
            }
        }
    }
    for (special, want) in [
        (0.0f32, FpFlags { divide: true, ..FpFlags::default() }),
        (-2.0, FpFlags { invalid: true, ..FpFlags::default() }),
    ] {
        for n in 1..40usize {
            for p in 0..n {
                let mut xs: Vec<f32> = (0..n).map(|i| i as f32 * 0.31 + 0.05).collect();
                xs[p] = special;
                let mut y = vec![0.0f32; n];
                assert_eq!(log_f32_slice(&xs, &mut y), want, "n {n} position {p}");
                for (x, v) in xs.iter().zip(&y) {
                    assert!(ulp_err32(*v, f64::from(*x).ln()) <= BOUND32, "n {n} position {p}: {x}");
                }
            }
        }
    }
}

/// The accuracy bounds the docs promise, on a strided sweep of all f32 (every 4099th bit
/// pattern) for the dispatched kernel and both lane variants.
#[test]
fn f32_accuracy_sweep() {
    let xs = f32_sweep(4099);
    for name in FUNCS {
        let errs = max_err32(name, &xs, true);
        for (variant, (e, x)) in ["dispatched", "no fma", "fma"].iter().zip(errs) {
            assert!(e <= BOUND32, "{name} f32 {variant}: {e} ulp at {x:e}");
        }
    }
}

/// The f64 kernels against glibc on a deterministic sample.
#[test]
fn f64_accuracy_sample() {
    let xs = f64_sample(20_000);
    for name in FUNCS {
        let errs = max_err64(name, &xs);
        for (variant, (e, x)) in ["dispatched", "no fma", "fma"].iter().zip(errs) {
            assert!(e <= BOUND64, "{name} f64 {variant}: {e} ulp at {x:e}");
        }
    }
}

#[test]
fn f16_conversions_match_half() {
    let all: Vec<f16> = (0..=u16::MAX).map(f16::from_bits).collect();
    let mut wide = vec![0.0f32; all.len()];
    f16_to_f32_slice(&all, &mut wide);
    for (h, w) in all.iter().zip(&wide) {
        let e = h.to_f32();
        assert!(e.to_bits() == w.to_bits() || (e.is_nan() && w.is_nan()), "{h:?}");
    }
    let xs: Vec<f32> = f32_sweep(65537).into_iter().chain(wide.iter().copied()).collect();
    let mut narrow = vec![f16::ZERO; xs.len()];
    f32_to_f16_slice(&xs, &mut narrow);
    for (x, h) in xs.iter().zip(&narrow) {
        let e = f16::from_f32(*x);
        assert!(e.to_bits() == h.to_bits() || (e.is_nan() && h.is_nan()), "{x:e}");
    }
}

/// Max error in f32 ulps against the correctly rounded value.
const BOUND32: f64 = 1.5;
/// Max difference in f64 ulps from glibc.
const BOUND64: f64 = 1.5;

/// Prints the max errors over every f32 and a large f64 sample (release build:
/// `cargo test -p rawarray-core --release vmath -- --ignored --nocapture`).
#[test]
#[ignore = "exhaustive: 2^32 inputs per function"]
fn exhaustive_accuracy_report() {
    // `VMATH_FUNCS=exp,log` restricts the report.
    let only = std::env::var("VMATH_FUNCS").unwrap_or_default();
    let funcs: Vec<&str> = FUNCS.into_iter().filter(|f| only.is_empty() || only.contains(f)).collect();
    for &name in &funcs {
        let mut worst = [(0.0, 0.0f32); 3];
        for start in (0..=u32::MAX).step_by(1 << 24) {
            let xs: Vec<f32> = (start..=start + ((1 << 24) - 1)).map(f32::from_bits).collect();
            for (w, e) in worst.iter_mut().zip(max_err32(name, &xs, false)) {
                if e.0 > w.0 {
                    *w = e;
                }
            }
        }
        println!("{name} f32 max ulp (dispatched, no fma): {:?}", &worst[..2]);
    }
    let xs = f64_sample(250_000);
    for &name in &funcs {
        let errs = max_err64(name, &xs);
        println!("{name} f64 max ulp diff from glibc (dispatched, no fma, fma): {errs:?}");
    }
}

proptest! {
    #[test]
    fn f64_kernels_track_std(bits in any::<u64>(), x in -800.0f64..800.0, tiny in 0u64..(1 << 53)) {
        let xs = [f64::from_bits(bits), x, f64::from_bits(tiny), -x, x * 1e3, x * 1e-3, 1.0, 2.0];
        let mut y = [0.0; 8];
        for name in FUNCS {
            let (k, reference) = kernel64(name);
            k(&xs, &mut y);
            for (&x, &v) in xs.iter().zip(&y) {
                let e = ulp_diff64(v, reference(x));
                prop_assert!(e <= BOUND64, "{} f64: {} ulp at {:e}", name, e, x);
            }
        }
    }

    #[test]
    fn f32_kernels_track_f64(bits in any::<u32>(), x in -120.0f32..120.0, tiny in 0u32..(1 << 24)) {
        let xs = [f32::from_bits(bits), x, f32::from_bits(tiny), -x, x * 1e3, x * 1e-3, 1.0, 2.0];
        let mut y = [0.0; 8];
        for name in FUNCS {
            let (k, reference) = kernel32(name);
            k(&xs, &mut y);
            for (&x, &v) in xs.iter().zip(&y) {
                let e = ulp_err32(v, reference(f64::from(x)));
                prop_assert!(e <= BOUND32, "{} f32: {} ulp at {:e}", name, e, x);
            }
        }
    }
}

/// Prints timings at 10^7 elements, 1 and 2 threads, against the scalar `std` loop
/// (`cargo test -p rawarray-core --release vmath_timings -- --ignored --nocapture`; the
/// criterion bench `benches/vmath.rs` measures the same more carefully).
#[test]
#[ignore = "timing report"]
fn vmath_timings() {
    use crate::parallel::{map_ranges, Cost};
    use std::time::Instant;
    let n = 10_000_000;
    fn best(mut f: impl FnMut()) -> f64 {
        (0..7)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1e3
            })
            .fold(f64::INFINITY, f64::min)
    }
    let inputs64: [Case64; 5] = [
        ("exp", exp_f64_slice, f64::exp, -50.0, 50.0),
        ("log", log_f64_slice, f64::ln, 0.001, 1000.0),
        ("sin", sin_f64_slice, f64::sin, -100.0, 100.0),
        ("cos", cos_f64_slice, f64::cos, -100.0, 100.0),
        ("sqrt", sqrt_f64_slice, f64::sqrt, 0.0, 1000.0),
    ];
    for (name, k, reference, lo, hi) in inputs64 {
        let xs: Vec<f64> = (0..n).map(|i| lo + (hi - lo) * ((i * 7919) % n) as f64 / n as f64).collect();
        let mut y = vec![0.0; n];
        let t_std = best(|| y.iter_mut().zip(&xs).for_each(|(y, x)| *y = reference(*x)));
        let t1 = best(|| {
            k(&xs, &mut y);
        });
        let yp = y.as_mut_ptr() as usize;
        let t2 = best(|| {
            map_ranges(n, 64, Cost::Compute, |a, b| {
                // SAFETY: disjoint ranges of `y`, which outlives the call.
                let d = unsafe { std::slice::from_raw_parts_mut((yp as *mut f64).add(a), b - a) };
                k(&xs[a..b], d)
            });
        });
        println!("f64 {name:5} std {t_std:8.2} ms   1 thread {t1:6.2} ms   2 threads {t2:6.2} ms");
    }
    let inputs32: [Case32; 5] = [
        ("exp", exp_f32_slice, f32::exp, -50.0, 50.0),
        ("log", log_f32_slice, f32::ln, 0.001, 1000.0),
        ("sin", sin_f32_slice, f32::sin, -100.0, 100.0),
        ("cos", cos_f32_slice, f32::cos, -100.0, 100.0),
        ("sqrt", sqrt_f32_slice, f32::sqrt, 0.0, 1000.0),
    ];
    for (name, k, reference, lo, hi) in inputs32 {
        let xs: Vec<f32> = (0..n).map(|i| lo + (hi - lo) * ((i * 7919) % n) as f32 / n as f32).collect();
        let mut y = vec![0.0f32; n];
        let t_std = best(|| y.iter_mut().zip(&xs).for_each(|(y, x)| *y = reference(*x)));
        let t1 = best(|| {
            k(&xs, &mut y);
        });
        let yp = y.as_mut_ptr() as usize;
        let t2 = best(|| {
            map_ranges(n, 64, Cost::Compute, |a, b| {
                // SAFETY: disjoint ranges of `y`, which outlives the call.
                let d = unsafe { std::slice::from_raw_parts_mut((yp as *mut f32).add(a), b - a) };
                k(&xs[a..b], d)
            });
        });
        println!("f32 {name:5} std {t_std:8.2} ms   1 thread {t1:6.2} ms   2 threads {t2:6.2} ms");
    }
    {
        use half::slice::HalfFloatSliceExt;
        let hs: Vec<f16> = (0..n).map(|i| f16::from_bits((i % 0x7c00) as u16)).collect();
        let mut ws = vec![0.0f32; n];
        let t_half = best(|| hs.convert_to_f32_slice(&mut ws));
        let t_ours = best(|| f16_to_f32_slice(&hs, &mut ws));
        println!("f16->f32  half (F16C) {t_half:6.2} ms   f16_to_f32_slice {t_ours:6.2} ms");
        let mut hs2 = hs.clone();
        let t_half = best(|| f32_to_f16_slice(&ws, &mut hs2));
        let t_scalar = best(|| hs2.iter_mut().zip(&ws).for_each(|(h, w)| *h = f16::from_f32(*w)));
        println!("f32->f16  half slice (F16C) {t_half:6.2} ms   per element {t_scalar:6.2} ms");
    }
}
