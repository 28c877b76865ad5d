"""Random parameters, legal and illegal, through every public function: run as a subprocess by
test_abi.py, so that a trap in the library (which would kill the interpreter) fails the test.
Then the C entry points themselves with absurd arguments (counts always within their buffers).
Usage: python fuzz_abi.py SEED ITERATIONS; prints "ok <successful calls> <rejected calls>" and
"raw <direct calls>"."""
import numpy as np, normforge as nf, random, sys
random.seed(int(sys.argv[1]))
fmts = list(nf.FORMAT_NAMES) + ["e4m3", "bogus"]
accs = [None, "same", "wide", "fp32", "bf16", "fp16", "fp64", "e5m2", "fp8_e4m3", "x"]
n = rejected = 0
for i in range(int(sys.argv[2])):
    f = random.choice(fmts); a = random.choice(accs)
    lanes = random.choice([1, 2, 3, 4, 8, 64, 4096, 8192, 0, -1])
    d = random.choice([1, 2, 4, 8, 16, 64, 128])
    dmax = random.choice([None, d, 2 * d, 1 << 20, (1 << 20) + 1, 3, 0])
    kw = dict(format=f, accumulate=a, lanes=lanes, d_max=dmax, iterations=random.choice([0, 1, 5, 8, 9]),
              eta_shift=random.choice([0, 1, 3, 8, 9, 24]), form=random.choice(["scalar", "vector"]),
              mode=random.choice(["layernorm", "rmsnorm"]), eps=random.choice([0.0, 1e-5, 1e30, 1e300, -0.0]))
    x = np.random.default_rng(i).standard_normal((2, d)) * random.choice([1, 1e-40, 1e38, 1e300])
    g = random.choice([None, np.ones(d)]); b = random.choice([None, np.zeros(d)])
    if (dmax or d) > 5000 and lanes in (1, 2, 3): continue  # slow config checks, not interesting
    try:
        nf.iternorm(x, gamma=g, beta=None if kw["mode"] == "rmsnorm" else b, **kw); n += 1
    except (ValueError, TypeError):
        rejected += 1
for i in range(int(sys.argv[2])):
    p = random.choice(list(nf.bfp.PRESETS) + ["zz"]); s = random.choice(["fp32", "bf16", "fp16", "fp8_e5m2", "fp4_e2m1", "fp64"])
    k = 32 if p != "hbfp8" else 16
    x = np.random.default_rng(i).standard_normal((2, k * random.choice([1, 2]))) * 10.0 ** random.randint(-60, 60)
    x[0, random.randrange(k)] = random.choice([np.nan, np.inf, 0.0, 1e-45, 3e38])
    try:
        q = nf.bfp.quantize(x, p, source=s, rounding=random.choice([None, "nearest", "nearest_away", "toward_zero", "stochastic"]),
                            seed=random.choice([1, 2**32 - 1, 77]), stochastic_bits=random.choice([None, 1, 32]),
                            flush_subnormals=random.choice([False, True]))
        nf.bfp.dequantize(q, random.choice(["fp32", "bf16", "fp16", "fp8_e5m2", "fp64"])); n += 1
        r = np.random.default_rng(i)
        raw = nf.bfp.BFPArray(r.integers(0, 256, q.scales.shape).astype(np.uint8),
                              r.integers(0, 256, q.elements.shape).astype(q.elements.dtype), p, -1)
        nf.bfp.dequantize(raw, "fp32")
    except (ValueError, TypeError):
        rejected += 1
for i in range(int(sys.argv[2]) // 5):
    c = random.choice([8, 16, 32, 64, 48]); shape = (random.choice([1, 2, 4, 16]), c, random.choice([1, 2, 3]))
    x = np.random.default_rng(i).standard_normal(shape) * 10.0 ** random.randint(-45, 38)
    if random.random() < 0.2: x[0, 0, 0] = random.choice([np.nan, np.inf])
    try:
        forward = random.choice([nf.range_batch_norm, nf.conventional_batch_norm])
        r = forward(x, input=random.choice(list(nf.bfp.PRESETS)), output=random.choice([None, "mxint8", "hbfp8"]),
                    chunks=random.choice([1, 2, 3, 4, 8]), eps=random.choice([0.0, 1e-5, 1e38]),
                    newton_steps=random.choice([1, 5, 16])); n += 1
        dy = np.random.default_rng(i + 1).standard_normal(shape) * 10.0 ** random.randint(-45, 38)
        nf.batch_norm_backward(r, dy, gradient_input=random.choice([None, "mxfp8-e5m2", "hbfp8"]),
                               gradient_output=random.choice([None, "mxint8", "mxfp4-e2m1"]),
                               gradient_rounding=random.choice([None, "stochastic", "toward_zero"])); n += 1
        if forward is nf.range_batch_norm:
            running = nf.running_statistics(shape[1], shape[0] * shape[2], r.config.chunks)
            running = nf.update_running_statistics(running, r, momentum=random.choice([0.0, 0.1, 1.0, 2.0]))
            nf.range_batch_norm_inference(x, running, input=r.config.input, output=random.choice([None, "mxint8"]),
                                          eps=random.choice([0.0, 1e-5]), newton_steps=random.choice([1, 5, 17]))
            n += 1
    except (ValueError, TypeError):
        rejected += 1
print("ok", n, rejected)

# The C ABI directly, past the Python checks: every count fits its buffer (the C contract), every
# other argument is drawn from legal, edge and absurd values; a trap here kills the process.
import ctypes
from normforge import _lib

lib = _lib.library()
error = ctypes.create_string_buffer(256)
ints = [-2**63, -1, 0, 1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 32, 33, 64, 1 << 20, (1 << 20) + 1, 1 << 40, 2**62, 2**63 - 1]
doubles = [0.0, -0.0, 1e-5, 0.5, 1.0, 2.0, -1.0, float("nan"), float("inf"), -float("inf"), 1e308]
names = [None, b"", b"fp32", b"bf16", b"fp16", b"fp64", b"e4m3", b"fp8_e5m2", b"e2m1", b"wide", b"same", b"x" * 300,
         b"mxint8", b"hbfp8", b"mxfp4-e2m1", b"nearest", b"stochastic", b"vector", b"rmsnorm", b"\xff\xfe"]
big = np.zeros(1 << 16, dtype=np.uint64)  # 512 KiB: every buffer below fits in it
p = big.ctypes.data
raw_calls = 0
for i in range(int(sys.argv[2])):
    rows, d = random.choice([0, 1, 2]), random.choice([0, 1, 4, 16, 64])
    lib.nf_iternorm(random.choice(names), random.choice(names), random.choice(names), random.choice(names),
                    random.choice(ints), random.choice(ints), random.choice(ints), random.choice(ints),
                    random.choice(doubles), rows, d, random.choice([0, 1, 2, 4, 8, 3]), p,
                    random.choice([None, p]), random.choice([None, p]), p, error, random.choice([0, 1, 256]))
    lib.nf_fisr_norm(random.choice(names), random.choice(names), random.choice(names), random.choice(ints),
                     random.choice(ints), random.choice(ints), random.choice(doubles), rows, d,
                     random.choice([0, 1, 2, 4, 8, 3]), p, random.choice([None, p]), random.choice([None, p]), p,
                     error, random.choice([0, 1, 256]))
    n = random.choice([0, 16, 32, 64])
    lib.nf_bfp_quantize(random.choice(names), random.choice(names), random.choice([0, 1, -1]),
                        random.choice([0, 1, 16, 32, 33, -1, 2**31 - 1]), random.choice([0, 1, 2**32 - 1]),
                        random.choice(names), p, random.choice([1, 2, 4, 8]), n, p, p, random.choice([1, 2, 4]),
                        error, 256)
    lib.nf_bfp_dequantize(random.choice(names), random.choice([0, 1, 2]), p, p, random.choice([1, 2, 4]),
                          random.choice(names), p, random.choice([1, 2, 4, 8]), error, 256)
    c, npos = random.choice([16, 32, 64]), random.choice([2, 8, 16, 32])
    args = (random.choice(ints), random.choice(doubles), random.choice(ints), random.choice([0, 1, 7]))
    lib.nf_range_bn_forward(random.choice(names), random.choice(names), random.choice(names), random.choice([0, 1]),
                            c, npos, args[0], args[1], args[2], args[3], p, p, random.choice([1, 2]), p, p, p,
                            random.choice([None, p]), random.choice([None, p]), 1, p, random.choice([None, p]), p,
                            random.choice([None, p]), random.choice([None, p]), error, 256)
    lib.nf_range_bn_backward(random.choice(names), random.choice(names), random.choice(names), random.choice(names),
                             random.choice([0, 1]), c, npos, args[0], args[1], args[2], args[3], p, p, 1, p, p, p, 1,
                             random.choice([None, p]), random.choice([None, p]), random.choice([None, p]), 1, p, p,
                             error, 256)
    lib.nf_range_bn_running_update(random.choice(names), c, npos, args[0], args[1], args[2], random.choice(doubles),
                                   p, p, 1, p, p, error, 256)
    lib.nf_range_bn_running_reset(c, npos, random.choice(ints), p, p, error, 256)
    lib.nf_range_bn_inference(random.choice(names), random.choice(names), random.choice(names), c, npos, args[0],
                              args[1], args[2], args[3], p, p, 1, p, p, p, p, random.choice([None, p]),
                              random.choice([None, p]), random.choice([None, p]), 1, error, 256)
    for value in (random.choice(doubles), random.choice(ints)):
        lib.nf_encode(random.choice(names), random.choice(names), p, random.choice([0, 1, 64]), p,
                      random.choice([1, 2, 4, 8]), error, 256)
    raw_calls += 9
print("raw", raw_calls)
