"""Lifetimes of foreign memory: for every way memory can arrive, the exporter stays alive
while any view exists (also after the intermediate arrays are deleted) and dies after the
last view is gone; exports are held, so an exporter cannot resize or close under a view."""

from __future__ import annotations

import array
import ctypes
import gc
import mmap
import weakref

import numpy as np
import pytest

import rawarray as ra


class ByteArray(bytearray):
    """A weakref-able bytearray."""


class Holder:
    """An ``__array_interface__`` holder over memory it owns (a ctypes array)."""

    def __init__(self, n: int = 16):
        self.mem = (ctypes.c_uint8 * n)(*range(n))
        self.__array_interface__ = {
            "version": 3,
            "shape": (n,),
            "typestr": "|u1",
            "data": (ctypes.addressof(self.mem), False),
        }


class BufferHolder:
    """An ``__array_interface__`` holder whose data is a buffer-exporting object."""

    def __init__(self, n: int = 16):
        self.__array_interface__ = {"version": 3, "shape": (n,), "typestr": "|u1", "data": ByteArray(range(n))}


def make_bytearray():
    return ByteArray(range(16))


def make_array_array():
    return array.array("B", range(16))


def make_ctypes():
    return (ctypes.c_uint8 * 16)(*range(16))


def make_numpy():
    return np.arange(16, dtype="u1")


def make_mmap():
    m = mmap.mmap(-1, 16)
    m[:] = bytes(range(16))
    return m


def make_memoryview():
    return memoryview(ByteArray(range(16)))


EXPORTERS = [make_bytearray, make_array_array, make_ctypes, make_numpy, make_mmap, make_memoryview, Holder,
             BufferHolder]
WAYS = {
    "asarray": lambda o: ra.asarray(o),
    "array_nocopy": lambda o: ra.array(o, copy=False),
    "frombuffer": lambda o: ra.frombuffer(o, "u1"),
}


def collect():
    for _ in range(3):
        gc.collect()


def cases():
    for make in EXPORTERS:
        for way in WAYS:
            if way == "frombuffer" and make in (Holder, BufferHolder):
                continue  # interface holders export no buffer themselves
            yield pytest.param(make, way, id=f"{make.__name__}-{way}")


@pytest.mark.parametrize("make, way", list(cases()))
def test_exporter_lives_exactly_as_long_as_views(make, way):
    obj = make()
    ref = weakref.ref(obj)
    a = WAYS[way](obj)
    assert a.base is obj
    assert a.tolist() == list(range(16))
    v = a[2:]
    w = v[::-2]
    del a, obj
    collect()
    assert ref() is not None
    assert v[0] == 2
    del v
    collect()
    assert ref() is not None
    assert w.tolist() == list(range(15, 1, -2))
    del w
    collect()
    assert ref() is None


@pytest.mark.parametrize("make", EXPORTERS)
def test_view_keeps_memory_after_owner_array_dies(make):
    obj = make()
    a = ra.asarray(obj)
    v = a.reshape(4, 4)[1:3]
    del a, obj
    collect()
    for _ in range(3):
        junk = [bytearray(b"\xff" * 16) for _ in range(100)]
        del junk
    assert v.tolist() == [[4, 5, 6, 7], [8, 9, 10, 11]]


def test_numpy_from_numpy_chain():
    # numpy -> rawarray -> numpy -> rawarray: the first exporter dies only at the end.
    n = np.arange(16, dtype="u1")
    ref = weakref.ref(n)
    r1 = ra.asarray(n)
    n2 = np.asarray(r1)
    r2 = ra.asarray(n2)
    del n, r1, n2
    collect()
    assert ref() is not None
    assert r2[15] == 15
    del r2
    collect()
    assert ref() is None


def test_our_exports_keep_our_array_alive():
    a = ra.arange(8, dtype="u1")
    ref = weakref.ref(a)
    m = memoryview(a)
    n = np.asarray(a)
    del a
    collect()
    assert ref() is not None
    m.release()
    del m
    collect()
    assert ref() is not None
    assert n[7] == 7
    del n
    collect()
    assert ref() is None


def test_interface_dict_is_kept_alive():
    # NumPy scalars put the array behind their data pointer in the dict ('__ref'); a
    # holder doing the same must keep working after it drops its own reference.
    class Once:
        def __init__(self):
            backing = np.arange(8, dtype="<i4")
            self._iface = dict(backing.__array_interface__, __ref=backing)

        @property
        def __array_interface__(self):
            i, self._iface = self._iface, None
            return i

    o = Once()
    r = ra.asarray(o)
    collect()
    for _ in range(3):
        junk = np.full(8, -1, dtype="<i4")
        del junk
    assert r.tolist() == list(range(8))


@pytest.mark.parametrize("way", ["asarray", "frombuffer"])
def test_bytearray_cannot_resize_while_viewed(way):
    b = bytearray(16)
    a = WAYS[way](b)
    v = a[::2]
    with pytest.raises(BufferError):
        b.extend(b"x")
    del a
    collect()
    with pytest.raises(BufferError):
        b.extend(b"x")
    del v
    collect()
    b.extend(b"x")
    assert len(b) == 17


def test_bytearray_through_interface_data_cannot_resize():
    b = bytearray(16)

    class H:
        __array_interface__ = {"version": 3, "shape": (4,), "typestr": "<u4", "data": b}

    a = ra.asarray(H())
    with pytest.raises(BufferError):
        b.append(1)
    del a
    collect()
    b.append(1)


def test_mmap_cannot_close_while_viewed(tmp_path):
    p = tmp_path / "m.bin"
    p.write_bytes(bytes(32))
    with open(p, "r+b") as f:
        m = mmap.mmap(f.fileno(), 0)
    a = ra.frombuffer(m, "<u4")[1:]
    with pytest.raises(BufferError):
        m.close()
    with pytest.raises(BufferError):
        m.resize(64)
    a[0] = 7
    del a
    collect()
    m.close()
    assert np.fromfile(p, "<u4")[1] == 7


def test_numpy_array_from_rawarray_keeps_exporter_alive():
    b = ByteArray(range(16))
    ref = weakref.ref(b)
    n = np.asarray(ra.frombuffer(b, "u1"))
    del b
    collect()
    assert ref() is not None
    assert n[3] == 3
    del n
    collect()
    assert ref() is None


@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.arange(6.0),
        lambda m: m.arange(6.0)[1:4],
        lambda m: m.arange(6.0).reshape(2, 3).T,
        lambda m: m.arange(6, dtype="int32")[2],
        lambda m: m.arange(6.0)[2],
        lambda m: m.arange(6.0) + 1.0,
        lambda m: m.frombuffer(bytearray(16), dtype="float64"),
        lambda m: m.asarray(array.array("d", [1.0, 2.0])),
        lambda m: m.dtype(">i4"),
    ],
)
def test_collector_tracking_as_numpy(make):
    """Arrays, scalars and dtypes hold no references the cycle collector can follow, so,
    as in NumPy, they are not on its lists (allocations do not feed its young walk)."""
    assert gc.is_tracked(make(ra)) == gc.is_tracked(make(np))
    assert not gc.is_tracked(make(ra))


def test_subclass_instances_in_cycles_are_collected():
    """A Python subclass keeps its instance dictionary, so its instances stay tracked and
    a cycle through that dictionary is collected."""

    class Sub(ra.ndarray):
        pass

    s = Sub((4,))
    assert gc.is_tracked(s)
    s.me = s
    ref = weakref.ref(s)
    del s
    gc.collect()
    assert ref() is None
