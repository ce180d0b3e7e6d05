"""Sweeps: one folder per run, complete runs skipped, failures recorded, one table at the end.

Hydra's multirun writes one folder per job and stops there. This module adds what a sweep of
hundreds of runs needs:

- `expand_jobs` lists every job of a command line exactly as Hydra's basic sweeper does,
  including sweeps defined inside an experiment preset (`hydra.sweeper.params`);
- `run_name` names each run's folder after the parameters that vary (e.g.
  `levers=copayment,seed=3`), so re-running a sweep lands in the same folders;
- `run_sweep_job` is the body of one job: it skips a run whose folder already holds a complete
  run with the same hash (resolved parameters + code version), records a run that raises
  (status 'failed' and the error) instead of stopping the sweep, and prints progress;
- `SweepCallback` writes the sweep's manifest (`sweep.json`, the jobs expected) when the sweep
  starts and `aggregate`s the run folders into `runs.parquet` and `metrics.parquet` when it ends;
- `load_sweep(path)` returns those two tables.

A run is complete when its `run.json` says status 'ok': `run.json` is written (atomically) after
every other file of the run, so an interrupted sweep never leaves a run that looks complete.
`python -m sim.tooling.sweep FOLDER` re-aggregates a folder (after a killed sweep, for instance).

Test-only hook: if the environment variable `CPF_SIM_TEST_FAIL` holds a comma-separated list of
overrides (e.g. `seed=1`), jobs having one of these overrides raise a RuntimeError at run time;
the tests use it to check that a failing run is recorded and the others finish.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import socket
import sys
import time
import traceback
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf

from sim.core.version import ROOT, code_version
from sim.results import METRICS_FILE, SUMMARY_FILE, atomic_write

MANIFEST_FILE = "sweep.json"
RUN_FILE = "run.json"
ERROR_FILE = "error.txt"
RUNS_TABLE = "runs.parquet"
METRICS_TABLE = "metrics.parquet"
FAIL_ENV = "CPF_SIM_TEST_FAIL"
SWEEPS_DIR = Path("results") / "sweeps"

# Summary entries that describe the run rather than measure an outcome.
META = ("label", "seed", "version", "scale", "holders", "months", "start", "end", "lever_changes")
# Key prefixes dropped in folder names and scenario names (no ambiguity: no other section has
# lever names, and no section is called 'levers').
SHORT_PREFIXES = ("regulation.", "experiment.")
NAME_LIMIT = 120


# ---------------------------------------------------------------------------------------------
# Jobs and names


def expand_jobs(
    command_line: Sequence[str], sweeper_params: Mapping[str, Any] | None = None
) -> list[list[str]]:
    """Every job's overrides for a command line, in the order Hydra's basic sweeper runs them.

    Args:
        command_line: the overrides given on the command line (Hydra's own, such as
            `hydra/launcher=...`, are left out); sweeps as `a,b,c` or `range(...)`.
        sweeper_params: `hydra.sweeper.params` of the composed config (a preset's sweep); a key
            also given on the command line takes the command line's value, as in Hydra.
    """
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper

    strings = [f"{key}={value}" for key, value in (sweeper_params or {}).items()]
    strings += list(command_line)
    parsed = [
        o for o in OverridesParser.create().parse_overrides(strings) if not o.is_hydra_override()
    ]
    (batch,) = BasicSweeper.split_arguments(parsed, None)
    return [list(job) for job in batch]


def swept_keys(jobs: Sequence[Sequence[str]]) -> list[str]:
    """Keys whose value differs between jobs (in first-seen order)."""
    values: dict[str, set[str]] = {}
    for job in jobs:
        for override in job:
            key, _, value = override.partition("=")
            values.setdefault(key, set()).add(value)
    return [key for key, seen in values.items() if len(seen) > 1]


def bare_key(key: str) -> str:
    """'+experiment/levers' -> 'experiment.levers': the key as a dotted config path."""
    return key.lstrip("+~").replace("/", ".")


def short_key(key: str) -> str:
    """Shorten a key for names: 'regulation.copayment_eur' -> 'copayment_eur'."""
    key = bare_key(key)
    for prefix in SHORT_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9._=,+()@-]", "_", text)


def _limit(name: str) -> str:
    if len(name) <= NAME_LIMIT:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[: NAME_LIMIT - 10]}~{digest}"


def run_name(overrides: Sequence[str], exclude: Sequence[str] = ()) -> str:
    """Folder name of one run: its overrides but the excluded keys, seed last ('default' if none).

    Keys in `exclude` are compared as bare keys (without '+', '~'), so the sweep's constant
    overrides (`+experiment=...`) can be left out of every run's name.
    """
    excluded = {bare_key(key) for key in exclude}
    parts: list[tuple[int, str, str]] = []
    for override in overrides:
        key, _, value = override.partition("=")
        bare = bare_key(key)
        if bare in excluded or bare.startswith("hydra"):
            continue
        parts.append((bare == "seed", short_key(key), value))
    if not parts:
        return "default"
    return _limit(_safe(",".join(f"{key}={value}" for _, key, value in sorted(parts))))


def sweep_name(command_line: Sequence[str]) -> str:
    """Folder name of a sweep under results/sweeps/: the preset's name, then other overrides.

    `+experiment=lever_comparison` gives 'lever_comparison'; `regulation.copayment_eur=0,100
    seed=range(0,3)` gives 'copayment_eur=0,100__seed=range(0,3)'.
    """
    preset: list[str] = []
    others: list[str] = []
    for override in command_line:
        key, _, value = override.partition("=")
        bare = bare_key(key)
        if bare.startswith("hydra"):
            continue
        if bare == "experiment":
            preset.append(value)
        else:
            others.append(f"{short_key(key)}={value}")
    name = "__".join(preset + others) or "default"
    return _limit(_safe(name))


def _register_resolver() -> None:
    """`${cpf_run_name:${hydra.overrides.task},${...exclude_keys}}` names job folders."""
    OmegaConf.register_new_resolver(
        "cpf_run_name",
        lambda overrides, exclude: run_name(list(overrides), list(exclude)),
        replace=True,
    )


_register_resolver()


def override_values(overrides: Sequence[str]) -> dict[str, Any]:
    """Typed value of each override, keyed by bare key (non-scalars as JSON text)."""
    values: dict[str, Any] = {}
    for override in OverridesParser.create().parse_overrides(list(overrides)):
        value = override.value()
        if not isinstance(value, str | int | float | bool) and value is not None:
            value = json.dumps(OmegaConf.to_container(OmegaConf.create({"v": value}))["v"])  # type: ignore[index, call-overload]
        values[bare_key(override.get_key_element())] = value
    return values


# ---------------------------------------------------------------------------------------------
# One job


def code_fingerprint() -> str:
    """Give the code version, plus a digest of sim/ sources if they hold uncommitted changes."""
    version = code_version()
    if not version.endswith(".dirty"):
        return version
    digest = hashlib.sha256()
    for path in sorted((ROOT / "sim").rglob("*.py")):
        digest.update(path.relative_to(ROOT).as_posix().encode())
        digest.update(path.read_bytes())
    return f"{version}:{digest.hexdigest()[:12]}"


def run_hash(params: Any) -> str:
    """Hash of the resolved parameters and the code: equal hashes give equal results."""
    from sim.results import params_as_dict

    payload = (
        json.dumps(params_as_dict(params), sort_keys=True, default=str) + "|" + code_fingerprint()
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def read_record(folder: Path) -> dict[str, Any] | None:
    """Read the run.json of a run folder (None if there is none)."""
    path = folder / RUN_FILE
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError:
        return None


def _write_json(path: Path, data: Mapping[str, Any]) -> None:
    atomic_write(path, lambda p: p.write_text(json.dumps(data, indent=2, default=str)))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _test_hook(overrides: Sequence[str]) -> None:
    """Raise for jobs named in CPF_SIM_TEST_FAIL (tests only; see the module docstring)."""
    wanted = {item.strip() for item in os.environ.get(FAIL_ENV, "").split(",") if item.strip()}
    hit = wanted.intersection(overrides)
    if hit:
        raise RuntimeError(f"test failure requested by {FAIL_ENV} for {sorted(hit)}")


def run_sweep_job(
    cfg: DictConfig, overrides: Sequence[str], output_dir: str | Path
) -> dict[str, Any]:
    """Run one job of a sweep into `output_dir`, unless it is already complete there.

    The run's failure (any exception from building parameters to saving results) is recorded
    in run.json and error.txt and does not propagate, so the other jobs finish.

    Returns:
        the run record written to run.json (status 'ok', 'failed' or, for a reused run, the
        earlier record with 'skipped': True).
    """
    from sim.api import run
    from sim.config import to_params

    folder = Path(output_dir)
    params = to_params(cfg)  # validated before the sweep started; cannot fail here
    key = run_hash(params)
    previous = read_record(folder)
    complete = previous is not None and previous.get("status") == "ok"
    if complete and previous.get("hash") == key and (folder / SUMMARY_FILE).exists():  # type: ignore[union-attr]
        _progress(folder, "skipped (complete)", 0.0)
        return {**previous, "skipped": True}  # type: ignore[dict-item]
    (folder / SUMMARY_FILE).unlink(missing_ok=True)  # a stale summary must not look complete
    (folder / ERROR_FILE).unlink(missing_ok=True)
    record: dict[str, Any] = {
        "run": folder.name,
        "overrides": list(overrides),
        "label": params.label,
        "seed": params.seed,
        "hash": key,
        "version": code_version(),
        "status": "running",
        "error": None,
        "started_at": _now(),
        "worker": f"{socket.gethostname()}:{os.getpid()}",
    }
    _write_json(folder / RUN_FILE, record)
    start = time.perf_counter()
    try:
        _test_hook(overrides)
        results = run(params)
        results.save(folder, figure=False)
        record["status"] = "ok"
    except Exception as error:  # a sweep records a run's failure and goes on with the others
        record["status"] = "failed"
        record["error"] = f"{type(error).__name__}: {error}"
        atomic_write(folder / ERROR_FILE, lambda p: p.write_text(traceback.format_exc()))
    record["wall_time_s"] = round(time.perf_counter() - start, 3)
    record["finished_at"] = _now()
    _write_json(folder / RUN_FILE, record)
    _progress(folder, record["status"], record["wall_time_s"])
    return record


def _progress(folder: Path, status: str, seconds: float) -> None:
    """One line per finished job: how many of the sweep's runs are done, and an estimate."""
    manifest = _read_manifest(folder.parent)
    if manifest is None:
        print(f"{folder.name}: {status} ({seconds:.1f} s)", flush=True)
        return
    names = [job["run"] for job in manifest["jobs"]]
    done = sum(
        (record := read_record(folder.parent / name)) is not None
        and record.get("status") in ("ok", "failed")
        for name in names
    )
    total = len(names)
    elapsed = time.time() - manifest.get("started", time.time())
    eta = ""
    if 0 < done < total:
        eta = f", about {elapsed / done * (total - done) / 60:.1f} min left"
    print(f"[{done}/{total}] {folder.name}: {status} ({seconds:.1f} s){eta}", flush=True)


# ---------------------------------------------------------------------------------------------
# The sweep: manifest at the start, tables at the end


def _read_manifest(sweep_dir: Path) -> dict[str, Any] | None:
    path = sweep_dir / MANIFEST_FILE
    return json.loads(path.read_text()) if path.exists() else None


def write_manifest(
    sweep_dir: Path,
    command_line: Sequence[str],
    sweeper_params: Mapping[str, Any] | None,
    exclude: Sequence[str],
) -> dict[str, Any]:
    """Write sweep.json: the command line and, for each job, its folder name and overrides."""
    jobs = expand_jobs(command_line, sweeper_params)
    names = [run_name(job, exclude) for job in jobs]
    if len(set(names)) != len(names):
        raise ValueError("two jobs of this sweep would share a folder; check exclude_keys")
    manifest = {
        "command_line": list(command_line),
        "sweeper_params": dict(sweeper_params or {}),
        "swept": [bare_key(key) for key in swept_keys(jobs)],
        "started": time.time(),
        "started_at": _now(),
        "jobs": [{"run": name, "overrides": job} for name, job in zip(names, jobs, strict=True)],
    }
    sweep_dir.mkdir(parents=True, exist_ok=True)
    _write_json(sweep_dir / MANIFEST_FILE, manifest)
    return manifest


class SweepCallback(Callback):
    """Hydra callback (configs/config.yaml, hydra.callbacks): manifest at start, tables at end."""

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        """Record the jobs this sweep will run, for progress and for gaps in the tables."""
        hydra_cfg = config.hydra
        preset = hydra_cfg.sweeper.get("params")  # None for a sweep given on the command line
        params = OmegaConf.to_container(preset, resolve=False) if preset else {}
        write_manifest(
            Path(hydra_cfg.sweep.dir),
            list(hydra_cfg.overrides.task),
            params,  # type: ignore[arg-type]
            list(hydra_cfg.job.config.override_dirname.exclude_keys),
        )

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        """Aggregate the run folders into runs.parquet and metrics.parquet."""
        sweep_dir = Path(config.hydra.sweep.dir)
        start = time.perf_counter()
        runs, _ = aggregate(sweep_dir)
        seconds = time.perf_counter() - start
        print(f"\n{describe(runs)}\nTables written to {sweep_dir} in {seconds:.1f} s", flush=True)


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
    manifest = _read_manifest(sweep_dir)
    if manifest is not None:
        return list(manifest["jobs"])
    jobs = []
    for path in sorted(sweep_dir.glob(f"*/{RUN_FILE}")):
        record = read_record(path.parent) or {}
        jobs.append({"run": path.parent.name, "overrides": record.get("overrides", [])})
    return jobs


def aggregate(sweep_dir: str | Path, write: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Build (and write atomically) the sweep's runs.parquet and metrics.parquet.

    runs: one row per job of the sweep (from its manifest): `run` (folder), `scenario`, one
    column per overridden parameter (dotted key, e.g. `regulation.copayment_eur`), `seed`,
    `status` ('ok', 'failed', 'incomplete' if it was interrupted, 'missing' if it never
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
            for key in (
                "error",
                "wall_time_s",
                "version",
                "hash",
                "label",
                "started_at",
                "finished_at",
                "worker",
            ):
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
    params = [c for c in override_values(jobs[0]["overrides"])]
    names = scenario_names(runs, params)
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
    if write:
        atomic_write(folder / RUNS_TABLE, lambda p: runs.to_parquet(p, index=False))
        atomic_write(folder / METRICS_TABLE, lambda p: metrics.to_parquet(p, index=False))
    return runs, metrics


def scenario_names(runs: pd.DataFrame, params: Sequence[str]) -> list[str]:
    """Name each run's scenario: what varies in the sweep other than the seed.

    The run's label when labels tell the scenarios apart one-to-one (presets set a label per
    scenario); otherwise 'key=value, ...' of the varying parameters, e.g. 'copayment_eur=100'.
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
    """`python -m sim.tooling.sweep FOLDER...`: (re)build the tables of sweep folders."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help"):
        print("usage: python -m sim.tooling.sweep SWEEP_FOLDER...  (re)builds runs/metrics.parquet")
        sys.exit(0 if args else 2)
    for arg in args:
        try:
            runs, _ = aggregate(arg)
        except FileNotFoundError as error:
            print(f"sim.tooling.sweep: {error}", file=sys.stderr)
            sys.exit(2)
        print(f"{arg}: {describe(runs)}")


if __name__ == "__main__":
    main()
