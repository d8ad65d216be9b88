"""Exceptions shared by rawarray's Python modules, as ``numpy.exceptions``."""

from __future__ import annotations

from typing import Any

from ._rawarray import (
    ComplexWarning,
    DTypePromotionError,
    TooHardError,
    UFuncTypeError,
    _UFuncCastingError,
    _UFuncInputCastingError,
    _UFuncNoLoopError,
    _UFuncOutputCastingError,
)

__all__ = ["AxisError", "ComplexWarning", "DTypePromotionError", "TooHardError", "UFuncTypeError"]

# NumPy's private subclasses (``numpy._core._exceptions``), named here for ``except``.
_SUBCLASSES = (_UFuncCastingError, _UFuncInputCastingError, _UFuncNoLoopError, _UFuncOutputCastingError)


class AxisError(ValueError, IndexError):
    """An axis out of range (NumPy's ``numpy.exceptions.AxisError``).

    ``AxisError(axis, ndim, msg_prefix=None)`` builds NumPy's message
    ``"[prefix: ]axis {axis} is out of bounds for array of dimension {ndim}"``;
    ``AxisError(message)`` uses the message as given.
    """

    def __init__(self, axis: Any, ndim: Any = None, msg_prefix: Any = None) -> None:
        if ndim is None and msg_prefix is None:
            self._msg = axis
            self.axis = None
            self.ndim = None
        else:
            self._msg = msg_prefix
            self.axis = axis
            self.ndim = ndim
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.axis is None:
            return str(self._msg)
        msg = f"axis {self.axis} is out of bounds for array of dimension {self.ndim}"
        if self._msg is not None:
            msg = f"{self._msg}: {msg}"
        return msg

# NumPy shows its private subclasses under the public name (``_display_as_base``).
for _cls in _SUBCLASSES:
    _cls.__name__ = _cls.__qualname__ = "UFuncTypeError"
