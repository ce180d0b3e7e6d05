"""Common random numbers: runs that differ only in levers share their random draws."""

from __future__ import annotations

import numpy as np
import pytest

from sim.api import run

SEEDS = range(6)
# Fraud networks need about 20,000 simulated holders to live (docs/ODD.md, 2.8).
SIZE = ["population.holders=20000", "end=2022-12"]


@pytest.fixture(scope="module")
def pairs() -> tuple[list, list]:
    """The same seeds without any lever and with Qualiopi required from January 2022."""
    none = [run(overrides=["+experiment/levers=none", f"seed={s}", *SIZE]) for s in SEEDS]
    lever = [run(overrides=["+experiment/levers=qualiopi", f"seed={s}", *SIZE]) for s in SEEDS]
    return none, lever


def test_months_before_the_lever_are_identical(pairs: tuple[list, list]) -> None:
    none, lever = pairs
    for a, b in zip(none, lever, strict=True):
        before = a.metrics["month"] < "2022-01"
        assert before.sum() == 36
        assert a.metrics[before].equals(b.metrics[before])
        assert not a.metrics[~before].equals(b.metrics[~before])


@pytest.mark.parametrize("outcome", ["fraud_loss_eur", "legit_enrolments", "useful_enrolments"])
def test_paired_difference_spreads_much_less_than_unpaired(
    pairs: tuple[list, list], outcome: str
) -> None:
    none, lever = pairs
    a = np.array([r.summary[outcome] for r in lever])
    b = np.array([r.summary[outcome] for r in none])
    paired = np.std(a - b, ddof=1)
    unpaired = np.std([a[i] - b[j] for i in SEEDS for j in SEEDS if i != j], ddof=1)
    # Independent draws would give ~1. Measured, 6 seeds, 20,000 holders: model v2.5 0.14-0.23;
    # v2.6 0.40-0.67 with searchers' tastes, checkout and course-end luck drawn by row order (one
    # searcher more or fewer shifted everyone after it); v2.7, each holder's own: 0.13-0.43 with
    # v2.6's fit, 0.38-0.62 with v2.7's (use_base 1.58: more unused courses, so more trust lost
    # and searches changed). From 6 seeds such a ratio is uncertain by about a third; at 100,000
    # holders 0.39-0.44 (v2.6's fit): the lever's effect on who stays in the market varies.
    assert paired < 0.75 * unpaired, (outcome, paired, unpaired)
