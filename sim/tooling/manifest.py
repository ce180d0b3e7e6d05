"""A sweep's records: the manifest of its jobs (sweep.json) and one record per run (run.json).

`sweep.json` lists the jobs a sweep expects (folder name and overrides); the command line
writes it before any run starts. `run.json` records one run's status ('running', 'ok',
'failed'), error, hash, worker and timings and, for a complete run, the size, SHA-256 and row
count of each file it wrote. Both are written atomically; `run.json` is written after every
other file of the run, so an interrupted run never looks complete, and `verify_run` re-reads a
run's files against its record, so a truncated or altered file is never trusted.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from sim.provenance import run_hash as params_hash
from sim.results import CONFIG_FILE, METRICS_FILE, SUMMARY_FILE, atomic_write, params_as_dict
from sim.tooling.jobs import SweepPlan, bare_key, swept_keys

MANIFEST_FILE = "sweep.json"
RUN_FILE = "run.json"
ERROR_FILE = "error.txt"
DATA_FILES = (CONFIG_FILE, METRICS_FILE, SUMMARY_FILE)


class SweepError(Exception):
    """A sweep folder that cannot be read or completed (one line for the user)."""


def run_hash(params: Any) -> str:
    """Hash of the resolved parameters and the code: equal hashes give equal results."""
    return params_hash(params_as_dict(params))


def now() -> str:
    """The time now, UTC, ISO 8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def write_json(path: Path, data: Mapping[str, Any]) -> None:
    """Write `data` as indented JSON, atomically."""
    atomic_write(path, lambda p: p.write_text(json.dumps(data, indent=2, default=str)))


def read_record(folder: Path) -> dict[str, Any] | None:
    """Read the run.json of a run folder (None if there is none or it is unreadable)."""
    try:
        record = json.loads((folder / RUN_FILE).read_text())
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def file_facts(folder: Path) -> dict[str, dict[str, Any]]:
    """Size and SHA-256 of each data file of a run (and the metrics' row count)."""
    facts = {}
    for name in DATA_FILES:
        data = (folder / name).read_bytes()
        facts[name] = {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    facts[METRICS_FILE]["rows"] = pq.read_metadata(folder / METRICS_FILE).num_rows
    return facts


def verify_run(folder: Path, record: Mapping[str, Any] | None) -> str | None:
    """Why the run in `folder` is not complete, or None if it is.

    Complete: run.json says 'ok' and records its files, and every file is present with the
    size, checksum and row count recorded.
    """
    if record is None:
        return "no run.json"
    if record.get("status") != "ok":
        return f"status {record.get('status')!r}"
    expected = record.get("files")
    if not isinstance(expected, dict) or set(expected) != set(DATA_FILES):
        return "run.json records no file checksums (written by an older version)"
    try:
        found = file_facts(folder)
    except (OSError, ValueError) as error:  # missing, or metrics.parquet unreadable
        return f"unreadable files ({type(error).__name__}: {str(error)[:100]})"
    for name in DATA_FILES:
        if found[name] != expected[name]:
            return f"{name} does not match run.json (truncated or altered)"
    return None


def read_manifest(sweep_dir: Path) -> dict[str, Any] | None:
    """Read a sweep's sweep.json (None if there is none).

    Raises:
        SweepError: sweep.json exists but is unreadable.
    """
    path = sweep_dir / MANIFEST_FILE
    if not path.exists():
        return None
    try:
        manifest = json.loads(path.read_text())
        jobs = manifest["jobs"]
        assert all(
            isinstance(job["run"], str) and isinstance(job["overrides"], list) for job in jobs
        )
    except (OSError, ValueError, KeyError, TypeError, AssertionError) as error:
        raise SweepError(
            f"{path} is unreadable ({type(error).__name__}); re-run the sweep"
        ) from None
    return dict(manifest)


def write_manifest(plan: SweepPlan) -> dict[str, Any]:
    """Write sweep.json: the command line and, for each job, its folder name and overrides."""
    manifest = {
        "command_line": list(plan.command_line),
        "sweeper_params": dict(plan.sweeper_params),
        "swept": [bare_key(key) for key in swept_keys(plan.jobs)],
        "started": time.time(),
        "started_at": now(),
        "jobs": [
            {"run": name, "overrides": list(job)}
            for name, job in zip(plan.names, plan.jobs, strict=True)
        ],
    }
    plan.sweep_dir.mkdir(parents=True, exist_ok=True)
    write_json(plan.sweep_dir / MANIFEST_FILE, manifest)
    return manifest
