"""RuntimeWarnings of casts against NumPy 2: "invalid value encountered in cast" for NaN,
infinities and out-of-range floats made integers, "overflow encountered in cast" for finite
values that become infinite in a narrower float, "underflow ..." under errstate, wherever a
cast happens (astype, assignment, array(..., dtype=), copyto, put, take(out=), ufunc input
and output casts, Python numbers meeting a narrower array, scalar constructors), and the
errstate actions applied to them.

NumPy's SIMD float -> uint32 loop raises its flags on other values than its scalar loop
(and gives other results); rawarray follows the scalar loop, so uint32 targets are compared
on arrays of at most three elements, which NumPy runs through the scalar loop."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rawarray as ra
from ufunc_helpers import run, to_np

SPECIAL = [
    np.nan, np.inf, -np.inf, 0.0, -0.0, -1.0, 0.5, 127.5, 255.0, 300.0, 65504.0, 65519.0, 65520.0,
    2.0**31 - 1, 2.0**31, -(2.0**31), -(2.0**31) - 1, 2.0**32, 2.0**63, -(2.0**63), -1.5 * 2**63,
    2.0**64, 1.8e19, 1e20, 3.5e38, 1e300, -1e300, 1e-8, 1e-40, 1e-50, 5e-324,
]
FLOATS = ["f2", "f4", "f8", "c8", "c16", ">f8", ">f4"]
TARGETS = ["?", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8", "c8", "c16", ">i4", ">f4"]

values = st.lists(st.one_of(st.sampled_from(SPECIAL), st.floats(width=64)), min_size=1, max_size=12)


def source(lib, vals, dt, layout):
    with np.errstate(all="ignore"):
        n = np.array(vals, dtype="f8").astype(dt)
    if dt[0] == "c":
        n = n + 1j * n[::-1]
    if layout == "reversed":
        n = n[::-1]
    elif layout == "strided":
        n = np.repeat(n, 2)[::2]
    return n if lib is np else ra.asarray(n)


def same(got, want):
    g, w = to_np(got), np.asarray(want)
    assert g.dtype == w.dtype
    np.testing.assert_array_equal(g, w)


@given(values, st.sampled_from(FLOATS), st.sampled_from(TARGETS), st.sampled_from(["c", "reversed", "strided"]))
def test_astype_warns_as_numpy(vals, frm, to, layout):
    if to.lstrip("<>") == "u4":
        vals = vals[:3]
    n, r = source(np, vals, frm, layout), source(ra, vals, frm, layout)
    with np.errstate(all="warn"), ra.errstate(all="warn"):
        want, _, wt = run(lambda: n.astype(to))
        got, _, gt = run(lambda: r.astype(to))
    assert gt == wt, (vals, frm, to)
    same(got, want)


@given(st.lists(st.sampled_from(SPECIAL), min_size=1, max_size=6), st.sampled_from(TARGETS))
def test_assignment_paths_warn_as_numpy(vals, to):
    """The same cast through every path that converts values into an existing or new array."""
    if to.lstrip("<>") == "u4":
        vals = vals[:1]
    n, r = np.array(vals), ra.array(vals)
    k = len(vals)

    def paths(lib, src):
        mask = np.arange(k) % 2 == 0
        idx = np.arange(k)[::-1].copy()
        if lib is ra:
            mask, idx = ra.asarray(mask), ra.asarray(idx)

        def setslice():
            d = lib.zeros(k, to)
            d[:] = src
            return d

        def setmask():
            d = lib.zeros(k, to)
            d[mask] = src[mask]
            return d

        def setfancy():
            d = lib.zeros(k, to)
            d[idx] = src
            return d

        def copyto():
            d = lib.zeros(k, to)
            lib.copyto(d, src, casting="unsafe")
            return d

        def put():
            d = lib.zeros(k, to)
            lib.put(d, idx, src)
            return d

        def take_out():
            d = lib.zeros(k, to)
            lib.take(src, idx, out=d, mode="clip")
            return d

        return [setslice, setmask, setfancy, copyto, put, take_out,
                lambda: lib.asarray(src, dtype=to), lambda: lib.array(src, dtype=to)]

    with np.errstate(all="warn"), ra.errstate(all="warn"):
        for fr, fn in zip(paths(ra, r), paths(np, n)):
            want, wexc, wt = run(fn)
            got, gexc, gt = run(fr)
            assert (gexc, gt) == (wexc, wt), (fn, vals, to)
            if wexc is None:
                same(got, want)


@pytest.mark.parametrize("to", ["f2", "f4", "i4", "u8", "c8"])
@pytest.mark.parametrize("v", [1e300, np.nan, -np.inf, 70000.0, 2.0**63, 1e-50])
def test_python_numbers_stored_as_a_narrower_dtype(v, to):
    """Lists, `full`, `fill` and item assignment of Python floats: a value out of an
    integer's range raises as NumPy does; a float that overflows warns."""
    cases = [
        lambda lib: lib.array([v, 1.0], dtype=to),
        lambda lib: lib.full(2, v, dtype=to),
        lambda lib: lib.zeros(2, to).fill(v),
        lambda lib: lib.zeros(2, to).__setitem__(0, v),
        lambda lib: lib.zeros(2, to).__setitem__(slice(None), v),
    ]
    with np.errstate(all="warn"), ra.errstate(all="warn"):
        for case in cases:
            want, wexc, wt = run(lambda case=case: case(np))
            got, gexc, gt = run(lambda case=case: case(ra))
            assert (gexc, gt) == (wexc, wt), (v, to)
            if wexc is None and want is not None:
                same(got, want)


@pytest.mark.parametrize(
    "expr",
    [
        "lib.array([1.0], 'f2') + 70000",
        "lib.array([1.0], 'f2') - 100000",
        "lib.array([1.0], 'f2') * 65519",
        "lib.add(lib.array([1.0], 'f2'), 70000)",
        "lib.float16(1) + 70000",
        "lib.array([1.0], 'f4') + 2**200",
        "lib.array([1.0], 'f4') + 1e300",
        "lib.array([1.0], 'f8') + 2**64",
        "lib.array([1.0], 'f8') + 2**1100",
        "lib.array([1.0], 'c8') + 1e300j",
        "lib.array([1], 'u8') + 2**64",
        "lib.add(lib.array([1e300]), 0, dtype='f4', casting='unsafe')",
        "lib.add(lib.array([1e300, 1.0]), 0.0, out=lib.zeros(2, 'f4'), casting='unsafe')",
        "lib.add(lib.array([lib.nan, 1.0]), 0.0, out=lib.zeros(2, 'i4'), casting='unsafe')",
        "lib.negative(lib.array([1e300, 2.0]), out=lib.zeros(2, 'f4'), casting='unsafe')",
        "lib.array([1e300, 1.0]).sum(dtype='f4')",
        "lib.array([lib.nan, 1.0]).sum(dtype='i4')",
        "lib.array([1e300, 1.0]).cumsum(dtype='f4')",
        "lib.array([1e300, 1.0]).max(out=lib.zeros((), 'f4'))",
        "lib.float32(1e300)",
        "lib.float32(lib.float64(1e300))",
        "lib.int32(lib.float64(lib.nan))",
        "lib.int16(lib.float64(3e9))",
        "lib.uint64(lib.float64(-1e20))",
        "lib.float16(lib.float32(1e-8))",
        "lib.complex64(lib.complex128(1 + 1e300j))",
    ],
)
def test_ufunc_reduction_and_scalar_casts(expr):
    """Input casts warn "in cast", output casts under the ufunc's name, reductions' casts
    to `dtype=` "in reduce"; Python ints beyond 64 bits meet a float array as a double."""
    with np.errstate(all="warn"), ra.errstate(all="warn"):
        want, wexc, wt = run(lambda: eval(expr, {"lib": np}))
        got, gexc, gt = run(lambda: eval(expr, {"lib": ra}))
    assert (gexc, gt) == (wexc, wt), expr
    if wexc is None:
        same(got, want)


def test_errstate_governs_cast_warnings():
    a = ra.array([np.nan, 1.0])
    with ra.errstate(invalid="raise"):
        with pytest.raises(FloatingPointError, match="invalid value encountered in cast"):
            a.astype("i4")
    with ra.errstate(invalid="ignore"):
        _, _, texts = run(lambda: a.astype("i4"))
        assert texts == []
    with ra.errstate(under="warn"):
        _, _, texts = run(lambda: ra.array([1e-50]).astype("f4"))
        assert texts == ["underflow encountered in cast"]
    # The default ignores underflow, and a refused cast leaves nothing pending for the next
    # operation.
    _, _, texts = run(lambda: ra.array([1e-50]).astype("f4"))
    assert texts == []
    _, _, texts = run(lambda: ra.array([1.0]) + 1.0)
    assert texts == []


def test_large_casts_on_the_pool_report_once():
    """A cast split across the thread pool gathers the flags of every part."""
    n = np.zeros(3_000_000)
    n[-1] = np.nan
    n[10] = 1e300
    r = ra.asarray(n)
    with np.errstate(all="warn"), ra.errstate(all="warn"):
        want, _, wt = run(lambda: n.astype("f4"))
        got, _, gt = run(lambda: r.astype("f4"))
        assert gt == wt == ["overflow encountered in cast"]
        same(got, want)
        _, _, gt = run(lambda: r.astype("i8"))
        assert gt == ["invalid value encountered in cast"]


@pytest.mark.parametrize(
    "expr",
    [
        "lib.zeros(0, 'c8').astype('f8')",
        "lib.zeros(3, 'c16').astype('i2')",
        "lib.zeros(3, 'c16').astype('?')",
        "lib.zeros(3).__setitem__(slice(None), lib.zeros(3, 'c16'))",
        "lib.copyto(lib.zeros(3), lib.zeros(3, 'c16'), casting='unsafe')",
        "lib.add(lib.zeros(3, 'c16'), 1, out=lib.zeros(3), casting='unsafe')",
        "lib.add(lib.zeros(3, 'c16'), 1, dtype='f8', casting='unsafe')",
        "lib.array(lib.zeros(3, 'c16'), dtype='f8')",
        "lib.zeros(3, 'f4').__setitem__(0, lib.complex128(1 + 1j))",
    ],
)
def test_complex_to_real_casts_warn_once(expr):
    """ComplexWarning comes with the dtypes (also for an empty array, never for bool), once."""
    import warnings

    for lib in (np, ra):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            eval(expr, {"lib": lib})
        texts = [str(x.message) for x in w]
        if lib is np:
            want = texts
        else:
            assert texts == want, expr
