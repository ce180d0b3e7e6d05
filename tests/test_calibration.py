"""Calibration inputs and scenario presets: targets, fitted config, counterfactuals."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest
import yaml

from sim.calibration.targets import LAST_CALIBRATION_MONTH, Target, load_targets
from sim.config import load_params
from sim.core.calendar import month_index
from sim.core.errors import ConfigError
from sim.model import CPFModel
from sim.outcomes import DERIVED, FLOWS, STOCKS
from sim.state.policy import Policy

CONFIGS = Path(__file__).resolve().parent.parent / "configs"
COUNTERFACTUALS = {
    "no_franceconnect_plus": {"identity_check"},
    "copayment_from_2021": {"copayment_eur"},
    "ban_without_enforcement": {"canvassing_enforcement"},
    "relevance_ranking": {"ranking"},
    "payment_on_attendance": {"payment_on_attendance"},
}


def test_targets_load_typed_and_pre_reform():
    targets = load_targets()
    assert len(targets) >= 15
    for t in targets:
        assert isinstance(t, Target)
        assert isinstance(t.low, float) and isinstance(t.high, float) and t.low <= t.high
        assert t.aggregate in ("sum", "ratio", "mean", "last")
        assert month_index(t.end) <= month_index(LAST_CALIBRATION_MONTH)
        assert t.source_url.startswith("http")
    ranges = [t for t in targets if t.low < t.high]
    assert {"entries_2019", "spend_2021", "mean_balance_2022"} <= {t.name for t in ranges}


def test_every_target_series_is_a_model_output():
    outputs = set(FLOWS) | set(STOCKS) | set(DERIVED)
    for t in load_targets():
        assert set(t.series) <= outputs, t.name


def test_targets_score_a_small_run():
    params = load_params(["end=2022-09", "population.holders=2000", "market.organisations=20"])
    model = CPFModel(params)
    model.run_all()
    series = model.recorder.finalise(params.population.scale)
    for t in load_targets():
        value = t.simulate(series)
        assert np.isfinite(value) and value >= 0, t.name
        assert np.isfinite(t.distance(value))


def test_target_distance_is_zero_inside_a_range():
    t = next(t for t in load_targets() if t.name == "spend_2021")
    assert t.distance(t.value) == 0.0
    assert t.distance(t.low * 0.5) == pytest.approx(-0.5)
    assert t.fits(t.high * (1 + t.tolerance / 2)) and not t.fits(t.high * (1 + 2 * t.tolerance))


def test_fitted_config_is_used_by_default():
    fitted = yaml.safe_load((CONFIGS / "calibration" / "fitted.yaml").read_text())
    defaults = yaml.safe_load((CONFIGS / "config.yaml").read_text())["defaults"]
    assert {"calibration": "fitted"} in defaults
    params = load_params()
    for section, values in fitted.items():
        for name, value in values.items():
            assert getattr(getattr(params, section), name) == pytest.approx(value), (section, name)


@pytest.mark.parametrize("scenario", sorted(COUNTERFACTUALS))
def test_counterfactuals_differ_from_historical_in_their_lever_only(scenario):
    historical = load_params(["scenario=historical"])
    counterfactual = load_params([f"scenario={scenario}"])
    assert counterfactual.label == scenario
    h, c = asdict(historical), asdict(counterfactual)
    changed = {k for k in h["regulation"] if h["regulation"][k] != c["regulation"][k]}
    assert changed == COUNTERFACTUALS[scenario]
    for section in h:
        if section not in ("regulation", "label"):
            assert h[section] == c[section], section


def test_no_regulation_is_none_with_its_own_label():
    assert asdict(load_params(["scenario=no_regulation"]).regulation) == asdict(
        load_params(["scenario=none"]).regulation
    )


def test_counterfactual_experiment_sweeps_every_preset():
    preset = yaml.safe_load((CONFIGS / "experiment" / "counterfactuals.yaml").read_text())
    params = preset["hydra"]["sweeper"]["params"]
    scenarios = params["scenario"].split(",")
    assert set(scenarios) == {"historical", "no_regulation", *COUNTERFACTUALS}
    for scenario in scenarios:
        assert (CONFIGS / "scenario" / f"{scenario}.yaml").exists()
    assert params["seed"] == "range(0,10)"


def test_schedule_dates_after_the_run_end_are_valid_but_not_reached():
    params = load_params(["end=2022-09"])  # historical has dates up to 2026
    assert params.n_months == month_index("2022-09") + 1
    with pytest.raises(ConfigError):
        load_params(["regulation.audit_rate={2031-01: 0.5}"])


def test_per_topic_price_caps():
    policy = Policy(price_cap_by_topic_eur=(900.0, 0.0))
    prices = np.array([1200.0, 5000.0, 800.0])
    topics = np.array([0, 1, 0], dtype=np.int8)
    np.testing.assert_array_equal(policy.cap(prices, topics), [900.0, 5000.0, 800.0])
    caps = load_params().regulation.price_cap_by_topic_eur
    assert caps["2026-02"][0] == 900.0
    with pytest.raises(ConfigError):
        load_params(["regulation.price_cap_by_topic_eur=[1, 2]"])


def test_licence_rules_move_the_driving_licence_share_of_needs():
    def licence_needs(rule: str) -> int:
        params = load_params(
            [
                "end=2019-03",
                "population.holders=20000",
                "market.organisations=20",
                f"regulation.driving_licence_rule={rule}",
                "behaviour.licence_all_categories_boost=1.0",
            ]
        )
        model = CPFModel(params)
        model.run_all()
        return int((model.population.need_topic == 0).sum())

    car, every, cofinanced = (
        licence_needs(r) for r in ("car", "all_categories", "job_seekers_or_cofinanced")
    )
    assert every > 1.3 * car  # twice the weight of licence needs: clearly more of them
    assert cofinanced < car  # most employees' car licences are no longer funded


def _fitted_tags() -> set[str]:
    """Dotted keys whose docstring in sim/params.py carries the word 'fitted'."""
    import ast

    from sim.params import SECTIONS

    classes = {cls.__name__: section for section, cls in SECTIONS.items()}
    tree = ast.parse((Path(__file__).resolve().parent.parent / "sim" / "params.py").read_text())
    tagged = set()
    for node in tree.body:
        if not isinstance(node, ast.ClassDef) or node.name not in classes:
            continue
        body = node.body
        for field_node, doc in zip(body, body[1:], strict=False):
            if not isinstance(field_node, ast.AnnAssign) or not isinstance(doc, ast.Expr):
                continue
            if isinstance(doc.value, ast.Constant) and "fitted" in str(doc.value.value):
                tagged.add(f"{classes[node.name]}.{field_node.target.id}")
    return tagged


def test_fitted_tags_mark_exactly_the_fitted_parameters():
    fitted = yaml.safe_load((CONFIGS / "calibration" / "fitted.yaml").read_text())
    keys = {f"{section}.{name}" for section, values in fitted.items() for name in values}
    assert _fitted_tags() == keys
