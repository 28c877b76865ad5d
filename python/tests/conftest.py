"""Shared helpers: the normforge CLI (the Swift golden model) and its golden-vector files."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def cli_path() -> Path | None:
    """The normforge binary: $NORMFORGE_CLI (set by `make test-python`) or the release build."""
    if "NORMFORGE_CLI" in os.environ:
        return Path(os.environ["NORMFORGE_CLI"])
    default = REPO / ".build" / "release" / "normforge"
    return default if default.is_file() else None


@pytest.fixture(scope="session")
def cli() -> Path:
    path = cli_path()
    if path is None:
        pytest.skip("the normforge CLI is not built (swift build -c release --product normforge, or make test-python)")
    assert path.is_file(), f"NORMFORGE_CLI={path} does not exist"
    return path


class VectorSet:
    """The files `normforge vectors` wrote: the description and the hex rows split into lanes."""

    def __init__(self, directory: Path):
        self.directory = directory
        self.description = json.loads((directory / "vectors.json").read_text())
        d = self.description
        self.input = self._read(directory / d["input_file"])
        self.expected = self._read(directory / d["expected_file"])
        self.load = self._read(directory / d["load"]["file"]) if d.get("load") else None

    @staticmethod
    def _read(path: Path) -> list[list[int]]:
        rows = []
        for line in path.read_text().splitlines():
            line = line.strip()
            if line and not line.startswith("//"):
                rows.append([int(column, 16) for column in line.split()])
        return rows

    def lanes(self, value: int, port: str) -> list[int]:
        """A bus value split into its lanes, lane 0 in the least significant bits."""
        width = self.description["lane_widths"][port]
        mask = (1 << width) - 1
        return [(value >> (width * i)) & mask for i in range(self.description["lanes"])]


@pytest.fixture
def vectors(cli, tmp_path):
    """Runs `normforge vectors <args> --out DIR` and returns the parsed `VectorSet`."""
    counter = iter(range(1000))

    def run(*args: str) -> VectorSet:
        out = tmp_path / f"v{next(counter)}"
        result = subprocess.run([str(cli), "vectors", *args, "--out", str(out)], capture_output=True, text=True)
        assert result.returncode == 0, f"normforge vectors {' '.join(args)}: {result.stderr}"
        return VectorSet(out)

    return run
