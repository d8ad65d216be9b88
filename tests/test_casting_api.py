"""The promotion and casting API (result_type, promote_types, can_cast, astype(casting=))
against NumPy 2: every dtype pair in both byte orders under every casting rule, NEP 50's
weak Python scalars, and the same exception types and messages."""

from __future__ import annotations

import itertools
import warnings

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import rawarray as ra
from oracle import assert_same
import strategies

CASTINGS = ["no", "equiv", "safe", "same_kind", "unsafe"]
CODES = (
    ["?", "i1", "u1"]
    + [o + c for c in ["i2", "i4", "i8", "u2", "u4", "u8", "f2", "f4", "f8", "c8", "c16"] for o in "<>"]
    + ["S1", "S5", "S32", "V1", "V8"]
)


def outcome(fn):
    try:
        return ("ok", fn())
    except Exception as e:  # noqa: BLE001 - the type and text are what is compared
        # NumPy's TypeError subclasses are private except DTypePromotionError, kept apart.
        name = type(e).__name__
        if isinstance(e, TypeError) and name != "DTypePromotionError":
            name = "TypeError"
        return (name, str(e))


def test_can_cast_every_pair_and_rule():
    for a, b in itertools.product(CODES, repeat=2):
        for c in CASTINGS:
            want = np.can_cast(np.dtype(a), np.dtype(b), c)
            assert ra.can_cast(ra.dtype(a), ra.dtype(b), c) is want, (a, b, c)
            assert ra.can_cast(a, b, c) is want, (a, b, c)


@given(strategies.arrays(dtype=strategies.dtypes(numeric_only=False), shape=strategies.shapes(max_dims=1)), st.sampled_from(CODES + ["S", "V"]), st.sampled_from(CASTINGS))
def test_can_cast_from_arrays_and_scalars(n, to, casting):
    assert ra.can_cast(ra.asarray(n), to, casting) == np.can_cast(n, to, casting)
    if n.ndim == 1 and n.size and n.dtype.kind not in "SV":
        # typed scalars carry their dtype
        assert ra.can_cast(ra.asarray(n)[0], to, casting) == np.can_cast(n[0], to, casting)


def test_can_cast_refuses_python_numbers_and_bad_rules():
    for v in (1, 1.0, 1j, True):
        assert outcome(lambda v=v: ra.can_cast(v, "f8")) == outcome(lambda v=v: np.can_cast(v, "f8"))
    assert outcome(lambda: ra.can_cast("i8", "i4", "bogus")) == outcome(lambda: np.can_cast("i8", "i4", "bogus"))


def test_promote_types_every_pair():
    for a, b in itertools.product(CODES, repeat=2):
        got = outcome(lambda: ra.promote_types(a, b).str)
        want = outcome(lambda: np.promote_types(a, b).str)
        assert got == want, (a, b)


PY_SCALARS = [True, 3, -300, 1.5, 2j, 2**63, 2**64 - 1, -(2**63)]


@given(st.lists(st.one_of(st.sampled_from(CODES), st.sampled_from(PY_SCALARS), st.sampled_from(strategies.NUMERIC_CODES).map(lambda c: ("array", c))), min_size=1, max_size=4))
# NumPy's DType-sequence reduction refuses bytes with a weak scalar whichever way round
# (float16 knows no bytes), and sizes bytes from each operand on its own (bool is S5).
@example(["<f2", "S1", 2j])
@example(["S1", "<f2", 3])
@example(["?", "i1", "S1"])
@example(["i1", "u1", "S1"])
def test_result_type(args):
    def conv(m, x):
        if isinstance(x, tuple):
            return m.zeros(2, x[1])
        if isinstance(x, str):
            return m.dtype(x)
        return x

    got = outcome(lambda: ra.result_type(*[conv(ra, x) for x in args]).str)
    want = outcome(lambda: np.result_type(*[conv(np, x) for x in args]).str)
    assert got == want, args


def test_result_type_edge_cases():
    assert outcome(lambda: ra.result_type()) == outcome(lambda: np.result_type())
    assert ra.result_type(ra.int8, 300) == ra.dtype("i1")
    assert ra.result_type(3, 4.0) == ra.dtype("f8")
    assert ra.result_type(ra.float16(1), 3.0) == ra.dtype("f2")
    with pytest.raises(TypeError):
        ra.result_type("S3", 3)
    # A lone Python int has its array's dtype: uint64 from 2**63 on; past uint64 NumPy
    # gives object, which rawarray has not, so the OverflowError of ``array``.
    assert ra.result_type(2**63) == ra.dtype("u8") and np.result_type(2**63) == np.dtype("u8")
    for v in (2**64, -(2**63) - 1):
        assert np.result_type(v) == np.dtype("O")
        with pytest.raises(OverflowError):
            ra.result_type(v)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.filterwarnings("ignore::numpy.exceptions.ComplexWarning")
@pytest.mark.filterwarnings("ignore::rawarray.exceptions.ComplexWarning")
@given(strategies.arrays(dtype=strategies.dtypes(numeric_only=False), shape=strategies.shapes(max_dims=2)), st.sampled_from(CODES[:-2]), st.sampled_from(CASTINGS))
def test_astype_casting(n, to, casting):
    got = outcome(lambda: ra.asarray(n).astype(to, casting=casting))
    want = outcome(lambda: n.astype(to, casting=casting))
    assert got[0] == want[0], (n.dtype, to, casting, got, want)
    if got[0] == "ok":
        assert got[1].dtype.str == want[1].dtype.str
        assert got[1].shape == want[1].shape
    else:
        assert got == want


SAME_VALUE_PICKS = [0, -0.0, 1, -1, 3, 127, 128, 200, 255, 256, -129, 40000, 70000.0, 2**24 + 1, 2**31, 2**53 + 1,
                    2**63, 0.5, 0.1, 1.5, 1e-40, 1e300, float("nan"), float("inf"), -float("inf"), 2j, 3 + 0j,
                    0.1 + 1j]  # fmt: skip


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.filterwarnings("ignore::numpy.exceptions.ComplexWarning")
@given(
    st.sampled_from(strategies.NUMERIC_CODES),
    st.sampled_from(["<", ">"]),
    st.lists(st.sampled_from(SAME_VALUE_PICKS), min_size=0, max_size=6),
    st.sampled_from(CODES),
    st.sampled_from(["plain", "reversed", "strided", "unaligned"]),
    st.sampled_from(["K", "C", "F"]),
    st.booleans(),
)
def test_astype_same_value(code, order, picks, to, layout, mem_order, copy):
    """NumPy 2.4's casting='same_value': numeric casts that keep every value succeed,
    exactly as NumPy's; a changed value raises its ValueError naming the C types; bytes
    and void are refused; the ComplexWarning of a complex-to-real cast is still given.
    NumPy skips the check when either dtype is byte-swapped (its swapping wrapper drops
    the flag: `array([0.1]).astype('>f4', casting='same_value')` passes and warns);
    rawarray checks every cast, so the oracle runs on native-order twins."""
    dt = np.dtype(code).newbyteorder(order)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # Each pick through its own array (int64, uint64, float64, complex128), so large
        # integers stay exact until the unsafe cast to the source dtype.
        src = np.array([np.array(p).astype(dt) for p in picks or [0]], dtype=dt)
    base = np.concatenate([src, src[::-1]]).reshape(2, -1)
    n = {"plain": base, "reversed": base[::-1, ::-1], "strided": np.repeat(base, 2, axis=1)[:, ::2],
         "unaligned": np.frombuffer(b"\0" + base.tobytes(), base.dtype, offset=1).reshape(base.shape)}[layout]  # fmt: skip
    native_to = np.dtype(to).newbyteorder("=") if np.dtype(to).kind not in "SV" else np.dtype(to)
    oracle = n.astype(n.dtype.newbyteorder("="))
    if code == "f2" and native_to.kind in "iu":
        # NumPy's half-to-integer check compares bit patterns and refuses -0.0 (its float
        # and double checks accept it, as rawarray does for every float): give it +0.0.
        oracle = oracle + np.float16(0)
    results = []
    for m, arr, target in ((np, oracle, native_to), (ra, ra.asarray(n), to)):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            got = outcome(lambda arr=arr, target=target: arr.astype(target, order=mem_order, casting="same_value", copy=copy))
        results.append((got, sorted({type(x.message).__name__ for x in w})))
    (got, got_w), (want, want_w) = results[1], results[0]
    assert got_w == want_w
    if got[0] == "ok" and want[0] == "ok":
        assert got[1].dtype.str == np.dtype(to).str
        assert_same(got[1].astype(native_to), want[1], flags=False)
    else:
        # Which failing element NumPy meets first (its iteration order) decides whether a
        # complex source's message ends in ": imag is not 0"; compare without it.
        strip = lambda o: (o[0], o[1].replace(": imag is not 0", "")) if o[0] != "ok" else o  # noqa: E731
        assert strip(got) == strip(want)


def test_astype_same_value_messages():
    for values, dtype, to in [([1 + 1j], "c16", "f8"), ([complex("nan+1j")], "c16", "f8"), ([0.1 + 1j], "c16", "f4"),
                              ([3 + 1j], "c8", "i2"), ([200], "u1", "i1"), ([1.5], "f8", "S4")]:  # fmt: skip
        for shape in [(1,), ()]:
            n = np.array(values[0] if shape == () else values, dtype=dtype)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                assert outcome(lambda: ra.asarray(n).astype(to, casting="same_value")) == outcome(
                    lambda: n.astype(to, casting="same_value")
                )
    r = ra.asarray([1.0, 2.0])
    assert r.astype("f8", casting="same_value", copy=False) is r
    assert r.astype("f8", casting="same_value") is not r
    # Byte-swapped dtypes are checked too (NumPy 2.4 lets these through).
    with pytest.raises(ValueError, match="could not cast 'same_value' double to float"):
        ra.asarray([0.1]).astype(">f4", casting="same_value")
    with pytest.raises(ValueError, match="could not cast 'same_value' int to short"):
        ra.asarray([40000], ">i4").astype("<i2", casting="same_value")
    for m in (np, ra):
        # Only astype takes the rule.
        with pytest.raises(ValueError, match="casting must be one of"):
            m.can_cast("f8", "i1", "same_value")


def test_astype_bad_casting_value():
    with pytest.raises(ValueError):
        ra.arange(3).astype("i4", casting="bogus")


@pytest.mark.parametrize("raw", [b"\x80", b"1\xc3", b"\xc3(x", b"ab\xff", b"\xe2\x82", b" 1\xf0\x9f"])
@pytest.mark.parametrize("to", ["c8", "c16", "f8", "f4", "i8", "u1"])
def test_bytes_that_are_not_utf8_raise_unicode_decode_error(raw, to):
    """Bytes that are not UTF-8 fail to cast to numbers as in NumPy: complex targets
    decode them first (Python's own UnicodeDecodeError, a ValueError subclass, with its
    message and failing range); floats and integers raise their plain ValueErrors."""

    def attempt(m):
        try:
            m.asarray([raw], dtype="S4").astype(to)
        except Exception as e:  # noqa: BLE001 - the exception is what is compared
            return type(e).__name__, str(e), getattr(e, "start", None), getattr(e, "end", None)
        return None

    assert attempt(ra) == attempt(np)


SCALAR_VALUES = [0, 255, 256, 65535, 65536, 2**32 - 1, 2**32, 2**63, -1, -128, -129, -32769, -2**31 - 1,
                 0.5, 64999.9, 65000.0, -65000.0, 1e10, 3.39e38, 3.4e38, float("inf"), float("nan"),
                 1 + 1j, 1e39j, complex(float("inf"), 1e39), True]


@pytest.mark.parametrize("value", SCALAR_VALUES)
@pytest.mark.parametrize("form", ["python", "typed", "0-d", "swapped 0-d", "1-d"])
def test_min_scalar_type_matches_numpy(value, form):
    def make(m):
        if form == "python":
            return value
        arr = m.asarray(value)
        if form == "typed":
            return arr[()]
        if form == "swapped 0-d":
            return arr.astype(arr.dtype.newbyteorder(">" if arr.dtype.byteorder != ">" else "<"))
        return arr if form == "0-d" else arr.reshape(1)

    assert outcome(lambda: str(ra.min_scalar_type(make(ra)))) == outcome(lambda: str(np.min_scalar_type(make(np))))


@given(st.lists(st.sampled_from(strategies.NUMERIC_CODES + [">f4", ">c16", "S3"]), min_size=1, max_size=3))
def test_common_type_matches_numpy(codes):
    got = outcome(lambda: ra.common_type(*[ra.zeros(2, dtype=c) for c in codes]))
    want = outcome(lambda: np.common_type(*[np.zeros(2, dtype=c) for c in codes]))
    if got[0] == "ok" and want[1] is not None:
        assert got[1].__name__ == want[1].__name__
    else:
        assert got == want


@pytest.mark.parametrize("call", [
    lambda m: m.astype(m.arange(3.0), "i4"),
    lambda m: m.astype(m.arange(3.0), m.float32, copy=False),
    lambda m: m.astype(m.float64(2.5), "i2"),
    lambda m: m.astype(m.arange(3.0), "f4", device="cpu"),
    lambda m: m.astype([1, 2], "f4"),
    lambda m: m.astype(m.arange(3.0), "f4", device="gpu"),
])
def test_astype_function_matches_numpy(call):
    got, want = outcome(lambda: call(ra)), outcome(lambda: call(np))
    if want[0] == "ok":
        assert got[0] == "ok" and got[1].dtype.str == want[1].dtype.str and got[1].tolist() == want[1].tolist()
    else:
        assert got == want
    a = ra.arange(3.0)
    assert ra.astype(a, "f8", copy=False) is a and ra.astype(a, "f8") is not a
