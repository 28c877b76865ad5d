"""Throughput of the normforge package's golden models from Python, as JSON.

Elements per second (thread CPU time of the calling thread and wall time, best of ``--repeats``;
one thread unless an entry says ``threads``) of
`normforge.iternorm` (FP32 and BF16, default and wide accumulation) at d = 768 and 4096,
`normforge.bfp.quantize`, `normforge.cast`, a range-BN training step (forward and backward), and
numpy's own float32 LayerNorm expression on the same arrays for scale. Usage: ``python bench.py [--elements N] [--output FILE]``.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time

import numpy as np

import normforge as nf


def measure(function, elements: int, repeats: int) -> dict:
    """Best-of-``repeats`` wall and thread CPU time of ``function()`` over ``elements`` elements."""
    function()  # warm-up (loads the library, touches the pages)
    best_wall = best_cpu = float("inf")
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.thread_time()
        function()
        best_cpu = min(best_cpu, time.thread_time() - cpu)
        best_wall = min(best_wall, time.perf_counter() - wall)
    return {"elements": elements, "wall_s": best_wall, "cpu_s": best_cpu,
            "elements_per_s_wall": elements / best_wall, "elements_per_s_cpu": elements / best_cpu}


def numpy_layer_norm(x: np.ndarray) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    centred = x - mean
    return centred / np.sqrt((centred * centred).mean(-1, keepdims=True) + np.float32(1e-5))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--elements", type=int, default=1 << 20, help="elements per measured call (default 2^20)")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--output", help="also write the JSON document here")
    args = parser.parse_args()
    rng = np.random.default_rng(2026)
    results = []
    for d in (768, 4096):
        rows = max(1, args.elements // d)
        x = rng.standard_normal((rows, d)).astype(np.float32)
        cases = [
            ("iternorm", dict(format="fp32")), ("iternorm", dict(format="fp32", accumulate="wide")),
            ("iternorm", dict(format="bf16")), ("iternorm", dict(format="bf16", accumulate="wide")),
            ("iternorm", dict(format="fp32", threads=2)),
        ]
        for name, kwargs in cases:
            r = measure(lambda: nf.iternorm(x, lanes=64, **kwargs), x.size, args.repeats)
            if kwargs.get("threads", 1) > 1:  # the calling thread's CPU time says nothing then
                r["cpu_s"] = r["elements_per_s_cpu"] = None
            results.append({"function": name, "d": d, **kwargs, **r})
        results.append({"function": "numpy_layer_norm_float32", "d": d,
                        **measure(lambda: numpy_layer_norm(x), x.size, args.repeats)})
    x = rng.standard_normal((args.elements // 1024, 1024)).astype(np.float32)
    for preset in ("mxint8", "mxfp8-e4m3"):
        results.append({"function": "bfp.quantize", "preset": preset,
                        **measure(lambda: nf.bfp.quantize(x, preset), x.size, args.repeats)})
    for fmt in ("bf16", "fp8_e4m3"):
        results.append({"function": "cast", "format": fmt, **measure(lambda: nf.cast(x, fmt), x.size, args.repeats)})
    # Range BN's training step on an NCHW tensor of as many elements: forward then backward.
    a = rng.standard_normal((max(1, args.elements // (64 * 256)), 64, 16, 16)).astype(np.float32)
    g = rng.standard_normal(a.shape).astype(np.float32)
    for preset in ("mxint8", "mxfp8-e4m3"):
        results.append({"function": "range_batch_norm+batch_norm_backward", "preset": preset,
                        **measure(lambda: nf.batch_norm_backward(nf.range_batch_norm(a, input=preset), g), a.size,
                                  args.repeats)})
    document = {"python": sys.version.split()[0], "numpy": np.__version__, "machine": platform.machine(),
                "results": results}
    text = json.dumps(document, indent=2)
    print(text)
    if args.output:
        with open(args.output, "w") as f:
            f.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
