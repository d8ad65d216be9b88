"""The vectorised exp/log/sin/cos kernels behind the ufuncs, on large contiguous inputs
(the path hypothesis's small arrays take too, but not over whole ranges): values within a
few ulps of NumPy's, special values exact, and the same warnings."""

import warnings

import numpy as np
import pytest

import rawarray as ra

SPECIAL = [0.0, -0.0, np.inf, -np.inf, np.nan, 1.0, -1.0, 1e-310, -1e-310, 5e-324]


def sample(dtype, func):
    rng = np.random.default_rng(7)
    t = np.dtype(dtype)
    info = np.finfo(t)
    if func == "exp":
        lo, hi = (-750.0, 720.0) if t == np.float64 else (-110.0, 95.0)
        body = rng.uniform(lo, hi, 200_000)
    elif func == "log":
        body = np.exp(rng.uniform(np.log(info.tiny) * 1.05, np.log(info.max) * 0.999, 200_000))
        body = np.concatenate([body, -body[:100], rng.uniform(0.5, 2.0, 20_000)])
    else:
        body = np.concatenate([rng.uniform(-10, 10, 100_000), rng.uniform(-1e5, 1e5, 50_000),
                               rng.uniform(-1e22, 1e22, 1000)])
    return np.concatenate([body, SPECIAL]).astype(t)


def ulps(got, want):
    got, want = np.asarray(got), np.asarray(want)
    both_nan = np.isnan(got) & np.isnan(want)
    same = (got == want) | both_nan
    spacing = np.spacing(np.abs(want).astype(want.dtype))
    with np.errstate(invalid="ignore"):
        diff = np.abs(got.astype(np.float64) - want.astype(np.float64)) / spacing.astype(np.float64)
    return np.where(same, 0.0, diff)


def run(mod, func, x):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = getattr(mod, func)(x)
    return out, sorted(str(w.message) for w in caught)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("func", ["exp", "log", "sin", "cos"])
def test_large_contiguous_matches_numpy(func, dtype):
    x = sample(dtype, func)
    want, want_w = run(np, func, x)
    got, got_w = run(ra, func, ra.asarray(x))
    got = np.asarray(got)
    assert got.dtype == want.dtype
    assert got_w == want_w
    # Special values exactly (incl. the sign of zeros and infinities).
    finite_want = np.isfinite(want)
    assert np.array_equal(np.isnan(got), np.isnan(want))
    assert np.array_equal(got[~finite_want & ~np.isnan(want)], want[~finite_want & ~np.isnan(want)])
    assert np.array_equal(np.signbit(got[want == 0]), np.signbit(want[want == 0]))
    # Finite values within a few ulps of NumPy's own (both are approximations).
    assert ulps(got[finite_want], want[finite_want]).max() <= 4


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("func", ["exp", "log", "sin", "cos"])
def test_in_place_and_strided(func):
    x = sample("float64", func)[:50_001]
    want = getattr(np, func)(x)
    a = ra.asarray(x.copy())
    getattr(ra, func)(a, out=a)
    assert ulps(np.asarray(a), want)[np.isfinite(want)].max() <= 4
    s = ra.asarray(x)[::3]
    assert ulps(np.asarray(getattr(ra, func)(s)), want[::3])[np.isfinite(want[::3])].max() <= 4
