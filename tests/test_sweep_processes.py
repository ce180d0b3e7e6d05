"""Sweep processes (issue 8): a killed run fails alone, a killed sweep takes its workers with
it, and two sweeps into one folder never run the same job twice."""

from __future__ import annotations

import contextlib
import json
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sweep_helpers import cpf_sim, sweep_env

from sim.tooling.manifest import RUN_FILE
from sim.tooling.tables import load_sweep

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux's /proc"),
]
LOCAL = ("hydra/launcher=processes", "hydra.launcher.n_jobs=2")
SHORT = ("+experiment=smoke", "end=2019-06")  # the smoke sweep, its runs cut to six months
FOLDER = Path("results") / "sweeps" / "smoke__end=2019-06"


def _parents() -> dict[int, int]:
    """pid -> parent pid of every live (not zombie) process."""
    out = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if fields[0] != "Z":
            out[int(stat.parent.name)] = int(fields[1])
    return out


def _descendants(pid: int) -> set[int]:
    parents = _parents()
    found, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def _statuses(folder: Path) -> list[str]:
    out = []
    for path in folder.glob(f"*/{RUN_FILE}"):
        with contextlib.suppress(OSError, ValueError):  # being written
            out.append(json.loads(path.read_text())["status"])
    return out


def test_a_killed_run_fails_alone_and_the_sweep_goes_on(tmp_path: Path) -> None:
    env = sweep_env(tmp_path, faults={"1": "kill"})  # runs with seed 1 are SIGKILLed
    done = cpf_sim(tmp_path, "-m", *SHORT, "hydra/launcher=basic", env=env)
    assert done.returncode == 1, done.stderr[-2000:]
    runs, _ = load_sweep(tmp_path / FOLDER)
    status = dict(zip(runs["seed"], runs["status"], strict=False))
    assert sorted(runs.loc[runs["status"] == "ok", "seed"]) == [0, 0], status
    assert runs.loc[runs["seed"] == 1, "error"].str.contains("killed by SIGKILL").all()
    done = cpf_sim(tmp_path, "-m", *SHORT, "hydra/launcher=basic")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count("skipped (complete)") == 2


def test_a_killed_sweep_takes_its_workers_with_it(tmp_path: Path) -> None:
    env = sweep_env(tmp_path, faults={"0": "sleep:120", "1": "sleep:120"})
    with open(tmp_path / "out.txt", "w") as out:
        sweep = subprocess.Popen(
            [sys.executable, "-m", "sim", "-m", *SHORT, *LOCAL],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        deadline = time.time() + 120
        while _statuses(tmp_path / FOLDER).count("running") < 2 and time.time() < deadline:
            assert sweep.poll() is None, (tmp_path / "out.txt").read_text()[-2000:]
            time.sleep(0.3)
        family = _descendants(sweep.pid)
        assert len(family) >= 4, family  # two workers, each running one run in a child
        sweep.send_signal(signal.SIGKILL)
        sweep.wait()
    deadline = time.time() + 20
    while family & set(_parents()) and time.time() < deadline:
        time.sleep(0.3)
    alive = family & set(_parents())
    assert not alive, f"processes outlived the killed sweep: {sorted(alive)}"
    done = cpf_sim(tmp_path, "-m", *SHORT, "hydra/launcher=basic")
    assert done.returncode == 0, done.stderr[-2000:]  # the same command resumes
    assert set(load_sweep(tmp_path / FOLDER)[0]["status"]) == {"ok"}


def test_two_sweeps_into_one_folder_never_run_a_job_twice(tmp_path: Path) -> None:
    log = tmp_path / "runs.log"
    env = sweep_env(tmp_path, faults={"0": "sleep:1", "1": "sleep:1"}, run_log=log)
    command = [sys.executable, "-m", "sim", "-m", *SHORT, "hydra/launcher=basic"]
    sweeps = [
        subprocess.Popen(
            command,
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = [sweep.communicate(timeout=300) for sweep in sweeps]
    for sweep, (_, err) in zip(sweeps, results, strict=True):
        assert sweep.returncode == 0, err[-2000:]
    runs = Counter(" ".join(line.split()[:2]) for line in log.read_text().splitlines())
    assert len(runs) == 4 and set(runs.values()) == {1}, runs
    assert set(load_sweep(tmp_path / FOLDER)[0]["status"]) == {"ok"}
