"""Type checks and NaN replacement with NumPy's names and results: ``isreal``, ``iscomplex``,
``isrealobj``, ``iscomplexobj``, ``isscalar`` and ``nan_to_num``."""

from __future__ import annotations

import numbers
from typing import Any

from ._info import finfo
from ._rawarray import array, asarray, complexfloating, copyto, generic, inexact, isnan, zeros
from ._ufuncs import imag, isneginf, isposinf


def isreal(x: Any) -> Any:
    """Elementwise: whether the imaginary part is zero (true for every real element)."""
    return imag(x) == 0


def iscomplex(x: Any) -> Any:
    """Elementwise: whether the element is complex with a non-zero imaginary part."""
    ax = asarray(x)
    if issubclass(ax.dtype.type, complexfloating):
        return ax.imag != 0
    return zeros(ax.shape, bool)[()]


def iscomplexobj(x: Any) -> bool:
    """Whether the dtype of ``x`` (or of ``asarray(x)``) is complex, whatever the values."""
    try:
        type_ = x.dtype.type
    except AttributeError:
        type_ = asarray(x).dtype.type
    return issubclass(type_, complexfloating)


def isrealobj(x: Any) -> bool:
    """``not iscomplexobj(x)``."""
    return not iscomplexobj(x)


# NumPy's ScalarType: the Python scalar types (its own scalar types are `generic`s).
_PYTHON_SCALARS = (int, float, complex, bool, bytes, str, memoryview)


def isscalar(element: Any) -> bool:
    """Whether ``element`` is a scalar: a typed scalar, a Python scalar type (``str`` and
    ``bytes`` included) or a ``numbers.Number``; 0-d arrays are not."""
    return isinstance(element, generic) or type(element) in _PYTHON_SCALARS or isinstance(element, numbers.Number)


def nan_to_num(x: Any, copy: bool = True, nan: Any = 0.0, posinf: Any = None, neginf: Any = None) -> Any:
    """NaN replaced by ``nan`` and infinities by ``posinf``/``neginf`` (the dtype's largest
    and most negative finite values by default), in both parts of a complex number;
    in place when ``copy=False`` and ``x`` is an array. Non-float input is returned as it is."""
    x = array(x, copy=copy)
    scalar = x.ndim == 0
    if not issubclass(x.dtype.type, inexact):
        return x[()] if scalar else x
    parts = (x.real, x.imag) if issubclass(x.dtype.type, complexfloating) else (x,)
    info = finfo(x.real.dtype)
    top = info.max if posinf is None else posinf
    bottom = info.min if neginf is None else neginf
    for d in parts:
        copyto(d, nan, where=isnan(d))
        copyto(d, top, where=isposinf(d))
        copyto(d, bottom, where=isneginf(d))
    return x[()] if scalar else x
