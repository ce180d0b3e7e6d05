"""Run one job of a sweep, and the Hydra callback every job process needs.

`run_sweep_job` is the body of one job: it skips a run whose folder already holds a complete
run with the same hash (resolved parameters + code version), complete meaning that its files
match the sizes, checksums and row counts its run.json records (`verify_run`); it records a run
that raises (status 'failed' and the error) instead of stopping the sweep, and prints progress.

The sweep's manifest and tables are not written here but by the command line, before Hydra
starts and after it returns (`sim.tooling.cli`): Hydra turns any exception raised in a callback
into a warning, so nothing that must stop a sweep can live in one.
"""

from __future__ import annotations

import os
import socket
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

import sim.api
from sim.config import to_params
from sim.core.version import code_version
from sim.results import atomic_write
from sim.tooling.isolation import die_with_parent, exclusive, run_isolated
from sim.tooling.jobs import register_run_name_resolver
from sim.tooling.manifest import (
    DATA_FILES,
    ERROR_FILE,
    RUN_FILE,
    file_facts,
    now,
    read_manifest,
    read_record,
    run_hash,
    verify_run,
    write_json,
)

SWEEP_PID = "CPF_SIM_SWEEP_PID"  # set by the command line: the process running the sweep


def run_sweep_job(
    cfg: DictConfig, overrides: Sequence[str], output_dir: str | Path
) -> dict[str, Any]:
    """Run one job of a sweep into `output_dir`, unless it is already complete there.

    The job holds its folder's lock (`exclusive`) throughout, so a concurrent sweep into the
    same folder waits and then finds the run complete. The run itself is simulated in a child
    process (`run_isolated`); its failure (an exception, or the process killed) is recorded in
    run.json and error.txt and does not propagate, so the other jobs finish. A local worker
    process exits with the sweep's process (`die_with_parent`).

    Returns:
        the run record written to run.json (status 'ok', 'failed' or, for a reused run, the
        earlier record with 'skipped': True).
    """
    if os.environ.get(SWEEP_PID) == str(os.getppid()):  # a local worker of the sweep
        die_with_parent()
    folder = Path(output_dir)
    params = to_params(cfg)  # validated before the sweep started; cannot fail here
    key = run_hash(params)
    with exclusive(folder):
        previous = read_record(folder)
        if (
            previous is not None
            and previous.get("hash") == key
            and not verify_run(folder, previous)
        ):
            _progress(folder, "skipped (complete)", 0.0)
            return {**previous, "skipped": True}
        for name in (*DATA_FILES, ERROR_FILE):  # stale files must not look complete
            (folder / name).unlink(missing_ok=True)
        record: dict[str, Any] = {
            "run": folder.name,
            "overrides": list(overrides),
            "label": params.label,
            "seed": params.seed,
            "hash": key,
            "version": code_version(),
            "status": "running",
            "error": None,
            "started_at": now(),
            "worker": f"{socket.gethostname()}:{os.getpid()}",
        }
        write_json(folder / RUN_FILE, record)
        start = time.perf_counter()
        failure = run_isolated(lambda: _run_and_save(params, overrides, folder))
        if failure is None:
            try:
                record["files"] = file_facts(folder)
            except (OSError, ValueError) as error:
                failure = f"the run's files cannot be read back: {type(error).__name__}: {error}"
        if failure is None:
            record["status"] = "ok"
        else:
            record["status"] = "failed"
            record["error"] = failure.splitlines()[0]
            atomic_write(folder / ERROR_FILE, lambda p: p.write_text(failure + "\n"))
        record["wall_time_s"] = round(time.perf_counter() - start, 3)
        record["finished_at"] = now()
        write_json(folder / RUN_FILE, record)
    _progress(folder, record["status"], record["wall_time_s"])
    return record


def _run_and_save(params: Any, overrides: Sequence[str], folder: Path) -> None:
    """Simulate one job and save it; its summary's command is the job's overrides.

    (The process running it is a launcher's worker: its own command line says nothing.)
    """
    results = sim.api.run(params)
    results.summary["command"] = "sweep job: " + " ".join(overrides)
    results.save(folder)


def _progress(folder: Path, status: str, seconds: float) -> None:
    """One line per finished job: how many of the sweep's runs are done, and an estimate.

    A run found complete from an earlier sweep says so without a counter (its neighbours'
    counters include it); the estimate counts only the runs finished since this sweep started.
    """
    manifest = read_manifest(folder.parent)
    if status.startswith("skipped"):
        print(f"{folder.name}: {status}", flush=True)
        return
    if manifest is None:
        print(f"{folder.name}: {status} ({seconds:.1f} s)", flush=True)
        return
    records = [read_record(folder.parent / job["run"]) for job in manifest["jobs"]]
    started, version = str(manifest.get("started_at", "")), code_version()
    # A record left by an older model or config is to be re-run: it is not done.
    finished = [
        r
        for r in records
        if r is not None
        and r.get("status") in ("ok", "failed")
        and (str(r.get("finished_at", "")) >= started or r.get("version") == version)
    ]
    done, total = len(finished), len(records)
    new = sum(str(r.get("finished_at", "")) >= started for r in finished)
    elapsed = time.time() - manifest.get("started", time.time())
    eta = ""
    if new > 0 and done < total:
        eta = f", about {elapsed / new * (total - done) / 60:.1f} min left"
    print(f"[{done}/{total}] {folder.name}: {status} ({seconds:.1f} s){eta}", flush=True)


class SweepCallback(Callback):
    """Hydra callback (configs/config.yaml, hydra.callbacks): run names in every job process.

    Hydra sends its callbacks (pickled) to every process that runs jobs (a local worker, a
    SLURM task, a Ray worker) before it names the job's folder through the `cpf_run_name`
    resolver; the callback registers that resolver when it is made and when it is unpickled.
    """

    def __init__(self) -> None:
        register_run_name_resolver()

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        register_run_name_resolver()
