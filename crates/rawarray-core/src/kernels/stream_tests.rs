//! The kernels that stream large outputs give the same bytes as with plain stores: ufunc
//! loops (the small path, the general driver, in place, `out=` at unaligned offsets),
//! comparisons, the vectorised math loops, casts, copies and byte swaps, at every item size
//! and at lengths around the head, block and tail boundaries. The threshold is lowered
//! through the test hook so that small arrays stream.

use super::{set_min_bytes_for_tests, TEST_LOCK};
use crate::array::Array;
use crate::dtype::DType;
use crate::layout::Order;
use crate::ufunc::{execute, get, Casting, ExecArgs, InType, OutOrder};

/// Runs `f` once with streaming off and once with every output streamed, and returns both.
fn both<R>(f: impl Fn() -> R) -> (R, R) {
    let _serial = TEST_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    set_min_bytes_for_tests(Some(usize::MAX));
    let plain = f();
    set_min_bytes_for_tests(Some(1));
    let streamed = f();
    set_min_bytes_for_tests(None);
    (plain, streamed)
}

/// A 1-D array of `n` elements of `d` over pseudo-random bytes (finite, moderate floats for
/// float dtypes, so the math functions see ordinary values), starting `offset` bytes into a
/// fresh buffer.
fn array(d: DType, n: usize, offset: usize, seed: u64) -> Array {
    let bytes = Array::empty(DType::UINT8, &[n * d.itemsize() + offset + 64], Order::C).unwrap();
    let p = bytes.data_ptr();
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    for i in 0..bytes.size() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        // SAFETY: `i` is inside the fresh buffer.
        unsafe { *p.add(i) = (x >> 24) as u8 };
    }
    let a = Array::try_new(bytes.buffer().clone(), d, &[n], &[d.itemsize() as isize], offset).unwrap();
    if d.kind() == crate::dtype::Kind::Float || d.kind() == crate::dtype::Kind::Complex {
        // Replace the random bit patterns by values in (0.5, 8.5) or so: the same on every run.
        let ints = a.astype(DType::UINT8, Order::C).unwrap();
        let f = ints.astype(d, Order::C).unwrap();
        let scaled = call("multiply", &[&f, &full(d, 1.0 / 32.0)], None);
        let shifted = call("add", &[&scaled, &full(d, 0.5)], None);
        a.assign(&shifted).unwrap();
    }
    a
}

fn full(d: DType, v: f64) -> Array {
    Array::full(d, &[], Order::C, &crate::scalar::Scalar::Float(v)).unwrap()
}

fn call(name: &str, ins: &[&Array], out: Option<&Array>) -> Array {
    let uf = get(name).unwrap();
    let types: Vec<InType> = ins.iter().map(|a| InType::Typed(a.dtype())).collect();
    let r = uf.resolve(&types, None, Casting::Unsafe).unwrap();
    let outs = [out];
    let (res, _) = execute(&ExecArgs {
        ufunc: uf,
        index: r.index,
        inputs: ins,
        outs: if out.is_some() { &outs[..] } else { &[] },
        mask: None,
        casting: Casting::Unsafe,
        order: OutOrder::K,
    })
    .unwrap();
    res[0].clone()
}

fn bytes(a: &Array) -> Vec<u8> {
    a.to_bytes(Order::C).unwrap()
}

const LENS: [usize; 9] = [1, 7, 31, 64, 65, 200, 257, 1000, 4099];
const TYPES: [DType; 6] = [DType::INT8, DType::INT16, DType::FLOAT32, DType::FLOAT64, DType::INT64, DType::COMPLEX128];

#[test]
fn binary_ufuncs_stream_the_same_bytes() {
    for d in TYPES {
        for n in LENS {
            for off in [0, 1, d.itemsize()] {
                let a = array(d, n, off, 1);
                let b = array(d, n, 0, 2);
                for name in ["add", "multiply", "less", "equal"] {
                    let (x, y) = both(|| bytes(&call(name, &[&a, &b], None)));
                    assert_eq!(x, y, "{name} {d:?} n {n} offset {off}");
                }
                let s = full(d, 3.0);
                let (x, y) = both(|| bytes(&call("multiply", &[&a, &s], None)));
                assert_eq!(x, y, "a * 3 {d:?} n {n}");
            }
        }
    }
}

#[test]
fn outputs_at_unaligned_offsets_and_in_place() {
    for d in TYPES {
        for n in LENS {
            // `out=` starting at every offset within a line (unaligned to the item too).
            for off in [0usize, 1, 3, 8, 24, 40, 63] {
                let a = array(d, n, 0, 3);
                let b = array(d, n, 0, 4);
                let (x, y) = both(|| {
                    let out = array(d, n, off, 5);
                    call("add", &[&a, &b], Some(&out));
                    bytes(&out)
                });
                assert_eq!(x, y, "out= {d:?} n {n} offset {off}");
            }
            // In place: `out` is the first input.
            let (x, y) = both(|| {
                let a = array(d, n, 8, 6);
                let b = array(d, n, 0, 7);
                call("subtract", &[&a, &b], Some(&a));
                bytes(&a)
            });
            assert_eq!(x, y, "in place {d:?} n {n}");
        }
    }
}

#[test]
fn the_general_driver_streams_the_same_bytes() {
    // A (3, n) + (n,) broadcast goes through the strided driver, not the small path.
    for d in TYPES {
        for n in [5usize, 64, 333, 2050] {
            let a = array(d, 3 * n, 0, 8).reshape(&[3, n as isize], Order::C).unwrap().0;
            let b = array(d, n, 0, 9);
            let (x, y) = both(|| bytes(&call("add", &[&a, &b], None)));
            assert_eq!(x, y, "broadcast add {d:?} n {n}");
            let (x, y) = both(|| bytes(&call("greater", &[&a, &b], None)));
            assert_eq!(x, y, "broadcast greater {d:?} n {n}");
        }
    }
}

#[test]
fn math_loops_stream_the_same_bytes() {
    for d in [DType::FLOAT32, DType::FLOAT64] {
        for n in LENS.iter().copied().chain([2048, 2049, 5000]) {
            for off in [0, d.itemsize(), 3 * d.itemsize()] {
                let a = array(d, n, off, 10);
                for name in ["sqrt", "exp", "log", "sin", "cos", "negative"] {
                    let (x, y) = both(|| bytes(&call(name, &[&a], None)));
                    assert_eq!(x, y, "{name} {d:?} n {n} offset {off}");
                }
                // In place (the vectorised kernels' own in-place case).
                let (x, y) = both(|| {
                    let c = a.copy(Order::C).unwrap();
                    call("exp", &[&c], Some(&c));
                    bytes(&c)
                });
                assert_eq!(x, y, "exp in place {d:?} n {n}");
            }
        }
    }
}

#[test]
fn casts_copies_and_swaps_stream_the_same_bytes() {
    let all = [
        DType::BOOL,
        DType::INT8,
        DType::UINT16,
        DType::INT32,
        DType::FLOAT32,
        DType::INT64,
        DType::FLOAT64,
        DType::COMPLEX64,
        DType::COMPLEX128,
    ];
    for from in all {
        for n in LENS {
            for off in [0, 1, from.itemsize()] {
                let a = array(from, n, off, 11);
                for to in all {
                    let (x, y) = both(|| bytes(&a.astype(to, Order::C).unwrap()));
                    assert_eq!(x, y, "astype {from:?} -> {to:?} n {n} offset {off}");
                }
                let (x, y) = both(|| bytes(&a.copy(Order::C).unwrap()));
                assert_eq!(x, y, "copy {from:?} n {n} offset {off}");
                let (x, y) = both(|| bytes(&a.byteswap(false).unwrap().unwrap()));
                assert_eq!(x, y, "byteswap {from:?} n {n} offset {off}");
                let (x, y) = both(|| bytes(&a));
                assert_eq!(x, y, "tobytes {from:?} n {n} offset {off}");
            }
        }
    }
}

#[test]
fn threshold_boundary() {
    let _serial = TEST_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    // c = a + b over 1000 doubles touches 24000 bytes.
    set_min_bytes_for_tests(Some(24_000));
    assert_eq!(super::should_stream(24_000), super::available());
    set_min_bytes_for_tests(Some(24_001));
    assert!(!super::should_stream(24_000));
    set_min_bytes_for_tests(None);
}
