"""ndarray attributes and methods against NumPy on every dtype, byte order and layout."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

import rawarray as ra
from oracle import assert_same, twin
from strategies import NUMERIC_CODES, dtypes, shapes


@st.composite
def views(draw, dtype=None, numeric_only=True):
    """A (rawarray, numpy) pair of equal views: random values, then a random basic index and
    possibly a transpose, so strides are negative, zero-length, non-contiguous or F-ordered."""
    dt = draw(dtype if dtype is not None else dtypes(numeric_only=numeric_only))
    n = draw(nps.arrays(dt, draw(shapes())))
    r = twin(n)
    key = draw(nps.basic_indices(n.shape, min_dims=0, allow_newaxis=True, allow_ellipsis=True))
    nv, rv = n[key], r[key]
    if not isinstance(nv, np.ndarray):
        nv, rv = n, r
    if draw(st.booleans()):
        nv, rv = nv.T, rv.T
    assert_same(rv, nv)
    return rv, nv


@given(views())
def test_attributes(pair):
    r, n = pair
    assert r.shape == n.shape and r.ndim == n.ndim and r.size == n.size
    assert r.itemsize == n.itemsize and r.nbytes == n.nbytes
    assert r.dtype == n.dtype.str
    assert r.flags.aligned == n.flags.aligned
    assert r.flags["C_CONTIGUOUS"] == n.flags["C_CONTIGUOUS"]
    assert r.flags["F_CONTIGUOUS"] == n.flags["F_CONTIGUOUS"]
    if r.ndim:
        assert len(r) == len(n)
    else:
        with pytest.raises(TypeError):
            len(r)


@given(views(numeric_only=False))
def test_tolist_and_tobytes(pair):
    r, n = pair
    if n.dtype.kind != "V":
        want = n.tolist()
        got = r.tolist()
        assert np.array_equal(np.array(got, dtype=n.dtype), np.array(want, dtype=n.dtype), equal_nan=n.dtype.kind in "fc")
        assert type(got) is type(want)
    for order in ["C", "F", "A", "K"]:
        assert r.tobytes(order) == n.tobytes(order), order


@given(views(), st.sampled_from(["C", "F", "A", "K"]))
def test_copy(pair, order):
    r, n = pair
    c, d = r.copy(order), n.copy(order)
    assert_same(c, d)
    assert c.base is None and c.flags.owndata


@given(views(), dtypes(), st.sampled_from(["C", "F", "A", "K"]))
def test_astype_matches_numpy(pair, to, order):
    r, n = pair
    with np.errstate(all="ignore"):
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = n.astype(to, order=order)
    got = r.astype(to.str, order=order)
    assert got.dtype.str == want.dtype.str
    assert got.shape == want.shape
    if n.dtype.kind == "f" and to.kind == "u" and to.itemsize == 4:
        # A float outside (-2**31 - 1, 2**32) or NaN has no uint32 value (C leaves it
        # undefined; NumPy warns "invalid"). NumPy's own result then depends on the
        # element's position: its contiguous loop converts groups of four with the
        # compiler's vector sequence (0 for 2**32 + 1) and the rest one at a time through
        # int64 (1). rawarray always converts as the latter; only defined values compared.
        x = n.astype(np.float64)
        defined = np.isfinite(x) & (x > -(2.0**31) - 1) & (x < 2.0**32)
        got_n = np.frombuffer(got.tobytes(), dtype=want.dtype).reshape(want.shape)
        assert np.array_equal(got_n[defined], want[defined])
    else:
        assert got.tobytes() == want.tobytes()
    assert got.flags.c_contiguous == want.flags.c_contiguous
    assert got.flags.f_contiguous == want.flags.f_contiguous


def test_astype_copy_false_returns_self_when_possible():
    r = ra.arange(4)
    assert r.astype("int64", copy=False) is r
    assert r.astype("int32", copy=False) is not r


@given(views(), dtypes())
def test_view_matches_numpy(pair, to):
    r, n = pair
    try:
        want = n.view(to)
    except (ValueError, TypeError) as e:
        with pytest.raises(type(e)):
            r.view(to.str)
        return
    got = r.view(to.str)
    assert_same(got, want)
    assert got.base is (r.base if r.base is not None else r)


def test_view_error_messages():
    n, r = np.arange(3.0), ra.arange(3.0)
    for d in ["S5", "V3"]:
        with pytest.raises(ValueError) as want:
            n.view(d)
        with pytest.raises(ValueError) as got:
            r.view(d)
        assert str(got.value) == str(want.value)
    with pytest.raises(ValueError) as want:
        np.zeros((3, 4))[:, ::2].view("i1")
    with pytest.raises(ValueError) as got:
        ra.zeros((3, 4))[:, ::2].view("i1")
    assert str(got.value) == str(want.value)
    with pytest.raises(ValueError) as want:
        np.array(1.0).view("i4")
    with pytest.raises(ValueError) as got:
        ra.array(1.0).view("i4")
    assert str(got.value) == str(want.value)


@given(views())
def test_byteswap(pair):
    r, n = pair
    got, want = r.byteswap(), n.byteswap()
    assert_same(got, want, flags=False)
    assert got is not r
    before = r.tobytes()
    if r.flags.writeable and r.size:
        assert r.byteswap(inplace=True) is r
        n.byteswap(inplace=True)
        assert r.tobytes() == n.tobytes()
        if r.dtype.itemsize > 1 and r.dtype.kind not in "b":
            assert r.tobytes() != before or len(set(before)) <= 1 or True


@given(views(), st.data())
def test_reshape_and_ravel(pair, data):
    r, n = pair
    order = data.draw(st.sampled_from(["C", "F", "A"]))
    shape = data.draw(st.permutations(list(n.shape))) if n.ndim else []
    if shape and data.draw(st.booleans()):
        shape[data.draw(st.integers(0, len(shape) - 1))] = -1
        if shape.count(-1) == 1 and 0 in n.shape:
            shape = [abs(s) for s in shape]
            shape = [0 if s == 1 and 0 in n.shape else s for s in shape]
    try:
        want = n.reshape(shape, order=order)
    except ValueError:
        with pytest.raises(ValueError):
            r.reshape(shape, order=order)
        return
    got = r.reshape(shape, order=order)
    assert_same(got, want)
    # A view exactly when NumPy gives a view.
    assert (got.base is None) == (want.base is None)
    assert_same(r.ravel(order), n.ravel(order))
    # ravel is a view exactly when NumPy's is (a contiguous array), and shares memory then.
    assert (r.ravel(order).base is None) == (n.ravel(order).base is None)
    assert_same(r.ravel("K"), n.ravel("K"))
    assert_same(r.flatten(order), n.flatten(order))


def test_reshape_errors():
    r = ra.arange(6)
    with pytest.raises(ValueError, match="cannot reshape array of size 6 into shape"):
        r.reshape(4, 2)
    with pytest.raises(ValueError, match="can only specify one unknown dimension"):
        r.reshape(-1, -1)
    with pytest.raises(ValueError, match="Unable to avoid creating a copy"):
        r.reshape(2, 3).T.reshape(6, copy=False)
    assert r.reshape((2, 3)).shape == r.reshape(2, 3).shape == (2, 3)
    # NumPy's own spelling of the wanted shape in the message.
    for size in (0, 6):
        for shape in [(4, 2), (7,), (), (-1, 4), (-1, 0), (0, -1), (3, -1, 4), (-1, 5, 2)]:
            try:
                want = np.zeros(size).reshape(shape)
            except ValueError as e:
                with pytest.raises(ValueError) as got:
                    ra.zeros(size).reshape(shape)
                assert str(got.value) == str(e)
            else:
                assert ra.zeros(size).reshape(shape).shape == want.shape


def _factor_shapes(size: int):
    """Shapes whose product is ``size`` (or, for a wrong size, one that is off by one)."""
    divisors = [d for d in range(1, size + 1) if size % d == 0] if size else [0, 1, 2]
    return st.lists(st.sampled_from(divisors), min_size=0, max_size=4)


@given(views(), st.data())
def test_shape_assignment(pair, data):
    """``a.shape = ...`` against NumPy: the same new shape and strides in place, or the same
    exception (AttributeError where only a copy could give the shape, ValueError for a size
    that does not fit), and the array untouched after a refusal."""
    r, n = pair
    dims = list(data.draw(_factor_shapes(n.size)))
    prod = int(np.prod(dims)) if dims else 1
    if prod and n.size % prod == 0 and data.draw(st.booleans()):
        dims.append(n.size // prod)
    if dims and data.draw(st.booleans()):
        dims[data.draw(st.integers(0, len(dims) - 1))] = -1
    new = tuple(dims) if data.draw(st.booleans()) or len(dims) != 1 else dims[0]
    before = (r.shape, r.strides, r.tobytes())
    try:
        n.shape = new
    except (AttributeError, ValueError) as e:
        with pytest.raises(type(e)) as got:
            r.shape = new
        assert str(got.value) == str(e)
        assert (r.shape, r.strides, r.tobytes()) == before
        return
    r.shape = new
    assert_same(r, n)
    assert r.shape == n.shape


def test_shape_assignment_edges():
    a = ra.arange(6.0)
    base = a.base
    a.shape = (2, 3)
    assert a.shape == (2, 3) and a.strides == (24, 8) and a.base is base
    a.shape = 6
    assert a.shape == (6,)
    a.shape = [3, -1]
    assert a.shape == (3, 2)
    # A view changes alone; its base keeps its shape.
    v = a[:, 0]
    v.shape = (3, 1)
    assert v.shape == (3, 1) and a.shape == (3, 2) and v.base is a
    with pytest.raises(AttributeError, match="Cannot delete array shape"):
        del a.shape
    with pytest.raises(TypeError, match=r"Use \(\) not None as shape arguments"):
        a.shape = None
    with pytest.raises(TypeError):
        a.shape = (2.0, 3)
    with pytest.raises(ValueError, match="can only specify one unknown dimension"):
        a.shape = (-1, -1)
    # Read-only arrays may change shape (it is metadata), as in NumPy.
    b = ra.broadcast_to(ra.arange(3), (3,))
    b.shape = (3, 1)
    assert b.shape == (3, 1) and not b.flags.writeable
    one = ra.arange(1.0)
    one.shape = ()
    assert one.shape == () and one.ndim == 0


def test_shape_assignment_with_live_export():
    """A buffer export keeps the description it was made with (as in NumPy's memoryview)."""
    a = ra.arange(6, dtype="int32")
    m = memoryview(a)
    a.shape = (2, 3)
    assert m.shape == (6,) and m.strides == (4,)
    assert m.tolist() == list(range(6))
    m2 = memoryview(a)
    assert m2.shape == (2, 3) and m2.strides == (12, 4)
    m.release()
    m2.release()


def test_shape_assignment_while_in_use():
    """Python code run while the array is being read (here a key's ``__index__``) cannot
    change its shape under the read: a clean BufferError, and the read finishes as begun."""
    a = ra.arange(6.0)
    seen = []

    class Key:
        def __index__(self):
            try:
                a.shape = (2, 3)
            except BufferError as e:
                seen.append(str(e))
            return 4

    assert a[[Key()]].tolist() == [4.0]
    assert seen and "shape" in seen[0]
    assert a.shape == (6,)
    a.shape = (2, 3)
    assert a.shape == (2, 3)


@given(views(), st.data())
def test_transpose(pair, data):
    r, n = pair
    axes = data.draw(st.permutations(list(range(n.ndim))))
    assert_same(r.transpose(axes), n.transpose(axes))
    assert_same(r.transpose(), n.transpose())
    # As separate arguments, counted from the end.
    back = [a - n.ndim for a in axes]
    if back:
        assert_same(r.transpose(*back), n.transpose(*back))
    assert_same(r.T, n.T)
    assert r.T.base is (r.base if r.base is not None else r)


def test_transpose_errors():
    r = ra.zeros((2, 3))
    with pytest.raises(ValueError, match="repeated axis"):
        r.transpose(0, 0)
    with pytest.raises(ValueError, match="axes don't match array"):
        r.transpose(0)
    with pytest.raises(ValueError):
        r.transpose(0, 2)


def test_flags_writeable_rules():
    r = ra.arange(3)
    r.flags.writeable = False
    assert not r.flags.writeable
    r.flags.writeable = True
    assert r.flags.writeable
    ro = ra.frombuffer(b"abcd", dtype="u1")
    assert not ro.flags.writeable
    with pytest.raises(ValueError, match="WRITEABLE"):
        ro.flags.writeable = True


def test_item():
    n = np.arange(6, dtype=np.int16).reshape(2, 3)
    r = ra.arange(6, dtype="int16").reshape(2, 3)
    for args in [(4,), (1, 2), (-1,), ((1, 1),)]:
        assert r.item(*args) == n.item(*args)
        assert type(r.item(*args)) is type(n.item(*args))
    with pytest.raises(ValueError, match="can only convert an array of size 1"):
        r.item()
    assert ra.array([[2.5]]).item() == 2.5


@pytest.mark.parametrize("code", NUMERIC_CODES)
def test_iteration_and_len(code):
    n = np.arange(6).astype(code).reshape(3, 2)
    r = ra.arange(6).astype(code).reshape(3, 2)
    assert len(r) == 3
    rows = list(r)
    assert len(rows) == 3
    for rr, nr in zip(rows, n):
        assert_same(rr, nr)
        assert [x.item() for x in rr] == [x.item() for x in nr]
    with pytest.raises(TypeError):
        iter(ra.array(1.0))


def test_bool_of_arrays():
    assert bool(ra.array([1]))
    assert not bool(ra.array(0.0))
    with pytest.raises(ValueError, match="ambiguous"):
        bool(ra.arange(3))
    with pytest.raises(ValueError, match="empty"):
        bool(ra.zeros(0))


def test_number_conversions():
    assert float(ra.array(2.5)) == 2.5
    assert int(ra.array(7)) == 7
    assert complex(ra.array(1 + 2j)) == 1 + 2j
    assert [10, 20, 30][ra.array(1)] == 20
    with pytest.raises(TypeError):
        [1][ra.array(0.0)]
    with pytest.raises(TypeError):
        float(ra.arange(3))
    # NumPy 2.4 converts only 0-d arrays, even of one element.
    for conv in (float, int, complex):
        for arr in (ra.array([2.5]), ra.zeros((1, 1)), ra.zeros(0)):
            with pytest.raises(TypeError, match="only 0-dimensional arrays can be converted to Python scalars"):
                conv(arr)
            with pytest.raises(TypeError, match="only 0-dimensional arrays can be converted to Python scalars"):
                conv(np.asarray(arr))
