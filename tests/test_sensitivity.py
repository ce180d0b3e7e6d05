"""Uncertainty and sensitivity: declared ranges, designs through the sweep runner, indices.

The wiring is checked end to end on a toy model with known indices (Ishigami, swapped in for
the simulation by tests/faults/sitecustomize.py): a Sobol design run by `cpf-sim -m` must give
exactly the indices SALib gives on the same function evaluated directly, and SALib's estimator
recovers the analytic indices. A killed design resumes without duplicates or gaps; bad
declarations stop in one line with exit 2; a smoke-sized real design runs and reports.
"""

from __future__ import annotations

import json
import math
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from SALib.sample import sobol as sobol_sample
from SALib.test_functions import Ishigami
from sweep_helpers import ROOT, cpf_sim, sweep_env
from test_uncertainties import WHY, _declare

from sim.calibration.targets import load_targets
from sim.config import register_schema
from sim.core.errors import ConfigError
from sim.tooling.manifest_sweeper import register_manifest_sweeper
from sim.tooling.sensitivity import effects
from sim.tooling.sensitivity.designs import DesignSettings
from sim.tooling.sensitivity.discovery import prim_boxes
from sim.tooling.sensitivity.effects import (
    DesignRuns,
    effect_pairs,
    output_matrix,
    point_outputs,
    seed_noise,
)
from sim.tooling.sensitivity.figures import mu_star_sigma
from sim.tooling.sensitivity.indices import sobol_consistency, sobol_indices
from sim.tooling.sensitivity.plan import design_node, plan_design
from sim.tooling.sensitivity.report import sensitivity
from sim.tooling.tables import load_sweep

TOY_KEYS = ("behaviour.search_rate", "behaviour.need_fade", "fraud.ghost_acceptance")
# Ishigami (a=7, b=0.1): first- and total-order indices (Saltelli et al. 2008)
S1 = (0.3139, 0.4424, 0.0)
ST = (0.5576, 0.4424, 0.2437)
FOLDER = Path("results") / "sweeps" / "toy"


def _toy_declaration(tmp: Path) -> Path:
    ranges = {k: {"low": 0.0, "high": 1.0, "why": "the toy's unit interval"} for k in TOY_KEYS}
    path = tmp / "ishigami.yaml"
    path.write_text(yaml.safe_dump({"ranges": ranges}, sort_keys=False))
    return path


def _toy_args(declaration: Path, size: int) -> list[str]:
    """A Sobol design over the toy's three parameters, one case, one seed, one month."""
    return [
        "-m",
        "+experiment=morris_smoke",
        "hydra/launcher=basic",
        f"hydra.sweep.dir={FOLDER}",
        "hydra.sweeper.design.method=sobol",
        f"hydra.sweeper.design.size={size}",
        "hydra.sweeper.design.factors=[]",
        "hydra.sweeper.design.groups=false",
        "hydra.sweeper.design.seeds=1",
        f"hydra.sweeper.design.uncertainties={declaration}",
        "~hydra.sweeper.design.cases.identity_check",
        "population.holders=1000",
        "end=2019-01",
    ]


def _toy_env(tmp: Path, **kwargs: object) -> dict[str, str]:
    return sweep_env(tmp, toy="ishigami:" + ",".join(TOY_KEYS), **kwargs)  # type: ignore[arg-type]


def test_ishigami_through_the_sweep_runner_gives_salibs_indices_exactly(tmp_path: Path) -> None:
    done = cpf_sim(tmp_path, *_toy_args(_toy_declaration(tmp_path), 8), env=_toy_env(tmp_path))
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    result = sensitivity(tmp_path / FOLDER)
    problem = {"num_vars": 3, "names": list(TOY_KEYS), "bounds": [[0.0, 1.0]] * 3}
    unit = sobol_sample.sample(problem, 8, calc_second_order=False, seed=0)  # the same design
    direct = pd.DataFrame({"none|fraud_loss_eur": Ishigami.evaluate(-np.pi + 2 * np.pi * unit)})
    expected = sobol_indices(problem, direct).set_index("factor")
    got = result.indices[result.indices["output"] == "none|fraud_loss_eur"].set_index("factor")
    assert len(got) == 3 and result.runs_ok == result.runs_total == 8 * 5
    for column in ("S1", "ST"):
        np.testing.assert_allclose(got[column], expected[column], rtol=1e-9, atol=1e-12)


def test_sobol_estimator_recovers_the_analytic_ishigami_indices() -> None:
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[0.0, 1.0]] * 3}
    unit = sobol_sample.sample(problem, 2048, calc_second_order=False, seed=1)
    y = pd.DataFrame({"y": Ishigami.evaluate(-np.pi + 2 * np.pi * unit)})
    got = sobol_indices(problem, y)
    for i, row in got.iterrows():
        assert row["S1_lo"] - 0.02 <= S1[i] <= row["S1_hi"] + 0.02, row.to_dict()
        assert row["ST_lo"] - 0.02 <= ST[i] <= row["ST_hi"] + 0.02, row.to_dict()
        assert row["S1_lo"] <= row["ST_hi"], "first order above total order beyond the intervals"
    assert sobol_consistency(got).startswith(
        "first order within total order (S1 lower bound <= ST upper bound) for 3 of 3 "
    )
    assert sobol_consistency(got).endswith("sum above 1 for 0 of 1 outputs")


def test_sobol_consistency_counts_the_indices_that_do_not_sum_sensibly() -> None:
    row = {"output": "y", "S1": 0.7, "S1_lo": 0.6, "S1_hi": 0.8, "ST": 0.3, "ST_lo": 0.2}
    broken = pd.DataFrame(
        [{**row, "factor": "a", "ST_hi": 0.4}, {**row, "factor": "b", "ST_hi": 0.9}]
    )
    assert " for 1 of 2 (output, factor) pairs" in sobol_consistency(broken)
    assert sobol_consistency(broken).endswith("sum above 1 for 1 of 1 outputs")


def test_a_killed_design_resumes_without_duplicates_or_gaps(tmp_path: Path) -> None:
    args = _toy_args(_toy_declaration(tmp_path), 2)
    log = tmp_path / "runs.log"
    env = _toy_env(tmp_path, faults={"0": "sleep:0.2"}, run_log=log)
    with open(tmp_path / "out.txt", "w") as out:
        sweep = subprocess.Popen(
            [sys.executable, "-m", "sim", *args], cwd=tmp_path, env=env, stdout=out, stderr=out
        )
        deadline = time.time() + 120
        while (
            not log.exists() or len(log.read_text().splitlines()) < 4
        ) and time.time() < deadline:
            assert sweep.poll() is None, (tmp_path / "out.txt").read_text()[-2000:]
            time.sleep(0.1)
        sweep.send_signal(signal.SIGKILL)
        sweep.wait()
    first = json.loads((tmp_path / FOLDER / "design.json").read_text())
    done = cpf_sim(tmp_path, *args, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    design = json.loads((tmp_path / FOLDER / "design.json").read_text())
    assert design["jobs"] == first["jobs"] and design["unit"] == first["unit"]  # deterministic
    runs, _ = load_sweep(tmp_path / FOLDER)
    assert len(runs) == len(design["jobs"]) == 2 * 5 and runs["run"].is_unique
    assert set(runs["status"]) == {"ok"}
    ran = [line.split()[0] for line in log.read_text().splitlines()]
    assert set(ran) == {job["run"].split(",")[0].removeprefix("label=") for job in design["jobs"]}
    assert len(ran) <= len(design["jobs"]) + 1  # at most the run in flight at the kill, twice


def test_a_bad_declaration_stops_the_command_with_exit_2_before_any_work(tmp_path: Path) -> None:
    bad = _declare(tmp_path, {"behaviour.search_rate": {"low": 0.1, "high": 1.5, "why": WHY}})
    (tmp_path / "cwd").mkdir()
    args = ["-m", "+experiment=morris_smoke", f"hydra.sweeper.design.uncertainties={bad}"]
    done = cpf_sim(tmp_path / "cwd", *args)
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(lines) == 1, done.stderr[-2000:]
    assert lines[0].startswith("cpf-sim: config error: ") and "search_rate.high=1.5" in lines[0]
    assert list((tmp_path / "cwd").iterdir()) == []


def test_bad_design_settings_are_refused() -> None:
    for settings, named in (
        (DesignSettings("sobol", 12), "power of two"),
        (DesignSettings("latin", 8), "one of"),
        (DesignSettings("morris", 4, levels=3), "even"),
    ):
        with pytest.raises(ConfigError, match=named):
            settings.check()


def test_effects_pair_levers_with_the_baseline_and_within_the_mix() -> None:
    cases = ["none", "copayment", "historical", "historical_without_copayment"]
    assert effect_pairs(cases, "none") == {
        "copayment": ("copayment", "none"),
        "historical": ("historical", "none"),
        "copayment_in_mix": ("historical", "historical_without_copayment"),
    }


def test_seed_noise_is_the_seed_variance_over_the_spread_between_points() -> None:
    outputs = pd.DataFrame(
        {"point": [0, 1, 2], "output": "e|c", "value": [0.0, 1.0, 2.0], "seed_sd": 1.0, "seeds": 4}
    )
    (row,) = seed_noise(outputs).to_dict("records")
    assert math.isclose(row["noise_share"], (1.0 / 4) / 1.0)
    assert row["seeds_for_5pct"] == 20


def test_a_smoke_design_of_the_real_model_runs_and_reports(tmp_path: Path) -> None:
    started = time.perf_counter()
    done = cpf_sim(tmp_path, "-m", "+experiment=morris_smoke", "hydra/launcher=basic")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    folder = tmp_path / "results" / "sweeps" / "morris_smoke"
    report = subprocess.run(
        [sys.executable, "-m", "sim.tooling.sensitivity.cli", str(folder)],
        cwd=ROOT,
        env=sweep_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert report.returncode == 0, report.stderr[-2000:]
    # about 30 s alone, 60 s within the parallel suite on 2 shared cores: a guard, not a benchmark
    assert time.perf_counter() - started < 150
    out = folder / "sensitivity"
    for name in ("report.md", "report.html", "indices.csv", "robustness.csv", "mu_star_sigma.png"):
        assert (out / name).exists(), name
    indices = pd.read_csv(out / "indices.csv")
    lost = indices[indices["output"] == "identity_check|honest_enrolments_lost"]
    assert len(lost) == 3 and lost["mu_star"].notna().all() and (lost["mu_star"] > 0).any()
    assert json.loads((out / "screening.json").read_text())["top_factors"]


def test_an_lhs_design_history_matches_and_its_plausible_set_feeds_a_design(
    tmp_path: Path,
) -> None:
    args = ["-m", "+experiment=lhs", "hydra/launcher=basic", "population.holders=2000"]
    args += ["hydra.sweeper.design.size=10", "hydra.sweeper.design.seeds=1"]
    args += ["hydra.sweep.dir=results/sweeps/lhs"]
    done = cpf_sim(tmp_path, *args)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    folder = tmp_path / "results" / "sweeps" / "lhs"
    result = sensitivity(folder)
    assert result.plausible is not None and 0.0 <= result.plausible.share <= 1.0
    fitted = {t.name for t in load_targets() if t.weight > 0}
    assert set(result.plausible.fits["target"]) == fitted
    matched = result.plausible.record()
    design = json.loads((folder / "design.json").read_text())
    assert matched["names"] == design["problem"]["names"]
    # a plausible set of three of the design's worlds runs as a `plausible` design
    source = tmp_path / "plausible.json"
    source.write_text(json.dumps({**matched, "unit": design["unit"][:3]}))
    register_schema()
    register_manifest_sweeper()
    line = ["+experiment=plausible", f"hydra.sweeper.design.source={source}"]
    plan = plan_design(line, design_node(line))
    assert plan.design.points == 3 and plan.design.values(1) == design["values"][1]
    assert len(plan.sweep.jobs) == 3 * 11 * 2


def test_point_outputs_are_paired_effects_with_plain_signs(tmp_path: Path) -> None:
    rows = []
    for point in (0, 1):
        for case, fraud, useful in (("none", 100.0, 50.0), ("copayment", 60.0, 45.0)):
            for seed in (0, 1):
                noise = 3.0 * seed  # shared by both cases of a seed: pairing removes it
                rows.append(
                    {
                        "run": f"{case}.p{point},seed={seed}",
                        "point": point,
                        "scenario": case,
                        "seed": seed,
                        "status": "ok",
                        "fraud_loss_eur": fraud * (1 + point) + noise,
                        "useful_enrolments": useful + noise,
                    }
                )
    record = {"cases": {"none": [], "copayment": []}, "baseline": "none", "unit": [[0], [1]]}
    data = DesignRuns(tmp_path, record, pd.DataFrame(rows), pd.DataFrame())
    matrix = output_matrix(point_outputs(data))
    assert matrix["copayment|fraud_prevented_eur"].tolist() == [40.0, 80.0]
    assert matrix["copayment|useful_enrolments_lost"].tolist() == [5.0, 5.0]
    assert matrix["none|fraud_loss_eur"].tolist() == [101.5, 201.5]
    sds = point_outputs(data).set_index(["point", "output"])["seed_sd"]
    assert sds[(0, "copayment|fraud_prevented_eur")] == 0.0  # common random numbers


def test_predictions_are_historical_totals_from_october_2022(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(effects, "_loss", lambda *_: 0.0)  # needs every target's series
    runs, months = [], []
    for seed in (0, 1):
        name = f"historical.p0,seed={seed}"
        runs.append({"run": name, "point": 0, "scenario": "historical", "seed": seed})
        for month, fraud in (("2022-09", 1000.0), ("2022-10", 10.0 + seed), ("2022-11", 5.0)):
            months.append({"run": name, "month": month, "fraud_loss_eur": fraud})
    runs_frame = pd.DataFrame(runs).assign(status="ok", fraud_loss_eur=0.0)
    record = {"cases": {"historical": []}, "baseline": "historical", "unit": [[0]]}
    data = DesignRuns(tmp_path, record, runs_frame, pd.DataFrame(months))
    outputs = point_outputs(data).set_index("output")
    assert outputs.loc["historical|fraud_loss_eur_from_2022_10", "value"] == 15.5
    assert math.isclose(outputs.loc["historical|fraud_loss_eur_from_2022_10", "seed_sd"], 0.5**0.5)


def test_mu_star_sigma_draws_grouped_factors_beside_an_output_that_never_moves() -> None:
    # SALib gives no sigma for groups; an output equal in every world has every index 0.
    moving = [("y", f, 2.0 + i, 1.0, 3.0 + i, -1.0 - i, math.nan) for i, f in enumerate("abc")]
    still = [("z", f, 0.0, 0.0, 0.0, 0.0, 0.0) for f in "abc"]
    columns = ["output", "factor", "mu_star", "mu_star_lo", "mu_star_hi", "mu", "sigma"]
    figure = mu_star_sigma(pd.DataFrame(moving + still, columns=columns), ["y"])
    ax = figure.axes[0]
    points = ax.collections[0].get_offsets()
    np.testing.assert_allclose(np.asarray(points), [[2.0, 1.0], [3.0, 2.0], [4.0, 3.0]])
    assert ax.get_ylabel() == "|mu|"


def _worlds(answer_of: Callable[[pd.DataFrame, np.random.Generator], np.ndarray]) -> pd.DataFrame:
    """PRIM's table for 40 worlds over 30 uniform parameters; `answer_of`: prevents no fraud."""
    rng = np.random.default_rng(3)
    values = pd.DataFrame(rng.random((40, 30)), columns=[f"p{i}" for i in range(30)])
    fails = answer_of(values, rng)
    matrix = pd.DataFrame(
        {
            "canvassing_ban|fraud_prevented_eur": np.where(fails, -1.0, 1.0),
            "canvassing_ban|useful_enrolments_lost": 0.0,
            "canvassing_ban|fraud_enrolments_prevented": 1.0,
        }
    )
    boxes = prim_boxes(values, matrix)
    return boxes[boxes["question"] == "prevents no fraud"]


def test_prim_finds_the_parameter_that_decides_and_calls_noise_chance() -> None:
    decided = _worlds(lambda v, rng: v["p7"].to_numpy() < 0.4)
    assert "p7" in set(decided["parameter"]), decided
    assert decided["p_chance"].iloc[0] <= 0.05
    noise = _worlds(lambda v, rng: rng.random(len(v)) < 0.4)
    assert noise["p_chance"].iloc[0] > 0.05, noise  # PRIM over all 30: density 0.94, coverage 1
