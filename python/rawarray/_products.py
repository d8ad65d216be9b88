"""Matrix and vector products: ``matmul`` (the ``@`` operator), ``dot``, ``vdot``, ``inner``
and ``outer``, with NumPy 2's shapes, type resolution, casting and messages.

The products themselves run in the core (``rawarray_core::kernels::matmul``, reached through
``_rawarray._matmul``), which takes two stacks of matrices of one dtype; this module applies
NumPy's gufunc rules around it: the signature ``(n?,k),(k,m?)->(n?,m?)`` (a 1-d operand
gains and then loses a unit axis), broadcasting of the stacks, the loop search over the
inputs' common dtype, ``casting=`` checks on inputs and output, and ``out=``."""

from __future__ import annotations

from typing import Any

from ._rawarray import _matmul, _matmul_direct, asarray, can_cast, dtype, multiply, ndarray, promote_types
from ._rawarray import _UFuncInputCastingError, _UFuncNoLoopError, _UFuncOutputCastingError
from ._errstate import errstate
from ._shape import broadcast_shapes, moveaxis

__all__ = ["dot", "inner", "matmul", "outer", "vdot"]

_SIGNATURE = "(n?,k),(k,m?)->(n?,m?)"
_CASTINGS = ("no", "equiv", "safe", "same_kind", "unsafe")
_ORDERS = ("K", "A", "C", "F", None)


def _no_loop(a: Any, b: Any) -> Exception:
    e = _UFuncNoLoopError(
        f"ufunc 'matmul' did not contain a loop with signature matching types ({a!r}, {b!r}) -> None"
    )
    e.ufunc, e.dtypes = matmul, (a, b)
    return e


def _cast_error(cls: type, where: str, from_: Any, to: Any, casting: str, i: int | None) -> Exception:
    e = cls(f"Cannot cast ufunc 'matmul' {where} from {from_!r} to {to!r} with casting rule '{casting}'")
    e.ufunc, e.casting, e.from_, e.to = matmul, casting, from_, to
    if i is not None:
        e.in_i = i
    else:
        e.out_i = 0
    return e


def _loop_dtype(a: Any, b: Any, requested: Any) -> Any:
    """The dtype of the loop NumPy's search picks: the inputs' common dtype (every numeric
    dtype and bool has a loop), or the one ``dtype=`` names."""
    if requested is not None:
        d = dtype(requested)
        if d.kind not in "biufc":
            raise _no_loop(a, b)
        return d.newbyteorder("=")
    if a.kind not in "biufc" or b.kind not in "biufc":
        raise _no_loop(a, b)
    return promote_types(a, b)


def _core_mismatch(operand: str, dim: int, size: int, want: int) -> ValueError:
    return ValueError(
        f"matmul: {operand} has a mismatch in its core dimension {dim}, with gufunc signature "
        f"{_SIGNATURE} (size {size} is different from {want})"
    )


def _signature_dtype(signature: Any) -> Any:
    """The loop dtype ``signature=`` names (``"dd->d"`` or a tuple of three dtypes, all one
    dtype as matmul's loops are), or None when it names none."""
    if isinstance(signature, str):
        ins, arrow, outs = signature.replace(" ", "").partition("->")
        if not arrow or len(ins) != 2 or len(outs) != 1:
            raise ValueError("a type-string for matmul, 2 typecode(s) before and 1 after the -> sign")
        signature = (ins[0], ins[1], outs)
    if not isinstance(signature, tuple) or len(signature) != 3:
        raise ValueError("The signature tuple must have exactly 3 entries, one per operand of matmul")
    named = {dtype(d).newbyteorder("=") for d in signature if d is not None}
    if len(named) > 1:
        raise TypeError("No loop matching the specified signature and casting was found for ufunc matmul")
    return named.pop() if named else None


def _check_out(out: Any, shape: tuple[int, ...], a1: bool, b1: bool) -> None:
    """NumPy's checks of ``out``'s shape against the result's: core dimensions exactly,
    stack dimensions by broadcasting (a longer ``out`` stack repeats the product)."""
    core = (0 if a1 else 1) + (0 if b1 else 1)
    res_stack, res_core = shape[: len(shape) - core], shape[len(shape) - core :]
    if out.ndim < core:
        raise ValueError(
            f"matmul: Output operand 0 does not have enough dimensions (has {out.ndim}, gufunc core "
            f"with signature {_SIGNATURE} requires {core})"
        )
    out_core = out.shape[out.ndim - core :]
    names = ([] if a1 else [0]) + ([] if b1 else [1])
    for dim, size, want in zip(names, out_core, res_core):
        if size != want:
            raise _core_mismatch("Output operand 0", dim, size, want)
    out_stack = out.shape[: out.ndim - core]
    try:
        ok = broadcast_shapes(res_stack, out_stack) == out_stack
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(
            f"non-broadcastable output operand with shape {out.shape} doesn't match the broadcast "
            f"shape {res_stack + out.shape[out.ndim - core :]}"
        )


def _matmul_call(
    x1: Any,
    x2: Any,
    /,
    out: Any = None,
    *,
    casting: str = "same_kind",
    order: str | None = "K",
    dtype: Any = None,
    subok: bool = True,
    signature: Any = None,
    axes: Any = None,
    axis: Any = None,
) -> Any:
    """Matrix product of two arrays (NumPy's ``matmul`` gufunc, the ``@`` operator)."""
    if (out is None and dtype is None and signature is None and casting == "same_kind" and axes is None
            and axis is None and order in _ORDERS):  # fmt: skip
        direct = _matmul_direct(x1, x2)
        if direct is not None:
            return direct
    if casting not in _CASTINGS:
        raise ValueError(f"casting must be one of 'no', 'equiv', 'safe', 'same_kind', 'unsafe' (got {casting!r})")
    if order not in _ORDERS:
        raise ValueError(f"order must be one of 'C', 'F', 'A', or 'K' (got {order!r})")
    if axes is not None or axis is not None:
        raise NotImplementedError("rawarray's matmul does not support axes= or axis=")
    if signature is not None:
        if dtype is not None:
            raise TypeError("cannot specify both 'signature' and 'dtype'")
        dtype = _signature_dtype(signature)
    if isinstance(out, tuple):
        if len(out) != 1:
            raise ValueError("The 'out' tuple must have exactly one entry per ufunc output")
        out = out[0]
    if out is not None and not isinstance(out, ndarray):
        raise TypeError("return arrays must be of ArrayType")
    return _product(x1, x2, out, dtype, casting, "matmul")


def _product(x1: Any, x2: Any, out: Any, dtype: Any, casting: str, name: str | None) -> Any:
    """matmul's gufunc rules and product; floating-point exceptions are reported as
    "... encountered in {name}" (NumPy's dot and inner say "dot"), or not at all for
    ``None`` (vdot)."""
    a, b = asarray(x1), asarray(x2)
    for i, x in enumerate((a, b)):
        if x.ndim == 0:
            raise ValueError(
                f"matmul: Input operand {i} does not have enough dimensions (has 0, gufunc core with "
                f"signature {_SIGNATURE} requires 1)"
            )
    loop = _loop_dtype(a.dtype, b.dtype, dtype)
    for i, x in enumerate((a, b)):
        if not can_cast(x.dtype, loop, casting):
            raise _cast_error(_UFuncInputCastingError, f"input {i}", x.dtype, loop, casting, i)
    if out is not None and not can_cast(loop, out.dtype, casting):
        raise _cast_error(_UFuncOutputCastingError, "output", loop, out.dtype, casting, None)
    a1, b1 = a.ndim == 1, b.ndim == 1
    am = a[None, :] if a1 else a
    bm = b[:, None] if b1 else b
    if am.shape[-1] != bm.shape[-2]:
        raise _core_mismatch("Input operand 1", 0, bm.shape[-2], am.shape[-1])
    try:
        stack = broadcast_shapes(am.shape[:-2], bm.shape[:-2])
    except ValueError:
        remapped = " ".join(
            f"{_shape_str(x.shape)}->{_shape_str(x.shape[:-2] + ('newaxis',) * (1 if x.ndim == 1 else 2))}"
            for x in (a, b)
        )
        requested = tuple(d for d, keep in ((am.shape[-2], not a1), (bm.shape[-1], not b1)) if keep)
        raise ValueError(
            "operands could not be broadcast together with remapped shapes [original->remapped]: "
            f"{remapped}  and requested shape {_shape_str(requested)}"
        ) from None
    shape = stack + ((am.shape[-2],) if not a1 else ()) + ((bm.shape[-1],) if not b1 else ())
    if out is not None:
        _check_out(out, shape, a1, b1)
    result = _matmul(_as(am, loop), _as(bm, loop), loop, name)
    if a1 or b1:
        result = result.reshape(shape)
    if out is not None:
        out[...] = result if result.dtype == out.dtype else result.astype(out.dtype)
        return out
    return result[()] if result.ndim == 0 else result


class _MatmulUfunc:
    """``rawarray.matmul``: a callable with the attributes of NumPy's ``matmul`` gufunc
    (``nin``, ``types``, ``signature``, ...; its ``repr`` is NumPy's)."""

    __name__ = __qualname__ = "matmul"
    nin, nout, nargs = 2, 1, 3
    identity = None
    signature = _SIGNATURE
    types = [c + c + "->" + c for c in "?bBhHiIlLqQefdFD"]
    ntypes = len(types)
    __call__ = staticmethod(_matmul_call)
    __doc__ = _matmul_call.__doc__

    def __init__(self) -> None:
        # An instance's own: the class attribute names the class, not what it makes.
        self.__qualname__ = "matmul"

    def __repr__(self) -> str:
        return "<ufunc 'matmul'>"

    def _no_method(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("Reduction not defined on ufunc with signature")

    reduce = accumulate = reduceat = _no_method

    def outer(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("method outer is not allowed in ufunc with non-trivial signature")

    def at(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(f"matmul.at does not support ufunc with non-trivial signature: matmul has signature {_SIGNATURE}.")


matmul = _MatmulUfunc()


def _shape_str(shape: tuple[Any, ...]) -> str:
    return "(" + ",".join(str(d) for d in shape) + ")"


def _as(x: Any, loop: Any) -> Any:
    """``x`` in the loop's dtype (any byte order is read as it is)."""
    return x if x.dtype.newbyteorder("=") == loop else x.astype(loop)


def _aligned_error(sa: tuple[int, ...], sb: tuple[int, ...], ia: int, ib: int) -> ValueError:
    return ValueError(
        f"shapes {_shape_str(sa)} and {_shape_str(sb)} not aligned: {sa[ia]} (dim {ia}) != {sb[ib]} (dim {ib})"
    )


def _into(out: Any, result: Any) -> Any:
    """``dot``'s ``out``: exactly the result's dtype and shape, and C-contiguous."""
    if out is None:
        return result[()] if isinstance(result, ndarray) and result.ndim == 0 else result
    r = asarray(result)
    if (not isinstance(out, ndarray) or out.dtype != r.dtype or out.shape != r.shape
            or not out.flags.c_contiguous):  # fmt: skip
        raise ValueError(
            "output array is not acceptable (must have the right datatype, number of dimensions, "
            "and be a C-Array)"
        )
    out[...] = r
    return out


def dot(a: Any, b: Any, out: Any = None) -> Any:
    """Dot product: ``matmul`` for 1-d and 2-d operands; for N-d ones the sum over ``a``'s
    last axis and ``b``'s second-to-last (shape ``a.shape[:-1] + b.shape[:-2] +
    b.shape[-1:]``); ``multiply`` when either is 0-d."""
    a, b = asarray(a), asarray(b)
    if a.ndim == 0 or b.ndim == 0:
        return _into(out, multiply(a, b))
    kb = 0 if b.ndim == 1 else b.ndim - 2
    if a.shape[-1] != b.shape[kb]:
        raise _aligned_error(a.shape, b.shape, a.ndim - 1, kb)
    if b.ndim <= 2 and a.ndim <= 2:
        return _into(out, _vector_signs(a, b, _product(a, b, None, None, "same_kind", "dot")))
    k = a.shape[-1]
    shape = a.shape[:-1] + b.shape[:kb] + b.shape[kb + 1 :]
    b2 = moveaxis(b, kb, 0).reshape(k, -1)
    return _into(out, _product(a.reshape(-1, k), b2, None, None, "same_kind", "dot").reshape(shape))


def _vector_signs(a: Any, b: Any, result: Any) -> Any:
    """NumPy's dot of two one-element vectors of a BLAS type (float32/64, complex64/128) is
    BLAS's, which returns the product itself, so a product of -0.0 stays -0.0 where a sum
    from zero gives 0.0. Such a result is its operands' product."""
    if a.ndim == 1 and b.ndim == 1 and a.shape[0] == 1 and result.dtype.char in "fdFD":
        with errstate(all="ignore"):
            return multiply(a[0].astype(result.dtype), b[0].astype(result.dtype))[()]
    return result


def inner(a: Any, b: Any, /) -> Any:
    """Inner product over the last axes: shape ``a.shape[:-1] + b.shape[:-1]``;
    ``multiply`` when either is 0-d."""
    a, b = asarray(a), asarray(b)
    if a.ndim == 0 or b.ndim == 0:
        return _into(None, multiply(a, b))
    if a.shape[-1] != b.shape[-1]:
        # NumPy's message shows `b` with its first and last axes swapped.
        swapped = b.shape[-1:] + b.shape[1:-1] + b.shape[:1] if b.ndim > 1 else b.shape
        raise _aligned_error(a.shape, swapped, a.ndim - 1, 0)
    k = a.shape[-1]
    r = _product(a.reshape(-1, k), b.reshape(-1, k).T, None, None, "same_kind", "dot")
    return _into(None, _vector_signs(a, b, r.reshape(a.shape[:-1] + b.shape[:-1])))


def vdot(a: Any, b: Any, /) -> Any:
    """Dot product of the flattened arrays, conjugating ``a`` first when complex."""
    a, b = asarray(a).reshape(-1), asarray(b)
    b = b.reshape(a.size)
    if a.dtype.kind == "c":
        a = a.conj()
    # NumPy's vdot reports no floating-point exceptions.
    return _product(a, b, None, None, "same_kind", None)


def outer(a: Any, b: Any, out: Any = None) -> Any:
    """``out[i, j] = a.ravel()[i] * b.ravel()[j]``."""
    a, b = asarray(a).reshape(-1), asarray(b).reshape(-1)
    return multiply(a[:, None], b[None, :], out=out)


def imatmul(a: Any, b: Any) -> Any:
    """``a @= b``: the product written into ``a`` (NumPy's in-place matmul)."""
    return matmul(a, b, out=a)
