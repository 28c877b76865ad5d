#!/usr/bin/env python3
"""Prints the range-BN vs conventional-BN area table (Markdown) from `normforge synth range-bn
--json` reports named synth-rangebn-<size>-<range|conventional>-<forward|backward>.json, and the
LUT ratio range / conventional per size and pass. Writes the rows as JSON with --json FILE."""
import json, os, re, sys

args = sys.argv[1:]
out = None
if "--json" in args:
    i = args.index("--json"); out = args[i + 1]; del args[i:i + 2]
rows = {}
for path in args:
    m = re.match(r"synth-rangebn-(\w+)-(range|conventional)-(forward|backward)\.json$", os.path.basename(path))
    if not m:
        sys.exit(f"rangebn-area-table: unexpected file name {path}")
    with open(path) as f:
        rows[m.groups()] = json.load(f)
sizes = sorted({k[0] for k in rows})
print("| size | pass | unit | generic cells | LUT | FF | DSP | CARRY4 | RAMB | cycles/tensor | elem/cycle | LUT ratio |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
summary = []
for size in sizes:
    for p in ["forward", "backward"]:
        conv = rows.get((size, "conventional", p))
        for unit in ["range", "conventional"]:
            r = rows.get((size, unit, p))
            if r is None:
                continue
            x = r.get("xilinx") or {}
            ratio = ""
            if unit == "range" and conv and conv.get("xilinx") and x:
                ratio = f"{x['luts'] / conv['xilinx']['luts']:.2f}"
                summary.append({"size": size, "pass": p, "range_luts": x["luts"], "conventional_luts": conv["xilinx"]["luts"],
                                "lut_ratio": x["luts"] / conv["xilinx"]["luts"],
                                "generic_ratio": r["generic_cells"] / conv["generic_cells"]})
            print(f"| {size} | {p} | {unit} | {r['generic_cells']} | {x.get('luts', '-')} | {x.get('flip_flops', '-')} | "
                  f"{x.get('dsps', '-')} | {x.get('carries', '-')} | {x.get('block_rams', '-')} | {r.get('latency_cycles', '-')} | "
                  f"{r.get('elements_per_cycle', 0):.2f} | {ratio} |")
if out:
    with open(out, "w") as f:
        json.dump(summary, f, indent=2)
