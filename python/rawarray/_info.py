"""``finfo`` and ``iinfo``: the machine limits of the float and integer dtypes, with NumPy's
attribute names, types and errors."""

from __future__ import annotations

import math
from typing import Any

from ._rawarray import asarray, dtype, generic


def _dtype_of(x: Any) -> Any:
    """The dtype of a dtype-like, a scalar type or a scalar (as NumPy reads them)."""
    if isinstance(x, generic):
        return x.dtype
    if isinstance(x, (bool, int, float, complex)):
        return asarray(x).dtype
    return dtype(x)


class finfo:
    """Limits of a float dtype (of a complex dtype's parts): ``eps``, ``max``, ``tiny``, ...
    The float-valued attributes are scalars of that dtype, as in NumPy."""

    _cache: dict[Any, finfo] = {}

    bits: int
    dtype: Any
    eps: Any
    epsneg: Any
    iexp: int
    machep: int
    max: Any
    maxexp: int
    min: Any
    minexp: int
    negep: int
    nexp: int
    nmant: int
    precision: int
    resolution: Any
    smallest_normal: Any
    smallest_subnormal: Any
    tiny: Any

    def __new__(cls, dtype: Any) -> finfo:
        dt = _dtype_of(dtype)
        if dt.kind == "c":
            dt = _dtype_of({8: "float32", 16: "float64"}[dt.itemsize])
        if dt.kind != "f":
            raise ValueError(f"data type {dt.type} not inexact")
        key = dt.name
        if key not in cls._cache:
            cls._cache[key] = super().__new__(cls)._fill(dt)
        return cls._cache[key]

    def _fill(self, dt: Any) -> finfo:
        nmant, nexp = {2: (10, 5), 4: (23, 8), 8: (52, 11)}[dt.itemsize]
        f = dt.newbyteorder("=").type
        maxexp = 2 ** (nexp - 1)
        self.dtype = dt.newbyteorder("=")
        self.bits = dt.itemsize * 8
        self.nmant, self.nexp, self.iexp = nmant, nexp, nexp
        self.machep, self.negep = -nmant, -nmant - 1
        self.maxexp, self.minexp = maxexp, 2 - maxexp
        self.eps = f(2.0**-nmant)
        self.epsneg = f(2.0**(-nmant - 1))
        self.max = f((2.0 - 2.0**-nmant) * 2.0 ** (maxexp - 1))
        self.min = -self.max
        self.smallest_normal = f(2.0**self.minexp)
        self.tiny = self.smallest_normal
        self.smallest_subnormal = f(2.0 ** (self.minexp - nmant))
        self.precision = int(-math.log10(2.0**-nmant))
        self.resolution = f(10.0**-self.precision)
        return self

    def __repr__(self) -> str:
        return f"finfo(resolution={self.resolution}, min={self.min}, max={self.max}, dtype={self.dtype})"


class iinfo:
    """Limits of an integer dtype: ``min``, ``max`` (Python ints), ``bits``, ``kind``."""

    def __init__(self, int_type: Any) -> None:
        dt = _dtype_of(int_type)
        if dt.kind not in "iu":
            raise ValueError(f"Invalid integer data type {dt.kind!r}.")
        self.dtype = dt  # NumPy keeps the byte order here (finfo's is native)
        self.kind = dt.kind
        self.bits = dt.itemsize * 8
        if dt.kind == "u":
            self.min, self.max = 0, 2**self.bits - 1
        else:
            self.min, self.max = -(2 ** (self.bits - 1)), 2 ** (self.bits - 1) - 1

    def __repr__(self) -> str:
        return f"iinfo(min={self.min}, max={self.max}, dtype={self.dtype})"


__all__ = ["finfo", "iinfo"]
