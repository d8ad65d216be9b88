"""rawarray: a Pythonic toolkit over raw memory, written in Rust.

The API follows NumPy's names and semantics, so ``import rawarray as np`` runs NumPy code
of this kind unchanged. NumPy is never imported at run time.
"""

from . import _rawarray
from ._rawarray import (
    TooHardError,
    arange,
    array,
    asarray,
    dtype,
    empty,
    empty_like,
    frombuffer,
    full,
    full_like,
    may_share_memory,
    ndarray,
    ones,
    ones_like,
    shares_memory,
    zeros,
    zeros_like,
)

# Typed scalar classes (float64, uint8, ...) and abstract bases (generic, integer, ...)
# are defined by the extension; export every public name it has.
globals().update({k: getattr(_rawarray, k) for k in dir(_rawarray) if not k.startswith("_")})

from . import ctypeslib, exceptions, lib  # noqa: E402
from ._shape import (  # noqa: E402
    array_split,
    atleast_1d,
    atleast_2d,
    atleast_3d,
    broadcast_arrays,
    broadcast_shapes,
    broadcast_to,
    column_stack,
    concatenate,
    dstack,
    expand_dims,
    flip,
    fliplr,
    flipud,
    hstack,
    moveaxis,
    repeat,
    split,
    squeeze,
    stack,
    swapaxes,
    tile,
    vstack,
)
from ._errstate import errstate, getbufsize, setbufsize  # noqa: E402
from ._index import (  # noqa: E402
    IndexExpression,
    index_exp,
    s_,
    argwhere,
    ascontiguousarray,
    asfortranarray,
    compress,
    extract,
    flatnonzero,
    place,
    putmask,
    result_type,
    roll,
    where,
)
from ._info import finfo, iinfo  # noqa: E402
from ._numeric import allclose, count_nonzero, isclose  # noqa: E402
from ._products import dot, inner, matmul, outer, vdot  # noqa: E402
from ._promote import astype, common_type, min_scalar_type  # noqa: E402
from ._type_check import iscomplex, iscomplexobj, isreal, isrealobj, isscalar, nan_to_num  # noqa: E402
from ._ufuncs import angle, around, clip, fix, imag, isneginf, isposinf, real, round  # noqa: E402
from .exceptions import AxisError  # noqa: E402

newaxis = None

# NumPy's constants.
e = 2.718281828459045
euler_gamma = 0.5772156649015329
inf = float("inf")
nan = float("nan")
pi = 3.141592653589793

__version__ = "0.1.0"

__all__ = [k for k in globals() if not k.startswith("_") and k not in ("annotations",)]
