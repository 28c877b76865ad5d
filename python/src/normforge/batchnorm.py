"""Range batch normalization (LightNorm) and the conventional baseline: the golden models of
NormForge's batch-norm units, forward and backward.

The units take BFP blocks of ``g`` consecutive channels at one position. Range BN normalizes
each channel by its mean and by the mean over K chunks of (max - min) times
C(n) = 1/sqrt(2 ln(n/K)), with a Newton reciprocal instead of a divider; its backward pass sends
the range's gradient to each chunk's argmax and argmin (docs/bfp.md, "Range BN for training").
The conventional unit uses the biased variance and a Newton reciprocal square root. Every step
is an FP32 (or wider statistics-format) operation of the golden model, bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import _lib
from .bfp import BFPArray, dequantize, preset_info, quantize
from .formats import decode, encode


@dataclass(frozen=True)
class BatchNormConfig:
    """The unit's configuration, kept with a forward result so that `batch_norm_backward` runs the
    same unit: presets, chunks K, eps, Newton steps, the variant, and the layout of ``x``."""

    input: str
    output: str
    chunks: int
    eps: float
    newton_steps: int
    conventional: bool
    channel_axis: int
    shape: tuple


@dataclass(frozen=True)
class BatchNormResult:
    """What a forward pass gives.

    ``y``: the output blocks dequantized to float32, in ``x``'s shape; ``values``: the float32
    results before the output quantization (same shape); ``output``: those blocks and ``input``:
    the input blocks the unit was given (`BFPArray`s over the (positions, channels) layout); per
    channel ``mean`` and ``scale`` (range BN: 1 / (range C(n) + eps); conventional: 1 / sqrt(var +
    eps)), float32; range BN only (None for the conventional unit): ``range`` and ``argmax``/
    ``argmin`` of shape (channels, chunks), each chunk's offset of its maximum/minimum;
    ``gamma``: the FP32 encodings used; ``config``: the unit.
    """

    y: np.ndarray
    values: np.ndarray
    output: BFPArray
    input: BFPArray
    mean: np.ndarray
    scale: np.ndarray
    range: np.ndarray | None
    argmax: np.ndarray | None
    argmin: np.ndarray | None
    gamma: np.ndarray
    config: BatchNormConfig


#: The forward result of `range_batch_norm` (an alias kept for readability).
RangeBatchNormResult = BatchNormResult


@dataclass(frozen=True)
class BatchNormGradients:
    """What a backward pass gives: ``dx`` (dL/dx quantized and dequantized to float32, in ``x``'s
    shape), ``dx_values`` (float32 before that quantization), ``dx_blocks`` (a `BFPArray` of the
    gradient-output preset), and per channel ``dgamma`` and ``dbeta`` (float32)."""

    dx: np.ndarray
    dx_values: np.ndarray
    dx_blocks: BFPArray
    dgamma: np.ndarray
    dbeta: np.ndarray


def _int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    return int(value)


def _seed(value, name: str) -> int:
    value = _int(value, name)
    if not 1 <= value < 2**32:
        raise ValueError(f"{name} must be in 1...2^32-1 (the LFSR never leaves 0), got {value}")
    return value


def _positions_by_channels(x, channel_axis) -> tuple[np.ndarray, int, tuple]:
    """``x`` as a (positions, channels) array: channels moved last, the other axes in C order."""
    values = np.asarray(x)
    if values.ndim < 2:
        raise ValueError("x needs a channel axis and at least one position axis")
    axis = _int(channel_axis, "channel_axis")
    if not -values.ndim <= axis < values.ndim:
        raise ValueError(f"channel_axis {axis} is out of range for an array of {values.ndim} axes")
    axis %= values.ndim
    moved = np.moveaxis(values, axis, -1)
    return moved.reshape(-1, moved.shape[-1]), axis, values.shape


def _stored_blocks(forward: BatchNormResult) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The forward's input blocks and gamma, checked against its configuration (what the ABI reads)."""
    config, q = forward.config, forward.input
    k = preset_info(config.input).block_size
    c = config.shape[config.channel_axis]
    n = int(np.prod(config.shape)) // c
    scales, elements = np.ascontiguousarray(q.scales), np.ascontiguousarray(q.elements)
    gamma = np.ascontiguousarray(forward.gamma)
    if (q.preset != config.input or scales.dtype != np.uint8 or scales.shape != (n, c // k)
            or elements.dtype != preset_info(config.input).element_dtype or elements.shape != (n, c)
            or gamma.dtype != np.uint32 or gamma.shape != (c,)):
        raise ValueError("forward's input blocks or gamma do not match its configuration")
    return scales, elements, gamma


def _back(a: np.ndarray, config: BatchNormConfig) -> np.ndarray:
    """A (positions, channels) array back in the layout of ``x``."""
    moved_shape = tuple(s for i, s in enumerate(config.shape) if i != config.channel_axis) + (config.shape[config.channel_axis],)
    return np.moveaxis(a.reshape(moved_shape), -1, config.channel_axis)


def _forward(x, *, input, output, channel_axis, chunks, eps, newton_steps, gamma, beta, output_rounding, seed,
             input_seed, conventional) -> BatchNormResult:
    flat, axis, shape = _positions_by_channels(x, channel_axis)
    n, c = flat.shape
    chunks, newton_steps = _int(chunks, "chunks"), _int(newton_steps, "newton_steps")
    if chunks < 1:
        raise ValueError(f"chunks must be at least 1, got {chunks}")
    if newton_steps < 1:
        raise ValueError(f"Newton steps must be in 1...16, got {newton_steps}")
    if isinstance(eps, bool) or not isinstance(eps, (int, float, np.floating, np.integer)):
        raise TypeError(f"eps must be a float, got {type(eps).__name__}")
    seed = _seed(seed, "seed")
    params = []
    for name, p, default in (("gamma", gamma, 1.0), ("beta", beta, 0.0)):
        p = np.full(c, default) if p is None else np.asarray(p)
        if p.shape != (c,):
            raise ValueError(f"{name} must have shape ({c},) (the channels), got {p.shape}")
        params.append(encode(p, "fp32"))
    k = preset_info(input).block_size
    if c % k:
        raise ValueError(f"channels ({c}) must be a positive multiple of the block size {k}")
    out_preset = output or input
    out_info = preset_info(out_preset)
    if out_info.block_size != k:
        raise ValueError(f"input, output and gradient blocks must group the same number of channels ({k} vs {out_info.block_size})")
    q = quantize(flat, input, axis=-1, seed=_seed(input_seed, "input_seed"))
    y_bits = np.empty((n, c), dtype=np.uint32)
    out_scales = np.empty((n, c // k), dtype=np.uint8)
    out_elements = np.empty((n, c), dtype=out_info.element_dtype)
    mean, range_, scale = (np.empty(c, dtype=np.uint32) for _ in range(3))
    argmax, argmin = (np.empty((c, chunks), dtype=np.int64) for _ in range(2))
    _lib.call("nf_range_bn_forward", _lib.text(input), _lib.text(out_preset), _lib.text(output_rounding),
              int(conventional), c, n, chunks, float(eps), newton_steps, seed,
              _lib.pointer(q.scales), _lib.pointer(q.elements), q.elements.dtype.itemsize,
              _lib.pointer(params[0]), _lib.pointer(params[1]), _lib.pointer(y_bits),
              _lib.pointer(out_scales), _lib.pointer(out_elements), out_info.element_dtype.itemsize,
              _lib.pointer(mean), None if conventional else _lib.pointer(range_), _lib.pointer(scale),
              None if conventional else _lib.pointer(argmax), None if conventional else _lib.pointer(argmin))
    config = BatchNormConfig(input, out_preset, chunks, float(eps), newton_steps, bool(conventional), axis, shape)
    out = BFPArray(out_scales, out_elements, out_preset, axis=1)
    return BatchNormResult(
        y=_back(dequantize(out), config), values=_back(decode(y_bits, "fp32"), config), output=out, input=q,
        mean=decode(mean, "fp32"), scale=decode(scale, "fp32"),
        range=None if conventional else decode(range_, "fp32"),
        argmax=None if conventional else argmax, argmin=None if conventional else argmin,
        gamma=params[0], config=config)


def range_batch_norm(x, *, input: str = "mxint8", output: str | None = None, channel_axis: int = 1,
                     chunks: int = 8, eps: float = 1e-5, newton_steps: int = 5, gamma=None, beta=None,
                     output_rounding: str | None = None, seed: int = 1, input_seed: int = 1) -> BatchNormResult:
    """The range-BN unit's forward pass over ``x``, channels along ``channel_axis`` (1: NCHW/NC).

    Every other axis is a position (n = x.size / C, in C order: for NCHW, n = N H W). ``x`` is
    first quantized into blocks of the ``input`` preset along the channels (as the unit receives
    it; its LFSR seeded with ``input_seed`` if the preset rounds stochastically); the results are
    quantized into blocks of ``output`` (default: ``input``; rounding ``output_rounding`` or the
    preset's; LFSR ``seed``). ``gamma``/``beta`` (shape (C,), rounded to FP32) default to ones and
    zeros. ``chunks`` K must divide n with at least 2 values a chunk; C must be a multiple of the
    block size. `batch_norm_backward` takes the result for the backward pass.
    """
    return _forward(x, input=input, output=output, channel_axis=channel_axis, chunks=chunks, eps=eps,
                    newton_steps=newton_steps, gamma=gamma, beta=beta, output_rounding=output_rounding, seed=seed,
                    input_seed=input_seed, conventional=False)


def conventional_batch_norm(x, *, input: str = "mxint8", output: str | None = None, channel_axis: int = 1,
                            chunks: int = 8, eps: float = 1e-5, newton_steps: int = 5, gamma=None, beta=None,
                            output_rounding: str | None = None, seed: int = 1,
                            input_seed: int = 1) -> BatchNormResult:
    """The conventional batch-norm unit (the baseline range BN's area is measured against): the
    same parameters as `range_batch_norm`, the biased variance instead of the range (``chunks``
    is only checked, as the unit's configuration carries it)."""
    return _forward(x, input=input, output=output, channel_axis=channel_axis, chunks=chunks, eps=eps,
                    newton_steps=newton_steps, gamma=gamma, beta=beta, output_rounding=output_rounding, seed=seed,
                    input_seed=input_seed, conventional=True)


def batch_norm_backward(forward: BatchNormResult, dy, *, gradient_input: str | None = None,
                        gradient_output: str | None = None, gradient_rounding: str | None = None, seed: int = 1,
                        dy_seed: int = 1) -> BatchNormGradients:
    """The backward pass of the unit that produced ``forward``, for dL/dy ``dy`` (``x``'s shape).

    ``dy`` is quantized into blocks of ``gradient_input`` (default: the input preset; LFSR
    ``dy_seed``), dL/dx into blocks of ``gradient_output`` (default: the input preset; rounding
    ``gradient_rounding`` or the preset's; LFSR ``seed``). Range BN: dL/dx = scale (gamma g -
    mean(gamma g)) plus, at each chunk's argmax and minus at its argmin, the range's share
    -gamma dgamma scale C / K; the conventional unit: the textbook batch-norm gradient.
    """
    if not isinstance(forward, BatchNormResult):
        raise TypeError(f"forward must be the result of range_batch_norm or conventional_batch_norm, got {type(forward).__name__}")
    config = forward.config
    g_flat, _, shape = _positions_by_channels(dy, config.channel_axis)
    if shape != config.shape:
        raise ValueError(f"dy must have the forward input's shape {config.shape}, got {shape}")
    n, c = g_flat.shape
    k = preset_info(config.input).block_size
    gin, gout = gradient_input or config.input, gradient_output or config.input
    for preset in (gin, gout):
        if preset_info(preset).block_size != k:
            raise ValueError(f"input, output and gradient blocks must group the same number of channels ({k} vs {preset_info(preset).block_size})")
    dyq = quantize(g_flat, gin, axis=-1, seed=_seed(dy_seed, "dy_seed"))
    out_info = preset_info(gout)
    dx_bits = np.empty((n, c), dtype=np.uint32)
    dx_scales = np.empty((n, c // k), dtype=np.uint8)
    dx_elements = np.empty((n, c), dtype=out_info.element_dtype)
    dgamma, dbeta = np.empty(c, dtype=np.uint32), np.empty(c, dtype=np.uint32)
    scales, elements, gamma = _stored_blocks(forward)
    _lib.call("nf_range_bn_backward", _lib.text(config.input), _lib.text(gin), _lib.text(gout),
              _lib.text(gradient_rounding), int(config.conventional), c, n, config.chunks, config.eps,
              config.newton_steps, _seed(seed, "seed"), _lib.pointer(scales),
              _lib.pointer(elements), elements.dtype.itemsize,
              _lib.pointer(gamma), _lib.pointer(dyq.scales), _lib.pointer(dyq.elements),
              dyq.elements.dtype.itemsize, _lib.pointer(dx_bits), _lib.pointer(dx_scales), _lib.pointer(dx_elements),
              out_info.element_dtype.itemsize, _lib.pointer(dgamma), _lib.pointer(dbeta))
    blocks = BFPArray(dx_scales, dx_elements, gout, axis=1)
    return BatchNormGradients(dx=_back(dequantize(blocks), config), dx_values=_back(decode(dx_bits, "fp32"), config),
                              dx_blocks=blocks, dgamma=decode(dgamma, "fp32"), dbeta=decode(dbeta, "fp32"))


@dataclass(frozen=True)
class RunningStatistics:
    """Range BN's running statistics per channel (float32): ``mean`` and ``range`` (in place of
    PyTorch's running variance), for tensors of ``positions`` values in ``chunks`` chunks."""

    mean: np.ndarray
    range: np.ndarray
    positions: int
    chunks: int


def running_statistics(channels: int, positions: int, chunks: int = 8) -> RunningStatistics:
    """The reset state, as PyTorch's at a unit normal distribution: mean 0 and the range whose
    scale is 1 (range = 1/C(n))."""
    channels, positions, chunks = _int(channels, "channels"), _int(positions, "positions"), _int(chunks, "chunks")
    if channels < 1 or positions < 1 or chunks < 1:
        raise ValueError(f"channels, positions and chunks must be positive, got {channels}, {positions}, {chunks}")
    mean, range_ = np.empty(channels, dtype=np.uint32), np.empty(channels, dtype=np.uint32)
    _lib.call("nf_range_bn_running_reset", channels, positions, chunks, _lib.pointer(mean), _lib.pointer(range_))
    return RunningStatistics(decode(mean, "fp32"), decode(range_, "fp32"), positions, chunks)


def _stat_bits(running: RunningStatistics, c: int) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(running, RunningStatistics):
        raise TypeError(f"running must be RunningStatistics, got {type(running).__name__}")
    bits = [encode(np.asarray(v), "fp32") for v in (running.mean, running.range)]
    if any(b.shape != (c,) for b in bits):
        raise ValueError(f"the running statistics need {c} channels, got {bits[0].shape} and {bits[1].shape}")
    return bits[0], bits[1]


def update_running_statistics(running: RunningStatistics, forward: BatchNormResult,
                              momentum: float = 0.1) -> RunningStatistics:
    """``running`` after one training tensor (the input of the range-BN ``forward``), in PyTorch's
    momentum convention: (1 - momentum) running + momentum batch, each step one FP32 operation."""
    if not isinstance(forward, BatchNormResult) or forward.config.conventional:
        raise TypeError("forward must be the result of range_batch_norm")
    if isinstance(momentum, bool) or not isinstance(momentum, (int, float, np.floating)):
        raise TypeError(f"momentum must be a float, got {type(momentum).__name__}")
    config = forward.config
    scales, elements, _ = _stored_blocks(forward)
    n, c = elements.shape
    if (running.positions, running.chunks) != (n, config.chunks):
        raise ValueError(f"the running statistics are for {running.positions} positions in {running.chunks} chunks, "
                         f"the tensor has {n} in {config.chunks}")
    mean, range_ = _stat_bits(running, c)
    _lib.call("nf_range_bn_running_update", _lib.text(config.input), c, n, config.chunks, config.eps,
              config.newton_steps, float(momentum), _lib.pointer(scales), _lib.pointer(elements),
              elements.dtype.itemsize, _lib.pointer(mean), _lib.pointer(range_))
    return RunningStatistics(decode(mean, "fp32"), decode(range_, "fp32"), n, config.chunks)


def range_batch_norm_inference(x, running: RunningStatistics, *, input: str = "mxint8", output: str | None = None,
                               channel_axis: int = 1, eps: float = 1e-5, newton_steps: int = 5, gamma=None,
                               beta=None, output_rounding: str | None = None, seed: int = 1,
                               input_seed: int = 1) -> tuple[np.ndarray, np.ndarray, BFPArray]:
    """The inference unit: ``x`` normalized with ``running`` instead of its own statistics.

    ``x`` must have the training tensors' n positions (the unit's C(n) is fixed). Returns
    ``(y, values, output)``: the output blocks dequantized to float32 and the float32 values
    before that quantization, both in ``x``'s shape, and the blocks.
    """
    flat, axis, shape = _positions_by_channels(x, channel_axis)
    n, c = flat.shape
    if not isinstance(running, RunningStatistics):
        raise TypeError(f"running must be RunningStatistics, got {type(running).__name__}")
    if n != running.positions:
        raise ValueError(f"x has {n} positions, the running statistics are for {running.positions}")
    mean, range_ = _stat_bits(running, c)
    newton_steps = _int(newton_steps, "newton_steps")
    if newton_steps < 1:
        raise ValueError(f"Newton steps must be in 1...16, got {newton_steps}")
    if isinstance(eps, bool) or not isinstance(eps, (int, float, np.floating, np.integer)):
        raise TypeError(f"eps must be a float, got {type(eps).__name__}")
    params = []
    for name, p, default in (("gamma", gamma, 1.0), ("beta", beta, 0.0)):
        p = np.full(c, default) if p is None else np.asarray(p)
        if p.shape != (c,):
            raise ValueError(f"{name} must have shape ({c},) (the channels), got {p.shape}")
        params.append(encode(p, "fp32"))
    k = preset_info(input).block_size
    if c % k:
        raise ValueError(f"channels ({c}) must be a positive multiple of the block size {k}")
    out_preset = output or input
    out_info = preset_info(out_preset)
    q = quantize(flat, input, axis=-1, seed=_seed(input_seed, "input_seed"))
    y_bits = np.empty((n, c), dtype=np.uint32)
    out_scales = np.empty((n, c // k), dtype=np.uint8)
    out_elements = np.empty((n, c), dtype=out_info.element_dtype)
    _lib.call("nf_range_bn_inference", _lib.text(input), _lib.text(out_preset), _lib.text(output_rounding), c, n,
              running.chunks, float(eps), newton_steps, _seed(seed, "seed"), _lib.pointer(q.scales),
              _lib.pointer(q.elements), q.elements.dtype.itemsize, _lib.pointer(params[0]), _lib.pointer(params[1]),
              _lib.pointer(mean), _lib.pointer(range_), _lib.pointer(y_bits), _lib.pointer(out_scales),
              _lib.pointer(out_elements), out_info.element_dtype.itemsize)
    config = BatchNormConfig(input, out_preset, running.chunks, float(eps), newton_steps, False, axis, shape)
    out = BFPArray(out_scales, out_elements, out_preset, axis=1)
    return _back(dequantize(out), config), _back(decode(y_bits, "fp32"), config), out
