"""Helpers for the sweep tests: run `cpf-sim -m` in a temporary folder, in a subprocess."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
SMOKE = Path("results") / "sweeps" / "smoke"
FAULTS = Path(__file__).resolve().parent / "faults"  # test-only sitecustomize (fault injection)


def sweep_env(
    tmp: Path,
    faults: dict[str, str] | None = None,
    run_log: Path | None = None,
    toy: str | None = None,
    **extra: str,
) -> dict[str, str]:
    """Environment for a subprocess: every library's cache and temp folder under `tmp`.

    Args:
        tmp: a private folder for caches.
        faults: seed -> fault injected into runs of that seed ("raise", "kill", "sleep:S");
            see tests/faults/sitecustomize.py.
        run_log: a file every run appends "<label> <seed> <pid>" to.
        toy: a toy model replacing the simulation, e.g. "ishigami:KEY1,KEY2,KEY3".
        extra: more environment variables.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith("CPF_TEST_")}
    if toy:
        env["CPF_TEST_TOY"] = toy
    if faults or run_log or toy:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(FAULTS), env.get("PYTHONPATH")]))
        env["CPF_TEST_FAULTS"] = json.dumps(faults or {})
        if run_log:
            env["CPF_TEST_RUN_LOG"] = str(run_log)
    env.update(
        MPLCONFIGDIR=str(tmp / "mpl"),
        RAY_AUTH_MODE="disabled",
        # Ray's socket paths must stay short: a fresh folder directly under the system temp dir
        RAY_TMPDIR=tempfile.mkdtemp(prefix="ray"),
        JUPYTER_RUNTIME_DIR=str(tmp / "jupyter"),
        IPYTHONDIR=str(tmp / "ipython"),
        PYTHONWARNINGS="ignore::DeprecationWarning",
    )
    env.update(extra)
    return env


def cpf_sim(
    cwd: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m sim ARGS` in `cwd`."""
    return subprocess.run(
        [sys.executable, "-m", "sim", *args],
        cwd=cwd,
        env=env or sweep_env(cwd),
        capture_output=True,
        text=True,
        timeout=300,
    )


_FINISHED: dict[str, Path] = {}


def finished_smoke(factory: pytest.TempPathFactory) -> Path:
    """One complete smoke sweep (basic launcher) per test process, shared by every module.

    Read it, never change it: copy it (`copy_sweep`) to alter or to write a report into it.
    """
    if "smoke" not in _FINISHED:
        _FINISHED["smoke"] = smoke_sweep(factory.mktemp("finished_smoke"), "hydra/launcher=basic")
    return _FINISHED["smoke"]


def copy_sweep(folder: Path, cwd: Path) -> Path:
    """A copy of a sweep folder at `cwd`/results/sweeps/smoke (where the same command finds it)."""
    target = cwd / SMOKE
    shutil.copytree(folder, target)
    return target


def smoke_sweep(cwd: Path, *args: str, env: dict[str, str] | None = None) -> Path:
    """Run the smoke preset in `cwd` (extra ARGS, e.g. a launcher) and return its folder."""
    done = cpf_sim(cwd, "-m", "+experiment=smoke", *args, env=env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return cwd / SMOKE


def outcome_columns(runs: pd.DataFrame) -> pd.DataFrame:
    """The numeric outcome totals of complete runs, one row per run folder, sorted."""
    done = runs[runs["status"] == "ok"].set_index("run").sort_index()
    skip = {"seed", "wall_time_s", "scale", "holders", "months"}
    numeric = [c for c in done.columns if pd.api.types.is_float_dtype(done[c]) and c not in skip]
    return done[numeric]
