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
