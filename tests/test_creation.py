"""Array creation against NumPy: nested sequences with dtype inference, copy semantics,
empty/zeros/ones/full and their _like forms, arange, and bad input."""

import array
import collections
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

import rawarray as ra
from oracle import assert_same
from strategies import NUMERIC_CODES, dtypes

NESTED = [
    [0.0, 1.1, 2.2],
    [1, 2, 3],
    [True, False],
    [1, 2.5],
    [1, 2j],
    [True, 2],
    [[1, 2], [3, 4]],
    [[[1.5]], [[2.5]]],
    (1, 2, 3),
    [(1, 2), [3, 4]],
    [],
    [[], []],
    5,
    2.5,
    True,
    1 + 1j,
    [2**63],
    [2**63 - 1, 1],
    [-(2**63)],
    [b"ab", b"c"],
    [[b"x"], [b"yz"]],
    [float("nan"), float("inf")],
]


@pytest.mark.parametrize("obj", NESTED, ids=repr)
def test_nested_inference_matches_numpy(obj):
    assert_same(ra.array(obj), np.array(obj), base=True)
    assert_same(ra.asarray(obj), np.asarray(obj))


@pytest.mark.parametrize("code", NUMERIC_CODES + ["S3", ">f8", ">i2", "<u4"])
@pytest.mark.parametrize("obj", [[1, 0, 2], [[1.5, -2.0]], 3, [True, False]], ids=repr)
def test_nested_with_dtype(obj, code):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            want = np.array(obj, dtype=code)
        except (ValueError, OverflowError, TypeError) as e:
            with pytest.raises(type(e)):
                ra.array(obj, dtype=code)
            return
    assert_same(ra.array(obj, dtype=code), want)


@pytest.mark.parametrize(
    "obj",
    [[1, [2, 3]], [[1, 2], [3]], [[1], 2], [[[1, 2]], [[3]]]],
    ids=repr,
)
def test_inhomogeneous_is_value_error(obj):
    with pytest.raises(ValueError) as want:
        np.array(obj)
    with pytest.raises(ValueError) as got:
        ra.array(obj)
    assert str(got.value) == str(want.value)


@pytest.mark.parametrize(
    "obj,dtype", [([300], "uint8"), ([-1], "uint16"), ([2**64], None), ([128], "int8"), ([2**31], "i4")]
)
def test_out_of_range_python_ints_raise_overflow(obj, dtype):
    with pytest.raises(OverflowError):
        ra.array(obj, dtype=dtype)


def test_nan_into_int_raises():
    with pytest.raises(ValueError) as want:
        np.array([float("nan")], dtype="i8")
    with pytest.raises(ValueError) as got:
        ra.array([float("nan")], dtype="i8")
    assert str(got.value) == str(want.value)


def test_ndmin_and_order():
    assert_same(ra.array([1, 2], ndmin=3), np.array([1, 2], ndmin=3))
    assert_same(ra.array([[1, 2], [3, 4]], order="F"), np.array([[1, 2], [3, 4]], order="F"))


def test_copy_semantics_from_arrays():
    a = ra.arange(6).reshape(2, 3)
    assert ra.asarray(a) is a
    assert ra.array(a, copy=None) is a
    assert ra.array(a, copy=False) is a
    b = ra.array(a)
    assert b is not a and b.base is None and b.tolist() == a.tolist()
    assert ra.asarray(a, dtype="int64") is a
    c = ra.asarray(a, dtype="int32")
    assert c.dtype == "int32" and c.base is None
    with pytest.raises(ValueError, match="Unable to avoid copy"):
        ra.array(a, dtype="int32", copy=False)
    with pytest.raises(ValueError, match="Unable to avoid copy"):
        ra.array([1, 2], copy=False)
    with pytest.raises(ValueError, match="Unable to avoid copy"):
        ra.asarray(a.T, order="C", copy=False)
    f = ra.asarray(a.T, order="C")
    assert f.flags.c_contiguous and f.base is None


@given(st.data())
def test_filled_constructors(data):
    dt = data.draw(dtypes())
    shape = data.draw(nps.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4))
    order = data.draw(st.sampled_from(["C", "F"]))
    for rf, nf in [(ra.zeros, np.zeros), (ra.ones, np.ones), (ra.empty, np.zeros)]:
        assert_same(rf(shape, dt.str, order), nf(shape, dt, order), base=True)
    fill = data.draw(st.sampled_from([0, 1, 7, True, 2.5]))
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = np.full(shape, fill, dt, order)
    assert_same(ra.full(shape, fill, dt.str, order), want)


@pytest.mark.parametrize("fill", [1, 2.5, True, 1j, -3])
def test_full_infers_dtype(fill):
    assert_same(ra.full((2, 3), fill), np.full((2, 3), fill))


@given(st.data())
def test_like_functions(data):
    dt = data.draw(dtypes())
    shape = data.draw(nps.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=4))
    n = np.zeros(shape, dt)
    r = ra.zeros(shape, dt.str)
    if n.ndim >= 2 and data.draw(st.booleans()):
        n, r = n.T, r.T
    for order in ["K", "C", "F", "A"]:
        assert_same(ra.zeros_like(r, order=order), np.zeros_like(n, order=order))
        assert_same(ra.ones_like(r, order=order), np.ones_like(n, order=order))
        assert_same(ra.empty_like(r, order=order), np.zeros_like(n, order=order))
        assert_same(ra.full_like(r, 3, order=order), np.full_like(n, 3, order=order))
    assert_same(ra.zeros_like(r, dtype="f4"), np.zeros_like(n, dtype="f4"))
    assert_same(ra.ones_like(r, shape=(2, 2)), np.ones_like(n, shape=(2, 2)))


def test_creation_errors():
    with pytest.raises(ValueError, match="negative dimensions are not allowed"):
        ra.zeros(-1)
    with pytest.raises(ValueError, match="negative dimensions are not allowed"):
        ra.empty((2, -3))
    with pytest.raises(TypeError):
        ra.zeros(2.5)
    with pytest.raises(TypeError):
        ra.zeros((2, "a"))
    with pytest.raises(TypeError, match="not understood"):
        ra.zeros(3, dtype="f3")
    for shape in [(2**62, 2**62), 2**60]:
        with pytest.raises(ValueError) as want:
            np.zeros(shape)
        with pytest.raises(ValueError) as got:
            ra.zeros(shape)
        assert str(got.value) == str(want.value)
    with pytest.raises(MemoryError) as want:
        np.zeros(2**40)
    with pytest.raises(MemoryError) as got:
        ra.zeros(2**40)
    assert str(got.value) == str(want.value)
    with pytest.raises(ValueError, match="order"):
        ra.zeros(3, order="X")


ARANGE = [
    (5,),
    (2, 7),
    (1, 10, 3),
    (10, 1, -2),
    (0.0, 1.0, 0.1),
    (1.5,),
    (-3, 3),
    (0, 0),
    (5, 1),
    (0.5, 5, 1.5),
    (1, 2, 0.3),
]


@pytest.mark.parametrize("args", ARANGE, ids=repr)
def test_arange_matches_numpy(args):
    assert_same(ra.arange(*args), np.arange(*args))


@pytest.mark.parametrize("dtype", ["u1", "i2", "f4", "f2", "c16"])
def test_arange_with_dtype(dtype):
    assert_same(ra.arange(2, 9, 2, dtype=dtype), np.arange(2, 9, 2, dtype=dtype))


def test_arange_errors():
    with pytest.raises(ValueError):
        ra.arange(0, 5, 0)
    with pytest.raises(TypeError):
        ra.arange()


def test_array_from_scalar_is_0d():
    r = ra.array(3.5)
    assert r.shape == () and r.ndim == 0 and r.size == 1
    assert r.item() == 3.5
    assert math.isnan(ra.array(float("nan")).item())


def test_numpy_constants():
    import math

    import numpy as np

    import rawarray as ra

    for name in ("e", "euler_gamma", "inf", "pi"):
        assert getattr(ra, name) == getattr(np, name)
    assert math.isnan(ra.nan)
    assert ra.newaxis is None


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.array(["a", "bc"], "S"),
        lambda m: m.array(["a", "bc"], "S1"),
        lambda m: m.array([b"a", "bc", 7], "S"),
        lambda m: m.array("abc", "S"),
        lambda m: m.array([True, False], "S"),
        lambda m: m.array([1.5, 1e20, -0.0], "S"),
        lambda m: m.array([1 + 2j], "S"),
        lambda m: m.array([m.int64(5), m.float32(1.5)], "S"),
        lambda m: m.array([[1, 2], [3, 45]], "S"),
        lambda m: m.array(["12", "-3"], "i4"),
        lambda m: m.array([" 1.5", "1e3"], "f8"),
        lambda m: m.array(["1.5"], "i4"),
        lambda m: m.array(["x"], "f8"),
        lambda m: m.array(["12"], "V3"),
        lambda m: m.array(["\u00e9"], "S"),
        lambda m: m.full((2, 2), "abc", dtype="S2"),
        lambda m: m.full(2, "7", dtype="i4"),
        lambda m: m.copyto(m.zeros(2, "S2"), ["x", "yz"]),
        lambda m: m.copyto(m.zeros(2, "S2"), "ab"),
        lambda m: (lambda d: (d.__setitem__(0, "xyzw"), d)[1])(m.zeros(2, "S3")),
        lambda m: (lambda d: (d.__setitem__(slice(None), ["p", "q"]), d)[1])(m.zeros(2, "S2")),
        lambda m: (lambda d: (d.__setitem__(0, "12"), d)[1])(m.zeros(2, "i2")),
        lambda m: (lambda d: (d.fill("ab"), d)[1])(m.zeros(2, "S2")),
    ],
)
def test_text_into_bytes_and_numbers_as_numpy(call):
    """str values stored into S arrays are ASCII-encoded, into numbers parsed, as NumPy does
    (NumPy goes through a U array, which rawarray does not have)."""

    def outcome(m):
        try:
            return call(m), None
        except (TypeError, ValueError) as e:
            base = next(t for t in (UnicodeEncodeError, ValueError, TypeError) if isinstance(e, t))
            return None, (base, str(e) if base is ValueError else "")

    (want, nexc), (got, rexc) = outcome(np), outcome(ra)
    assert rexc == nexc
    if want is not None:
        assert_same(got, want)


def test_text_without_bytes_dtype_is_refused():
    """With no S dtype asked for, NumPy makes a U array; rawarray has none and says so."""
    with pytest.raises(TypeError, match="unicode"):
        ra.array(["a"])
    with pytest.raises(TypeError, match="unicode"):
        ra.asarray("abc")


# Sequences other than lists and tuples, and array-likes inside nested sequences: NumPy
# reads any object passing Python's sequence check (its length and items) and wraps
# anything exporting memory at any depth.
SEQUENCE_MAKERS = {
    "list": list,
    "tuple": tuple,
    "deque": collections.deque,
    "UserList": collections.UserList,
    "numpy": np.array,
    "memoryview": lambda rows: memoryview(np.array(rows)),
    "rawarray": ra.array,
}

SEQUENCE_CASES = [
    "range(3)",
    "range(0)",
    "range(5, -4, -3)",
    "range(2**62, 2**62 + 3)",
    "[range(2), range(2)]",
    "[[1, 2], range(2)]",
    "(range(1), range(1))",
    "collections.deque([1.5, 2])",
    "[collections.deque([1, 2])] * 2",
    "collections.UserList([True, False])",
    "[np.array([1, 2], dtype=np.uint8), range(2)]",
    "[np.array([1, 2], dtype=np.uint8), np.array([3, 4], dtype=np.uint8)]",
    "[memoryview(b'ab'), memoryview(b'cd')]",
    "[bytearray(b'ab')]",
    "[array.array('i', [1, 2]), array.array('i', [3, 4])]",
    "[array.array('f', [1, 2]), [3, 4]]",
    "[np.float32(1.5), 2]",
    "[np.array(1.5), 2]",
    "[[np.float64(1)], np.array([2.0])]",
    "[memoryview(b'abcd')[::-2]]",
    "[np.arange(6).reshape(2, 3)[:, ::-1], [[1, 2, 3], range(3)]]",
]


@pytest.mark.parametrize("code", SEQUENCE_CASES)
@pytest.mark.parametrize("dtype", [None, "f4", "i2"])
def test_any_sequence_and_nested_array_likes(code, dtype):
    def build():
        return eval(code, {"np": np, "collections": collections, "array": array})

    try:
        want = np.array(build(), dtype=dtype)
    except (ValueError, TypeError, OverflowError) as e:
        with pytest.raises(type(e)):
            ra.array(build(), dtype=dtype)
        return
    assert_same(ra.array(build(), dtype=dtype), want)
    assert_same(ra.asarray(build(), dtype=dtype), np.asarray(build(), dtype=dtype))


@pytest.mark.parametrize(
    "code",
    ["[range(2), [1]]", "[1, np.array([2, 3])]", "[range(2), np.array([[1, 2]])]", "[np.zeros(2), memoryview(b'abc')]"],
)
def test_ragged_sequences_and_array_likes(code):
    with pytest.raises(ValueError) as want:
        np.array(eval(code))
    with pytest.raises(ValueError) as got:
        ra.array(eval(code))
    assert str(got.value) == str(want.value)


def _wrapped(data, draw_kind):
    """`data` (a NumPy array) as nested containers, each level's rows wrapped by a drawn kind."""
    if data.ndim == 0:
        return data.item()
    kind = draw_kind(data.ndim)
    if kind in ("numpy", "memoryview", "rawarray"):
        return SEQUENCE_MAKERS[kind](data.tolist())
    return SEQUENCE_MAKERS[kind]([_wrapped(row, draw_kind) for row in data])


@given(st.data())
def test_nested_containers_by_hypothesis(data):
    values = data.draw(
        nps.arrays(
            st.sampled_from([np.int64, np.float64, np.bool_]),
            nps.array_shapes(min_dims=1, max_dims=3, min_side=0, max_side=3),
        )
    )
    names = sorted(SEQUENCE_MAKERS)
    obj = _wrapped(values, lambda depth: data.draw(st.sampled_from(names), label=f"kind at depth {depth}"))
    try:
        want = np.array(obj)
    except ValueError as e:
        with pytest.raises(ValueError) as got:
            ra.array(obj)
        assert str(got.value) == str(e)
        return
    assert_same(ra.array(obj), want)
    assert_same(ra.add(obj, 0), np.add(obj, 0))


def test_sequences_as_operands_and_keys():
    a, n = ra.arange(6).reshape(2, 3), np.arange(6).reshape(2, 3)
    assert_same(a + range(3), n + range(3))
    assert_same(range(3) * a, range(3) * n)
    assert_same(a == collections.deque([0, 1, 5]), n == collections.deque([0, 1, 5]))
    assert_same(a[range(1, 2)], n[range(1, 2)])
    assert_same(a[:, range(2)], n[:, range(2)])
    assert_same(a[range(2), collections.deque([2, 0])], n[range(2), collections.deque([2, 0])])
    x, y = ra.zeros(4), np.zeros(4)
    x[range(1, 3)] = range(2)
    y[range(1, 3)] = range(2)
    assert_same(x, y)
    x[:] = collections.deque([1, 2, 3, 4])
    y[:] = collections.deque([1, 2, 3, 4])
    assert_same(x, y)
    assert_same(ra.add(x, 1, out=x, where=range(4)), np.add(y, 1, out=y, where=range(4)))
    assert int(ra.sum(range(5))) == 10
    assert_same(ra.concatenate([range(2), range(3)]), np.concatenate([range(2), range(3)]))


def test_non_sequences_are_refused_without_object_dtype():
    # NumPy makes object arrays of these; rawarray has no object dtype.
    for obj in [{1: 2}, {1, 2}, (i for i in range(3)), iter([1, 2])]:
        assert np.array(obj).dtype == object
        with pytest.raises(TypeError, match="cannot make an array element"):
            ra.array(obj)
