"""Boolean-mask selection and assignment on arrays large enough to be split across the
thread pool, against NumPy: scattered and run-shaped masks, every itemsize (also `S` and `V`
of odd sizes, non-native byte order), strided, reversed and 2-D layouts; and
`tobytes` in every order. A second run in a child process sets the split thresholds to
one element, so the small hypothesis cases of `test_indexing.py` go through the split path
too."""

import os
import subprocess
import sys

import numpy as np
import pytest

import rawarray as ra
from oracle import assert_same

# Above the default split threshold for compute-bound kernels (2**16 elements).
N = 3 * 2**16 + 37

DTYPES = ["u1", ">i2", "<u4", ">f8", "<c16", "S3", "V5", "V12", "S16", ">f4", "?", "S32"]


def rawarray_of(n):
    """A rawarray copy of ``n`` (any layout) through its raw C-order bytes."""
    return ra.frombuffer(bytearray(np.ascontiguousarray(n).tobytes()), dtype=n.dtype.str).reshape(n.shape)


def values(dtype, size, seed):
    rng = np.random.default_rng(seed)
    raw = rng.integers(0, 256, size=size * dtype.itemsize, dtype=np.uint8).tobytes()
    a = np.frombuffer(raw, dtype=dtype).copy()
    if dtype.kind == "b":
        a = a.view(np.uint8) % 2 == 1
    return a


def masks(size, seed):
    """Scattered masks of several densities, runs, all-false/true, and bytes other than 1."""
    rng = np.random.default_rng(seed)
    out = {
        "half": rng.random(size) < 0.5,
        "sparse": rng.random(size) < 0.03,
        "dense": rng.random(size) < 0.97,
        "run": np.arange(size) > size // 3,
        "none": np.zeros(size, bool),
        "all": np.ones(size, bool),
    }
    blocks = np.repeat(rng.random(size // 50 + 1) < 0.5, 50)[:size]
    out["blocks"] = blocks ^ (rng.random(size) < 0.01)
    return out


@pytest.mark.parametrize("code", DTYPES)
def test_large_mask_select_matches_numpy(code):
    dt = np.dtype(code)
    a = values(dt, N, 1)
    r = rawarray_of(a)
    for name, m in masks(N, 2).items():
        got = r[rawarray_of(m)]
        assert_same(got, a[m])
        assert got.flags.owndata, name


@pytest.mark.parametrize("code", ["u1", ">i2", "<f8", "<c16", "V5", "S3"])
def test_large_mask_assign_matches_numpy(code):
    dt = np.dtype(code)
    a = values(dt, N, 3)
    for name, m in masks(N, 4).items():
        rm = rawarray_of(m)
        k = int(m.sum())
        vals = values(dt, k, 5)
        n1, r1 = a.copy(), rawarray_of(a)
        n1[m] = vals
        r1[rm] = rawarray_of(vals)
        assert r1.tobytes() == n1.tobytes(), name
        one = values(dt, 1, 6)
        n2, r2 = a.copy(), rawarray_of(a)
        n2[m] = one
        r2[rm] = rawarray_of(one)
        assert r2.tobytes() == n2.tobytes(), name


def layouts(a):
    """Views of ``a`` (1-D, 4 * k elements): strided, reversed, 2-D C and F, transposed."""
    k = a.size // 4
    return {
        "strided": a[::3],
        "reversed": a[::-1],
        "2d": a[: 4 * k].reshape(4, k),
        "2d-fortran": a[: 4 * k].reshape(k, 4).T,
        "2d-strided": a[: 4 * k].reshape(4, k)[:, ::2],
        "3d-odd": a[: 4 * k].reshape(2, 2, k)[:, ::-1, 1:],
    }


@pytest.mark.parametrize("code", ["u1", "<i4", ">f8", "<c16", "V5"])
def test_large_mask_on_strided_layouts_matches_numpy(code):
    dt = np.dtype(code)
    a = values(dt, 4 * N, 7)
    r = rawarray_of(a)
    rviews = layouts(r)
    rng = np.random.default_rng(8)
    for name, n in layouts(a).items():
        v = rviews[name]
        for m in (rng.random(n.shape) < 0.5, rng.random(n.shape[::-1]).T < 0.5):
            # The mask may be non-contiguous too (the second is F-ordered).
            rm = rawarray_of(np.ascontiguousarray(m))
            if not m.flags.c_contiguous:
                rm = rawarray_of(np.ascontiguousarray(m.T)).T
            assert_same(v[rm], n[m])
            vals = values(dt, int(m.sum()), 9)
            nc, rc = a.copy(), rawarray_of(a)
            layouts(nc)[name][m] = vals
            layouts(rc)[name][rm] = rawarray_of(vals)
            assert rc.tobytes() == nc.tobytes(), name


def test_mask_bytes_other_than_one_are_true():
    raw = np.random.default_rng(10).integers(0, 4, size=N, dtype=np.uint8)
    want = np.arange(N, dtype="<i8")[raw != 0]
    m = ra.frombuffer(bytearray(raw.tobytes()), dtype="?")
    got = ra.arange(N, dtype="<i8")[m]
    assert got.tobytes() == want.tobytes()


def test_mask_overlapping_the_target_is_read_before_the_writes():
    # The mask is a view of the array's own bytes: the writes must not change the selection.
    buf = np.zeros(N, np.uint8)
    buf[::2] = 1
    n = buf.copy()
    r = ra.frombuffer(bytearray(buf.tobytes()), dtype="u1")
    n[n.view(bool)] = 0
    r[r.view("?")] = 0
    assert r.tobytes() == n.tobytes()


def test_compress_and_extract_on_large_arrays():
    a = np.arange(N, dtype=">f8")
    r = rawarray_of(a)
    m = np.random.default_rng(11).random(N) < 0.5
    rm = rawarray_of(m)
    assert_same(ra.compress(rm, r), np.compress(m, a))
    assert_same(ra.extract(rm, r), np.extract(m, a))
    ints = m.astype("i4") * 3
    assert_same(ra.extract(rawarray_of(ints), r), np.extract(ints, a))


@pytest.mark.parametrize("order", ["C", "F", "A", "K"])
def test_tobytes_in_every_order(order):
    a = np.arange(N * 4, dtype=">i4").reshape(4, N)
    r = rawarray_of(a)
    for n, v in ((a, r), (a.T, r.T), (a[:, ::-3], r[:, ::-3]), (a[::2], r[::2])):
        assert v.tobytes(order) == n.tobytes(order)


def test_tobytes_bad_order_is_value_error():
    with pytest.raises(ValueError) as want:
        np.arange(3).tobytes("X")
    with pytest.raises(ValueError) as got:
        ra.arange(3).tobytes("X")
    assert type(got.value) is type(want.value)


@pytest.mark.skipif(os.environ.get("RAWARRAY_PAR_MIN_COMPUTE") == "1", reason="already the child")
def test_small_masks_through_the_split_path():
    """The mask, compress, extract and tobytes tests of this file and the indexing test
    files again, in a process whose split thresholds are one element."""
    here = os.path.dirname(os.path.abspath(__file__))
    env = dict(os.environ, RAWARRAY_PAR_MIN_COMPUTE="1", RAWARRAY_PAR_MIN_MEMORY="1", RAWARRAY_NUM_THREADS="2")
    files = ["test_indexing.py", "test_mask_select.py", "test_advanced_indexing.py", "test_index_functions.py"]
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x",
           "-k", "mask or tobytes or compress or extract or bool"] + [os.path.join(here, f) for f in files]
    done = subprocess.run(cmd, env=env, cwd=here, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
