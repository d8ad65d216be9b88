"""The index functions (take, put, compress, nonzero, argwhere, flatnonzero, where,
extract, place, putmask, copyto) against NumPy: every dtype in both byte orders, strided,
reversed and unaligned inputs, every mode; the same results (dtype, shape, strides, flags,
bytes) or the same exception type and message; and no half-done writes on error."""

from __future__ import annotations

import ctypes

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import rawarray as ra
import strategies
from oracle import assert_same
from test_shape import compare, same_outcome

ALL_CODES = strategies.NUMERIC_CODES + ["S1", "S3", "V3"]


@st.composite
def any_dtype(draw):
    """Every dtype kind rawarray has, numbers in either byte order (``V3`` is built as a
    view of ``S3``)."""
    return draw(st.one_of(strategies.dtypes(numeric_only=False), st.just(np.dtype("V3"))))


@st.composite
def any_array(draw, shape=None):
    dt = draw(any_dtype())
    if dt.kind == "V":
        n = draw(strategies.arrays(dtype=st.just(np.dtype("S3")), shape=shape))
        return n.view("V3")
    return draw(strategies.arrays(dtype=st.just(dt), shape=shape))


def writable_twin(n: np.ndarray) -> np.ndarray:
    """A writable copy of ``n`` with the same strides and alignment offset, in its own
    memory (so NumPy and rawarray can each write to their own)."""
    if n.size == 0:
        return n.copy()
    lo, hi = np.lib.array_utils.byte_bounds(n)
    raw = bytearray(ctypes.string_at(lo, hi - lo))
    offset = n.__array_interface__["data"][0] - lo
    return np.ndarray(n.shape, n.dtype, buffer=raw, offset=offset, strides=n.strides)


def index_arrays(length: int, size_max: int = 6):
    """Integer index arrays (any integer dtype and byte order, possibly reversed), mostly in
    range for an axis of ``length`` and sometimes out of it."""
    lim = max(length, 1) * 2
    codes = st.sampled_from(["i1", "<i2", ">i4", "<i8", ">i8", "u1", ">u2", "<u4", "u8"])

    @st.composite
    def draw_it(draw):
        code = draw(codes)
        lo = 0 if code.lstrip("<>")[0] == "u" else max(-lim, -128)  # int8 holds -128 at least
        values = draw(st.lists(st.integers(lo, min(lim, 127)), max_size=size_max))
        shape = draw(st.sampled_from([(len(values),), (1, len(values))] + ([()] if len(values) == 1 else [])))
        idx = np.array(values, dtype=code).reshape(shape)
        if draw(st.booleans()) and idx.ndim:
            idx = idx[..., ::-1]
        return idx

    return draw_it()


# --------------------------------------------------------------------------------------
# take


@given(st.data())
def test_take(data):
    n = data.draw(any_array())
    axis = data.draw(st.one_of(st.none(), st.integers(-n.ndim - 1, n.ndim)))
    length = n.size if axis is None else (n.shape[axis] if -n.ndim <= axis < n.ndim else 1)
    idx = data.draw(index_arrays(length))
    # (NumPy loops forever on a negative index in 'wrap' mode along an empty axis)
    mode = data.draw(st.sampled_from(["raise", "wrap", "clip"] if length else ["raise", "clip"]))
    same_outcome(lambda m, a: m.take(a, idx, axis=axis, mode=mode), (n,), (ra.asarray(n),))
    # the method agrees, with a rawarray index array too
    same_outcome(lambda m, a: a.take(m.asarray(idx), axis=axis, mode=mode), (n,), (ra.asarray(n),))


@given(st.data())
def test_take_out(data):
    n = data.draw(strategies.arrays(shape=strategies.shapes(max_dims=2)))
    idx = data.draw(index_arrays(n.size))
    code = data.draw(st.sampled_from(strategies.NUMERIC_CODES))
    shape = data.draw(st.sampled_from([idx.shape, (idx.size + 1,)]))
    if np.dtype(code).char == "I" and n.dtype.kind in "fc":
        # NumPy's SIMD float -> uint32 loop gives other values than its scalar loop (which
        # rawarray follows) outside uint32's range.
        assume(bool(np.all(np.abs(n.real) < 2**31)))

    def call(m, a):
        out = m.zeros(shape, code)
        r = m.take(a, idx, out=out, mode="clip")
        assert r is out
        return out

    same_outcome(call, (n,), (ra.asarray(n),))


def test_take_scalar_and_errors():
    n = np.arange(5.0)
    r = ra.asarray(n)
    compare(ra.take(r, 2), np.take(n, 2))
    compare(ra.take([[1, 2], [3, 4]], [1], axis=1), np.take([[1, 2], [3, 4]], [1], axis=1))
    for call in [
        lambda m, a: m.take(a, [5]),
        lambda m, a: m.take(a, [-6]),
        lambda m, a: m.take(a, [1], axis=1),
        lambda m, a: m.take(a, [1], mode="bogus"),
        lambda m, a: m.take(a[:0], [0], mode="wrap"),
        lambda m, a: m.take(a, [1.7]),
        lambda m, a: m.take(a, [1], out=m.zeros(2)),
        lambda m, a: m.take(a, [1], out=m.zeros(1, "f4")),
    ]:
        same_outcome(call, (n,), (r,))


# --------------------------------------------------------------------------------------
# put


@given(st.data())
def test_put(data):
    n = data.draw(any_array(shape=strategies.shapes(max_dims=3, max_side=4)))
    idx = data.draw(index_arrays(n.size))
    values = data.draw(any_array(shape=strategies.shapes(max_dims=1, max_side=4)).filter(lambda v: v.dtype.kind == n.dtype.kind))
    mode = data.draw(st.sampled_from(["raise", "wrap", "clip"]))
    a_np, a_ra_mem = writable_twin(n), writable_twin(n)
    a_ra = ra.asarray(a_ra_mem)
    before = a_ra.tobytes()
    try:
        np.put(a_np, idx, values, mode=mode)
    except Exception as e:
        with pytest.raises(type(e)) as info:
            ra.put(a_ra, idx, ra.asarray(values), mode=mode)
        assert str(info.value) == str(e)
        assert a_ra.tobytes() == before  # nothing written
        return
    ra.put(a_ra, ra.asarray(idx), ra.asarray(values), mode=mode)
    assert_same(a_ra, a_np)


def test_put_errors_and_method():
    for call in [
        lambda m: m.put(m.zeros(0), [1], [3]),
        lambda m: m.put([1, 2], [0], [3]),
        lambda m: m.put(m.zeros(3), [0], [1], mode="bogus"),
    ]:
        with pytest.raises(Exception) as e_np:
            call(np)
        with pytest.raises(type(e_np.value)):
            call(ra)
    r = ra.zeros(4, "i4")
    r.put([1, -1], [7.9, 8])
    n = np.zeros(4, "i4")
    n.put([1, -1], [7.9, 8])
    assert_same(r, n)
    ro = ra.zeros(3)
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        ra.put(ro, [0], [1])


# --------------------------------------------------------------------------------------
# nonzero and friends


@st.composite
def truthy_arrays(draw):
    """Arrays with many zeros (and -0.0 and NaN for floats) in any layout."""
    dt = draw(any_dtype())
    if dt.kind == "V":
        return draw(any_array())
    if dt.kind in "fc":
        elements = st.sampled_from([0.0, -0.0, float("nan"), 1.0, -2.5])
    elif dt.kind == "S":
        elements = st.sampled_from([b"", b"\x00", b"a", b" "])
    elif dt.kind == "b":
        elements = st.booleans()
    else:
        elements = st.sampled_from([0, 0, 1, 3])
    n = draw(strategies.arrays(dtype=st.just(dt), shape=strategies.shapes(max_dims=3)))
    vals = draw(st.lists(elements, min_size=n.size, max_size=n.size))
    c = np.array(vals, dtype=dt).reshape(n.shape) if n.size else n.copy()
    if n.ndim and draw(st.booleans()):
        c = c[..., ::-1]
    return c


@given(truthy_arrays())
def test_nonzero_flatnonzero_argwhere(n):
    r = ra.asarray(n)
    same_outcome(lambda m, a: m.nonzero(a), (n,), (r,))
    same_outcome(lambda m, a: a.nonzero(), (n,), (r,))
    same_outcome(lambda m, a: m.flatnonzero(a), (n,), (r,))
    same_outcome(lambda m, a: m.argwhere(a), (n,), (r,))


@given(st.data())
def test_compress(data):
    n = data.draw(any_array(shape=strategies.shapes(max_dims=3, max_side=4)))
    axis = data.draw(st.one_of(st.none(), st.integers(-n.ndim - 1, n.ndim)))
    length = n.size if axis is None else (n.shape[axis] if -n.ndim <= axis < n.ndim else 1)
    cond = data.draw(st.lists(st.integers(0, 2), max_size=length + 1))
    same_outcome(lambda m, a: m.compress(cond, a, axis=axis), (n,), (ra.asarray(n),))
    same_outcome(lambda m, a: a.compress(cond, axis=axis), (n,), (ra.asarray(n),))


def test_compress_needs_1d_condition():
    same_outcome(lambda m, a: m.compress([[0, 1]], a), (np.arange(4),), (ra.arange(4),))


@given(truthy_arrays(), st.data())
def test_extract(cond, data):
    n = data.draw(any_array(shape=st.just(cond.shape)))
    same_outcome(lambda m, c, a: m.extract(c, a), (cond, n), (ra.asarray(cond), ra.asarray(n)))


@given(st.data())
def test_place_and_putmask(data):
    n = data.draw(any_array(shape=strategies.shapes(max_dims=3, max_side=4)))
    mask = data.draw(st.lists(st.booleans(), min_size=n.size, max_size=n.size))
    mask_shape = data.draw(st.sampled_from([n.shape, (n.size,)]))
    mask = np.array(mask, bool).reshape(mask_shape)
    values = data.draw(any_array(shape=strategies.shapes(max_dims=1, max_side=4)).filter(lambda v: v.dtype.kind == n.dtype.kind))
    for fn in ("place", "putmask"):
        a_np, a_ra = writable_twin(n), ra.asarray(writable_twin(n))
        before = a_ra.tobytes()
        try:
            getattr(np, fn)(a_np, mask, values)
        except Exception as e:
            with pytest.raises(type(e)) as info:
                getattr(ra, fn)(a_ra, ra.asarray(mask), ra.asarray(values))
            assert str(info.value) == str(e)
            assert a_ra.tobytes() == before
            continue
        getattr(ra, fn)(a_ra, ra.asarray(mask), ra.asarray(values))
        assert_same(a_ra, a_np)


def test_place_putmask_errors():
    for fn in ("place", "putmask"):
        same_outcome(lambda m, a: getattr(m, fn)(a, [True, False], [1]), (np.arange(3),), (ra.arange(3),))
    same_outcome(lambda m, a: m.place(a, [True, False, True], []), (np.arange(3),), (ra.arange(3),))
    with pytest.raises(TypeError):
        ra.place([1, 2], [True, False], [3])


# --------------------------------------------------------------------------------------
# where


def operands():
    """An array (any numeric dtype and layout) or a Python scalar."""
    return st.one_of(
        strategies.arrays(shape=strategies.shapes(max_dims=2, max_side=3)),
        st.integers(-300, 300),
        st.floats(-1e3, 1e3),
        st.complex_numbers(max_magnitude=1e3),
        st.booleans(),
    )


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.filterwarnings("ignore::numpy.exceptions.ComplexWarning")
@pytest.mark.filterwarnings("ignore::rawarray.exceptions.ComplexWarning")
@given(truthy_arrays(), operands(), operands())
def test_where_three_arguments(cond, x, y):
    conv = lambda v: ra.asarray(v) if isinstance(v, np.ndarray) else v  # noqa: E731
    try:
        expected = np.where(cond, x, y)
    except Exception as e:
        with pytest.raises(Exception) as info:
            ra.where(ra.asarray(cond), conv(x), conv(y))
        assert isinstance(info.value, type(e).__mro__[1] if type(e).__name__ == "DTypePromotionError" else type(e))
        return
    got = ra.where(ra.asarray(cond), conv(x), conv(y))
    if expected.dtype.kind in "fc":
        # the same values, NaNs compared by position
        assert got.dtype.str == expected.dtype.str and got.shape == expected.shape
        e, g = np.asarray(expected), np.frombuffer(got.tobytes(), expected.dtype).reshape(expected.shape)
        np.testing.assert_array_equal(g, e)
    else:
        assert_same(got, expected, flags=False)


def test_where_one_argument_and_errors():
    n = np.array([[0, 1], [2, 0]])
    same_outcome(lambda m, a: m.where(a), (n,), (ra.asarray(n),))
    same_outcome(lambda m, a: m.where(a, 1), (n,), (ra.asarray(n),))
    same_outcome(lambda m: m.where(m.asarray(5)), (), ())
    with pytest.raises(ValueError, match="broadcast"):
        ra.where([True, False, True], ra.zeros(2), 1.0)


# --------------------------------------------------------------------------------------
# copyto


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.filterwarnings("ignore::numpy.exceptions.ComplexWarning")
@pytest.mark.filterwarnings("ignore::rawarray.exceptions.ComplexWarning")
@given(st.data())
def test_copyto(data):
    dst = data.draw(strategies.arrays(shape=strategies.shapes(max_dims=3, max_side=3)))
    tail = data.draw(st.integers(0, dst.ndim))
    src_shape = tuple(data.draw(st.sampled_from([d, 1])) for d in dst.shape[dst.ndim - tail :])
    src = data.draw(st.one_of(strategies.arrays(shape=st.just(src_shape)), st.integers(-300, 300), st.floats(-10, 10)))
    casting = data.draw(st.sampled_from(["no", "equiv", "safe", "same_kind", "unsafe"]))
    where = data.draw(st.one_of(st.just(True), st.lists(st.booleans(), min_size=dst.shape[-1] if dst.ndim else 1, max_size=dst.shape[-1] if dst.ndim else 1)))
    if isinstance(where, list) and dst.ndim == 0:
        where = where[0]
    d_np, d_ra = writable_twin(dst), ra.asarray(writable_twin(dst))
    before = d_ra.tobytes()
    s_ra = ra.asarray(src) if isinstance(src, np.ndarray) else src
    w_ra = ra.asarray(np.array(where, dtype=bool)) if isinstance(where, list) else where
    try:
        np.copyto(d_np, src, casting=casting, where=where)
    except Exception as e:
        with pytest.raises(type(e)) as info:
            ra.copyto(d_ra, s_ra, casting=casting, where=w_ra)
        assert str(info.value) == str(e)
        assert d_ra.tobytes() == before
        return
    ra.copyto(d_ra, s_ra, casting=casting, where=w_ra)
    assert_same(d_ra, d_np)


def test_copyto_errors():
    cases = [
        lambda m: m.copyto(m.zeros(3, "i8"), m.zeros(3)),
        lambda m: m.copyto(m.zeros(3, "i8"), 1.5),
        lambda m: m.copyto(m.zeros(3, "i1"), 1000),
        lambda m: m.copyto(m.zeros(3), m.zeros(2)),
        lambda m: m.copyto(m.zeros(3), 1.0, where=m.asarray([1, 0, 1])),
        lambda m: m.copyto(m.zeros(3), 1.0, casting="bogus"),
        lambda m: m.copyto(m.zeros(3, ">f8"), m.zeros(3), casting="no"),
    ]
    for call in cases:
        same_outcome(lambda m, call=call: call(m), (), ())
    r = ra.arange(6.0)
    ra.copyto(r[1:], r[:-1])  # overlapping source reads the old values
    n = np.arange(6.0)
    np.copyto(n[1:], n[:-1])
    assert_same(r, n)
