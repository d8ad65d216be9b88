"""Shared helpers of the ufunc tests: running a function on NumPy and rawarray with
warnings recorded, and comparing results (dtypes exactly, values exactly or within a
documented number of ulps)."""

from __future__ import annotations

import warnings
from typing import Any, Callable

import numpy as np

import rawarray as ra


def run(fn: Callable[[], Any]) -> tuple[Any, Any, list[str]]:
    """(result, exception type or None, sorted RuntimeWarning texts)."""
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            r = fn()
            exc = None
        except (TypeError, ValueError, OverflowError, FloatingPointError) as e:
            # NumPy raises subclasses (UFuncTypeError, ...): compare the builtin bases.
            r = None
            exc = next(t for t in (OverflowError, FloatingPointError, TypeError, ValueError) if isinstance(e, t))
    texts = sorted({str(x.message) for x in w if issubclass(x.category, RuntimeWarning)})
    return r, exc, texts


def to_np(x: Any) -> np.ndarray:
    """A NumPy copy of a rawarray array or scalar (through raw bytes)."""
    if isinstance(x, ra.ndarray):
        return np.frombuffer(x.tobytes(), dtype=np.dtype(x.dtype.str)).reshape(x.shape)
    return np.frombuffer(ra.asarray(x).tobytes(), dtype=np.dtype(x.dtype.str)).reshape(())


def _components(a: np.ndarray) -> np.ndarray:
    if a.dtype.kind == "c":
        n = a.astype(a.dtype.newbyteorder("=")).reshape(-1)
        return np.stack([n.real, n.imag], axis=-1).reshape(-1)
    return a.astype(a.dtype.newbyteorder("=")).reshape(-1)


def assert_values(got: Any, want: Any, ulps: int = 0, rtol: float = 0.0, atol: float = 0.0) -> None:
    """Same type (array or scalar), dtype string, shape and values. Floats: NaN where NumPy
    has NaN; else equal (with the sign of zero) when ``ulps == 0``, or within ``ulps`` units
    in the last place (or ``rtol`` relative, for complex functions), plus ``atol``."""
    if isinstance(want, np.ndarray):
        assert isinstance(got, ra.ndarray), type(got)
    else:
        assert not isinstance(got, ra.ndarray), type(got)
        assert type(got).__name__ == type(want).__name__, (type(got), type(want))
    g, w = to_np(got), np.asarray(want)
    assert g.dtype.str == w.dtype.str, (g.dtype.str, w.dtype.str)
    assert g.shape == w.shape
    if w.dtype.kind not in "fc":
        assert np.array_equal(g, w), (g, w)
        return
    gc, wc = _components(g), _components(w)
    assert np.array_equal(np.isnan(gc), np.isnan(wc)), (g, w)
    ok = ~np.isnan(wc)
    gc, wc = gc[ok], wc[ok]
    if ulps == 0 and rtol == 0.0 and atol == 0.0:
        assert np.array_equal(gc, wc), (g, w)
        assert np.array_equal(np.signbit(gc), np.signbit(wc)), (g, w)
        return
    inf = np.isinf(wc)
    assert np.array_equal(gc[inf], wc[inf]), (g, w)
    fin = ~inf
    gf, wf = gc[fin].astype(np.float64), wc[fin].astype(np.float64)
    # (The spacing of the largest finite value is inf: only scaled when ulps are allowed.)
    spacing = np.spacing(np.abs(wc[fin])).astype(np.float64) if ulps else np.zeros_like(wf)
    tol = ulps * spacing + rtol * np.abs(wf) + atol
    if rtol:
        tol = tol + rtol * max(1.0, float(np.max(np.abs(wf), initial=0.0)))
    assert np.all(np.abs(gf - wf) <= tol), (g, w)


def layout(base: np.ndarray, kind: str) -> np.ndarray:
    """`base` as a plain, reversed (every axis), Fortran-ordered or unaligned array."""
    if kind == "reversed":
        return base[(slice(None, None, -1),) * base.ndim]
    if kind == "fortran":
        return np.asfortranarray(base)
    if kind == "unaligned":
        raw = bytearray(base.nbytes + 1)
        un = np.frombuffer(raw, dtype=base.dtype, offset=1, count=base.size).reshape(base.shape)
        un[...] = base
        return un
    return base
