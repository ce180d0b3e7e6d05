"""The SLURM launcher composes, submits one job array, and runs several runs per array task.

SLURM itself is faked: tests/fake_slurm/ holds `sbatch` (records the submission script, then
runs its array tasks in the background with the SLURM_* variables set), `srun` (runs its
command), `sacct` and `scancel`; submitit, Hydra's submitit plugin and our launcher are real.
"""

from __future__ import annotations

import importlib.util
import json
import os
from collections import Counter
from pathlib import Path

import pytest
from sweep_helpers import SMOKE, cpf_sim, sweep_env

from sim.tooling.manifest import RUN_FILE
from sim.tooling.slurm import batches
from sim.tooling.tables import load_sweep

FAKE = Path(__file__).resolve().parent / "fake_slurm"
pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.skipif(
        importlib.util.find_spec("hydra_plugins.hydra_submitit_launcher") is None,
        reason="submitit launcher not installed (pip install -e .[cluster])",
    ),
]


def test_batches_cover_every_job_once_in_order() -> None:
    assert batches(5, 2) == [[0, 1], [2, 3], [4]]
    assert batches(3, 10) == [[0, 1, 2]]
    assert batches(2, 0) == [[0], [1]]


def test_a_slurm_sweep_submits_one_array_with_several_runs_per_task(tmp_path: Path) -> None:
    log = tmp_path / "slurm"
    log.mkdir()
    env = sweep_env(tmp_path, FAKE_SLURM_DIR=str(log))
    env["PATH"] = f"{FAKE}{os.pathsep}{env['PATH']}"
    done = cpf_sim(
        tmp_path,
        "-m",
        "+experiment=smoke",
        "hydra/launcher=slurm",
        "hydra.launcher.runs_per_task=2",
        "hydra.launcher.partition=cpu",
        env=env,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    (script,) = log.glob("submission_*.sh")
    text = script.read_text()
    assert "#SBATCH --array=0-1%2" in text  # 4 runs, 2 per task: 2 array tasks
    assert "#SBATCH --partition=cpu" in text and "${" not in text
    runs, _ = load_sweep(tmp_path / SMOKE)
    assert set(runs["status"]) == {"ok"} and len(runs) == 4
    workers = Counter(
        json.loads((tmp_path / SMOKE / run / RUN_FILE).read_text())["worker"] for run in runs["run"]
    )
    assert sorted(workers.values()) == [2, 2], workers  # each array task ran two runs
