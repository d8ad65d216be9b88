"""The shape functions (``squeeze`` .. ``tile``, python/rawarray/_shape.py) against NumPy:
dtype, shape, strides, flags and bytes of every result, view or copy as NumPy, and the
same exception type and message for bad axes and shapes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rawarray as ra
import strategies
from oracle import assert_same


def arrays(shape=None, dtype=None):
    return strategies.arrays(dtype=dtype, shape=shape)


def as_ra(n):
    """A rawarray view of NumPy's memory with the same strides (so layouts carry over)."""
    return ra.asarray(n)


def compare(r, n, *, views=None):
    """Compare results recursively; ``views`` True/False also checks ``.base``."""
    if isinstance(n, np.ndarray):
        assert_same(r, n)
        if views is not None:
            assert (r.base is not None) == views
            assert (n.base is not None) == views
        return
    if isinstance(n, (list, tuple)):
        assert type(r) is type(n), (type(r), type(n))
        assert len(r) == len(n)
        for x, y in zip(r, n):
            compare(x, y, views=views)
        return
    if isinstance(n, np.generic):
        assert isinstance(r, ra.generic)
        assert r.dtype.str == n.dtype.str and r.tobytes() == n.tobytes()
        return
    assert r == n


def same_outcome(call, n_args, r_args, kwargs=None, *, views=None):
    """Call ``call(np, ...)`` and ``call(ra, ...)``: both succeed with the same result, or
    both raise the same kind of exception with the same message."""
    kwargs = kwargs or {}
    try:
        expected = call(np, *n_args, **kwargs)
    except Exception as e:
        with pytest.raises(Exception) as info:
            call(ra, *r_args, **kwargs)
        got = info.value
        if isinstance(e, np.exceptions.AxisError):
            assert isinstance(got, ra.AxisError), repr(got)
            assert isinstance(got, ValueError) and isinstance(got, IndexError)
        else:
            assert type(got).__name__ == type(e).__name__, (repr(got), repr(e))
        assert str(got) == str(e), (str(got), str(e))
        return None
    got = call(ra, *r_args, **kwargs)
    if views and n_args and expected is n_args[0]:
        assert got is r_args[0]  # NumPy returns its input itself
        compare(got, expected)
        return got
    compare(got, expected, views=views)
    return got


def axes_for(ndim, extra=2):
    return st.integers(-ndim - extra, ndim + extra - 1)


def axis_tuples(ndim):
    return st.lists(axes_for(ndim), max_size=ndim + 1).map(tuple)


# --------------------------------------------------------------------------------------
# AxisError


def test_axis_error_is_value_and_index_error():
    assert issubclass(ra.AxisError, ValueError) and issubclass(ra.AxisError, IndexError)
    assert ra.exceptions.AxisError is ra.AxisError
    assert ra.lib.stride_tricks.sliding_window_view.__globals__["AxisError"] is ra.AxisError
    assert str(ra.AxisError(3, 2)) == str(np.exceptions.AxisError(3, 2))
    assert str(ra.AxisError(3, 2, "source")) == str(np.exceptions.AxisError(3, 2, "source"))
    assert str(ra.AxisError("plain")) == str(np.exceptions.AxisError("plain"))


# --------------------------------------------------------------------------------------
# views


@given(st.data())
def test_squeeze(data):
    n = data.draw(arrays(shape=strategies.shapes(max_side=3)))
    axis = data.draw(st.one_of(st.none(), axes_for(n.ndim), axis_tuples(n.ndim)))
    same_outcome(lambda m, a: m.squeeze(a, axis=axis), (n,), (as_ra(n),), views=True)


def test_squeeze_0d_and_all_ones():
    for shape in [(), (1,), (1, 1, 1)]:
        n = np.zeros(shape, "<i2")
        same_outcome(lambda m, a: m.squeeze(a), (n,), (as_ra(n),), views=True)


@given(st.data())
def test_expand_dims(data):
    n = data.draw(arrays())
    axis = data.draw(st.one_of(axes_for(n.ndim + 1), axis_tuples(n.ndim + 2)))
    same_outcome(lambda m, a: m.expand_dims(a, axis), (n,), (as_ra(n),), views=True)


@given(st.data())
def test_swapaxes(data):
    n = data.draw(arrays())
    a1, a2 = data.draw(axes_for(n.ndim)), data.draw(axes_for(n.ndim))
    same_outcome(lambda m, a: m.swapaxes(a, a1, a2), (n,), (as_ra(n),), views=True)


@given(st.data())
def test_moveaxis(data):
    n = data.draw(arrays())
    src = data.draw(st.one_of(axes_for(n.ndim, 1), st.lists(axes_for(n.ndim, 1), max_size=n.ndim)))
    dst = data.draw(st.one_of(axes_for(n.ndim, 1), st.lists(axes_for(n.ndim, 1), max_size=n.ndim)))
    same_outcome(lambda m, a: m.moveaxis(a, src, dst), (n,), (as_ra(n),), views=True)


@given(st.data())
def test_flip(data):
    n = data.draw(arrays())
    axis = data.draw(st.one_of(st.none(), axes_for(n.ndim), axis_tuples(n.ndim)))
    views = None if (n.ndim == 0 and axis is None) else True
    same_outcome(lambda m, a: m.flip(a, axis), (n,), (as_ra(n),), views=views)


@given(arrays())
def test_fliplr_flipud(n):
    same_outcome(lambda m, a: m.fliplr(a), (n,), (as_ra(n),), views=True)
    same_outcome(lambda m, a: m.flipud(a), (n,), (as_ra(n),), views=True)


def test_flip_views_share_memory():
    r = ra.arange(6).reshape(2, 3)
    f = ra.flip(r)
    f[0, 0] = 99
    assert r[1, 2] == 99
    s = ra.squeeze(r[None])
    s[0, 0] = 7
    assert r[0, 0] == 7


# --------------------------------------------------------------------------------------
# broadcasting


def broadcastable_shape(shape):
    """A shape that ``shape`` may (or, sometimes, may not) broadcast to."""

    @st.composite
    def build(draw):
        lead = draw(st.lists(st.integers(0, 3), max_size=2))
        tail = [draw(st.sampled_from([d, d, 1 if d != 1 else 3, 2])) if d != 1 else draw(st.integers(0, 3)) for d in shape]
        return tuple(lead + tail)

    return build()


@given(st.data())
def test_broadcast_to(data):
    n = data.draw(arrays(shape=strategies.shapes(max_dims=3, max_side=3)))
    shape = data.draw(st.one_of(broadcastable_shape(n.shape), strategies.shapes(max_dims=3, max_side=3)))
    got = same_outcome(lambda m, a: m.broadcast_to(a, shape), (n,), (as_ra(n),), views=True)
    if got is not None:
        assert not got.flags.writeable


def test_broadcast_to_errors():
    n = np.zeros((3,))
    for shape in [(), (-1, 3), (2, 4), 4, (3, 1)]:
        same_outcome(lambda m, a: m.broadcast_to(a, shape), (n,), (as_ra(n),))
    same_outcome(lambda m, a: m.broadcast_to(a, 5), (np.float32(2),), (ra.float32(2),))


@given(st.lists(strategies.shapes(max_dims=3, max_side=3), max_size=4), st.data())
def test_broadcast_shapes(shapes, data):
    shapes = [data.draw(st.one_of(st.just(s), broadcastable_shape(s))) for s in shapes]
    same_outcome(lambda m, *s: m.broadcast_shapes(*s), shapes, shapes)


def test_broadcast_shapes_ints_and_negative():
    same_outcome(lambda m, *s: m.broadcast_shapes(*s), (3, (2, 1)), (3, (2, 1)))
    same_outcome(lambda m, *s: m.broadcast_shapes(*s), ((-1,),), ((-1,),))


# NumPy warns when the writeable flag of a broadcast_arrays result is read
@pytest.mark.filterwarnings("ignore:future versions will not create a writeable array:FutureWarning")
@given(st.data())
def test_broadcast_arrays(data):
    k = data.draw(st.integers(1, 3))
    base_shape = data.draw(strategies.shapes(max_dims=3, max_side=3))
    ns = [data.draw(arrays(shape=st.one_of(st.just(base_shape), broadcastable_shape(base_shape)))) for _ in range(k)]
    got = same_outcome(lambda m, *a: m.broadcast_arrays(*a), ns, [as_ra(n) for n in ns])
    if got is not None:
        for r, n in zip(got, ns):
            if r.shape != n.shape:
                assert r.base is not None


@given(st.lists(arrays(shape=strategies.shapes(max_dims=4, max_side=2)), min_size=1, max_size=3))
def test_atleast(ns):
    for name in ["atleast_1d", "atleast_2d", "atleast_3d"]:
        same_outcome(lambda m, *a: getattr(m, name)(*a), ns, [as_ra(n) for n in ns])
    for name in ["atleast_1d", "atleast_2d", "atleast_3d"]:
        r = as_ra(ns[0])
        if r.ndim >= int(name[-2]):
            assert getattr(ra, name)(r) is r


# --------------------------------------------------------------------------------------
# joining


@st.composite
def joinable(draw, same_dtype=False, same_shape=False):
    """Arrays of one ndim whose shapes agree except along ``axis`` (which may be out of
    range, or the shapes may disagree, now and then)."""
    base = list(draw(strategies.shapes(max_dims=3, max_side=3).filter(lambda s: len(s) > 0)))
    k = draw(st.integers(1, 3))
    axis = draw(st.integers(-len(base) - 1, len(base)))
    dt = draw(strategies.dtypes())
    out = []
    for _ in range(k):
        shape = list(base)
        if not same_shape and -len(base) <= axis < len(base):
            shape[axis] = draw(st.integers(0, 3))
        if draw(st.integers(0, 15)) == 0:
            shape[draw(st.integers(0, len(shape) - 1))] += 1
        d = dt if same_dtype or draw(st.booleans()) else draw(strategies.dtypes())
        out.append(draw(arrays(shape=st.just(tuple(shape)), dtype=st.just(d))))
    return out, axis


@given(joinable())
def test_concatenate(case):
    ns, axis = case
    same_outcome(lambda m, *a: m.concatenate(a, axis=axis), ns, [as_ra(n) for n in ns], views=False)


@given(joinable())
def test_concatenate_axis_none(case):
    ns, _ = case
    same_outcome(lambda m, *a: m.concatenate(a, axis=None), ns, [as_ra(n) for n in ns], views=False)


@pytest.mark.filterwarnings("ignore:overflow encountered in cast:RuntimeWarning")
@given(joinable(), strategies.dtypes())
def test_concatenate_dtype(case, dt):
    ns, axis = case
    same_outcome(lambda m, *a: m.concatenate(a, axis=axis, dtype=dt.str), ns, [as_ra(n) for n in ns], views=False)


def test_concatenate_out_and_errors():
    n = np.arange(6.0).reshape(2, 3)
    r = as_ra(n)
    out_r = ra.zeros((4, 3))
    assert ra.concatenate([r, r], out=out_r) is out_r
    assert_same(out_r, np.concatenate([n, n]))
    for args, kw in [
        ((), {}),
        (([],), {}),
        (([np.float64(1)],), {}),
        (([n, n[0]],), {}),
        (([n, n],), {"axis": 2}),
        (([n, n],), {"out": np.zeros((4, 3)), "dtype": "f8"}),
    ]:
        def call(m, *a, args=args, kw=kw):
            conv = np.asarray if m is np else ra.asarray
            if not args:
                return m.concatenate((), **kw)
            kw2 = {k: (conv(v) if k == "out" else v) for k, v in kw.items()}
            return m.concatenate([conv(x) for x in args[0]], **kw2)

        same_outcome(call, (), ())
    with pytest.raises(ValueError, match="wrong shape"):
        ra.concatenate([r, r], out=ra.zeros((3, 3)))
    with pytest.raises(TypeError, match="same_kind"):
        ra.concatenate([r, r], dtype="i4")
    with pytest.raises(TypeError, match="same_kind"):
        np.concatenate([n, n], dtype="i4")


def test_concatenate_bytes():
    a = np.array([b"a", b"b"], "S1")
    b = np.array([b"xyz"], "S3")
    compare(ra.concatenate([as_ra(a), as_ra(b)]), np.concatenate([a, b]))


@given(joinable(same_shape=True), st.integers(-5, 4))
def test_stack(case, axis):
    ns, _ = case
    same_outcome(lambda m, *a: m.stack(a, axis=axis), ns, [as_ra(n) for n in ns], views=False)


def test_stack_errors():
    for call in [
        lambda m: m.stack([]),
        lambda m: m.stack([m.zeros(2), m.zeros(3)]),
        lambda m: m.stack(x for x in [m.zeros(2)]),
    ]:
        same_outcome(lambda m: call(m), (), ())


@st.composite
def small_arrays_for_stacking(draw):
    """Arrays of 0..3 dims with shapes often compatible for the *stack functions."""
    base = draw(strategies.shapes(max_dims=3, max_side=3))
    k = draw(st.integers(1, 3))
    dt = draw(strategies.dtypes())
    out = []
    for _ in range(k):
        nd = draw(st.integers(0, len(base)))
        shape = list(base[len(base) - nd :])
        if shape and draw(st.booleans()):
            i = draw(st.integers(0, len(shape) - 1))
            shape[i] = draw(st.integers(0, 3))
        d = dt if draw(st.booleans()) else draw(strategies.dtypes())
        out.append(draw(arrays(shape=st.just(tuple(shape)), dtype=st.just(d))))
    return out


@given(small_arrays_for_stacking())
def test_vstack_hstack_dstack_column_stack(ns):
    for name in ["vstack", "hstack", "dstack", "column_stack"]:
        same_outcome(lambda m, *a: getattr(m, name)(a), ns, [as_ra(n) for n in ns], views=False)


# --------------------------------------------------------------------------------------
# splitting


@given(st.data())
def test_split_array_split(data):
    n = data.draw(arrays(shape=strategies.shapes(max_dims=3, max_side=5)))
    axis = data.draw(st.integers(-n.ndim - 1, n.ndim))
    spec = data.draw(
        st.one_of(
            st.integers(-1, 6),
            st.lists(st.integers(-7, 7), max_size=4),
        )
    )
    for name in ["split", "array_split"]:
        same_outcome(lambda m, a: getattr(m, name)(a, spec, axis=axis), (n,), (as_ra(n),), views=True)


# --------------------------------------------------------------------------------------
# repetition


@given(st.data())
def test_repeat(data):
    n = data.draw(arrays(shape=strategies.shapes(max_dims=3, max_side=4)))
    axis = data.draw(st.one_of(st.none(), axes_for(n.ndim, 1)))
    length = n.size if axis is None else (n.shape[axis] if -n.ndim <= axis < n.ndim else 1)
    reps = data.draw(
        st.one_of(
            st.integers(0, 3),
            st.lists(st.integers(0, 3), min_size=length, max_size=length),
            st.lists(st.integers(0, 3), min_size=1, max_size=1),
            st.lists(st.integers(-1, 3), max_size=5),
            st.just(-1),
        )
    )
    same_outcome(lambda m, a: m.repeat(a, reps, axis=axis), (n,), (as_ra(n),), views=False)
    if isinstance(reps, list) and len(reps) == length and length:
        same_outcome(lambda m, a: m.repeat(a, m.asarray(reps), axis=axis), (n,), (as_ra(n),), views=False)


@given(st.data())
def test_tile(data):
    n = data.draw(arrays(shape=strategies.shapes(max_dims=3, max_side=3)))
    reps = data.draw(st.one_of(st.integers(0, 3), st.lists(st.integers(0, 3), max_size=4).map(tuple)))
    same_outcome(lambda m, a: m.tile(a, reps), (n,), (as_ra(n),))


def test_concatenate_result_dtype_every_triple():
    """NumPy's result_type of several dtypes is not a left fold of promote_types (uint16,
    int8, float16 give float32): every pair and triple of numeric dtypes, in order."""
    import itertools

    codes = strategies.NUMERIC_CODES
    for k in (1, 2, 3):
        for cs in itertools.product(codes, repeat=k):
            expected = np.concatenate([np.zeros(1, c) for c in cs]).dtype.str
            assert ra.concatenate([ra.zeros(1, c) for c in cs]).dtype.str == expected, cs


@given(st.lists(st.sampled_from(strategies.NUMERIC_CODES), min_size=1, max_size=8))
def test_concatenate_result_dtype_many(codes):
    expected = np.concatenate([np.zeros(1, c) for c in codes]).dtype.str
    assert ra.concatenate([ra.zeros(1, c) for c in codes]).dtype.str == expected


# --------------------------------------------------------------------------------------
# roll, ascontiguousarray, asfortranarray, concatenate with bytes and casting=


@given(st.data())
def test_roll(data):
    n = data.draw(arrays(shape=strategies.shapes(max_dims=3, max_side=4)))
    shift = data.draw(st.one_of(st.integers(-7, 7), st.lists(st.integers(-7, 7), min_size=1, max_size=3).map(tuple)))
    axis = data.draw(st.one_of(st.none(), axes_for(n.ndim, 1), axis_tuples(n.ndim)))
    same_outcome(lambda m, a: m.roll(a, shift, axis=axis), (n,), (as_ra(n),))


@given(st.data())
def test_ascontiguousarray_asfortranarray(data):
    n = data.draw(arrays(dtype=strategies.dtypes(numeric_only=False)))
    dt = data.draw(st.one_of(st.none(), st.sampled_from(["f8", ">i4", "c8"])))
    for fn in ("ascontiguousarray", "asfortranarray"):
        got = getattr(ra, fn)(as_ra(n), dtype=dt) if n.dtype.kind != "S" or dt is None else None
        if got is None:
            continue
        want = getattr(np, fn)(n, dtype=dt)
        assert_same(got, want)
        if dt is None and n.size and n.ndim and (n.flags.c_contiguous if fn[2] == "c" else n.flags.f_contiguous):
            assert ra.shares_memory(got, as_ra(n))  # no copy when the input already qualifies


@given(joinable(), st.sampled_from(["S1", "S4", "S30"]))
def test_concatenate_bytes_with_numbers(case, code):
    ns, axis = case
    ns = [n.astype(code) if k % 2 else n for k, n in enumerate(ns)] if len(ns) > 1 else ns
    same_outcome(lambda m, *a: m.concatenate(a, axis=axis), ns, [as_ra(n) for n in ns], views=False)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@given(joinable(), st.sampled_from(["no", "equiv", "safe", "same_kind", "unsafe"]), st.one_of(st.none(), strategies.dtypes()))
def test_concatenate_casting(case, casting, dt):
    ns, axis = case
    if dt is not None and casting == "unsafe":
        dt = None  # out-of-range unsafe casts are the cast kernels' business (test_concatenate_dtype)
    kw = {"casting": casting} if dt is None else {"casting": casting, "dtype": dt.str}
    same_outcome(lambda m, *a: m.concatenate(a, axis=axis, **kw), ns, [as_ra(n) for n in ns], views=False)
