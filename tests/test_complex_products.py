"""Complex products (and absolute values) rounded as NumPy rounds them.

NumPy's SIMD multiply and square loops fuse one product of each part on CPUs with FMA
(`re = fma(ar, br, -(ai*bi))`, `im = fma(ar, bi, ai*br)`) for every elementwise call,
whatever the layout, while its scalar math and its reductions into one element use the
plain formula; `accumulate` runs are plain except a run of one element; `array ** 2`,
`** -1` and `** 0.5` on float and complex arrays call square, reciprocal and sqrt (and the
float loops of `power` itself take sqrt for an exponent 0.5 shared by the run). Its
SIMD absolute computes `larger * sqrt(fma(ratio, ratio, 1))` and clears the status word;
inputs with negative strides (and scalars) go to libm's `hypot`, with its flags. The inputs
are drawn where the roundings differ, so each assertion can tell them apart.
"""

from __future__ import annotations

import itertools
import random
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rawarray as ra
from ufunc_helpers import layout, run, to_np


def exactly(r, n) -> None:
    r = np.asarray(r)
    assert r.dtype == n.dtype and r.shape == n.shape, (r.dtype, n.dtype, r.shape, n.shape)
    assert r.tobytes() == n.tobytes(), (r, n)


def values(dtype: str, n: int, seed: int) -> np.ndarray:
    rng = random.Random(seed)
    # Moduli near 1, so that long products neither overflow nor underflow.
    return np.array([complex(rng.uniform(0.6, 0.8), rng.uniform(-0.8, -0.6)) for _ in range(n)], dtype=dtype)


def rounding_differs(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether NumPy's elementwise product differs from its scalar (plain) product somewhere:
    the inputs can tell the roundings apart (on a CPU with FMA)."""
    plain = np.array([x * y for x, y in zip(a.tolist(), b.tolist())], dtype=a.dtype)
    if a.dtype == np.complex64:
        plain = np.array([np.complex64(x) * np.complex64(y) for x, y in zip(a.tolist(), b.tolist())])
    return bool(np.any(a * b != plain))


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_elementwise_multiply_any_layout(dtype):
    a, b = values(dtype, 64, 1), values(dtype, 64, 2)
    ra_a, ra_b = ra.asarray(a), ra.asarray(b)
    exactly(ra_a * ra_b, a * b)
    # complex64: NumPy's loop cannot load negative input strides (plain formula there).
    exactly(ra_a[::-2] * ra_b[1::2], a[::-2] * b[1::2])
    exactly(ra_a[::-1] * ra_b[3], a[::-1] * b[3])
    exactly(ra.square(ra_a[::-1]), np.square(a[::-1]))
    out_n, out_r = np.zeros(64, dtype)[::-1], ra.zeros(64, dtype)[::-1]
    np.multiply(a, b, out=out_n)
    ra.multiply(ra_a, ra_b, out=out_r)
    exactly(out_r, out_n)
    exactly(ra_a * ra_b[5], a * b[5])
    exactly(ra_b[5] * ra_a, b[5] * a)
    exactly(ra.asarray(a[3]) * ra.asarray(b[4]), np.asarray(a[3]) * np.asarray(b[4]))
    out_n, out_r = np.zeros(128, dtype)[::2], ra.zeros(128, dtype)[::2]
    np.multiply(a, b, out=out_n)
    ra.multiply(ra_a, ra_b, out=out_r)
    exactly(out_r, out_n)
    in_n, in_r = a.copy(), ra.asarray(a.copy())
    in_n *= b
    in_r *= ra_b
    exactly(in_r, in_n)
    exactly(ra.square(ra_a), np.square(a))
    exactly(ra_a**2, a**2)
    exactly(ra.multiply.accumulate(ra_a[:2]), np.multiply.accumulate(a[:2]))


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_scalar_products_stay_plain(dtype):
    a, b = values(dtype, 32, 3), values(dtype, 32, 4)
    t = getattr(ra, dtype)
    got = [complex(t(x) * t(y)) for x, y in zip(a.tolist(), b.tolist())]
    want = [complex(getattr(np, dtype)(x) * getattr(np, dtype)(y)) for x, y in zip(a.tolist(), b.tolist())]
    assert got == want
    assert [complex(t(x) ** 2) for x in a.tolist()] == [complex(getattr(np, dtype)(x) ** 2) for x in a.tolist()]


def test_inputs_tell_the_roundings_apart():
    # Guard for the tests above: on a CPU with FMA the drawn values give different bits
    # for NumPy's loop and its scalar math (otherwise the tests above could not fail).
    a, b = values("complex128", 64, 1), values("complex128", 64, 2)
    if not rounding_differs(a, b):
        pytest.skip("NumPy's loop does not fuse on this CPU")
    assert np.any(np.asarray(ra.asarray(a) * ra.asarray(b)) != np.array([complex(ra.complex128(x) * ra.complex128(y)) for x, y in zip(a.tolist(), b.tolist())]))


@given(
    shape=st.lists(st.integers(1, 6), min_size=1, max_size=3),
    order=st.sampled_from("CF"),
    dtype=st.sampled_from(["complex64", "complex128"]),
    seed=st.integers(0, 2**16),
    data=st.data(),
)
def test_prod_and_cumprod_round_as_numpy(shape, order, dtype, seed, data):
    # prod: rows kept innermost multiply elementwise (fused), runs reduce plainly;
    # cumprod: plain, except runs of two elements.
    a = np.asarray(values(dtype, int(np.prod(shape)), seed).reshape(shape), order=order)
    axis = data.draw(st.sampled_from([None, *range(len(shape)), -1]))
    r = ra.asarray(a)
    exactly(ra.prod(r, axis=axis), np.prod(a, axis=axis))
    exactly(ra.cumprod(r, axis=axis), np.cumprod(a, axis=axis))


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "complex64", "complex128"])
@pytest.mark.parametrize("exponent", [2, -1, 0.5, 2.0, -1.0, 3])
def test_fast_scalar_powers(dtype, exponent):
    # NumPy's fast_scalar_power: exact int 2 / -1 and float 0.5 call square / reciprocal /
    # sqrt (values and warnings named after them); anything else calls power.
    base = [0.0, -4.0, 2.0, 1e300, 1e-300, 3.0]
    n = np.array(base + [complex(3, 4), complex(-1e300, 1e300)] if dtype.startswith("c") else base)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        n = n.astype(dtype)
    r = ra.asarray(n)
    results = []
    for arr, lib in ((n, np), (r, ra)):
        with warnings.catch_warnings(record=True) as w, lib.errstate(all="warn"):
            warnings.simplefilter("always")
            v = arr**exponent
        results.append((np.asarray(v), sorted({str(x.message) for x in w})))
    (got, got_w), (want, want_w) = results[1], results[0]
    assert got_w == want_w
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)
    assert np.array_equal(np.signbit(got.real), np.signbit(want.real))
    nr, rr = n.copy(), ra.asarray(n.copy())
    with np.errstate(all="ignore"), ra.errstate(all="ignore"):
        nr **= exponent
        rr **= exponent
    np.testing.assert_array_equal(np.asarray(rr), nr)


POWER_BASES = [-0.0, 0.0, -np.inf, np.inf, np.nan, -1.0, 4.0, 2.0, 1e-300]


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64"])
@pytest.mark.parametrize("exponent", ["0.5", "0-d", "float32", "one", "array", "2", "-1", "0", "1"])
@pytest.mark.parametrize("layout_name", ["plain", "reversed", "float32 out"])
def test_power_with_a_shared_exponent_of_one_half_is_sqrt(dtype, exponent, layout_name):
    # NumPy's float32/float64 power loops take the square root when the exponent has stride
    # 0 and is 0.5: power(-0.0, 0.5) is -0.0 and power(-inf, 0.5) NaN with "invalid";
    # float16's loop, and exponents that advance (an array of 0.5s), call pow (0.0, inf).
    results = []
    for lib in (np, ra):
        base = lib.array(POWER_BASES, dtype=dtype)
        if layout_name == "reversed":
            base = lib.array(POWER_BASES[::-1], dtype=dtype)[::-1]
        y = {
            "0.5": 0.5, "0-d": lib.array(0.5), "float32": lib.float32(0.5), "one": lib.array([0.5]),
            "array": lib.full(len(POWER_BASES), 0.5), "2": 2.0, "-1": lib.array(-1.0), "0": 0.0, "1": 1.0,
        }[exponent]  # fmt: skip
        with warnings.catch_warnings(record=True) as w, lib.errstate(all="warn"):
            warnings.simplefilter("always")
            if layout_name == "float32 out":
                v = lib.power(base, y, out=lib.zeros(len(POWER_BASES), "float32"), casting="unsafe")
            else:
                v = lib.power(base, y)
        results.append((np.asarray(v), sorted({str(x.message) for x in w})))
    (want, want_w), (got, got_w) = results
    assert got_w == want_w
    assert got.dtype == want.dtype
    np.testing.assert_array_equal(got, want)
    assert np.array_equal(np.signbit(got), np.signbit(want))


ABS_PARTS = [0.0, -0.0, 1e-300, 1e-310, 1e-9, 0.5, 1.0, -3.0, 6.0, 1e10, 1e300, -1e300, 1.27e308,
             np.inf, -np.inf, np.nan]  # fmt: skip


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_absolute_rounds_and_warns_as_numpy(dtype):
    rng = random.Random(11)
    z = [complex(a, b) for a in ABS_PARTS for b in ABS_PARTS]
    z += [complex(rng.uniform(-9, 9), rng.uniform(-9, 9)) for _ in range(2000)]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the casts of huge parts to complex64
        n = np.array(z).astype(dtype)
    for view in (slice(None), slice(None, None, 3), slice(None, None, -1), slice(5, 6)):
        results = []
        for lib in (np, ra):
            with warnings.catch_warnings(record=True) as w, lib.errstate(all="warn"):
                warnings.simplefilter("always")
                v = lib.absolute(lib.asarray(n[view]))
            results.append((np.asarray(v), sorted({str(x.message) for x in w})))
        (want, want_w), (got, got_w) = results
        exactly(got, want)
        assert got_w == want_w, (view, got_w, want_w)
    t, u = getattr(ra, dtype), getattr(np, dtype)
    assert [repr(float(abs(t(v)))) for v in n[-50:].tolist()] == [repr(float(abs(u(v)))) for v in n[-50:].tolist()]


BROADCASTS = [((1, 1), (1,)), ((1,), (1, 1)), ((1, 1), (1, 1)), ((1, 1), ()), ((), ()), ((1,), ()), ((2, 1), (1,)),
              ((1, 3), (3,)), ((2, 2), (2,)), ((2, 1), (1, 2))]  # fmt: skip


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("shapes", BROADCASTS)
def test_broadcast_products_round_as_numpy(dtype, shapes):
    # A single element that needs NumPy's iterator (operands of different ndim) reaches its
    # loop with zero strides, and a zero output stride runs the plain formula; 0-d operands
    # and equal shapes take its trivial loop (fused).
    sa, sb = shapes
    a = values(dtype, int(np.prod(sa)), 21).reshape(sa)
    b = values(dtype, int(np.prod(sb)), 22).reshape(sb)
    exactly(ra.asarray(a) * ra.asarray(b), a * b)


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
@pytest.mark.parametrize("shape", [(3, 4), (1, 5), (5, 1)])
def test_multiply_reduce_and_accumulate_round_as_numpy(dtype, shape):
    a = values(dtype, int(np.prod(shape)), 23).reshape(shape)
    for axis in (0, 1):
        exactly(ra.multiply.reduce(ra.asarray(a), axis=axis), np.multiply.reduce(a, axis=axis))
        exactly(ra.multiply.accumulate(ra.asarray(a), axis=axis), np.multiply.accumulate(a, axis=axis))


@pytest.mark.parametrize("dtype", [">c8", ">c16"])
@pytest.mark.parametrize("shape", [(), (1,), (1, 1), (1, 1, 1), (5,), (2, 3)])
def test_byteswapped_inputs_round_as_numpy(dtype, shape):
    # NumPy casts non-native inputs through its buffers: a single element of a 0-d or 1-d
    # iteration keeps the element size as stride (fused), one of a 2-d or 3-d iteration
    # gets zero strides (plain).
    n = int(np.prod(shape))
    a = values(dtype, n, 31).reshape(shape)
    b = values(dtype, n, 32).reshape(shape)
    ra_a, ra_b = ra.asarray(a), ra.asarray(b)
    exactly(ra_a * ra_b, a * b)
    exactly(ra.square(ra_a), np.square(a))
    exactly(ra.absolute(ra_a), np.absolute(a))





@pytest.mark.parametrize("dt", ["complex64", "complex128", ">c16"])
@pytest.mark.parametrize("shape", [(), (1,), (1, 1), (2,)])
@pytest.mark.parametrize("kind", ["plain", "unaligned"])
def test_one_element_products_with_out_take_numpys_formula(dt, shape, kind):
    """A single-element product whose `out` is an input (`a *= b`, `out=a`, `out=b`) or
    needs a cast (a byte-swapped out) reaches NumPy's loop with zero strides (plain
    formula); a fresh or matching `out` does not (fused). The values differ in the last
    bit, so each case tells the two apart."""
    x, y = (7.350209e06 + 1j, 3 + 1j) if dt == "complex64" else (1.0044087e07 + 1j, 8.96766353e08 + 1j)

    def operands(lib):
        a = np.full(shape, x, dt)
        a = layout(a, kind) if shape else a
        b = np.full(shape, y, dt)
        return (a, b) if lib is np else (ra.asarray(a), ra.asarray(b))

    def cases(lib):
        a, b = operands(lib)
        lib.multiply(a, b, out=a)
        yield a
        a, b = operands(lib)
        lib.multiply(a, b, out=b)
        yield b
        a, b = operands(lib)
        a *= b
        yield a
        for out_dt in (dt, ">c16", "complex128"):
            a, b = operands(lib)
            out = lib.empty(shape, out_dt)
            lib.multiply(a, b, out=out, casting="unsafe")
            yield out

    for got, want in zip(cases(ra), cases(np)):
        assert to_np(ra.asarray(got)).tobytes() == np.asarray(want).tobytes()
