"""The comparison report: statistics, figures and the cpf-compare command line."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sweep_helpers import copy_sweep, finished_smoke, sweep_env

from sim.tooling.compare import write_report
from sim.tooling.effect_plots import pareto_front
from sim.tooling.stats import (
    CompareError,
    choose_baseline,
    mean_ci,
    paired_differences,
    paired_test,
)
from sim.tooling.tables import METRICS_TABLE, RUNS_TABLE

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_sweep(finished_smoke(tmp_path_factory), tmp_path_factory.mktemp("compare"))


def test_cpf_compare_writes_report_and_figures(sweep: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sim.tooling.compare_cli", str(sweep)],
        env=sweep_env(sweep.parent),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = (sweep / "report.md").read_text()
    for heading in (
        "## In brief",
        "## Outcomes by scenario",
        "### Fraud",
        "### Legitimate use",
        "## Who pays, by holder status",
        "## Year by year",
        "## How many seeds",
    ):
        assert heading in report
    assert "baseline **none**" in report
    assert "| identity_check |" in report
    for figure in (
        "tradeoff.png",
        "who_pays.png",
        "fan_fraud_loss.png",
        "fan_useful_enrolments.png",
        "fan_deterred_persons.png",
    ):
        assert (sweep / figure).stat().st_size > 10_000, figure
        assert f"]({figure})" in report


def test_bad_baseline_is_one_line_and_exit_2(sweep: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sim.tooling.compare_cli", str(sweep), "--baseline", "nope"],
        env=sweep_env(sweep.parent),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "nope" in done.stderr and "identity_check" in done.stderr


def test_one_seed_has_no_interval_rather_than_a_zero_width_one(tmp_path: Path) -> None:
    assert all(math.isnan(v) for v in mean_ci([5.0])[1:])
    folder = tmp_path / "one_seed"
    _fake_grid(folder)
    runs = pd.read_parquet(folder / RUNS_TABLE)
    runs[runs["seed"] == 0].to_parquet(folder / RUNS_TABLE)
    report = write_report(folder).read_text()
    assert "[n/a]" in report and "with one seed there is none" in report
    for line in report.splitlines():
        if line.startswith("| x=0.1, y=a |"):
            value = line.split("|")[3].strip().split(" [")[0]
            assert f"{value} [{value}, {value}]" not in line, line  # no zero-width interval


def test_paired_test() -> None:
    mean, lo, hi, p = paired_test([1.0, 2.0, 3.0, 4.0])
    assert mean == 2.5 and lo < 2.5 < hi and 0 < p < 0.05
    assert paired_test([2.0, 2.0, 2.0])[3] == 0.0
    assert paired_test([0.0, 0.0])[3] == 1.0
    assert math.isnan(paired_test([1.0])[3])


def test_pareto_front() -> None:
    useful = [1.0, 2.0, 3.0, 2.0]
    fraud = [1.0, 1.0, 5.0, 3.0]
    assert pareto_front(useful, fraud) == [1, 2]  # 0 and 3 are beaten by 1


def _fake_grid(folder: Path) -> None:
    """A 2-D grid sweep written directly as tables: fraud falls with x, useful falls with y."""
    noises = np.random.default_rng(0).normal(size=3)  # one draw per seed, shared by scenarios
    rows, monthly = [], []
    for x in (0.0, 0.1):
        for y in ("a", "b", "c"):
            for seed in range(3):
                run = f"x={x},y={y},seed={seed}"
                noise = noises[seed]
                rows.append(
                    {
                        "run": run,
                        "scenario": f"x={x}, y={y}",
                        "regulation.x": x,
                        "regulation.y": y,
                        "seed": seed,
                        "status": "ok",
                        "error": None,
                        "wall_time_s": 1.0,
                        "version": "test",
                        "hash": run,
                        "label": "grid",
                        "fraud_loss_eur": 1e8 * (1 - x) + 1e6 * noise,
                        "useful_enrolments": 1e5 * (3 - "abc".index(y)) + 1e3 * noise,
                        "legit_enrolments": 2e5,
                        "deterred_holders": 1e4 * "abc".index(y),
                        "fraud_enrolments": 1e4,
                        "lever_changes": "{}",
                        "holders": 2000,
                        "scale": 19400.0,
                        "start": "2019-01",
                        "end": "2019-02",
                    }
                )
                for month in ("2019-01", "2019-02"):
                    monthly.append(
                        {
                            "run": run,
                            "scenario": f"x={x}, y={y}",
                            "regulation.x": x,
                            "regulation.y": y,
                            "seed": seed,
                            "month": month,
                            "fraud_loss_eur": 5e7 * (1 - x),
                            "useful_enrolments": 5e4,
                            "deterred_holders": 0.0,
                        }
                    )
    folder.mkdir(parents=True)
    pd.DataFrame(rows).to_parquet(folder / RUNS_TABLE)
    pd.DataFrame(monthly).to_parquet(folder / METRICS_TABLE)


def test_grid_sweep_gets_a_heatmap_and_paired_effects(tmp_path: Path) -> None:
    folder = tmp_path / "grid"
    _fake_grid(folder)
    report = write_report(folder).read_text()
    assert (folder / "heatmap.png").exists() and "heatmap.png" in report
    assert "baseline **x=0.0, y=a**" in report  # no 'none': the sweep's first scenario
    runs = pd.read_parquet(folder / RUNS_TABLE)
    with pytest.raises(CompareError, match="not a scenario"):
        choose_baseline(runs, "b")  # ambiguous: y=b with x=0.0 and with x=0.1
    diffs = paired_differences(runs, "x=0.0, y=a", ["fraud_loss_eur"])
    effect = diffs.set_index("scenario").loc["x=0.1, y=a"]
    assert effect["mean"] == pytest.approx(-1e7, rel=1e-6)  # noise is shared by seed: exact
    assert effect["sd_paired"] < 1e-3 * effect["sd_unpaired"]


def test_dose_response_figure_for_one_swept_number(tmp_path: Path) -> None:
    folder = tmp_path / "dose"
    _fake_grid(folder)
    runs = pd.read_parquet(folder / RUNS_TABLE)
    runs = runs[runs["regulation.y"] == "a"].drop(columns="regulation.y")
    runs["scenario"] = [f"x={x}" for x in runs["regulation.x"]]
    runs.to_parquet(folder / RUNS_TABLE)
    metrics = pd.read_parquet(folder / METRICS_TABLE)
    metrics = metrics[metrics["regulation.y"] == "a"].drop(columns="regulation.y")
    metrics["scenario"] = [f"x={x}" for x in metrics["regulation.x"]]
    metrics.to_parquet(folder / METRICS_TABLE)
    report = write_report(folder, baseline="0.0").read_text()
    assert "baseline **x=0.0**" in report
    assert (folder / "dose_response.png").exists() and not (folder / "heatmap.png").exists()


def test_fan_charts_mark_only_the_scenarios_own_lever_changes_inside_the_window() -> None:
    from sim.tooling.compare_plots import fan_chart

    changes = {
        "base": '{"copayment_eur": ["2019-02"], "canvassing_ban": ["2019-03"]}',
        "copay": '{"copayment_eur": ["2019-01", "2019-03"], "canvassing_ban": ["2019-03"]}',
    }
    runs = pd.DataFrame(
        [{"scenario": s, "status": "ok", "lever_changes": changes[s]} for s in changes]
    )
    metrics = pd.DataFrame(
        [
            {"scenario": s, "seed": k, "month": m, "fraud_loss_eur": 1e6}
            for s in changes
            for k in range(2)
            for m in ("2019-02", "2019-03", "2019-04")
        ]
    )
    figure = fan_chart(runs, metrics, "fraud_loss_eur", "base", ["base", "copay"])
    dashed = [line for line in figure.axes[0].lines if line.get_linestyle() == "--"]
    assert len(dashed) == 1  # copayment 2019-03: 2019-01 is outside, the ban is the baseline's
    import matplotlib.pyplot as plt

    plt.close(figure)
