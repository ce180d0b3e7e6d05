"""The report's words and windows: plain signs, % changes, readings, totals over a window."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from sim.outcomes import OUTCOMES
from sim.tooling.compare_words import MINUS, amount, percent, reading, seeds_for, sentence
from sim.tooling.periods import window_totals, windowed_runs


def test_amounts_carry_a_plain_sign_and_their_unit():
    assert amount(OUTCOMES["useful_enrolments"], 782_400) == "+782k"
    assert amount(OUTCOMES["legit_enrolments"], -314_000) == f"{MINUS}314k"
    assert amount(OUTCOMES["fraud_loss_eur"], -12.4e6) == f"{MINUS}12M EUR"
    assert amount(OUTCOMES["fraud_loss_eur"], 0.0) == "0"
    assert amount(OUTCOMES["useful_enrolments"], 2_500, sign=False) == "2.5k"


def test_percent_and_reading():
    assert percent(-9.1, 100.0) == f"{MINUS}9.1%"
    assert percent(50.0, 100.0) == "+50%"
    assert percent(1.0, 0.0) == "n/a"
    fraud, useful = OUTCOMES["fraud_loss_eur"], OUTCOMES["useful_enrolments"]
    assert reading(fraud, -5.0, -7.0, -3.0) == "better"
    assert reading(useful, -5.0, -7.0, -3.0) == "worse"
    assert reading(useful, -5.0, -7.0, 1.0) == "no clear change"


def test_halving_an_interval_takes_three_to_four_times_the_seeds():
    assert seeds_for(1.0, 10, 0.7154 / 2) == 33  # 10 seeds: half-width 0.715 sd; t shrinks too
    assert seeds_for(1.0, 10, 0.0) is None


def test_sentence_names_each_change():
    effects = pd.DataFrame(
        [
            {
                "scenario": "s",
                "outcome": "fraud_loss_eur",
                "seeds": 10,
                "difference": -1e7,
                "baseline": 1e8,
                "reads": "better",
            },
            {
                "scenario": "s",
                "outcome": "deterred_persons",
                "seeds": 10,
                "difference": 2e3,
                "baseline": 0.0,
                "reads": "no clear change",
            },
        ]
    )
    text = sentence(effects, "s", "base", "2025-01 to 2026-12", {"deterred_persons": "deterred"})
    assert text == (
        f"**s** against base, 2025-01 to 2026-12 (10 seeds): fraud loss {MINUS}10M EUR "
        f"({MINUS}10%); deterred +2.0k (no clear change)."
    )


def _monthly() -> pd.DataFrame:
    months = ["2024-11", "2024-12", "2025-01", "2025-02"]
    return pd.DataFrame(
        {
            "run": ["a"] * 4,
            "month": months,
            "fraud_loss_eur": [1.0, 2.0, 4.0, 8.0],
            "mean_trust": [0.1, 0.2, 0.3, 0.4],
            "skill_gain": [1.0, 1.0, 3.0, 3.0],
            "spend_eur": [1000.0, 1000.0, 1000.0, 2000.0],
        }
    )


def test_window_totals_follow_each_outcomes_kind():
    totals = window_totals(_monthly(), "2024-12", "2025-01").iloc[0]
    assert totals["fraud_loss_eur"] == 6.0  # a flow: summed
    assert totals["mean_trust"] == 0.3  # a stock: its last month
    yearly = window_totals(_monthly(), by_year=True).set_index("year")
    assert yearly.loc[2025, "fraud_loss_eur"] == 12.0
    assert yearly.loc[2024, "mean_trust"] == 0.2
    with pytest.raises(ValueError, match="no month"):
        window_totals(_monthly(), "2026-01")


def test_windowed_runs_replace_totals_and_drop_what_has_no_series():
    runs = pd.DataFrame(
        {"run": ["a"], "fraud_loss_eur": [99.0], "value_for_money": [1.0], "recovered_eur": [5.0]}
    )
    cut = windowed_runs(runs, _monthly(), "2025-01", None).iloc[0]
    assert cut["fraud_loss_eur"] == 12.0
    assert cut["value_for_money"] == pytest.approx(6.0 / 3000 * 1000)
    assert math.isnan(cut["recovered_eur"])
