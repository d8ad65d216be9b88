"""Functions around the ufuncs that NumPy defines in Python: ``real``, ``imag``, ``angle``
and ``clip``."""

from __future__ import annotations

from typing import Any

from ._rawarray import arctan2, asarray, ndarray

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
    """``minimum(maximum(a, a_min), a_max)`` as NumPy 2's ``clip``."""
    if a_min is not _NO_VALUE and min is not _NO_VALUE:
        raise ValueError("Passing `min` or `max` keyword argument when `a_min` and `a_max` are provided is forbidden.")
    lo = min if a_min is _NO_VALUE else a_min
    hi = max if a_max is _NO_VALUE else a_max
    lo = None if lo is _NO_VALUE else lo
    hi = None if hi is _NO_VALUE else hi
    arr = a if isinstance(a, ndarray) else asarray(a)
    return arr.clip(lo, hi, out=out, **kwargs)


__all__ = ["angle", "clip", "imag", "real"]
