"""Functions NumPy writes in Python over its ufuncs and reductions: ``isclose``,
``allclose`` and ``count_nonzero``."""

from __future__ import annotations

import builtins
from typing import Any

from ._errstate import errstate
from ._index import result_type
from ._rawarray import absolute, asarray, bool_, isfinite, isnan, less_equal, ndarray


def isclose(a: Any, b: Any, rtol: Any = 1.0e-5, atol: Any = 1.0e-8, equal_nan: bool = False) -> Any:
    """Elementwise ``|a - b| <= atol + rtol * |b|`` (not symmetric in ``a`` and ``b``), with
    infinities equal only to themselves, as NumPy 2's ``isclose``."""
    x, y, atol, rtol = (v if isinstance(v, (int, float, complex)) else asarray(v) for v in (a, b, atol, rtol))
    # Integers (and bools) are compared as floats, so the tolerance arithmetic cannot wrap.
    if isinstance(y, ndarray):
        y = asarray(y, dtype=result_type(y, 1.0))
    elif isinstance(y, int):
        y = float(y)
    with errstate(invalid="ignore"):
        result = less_equal(absolute(x - y), atol + rtol * absolute(y)) & isfinite(y) | (x == y)
        if equal_nan:
            result |= isnan(x) & isnan(y)
    return result[()]


def allclose(a: Any, b: Any, rtol: Any = 1.0e-5, atol: Any = 1.0e-8, equal_nan: bool = False) -> bool:
    """True when every element pair is ``isclose``."""
    return builtins.bool(asarray(isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)).all())


def count_nonzero(a: Any, axis: Any = None, *, keepdims: bool = False) -> Any:
    """The number of non-zero elements (an intp scalar), over all axes or along ``axis``."""
    arr = asarray(a)
    nonzero = arr.astype(bool_)
    if axis is None and not keepdims:
        return nonzero.sum(dtype="intp")
    return nonzero.sum(axis=axis, dtype="intp", keepdims=keepdims)


__all__ = ["allclose", "count_nonzero", "isclose"]
