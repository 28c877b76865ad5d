"""What the accuracy experiments share: running (configuration, seed) jobs over processes,
progress on stderr when it is a terminal, and the summary of results over seeds."""

from __future__ import annotations

import json
import multiprocessing
import statistics
import sys
import time
from pathlib import Path
from typing import Callable


def progress(message: str) -> None:
    if sys.stderr.isatty():
        print(message, file=sys.stderr, flush=True)


def _worker_init() -> None:
    import torch
    # One process per core: each trains single-threaded, the golden models included.
    torch.set_num_threads(1)


def run_jobs(job: Callable, configurations: list[str], seeds: list[int], processes: int) -> dict[str, list[dict]]:
    """``job(configuration, seed)`` for every pair, over ``processes`` processes; results by configuration."""
    pairs = [(c, s) for s in seeds for c in configurations]
    started = time.monotonic()
    results: dict[str, list[dict]] = {c: [] for c in configurations}
    if processes <= 1:
        _worker_init()
        outcomes = (job(*pair) for pair in pairs)
        pool = None
    else:
        pool = multiprocessing.get_context("spawn").Pool(processes, initializer=_worker_init)
        outcomes = pool.imap(_star, [(job, pair) for pair in pairs])
    try:
        for done, ((configuration, seed), outcome) in enumerate(zip(pairs, outcomes), 1):
            results[configuration].append({"seed": seed, **outcome})
            progress(f"[{done}/{len(pairs)}] {configuration} seed {seed}: "
                     + ", ".join(f"{k} {v:.4f}" for k, v in outcome.items() if isinstance(v, float))
                     + f" ({time.monotonic() - started:.0f} s)")
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return results


def _star(arguments):
    job, pair = arguments
    return job(*pair)


def summarize(values: list[float]) -> dict:
    return {"mean": statistics.fmean(values), "min": min(values), "max": max(values),
            "stdev": statistics.stdev(values) if len(values) > 1 else 0.0, "values": values}


def write_json(path: str | None, document: dict) -> None:
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps(document, indent=2) + "\n")
