"""The outcome registry: one entry per outcome, the one yearly aggregation, the generated docs."""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import TINY, simulate

from sim.outcomes import DERIVED, FLOWS, OUTCOMES, STOCKS, outcome, run_totals, yearly
from sim.tooling.summary import YEARLY_COLUMNS, yearly_table

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str):
    path = ROOT / "experiments" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def results():
    return simulate("seed=2", "end=2021-06", holders=TINY)


def test_every_outcome_has_one_registry_entry(results):
    recorded = set(FLOWS) | set(STOCKS) | set(DERIVED)
    assert set(results.metrics.columns) - {"month"} == recorded
    assert recorded <= set(OUTCOMES)
    assert set(OUTCOMES) - recorded == {"mean_trust_min"}  # a run total, not a series
    meta = {"label", "seed", "version", "scale", "holders", "months", "start", "end"}
    meta |= {"levers", "warnings", "run_hash", "command", "python", "packages", "host"}
    meta |= {"tree_changes"}
    assert set(results.summary) - meta - {"lever_changes"} <= set(OUTCOMES)
    for o in OUTCOMES.values():
        assert o.label and o.short and o.unit, o.name
        assert o.kind in ("flow", "stock", "ratio") and o.better in ("higher", "lower", "neutral")
    assert outcome("fraud_loss_eur").better == "lower"
    assert outcome("useful_enrolments").better == "higher"
    with pytest.raises(KeyError, match="not an outcome"):
        outcome("fraud_los_eur")


def test_kind_and_scaling_follow_the_recorder_tuples():
    for name in FLOWS:
        assert OUTCOMES[name].kind == "flow" and OUTCOMES[name].scaled, name
    assert OUTCOMES["mean_trust"].kind == "stock" and not OUTCOMES["mean_trust"].scaled
    assert OUTCOMES["balances_eur"].scaled  # counted on simulated holders
    assert OUTCOMES["value_for_money"].kind == "ratio"


def test_yearly_sums_flows_reads_stocks_at_year_end_and_divides_ratios(results):
    m = results.metrics
    series = {c: m[c].to_numpy() for c in m.columns if c != "month"}
    years = m["month"].str[:4].astype(int)
    flows = yearly(series, "fraud_loss_eur")
    assert list(flows) == [2019, 2020, 2021]  # 2021 cut short in June
    for year, value in flows.items():
        assert value == pytest.approx(m.loc[years == year, "fraud_loss_eur"].sum(), rel=1e-12)
    trust = yearly(series, "mean_trust")
    assert trust[2021] == m["mean_trust"].iloc[-1]
    assert trust[2019] == m.loc[m["month"] == "2019-12", "mean_trust"].item()
    price = yearly(series, "spend_eur", per="enrolments")
    assert price[2020] == pytest.approx(
        m.loc[years == 2020, "spend_eur"].sum() / m.loc[years == 2020, "enrolments"].sum()
    )
    vfm = yearly(series, "value_for_money")
    spend, gain = yearly(series, "spend_eur"), yearly(series, "skill_gain")
    assert vfm[2020] == pytest.approx(gain[2020] / spend[2020] * 1000)
    totals = run_totals({k: np.asarray(v) for k, v in series.items()})
    assert sum(flows.values()) == pytest.approx(totals["fraud_loss_eur"], rel=1e-12)


def test_summary_table_reads_the_registry(results):
    table = yearly_table(results)
    assert list(table.columns) == [OUTCOMES[name].short for name in YEARLY_COLUMNS]
    assert list(table.index) == ["2019", "2020", "2021"]
    first = results.metrics[results.metrics["month"].str.startswith("2019")]
    assert table.loc["2019", "entries"] == f"{first['enrolments'].sum() / 1e3:,.0f}k"
    assert table.loc["2019", "trust"] == f"{first['mean_trust'].iloc[-1]:.2f}"


def test_outcomes_md_is_up_to_date():
    table = _load("outcome_table")
    committed = ROOT / "docs" / "outcomes.md"
    assert committed.read_text(encoding="utf-8") == table.render(), (
        f"docs/outcomes.md is out of date; regenerate it with: {table.COMMAND}"
    )
    for name in OUTCOMES:
        assert f"`{name}`" in committed.read_text(encoding="utf-8")


def test_outcome_table_generator_writes_and_checks(tmp_path):
    table = _load("outcome_table")
    out = tmp_path / "outcomes.md"
    assert table.main(["--output", str(out), "--check"]) == 1
    assert table.main(["--output", str(out)]) == 0
    assert table.main(["--output", str(out), "--check"]) == 0


def _strings(path: Path) -> list[str]:
    """String constants of a module, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_label_is_typed_outside_the_registry():
    """Labels and units live in sim/outcomes.py only: no table of them in the tooling."""
    labels = [OUTCOMES[name].label for name in ("deterred_holders", "fraud_enrolments")]
    for path in [*(ROOT / "sim" / "tooling").glob("*.py"), ROOT / "experiments" / "validate.py"]:
        for text in _strings(path):
            for label in (*labels, "EUR M", "thousands"):
                assert label not in text, f"{path.name} restates {label!r} in {text!r}"


def test_metrics_table_matches_yearly_via_pandas(results):
    m = results.metrics.assign(year=results.metrics["month"].str[:4])
    by_pandas = m.groupby("year")["enrolments"].sum().to_numpy()
    by_helper = list(yearly({"enrolments": m["enrolments"].to_numpy()}, "enrolments").values())
    np.testing.assert_allclose(by_helper, by_pandas, rtol=1e-12)
    assert isinstance(m, pd.DataFrame)
