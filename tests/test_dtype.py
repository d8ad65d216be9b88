"""rawarray.dtype against numpy.dtype: every spelling, attribute, byte order and error."""

import ctypes
import pickle

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rawarray as ra

SPELLINGS = [
    "<f8", ">f8", "=f8", "|u1", "=u2", ">i4", "<i2", "S5", "|S3", "V8", "V1", "S", "V",
    "float64", "float32", "float16", "uint8", "uint16", "uint32", "uint64",
    "int8", "int16", "int32", "int64", "int", "float", "bool", "complex", "uint",
    "complex64", "complex128", "byte", "ubyte", "short", "ushort", "intc", "uintc",
    "long", "ulong", "longlong", "ulonglong", "half", "single", "double", "csingle",
    "cdouble", "intp", "uintp", "bytes", "void", "bool_",
    "?", "b", "B", "h", "H", "i", "I", "l", "L", "q", "Q", "p", "P", "e", "f", "d", "F", "D", "c",
    ">d", "<i", "=H", ">u8", "<c16", ">c8", ">f2", "b1", "i1", "u1",
]

ATTRS = ["str", "name", "kind", "itemsize", "alignment", "byteorder", "isnative", "descr"]


@pytest.mark.parametrize("spec", SPELLINGS)
def test_spelling_attributes_match_numpy(spec):
    r, n = ra.dtype(spec), np.dtype(spec)
    for attr in ATTRS:
        assert getattr(r, attr) == getattr(n, attr), (spec, attr)
    # NumPy reports 'q'/'p' chars for some aliases of int64; rawarray always reports 'l'.
    # and 'c' (S1 spelled as a char) reports 'S'.
    if spec not in ("q", "Q", "longlong", "ulonglong", "c"):
        assert r.char == n.char
    assert repr(r) == repr(n)
    assert str(r) == str(n)


@pytest.mark.parametrize(
    "pytype", [float, int, bool, complex, bytes]
)
def test_python_types(pytype):
    assert ra.dtype(pytype).str == np.dtype(pytype).str


CTYPES = [
    ctypes.c_double, ctypes.c_float, ctypes.c_uint8, ctypes.c_int8, ctypes.c_int16,
    ctypes.c_uint16, ctypes.c_int32, ctypes.c_uint32, ctypes.c_int64, ctypes.c_uint64,
    ctypes.c_long, ctypes.c_ulong, ctypes.c_bool, ctypes.c_char, ctypes.c_short,
    ctypes.c_double.__ctype_be__, ctypes.c_int32.__ctype_be__, ctypes.c_uint16.__ctype_be__,
]


@pytest.mark.parametrize("ct", CTYPES, ids=lambda c: c.__name__ + getattr(c, "_type_", ""))
def test_ctypes_types(ct):
    assert ra.dtype(ct).str == np.dtype(ct).str
    # numpy.ctypeslib._dtype (used by the seed) is gone in NumPy 2; rawarray keeps it.
    assert ra.ctypeslib._dtype(ct) == np.dtype(ct).str


def test_dtype_of_dtype_and_numpy_dtype():
    d = ra.dtype(">i4")
    assert ra.dtype(d) == d
    assert ra.dtype(np.dtype(">i4")) == d
    assert ra.dtype(None) == ra.dtype("float64")


@pytest.mark.parametrize("bad", ["f3", "i16", "float65", "x", "", "<", "b2", ">float64", "int0"])
def test_unknown_spelling_raises_type_error(bad):
    with pytest.raises(TypeError) as r_err:
        ra.dtype(bad)
    with pytest.raises(TypeError):
        np.dtype(bad)
    # The message names the spelling.
    assert repr(bad) in str(r_err.value)


@pytest.mark.parametrize("unsupported", ["O", "U5", "M8", "m8[s]", "g"])
def test_kinds_rawarray_does_not_have_raise_type_error(unsupported):
    np.dtype(unsupported)  # NumPy has these kinds; rawarray does not (yet).
    with pytest.raises(TypeError, match="not understood"):
        ra.dtype(unsupported)


@pytest.mark.parametrize("bad", [3.5, [1], object(), ctypes.c_double * 3])
def test_non_spelling_objects_raise_type_error(bad):
    with pytest.raises(TypeError):
        ra.dtype(bad)


@given(st.sampled_from(SPELLINGS), st.sampled_from(["S", "<", ">", "=", "|", "L", "B", "N", "I", "little", "big"]))
def test_newbyteorder_matches_numpy(spec, order):
    try:
        want = np.dtype(spec).newbyteorder(order)
    except ValueError:
        with pytest.raises(ValueError):
            ra.dtype(spec).newbyteorder(order)
        return
    got = ra.dtype(spec).newbyteorder(order)
    assert got.str == want.str
    assert got.isnative == want.isnative
    # NumPy remembers a byte order reached by newbyteorder as explicit ('<' rather than
    # '=' on a little-endian machine); rawarray normalises native orders to '='.
    assert got.byteorder == (want.byteorder if not want.isnative or want.byteorder == "|" else "=")


def test_newbyteorder_rejects_unknown():
    with pytest.raises(ValueError, match="byteorder"):
        ra.dtype("f8").newbyteorder("x")


@given(st.sampled_from(SPELLINGS), st.sampled_from(SPELLINGS))
def test_equality_matches_numpy(a, b):
    assert (ra.dtype(a) == ra.dtype(b)) == (np.dtype(a) == np.dtype(b))
    assert (ra.dtype(a) == b) == (np.dtype(a) == np.dtype(b))
    assert (ra.dtype(a) != b) == (np.dtype(a) != np.dtype(b))
    if ra.dtype(a) == ra.dtype(b):
        assert hash(ra.dtype(a)) == hash(ra.dtype(b))


def test_equality_with_garbage_is_false():
    assert not (ra.dtype("f8") == "foo")
    assert ra.dtype("f8") != "foo"
    assert not (ra.dtype("f8") == 3)


def test_pickle_roundtrip():
    for spec in [">i4", "S5", "float16", "V3"]:
        d = ra.dtype(spec)
        assert pickle.loads(pickle.dumps(d)) == d


@pytest.mark.parametrize("spec", SPELLINGS)
def test_builtin_dtype_objects_are_shared_as_in_numpy(spec):
    # NumPy hands out one object per builtin native dtype (so `a.dtype is b.dtype` for two
    # float64 arrays); byte-swapped, flexible and copied dtypes are new objects.
    assert (ra.dtype(spec) is ra.dtype(spec)) == (np.dtype(spec) is np.dtype(spec)), spec
    assert ra.dtype(spec, copy=True) is not ra.dtype(spec)
    r, n = ra.zeros(2, dtype=spec), np.zeros(2, dtype=spec)
    assert (r.dtype is ra.dtype(spec)) == (n.dtype is np.dtype(spec)), spec
    if n.dtype.isbuiltin == 1:
        # (NumPy also shares a non-builtin dtype between an array and its views; rawarray
        # makes a new object for those on each access.)
        assert r.dtype is r[:1].dtype and n.dtype is n[:1].dtype, spec


@pytest.mark.parametrize(
    "name",
    ["bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float16", "float32",
     "float64", "complex64", "complex128"],
)
def test_scalar_types_name_their_dtypes(name):
    # A scalar type is found by identity (the fast path of every `dtype=` argument).
    t = getattr(ra, name)
    want = np.dtype(getattr(np, name))
    assert ra.dtype(t).str == want.str
    assert ra.zeros(2, t).dtype.str == np.zeros(2, getattr(np, name)).dtype.str
    assert ra.arange(3).astype(t).tobytes() == np.arange(3).astype(getattr(np, name)).tobytes()
