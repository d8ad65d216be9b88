"""round / around / ndarray.round / round(scalar, n) against NumPy: every dtype and byte
order, layouts, positive and negative decimals, out=, 0-d results, warnings and errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rawarray as ra
from strategies import arrays
from ufunc_helpers import assert_values


def outcome(fn):
    """(result, exception type name, sorted (category, message) of the warnings)."""
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            r, exc = fn(), None
        except (TypeError, ValueError, OverflowError) as e:
            r, exc = None, next(t for t in (OverflowError, TypeError, ValueError) if isinstance(e, t)).__name__
    return r, exc, sorted((x.category.__name__, str(x.message)) for x in w)


@given(n=arrays(), decimals=st.integers(-25, 25))
def test_round_matches_numpy(n, decimals):
    want, nexc, nwarn = outcome(lambda: np.round(n, decimals))
    got, rexc, rwarn = outcome(lambda: ra.round(ra.asarray(n), decimals))
    assert rexc == nexc
    if nexc is None:
        assert_values(got, want)
        assert rwarn == nwarn


@given(n=arrays(shape=st.just((2, 3))), decimals=st.integers(-3, 3),
       out_code=st.sampled_from(["f8", "f4", ">f8", "i4", "c16", "?"]))
def test_round_into_out(n, decimals, out_code):
    out_n = np.zeros((2, 3), dtype=out_code)
    out_r = ra.asarray(out_n.copy())
    want, nexc, _ = outcome(lambda: np.round(n, decimals, out=out_n))
    got, rexc, _ = outcome(lambda: ra.asarray(n).round(decimals, out=out_r))
    assert rexc == nexc
    if nexc is None:
        assert got is out_r and want is out_n
        assert_values(out_r, out_n)


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.round(2.675, 2),
        lambda m: m.around(m.asarray([2.675, 0.285, 1.005]), 2),
        lambda m: m.round(3),
        lambda m: m.round([1.25, 2.5], 1),
        lambda m: m.asarray(2.5).round(),
        lambda m: m.asarray([12, 37]).round(-1),
        lambda m: m.round(m.asarray([255, 5, 250, 245], dtype="uint8"), -1),
        lambda m: m.round(m.asarray([True, False])),
        lambda m: m.round(m.asarray([1.5]), m.int64(0)),
        lambda m: round(m.float64(2.675), 2),
        lambda m: round(m.float32(2.675), 2),
        lambda m: round(m.int64(1234), -2),
        lambda m: round(m.uint8(250), -1),
        lambda m: round(m.float64(-0.5), 0),
    ],
)
def test_round_cases_match_numpy(call):
    want, nexc, nwarn = outcome(lambda: call(np))
    got, rexc, rwarn = outcome(lambda: call(ra))
    assert (rexc, rwarn) == (nexc, nwarn)
    assert_values(got, want)


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.round(m.asarray([True]), 1),
        lambda m: m.round(m.asarray([1.5]), 1.5),
        lambda m: m.round(m.asarray([1.26, 2.5]), 1, out=m.zeros(2, dtype="int32")),
    ],
)
def test_round_errors_match_numpy(call):
    assert outcome(lambda: call(ra))[1:] == outcome(lambda: call(np))[1:]


def test_builtin_round_without_digits_gives_python_int():
    for m in (np, ra):
        r = round(m.float64(2.5))
        assert type(r) is int and r == 2


@given(n=arrays(), zero_d_scalar=st.booleans())
def test_fix_and_infinity_tests_match_numpy(n, zero_d_scalar):
    """`fix` rounds toward zero keeping integer dtypes (`-0.5` gives `-0.0`), and
    `isposinf`/`isneginf` refuse complex input with NumPy's TypeError; 0-d input gives
    scalars. Compared with NumPy over every dtype, byte order and layout the strategy draws."""
    arg_n = n[()] if zero_d_scalar and n.ndim == 0 else n
    arg_r = ra.asarray(n)[()] if zero_d_scalar and n.ndim == 0 else ra.asarray(n)
    for name in ("fix", "isposinf", "isneginf"):
        want, nexc, nwarn = outcome(lambda: getattr(np, name)(arg_n))
        got, rexc, rwarn = outcome(lambda: getattr(ra, name)(arg_r))
        assert rexc == nexc, name
        if nexc is None:
            assert type(got).__name__ == type(want).__name__, name
            assert_values(got, want)
            assert rwarn == nwarn


@pytest.mark.parametrize("name", ["fix", "isposinf", "isneginf"])
def test_fix_and_infinity_tests_write_out(name):
    x = np.array([[1.5, -np.inf], [-0.5, np.inf]])
    out_n = np.empty_like(x, dtype="f8" if name == "fix" else "?")
    out_r = ra.asarray(out_n.copy())
    assert getattr(ra, name)(ra.asarray(x), out=out_r) is out_r
    getattr(np, name)(x, out=out_n)
    assert_values(out_r, out_n)
