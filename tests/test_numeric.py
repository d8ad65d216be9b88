"""isclose, allclose, count_nonzero, the type checks (isreal, iscomplex, isscalar, ...) and
nan_to_num against NumPy: dtypes, broadcasting, infinities, NaN handling, tolerances, axes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

import rawarray as ra
from oracle import assert_same
from strategies import arrays, dtypes

REAL = st.sampled_from([np.dtype(c) for c in ("f8", ">f4", "f2", "i4", "u1", "?", "c16")])


@given(st.data(), st.sampled_from([(1e-5, 1e-8), (0.0, 0.0), (0.1, 0.5)]), st.booleans())
def test_isclose_matches_numpy(data, tol, equal_nan):
    shapes = data.draw(nps.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2, max_side=3))
    a = data.draw(arrays(REAL, st.just(shapes.input_shapes[0])))
    b = data.draw(arrays(REAL, st.just(shapes.input_shapes[1])))
    rtol, atol = tol
    with np.errstate(all="ignore"), ra.errstate(all="ignore"):
        want = np.isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)
        got = ra.isclose(ra.asarray(a), ra.asarray(b), rtol=rtol, atol=atol, equal_nan=equal_nan)
        assert ra.allclose(ra.asarray(a), ra.asarray(b), rtol=rtol, atol=atol, equal_nan=equal_nan) is bool(
            np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan))
    if isinstance(want, np.ndarray):
        assert_same(got, want)
    else:
        assert type(got).__name__ == type(want).__name__ and got == want


@pytest.mark.parametrize(
    "a, b, kw",
    [
        (1.0, 1.0 + 1e-6, {}),
        ([1e10, 1e-8], [1.00001e10, 1e-9], {}),
        ([-np.inf, np.inf, np.nan], [np.inf, np.inf, np.nan], {}),
        ([1.0, np.nan], [1.0, np.nan], {"equal_nan": True}),
        ([1, 2], [1, 2.5], {"rtol": 0.2}),
        (3, 3, {}),
    ],
)
def test_isclose_cases(a, b, kw):
    want = np.isclose(a, b, **kw)
    got = ra.isclose(a, b, **kw)
    assert np.asarray(got).tolist() == np.asarray(want).tolist()
    assert type(got).__name__ == type(want).__name__


@given(st.data())
def test_count_nonzero_matches_numpy(data):
    a = data.draw(arrays(dtypes(numeric_only=False)))
    axis = data.draw(st.one_of(st.none(), st.integers(-a.ndim, a.ndim - 1) if a.ndim else st.none()))
    keepdims = data.draw(st.booleans())
    want = np.count_nonzero(a, axis=axis, keepdims=keepdims)
    got = ra.count_nonzero(ra.asarray(a), axis=axis, keepdims=keepdims)
    if isinstance(want, np.ndarray):
        assert_same(got, want)
    else:
        assert type(got).__name__ == type(want).__name__ and got == want


TYPE_CHECK_CALLS = [
    lambda m: m.isreal(m.asarray([1 + 2j, 3 + 0j])),
    lambda m: m.isreal(m.arange(3.0)),
    lambda m: m.isreal(1j),
    lambda m: m.isreal([1, 2j]),
    lambda m: m.iscomplex(m.asarray([1 + 2j, 3 + 0j], dtype="c8")),
    lambda m: m.iscomplex(m.arange(3.0)),
    lambda m: m.iscomplex(3),
    lambda m: m.iscomplex(1j),
    lambda m: m.iscomplexobj(m.asarray([1 + 0j])),
    lambda m: m.iscomplexobj(m.arange(3.0)),
    lambda m: m.iscomplexobj([1j]),
    lambda m: m.iscomplexobj(3),
    lambda m: m.isrealobj(m.arange(3.0)),
    lambda m: m.isrealobj(1j),
    lambda m: m.isscalar(3.0),
    lambda m: m.isscalar(m.float32(1)),
    lambda m: m.isscalar(m.asarray(3)),
    lambda m: m.isscalar("a"),
    lambda m: m.isscalar(b"a"),
    lambda m: m.isscalar(None),
    lambda m: m.isscalar([1]),
    lambda m: m.nan_to_num(m.asarray([float("nan"), float("inf"), -float("inf"), 1.0])),
    lambda m: m.nan_to_num(m.asarray([float("nan"), float("inf"), -float("inf")], dtype="f2")),
    lambda m: m.nan_to_num(m.asarray([float("nan"), float("inf")], dtype=">f4")),
    lambda m: m.nan_to_num(m.asarray([complex(float("inf"), float("nan")), complex(float("nan"), -float("inf"))], "c8")),
    lambda m: m.nan_to_num(m.float16(float("inf"))),
    lambda m: m.nan_to_num(3),
    lambda m: m.nan_to_num([float("nan"), 1]),
    lambda m: m.nan_to_num(float("nan")),
    lambda m: m.nan_to_num(m.asarray([float("nan"), float("inf"), -float("inf")]), nan=-1, posinf=7, neginf=-7),
    lambda m: m.nan_to_num(m.arange(3, dtype="u1")),
    lambda m: m.nan_to_num(m.asarray([True, False])),
]


@pytest.mark.parametrize("call", TYPE_CHECK_CALLS)
def test_type_checks_and_nan_to_num_match_numpy(call):
    want, got = call(np), call(ra)
    if isinstance(want, bool):
        assert got is want
    else:
        assert type(got).__name__ == type(want).__name__ and got.dtype.str == want.dtype.str
        assert ra.asarray(got).tobytes() == np.asarray(want).tobytes()


def test_nan_to_num_in_place():
    for m in (np, ra):
        a = m.asarray([float("nan"), 2.0])
        assert m.nan_to_num(a, copy=False) is a and a.tolist() == [0.0, 2.0]
        b = m.asarray([float("nan"), 2.0])
        assert m.nan_to_num(b) is not b and m.isnan(b[0])
