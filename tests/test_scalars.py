"""Typed scalars (`rawarray.float64`, `rawarray.uint8`, ...) against NumPy 2 as the oracle:
element access, the class hierarchy, constructors, number protocols, NEP 50 arithmetic
with its warnings, comparisons and hashing."""

from __future__ import annotations

import math
import operator
import pickle
import warnings

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

import rawarray as ra
from strategies import NUMERIC_CODES
from ufunc_helpers import run as run_call

CONCRETE = [
    "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64",
    "float16", "float32", "float64", "complex64", "complex128", "bytes_", "void",
]  # fmt: skip
ABSTRACT = [
    "generic", "number", "integer", "signedinteger", "unsignedinteger", "inexact", "floating",
    "complexfloating", "flexible",
]  # fmt: skip
ALIASES = [
    "bool_", "byte", "ubyte", "short", "ushort", "intc", "uintc", "int_", "intp", "uintp", "long",
    "ulong", "longlong", "ulonglong", "half", "single", "double", "csingle", "cdouble",
]  # fmt: skip
OPS = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv,
    "//": operator.floordiv, "%": operator.mod, "**": operator.pow, "divmod": divmod,
}  # fmt: skip
CMPS = [operator.lt, operator.le, operator.eq, operator.ne, operator.gt, operator.ge]


# --- helpers -------------------------------------------------------------------------------


def category(e: BaseException) -> str:
    """The standard exception class NumPy's error derives from (UFuncTypeError -> TypeError)."""
    for c in (OverflowError, ZeroDivisionError, ValueError, TypeError):
        if isinstance(e, c):
            return c.__name__
    return type(e).__name__


def outcome(f):
    """Run `f`, recording its result or exception category and its warnings."""
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            r = f()
        except Exception as e:  # noqa: BLE001 - the oracle decides which are right
            return ("raise", category(e), ())
    return ("ok", r, tuple((c.category.__name__, str(c.message)) for c in w))


def same_float(a: float, b: float, rel: float = 0.0) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if rel and math.isinf(a) and math.isinf(b):
        return True  # an overflowed exp/log result: its sign comes from sin/cos of a huge angle
    if rel and math.isfinite(a) and math.isfinite(b):
        return math.isclose(a, b, rel_tol=rel, abs_tol=rel)
    return a == b and math.copysign(1, a) == math.copysign(1, b)


def same_item(a, b, rel: float = 0.0) -> bool:
    if isinstance(b, complex):
        return isinstance(a, complex) and same_float(a.real, b.real, rel) and same_float(a.imag, b.imag, rel)
    if isinstance(b, float):
        return isinstance(a, float) and same_float(a, b, rel)
    return type(a) is type(b) and a == b


def assert_same_scalar(r, n, rel: float = 0.0) -> None:
    assert type(r).__name__ == type(n).__name__, (r, n)
    assert isinstance(r, ra.generic)
    assert r.dtype.str == n.dtype.str, (r.dtype, n.dtype)
    assert same_item(r.item(), n.item(), rel), (r.item(), n.item())


def assert_same_outcome(ro, no, rel: float = 0.0) -> None:
    assert ro[0] == no[0], (ro, no)
    if no[0] == "raise":
        assert ro[1] == no[1], (ro, no)
        return
    if isinstance(no[1], tuple):  # divmod
        assert isinstance(ro[1], tuple) and len(ro[1]) == len(no[1]), (ro, no)
        for r, n in zip(ro[1], no[1]):
            assert_same_scalar(r, n, rel)
    else:
        assert_same_scalar(ro[1], no[1], rel)
    if not rel:
        assert ro[2] == no[2], (ro[2], no[2])


def from_numpy(n: np.ndarray):
    """A C-contiguous rawarray copy of `n` (same dtype and bytes), built by writing raw
    bytes through a `uint8` view so that it depends on no memory protocol."""
    n = np.ascontiguousarray(n)
    r = ra.zeros(n.shape, ra.dtype(n.dtype.str))
    if n.size:
        r.reshape(-1).view("u1")[...] = ra.array(list(n.tobytes()), dtype="u1")
    assert r.tobytes() == n.tobytes()
    return r


def pair(code: str, value):
    """The same element read from a NumPy array and from a rawarray array."""
    n = np.array([value], dtype=code)
    return from_numpy(n)[0], n[0]


def scalar_values(code: str):
    return nps.from_dtype(np.dtype(code))


# --- element access ------------------------------------------------------------------------

ELEMENT_CODES = NUMERIC_CODES + [">i2", ">u4", ">f8", ">c16", "S3", "V2"]


@pytest.mark.parametrize("code", ELEMENT_CODES)
@given(data=st.data())
def test_element_access_matches_numpy(code, data):
    dt = np.dtype(code)
    elements = st.binary(min_size=dt.itemsize, max_size=dt.itemsize) if dt.kind == "V" else None
    n = data.draw(nps.arrays(dt, st.integers(1, 5), elements=elements))
    r = from_numpy(n)
    for i in range(-n.size, n.size):
        assert_same_scalar(r[i], n[i])
    for x, y in zip(r, n, strict=True):
        assert_same_scalar(x, y)


def test_element_of_bytes_is_sized_by_value():
    n = np.array([b"ab", b"c"], "S3")
    r = from_numpy(n)
    assert r[0].dtype.str == n[0].dtype.str == "|S2"
    assert r[0].item() == b"ab"
    assert r[0].itemsize == n[0].itemsize == 2


def test_out_of_bounds_element_raises_index_error():
    r = ra.zeros(3)
    with pytest.raises(IndexError, match="index 3 is out of bounds for axis 0 with size 3"):
        r[3]
    assert r[-3] == 0.0


def test_bool_elements_are_singletons():
    r = ra.array([True, False, True])
    assert r[0] is r[2] is ra.True_
    assert r[1] is ra.False_
    assert (ra.float64(1) == 1) is ra.True_


# --- hierarchy, aliases, dtype interplay ---------------------------------------------------


@pytest.mark.parametrize("name", CONCRETE + ABSTRACT)
def test_hierarchy_matches_numpy(name):
    for base in ABSTRACT:
        assert issubclass(getattr(ra, name), getattr(ra, base)) == issubclass(getattr(np, name), getattr(np, base)), (
            name,
            base,
        )


@pytest.mark.parametrize("alias", ALIASES)
def test_aliases_match_numpy(alias):
    # NumPy's longlong/ulonglong are distinct classes of the same dtype as int64/uint64.
    assert ra.dtype(getattr(ra, alias)).str == np.dtype(getattr(np, alias)).str
    if alias not in ("longlong", "ulonglong"):
        assert getattr(ra, alias).__name__ == getattr(np, alias).__name__


@pytest.mark.parametrize("name", CONCRETE[:-2])
def test_scalar_types_are_dtype_specifiers(name):
    cls = getattr(ra, name)
    assert ra.dtype(cls).str == np.dtype(getattr(np, name)).str
    assert ra.dtype(cls).type is cls
    assert ra.zeros(2, cls).dtype.str == np.zeros(2, getattr(np, name)).dtype.str
    assert ra.zeros(2).astype(cls).dtype == ra.dtype(cls)
    assert cls(1).dtype.type is cls


def test_dtype_type_of_swapped_and_flexible_dtypes():
    assert ra.dtype(">i4").type is ra.int32
    assert ra.dtype("S5").type is ra.bytes_
    assert ra.dtype("V3").type is ra.void


def test_abstract_classes_cannot_be_instantiated():
    for name in ABSTRACT:
        with pytest.raises(TypeError):
            getattr(ra, name)()


def test_array_from_typed_scalars():
    a = ra.array([ra.float32(1), ra.float32(2.5)])
    assert a.dtype == ra.float32
    assert a.tolist() == [1.0, 2.5]
    b = ra.array([ra.int8(-1), ra.int8(7)])
    assert b.dtype.str == np.array([np.int8(-1), np.int8(7)]).dtype.str
    assert b.tolist() == [-1, 7]
    c = ra.zeros(2)
    c[0] = ra.float32(0.5)
    assert c[0] == 0.5


# --- attributes ----------------------------------------------------------------------------


@pytest.mark.parametrize("code", NUMERIC_CODES)
@given(data=st.data())
def test_attributes_match_numpy(code, data):
    r, n = pair(code, data.draw(scalar_values(code)))
    assert r.ndim == n.ndim == 0
    assert r.shape == n.shape == ()
    assert r.size == n.size == 1
    assert r.itemsize == n.itemsize
    assert r.nbytes == n.nbytes
    assert r.tobytes() == n.tobytes()
    assert_same_scalar(r.real, n.real)
    assert_same_scalar(r.imag, n.imag)
    assert bool(r) == bool(n)


def test_pickle_and_copy_round_trip():
    import copy

    for x in [ra.float16(0.1), ra.uint64(2**64 - 1), ra.complex64(1 + 2j), ra.True_, ra.bytes_(b"ab")]:
        y = pickle.loads(pickle.dumps(x))
        assert type(y) is type(x) and y.tobytes() == x.tobytes()
        assert copy.copy(x) is x


def test_repr_and_str_use_the_core_formatter():
    assert "float64" in repr(ra.float64(1.5))
    assert "1.5" in str(ra.float64(1.5))
    assert format(ra.float64(1.5), ".3f") == "1.500"


# --- constructors --------------------------------------------------------------------------

CONSTRUCTOR_CASES = [
    ("float64", (5.5,)), ("float64", ()), ("float64", (None,)), ("float64", ("1.5",)),
    ("float64", (b"1.5",)), ("float64", ("x",)), ("float64", (1 + 2j,)), ("float64", (2**2000,)),
    ("float32", (1e40,)), ("float16", (1e10,)), ("float16", (65504,)), ("float32", (0.1,)),
    ("uint8", (200,)), ("uint8", (300,)), ("uint8", (-1,)), ("uint8", (3.7,)), ("uint8", (-1.0,)),
    ("uint8", (300.0,)), ("uint8", (True,)), ("uint8", (2**70,)), ("int8", (1 + 2j,)),
    ("int32", ()), ("int32", (None,)), ("int32", ("12",)), ("int32", (b"12",)), ("int32", ("1.5",)),
    ("int32", (2**40,)), ("int64", (2**63,)), ("int64", (-(2**63),)), ("uint64", (2**64 - 1,)),
    ("uint64", (2**64,)), ("uint64", (-1,)), ("int16", (float("nan"),)), ("int16", (float("inf"),)),
    ("complex128", ("1+2j",)), ("complex128", (1, 2)), ("complex64", (1.5,)), ("complex128", ()),
    ("complex128", (None,)), ("bool", (1,)), ("bool", ()), ("bool", ("",)), ("bool", ("a",)),
    ("bool", (0.0,)), ("bool", (None,)), ("bytes_", (b"abc",)), ("bytes_", ("abc",)), ("bytes_", ()),
    ("bytes_", (b"ab\x00\x00",)), ("void", (b"abc",)), ("void", (3,)), ("float64", (1, 2)),
]  # fmt: skip


@pytest.mark.parametrize(("name", "args"), CONSTRUCTOR_CASES)
def test_constructor_matches_numpy(name, args):
    ro = outcome(lambda: getattr(ra, name)(*args))
    no = outcome(lambda: getattr(np, name)(*args))
    assert_same_outcome(ro, no)


def test_uint8_overflow_message():
    with pytest.raises(OverflowError, match="^Python integer 300 out of bounds for uint8$"):
        ra.uint8(300)


@pytest.mark.parametrize("src", ["int8", "uint64", "float32", "complex128", "bool", "float16"])
@pytest.mark.parametrize("dst", CONCRETE[:-2])
def test_constructor_from_other_scalar_casts(src, dst):
    for v in [0, 1, 100, 3]:
        rs, ns = getattr(ra, src)(v), getattr(np, src)(v)
        ro = outcome(lambda rs=rs: getattr(ra, dst)(rs))
        no = outcome(lambda ns=ns: getattr(np, dst)(ns))
        assert_same_outcome(ro, no)


# --- number protocols ----------------------------------------------------------------------


@pytest.mark.parametrize("code", NUMERIC_CODES)
@given(data=st.data())
def test_conversions_match_numpy(code, data):
    r, n = pair(code, data.draw(scalar_values(code)))
    for conv in (int, float, complex, bool, operator.index, hash):
        ro, no = outcome(lambda conv=conv: conv(r)), outcome(lambda conv=conv: conv(n))
        assert ro[0] == no[0], (conv, ro, no)
        if no[0] == "raise":
            assert ro[1] == no[1], (conv, ro, no)
        elif conv is hash and any(map(math.isnan, (complex(n.item()).real, complex(n.item()).imag))):
            pass  # NaN hashes by identity
        else:
            assert same_item(ro[1], no[1]), (conv, ro, no)
            assert ro[2] == no[2], (conv, ro, no)


def test_index_protocol():
    assert chr(ra.uint8(104)) == "h"
    assert list(range(ra.int16(3))) == [0, 1, 2]
    assert [10, 20, 30][ra.int64(-1)] == 30
    assert operator.index(ra.uint64(2**64 - 1)) == 2**64 - 1
    with pytest.raises(TypeError):
        operator.index(ra.float64(1))
    with pytest.raises(TypeError):
        operator.index(ra.True_)
    assert ra.zeros(5)[ra.int8(2)] == 0.0


def test_hash_and_eq_agree_with_python_values():
    for x, v in [(ra.int64(-1), -1), (ra.uint64(2**64 - 1), 2**64 - 1), (ra.float64(1.5), 1.5),
                 (ra.float32(0.5), 0.5), (ra.complex128(1 + 2j), 1 + 2j), (ra.True_, True),
                 (ra.bytes_(b"ab"), b"ab")]:  # fmt: skip
        assert x == v and hash(x) == hash(v)
        assert {x: 1}[v] == 1
    assert len({ra.int8(1), ra.float64(1.0), 1, True}) == 1


def test_round():
    assert round(ra.float64(2.5)) == round(np.float64(2.5)) == 2
    assert round(ra.float64(2.567), 2) == round(np.float64(2.567), 2)
    assert type(round(ra.float32(2.567), 1)) is ra.float32


PYTHON_NUMBER_METHODS = [
    lambda x: x.is_integer(), lambda x: x.as_integer_ratio(), lambda x: x.bit_count(),
    lambda x: x.numerator, lambda x: x.denominator, lambda x: x.hex(), lambda x: x.__getnewargs__(),
    math.floor, math.ceil, math.trunc, round, lambda x: round(x, 1),
    lambda x: type(x).fromhex("0x1.8p+1"),
    format, lambda x: format(x, ".3g"), lambda x: format(x, ">12"), lambda x: f"{x:+}",
]  # fmt: skip


def same_method_result(r, n) -> bool:
    if isinstance(n, np.generic):
        return type(r).__name__ == type(n).__name__ and same_item(r.item(), n.item())
    if isinstance(n, str) and isinstance(r, str):
        return r == n.replace("np.", "rawarray.")
    if isinstance(n, tuple):
        return isinstance(r, tuple) and len(r) == len(n) and all(map(same_method_result, r, n))
    return same_item(r, n)


@pytest.mark.parametrize("code", NUMERIC_CODES)
@given(data=st.data())
def test_python_number_methods_match_numpy(code, data):
    """The methods NumPy's scalars take from Python's int and float (float64 subclasses
    float, so it alone has `hex`, `__trunc__`, ...), round() refused for bool and complex,
    and format() through the Python value (`f"{float32(0.1)}"` shows float64 digits)."""
    r, n = pair(code, data.draw(scalar_values(code)))
    for i, f in enumerate(PYTHON_NUMBER_METHODS):
        ro, no = outcome(lambda f=f: f(r)), outcome(lambda f=f: f(n))
        assert ro[0] == no[0], (i, ro, no)
        if no[0] == "raise":
            assert ro[1] == no[1], (i, ro, no)
        else:
            assert same_method_result(ro[1], no[1]), (i, ro, no)
            assert ro[2] == no[2], (i, ro, no)


def test_scalar_types_can_be_subclassed():
    class Half(ra.float64):
        pass

    h = Half(0.5)
    assert isinstance(h, ra.float64) and h == 0.5 and h.dtype == ra.float64
    assert type(Half.fromhex("0x1p-2")) is Half and Half.fromhex("0x1p-2") == 0.25
    assert type(h + 1) is ra.float64  # arithmetic gives the base type, as NumPy's


# --- arithmetic ----------------------------------------------------------------------------


def binop_outcomes(op, r1, n1, r2, n2):
    return outcome(lambda: OPS[op](r1, r2)), outcome(lambda: OPS[op](n1, n2))


def tolerance(op, d1, d2) -> float:
    """Mixed-dtype float powers run through NumPy's ufunc loop, whose SIMD pow (SVML on
    AVX-512 machines) can differ from libm's correctly rounded-ish pow by an ulp: allow two.
    Complex powers follow libm's cpow step by step (clog, C99 multiplication, cexp): exact."""
    if op == "**" and "c" not in (d1.kind, d2.kind) and d1 != d2:
        result = np.promote_types(d1, d2)
        if result.kind == "f":
            return 2 * float(np.finfo(result).eps)
    return 0.0


@given(
    code=st.sampled_from(NUMERIC_CODES),
    op=st.sampled_from(list(OPS)),
    data=st.data(),
)
def test_same_dtype_arithmetic_matches_numpy(code, op, data):
    r1, n1 = pair(code, data.draw(scalar_values(code)))
    r2, n2 = pair(code, data.draw(scalar_values(code)))
    ro, no = binop_outcomes(op, r1, n1, r2, n2)
    assert_same_outcome(ro, no, tolerance(op, n1.dtype, n2.dtype))


@given(
    codes=st.tuples(st.sampled_from(NUMERIC_CODES), st.sampled_from(NUMERIC_CODES)),
    op=st.sampled_from(list(OPS)),
    data=st.data(),
)
def test_mixed_dtype_arithmetic_matches_numpy(codes, op, data):
    a, b = codes
    r1, n1 = pair(a, data.draw(scalar_values(a)))
    r2, n2 = pair(b, data.draw(scalar_values(b)))
    ro, no = binop_outcomes(op, r1, n1, r2, n2)
    assert_same_outcome(ro, no, tolerance(op, n1.dtype, n2.dtype))


python_scalars = st.one_of(
    st.booleans(),
    st.integers(-300, 300),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.complex_numbers(allow_nan=True, allow_infinity=True),
)


@given(
    code=st.sampled_from(NUMERIC_CODES),
    op=st.sampled_from(list(OPS)),
    reflected=st.booleans(),
    data=st.data(),
)
def test_arithmetic_with_python_scalars_is_nep50(code, op, reflected, data):
    r, n = pair(code, data.draw(scalar_values(code)))
    v = data.draw(python_scalars)
    # numpy.float64 subclasses Python's float, so `complex op np.float64` is answered by
    # Python's complex itself (a Python complex or its OverflowError); ours cannot be.
    assume(not (reflected and isinstance(v, complex) and isinstance(n, float)))
    if reflected:
        ro, no = outcome(lambda: OPS[op](v, r)), outcome(lambda: OPS[op](v, n))
    else:
        ro, no = outcome(lambda: OPS[op](r, v)), outcome(lambda: OPS[op](n, v))
    # numpy.float64/complex128 subclass Python's float/complex, so Python's own operator
    # sometimes answers first (`0j + np.float64(0)` is a Python complex); ours cannot.
    assume(no[0] == "raise" or isinstance(no[1], np.generic))
    assert_same_outcome(ro, no, tolerance(op, n.dtype, np.dtype(type(v)) if isinstance(v, complex) else n.dtype))


@given(code=st.sampled_from(NUMERIC_CODES), data=st.data())
def test_unary_matches_numpy(code, data):
    r, n = pair(code, data.draw(scalar_values(code)))
    for f in (operator.neg, operator.pos, abs):
        assert_same_outcome(outcome(lambda f=f: f(r)), outcome(lambda f=f: f(n)))


def test_documented_cases():
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        x = ra.uint8(200) + 100
    assert type(x) is ra.uint8 and x == 44
    assert [str(m.message) for m in w] == ["overflow encountered in scalar add"]
    assert all(m.category is RuntimeWarning for m in w)
    with pytest.raises(OverflowError, match="Python integer 300 out of bounds for uint8"):
        ra.uint8(200) + 300
    with pytest.warns(RuntimeWarning, match="divide by zero encountered in scalar floor_divide"):
        assert ra.int64(5) // ra.int64(0) == 0
    with pytest.warns(RuntimeWarning, match="divide by zero encountered in scalar remainder"):
        assert ra.int64(5) % ra.int64(0) == 0
    assert type(ra.int8(1) / ra.int8(2)) is ra.float64
    assert type(ra.float16(1) / ra.float16(3)) is ra.float16
    with pytest.raises(ValueError, match="Integers to negative integer powers are not allowed."):
        ra.int64(2) ** -1
    with pytest.raises(TypeError):
        ra.True_ - ra.True_
    assert divmod(ra.int64(7), ra.int64(-2)) == divmod(7, -2)


def test_warnings_can_be_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(RuntimeWarning):
            ra.int8(127) + ra.int8(1)


def test_arithmetic_with_arrays_gives_arrays():
    # A typed scalar defers to the array (the ufunc path), as in NumPy.
    r = ra.float32(1) + ra.zeros(2, dtype="float16")
    assert isinstance(r, ra.ndarray) and r.dtype == ra.dtype("float32") and r.tolist() == [1.0, 1.0]


SEQUENCE_CASES = [
    lambda m: m.uint8(2) == [1, 2],
    lambda m: m.float64(1) != (1, 2),
    lambda m: m.uint8(2) < [1, 3],
    lambda m: [1, 3] >= m.uint8(2),
    lambda m: [1, 2] + m.int32(1),
    lambda m: (1, 2) - m.float32(1),
    lambda m: m.int8(1) + [[300]],
    lambda m: m.int8(3) ** [2],
    lambda m: m.float16(1) / [0],
    lambda m: m.int8(5) % [0],
    lambda m: m.uint64(1) + [-1],
    lambda m: divmod(m.int8(7), [2, 3]),
    lambda m: divmod([7], m.int8(2)),
    lambda m: m.int8(3) & [1, 2],
    lambda m: [1] << m.uint8(2),
    lambda m: m.complex64(1) < [1],
    # A scalar times a list stays Python's sequence repetition (a TypeError for non-ints).
    lambda m: m.int32(2) * [1.5],
    lambda m: [1.5] * m.int32(2),
    lambda m: m.float64(2) * [1.5],
    lambda m: m.bool_(True) * (2,),
]


@pytest.mark.parametrize("call", SEQUENCE_CASES)
def test_scalars_with_sequences_take_the_array_path(call):
    want, nexc, nwarn = run_call(lambda: call(np))
    got, rexc, rwarn = run_call(lambda: call(ra))
    assert rexc is nexc, (got, want)
    assert rwarn == nwarn
    if nexc is None:
        pairs = list(zip(got, want)) if isinstance(want, tuple) else [(got, want)]
        for g, w in pairs:
            assert type(g).__name__ == type(w).__name__
            if isinstance(w, list):
                assert g == w
            else:
                assert g.dtype.str == w.dtype.str and g.tolist() == w.tolist()


def test_every_dtype_pair_promotes_like_numpy():
    bad = []
    for a in NUMERIC_CODES:
        for b in NUMERIC_CODES:
            if (type(getattr(ra, np.dtype(a).name)(1) + getattr(ra, np.dtype(b).name)(1)).__name__
                    != type(np.dtype(a).type(1) + np.dtype(b).type(1)).__name__):  # fmt: skip
                bad.append((a, b))
    assert not bad


# --- comparisons ---------------------------------------------------------------------------


@given(
    codes=st.tuples(st.sampled_from(NUMERIC_CODES), st.sampled_from(NUMERIC_CODES)),
    data=st.data(),
)
def test_comparisons_match_numpy(codes, data):
    a, b = codes
    r1, n1 = pair(a, data.draw(scalar_values(a)))
    r2, n2 = pair(b, data.draw(scalar_values(b)))
    for cmp in CMPS:
        ro, no = outcome(lambda cmp=cmp: cmp(r1, r2)), outcome(lambda cmp=cmp: cmp(n1, n2))
        assert ro[0] == no[0] == "ok"
        assert type(ro[1]) is ra.bool and bool(ro[1]) == bool(no[1]), (cmp, r1, r2, ro, no)


@given(code=st.sampled_from(NUMERIC_CODES), v=python_scalars, data=st.data())
def test_comparisons_with_python_scalars_match_numpy(code, v, data):
    r, n = pair(code, data.draw(scalar_values(code)))
    assume(not (isinstance(v, complex) and np.dtype(code).kind != "c"))
    for cmp in CMPS:
        ro, no = outcome(lambda cmp=cmp: cmp(r, v)), outcome(lambda cmp=cmp: cmp(n, v))
        assert ro[0] == no[0], (cmp, r, v, ro, no)
        if no[0] == "ok":
            assert bool(ro[1]) == bool(no[1]), (cmp, r, v, ro, no)


def test_exact_integer_comparisons():
    assert not (ra.int64(-1) == ra.uint64(2**64 - 1))
    assert ra.int64(-1) < ra.uint64(2**64 - 1)
    assert not (ra.uint8(200) == 1000)
    assert ra.uint8(200) < 1000
    assert ra.uint8(200) > -1
    assert ra.int64(5) < 2**100
    assert ra.int64(2**53 + 1) == float(2**53)  # promoted to float64, as NumPy
    assert (ra.float64(1) == "a") is ra.False_
    assert (ra.float64(1) != None) is ra.True_  # noqa: E711
    assert (ra.float64(1) == ra.zeros(2)).tolist() == [False, False]
    with pytest.raises(TypeError):
        ra.float64(1) < "a"


def test_typed_scalars_are_cast_not_range_checked_when_stored():
    # NumPy 2 range-checks Python ints, but casts NumPy scalars (wrapping).
    n = np.array([np.int64(300), np.int8(-1)], dtype=np.uint8)
    r = ra.array([ra.int64(300), ra.int8(-1)], dtype=ra.uint8)
    assert r.tolist() == n.tolist()
    a = ra.zeros(2, ra.uint8)
    a[0] = ra.int64(300)
    assert a[0] == 44
    with pytest.raises(OverflowError):
        a[1] = 300


SCALAR_CALLS = [
    ("astype", ("i4",)), ("astype", ("f2",)), ("astype", ("u1",)), ("astype", ("c8",)), ("astype", ("?",)),
    ("round", ()), ("round", (1,)), ("reshape", (1,)), ("reshape", (1, 1)), ("sum", ()), ("mean", ()),
    ("max", ()), ("min", ()), ("prod", ()), ("std", ()), ("var", ()), ("any", ()), ("all", ()),
    ("argmax", ()), ("argmin", ()), ("cumsum", ()), ("conj", ()), ("conjugate", ()), ("copy", ()),
    ("tolist", ()), ("byteswap", ()), ("ravel", ()), ("flatten", ()), ("repeat", (2,)), ("take", (0,)),
    ("transpose", ()), ("clip", (0, 1)), ("view", ("u1",)),
]


@pytest.mark.parametrize("method, args", SCALAR_CALLS)
@pytest.mark.parametrize("name, value", [("float64", 2.675), ("float32", -1.5), ("int8", -3), ("uint16", 7),
                                         ("complex128", 1.5 - 2j), ("bool", True), ("float16", 0.5)])
def test_scalars_have_the_array_methods(method, args, name, value):
    """NumPy's scalars run the array methods on their 0-d array and return 0-d results as
    scalars; rawarray's do the same."""

    def outcome(m):
        try:
            with warnings.catch_warnings(record=True) as w:
                warnings.simplefilter("always")
                r = getattr(getattr(m, name)(value), method)(*args)
            return r, None, sorted(str(x.message) for x in w)
        except (TypeError, ValueError) as e:
            return None, TypeError if isinstance(e, TypeError) else ValueError, []

    (want, nexc, nw), (got, rexc, rw) = outcome(np), outcome(ra)
    assert (rexc, rw) == (nexc, nw)
    if isinstance(want, np.ndarray):
        assert isinstance(got, ra.ndarray)
        assert np.asarray(got).dtype == want.dtype
        assert np.asarray(got).tolist() == want.tolist()
    elif isinstance(want, np.generic):
        assert type(got).__name__ == type(want).__name__
        assert got.dtype.str == want.dtype.str
        assert (got == want) or (got != got and want != want)
    else:
        assert type(got) is type(want) and got == want


def test_scalar_attributes_as_numpy():
    for m in (np, ra):
        x = m.float64(1.5)
        assert x.T is x and x.base is None and x.strides == ()
    with pytest.raises(AttributeError, match="no attribute 'foo'"):
        ra.float64(1.5).foo  # noqa: B018


BITWISE = [operator.and_, operator.or_, operator.xor, operator.lshift, operator.rshift]
BIT_OPERANDS = [("int8", 3), ("int8", -128), ("uint8", 200), ("uint16", 1), ("int64", 5), ("bool", True),
                ("float64", 1.0)]


@pytest.mark.parametrize("op", BITWISE)
@pytest.mark.parametrize("left", BIT_OPERANDS)
@pytest.mark.parametrize("right", BIT_OPERANDS + [("py", 2), ("py", True), ("py", 300), ("py", -1), ("py", 2.0)])
def test_scalar_bitwise_operators_as_numpy(op, left, right):
    def operand(m, spec):
        name, v = spec
        return v if name == "py" else getattr(m, name)(v)

    def outcome(m):
        try:
            with warnings.catch_warnings(record=True) as w:
                warnings.simplefilter("always")
                return op(operand(m, left), operand(m, right)), None, sorted(str(x.message) for x in w)
        except (TypeError, OverflowError) as e:
            return None, OverflowError if isinstance(e, OverflowError) else TypeError, []

    (want, nexc, nw), (got, rexc, rw) = outcome(np), outcome(ra)
    assert (rexc, rw) == (nexc, nw)
    if nexc is None:
        assert type(got).__name__ == type(want).__name__ and got == want
        # Reflected: a Python number on the left.
        if right[0] == "py":
            assert op(right[1], operand(ra, left)) == op(right[1], operand(np, left))


@pytest.mark.parametrize("name, value", [("int8", 3), ("uint8", 0), ("bool", True), ("bool", False)])
def test_scalar_invert_as_numpy(name, value):
    want = ~getattr(np, name)(value)
    got = ~getattr(ra, name)(value)
    assert type(got).__name__ == type(want).__name__ and got == want


def test_scalar_indexing_as_numpy():
    x = ra.float64(1.5)
    assert x[()] == 1.5 and type(x[()]) is ra.float64
    assert ra.asarray(x[...]).shape == () and isinstance(x[...], ra.ndarray)
    assert x[None].shape == (1,)
    for key in (0, slice(None), "a"):
        with pytest.raises(IndexError, match="invalid index to scalar variable"):
            x[key]


@pytest.mark.parametrize("under", ["ignore", "warn"])
@pytest.mark.parametrize(
    "x,y",
    [(1.5, 2.0), (1e-200, 1e-200), (1e-300, 1e300), (5e-324, 5e-324), (2.2250738585072014e-308, -2.225073858507201e-308),
     (0.0, 5.0), (-0.0, 0.0), (0.0, float("inf")), (1e308, 10.0), (1.0, 0.0), (0.0, 0.0), (3.0, 3), (2.0, 2**62),
     (2.0, 2**80), (float("nan"), 1.0), (-1.5, 1e-310), (7.0, True)],
)
@pytest.mark.parametrize("op", ["+", "-", "*", "/"])
def test_float64_quick_arithmetic_matches_numpy_at_its_edges(op, x, y, under):
    # float64 with a Python number or a float64 takes a quick path when no IEEE flag can
    # be raised; at and beyond its edges (zeros, tiny and huge results, NaN, division by
    # zero) the values and warnings must still be NumPy's, also with underflow reported.
    for other_r, other_n in ((y, y), (ra.float64(float(y)), np.float64(float(y)))):
        for reflected in (False, True):
            def run(a, b):
                return OPS[op](b, a) if reflected else OPS[op](a, b)

            with np.errstate(under=under), ra.errstate(under=under):
                ro = outcome(lambda: run(ra.float64(x), other_r))
                no = outcome(lambda: run(np.float64(x), other_n))
            assert_same_outcome(ro, no, 0.0)


@pytest.mark.parametrize(
    "x,y",
    [(1.5, 2.0), (2.0**53, 2**53 + 1), (2.0**63, 2**63 - 1), (2.0**63, 2**63), (1e300, 2**80), (-0.0, 0.0),
     (-0.0, 0), (float("nan"), 1.0), (float("nan"), 0), (float("inf"), 2**62), (3.0, True), (-1.0, -1)],
)
def test_float64_quick_comparisons_and_signs_match_numpy(x, y):
    # float64 against a Python float, an int that fits isize, or a float64 compares in
    # doubles without promotion; negation, `+` and `abs` of a float64 skip the flag checks.
    for other_r, other_n in ((y, y), (ra.float64(float(y)), np.float64(float(y)))):
        for cmp in CMPS:
            for reflected in (False, True):
                def run(a, b):
                    return cmp(b, a) if reflected else cmp(a, b)

                ro = outcome(lambda: run(ra.float64(x), other_r))
                no = outcome(lambda: run(np.float64(x), other_n))
                assert ro[0] == no[0] == "ok"
                assert type(ro[1]) is ra.bool and bool(ro[1]) == bool(no[1]), (cmp, x, y, reflected)
                assert ro[2] == no[2]
    for v in (x, -x):
        for f in (operator.neg, operator.pos, abs):
            assert_same_outcome(outcome(lambda: f(ra.float64(v))), outcome(lambda: f(np.float64(v))))


TINY = [1e-200, 1e-300, 5e-324, 1e-310, 2.2250738585072014e-308, 2.0**-1000, 2.0**-74, 1e-154, 1e-40, 1e-45,
        6e-8, 3e-5, 1e-5, 0.5, 1.5, 2.0, 3.0, 1e300, 0.0]  # fmt: skip


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "complex64", "complex128"])
@pytest.mark.parametrize("op", ["*", "/", "+", "**"])
def test_scalar_underflow_reported_as_numpy(dtype, op):
    # Scalar math reads the hardware's underflow flag for tiny products, quotients and
    # powers (an inexact result below the smallest normal), float16 rounding reports it
    # as npy_float_to_half does, and a Python float converted to the scalar's type never
    # reports it (NumPy converts those with a C cast); complex powers raise it where libm's
    # clog, atan2 and cexp do. Values and warnings as NumPy's, with underflow set to warn.
    for x in TINY:
        for y in TINY:
            for typed in (True, False):
                def run(m):
                    with m.errstate(under="warn", over="ignore", divide="ignore", invalid="ignore"):
                        a = getattr(m, dtype)(x)
                        return OPS[op](a, getattr(m, dtype)(y) if typed else y)

                ro, no = outcome(lambda: run(ra)), outcome(lambda: run(np))
                assert ro[0] == no[0], (x, y, typed, ro, no)
                if no[0] == "ok":
                    assert repr(complex(ro[1])) == repr(complex(no[1])), (x, y, typed, ro, no)
                    assert ro[2] == no[2], (x, y, typed, ro, no)


CPOW_PARTS = [0.0, -0.0, 1.0, -1.0, 0.5, 2.5, 1e-300, 1e-20, 1e300, math.inf, -math.inf, math.nan]
CPOW_EXPONENTS = [complex(r, i) for r in [0.0, 1.0, -1.0, 0.5, 2.5, 3.0, -2.0, 1e300, math.inf, -math.inf, math.nan]
                  for i in [0.0, -0.0, 1.0, -1.5, math.inf, math.nan]]  # fmt: skip


def complex_key(z: complex):
    """Both parts with the sign of zero (NaNs alike whatever their sign bit)."""
    return tuple("nan" if math.isnan(p) else repr(p) for p in (z.real, z.imag))


@pytest.mark.parametrize("dtype", ["complex64", "complex128"])
def test_complex_power_matches_libm_cpow_exactly(dtype):
    # NumPy's npy_cpow hands non-integer powers to libm's cpow: clog (log1p of an exact
    # |a|^2 - 1 near the unit circle, scaled tiny and huge moduli), C99 Annex G
    # multiplication and cexp. Over a grid of zeros, units, tiny, huge, infinite and NaN
    # parts the values (sign of zero included) and every warning must be NumPy's, for the
    # scalar operator and for the array loop.
    bases = [complex(r, i) for r in CPOW_PARTS for i in CPOW_PARTS]
    for x in bases:
        for y in CPOW_EXPONENTS:
            def run(m):
                with m.errstate(all="warn"), warnings.catch_warnings():
                    warnings.simplefilter("ignore")  # the cast of 1e300 to complex64
                    a, b = getattr(m, dtype)(x), getattr(m, dtype)(y)
                return outcome(lambda: a**b)

            ro, no = run(ra), run(np)
            assert ro[0] == no[0] == "ok", (x, y, ro, no)
            assert complex_key(complex(ro[1])) == complex_key(complex(no[1])), (x, y, ro, no)
            assert sorted(set(ro[2])) == sorted(set(no[2])), (x, y, ro, no)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        a = np.repeat(np.array(bases), len(CPOW_EXPONENTS)).astype(dtype)
        b = np.tile(np.array(CPOW_EXPONENTS), len(bases)).astype(dtype)
    results = []
    for m in (np, ra):
        with m.errstate(all="warn"):
            results.append(outcome(lambda: m.power(m.asarray(a), m.asarray(b))))
    (_, r, rw), (_, n, nw) = results
    assert sorted(set(rw)) == sorted(set(nw))
    r = np.asarray(r)
    assert r.dtype == n.dtype
    assert [complex_key(complex(z)) for z in r] == [complex_key(complex(z)) for z in n]


@pytest.mark.parametrize(
    ("code", "x", "y"),
    [("f8", 1.0, 0.0), ("f8", 0.0, 0.0), ("f4", 1.0, -0.0), ("f2", 65504.0, 6.1e-05), ("f8", np.inf, 0.0),
     ("f4", 3.4e38, 1.2e-38), ("i1", -128, -1), ("i8", 0, 0), ("u8", 5, 0), ("f8", 7.5, 2.0)],
)  # fmt: skip
def test_scalar_divmod_warns_once_as_numpy(code, x, y):
    """divmod of two scalars warns as NumPy's scalar math, which computes the pair in one
    function: each warning once, named "scalar divmod" (not one per `//` and `%`)."""
    r1, n1 = pair(code, x)
    r2, n2 = pair(code, y)
    for a, b, c, d in [(r1, r2, n1, n2), (r1, y, n1, y), (x, r2, x, n2)]:
        assert_same_outcome(outcome(lambda: divmod(a, b)), outcome(lambda: divmod(c, d)))


@pytest.mark.parametrize("t", ["uint8", "int8", "float16", "float32", "bool", "uint64", "int64", "complex64",
                               "float64", "complex128"])
def test_typed_scalars_with_extreme_python_numbers_match_numpy(t):
    """Python numbers beyond the scalar's range (NEP 50: OverflowError for integers,
    'overflow encountered in cast' for floats), with every operator either way round; an
    operator without a loop for the dtype fails before the number is converted."""
    def shown(r):
        return [str(x) for x in r] if isinstance(r, tuple) else str(r)

    for v in [300, -1, 2**64, 2**70, 70000, 1e300, 2.5, True, 1j, -(2**63) - 1, 1e300j]:
        for op in [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv, operator.mod,
                   operator.pow, operator.lt, operator.eq, operator.and_, operator.lshift, divmod]:
            for refl in (False, True):
                def f(m):
                    return op(v, getattr(m, t)(1)) if refl else op(getattr(m, t)(1), v)
                want, got = run_call(lambda: f(np)), run_call(lambda: f(ra))
                assert got[1:] == want[1:], (t, v, op.__name__, refl, got, want)
                if want[0] is not None:
                    assert shown(got[0]) == shown(want[0]), (t, v, op.__name__, refl, got[0], want[0])


def test_empty_bytes_scalar_tobytes_as_numpy():
    """NumPy's empty bytes_ scalar (dtype S0) gives its storage's NUL byte from tobytes()."""
    cases = [lambda m: m.bytes_(b""), lambda m: m.asarray(np.array([b"", b"ab"], "S3"))[0],
             lambda m: m.asarray(np.array(b"", "S1"))[()], lambda m: m.asarray(np.array([b"ab"], "S3"))[0]]
    for c in cases:
        assert c(ra).tobytes() == c(np).tobytes()
        assert c(ra).dtype.str == c(np).dtype.str


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.filterwarnings("ignore::numpy.exceptions.ComplexWarning")
@pytest.mark.filterwarnings("ignore::rawarray.exceptions.ComplexWarning")
@given(
    st.sampled_from(NUMERIC_CODES),
    st.one_of(
        st.lists(st.integers(-300, 300), max_size=4),
        st.lists(st.lists(st.floats(-1e3, 1e3), min_size=2, max_size=2), max_size=3).map(tuple),
        st.tuples(st.sampled_from(NUMERIC_CODES), nps.array_shapes(min_dims=0, max_dims=2, max_side=3),
                  st.sampled_from(["plain", "reversed", ">"])),  # fmt: skip
    ),
)
def test_scalar_types_called_with_a_sequence_return_arrays(code, source):
    """NumPy's `float32([1, 2])`, `int8(arr)`: an array of the type's dtype (an unsafe
    cast from arrays, NumPy's range checks for Python ints); a 0-d array gives the scalar."""

    def make(m):
        if not (isinstance(source, tuple) and len(source) == 3 and isinstance(source[0], str)):
            return source
        src_code, shape, layout = source
        a = m.asarray(np.arange(int(np.prod(shape)), dtype="i8").reshape(shape) - 2).astype(src_code)
        if layout == "reversed" and a.ndim:
            a = a[::-1]
        if layout == ">" and a.dtype.itemsize > 1 and a.dtype.kind != "b":
            a = a.astype(a.dtype.newbyteorder(">"))
        return a

    def outcome(m):
        try:
            r = getattr(m, np.dtype(code).name)(make(m))
        except Exception as e:  # noqa: BLE001 - the class and message are compared
            return type(e).__name__, str(e)
        if isinstance(r, (np.ndarray, ra.ndarray)):
            return "array", r.dtype.str, r.shape, np.asarray(r).tolist()
        return "scalar", type(r).__name__, r.dtype.str, r.item()

    assert outcome(ra) == outcome(np)


def test_scalar_sequence_constructor_keeps_subclasses_and_new():
    class F(ra.float32):
        pass

    r = F([1, 2])
    assert isinstance(r, ra.ndarray) and r.dtype == ra.float32
    assert type(F(1.5)) is F
    r = ra.int16.__new__(ra.int16, (1, 2))
    assert isinstance(r, ra.ndarray) and r.dtype == ra.int16 and r.tolist() == [1, 2]
    a = ra.arange(3.0)
    assert ra.float64(a) is a  # NumPy returns the array itself when nothing changes
    assert type(ra.int8(ra.asarray(3))) is ra.int8


COMPLEX_DIVISIONS = [
    "m.complex128(1 + 1j) // 1", "m.complex64(1) // m.complex64(1)", "m.complex128(1) % 2",
    "1 // m.complex128(1)", "divmod(m.complex64(1), 1)", "divmod(1.5, m.complex64(1))", "m.complex64(1) // 2.5",
    "m.complex64(1) // m.float32(2)", "m.float32(2) // m.complex64(1)", "m.complex128(1) // m.array(1)",
    "m.complex64(1) // True", "m.complex64(1) % 1j", "m.float32(1) % 1j", "m.int8(1) // 1j",
    "m.int8(1) // m.complex64(1j)", "divmod(m.float16(1), 1j)", "divmod(1j, m.float16(1))", "1j % m.uint8(1)",
    "m.bool_(1) // 1j", "m.complex64(1) // [1]", "m.complex64(1) // None",
    "m.uint64(3) % m.complex128(1)",
]


@pytest.mark.parametrize("expr", COMPLEX_DIVISIONS)
def test_complex_floor_division_fails_as_numpy(expr):
    """NumPy's scalar math has no complex //, % or divmod: a complex operand's slot returns
    NotImplemented, so Python names both types; a Python complex beside a real scalar goes
    to the ufunc, which refuses it."""
    with pytest.raises(TypeError) as want:
        eval(expr, {"m": np})
    with pytest.raises(TypeError) as got:
        eval(expr, {"m": ra})
    assert str(got.value) == str(want.value).replace("'numpy.", "'rawarray.")


@pytest.mark.parametrize(
    "expr",
    ["m.float64(1) + range(3)", "range(3) * m.int8(2)", "m.int8(1) == range(2)", "m.int8(3) * range(2)",
     "m.float32(1) + collections.deque([1, 2])", "m.int8(1) < collections.UserList([0, 2])",
     "m.float64(1) + bytearray(b'ab')", "m.uint8(1) - range(3)", "divmod(m.int16(7), range(1, 3))"],
)
def test_scalars_meet_any_sequence_as_numpy(expr):
    """NumPy's scalar operators hand any sequence (range, deque, UserList) to the array
    path, as they hand lists; `int * range` is still Python's repetition there."""
    import collections

    want = eval(expr, {"m": np, "collections": collections})
    got = eval(expr, {"m": ra, "collections": collections})
    if isinstance(want, tuple):
        assert [g.tolist() for g in got] == [w.tolist() for w in want]
        return
    assert type(got).__name__ == type(want).__name__ or (isinstance(got, ra.ndarray) and isinstance(want, np.ndarray))
    assert ra.asarray(got).tolist() == np.asarray(want).tolist()
    assert ra.asarray(got).dtype.str == np.asarray(want).dtype.str
