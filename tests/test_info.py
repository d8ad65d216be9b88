"""finfo and iinfo against NumPy: every attribute, its type, byte orders, the accepted
arguments and the errors."""

from __future__ import annotations

import numpy as np
import pytest

import rawarray as ra

FINFO_ATTRS = ["bits", "eps", "epsneg", "iexp", "machep", "max", "maxexp", "min", "minexp", "negep", "nexp",
               "nmant", "precision", "resolution", "smallest_normal", "smallest_subnormal", "tiny"]


@pytest.mark.parametrize("spec", ["float16", "float32", "float64", ">f8", "<f4", "complex64", "complex128", "e", "d"])
def test_finfo_matches_numpy(spec):
    want, got = np.finfo(spec), ra.finfo(spec)
    assert str(got.dtype) == str(want.dtype)
    for k in FINFO_ATTRS:
        a, b = getattr(want, k), getattr(got, k)
        assert type(b).__name__ == type(a).__name__, k
        assert float(b) == float(a), (k, a, b)


@pytest.mark.parametrize("spec", ["int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", ">i4", "B"])
def test_iinfo_matches_numpy(spec):
    want, got = np.iinfo(spec), ra.iinfo(spec)
    assert (got.min, got.max, got.bits, got.kind) == (want.min, want.max, want.bits, want.kind)
    assert got.dtype.str == want.dtype.str
    assert type(got.min) is int and type(got.max) is int


@pytest.mark.parametrize("arg", [lambda m: 1.0, lambda m: m.float32(1), lambda m: float, lambda m: m.complex64])
def test_finfo_arguments(arg):
    assert str(ra.finfo(arg(ra)).dtype) == str(np.finfo(arg(np)).dtype)


@pytest.mark.parametrize("arg", [lambda m: 3, lambda m: int, lambda m: m.uint8(1)])
def test_iinfo_arguments(arg):
    assert ra.iinfo(arg(ra)).dtype.str == np.iinfo(arg(np)).dtype.str


@pytest.mark.parametrize(
    "call",
    [lambda m: m.finfo(m.int32), lambda m: m.finfo("S3"), lambda m: m.iinfo(m.float32), lambda m: m.iinfo(True),
     lambda m: m.iinfo(m.bool_)],
)
def test_info_errors_match_numpy(call):
    with pytest.raises(ValueError) as want:
        call(np)
    with pytest.raises(ValueError) as got:
        call(ra)
    assert str(got.value) == str(want.value).replace("numpy", "rawarray")
