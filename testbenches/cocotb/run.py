#!/usr/bin/env python3
"""Runs test_normforge_vectors.py on a generated macro with cocotb's Python runner.

    run.py --rtl DIR_OR_FILE_LIST --vectors DIR [--simulator icarus|verilator] [--seed N]
           [--back-pressure F] [--build-dir DIR] [--expected file|python]

--rtl is the directory `normforge generate` wrote (its `<top>.f` gives the files in order) or
the `.f` file itself. --expected python checks against the rows the Python package normforge
computes at run time from the inputs (`make python` installs it) instead of expected.hex. Exit status 0 when every output beat matched, 1 otherwise, 2 on bad input.
"""

import argparse
import json
import sys
from pathlib import Path

from cocotb_tools.check_results import get_results
from cocotb_tools.runner import get_runner

HERE = Path(__file__).resolve().parent


def sources(rtl, top):
    rtl = Path(rtl)
    file_list = rtl if rtl.is_file() else rtl / f"{top}.f"
    if not file_list.is_file():
        raise SystemExit(f"run.py: error: no file list {file_list}")
    return [file_list.parent / line.strip() for line in file_list.read_text().splitlines() if line.strip()]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rtl", required=True)
    parser.add_argument("--vectors", required=True)
    parser.add_argument("--simulator", default="icarus", choices=["icarus", "verilator"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--back-pressure", type=float, default=0.3)
    parser.add_argument("--build-dir", default=None)
    parser.add_argument("--expected", default="file", choices=["file", "python"],
                        help="expected.hex, or the normforge package's golden models at run time")
    args = parser.parse_args()

    try:
        spec = json.loads((Path(args.vectors) / "vectors.json").read_text())
    except (OSError, ValueError) as error:
        print(f"run.py: error: cannot read {args.vectors}/vectors.json: {error}", file=sys.stderr)
        return 2
    top = spec["top"]
    build_dir = Path(args.build_dir or Path(args.vectors) / f"sim_build_{args.simulator}")
    runner = get_runner(args.simulator)
    # vectors.json names the flags that keep known Verilator miscompilations away (ToolWorkarounds).
    build_args = spec.get("verilator_flags", []) if args.simulator == "verilator" else []
    runner.build(sources=sources(args.rtl, top), hdl_toplevel=top, build_dir=build_dir,
                 build_args=build_args, timescale=("1ns", "1ps"))
    results = runner.test(
        test_module="test_normforge_vectors", hdl_toplevel=top, build_dir=build_dir, test_dir=build_dir,
        extra_env={"NORMFORGE_VECTORS": str(Path(args.vectors).resolve()), "NORMFORGE_SEED": str(args.seed),
                   "NORMFORGE_BACKPRESSURE": str(args.back_pressure), "NORMFORGE_EXPECTED": args.expected,
                   "PYTHONPATH": str(HERE)},
        seed=args.seed)
    tests, failed = get_results(Path(results))
    print(f"cocotb {args.simulator} {top}: {tests} tests, {failed} failed")
    return 0 if tests > 0 and failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
