"""Fast paths for tiny arrays (concatenate's direct path, the small-buffer cache, small
2-D copies, small takes, contiguous tobytes) agree with NumPy and with the general paths
on their edge cases: empty, 0-d, non-contiguous, byte-swapped and unaligned inputs."""

from __future__ import annotations

import numpy as np
import pytest

import rawarray as ra
from oracle import assert_same

DTYPES = ["<f8", ">f8", "<i4", ">i2", "u1", "?", "<c16", "<f2", "S3"]


def pair(values, dtype):
    n = np.asarray(values).astype(dtype)
    return ra.asarray(n), n


@pytest.mark.parametrize("dtype", DTYPES)
def test_concatenate_1d_matches_numpy(dtype):
    r, n = pair(np.arange(10), dtype)
    for parts in ([0], [0, 1], [0, 1, 0]):
        views = [(r, n), (r[::-1], n[::-1]), (r[1:-1:3], n[1:-1:3]), (r[:0], n[:0])]
        rs = [views[k][0] for k in parts]
        ns = [views[k][1] for k in parts]
        assert_same(ra.concatenate(rs), np.concatenate(ns))
        assert_same(ra.concatenate(tuple(rs), axis=-1), np.concatenate(tuple(ns), axis=-1))


@pytest.mark.parametrize("axis", [0, 1, -1, -2])
def test_concatenate_nd_orders_match_numpy(axis):
    n = np.arange(24.0).reshape(2, 3, 4)
    r = ra.asarray(n)
    for rs, ns in (
        ([r, r], [n, n]),
        ([r.transpose(1, 0, 2).copy().transpose(1, 0, 2), r], [n.transpose(1, 0, 2).copy().transpose(1, 0, 2), n]),
        ([r[:, ::2], r[:, ::2]], [n[:, ::2], n[:, ::2]]),
        ([ra.asfortranarray(r), ra.asfortranarray(r)], [np.asfortranarray(n), np.asfortranarray(n)]),
        ([r[:, :0], r[:, :0]], [n[:, :0], n[:, :0]]),
    ):
        try:
            want = np.concatenate(ns, axis=axis)
        except ValueError:
            with pytest.raises(ValueError):
                ra.concatenate(rs, axis=axis)
            continue
        assert_same(ra.concatenate(rs, axis=axis), want)


def test_concatenate_mixed_and_odd_inputs_take_the_general_path():
    n8, n4 = np.arange(5.0), np.arange(5, dtype="<i4")
    r8, r4 = ra.asarray(n8), ra.asarray(n4)
    assert_same(ra.concatenate([r8, r4]), np.concatenate([n8, n4]))
    assert_same(ra.concatenate([r8, [1, 2]]), np.concatenate([n8, [1, 2]]))
    assert_same(ra.concatenate([r8, r8], axis=None), np.concatenate([n8, n8], axis=None))
    assert_same(ra.concatenate([r8, r8], axis=np.int64(0)), np.concatenate([n8, n8], axis=np.int64(0)))
    assert_same(ra.concatenate([r8, r8], dtype="f4"), np.concatenate([n8, n8], dtype="f4"))
    sw = n8.astype(">f8")
    assert_same(ra.concatenate([ra.asarray(sw), ra.asarray(sw)]), np.concatenate([sw, sw]))
    out = ra.zeros(10)
    assert ra.concatenate([r8, r8], out=out) is out
    assert_same(out, np.concatenate([n8, n8]))
    buf = bytearray(8 * 5 + 1)
    ru = ra.frombuffer(buf, dtype="<f8", offset=1)
    nu = np.frombuffer(buf, dtype="<f8", offset=1)
    assert_same(ra.concatenate([ru, r8]), np.concatenate([nu, n8]))


def test_concatenate_errors_match_numpy():
    r, n = ra.arange(4.0), np.arange(4.0)
    cases = [
        (lambda m, x: m.concatenate([x, x], axis=1), IndexError),  # AxisError
        (lambda m, x: m.concatenate([x, x.reshape(2, 2)]), ValueError),
        (lambda m, x: m.concatenate([x.reshape(2, 2), x.reshape(1, 4)]), ValueError),
        (lambda m, x: m.concatenate([x[0], x[0]]), ValueError),
        (lambda m, x: m.concatenate([]), ValueError),
        (lambda m, x: m.concatenate([x, x], axis=1.0), TypeError),
    ]
    for f, exc in cases:
        with pytest.raises(exc) as want:
            f(np, n)
        with pytest.raises(exc) as got:
            f(ra, r)
        assert str(got.value) == str(want.value)


def test_small_buffers_are_reused_safely():
    # Arrays freed and reallocated in a loop must never alias live ones or leak old values.
    keep = []
    for k in range(200):
        z = ra.zeros(k % 17 + 1)
        assert not z.any()
        e = ra.arange(float(k % 13 + 1))
        keep.append((e, e.copy(), z))
        e[...] = k
        del e
    for e, c, z in keep:
        assert not z.any()
        assert (e == e[0]).all()
    v = ra.arange(10.0)[2:5]
    del keep
    assert v.tolist() == [2.0, 3.0, 4.0]


@pytest.mark.parametrize("shape", [(2, 5), (5, 2), (1, 7), (7, 1), (8, 8), (9, 9), (0, 3), (3, 0)])
def test_small_2d_copies_match_numpy(shape):
    n = np.arange(int(np.prod(shape)), dtype="<i2").reshape(shape)
    r = ra.asarray(n)
    for rv, nv in ((r.T, n.T), (r[::-1], n[::-1]), (r[:, ::-1].T, n[:, ::-1].T), (r, n)):
        for order in "CFAK":
            assert_same(rv.copy(order=order), nv.copy(order=order))
        assert rv.tobytes() == nv.tobytes()
        assert rv.tobytes(order="F") == nv.tobytes(order="F")
        assert_same(rv.astype(">f4"), nv.astype(">f4"))
        assert_same(rv.byteswap(), nv.byteswap())


def test_copy_into_views_of_one_buffer():
    # Equal shapes skip the broadcast; overlapping views of one buffer still read old values.
    n = np.arange(10.0)
    r = ra.asarray(n.copy())
    r[1:] = r[:-1]
    n[1:] = n[:-1].copy()
    assert_same(r, n)
    b = bytearray(np.arange(10.0).tobytes())
    r1 = ra.frombuffer(b, dtype="<f8")
    r2 = ra.frombuffer(b, dtype="<f8")
    r1[1:] = r2[:-1]
    assert r1.tolist() == [0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]


def test_small_take_matches_numpy():
    n = np.arange(10.0)
    r = ra.asarray(n)
    for idx in ([3, -1, 0], [], [9] * 5):
        ni = np.asarray(idx, dtype="int64")
        ri = ra.asarray(ni)
        assert_same(r[ri], n[ni])
        assert_same(ra.take(r, ri), np.take(n, ni))
        assert_same(r[::-2][ri[ri < 5]], n[::-2][ni[ni < 5]])
    for bad in ([10], [-11]):
        with pytest.raises(IndexError) as want:
            n[np.asarray(bad)]
        with pytest.raises(IndexError) as got:
            r[ra.asarray(bad)]
        assert str(got.value) == str(want.value)
