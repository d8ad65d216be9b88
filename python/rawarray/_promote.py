"""Type functions beside ``result_type``/``can_cast``/``promote_types`` (which the extension
defines): ``min_scalar_type``, ``common_type`` and the ``astype`` function, with NumPy 2's
rules and errors."""

from __future__ import annotations

import math
from typing import Any

from ._rawarray import asarray, complex64, complex128, dtype, float16, float32, float64, generic, integer, ndarray

# NumPy's bounds in `min_scalar_type`: a float below 65000 in magnitude fits float16, one
# below 3.4e38 float32 (its test, not the exact limits).
_HALF_LIMIT = 65000.0
_SINGLE_LIMIT = 3.4e38


def _fits(x: float, limit: float) -> bool:
    return -limit < x < limit or not math.isfinite(x)


def min_scalar_type(a: Any) -> Any:
    """The smallest dtype that holds the value of a scalar or 0-d array (NumPy's
    ``min_scalar_type``): a non-negative integer takes the smallest unsigned type, a
    negative one the smallest signed type; a float float16 when within +-65000 (or not
    finite), else float32 when within +-3.4e38; a complex complex64 when both parts are
    within float32's bound. An array of more dimensions keeps its dtype."""
    arr = asarray(a)
    dt = arr.dtype
    if arr.ndim or dt.kind not in "iufc":
        return dt
    value = arr[()].item()
    if dt.kind in "iu":
        if value >= 0:
            for code, top in (("u1", 1 << 8), ("u2", 1 << 16), ("u4", 1 << 32)):
                if value < top:
                    return dtype(code)
            return dtype("u8")
        for code, bits in (("i1", 7), ("i2", 15), ("i4", 31)):
            if value >= -(1 << bits):
                return dtype(code)
        return dtype("i8")
    if dt.kind == "f":
        if dt.itemsize == 2 or _fits(value, _HALF_LIMIT):
            return dtype("f2")
        if dt.itemsize == 4 or _fits(value, _SINGLE_LIMIT):
            return dtype("f4")
        return dt.newbyteorder("=")
    if dt.itemsize == 8 or (_fits(value.real, _SINGLE_LIMIT) and _fits(value.imag, _SINGLE_LIMIT)):
        return dtype("c8")
    return dt.newbyteorder("=")


# NumPy's precision ranks of the inexact scalar types, and the type of each rank (rawarray
# has no long double).
_PRECISION = {float16: 0, float32: 1, float64: 2, complex64: 1, complex128: 2}
_REAL_OF_RANK = (float16, float32, float64)
_COMPLEX_OF_RANK = (None, complex64, complex128)


def common_type(*arrays: Any) -> Any:
    """The inexact scalar type of the highest precision among the arrays (NumPy's
    ``common_type``): integer arrays count as float64, any complex array makes it
    complex; ``None`` for complex with float16 only, as NumPy has no complex32."""
    is_complex = False
    precision = 0
    for a in arrays:
        t = a.dtype.type
        if a.dtype.kind == "c":
            is_complex = True
        if issubclass(t, integer):
            p = 2
        else:
            p = _PRECISION.get(t)
            if p is None:
                raise TypeError("can't get common type for non-numeric array")
        precision = max(precision, p)
    return (_COMPLEX_OF_RANK if is_complex else _REAL_OF_RANK)[precision]


def astype(x: Any, dtype: Any, /, *, copy: bool = True, device: Any = None) -> Any:
    """``x.astype(dtype, copy=copy)`` for an array or scalar (the array API's ``astype``)."""
    if not isinstance(x, (ndarray, generic)):
        raise TypeError(f"Input should be a NumPy array or scalar. It is a {type(x)} instead.")
    if device is not None and device != "cpu":
        raise ValueError(f'Device not understood. Only "cpu" is allowed, but received: {device}')
    return x.astype(dtype, copy=copy)
