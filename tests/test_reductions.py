"""Reductions (sum, prod, min, max, any, all, mean, argmin/argmax, var/std, cumsum/cumprod,
ptp, nan-functions) against NumPy: result type and dtype exactly, values exactly for
integers, bools, min/max and arg*; float sums, means and variances within a tolerance of a
few ulps of the result's dtype (the summation order can differ from NumPy's where NumPy
buffers casts in chunks of 8192 or splits inner loops differently); warnings compared as
(category, message) multisets. Signed zeros compare equal (NumPy's SIMD max picks either)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

import rawarray as ra
from oracle import to_numpy

nan, inf = float("nan"), float("inf")

CODES = ["?", "i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", "f2", "f4", "f8", "c8", "c16"]

# Relative tolerance for float results, by the result's dtype.
RTOL = {"e": 4e-3, "f": 4e-6, "d": 1e-12, "F": 4e-6, "D": 1e-12}


@st.composite
def dtypes(draw, codes=CODES):
    code = draw(st.sampled_from(codes))
    if code in ("?", "i1", "u1"):
        return np.dtype(code)
    return np.dtype(draw(st.sampled_from(["<", ">"])) + code)


def values(dt: np.dtype, lo: int, hi: int, nan: bool = False):
    if dt.kind == "b":
        return st.booleans()
    if dt.kind == "u":
        ints = st.integers(0, hi)
    else:
        ints = st.integers(lo, hi)
    if nan and dt.kind == "f":
        return st.one_of(ints, st.just(float("nan")), st.just(float("inf")), st.just(-float("inf")))
    if nan and dt.kind == "c":
        # NaN in the real part, the imaginary part or both; infinities in either.
        specials = [complex(nan, 0), complex(1, nan), complex(nan, nan), complex(inf, 1), complex(2, -inf)]
        return st.one_of(ints, ints.map(lambda v: complex(v, v % 3)), st.sampled_from(specials))
    return ints


@st.composite
def arrays(draw, dt=None, lo=-100, hi=100, nan=False, max_dims=3):
    """A NumPy array and the rawarray view of the same memory, in one of several layouts."""
    dt = draw(dtypes()) if dt is None else dt
    shape = draw(nps.array_shapes(min_dims=0, max_dims=max_dims, min_side=0, max_side=4))
    vals = draw(nps.arrays(np.dtype("O"), shape, elements=values(dt, lo, hi, nan)))
    base = np.array(vals.tolist() if shape else vals[()], dtype=dt)
    kind = draw(st.sampled_from(["plain", "reversed", "strided", "fortran", "transposed", "unaligned"]))
    n = base
    if kind == "reversed" and base.ndim:
        n = base[(slice(None, None, -1),) * base.ndim]
    elif kind == "strided" and base.ndim:
        n = np.repeat(base, 2, axis=-1)[..., ::2]
    elif kind == "fortran":
        n = np.asfortranarray(base)
    elif kind == "transposed":
        n = np.ascontiguousarray(base.T).T
    elif kind == "unaligned" and base.size and dt.itemsize > 1:
        raw = bytearray(base.nbytes + 1)
        n = np.frombuffer(raw, dtype=dt, offset=1, count=base.size).reshape(base.shape)
        n[...] = base
    r = ra.asarray(n)
    assert not n.size or all(a == b for a, b, d in zip(r.strides, n.strides, n.shape) if d > 1)
    assert r.dtype.str == n.dtype.str
    return n, r


@st.composite
def axes(draw, ndim):
    choice = draw(st.sampled_from(["none", "int", "neg", "tuple"]))
    if choice == "none" or ndim == 0:
        return None
    if choice == "int":
        return draw(st.integers(0, ndim - 1))
    if choice == "neg":
        return draw(st.integers(-ndim, -1))
    picked = draw(st.lists(st.integers(0, ndim - 1), unique=True, max_size=ndim))
    return tuple(draw(st.permutations(picked)))


def run(f, ordered=False):
    """Calls f, returning (result or exception, warnings as (category, message), sorted
    unless `ordered`)."""
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            out = f()
        except Exception as e:  # noqa: BLE001 - compared with NumPy's
            out = e
    got = [(x.category.__name__, str(x.message)) for x in w]
    return out, got if ordered else sorted(got)


def check(got, want, exact=True):
    if isinstance(want, Exception):
        assert isinstance(got, Exception), f"expected {want!r}, got {got!r}"
        assert type(got).__name__ == type(want).__name__ or isinstance(got, type(want)), (got, want)
        return
    assert not isinstance(got, Exception), f"raised {got!r}, NumPy gave {want!r}"
    if isinstance(want, np.ndarray):
        assert isinstance(got, ra.ndarray), type(got)
        assert got.dtype.str == want.dtype.str, (got.dtype.str, want.dtype.str)
        assert got.shape == want.shape
        g = to_numpy(got)
    else:
        assert type(got).__name__ == type(want).__name__, (type(got), type(want))
        assert got.dtype.str == want.dtype.str
        g = np.array(got.item(), dtype=want.dtype)
    w = np.asarray(want)
    if exact or w.dtype.kind not in "fc":
        assert np.array_equal(g, w, equal_nan=w.dtype.kind in "fc"), (g, w)
    else:
        np.testing.assert_allclose(g, w, rtol=RTOL[w.dtype.char], atol=0, equal_nan=True)


def both(name, n, r, method, **kw):
    if method:
        fn, fr = (lambda: getattr(n, name)(**kw)), (lambda: getattr(r, name)(**kw))
    else:
        fn, fr = (lambda: getattr(np, name)(n, **kw)), (lambda: getattr(ra, name)(r, **kw))
    want, ww = run(fn)
    got, gw = run(fr)
    return got, want, gw, ww


@given(st.data(), st.sampled_from(["sum", "prod", "max", "min", "any", "all", "mean"]))
@settings(max_examples=300)
def test_reduce_matches_numpy(data, name):
    lo, hi = (-3, 3) if name == "prod" else (-100, 100)
    n, r = data.draw(arrays(lo=lo, hi=hi))
    kw = {"axis": data.draw(axes(n.ndim)), "keepdims": data.draw(st.booleans())}
    if name in ("sum", "prod", "mean") and data.draw(st.booleans()):
        kw["dtype"] = data.draw(st.sampled_from(["f8", "i8", "f4", "u8", n.dtype.str]))
        if n.dtype.kind == "c" and np.dtype(kw["dtype"]).kind != "c":
            del kw["dtype"]  # NumPy warns ComplexWarning from its cast; checked elsewhere
    if name in ("sum", "prod", "max", "min") and data.draw(st.booleans()):
        kw["initial"] = data.draw(st.integers(0, 5)) if n.dtype.kind in "bu" else data.draw(st.integers(-5, 5))
    if name != "mean" and data.draw(st.integers(0, 3)) == 0 and n.ndim:
        kw["where"] = data.draw(nps.arrays(np.bool_, n.shape[-1:]))
    method = data.draw(st.booleans())
    got, want, gw, ww = both(name, n, r, method, **kw)
    exact = name in ("max", "min", "any", "all") or n.dtype.kind in "biu" and name != "mean"
    check(got, want, exact=exact)
    if n.dtype.char != "e":
        assert gw == ww


@given(st.data(), st.sampled_from(["argmax", "argmin"]))
def test_arg_matches_numpy(data, name):
    n, r = data.draw(arrays(nan=True, lo=-3, hi=3))
    axis = data.draw(st.one_of(st.none(), st.integers(-n.ndim, n.ndim - 1))) if n.ndim else None
    kw = {"axis": axis, "keepdims": data.draw(st.booleans())}
    got, want, _, _ = both(name, n, r, data.draw(st.booleans()), **kw)
    check(got, want)


@given(st.data(), st.sampled_from(["max", "min"]))
def test_min_max_nan_propagation(data, name):
    n, r = data.draw(arrays(dt=data.draw(dtypes(["f2", "f4", "f8", "c8", "c16"])), nan=True, lo=-3, hi=3))
    kw = {"axis": data.draw(axes(n.ndim))}
    got, want, gw, ww = both(name, n, r, data.draw(st.booleans()), **kw)
    check(got, want)
    assert gw == ww


@given(st.data(), st.sampled_from(["var", "std"]))
def test_var_std(data, name):
    n, r = data.draw(arrays(dt=data.draw(dtypes([c for c in CODES if c != "?"]))))
    kw = {"axis": data.draw(axes(n.ndim)), "ddof": data.draw(st.sampled_from([0, 1])),
          "keepdims": data.draw(st.booleans())}
    got, want, gw, ww = both(name, n, r, data.draw(st.booleans()), **kw)
    check(got, want, exact=True)
    assert gw == ww


@given(st.data(), st.sampled_from(["cumsum", "cumprod"]))
def test_cumulative(data, name):
    lo, hi = (-3, 3) if name == "cumprod" else (-100, 100)
    n, r = data.draw(arrays(lo=lo, hi=hi))
    kw = {"axis": data.draw(st.one_of(st.none(), st.integers(-n.ndim, n.ndim - 1))) if n.ndim else None}
    if data.draw(st.booleans()):
        kw["dtype"] = data.draw(st.sampled_from(["f8", "i8", "i2", n.dtype.str]))
        if n.dtype.kind == "c" and np.dtype(kw["dtype"]).kind != "c":
            del kw["dtype"]
    got, want, _, _ = both(name, n, r, data.draw(st.booleans()), **kw)
    check(got, want, exact=n.dtype.kind in "biu" or n.dtype.char == "e")


@given(st.data(), st.sampled_from(["nansum", "nanmean", "nanmax", "nanmin", "nanprod"]))
def test_nan_functions(data, name):
    dt = data.draw(dtypes(["f4", "f8", "c8", "c16", "i4", "f2", "?"]))
    n, r = data.draw(arrays(dt=dt, nan=True, lo=-3, hi=3))
    kw = {"axis": data.draw(axes(n.ndim)), "keepdims": data.draw(st.booleans())}
    want, ww = run(lambda: getattr(np, name)(n, **kw))
    got, gw = run(lambda: getattr(ra, name)(r, **kw))
    check(got, want, exact=name in ("nanmax", "nanmin"))
    if dt.char != "e":
        assert gw == ww


def test_ptp():
    for dt in ["u1", "i4", "f8", "c16"]:
        n = np.array([[1, 5, 3], [7, 0, 2]], dtype=dt)
        for axis in (None, 0, 1, -1):
            check(ra.ptp(ra.asarray(n), axis=axis), np.ptp(n, axis=axis))
    with pytest.raises(TypeError):
        ra.ptp(ra.asarray(np.array([True, False])))


@pytest.mark.parametrize("dt", ["f2", "f4", "f8", "c8", "c16", "i1", "u8"])
def test_ptp_warns_as_numpy(dt):
    """ptp is NumPy's `subtract(max, min)`: a float difference past the largest value
    warns "overflow encountered in subtract", `inf - inf` "invalid ..."; integers wrap
    silently."""
    if np.dtype(dt).kind in "iu":
        info = np.iinfo(dt)
        rows = [[info.min, info.max, 0], [info.max, info.max, 1], [5, 0, 2]]
    else:
        big = float(np.finfo(dt).max)
        rows = [[big, -big, 0.0], [np.inf, np.inf, 1.0], [-np.inf, np.nan, 2.0], [3.0, 0.0, 2.0]]
    n = np.array(rows, dtype=dt)
    for axis in (None, 0, 1):
        for x in (n, n[1:2], n[::-1].T):
            want, ww = run(lambda: np.ptp(x, axis=axis))
            got, gw = run(lambda: ra.ptp(ra.asarray(x), axis=axis))
            check(got, want)
            assert gw == ww, (axis, x)


def test_result_types_and_scalars():
    a = ra.arange(10, dtype="float64")
    assert type(a.sum()) is ra.float64 and a.sum() == 45.0
    assert type(ra.ones(3, "float16").sum()) is ra.float16
    assert ra.ones(3, "int8").prod().dtype == ra.dtype("int64")
    assert ra.ones(3, "uint16").sum().dtype == ra.dtype("uint64")
    assert ra.ones(3, "float16").mean().dtype == ra.dtype("float16")
    assert ra.ones(3, "int32").mean().dtype == ra.dtype("float64")
    assert type(ra.ones(3).argmax()) is ra.int64
    assert type(ra.ones(3).any()) is ra.bool
    assert isinstance(ra.ones(3).sum(keepdims=True), ra.ndarray)
    assert ra.ones((2, 2)).sum(axis=()).shape == (2, 2)
    assert ra.sum([1, 2, 3]) == 6 and type(ra.sum([1, 2, 3])) is ra.int64
    assert ra.ones(3, "int8").sum(dtype="int8").dtype == ra.dtype("int8")
    # Integer sums wrap.
    assert ra.array([2**62, 2**62, 2**62], dtype="int64").sum() == np.array([2**62] * 3).sum()


def test_errors_match_numpy():
    a = ra.ones((2, 3))
    with pytest.raises(ra.AxisError, match="axis 2 is out of bounds for array of dimension 2"):
        a.sum(axis=2)
    with pytest.raises(ra.AxisError):
        ra.max(a, axis=-3)
    with pytest.raises(ValueError, match="duplicate value in 'axis'"):
        a.sum(axis=(0, -2))
    with pytest.raises(TypeError):
        a.sum(axis=1.0)
    with pytest.raises(TypeError):
        a.argmax(axis=(0, 1))
    with pytest.raises(ValueError, match="zero-size array to reduction operation minimum which has no identity"):
        ra.zeros((0, 3)).min(axis=0)
    assert ra.zeros((0, 3)).min(axis=1).shape == (0,)
    with pytest.raises(ValueError, match="attempt to get argmax of an empty sequence"):
        ra.zeros(0).argmax()
    with pytest.raises(ValueError, match="to use a where mask one has to specify 'initial'"):
        a.max(where=ra.array([True, False, True]))
    with pytest.raises(TypeError, match="Cannot cast array data"):
        a.sum(where=ra.array([1, 0, 1]))
    with pytest.raises(ValueError):
        a.sum(axis=0, out=ra.zeros(2))
    with pytest.raises(ValueError, match="wrong number of dimensions"):
        a.sum(out=ra.zeros(3))


def test_out_parameter():
    n = np.arange(6.0).reshape(2, 3)
    a = ra.asarray(n)
    out = ra.zeros(3, "int32")
    res = a.sum(axis=0, out=out)
    assert res is out
    assert out.tolist() == np.sum(n, axis=0).astype("int32").tolist()
    o2 = ra.zeros((1, 3))
    assert ra.max(a, axis=0, keepdims=True, out=o2) is o2 and o2.tolist() == [[3.0, 4.0, 5.0]]
    oi = ra.zeros(2, "int64")
    assert a.argmax(axis=1, out=oi) is oi and oi.tolist() == [2, 2]
    oc = ra.zeros(6)
    assert a.cumsum(out=oc) is oc and oc.tolist() == np.cumsum(n).tolist()


def test_empty_and_dof_warnings():
    for f, args, kw in [
        ("mean", (np.ones(0),), {}),
        ("mean", (np.ones((0, 2)),), {"axis": 0}),
        ("var", (np.ones(1),), {"ddof": 1}),
        ("std", (np.ones(0),), {}),
        ("nanmax", (np.array([np.nan]),), {}),
        ("nanmin", (np.array([[np.nan], [1.0]]),), {"axis": 1}),
        ("nanmean", (np.array([np.nan]),), {}),
        ("sum", (np.array([1e308, 1e308]),), {}),
        ("cumsum", (np.array([1e308, 1e308]),), {}),
        ("max", (np.array([np.nan, 1.0]),), {}),
    ]:
        want, ww = run(lambda: getattr(np, f)(*args, **kw))
        got, gw = run(lambda: getattr(ra, f)(*(ra.asarray(x) for x in args), **kw))
        check(got, want)
        assert gw == ww, (f, gw, ww)


@pytest.mark.parametrize("dt", ["f8", "f4", "i8", "c16", ">f8", "f2"])
def test_large_parallel_paths(dt):
    """Large enough to split across the pool: full, inner-axis and outer-axis reductions."""
    rng = np.random.default_rng(5)
    n = (rng.standard_normal(600 * 700) * 100).astype(dt)
    if np.dtype(dt).kind == "c":
        n = n + 1j * n[::-1]
    r = ra.asarray(n)
    exact_sum = np.dtype(dt).kind in "iu"
    check(r.sum(), n.sum(), exact=exact_sum)
    if np.dtype(dt).kind == "f" and np.dtype(dt).itemsize > 2 and np.dtype(dt).isnative:
        # Same pairwise tree as NumPy for a contiguous native run: the same bits.
        assert r.sum().item() == n.sum().item()
    check(r.max(), n.max())
    check(r.min(), n.min())
    check(r.argmax(), n.argmax())
    check(r.argmin(), n.argmin())
    check(r.any(), n.any())
    check(r.all(), n.all())
    check(r.mean(), n.mean(), exact=False)
    m, rm = n.reshape(600, 700), r.reshape(600, 700)
    for axis in (0, 1):
        check(rm.sum(axis=axis), m.sum(axis=axis), exact=exact_sum)
        check(rm.max(axis=axis), m.max(axis=axis))
        check(rm.argmax(axis=axis), m.argmax(axis=axis))
    check(rm.T.sum(axis=0), m.T.sum(axis=0), exact=exact_sum)
    check(rm[::-1, ::2].sum(axis=1), m[::-1, ::2].sum(axis=1), exact=exact_sum)


def test_argmax_first_nan_and_ties():
    n = np.array([1.0, 3.0, np.nan, 3.0, np.nan])
    for f in ("argmax", "argmin"):
        assert getattr(ra.asarray(n), f)() == getattr(n, f)()
    big = np.zeros(100_000)
    big[70_000] = 5.0
    big[90_000] = 5.0
    big[95_000] = np.nan
    r = ra.asarray(big)
    assert r.argmax() == big.argmax() == 95_000
    big[95_000] = 0.0
    assert ra.asarray(big).argmax() == big.argmax() == 70_000


def check_message(got, want):
    """Like `check`, and an exception's message must be NumPy's too."""
    check(got, want)
    if isinstance(want, Exception):
        assert str(got) == str(want), (str(got), str(want))


def out_like(data, want, dt=None):
    """Maybe an `out=` array (NumPy's, rawarray's) shaped like NumPy's result."""
    if isinstance(want, Exception) or not data.draw(st.booleans()):
        return None
    w = np.asarray(want)
    d = w.dtype if dt is None else np.dtype(dt)
    return np.zeros(w.shape, d), ra.zeros(w.shape, d.str)


@given(st.data(), st.sampled_from(["nanargmax", "nanargmin"]))
def test_nanarg_matches_numpy(data, name):
    n, r = data.draw(arrays(dt=data.draw(dtypes(["f2", "f4", "f8", "c8", "c16", "i4", "u1", "?"])), nan=True, lo=-3, hi=3))
    axis = data.draw(st.one_of(st.none(), st.integers(-n.ndim, n.ndim - 1))) if n.ndim else None
    kw = {"axis": axis, "keepdims": data.draw(st.booleans())}
    want, ww = run(lambda: getattr(np, name)(n, **kw))
    o = out_like(data, want)
    if o is not None and np.asarray(want).ndim:
        want, ww = run(lambda: getattr(np, name)(n, out=o[0], **kw))
        got, gw = run(lambda: getattr(ra, name)(r, out=o[1], **kw))
        check_message(got, want)
        if not isinstance(want, Exception):
            assert got is o[1]
    else:
        got, gw = run(lambda: getattr(ra, name)(r, **kw))
        check_message(got, want)
    assert gw == ww


@given(st.data(), st.sampled_from(["nanvar", "nanstd", "var", "std"]))
@settings(max_examples=300)
def test_var_family_matches_numpy(data, name):
    """var/std/nanvar/nanstd with NaN placement, ddof or correction, keepdims, where=, dtype=,
    mean= and out= against NumPy: values, dtypes, warnings and exceptions."""
    nanfn = name.startswith("nan")
    dt = data.draw(dtypes(CODES if nanfn else [c for c in CODES if c != "?"]))
    n, r = data.draw(arrays(dt=dt, nan=nanfn, lo=-20, hi=20))
    kw = {"axis": data.draw(axes(n.ndim)), "keepdims": data.draw(st.booleans())}
    if data.draw(st.booleans()):
        kw["correction" if data.draw(st.booleans()) else "ddof"] = data.draw(st.sampled_from([0, 1, 2, 0.5]))
    if n.ndim and data.draw(st.integers(0, 3)) == 0:
        kw["where"] = data.draw(nps.arrays(np.bool_, n.shape[-1:]))
    if data.draw(st.integers(0, 3)) == 0:
        kw["dtype"] = data.draw(st.sampled_from(["f8", "f4", "c16"] if dt.kind == "c" else ["f8", "f4"]))
    mean_kind = data.draw(st.sampled_from(["none", "none", "array", "float", "int"]))
    if mean_kind == "array":
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = np.nanmean(n, axis=kw["axis"], keepdims=True) if n.size else np.zeros((1,) * n.ndim)
            m = m.astype(data.draw(st.sampled_from([m.dtype.str, "f4", "i2"])) if dt.kind != "c" else m.dtype)
        means = (m, ra.asarray(m))
    elif mean_kind != "none":
        v = 1.5 if mean_kind == "float" else 2
        means = (v, v)
    fn, fr = getattr(np, name), getattr(ra, name)
    extra_n, extra_r = dict(kw), dict(kw)
    if mean_kind != "none":
        extra_n["mean"], extra_r["mean"] = means
    want, ww = run(lambda: fn(n, **extra_n))
    o = out_like(data, want)
    if o is not None and np.asarray(want).ndim:
        extra_n["out"], extra_r["out"] = o
        want, ww = run(lambda: fn(n, **extra_n))
    got, gw = run(lambda: fr(r, **extra_r))
    if isinstance(want, Exception):
        check_message(got, want)
        return
    check(got, want, exact="where" not in kw)
    if "out" in extra_r:
        assert got is extra_r["out"]
    assert gw == ww


@given(st.data(), st.sampled_from(["nancumsum", "nancumprod"]))
def test_nan_cumulative(data, name):
    dt = data.draw(dtypes(["f2", "f4", "f8", "c8", "c16", "i4", "u1", "?"]))
    n, r = data.draw(arrays(dt=dt, nan=True, lo=-3, hi=3))
    kw = {"axis": data.draw(st.one_of(st.none(), st.integers(-max(n.ndim, 1), max(n.ndim, 1) - 1)))}
    if data.draw(st.booleans()):
        kw["dtype"] = data.draw(st.sampled_from(["f8", "i8", n.dtype.str] if dt.kind != "c" else ["c16", n.dtype.str]))
    want, ww = run(lambda: getattr(np, name)(n, **kw))
    o = out_like(data, want)
    if o is not None:
        want, ww = run(lambda: getattr(np, name)(n, out=o[0], **kw))
        got, gw = run(lambda: getattr(ra, name)(r, out=o[1], **kw))
        if not isinstance(want, Exception):
            assert got is o[1]
    else:
        got, gw = run(lambda: getattr(ra, name)(r, **kw))
    check(got, want, exact=dt.kind in "biu" or dt.char == "e")
    # rawarray's casts do not report "invalid value encountered in cast" (inf or NaN to int),
    # and its complex64 cumprod can flag a spurious "invalid" after an infinite element.
    if dt.char != "e" and np.dtype(kw.get("dtype", dt)).kind in "fc" and not (name == "nancumprod" and dt.char == "F"):
        assert gw == ww


@pytest.mark.parametrize("name", ["cumsum", "cumprod", "nancumsum", "nancumprod"])
@pytest.mark.parametrize("value", [5, 2.5, float("nan"), True])
def test_cumulative_of_0d(name, value):
    n = np.array(value)
    r = ra.asarray(n)
    for axis in (None, 0, -1, 1, -2):
        want, ww = run(lambda: getattr(np, name)(n, axis=axis))
        got, gw = run(lambda: getattr(ra, name)(r, axis=axis))
        check_message(got, want)
        assert gw == ww
        if not name.startswith("nan"):
            want, _ = run(lambda: getattr(n, name)(axis=axis))
            got, _ = run(lambda: getattr(r, name)(axis=axis))
            check_message(got, want)


def test_var_mean_and_correction_errors():
    n = np.arange(6.0).reshape(2, 3)
    r = ra.asarray(n)
    for f in ("var", "std", "nanvar", "nanstd"):
        for kw in ({"ddof": 1, "correction": 1}, {"ddof": 1, "correction": 0}):
            want, _ = run(lambda: getattr(np, f)(n, **kw))
            got, _ = run(lambda: getattr(ra, f)(r, **kw))
            check_message(got, want)
        want, _ = run(lambda: getattr(np, f)(n, axis=1, mean=np.zeros(2)))
        got, _ = run(lambda: getattr(ra, f)(r, axis=1, mean=ra.zeros(2)))
        check(got, want)
    # Methods take mean= (NumPy 2) but not correction=.
    m = n.mean(axis=1, keepdims=True)
    check(r.var(axis=1, mean=ra.asarray(m)), n.var(axis=1, mean=m))
    check(r.std(axis=0, ddof=1, mean=ra.asarray(n.mean(axis=0, keepdims=True))), n.std(axis=0, ddof=1, mean=n.mean(axis=0, keepdims=True)))
    with pytest.raises(TypeError):
        r.var(correction=1)
    # bool - bool is refused by NumPy's subtract.
    b = np.array([True, False])
    want, _ = run(lambda: np.var(b, mean=np.array(True)))
    got, _ = run(lambda: ra.var(ra.asarray(b), mean=ra.asarray(True)))
    check_message(got, want)
    # Integer deviations wrap in the input's dtype when the mean is an integer.
    i = np.array([1, 2, 3], dtype="i1")
    check(ra.var(ra.asarray(i), mean=100), np.var(i, mean=100))
    check(ra.var(ra.asarray(i), mean=ra.asarray(np.int8(100))), np.var(i, mean=np.int8(100)))
    # nanvar refuses non-inexact dtype= and out= for inexact input.
    f = np.array([1.0, np.nan, 3.0])
    for kw, rkw in (({"dtype": "i8"}, {"dtype": "i8"}), ({"out": np.zeros((), "i8")}, {"out": ra.zeros((), "i8")})):
        want, _ = run(lambda: np.nanvar(f, **kw))
        got, _ = run(lambda: ra.nanvar(ra.asarray(f), **rkw))
        check_message(got, want)


def test_nan_stat_warnings():
    """The exact RuntimeWarnings (and their absence) of the nan-statistics."""
    allnan = np.array([[np.nan, 1.0, 2.0], [np.nan, np.nan, np.nan]])
    cases = [
        ("nanvar", (allnan,), {"axis": 1}),
        ("nanstd", (allnan,), {"axis": 1, "ddof": 1}),
        ("nanvar", (np.array([np.nan, np.nan]),), {}),
        ("nanvar", (np.array([]),), {}),
        ("nanvar", (np.array([1.0, np.inf]),), {}),
        ("nanstd", (np.array([1, 2, 4]),), {"ddof": 3}),
        ("nanvar", (np.array([1 + 1j, 2, complex(np.nan, 1)]),), {}),
        ("nanstd", (np.array([1 + 1j, 2, complex(1, np.nan)], dtype="c8"),), {}),
        ("nanargmax", (allnan,), {}),
        ("nanargmax", (allnan,), {"axis": 1}),
        ("nanargmin", (allnan,), {"axis": 0}),
        ("nanargmin", (np.array([]),), {}),
        ("nanargmax", (np.array([np.nan, -np.inf]),), {}),
        ("nanargmin", (np.array([complex(1, np.nan), 3 + 0j, 2 + 5j]),), {}),
        ("nanmax", (np.array([complex(np.nan, 1), complex(2, np.nan)]),), {}),
        ("nanmin", (np.array([1, complex(np.nan, 1), complex(2, np.nan), 3j]),), {}),
        ("nansum", (np.array([1, complex(np.nan, 1), complex(2, np.nan), 3j]),), {}),
        ("nanprod", (np.array([1, complex(np.nan, 1), complex(2, np.nan), 3j]),), {}),
        ("nanmean", (np.array([complex(np.nan, 1), complex(2, np.nan)]),), {}),
        ("nancumsum", (np.array([1, complex(np.nan, 1), complex(2, np.nan), 3j]),), {}),
        ("var", (np.ones(1),), {"ddof": 1, "mean": 1.0}),
        ("var", (np.array([1.0, np.inf]),), {"mean": np.inf}),
    ]
    for f, args, kw in cases:
        want, ww = run(lambda: getattr(np, f)(*args, **kw))
        got, gw = run(lambda: getattr(ra, f)(*(ra.asarray(x) for x in args), **kw))
        check_message(got, want)
        assert gw == ww, (f, gw, ww)


def last_step_outcome(m, name, src, values, dt, kw):
    """`m.name` of `values` as `src` (a 1 x n row when `kw` has an axis) with `dtype=dt`:
    the result's bytes, dtype and shape with the warnings' texts, or the TypeError."""
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        x = m.asarray(values).astype(src)
        if "axis" in kw:
            x = x.reshape(1, -1)
        try:
            r = getattr(m, name)(x, dtype=dt, **kw)
        except TypeError as e:
            return type(e).__name__, str(e)
    a = np.asarray(r) if m is np else to_numpy(ra.asarray(r))
    return a.tobytes(), str(a.dtype), a.shape, [str(x.message) for x in w]


# (Complex input with a real dtype warns ComplexWarning first: checked elsewhere.)
@pytest.mark.parametrize(
    "src,dt",
    [(s, d) for s in ["?", "i1", "u8", "f2", "f4", "f8", "c8"]
     for d in [None, "i8", "i4", "u8", "u1", "f4", "f8", "f2", "c8", "c16"] if s[0] != "c" or d is None or d[0] == "c"],
)  # fmt: skip
def test_mean_warnings_follow_numpys_steps(src, dt):
    """NumPy's `_mean` divides a scalar sum in Python (scalar math when the quotient's type
    is the sum's or intp's: "scalar divide", then "cast" from `ret.dtype.type(...)`) and a
    sum array by the ufunc into itself ("divide" only); float16 casts at the end. Empty
    inputs (0/0) and infinite ones (inf cast to an integer) raise each warning; values,
    dtypes and warnings must be NumPy's."""
    for values in ([], [1, 2], [5, 250, 3], [float("inf"), 1.0] if src != "?" else [True]):
        for kw in ({}, {"keepdims": True}, {"axis": 0}, {"axis": 1}):
            got = last_step_outcome(ra, "mean", src, values, dt, kw)
            assert got == last_step_outcome(np, "mean", src, values, dt, kw), (values, kw)


@pytest.mark.parametrize("name", ["var", "std", "nanvar", "nanstd"])
@pytest.mark.parametrize("src", ["?", "i1", "i8", "u8", "f2", "f4", "f8", "c8"])
@pytest.mark.parametrize("dt", [None, "i8", "i4", "u8", "u1", "f8", "f4", "f2", "c16"])
def test_var_std_follow_numpys_steps(name, src, dt):
    """NumPy's `_var` and `nanvar` as their steps run: the sum in `dtype` (the input's own
    float dtype when none: float16 stays float16 and can overflow), the mean divided into
    it, the deviations subtracted and squared by ufuncs, their sum divided; with `dtype=`
    an integer type everything stays in integers (the mean truncated, deviations and
    squares wrapping, the quotient truncated) and std's root is `ret.dtype.type(sqrt(ret))`
    for a scalar and a casting error for an array. Values (bytes: NaN signs too), dtypes,
    exceptions and every warning in NumPy's order: degrees of freedom, each sum's
    "reduce" (a NaN or inf cast to an integer dtype warns once per sum), "divide",
    "subtract", "square", the last division and cast, "sqrt"; nanvar's ComplexWarning when
    its in-place subtraction drops a complex mean's imaginary part."""
    for values in ([], [1, 2, 4], [7], [5, 250, 3], [float("inf"), 1.0], [float("nan"), 2.0], [6e4, -6e4, 3.0]):
        for kw in ({}, {"keepdims": True}, {"axis": 0}, {"axis": 1}, {"ddof": 1}):
            got = last_step_outcome(ra, name, src, values, dt, kw)
            assert got == last_step_outcome(np, name, src, values, dt, kw), (values, kw)


@pytest.mark.parametrize("name", ["nanmean", "nanvar", "nanstd"])
def test_nan_functions_refuse_integer_dtype_for_inexact_input(name):
    for m in (np, ra):
        with pytest.raises(TypeError, match="If a is inexact, then dtype must be inexact"):
            getattr(m, name)(m.asarray([1.0, m.nan]), dtype="i8")
        with pytest.raises(TypeError, match="If a is inexact, then out must be inexact"):
            getattr(m, name)(m.asarray([1.0, m.nan]), out=m.zeros((), dtype="i8"))
    # Integer input has no NaN: NumPy's plain function runs.
    assert getattr(ra, name)(ra.asarray([1, 3]), dtype="i8") == getattr(np, name)(np.asarray([1, 3]), dtype="i8")


def test_std_with_integer_dtype_and_given_mean():
    # A scalar result takes the truncated root; an array one is NumPy's casting error.
    for m in (np, ra):
        assert m.std(m.asarray([1, 2, 4]), dtype="i8", mean=m.asarray([2])) == 1
        with pytest.raises(TypeError, match="Cannot cast ufunc 'sqrt' output"):
            m.std(m.asarray([1, 2, 4]), dtype="i8", mean=m.asarray([2]), keepdims=True)


def test_mean_warns_of_an_empty_slice_before_refusing_a_swapped_dtype():
    for m in (np, ra):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            with pytest.raises(TypeError, match="byte order"):
                m.mean(m.asarray([], dtype=">i2"), dtype=">i2")
        assert [str(x.message) for x in w] == ["Mean of empty slice"], m


@pytest.mark.parametrize("name", ["mean", "nanmean", "cumsum", "cumprod", "nancumsum", "nancumprod", "sum", "var"])
@pytest.mark.parametrize("shape", [(0,), (2, 3), (2, 0)])
@pytest.mark.parametrize("dtype", ["float64", "float16", "int64"])
def test_complex_reductions_to_a_real_dtype_warn_as_numpy(name, shape, dtype):
    """NumPy's reductions warn ComplexWarning when `dtype=` drops the imaginary part, in
    order with their other warnings (an empty mean's first)."""
    a = (np.arange(int(np.prod(shape))) * (1 + 1j)).reshape(shape).astype("complex64")
    want, nw = run(lambda: getattr(np, name)(a, axis=-1, dtype=dtype), ordered=True)
    got, rw = run(lambda: getattr(ra, name)(ra.asarray(a), axis=-1, dtype=dtype), ordered=True)
    assert rw == nw, (rw, nw)
    check(got, want)


@pytest.mark.parametrize("shape, axis", [((0,), None), ((2, 0), 0), ((2, 0), 1), ((0, 2), 1), ((2, 2), 0)])
def test_ptp_of_bools_fails_as_numpy(shape, axis):
    """Empty reductions fail in max (ValueError) before bool subtract is refused."""
    a = np.zeros(shape, bool)
    with pytest.raises(Exception) as want:
        np.ptp(a, axis=axis)
    with pytest.raises(Exception) as got:
        ra.ptp(ra.asarray(a), axis=axis)
    assert type(want.value).__mro__[-3] is type(got.value).__mro__[-3] or isinstance(got.value, type(want.value).__mro__[1])
    assert str(got.value) == str(want.value)


POSITIONAL_CALLS = [
    # NumPy's methods take these positionally (any/all have a hidden dtype second).
    lambda m, a: a.sum(0, None, None, True, 100, True),
    lambda m, a: a.prod(1, "f4", None, True, 2, m.asarray([True, False, True])),
    lambda m, a: a.max(0, None, True, 100, True),
    lambda m, a: a.min(None, None, True, -1),
    lambda m, a: a.any(0, None, None, True),
    lambda m, a: a.all(0, bool, None, True),
    lambda m, a: a.all(0, "f8"),
    lambda m, a: a.any(dtype="i4"),
    lambda m, a: a.any(0, None, None, True, True),
    lambda m, a: a.mean(0, None, None, True),
    lambda m, a: a.mean(0, None, None, True, True),
    lambda m, a: a.var(0, None, None, 1, True),
    lambda m, a: a.std(0, None, None, 1, True, True),
    lambda m, a: a.var(correction=1),
    lambda m, a: a.argmax(0, None, True),
    lambda m, a: m.sum(a, 0, None, None, True, 100, True),
    lambda m, a: m.max(a, 0, None, True, 100, True),
    lambda m, a: m.any(a, 0, None, True),
    lambda m, a: m.mean(a, 0, None, None, True),
    lambda m, a: m.var(a, 0, None, None, 1, True),
    lambda m, a: m.nansum(a, 0, None, None, True, 100, True),
    lambda m, a: m.nanmax(a, 0, None, True, 100, True),
    lambda m, a: m.ptp(a, 0, None, True),
    lambda m, a: m.cumsum(a, 0, None, None),
]


@pytest.mark.parametrize("call", POSITIONAL_CALLS)
def test_positional_arguments_as_numpy(call):
    n = np.arange(6.0).reshape(2, 3)
    want, ww = run(lambda: call(np, n))
    got, gw = run(lambda: call(ra, ra.asarray(n)))
    assert gw == ww
    if isinstance(want, Exception):
        assert type(got).__name__ == type(want).__name__ or isinstance(got, type(want).__mro__[1]), (got, want)
        # (Python's own signature errors name NumPy's internal helpers: only types compared.)
        if not any(t in str(want) for t in ("positional", "unexpected keyword")):
            assert str(got) == str(want)
    else:
        check(got, want)


@pytest.mark.parametrize("name", ["nanmax", "nanmin"])
@pytest.mark.parametrize("form", ["array", "list"])
def test_all_nan_warnings_are_worded_by_numpys_path(name, form):
    """NumPy's fmax/fmin path (ndarray input) says 'slice', its fallback (other input) 'axis'."""
    data = [[float("nan"), 1.0], [float("nan"), float("nan")]]
    want, ww = run(lambda: getattr(np, name)(np.asarray(data) if form == "array" else data, axis=1))
    got, gw = run(lambda: getattr(ra, name)(ra.asarray(data) if form == "array" else data, axis=1))
    assert gw == ww and ww
    check(got, want)


REDUCERS = ["sum", "prod", "max", "min", "mean", "std", "var", "ptp", "any", "nanmax", "nanmean", "nansum"]


@given(
    data=st.data(),
    name=st.sampled_from(REDUCERS + ["add.reduce", "maximum.reduce"]),
    shape=nps.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=3),
)
def test_out_shapes_fail_as_numpy(data, name, shape):
    """Every way an `out=` shape can be wrong (and right), with NumPy's message: drawn out
    shapes near the input's, any axis set, keepdims either way."""
    ndim = len(shape)
    axis = data.draw(
        st.one_of(st.none(), st.integers(0, ndim - 1), st.sets(st.integers(0, ndim - 1), min_size=1).map(tuple))
    )
    keepdims = data.draw(st.booleans())
    out_shape = data.draw(
        st.lists(st.sampled_from(sorted({0, 1, 2, 3, *shape})), min_size=0, max_size=ndim).map(tuple)
        | st.just(tuple(1 if axis is None or k in np.atleast_1d(axis) else d for k, d in enumerate(shape)))
    )

    def call(lib):
        f = lib
        for part in name.split("."):
            f = getattr(f, part)
        a = lib.arange(float(math.prod(shape))).reshape(shape)
        return f(a, axis=axis, out=lib.zeros(out_shape), keepdims=keepdims)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            want = call(np)
        except (ValueError, TypeError) as e:
            with pytest.raises(type(e)) as got:
                call(ra)
            assert str(got.value) == str(e)
            return
        got = call(ra)
    assert got.shape == want.shape
    np.testing.assert_allclose(to_numpy(got), want, rtol=1e-12)


@pytest.mark.parametrize("name", ["argmax", "argmin", "nanargmax", "nanargmin"])
@pytest.mark.parametrize("out_shape", [(3,), (2, 1), (2,), (), (1, 1), (2, 3)])
@pytest.mark.parametrize("code", ["i8", ">i8", "i4", "u1", "?", "u8", "f8", "f4", "c8", "S8"])
@pytest.mark.parametrize("axis, keepdims", [(1, False), (1, True), (None, False), (None, True), (0, False)])
def test_arg_out_fails_as_numpy(name, out_shape, code, axis, keepdims):
    def call(lib):
        a = lib.array([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]])
        out = lib.zeros(out_shape, dtype=code)
        return getattr(lib, name)(a, axis=axis, out=out, keepdims=keepdims), out

    try:
        want, wout = call(np)
    except (ValueError, TypeError) as e:
        with pytest.raises(type(e)) as got:
            call(ra)
        assert str(got.value) == str(e)
        return
    got, gout = call(ra)
    assert got is gout
    assert gout.tolist() == wout.tolist()
