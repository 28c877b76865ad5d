"""The golden-vector files of ``normforge vectors`` (input.hex, expected.hex, load.hex and
vectors.json), read, and their expected stream computed here from the inputs alone.

`golden_expected` is what a Python testbench uses instead of expected.hex: the same rows, made
at run time by this package's golden models from ``vectors.json``'s parameters, the input beats
and the parameter load (the cocotb bench in testbenches/cocotb/ does so with
``--expected python``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import bfp
from .formats import FORMAT_NAMES, format_info
from .iternorm import iternorm_bits


def read_hex(path: Path) -> list[list[int]]:
    """The rows of a vector hex file: one list of column values per line, `//` lines skipped."""
    rows = []
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("//"):
            rows.append([int(word, 16) for word in line.split()])
    return rows


@dataclass
class VectorFiles:
    """One directory of ``normforge vectors``: ``description`` (vectors.json) and the hex rows."""

    description: dict
    inputs: list
    expected: list | None
    load: list | None

    @classmethod
    def read(cls, directory) -> "VectorFiles":
        directory = Path(directory)
        d = json.loads((directory / "vectors.json").read_text())
        expected = directory / d["expected_file"]
        load = d.get("load")
        return cls(d, read_hex(directory / d["input_file"]), read_hex(expected) if expected.is_file() else None,
                   read_hex(directory / load["file"]) if load else None)

    def lanes(self, word: int, port: str) -> list[int]:
        """A bus value split into lanes, lane 0 in the least significant bits."""
        width = self.description["lane_widths"][port]
        mask = (1 << width) - 1
        return [(word >> (width * i)) & mask for i in range(self.description["lanes"])]

    def pack(self, lanes, port: str) -> int:
        """Lanes packed into a bus value (the inverse of `lanes`)."""
        width = self.description["lane_widths"][port]
        return sum(int(v) << (width * i) for i, v in enumerate(lanes))


def _iternorm_parameters(text: str) -> dict:
    """The IterNorm configuration from vectors.json's ``parameters`` ("format = fp32, ...")."""
    fields = dict(part.split(" = ", 1) for part in text.split(", "))
    accumulate = fields["accumulate"]
    golden_names = set(FORMAT_NAMES.values())
    eta = re.fullmatch(r"2\^-(\d+)", fields["eta"])
    if eta is None:
        raise ValueError(f"vectors.json: cannot read eta '{fields['eta']}'")
    return dict(
        format=fields["format"],
        # A named format is the accumulate format as given; the wide mode's derived formats
        # (e9f32, e9f16, ...) have no name of their own.
        accumulate=accumulate if accumulate in golden_names else "wide",
        lanes=int(fields["lanes"]), d_max=int(fields["d_max"]), iterations=int(fields["iterations"]),
        eta_shift=int(eta.group(1)), form=fields["form"], mode=fields["mode"], eps=float(fields["eps"]),
    ), fields["affine"] == "true"


_ROUNDINGS = {"nearestEven": "nearest", "nearestAway": "nearest_away", "towardZero": "toward_zero",
              "stochastic": "stochastic"}


def _bfp_parameters(text: str) -> tuple[str, str, str, bool, int | None]:
    """(FP format, preset, rounding, flush, stochastic bits) from a converter's ``parameters``
    ("bf16 k=32 fp:4:3 floor nearestEven [flush] [srN] P=32"); the preset is the one with that
    block size, element and rule."""
    words = text.split()
    fp, k, element, rule, rounding = words[0], int(words[1][2:]), words[2], words[3], words[4]
    flush = "flush" in words[5:]
    bits = next((int(w[2:]) for w in words[5:] if re.fullmatch(r"sr\d+", w)), None)
    for preset in bfp.PRESETS:
        info = bfp.preset_info(preset)
        if info.element_kind == "int":
            spelled = f"int:{info.element_width - 1}"
        else:
            f = format_info(info.element_format)
            spelled = f"fp:{f.exponent_bits}:{f.fraction_bits}"
        if (info.block_size, spelled, info.rule) == (k, element, rule):
            return fp, preset, _ROUNDINGS[rounding], flush, bits
    raise ValueError(f"vectors.json: no BFP preset has k={k} {element} {rule}; the Python golden models take presets")


def golden_expected(directory) -> list[list[int]]:
    """The expected rows of a ``normforge vectors`` directory, computed from its inputs.

    IterNorm: each item's input beats make one vector of d = beats x lanes; gamma and beta come
    from load.hex. FP -> BFP: each block's beats are quantized in stream order (one converter,
    one LFSR); stochastic rounding is refused, as vectors.json does not record the LFSR seed.
    BFP -> FP: each beat's scale and elements are dequantized.
    """
    v = VectorFiles.read(directory)
    d = v.description
    beats = d["beats_per_item"]
    circuit = d["circuit"]
    if circuit == "iternorm":
        kwargs, affine = _iternorm_parameters(d["parameters"])
        dtype = format_info(kwargs["format"]).dtype
        x = np.array([v.lanes(row[0], "in_data") for row in v.inputs], dtype=dtype).reshape(d["items"], -1)
        gamma = beta = None
        if affine:
            gamma = np.array([v.lanes(row[0], "param_gamma") for row in v.load], dtype=dtype).reshape(-1)
            if len(v.load[0]) > 1:
                beta = np.array([v.lanes(row[1], "param_beta") for row in v.load], dtype=dtype).reshape(-1)
        y = iternorm_bits(x, gamma=gamma, beta=beta, **kwargs).reshape(len(v.inputs), -1)
        return [[v.pack(lanes, "out_data"), int(i % beats == beats - 1)] for i, lanes in enumerate(y)]
    fp, preset, rounding, flush, bits = _bfp_parameters(d["parameters"])
    source = format_info(fp)
    info = bfp.preset_info(preset)
    if circuit == "bfp-convert":
        if rounding == "stochastic":
            raise ValueError("vectors.json does not record the LFSR seed: check stochastic rounding with expected.hex")
        x = np.array([v.lanes(row[0], "in_data") for row in v.inputs], dtype=source.dtype).reshape(-1, info.block_size)
        q = bfp.quantize_bits(x, preset, source=fp, rounding=rounding, flush_subnormals=flush, stochastic_bits=bits)
        elements = q.elements.reshape(len(v.inputs), -1)
        return [[int(q.scales[i // beats, 0]), v.pack(lanes, "out_data"), int(i % beats == beats - 1)]
                for i, lanes in enumerate(elements)]
    if circuit == "bfp-deconvert":
        scales = np.array([row[0] for row in v.inputs], dtype=np.uint8).reshape(-1, beats)
        if np.any(scales != scales[:, :1]):
            raise ValueError("input.hex: a block's beats carry different scales")
        elements = np.array([v.lanes(row[1], "in_data") for row in v.inputs],
                            dtype=info.element_dtype).reshape(-1, info.block_size)
        out = bfp.dequantize_bits(bfp.BFPArray(scales[:, :1].copy(), elements, preset, axis=1), fp)
        return [[v.pack(lanes, "out_data")] for lanes in out.reshape(len(v.inputs), -1)]
    raise ValueError(f"vectors.json: circuit '{circuit}' has no Python golden model here")
