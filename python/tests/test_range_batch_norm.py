"""range_batch_norm's forward pass against independent arithmetic: statistics against float64,
each chunk's argmax/argmin against numpy, the normalize step replayed bit for bit in float32
(each of its steps is one IEEE binary32 operation), the output blocks against bfp.quantize."""

from __future__ import annotations

import numpy as np
import pytest

import normforge as nf
from normforge import bfp


@pytest.fixture
def x():
    return (np.random.default_rng(11).standard_normal((4, 64, 4, 4)) * 3 + 1).astype(np.float32)


def ulps(a, b):
    return np.abs(a.astype(np.float64) - b) / np.spacing(np.abs(b).astype(np.float32)).astype(np.float64)


@pytest.mark.parametrize("preset", ["mxint8", "mxfp8-e4m3", "hbfp8"])
def test_statistics_and_normalize_step(x, preset):
    gamma = np.random.default_rng(1).uniform(0.5, 2, 64).astype(np.float32)
    beta = np.random.default_rng(2).standard_normal(64).astype(np.float32)
    r = nf.range_batch_norm(x, input=preset, chunks=8, gamma=gamma, beta=beta)
    assert r.y.shape == x.shape and r.values.shape == x.shape
    xin = bfp.dequantize(r.input).astype(np.float64)  # (positions, channels), as the unit sees it
    n = xin.shape[0]
    assert np.all(ulps(r.mean, xin.mean(0)) <= 1)
    chunks = xin.reshape(8, n // 8, 64)
    widths = chunks.max(1) - chunks.min(1)
    assert np.all(ulps(r.range, widths.mean(0)) <= 1)
    np.testing.assert_array_equal(r.argmax, chunks.argmax(1).T)  # first occurrence of each chunk's extreme
    np.testing.assert_array_equal(r.argmin, chunks.argmin(1).T)
    c_n = np.float32(1 / np.sqrt(2 * np.log(n / 8)))
    assert np.all(ulps(r.scale, 1 / (r.range.astype(np.float64) * c_n + np.float32(1e-5))) <= 2)
    # y = add(mul(sub(x, mean), mul(scale, gamma)), beta): four binary32 operations, replayed.
    a = r.scale * gamma
    replay = (xin.astype(np.float32) - r.mean) * a + beta
    np.testing.assert_array_equal(np.moveaxis(r.values, 1, -1).reshape(-1, 64).view(np.uint32), replay.view(np.uint32))
    # The output blocks are the values quantized in stream order.
    q = bfp.quantize_bits(nf.encode(replay, "fp32"), preset)
    np.testing.assert_array_equal(r.output.scales, q.scales)
    np.testing.assert_array_equal(r.output.elements, q.elements)
    np.testing.assert_array_equal(r.y, np.moveaxis(bfp.dequantize(q).reshape(4, 4, 4, 64), -1, 1))


def test_output_preset_rounding_and_seed(x):
    a = nf.range_batch_norm(x, input="mxfp8-e4m3", output="mxint8", output_rounding="stochastic", seed=5)
    b = nf.range_batch_norm(x, input="mxfp8-e4m3", output="mxint8", output_rounding="stochastic", seed=6)
    np.testing.assert_array_equal(a.values, b.values)
    assert a.output.preset == "mxint8" and not np.array_equal(a.output.elements, b.output.elements)
    q = bfp.quantize_bits(nf.encode(np.moveaxis(a.values, 1, -1).reshape(-1, 64), "fp32"), "mxint8",
                          rounding="stochastic", seed=5)
    np.testing.assert_array_equal(a.output.elements, q.elements)


def test_channels_last_layout(x):
    nhwc = np.moveaxis(x, 1, -1).copy()
    a, b = nf.range_batch_norm(x), nf.range_batch_norm(nhwc, channel_axis=-1)
    np.testing.assert_array_equal(np.moveaxis(a.y, 1, -1), b.y)
    np.testing.assert_array_equal(a.mean, b.mean)


@pytest.mark.parametrize("kwargs,error,message", [
    (dict(chunks=0), ValueError, "chunks must be at least 1"),
    (dict(chunks=7), ValueError, "must split into 7 chunks"),
    (dict(chunks=64), ValueError, "chunks of at least 2 values"),
    (dict(newton_steps=17), ValueError, "Newton steps must be in 1...16"),
    (dict(newton_steps=0), ValueError, "Newton steps must be in 1...16"),
    (dict(eps=-1.0), ValueError, "eps must be finite"),
    (dict(eps=float("nan")), ValueError, "eps must be finite"),
    (dict(gamma=np.ones(3)), ValueError, "gamma must have shape"),
    (dict(input="mxint9"), ValueError, "unknown BFP preset"),
    (dict(output="hbfp8"), ValueError, "same number of channels"),
    (dict(channel_axis=4), ValueError, "out of range"),
    (dict(seed=0), ValueError, "seed must be in"),
    (dict(output_rounding="up"), ValueError, "unknown BFP rounding"),
    (dict(chunks=2.0), TypeError, "chunks must be an int"),
])
def test_bad_parameters_raise(x, kwargs, error, message):
    with pytest.raises(error, match=message):
        nf.range_batch_norm(x, **kwargs)


def test_bad_shapes_raise():
    with pytest.raises(ValueError, match="channel axis and at least one position"):
        nf.range_batch_norm(np.ones(32))
    with pytest.raises(ValueError, match="multiple of the block size 32"):
        nf.range_batch_norm(np.ones((16, 48)))


def range_bn_float64(x, gamma, beta, chunks, eps):
    """Range BN in float64, the argmax/argmin of each chunk where they are (x: positions x channels)."""
    n = x.shape[0]
    c_n = 1 / np.sqrt(2 * np.log(n / chunks))
    parts = x.reshape(chunks, n // chunks, -1)
    r = (parts.max(1) - parts.min(1)).mean(0)
    return gamma * (x - x.mean(0)) / (r * c_n + eps) + beta


def range_bn_gradient_float64(x, g, gamma, scale, argmax, argmin, chunks):
    """dL/dx of range BN by the chain rule, with the forward's scale (float64)."""
    n, c = x.shape
    c_n = 1 / np.sqrt(2 * np.log(n / chunks))
    xhat = (x - x.mean(0)) * scale
    dgamma = (g * xhat).sum(0)
    dx = gamma * scale * (g - g.mean(0))
    t = -gamma * dgamma * scale * c_n / chunks
    size = n // chunks
    for ch in range(c):
        for j in range(chunks):
            hi, lo = j * size + argmax[ch, j], j * size + argmin[ch, j]
            if hi != lo:
                dx[hi, ch] += t[ch]
                dx[lo, ch] -= t[ch]
    return dx, dgamma, g.sum(0)


def test_the_float64_reference_gradient_is_the_derivative():
    """Finite differences of the float64 model confirm the chain rule that the test below uses."""
    rng = np.random.default_rng(4)
    x = rng.standard_normal((16, 8))
    g = rng.standard_normal((16, 8))
    gamma, beta = rng.uniform(0.5, 2, 8), rng.standard_normal(8)
    parts = x.reshape(4, 4, 8)
    argmax, argmin = parts.argmax(1).T, parts.argmin(1).T
    c_n = 1 / np.sqrt(2 * np.log(4))
    scale = 1 / ((parts.max(1) - parts.min(1)).mean(0) * c_n + 1e-5)
    dx, _, _ = range_bn_gradient_float64(x, g, gamma, scale, argmax, argmin, 4)
    h = 1e-6
    numeric = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h
        numeric[i] = ((g * range_bn_float64(x + e, gamma, beta, 4, 1e-5)).sum()
                      - (g * range_bn_float64(x - e, gamma, beta, 4, 1e-5)).sum()) / (2 * h)
    np.testing.assert_allclose(dx, numeric, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("preset", ["mxint8", "mxfp8-e4m3"])
def test_range_bn_backward_is_the_chain_rule(x, preset):
    gamma = np.random.default_rng(1).uniform(0.5, 2, 64).astype(np.float32)
    dy = np.random.default_rng(3).standard_normal(x.shape).astype(np.float32)
    r = nf.range_batch_norm(x, input=preset, gamma=gamma)
    grads = nf.batch_norm_backward(r, dy, gradient_input="mxfp8-e5m2", seed=9)
    assert grads.dx.shape == x.shape and grads.dgamma.shape == (64,)
    xin = bfp.dequantize(r.input).astype(np.float64)
    g = bfp.fake_quantize(np.moveaxis(dy, 1, -1).reshape(-1, 64), "mxfp8-e5m2").astype(np.float64)
    dx, dgamma, dbeta = range_bn_gradient_float64(xin, g, gamma.astype(np.float64), r.scale.astype(np.float64),
                                                  r.argmax, r.argmin, 8)
    got = np.moveaxis(grads.dx_values, 1, -1).reshape(-1, 64).astype(np.float64)
    np.testing.assert_allclose(got, dx, rtol=1e-4, atol=1e-5 * np.abs(dx).max())
    np.testing.assert_allclose(grads.dbeta, dbeta, rtol=0, atol=1e-5 * np.abs(g).sum(0).max())
    np.testing.assert_allclose(grads.dgamma, dgamma, rtol=1e-4, atol=1e-5 * np.abs(g).sum(0).max())
    # dL/dx in blocks: dx_values quantized in stream order with the seed given.
    q = bfp.quantize_bits(nf.encode(got, "fp32"), preset, seed=9)
    np.testing.assert_array_equal(grads.dx_blocks.elements, q.elements)
    np.testing.assert_array_equal(grads.dx_blocks.scales, q.scales)


def test_conventional_batch_norm_forward_and_backward(x):
    gamma = np.random.default_rng(1).uniform(0.5, 2, 64).astype(np.float32)
    beta = np.random.default_rng(2).standard_normal(64).astype(np.float32)
    r = nf.conventional_batch_norm(x, input="mxint8", gamma=gamma, beta=beta)
    assert r.range is None and r.argmax is None
    xin = bfp.dequantize(r.input).astype(np.float64)
    var = xin.var(0)
    assert np.all(ulps(r.mean, xin.mean(0)) <= 1)
    np.testing.assert_allclose(r.scale, 1 / np.sqrt(var + np.float32(1e-5)), rtol=5e-7)
    a = r.scale * gamma
    replay = (xin.astype(np.float32) - r.mean) * a + beta
    np.testing.assert_array_equal(np.moveaxis(r.values, 1, -1).reshape(-1, 64), replay)
    dy = np.random.default_rng(3).standard_normal(x.shape).astype(np.float32)
    grads = nf.batch_norm_backward(r, dy)
    g = bfp.fake_quantize(np.moveaxis(dy, 1, -1).reshape(-1, 64), "mxint8").astype(np.float64)
    s = r.scale.astype(np.float64)
    xhat = (xin - xin.mean(0)) * s
    dx = gamma * s * (g - g.mean(0) - xhat * (g * xhat).mean(0))
    got = np.moveaxis(grads.dx_values, 1, -1).reshape(-1, 64)
    np.testing.assert_allclose(got, dx, rtol=1e-4, atol=1e-5 * np.abs(dx).max())
    np.testing.assert_allclose(grads.dgamma, (g * xhat).sum(0), rtol=1e-4, atol=1e-5 * np.abs(g).sum(0).max())


def test_backward_bad_input(x):
    r = nf.range_batch_norm(x)
    with pytest.raises(ValueError, match="dy must have the forward input's shape"):
        nf.batch_norm_backward(r, x[:2])
    with pytest.raises(TypeError, match="forward must be the result"):
        nf.batch_norm_backward(x, x)
    with pytest.raises(ValueError, match="same number of channels"):
        nf.batch_norm_backward(r, x, gradient_output="hbfp8")
    with pytest.raises(ValueError, match="unknown BFP rounding"):
        nf.batch_norm_backward(r, x, gradient_rounding="sideways")
    with pytest.raises(ValueError, match="seed must be in"):
        nf.batch_norm_backward(r, x, seed=0)


def test_running_statistics_and_inference(x):
    n = x.size // 64
    running = nf.running_statistics(64, n, 8)
    c_n = 1 / np.sqrt(2 * np.log(n / 8))
    assert np.all(running.mean == 0)
    assert np.all(running.range == np.float32(1 / np.float32(c_n)))
    gamma = np.random.default_rng(1).uniform(0.5, 2, 64)
    beta = np.random.default_rng(2).standard_normal(64)
    r = nf.range_batch_norm(x, gamma=gamma, beta=beta)
    updated = nf.update_running_statistics(running, r, momentum=0.1)
    # PyTorch's convention, each step one binary32 operation: replayed in float32.
    keep, take = np.float32(0.9), np.float32(0.1)
    np.testing.assert_array_equal(updated.mean, keep * running.mean + take * r.mean)
    np.testing.assert_array_equal(updated.range, keep * running.range + take * r.range)
    # Inference with the tensor's own statistics is the forward pass, bit for bit.
    own = nf.RunningStatistics(r.mean, r.range, n, 8)
    y, values, out = nf.range_batch_norm_inference(x, own, gamma=gamma, beta=beta)
    np.testing.assert_array_equal(values, r.values)
    np.testing.assert_array_equal(y, r.y)
    np.testing.assert_array_equal(out.elements, r.output.elements)
    # With the reset state (range C(n) = 1) the output is gamma x / (1 + eps) + beta.
    _, reset_values, _ = nf.range_batch_norm_inference(x, running, gamma=gamma, beta=beta)
    xin = np.moveaxis(bfp.dequantize(r.input).reshape(4, 4, 4, 64), -1, 1)
    expected = gamma[None, :, None, None] * xin / (1 + 1e-5) + beta[None, :, None, None]
    np.testing.assert_allclose(reset_values, expected, rtol=1e-6, atol=1e-6 * np.abs(expected).max())
    with pytest.raises(ValueError, match="momentum must be in 0...1"):
        nf.update_running_statistics(running, r, momentum=1.5)
    with pytest.raises(ValueError, match="positions"):
        nf.range_batch_norm_inference(x[:2], running)
    with pytest.raises(ValueError, match="need 64 channels"):
        nf.range_batch_norm_inference(x, nf.RunningStatistics(np.zeros(3), np.ones(3), n, 8))
    with pytest.raises(TypeError, match="range_batch_norm"):
        nf.update_running_statistics(running, nf.conventional_batch_norm(x))


def test_a_tampered_forward_result_is_refused(x):
    import dataclasses
    r = nf.range_batch_norm(x)
    short = dataclasses.replace(r, input=bfp.BFPArray(r.input.scales[:3], r.input.elements[:3], "mxint8", 1))
    wide = dataclasses.replace(r, gamma=np.zeros(128, dtype=np.uint32))
    for bad in (short, wide):
        with pytest.raises(ValueError, match="do not match its configuration"):
            nf.batch_norm_backward(bad, x)
        with pytest.raises(ValueError, match="do not match its configuration"):
            nf.update_running_statistics(nf.running_statistics(64, 64, 8), bad)
