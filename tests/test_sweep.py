"""Sweeps: tables at the end, skip-if-complete, failures recorded, launchers agree."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from sweep_helpers import (
    SMOKE,
    cpf_sim,
    finished_smoke,
    outcome_columns,
    smoke_sweep,
    sweep_env,
)

from sim.config import compose_config
from sim.tooling.jobs import check_jobs, expand_jobs, run_name, sweep_jobs, sweep_name
from sim.tooling.manifest import RUN_FILE
from sim.tooling.tables import aggregate, load_sweep

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def basic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return finished_smoke(tmp_path_factory)


def test_smoke_sweep_writes_tidy_tables(basic: Path) -> None:
    runs, metrics = load_sweep(basic)
    assert len(runs) == 4
    assert set(runs["status"]) == {"ok"}
    assert set(runs["scenario"]) == {"none", "identity_check"}
    assert sorted(runs["seed"]) == [0, 0, 1, 1]
    for column in (
        "experiment.levers",
        "version",
        "wall_time_s",
        "hash",
        "fraud_loss_eur",
        "useful_enrolments",
    ):
        assert column in runs, column
    assert runs["run"].is_unique
    assert len(metrics) == 4 * 48  # 2019-01 .. 2022-12
    assert {"run", "scenario", "seed", "month", "fraud_loss_eur"} <= set(metrics.columns)
    assert not metrics.duplicated(["run", "month"]).any()
    # every run folder holds a complete run, and no temporary file is left behind
    assert {p.name for p in basic.iterdir() if p.is_dir()} == set(runs["run"])
    assert not list(basic.rglob("*.tmp"))


def test_joblib_with_two_workers_gives_the_same_results(basic: Path, tmp_path: Path) -> None:
    parallel = smoke_sweep(tmp_path, "hydra/launcher=processes", "hydra.launcher.n_jobs=2")
    serial_runs, _ = load_sweep(basic)
    parallel_runs, _ = load_sweep(parallel)
    assert parallel_runs["worker"].nunique() >= 1
    pd.testing.assert_frame_equal(outcome_columns(serial_runs), outcome_columns(parallel_runs))


def test_rerun_skips_complete_runs_and_reruns_failed_ones(tmp_path: Path) -> None:
    env = sweep_env(tmp_path, faults={"1": "raise"})
    done = cpf_sim(tmp_path, "-m", "+experiment=smoke", "hydra/launcher=basic", env=env)
    assert done.returncode == 1, done.stderr[-2000:]  # a failed run fails the sweep's command
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("cpf-sim: sweep incomplete: 2 failed of 4 runs"), last
    assert "run the same command again to resume" in last
    folder = tmp_path / SMOKE
    runs, metrics = load_sweep(folder)
    failed = runs[runs["status"] == "failed"]
    assert sorted(failed["seed"]) == [1, 1]
    assert failed["error"].str.contains("RuntimeError: test failure").all()
    assert (runs.loc[runs["status"] == "ok", "seed"] == 0).all()
    assert set(metrics["seed"]) == {0}
    assert (folder / failed["run"].iloc[0] / "error.txt").exists()
    started = {
        r: json.loads((folder / r / RUN_FILE).read_text())["started_at"] for r in runs["run"]
    }

    done = cpf_sim(tmp_path, "-m", "+experiment=smoke", "hydra/launcher=basic")  # no failure now
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count("skipped (complete)") == 2
    runs2, metrics2 = load_sweep(folder)
    assert set(runs2["status"]) == {"ok"} and len(runs2) == 4
    assert len(metrics2) == 4 * 48
    for row in runs2.itertuples():
        again = json.loads((folder / row.run / RUN_FILE).read_text())["started_at"]
        assert (again == started[row.run]) == (row.seed == 0)


def test_interrupted_and_missing_runs_are_reported_then_completed(
    basic: Path, tmp_path: Path
) -> None:
    cwd = tmp_path
    folder = cwd / "results" / "sweeps" / "smoke"
    shutil.copytree(basic, folder)
    runs, _ = load_sweep(folder)
    gone, cut = runs["run"].iloc[0], runs["run"].iloc[1]
    shutil.rmtree(folder / gone)  # a job that never started
    record = json.loads((folder / cut / RUN_FILE).read_text())
    (folder / cut / RUN_FILE).write_text(json.dumps({**record, "status": "running"}))  # killed
    runs, metrics = aggregate(folder)
    assert dict(zip(runs["run"], runs["status"], strict=True))[gone] == "missing"
    assert dict(zip(runs["run"], runs["status"], strict=True))[cut] == "incomplete"
    assert set(metrics["run"]) == set(runs["run"]) - {gone, cut}
    done = cpf_sim(cwd, "-m", "+experiment=smoke", "hydra/launcher=basic")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.count("skipped (complete)") == 2
    runs, metrics = load_sweep(folder)
    assert set(runs["status"]) == {"ok"} and runs["run"].is_unique
    assert len(metrics) == 4 * 48


def test_bad_value_in_a_sweep_stops_before_any_work(tmp_path: Path) -> None:
    done = cpf_sim(tmp_path, "-m", "+experiment=smoke", "regulation.copayment_eur=0,-5")
    assert done.returncode == 2
    assert "copayment_eur" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "results").exists()


def test_jobs_expand_like_hydra() -> None:
    jobs = expand_jobs(
        ["seed=range(0,2)", "+experiment=smoke"],
        {"+experiment/levers": "none,copayment", "seed": "5"},
    )
    assert jobs == [
        ["+experiment/levers=none", "seed=0", "+experiment=smoke"],
        ["+experiment/levers=none", "seed=1", "+experiment=smoke"],
        ["+experiment/levers=copayment", "seed=0", "+experiment=smoke"],
        ["+experiment/levers=copayment", "seed=1", "+experiment=smoke"],
    ]
    assert run_name(jobs[1], exclude=["experiment"]) == "levers=none,seed=1"
    assert run_name(["regulation.copayment_eur=100", "seed=3"]) == "copayment_eur=100,seed=3"
    assert sweep_name(["+experiment=lever_comparison"]) == "lever_comparison"
    assert (
        sweep_name(["regulation.copayment_eur=0,100", "seed=range(0,3)"])
        == "copayment_eur=0,100__seed=range_0,3"
    )
    assert run_name(["regulation.copayment_eur={2025-01:150}", "seed=1"]) == (
        "copayment_eur=_2025-01_150,seed=1"
    )


@pytest.mark.parametrize(
    ("preset", "jobs"),
    [
        ("smoke", 4),
        ("lever_comparison", 14 * 20),
        ("copayment_dose_response", 7 * 20),
        ("identity_x_enforcement", 4 * 5 * 10),
    ],
)
def test_presets_compose_and_validate(preset: str, jobs: int) -> None:
    assert len(check_jobs(sweep_jobs([f"+experiment={preset}"]))) == jobs


LEVER_KEYS = {
    "identity_check": {"identity_check"},
    "canvassing_ban": {"canvassing_ban", "canvassing_enforcement"},
    "copayment": {"copayment_eur", "copayment_exempt"},
    "qualiopi": {"qualiopi_required"},
    "audits": {"audit_rate"},
    "screening": {"anomaly_detection"},
    "price_cap": {"price_cap_eur", "price_cap_by_topic_eur"},
    "business_creation": {"business_creation_restricted"},
}


@pytest.mark.parametrize("lever", sorted(LEVER_KEYS))
def test_each_lever_alone_is_the_historical_lever_and_nothing_else(lever: str) -> None:
    none = compose_config(["+experiment/levers=none"]).regulation
    historical = compose_config(["+experiment/levers=historical"]).regulation
    alone = compose_config([f"+experiment/levers={lever}"]).regulation
    changed = {key for key in alone if alone[key] != none[key]}
    assert changed <= LEVER_KEYS[lever], f"{lever} also changes {changed - LEVER_KEYS[lever]}"
    for key in LEVER_KEYS[lever]:
        assert alone[key] == historical[key], (
            f"configs/experiment/levers/{lever}.yaml: {key} differs from historical"
        )


def test_a_sweep_over_the_scenario_group_names_its_scenarios(tmp_path: Path) -> None:
    """Sweeping `scenario=` itself (as the counterfactuals preset does) must not clash with the
    `scenario` column the tables add: the scenario name is the group's choice."""
    done = cpf_sim(
        tmp_path,
        "-m",
        "scenario=none,historical",
        "seed=0",
        "population.holders=2000",
        "end=2019-06",
        "hydra/launcher=basic",
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "raised" not in done.stderr, done.stderr[-3000:]
    (folder,) = (tmp_path / "results" / "sweeps").iterdir()
    runs, metrics = load_sweep(folder)
    assert sorted(runs["scenario"]) == ["historical", "none"]
    assert list(runs.columns).count("scenario") == 1
    assert set(metrics["scenario"]) == {"historical", "none"}
