"""Functions around the ufuncs that NumPy defines in Python: ``real``, ``imag``, ``angle``,
``clip``, ``round``, ``fix``, ``isposinf`` and ``isneginf``."""

from __future__ import annotations

import operator
from typing import Any

from ._rawarray import (
    arctan2, asarray, ceil, copyto, empty, floor, greater_equal, isinf, logical_and, multiply, ndarray, rint,
    signbit, true_divide,
)  # fmt: skip

_NO_VALUE: Any = object()


def real(val: Any) -> Any:
    """The real part (a view for complex arrays)."""
    try:
        return val.real
    except AttributeError:
        return asarray(val).real


def imag(val: Any) -> Any:
    """The imaginary part (a view for complex arrays)."""
    try:
        return val.imag
    except AttributeError:
        return asarray(val).imag


def angle(z: Any, deg: bool = False) -> Any:
    """The counterclockwise angle from the positive real axis."""
    z = asarray(z)
    if z.dtype.kind == "c":
        zimag, zreal = z.imag, z.real
    else:
        zimag, zreal = 0, z
    a = arctan2(zimag, zreal)
    if deg:
        a = a * (180.0 / 3.141592653589793)
    return a


def clip(a: Any, a_min: Any = _NO_VALUE, a_max: Any = _NO_VALUE, out: Any = None, *,
         min: Any = _NO_VALUE, max: Any = _NO_VALUE, **kwargs: Any) -> Any:
    """NumPy 2's ``clip``: both bounds positionally (either may be None), or neither and the
    ``min=``/``max=`` keywords; then ``ndarray.clip`` (the clip ufunc, or maximum/minimum/
    positive when a bound is None)."""
    if a_min is _NO_VALUE and a_max is _NO_VALUE:
        lo = None if min is _NO_VALUE else min
        hi = None if max is _NO_VALUE else max
    elif a_min is _NO_VALUE:
        raise TypeError("clip() missing 1 required positional argument: 'a_min'")
    elif a_max is _NO_VALUE:
        raise TypeError("clip() missing 1 required positional argument: 'a_max'")
    elif min is not _NO_VALUE or max is not _NO_VALUE:
        raise ValueError("Passing `min` or `max` keyword argument when `a_min` and `a_max` are provided is forbidden.")
    else:
        lo, hi = a_min, a_max
    arr = a if isinstance(a, ndarray) else asarray(a)
    return arr.clip(lo, hi, out=out, **kwargs)


def _power_of_ten(n: int) -> float:
    """NumPy's ``power_of_ten``: a table up to 1e8, then repeated multiplication (so large
    exponents round exactly as NumPy's do)."""
    if n < 9:
        return (1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8)[n]
    r = 1e9
    for _ in range(n - 9):
        r *= 10.0
    return r


def _round(a: ndarray, decimals: Any = 0, out: Any = None) -> Any:
    """``ndarray.round``: NumPy's ``PyArray_Round``. Multiplies by ``10**decimals`` (divides
    for negative decimals), rounds half to even with ``rint`` and scales back, all in the
    array's dtype (so ``round(2.675, 2)`` is 2.68 as in NumPy); integers go through float64
    and are cast back; complex arrays round both parts."""
    decimals = operator.index(decimals)
    kind = a.dtype.kind
    if kind == "c":
        if out is not None and out.dtype.kind != "c":
            raise TypeError("array does not have imaginary part to set")
        # Each part rounded in the part's own dtype, then stored (as NumPy's real/imag set).
        result = a.copy() if out is None else out
        result.real[...] = _round(a.real, decimals)
        result.imag[...] = _round(a.imag, decimals)
        return result[()] if out is None and a.ndim == 0 else result
    fortran = a.flags.f_contiguous and not a.flags.c_contiguous
    if decimals >= 0:
        if kind in "iu":
            if out is None:
                return a.copy()[()] if a.ndim == 0 else a.copy()
            copyto(out, a, casting="same_kind")
            return out
        if decimals == 0:
            return rint(a) if out is None else rint(a, out)
        scale, unscale = multiply, true_divide
    else:
        scale, unscale = true_divide, multiply
        decimals = -decimals
    result = out
    if result is None:
        result = empty(a.shape, dtype="float64" if kind in "iu" else a.dtype, order="F" if fortran else "C")
    f = _power_of_ten(decimals)
    scale(a, f, out=result)
    rint(result, out=result)
    unscale(result, f, out=result)
    if out is None and kind in "iu":
        result = result.astype(a.dtype, order="F" if fortran else "C")
    return result[()] if out is None and a.ndim == 0 else result


def round(a: Any, decimals: Any = 0, out: Any = None) -> Any:  # noqa: A001 (NumPy's name)
    """Rounds to ``decimals`` decimal places as NumPy does (half to even after scaling)."""
    arr = a if isinstance(a, ndarray) else asarray(a)
    return arr.round(decimals, out)


around = round


def fix(x: Any, out: Any = None) -> Any:
    """Rounds toward zero: ``ceil`` everywhere, then ``floor`` where ``x >= 0`` (so ``-0.5``
    gives ``-0.0`` and integers keep their dtype, as NumPy's ``fix``). A scalar without
    ``out``."""
    res = asarray(ceil(x, out=out))
    res = floor(x, out=res, where=greater_equal(x, 0))
    if out is None and type(res) is ndarray:
        res = res[()]
    return res


def _not_for_complex(x: Any, f: Any) -> Any:
    try:
        return f(x)
    except TypeError as e:
        dt = asarray(x).dtype
        raise TypeError(f"This operation is not supported for {dt} values because it would be ambiguous.") from e


def isposinf(x: Any, out: Any = None) -> Any:
    """True where ``x`` is positive infinity (TypeError for complex input, as NumPy)."""
    return logical_and(isinf(x), _not_for_complex(x, lambda v: ~signbit(v)), out)


def isneginf(x: Any, out: Any = None) -> Any:
    """True where ``x`` is negative infinity (TypeError for complex input, as NumPy)."""
    return logical_and(isinf(x), _not_for_complex(x, signbit), out)


__all__ = ["angle", "around", "clip", "fix", "imag", "isneginf", "isposinf", "real", "round"]
