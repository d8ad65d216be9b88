"""The short call paths of ufuncs and operators (two C-contiguous arrays of the loop's dtype,
an array and a Python int/float, ``ufunc(a, b, out=c)``, in-place and unary operators)
against NumPy and against rawarray's general path on strided views of the same values;
``order=`` for allocated outputs; NumPy's ``UFuncTypeError`` family."""

from __future__ import annotations

import operator

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import rawarray as ra
from ufunc_helpers import assert_values, run, to_np

BINARY = ["add", "subtract", "multiply", "divide", "floor_divide", "power", "maximum", "less", "equal",
          "bitwise_and", "arctan2", "left_shift"]
DTYPES = ["bool", "int8", "uint8", "int32", "int64", "uint64", "float16", "float32", "float64", "complex64"]
SHAPES = [(), (1,), (10,), (2, 5)]


def values(dt: str, shape: tuple[int, ...], seed: int) -> np.ndarray:
    """Small values with zeros and negatives (so divisions and powers warn and raise)."""
    rng = np.random.default_rng(seed)
    v = rng.integers(-4, 5, size=shape)
    if dt.startswith("float") or dt.startswith("complex"):
        v = v + rng.choice([0.0, 0.5, np.inf, np.nan], size=shape, p=[0.7, 0.2, 0.05, 0.05])
    return np.asarray(v).astype(dt)


def strided(r: ra.ndarray) -> ra.ndarray:
    """The same values as a non-contiguous view (the general path)."""
    if r.ndim == 0:
        return r
    return ra.concatenate([r[..., None], r[..., None]], axis=-1)[..., 0]


def call_both(fn, *args_n):
    want = run(lambda: fn(np, *args_n))
    got = run(lambda: fn(ra, *[ra.asarray(a) if isinstance(a, np.ndarray) else a for a in args_n]))
    return want, got


def check(want, got, ulps=0):
    (w, wexc, wwarn), (g, gexc, gwarn) = want, got
    assert gexc is wexc, (gexc, wexc)
    if wexc is None:
        assert_values(g, w, ulps=ulps)
        assert gwarn == wwarn


@given(
    name=st.sampled_from(BINARY),
    dt1=st.sampled_from(DTYPES),
    dt2=st.sampled_from(DTYPES),
    shapes=st.sampled_from([(s, s) for s in SHAPES] + [((10,), ()), ((), (2, 5))]),
    seed=st.integers(0, 2**16),
)
def test_binary_calls_match_numpy_and_the_general_path(name, dt1, dt2, shapes, seed):
    a, b = values(dt1, shapes[0], seed), values(dt2, shapes[1], seed + 1)
    uf_n, uf_r = getattr(np, name), getattr(ra, name)
    ulps = 4 if name in ("power", "arctan2", "divide") else 0
    want = run(lambda: uf_n(a, b))
    ra_a, ra_b = ra.asarray(a), ra.asarray(b)
    fast = run(lambda: uf_r(ra_a, ra_b))
    general = run(lambda: uf_r(strided(ra_a), strided(ra_b)))
    check(want, fast, ulps)
    check(want, general, ulps)
    if fast[1] is None:
        assert to_np(fast[0]).tobytes() == to_np(general[0]).tobytes()


OPS = [operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv, operator.mod, operator.pow,
       operator.lt, operator.eq, operator.ne, operator.and_, operator.lshift]


@given(
    op=st.sampled_from(OPS),
    dt=st.sampled_from(DTYPES),
    scalar=st.sampled_from([0, 1, 2, -1, 255, 300, 2**40, 2**70, 0.0, 0.5, -2.5, float("inf"), float("nan")]),
    shape=st.sampled_from(SHAPES),
    reflected=st.booleans(),
    seed=st.integers(0, 2**16),
)
def test_operators_with_python_scalars(op, dt, scalar, shape, reflected, seed):
    # Known gaps on every path (not the short ones'): a Python int beyond float16's range
    # gives inf with NumPy's "overflow encountered in cast" warning there, not here; one
    # beyond 64 bits raises OverflowError here with float arrays, where NumPy converts it.
    assume(not (dt == "float16" and isinstance(scalar, int) and abs(scalar) > 65504))
    assume(not (dt[0] in "fc" and isinstance(scalar, int) and abs(scalar) >= 2**64))
    a = values(dt, shape, seed)
    r = ra.asarray(a)
    args_n, args_r = ((scalar, a), (scalar, r)) if reflected else ((a, scalar), (r, scalar))
    want = run(lambda: op(*args_n))
    got = run(lambda: op(*args_r))
    general = run(lambda: op(*((scalar, strided(r)) if reflected else (strided(r), scalar))))
    ulps = 4 if op is operator.pow else 0
    check(want, got, ulps)
    check(want, general, ulps)


@given(
    op=st.sampled_from([operator.iadd, operator.isub, operator.imul, operator.itruediv, operator.ifloordiv]),
    dt=st.sampled_from(DTYPES),
    other=st.sampled_from(["array", "int", "float"]),
    seed=st.integers(0, 2**16),
)
def test_inplace_operators(op, dt, other, seed):
    a = values(dt, (2, 5), seed)
    b = {"array": values("int16", (2, 5), seed + 1), "int": 3, "float": 0.5}[other]
    n = a.copy()
    r = ra.asarray(a.copy())
    rb = ra.asarray(b) if isinstance(b, np.ndarray) else b
    want = run(lambda: op(n, b))
    got = run(lambda: op(r, rb))
    assert got[1] is want[1]
    if want[1] is None:
        assert got[0] is r
        assert_values(r, n)
        assert got[2] == want[2]


def test_out_argument_forms():
    a, b = np.arange(10.0), np.arange(10.0) + 1
    ra_a, ra_b = ra.asarray(a), ra.asarray(b)
    for form in ["kw", "tuple", "positional"]:
        c = ra.zeros(10)
        kwargs = {"kw": {"out": c}, "tuple": {"out": (c,)}, "positional": {}}[form]
        args = (ra_a, ra_b, c) if form == "positional" else (ra_a, ra_b)
        r = ra.add(*args, **kwargs)
        assert r is c
        assert to_np(c).tolist() == (a + b).tolist()
    # out aliasing an input, exactly and shifted.
    x = ra.asarray(a.copy())
    assert ra.multiply(x, x, out=x) is x
    assert to_np(x).tolist() == (a * a).tolist()
    n = a.copy()
    np.add(n[:-1], n[1:], out=n[1:])
    x = ra.asarray(a.copy())
    ra.add(x[:-1], x[1:], out=x[1:])
    assert to_np(x).tolist() == n.tolist()
    # out=None is allocation; a 0-d out stays an array.
    assert isinstance(ra.add(ra_a, ra_b, out=None), ra.ndarray)
    assert isinstance(ra.add(ra.asarray(1.0), ra.asarray(2.0), out=ra.asarray(0.0)), ra.ndarray)
    assert type(ra.add(ra.asarray(1.0), ra.asarray(2.0))).__name__ == "float64"
    assert type(ra.sqrt(ra.asarray(4.0, dtype="float32"))).__name__ == "float32"
    with pytest.raises(ValueError, match="read-only"):
        ra.add(ra_a, ra_b, out=ra.frombuffer(bytes(80), dtype="float64"))
    with pytest.raises(TypeError, match="return arrays must be of ArrayType"):
        ra.add(ra_a, ra_b, out=[0] * 10)
    # NumPy's two wordings: an out that does not broadcast with the inputs at all, and one
    # that broadcasts but is smaller than the result.
    with pytest.raises(ValueError, match=r"operands could not be broadcast together with shapes \(10,\) \(10,\) \(3,\) "):
        ra.add(ra_a, ra_b, out=ra.zeros(3))
    with pytest.raises(ValueError, match=r"non-broadcastable output operand with shape \(1,\) doesn't match"):
        ra.add(ra_a, ra_b, out=ra.zeros(1))


def test_warnings_and_errstate_on_the_short_paths():
    a = ra.asarray([1.0, 0.0, -1.0])
    z = ra.zeros(3)
    for fn in [lambda: a / z, lambda: ra.divide(a, z), lambda: a / 0.0, lambda: ra.divide(a, z, out=ra.zeros(3))]:
        _, exc, w = run(fn)
        assert exc is None
        assert w == ["divide by zero encountered in divide", "invalid value encountered in divide"]
        with ra.errstate(divide="raise"):
            with pytest.raises(FloatingPointError, match="divide by zero encountered in divide"):
                fn()
        with ra.errstate(all="ignore"):
            assert run(fn)[2] == []


def test_keyword_and_positional_errors_match_numpy():
    for m in (np, ra):
        a = m.arange(3.0)
        with pytest.raises(TypeError) as e:
            m.add(a, foo=1)
        with pytest.raises(TypeError) as e2:
            m.add(a, a, foo=1)
        assert str(e2.value) == "add() got an unexpected keyword argument 'foo'"
        assert str(e.value) == "add() takes from 2 to 3 positional arguments but 1 was given"
        with pytest.raises(TypeError, match="but 4 were given"):
            m.add(a, a, a, a)
        with pytest.raises(TypeError, match="cannot specify 'out' as both a positional and keyword argument"):
            m.add(a, a, a, out=a)


def flags_of(x):
    return bool(x.flags.c_contiguous), bool(x.flags.f_contiguous), tuple(x.strides)


@pytest.mark.parametrize("order", ["C", "F", "A", "K", None, "c", "f", "a", "k"])
@pytest.mark.parametrize(
    "make",
    [
        lambda m: (m.asfortranarray(m.arange(6.0).reshape(2, 3)), m.asfortranarray(m.arange(6.0).reshape(2, 3))),
        lambda m: (m.asfortranarray(m.arange(6.0).reshape(2, 3)), m.arange(6.0).reshape(2, 3)),
        lambda m: (m.asfortranarray(m.arange(6.0).reshape(2, 3)), 1.5),
        lambda m: (m.asfortranarray(m.arange(6.0).reshape(2, 3)), m.arange(3.0)),
        lambda m: (m.arange(24.0).reshape(2, 3, 4).transpose(2, 0, 1), 1),
        lambda m: (m.arange(12.0).reshape(2, 6)[:, ::2], 1),
        lambda m: (m.arange(3.0).reshape(1, 3), m.arange(3.0).reshape(1, 3)),
        lambda m: (m.arange(3.0).reshape(3, 1), m.arange(3.0).reshape(3, 1)),
        lambda m: (m.arange(10.0), m.arange(10.0)),
        lambda m: (m.ones((3, 0)), m.ones((3, 0))),
    ],
)
def test_order_of_allocated_outputs_matches_numpy(order, make):
    n = np.add(*make(np), order=order)
    r = ra.add(*make(ra), order=order)
    assert flags_of(r) == flags_of(n)
    assert to_np(r).tolist() == n.tolist()
    nu = np.sqrt(make(np)[0], order=order)
    ru = ra.sqrt(make(ra)[0], order=order)
    assert flags_of(ru) == flags_of(nu)


def test_order_with_out_and_bad_orders():
    a = ra.asfortranarray(ra.arange(6.0).reshape(2, 3))
    out = ra.zeros((2, 3))
    assert ra.add(a, a, order="F", out=out) is out
    assert flags_of(out) == flags_of(np.zeros((2, 3)))
    for m in (np, ra):
        with pytest.raises(ValueError, match=r"order must be one of 'C', 'F', 'A', or 'K' \(got 'X'\)"):
            m.add(m.arange(2), 1, order="X")
        with pytest.raises(TypeError, match="order must be str, not int"):
            m.add(m.arange(2), 1, order=3)


def test_ufunc_type_error_classes():
    from rawarray import exceptions as rex

    assert issubclass(rex.UFuncTypeError, TypeError)
    assert issubclass(rex._UFuncNoLoopError, rex.UFuncTypeError)
    assert issubclass(rex._UFuncInputCastingError, rex._UFuncCastingError)
    assert issubclass(rex._UFuncOutputCastingError, rex._UFuncCastingError)
    assert issubclass(rex._UFuncCastingError, rex.UFuncTypeError)
    assert ra.UFuncTypeError is rex.UFuncTypeError
    try:
        ra.add(ra.asarray([b"a"]), ra.arange(2))
    except TypeError as e:  # the builtin base still catches it
        assert isinstance(e, rex._UFuncNoLoopError)
        assert type(e).__name__ == "UFuncTypeError"  # as NumPy shows its private subclasses
    else:
        raise AssertionError("no error")


S = lambda m: m.asarray([b"ab"])  # noqa: E731
V = lambda m: m.zeros(2, dtype="V3")  # noqa: E731


@pytest.mark.parametrize(
    "call",
    [
        lambda m: m.add(S(m), m.arange(2)),
        lambda m: m.add(m.arange(2), S(m)),
        lambda m: m.add(m.arange(2.0), S(m)),
        lambda m: m.add(S(m), 1),
        lambda m: m.subtract(S(m), S(m)),
        lambda m: m.maximum(S(m), m.arange(2)),
        lambda m: m.add(V(m), V(m)),
        lambda m: m.less(S(m), m.arange(2)),
        lambda m: m.less(m.arange(2.0), S(m)),
        lambda m: m.equal(S(m), 1),
        lambda m: m.less(V(m), V(m)),
        lambda m: m.negative(S(m)),
        lambda m: m.sign(m.asarray([True])),
        lambda m: m.sqrt(S(m)),
        lambda m: m.divide(S(m), m.arange(2)),
        lambda m: m.bitwise_and(m.arange(3.0), 1),
        lambda m: m.add(m.arange(3.0), 1, out=m.zeros(3, dtype="int64")),
        lambda m: m.add(m.arange(3.0), 1, dtype="int32"),
        lambda m: m.add(m.arange(3.0), 1, dtype="bool"),
        lambda m: m.divmod(m.arange(3.0), 1.5, out=(None, m.zeros(3, dtype="int64"))),
        lambda m: m.divmod(m.arange(3.0), 1.5, out=(m.zeros(3, dtype="int64"), None)),
        lambda m: m.subtract(m.arange(3.0), 1.5, out=m.zeros(3, dtype="bool"), casting="safe"),
    ],
)
def test_ufunc_type_errors_match_numpy(call):
    with pytest.raises(TypeError) as n:
        call(np)
    with pytest.raises(TypeError) as r:
        call(ra)
    assert str(r.value) == str(n.value)
    # The same class in NumPy's hierarchy (by the names of the classes, NumPy's are private).
    assert [c.__name__ for c in type(r.value).__mro__[:-3]] == [c.__name__ for c in type(n.value).__mro__[:-3]]
    for attr in ["casting", "in_i", "out_i"]:
        assert getattr(r.value, attr, None) == getattr(n.value, attr, None)
    for attr in ["from_", "to"]:
        assert str(getattr(r.value, attr, None)) == str(getattr(n.value, attr, None))
    if hasattr(n.value, "ufunc"):
        assert r.value.ufunc is getattr(ra, n.value.ufunc.__name__)
    if hasattr(n.value, "dtypes"):
        assert len(r.value.dtypes) == len(n.value.dtypes)
        assert r.value.dtypes[-1] is None


@pytest.mark.parametrize("dt", ["bool", "int8", "uint16", "int64", "uint64"])
@pytest.mark.parametrize("shape", [(), (3,)])
def test_bool_and_integer_arrays_squared_as_numpy(dt, shape):
    """NumPy's `a ** 2` runs square for bool and integer arrays too: `bool_array ** 2` is
    int8 (square's loop for bool), where `power(bool_array, 2)` is int64; other exponents
    stay with power (`bool_array ** -1` raises its ValueError)."""
    a = values(dt, shape, 3)
    for e in (2, 3, -1, 2.0):
        want, got = run(lambda: a**e), run(lambda: ra.asarray(a) ** e)
        check(want, got, 0)
