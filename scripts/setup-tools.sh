#!/usr/bin/env bash
# Installs the HDL tools NormForge drives (Verilator, Icarus Verilog, Yosys) from Debian when any is
# missing. Idempotent: a machine that already has all three is left alone.
set -euo pipefail
missing=()
command -v verilator >/dev/null 2>&1 || missing+=(verilator)
command -v iverilog  >/dev/null 2>&1 || missing+=(iverilog)
command -v yosys     >/dev/null 2>&1 || missing+=(yosys)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]} with apt-get" >&2
if ! command -v apt-get >/dev/null 2>&1; then
  echo "setup: error: ${missing[*]} missing and apt-get is not available; install them by hand" >&2
  exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup: error: ${missing[*]} missing; run as root or install them by hand" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get update -qq || ! $SUDO apt-get install -y -qq verilator iverilog yosys >/dev/null; then
  echo "setup: error: apt-get could not install verilator iverilog yosys" >&2
  exit 1
fi
for t in verilator iverilog yosys; do
  command -v "$t" >/dev/null 2>&1 || { echo "setup: error: $t still missing after apt-get" >&2; exit 1; }
done
