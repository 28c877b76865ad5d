"""cocotb testbench for any NormForge macro, driven by the files of `normforge vectors`.

Reads `vectors.json` (ports, columns, handshake, latency) and the hex streams from the directory
named by NORMFORGE_VECTORS; loads the parameter memory if there is one; sends the first item alone
on an idle macro and checks its latency; then streams the rest with random input gaps and, where
the macro has `out_ready`, random back-pressure (seeded by NORMFORGE_SEED, fraction
NORMFORGE_BACKPRESSURE). Every output beat is compared with the expected stream, bit for bit.
Nothing here knows about Swift or about a particular circuit.

The expected stream is expected.hex, or with NORMFORGE_EXPECTED=python the rows that the Python
package normforge (python/, `make python`) computes at run time from the inputs and vectors.json
(`normforge.vectors.golden_expected`): the golden models called from a Python testbench.
"""

import json
import os
import random
from pathlib import Path

import cocotb
from cocotb.clock import Clock
from cocotb.triggers import ReadOnly, RisingEdge


def read_hex(path, columns):
    rows = []
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("//"):
            continue
        words = line.split()
        if len(words) != columns:
            raise ValueError(f"{path}: expected {columns} columns, got {line!r}")
        rows.append([int(word, 16) for word in words])
    return rows


class Stream:
    """The description and the streams of one vector directory."""

    def __init__(self, directory, expected="file"):
        directory = Path(directory)
        self.spec = json.loads((directory / "vectors.json").read_text())
        spec = self.spec
        self.inputs = read_hex(directory / spec["input_file"], len(spec["input_columns"]))
        if expected == "python":
            import normforge.vectors

            self.expected = normforge.vectors.golden_expected(directory)
        elif expected == "file":
            self.expected = read_hex(directory / spec["expected_file"], len(spec["expected_columns"]))
        else:
            raise ValueError(f"NORMFORGE_EXPECTED must be file or python, got {expected!r}")
        self.load = None
        if spec.get("load"):
            self.load = read_hex(directory / spec["load"]["file"], len(spec["load"]["columns"]))
        if len(self.inputs) != spec["input_beats"] or len(self.expected) != spec["expected_beats"]:
            raise ValueError("the hex files do not match vectors.json's beat counts")
        ports = {p["name"] for p in spec["ports"]}
        self.has_in_ready = "in_ready" in ports
        self.has_out_ready = "out_ready" in ports


def value(signal):
    # A 1-bit port reads as a Logic, a bus as a LogicArray: their binary string serves both.
    bits = str(signal.value)
    if bits.strip("01"):
        raise AssertionError(f"{signal._name} is {bits} (X or Z)")
    return int(bits, 2)


def describe(stream, beat, column, got, want):
    spec = stream.spec
    width = spec["lane_widths"].get(column)
    where = f"output beat {beat} (item {beat // spec['beats_per_item']}, beat {beat % spec['beats_per_item']})"
    if width is None:
        return f"{where}: {column} = {got:#x}, expected {want:#x}"
    mask = (1 << width) - 1
    lanes = [i for i in range(spec["lanes"]) if (got >> (i * width)) & mask != (want >> (i * width)) & mask]
    detail = ", ".join(
        f"lane {i}: {(got >> (i * width)) & mask:0{(width + 3) // 4}x} != {(want >> (i * width)) & mask:0{(width + 3) // 4}x}"
        for i in lanes[:4])
    return f"{where}: {column} differs in {len(lanes)} lanes ({detail})"


@cocotb.test()
async def golden_vectors(dut):
    stream = Stream(os.environ["NORMFORGE_VECTORS"], os.environ.get("NORMFORGE_EXPECTED", "file"))
    spec = stream.spec
    rng = random.Random(int(os.environ.get("NORMFORGE_SEED", "1")))
    back_pressure = float(os.environ.get("NORMFORGE_BACKPRESSURE", "0.3"))
    gap_rate = float(os.environ.get("NORMFORGE_GAPS", "0.2"))

    cocotb.start_soon(Clock(dut.clk, 10, unit="ns").start())
    dut.rst.value = 1
    dut.in_valid.value = 0
    if stream.has_out_ready:
        dut.out_ready.value = 1
    for name, constant in spec["constant_inputs"].items():
        getattr(dut, name).value = constant
    load = spec.get("load")
    if load:
        getattr(dut, load["enable"]).value = 0
        getattr(dut, load["address"]).value = 0
    for _ in range(2):
        await RisingEdge(dut.clk)
    dut.rst.value = 0
    if load:
        for address, row in enumerate(stream.load):
            getattr(dut, load["enable"]).value = 1
            getattr(dut, load["address"]).value = address
            for column, word in zip(load["columns"], row):
                getattr(dut, column).value = word
            await RisingEdge(dut.clk)
        getattr(dut, load["enable"]).value = 0

    per_item = spec["beats_per_item"]
    sent = received = 0
    cycle = 0
    first_accept = last_of_first = first_output = None
    mismatches = []
    limit = 1000 + len(stream.inputs) * 8 + spec["items"] * spec["latency_cycles"] * 2
    while received < len(stream.expected):
        # The first item goes alone, gap-free and without back-pressure: its latency is checked.
        first_phase = received < per_item
        may_send = sent < len(stream.inputs) and (sent < per_item or not first_phase)
        sending = may_send and (sent < per_item or rng.random() >= gap_rate)
        dut.in_valid.value = int(sending)
        if sending:
            for column, word in zip(spec["input_columns"], stream.inputs[sent]):
                getattr(dut, column).value = word
        ready_out = True
        if stream.has_out_ready:
            ready_out = first_phase or rng.random() >= back_pressure
            dut.out_ready.value = int(ready_out)
        await ReadOnly()
        accepted = sending and (not stream.has_in_ready or value(dut.in_ready) == 1)
        if value(dut.out_valid) == 1 and ready_out:
            if received >= len(stream.expected):
                raise AssertionError(f"cycle {cycle}: an output beat beyond the {len(stream.expected)} expected")
            for column, want in zip(spec["expected_columns"], stream.expected[received]):
                got = value(getattr(dut, column))
                if got != want:
                    mismatches.append(describe(stream, received, column, got, want))
            if received == 0:
                first_output = cycle
            if received == per_item - 1:
                last_of_first = cycle
            received += 1
        if accepted:
            if sent == 0:
                first_accept = cycle
            sent += 1
        await RisingEdge(dut.clk)
        cycle += 1
        if cycle > limit:
            raise AssertionError(f"stalled: {received} of {len(stream.expected)} output beats after {cycle} cycles")

    # Two conventions, as vectors.json's latency_definition says: the IterNorm macro counts to its
    # last output beat inclusive, the BFP converters to their first output beat.
    if spec["circuit"] == "iternorm":
        latency = last_of_first - first_accept + 1
    else:
        latency = first_output - first_accept
    dut._log.info("%s: %d items, %d output beats checked (expected from %s), %d mismatches, latency %d cycles, %d cycles",
                  spec["top"], spec["items"], received, os.environ.get("NORMFORGE_EXPECTED", "file"),
                  len(mismatches), latency, cycle)
    for line in mismatches[:10]:
        dut._log.error("MISMATCH %s", line)
    assert not mismatches, f"{len(mismatches)} mismatching output checks"
    assert latency == spec["latency_cycles"], f"latency {latency} cycles, vectors.json says {spec['latency_cycles']}"
