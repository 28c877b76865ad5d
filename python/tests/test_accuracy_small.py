"""Small versions of `make accuracy` (python/accuracy/): the same scripts, a few steps each, so
that the default suite trains through the golden models end to end and checks what they print
and write. The full experiments' figures are in docs/python.md."""

import json
import sys
from pathlib import Path

import pytest

pytest.importorskip("torch")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "accuracy"))
import char_transformer  # noqa: E402
import fashion_mnist  # noqa: E402


@pytest.mark.skipif(not fashion_mnist.DATA.is_dir(), reason="dataset-fashion-mnist is not installed")
def test_fashion_mnist_range_bn_trains_like_fp32_bn(tmp_path, capsys):
    out = tmp_path / "fm.json"
    assert fashion_mnist.main(["--train-images", "3200", "--test-images", "1000", "--seeds", "1",
                               "--configs", "fp32-bn,range-mxint8", "--processes", "1", "--json", str(out)]) == 0
    summary = json.loads(out.read_text())["summary"]
    fp32, mxint8 = summary["fp32-bn"]["mean"], summary["range-mxint8"]["mean"]
    # 50 Adam steps: both well above chance (10 %) and close to each other.
    assert fp32 > 0.7 and mxint8 > 0.7 and abs(fp32 - mxint8) < 0.05
    assert "range-mxint8" in capsys.readouterr().out


@pytest.mark.skipif(not char_transformer.CORPUS.is_dir(), reason="fortunes is not installed")
def test_char_transformer_with_iternorm_learns_like_layernorm(tmp_path):
    out = tmp_path / "ct.json"
    assert char_transformer.main(["--steps", "25", "--seeds", "1", "--configs", "torch-layernorm,iternorm-fp32",
                                  "--processes", "1", "--validation-batches", "4", "--batch", "16",
                                  "--json", str(out)]) == 0
    summary = json.loads(out.read_text())["summary"]
    torch_loss, iternorm_loss = summary["torch-layernorm"]["mean"], summary["iternorm-fp32"]["mean"]
    # Below the uniform guess over ~95 symbols (ln 95 = 4.55) after 25 steps, and the same model.
    assert torch_loss < 4.0 and abs(iternorm_loss / torch_loss - 1) < 0.01


def test_bad_arguments_exit_2(capsys):
    assert fashion_mnist.main(["--configs", "fp32-bn,nope"]) == 2
    assert char_transformer.main(["--configs", "nope"]) == 2
    assert "unknown configuration nope" in capsys.readouterr().err
