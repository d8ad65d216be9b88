"""Memory protocols: consuming the buffer protocol and ``__array_interface__`` from every
kind of exporter, ``frombuffer``, and exporting (``memoryview``, ``numpy.asarray``).
NumPy is the oracle for dtype, shape, strides, formats and error types."""

from __future__ import annotations

import array
import ctypes
import hashlib
import mmap
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import rawarray as ra
import strategies
from oracle import assert_same

# --------------------------------------------------------------------------------------
# helpers


@st.composite
def any_arrays(draw):
    """``strategies.arrays`` over every dtype rawarray supports, void included (drawn as
    bytes of the same size and viewed as void: hypothesis cannot fill void directly)."""
    dt = draw(strategies.dtypes(numeric_only=False))
    if dt.kind == "V":
        return draw(strategies.arrays(st.just(np.dtype(f"S{dt.itemsize}")))).view(dt)
    return draw(strategies.arrays(st.just(dt)))


def address(x) -> int:
    """The data address of a rawarray or NumPy array."""
    return x.__array_interface__["data"][0]


def check_view(r, obj, n=None) -> None:
    """``r`` views ``obj`` zero-copy exactly as ``numpy.asarray(obj)`` would."""
    if n is None:
        n = np.asarray(obj)
    assert r.base is obj
    assert r.dtype.str == n.dtype.str
    assert r.shape == n.shape
    if n.size > 1:
        for d, rs, ns in zip(n.shape, r.strides, n.strides):
            if d > 1:
                assert rs == ns, (r.strides, n.strides)
    assert r.flags.writeable == n.flags.writeable
    assert r.tobytes() == n.tobytes()
    if n.size:
        assert address(r) == address(n)


def write_both_ways(r, n) -> None:
    """Writes through ``r`` are visible in ``n`` and vice versa (1-byte patterns)."""
    if r.size == 0 or not r.flags.writeable or not n.flags.writeable:
        return
    if not (r.flags.c_contiguous and n.flags.c_contiguous):
        return
    flat_r = r.reshape(-1).view("u1")
    flat_n = n.reshape(-1).view("u1")
    flat_r[0] = 0xA5
    assert flat_n[0] == 0xA5
    flat_n[-1] = 0x5A
    assert flat_r[-1] == 0x5A


Py_ssize_t = ctypes.c_ssize_t


class PyBuffer(ctypes.Structure):
    _fields_ = [
        ("buf", ctypes.c_void_p),
        ("obj", ctypes.c_void_p),
        ("len", Py_ssize_t),
        ("itemsize", Py_ssize_t),
        ("readonly", ctypes.c_int),
        ("ndim", ctypes.c_int),
        ("format", ctypes.c_char_p),
        ("shape", ctypes.POINTER(Py_ssize_t)),
        ("strides", ctypes.POINTER(Py_ssize_t)),
        ("suboffsets", ctypes.c_void_p),
        ("internal", ctypes.c_void_p),
    ]


_get = ctypes.pythonapi.PyObject_GetBuffer
_get.argtypes = [ctypes.py_object, ctypes.POINTER(PyBuffer), ctypes.c_int]
_get.restype = ctypes.c_int
_release = ctypes.pythonapi.PyBuffer_Release
_release.argtypes = [ctypes.POINTER(PyBuffer)]
_release.restype = None

SIMPLE, WRITABLE, FORMAT, ND, STRIDES = 0, 0x1, 0x4, 0x8, 0x18
C_CONTIGUOUS, F_CONTIGUOUS, ANY_CONTIGUOUS = 0x38, 0x58, 0x98


def getbuffer(obj, flags):
    """Requests a buffer with raw flags; returns (ndim, has_shape, has_strides, format, readonly)."""
    view = PyBuffer()
    _get(obj, ctypes.byref(view), flags)
    try:
        return (view.ndim, bool(view.shape), bool(view.strides), view.format, view.readonly, view.len)
    finally:
        _release(ctypes.byref(view))


# --------------------------------------------------------------------------------------
# PEP 3118 formats of our exports


@given(any_arrays())
def test_memoryview_matches_numpy(n):
    r = ra.asarray(n)
    m, mn = memoryview(r), memoryview(n)
    assert m.format == mn.format
    assert m.itemsize == mn.itemsize
    assert m.ndim == mn.ndim
    assert m.shape == mn.shape
    if n.size > 1:
        assert m.strides == mn.strides
    assert m.readonly == mn.readonly
    assert m.c_contiguous == mn.c_contiguous
    assert m.f_contiguous == mn.f_contiguous
    assert m.contiguous == mn.contiguous
    assert m.nbytes == mn.nbytes
    if n.flags.c_contiguous:
        assert m.tobytes() == mn.tobytes()
    m.release()


@pytest.mark.parametrize(
    "spec",
    ["?", "i1", "u1", "<i2", ">i2", "<i4", ">i4", "<i8", ">i8", "<u2", ">u2", "<u4", ">u4", "<u8", ">u8",
     "<f2", ">f2", "<f4", ">f4", "<f8", ">f8", "<c8", ">c8", "<c16", ">c16", "S1", "S4", "V1", "V3"],
)
def test_format_of_every_dtype(spec):
    assert memoryview(ra.zeros(2, spec)).format == memoryview(np.zeros(2, spec)).format


def test_memoryview_of_owned_arrays():
    a = ra.arange(24, dtype="i4").reshape(2, 3, 4)
    n = np.arange(24, dtype="i4").reshape(2, 3, 4)
    for idx in [(), (slice(None, None, -1),), (slice(None), slice(None, None, 2)), (0,), (Ellipsis, 1)]:
        ra_v, np_v = a[idx], n[idx]
        m, mn = memoryview(ra_v), memoryview(np_v)
        assert (m.format, m.shape, m.strides, m.readonly) == (mn.format, mn.shape, mn.strides, mn.readonly)
        assert m.tolist() == mn.tolist()
    t = memoryview(a.T)
    assert t.f_contiguous and not t.c_contiguous
    z = memoryview(ra.array(3.5))
    assert z.shape == () and z.ndim == 0 and z.format == "d"


def test_data_is_a_memoryview():
    a = ra.arange(5, dtype="u1")
    assert isinstance(a.data, memoryview)
    assert a.data.tobytes() == bytes(range(5))


@given(any_arrays())
def test_numpy_asarray_is_zero_copy(n):
    r = ra.asarray(n)
    back = np.asarray(r)
    assert back.shape == n.shape
    if n.dtype.kind != "V":
        # NumPy reads its own void format '3x' back as an empty structured dtype.
        assert back.dtype == n.dtype
        assert back.tobytes() == n.tobytes()
    if n.size:
        assert address(back) == address(r) == address(n)


def test_numpy_asarray_writes_through():
    a = ra.zeros((3, 4), dtype=">i4")[:, ::2]
    n = np.asarray(a)
    assert n.dtype.str == ">i4" and n.strides == a.strides
    n[1, 1] = 7
    assert a[1, 1] == 7
    a[2, 0] = 9
    assert n[2, 0] == 9


def test_array_interface_export():
    a = ra.arange(6, dtype="<f4").reshape(2, 3)
    i = a.__array_interface__
    assert i["version"] == 3
    assert i["shape"] == (2, 3)
    assert i["typestr"] == "<f4"
    assert i["descr"] == [("", "<f4")]
    assert i["strides"] is None
    assert i["data"] == (address(np.asarray(a)), False)
    assert a.T.__array_interface__["strides"] == (4, 12)
    ro = ra.frombuffer(b"abcd", "u1")
    assert ro.__array_interface__["data"][1] is True

    class Holder:
        pass

    h = Holder()
    h.__array_interface__ = a.T.__array_interface__
    h.keep = a
    n = np.asarray(h)
    assert n.strides == (4, 12) and address(n) == address(a)
    assert n.tolist() == np.arange(6, dtype="f4").reshape(2, 3).T.tolist()


def test_export_flags():
    c = ra.arange(12, dtype="i2").reshape(3, 4)
    f = c.T
    s = c[:, ::2]
    ro = ra.frombuffer(bytes(8), "u1")
    assert getbuffer(c, SIMPLE)[5] == 24
    assert getbuffer(c, ND)[:3] == (2, True, False)
    assert getbuffer(c, FORMAT | ND)[3] == b"h"
    assert getbuffer(c, SIMPLE)[3] is None
    assert getbuffer(c, C_CONTIGUOUS)[0] == 2
    assert getbuffer(f, F_CONTIGUOUS)[0] == 2
    assert getbuffer(f, ANY_CONTIGUOUS)[0] == 2
    assert getbuffer(s, STRIDES)[2]
    for obj, flags in [(f, C_CONTIGUOUS), (c, F_CONTIGUOUS), (s, ANY_CONTIGUOUS), (s, SIMPLE), (s, ND),
                       (f, ND), (ro, WRITABLE), (ro, WRITABLE | STRIDES)]:
        with pytest.raises(BufferError):
            getbuffer(obj, flags)
    assert getbuffer(ro, SIMPLE)[4] == 1
    assert getbuffer(c, WRITABLE | STRIDES)[4] == 0
    with pytest.raises(BufferError):
        hashlib.md5(s)
    assert hashlib.md5(c).digest() == hashlib.md5(np.arange(12, dtype="i2")).digest()


def test_exports_keep_the_array_alive():
    a = ra.arange(4.0)
    m = memoryview(a)
    del a
    assert m.tolist() == [0.0, 1.0, 2.0, 3.0]
    m.release()


# --------------------------------------------------------------------------------------
# consuming: every exporter


def test_bytes_via_frombuffer():
    b = b"\x01\x00\x02\x00\x03\x00"
    r = ra.frombuffer(b, "<u2")
    check_view(r, b, np.frombuffer(b, "<u2"))
    assert not r.flags.writeable
    with pytest.raises(ValueError):
        r[0] = 5


def test_bytes_are_scalars_in_asarray():
    # As in NumPy, ``asarray(bytes)`` makes an S-array, not a byte view.
    assert ra.asarray(b"abc").dtype.str == np.asarray(b"abc").dtype.str == "|S3"


def test_bytearray():
    b = bytearray(range(16))
    r = ra.asarray(b)
    check_view(r, b)
    assert r.flags.writeable
    r[0] = 200
    assert b[0] == 200
    b[1] = 77
    assert r[1] == 77


@pytest.mark.parametrize(
    "make",
    [
        lambda: memoryview(bytearray(range(24))),
        lambda: memoryview(bytearray(range(24)))[3:17],
        lambda: memoryview(bytearray(range(24)))[1::3],
        lambda: memoryview(bytearray(range(24)))[::-2],
        lambda: memoryview(bytearray(range(24))).cast("i", (2, 3)),
        lambda: memoryview(bytearray(range(24))).cast("d"),
        lambda: memoryview(bytearray(range(24))).cast("B", (2, 3, 4)),
        lambda: memoryview(bytearray(range(24))).cast("h", (3, 4)),
        lambda: memoryview(bytes(range(24))).cast("H", (4, 3)),
        lambda: memoryview(bytes(range(24)))[::-1],
        lambda: memoryview(np.arange(24, dtype=">i2").reshape(4, 6)[::-1, 1::2]),
        lambda: memoryview(np.arange(6, dtype="f4").reshape(2, 3).T),
        lambda: memoryview(np.array(3.5)),
        lambda: memoryview(bytearray(range(24))).cast("c"),
        lambda: memoryview(bytearray(range(24))).cast("?"),
    ],
)
def test_memoryview_exporters(make):
    m = make()
    r = ra.asarray(m)
    check_view(r, m)
    write_both_ways(r, np.asarray(m))


@pytest.mark.parametrize("tc", list("bBhHiIlLqQfd"))
def test_array_array(tc):
    a = array.array(tc, range(7))
    r = ra.asarray(a)
    check_view(r, a)
    r[3] = 5
    assert a[3] == 5
    a[4] = 9
    assert r[4] == 9


def test_array_array_frombuffer():
    a = array.array("d", [1.0, 2.0, 3.0])
    r = ra.frombuffer(a, "f8", offset=8)
    assert r.tolist() == [2.0, 3.0]
    assert r.base is a


def test_mmap_anonymous():
    mm = mmap.mmap(-1, 64)
    r = ra.asarray(mm)
    check_view(r, mm)
    r[5] = 42
    assert mm[5] == 42
    mm[6] = 43
    assert r[6] == 43
    with pytest.raises(BufferError):
        mm.close()
    del r
    mm.close()


def test_mmap_file_backed(tmp_path):
    p = tmp_path / "data.bin"
    p.write_bytes(np.arange(8, dtype="<f8").tobytes())
    with open(p, "r+b") as f:
        mm = mmap.mmap(f.fileno(), 0)
    r = ra.frombuffer(mm, "<f8")
    check_view(r, mm, np.frombuffer(mm, "<f8"))
    r[0] = 100.0
    mm.flush()
    with pytest.raises(BufferError):
        mm.close()
    del r
    mm.close()
    assert np.fromfile(p, "<f8")[0] == 100.0
    with open(p, "rb") as f:
        ro = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    r = ra.frombuffer(ro, "<f8")
    assert not r.flags.writeable
    assert r[0] == 100.0
    del r
    ro.close()


@pytest.mark.parametrize(
    "ctype",
    [ctypes.c_double, ctypes.c_float, ctypes.c_int8, ctypes.c_uint8, ctypes.c_int16, ctypes.c_uint16,
     ctypes.c_int32, ctypes.c_uint32, ctypes.c_int64, ctypes.c_uint64, ctypes.c_long, ctypes.c_ulong,
     ctypes.c_longlong, ctypes.c_bool, ctypes.c_char, ctypes.c_double.__ctype_be__,
     ctypes.c_int32.__ctype_be__, ctypes.c_uint16.__ctype_be__, ctypes.c_long.__ctype_be__,
     ctypes.c_uint64.__ctype_be__, ctypes.c_float.__ctype_be__],
)
def test_ctypes_arrays(ctype):
    c = (ctype * 5)()
    r = ra.asarray(c)
    check_view(r, c)
    assert r.flags.writeable
    write_both_ways(r, np.asarray(c))


def test_ctypes_2d_array():
    c = ((ctypes.c_int * 3) * 2)()
    c[1][2] = 7
    r = ra.asarray(c)
    check_view(r, c)
    assert r.shape == (2, 3) and r[1, 2] == 7


def test_ctypes_pointer_arrays_are_refused_like_numpy():
    c = (ctypes.c_void_p * 3)()
    with pytest.raises(ValueError):
        np.asarray(c)
    with pytest.raises(BufferError, match="'<P'"):
        ra.asarray(c)


@given(any_arrays())
def test_numpy_arrays(n):
    r = ra.asarray(n)
    check_view(r, n, n)
    assert_same(r, n)
    write_both_ways(r, n)


def test_numpy_read_only():
    n = np.arange(4)
    n.flags.writeable = False
    r = ra.asarray(n)
    assert not r.flags.writeable and r.base is n
    with pytest.raises(ValueError):
        r[0] = 1


def test_numpy_scalars_are_copied():
    for s in [np.float64(1.5), np.int16(-3), np.dtype(">f4").type(2.5), np.bool_(True)]:
        r = ra.asarray(s)
        n = np.asarray(s)
        assert r.shape == () and r.dtype.str == n.dtype.str and r.tobytes() == n.tobytes()
        assert r.flags.writeable and r.base is None


def test_unsupported_formats_raise():
    with pytest.raises(BufferError, match="T\\{"):
        ra.asarray(memoryview(np.zeros(2, "i4,f8")))
    with pytest.raises(BufferError, match="'g'"):
        ra.asarray(memoryview(np.zeros(2, np.longdouble)))
    with pytest.raises(BufferError, match="unicode"):
        ra.asarray(memoryview(np.array(["ab"])))
    for n in [np.zeros(2, "i4,f8"), np.array(["ab"]), np.array([1], "M8[s]"), np.array([None])]:
        with pytest.raises(TypeError):
            ra.asarray(n)  # through __array_interface__: unsupported typestr or descr


def test_interface_offset_is_ignored_for_raw_pointers_like_numpy():
    n = np.arange(4.0)
    h = Holder({"version": 3, "shape": (2,), "typestr": "<f8", "data": (address(n), False), "offset": 8}, keep=n)
    assert ra.asarray(h).tolist() == np.asarray(h).tolist() == [0.0, 1.0]


def test_copy_semantics():
    b = bytearray(8)
    r = ra.array(b)
    assert r.base is None
    r[0] = 1
    assert b[0] == 0
    v = ra.asarray(b)
    assert ra.array(b, copy=False).base is b
    v[0] = 3
    assert b[0] == 3


# --------------------------------------------------------------------------------------
# frombuffer: NumPy's semantics and messages


@pytest.mark.parametrize(
    "args",
    [
        (b"",),
        (b"abcd", "u1"),
        (b"abcd", "u1", -1, 4),
        (b"abcd", "u2", -1, 2),
        (b"abcdefgh", "u2", 2, 2),
        (b"abcd", "u1", 0),
        (b"abcd", "u1", -2),
        (b"abc", "u1", -1, 4),
        (b"abc", "u1", -1, -1),
        (b"abc", "u2"),
        (b"abcd", "u2", 3),
        (b"abcd", "u2", -1, 3),
        (b"abcdefgh", ">i4", 1, 4),
        (bytearray(b"abcdefgh"), "<f8"),
        (b"abcdef", "S3"),
        (b"abcdef", "V2"),
        (memoryview(b"abcdefgh")[::2], "u1"),
    ],
)
def test_frombuffer_matches_numpy(args):
    try:
        n = np.frombuffer(*args)
    except Exception as e:  # noqa: BLE001
        with pytest.raises(type(e)) as info:
            ra.frombuffer(*args)
        assert str(info.value) == str(e)
        return
    r = ra.frombuffer(*args)
    assert r.ndim == 1
    assert r.base is args[0]
    assert_same(r, n)


def test_frombuffer_writeable_follows_the_buffer():
    assert not ra.frombuffer(b"ab", "u1").flags.writeable
    assert ra.frombuffer(bytearray(b"ab"), "u1").flags.writeable
    assert not ra.frombuffer(memoryview(bytearray(2)).toreadonly(), "u1").flags.writeable


def test_frombuffer_unaligned_and_byteswapped():
    raw = bytearray(1 + 8 * 3)
    n = np.frombuffer(raw, ">f8", offset=1)
    n[...] = [1.5, -2.0, 3.25]
    r = ra.frombuffer(raw, ">f8", offset=1)
    assert_same(r, n)
    assert not r.flags.aligned
    assert r.tolist() == [1.5, -2.0, 3.25]


# --------------------------------------------------------------------------------------
# __array_interface__ consumption


class Holder:
    """A plain object carrying an interface (and whatever it needs to keep alive)."""

    def __init__(self, iface, keep=None):
        self.__array_interface__ = iface
        self.keep = keep


def iface_of(n, **kw):
    i = dict(n.__array_interface__)
    i.update(kw)
    return i


@given(any_arrays())
def test_interface_raw_pointer(n):
    h = Holder(iface_of(n), keep=n)
    r = ra.asarray(h)
    assert r.base is h
    assert_same(r, n)
    if n.size:
        assert address(r) == address(n)


def test_interface_on_class_property():
    class Prop:
        def __init__(self):
            self.n = np.arange(6, dtype="<i2").reshape(2, 3)

        @property
        def __array_interface__(self):
            return self.n.__array_interface__

    p = Prop()
    r = ra.asarray(p)
    assert r.base is p
    assert_same(r, p.n)
    r[1, 1] = 40
    assert p.n[1, 1] == 40


def test_interface_data_object_and_offset():
    b = bytearray(range(16))
    h = Holder({"version": 3, "shape": (2,), "typestr": "<u4", "data": b, "offset": 4})
    r = ra.asarray(h)
    n = np.asarray(h)
    assert_same(r, n)
    assert r.base is h
    r[0] = 0
    assert b[4:8] == bytes(4)
    with pytest.raises(BufferError):
        b.extend(b"x")
    ro = Holder({"version": 3, "shape": (4,), "typestr": "|u1", "data": b"abcd"})
    assert not ra.asarray(ro).flags.writeable


def test_interface_data_none_uses_own_buffer():
    class Buf(bytearray):
        @property
        def __array_interface__(self):
            return {"version": 3, "shape": (2, 2), "typestr": "<i2", "data": None}

    b = Buf(range(8))
    r = ra.asarray(b)
    assert r.shape == (2, 2) and r.dtype.str == "<i2" and r.base is b
    assert r.tobytes() == bytes(range(8))
    assert_same(r, np.frombuffer(b, "<i2").reshape(2, 2))


def test_interface_negative_strides_raw_pointer():
    n = np.arange(10, dtype="f8")[::-3]
    h = Holder({"version": 3, "shape": n.shape, "typestr": "<f8", "strides": n.strides,
                "data": (address(n), False)}, keep=n)
    assert_same(ra.asarray(h), n)


def test_seed_trick_malloc_pointer():
    libc = ctypes.CDLL(None)
    libc.malloc.restype = ctypes.c_void_p
    libc.free.argtypes = [ctypes.c_void_p]
    raw = libc.malloc(80)
    try:
        p = ctypes.cast(raw, ctypes.POINTER(ctypes.c_double))
        for i in range(10):
            p[i] = i * 1.5
        p.__array_interface__ = {"version": 3, "shape": (10,), "typestr": "<f8",
                                 "data": (ctypes.addressof(p.contents), False)}
        v = ra.array(p, copy=False)
        assert v.base is p and address(v) == raw
        assert v.tolist() == [i * 1.5 for i in range(10)]
        v[0] = 42.0
        assert p[0] == 42.0
        c = ra.array(p)
        assert c.base is None and address(c) != raw
        c[1] = -1.0
        assert p[1] == 1.5
        del v, c
    finally:
        libc.free(raw)


def test_interface_unmapped_pointer_is_refused():
    for addr in [8, 4096, (1 << 47) - 4096]:
        h = Holder({"version": 3, "shape": (10,), "typestr": "<f8", "data": (addr, False)})
        with pytest.raises(ValueError, match="not readable"):
            ra.asarray(h)


def test_interface_range_past_the_mapping_is_refused():
    mm = mmap.mmap(-1, mmap.PAGESIZE)
    n = np.frombuffer(mm, "u1")
    addr = address(n)
    ok = Holder({"version": 3, "shape": (mmap.PAGESIZE,), "typestr": "|u1", "data": (addr, False)}, keep=n)
    assert ra.asarray(ok).size == mmap.PAGESIZE
    # One page further may or may not be mapped; far beyond it is not.
    far = Holder({"version": 3, "shape": (mmap.PAGESIZE,), "typestr": "|u1", "strides": (1 << 40,),
                  "data": (addr, False)}, keep=n)
    with pytest.raises(ValueError):
        ra.asarray(far)
    del n


@pytest.mark.skipif(sys.platform != "linux", reason="needs Linux mmap flags")
def test_interface_prot_none_page_is_refused():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
    libc.munmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t]
    page = mmap.PAGESIZE
    addr = libc.mmap(None, 2 * page, mmap.PROT_READ, mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS, -1, 0)
    assert addr not in (None, ctypes.c_void_p(-1).value)
    try:
        libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
        assert libc.mprotect(addr + page, page, 0) == 0  # second page PROT_NONE: a guard page
        ok = Holder({"version": 3, "shape": (page,), "typestr": "|u1", "data": (addr, False)})
        r = ra.asarray(ok)
        assert r.size == page and not r.flags.writeable  # PROT_READ only
        assert r[0] == 0
        del r
        h = Holder({"version": 3, "shape": (page + 1,), "typestr": "|u1", "data": (addr, False)})
        with pytest.raises(ValueError, match="not readable"):
            ra.asarray(h)
        g = Holder({"version": 3, "shape": (8,), "typestr": "|u1", "data": (addr + page, False)})
        with pytest.raises(ValueError, match="not readable"):
            ra.asarray(g)
    finally:
        libc.munmap(addr, 2 * page)


def test_interface_read_only_mapping_is_not_writeable(tmp_path):
    p = tmp_path / "ro.bin"
    p.write_bytes(bytes(range(16)))
    with open(p, "rb") as f:
        mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    n = np.frombuffer(mm, "u1")
    h = Holder({"version": 3, "shape": (16,), "typestr": "|u1", "data": (address(n), False)}, keep=n)
    r = ra.asarray(h)
    assert r.tolist() == list(range(16))
    assert not r.flags.writeable  # the interface said writable, the page is not
    with pytest.raises(ValueError):
        r[0] = 1
    del r, n, h


def test_interface_empty_null_pointer_is_fine():
    r = ra.asarray(Holder({"version": 3, "shape": (0, 3), "typestr": "<f8", "data": (0, False)}))
    assert r.shape == (0, 3) and r.dtype.str == "<f8"


_BA = bytearray(16)


@pytest.mark.parametrize(
    "iface, exc",
    [
        (5, ValueError),
        ([("shape", (2,))], ValueError),
        ({}, ValueError),
        ({"shape": (2,)}, ValueError),
        ({"typestr": "<f8", "data": _BA}, ValueError),
        ({"shape": [2], "typestr": "<f8", "data": _BA}, TypeError),
        ({"shape": (2,), "typestr": 5, "data": _BA}, TypeError),
        ({"shape": (2,), "typestr": "xx", "data": _BA}, TypeError),
        ({"shape": (2,), "typestr": "<U2", "data": _BA}, TypeError),
        ({"shape": ("a",), "typestr": "<f8", "data": _BA}, TypeError),
        ({"shape": (-1,), "typestr": "<f8", "data": _BA}, ValueError),
        ({"shape": (2,), "typestr": "<f8", "data": (0, False)}, ValueError),
        ({"shape": (2,), "typestr": "<f8", "data": ("a", False)}, TypeError),
        ({"shape": (2,), "typestr": "<f8", "data": (1,)}, TypeError),
        ({"shape": (2,), "typestr": "<f8", "data": (-8, False)}, ValueError),
        ({"shape": (2,), "typestr": "<f8", "data": (1 << 70, False)}, ValueError),
        ({"shape": (2,), "typestr": "<f8", "data": ((1 << 64) - 8, False)}, ValueError),
        ({"shape": (2,), "typestr": "<f8", "data": [1]}, TypeError),
        ({"shape": (2,), "typestr": "<f8", "data": _BA, "strides": 5}, TypeError),
        ({"shape": (2,), "typestr": "<f8", "data": _BA, "strides": (8, 8)}, ValueError),
        ({"shape": (2,), "typestr": "<f8", "data": _BA, "strides": (16,)}, ValueError),
        ({"shape": (3,), "typestr": "<f8", "data": _BA}, ValueError),
        ({"shape": (2,), "typestr": "<f8", "data": _BA, "offset": 8}, ValueError),
        ({"shape": (2,), "typestr": "<f8", "data": _BA, "offset": -1}, ValueError),
        ({"shape": (2,), "typestr": "<f8", "data": _BA, "offset": "x"}, TypeError),
        ({"shape": (1 << 62, 1 << 62), "typestr": "<f8", "data": _BA}, ValueError),
        ({"shape": (2,), "typestr": "<f8", "data": (4096, False), "strides": (1 << 62,)}, ValueError),
        ({"shape": (2,), "typestr": "<f8", "data": _BA, "descr": [("a", "<f8")]}, TypeError),
        ({"shape": (2,), "typestr": "<f8", "data": _BA, "descr": [("", "<i8")]}, TypeError),
        ({"shape": (2,), "typestr": "<f8", "data": _BA, "descr": "<f8"}, TypeError),
        ({"shape": (2,), "typestr": "<f8", "data": _BA, "version": 2}, ValueError),
        ({"shape": (2,), "typestr": "<f8", "data": _BA, "version": "3"}, TypeError),
    ],
)
def test_interface_bad_input(iface, exc):
    with pytest.raises(exc):
        ra.asarray(Holder(iface))


def test_interface_errors_propagate_from_property():
    class Boom:
        @property
        def __array_interface__(self):
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        ra.asarray(Boom())


@given(st.integers(0, 64), st.integers(0, 4))
def test_interface_offset_bounds(offset, count):
    b = bytearray(32)
    h = Holder({"version": 3, "shape": (count,), "typestr": "<u4", "data": b, "offset": offset})
    if offset + 4 * count <= 32:
        r = ra.asarray(h)
        assert r.shape == (count,)
    else:
        with pytest.raises(ValueError):
            ra.asarray(h)


@pytest.mark.parametrize("code, value", [("float64", 1.5), ("int8", -3), ("bool", True), ("complex64", 1 + 2j),
                                         ("float16", 0.5), ("uint64", 2**64 - 1), ("float32", -0.0)])
def test_numpy_reads_typed_scalars_through_the_array_interface(code, value):
    """NumPy converts rawarray scalars as 0-d arrays of their dtype (not object arrays)."""
    x = getattr(ra, code)(value)
    want = np.asarray(getattr(np, code)(value))
    got = np.asarray(x)
    assert got.dtype == want.dtype and got.shape == () and got.tobytes() == want.tobytes()
    pair = np.array([x, x])
    assert pair.dtype == want.dtype and pair.tobytes() == want.tobytes() * 2
