"""Existing results to explore: sweep folders, the committed reference results, past comparisons.

A folder is offered when it holds a sweep (sweep.json) or a sweep's runs table (runs.parquet):
`results/<name>/` (the reference results, committed with their runs table and report but not
their monthly table), `results/sweeps/<name>/` and the page's own comparisons
(`results/app/comparisons/`).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.core.version import ROOT
from sim.tooling.app.runs import APP_DIR
from sim.tooling.manifest import MANIFEST_FILE
from sim.tooling.tables import METRICS_TABLE, RUNS_TABLE, load_sweep

RESULTS = ROOT / "results"


def _is_sweep(folder: Path) -> bool:
    return (folder / MANIFEST_FILE).exists() or (folder / RUNS_TABLE).exists()


def result_folders(root: Path = RESULTS) -> list[Path]:
    """Sweep folders under `root` (two levels deep) and the page's comparisons, newest last."""
    found = [p for p in sorted(root.glob("*")) if p.is_dir() and _is_sweep(p)]
    deeper = [p for p in root.glob("*/*") if p.is_dir() and _is_sweep(p)]
    deeper += [p for p in (APP_DIR / "comparisons").glob("*") if p.is_dir() and _is_sweep(p)]
    return found + sorted(deeper, key=lambda p: p.stat().st_mtime)


def open_folder(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A folder's runs and monthly tables (the monthly table empty if it was not kept).

    Raises:
        SweepError: the folder holds no readable sweep.
    """
    if (folder / MANIFEST_FILE).exists() or (folder / METRICS_TABLE).exists():
        return load_sweep(folder)
    runs = pd.read_parquet(folder / RUNS_TABLE)
    return runs, pd.DataFrame()


def display_name(folder: Path, root: Path = RESULTS) -> str:
    """The folder relative to the results folder, e.g. 'lever_comparison'."""
    try:
        return folder.relative_to(root).as_posix()
    except ValueError:
        return str(folder)
