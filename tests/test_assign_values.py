"""How one value is stored into an existing array, against NumPy 2, for every form of
assignment. NumPy has two conversions:

- `setitem` (`a[i] = v`, `a[:] = v`, `a[...] = v`, `fill`, and every element of a nested
  list, whatever the key): Python numbers are checked, and a typed float stored as a
  *signed* integer is taken as `int(v)` (ValueError for NaN, OverflowError for infinity,
  "Python int too large to convert to C long" beyond 64 bits, "Python integer ... out of
  bounds" beyond the dtype);
- a cast (a mask or index-array key with a scalar value, `full`, `copyto`, `put`): Python
  numbers are still checked, typed values and 0-d arrays are cast with the cast's warnings.

Each case compares the exception type and message, or the stored bytes and the warnings."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rawarray as ra
from ufunc_helpers import to_np

VALUES = [
    0.0, -0.0, -1.0, 3.7, -3.7, 127.0, 128.0, -129.0, 255.9, 256.0, 300.0, 65536.0, 2.0**31, -(2.0**31) - 1,
    2.0**32, 2.0**63 - 1024, 2.0**63, -(2.0**63), -(2.0**63) - 4096, 1.5e19, 2.0**64, -(2.0**64), 1e30,
    float("nan"), float("inf"), float("-inf"),
]
# Unsigned targets of typed values are cast: NumPy's float -> uint32 cast of out-of-range
# values differs between its SIMD and scalar loops (see test_cast_warnings), so uint32 is
# left out of the typed conversions.
INTS = ["i1", "i2", "i4", "i8", "u1", "u2", "u4", "u8", ">i4", ">u2"]
KINDS = ["python", "f8", "f4", "f2", "0d"]
FORMS = ["item", "slice", "ellipsis", "fill", "index", "mask", "list-slice", "list-index", "array", "full", "put"]


def convert(lib, value: float, kind: str):
    if kind == "python":
        return value
    if kind == "0d":
        return lib.array(value)
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return getattr(lib, {"f8": "float64", "f4": "float32", "f2": "float16"}[kind])(value)


def store(lib, dtype: str, v, form: str):
    a = lib.zeros(3, dtype=dtype)
    if form == "item":
        a[1] = v
    elif form == "slice":
        a[:] = v
    elif form == "ellipsis":
        a[...] = v
    elif form == "fill":
        a.fill(v)
    elif form == "index":
        a[[0, 2]] = v
    elif form == "mask":
        a[a == 0] = v
    elif form == "list-slice":
        a[:2] = [v, 1]
    elif form == "list-index":
        a[[2, 0]] = [v, 1]
    elif form == "array":
        a = lib.array([1, v], dtype=dtype)
    elif form == "full":
        a = lib.full(2, v, dtype=dtype)
    elif form == "put":
        lib.put(a, [1], v)
    return a


def outcome(lib, dtype, value, kind, form):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            v = convert(lib, value, kind)
            w.clear()
            a = store(lib, dtype, v, form)
        except (ValueError, OverflowError, TypeError) as e:
            return type(e), str(e), None
    texts = sorted({str(x.message) for x in w})
    return None, texts, (to_np(a) if lib is ra else a)


@given(
    dtype=st.sampled_from(INTS),
    value=st.one_of(st.sampled_from(VALUES), st.floats(allow_nan=False, allow_infinity=False)),
    kind=st.sampled_from(KINDS),
    form=st.sampled_from(FORMS),
)
def test_storing_a_float_into_an_integer_array_matches_numpy(dtype, value, kind, form):
    if kind != "python" and "u4" in dtype:
        return
    if kind in ("f4", "f2") and form in ("list-slice", "list-index", "array") and dtype.lstrip("<>")[0] == "u":
        # NumPy converts a typed float32/float16 inside a list to an unsigned dtype through
        # its own precision; rawarray's scalar carries the value as a double (same values,
        # flags may differ at the edges).
        return
    nexc, nmsg, nres = outcome(np, dtype, value, kind, form)
    rexc, rmsg, rres = outcome(ra, dtype, value, kind, form)
    assert rexc is nexc, (rexc, rmsg, nexc, nmsg)
    assert rmsg == nmsg, (rmsg, nmsg)
    if nres is not None:
        assert rres.dtype == nres.dtype
        assert rres.tobytes() == nres.tobytes(), (rres, nres)


@pytest.mark.parametrize("form", FORMS)
def test_nan_into_int64_by_every_form(form):
    # The founding case: a[0] = np.float64('nan') raises in NumPy, as int(nan) does, where
    # a mask or index-array key casts (INT_MIN and "invalid value encountered in cast").
    for kind in KINDS:
        n = outcome(np, "i8", float("nan"), kind, form)
        r = outcome(ra, "i8", float("nan"), kind, form)
        assert r[0] is n[0] and r[1] == n[1], (kind, r, n)
        if n[2] is not None:
            assert r[2].tobytes() == n[2].tobytes()


PY_INTS = [2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63), -(2**63) - 1, 2**70, -(2**70), 300, -1, 2**32]
INT_FORMS = {
    "setitem": lambda m, d, v: m.zeros(2, dtype=d).__setitem__(0, v),
    "mask": lambda m, d, v: (lambda a: a.__setitem__(a == 0, v))(m.zeros(2, dtype=d)),
    "array": lambda m, d, v: m.array([v], dtype=d),
    "full": lambda m, d, v: m.full(2, v, dtype=d),
    "ufunc": lambda m, d, v: m.add(m.zeros(2, dtype=d), v),
    "compare": lambda m, d, v: m.zeros(2, dtype=d) < v,
    "scalar": lambda m, d, v: getattr(m, m.dtype(d).name)(v),
    "scalar op": lambda m, d, v: getattr(m, m.dtype(d).name)(1) + v,
}


@pytest.mark.parametrize("form", list(INT_FORMS))
@pytest.mark.parametrize("dtype", ["i1", "u1", "i2", "u2", "i4", "u4", "i8", "u8", "f2", "f8", "?"])
def test_python_ints_meet_each_dtype_as_in_numpy(form, dtype):
    # NumPy takes a Python int through a C long (uint32/uint64: unsigned long long) first:
    # "Python int too large to convert to C long" outside it, "Python integer ... out of
    # bounds for <dtype>" outside the dtype; float dtypes take the nearest value.
    for v in PY_INTS:
        if dtype == "?" and form in ("scalar", "scalar op"):
            continue
        _assert_stored_as_numpy(lambda m: INT_FORMS[form](m, dtype, v), v)


def _assert_stored_as_numpy(store, v):
    """Runs `store(np)` and `store(ra)` and compares the exception (type and message), the
    result's dtype and bytes, and the warnings."""
    results = []
    for m in (np, ra):
        with warnings.catch_warnings(record=True) as w:
            warnings.simplefilter("always")
            try:
                r = store(m)
                results.append((None, None, None if r is None else to_np(r) if m is ra else np.asarray(r),
                                sorted({str(x.message) for x in w})))
            except (OverflowError, ValueError, TypeError) as e:
                results.append((type(e).__mro__[-3] if "UFunc" in type(e).__name__ else type(e), str(e), None, None))
    (nt, nm, nr, nw), (rt, rm, rr, rw) = results
    assert (rt, rm) == (nt, nm), (v, rt, rm, nt, nm)
    assert rw == nw, (v, rw, nw)
    if nr is not None:
        assert rr.dtype == nr.dtype and rr.tobytes() == nr.tobytes(), (v, rr, nr)


@pytest.mark.parametrize("form", [*INT_FORMS, "array 0-d"])
@pytest.mark.parametrize("dtype", ["?", "i1", "f4", "c8"])
def test_python_complex_meets_each_dtype_as_in_numpy(form, dtype):
    # A bool takes a Python complex by its truth value (the logical ufuncs' bool loop
    # too); integers and floats refuse it in setitem and array(), as int()/float() do.
    forms = {
        **INT_FORMS,
        "ufunc": lambda m, d, v: m.logical_or(m.zeros(2, dtype=d), v),
        "array 0-d": lambda m, d, v: m.array(v, dtype=d),
    }
    for v in [1j, 0j, complex("nan"), 2 + 0j]:
        _assert_stored_as_numpy(lambda m: forms[form](m, dtype, v), v)
