"""Basic indexing, slicing and boolean masks against NumPy, for reading and writing."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

import rawarray as ra
from oracle import assert_same, twin
from strategies import dtypes, shapes


@st.composite
def array_and_key(draw):
    dt = draw(dtypes())
    shp = draw(shapes())
    n = draw(nps.arrays(dt, shp))
    key = draw(nps.basic_indices(shp, min_dims=0, allow_newaxis=True, allow_ellipsis=True))
    return n, key


@given(array_and_key())
def test_basic_index_read_matches_numpy(case):
    n, key = case
    r = twin(n)
    want = n[key]
    got = r[key]
    if isinstance(want, np.ndarray):
        assert_same(got, want)
        assert got.base is r
        assert not got.flags.owndata
        # A view of a view collapses its base to the owner.
        again = got[...]
        assert again.base is r
    else:
        assert type(got).__name__ == type(want).__name__
        assert got.dtype.str == want.dtype.str
        assert got.tobytes() == want.tobytes()


@given(array_and_key(), st.data())
def test_basic_index_write_matches_numpy(case, data):
    n, key = case
    r = twin(n)
    target = n[key]
    shape = np.shape(target)
    # Assign either a scalar or an array broadcastable to the target's shape.
    if data.draw(st.booleans()) or not shape or 0 in shape:
        value = n.flat[0].item() if n.size else 0
        if n.dtype.kind in "SV":
            value = b"x"
    else:
        sub = data.draw(nps.broadcastable_shapes(shape, min_dims=0))
        value = data.draw(nps.arrays(n.dtype, sub))
    n2 = n.copy()
    rvalue = twin(value) if isinstance(value, np.ndarray) else value
    try:
        n2[key] = value
    except ValueError:
        before = r.tobytes()
        with pytest.raises(ValueError):
            r[key] = rvalue
        assert r.tobytes() == before
        return
    r[key] = rvalue
    assert r.tobytes() == n2.tobytes()


@pytest.mark.parametrize(
    "key,msg",
    [
        (10, "index 10 is out of bounds for axis 0 with size 10"),
        (-11, "index -11 is out of bounds for axis 0 with size 10"),
        ((1, 2), "too many indices for array: array is 1-dimensional, but 2 were indexed"),
        ((Ellipsis, Ellipsis), "an index can only have a single ellipsis"),
    ],
)
def test_index_errors_match_numpy(key, msg):
    n = np.arange(10.0)
    r = ra.arange(10.0)
    with pytest.raises(IndexError) as want:
        n[key]
    with pytest.raises(IndexError) as got:
        r[key]
    assert msg in str(got.value)
    assert str(got.value) == str(want.value)


@pytest.mark.parametrize("key", [1.5, "a", [1.0], object()])
def test_bad_key_types_raise_index_error(key):
    with pytest.raises(IndexError):
        np.arange(3)[key]
    with pytest.raises(IndexError):
        ra.arange(3)[key]


def test_zero_slice_step_is_value_error():
    with pytest.raises(ValueError, match="slice step cannot be zero"):
        ra.arange(3)[::0]


@given(st.data())
def test_mask_select_and_assign(data):
    dt = data.draw(dtypes())
    shp = data.draw(shapes(max_dims=3))
    n = data.draw(nps.arrays(dt, shp))
    mask = data.draw(nps.arrays(np.bool_, shp))
    r = twin(n)
    rm = twin(mask)
    got = r[rm]
    want = n[mask]
    assert_same(got, want)
    assert got.base is None and got.flags.owndata
    # Write a scalar through the mask.
    n2, r2 = n.copy(), twin(n)
    v = b"z" if dt.kind in "SV" else n.flat[0].item() if n.size else 1
    n2[mask] = v
    r2[rm] = v
    assert r2.tobytes() == n2.tobytes()
    # Write exactly as many values as the mask selects.
    k = int(mask.sum())
    vals = data.draw(nps.arrays(dt, (k,)))
    n3, r3 = n.copy(), twin(n)
    n3[mask] = vals
    r3[rm] = twin(vals)
    assert r3.tobytes() == n3.tobytes()


def test_mask_shape_mismatch_is_index_error():
    r = ra.arange(6).reshape(2, 3)
    n = np.arange(6).reshape(2, 3)
    with pytest.raises(IndexError, match="boolean index did not match") as got:
        r[ra.array([True, False, True])]
    with pytest.raises(IndexError) as want:
        n[np.array([True, False, True])]
    assert str(got.value) == str(want.value)
    # A mask over the leading axes only is valid (advanced indexing), as in NumPy.
    assert_same(r[ra.array([True, False])], n[np.array([True, False])])


def test_mask_wrong_count_is_value_error_and_writes_nothing():
    r = ra.arange(5)
    before = r.tobytes()
    with pytest.raises(ValueError, match="cannot assign 2 input values"):
        r[r > 1] = ra.array([7, 8])
    assert r.tobytes() == before


def test_failed_broadcast_assignment_writes_nothing():
    r = ra.arange(6).reshape(2, 3)
    before = r.tobytes()
    with pytest.raises(ValueError, match="could not broadcast"):
        r[...] = ra.array([1, 2])
    assert r.tobytes() == before


def test_overlapping_slice_assignment_matches_numpy():
    n = np.arange(10)
    r = ra.arange(10)
    n[1:] = n[:-1]
    r[1:] = r[:-1]
    assert r.tolist() == n.tolist()
    n[:-1] = n[1:]
    r[:-1] = r[1:]
    assert r.tolist() == n.tolist()
    n[::-1] = n
    r[::-1] = r
    assert r.tolist() == n.tolist()


def test_read_only_assignment_is_refused():
    r = ra.arange(3)
    r.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        r[0] = 5
    v = r[1:]
    assert not v.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        v[...] = 1


def test_python_int_out_of_range_for_dtype():
    n = np.zeros(3, np.uint8)
    r = ra.zeros(3, ra.dtype("uint8"))
    with pytest.raises(OverflowError) as want:
        n[0] = 300
    with pytest.raises(OverflowError) as got:
        r[0] = 300
    assert str(got.value) == str(want.value)
    assert r.tolist() == [0, 0, 0]


def _raised(f):
    """The exception type and text `f()` raises, or None."""
    try:
        f()
    except Exception as e:  # noqa: BLE001 - compared as a whole below
        return type(e), str(e)
    return None


@pytest.mark.parametrize(
    "key",
    [(1, 2), (-1, -5), (0, 4), (2, 0), (0, 5), (-3, 0), (0, -6), (1, 2, 0), (1,), 1, -2, (1, None), (..., 1), (None, 1, 2)],
)
@pytest.mark.parametrize("layout", ["c", "f", "strided", "big"])
def test_element_keys_read_and_write_as_numpy(key, layout):
    # Keys of one Python int per axis name an element: read as a scalar, written in place
    # (the fast paths), with NumPy's index errors and their axis numbers.
    def make(mod):
        base = mod.arange(30.0).reshape(3, 10)
        return {
            "c": lambda: base[:, :5].copy(),
            "f": lambda: base[:, :5].copy(order="F"),
            "strided": lambda: base[:, ::2],
            "big": lambda: base[:, :5].astype(">f8"),
        }[layout]()

    n, r = make(np), make(ra)
    want = _raised(lambda: n[key])
    assert _raised(lambda: r[key]) == want
    if want is None:
        got, exp = r[key], n[key]
        if isinstance(exp, np.ndarray):
            assert_same(got, exp)
        else:
            assert type(got).__name__ == type(exp).__name__
            assert got == exp
    for value in (7.5, -3, True, 2 + 0j, "x", [1.0], (2.0,), [], ra.array(5.0)):
        n2, r2 = make(np), make(ra)
        nvalue = np.asarray(value) if isinstance(value, ra.ndarray) else value
        want = _raised(lambda: n2.__setitem__(key, nvalue))
        got = _raised(lambda: r2.__setitem__(key, value))
        assert (got and got[0]) == (want and want[0]), (key, value, got, want)
        if want is None or want[0] is IndexError:
            assert got == want
        assert r2.tobytes() == n2.tobytes()


@pytest.mark.parametrize(
    "dtype,value",
    [("uint8", 300), ("uint8", -1), ("int8", 128), ("uint64", 2**64), ("int64", 2**63), ("float16", 1e6),
     ("float32", 1e300), ("float16", 70000), ("float64", 2**70), ("bool", 5), ("int16", 2.5), ("float32", True)],
)
def test_python_numbers_stored_by_element_as_numpy(dtype, value):
    # The direct conversion of a Python float or int to an element gives NumPy's value,
    # error, and overflow warning.
    import warnings

    n, r = np.zeros(3, dtype), ra.zeros(3, dtype)
    with warnings.catch_warnings(record=True) as wn:
        warnings.simplefilter("always")
        want = _raised(lambda: n.__setitem__(1, value))
    with warnings.catch_warnings(record=True) as wr:
        warnings.simplefilter("always")
        got = _raised(lambda: r.__setitem__(1, value))
    assert got == want
    assert [str(w.message) for w in wr] == [str(w.message) for w in wn]
    assert r.tobytes() == n.tobytes()
    # A slice takes the same conversion.
    n, r = np.zeros(3, dtype), ra.zeros(3, dtype)
    assert _raised(lambda: r.__setitem__(slice(0, 2), value)) == _raised(lambda: n.__setitem__(slice(0, 2), value))
    assert r.tobytes() == n.tobytes()


def test_index_error_comes_before_value_error():
    for n, r in ((np.zeros(3), ra.zeros(3)), (np.zeros((2, 2)), ra.zeros((2, 2)))):
        for key in (10, (0, 10), (5, 0)):
            want = _raised(lambda: n.__setitem__(key, "x"))
            assert want is not None
            assert _raised(lambda: r.__setitem__(key, "x")) == want


def test_element_write_to_read_only_is_refused():
    r = ra.arange(6.0).reshape(2, 3)
    r.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        r[1, 2] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        r[0] = 1.0
    assert r.tolist() == [[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]


class _IntSub(int):
    pass


class _TupleSub(tuple):
    pass


@pytest.mark.parametrize(
    "key",
    [True, False, "int64(2)", _IntSub(2), _TupleSub((1, 2)), 2**63, -(2**63) - 1, (2**64, 0), (1, 2**70),
     (1, True), (_IntSub(1), 2), (-1, -1), -1, (0, -10), (slice(None), -1), (-1, slice(1, 3))],
)
def test_keys_beside_the_int_fast_paths_as_numpy(key):
    # Exact ints (one per axis) take fast paths; bools, int subclasses, NumPy integers,
    # tuple subclasses and ints beyond isize must still behave as NumPy's general path.
    def k(mod):
        if key == "int64(2)":
            return mod.int64(2)
        return key

    for shape in ((10,), (2, 5)):
        n, r = np.arange(10.0).reshape(shape), ra.arange(10.0).reshape(shape)
        want = _raised(lambda: n[k(np)])
        assert _raised(lambda: r[k(ra)]) == want, (shape, key)
        if want is None:
            got, exp = r[k(ra)], n[k(np)]
            if isinstance(exp, np.ndarray):
                assert_same(got, exp)
            else:
                assert got == exp
        want = _raised(lambda: n.__setitem__(k(np), 7.0))
        assert _raised(lambda: r.__setitem__(k(ra), 7.0)) == want
        assert r.tobytes() == n.tobytes()


def test_failed_views_free_their_objects():
    # A view whose key fails after its object was allocated (a slice then an index out of
    # range, a view as a dtype that does not fit) frees that object: no leak, no double
    # free, seen in the reference count of the ndarray type each object holds.
    import sys

    r = ra.arange(12.0).reshape(3, 4)

    def fail():
        with pytest.raises(IndexError, match="index 10 is out of bounds for axis 1 with size 4"):
            r[0:1, 10]
        with pytest.raises(ValueError):
            r.view("S5")

    fail()  # anything made once and cached is made now
    # (Counted outside `assert`, whose rewriting holds the type in a temporary.)
    count = sys.getrefcount
    before = count(ra.ndarray)
    for _ in range(300):
        fail()
    after_failures = count(ra.ndarray)
    views = [r[0:1, 1] for _ in range(50)]
    with_views = count(ra.ndarray)
    del views
    after = count(ra.ndarray)
    assert (after_failures, with_views, after) == (before, before + 50, before)
