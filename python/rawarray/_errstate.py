"""``errstate``: a context manager (and decorator) for floating-point error handling."""

import contextlib

from ._rawarray import geterrcall, seterr, seterrcall

_UNSET = object()


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
        self._saved.append((old, old_call))
        return None

    def __exit__(self, *exc_info):
        old, old_call = self._saved.pop()
        seterr(**old)
        if old_call is not _UNSET:
            seterrcall(old_call)
        return False


__all__ = ["errstate", "geterrcall", "seterr", "seterrcall"]
