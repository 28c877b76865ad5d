"""Block floating point: the golden models of NormForge's FP -> BFP and BFP -> FP converters.

A block is k consecutive values along one axis sharing an E8M0 scale (2^(scale - 127); 255 is
NaN). The presets are the golden model's (``Golden.BFPFormat.presets``): the OCP MX formats
(k = 32, shared exponent floor(log2 amax) - emax_elem, ties to even) and ``hbfp8`` (k = 16,
8-bit integers, ceil rule).
"""

from __future__ import annotations

import ctypes
import functools
from dataclasses import dataclass

import numpy as np

from . import _lib
from .formats import decode, encode, encoding_array, format_info

#: The preset names.
PRESETS = ("mxint8", "mxfp8-e4m3", "mxfp8-e5m2", "mxfp6-e3m2", "mxfp6-e2m3", "mxfp4-e2m1", "hbfp8")

#: The rounding modes of `quantize` (None keeps the preset's, nearest-even for every preset).
ROUNDINGS = ("nearest", "nearest_away", "toward_zero", "stochastic")


@dataclass(frozen=True)
class PresetInfo:
    """A BFP preset: block size k, element encoding width and storage dtype, element kind
    (``"int"`` or ``"float"``), the element format's name (``int8``, ``e4m3``, ...) and the
    shared-exponent rule (``"floor"``, OCP MX; ``"ceil"``, HBFP)."""

    name: str
    block_size: int
    element_width: int
    element_dtype: np.dtype
    element_kind: str
    element_format: str
    rule: str


@functools.lru_cache(maxsize=None)
def preset_info(preset: str) -> PresetInfo:
    """The description of ``preset``; ValueError (listing the presets) for an unknown name."""
    info = (ctypes.c_int64 * 6)()
    _lib.call("nf_bfp_info", _lib.text(preset), ctypes.addressof(info))
    name = ctypes.create_string_buffer(64)
    _lib.call("nf_bfp_element_name", _lib.text(preset), name, 64)
    k, width, storage, kind, _, rule = list(info)
    return PresetInfo(preset, k, width, _lib.STORAGE_DTYPES[storage], "int" if kind == 0 else "float",
                      name.value.decode(), "floor" if rule == 0 else "ceil")


@dataclass(frozen=True)
class BFPArray:
    """Quantized values: ``scales`` (uint8 E8M0 fields, shape ``shape[:-1] + (n // k,)`` with the
    blocked axis moved last) and ``elements`` (raw element encodings in the low bits, shape
    ``shape`` with the blocked axis last), for ``preset`` along ``axis`` of the original array."""

    scales: np.ndarray
    elements: np.ndarray
    preset: str
    axis: int

    @property
    def block_size(self) -> int:
        return preset_info(self.preset).block_size


def _moved(x: np.ndarray, axis: int) -> tuple[np.ndarray, int]:
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"axis must be an int, got {type(axis).__name__}")
    if x.ndim == 0:
        raise ValueError("x must have at least one axis")
    if not -x.ndim <= axis < x.ndim:
        raise ValueError(f"axis {axis} is out of range for an array of {x.ndim} axes")
    axis = int(axis) % x.ndim
    return np.ascontiguousarray(np.moveaxis(x, axis, -1)), axis


def quantize_bits(bits, preset: str, *, source: str = "fp32", axis: int = -1, rounding: str | None = None,
                  seed: int = 1, flush_subnormals: bool = False, stochastic_bits: int | None = None) -> BFPArray:
    """Quantizes encodings of ``source`` (fp32, bf16 or fp16; its storage dtype) into BFP blocks
    of ``preset`` along ``axis``, whose length must be a multiple of the block size.

    The blocks are converted in C order of the array with ``axis`` moved last; with
    ``rounding="stochastic"`` the converter's LFSR, started at ``seed`` (nonzero, < 2^32), draws
    ``stochastic_bits`` (default 16) bits per element in that order, so a result depends on the
    whole array, exactly as the circuit's stream does.
    """
    info, src = preset_info(preset), format_info(source)
    x, axis = _moved(encoding_array(bits, src, "x"), axis)
    k = info.block_size
    if x.shape[-1] % k:
        raise ValueError(f"axis {axis} has {x.shape[-1]} values, not a whole number of {k}-value {preset} blocks")
    if rounding is not None and rounding not in ROUNDINGS:
        raise ValueError(f"unknown BFP rounding '{rounding}'; known: {', '.join(ROUNDINGS)}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        raise TypeError(f"seed must be an int, got {type(seed).__name__}")
    if not 1 <= seed < 2**32:
        raise ValueError(f"seed must be in 1...2^32-1 (the LFSR never leaves 0), got {seed}")
    if stochastic_bits is not None and (isinstance(stochastic_bits, bool) or not isinstance(stochastic_bits, int)):
        raise TypeError(f"stochastic_bits must be an int, got {type(stochastic_bits).__name__}")
    if stochastic_bits is not None and not 1 <= stochastic_bits <= 32:
        raise ValueError(f"stochastic rounding draws 1...32 random bits, got {stochastic_bits}")
    scales = np.empty(x.shape[:-1] + (x.shape[-1] // k,), dtype=np.uint8)
    elements = np.empty(x.shape, dtype=info.element_dtype)
    _lib.call("nf_bfp_quantize", _lib.text(preset), _lib.text(rounding), int(bool(flush_subnormals)),
              stochastic_bits or 0, int(seed), _lib.text(source), _lib.pointer(x), src.dtype.itemsize, x.size,
              _lib.pointer(scales), _lib.pointer(elements), info.element_dtype.itemsize)
    return BFPArray(scales, elements, preset, axis)


def quantize(x, preset: str, *, axis: int = -1, source: str = "fp32", rounding: str | None = None, seed: int = 1,
             flush_subnormals: bool = False, stochastic_bits: int | None = None) -> BFPArray:
    """Quantizes real values ``x`` into BFP blocks of ``preset`` along ``axis``.

    The values are first rounded to ``source`` (the converter's FP side, fp32 by default; to
    nearest, ties to even), then converted as `quantize_bits` says.
    """
    return quantize_bits(encode(x, source), preset, source=source, axis=axis, rounding=rounding, seed=seed,
                         flush_subnormals=flush_subnormals, stochastic_bits=stochastic_bits)


def dequantize_bits(q: BFPArray, target: str = "fp32") -> np.ndarray:
    """The blocks of ``q`` as encodings of ``target`` (a format with NaN and infinity), with the
    blocked axis back in its place: each element times its scale, exact where ``target`` holds it,
    else rounded to nearest-even; a NaN scale gives NaN for the whole block."""
    if not isinstance(q, BFPArray):
        raise TypeError(f"q must be a BFPArray (from quantize), got {type(q).__name__}")
    info, dst = preset_info(q.preset), format_info(target)
    k = info.block_size
    elements = np.ascontiguousarray(q.elements)
    scales = np.ascontiguousarray(q.scales)
    if elements.dtype != info.element_dtype or scales.dtype != np.uint8:
        raise TypeError(f"a {q.preset} BFPArray holds uint8 scales and {info.element_dtype} elements")
    if elements.ndim < 1 or scales.shape != elements.shape[:-1] + (elements.shape[-1] // k,) or elements.shape[-1] % k:
        raise ValueError(f"scales {scales.shape} and elements {elements.shape} are not whole {k}-element blocks")
    out = np.empty(elements.shape, dtype=dst.dtype)
    _lib.call("nf_bfp_dequantize", _lib.text(q.preset), scales.size, _lib.pointer(scales), _lib.pointer(elements),
              info.element_dtype.itemsize, _lib.text(target), _lib.pointer(out), dst.dtype.itemsize)
    return np.moveaxis(out, -1, q.axis)


def dequantize(q: BFPArray, target: str = "fp32", dtype=None) -> np.ndarray:
    """The values of ``q`` (see `dequantize_bits`), as floats of ``dtype`` (float32 by default)."""
    return decode(dequantize_bits(q, target), target, dtype=dtype)


def fake_quantize(x, preset: str, *, axis: int = -1, source: str = "fp32", rounding: str | None = None,
                  seed: int = 1, dtype=None) -> np.ndarray:
    """``dequantize(quantize(x, ...), source)``: the values ``x`` take through a BFP round trip."""
    return dequantize(quantize(x, preset, axis=axis, source=source, rounding=rounding, seed=seed), source, dtype=dtype)
