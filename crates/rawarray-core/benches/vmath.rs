//! The vmath kernels at 10^7 elements: the scalar `std` loop, one thread, and two threads
//! (split with `parallel::map_ranges`, `Cost::Compute`, as the ufunc loops do).
//!
//! `cargo bench -p rawarray-core --bench vmath`; NumPy's times for the same inputs come from
//! `python -c "import numpy as np, timeit; ..."` (see the vmath module's report).

use criterion::{criterion_group, criterion_main, Criterion};
use rawarray_core::fpe::FpFlags;
use rawarray_core::kernels::vmath;
use rawarray_core::parallel::{map_ranges, Cost};
use std::hint::black_box;
use std::time::Duration;

const N: usize = 10_000_000;

/// Runs `kernel` over `xs` into `ys` split across the pool.
fn split<T: Copy + Send + Sync>(kernel: fn(&[T], &mut [T]) -> FpFlags, xs: &[T], ys: &mut [T]) {
    let out = ys.as_mut_ptr() as usize;
    map_ranges(xs.len(), 64, Cost::Compute, |a, b| {
        // SAFETY: `map_ranges` hands out disjoint ranges of `0..len`, and `ys` outlives the
        // call, so each task has the only reference to `ys[a..b]`.
        let d = unsafe { std::slice::from_raw_parts_mut((out as *mut T).add(a), b - a) };
        kernel(&xs[a..b], d)
    });
}

macro_rules! bench_fn {
    ($c:expr, $t:ty, $name:literal, $kernel:path, $reference:expr, $lo:expr, $hi:expr) => {{
        let xs: Vec<$t> = (0..N).map(|i| $lo + ($hi - $lo) * ((i * 7919) % N) as $t / N as $t).collect();
        let mut ys = vec![0.0 as $t; N];
        let mut g = $c.benchmark_group(concat!($name, "_", stringify!($t)));
        g.sample_size(10).warm_up_time(Duration::from_millis(500));
        g.measurement_time(Duration::from_secs(2));
        g.bench_function("std", |b| {
            b.iter(|| {
                for (y, x) in ys.iter_mut().zip(&xs) {
                    *y = $reference(*x);
                }
                black_box(&ys);
            })
        });
        g.bench_function("vmath_1_thread", |b| b.iter(|| black_box($kernel(&xs, &mut ys))));
        g.bench_function("vmath_2_threads", |b| b.iter(|| split($kernel, &xs, &mut ys)));
        g.finish();
    }};
}

fn vmath_benches(c: &mut Criterion) {
    bench_fn!(c, f64, "exp", vmath::exp_f64_slice, f64::exp, -50.0, 50.0);
    bench_fn!(c, f64, "log", vmath::log_f64_slice, f64::ln, 0.001, 1000.0);
    bench_fn!(c, f64, "sin", vmath::sin_f64_slice, f64::sin, -100.0, 100.0);
    bench_fn!(c, f64, "cos", vmath::cos_f64_slice, f64::cos, -100.0, 100.0);
    bench_fn!(c, f64, "sqrt", vmath::sqrt_f64_slice, f64::sqrt, 0.0, 1000.0);
    bench_fn!(c, f32, "exp", vmath::exp_f32_slice, f32::exp, -50.0, 50.0);
    bench_fn!(c, f32, "log", vmath::log_f32_slice, f32::ln, 0.001, 1000.0);
    bench_fn!(c, f32, "sin", vmath::sin_f32_slice, f32::sin, -100.0, 100.0);
    bench_fn!(c, f32, "cos", vmath::cos_f32_slice, f32::cos, -100.0, 100.0);
    bench_fn!(c, f32, "sqrt", vmath::sqrt_f32_slice, f32::sqrt, 0.0, 1000.0);
}

criterion_group!(benches, vmath_benches);
criterion_main!(benches);
