"""Index functions, rolling and the promotion API, as NumPy 2's functions of the same
names, composed from the extension's primitives (``take``, ``nonzero``, ``copyto``,
``promote_types``, ...). The loops that touch every element all run in Rust; this module
only decides shapes, dtypes and which primitive to call.
"""

from __future__ import annotations

import operator
from typing import Any

from . import _rawarray
from ._rawarray import (
    DTypePromotionError,
    _empty_keep_order,
    _truth,
    arange,
    array,
    asarray,
    can_cast,
    copyto,
    dtype,
    empty,
    empty_like,
    ndarray,
    nonzero,
    promote_types,
    take,
)
from ._shape import _broadcast_shape_of, _normalize_axis_tuple

__all__ = [
    "IndexExpression",
    "index_exp",
    "s_",
    "argwhere",
    "ascontiguousarray",
    "asfortranarray",
    "compress",
    "extract",
    "flatnonzero",
    "place",
    "putmask",
    "result_type",
    "roll",
    "where",
]

_WEAK = (int, float, complex)


def _is_weak(x: Any) -> bool:
    """A Python int, float or complex (not bool): NEP 50's weak scalars."""
    return isinstance(x, _WEAK) and not isinstance(x, bool)


# NumPy's DType classes for promotion: a native dtype stands for a numeric class, "S" and
# "V" for bytes and void, "int"/"float"/"complex" for the abstract Python-scalar classes.
_ABSTRACT = ("int", "float", "complex")
_TYPE_NUM = {"b1": 0, "i1": 1, "u1": 2, "i2": 3, "u2": 4, "i4": 5, "u4": 6, "i8": 7, "u8": 8,
             "f4": 11, "f8": 12, "c8": 14, "c16": 15, "f2": 23}  # fmt: skip
_NI = None  # NotImplemented


def _cls_of(d: Any) -> Any:
    return d.kind if d.kind in "SV" else promote_types(d, d)


_CLASS_NAMES = {"int": "_PyLongDType", "float": "_PyFloatDType", "complex": "_PyComplexDType", "S": "BytesDType",
                "V": "VoidDType"}  # fmt: skip
_KIND_NAMES = {"b": "Bool", "i": "Int", "u": "UInt", "f": "Float", "c": "Complex"}


def _class_repr(c: Any) -> str:
    """NumPy's repr of a DType class, as its promotion errors print it."""
    if isinstance(c, str):
        name = _CLASS_NAMES[c]
    else:
        name = f"{_KIND_NAMES[c.kind]}{'' if c.kind == 'b' else c.itemsize * 8}DType"
    return f"<class 'numpy.dtypes.{name}'>"


def _num(c: Any) -> int:
    """NumPy's type number of a numeric class (the order of its promotion table)."""
    return _TYPE_NUM[f"{c.kind}{c.itemsize}"]


def _common(a: Any, b: Any) -> Any:
    """``a.__common_dtype__(b)`` for NumPy's builtin DType classes (one direction)."""
    if isinstance(a, str) and a in _ABSTRACT:
        if isinstance(b, str) and b in _ABSTRACT:
            order = _ABSTRACT.index
            return a if order(b) <= order(a) else _NI
        if isinstance(b, str):
            return _NI
        if a == "int":
            return dtype("i8") if b.kind == "b" else _NI
        if a == "float":
            return dtype("f8") if b.kind in "biu" else _NI
        return dtype("c16") if b.kind in "biu" else _NI
    if a == "S":
        return "S" if b == "S" or not isinstance(b, str) else _NI
    if a == "V":
        return "V" if b == "V" else _NI
    # a numeric class
    if isinstance(b, str) and b in _ABSTRACT:
        k = a.kind
        if b == "complex":
            if k == "c":
                return a
            if k == "f":
                return dtype("c8") if a.itemsize <= 4 else dtype("c16")
            return _NI
        if b == "float":
            return a if k in "fc" else _NI
        return a if k in "iufc" else _NI
    if isinstance(b, str) or _num(b) > _num(a):
        # bytes and void are not in NumPy's numeric table: they decide for themselves
        return _NI
    return _cls_of(promote_types(a, b))


def _common_both(a: Any, b: Any) -> Any:
    """NumPy's ``PyArray_CommonDType``: both directions, else an error."""
    r = _common(a, b)
    if r is _NI:
        r = _common(b, a)
    if r is _NI:
        raise DTypePromotionError(
            f"The DTypes {_class_repr(a)} and {_class_repr(b)} do not have a common DType. For example "
            "they cannot be stored in a single array unless the dtype is `object`."
        )
    return r


def _reduce(dts: list[Any], length: int) -> Any:
    """NumPy's ``reduce_dtypes_to_most_knowledgeable`` (cleared entries become None)."""
    half = length // 2
    res: Any = _NI
    for low in range(half):
        high = length - 1 - low
        if dts[high] == dts[low] and type(dts[high]) is type(dts[low]):
            res = dts[low]
        else:
            res = _common(dts[low], dts[high])
        if res is _NI:
            dts[low], dts[high] = dts[high], dts[low]
        elif _same(res, dts[low]):
            dts[high] = None
    if length == 2:
        return res
    return _reduce(dts, length - half)


def _abstract(c: Any) -> bool:
    return isinstance(c, str) and c in _ABSTRACT


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _promote_classes(classes: list[Any]) -> Any:
    """NumPy's ``PyArray_PromoteDTypeSequence`` over DType classes."""
    if len(classes) == 1:
        return classes[0]
    dts = list(classes)
    result = _reduce(dts, len(dts))
    main = dts[0]
    start = 2
    if result is _NI:
        result = None
        start = 1
    prev = None
    for c in dts[start:]:
        if c is None or (prev is not None and _same(c, prev)):
            continue
        promotion = _common(main, c)
        if promotion is _NI:
            raise DTypePromotionError(
                f"The DType {_class_repr(c)} could not be promoted by {_class_repr(main)}. This means "
                "that no common DType exists for the given inputs. For example they cannot be stored "
                "in a single array unless the dtype is `object`. The full list of DTypes is: "
                f"({', '.join(_class_repr(x) for x in classes)})"
            )
        result = promotion if result is None else _common_both(result, promotion)
        prev = c
    return result


def result_type(*arrays_and_dtypes: Any) -> Any:
    """NumPy 2's ``result_type``: the promotion of the arrays' and dtypes' dtypes, with
    Python ints, floats and complex numbers weak (NEP 50: they take part in choosing the
    kind, never the precision)."""
    if not arrays_and_dtypes:
        raise ValueError("at least one array or dtype is required")
    if len(arrays_and_dtypes) == 1 and _is_weak(arrays_and_dtypes[0]):
        # NumPy returns a lone operand's dtype as its array has it: 2**63 is uint64 (and
        # past uint64 an OverflowError, as ``array`` raises without an object dtype).
        return asarray(arrays_and_dtypes[0]).dtype
    # As NumPy's PyArray_ResultType: the dtype arguments first, then arrays and scalars.
    strong: list[Any] = []
    dtype_classes: list[Any] = []
    array_classes: list[Any] = []
    for x in arrays_and_dtypes:
        target = array_classes
        if isinstance(x, ndarray):
            d = x.dtype
        elif _is_weak(x):
            array_classes.append("int" if isinstance(x, int) else "float" if isinstance(x, float) else "complex")
            continue
        elif isinstance(x, bool):
            d = dtype("?")
        elif not isinstance(x, type) and isinstance(getattr(x, "dtype", None), dtype):
            d = x.dtype
        else:
            d = dtype(x)
            target = dtype_classes
        strong.append(d)
        target.append(_cls_of(d))
    cls = _promote_classes(dtype_classes + array_classes)
    if isinstance(cls, str) and cls in _ABSTRACT:
        return {"int": dtype("i8"), "float": dtype("f8"), "complex": dtype("c16")}[cls]
    if isinstance(cls, str):
        # Each strong operand is cast to the class on its own (NumPy's common_instance of
        # the cast descriptors): bytes take the longest text, void must agree in size.
        res = next(d for d in strong if d.kind == cls)
        for d in strong:
            res = promote_types(res, d)
        return res
    return cls


def compress(condition: Any, a: Any, axis: Any = None, out: Any = None) -> Any:
    """The sub-arrays of ``a`` along ``axis`` (elements of the flattened array when
    ``None``) where the 1-D ``condition`` is true."""
    return asarray(a).compress(condition, axis=axis, out=out)


def flatnonzero(a: Any) -> Any:
    """The indices of the true elements of the flattened ``a``."""
    return nonzero(asarray(a).ravel())[0]


def argwhere(a: Any) -> Any:
    """The coordinates of the true elements, one row per element (NumPy returns the
    transpose of a C-ordered ``(ndim, N)`` array, so the result is Fortran-ordered)."""
    a = asarray(a)
    if a.ndim == 0:
        return argwhere(a.reshape(1))[:, :0]
    parts = nonzero(a)
    out = empty((a.ndim, parts[0].shape[0]), "int64")
    for k, p in enumerate(parts):
        out[k] = p
    return out.T


def extract(condition: Any, arr: Any) -> Any:
    """The elements of the flattened ``arr`` where the flattened ``condition`` is true."""
    arr, condition = asarray(arr), asarray(condition)
    if condition.shape == arr.shape and arr.ndim and condition.dtype.kind in "biufc":
        # One mask selection in C order (the order of the flattened array), no index array.
        return arr[condition if condition.dtype.kind == "b" else condition != 0]
    return take(arr.ravel(), nonzero(condition.ravel())[0])


def _cycled(values: Any, n: int) -> Any:
    """The first ``n`` elements of the flattened ``values`` repeated cyclically."""
    flat = asarray(values).ravel()
    return take(flat, arange(n), mode="wrap")


def _values_for(arr: Any, vals: Any) -> Any:
    """``vals`` for writing into ``arr`` as NumPy's ``place``/``putmask`` take them: an
    array must cast safely; other objects are converted to ``arr``'s dtype (Python numbers
    checked for range)."""
    if isinstance(vals, ndarray):
        if not can_cast(vals.dtype, arr.dtype, "safe"):
            what = "scalar" if vals.ndim == 0 else "array data"
            raise TypeError(f"Cannot cast {what} from {vals.dtype!r} to {arr.dtype!r} according to the rule 'safe'")
        return vals
    return array(vals, dtype=arr.dtype)


def place(arr: Any, mask: Any, vals: Any) -> Any:
    """Writes ``vals`` (cycled as needed) into the elements of ``arr`` where ``mask`` is
    true, in C order."""
    if not isinstance(arr, ndarray):
        raise TypeError(f"place() argument 1 must be rawarray.ndarray, not {type(arr).__name__}")
    m = asarray(mask)
    if m.size != arr.size:
        raise ValueError("place: mask and data must be the same size")
    v = _values_for(arr, vals)
    m = _truth(m).reshape(arr.shape)
    n = int(nonzero(m.reshape(-1))[0].shape[0]) if m.size else 0
    if n == 0:
        return None
    if v.size == 0:
        raise ValueError("Cannot insert from an empty array!")
    arr[m] = _cycled(v, n)
    return None


def putmask(a: Any, mask: Any, values: Any) -> None:
    """``a.flat[i] = values.flat[i % values.size]`` wherever ``mask.flat[i]`` is true."""
    if not isinstance(a, ndarray):
        raise TypeError(f"putmask() argument 1 must be rawarray.ndarray, not {type(a).__name__}")
    m = asarray(mask)
    if m.size != a.size:
        raise ValueError("putmask: mask and data must be the same size")
    v = _values_for(a, values)
    if v.size == 0 or a.size == 0:
        return
    src = _cycled(v, a.size).reshape(a.shape)
    copyto(a, src, casting="unsafe", where=_truth(m).reshape(a.shape))


_NOVALUE = object()


def where(condition: Any, x: Any = _NOVALUE, y: Any = _NOVALUE) -> Any:
    """``nonzero(condition)`` with one argument; with three, the elements of ``x`` where
    ``condition`` is true and of ``y`` elsewhere, all three broadcast together, in the
    dtype ``result_type(x, y)`` (Python numbers weak)."""
    if x is _NOVALUE and y is _NOVALUE:
        return asarray(condition).nonzero()
    if x is _NOVALUE or y is _NOVALUE:
        raise ValueError("either both or neither of x and y should be given")
    dt = result_type(x, y)
    c = asarray(condition)
    xa, ya = asarray(x), asarray(y)
    shape = _broadcast_shape_of([c.shape, xa.shape, ya.shape])
    out = _empty_keep_order(shape, dt, [c, xa, ya])
    copyto(out, ya, casting="unsafe")
    copyto(out, xa, casting="unsafe", where=_truth(c))
    return out


def roll(a: Any, shift: Any, axis: Any = None) -> Any:
    """The elements of ``a`` shifted cyclically by ``shift`` along ``axis`` (of the
    flattened array when ``None``); ``shift`` and ``axis`` may be tuples (broadcast
    together, shifts on one axis add up)."""
    a = asarray(a)
    if axis is None:
        return roll(a.ravel(), shift, 0).reshape(a.shape)
    axes = _normalize_axis_tuple(axis, a.ndim, allow_duplicate=True)
    shifts_in = [operator.index(s) for s in shift] if isinstance(shift, (tuple, list)) else [operator.index(shift)]
    if len(shifts_in) != len(axes) and 1 not in (len(shifts_in), len(axes)):
        raise ValueError(
            "shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is between "
            f"arg 0 with shape ({len(shifts_in)},) and arg 1 with shape ({len(axes)},)."
        )
    if a.ndim == 0:
        # NumPy's own implementation fails this way on 0-d input with an axis (after it has
        # broadcast the shifts against the axes).
        raise ValueError("not enough values to unpack (expected 2, got 0)")
    n = 0 if not shifts_in or not axes else max(len(shifts_in), len(axes))
    shifts = dict.fromkeys(range(a.ndim), 0)
    for k in range(n):
        shifts[axes[k % len(axes)]] += shifts_in[k % len(shifts_in)]
    result = empty_like(a)
    if a.size == 0:
        return result
    # For each axis, (source, destination) slice pairs; the product covers every block.
    rolls: list[list[tuple[slice, slice]]] = []
    for ax in range(a.ndim):
        off = shifts[ax] % (a.shape[ax] or 1)
        if off:
            rolls.append([(slice(None, -off), slice(off, None)), (slice(-off, None), slice(None, off))])
        else:
            rolls.append([(slice(None), slice(None))])
    combos: list[list[tuple[slice, slice]]] = [[]]
    for r in rolls:
        combos = [c + [p] for c in combos for p in r]
    for combo in combos:
        src = tuple(p[0] for p in combo)
        dst = tuple(p[1] for p in combo)
        result[dst] = a[src]
    return result


def ascontiguousarray(a: Any, dtype: Any = None, *, like: Any = None) -> Any:
    """``a`` as a C-contiguous array of at least one dimension (a copy only when needed)."""
    del like
    return array(a, dtype, copy=None, order="C", ndmin=1)


def asfortranarray(a: Any, dtype: Any = None, *, like: Any = None) -> Any:
    """``a`` as a Fortran-contiguous array of at least one dimension (a copy only when
    needed)."""
    del like
    return array(a, dtype, copy=None, order="F", ndmin=1)


del _rawarray


class IndexExpression:
    """NumPy's ``s_`` and ``index_exp``: ``s_[1:3, ::2]`` is the key ``(slice(1, 3), slice(None,
    None, 2))``; ``index_exp`` always gives a tuple, ``s_`` gives a lone key as it is."""

    def __init__(self, maketuple: bool) -> None:
        self.maketuple = maketuple

    def __getitem__(self, item: Any) -> Any:
        if self.maketuple and not isinstance(item, tuple):
            return (item,)
        return item


index_exp = IndexExpression(maketuple=True)
s_ = IndexExpression(maketuple=False)
