"""Sweep integrity (issue 8): completeness is verified, tables are never stale, a sweep's
command fails loudly when anything is missing, jobs never share a folder, names never merge."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from sweep_helpers import copy_sweep, cpf_sim, finished_smoke, sweep_env

from sim.core.errors import ConfigError
from sim.tooling.compare_cli import main as compare_main
from sim.tooling.jobs import plan_sweep
from sim.tooling.manifest import RUN_FILE, SweepError
from sim.tooling.stats import swept_parameters
from sim.tooling.tables import METRICS_TABLE, RUNS_TABLE, aggregate, case_names, load_sweep
from sim.tooling.tables import main as tables_main

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def finished(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete smoke sweep (4 runs), to be copied by the tests that alter it."""
    return finished_smoke(tmp_path_factory)


def _copy(finished: Path, tmp_path: Path) -> Path:
    return copy_sweep(finished, tmp_path)


def _python(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=cwd,
        env=sweep_env(cwd),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_truncated_or_altered_run_files_are_not_trusted_and_are_rerun(
    finished: Path, tmp_path: Path
) -> None:
    folder = _copy(finished, tmp_path)
    load_sweep(folder)  # tables built from the intact runs
    names = sorted(p.name for p in folder.iterdir() if (p / RUN_FILE).exists())
    metrics = folder / names[0] / "metrics.parquet"
    metrics.write_bytes(metrics.read_bytes()[: metrics.stat().st_size // 2])  # truncated
    summary = folder / names[1] / "summary.json"
    summary.write_text(summary.read_text().replace('"seed"', '"seed" ', 1))  # altered
    runs, table = load_sweep(folder)  # the runs changed: the tables are rebuilt
    status = dict(zip(runs["run"], runs["status"], strict=True))
    assert status[names[0]] == status[names[1]] == "corrupt"
    assert set(table["run"]) == set(names[2:])
    done = cpf_sim(tmp_path, "-m", "+experiment=smoke", "hydra/launcher=basic")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count("skipped (complete)") == 2  # the two corrupt runs ran again
    runs, table = load_sweep(folder)
    assert set(runs["status"]) == {"ok"} and len(table) == 4 * 48


def test_tables_that_cannot_be_written_fail_the_command_and_leave_none_stale(
    finished: Path, tmp_path: Path
) -> None:
    folder = _copy(finished, tmp_path)
    assert (folder / RUNS_TABLE).exists()
    env = sweep_env(tmp_path, faults={"tables": "disk_full"})
    done = cpf_sim(tmp_path, "-m", "+experiment=smoke", "hydra/launcher=basic", env=env)
    assert done.returncode == 1, done.stderr[-2000:]
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("cpf-sim: sweep error: ") and "could not be written" in last, last
    assert "No space left" in last and "resume" in last
    assert not (folder / RUNS_TABLE).exists() and not (folder / METRICS_TABLE).exists()
    runs, _ = load_sweep(folder)  # rebuilt from the runs, which are kept
    assert set(runs["status"]) == {"ok"}


def test_a_stray_run_folder_without_sweep_json_is_not_aggregated(
    finished: Path, tmp_path: Path
) -> None:
    run = next(p for p in finished.iterdir() if (p / RUN_FILE).exists())
    stray = tmp_path / "stray"
    shutil.copytree(run, stray / run.name)
    with pytest.raises(SweepError, match="no sweep.json"):
        aggregate(stray)
    done = _python("-m", "sim.tooling.tables", str(stray), cwd=tmp_path)
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert not (stray / RUNS_TABLE).exists()


def test_corrupt_tables_are_rebuilt_in_a_sweep_and_refused_in_one_line_alone(
    finished: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _copy(finished, tmp_path)
    (folder / RUNS_TABLE).write_bytes(b"PAR1 not a table")
    done = _python("-m", "sim.tooling.compare_cli", str(folder), cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]  # rebuilt from the runs
    assert len(pd.read_parquet(folder / RUNS_TABLE)) == 4
    (folder / METRICS_TABLE).write_bytes(b"garbage")
    with pytest.raises(SystemExit) as stop:
        tables_main([str(folder)])
    assert stop.value.code == 0 and len(pd.read_parquet(folder / METRICS_TABLE)) == 4 * 48
    alone = tmp_path / "tables_only"
    alone.mkdir()
    (alone / RUNS_TABLE).write_bytes(b"garbage")
    (alone / METRICS_TABLE).write_bytes(b"garbage")
    capsys.readouterr()
    for main in (compare_main, tables_main):
        with pytest.raises(SystemExit) as stop:
            main([str(alone)])
        lines = capsys.readouterr().err.strip().splitlines()
        assert stop.value.code == 2 and len(lines) == 1, lines


def test_jobs_that_would_share_a_folder_are_refused_before_any_run(tmp_path: Path) -> None:
    done = cpf_sim(tmp_path, "-m", "seed=1,1", "population.holders=2000", "end=2019-02")
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1, done.stderr[-2000:]
    assert "share the run folder" in lines[0]
    assert not (tmp_path / "results").exists()
    with pytest.raises(ConfigError, match="share the run folder 'label=a_b'"):
        plan_sweep(["label=a?b,a_b"])  # folder names replace '?' by '_'
    with pytest.raises(ConfigError, match="hydra.sweep.subdir"):
        plan_sweep(["seed=0,1", "hydra.sweep.subdir=x"])  # all runs in one folder


def test_case_names_never_merge_distinct_values() -> None:
    runs = pd.DataFrame(
        {
            "run": list("abcdef"),
            "regulation.price_cap_by_topic_eur": [None, "[900, 0]", None, "[900, 0]", "{}", "null"],
            "seed": [0, 0, 1, 1, 0, 0],
            "status": ["ok"] * 6,
        }
    )
    names = case_names(runs, ["regulation.price_cap_by_topic_eur", "seed"])
    assert len(set(names)) == 4, names  # null, the list, the dict and the text 'null'
    assert names[0] == names[2] and names[1] == names[3]
    table = runs.assign(scenario=names)[
        ["run", "scenario", "regulation.price_cap_by_topic_eur", "seed", "status"]
    ]
    assert swept_parameters(table) == ["regulation.price_cap_by_topic_eur"]


def test_a_sweep_of_null_against_a_list_gives_two_scenarios(tmp_path: Path) -> None:
    done = cpf_sim(
        tmp_path,
        "-m",
        "regulation.price_cap_by_topic_eur=null,[900,0,0,0,0,0,0]",
        "scenario=none",
        "seed=0",
        "population.holders=2000",
        "end=2019-02",
        "hydra/launcher=basic",
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (folder,) = (tmp_path / "results" / "sweeps").iterdir()
    runs, _ = load_sweep(folder)
    assert runs["scenario"].nunique() == 2, list(runs["scenario"])


def test_runs_left_by_an_older_model_are_rerun_and_not_counted_done(
    finished: Path, tmp_path: Path
) -> None:
    folder = _copy(finished, tmp_path)
    for run in folder.iterdir():
        record = run / RUN_FILE
        if record.exists():  # as if made by another commit: another hash and version
            text = record.read_text()
            data = json.loads(text)
            data.update(hash="0" * 16, version="0.0.0+gold")
            record.write_text(json.dumps(data))
    done = cpf_sim(tmp_path, "-m", "+experiment=smoke", "hydra/launcher=basic")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "skipped (complete)" not in done.stdout
    counters = [
        line.split()[0]
        for line in done.stdout.splitlines()
        if line.startswith("[") and "/4]" in line
    ]
    assert counters == ["[1/4]", "[2/4]", "[3/4]", "[4/4]"], done.stdout
