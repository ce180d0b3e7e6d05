"""A sweep's tables: runs.parquet (one row per run) and metrics.parquet (one row per run-month).

`aggregate` builds them from the run folders listed in the sweep's manifest (sweep.json: a
folder without one is not aggregated, so a stray run folder never enters the tables), reading
every run's files against its run.json (`verify_run`): a run whose files are missing, truncated
or altered is 'corrupt' and left out, like a failed one. `tables.json` records which runs the
tables were built from; `load_sweep` rebuilds the tables whenever the runs have changed since,
so they are never stale. Each run belongs to a *case*: the combination of swept values other
than the seed, named in the `scenario` column (the column keeps that name: `cpf-compare`
compares cases).

`python -m sim.tooling.tables FOLDER...` (re)builds the tables of sweep folders.
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from sim.results import METRICS_FILE, SUMMARY_FILE, atomic_write
from sim.tooling.jobs import override_values, short_key
from sim.tooling.manifest import (
    DATA_FILES,
    MANIFEST_FILE,
    SweepError,
    read_manifest,
    read_record,
    verify_run,
    write_json,
)

RUNS_TABLE = "runs.parquet"
METRICS_TABLE = "metrics.parquet"
TABLES_FILE = "tables.json"  # the runs the tables were built from
TABLE_FILES = (RUNS_TABLE, METRICS_TABLE, TABLES_FILE)
REQUIRED = ("run", "scenario", "seed", "status")
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
    """'120 runs: 118 ok, 1 failed, 1 missing' (and what went wrong with each other run)."""
    counts = runs["status"].value_counts()
    text = f"{len(runs)} runs: " + ", ".join(f"{n} {status}" for status, n in counts.items())
    for _, row in runs[runs["status"] != "ok"].iterrows():
        error = f": {row['error']}" if isinstance(row["error"], str) and row["error"] else ""
        text += f"\n  {row['status']} {row['run']}{error}"
    return text


def problems(runs: pd.DataFrame) -> str | None:
    """One line on the runs that are not complete ('1 failed, 2 missing of 12 runs'), or None."""
    bad = runs[runs["status"] != "ok"]
    if bad.empty:
        return None
    counts = ", ".join(f"{n} {status}" for status, n in bad["status"].value_counts().items())
    first = bad.iloc[0]
    return f"{counts} of {len(runs)} runs (first: {first['run']}, {first['status']})"


def _signature(sweep_dir: Path, jobs: Sequence[dict[str, Any]]) -> str:
    """Digest of what the tables depend on: each job, its run record and its files' stat."""
    digest = hashlib.sha256()
    for job in jobs:
        folder = sweep_dir / job["run"]
        record = read_record(folder) or {}
        stats: list[tuple[int, int] | None] = []
        for name in DATA_FILES:
            try:
                stat = (folder / name).stat()
                stats.append((stat.st_size, stat.st_mtime_ns))
            except OSError:
                stats.append(None)
        facts = [job, record.get("status"), record.get("hash"), record.get("files"), stats]
        digest.update(json.dumps(facts, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def _jobs_of(sweep_dir: Path) -> list[dict[str, Any]]:
    manifest = read_manifest(sweep_dir)
    if manifest is None:
        raise SweepError(
            f"{sweep_dir} holds no {MANIFEST_FILE}: not a sweep folder (run folders are only "
            "aggregated as the jobs a sweep's manifest lists)"
        )
    return list(manifest["jobs"])


def _run_row(
    folder: Path, name: str, overrides: list[str]
) -> tuple[dict[str, Any], pd.DataFrame | None]:
    """One row of runs.parquet and, for a complete run, its monthly table."""
    row: dict[str, Any] = {"run": name, **override_values(overrides)}
    record = read_record(folder)
    if record is None:
        row["status"] = "missing"
        return row, None
    status = record.get("status")
    row["status"] = "incomplete" if status == "running" else status
    for key in RECORD_COLUMNS:
        row[key] = record.get(key)
    if status != "ok":
        return row, None
    problem = verify_run(folder, record)
    if problem is None:
        try:
            summary = json.loads((folder / SUMMARY_FILE).read_text())
            monthly = pd.read_parquet(folder / METRICS_FILE)
        except (OSError, ValueError) as error:
            problem = f"unreadable ({type(error).__name__})"
    if problem is not None:
        row.update(status="corrupt", error=problem)
        return row, None
    for key, value in summary.items():
        row[key] = json.dumps(value) if isinstance(value, dict | list) else value
    monthly.insert(0, "run", name)
    return row, monthly


def aggregate(sweep_dir: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build (and write atomically) the sweep's runs.parquet and metrics.parquet.

    runs: one row per job of the sweep (from its manifest): `run` (folder), `scenario` (the
    case), one column per overridden parameter (dotted key, e.g. `regulation.copayment_eur`),
    `seed`, `status` ('ok', 'failed', 'incomplete' if it was interrupted, 'missing' if it never
    started, 'corrupt' if its files do not match its run.json), `error`, `wall_time_s`,
    `version`, `hash`, then every outcome total of summary.json and the run's metadata (label,
    scale, holders, ..., lever_changes as JSON).

    metrics: one row per (complete run, month): `run`, `scenario`, the overridden parameters,
    `seed`, `month`, then every monthly series.

    Raises:
        SweepError: the folder holds no readable sweep.json.
        OSError: the tables cannot be written (the runs are left as they are).
    """
    folder = Path(sweep_dir)
    jobs = _jobs_of(folder)
    signature = _signature(folder, jobs)
    rows: list[dict[str, Any]] = []
    frames: list[pd.DataFrame] = []
    for job in jobs:
        row, monthly = _run_row(folder / job["run"], job["run"], job["overrides"])
        rows.append(row)
        if monthly is not None:
            frames.append(monthly)
    runs = pd.DataFrame(rows)
    params = list(override_values(jobs[0]["overrides"])) if jobs else []
    names = case_names(runs, params)
    if "scenario" in runs:  # the sweep varies the `scenario` config group itself
        runs = runs.drop(columns="scenario")
        params = [p for p in params if p != "scenario"]
    runs.insert(1, "scenario", names)
    if "seed" not in runs:
        runs["seed"] = pd.NA
    front = ["run", "scenario", *[p for p in params if p != "seed"], "seed", "status", "error"]
    front += ["wall_time_s", "version", "hash"]
    for column in front:
        if column not in runs:
            runs[column] = None
    runs = runs[front + [c for c in runs.columns if c not in front]]
    keys = runs[["run", "scenario", *[p for p in params if p != "seed"], "seed"]]
    if frames:
        metrics = keys.merge(pd.concat(frames, ignore_index=True), on="run", how="inner")
    else:
        metrics = keys.iloc[0:0].assign(month=pd.Series(dtype=str))
    (folder / TABLES_FILE).unlink(missing_ok=True)  # tables without it are rebuilt on load
    atomic_write(folder / RUNS_TABLE, lambda p: runs.to_parquet(p, index=False))
    atomic_write(folder / METRICS_TABLE, lambda p: metrics.to_parquet(p, index=False))
    write_json(folder / TABLES_FILE, {"signature": signature, "runs": len(runs)})
    return runs, metrics


def distinct_text(value: Any) -> str:
    """A text that keeps apart values pandas would merge (None, NaN, lists, dicts)."""
    if value is None or value is pd.NA:
        return "null"
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return json.dumps(value, sort_keys=True, default=str)


def case_names(runs: pd.DataFrame, params: Sequence[str]) -> list[str]:
    """Name each run's case: what varies in the sweep other than the seed.

    The run's label when labels tell the cases apart one-to-one (presets set a label per
    lever set); otherwise 'key=value, ...' of the varying parameters, e.g. 'copayment_eur=100'.
    Distinct values never share a name: null, NaN, lists and dicts are told apart.
    """
    varying = [
        p for p in params if p != "seed" and p in runs and runs[p].map(distinct_text).nunique() > 1
    ]
    if not varying:
        labels = runs.get("label")
        if labels is not None and labels.notna().any():
            return [str(v) for v in labels.fillna(labels.dropna().iloc[0])]
        return ["all"] * len(runs)
    rows = [row for _, row in runs.iterrows()]
    combos = [", ".join(f"{short_key(p)}={_shown(row[p])}" for p in varying) for row in rows]
    exact = {tuple(distinct_text(row[p]) for p in varying) for row in rows}
    if len(set(combos)) < len(exact):  # e.g. the text 'null' and a null: quote every text
        combos = [
            ", ".join(f"{short_key(p)}={distinct_text(row[p])}" for p in varying) for row in rows
        ]
    if "label" in runs and runs["label"].notna().any():
        known = runs.dropna(subset=["label"])
        pairs = set(zip([combos[i] for i in known.index], known["label"], strict=True))
        by_combo = dict(pairs)
        one_to_one = len(pairs) == len(by_combo) == len({label for _, label in pairs})
        if one_to_one and len(by_combo) == len(set(combos)):
            return [by_combo[c] for c in combos]
    return combos


def _shown(value: Any) -> str:
    """A value in a case name: text as it is, anything else as distinct_text."""
    return value if isinstance(value, str) else distinct_text(value)


def load_sweep(path: str | Path, refresh: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the tables of a sweep folder: (runs, metrics) as pandas DataFrames.

    In a sweep folder (one with sweep.json) the tables are rebuilt from the runs whenever they
    are missing, unreadable or older than the runs (or if `refresh` is true); a folder holding
    only the two tables (copied elsewhere, say) is read as it is.

    Raises:
        SweepError: the folder holds neither a sweep nor readable tables.
    """
    folder = Path(path)
    if (folder / MANIFEST_FILE).exists():
        jobs = _jobs_of(folder)
        try:
            built = json.loads((folder / TABLES_FILE).read_text())["signature"]
        except (OSError, ValueError, KeyError, TypeError):
            built = None
        if refresh or built != _signature(folder, jobs):
            return aggregate(folder)
        try:
            return _read_tables(folder)
        except SweepError:
            return aggregate(folder)
    if not (folder / RUNS_TABLE).exists():
        raise SweepError(f"{folder} holds no sweep: no {MANIFEST_FILE} and no {RUNS_TABLE}")
    return _read_tables(folder)


def _read_tables(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    tables = []
    for name in (RUNS_TABLE, METRICS_TABLE):
        try:
            tables.append(pd.read_parquet(folder / name))
        except (OSError, ValueError) as error:  # pyarrow's errors are ValueErrors or OSErrors
            raise SweepError(f"{folder / name} is unreadable ({type(error).__name__})") from None
    runs, metrics = tables
    missing = [c for c in REQUIRED if c not in runs]
    if missing:
        raise SweepError(f"{folder / RUNS_TABLE} lacks the columns {', '.join(missing)}")
    return runs, metrics


def main(argv: Sequence[str] | None = None) -> None:
    """`python -m sim.tooling.tables FOLDER...`: (re)build the tables of sweep folders.

    Exit code 0 when every run is complete, 1 when tables were written but some run is not
    (listed), 2 when a folder is not a sweep or its tables cannot be written.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print(
            "usage: python -m sim.tooling.tables SWEEP_FOLDER...  (re)builds runs/metrics.parquet"
        )
        sys.exit(0 if args else 2)
    code = 0
    for arg in args:
        try:
            runs, _ = aggregate(arg)
        except (SweepError, OSError) as error:
            print(f"sim.tooling.tables: {error}", file=sys.stderr)
            sys.exit(2)
        print(f"{arg}: {describe(runs)}")
        code = max(code, 0 if problems(runs) is None else 1)
    sys.exit(code)


if __name__ == "__main__":
    main()
