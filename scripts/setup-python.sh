#!/usr/bin/env bash
# The Python package normforge (python/), idempotently:
#  - builds the golden models' C ABI, the Swift product NormForgeGolden, self-contained
#    (-static-stdlib: the .so then needs only libc, libm, libstdc++ and libgcc_s) in its own
#    build path .build-python/, so that the flag never mixes with the main build's objects;
#  - copies it (stripped) into python/src/normforge/ when the build produced a newer one;
#  - installs python/requirements.txt (pinned numpy and pytest) into .venv/ when that file changed,
#    and the package itself, editable, when python/pyproject.toml changed.
# Needs .venv/ from scripts/setup-tools.sh (`make setup`). Nothing to do: about 2 s (Swift's check).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="$root/.venv"
swift="${SWIFT:-swift}"
[ -x "$venv/bin/python" ] || { echo "setup-python: error: $venv is missing; run make setup first" >&2; exit 1; }

"$swift" build -c release -Xswiftc -static-stdlib --build-path "$root/.build-python" --product NormForgeGolden \
  | grep -v -e '^\[' -e '^Building for' -e 'Build of product' -e "use of \`mktemp' is dangerous" || true
lib="$root/.build-python/release/libNormForgeGolden.so"
[ -f "$lib" ] || { echo "setup-python: error: $lib was not built" >&2; exit 1; }
dest="$root/python/src/normforge/libNormForgeGolden.so"
if [ ! -f "$dest" ] || [ "$lib" -nt "$dest" ]; then
  if command -v strip >/dev/null 2>&1; then strip --strip-unneeded -o "$dest.tmp" "$lib"; else cp "$lib" "$dest.tmp"; fi
  mv "$dest.tmp" "$dest"
  echo "setup-python: installed $(du -h "$dest" | cut -f1) $dest" >&2
fi

stamp="$venv/.python-requirements"
if ! cmp -s "$root/python/requirements.txt" "$stamp" 2>/dev/null; then
  echo "setup-python: installing python/requirements.txt into $venv" >&2
  "$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$root/python/requirements.txt"
  cp "$root/python/requirements.txt" "$stamp"
fi
# Debian's torch (python3-torch, from make setup) seen from the venv: its dist-packages directory
# goes after the venv's own, so the venv's pinned numpy (1.x: torch 1.13 is built against numpy's
# 1.x ABI) and pytest win over Debian's.
purelib="$("$venv/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
pth="$purelib/normforge-debian-torch.pth"
if [ -d /usr/lib/python3/dist-packages/torch ] && [ "$(cat "$pth" 2>/dev/null)" != /usr/lib/python3/dist-packages ]; then
  echo /usr/lib/python3/dist-packages > "$pth"
fi
stamp="$venv/.python-package"
if ! cmp -s "$root/python/pyproject.toml" "$stamp" 2>/dev/null \
   || ! (cd / && "$venv/bin/python" -c 'import normforge' >/dev/null 2>&1); then
  echo "setup-python: installing python/ (editable) into $venv" >&2
  "$venv/bin/python" -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e "$root/python"
  cp "$root/python/pyproject.toml" "$stamp"
fi
