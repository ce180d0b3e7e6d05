"""A sweep's records: the manifest of its jobs (sweep.json) and one record per run (run.json).

`sweep.json` lists the jobs a sweep expects (folder name and overrides), written before any run
starts; `run.json` records one run's status ('running', 'ok', 'failed'), error, hash, worker
and timings. Both are written atomically; `run.json` is written after every other file of the
run, so an interrupted run never looks complete.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sim.core.version import ROOT, code_version
from sim.results import atomic_write, params_as_dict
from sim.tooling.jobs import bare_key, expand_jobs, run_name, swept_keys

MANIFEST_FILE = "sweep.json"
RUN_FILE = "run.json"
ERROR_FILE = "error.txt"


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
    payload = (
        json.dumps(params_as_dict(params), sort_keys=True, default=str) + "|" + code_fingerprint()
    )
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


def now() -> str:
    """The time now, UTC, ISO 8601 to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def write_json(path: Path, data: Mapping[str, Any]) -> None:
    """Write `data` as indented JSON, atomically."""
    atomic_write(path, lambda p: p.write_text(json.dumps(data, indent=2, default=str)))


def read_record(folder: Path) -> dict[str, Any] | None:
    """Read the run.json of a run folder (None if there is none or it is unreadable)."""
    path = folder / RUN_FILE
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError:
        return None


def read_manifest(sweep_dir: Path) -> dict[str, Any] | None:
    """Read a sweep's sweep.json (None if there is none)."""
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
        "started_at": now(),
        "jobs": [{"run": name, "overrides": job} for name, job in zip(names, jobs, strict=True)],
    }
    sweep_dir.mkdir(parents=True, exist_ok=True)
    write_json(sweep_dir / MANIFEST_FILE, manifest)
    return manifest
