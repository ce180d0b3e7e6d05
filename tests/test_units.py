"""Unit tests below the model: one mechanism at a time on a small World with no month run.

Each test builds the few offers, organisations or dossiers it needs, so a failure points at one
piece (ranking, choice, a checkout stage, the ledger, a lever) rather than at a whole run.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from sim.agents.organisations import Organisation
from sim.core.domain import (
    BAC_OR_ABOVE,
    GENERALIST,
    ID_NONE,
    ID_VERIFIED,
    IDENTITY_LEVELS,
    LEGIT,
    NO_NEED,
    QUALITY,
    TAKEOVER,
)
from sim.core.events import holder_draws
from sim.platform.checkout import Dossiers, checkout
from sim.platform.ranking import choose, result_pages
from sim.processes.levers import Copayment
from sim.processes.search import taste_noise
from sim.state import ledger
from sim.state.world import World
from tests.conftest import small_world

TOPIC = 1  # languages: served only by language courses


def _offers(world: World, n: int, *, price: float = 500.0) -> np.ndarray:
    """`n` language offers of one fictitious organisation (id 0), with rising quality."""
    k = np.arange(n)
    return world.offers.add(
        0,
        QUALITY,
        np.full(n, TOPIC, dtype=np.int8),
        np.full(n, 30.0, dtype=np.float32),
        np.full(n, price),
        np.full(n, price),
        (0.1 + 0.8 * k / max(1, n - 1)).astype(np.float32),
        (0.2 + 0.8 * k / max(1, n - 1)).astype(np.float32),
        np.full(n, 0.5, dtype=np.float32),
        np.zeros(n, dtype=bool),
    ).astype(np.intp)


def _pages(world: World, ids: np.ndarray, visibility: np.ndarray, ranking: str):
    # One organisation per offer so visibility can differ between offers.
    world.offers.organisation[ids] = np.arange(ids.size)
    rating = np.full(ids.size, 0.5, dtype=np.float32)
    copies = np.ones(ids.size, dtype=np.float32)
    noise = np.zeros((1, ids.size))
    return result_pages(
        world.offers, ids, visibility, rating, copies, TOPIC, False, ranking, 3, 1.0, noise
    )


def test_visibility_ranking_shows_the_most_visible_and_relevance_ranking_the_most_relevant():
    world = small_world()
    ids = _offers(world, 6)  # relevance (fit_general) rises with the id
    visibility = np.array([5.0, 4.0, 3.0, 2.0, 1.0, 0.0], dtype=np.float32)
    by_visibility = _pages(world, ids, visibility, "visibility")
    by_relevance = _pages(world, ids, visibility, "relevance")
    assert by_visibility.ids[0].tolist() == ids[:3].tolist()
    assert by_relevance.ids[0].tolist() == ids[::-1][:3].tolist()
    assert (np.diff(by_relevance.relevance[0]) <= 0).all()


def test_choice_needs_enough_relevance_and_the_poor_pick_what_they_can_afford():
    world = small_world()
    ids = _offers(world, 6)
    world.offers.price[ids[-1]] = 4000.0  # the most relevant offer is dear
    page = _pages(world, ids, np.ones(6, dtype=np.float32), "relevance")
    b = replace(world.params.behaviour, beta_price=5.0)
    gumbel = np.zeros((2, 3))
    pick, fits = choose(page, np.array([5000.0, 500.0]), gumbel, b)
    assert fits.all()
    assert page.ids[0, pick].tolist() == [ids[-1], ids[-2]]  # the rich take the best, the poor not
    weak = _pages(world, ids[:2], np.ones(2, dtype=np.float32), "relevance")
    assert weak.relevance.max() < 0.5
    assert not choose(weak, np.array([5000.0]), gumbel[:1], replace(b, min_relevance=0.5))[1].any()


def _honest(world: World, holders: np.ndarray, ids: np.ndarray) -> Dossiers:
    offers = np.resize(ids, holders.size)
    relevance = np.ones(holders.size, dtype=np.float32)
    return Dossiers(holders, offers, world.offers.price[offers], LEGIT, relevance)


def test_identity_check_deters_honest_holders_without_the_identity_and_lets_others_through():
    world = small_world()
    plat = replace(world.params.platform, id_give_up_missing=[0.0, 0.0, 1.0, 1.0])
    world.params = replace(world.params, platform=replace(plat, id_friction=[0.0] * 4))
    world.policy.identity_level = IDENTITY_LEVELS.index("franceconnect_plus")
    pop = world.population
    holders = np.arange(20)
    pop.digital_id[:10], pop.digital_id[10:20] = ID_NONE, ID_VERIFIED
    pop.education[:20] = BAC_OR_ABOVE
    pop.balance[:20], pop.need_topic[:20] = 2000.0, TOPIC
    ids = _offers(world, 2)
    accepted = checkout(world, _honest(world, holders, ids), np.random.default_rng(1))
    assert sorted(accepted.holders.tolist()) == list(range(10, 20))
    assert world.recorder.series["deterred_friction"][0] == 10
    assert (pop.need_topic[:10] == NO_NEED).all()  # the deterred give up their need for now
    assert (pop.balance[10:20] == 1500.0).all()  # the others paid 500 EUR from their balance


def test_copayment_deters_a_need_worth_less_than_it_and_spares_exempt_groups():
    world = small_world()
    world.policy.copayment_eur = 100.0
    world.policy.copayment_exempt = ("job_seeker",)
    pop = world.population
    holders = np.arange(4)
    pop.status[:4] = [0, 0, 1, 1]  # employees, job seekers
    pop.need_value[:4] = [50.0, 500.0, 50.0, 500.0]
    pop.balance[:4] = 2000.0
    ids = _offers(world, 1)
    accepted = checkout(world, _honest(world, holders, ids), np.random.default_rng(2))
    assert sorted(accepted.holders.tolist()) == [1, 2, 3]
    assert world.recorder.series["deterred_copayment"][0] == 1
    assert world.recorder.series["copayment_eur"][0] == 100.0  # only holder 1 paid it


def test_full_screening_blocks_every_stolen_login_dossier():
    world = small_world()
    world.params = replace(
        world.params,
        fraud=replace(world.params.fraud, anomaly_signal=1.0, takeover_success=[1.0] * 4),
    )
    world.policy.anomaly_detection = 1.0
    holders = np.arange(30)
    world.population.balance[:30] = 2000.0
    ids = _offers(world, 1)
    offers = np.resize(ids, 30)
    stolen = Dossiers(
        holders, offers, world.offers.price[offers], TAKEOVER, np.zeros(30, np.float32)
    )
    assert len(checkout(world, stolen, np.random.default_rng(3))) == 0
    assert world.recorder.series["fraud_blocked"][0] == 30
    assert world.recorder.series["fraud_loss_eur"][0] == 0.0


def test_ledger_pays_organisations_and_books_recoveries_and_refunds():
    world = small_world()
    quality = Organisation(world, QUALITY)
    generalist = Organisation(world, GENERALIST)
    offers = np.concatenate([quality.offers[:2], generalist.offers[:1]])
    ledger.pay(world, offers, np.array([100.0, 200.0, 50.0]), LEGIT)
    series, scale = world.recorder.series, world.scale
    assert series["payments_eur"][0] == series["legit_spend_eur"][0] == 350.0
    assert quality.revenue == pytest.approx(300.0 * scale)
    assert generalist.revenue == pytest.approx(50.0 * scale)
    ledger.recover(world, np.array([10.0, 20.0, 0.0]))
    assert series["spend_eur"][0] == 320.0 and series["recovered_eur"][0] == 30.0
    before = world.population.balance[:2].copy()
    ledger.refund(world, np.array([0, 1, 1]), np.array([5.0, 7.0, 8.0]))
    assert world.population.balance[:2].tolist() == (before + [5.0, 15.0]).tolist()


def test_copayment_lever_writes_the_policy_and_hurries_holders_before_an_announced_rise():
    world = small_world()
    lever = Copayment({"2024-05": 100.0}, world.n_months)
    may_2024 = 12 * 5 + 4
    lever.apply(world, may_2024 - 2)  # two months before: the rise is within the window
    assert world.policy.copayment_eur == 0.0 and world.policy.search_boost > 1.0
    lever.apply(world, may_2024)
    assert world.policy.copayment_eur == 100.0 and world.policy.search_boost == 1.0


def test_a_holders_draws_and_tastes_do_not_depend_on_who_else_is_drawn():
    """Common random numbers: a searcher's taste noise is a function of the holder alone."""
    everyone = np.arange(50_000)
    some = everyone[np.random.default_rng(0).random(everyone.size) < 0.3]
    full, part = holder_draws(7, everyone, 4), holder_draws(7, some, 4)
    assert np.array_equal(full[some], part)
    assert not np.array_equal(holder_draws(8, some, 4), part)
    tastes = taste_noise(7, everyone, 10)
    assert np.array_equal(taste_noise(7, some, 10), tastes[some])
    # standard Gumbel: mean Euler's gamma, standard deviation pi / sqrt(6)
    assert tastes.mean() == pytest.approx(0.5772, abs=0.01)
    assert tastes.std() == pytest.approx(np.pi / np.sqrt(6), abs=0.01)
    assert np.corrcoef(tastes[:, 0], tastes[:, 1])[0, 1] == pytest.approx(0.0, abs=0.01)
