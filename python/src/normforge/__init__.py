"""NormForge's golden models from Python: the exact arithmetic of the NormForge circuits.

Each function runs the Swift golden model that the generated RTL is proven equal to bit for bit
(through the C ABI of ``libNormForgeGolden.so``), on numpy arrays::

    import numpy as np, normforge
    x = np.random.default_rng(0).standard_normal((8, 768), dtype=np.float32)
    y = normforge.iternorm(x, format="bf16", mode="layernorm", accumulate="wide")
    q = normforge.bfp.quantize(x, "mxfp8-e4m3")
    x8 = normforge.cast(x, "fp8_e4m3")

Formats: ``fp32``, ``bf16``, ``fp16``, ``fp64``, ``fp8_e4m3``, ``fp8_e5m2``, ``fp6_e3m2``,
``fp6_e2m3``, ``fp4_e2m1``; BFP presets: `normforge.bfp.PRESETS`. Bad parameters raise
ValueError with the model's message (`NormForgeError`), wrong types TypeError; nothing crashes
the interpreter. Calls hold no shared state, so threads may call concurrently (ctypes releases
the GIL during a call).
"""

from ._lib import NormForgeError, library_path
from .formats import FORMAT_NAMES, ROUNDINGS, FormatInfo, cast, convert, decode, encode, format_info
from .iternorm import iternorm, iternorm_bits
from . import bfp, vectors
from .batchnorm import (BatchNormConfig, BatchNormGradients, BatchNormResult, RangeBatchNormResult,
                        RunningStatistics, batch_norm_backward, conventional_batch_norm, range_batch_norm,
                        range_batch_norm_inference, running_statistics, update_running_statistics)

__all__ = [
    "NormForgeError", "library_path", "FORMAT_NAMES", "ROUNDINGS", "FormatInfo", "cast", "convert", "decode",
    "encode", "format_info", "iternorm", "iternorm_bits", "bfp", "vectors", "range_batch_norm", "conventional_batch_norm",
    "batch_norm_backward", "BatchNormResult", "RangeBatchNormResult", "BatchNormGradients", "BatchNormConfig",
    "RunningStatistics", "running_statistics", "update_running_statistics", "range_batch_norm_inference",
]
__version__ = "0.1.0"
