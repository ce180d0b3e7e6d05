"""Run one job of a sweep, and the Hydra callback that frames the sweep.

`run_sweep_job` is the body of one job: it skips a run whose folder already holds a complete
run with the same hash (resolved parameters + code version), records a run that raises
(status 'failed' and the error) instead of stopping the sweep, and prints progress.
`SweepCallback` writes the sweep's manifest (`sweep.json`) when the sweep starts and the
tables (`sim.tooling.tables.aggregate`) when it ends.
"""

from __future__ import annotations

import os
import socket
import time
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf

import sim.api
from sim.config import to_params
from sim.core.version import code_version
from sim.results import SUMMARY_FILE, atomic_write
from sim.tooling.jobs import register_run_name_resolver
from sim.tooling.manifest import (
    ERROR_FILE,
    RUN_FILE,
    now,
    read_manifest,
    read_record,
    run_hash,
    write_json,
    write_manifest,
)
from sim.tooling.tables import aggregate, describe


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
        "started_at": now(),
        "worker": f"{socket.gethostname()}:{os.getpid()}",
    }
    write_json(folder / RUN_FILE, record)
    start = time.perf_counter()
    try:
        sim.api.run(params).save(folder)
        record["status"] = "ok"
    except Exception as error:  # a sweep records a run's failure and goes on with the others
        record["status"] = "failed"
        record["error"] = f"{type(error).__name__}: {error}"
        atomic_write(folder / ERROR_FILE, lambda p: p.write_text(traceback.format_exc()))
    record["wall_time_s"] = round(time.perf_counter() - start, 3)
    record["finished_at"] = now()
    write_json(folder / RUN_FILE, record)
    _progress(folder, record["status"], record["wall_time_s"])
    return record


def _progress(folder: Path, status: str, seconds: float) -> None:
    """One line per finished job: how many of the sweep's runs are done, and an estimate."""
    manifest = read_manifest(folder.parent)
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


class SweepCallback(Callback):
    """Hydra callback (configs/config.yaml, hydra.callbacks): manifest at start, tables at end.

    Hydra sends its callbacks (pickled) to every process that runs jobs, before it names the
    job's folder; the callback registers the run-name resolver there, on unpickling.
    """

    def __init__(self) -> None:
        register_run_name_resolver()

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        register_run_name_resolver()

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
