"""Degenerate parameters make outcomes exact."""

import pandas as pd
import pytest
from conftest import simulate

from sim.core.calendar import month_index
from sim.core.domain import STATUSES

# No fraud network at the start and none may ever enter (`fraud.networks=0` alone still lets
# networks enter while fraud pays), and no organisation makes a canvassing call.
NO_FRAUDSTERS = ("fraud.networks=0", "fraud.max_networks=0", "market.canvassing_calls=0")
EVERYONE_EXEMPT = "regulation.copayment_exempt=[" + ",".join((*STATUSES, "employer_topup")) + "]"


@pytest.mark.parametrize("scenario", ["none", "historical"])
def test_without_fraudsters_or_canvassing_fraud_is_exactly_zero(scenario):
    results = simulate(f"scenario={scenario}", "seed=1", *NO_FRAUDSTERS)
    m = results.metrics
    for outcome in (
        "fraud_loss_eur",
        "fraud_loss_takeover_eur",
        "fraud_loss_pressured_eur",
        "fraud_loss_ghost_eur",
        "takeover_enrolments",
        "pressured_enrolments",
        "ghost_enrolments",
        "fraud_enrolments",
        "phishing_victims",
        "fraud_attempts",
    ):
        assert (m[outcome] == 0).all(), f"{outcome} is not zero: {m.loc[m[outcome] != 0, outcome]}"
    assert (m["fraud_networks_active"] == 0).all()
    assert results.summary["legit_enrolments"] > 0  # the market itself still runs


def test_copayment_above_every_price_stops_every_non_exempt_purchase():
    start = "2020-06"
    results = simulate(
        "scenario=none",
        "seed=2",
        f"regulation.copayment_eur={{{start}:100000}}",
        "regulation.copayment_exempt=[]",
    )
    m = results.metrics
    before, after = m.iloc[: month_index(start)], m.iloc[month_index(start) :]
    assert before["legit_enrolments"].sum() > 0  # honest purchases happen until it starts
    assert before["copayment_eur"].sum() == 0
    for outcome in ("legit_enrolments", "pressured_enrolments"):
        assert (after[outcome] == 0).all(), f"{outcome} after the copayment: {after[outcome].sum()}"
    # holders still want training: they search, and give up at the copayment
    assert after["searches"].sum() > 0
    assert after["deterred_copayment"].sum() > 0


@pytest.fixture(scope="module")
def base_world():
    return simulate("scenario=none", "seed=1")


def _assert_same_world(treated: pd.DataFrame, base: pd.DataFrame) -> None:
    differing = [c for c in base.columns if not treated[c].equals(base[c])]
    assert not differing, f"trajectories differ: {differing[:10]}"
    pd.testing.assert_frame_equal(treated, base, check_exact=True)


def test_copayment_everyone_is_exempt_from_leaves_every_trajectory_identical(base_world):
    treated = simulate("scenario=none", "seed=1", "regulation.copayment_eur=100", EVERYONE_EXEMPT)
    _assert_same_world(treated.metrics, base_world.metrics)


def test_scheduled_copayment_everyone_is_exempt_from_leaves_every_trajectory_identical(base_world):
    treated = simulate(
        "scenario=none", "seed=1", "regulation.copayment_eur={2021-01:100}", EVERYONE_EXEMPT
    )
    _assert_same_world(treated.metrics, base_world.metrics)


def test_copayment_everyone_is_exempt_from_is_invisible_to_fraud_networks():
    """Networks work each channel on its own random stream, so nothing they draw shifts."""
    fraud = ("fraud.networks=8", "fraud.contacts=600000", "end=2021-12")
    base = simulate("scenario=none", "seed=2", *fraud)
    treated = simulate(
        "scenario=none", "seed=2", *fraud, "regulation.copayment_eur=100", EVERYONE_EXEMPT
    )
    assert base.summary["pressured_enrolments"] > 0 and base.summary["ghost_enrolments"] > 0
    _assert_same_world(treated.metrics, base.metrics)


def test_copayment_everyone_is_exempt_from_is_invisible_to_anomaly_screening():
    screened = ("fraud.networks=8", "fraud.contacts=600000", "regulation.anomaly_detection=0.5")
    base = simulate("scenario=none", "seed=1", "end=2021-12", *screened)
    treated = simulate(
        "scenario=none",
        "seed=1",
        "end=2021-12",
        *screened,
        "regulation.copayment_eur=100",
        EVERYONE_EXEMPT,
    )
    _assert_same_world(treated.metrics, base.metrics)
