"""``errstate``: a context manager (and decorator) for floating-point error handling."""

import contextlib
import contextvars
import operator

from ._rawarray import geterrcall, seterr, seterrcall

_UNSET = object()

_BUFSIZE = contextvars.ContextVar("rawarray_bufsize", default=8192)


def getbufsize():
    """The ufunc buffer size NumPy's ``getbufsize`` reports (8192 elements by default)."""
    return _BUFSIZE.get()


def setbufsize(size):
    """Sets the value ``getbufsize`` reports, with NumPy's checks (5 to 10**7, a multiple of
    16), and returns the old one; leaving an ``errstate`` block restores it. Recorded for
    NumPy compatibility only: rawarray's loops keep NumPy's default buffer behaviour."""
    if isinstance(size, bool):
        raise TypeError("an integer is required")
    size = operator.index(size)
    if size < 0:
        raise ValueError("buffer size must be non-negative")
    if size > 10_000_000:
        raise ValueError(f"Buffer size, {size}, is too big")
    if size < 5:
        raise ValueError(f"Buffer size, {size}, is too small")
    if size % 16:
        raise ValueError(f"Buffer size, {size}, is not a multiple of 16")
    old = _BUFSIZE.get()
    _BUFSIZE.set(size)
    return old


class errstate(contextlib.ContextDecorator):
    """Sets how floating-point errors are handled inside a ``with`` block, as NumPy's
    ``errstate``: keywords ``all``, ``divide``, ``over``, ``under``, ``invalid`` take
    'ignore', 'warn', 'raise', 'call', 'print' or 'log'; ``call`` sets the callback."""

    __slots__ = ("_call", "_all", "_divide", "_over", "_under", "_invalid", "_saved")

    def __init__(self, *, call=_UNSET, all=None, divide=None, over=None, under=None, invalid=None):
        self._call = call
        self._all = all
        self._divide = divide
        self._over = over
        self._under = under
        self._invalid = invalid
        self._saved = []

    def __enter__(self):
        old = seterr(all=self._all, divide=self._divide, over=self._over, under=self._under,
                     invalid=self._invalid)
        old_call = seterrcall(self._call) if self._call is not _UNSET else _UNSET
        self._saved.append((old, old_call, _BUFSIZE.get()))
        return None

    def __exit__(self, *exc_info):
        old, old_call, bufsize = self._saved.pop()
        _BUFSIZE.set(bufsize)
        seterr(**old)
        if old_call is not _UNSET:
            seterrcall(old_call)
        return False


__all__ = ["errstate", "getbufsize", "geterrcall", "setbufsize", "seterr", "seterrcall"]
