#!/usr/bin/env python3
"""Markdown table of `normforge synth <circuit> --asic --json` reports (docs/measurements.md)."""
import json
import sys


def row(path):
    with open(path) as f:
        r = json.load(f)
    area = r["area"]
    power = r.get("power") or {}
    period = r.get("minimum_period_nanoseconds")
    fo4 = r.get("critical_path_fo4")
    latency = r.get("latency_nanoseconds")
    fixed = lambda v, d: "-" if v is None else f"{v:.{d}f}"
    return (f"| {r['design'][:48]} | {area['cells']:,} | {area['total_area']:,.0f} | {area['total_area'] / area['nand2_area'] / 1000:.1f} "
            f"| {area['memory_bits']} | {fixed(period, 2)} | {fixed(fo4, 0)} | {fixed(r.get('fmax_mhz'), 1)} "
            f"| {r.get('latency_cycles') or '-'} / {fixed(latency, 0)} | {power.get('total_watts', 0) * 1e3:.2f} |")


print("| design | cells | um^2 | kGE | memory bits | min period ns | FO4 | Fmax MHz | latency cycles / ns | power mW at Fmax (propagated, a model) |")
print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
for path in sys.argv[1:]:
    print(row(path))
