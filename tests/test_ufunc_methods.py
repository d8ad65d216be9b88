"""ufunc.reduce, accumulate, reduceat, outer and at against NumPy 2: every binary ufunc,
dtypes, shapes, layouts, axes (int, negative, tuple, None), keepdims, dtype=, initial=,
where=, out=, the identity rules and the errors.

NumPy's float `power` and `arctan2` loops ignore the reduction's aliasing (their SIMD loops
read the accumulator once per call, so `power.reduce([a, b, c])` is `a ** c`); rawarray
folds in order, so those two are compared with a fold of NumPy's own calls."""

from __future__ import annotations

import functools
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

import rawarray as ra
from strategies import arrays, dtypes
from ufunc_helpers import to_np
from ufunc_helpers import assert_values
from ufunc_helpers import run as run_numeric


def run(fn):
    """As ufunc_helpers.run, with IndexError compared too."""
    try:
        return run_numeric(fn)
    except IndexError:
        return None, IndexError, []

BINARY = [
    "add", "subtract", "multiply", "divide", "floor_divide", "remainder", "fmod", "power", "maximum",
    "minimum", "fmax", "fmin", "logical_and", "logical_or", "logical_xor", "bitwise_and", "bitwise_or",
    "bitwise_xor", "left_shift", "right_shift", "hypot", "arctan2", "copysign", "equal", "less",
]
INEXACT = {"hypot", "arctan2", "power"}
# NumPy's loops that do not fold in order (see the module docstring).
UNORDERED = {"power", "arctan2"}


def tolerance(name: str, dt: np.dtype) -> dict:
    if name in INEXACT and dt.kind in "fc":
        return {"ulps": 4} if dt.kind == "f" else {"rtol": 1e-6 if dt.itemsize == 8 else 1e-12}
    return {}


def sequential_reduce(name: str, x: np.ndarray, axis: int) -> np.ndarray:
    f = getattr(np, name)
    moved = np.moveaxis(x, axis, 0)
    empty = x.reshape(-1)[:0]
    loop_dtype = f(empty, empty).dtype
    return functools.reduce(lambda acc, v: f(acc, v), list(moved[1:]), moved[0].astype(loop_dtype))


def kinds(texts: list[str]) -> set[str]:
    """The exceptions named by RuntimeWarning texts, without the operation they name."""
    return {t.split(" encountered")[0] for t in texts}


def compare(name: str, nf, rf, x: np.ndarray, tol: dict | None = None, loose_warnings: bool = False,
            warnings_too: bool = True) -> None:
    want, nexc, nwarn = run(nf)
    got, rexc, rwarn = run(rf)
    if loose_warnings:
        rwarn, nwarn = kinds(rwarn), kinds(nwarn)
    if not warnings_too:
        rwarn = nwarn
    assert rexc is nexc, (name, x.dtype, rexc, nexc)
    if nexc is not None:
        return
    tol = tolerance(name, np.asarray(want).dtype) if tol is None else tol
    if name in ("maximum", "minimum", "fmax", "fmin") and np.asarray(want).dtype.kind in "fc":
        # Which of two equal zeros wins depends on the order of NumPy's SIMD tree.
        got = ra.asarray(got) + 0.0 if not isinstance(got, ra.ndarray) else got + 0.0
        want = np.asarray(want) + 0.0
    assert_values(got, want, **tol)
    if not tol:
        assert rwarn == nwarn, (name, rwarn, nwarn)


@pytest.mark.parametrize("name", BINARY)
@given(data=st.data())
def test_reduce_matches_numpy(name, data):
    x = data.draw(arrays(dtypes(), nps.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4)))
    axis = data.draw(st.one_of(st.integers(-x.ndim, x.ndim - 1), st.none(),
                               st.just(tuple(range(x.ndim)))))
    keepdims = data.draw(st.booleans())
    nf, rf = getattr(np, name), getattr(ra, name)
    if name == "multiply" and x.dtype.kind == "c":
        # multiply.reduce is prod (test_reductions); NumPy's complex product differs between
        # its copy-the-first-element and start-from-identity paths (signed zeros, 0 * inf)
        # by layout and byte order.
        return
    if name in UNORDERED and (x.dtype.kind == "f" or (name == "arctan2" and x.dtype.kind != "c")):
        if not isinstance(axis, int) or x.size == 0:
            return
        with np.errstate(all="ignore"):
            want = sequential_reduce(name, x, axis)
            got = rf.reduce(ra.asarray(x), axis=axis)
        assert_values(got if isinstance(got, ra.ndarray) else ra.asarray(got),
                      np.asarray(want), **tolerance(name, np.asarray(want).dtype))
        return
    # hypot over several axes: a reorderable reduction NumPy folds in memory order.
    tol = {"ulps": 64} if name == "hypot" and not isinstance(axis, int) and x.ndim > 1 else None
    compare(name, lambda: nf.reduce(x, axis=axis, keepdims=keepdims),
            lambda: rf.reduce(ra.asarray(x), axis=axis, keepdims=keepdims), x, tol)


@pytest.mark.parametrize("name", BINARY)
@given(data=st.data())
def test_accumulate_matches_numpy(name, data):
    x = data.draw(arrays(dtypes(), nps.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=4)))
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    if name in UNORDERED and x.dtype.kind in "fc":
        return
    if name == "multiply" and x.dtype.kind == "c":
        # cumprod (test_reductions); NumPy's complex64 multiply is an FMA loop whose
        # overflows differ from the plain formula's.
        return
    nf, rf = getattr(np, name), getattr(ra, name)
    compare(name, lambda: nf.accumulate(x, axis=axis), lambda: rf.accumulate(ra.asarray(x), axis=axis), x)


@pytest.mark.parametrize("name", ["add", "subtract", "multiply", "maximum", "bitwise_or", "logical_xor", "divide"])
@given(data=st.data())
def test_reduce_keywords_match_numpy(name, data):
    x = data.draw(arrays(st.sampled_from([np.dtype(d) for d in ["i1", "u2", "i8", "f4", "f8", "?", ">i4", "<f8"]]),
                         nps.array_shapes(min_dims=1, max_dims=2, min_side=1, max_side=4)))
    axis = data.draw(st.integers(-x.ndim, x.ndim - 1))
    initial = data.draw(st.one_of(st.none(), st.integers(-3, 3)))
    where = data.draw(st.one_of(st.none(), nps.arrays(np.bool_, x.shape[axis:])))
    dtype = data.draw(st.sampled_from([None, "f8", "i8", "f4"]))
    kw = {"axis": axis, "dtype": dtype}
    if initial is not None:
        kw["initial"] = initial
    if where is not None:
        kw["where"] = where
    nf, rf = getattr(np, name), getattr(ra, name)
    rkw = dict(kw)
    if where is not None:
        rkw["where"] = ra.asarray(where)
    # Float sums and products with `initial` or `where`: NumPy adds the initial value and
    # each masked-in run through its buffered iterator, so the rounding differs by an ulp
    # or two from rawarray's (initial combined last, masked elements as the identity).
    inexact = np.result_type(x.dtype, dtype or x.dtype).kind in "fc" or x.dtype.kind in "fc"
    tol = {"ulps": 4} if name in ("add", "multiply") and inexact and (initial is not None or where is not None) else None
    res = np.dtype(dtype) if dtype else x.dtype
    if tol and name == "add" and res.kind == "f":
        # A sum's rounding error is bounded by the magnitudes summed, not by the result's:
        # with cancellation (1 + 3.6e16 - 2.7e16) the orders differ by ulps of the terms.
        mags = np.abs(x.astype(np.float64))
        mags = np.where(np.isfinite(mags) & (True if where is None else where), mags, 0.0)
        terms = np.sum(mags, axis=axis) + abs(initial or 0)
        tol["atol"] = 8 * float(np.finfo(res).eps) * float(np.max(terms, initial=0.0))
    # Which operation a cast's warning names ("cast" or "reduce") follows NumPy's buffering;
    # the exceptions raised are compared.
    # With a mask as well, whether a float min/max loop ran (and cleared the cast's flags)
    # depends on the mask: warnings are not compared.
    compare(name, lambda: nf.reduce(x, **kw), lambda: rf.reduce(ra.asarray(x), **rkw), x, tol,
            loose_warnings=dtype is not None, warnings_too=dtype is None or where is None)


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.subtract.reduce(m.arange(6).reshape(2, 3), axis=None),
        lambda m: m.subtract.reduce(m.arange(6).reshape(2, 3), axis=(0, 1)),
        lambda m: m.subtract.reduce(m.asarray([])),
        lambda m: m.maximum.reduce(m.asarray([])),
        lambda m: m.add.reduce(m.asarray([])),
        lambda m: m.bitwise_and.reduce(m.zeros((0, 3), dtype="int32"), axis=0),
        lambda m: m.subtract.reduce(m.zeros((0, 3)), axis=1),
        lambda m: m.subtract.reduce(m.arange(6).reshape(2, 3), where=m.asarray([True, False, True])),
        lambda m: m.subtract.reduce(m.arange(6).reshape(2, 3), where=m.asarray([True, False, True]), initial=0),
        lambda m: m.sqrt.reduce(m.arange(3.0)),
        lambda m: m.divmod.reduce(m.arange(3.0)),
        lambda m: m.equal.reduce(m.asarray([1, 1])),
        lambda m: m.equal.reduce(m.asarray([True, True])),
        lambda m: m.add.reduce(5),
        lambda m: m.subtract.reduce(m.asarray(5)),
        lambda m: m.add.reduce([1.5, 2]),
        lambda m: m.divide.reduce(m.asarray([1.0, 0.0, 0.0])),
        lambda m: m.power.reduce(m.asarray([2, -1])),
        lambda m: m.subtract.reduce(m.arange(6.0).reshape(2, 3), out=m.zeros(3)),
        lambda m: m.subtract.reduce(m.arange(6.0).reshape(2, 3), axis=5),
        lambda m: m.subtract.reduce(m.arange(6.0).reshape(2, 3), axis=1, keepdims=True, out=m.zeros((2, 1))),
        lambda m: m.add.reduce(m.arange(6).reshape(2, 3), axis=1, dtype="int8"),
        lambda m: m.subtract.accumulate(m.asarray(5)),
        lambda m: m.subtract.accumulate(m.arange(4.0), out=m.zeros(4)),
        lambda m: m.subtract.accumulate(m.arange(4), dtype="float32"),
        lambda m: m.divide.accumulate(m.asarray([1.0, 0.0])),
        lambda m: m.equal.accumulate(m.asarray([1, 1])),
        lambda m: m.add.reduceat(m.arange(8), [0, 4, 1, 5]),
        lambda m: m.add.reduceat(m.arange(8.0) * 0.1, [0, 4, 1, 5]),
        lambda m: m.subtract.reduceat(m.arange(8.0), [0, 4, 1, 5]),
        lambda m: m.maximum.reduceat(m.arange(8.0), [0, 4, 1, 5, 7]),
        lambda m: m.add.reduceat(m.arange(16.0).reshape(4, 4), [0, 3], axis=1),
        lambda m: m.add.reduceat(m.arange(16.0).reshape(4, 4), [0, 3]),
        lambda m: m.multiply.reduceat(m.arange(1, 9, dtype="int8"), [0, 3]),
        lambda m: m.divide.reduceat(m.asarray([1.0, 0.0]), [0]),
        lambda m: m.add.reduceat(m.arange(8), [0, 8]),
        lambda m: m.add.reduceat(m.arange(8), [-1]),
        lambda m: m.add.reduceat(m.arange(8), []),
        # accumulate and reduceat take one axis: an int, a tuple of one, or None for 1-d.
        lambda m: m.add.accumulate(m.arange(3), axis=None),
        lambda m: m.add.accumulate(m.arange(6.0).reshape(2, 3), axis=(-1,)),
        lambda m: m.maximum.accumulate(m.arange(6.0).reshape(2, 3), axis=(1,)),
        lambda m: m.maximum.accumulate(m.arange(6.0).reshape(2, 3), axis=None),
        lambda m: m.add.accumulate(m.arange(6.0).reshape(2, 3), axis=()),
        lambda m: m.add.accumulate(m.arange(6.0).reshape(2, 3), axis=(0, 1)),
        lambda m: m.add.accumulate(m.asarray(3.0), axis=None),
        lambda m: m.add.reduceat(m.arange(3), [0], axis=None),
        lambda m: m.maximum.reduceat(m.arange(6.0).reshape(2, 3), [0, 1], axis=(1,)),
        lambda m: m.add.reduceat(m.arange(6.0).reshape(2, 3), [0], axis=()),
        lambda m: m.add.reduceat(m.asarray(3.0), [0]),
        lambda m: m.multiply.outer(m.arange(3), m.arange(2.0)),
        lambda m: m.add.outer([1, 2], [[1], [2]]),
        lambda m: m.subtract.outer(m.arange(3), m.arange(2), dtype="float64"),
        lambda m: m.less.outer(m.arange(3, dtype="uint8"), 300),
        lambda m: m.sqrt.outer(m.arange(3), m.arange(2)),
    ],
)
def test_method_calls_match_numpy(call):
    want, nexc, nwarn = run(lambda: call(np))
    got, rexc, rwarn = run(lambda: call(ra))
    assert rexc is nexc, (rexc, nexc)
    if nexc is None:
        assert_values(got, want, ulps=0)
        assert rwarn == nwarn


def _at(m, dtype, key, values, name="add"):
    a = m.arange(12, dtype=dtype).reshape(3, 4) if dtype != "?" else m.zeros((3, 4), dtype="?")
    f = getattr(m, name)
    if values is None:
        f.at(a, key)
    else:
        f.at(a, key, values)
    return a


@pytest.mark.parametrize(
    "name,dtype,key,values",
    [
        ("add", "f8", ([0, 0, 2], [1, 1, 3]), 1.5),
        ("add", "i8", ([0, 0, 2], [1, 1, 3]), [1, 2, 3]),
        ("subtract", "i4", (slice(None), [0, 0]), 1),
        ("multiply", "u1", [0, 0, 0], 300),
        ("add", "i4", [1], np.asarray([1.5])),
        ("maximum", "f4", ([2, 2], [0, 0]), [50, 7]),
        ("negative", "f8", ([0, 1], [2, 2]), None),
        ("add", "f8", 1, 2),
        ("add", "f8", (np.array([True, False, True]),), 1),
        ("divide", "f8", ([0], [0]), 0.0),
        ("add", ">f8", ([0, 0], [1, 1]), 1),
        ("add", "f8", ([0, 1],), [1, 2, 3]),
        ("negative", "f8", [0], 1),
        ("add", "f8", [0], None),
        ("add", "f8", [7], 1),
        ("logical_or", "?", ([0, 1], [0, 0]), True),
    ],
)
def test_at_matches_numpy(name, dtype, key, values):
    rkey = tuple(ra.asarray(k) if isinstance(k, np.ndarray) else k for k in key) if isinstance(key, tuple) else key
    rvalues = ra.asarray(values) if isinstance(values, np.ndarray) else values
    want, nexc, nwarn = run(lambda: _at(np, dtype, key, values, name))
    got, rexc, rwarn = run(lambda: _at(ra, dtype, rkey, rvalues, name))
    assert rexc is nexc, (rexc, nexc)
    if nexc is None:
        assert_values(got, want)
        assert rwarn == nwarn


@given(data=st.data())
def test_at_repeats_apply_once_each(data):
    # Unbuffered: every occurrence of a repeated index applies the ufunc again.
    n = data.draw(st.integers(1, 6))
    idx = data.draw(st.lists(st.integers(-n, n - 1), min_size=0, max_size=12))
    vals = data.draw(st.lists(st.integers(-5, 5), min_size=len(idx), max_size=len(idx)))
    a, b = np.zeros(n, "i8"), ra.zeros(n, dtype="int64")
    np.add.at(a, idx, vals)
    ra.add.at(b, idx, vals)
    assert b.tolist() == a.tolist()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        np.subtract.at(a, idx, vals)
        ra.subtract.at(b, idx, vals)
    assert b.tolist() == a.tolist()


def test_power_and_arctan2_reduce_fold_in_order():
    # Better than NumPy: its SIMD loops give power.reduce([2., 3., 2.]) == 2. ** 2.
    x = [2.0, 3.0, 2.0]
    assert ra.power.reduce(ra.asarray(x)) == (2.0**3.0) ** 2.0
    assert ra.arctan2.reduce(ra.asarray(x)) == np.arctan2(np.arctan2(2.0, 3.0), 2.0)


@pytest.mark.parametrize("dt", ["<f2", ">f2"])
@pytest.mark.parametrize("name", ["subtract", "divide"])
def test_float16_subtract_and_divide_reduce_in_float_along_the_inner_axis(dt, name):
    """NumPy's float16 subtract and divide loops keep a float accumulator when their inner
    loop runs along the reduced axis (the axis of smallest input stride), rounding to
    float16 once per output element (per 8192-element buffer for byte-swapped input);
    along an outer axis each step rounds. The values drift far enough apart that rounding
    per step or per row gives different float16 results."""
    rng = np.random.default_rng(7)
    cases = [((1000,), 0), ((7,), 0), ((30, 40), 0), ((30, 40), 1), ((3, 4, 50), 2), ((3, 4, 50), 1), ((20000,), 0),
             ((8194,), 0), ((40, 30), 0)]  # fmt: skip
    for shape, axis in cases:
        base = (rng.random(shape) * 2 + 0.5).astype(dt)
        for x in (base, np.asfortranarray(base), base[..., ::-1]):
            for kw in ({}, {"initial": 1.5}):
                want = getattr(np, name).reduce(x, axis=axis, **kw)
                got = getattr(ra, name).reduce(ra.asarray(x), axis=axis, **kw)
                assert to_np(ra.asarray(got)).tobytes() == np.asarray(want).tobytes(), (shape, axis, x.strides, kw)


@pytest.mark.parametrize("dt", ["<f2", ">f2"])
def test_float16_subtract_reduce_subtracts_each_element_in_turn(dt):
    """NumPy's float16 subtract keeps its float accumulator but, unlike add, takes no
    pairwise sum: each of 16384 smallest subnormals is lost against 2.0 in float32 (their
    sum would not be), and inf - inf is met only where the running difference meets it."""
    tiny = np.array([2.0] + [2.0**-24] * 16384, dt)
    cases = [tiny, (inf := np.inf, inf, np.nan), (np.nan, inf, -inf), (inf, -inf, np.nan), (1.0, inf, inf, 2.0)]
    for v in cases:
        x = np.asarray(v, dt)
        want = run_numeric(lambda: np.subtract.reduce(x))
        got = run_numeric(lambda: ra.subtract.reduce(ra.asarray(x)))
        assert got[1:] == want[1:], v
        assert to_np(ra.asarray(got[0])).tobytes() == np.asarray(want[0]).tobytes(), v
