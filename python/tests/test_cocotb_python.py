"""The cocotb bench (testbenches/cocotb/) with its expected stream from this package at run time
(``run.py --expected python``): a generated macro on Icarus agrees with the Python golden models
with no expected.hex at all, and a wrong configuration in the Python model is caught."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys

import pytest

from conftest import REPO

pytestmark = pytest.mark.skipif(shutil.which("iverilog") is None or importlib.util.find_spec("cocotb") is None,
                                reason="needs Icarus Verilog and cocotb (make setup)")


def bench(cli, tmp_path, circuit: list[str], stream: list[str]):
    rtl, vectors = tmp_path / "rtl", tmp_path / "vectors"
    for command, out in ((["generate", *circuit], rtl), (["vectors", *circuit, *stream], vectors)):
        result = subprocess.run([str(cli), *command, "--out", str(out)], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
    (vectors / "expected.hex").unlink()  # only the Python golden models say what to expect
    return rtl, vectors


def cocotb(tmp_path, rtl, vectors):
    return subprocess.run([sys.executable, str(REPO / "testbenches" / "cocotb" / "run.py"), "--simulator", "icarus",
                           "--rtl", str(rtl), "--vectors", str(vectors), "--build-dir", str(tmp_path / "build"),
                           "--expected", "python", "--seed", "4"], capture_output=True, text=True)


@pytest.mark.parametrize("circuit,stream", [
    (["iternorm", "--lanes", "4", "--d-max", "16"], ["--count", "30", "--seed", "2"]),
    (["bfp-convert", "--preset", "mxfp8-e4m3", "--lanes", "8"], ["--blocks", "20"]),
    (["bfp-deconvert", "--preset", "hbfp8", "--lanes", "4"], ["--blocks", "20"]),
])
def test_macro_matches_the_python_golden_models(cli, tmp_path, circuit, stream):
    rtl, vectors = bench(cli, tmp_path, circuit, stream)
    run = cocotb(tmp_path, rtl, vectors)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert "(expected from python), 0 mismatches" in run.stdout
    assert "1 tests, 0 failed" in run.stdout


def test_a_wrong_python_configuration_is_caught(cli, tmp_path):
    rtl, vectors = bench(cli, tmp_path, ["iternorm", "--lanes", "4", "--d-max", "16"], ["--count", "20"])
    spec = json.loads((vectors / "vectors.json").read_text())
    assert "iterations = 5" in spec["parameters"]
    spec["parameters"] = spec["parameters"].replace("iterations = 5", "iterations = 4")
    (vectors / "vectors.json").write_text(json.dumps(spec))
    run = cocotb(tmp_path, rtl, vectors)
    assert run.returncode == 1
    assert "MISMATCH output beat" in run.stdout
