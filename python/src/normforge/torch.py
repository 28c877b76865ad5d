"""PyTorch modules whose forward pass is the exact arithmetic of NormForge's circuits.

- `LayerNorm` and `RMSNorm`: drop-ins for ``nn.LayerNorm`` and ``nn.RMSNorm`` whose forward pass
  is the IterNorm macro's golden model (`normforge.iternorm`), bit for bit. Their backward pass
  is *not* the macro's (the macro has none): it is the gradient of the exact LayerNorm/RMSNorm,
  evaluated in float64 at the same input and parameters and returned in the input's dtype (a
  straight-through estimate of the macro's gradient, exact up to the macro's forward error).
- `RangeBatchNorm2d`: LightNorm's range batch norm, a drop-in for ``nn.BatchNorm2d`` whose
  forward and backward passes are the training unit's golden models (`range_batch_norm`,
  `batch_norm_backward`), with the BFP quantization of its input, output and gradients; running
  statistics (mean and range) in PyTorch's momentum convention through the unit's own update,
  and ``eval()`` through the inference unit (`range_batch_norm_inference`).
- `replace_modules(model, spec)`: swaps the matching layers of an existing model for these.

Tensors go through numpy on the CPU; the modules run on CPU tensors only. PyTorch here is
Debian's ``python3-torch`` 1.13 (CPU), which `make setup` installs.
"""

from __future__ import annotations

import math
import os
from typing import Callable

import numpy as np
import torch
from torch import nn

from .batchnorm import (RunningStatistics, batch_norm_backward, range_batch_norm, range_batch_norm_inference,
                        running_statistics, update_running_statistics)
from .iternorm import iternorm

__all__ = ["LayerNorm", "RMSNorm", "RangeBatchNorm2d", "replace_modules"]


def _numpy(t: torch.Tensor | None) -> np.ndarray | None:
    if t is None:
        return None
    if t.device.type != "cpu":
        raise ValueError(f"normforge.torch runs on CPU tensors, got one on {t.device}")
    return t.detach().numpy()


def _default_lanes(d: int) -> int:
    """The largest power of two up to 64 (the default macro's lanes) that divides d."""
    return math.gcd(d, 64) if d > 0 else 64


class _IterNormFunction(torch.autograd.Function):
    """Forward: the macro's golden model. Backward: the exact norm's gradient in float64."""

    @staticmethod
    def forward(ctx, x, weight, bias, module):
        shape = x.shape
        d = module._d
        rows = _numpy(x).reshape(-1, d)  # rounded once into the format by iternorm
        gamma = None if weight is None else _numpy(weight).reshape(d)
        beta = None if bias is None else _numpy(bias).reshape(d)
        y = iternorm(rows, format=module.format, mode=module._mode, accumulate=module.accumulate,
                     lanes=module.lanes or _default_lanes(d), d_max=module.d_max, iterations=module.iterations,
                     eta_shift=module.eta_shift, form=module.form, gamma=gamma, beta=beta, eps=module._eps(),
                     threads=module.threads or os.cpu_count() or 1, fisr_steps=module.fisr_steps)
        ctx.module = module
        ctx.save_for_backward(x, weight, bias)
        return torch.from_numpy(y.reshape(shape)).to(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        x, weight, bias = ctx.saved_tensors
        module = ctx.module
        with torch.enable_grad():
            inputs = [t.detach().double().requires_grad_(t.requires_grad) if t is not None else None
                      for t in (x, weight, bias)]
            y = module._reference(*inputs)
            wanted = [t for t in inputs if t is not None and t.requires_grad]
            grads = iter(torch.autograd.grad(y, wanted, grad.double()) if wanted else ())
        out = []
        for original, t in zip((x, weight, bias), inputs):
            out.append(next(grads).to(original.dtype) if t is not None and t.requires_grad else None)
        return out[0], out[1], out[2], None


class _IterNormModule(nn.Module):
    _mode = "layernorm"

    def __init__(self, normalized_shape, eps, elementwise_affine, bias, device, dtype, *, format, accumulate, lanes,
                 d_max, iterations, eta_shift, form, threads, fisr_steps):
        super().__init__()
        if isinstance(normalized_shape, int):
            normalized_shape = (normalized_shape,)
        self.normalized_shape = tuple(int(s) for s in normalized_shape)
        if not self.normalized_shape or any(s < 1 for s in self.normalized_shape):
            raise ValueError(f"normalized_shape must be positive sizes, got {normalized_shape}")
        self._d = math.prod(self.normalized_shape)
        self.eps = eps
        self.elementwise_affine = bool(elementwise_affine)
        self.format, self.accumulate, self.lanes, self.d_max = format, accumulate, lanes, d_max
        self.iterations, self.eta_shift, self.form, self.threads = iterations, eta_shift, form, threads
        self.fisr_steps = fisr_steps
        factory = {"device": device, "dtype": dtype}
        affine = self.elementwise_affine
        self.weight = nn.Parameter(torch.ones(self.normalized_shape, **factory)) if affine else None
        self.bias = nn.Parameter(torch.zeros(self.normalized_shape, **factory)) if affine and bias else None

    def _eps(self) -> float:
        return float(self.eps)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        n = len(self.normalized_shape)
        if tuple(x.shape[-n:]) != self.normalized_shape:
            raise ValueError(f"expected input with trailing shape {self.normalized_shape}, got {tuple(x.shape)}")
        return _IterNormFunction.apply(x, self.weight, self.bias, self)

    def extra_repr(self) -> str:
        return (f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}, "
                f"format={self.format!r}, accumulate={self.accumulate!r}, lanes={self.lanes or _default_lanes(self._d)}")


class LayerNorm(_IterNormModule):
    """``nn.LayerNorm`` with the IterNorm macro's forward arithmetic (`normforge.iternorm`).

    ``normalized_shape``, ``eps``, ``elementwise_affine`` and ``bias`` as in ``nn.LayerNorm``
    (the trailing dimensions are flattened into the macro's vector of length d); the macro's
    parameters as in `normforge.iternorm`: ``format`` (``"fp32"``, ``"bf16"``, ``"fp16"``: the
    input, gamma and beta are rounded to it, the output is its values), ``accumulate`` (None,
    ``"same"``, ``"wide"``), ``lanes`` (default: the largest power of two up to 64 dividing d),
    ``d_max``, ``iterations`` K, ``eta_shift``, ``form``, ``fisr_steps`` (the FISR baseline in
    place of the iterations); ``threads`` (default: every core; the results do not depend on it). The backward pass is the exact LayerNorm's gradient in float64.
    """

    _mode = "layernorm"

    def __init__(self, normalized_shape, eps: float = 1e-5, elementwise_affine: bool = True, bias: bool = True,
                 device=None, dtype=None, *, format: str = "fp32", accumulate: str | None = None,
                 lanes: int | None = None, d_max: int | None = None, iterations: int = 5, eta_shift: int = 1,
                 form: str = "scalar", threads: int | None = None, fisr_steps: int | None = None):
        super().__init__(normalized_shape, eps, elementwise_affine, bias, device, dtype, format=format,
                         accumulate=accumulate, lanes=lanes, d_max=d_max, iterations=iterations, eta_shift=eta_shift,
                         form=form, threads=threads, fisr_steps=fisr_steps)

    def _reference(self, x, weight, bias):
        return nn.functional.layer_norm(x, self.normalized_shape, weight, bias, self._eps())


class RMSNorm(_IterNormModule):
    """``nn.RMSNorm`` (PyTorch 2.4's signature) with the IterNorm macro's RMSNorm arithmetic.

    ``eps`` None means float32's machine epsilon, as in PyTorch; there is no bias. The other
    parameters and the backward pass as in `LayerNorm`.
    """

    _mode = "rmsnorm"

    def __init__(self, normalized_shape, eps: float | None = None, elementwise_affine: bool = True, device=None,
                 dtype=None, *, format: str = "fp32", accumulate: str | None = None, lanes: int | None = None,
                 d_max: int | None = None, iterations: int = 5, eta_shift: int = 1, form: str = "scalar",
                 threads: int | None = None, fisr_steps: int | None = None):
        super().__init__(normalized_shape, eps, elementwise_affine, False, device, dtype, format=format,
                         accumulate=accumulate, lanes=lanes, d_max=d_max, iterations=iterations, eta_shift=eta_shift,
                         form=form, threads=threads, fisr_steps=fisr_steps)

    def _eps(self) -> float:
        return float(torch.finfo(torch.float32).eps if self.eps is None else self.eps)

    def _reference(self, x, weight, bias):
        dims = tuple(range(-len(self.normalized_shape), 0))
        y = x * torch.rsqrt(x.pow(2).mean(dim=dims, keepdim=True) + self._eps())
        return y if weight is None else y * weight


class _RangeBatchNormFunction(torch.autograd.Function):
    """Forward and backward: the range-BN training unit's golden models."""

    @staticmethod
    def forward(ctx, x, weight, bias, module):
        result = range_batch_norm(_numpy(x), input=module.input, output=module.output, channel_axis=1,
                                  chunks=module.chunks, eps=module.eps, newton_steps=module.newton_steps,
                                  gamma=_numpy(weight), beta=_numpy(bias), seed=module._seed(),
                                  input_seed=module._seed())
        ctx.result, ctx.module, ctx.dtypes = result, module, (x.dtype, None if weight is None else weight.dtype)
        module._last_forward = result
        return torch.from_numpy(result.y).to(x.dtype)

    @staticmethod
    def backward(ctx, grad):
        module, (x_dtype, w_dtype) = ctx.module, ctx.dtypes
        g = batch_norm_backward(ctx.result, _numpy(grad).astype(np.float32, copy=False),
                                gradient_input=module.gradient, gradient_output=module.gradient,
                                seed=module._seed(), dy_seed=module._seed())
        dgamma = None if w_dtype is None else torch.from_numpy(g.dgamma).to(w_dtype)
        dbeta = None if w_dtype is None else torch.from_numpy(g.dbeta).to(w_dtype)
        return torch.from_numpy(g.dx).to(x_dtype), dgamma, dbeta, None


class RangeBatchNorm2d(nn.Module):
    """``nn.BatchNorm2d`` as LightNorm's range batch-norm unit, bit for bit (NCHW input).

    ``num_features`` C (a multiple of the presets' block size: 32 for MX, 16 for HBFP),
    ``eps``, ``momentum``, ``affine`` and ``track_running_stats`` as in ``nn.BatchNorm2d``. The
    unit's parameters: ``input`` (the BFP preset of x and, by default, of the output and the
    gradients), ``output``, ``gradient`` (dL/dy and dL/dx), ``chunks`` K (must divide
    n = N H W), ``newton_steps``. Training: the forward unit normalizes by the batch's mean and
    range, the backward unit gives dL/dx, dgamma and dbeta, and the running mean and range move by
    ``momentum`` through the unit's update (buffers ``running_mean``, ``running_range``; the
    range replaces ``running_var``). ``eval()``: the inference unit with the running statistics;
    its C(n) is fixed by the training tensors' n, and any batch is run through it in pieces of n
    positions (exact: positions are independent once the statistics are fixed). Stochastic
    rounding draws a new LFSR seed each call.
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1, affine: bool = True,
                 track_running_stats: bool = True, device=None, dtype=None, *, input: str = "mxint8",
                 output: str | None = None, gradient: str | None = None, chunks: int = 8, newton_steps: int = 5):
        super().__init__()
        self.num_features, self.eps, self.momentum = int(num_features), float(eps), momentum
        self.affine, self.track_running_stats = bool(affine), bool(track_running_stats)
        self.input, self.output, self.gradient = input, output, gradient
        self.chunks, self.newton_steps = int(chunks), int(newton_steps)
        factory = {"device": device, "dtype": dtype}
        if self.affine:
            self.weight = nn.Parameter(torch.ones(self.num_features, **factory))
            self.bias = nn.Parameter(torch.zeros(self.num_features, **factory))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)
        if self.track_running_stats:
            self.register_buffer("running_mean", torch.zeros(self.num_features, dtype=torch.float32))
            self.register_buffer("running_range", torch.ones(self.num_features, dtype=torch.float32))
            self.register_buffer("num_batches_tracked", torch.tensor(0, dtype=torch.long))
            # n of the training tensors (0: none seen yet); the inference unit's C(n) depends on it.
            self.register_buffer("positions", torch.tensor(0, dtype=torch.long))
        self._calls = 0
        self._last_forward = None

    def _seed(self) -> int:
        self._calls += 1
        return 1 + (self._calls - 1) % (2**32 - 1)

    def _running(self) -> RunningStatistics:
        return RunningStatistics(self.running_mean.numpy().copy(), self.running_range.numpy().copy(),
                                 int(self.positions), self.chunks)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if x.dim() != 4 or x.shape[1] != self.num_features:
            raise ValueError(f"expected an NCHW input with {self.num_features} channels, got shape {tuple(x.shape)}")
        if self.training or not self.track_running_stats:
            y = _RangeBatchNormFunction.apply(x, self.weight, self.bias, self)
            if self.training and self.track_running_stats:
                self._update_running(self._last_forward)
            self._last_forward = None
            return y
        if int(self.positions) == 0:
            raise ValueError("RangeBatchNorm2d in eval() needs running statistics: train it on at least one batch first")
        return self._inference(x)

    @torch.no_grad()
    def _update_running(self, result) -> None:
        n = result.input.elements.shape[0]
        if int(self.positions) != n:
            if int(self.positions) != 0:
                raise ValueError(f"training batches must keep n = N H W = {int(self.positions)} positions "
                                 f"(the unit's C(n) is fixed), got {n}")
            reset = running_statistics(self.num_features, n, self.chunks)
            self.running_mean.copy_(torch.from_numpy(reset.mean))
            self.running_range.copy_(torch.from_numpy(reset.range))
            self.positions.fill_(n)
        momentum = self.momentum
        if momentum is None:  # PyTorch's cumulative moving average
            momentum = 1.0 / float(self.num_batches_tracked + 1)
        updated = update_running_statistics(self._running(), result, momentum=float(momentum))
        self.running_mean.copy_(torch.from_numpy(updated.mean))
        self.running_range.copy_(torch.from_numpy(updated.range))
        self.num_batches_tracked += 1

    @torch.no_grad()
    def _inference(self, x: torch.Tensor) -> torch.Tensor:
        n, c = int(self.positions), self.num_features
        flat = _numpy(x).transpose(0, 2, 3, 1).reshape(-1, c).astype(np.float32, copy=False)
        out = np.empty_like(flat)
        running = self._running()
        gamma, beta = _numpy(self.weight), _numpy(self.bias)
        for start in range(0, flat.shape[0], n):
            piece = flat[start:start + n]
            if piece.shape[0] < n:
                piece = np.concatenate([piece, np.zeros((n - piece.shape[0], c), dtype=np.float32)])
            y, _, _ = range_batch_norm_inference(piece, running, input=self.input, output=self.output, channel_axis=1,
                                                 eps=self.eps, newton_steps=self.newton_steps, gamma=gamma, beta=beta,
                                                 seed=self._seed(), input_seed=self._seed())
            out[start:start + n] = y[:min(n, flat.shape[0] - start)]
        shape = (x.shape[0], x.shape[2], x.shape[3], c)
        return torch.from_numpy(out.reshape(shape).transpose(0, 3, 1, 2).copy()).to(x.dtype)

    def extra_repr(self) -> str:
        return (f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
                f"input={self.input!r}, chunks={self.chunks}")


def _from_layer_norm(old: nn.Module, kwargs: dict) -> nn.Module:
    new = LayerNorm(old.normalized_shape, eps=old.eps, elementwise_affine=old.elementwise_affine,
                    bias=getattr(old, "bias", None) is not None, **kwargs)
    if old.elementwise_affine:
        new.weight.data.copy_(old.weight.data)
        if new.bias is not None:
            new.bias.data.copy_(old.bias.data)
    return new


def _from_rms_norm(old: nn.Module, kwargs: dict) -> nn.Module:
    new = RMSNorm(old.normalized_shape, eps=getattr(old, "eps", None),
                  elementwise_affine=getattr(old, "weight", None) is not None, **kwargs)
    if new.weight is not None:
        new.weight.data.copy_(old.weight.data)
    return new


def _from_batch_norm(old: nn.Module, kwargs: dict) -> nn.Module:
    new = RangeBatchNorm2d(old.num_features, eps=old.eps, momentum=old.momentum, affine=old.affine,
                           track_running_stats=old.track_running_stats, **kwargs)
    if old.affine:
        new.weight.data.copy_(old.weight.data)
        new.bias.data.copy_(old.bias.data)
    # The running range is not the running variance: it restarts with the first training batch.
    return new


_CONVERTERS: dict[str, Callable[[nn.Module, dict], nn.Module]] = {
    "LayerNorm": _from_layer_norm, "RMSNorm": _from_rms_norm, "BatchNorm2d": _from_batch_norm,
}


def replace_modules(model: nn.Module, spec: dict) -> list[str]:
    """Swaps the layers of ``model`` named in ``spec`` for NormForge's, in place.

    ``spec`` maps a layer class or its name (``"LayerNorm"``, ``"RMSNorm"``, ``"BatchNorm2d"``,
    matched by class name so that any library's RMSNorm counts) to the keyword arguments of the
    replacement (`LayerNorm`, `RMSNorm`, `RangeBatchNorm2d`), for example
    ``{"LayerNorm": {"format": "bf16", "accumulate": "wide"}, "BatchNorm2d": {"input": "mxint8"}}``,
    or to a callable taking the old module and returning its replacement. Parameters are copied
    (a batch norm's running variance is not: the range restarts with the first training batch).
    Modules already from NormForge are left alone. Returns the dotted names of the replaced layers.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be an nn.Module, got {type(model).__name__}")
    if not isinstance(spec, dict):
        raise TypeError(f"spec must be a dict, got {type(spec).__name__}")
    wanted = {}
    for key, value in spec.items():
        name = key if isinstance(key, str) else getattr(key, "__name__", None)
        if name not in _CONVERTERS and not callable(value):
            raise ValueError(f"cannot replace {name!r} layers: the known ones are {', '.join(_CONVERTERS)} "
                             "(or give a callable that builds the replacement)")
        if not (callable(value) or isinstance(value, dict)):
            raise TypeError(f"the spec for {name!r} must be a dict of keyword arguments or a callable")
        wanted[name] = value
    ours = (LayerNorm, RMSNorm, RangeBatchNorm2d)
    replaced = []
    for parent_name, parent in list(model.named_modules()):
        for child_name, child in list(parent.named_children()):
            kind = type(child).__name__
            if kind not in wanted or isinstance(child, ours):
                continue
            value = wanted[kind]
            new = value(child) if callable(value) else _CONVERTERS[kind](child, dict(value))
            setattr(parent, child_name, new)
            replaced.append(f"{parent_name}.{child_name}" if parent_name else child_name)
    return replaced
