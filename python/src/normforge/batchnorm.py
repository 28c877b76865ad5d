"""Range batch normalization (LightNorm): the golden model of NormForge's range-BN unit.

The unit takes BFP blocks of ``g`` consecutive channels at one position and normalizes each
channel by its mean and the mean over K chunks of (max - min) times C(n) = 1/sqrt(2 ln(n/K)),
with a Newton reciprocal instead of a divider (docs/bfp.md, "Range BN for training"). Every
step is an FP32 (or wider statistics-format) operation of the golden model, bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _lib
from .bfp import BFPArray, dequantize, preset_info, quantize
from .formats import decode, encode


@dataclass(frozen=True)
class RangeBatchNormResult:
    """What the forward pass gives.

    ``y``: the output blocks dequantized to float32, in ``x``'s shape; ``values``: the float32
    results before the output quantization; ``output``: those blocks (a `BFPArray` of the
    output preset over the (positions, channels) layout); ``input``: the input blocks the unit
    was given; per channel ``mean``, ``range`` and ``scale`` (1 / (range C(n) + eps)), float32;
    ``argmax``/``argmin``: shape (channels, chunks), each chunk's offset of its maximum/minimum.
    """

    y: np.ndarray
    values: np.ndarray
    output: BFPArray
    input: BFPArray
    mean: np.ndarray
    range: np.ndarray
    scale: np.ndarray
    argmax: np.ndarray
    argmin: np.ndarray


def _int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    return int(value)


def range_batch_norm(x, *, input: str = "mxint8", output: str | None = None, channel_axis: int = 1,
                     chunks: int = 8, eps: float = 1e-5, newton_steps: int = 5, gamma=None, beta=None,
                     output_rounding: str | None = None, seed: int = 1, input_seed: int = 1) -> RangeBatchNormResult:
    """The range-BN unit's forward pass over ``x``, channels along ``channel_axis`` (1: NCHW/NC).

    Every other axis is a position (n = x.size / C, in C order: for NCHW, n = N H W). ``x`` is
    first quantized into blocks of the ``input`` preset along the channels (to nearest even; its
    LFSR seeded with ``input_seed`` if the preset rounds stochastically), as the unit receives it;
    the result is quantized into blocks of ``output`` (default: ``input``; rounding
    ``output_rounding`` or the preset's, LFSR ``seed``). ``gamma``/``beta`` (shape (C,), rounded
    to FP32) default to ones and zeros. ``chunks`` K must divide n with at least 2 values a chunk;
    C must be a multiple of the block size.
    """
    values = np.asarray(x)
    if values.ndim < 2:
        raise ValueError("x needs a channel axis and at least one position axis")
    axis = _int(channel_axis, "channel_axis")
    if not -values.ndim <= axis < values.ndim:
        raise ValueError(f"channel_axis {axis} is out of range for an array of {values.ndim} axes")
    moved = np.moveaxis(values, axis, -1)
    c = moved.shape[-1]
    flat = moved.reshape(-1, c)
    n = flat.shape[0]
    chunks, newton_steps = _int(chunks, "chunks"), _int(newton_steps, "newton_steps")
    if chunks < 1:
        raise ValueError(f"chunks must be at least 1, got {chunks}")
    if newton_steps < 1:
        raise ValueError(f"Newton steps must be in 1...16, got {newton_steps}")
    if isinstance(eps, bool) or not isinstance(eps, (int, float, np.floating, np.integer)):
        raise TypeError(f"eps must be a float, got {type(eps).__name__}")
    seed = _int(seed, "seed")
    if not 1 <= seed < 2**32:
        raise ValueError(f"seed must be in 1...2^32-1, got {seed}")
    params = []
    for name, p, default in (("gamma", gamma, 1.0), ("beta", beta, 0.0)):
        p = np.full(c, default) if p is None else np.asarray(p)
        if p.shape != (c,):
            raise ValueError(f"{name} must have shape ({c},) (the channels), got {p.shape}")
        params.append(encode(p, "fp32"))
    if c % preset_info(input).block_size:
        raise ValueError(f"channels ({c}) must be a positive multiple of the block size {preset_info(input).block_size}")
    q = quantize(flat, input, axis=-1, seed=input_seed)
    out_preset = output or input
    out_info = preset_info(out_preset)
    k = preset_info(input).block_size
    if k != out_info.block_size:
        raise ValueError(f"input, output and gradient blocks must group the same number of channels ({k} vs {out_info.block_size})")
    y_bits = np.empty((n, c), dtype=np.uint32)
    out_scales = np.empty((n, c // k), dtype=np.uint8)
    out_elements = np.empty((n, c), dtype=out_info.element_dtype)
    stats = [np.empty(c, dtype=np.uint32) for _ in range(3)]
    argmax, argmin = (np.empty((c, chunks), dtype=np.int64) for _ in range(2))
    _lib.call("nf_range_bn_forward", _lib.text(input), _lib.text(out_preset), _lib.text(output_rounding),
              c, n, chunks, float(eps), newton_steps, seed,
              _lib.pointer(q.scales), _lib.pointer(q.elements), q.elements.dtype.itemsize,
              _lib.pointer(params[0]), _lib.pointer(params[1]), _lib.pointer(y_bits),
              _lib.pointer(out_scales), _lib.pointer(out_elements), out_info.element_dtype.itemsize,
              _lib.pointer(stats[0]), _lib.pointer(stats[1]), _lib.pointer(stats[2]),
              _lib.pointer(argmax), _lib.pointer(argmin))
    out = BFPArray(out_scales, out_elements, out_preset, axis=1)

    def back(a: np.ndarray) -> np.ndarray:
        return np.moveaxis(a.reshape(moved.shape), -1, axis)

    return RangeBatchNormResult(
        y=back(dequantize(out)), values=back(decode(y_bits, "fp32")), output=out, input=q,
        mean=decode(stats[0], "fp32"), range=decode(stats[1], "fp32"), scale=decode(stats[2], "fp32"),
        argmax=argmax, argmin=argmin)
