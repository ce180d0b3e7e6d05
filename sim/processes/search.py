"""Search, choice and checkout (ODD §7.6): holders with a need look for a course and buy it.

The chance to search rises with the app's adoption and with trust; the platform shows ranked
pages of offers (sim/platform/ranking.py), holders pick with a logit or find nothing fitting,
and their choice goes through the checkout (sim/platform/checkout.py).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.core.domain import LEGIT, NO_NEED, NOT_ENROLLED, SELF_EMPLOYED
from sim.platform.checkout import Dossiers, checkout, exempt_from_copayment
from sim.platform.ranking import ResultPage, choose, result_pages
from sim.state.world import World


def run_search_and_checkout(world: World) -> None:
    """Holders with a need search; the platform shows ranked offers; they choose and pay."""
    b, pop, rec, month = world.params.behaviour, world.population, world.recorder, world.month
    ease = world.platform_ease
    trust_factor = (pop.trust / world.params.population.trust_initial) ** b.trust_search_elasticity
    probability = b.search_rate * ease * trust_factor
    if world.policy.search_boost != 1.0:  # hurrying before an announced copayment rise
        exempt = exempt_from_copayment(world, np.arange(pop.size))
        probability = probability * np.where(exempt, 1.0, world.policy.search_boost)
    u = world.streams.get("search", month).random(pop.size, dtype=np.float32)
    searching = (
        (u < probability)
        & pop.aware
        & (pop.need_topic != NO_NEED)
        & (pop.enrol_offer == NOT_ENROLLED)
        & (pop.balance > 0)
    )
    searchers = np.flatnonzero(searching)
    rec.add("searches", month, searchers.size)
    if searchers.size == 0:
        return
    candidates = world.offers.active_ids()
    if world.in_lockdown:  # in-person courses cannot be bought
        candidates = candidates[world.offers.remote[candidates]]
    visibility, rating = organisation_signals(world)
    # Common random numbers: each holder's query variant comes from a full-population
    # draw and each page's ranking noise from its own sub-stream, so a lever that changes
    # who searches does not reshuffle the pages or queries of everyone else.
    variants = b.query_variants
    variant = world.streams.get("choice", month, salt=1).integers(
        0, variants, pop.size, dtype=np.uint8
    )
    self_employed = pop.status[searchers] == SELF_EMPLOYED
    profile = pop.need_topic[searchers].astype(np.int64) * 2 + self_employed
    group = profile * variants + variant[searchers]
    gumbel = world.streams.get("choice", month).gumbel(size=(searchers.size, b.shown_offers))
    order = np.argsort(group, kind="stable")
    keys, starts = np.unique(group[order], return_index=True)
    bounds = np.append(starts, order.size)
    pages: dict[int, list[ResultPage]] = {}
    chosen_holders, chosen_offers, chosen_relevance = [], [], []
    for key, lo, hi in zip(keys.tolist(), bounds[:-1].tolist(), bounds[1:].tolist(), strict=True):
        rows = order[lo:hi]
        holders = searchers[rows]
        topic_profile, query = divmod(key, variants)
        if topic_profile not in pages:
            page_rng = world.streams.get("choice", month, salt=2 + topic_profile)
            noise = b.ranking_noise * page_rng.gumbel(size=(variants, candidates.size))
            pages[topic_profile] = result_pages(
                world.offers,
                candidates,
                visibility,
                rating,
                topic_profile // 2,
                bool(topic_profile % 2),
                world.policy.ranking,
                b.shown_offers,
                noise,
            )
        page = pages[topic_profile][query]
        pick, fits = choose(page, pop.balance[holders], gumbel[rows], b)
        if page.ids.size:
            shortfall = np.maximum(0.0, page.price[pick] - pop.balance[holders])
            fits &= shortfall <= pop.need_value[holders]
        world.recorder.add_by_status("no_offer_found", month, pop.status[holders[~fits]])
        if page.ids.size:
            chosen_holders.append(holders[fits])
            chosen_offers.append(page.ids[pick[fits]])
            chosen_relevance.append(page.relevance[pick[fits]])
    if chosen_holders:
        holders = np.concatenate(chosen_holders)
        offers = np.concatenate(chosen_offers)
        dossiers = Dossiers(
            holders, offers, world.offers.price[offers], LEGIT, np.concatenate(chosen_relevance)
        )
        checkout(world, dossiers, world.streams.get("checkout", month))


def organisation_signals(world: World) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """Visibility and displayed rating of every organisation, indexed by agent id."""
    size = max((o.unique_id for o in world.organisations()), default=0) + 1
    visibility = np.zeros(size, dtype=np.float32)
    rating = np.zeros(size, dtype=np.float32)
    for org in world.listed_organisations():
        visibility[org.unique_id] = org.visibility
        rating[org.unique_id] = org.displayed_rating
    return visibility, rating
