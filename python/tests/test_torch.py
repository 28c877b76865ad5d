"""normforge.torch: the modules' forward passes are the golden models bit for bit, their backward
passes the documented gradients, and replace_modules swaps layers with their parameters."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402

import normforge  # noqa: E402
import normforge.torch as nft  # noqa: E402


def bits(t):
    return np.asarray(t.detach().numpy(), dtype=np.float32).view(np.uint32)


@pytest.mark.parametrize("fmt,accumulate", [("fp32", None), ("bf16", None), ("bf16", "wide"), ("fp16", "same")])
def test_layer_norm_forward_is_the_golden_model(fmt, accumulate):
    rng = np.random.default_rng(3)
    x = torch.from_numpy(rng.standard_normal((4, 7, 128)).astype(np.float32) * 3 + 1)
    m = nft.LayerNorm(128, format=fmt, accumulate=accumulate)
    with torch.no_grad():
        m.weight.copy_(torch.from_numpy(rng.uniform(0.5, 1.5, 128).astype(np.float32)))
        m.bias.copy_(torch.from_numpy(rng.standard_normal(128).astype(np.float32)))
    y = m(x)
    expected = normforge.iternorm(x.numpy(), format=fmt, accumulate=accumulate, lanes=64, gamma=m.weight.detach().numpy(),
                                  beta=m.bias.detach().numpy(), eps=1e-5)
    assert y.shape == x.shape and y.dtype == torch.float32
    assert np.array_equal(bits(y), expected.view(np.uint32))
    reference = nn.functional.layer_norm(x, (128,), m.weight, m.bias, 1e-5)
    tolerance = 1e-5 if fmt == "fp32" else 0.05
    assert torch.allclose(y, reference, atol=tolerance * 4, rtol=tolerance)


def test_rms_norm_forward_and_options():
    rng = np.random.default_rng(4)
    x = torch.from_numpy(rng.standard_normal((5, 96)).astype(np.float32))
    m = nft.RMSNorm(96, eps=1e-6, threads=2)
    with torch.no_grad():
        m.weight.copy_(torch.from_numpy(rng.uniform(0.5, 1.5, 96).astype(np.float32)))
    expected = normforge.iternorm(x.numpy(), mode="rmsnorm", lanes=32, gamma=m.weight.detach().numpy(), eps=1e-6)
    assert np.array_equal(bits(m(x)), expected.view(np.uint32))
    assert m.bias is None and nft.RMSNorm(96)._eps() == float(np.finfo(np.float32).eps)
    plain = nft.LayerNorm((2, 32), elementwise_affine=False)
    assert not list(plain.parameters())
    x2 = x[:, :64].reshape(5, 2, 32)
    assert np.array_equal(bits(plain(x2)).reshape(5, 64),
                          normforge.iternorm(x2.numpy().reshape(5, 64), eps=1e-5).view(np.uint32))


def test_layer_norm_backward_is_the_exact_gradient():
    rng = np.random.default_rng(5)
    x = torch.from_numpy(rng.standard_normal((3, 64)).astype(np.float32)).requires_grad_()
    m = nft.LayerNorm(64, format="bf16")
    g = torch.from_numpy(rng.standard_normal((3, 64)).astype(np.float32))
    m(x).backward(g)
    x64 = x.detach().double().requires_grad_()
    w64, b64 = (p.detach().double().requires_grad_() for p in (m.weight, m.bias))
    nn.functional.layer_norm(x64, (64,), w64, b64, 1e-5).backward(g.double())
    assert x.grad.dtype == torch.float32
    assert torch.allclose(x.grad.double(), x64.grad, rtol=1e-6, atol=1e-7)
    assert torch.allclose(m.weight.grad.double(), w64.grad, rtol=1e-6, atol=1e-7)
    assert torch.allclose(m.bias.grad.double(), b64.grad, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("cls", [nft.LayerNorm, nft.RMSNorm])
def test_gradcheck_against_the_macro_forward(cls):
    # The macro's FP32 forward is within about an ulp of the exact norm, so its central
    # differences (step 1e-3) match the float64 analytical gradient to ~1e-4.
    torch.manual_seed(0)
    m = cls(16, lanes=16).double()
    x = torch.randn(2, 16, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(m, (x,), eps=1e-3, atol=2e-3, rtol=2e-3)
    # The same check fails for a wrong gradient: a sign error in the output would not pass.
    wrong = lambda t: -m(t) + 2 * m(t).detach()  # noqa: E731 (forward value kept, gradient negated)
    assert not torch.autograd.gradcheck(wrong, (x,), eps=1e-3, atol=2e-3, rtol=2e-3, raise_exception=False)


def test_range_batch_norm_training_step_is_the_training_unit():
    rng = np.random.default_rng(6)
    x_np = (rng.standard_normal((4, 32, 4, 4)) * 2 + 0.5).astype(np.float32)
    g_np = rng.standard_normal(x_np.shape).astype(np.float32)
    gamma = rng.uniform(0.5, 1.5, 32).astype(np.float32)
    beta = rng.standard_normal(32).astype(np.float32)
    m = nft.RangeBatchNorm2d(32, input="mxint8", chunks=4)
    with torch.no_grad():
        m.weight.copy_(torch.from_numpy(gamma))
        m.bias.copy_(torch.from_numpy(beta))
    x = torch.from_numpy(x_np).requires_grad_()
    y = m(x)
    y.backward(torch.from_numpy(g_np))
    forward = normforge.range_batch_norm(x_np, input="mxint8", chunks=4, gamma=gamma, beta=beta, seed=1, input_seed=2)
    assert np.array_equal(bits(y), forward.y.view(np.uint32))
    grads = normforge.batch_norm_backward(forward, g_np, seed=3, dy_seed=4)
    assert np.array_equal(bits(x.grad), grads.dx.view(np.uint32))
    assert np.array_equal(bits(m.weight.grad), grads.dgamma.view(np.uint32))
    assert np.array_equal(bits(m.bias.grad), grads.dbeta.view(np.uint32))
    running = normforge.update_running_statistics(normforge.running_statistics(32, 64, 4), forward, momentum=0.1)
    assert np.array_equal(bits(m.running_mean), running.mean.view(np.uint32))
    assert np.array_equal(bits(m.running_range), running.range.view(np.uint32))
    assert int(m.num_batches_tracked) == 1 and int(m.positions) == 64


def test_range_batch_norm_eval_is_the_inference_unit_for_any_batch():
    rng = np.random.default_rng(7)
    m = nft.RangeBatchNorm2d(32, chunks=4, input="hbfp8")
    for _ in range(3):
        m(torch.from_numpy(rng.standard_normal((4, 32, 4, 4)).astype(np.float32)))
    m.eval()
    x_np = rng.standard_normal((4, 32, 4, 4)).astype(np.float32)
    y = m(torch.from_numpy(x_np))
    running = normforge.RunningStatistics(m.running_mean.numpy(), m.running_range.numpy(), 64, 4)
    flat = x_np.transpose(0, 2, 3, 1).reshape(-1, 32)
    expected, _, _ = normforge.range_batch_norm_inference(flat, running, input="hbfp8", channel_axis=1,
                                                          gamma=np.ones(32), beta=np.zeros(32))
    assert np.array_equal(bits(y), expected.reshape(4, 4, 4, 32).transpose(0, 3, 1, 2).copy().view(np.uint32))
    # Batches of other sizes run in pieces of the training n: positions are independent.
    assert np.array_equal(bits(m(torch.from_numpy(x_np[:1]))), bits(y[:1]))
    big = np.concatenate([x_np, x_np, x_np[:1]])
    assert np.array_equal(bits(m(torch.from_numpy(big))[4:8]), bits(y))


def test_range_batch_norm_bad_input():
    m = nft.RangeBatchNorm2d(32, chunks=4)
    with pytest.raises(ValueError, match="channels"):
        m(torch.zeros(2, 16, 4, 4))
    with pytest.raises(ValueError, match="chunks|divide"):
        m(torch.randn(1, 32, 1, 3))
    m.eval()
    with pytest.raises(ValueError, match="running statistics"):
        m(torch.zeros(2, 32, 4, 4))
    m.train()
    m(torch.randn(4, 32, 4, 4))
    with pytest.raises(ValueError, match="positions"):
        m(torch.randn(2, 32, 4, 4))
    with pytest.raises(ValueError, match="block size"):
        nft.RangeBatchNorm2d(24)(torch.randn(2, 24, 4, 4))


def test_layer_norm_bad_input():
    with pytest.raises(ValueError, match="trailing shape"):
        nft.LayerNorm(64)(torch.zeros(2, 32))
    with pytest.raises(ValueError, match="multiple"):
        nft.LayerNorm(96, lanes=64)(torch.zeros(2, 96))
    with pytest.raises(ValueError, match="format|fp"):
        nft.LayerNorm(64, format="fp64")(torch.zeros(2, 64))


class Tiny(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 32, 3, padding=1)
        self.bn = nn.BatchNorm2d(32)
        self.blocks = nn.Sequential(nn.Flatten(), nn.Linear(32 * 16, 64), nn.LayerNorm(64), nn.Linear(64, 3))

    def forward(self, x):
        return self.blocks(self.bn(self.conv(x)))


def test_replace_modules():
    torch.manual_seed(1)
    model = Tiny()
    with torch.no_grad():
        model.blocks[2].weight.uniform_(0.5, 1.5)
        model.bn.bias.uniform_(-1, 1)
    ln_weight = model.blocks[2].weight.detach().clone()
    replaced = nft.replace_modules(model, {nn.LayerNorm: {"format": "bf16", "accumulate": "wide"},
                                           "BatchNorm2d": {"input": "mxfp8-e4m3", "chunks": 4}})
    assert replaced == ["bn", "blocks.2"]
    assert isinstance(model.bn, nft.RangeBatchNorm2d) and model.bn.input == "mxfp8-e4m3"
    assert isinstance(model.blocks[2], nft.LayerNorm) and model.blocks[2].format == "bf16"
    assert torch.equal(model.blocks[2].weight, ln_weight)
    out = model(torch.randn(4, 1, 4, 4))
    out.sum().backward()
    assert out.shape == (4, 3) and model.conv.weight.grad is not None and model.bn.weight.grad is not None
    assert nft.replace_modules(model, {"LayerNorm": {}, "BatchNorm2d": {}}) == []
    custom = nft.replace_modules(Tiny(), {"LayerNorm": lambda old: nn.Identity()})
    assert custom == ["blocks.2"]
    with pytest.raises(ValueError, match="cannot replace"):
        nft.replace_modules(Tiny(), {"GroupNorm": {}})
    with pytest.raises(TypeError):
        nft.replace_modules(Tiny(), {"LayerNorm": 3})


def test_fisr_layer_norm_is_the_fisr_baseline():
    x = torch.randn(3, 64)
    m = nft.LayerNorm(64, elementwise_affine=False, fisr_steps=1)
    assert np.array_equal(bits(m(x)), normforge.iternorm(x.numpy(), eps=1e-5, fisr_steps=1).view(np.uint32))
