"""bfp's Python surface: presets, axes, round trips, stochastic rounding and bad input."""

from __future__ import annotations

import numpy as np
import pytest

import normforge as nf
from normforge import bfp


@pytest.fixture
def x():
    return np.random.default_rng(3).standard_normal((4, 6, 64)).astype(np.float32)


def test_presets():
    expected = {"mxint8": (32, "int", "int8", 8, "floor"), "mxfp8-e4m3": (32, "float", "e4m3", 8, "floor"),
                "mxfp8-e5m2": (32, "float", "e5m2", 8, "floor"), "mxfp6-e3m2": (32, "float", "e3m2", 6, "floor"),
                "mxfp6-e2m3": (32, "float", "e2m3", 6, "floor"), "mxfp4-e2m1": (32, "float", "e2m1", 4, "floor"),
                "hbfp8": (16, "int", "int8", 8, "ceil")}
    assert set(expected) == set(bfp.PRESETS)
    for name, (k, kind, element, width, rule) in expected.items():
        info = bfp.preset_info(name)
        assert (info.block_size, info.element_kind, info.element_format, info.element_width, info.rule) == \
            (k, kind, element, width, rule)


@pytest.mark.parametrize("preset", bfp.PRESETS)
def test_round_trip_error_is_bounded_by_the_element_grid(x, preset):
    q = bfp.quantize(x, preset)
    k = bfp.preset_info(preset).block_size
    assert q.scales.shape == (4, 6, 64 // k) and q.elements.shape == x.shape
    y = bfp.dequantize(q)
    assert y.shape == x.shape and y.dtype == np.float32
    # Each block's values are within the element format's relative step of the block maximum.
    blocks = np.abs(x.reshape(-1, k)).max(-1, keepdims=True)
    error = np.abs(y - x).reshape(-1, k) / blocks
    limit = {"mxint8": 2**-6, "hbfp8": 2**-6, "mxfp8-e4m3": 2**-3, "mxfp8-e5m2": 2**-2, "mxfp6-e3m2": 2**-2,
             "mxfp6-e2m3": 2**-3, "mxfp4-e2m1": 2**-1}[preset]
    assert error.max() <= limit
    np.testing.assert_array_equal(bfp.fake_quantize(x, preset), y)


def test_values_on_the_grid_are_exact():
    x = np.array([[1.0, -0.5, 0.25, 0.0] * 8])
    for preset in ("mxint8", "mxfp8-e4m3", "mxfp4-e2m1"):
        np.testing.assert_array_equal(bfp.fake_quantize(x, preset), x)


def test_axis_is_the_blocked_axis(x):
    along0 = bfp.quantize(np.moveaxis(x, -1, 0), "mxint8", axis=0)
    last = bfp.quantize(x, "mxint8")
    np.testing.assert_array_equal(along0.scales, last.scales)
    np.testing.assert_array_equal(bfp.dequantize(along0), np.moveaxis(bfp.dequantize(last), -1, 0))
    columns = x.reshape(-1, 16)[:32].T.copy()  # (16, 32): hbfp8 blocks of 16 down each column
    q = bfp.quantize(columns, "hbfp8", axis=0, source="bf16")
    assert q.axis == 0 and q.scales.shape == (32, 1)
    np.testing.assert_array_equal(bfp.dequantize(q), bfp.dequantize(bfp.quantize(columns.T, "hbfp8", source="bf16")).T)


def test_nan_blocks_and_shared_exponent():
    x = np.ones((2, 32), dtype=np.float32)
    x[1, 5] = np.nan
    q = bfp.quantize(x, "mxfp8-e4m3")
    assert q.scales[0, 0] == 127 - 8 and q.scales[1, 0] == 255  # 1.0 = 2^8 * 2^-8 (emax_elem 8); NaN scale
    y = bfp.dequantize(q)
    assert np.all(y[0] == 1) and np.all(np.isnan(y[1]))


def test_stochastic_rounding_is_seeded_and_unbiased():
    x = np.full((200, 32), 1 + 2**-10, dtype=np.float32)
    x[:, 0] = 2.0  # the block maximum sets the grid: 1 + 2^-10 lies between two MXINT8 steps
    a = bfp.fake_quantize(x, "mxint8", rounding="stochastic", seed=7)
    assert np.array_equal(a, bfp.fake_quantize(x, "mxint8", rounding="stochastic", seed=7))
    assert not np.array_equal(a, bfp.fake_quantize(x, "mxint8", rounding="stochastic", seed=8))
    assert set(np.unique(a[:, 1:])) == {1.0, 1.03125}
    assert abs(a[:, 1:].mean() - (1 + 2**-10)) < 2e-3
    assert np.all(bfp.fake_quantize(x, "mxint8")[:, 1:] == 1.0)  # nearest-even


def test_dequantize_to_other_targets(x):
    q = bfp.quantize(x, "mxfp8-e5m2")
    np.testing.assert_array_equal(bfp.dequantize_bits(q, "bf16"), nf.convert(bfp.dequantize_bits(q, "fp32"), "fp32", "bf16"))


@pytest.mark.parametrize("call,error,message", [
    (lambda x: bfp.quantize(x, "mxint9"), ValueError, "unknown BFP preset 'mxint9'; known: mxint8"),
    (lambda x: bfp.quantize(x[..., :40], "mxint8"), ValueError, "not a whole number of 32-value"),
    (lambda x: bfp.quantize(x, "mxint8", axis=3), ValueError, "out of range"),
    (lambda x: bfp.quantize(x, "mxint8", axis=1.0), TypeError, "axis must be an int"),
    (lambda x: bfp.quantize(x, "mxint8", seed=0), ValueError, "seed must be in"),
    (lambda x: bfp.quantize(x, "mxint8", seed=2**32), ValueError, "seed must be in"),
    (lambda x: bfp.quantize(x, "mxint8", rounding="up"), ValueError, "unknown BFP rounding"),
    (lambda x: bfp.quantize(x, "mxint8", rounding="stochastic", stochastic_bits=33), ValueError, "1...32"),
    (lambda x: bfp.quantize(x, "mxint8", source="fp64"), ValueError, "at most 32 bits wide"),
    (lambda x: bfp.quantize_bits(x, "mxint8"), TypeError, "fp32 encodings of dtype uint32"),
    (lambda x: bfp.dequantize(x, "fp32"), TypeError, "BFPArray"),
    (lambda x: bfp.dequantize(bfp.quantize(x, "mxint8"), "fp8_e4m3"), ValueError, "NaN and infinity"),
    (lambda x: bfp.dequantize(bfp.BFPArray(np.zeros((1, 2), np.uint8), np.zeros((1, 32), np.uint8), "mxint8", -1)),
     ValueError, "not whole 32-element blocks"),
    (lambda x: bfp.dequantize(bfp.BFPArray(np.zeros((1, 1), np.uint8), np.zeros((1, 32), np.uint16), "mxint8", -1)),
     TypeError, "uint8 scales and uint8 elements"),
])
def test_bad_input_raises(x, call, error, message):
    with pytest.raises(error, match=message):
        call(x)
