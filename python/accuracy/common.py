"""What the accuracy experiments share: their common options, running (configuration, seed) jobs
over processes, progress on stderr when it is a terminal, the summary of results over seeds and
the JSON document."""

from __future__ import annotations

import argparse
import json
import multiprocessing
import platform
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


class Job:
    """A picklable ``train(configuration, seed, **settings)`` with the run's settings bound."""

    def __init__(self, train: Callable, **settings):
        self.train, self.settings = train, settings

    def __call__(self, configuration: str, seed: int) -> dict:
        return self.train(configuration, seed, **self.settings)


def parser(description: str, configurations) -> argparse.ArgumentParser:
    """The options every experiment takes: --configs, --seeds, --processes, --json."""
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--configs", default=",".join(configurations))
    p.add_argument("--seeds", default="1,2,3")
    p.add_argument("--processes", type=int, default=2)
    p.add_argument("--json", help="write the results here")
    return p


def run_experiment(name: str, experiment: str, args, configurations, data: Path, train: Callable, settings: dict,
                   metric: str) -> dict | None:
    """Every (configuration, seed) of ``args`` trained by ``train``, ``metric`` summarized per
    configuration, the document (named ``experiment``) written to ``args.json``; None, after a
    one-line error naming the script ``name``, for an unknown configuration or missing data."""
    configs = args.configs.split(",")
    unknown = [c for c in configs if c not in configurations]
    if unknown or not data.is_dir():
        reason = f"unknown configuration {unknown[0]}" if unknown else f"{data} is missing (make setup)"
        print(f"{name}: error: {reason}", file=sys.stderr)
        return None
    seeds = [int(s) for s in args.seeds.split(",")]
    started = time.monotonic()
    progress(f"{name}: {len(configs)} configurations x {len(seeds)} seeds on {args.processes} processes")
    results = run_jobs(Job(train, **settings), configs, seeds, args.processes)
    document = {"experiment": experiment, "settings": {**settings, "seeds": seeds}, "machine": platform.node(),
                "wall_seconds": time.monotonic() - started,
                "summary": {c: summarize([r[metric] for r in runs]) for c, runs in results.items()},
                "runs": results}
    write_json(args.json, document)
    return document
