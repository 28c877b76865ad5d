"""IterNorm LayerNorm / RMSNorm: the golden model of NormForge's IterNorm macro.

The arithmetic is the macro's, bit for bit (docs/iternorm-architecture.md): inputs in the I/O
``format``, sums by the macro's adder tree of ``lanes`` lanes, the pre-scaling, K iterations of
the L2 normalization and the output pass, each operation rounded as the circuit rounds it.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np

from . import _lib
from .formats import encode, decode, encoding_array, format_info

MODES = ("layernorm", "rmsnorm")
FORMS = ("scalar", "vector")


def _check_choice(value, name: str, choices) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, got {type(value).__name__}")
    if value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(choices)}, got '{value}'")
    return value


def _check_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    return int(value)


def iternorm_bits(bits, *, format: str = "fp32", mode: str = "layernorm", accumulate: str | None = None,
                  lanes: int = 64, d_max: int | None = None, iterations: int = 5, eta_shift: int = 1,
                  form: str = "scalar", gamma=None, beta=None, eps: float = 0.0, threads: int = 1,
                  fisr_steps: int | None = None) -> np.ndarray:
    """IterNorm over the last axis of encodings: `iternorm` without the rounding into ``format``.

    ``bits``, ``gamma`` and ``beta`` are arrays of ``format``'s storage dtype (uint32 for fp32,
    uint16 for bf16/fp16); the result is encodings of the same shape and dtype. The parameters
    are those of `iternorm`; ``gamma`` and ``beta`` must be given as the macro takes them: both
    for an affine LayerNorm, ``gamma`` alone for an affine RMSNorm, neither otherwise.
    """
    info = format_info(format)
    x = encoding_array(bits, info, "x")
    if x.ndim < 1:
        raise ValueError("x must have at least one axis (the vectors lie along the last)")
    d = x.shape[-1]
    rows = x.size // d if d else 0
    _check_choice(mode, "mode", MODES)
    _check_choice(form, "form", FORMS)
    if accumulate is not None and not isinstance(accumulate, str):
        raise TypeError(f"accumulate must be None or a str, got {type(accumulate).__name__}")
    lanes = _check_int(lanes, "lanes")
    # By default the smallest macro that takes this d: d itself when it is a multiple of the lanes
    # (otherwise the model's message then names d, not d_max).
    if d_max is None:
        d_max = max(lanes, -(-d // lanes) * lanes) if lanes > 0 else d
    d_max = _check_int(d_max, "d_max")
    iterations = _check_int(iterations, "iterations")
    eta_shift = _check_int(eta_shift, "eta_shift")
    if isinstance(eps, bool) or not isinstance(eps, (int, float, np.floating, np.integer)):
        raise TypeError(f"eps must be a float, got {type(eps).__name__}")
    params = []
    for name, p in (("gamma", gamma), ("beta", beta)):
        if p is None:
            params.append(None)
            continue
        p = encoding_array(p, info, name)
        if p.shape != (d,):
            raise ValueError(f"{name} must have shape ({d},) (the last axis of x), got {p.shape}")
        params.append(p)
    if fisr_steps is not None:
        fisr_steps = _check_int(fisr_steps, "fisr_steps")
    threads = _check_int(threads, "threads")
    if threads < 1:
        raise ValueError(f"threads must be at least 1, got {threads}")
    out = np.empty(x.shape, dtype=info.dtype)
    x_rows, out_rows = x.reshape(rows, d), out.reshape(rows, d)

    def run(start: int, stop: int) -> None:
        if fisr_steps is not None:
            _lib.call("nf_fisr_norm", _lib.text(format), _lib.text(accumulate), _lib.text(mode), lanes, d_max,
                      fisr_steps, float(eps), stop - start, d, info.dtype.itemsize, _lib.pointer(x_rows[start:stop]),
                      _lib.pointer(params[0]), _lib.pointer(params[1]), _lib.pointer(out_rows[start:stop]))
            return
        _lib.call("nf_iternorm", _lib.text(format), _lib.text(accumulate), _lib.text(mode), _lib.text(form),
                  lanes, d_max, iterations, eta_shift, float(eps), stop - start, d, info.dtype.itemsize,
                  _lib.pointer(x_rows[start:stop]), _lib.pointer(params[0]), _lib.pointer(params[1]),
                  _lib.pointer(out_rows[start:stop]))

    # Rows are independent: contiguous slices of them run concurrently (ctypes releases the GIL).
    cuts = np.linspace(0, rows, min(threads, max(rows, 1)) + 1).astype(int)
    if len(cuts) <= 2:
        run(0, rows)
    else:
        with ThreadPoolExecutor(max_workers=len(cuts) - 1) as pool:
            for job in [pool.submit(run, a, b) for a, b in zip(cuts[:-1], cuts[1:])]:
                job.result()
    return out


def iternorm(x, *, format: str = "fp32", mode: str = "layernorm", accumulate: str | None = None,
             lanes: int = 64, d_max: int | None = None, iterations: int = 5, eta_shift: int = 1,
             form: str = "scalar", gamma=None, beta=None, eps: float = 0.0, dtype=None, threads: int = 1,
             fisr_steps: int | None = None) -> np.ndarray:
    """LayerNorm or RMSNorm over the last axis of ``x`` with the IterNorm macro's arithmetic.

    ``x`` (any shape, last axis d), ``gamma`` and ``beta`` (shape (d,)) are real numbers, first
    rounded to ``format`` (to nearest, ties to even); the result has ``x``'s shape, as floats of
    ``dtype`` (float32 by default, exact for the formats up to 32 bits).

    - ``format``: the I/O format, ``"fp32"``, ``"bf16"`` or ``"fp16"``;
    - ``mode``: ``"layernorm"`` (``gamma sqrt(d) (x - mean) / ||x - mean|| + beta``) or
      ``"rmsnorm"`` (``gamma sqrt(d) x / ||x||``);
    - ``accumulate``: the internal format: None (FP32 for bf16/fp16, the format itself for fp32),
      ``"same"`` (the I/O format), ``"wide"`` (the faithful mode of docs/precision.md) or a format;
    - ``lanes``: the macro's lanes P (a power of two; the adder tree's shape), d a multiple of it;
    - ``d_max``: the macro's largest length (default d), a multiple of ``lanes``; it changes the
      wide mode's formats only;
    - ``iterations``: K (1...8); ``eta_shift``: eta = 2^-eta_shift; ``form``: ``"scalar"`` or
      ``"vector"``;
    - ``gamma``, ``beta``: the affine parameters (LayerNorm: a missing ``beta`` is zeros; a
      ``beta`` without ``gamma`` takes ``gamma`` = ones, which the model multiplies exactly);
      RMSNorm takes no ``beta``; with neither, the macro is built without parameter memory;
    - ``eps``: added as ``d * eps`` to the squared norm (PyTorch LayerNorm's eps);
    - ``threads``: rows are split over this many threads (the results do not depend on it);
    - ``fisr_steps``: None for IterNorm; a number n (0...8) of Newton steps for the FISR
      baseline instead: the same pipeline with the fast inverse square root (magic constant, then
      n Newton steps in the accumulate format) in place of the K iterations (``iterations``,
      ``eta_shift`` and ``form`` unused; no wide mode).

    Raises TypeError for arguments of the wrong type and ValueError, with the golden model's
    message, for values the macro does not take (a d that is no multiple of ``lanes``, ...).
    """
    info = format_info(format)
    values = np.asarray(x)
    if values.ndim < 1:
        raise ValueError("x must have at least one axis (the vectors lie along the last)")
    d = values.shape[-1]
    if mode == "rmsnorm" and beta is not None:
        raise ValueError("rmsnorm has no beta")
    if mode == "layernorm" and (gamma is None) != (beta is None):
        gamma = np.ones(d) if gamma is None else gamma
        beta = np.zeros(d) if beta is None else beta
    params = [None if p is None else encode(p, format) for p in (gamma, beta)]
    bits = iternorm_bits(encode(values, format), format=format, mode=mode, accumulate=accumulate, lanes=lanes,
                         d_max=d_max, iterations=iterations, eta_shift=eta_shift, form=form,
                         gamma=params[0], beta=params[1], eps=eps, threads=threads, fisr_steps=fisr_steps)
    return decode(bits, format, dtype=dtype)
