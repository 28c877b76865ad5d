"""Floating-point formats of the golden models: encode, decode, convert and cast.

Every operation is the Swift soft-float's (``Golden.FloatFormat``), bit for bit: one rounding
per conversion, subnormals kept, NaN made canonical, overflow to infinity in the IEEE formats (by
the rounding direction) and saturation to the largest finite value in the OCP MX formats, which
have no infinity.
"""

from __future__ import annotations

import ctypes
import functools
from dataclasses import dataclass

import numpy as np

from . import _lib

#: The format names people use, with the golden model's own name of each.
FORMAT_NAMES = {
    "fp32": "fp32", "fp16": "fp16", "bf16": "bf16", "fp64": "fp64",
    "fp8_e4m3": "e4m3", "fp8_e5m2": "e5m2", "fp6_e3m2": "e3m2", "fp6_e2m3": "e2m3", "fp4_e2m1": "e2m1",
}

#: Rounding modes of `encode`, `convert` and `cast`.
ROUNDINGS = ("nearest", "nearest_away", "toward_zero", "up", "down")

_SPECIALS = {0: "ieee", 1: "nan_only_all_ones", 2: "finite_only"}


@dataclass(frozen=True)
class FormatInfo:
    """The fields of a binary floating-point format.

    ``specials`` is ``"ieee"`` (infinities and NaNs), ``"nan_only_all_ones"`` (OCP FP8 E4M3:
    no infinity, one NaN per sign) or ``"finite_only"`` (OCP FP6/FP4: every encoding a number).
    ``dtype`` is the unsigned integer type that holds one encoding.
    """

    name: str
    width: int
    exponent_bits: int
    fraction_bits: int
    specials: str
    bias: int
    dtype: np.dtype


@functools.lru_cache(maxsize=None)
def format_info(fmt: str) -> FormatInfo:
    """The description of format ``fmt`` (a name of `FORMAT_NAMES` or the golden model's name).

    Raises ValueError for an unknown name.
    """
    info = (ctypes.c_int64 * 6)()
    _lib.call("nf_format_info", _lib.text(fmt), ctypes.addressof(info))
    width, e, f, specials, storage, bias = list(info)
    return FormatInfo(fmt, width, e, f, _SPECIALS[specials], bias, _lib.STORAGE_DTYPES[storage])


def _check_rounding(rounding: str) -> str:
    if not isinstance(rounding, str):
        raise TypeError(f"rounding must be a str, got {type(rounding).__name__}")
    if rounding not in ROUNDINGS:
        raise ValueError(f"unknown rounding '{rounding}'; known: {', '.join(ROUNDINGS)}")
    return rounding


def real_array(x, what: str = "x") -> np.ndarray:
    """``x`` as a C-contiguous float64 array; TypeError unless it holds real numbers.

    Floating-point and integer inputs are accepted (float16/32/64 convert exactly; integers
    beyond 2^53 round); booleans, complex numbers, strings and objects are not.
    """
    array = np.asarray(x)
    if array.dtype.kind not in "fiu":
        raise TypeError(f"{what} must hold real numbers (float or integer), got dtype {array.dtype}")
    return np.asarray(array, dtype=np.float64, order="C")


def encoding_array(bits, info: FormatInfo, what: str = "bits") -> np.ndarray:
    """``bits`` as a C-contiguous array of ``info.dtype``; TypeError for another dtype.

    The encodings must already be in the format's storage type (uint8/16/32/64), so that a float
    array is never mistaken for encodings.
    """
    array = np.asarray(bits)
    if array.dtype != info.dtype:
        raise TypeError(f"{what} must be {info.name} encodings of dtype {info.dtype}, got dtype {array.dtype}")
    return np.asarray(array, order="C")


def encode(x, fmt: str, rounding: str = "nearest") -> np.ndarray:
    """The encodings of ``fmt`` nearest the values ``x`` under ``rounding``, same shape.

    ``rounding`` is one of `ROUNDINGS` (``"nearest"`` is to nearest, ties to even). The result's
    dtype is the format's storage type (`FormatInfo.dtype`): uint32 for fp32, uint16 for bf16 and
    fp16, uint8 for the 8-, 6- and 4-bit formats (in the low bits).
    """
    info = format_info(fmt)
    array = np.asarray(x)
    if array.dtype == np.float32 and info.name == "fp32" and rounding == "nearest":
        # float32 values are their own FP32 encodings; only NaN becomes the model's canonical one.
        out = np.array(array, dtype=np.float32, order="C").view(np.uint32)
        out[np.isnan(array)] = _canonical_fp32_nan()
        return out
    values = real_array(array)
    out = np.empty(values.shape, dtype=info.dtype)
    _lib.call("nf_encode", _lib.text(fmt), _lib.text(_check_rounding(rounding)), _lib.pointer(values),
              values.size, _lib.pointer(out), info.dtype.itemsize)
    return out


def decode(bits, fmt: str, dtype=None) -> np.ndarray:
    """The values of the ``fmt`` encodings ``bits`` (an array of the format's storage dtype).

    ``dtype`` defaults to float32 for formats of at most 32 bits (every value is exact in it) and
    float64 for fp64; NaN encodings decode to NaN.
    """
    info = format_info(fmt)
    encodings = encoding_array(bits, info)
    if info.name == "fp32" and _value_dtype(info, dtype) == np.float32:
        return encodings.view(np.float32).copy()  # the same values, NaN encodings included
    out = np.empty(encodings.shape, dtype=np.float64)
    _lib.call("nf_decode", _lib.text(fmt), _lib.pointer(encodings), info.dtype.itemsize, encodings.size,
              _lib.pointer(out))
    return out.astype(_value_dtype(info, dtype), copy=False)


def convert(bits, source: str, target: str, rounding: str = "nearest") -> np.ndarray:
    """Encodings of ``source`` converted to encodings of ``target``, each rounded once."""
    src, dst = format_info(source), format_info(target)
    encodings = encoding_array(bits, src)
    out = np.empty(encodings.shape, dtype=dst.dtype)
    _lib.call("nf_convert", _lib.text(source), _lib.pointer(encodings), src.dtype.itemsize, _lib.text(target),
              _lib.pointer(out), dst.dtype.itemsize, encodings.size, _lib.text(_check_rounding(rounding)))
    return out


def cast(x, fmt: str, rounding: str = "nearest", dtype=None) -> np.ndarray:
    """``x`` rounded to format ``fmt`` and returned as ordinary floats (``decode(encode(x))``).

    The values are rounded once from their exact value (float64 inputs are not rounded through
    float32 first). ``dtype`` as in `decode`: float32 by default, which holds every value of the
    formats up to 32 bits exactly.
    """
    return decode(encode(x, fmt, rounding), fmt, dtype=dtype)


@functools.cache
def _canonical_fp32_nan() -> np.uint32:
    out = np.empty(1, dtype=np.uint32)
    _lib.call("nf_encode", _lib.text("fp32"), _lib.text("nearest"), _lib.pointer(np.array([np.nan])), 1,
              _lib.pointer(out), 4)
    return out[0]


def _value_dtype(info: FormatInfo, dtype) -> np.dtype:
    if dtype is None:
        return np.dtype(np.float32 if info.width <= 32 else np.float64)
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"dtype must be a floating-point type, got {dtype}")
    return dtype
