#!/usr/bin/env python3
"""Markdown tables of the accuracy experiments from docs/data/accuracy-*.json (make accuracy)."""
import json
import sys
from pathlib import Path

root = Path(__file__).resolve().parent.parent / "docs" / "data"


def fashion() -> str:
    d = json.loads((root / "accuracy-fashion-mnist.json").read_text())
    s, base = d["summary"], d["summary"]["fp32-bn"]["mean"]
    rows = ["| batch norm | test accuracy, mean (min-max) | vs FP32 BN |", "|---|---:|---:|"]
    for name, v in s.items():
        rows.append(f"| {name} | {100 * v['mean']:.2f} % ({100 * v['min']:.2f}-{100 * v['max']:.2f}) "
                    f"| {100 * (v['mean'] - base):+.2f} pp |")
    return "\n".join(rows)


def transformer() -> str:
    d = json.loads((root / "accuracy-char-transformer.json").read_text())
    s, base = d["summary"], d["summary"]["torch-layernorm"]["mean"]
    rows = ["| layer norm | validation loss, mean (min-max) | vs nn.LayerNorm |", "|---|---:|---:|"]
    for name, v in s.items():
        rows.append(f"| {name} | {v['mean']:.5f} ({v['min']:.5f}-{v['max']:.5f}) | {100 * (v['mean'] / base - 1):+.4f} % |")
    return "\n".join(rows)


if __name__ == "__main__":
    print({"fashion": fashion, "transformer": transformer}[sys.argv[1]]())
