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


def test_one_array_key_fast_paths_match_numpy():
    n = np.arange(12.0).reshape(3, 4)
    r = ra.asarray(n)
    nm = (n % 3) == 0
    rm = ra.asarray(nm)
    assert_same(r[rm], n[nm])
    assert_same(r.T[rm.T], n.T[nm.T])  # non-contiguous array and mask
    assert_same(r[rm[::-1]], n[nm[::-1]])
    b = ra.asarray(nm)
    assert_same(b[b], nm[nm])  # the mask indexes itself
    assert_same(r[ra.asarray(True)], n[np.asarray(True)])  # 0-d mask: general path
    assert_same(r[rm[:, 0]], n[nm[:, 0]])  # mask of another shape: general path
    sw = n.astype(">f4")
    assert_same(ra.asarray(sw)[rm], sw[nm])
    with pytest.raises(IndexError) as want:
        n[nm[:, :2]]
    with pytest.raises(IndexError) as got:
        r[rm[:, :2]]
    assert str(got.value) == str(want.value)
    # integer index arrays: 1-D fast path, other ranks and empty arrays on the general path
    v, nv = ra.arange(5.0), np.arange(5.0)
    for idx in ([1, 1, 4], [[0, 1], [2, 3]], []):
        ni = np.asarray(idx, dtype="int64")
        assert_same(v[ra.asarray(ni)], nv[ni])
        assert_same(r[ra.asarray(ni[ni < 3])], n[ni[ni < 3]])
    assert_same(v[ra.asarray(np.asarray([4, 0], dtype="u1"))], nv[np.asarray([4, 0], dtype="u1")])
    with pytest.raises(IndexError) as want:
        np.arange(0.0)[np.asarray([0])]
    with pytest.raises(IndexError) as got:
        ra.arange(0.0)[ra.asarray([0])]
    assert str(got.value) == str(want.value)


def test_mask_assign_fast_path_matches_numpy():
    n = np.arange(12.0).reshape(3, 4)
    nm = (n % 3) == 0
    for value in (1.5, [7.0, 8.0, 9.0, 10.0], np.arange(4.0), -1):
        r = ra.asarray(n.copy())
        nn = n.copy()
        rv = ra.asarray(value) if isinstance(value, np.ndarray) else value
        r[ra.asarray(nm)] = rv
        nn[nm] = value
        assert_same(r, nn)
    r = ra.asarray(n.copy())
    with pytest.raises(ValueError) as want:
        n.copy()[nm] = [1.0, 2.0]
    with pytest.raises(ValueError) as got:
        r[ra.asarray(nm)] = [1.0, 2.0]
    assert str(got.value) == str(want.value)
    ro = ra.asarray(n.copy())
    ro.flags.writeable = False
    with pytest.raises(ValueError, match="read-only"):
        ro[ra.asarray(nm)] = 0.0
    # the source overlapping the destination reads the old values
    r = ra.asarray(np.arange(6.0))
    nn = np.arange(6.0)
    m = np.asarray([True, False, True, False, True, False])
    r[ra.asarray(m)] = r[::2][::-1]
    nn[m] = nn[::2][::-1].copy()
    assert_same(r, nn)


@pytest.mark.parametrize(
    "args",
    [(2, 5), ((2, 5),), (-1,), ((-1, 2),), (10,), ((),), ([2, 5],), (np.int64(2), 5), (1, 1, 10, 1, 1)],
)
def test_reshape_argument_forms_match_numpy(args):
    n = np.arange(1.0) if repr(args) == "((),)" else np.arange(10.0)
    r = ra.asarray(n)
    try:
        want = n.reshape(*args)
    except (TypeError, ValueError) as e:
        with pytest.raises(type(e)):
            r.reshape(*args)
        return
    assert_same(r.reshape(*args), want)


def test_reshape_errors_match_numpy():
    n, r = np.arange(10.0), ra.arange(10.0)
    for args in ((3, 4), (-1, -1), (2.0, 5), ((2, 2.0),)):
        with pytest.raises((TypeError, ValueError)) as want:
            n.reshape(*args)
        with pytest.raises(want.type) as got:
            r.reshape(*args)
        assert str(got.value) == str(want.value)


def test_tolist_matches_numpy():
    for n in (np.arange(10.0), np.arange(12).reshape(3, 4)[:, ::-2], np.zeros((2, 0)), np.asarray(3.5), np.arange(6, dtype=">i2").reshape(1, 2, 3)):
        assert ra.asarray(n).tolist() == n.tolist()


@pytest.mark.parametrize(
    "values",
    [[0, 1, -5], [2**63 - 1, -(2**63)], [2**63], [1.5, -0.0, float("nan")], [1, 2.5], [2.5, 1], [True, 1], [1, True], [3], []],
)
def test_array_of_flat_number_lists_matches_numpy(values):
    try:
        want = np.array(values)
    except OverflowError:
        return
    got = ra.array(values)
    assert_same(got, want)
    assert_same(ra.array(values, ndmin=2), np.array(values, ndmin=2))
