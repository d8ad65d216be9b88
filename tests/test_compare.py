"""The six comparisons between arrays and with Python scalars, with broadcasting."""

import operator
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as nps

import rawarray as ra
from oracle import assert_same, twin
from strategies import dtypes

OPS = [operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge]


def check(got, want):
    """Arrays compare as arrays; 0-d results are scalars of NumPy's type on both sides."""
    if isinstance(want, np.ndarray):
        assert_same(got, want)
    else:
        assert type(got).__name__ == type(want).__name__
        assert got == want


@given(st.data(), st.sampled_from(OPS))
def test_array_vs_array(data, op):
    shapes = data.draw(nps.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=3, max_side=4))
    a = data.draw(nps.arrays(data.draw(dtypes()), shapes.input_shapes[0]))
    b = data.draw(nps.arrays(data.draw(dtypes()), shapes.input_shapes[1]))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = op(a, b)
    got = op(twin(a), twin(b))
    check(got, want)


SCALARS = [0, 1, -1, 3, 200, 300, -129, 2**40, 2**63, 0.5, -0.0, 3.0, float("nan"), float("inf"), 1e300, True, False, 1 + 0j, 2j]


@given(st.data(), st.sampled_from(OPS), st.sampled_from(SCALARS))
def test_array_vs_python_scalar(data, op, scalar):
    n = data.draw(nps.arrays(data.draw(dtypes()), nps.array_shapes(min_dims=0, max_dims=2, min_side=0)))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = op(n, scalar)
    except (TypeError, OverflowError) as e:
        with pytest.raises(type(e)):
            op(twin(n), scalar)
        return
    got = op(twin(n), scalar)
    check(got, want)
    # Reflected: scalar on the left.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want_r = op(scalar, n)
    check(op(scalar, twin(n)), want_r)


def test_float32_weak_scalar():
    # NEP 50: a Python float is weak, so 0.1 is cast to float32 before comparing.
    assert (ra.array([0.1], dtype="f4") == 0.1).tolist() == (np.array([0.1], dtype="f4") == 0.1).tolist()


def test_seed_mask():
    n = np.array([0.0, 1.1, 2.2, 3.3, 4.4, 5.5, 6.6, 7.7, 8.8, 9.9])
    r = ra.array(n.tolist())
    assert_same(r > 3, n > 3)
    assert_same(r[r > 3], n[n > 3])


def test_broadcast_failure():
    with pytest.raises(ValueError) as want:
        np.arange(3) == np.arange(4)
    with pytest.raises(ValueError) as got:
        ra.arange(3) == ra.arange(4)
    assert str(got.value) == str(want.value)


def test_compare_with_list():
    assert_same(ra.arange(3) < [1, 1, 1], np.arange(3) < [1, 1, 1])


def _outcome(f):
    try:
        r = f()
    except TypeError:
        return "TypeError"  # (NumPy's no-loop errors are subclasses)
    except Exception as e:  # noqa: BLE001 - compared with NumPy's
        return type(e).__name__
    return type(r).__name__, np.asarray(r).dtype.str, np.asarray(r).shape, np.asarray(r).tolist()


@pytest.mark.parametrize(
    "make",
    [
        lambda m: (m.asarray([1.5, 2.0]), b"c"),
        lambda m: (m.asarray([b"ab", b"c"]), 3),
        lambda m: (m.asarray([b"ab", b"c"]), "c"),
        lambda m: (m.arange(6).reshape(2, 3), "x"),
        lambda m: (m.asarray([1, 2]), None),
        lambda m: (m.asarray(5), "x"),
        lambda m: (m.asarray(5.0), None),
        lambda m: (m.asarray([1, 2]), m.asarray([[b"a"], [b"b"]])),
        lambda m: (m.asarray([[1, 2]]), m.asarray([b"a", b"b", b"c"])),
        lambda m: (m.zeros(2, "V4"), m.zeros(2, "V8")),
        lambda m: (m.zeros(2, "V4"), 3),
    ],
)
def test_equality_without_a_loop_is_elementwise_false(make):
    """NumPy 2's `==`/`!=` where the comparison has no loop (numbers against bytes or str,
    None): all False (True) in the broadcast shape, a scalar for 0-d operands, the
    broadcast error for incompatible shapes; void arrays keep their TypeError. The
    orderings raise."""
    for op in (operator.eq, operator.ne, operator.lt):
        a, b = make(np)
        want = _outcome(lambda: op(a, b))
        a, b = make(ra)
        assert _outcome(lambda: op(a, b)) == want, op


def test_contains_is_any_equal():
    """`x in a` is NumPy's `(a == x).any()`: elements, rows broadcast against the array,
    NaN never found, unequal types not found, broadcast errors raised."""
    for make in (lambda m: m.arange(6).reshape(2, 3), lambda m: m.asarray(5), lambda m: m.asarray([], "f8"),
                 lambda m: m.asarray([1.5, m.nan]), lambda m: m.asarray([b"ab", b"c"])):  # fmt: skip
        for v in (3, 7, [0, 1, 2], 2.0, [1, 2], float("nan"), 1.5, b"c", "x", None):
            assert _outcome(lambda: v in make(ra)) == _outcome(lambda: v in make(np)), (make(np), v)


UFUNCS = ["equal", "not_equal", "less", "less_equal", "greater", "greater_equal"]
BYTES = st.binary(min_size=0, max_size=3).filter(lambda b: not b.endswith(b"\0"))


@given(st.data(), st.sampled_from(UFUNCS))
def test_bytes_through_the_comparison_ufuncs(data, name):
    """np.equal & co. on S arrays and bytes (NumPy's string loops), broadcast, 0-d, out=."""
    shapes = data.draw(nps.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=2, max_side=3))
    x = np.array(data.draw(nps.arrays("S3", shapes.input_shapes[0], elements=BYTES)))
    y = data.draw(st.one_of(BYTES, nps.arrays("S2", shapes.input_shapes[1], elements=BYTES.filter(lambda b: len(b) <= 2))))
    ry = y if isinstance(y, bytes) else twin(y)
    check(getattr(ra, name)(twin(x), ry), getattr(np, name)(x, y))
    check(getattr(ra, name)(ry, twin(x)), getattr(np, name)(y, x))
    if isinstance(y, np.ndarray):
        shape = np.broadcast_shapes(x.shape, y.shape)
        nout, rout = np.zeros(shape, "?"), ra.zeros(shape, "?")
        assert getattr(ra, name)(twin(x), ry, out=rout) is rout
        getattr(np, name)(x, y, out=nout)
        assert_same(rout, nout)


def test_bytes_with_numbers_has_no_loop():
    with pytest.raises(TypeError):
        np.equal(np.array([b"a"]), 1)
    with pytest.raises(TypeError):
        ra.equal(ra.asarray([b"a"]), 1)


def _error_or_value(f):
    try:
        r = f()
    except Exception as e:  # noqa: BLE001 - the class name and message are compared
        return type(e).__name__, str(e)
    return np.asarray(r).dtype.str, np.asarray(r).tolist()


@pytest.mark.parametrize("kind", ["S3", "V3"])
@pytest.mark.parametrize("other", [1, 1.5, 1j, True, None, "ints", "list", "bytes", "void"])
@pytest.mark.parametrize("op", OPS)
def test_bytes_and_void_against_numbers_fail_as_numpy(kind, other, op):
    """Orderings of bytes or void against numbers fail in the comparison ufunc's promotion
    (its UFuncTypeError naming the DType classes); `==`/`!=` give all False/True for
    bytes and NumPy's "Cannot compare structured or void" for void (None included).
    Ordered against None, both raise a TypeError (NumPy's names the elements' types)."""
    results = []
    for m in (np, ra):
        a = m.zeros(2, kind)
        b = {"ints": m.arange(2, dtype="u1"), "list": [1, 2], "bytes": m.zeros(2, "S2"),
             "void": m.zeros(2, "V3")}.get(other, other) if isinstance(other, str) else other  # fmt: skip
        results.append((_error_or_value(lambda: op(a, b)), _error_or_value(lambda: op(b, a))))
    if other is None and op not in (operator.eq, operator.ne):
        # NumPy orders the elements as Python objects; its message names them.
        results = [tuple(r[0] for r in pair) for pair in results]
    assert results[1] == results[0]


NAN = float("nan")
COMPLEX_PARTS = [1 + 0j, 1 + 1j, 1j, complex(NAN, 0), complex(0, NAN), complex(1, NAN), complex(NAN, NAN),
                 complex(float("inf"), NAN), complex(2, NAN)]  # fmt: skip


@pytest.mark.parametrize("op", OPS)
@pytest.mark.parametrize("dt", ["complex64", "complex128"])
def test_complex_orderings_warn_as_numpy(op, dt):
    """NumPy's complex ordering macros compare with signalling C operators: "invalid" when
    a real part is NaN, or the real parts are equal and an imaginary part is NaN; `==` and
    `!=` never warn. Arrays (contiguous and strided) and the scalars that go through the
    ufunc (a bool or a lower-kind left operand) warn; typed scalars in scalar math do not."""
    from ufunc_helpers import run

    for x in COMPLEX_PARTS:
        for y in COMPLEX_PARTS:
            cases = [
                lambda m: op(m.asarray([x, 1, x], dtype=dt), m.asarray([y, 1, y], dtype=dt)),
                lambda m: op(m.asarray([x, 0, x, 0], dtype=dt)[::2], m.asarray([y, y], dtype=dt)),
                lambda m: op(m.asarray(x, dtype=dt)[()], m.asarray(y, dtype=dt)[()]),
                lambda m: op(m.asarray(x, dtype=dt)[()], m.float64(y.real)),
                lambda m: op(m.bool_(True), m.asarray(y, dtype=dt)[()]),
                lambda m: op(m.float16(x.real), m.asarray(y, dtype=dt)[()]),
            ]
            for case in cases:
                want = run(lambda: case(np))
                got = run(lambda: case(ra))
                assert got[1] is want[1] is None
                assert np.asarray(got[0]).tolist() == np.asarray(want[0]).tolist(), (x, y)
                assert got[2] == want[2], (x, y, want[2])
