"""iternorm's Python surface: shapes, defaults, parameters, its agreement with plain LayerNorm /
RMSNorm arithmetic, and the errors for bad parameters."""

from __future__ import annotations

import numpy as np
import pytest

import normforge as nf


def layer_norm(x, gamma=None, beta=None, eps=0.0):
    x = x.astype(np.float64)
    c = x - x.mean(-1, keepdims=True)
    y = c / np.sqrt((c * c).mean(-1, keepdims=True) + eps)
    return y * (1 if gamma is None else gamma) + (0 if beta is None else beta)


def rms_norm(x, gamma=None):
    x = x.astype(np.float64)
    return x / np.sqrt((x * x).mean(-1, keepdims=True)) * (1 if gamma is None else gamma)


@pytest.fixture
def x():
    return np.random.default_rng(7).standard_normal((3, 5, 128)).astype(np.float32)


def test_wide_fp32_is_within_one_ulp_of_layernorm(x):
    y = nf.iternorm(x, accumulate="wide")
    assert y.shape == x.shape and y.dtype == np.float32
    reference = layer_norm(x)
    assert np.all(np.abs(y - reference) <= np.spacing(np.abs(reference).astype(np.float32)))


def test_default_fp32_and_bf16_are_close(x):
    np.testing.assert_allclose(nf.iternorm(x), layer_norm(x), atol=1e-5)
    gamma = np.linspace(0.5, 1.5, 128)
    np.testing.assert_allclose(nf.iternorm(x, format="bf16", mode="rmsnorm", gamma=gamma),
                               rms_norm(nf.cast(x, "bf16"), nf.cast(gamma, "bf16")), rtol=2**-7, atol=2**-7)


def test_rows_are_independent_and_any_leading_shape(x):
    whole = nf.iternorm(x, format="bf16", lanes=32)
    rows = np.stack([nf.iternorm(r, format="bf16", lanes=32) for r in x.reshape(-1, 128)])
    np.testing.assert_array_equal(whole.reshape(-1, 128), rows)
    np.testing.assert_array_equal(nf.iternorm(x[0, 0], format="bf16", lanes=32), whole[0, 0])
    assert nf.iternorm(np.zeros((0, 64)), lanes=64).shape == (0, 64)


def test_lanes_and_d_max_are_parameters_of_the_arithmetic(x):
    # The adder tree's shape changes the rounding of the sums: not every result can agree.
    assert not np.array_equal(nf.iternorm(x, lanes=1, d_max=128), nf.iternorm(x, lanes=128))
    np.testing.assert_array_equal(nf.iternorm(x, lanes=64), nf.iternorm(x, lanes=64, d_max=1024))


def test_affine_parameters(x):
    gamma = np.random.default_rng(8).uniform(0.5, 2, 128)
    beta = np.random.default_rng(9).standard_normal(128)
    y = nf.iternorm(x, gamma=gamma, beta=beta, accumulate="wide")
    np.testing.assert_allclose(y, layer_norm(x, nf.cast(gamma, "fp32"), nf.cast(beta, "fp32")), rtol=1e-6, atol=1e-6)
    # A missing beta is zeros; a missing gamma is ones (the model multiplies by one exactly).
    np.testing.assert_array_equal(nf.iternorm(x, gamma=gamma), nf.iternorm(x, gamma=gamma, beta=np.zeros(128)))
    np.testing.assert_array_equal(nf.iternorm(x, beta=beta), nf.iternorm(x, gamma=np.ones(128), beta=beta))


def test_eps_and_degenerate_rows():
    x = np.array([[1.0] * 64, [0.0] * 64, [3.0, -3.0] * 32], dtype=np.float32)
    y = nf.iternorm(x, eps=1e-5)
    assert np.all(y[0] == 0) and np.all(y[1] == 0)  # all-equal and all-zero rows: output beta (+0)
    np.testing.assert_allclose(y[2], np.array([1, -1] * 32) * 3 / np.sqrt(9 + 1e-5), rtol=1e-6)
    nan = nf.iternorm(np.array([[np.nan] + [1.0] * 63, [np.inf] + [1.0] * 63]))
    assert np.all(np.isnan(nan))


def test_float64_inputs_are_rounded_to_the_format_first(x):
    x64 = x.astype(np.float64) * (1 + 2**-30)
    np.testing.assert_array_equal(nf.iternorm(x64, format="bf16"), nf.iternorm(nf.cast(x64, "bf16"), format="bf16"))


@pytest.mark.parametrize("kwargs,error,message", [
    (dict(lanes=3), ValueError, "lanes must be a power of two"),
    (dict(lanes=64, d_max=96), ValueError, "d-max must be a multiple of lanes"),
    (dict(lanes=256), ValueError, "d must be a multiple of lanes"),
    (dict(lanes=0), ValueError, "lanes must be a power of two"),
    (dict(lanes=-4), ValueError, "out of range"),
    (dict(lanes=2**62), ValueError, "out of range"),
    (dict(d_max=2**21), ValueError, "d-max must be a multiple"),
    (dict(iterations=0), ValueError, "iterations must be in 1...8"),
    (dict(iterations=9), ValueError, "iterations must be in 1...8"),
    (dict(eta_shift=0), ValueError, "eta-shift must be in"),
    (dict(eps=-1.0), ValueError, "eps must be finite"),
    (dict(eps=float("inf")), ValueError, "eps must be finite"),
    (dict(mode="batchnorm"), ValueError, "mode must be one of"),
    (dict(form="matrix"), ValueError, "form must be one of"),
    (dict(format="fp8_e4m3"), ValueError, "IEEE infinities and NaNs"),
    (dict(format="fp64"), ValueError, "at most 32 bits"),
    (dict(accumulate="fp64"), ValueError, "at most 32 bits"),
    (dict(accumulate="fp16"), ValueError, "must hold every fp32 value exactly"),
    (dict(accumulate="nonsense"), ValueError, "unknown format"),
    (dict(format="bf16", accumulate="wide", form="vector"), ValueError, "scalar form"),
    (dict(mode="rmsnorm", beta=np.zeros(128)), ValueError, "rmsnorm has no beta"),
    (dict(gamma=np.ones(127)), ValueError, "gamma must have shape"),
    (dict(lanes=64.0), TypeError, "lanes must be an int"),
    (dict(iterations=True), TypeError, "iterations must be an int"),
    (dict(accumulate=32), TypeError, "accumulate must be None or a str"),
    (dict(eps="small"), TypeError, "eps must be a float"),
    (dict(mode=None), TypeError, "mode must be a str"),
])
def test_bad_parameters_raise_with_the_model_message(x, kwargs, error, message):
    with pytest.raises(error, match=message):
        nf.iternorm(x, **kwargs)


def test_bad_arrays_raise():
    with pytest.raises(ValueError, match="at least one axis"):
        nf.iternorm(np.float32(1.0))
    with pytest.raises(TypeError, match="real numbers"):
        nf.iternorm(np.array([["a"] * 64]))
    with pytest.raises(TypeError, match="fp32 encodings of dtype uint32"):
        nf.iternorm_bits(np.zeros((2, 64), dtype=np.float32))
    with pytest.raises(TypeError, match="gamma must be bf16 encodings"):
        nf.iternorm_bits(np.zeros((2, 64), dtype=np.uint16), format="bf16", gamma=np.ones(64, dtype=np.uint32))
    with pytest.raises(ValueError, match="layernorm with gamma needs beta"):
        nf.iternorm_bits(np.zeros((2, 64), dtype=np.uint32), gamma=np.zeros(64, dtype=np.uint32))


def test_threads_split_rows_without_changing_results(x):
    one = nf.iternorm(x, format="bf16", accumulate="wide")
    for threads in (2, 3, 16, 100):
        np.testing.assert_array_equal(nf.iternorm(x, format="bf16", accumulate="wide", threads=threads), one)
    with pytest.raises(ValueError, match="threads must be at least 1"):
        nf.iternorm(x, threads=0)
    with pytest.raises(ValueError, match="d must be a multiple of lanes"):
        nf.iternorm(x, lanes=256, d_max=256, threads=4)


def _fisr_rmsnorm_in_numpy(row: np.ndarray, steps: int) -> np.ndarray:
    """FISR RMSNorm of one FP32 row with one lane, by numpy's float32 operations (each IEEE
    round-to-nearest-even): the pre-scale by the largest exponent, the sequential sum of squares,
    Lomont's constant and the Newton steps, fl(sqrt(d)) and the products."""
    f = np.float32
    tx = int(np.frexp(np.abs(row).max())[1]) - 1
    y = (row * f(2.0 ** -tx)).astype(f)
    s = f(0)
    for v in y:
        s = f(s + f(v * v))
    r = np.array([0x5F375A86 - (int(np.array(s, dtype=f).view(np.uint32)) >> 1)], dtype=np.uint32).view(f)[0]
    half = f(s * f(0.5))
    for _ in range(steps):
        r = f(r * f(f(1.5) - f(f(half * r) * r)))
    r = f(f(np.sqrt(np.float64(len(row)))) * r)
    return (y * r).astype(f)


def test_fisr_baseline():
    x = np.random.default_rng(11).standard_normal((8, 64)).astype(np.float32)
    for steps in (1, 2):
        got = nf.iternorm(x, mode="rmsnorm", lanes=1, fisr_steps=steps)
        expected = np.stack([_fisr_rmsnorm_in_numpy(row, steps) for row in x])
        assert np.array_equal(got.view(np.uint32), expected.view(np.uint32))
    exact = (x - x.mean(-1, keepdims=True)) / x.std(-1, keepdims=True)
    errors = [np.abs(nf.iternorm(x, fisr_steps=n) - exact).max() for n in range(4)]
    assert errors[0] > errors[1] > errors[2] > errors[3] and errors[0] < 0.2 and errors[3] < 1e-5
    assert np.array_equal(nf.iternorm(x, fisr_steps=1, threads=2), nf.iternorm(x, fisr_steps=1))
    for kwargs, message in [({"fisr_steps": 9}, "newton steps"), ({"fisr_steps": 1, "accumulate": "wide"}, "wide"),
                            ({"fisr_steps": 1, "lanes": 48}, "lanes")]:
        with pytest.raises(ValueError, match=message):
            nf.iternorm(x, **kwargs)
    with pytest.raises(TypeError):
        nf.iternorm(x, fisr_steps=1.5)
