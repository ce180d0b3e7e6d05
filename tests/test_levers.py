"""Comparative statics: each lever moves its outcome in the expected direction, by a margin.

Every comparison is paired by seed (common random numbers) against the `none` scenario with a
single lever switched on for the whole run, over SEEDS seeds of SMALL holders to the end of 2022
(the years when the market and its fraud were at their height). Each test asserts the
direction in every seed and a minimum mean effect; the margins sit well below the effects
measured when the tests were written (given in each docstring), so they catch a lever that
stops working, not noise.
"""

import numpy as np
import pytest
from conftest import SMALL, relative_change, simulate

SEEDS = range(5)
BASE = ("scenario=none", f"population.holders={SMALL}", "end=2022-12")
# Under the default parameters a network's phishing catches only a handful of simulated
# holders per run at this population size, too few to compare; ten times more successful
# phishing makes takeovers common enough to measure what the identity check does to them.
PHISHING = ("fraud.phishing_success=0.2",)

ARMS = {
    "base": (),
    "password": ("regulation.identity_check=password", *PHISHING),
    "franceconnect_plus": ("regulation.identity_check=franceconnect_plus", *PHISHING),
    "ban_enforced": ("regulation.canvassing_ban=true", "regulation.canvassing_enforcement=0.2"),
    "ban_unenforced": ("regulation.canvassing_ban=true", "regulation.canvassing_enforcement=0"),
    "copayment": ("regulation.copayment_eur=100",),
    "relevance": ("regulation.ranking=relevance",),
}


@pytest.fixture(scope="module")
def arm():
    """`arm(name)`: run totals of that arm for every seed (each arm simulated once)."""
    cache: dict[str, list[dict]] = {}

    def totals(name: str) -> list[dict]:
        if name not in cache:
            cache[name] = [
                simulate(*BASE, f"seed={seed}", *ARMS[name], holders=SMALL).summary
                for seed in SEEDS
            ]
        return cache[name]

    return totals


def outcome(summaries: list[dict], name: str) -> np.ndarray:
    return np.array([s[name] for s in summaries])


def test_stronger_identity_check_means_fewer_takeovers(arm):
    """Measured (model v2.5): 0.76-0.80 fewer takeover enrolments per seed, 0.78 on average.

    Model v2.4 measured 0.93-1.00 (0.97): at this population its networks, deciding on a handful
    of simulated victims, died out under FranceConnect+; with their books on the expected catch
    they stay and keep a residual takeover channel (v2.5's mechanism with v2.4's fit: 0.81).
    """
    weak = outcome(arm("password"), "takeover_enrolments")
    strong = outcome(arm("franceconnect_plus"), "takeover_enrolments")
    assert (strong < weak).all(), f"FranceConnect+ {strong} vs password {weak}"
    reduction = -relative_change(strong, weak)
    assert reduction.mean() > 0.65, f"mean reduction {reduction.mean():.2f} per seed {reduction}"


def test_enforced_canvassing_ban_cuts_pressured_enrolments(arm):
    """Legal organisations' hard selling nearly stops; fraud networks, which do not obey the
    law, lose only what the enforcement catches of their shells' canvassing.

    Measured with model v2: hard selling 0.97-1.00 lower per seed; all pressured sign-ups
    0.75-0.91 lower, 0.86 on average (model v1, with no network pressure of its own: 0.998).
    """
    base = outcome(arm("base"), "pressured_enrolments")
    banned = outcome(arm("ban_enforced"), "pressured_enrolments")
    assert (banned < base).all(), f"ban {banned} vs none {base}"
    reduction = -relative_change(banned, base)
    assert reduction.mean() > 0.7, f"mean reduction {reduction.mean():.2f} per seed {reduction}"
    legal = -relative_change(
        outcome(arm("ban_enforced"), "hard_selling_enrolments"),
        outcome(arm("base"), "hard_selling_enrolments"),
    )
    assert legal.mean() > 0.9, f"hard selling reduction {legal.mean():.2f} per seed {legal}"


def test_unenforced_canvassing_ban_leaves_far_more_pressured_enrolments(arm):
    """Measured with model v1: what is left of pressured enrolments was ~70 times larger without
    enforcement. (All pressured sign-ups may even rise in a seed under an unenforced ban, as
    networks and the remaining canvassers reach the holders the law-abiding no longer call,
    and even legal hard selling fell by 21% on average, -6% to +51% per seed, with model v2.)"""
    unenforced = outcome(arm("ban_unenforced"), "pressured_enrolments")
    enforced = outcome(arm("ban_enforced"), "pressured_enrolments")
    legal = -relative_change(
        outcome(arm("ban_unenforced"), "hard_selling_enrolments"),
        outcome(arm("base"), "hard_selling_enrolments"),
    )
    assert legal.mean() > 0.1, f"a ban alone stops the law-abiding canvassers: {legal} per seed"
    # Over seeds, not per seed: the networks' own sign-ups are lumpy at 20,000 holders (model
    # v2.2, seed 3: 217k with enforcement against 142k without; over 5 seeds 0.27 M vs 1.48 M).
    assert unenforced.mean() > 2 * enforced.mean(), f"unenforced {unenforced} vs {enforced}"
    one_enrolment = arm("base")[0]["scale"]  # national equivalent of one simulated enrolment
    legal_unenforced = outcome(arm("ban_unenforced"), "hard_selling_enrolments")
    legal_enforced = outcome(arm("ban_enforced"), "hard_selling_enrolments")
    assert legal_unenforced.sum() > 10 * max(legal_enforced.sum(), one_enrolment)


def test_unenforced_canvassing_ban_does_little(arm):
    """DOMAIN.md fact 3: a ban with weak enforcement does little. Only the law-abiding
    (`market.law_abiding_share`, 0.3) stop for the law alone: the reduction without
    enforcement must stay well below the enforced one, and below twice that share."""
    base = outcome(arm("base"), "pressured_enrolments")
    unenforced = -relative_change(outcome(arm("ban_unenforced"), "pressured_enrolments"), base)
    enforced = -relative_change(outcome(arm("ban_enforced"), "pressured_enrolments"), base)
    assert enforced.mean() - unenforced.mean() > 0.1, (
        f"reduction without enforcement {unenforced.mean():.3f}, with {enforced.mean():.3f}"
    )
    assert unenforced.mean() < 0.6, f"reduction without enforcement {unenforced} per seed"


def test_copayment_deters_non_exempt_honest_enrolments(arm):
    """Employees pay it, so fewer of them enrol. Measured on the scale-invariant refit (v2.1):
    0.17-0.22 fewer honest employee enrolments per seed (model v2: 0.40-0.50; capacity now
    binds, so part of the places employees leave go to others)."""
    base = outcome(arm("base"), "legit_enrolments_employee")
    copay = outcome(arm("copayment"), "legit_enrolments_employee")
    assert (copay < base).all(), f"copayment {copay} vs none {base}"
    reduction = -relative_change(copay, base)
    assert reduction.mean() > 0.12, f"mean reduction {reduction.mean():.2f} per seed {reduction}"


def test_copayment_raises_the_exempt_job_seekers_share(arm):
    """Measured on v2.1: job seekers' share of enrolments rises x1.13-1.21 (model v2: x1.4-1.7)."""

    def share(summaries):
        return outcome(summaries, "enrolments_job_seeker") / outcome(summaries, "enrolments")

    base, copay = share(arm("base")), share(arm("copayment"))
    assert (copay > base).all(), f"copayment {copay} vs none {base}"
    ratio = copay / base
    assert ratio.mean() > 1.08, f"mean ratio {ratio.mean():.2f} per seed {ratio}"


def test_relevance_ranking_finds_useful_courses_for_the_self_employed(arm):
    """Measured with model v2: 1.2-2.2 times as many useful enrolments of the self-employed,
    1.83 on average. (Model v1 measured 6-13 times, largely by construction: a useful course
    had to pass a relevance threshold, the key this ranking sorts by; in v2 use is drawn from
    quality, fit and delivery, and the specialists' places bind.)"""
    base = outcome(arm("base"), "useful_enrolments_self_employed")
    relevance = outcome(arm("relevance"), "useful_enrolments_self_employed")
    assert (relevance > base).all(), f"relevance {relevance} vs visibility {base}"
    increase = relative_change(relevance, base)
    assert increase.mean() > 0.4, f"mean increase {increase.mean():.2f} per seed {increase}"
