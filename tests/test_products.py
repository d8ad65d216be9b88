"""Matrix and vector products (matmul and ``@``, dot, inner, vdot, outer) against NumPy.

Values: operands of small integers make every product and sum exact in every dtype, so
results are compared bit for bit whatever the summation order (NumPy hands float32,
float64 and complex products to BLAS, which sums in its own order; rawarray sums each
element over ``k`` in order, as NumPy's non-BLAS loops do). Random floats are compared
within the error bound of a ``k``-term sum (``2 k eps sum|a||b|``), and integers, bools and
float16 (summed in float32, as NumPy) exactly.
"""

from __future__ import annotations

import math
import operator

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rawarray as ra
from strategies import NUMERIC_CODES
from ufunc_helpers import assert_values, layout, run, to_np

LAYOUTS = ["plain", "reversed", "fortran", "unaligned", "swapped"]


def small_ints(shape: tuple[int, ...], code: str, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    lo = 0 if code[0] in "u?" else -9
    return rng.integers(lo, 10, size=shape).astype(code)


def laid_out(n: np.ndarray, kind: str) -> np.ndarray:
    if kind == "swapped":
        return n.astype(n.dtype.newbyteorder(">")) if n.dtype.itemsize > 1 else n
    return layout(n, kind)


@st.composite
def operand_shapes(draw: st.DrawFn) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Shapes of a matmul's operands: 1-d or with stacks that broadcast."""
    m, k, n = (draw(st.integers(0, 4)) for _ in range(3))
    stack = draw(st.lists(st.integers(1, 3), max_size=2))

    def stack_of() -> tuple[int, ...]:
        keep = draw(st.integers(0, len(stack)))
        return tuple(1 if draw(st.booleans()) else d for d in stack[len(stack) - keep :])

    a = (k,) if draw(st.integers(0, 3)) == 0 else stack_of() + (m, k)
    b = (k,) if draw(st.integers(0, 3)) == 0 else stack_of() + (k, n)
    return a, b


@given(
    codes=st.tuples(st.sampled_from(NUMERIC_CODES), st.sampled_from(NUMERIC_CODES)),
    shapes=operand_shapes(),
    layouts=st.tuples(st.sampled_from(LAYOUTS), st.sampled_from(LAYOUTS)),
    seed=st.integers(0, 2**16),
)
def test_matmul_matches_numpy_on_every_dtype_shape_and_layout(codes, shapes, layouts, seed):
    na = laid_out(small_ints(shapes[0], codes[0], seed), layouts[0])
    nb = laid_out(small_ints(shapes[1], codes[1], seed + 1), layouts[1])
    ra_, rb = ra.asarray(na), ra.asarray(nb)
    for call in (ra.matmul, operator.matmul):
        got, gexc, gw = run(lambda: call(ra_, rb))
        want, wexc, ww = run(lambda: np.matmul(na, nb))
        assert gexc == wexc and gw == ww, (gexc, wexc, gw, ww)
        if wexc is None:
            assert_values(got, want)
    if na.ndim <= 2 and nb.ndim <= 2 and na.shape[-1] == nb.shape[0]:
        assert_values(ra.dot(ra_, rb), np.dot(na, nb))


@given(
    code=st.sampled_from(["f2", "f4", "f8", "c8", "c16"]),
    mkn=st.tuples(st.integers(1, 40), st.integers(1, 70), st.integers(1, 300)),
    seed=st.integers(0, 2**16),
)
def test_float_products_are_within_the_sum_bound(code, mkn, seed):
    m, k, n = mkn
    rng = np.random.default_rng(seed)
    dt = np.dtype(code)
    na = rng.standard_normal((m, k) if dt.kind == "f" else (m, k, 2)).astype("f8")
    nb = rng.standard_normal((k, n) if dt.kind == "f" else (k, n, 2)).astype("f8")
    if dt.kind == "c":
        na, nb = na[..., 0] + 1j * na[..., 1], nb[..., 0] + 1j * nb[..., 1]
    na, nb = na.astype(dt), nb.astype(dt)
    got = to_np(ra.matmul(ra.asarray(na), ra.asarray(nb)))
    want = np.matmul(na, nb)
    assert got.dtype == want.dtype and got.shape == want.shape
    exact = np.abs(na.astype("c16")) @ np.abs(nb.astype("c16"))
    # float16 rounds once from a float32 sum: half an ulp of float16 besides the float32 bound.
    eps = float(np.finfo(np.float32 if dt == np.float16 else dt).eps)
    bound = 2 * k * eps * exact.real + (np.spacing(np.abs(want)).astype("f8") if dt == np.float16 else 0)
    assert np.all(np.abs(got.astype("c16") - want.astype("c16")) <= bound)
    if dt == np.float16:
        assert np.array_equal(got, want)  # NumPy's float16 loop is ours: float32 in k order


def test_large_products_split_across_threads_match_numpy():
    rng = np.random.default_rng(5)
    ni = rng.integers(-1000, 1000, size=(2, 150, 130)).astype(np.int64)
    nj = rng.integers(-1000, 1000, size=(130, 170)).astype(np.int64)
    assert_values(ra.asarray(ni) @ ra.asarray(nj), ni @ nj)
    nf = rng.standard_normal((300, 200))
    got = to_np(ra.asarray(nf) @ ra.asarray(nf.T))
    assert np.allclose(got, nf @ nf.T, rtol=1e-12, atol=1e-12)


def test_special_values_and_warnings_as_numpy():
    cases = [
        (np.array([[1e308, 1e308]]), np.array([[10.0], [10.0]])),
        (np.array([[np.inf, 1.0]]), np.array([[0.0], [1.0]])),
        (np.array([[np.inf, -np.inf]]), np.array([[1.0], [1.0]])),
        (np.array([[np.nan, 1.0]]), np.array([[1.0], [1.0]])),
        (np.array([[60000, 60000]], dtype=np.float16), np.array([[2], [2]], dtype=np.float16)),
        (np.array([[60000, -60000]], dtype=np.float16), np.array([[2], [2]], dtype=np.float16)),
        (np.array([[2048, 1, 1]], dtype=np.float16), np.ones((3, 1), dtype=np.float16)),
        (np.array([[200, 100]], dtype=np.uint8), np.array([[2], [2]], dtype=np.uint8)),
        (np.array([[True, False]]), np.array([[True], [True]])),
        (np.array([[2, 1]], dtype=np.uint8), np.array([[3], [255]], dtype=np.uint8)),
    ]
    for na, nb in cases:
        got, gexc, gw = run(lambda: ra.matmul(ra.asarray(na), ra.asarray(nb)))
        want, wexc, ww = run(lambda: np.matmul(na, nb))
        assert (gexc, gw) == (wexc, ww), (na, nb, gw, ww)
        assert_values(got, want)
    with ra.errstate(over="raise"), pytest.raises(FloatingPointError, match="overflow encountered in matmul"):
        ra.matmul(ra.asarray(cases[0][0]), ra.asarray(cases[0][1]))


CALLS = [
    "m(o((2,3)), 'x')", "m(o((2,3)), 2)", "m(2, o((2,3)))", "m(o((2,3)), o((2,3)))",
    "m(o((2,2,3)), o((3,3,2)))", "m(o(3), o((2,3,4)))", "m(o(3), o(3))", "m(o(3), o((3,2)))",
    "m(o((3,2)), o(2))", "m([1, 2], [3, 4])", "m([[1.5]], [[2]])", "m(o((0,3)), o((3,2)))",
    "m(o((2,0)), o((0,2)))", "m(o((2,0,3)), o((3,2)))", "m(o((1,2,3)), o((4,3,2)))",
    "m(o((2,3)), o((3,4)), out=z((2,3)))", "m(o((2,3)), o((3,4)), out=z((3,4)))",
    "m(o((2,3)), o((3,4)), out=z((5,2,4)))", "m(o((2,3)), o((3,4)), out=z((2,4), 'i4'))",
    "m(o((2,3)), o((3,4)), out=z((2,4), '>f4'))", "m(o((2,3)), o((3,4)), dtype='i4')",
    "m(o((2,3)), o((3,4)), dtype='f4')", "m(o((2,3)), o((3,4)), dtype='i4', casting='unsafe')",
    "m(o(3), o(3), out=z(()))", "m(o(3), o((3,2)), out=z((2,)))", "m(o(3), o((3,2)), out=z((1,2)))",
    "m(o((3,2)), o(2), out=z((4,3)))", "m(o(3, 'S2'), o(3, 'S2'))", "m(o((2,2)), o((2,2)), casting='no')",
    "m(o((2,2), 'i4'), o((2,2)), casting='no')", "m(o((2,2)), o((2,2)), order='X')",
    "m(o((2,2)), o((2,2)), casting='bogus')", "m(o((2,2)), o((2,2)), signature='f4')",
    "m(o((2,2)), o((2,2)), signature='ff->f')", "m(o((2,2)), o((2,2)), out=(z((2,2)),))",
    "m(o((2,2), 'i8'), o((2,2), 'u8'))", "m(o((2,2), 'i1'), o((2,2), '?'))",
    "lib.dot(o((2,3)), o((2,3)))", "lib.dot(o((2,3,4)), o((5,3)))", "lib.dot(ar(24).reshape(2,3,4), ar(40).reshape(5,4,2))",
    "lib.dot(o((2,3)), o((3,4)), out=z((2,4), 'f4'))", "lib.dot(o((2,3)), o((3,4)), out=z((4,2)).T)",
    "lib.dot(o((2,3)), o((3,4)), out=z((2,4)))", "lib.dot(3, [1, 2])", "lib.dot(o((2,3)), o(3))",
    "lib.dot(o(3, 'i1'), 2**10)", "lib.dot(o(3, 'i1'), o(3, 'i1'))", "lib.dot(2.5, 2)", "lib.dot([1, 2], [3, 4])",
    "lib.inner(o((2,3)), o((3,4)))", "lib.inner(ar(6).reshape(2,3), ar(12).reshape(4,3))",
    "lib.inner(ar(24).reshape(2,3,4), ar(8).reshape(2,4))", "lib.inner(3, ar(3))", "lib.inner(ar(3), ar(3))",
    "lib.vdot(o((2,3)), o((3,4)))", "lib.vdot(o(3), o(4))", "lib.vdot(ar(6).reshape(2,3), ar(6).reshape(3,2))",
    "lib.vdot(lib.array([1+2j, 3j]), lib.array([2j, 1]))", "lib.vdot(2, 3)",
    "lib.outer([1, 2], [[3, 4]])", "lib.outer(ar(3), ar(2), out=z((3,2)))", "lib.outer(ar(3), ar(2), out=z((2,3)))",
    "lib.outer(2, 3)", "pow(o(3), 2, 3)",
]  # fmt: skip


# rawarray has no unicode dtype: a str operand is refused before matmul runs (TypeError too).
OTHER_MESSAGES = {"m(o((2,3)), 'x')"}


def imatmul(lib, a, b):
    a @= b
    return a


@pytest.mark.parametrize("call", CALLS)
def test_calls_and_errors_as_numpy(call):
    def env(lib):
        return {
            "lib": lib, "m": lib.matmul, "ar": lib.arange,
            "o": lambda s, d="f8": lib.ones(s, d), "z": lambda s, d="f8": lib.zeros(s, d),
        }  # fmt: skip

    got, gexc, gw = run(lambda: eval(call, env(ra)))
    want, wexc, ww = run(lambda: eval(call, env(np)))
    assert (gexc, gw) == (wexc, ww), (gexc, wexc, gw, ww)
    if wexc is None:
        assert_values(got, want)
    elif call not in OTHER_MESSAGES:
        with pytest.raises(Exception) as ge:
            eval(call, env(ra))
        with pytest.raises(Exception) as we:
            eval(call, env(np))
        assert str(ge.value).replace("rawarray", "numpy") == str(we.value), (ge.value, we.value)


@pytest.mark.parametrize(
    "a_shape, b_shape, a_code, b_code",
    [((3,), (3, 3), "f8", "f8"), ((2, 3), (3, 3), "f8", "f8"), ((2, 3), (3, 4), "f8", "f8"),
     ((2, 3), (3, 3), "i4", "f8"), ((2, 3), (3, 3), "f8", "i4"), ((2, 2, 3), (3, 3), "i8", "i8")],
)  # fmt: skip
def test_inplace_matmul_as_numpy(a_shape, b_shape, a_code, b_code):
    na, nb = small_ints(a_shape, a_code, 1), small_ints(b_shape, b_code, 2)
    ra_, rb = ra.array(na.tolist(), dtype=a_code), ra.array(nb.tolist(), dtype=b_code)
    got, gexc, _ = run(lambda: imatmul(ra, ra_, rb))
    want, wexc, _ = run(lambda: imatmul(np, na, nb))
    assert gexc == wexc
    if wexc is None:
        assert got is ra_
        assert_values(got, want)


def test_operators_with_lists_and_other_objects():
    a = ra.array([[1, 2], [3, 4]])
    assert (a @ [1, 1]).tolist() == [3, 7]
    assert ([1, 1] @ a).tolist() == [4, 6]

    class Right:
        def __rmatmul__(self, other):
            return "deferred"

    assert a @ Right() == "deferred"
    with pytest.raises(TypeError, match="unsupported operand"):
        pow(a, 2, 3)


def test_out_may_alias_an_input():
    na = small_ints((3, 3), "i8", 3)
    a = ra.array(na.tolist())
    ra.matmul(a, a, out=a)
    assert a.tolist() == (na @ na).tolist()


@pytest.mark.parametrize("name", ["dot", "inner", "vdot"])
@pytest.mark.parametrize("code", ["f4", "f8", "c8", "c16", "f2", "i8", ">f8"])
@pytest.mark.parametrize("shapes", [((1,), (1,)), ((2,), (2,)), ((1, 2), (2,)), ((2, 1), (1, 2)), ((1, 1, 2), (2, 2))])
@pytest.mark.parametrize("values", ["overflow", "negative zero", "nan"])
def test_dot_inner_vdot_name_their_warnings_and_keep_blas_signs(name, code, shapes, values):
    """NumPy's dot and inner report floating-point exceptions as "... in dot", vdot none;
    a dot of one-element vectors of a BLAS type is the product itself (-0.0 stays)."""
    big = {"f2": 6e4, "f4": 3e38, ">f8": 1e308, "f8": 1e308, "c8": 3e38, "c16": 1e308, "i8": 2**62}[code]
    fill = {"overflow": (big, 4), "negative zero": (1, -0.0), "nan": (float("nan"), 1)}[values]
    if code == "i8" and values != "overflow":
        fill = (1, 0)
    if name == "inner" and shapes[1][-1:] != shapes[0][-1:]:
        shapes = (shapes[0], shapes[1][::-1])
    if name == "vdot" and math.prod(shapes[0]) != math.prod(shapes[1]):
        shapes = (shapes[0], shapes[0])
    if code in ("c8", "c16") and name != "vdot" and len(shapes[0]) > 1:
        # OpenBLAS's complex gemm scales by a complex alpha (an overflowed product gets a
        # NaN imaginary part and "invalid") and keeps some -0.0 depending on its kernel:
        # artifacts of that library, which rawarray's products do not copy.
        pytest.skip("OpenBLAS zgemm artifacts")

    def call(m):
        a = m.full(shapes[0], fill[0], dtype=code)
        b = m.full(shapes[1], fill[1], dtype=code)
        return getattr(m, name)(a, b)

    got, gexc, gw = run(lambda: call(ra))
    want, wexc, ww = run(lambda: call(np))
    assert (gexc, gw) == (wexc, ww)
    if wexc is None:
        assert_values(got, want)
