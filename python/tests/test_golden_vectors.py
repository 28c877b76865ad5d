"""The package against the Swift golden model, bit for bit, on the vectors `normforge vectors`
writes: every IterNorm edge class and random distribution, every BFP preset's edge blocks."""

from __future__ import annotations

import numpy as np
import pytest

import normforge as nf
from normforge import bfp

EDGE_CLASSES = {"zeros", "all-equal", "nan", "inf", "one-huge", "near-max", "subnormal", "huge-and-tiny",
                "mean>>spread", "outliers", "signed-zeros"}

# (CLI parameters, the same configuration as keyword arguments of iternorm_bits)
ITERNORM_CONFIGS = [
    ("--format fp32 --lanes 4 --d-max 16", dict(format="fp32", lanes=4, d_max=16)),
    ("--format fp32 --mode rmsnorm --lanes 4 --d-max 16", dict(format="fp32", mode="rmsnorm", lanes=4, d_max=16)),
    ("--format bf16 --lanes 8 --d-max 64", dict(format="bf16", lanes=8, d_max=64)),
    ("--format bf16 --mode rmsnorm --accumulate same --lanes 8 --d-max 32",
     dict(format="bf16", mode="rmsnorm", accumulate="same", lanes=8, d_max=32)),
    ("--format fp16 --lanes 4 --d-max 32", dict(format="fp16", lanes=4, d_max=32)),
    ("--format fp16 --accumulate same --lanes 4 --d-max 16", dict(format="fp16", accumulate="same", lanes=4, d_max=16)),
    ("--format fp32 --accumulate wide --lanes 4 --d-max 32", dict(format="fp32", accumulate="wide", lanes=4, d_max=32)),
    ("--format bf16 --accumulate wide --mode rmsnorm --lanes 8 --d-max 64",
     dict(format="bf16", accumulate="wide", mode="rmsnorm", lanes=8, d_max=64)),
    ("--format fp32 --form vector --lanes 4 --d-max 16", dict(format="fp32", form="vector", lanes=4, d_max=16)),
    ("--format fp32 --no-affine --lanes 4 --d-max 16", dict(format="fp32", lanes=4, d_max=16)),
    ("--format bf16 --no-affine --mode rmsnorm --lanes 4 --d-max 16",
     dict(format="bf16", mode="rmsnorm", lanes=4, d_max=16)),
    ("--format fp32 --iterations 3 --eta-shift 2 --eps 1e-5 --lanes 2 --d-max 16",
     dict(format="fp32", iterations=3, eta_shift=2, eps=1e-5, lanes=2, d_max=16)),
    ("--format fp32 --lanes 64 --d-max 1024", dict(format="fp32", lanes=64, d_max=1024)),
]


def _iternorm_case(vectors, cli_args: str, kwargs: dict, d: int | None, count: int):
    args = ["iternorm", *cli_args.split(), "--count", str(count), "--seed", "11"]
    if d is not None:
        args += ["--d", str(d)]
    v = vectors(*args)
    desc = v.description
    dtype = nf.format_info(kwargs["format"]).dtype
    beats = desc["beats_per_item"]
    x = np.array([v.lanes(row[0], "in_data") for row in v.input], dtype=dtype).reshape(desc["items"], -1)
    expected = np.array([v.lanes(row[0], "out_data") for row in v.expected], dtype=dtype).reshape(desc["items"], -1)
    last = [row[1] for row in v.expected]
    assert last == ([0] * (beats - 1) + [1]) * desc["items"]
    gamma = beta = None
    if v.load is not None:
        gamma = np.array([v.lanes(row[0], "param_gamma") for row in v.load], dtype=dtype).reshape(-1)
        if len(v.load[0]) > 1:
            beta = np.array([v.lanes(row[1], "param_beta") for row in v.load], dtype=dtype).reshape(-1)
    return desc, x, expected, gamma, beta


@pytest.mark.parametrize("cli_args,kwargs", ITERNORM_CONFIGS, ids=[c[0] for c in ITERNORM_CONFIGS])
def test_iternorm_matches_swift_golden_bit_for_bit(vectors, cli_args, kwargs):
    d = 768 if kwargs["d_max"] == 1024 else None
    desc, x, expected, gamma, beta = _iternorm_case(vectors, cli_args, kwargs, d, count=8 if d else 40)
    if d is None:
        assert EDGE_CLASSES <= set(desc["item_kinds"]), "every edge class is in the stream"
    y = nf.iternorm_bits(x, gamma=gamma, beta=beta, **kwargs)
    mismatches = [(i, desc["item_kinds"][i]) for i in range(len(x)) if not np.array_equal(y[i], expected[i])]
    assert not mismatches, f"rows differing from the Swift golden model: {mismatches}"


def test_iternorm_shorter_than_d_max_matches(vectors):
    """d < d_max (the wide mode derives its formats from d_max): the model takes d_max as given."""
    kwargs = dict(format="bf16", accumulate="wide", lanes=4, d_max=64)
    desc, x, expected, gamma, beta = _iternorm_case(
        vectors, "--format bf16 --accumulate wide --lanes 4 --d-max 64", kwargs, d=12, count=30)
    np.testing.assert_array_equal(nf.iternorm_bits(x, gamma=gamma, beta=beta, **kwargs), expected)


def test_iternorm_from_floats_matches_bits(vectors):
    """iternorm on the decoded inputs is iternorm_bits on the encodings (decoding is exact)."""
    kwargs = dict(format="fp32", lanes=4, d_max=16)
    _, x, expected, gamma, beta = _iternorm_case(vectors, "--format fp32 --lanes 4 --d-max 16", kwargs, None, 30)
    y = nf.iternorm(nf.decode(x, "fp32"), gamma=nf.decode(gamma, "fp32"), beta=nf.decode(beta, "fp32"), **kwargs)
    np.testing.assert_array_equal(nf.encode(y, "fp32"), expected)


PRESETS = list(bfp.PRESETS)


def _convert_case(vectors, preset, source, extra=(), blocks=20):
    v = vectors("bfp-convert", "--preset", preset, "--source", source, "--blocks", str(blocks), "--seed", "5", *extra)
    info = bfp.preset_info(preset)
    src = nf.format_info(source)
    assert v.description["beats_per_item"] == 1
    x = np.array([v.lanes(row[0], "in_data") for row in v.input], dtype=src.dtype)
    scales = np.array([row[0] for row in v.expected], dtype=np.uint8)
    elements = np.array([v.lanes(row[1], "out_data") for row in v.expected], dtype=info.element_dtype)
    assert all(row[2] == 1 for row in v.expected)
    return v, x, scales, elements


@pytest.mark.parametrize("source", ["fp32", "bf16", "fp16"])
@pytest.mark.parametrize("preset", PRESETS)
def test_bfp_quantize_matches_swift_golden(vectors, preset, source):
    v, x, scales, elements = _convert_case(vectors, preset, source)
    assert "edge" in v.description["item_kinds"]
    q = bfp.quantize_bits(x, preset, source=source)
    np.testing.assert_array_equal(q.scales[:, 0], scales)
    np.testing.assert_array_equal(q.elements, elements)


@pytest.mark.parametrize("preset,rounding,extra", [
    ("mxint8", "nearest_away", ["--rounding", "away"]),
    ("mxfp8-e4m3", "toward_zero", ["--rounding", "zero"]),
    ("mxfp6-e3m2", "stochastic", ["--rounding", "stochastic", "--lfsr-seed", "12345"]),
    ("hbfp8", "stochastic", ["--rounding", "stochastic", "--sr-bits", "7", "--lfsr-seed", "99"]),
    ("mxfp4-e2m1", "stochastic", ["--rounding", "stochastic"]),
])
def test_bfp_quantize_rounding_modes_match(vectors, preset, rounding, extra):
    _, x, scales, elements = _convert_case(vectors, preset, "fp32", extra)
    seed = int(extra[extra.index("--lfsr-seed") + 1]) if "--lfsr-seed" in extra else 1
    bits = int(extra[extra.index("--sr-bits") + 1]) if "--sr-bits" in extra else None
    # One array, blocks in stream order: the LFSR carries from block to block as in the circuit.
    q = bfp.quantize_bits(x, preset, rounding=rounding, seed=seed, stochastic_bits=bits)
    np.testing.assert_array_equal(q.scales[:, 0], scales)
    np.testing.assert_array_equal(q.elements, elements)


def test_bfp_quantize_flush_subnormals_matches(vectors):
    _, x, scales, elements = _convert_case(vectors, "mxfp8-e5m2", "bf16", ["--flush"])
    q = bfp.quantize_bits(x, "mxfp8-e5m2", source="bf16", flush_subnormals=True)
    np.testing.assert_array_equal(q.scales[:, 0], scales)
    np.testing.assert_array_equal(q.elements, elements)


@pytest.mark.parametrize("target", ["fp32", "bf16", "fp16"])
@pytest.mark.parametrize("preset", PRESETS)
def test_bfp_dequantize_matches_swift_golden(vectors, preset, target):
    v = vectors("bfp-deconvert", "--preset", preset, "--source", target, "--blocks", "20", "--seed", "6")
    info, dst = bfp.preset_info(preset), nf.format_info(target)
    scales = np.array([row[0] for row in v.input], dtype=np.uint8)[:, None]
    elements = np.array([v.lanes(row[1], "in_data") for row in v.input], dtype=info.element_dtype)
    expected = np.array([v.lanes(row[0], "out_data") for row in v.expected], dtype=dst.dtype)
    assert 255 in scales, "the stream holds NaN-scale blocks"
    out = bfp.dequantize_bits(bfp.BFPArray(scales, elements, preset, axis=1), target)
    np.testing.assert_array_equal(out, expected)


def test_format_info_matches_the_cli_table(cli):
    import subprocess
    table = subprocess.run([str(cli), "formats"], capture_output=True, text=True, check=True).stdout.splitlines()
    specials = {"ieee": "ieee", "nanOnlyAllOnes": "nan_only_all_ones", "finiteOnly": "finite_only"}
    rows = [line.split() for line in table[1:] if line.strip()]
    assert {r[0] for r in rows} == set(nf.FORMAT_NAMES.values())
    for name, e, f, width, bias, emin, emax, special in rows:
        info = nf.format_info(name)
        assert (info.exponent_bits, info.fraction_bits, info.width, info.bias, info.specials) == \
            (int(e), int(f), int(width), int(bias), specials[special])
        # emin and emax through the values: the smallest normal and the largest finite number.
        smallest_normal = nf.decode(np.array([1 << info.fraction_bits], dtype=info.dtype), name, dtype=np.float64)[0]
        assert smallest_normal == 2.0 ** int(emin)
        largest = nf.cast([np.finfo(np.float64).max], name, "toward_zero", dtype=np.float64)[0]
        assert np.frexp(largest)[1] - 1 == int(emax)  # floor(log2), exactly


@pytest.mark.parametrize("args", [
    "iternorm --lanes 4 --d-max 16 --count 30",
    "iternorm --format bf16 --accumulate wide --mode rmsnorm --lanes 8 --d-max 64 --d 32 --count 20",
    "iternorm --format fp16 --accumulate same --no-affine --form vector --lanes 4 --d-max 16 --iterations 3 --eta-shift 2 --eps 0.001",
    "bfp-convert --preset mxfp8-e4m3 --source bf16 --lanes 8 --blocks 20",
    "bfp-convert --preset hbfp8 --rounding zero --flush --lanes 4 --blocks 20",
    "bfp-convert --preset mxint8 --rounding away --source fp16 --blocks 20",
    "bfp-deconvert --preset mxfp6-e3m2 --source fp16 --lanes 16 --blocks 20",
    "bfp-deconvert --preset hbfp8 --blocks 20",
])
def test_golden_expected_recomputes_expected_hex(vectors, args):
    """normforge.vectors.golden_expected (what a Python testbench uses instead of expected.hex)
    makes expected.hex's rows from the inputs and vectors.json alone."""
    v = vectors(*args.split())
    directory = v.directory
    (directory / v.description["expected_file"]).unlink()  # it must not be read
    assert nf.vectors.golden_expected(directory) == v.expected


def test_golden_expected_refuses_what_it_cannot_know(vectors):
    v = vectors("bfp-convert", "--preset", "mxint8", "--rounding", "stochastic", "--blocks", "2")
    with pytest.raises(ValueError, match="does not record the LFSR seed"):
        nf.vectors.golden_expected(v.directory)


def _random_configs(count: int, seed: int):
    """Seeded random IterNorm configurations the CLI accepts (formats, modes, forms, lanes, d, K, eta, eps)."""
    import random
    rng = random.Random(seed)
    configs = []
    while len(configs) < count:
        fmt = rng.choice(["fp32", "bf16", "fp16"])
        accumulate = rng.choice(["fp32", "same", "wide"])
        form = "scalar" if accumulate == "wide" else rng.choice(["scalar", "vector"])
        lanes = rng.choice([1, 2, 4, 8, 16])
        d_max = lanes * rng.choice([1, 2, 3, 4, 8])
        d = lanes * rng.randint(1, d_max // lanes)
        iterations, eta = rng.randint(1, 8), rng.randint(1, 4)
        mode, eps = rng.choice(["layernorm", "rmsnorm"]), rng.choice([0.0, 1e-5, 0.25])
        affine = rng.random() < 0.7
        cli = (f"--format {fmt} --accumulate {accumulate} --form {form} --lanes {lanes} --d-max {d_max} "
               f"--iterations {iterations} --eta-shift {eta} --mode {mode} --eps {eps}"
               + ("" if affine else " --no-affine"))
        kwargs = dict(format=fmt, accumulate=accumulate, form=form, lanes=lanes, d_max=d_max, iterations=iterations,
                      eta_shift=eta, mode=mode, eps=eps)
        configs.append((cli, kwargs, d))
    return configs


def test_iternorm_matches_on_random_configurations(vectors):
    checked = 0
    for cli_args, kwargs, d in _random_configs(30, seed=2026):
        try:
            desc, x, expected, gamma, beta = _iternorm_case(vectors, cli_args, kwargs, d, count=14)
        except AssertionError:
            # The CLI refused the combination (it is not a macro): the package must refuse it too.
            with pytest.raises(ValueError):
                nf.iternorm_bits(np.zeros((1, d), dtype=nf.format_info(kwargs["format"]).dtype), **kwargs)
            continue
        y = nf.iternorm_bits(x, gamma=gamma, beta=beta, **kwargs)
        bad = [desc["item_kinds"][i] for i in range(len(x)) if not np.array_equal(y[i], expected[i])]
        assert not bad, f"{cli_args} --d {d}: rows differ: {bad}"
        checked += 1
    assert checked >= 25, f"only {checked} of 30 random configurations are macros"
