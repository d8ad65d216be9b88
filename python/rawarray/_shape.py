"""Shape manipulation, joining, splitting and repetition, as NumPy 2's functions of the
same names, in pure Python over the ndarray API (indexing, ``transpose``, ``reshape``,
slice assignment and ``as_strided``).

Views are returned where NumPy returns views (``squeeze``, ``expand_dims``, ``swapaxes``,
``moveaxis``, ``flip``, ``broadcast_to``, ``split``), new arrays where NumPy copies.
"""

from __future__ import annotations

import operator
from typing import Any

from ._rawarray import array, asarray, can_cast, dtype, empty, ndarray, promote_types
from ._rawarray import _concatenate_direct, _empty_perm, copyto
from ._rawarray import repeat as _repeat
from .exceptions import AxisError
from .lib.stride_tricks import as_strided

__all__ = [
    "array_split",
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "broadcast_arrays",
    "broadcast_shapes",
    "broadcast_to",
    "column_stack",
    "concatenate",
    "dstack",
    "expand_dims",
    "flip",
    "fliplr",
    "flipud",
    "hstack",
    "moveaxis",
    "repeat",
    "split",
    "squeeze",
    "stack",
    "swapaxes",
    "tile",
    "vstack",
]

# --------------------------------------------------------------------------------------
# helpers


def _normalize_axis_index(axis: Any, ndim: int, msg_prefix: str | None = None) -> int:
    axis = operator.index(axis)
    if not -ndim <= axis < ndim:
        raise AxisError(axis, ndim, msg_prefix)
    return axis % ndim


def _normalize_axis_tuple(axis: Any, ndim: int, argname: str | None = None, allow_duplicate: bool = False) -> tuple[int, ...]:
    if type(axis) not in (tuple, list):
        try:
            axis = [operator.index(axis)]
        except TypeError:
            pass
    out = tuple(_normalize_axis_index(ax, ndim, argname) for ax in axis)
    if not allow_duplicate and len(set(out)) != len(out):
        if argname:
            raise ValueError(f"repeated axis in `{argname}` argument")
        raise ValueError("repeated axis")
    return out


def _shape_str(shape: tuple[int, ...]) -> str:
    """A shape as NumPy writes it in error messages: ``(2,3)``, ``(2,)``, ``()``."""
    if len(shape) == 1:
        return f"({shape[0]},)"
    return "(" + ",".join(str(d) for d in shape) + ")"


def _promote(d1: Any, d2: Any) -> Any:
    """NumPy 2's ``promote_types`` (the core's table); the result is in native byte order."""
    return promote_types(d1, d2)


# NumPy's type numbers (on LP64 platforms), which order its legacy dtype classes: a class
# leaves promotion with a higher-numbered one to that one (float16 comes last)
_TYPE_NUM = {
    "b1": 0, "i1": 1, "u1": 2, "i2": 3, "u2": 4, "i4": 5, "u4": 6, "i8": 7, "u8": 8,
    "f4": 11, "f8": 12, "c8": 14, "c16": 15, "f2": 23,
}  # fmt: skip


def _num(d: Any) -> int:
    return _TYPE_NUM[f"{d.kind}{d.itemsize}"]


def _class_common(cls: Any, other: Any) -> Any:
    """NumPy's ``default_builtin_common_dtype``: ``None`` (NotImplemented) when ``other``
    has the higher type number, else the promotion table's entry."""
    if _num(other) > _num(cls):
        return None
    return _promote(cls, other)


def _reduce_to_most_knowledgeable(dts: list[Any], length: int) -> Any:
    """NumPy's ``reduce_dtypes_to_most_knowledgeable``: moves the most knowledgeable class
    to the front; returns the last pair's common class (``None`` for NotImplemented)."""
    half = length // 2
    res = None
    for low in range(half):
        high = length - 1 - low
        res = dts[low] if dts[high] == dts[low] else _class_common(dts[low], dts[high])
        if res is None or res == dts[high]:
            dts[low], dts[high] = dts[high], dts[low]
    if length == 2:
        return res
    return _reduce_to_most_knowledgeable(dts, length - half)


def _result_dtype(arrays: list[Any]) -> Any:
    """The dtype NumPy's ``concatenate`` gives ``arrays``: ``result_type`` of their dtypes
    (``PyArray_PromoteDTypeSequence``), which is not a left fold of ``promote_types``
    (uint16, int8, float16 give float32; int8, uint8, float16 give float16)."""
    dts = [a if isinstance(a, dtype) else a.dtype for a in arrays]
    if any(d.kind in "SV" for d in dts):
        # Bytes take the longest text of any operand; void only joins void of its size.
        res = dts[0]
        for d in dts:
            res = _promote(res, d)
        return res
    # one class per numeric kind and size; the native dtype stands for it
    classes = [_promote(d, d) for d in dts]
    if len(classes) == 1:
        return classes[0]
    result = _reduce_to_most_knowledgeable(classes, len(classes))
    main = classes[0]
    start = 2
    if result is None:
        start = 1
    prev = None
    for c in classes[start:]:
        if prev is not None and c == prev:
            continue
        promotion = _promote(main, c)
        result = promotion if result is None else _promote(result, promotion)
        prev = c
    return result


def _multi_sorted_stride_perm(arrays: list[Any], ndim: int) -> list[int]:
    """NumPy's ``PyArray_CreateMultiSortedStridePerm``: the axes ordered from the largest
    stride to the smallest over all arrays, C order winning conflicts."""
    perm = list(range(ndim))
    for i0 in range(1, ndim):
        ipos = i0
        ax_j0 = perm[i0]
        for i1 in range(i0 - 1, -1, -1):
            ambig = True
            shouldswap = False
            ax_j1 = perm[i1]
            for a in arrays:
                if a.shape[ax_j0] != 1 and a.shape[ax_j1] != 1:
                    if abs(a.strides[ax_j0]) <= abs(a.strides[ax_j1]):
                        shouldswap = False
                    elif ambig:
                        shouldswap = True
                    ambig = False
            if not ambig:
                if shouldswap:
                    ipos = i1
                else:
                    break
        if ipos != i0:
            perm[ipos + 1 : i0 + 1] = perm[ipos:i0]
            perm[ipos] = ax_j0
    return perm


def _empty_with_perm(shape: tuple[int, ...], dt: Any, perm: list[int]) -> Any:
    """A new array of ``shape`` whose memory order follows ``perm`` (outermost first), not
    zeroed (every element is about to be written)."""
    return _empty_perm(list(shape), dt, list(perm))


def _check_sequence(arrays: Any) -> None:
    if not hasattr(arrays, "__getitem__"):
        raise TypeError('arrays to stack must be passed as a "sequence" type such as list or tuple.')


# --------------------------------------------------------------------------------------
# views


def squeeze(a: Any, axis: Any = None) -> Any:
    """``a`` without its length-one axes (only those in ``axis`` when given): a view."""
    a = asarray(a)
    if axis is None:
        axes = tuple(i for i, d in enumerate(a.shape) if d == 1)
        if not axes:
            return a  # NumPy returns the array itself when there is nothing to squeeze
    else:
        seen: list[int] = []
        for ax in axis if type(axis) in (tuple, list) else [axis]:
            if a.ndim == 0 and type(axis) not in (tuple, list) and operator.index(ax) in (0, -1):
                continue  # NumPy lets axis 0 and -1 through for 0-d arrays
            ax = _normalize_axis_index(ax, a.ndim)
            if ax in seen:
                raise ValueError("duplicate value in 'axis'")
            seen.append(ax)
        axes = tuple(seen)
        if not axes:
            return a
        if any(a.shape[ax] != 1 for ax in axes):
            raise ValueError("cannot select an axis to squeeze out which has size not equal to one")
    key = tuple(0 if i in axes else slice(None) for i in range(a.ndim))
    return a[key + (Ellipsis,)]


def expand_dims(a: Any, axis: Any) -> Any:
    """A view of ``a`` with length-one axes inserted at the positions ``axis`` of the
    result."""
    a = asarray(a)
    if type(axis) not in (tuple, list):
        axis = (axis,)
    out_ndim = len(axis) + a.ndim
    axes = _normalize_axis_tuple(axis, out_ndim)
    key = tuple(None if ax in axes else slice(None) for ax in range(out_ndim))
    return a[key + (Ellipsis,)]


def swapaxes(a: Any, axis1: Any, axis2: Any) -> Any:
    """A view of ``a`` with axes ``axis1`` and ``axis2`` interchanged."""
    a = asarray(a)
    i = _normalize_axis_index(axis1, a.ndim, "axis1")
    j = _normalize_axis_index(axis2, a.ndim, "axis2")
    perm = list(range(a.ndim))
    perm[i], perm[j] = perm[j], perm[i]
    return a.transpose(perm)


def moveaxis(a: Any, source: Any, destination: Any) -> Any:
    """A view of ``a`` with the axes ``source`` moved to the positions ``destination``."""
    a = asarray(a)
    src = _normalize_axis_tuple(source, a.ndim, "source")
    dst = _normalize_axis_tuple(destination, a.ndim, "destination")
    if len(src) != len(dst):
        raise ValueError("`source` and `destination` arguments must have the same number of elements")
    order = [n for n in range(a.ndim) if n not in src]
    for d, s in sorted(zip(dst, src)):
        order.insert(d, s)
    return a.transpose(order)


def flip(m: Any, axis: Any = None) -> Any:
    """A view of ``m`` with the order of elements reversed along ``axis`` (all axes when
    ``None``). Like NumPy, a 0-d input with ``axis=None`` gives a scalar."""
    if not isinstance(m, ndarray):
        m = asarray(m)
    if axis is None:
        indexer = (slice(None, None, -1),) * m.ndim
    else:
        axes = _normalize_axis_tuple(axis, m.ndim)
        key = [slice(None)] * m.ndim
        for ax in axes:
            key[ax] = slice(None, None, -1)
        indexer = tuple(key)
    return m[indexer]


def fliplr(m: Any) -> Any:
    """``m`` reversed along axis 1 (a view); ``m`` must be at least 2-d."""
    m = asarray(m)
    if m.ndim < 2:
        raise ValueError("Input must be >= 2-d.")
    return m[:, ::-1]


def flipud(m: Any) -> Any:
    """``m`` reversed along axis 0 (a view); ``m`` must be at least 1-d."""
    m = asarray(m)
    if m.ndim < 1:
        raise ValueError("Input must be >= 1-d.")
    return m[::-1, ...]


# --------------------------------------------------------------------------------------
# broadcasting


def _broadcast_shape_of(shapes: list[tuple[int, ...]]) -> tuple[int, ...]:
    nd = max((len(s) for s in shapes), default=0)
    out = []
    for i in range(nd):
        dim = 1
        src = 0
        for j, s in enumerate(shapes):
            k = i + len(s) - nd
            if k < 0:
                continue
            t = s[k]
            if t == 1:
                continue
            if dim == 1:
                dim = t
                src = j
            elif dim != t:
                raise ValueError(
                    "shape mismatch: objects cannot be broadcast to a single shape.  Mismatch is "
                    f"between arg {src} with shape {shapes[src]} and arg {j} with shape {s}."
                )
        out.append(dim)
    return tuple(out)


def _as_shape(shape: Any) -> tuple[int, ...]:
    if hasattr(shape, "__iter__"):
        return tuple(operator.index(d) for d in shape)
    return (operator.index(shape),)


def _broadcast_to(a: Any, shape: tuple[int, ...], writeable: bool) -> Any:
    if not shape and a.shape:
        raise ValueError("cannot broadcast a non-scalar to a scalar array")
    if any(d < 0 for d in shape):
        raise ValueError("all elements of broadcast shape must be non-negative")
    extra = len(shape) - a.ndim
    if extra < 0:
        raise ValueError("input operand has more dimensions than allowed by the axis remapping")
    ok = extra >= 0 and all(d == 1 or d == t for d, t in zip(a.shape, shape[extra:]))
    if not ok:
        raise ValueError(
            "operands could not be broadcast together with remapped shapes [original->remapped]: "
            f"{_shape_str(a.shape)}  and requested shape {_shape_str(shape)}"
        )
    strides = [0] * extra + [s if d != 1 else 0 for d, s in zip(a.shape, a.strides)]
    return as_strided(a, shape=shape, strides=tuple(strides), writeable=writeable and a.flags.writeable)


def broadcast_to(array: Any, shape: Any, subok: bool = False) -> Any:
    """A read-only view of ``array`` broadcast to ``shape`` (stride 0 on the broadcast
    axes)."""
    del subok
    return _broadcast_to(asarray(array), _as_shape(shape), writeable=False)


def broadcast_shapes(*args: Any) -> tuple[int, ...]:
    """The shape that arrays of the shapes ``args`` broadcast to."""
    shapes = []
    for s in args:
        shp = _as_shape(s)
        if any(d < 0 for d in shp):
            raise ValueError("negative dimensions are not allowed")
        shapes.append(shp)
    return _broadcast_shape_of(shapes)


def broadcast_arrays(*args: Any, subok: bool = False) -> tuple[Any, ...]:
    """The arrays broadcast against each other: arrays already of the common shape are
    returned as they are, the others as views (writeable when the input is; NumPy warns
    on writing to them, rawarray does not)."""
    del subok
    arrays = [asarray(a) for a in args]
    shape = _broadcast_shape_of([a.shape for a in arrays])
    return tuple(a if a.shape == shape else _broadcast_to(a, shape, writeable=True) for a in arrays)


def atleast_1d(*arys: Any) -> Any:
    """Each input as an array of at least one dimension (a 0-d one becomes shape (1,))."""
    res = []
    for ary in arys:
        ary = asarray(ary)
        res.append(ary.reshape(1) if ary.ndim == 0 else ary)
    return res[0] if len(res) == 1 else tuple(res)


def atleast_2d(*arys: Any) -> Any:
    """Each input as an array of at least two dimensions (1-d of shape (N,) becomes
    (1, N))."""
    res = []
    for ary in arys:
        ary = asarray(ary)
        if ary.ndim == 0:
            ary = ary.reshape(1, 1)
        elif ary.ndim == 1:
            ary = ary[None, :]
        res.append(ary)
    return res[0] if len(res) == 1 else tuple(res)


def atleast_3d(*arys: Any) -> Any:
    """Each input as an array of at least three dimensions ((N,) becomes (1, N, 1),
    (M, N) becomes (M, N, 1))."""
    res = []
    for ary in arys:
        ary = asarray(ary)
        if ary.ndim == 0:
            ary = ary.reshape(1, 1, 1)
        elif ary.ndim == 1:
            ary = ary[None, :, None]
        elif ary.ndim == 2:
            ary = ary[:, :, None]
        res.append(ary)
    return res[0] if len(res) == 1 else tuple(res)


# --------------------------------------------------------------------------------------
# joining


def concatenate(arrays: Any, axis: Any = 0, out: Any = None, *, dtype: Any = None, casting: str = "same_kind") -> Any:
    """The arrays joined along an existing axis (flattened when ``axis`` is None) into a
    new array (or ``out``). The result dtype is NumPy's promotion of the inputs' dtypes
    (numbers and bytes; bytes mixed with numbers give bytes long enough for the numbers'
    text), checked against ``casting`` as NumPy does; its memory order
    follows the inputs' as in NumPy."""
    if out is None and dtype is None and casting == "same_kind":
        res = _concatenate_direct(arrays, axis)
        if res is not None:
            return res
    from ._rawarray import dtype as _dtype

    if out is not None and dtype is not None:
        raise TypeError("concatenate() only takes `out` or `dtype` as an argument, but both were provided.")
    if casting not in ("no", "equiv", "safe", "same_kind", "unsafe"):
        raise ValueError(f"casting must be one of 'no', 'equiv', 'safe', 'same_kind', 'unsafe' (got {casting!r})")
    arrs = [asarray(a) for a in arrays]
    if not arrs:
        raise ValueError("need at least one array to concatenate")
    if axis is None:
        arrs = [a.reshape(-1) for a in arrs]
        ax = 0
    else:
        if arrs[0].ndim == 0:
            raise ValueError("zero-dimensional arrays cannot be concatenated")
        ndim = arrs[0].ndim
        ax = _normalize_axis_index(axis, ndim)
        for i, a in enumerate(arrs[1:], 1):
            if a.ndim != ndim:
                raise ValueError(
                    "all the input arrays must have same number of dimensions, but the array at "
                    f"index 0 has {ndim} dimension(s) and the array at index {i} has {a.ndim} dimension(s)"
                )
            for d in range(ndim):
                if d != ax and a.shape[d] != arrs[0].shape[d]:
                    raise ValueError(
                        "all the input array dimensions except for the concatenation axis must match "
                        f"exactly, but along dimension {d}, the array at index 0 has size "
                        f"{arrs[0].shape[d]} and the array at index {i} has size {a.shape[d]}"
                    )
    first = arrs[0]
    shape = list(first.shape)
    shape[ax] = sum(a.shape[ax] for a in arrs)
    shape_t = tuple(shape)
    if out is not None:
        if not isinstance(out, ndarray):
            raise TypeError("'out' must be an array")
        if out.ndim != len(shape_t):
            raise ValueError("Output array has wrong dimensionality")
        if out.shape != shape_t:
            raise ValueError("Output array is the wrong shape")
        target = out.dtype
    elif dtype is not None:
        target = _dtype(dtype)
    else:
        target = _result_dtype(arrs)
    if casting != "unsafe":
        for a in arrs:
            if not can_cast(a.dtype, target, casting):
                raise TypeError(
                    f"Cannot cast array data from {a.dtype!r} to {target!r} according to the rule '{casting}'"
                )
    if out is None:
        if axis is None:
            res = _empty_perm(list(shape_t), target, [0])
        else:
            res = _empty_with_perm(shape_t, target, _multi_sorted_stride_perm(arrs, len(shape_t)))
    else:
        res = out
    start = 0
    lead = (slice(None),) * ax
    for a in arrs:
        n = a.shape[ax]
        # converted while copied, straight into place
        copyto(res[lead + (slice(start, start + n),)], a, casting="unsafe")
        start += n
    return res


def stack(arrays: Any, axis: Any = 0, out: Any = None, *, dtype: Any = None, casting: str = "same_kind") -> Any:
    """The arrays (all of one shape) joined along a new axis ``axis`` of the result."""
    _check_sequence(arrays)
    arrs = [asarray(a) for a in arrays]
    if not arrs:
        raise ValueError("need at least one array to stack")
    if len({a.shape for a in arrs}) != 1:
        raise ValueError("all input arrays must have the same shape")
    result_ndim = arrs[0].ndim + 1
    ax = _normalize_axis_index(axis, result_ndim)
    sl = (slice(None),) * ax + (None, Ellipsis)
    return concatenate([a[sl] for a in arrs], axis=ax, out=out, dtype=dtype, casting=casting)


def vstack(tup: Any, *, dtype: Any = None, casting: str = "same_kind") -> Any:
    """The arrays (made at least 2-d) joined along the first axis."""
    _check_sequence(tup)
    arrs = atleast_2d(*tup)
    if not isinstance(arrs, tuple):
        arrs = [arrs]
    return concatenate(arrs, 0, dtype=dtype, casting=casting)


def hstack(tup: Any, *, dtype: Any = None, casting: str = "same_kind") -> Any:
    """The arrays (made at least 1-d) joined along the second axis (the first for 1-d)."""
    _check_sequence(tup)
    arrs = atleast_1d(*tup)
    if not isinstance(arrs, tuple):
        arrs = [arrs]
    if arrs and arrs[0].ndim == 1:
        return concatenate(arrs, 0, dtype=dtype, casting=casting)
    return concatenate(arrs, 1, dtype=dtype, casting=casting)


def dstack(tup: Any) -> Any:
    """The arrays (made at least 3-d) joined along the third axis."""
    _check_sequence(tup)
    arrs = atleast_3d(*tup)
    if not isinstance(arrs, tuple):
        arrs = [arrs]
    return concatenate(arrs, 2)


def column_stack(tup: Any) -> Any:
    """1-d arrays as columns (and 2-d arrays as they are) joined along the second axis."""
    _check_sequence(tup)
    arrs = []
    for v in tup:
        arr = asarray(v)
        if arr.ndim < 2:
            arr = array(arr, copy=None, ndmin=2).T
        arrs.append(arr)
    return concatenate(arrs, 1)


# --------------------------------------------------------------------------------------
# splitting


def array_split(ary: Any, indices_or_sections: Any, axis: Any = 0) -> list[Any]:
    """Views of ``ary`` split along ``axis`` into ``indices_or_sections`` parts (the first
    ones one longer when they do not divide evenly) or at the given indices."""
    ary = asarray(ary)
    ntotal = ary.shape[axis]
    try:
        nsections = len(indices_or_sections) + 1
        div_points = [0] + [operator.index(i) for i in indices_or_sections] + [ntotal]
    except TypeError:
        nsections = int(indices_or_sections)
        if nsections <= 0:
            raise ValueError("number sections must be larger than 0.") from None
        each, extras = divmod(ntotal, nsections)
        sizes = [0] + extras * [each + 1] + (nsections - extras) * [each]
        div_points = []
        acc = 0
        for s in sizes:
            acc += s
            div_points.append(acc)
    sary = swapaxes(ary, axis, 0)
    return [swapaxes(sary[div_points[i] : div_points[i + 1]], axis, 0) for i in range(nsections)]


def split(ary: Any, indices_or_sections: Any, axis: Any = 0) -> list[Any]:
    """As ``array_split``, but a number of sections must divide the axis evenly."""
    try:
        len(indices_or_sections)
    except TypeError:
        n = asarray(ary).shape[axis]
        if n % indices_or_sections:
            raise ValueError("array split does not result in an equal division") from None
    return array_split(ary, indices_or_sections, axis)


# --------------------------------------------------------------------------------------
# repetition


def repeat(a: Any, repeats: Any, axis: Any = None) -> Any:
    """A new array with each element of ``a`` (along ``axis``, or of the flattened array
    when ``None``) repeated ``repeats`` times: one count, or one per element (a Rust
    kernel)."""
    return _repeat(a, repeats, axis)


def tile(A: Any, reps: Any) -> Any:
    """A new array of ``A`` repeated ``reps`` times along each axis (``A`` gets leading
    length-one axes when ``reps`` is longer than its ``ndim``)."""
    try:
        tup = tuple(reps)
    except TypeError:
        tup = (reps,)
    d = len(tup)
    if all(x == 1 for x in tup) and isinstance(A, ndarray):
        return array(A, copy=True, ndmin=d)
    c = array(A, copy=None, ndmin=d)
    if d < c.ndim:
        tup = (1,) * (c.ndim - d) + tup
    shape_out = tuple(s * t for s, t in zip(c.shape, tup))
    n = c.size
    if n > 0:
        for dim_in, nrep in zip(c.shape, tup):
            if nrep != 1:
                c = repeat(c.reshape(-1, n), nrep, 0)
            n //= dim_in
    return c.reshape(shape_out)
