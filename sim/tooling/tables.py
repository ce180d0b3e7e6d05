"""A sweep's tables: runs.parquet (one row per run) and metrics.parquet (one row per run-month).

`aggregate` builds them from the run folders listed in the sweep's manifest; `load_sweep`
returns them (building them first if needed). Each run belongs to a *case*: the combination
of swept values other than the seed, named in the `scenario` column (the column keeps that name
for compatibility: it is what `cpf-compare` compares).

`python -m sim.tooling.tables FOLDER...` (re)builds the tables of sweep folders.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sim.results import METRICS_FILE, SUMMARY_FILE, atomic_write
from sim.tooling.jobs import override_values, short_key
from sim.tooling.manifest import MANIFEST_FILE, RUN_FILE, read_manifest, read_record

RUNS_TABLE = "runs.parquet"
METRICS_TABLE = "metrics.parquet"
# run.json entries copied into runs.parquet
RECORD_COLUMNS = (
    "error",
    "wall_time_s",
    "version",
    "hash",
    "label",
    "started_at",
    "finished_at",
    "worker",
)


def describe(runs: pd.DataFrame) -> str:
    """'120 runs: 118 ok, 1 failed, 1 missing' (and the failures' errors)."""
    counts = runs["status"].value_counts()
    text = f"{len(runs)} runs: " + ", ".join(f"{n} {status}" for status, n in counts.items())
    failed = runs[runs["status"] == "failed"]
    for row in failed.itertuples():
        text += f"\n  failed {row.run}: {row.error}"
    return text


def _jobs_of(sweep_dir: Path) -> list[dict[str, Any]]:
    """List the sweep's jobs from its manifest, or every run folder if there is none."""
    manifest = read_manifest(sweep_dir)
    if manifest is not None:
        return list(manifest["jobs"])
    jobs = []
    for path in sorted(sweep_dir.glob(f"*/{RUN_FILE}")):
        record = read_record(path.parent) or {}
        jobs.append({"run": path.parent.name, "overrides": record.get("overrides", [])})
    return jobs


def aggregate(sweep_dir: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build (and write atomically) the sweep's runs.parquet and metrics.parquet.

    runs: one row per job of the sweep (from its manifest): `run` (folder), `scenario` (the
    case), one column per overridden parameter (dotted key, e.g. `regulation.copayment_eur`),
    `seed`, `status` ('ok', 'failed', 'incomplete' if it was interrupted, 'missing' if it never
    started), `error`, `wall_time_s`, `version`, `hash`, then every outcome total of
    summary.json and the run's metadata (label, scale, holders, ..., lever_changes as JSON).

    metrics: one row per (complete run, month): `run`, `scenario`, the overridden parameters,
    `seed`, `month`, then every monthly series.
    """
    folder = Path(sweep_dir)
    jobs = _jobs_of(folder)
    if not jobs:
        raise FileNotFoundError(f"{folder} holds no sweep: no {MANIFEST_FILE} and no run folders")
    rows: list[dict[str, Any]] = []
    frames: list[pd.DataFrame] = []
    for job in jobs:
        name, overrides = job["run"], job["overrides"]
        row: dict[str, Any] = {"run": name, **override_values(overrides)}
        record = read_record(folder / name)
        if record is None:
            row["status"] = "missing"
        else:
            status = record.get("status")
            row["status"] = "incomplete" if status == "running" else status
            for key in RECORD_COLUMNS:
                row[key] = record.get(key)
        if row["status"] == "ok":
            summary = json.loads((folder / name / SUMMARY_FILE).read_text())
            for key, value in summary.items():
                row[key] = json.dumps(value) if isinstance(value, dict | list) else value
            monthly = pd.read_parquet(folder / name / METRICS_FILE)
            monthly.insert(0, "run", name)
            frames.append(monthly)
        rows.append(row)
    runs = pd.DataFrame(rows)
    params = list(override_values(jobs[0]["overrides"]))
    names = case_names(runs, params)
    if "scenario" in runs:  # the sweep varies the `scenario` config group itself
        runs = runs.drop(columns="scenario")
        params = [p for p in params if p != "scenario"]
    runs.insert(1, "scenario", names)
    if "seed" not in runs:
        runs["seed"] = pd.NA
    front = [
        "run",
        "scenario",
        *[p for p in params if p != "seed"],
        "seed",
        "status",
        "error",
        "wall_time_s",
        "version",
        "hash",
    ]
    for column in front:
        if column not in runs:
            runs[column] = None
    runs = runs[front + [c for c in runs.columns if c not in front]]
    keys = runs[["run", "scenario", *[p for p in params if p != "seed"], "seed"]]
    if frames:
        metrics = keys.merge(pd.concat(frames, ignore_index=True), on="run", how="inner")
    else:
        metrics = keys.iloc[0:0].assign(month=pd.Series(dtype=str))
    atomic_write(folder / RUNS_TABLE, lambda p: runs.to_parquet(p, index=False))
    atomic_write(folder / METRICS_TABLE, lambda p: metrics.to_parquet(p, index=False))
    return runs, metrics


def case_names(runs: pd.DataFrame, params: Sequence[str]) -> list[str]:
    """Name each run's case: what varies in the sweep other than the seed.

    The run's label when labels tell the cases apart one-to-one (presets set a label per
    lever set); otherwise 'key=value, ...' of the varying parameters, e.g. 'copayment_eur=100'.
    """
    varying = [p for p in params if p != "seed" and p in runs and runs[p].astype(str).nunique() > 1]
    if not varying:
        labels = runs.get("label")
        if labels is not None and labels.notna().any():
            return [str(v) for v in labels.fillna(labels.dropna().iloc[0])]
        return ["all"] * len(runs)
    combos = [", ".join(f"{short_key(p)}={row[p]}" for p in varying) for _, row in runs.iterrows()]
    if "label" in runs and runs["label"].notna().any():
        known = runs.dropna(subset=["label"])
        pairs = set(zip([combos[i] for i in known.index], known["label"], strict=True))
        by_combo = dict(pairs)
        one_to_one = len(pairs) == len(by_combo) == len({label for _, label in pairs})
        if one_to_one and len(by_combo) == len(set(combos)):
            return [by_combo[c] for c in combos]
    return combos


def load_sweep(path: str | Path, refresh: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the tables of a sweep folder: (runs, metrics) as pandas DataFrames.

    Reads runs.parquet and metrics.parquet; builds them first if they are missing (e.g. the
    sweep was killed before its end) or if `refresh` is true.
    """
    folder = Path(path)
    if refresh or not (folder / RUNS_TABLE).exists() or not (folder / METRICS_TABLE).exists():
        return aggregate(folder)
    return pd.read_parquet(folder / RUNS_TABLE), pd.read_parquet(folder / METRICS_TABLE)


def main(argv: Sequence[str] | None = None) -> None:
    """`python -m sim.tooling.tables FOLDER...`: (re)build the tables of sweep folders."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(
            "usage: python -m sim.tooling.tables SWEEP_FOLDER...  (re)builds runs/metrics.parquet"
        )
        sys.exit(0 if args else 2)
    for arg in args:
        try:
            runs, _ = aggregate(arg)
        except FileNotFoundError as error:
            print(f"sim.tooling.tables: {error}", file=sys.stderr)
            sys.exit(2)
        print(f"{arg}: {describe(runs)}")


if __name__ == "__main__":
    main()
