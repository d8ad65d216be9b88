"""The ndarray methods of typed scalars (``rawarray.float64(1.5).astype('i4')``).

NumPy gives its scalars the array methods by converting the scalar to a 0-d array, calling
the array's method and returning a 0-d result as a scalar again (``gentype_generic_method``).
The scalar classes look names up here when their own attributes do not have them."""

from __future__ import annotations

from typing import Any, Callable

from ._rawarray import asarray, ndarray

# Array methods that NumPy's scalars take over this way (those rawarray's ndarray has).
METHODS = frozenset({
    "all", "any", "argmax", "argmin", "astype", "byteswap", "clip", "conj", "conjugate",
    "copy", "cumprod", "cumsum", "fill", "flatten", "max", "mean", "min", "nonzero", "prod",
    "ravel", "repeat", "reshape", "round", "std", "sum", "swapaxes", "take",
    "tolist", "transpose", "var", "view",
})


def _scalar_or_array(r: Any) -> Any:
    return r[()] if isinstance(r, ndarray) and r.ndim == 0 else r


def scalar_attribute(scalar: Any, name: str) -> Callable[..., Any]:
    """The method ``name`` of ``scalar``, run on its 0-d array; AttributeError otherwise."""
    if name not in METHODS:
        cls = type(scalar)
        raise AttributeError(f"'{cls.__module__}.{cls.__name__}' object has no attribute '{name}'")
    method = getattr(asarray(scalar), name)

    def call(*args: Any, **kwargs: Any) -> Any:
        return _scalar_or_array(method(*args, **kwargs))

    call.__name__ = call.__qualname__ = name
    call.__doc__ = method.__doc__
    return call
