"""The paired runs of a comparison: checked, found in the cache or run, gathered as a sweep.

Each world is composed and checked as `sim.run` does it (one `ConfigError` line for bad input),
then run on seeds 0..n-1 (common random numbers: the two worlds share every draw their levers
do not touch). Runs are cached under results/app/runs/<run hash>/, the hash sweeps use to skip
complete runs (resolved parameters + code version), so asking again is instant
(`CPF_SIM_APP_DIR` moves results/app/ elsewhere). The runs are
gathered into a folder holding a sweep's two tables (runs.parquet, metrics.parquet), which
`cpf-compare FOLDER` and the page's browser read like any sweep.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pandas as pd

from sim.config import to_params
from sim.core.version import ROOT
from sim.params import SimParams
from sim.results import SUMMARY_FILE, atomic_write, load
from sim.run_notes import RunNotes, compose_with_notes
from sim.tooling.app.links import Setup, to_query
from sim.tooling.app.workers import Job, Workers
from sim.tooling.manifest import run_hash
from sim.tooling.tables import METRICS_TABLE, RUNS_TABLE

# The page's runs and comparisons (CPF_SIM_APP_DIR elsewhere, e.g. for tests).
APP_DIR = Path(os.environ.get("CPF_SIM_APP_DIR") or ROOT / "results" / "app")
SETUP_FILE = "link.txt"  # the page address (query) of a gathered comparison
BASELINE, REFORM = "baseline", "reform"
_one_at_a_time = threading.Lock()  # the workers serve one comparison at a time


class RunError(RuntimeError):
    """A run of the comparison failed (one line naming the run and why)."""


@dataclass(frozen=True)
class Planned:
    """One run of the comparison: its case, seed, parameters and run hash."""

    case: str
    seed: int
    params: SimParams
    notes: RunNotes
    key: str


def check_world(overrides: list[str]) -> tuple[SimParams, RunNotes]:
    """Compose and check a world as `sim.run` does (label named after what changed).

    Raises:
        ConfigError: one line naming the key, the value and what is allowed.
    """
    cfg, notes = compose_with_notes(overrides)
    cfg.label = notes.label
    return to_params(cfg), notes


def plan(setup: Setup) -> list[Planned]:
    """Every run of the comparison, baseline first, seed by seed.

    Raises:
        ConfigError: a world is invalid (before anything runs).
    """
    planned = []
    for case, world in ((BASELINE, setup.baseline), (REFORM, setup.reform)):
        params, notes = check_world([*world.overrides(), f"population.holders={setup.holders}"])
        for seed in range(setup.seeds):
            seeded = replace(params, seed=seed)
            planned.append(Planned(case, seed, seeded, notes, run_hash(seeded)))
    return planned


def run_folder(key: str, root: Path = APP_DIR) -> Path:
    """The cache folder of the run with hash `key`."""
    return root / "runs" / key


def is_cached(key: str, root: Path = APP_DIR) -> bool:
    """The run is complete in the cache (summary.json is written last)."""
    return (run_folder(key, root) / SUMMARY_FILE).exists()


def run_all(
    planned: list[Planned],
    workers: Workers,
    progress: Callable[[int, int], None],
    cancelled: Callable[[], bool],
    root: Path = APP_DIR,
) -> bool:
    """Run the planned runs missing from the cache; False if cancelled.

    `progress(done, total)` is called as runs finish (cached runs count as done at once).

    Raises:
        RunError: a run failed (the others are kept in the cache).
    """
    (root / "runs").mkdir(parents=True, exist_ok=True)
    jobs = {
        p.key: Job(p.key, p.params, p.notes, run_folder(p.key, root))
        for p in planned
        if not is_cached(p.key, root)
    }
    total = len({p.key for p in planned})
    done = total - len(jobs)
    failures: list[str] = []
    names = {p.key: f"{p.case} seed {p.seed}" for p in planned}
    progress(done, total)

    def finished(key: str, error: str | None) -> None:
        nonlocal done
        done += 1
        if error is not None:
            failures.append(f"run {names[key]} failed: {error}")
        progress(done, total)

    with _one_at_a_time:
        complete = workers.run(list(jobs.values()), finished, cancelled)
    if failures:
        more = f" (and {len(failures) - 1} more)" if len(failures) > 1 else ""
        raise RunError(failures[0] + more)
    return complete


def _cell(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, dict | list) else value


def gather(setup: Setup, planned: list[Planned], root: Path = APP_DIR) -> Path:
    """Write the comparison's runs.parquet and metrics.parquet; returns its folder.

    The tables have the columns of a sweep's (`sim.tooling.tables`): one row per run with its
    totals, one row per run and month; the cases are named 'baseline' and 'reform'.
    """
    digest = hashlib.sha256("".join(p.key for p in planned).encode()).hexdigest()[:12]
    folder = root / "comparisons" / digest
    if (folder / RUNS_TABLE).exists() and (folder / METRICS_TABLE).exists():
        return folder
    rows, frames = [], []
    for p in planned:
        results = load(run_folder(p.key, root))
        name = f"{p.case}/seed={p.seed}"
        summary = {k: _cell(v) for k, v in results.summary.items()}
        rows.append({"run": name, "scenario": p.case, "seed": p.seed, "status": "ok", **summary})
        frames.append(results.metrics.assign(run=name, scenario=p.case, seed=p.seed))
    folder.mkdir(parents=True, exist_ok=True)
    runs = pd.DataFrame(rows)
    metrics = pd.concat(frames, ignore_index=True)
    front = ["run", "scenario", "seed", "month"]
    metrics = metrics[front + [c for c in metrics.columns if c not in front]]
    atomic_write(folder / SETUP_FILE, lambda p: p.write_text(to_query(setup) + "\n"))
    atomic_write(folder / METRICS_TABLE, lambda p: metrics.to_parquet(p, index=False))
    atomic_write(folder / RUNS_TABLE, lambda p: runs.to_parquet(p, index=False))
    return folder
