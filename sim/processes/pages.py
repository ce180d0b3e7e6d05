"""The month's result pages (ODD §7.3): how many query variants each need's page comes in.

A real search has its own words, place and dates, so over a month's searches every listed offer
is seen on many pages. The model draws `page_variants` pages per (need topic, holder profile):
at least `pages_per_offer` for each offer that serves the need, so that a cohort's sales do not
swing with the few pages it happened to draw, however many offers and cohorts there are (model
v2.9; with v2.8's fixed 8 variants, outcomes moved with the number of cohorts). The count is a
power of two and each page's ranking noise is a pure function of (month, profile, variant,
offer), so a lever's world that lists a few offers more or fewer keeps the same pages and the
same searchers on them (common random numbers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.core.domain import N_TOPICS, SELF_EMPLOYED
from sim.core.events import holder_uniforms, standard_gumbel
from sim.params import BehaviourParams
from sim.platform.ranking import PageTable, ResultPages, result_pages, serves
from sim.state.world import World

OFFER_KEYS = 1 << 32
"""Offer ids below this: (variant, offer) pairs hash to distinct keys."""


@dataclass(frozen=True)
class MonthPages:
    """The month's ranked pages and where each searcher lands."""

    table: PageTable
    page: NDArray[np.int64]
    """Each searcher's page (row of `table`)."""
    first_page: NDArray[np.int64]
    """Per profile, its first row in `table`."""
    variants: NDArray[np.int64]
    """Per profile, its number of pages (query variants)."""
    members: dict[int, NDArray[np.intp]]
    """Per (need topic, self-employed) profile searched this month (topic x 2 + self-employed),
    its searchers' rows, ascending."""


def page_variants(served: int, b: BehaviourParams) -> int:
    """Pages of a need this month: `pages_per_offer` per offer served, up to a power of two."""
    wanted = max(1.0, b.pages_per_offer * served / b.shown_offers)
    return 1 << math.ceil(math.log2(wanted))


def query_noise(key: int, variants: int, offers: NDArray[np.intp]) -> NDArray[np.float64]:
    """Standard Gumbel ranking noise per (variant, offer): a pure function of the pair."""
    cells = np.arange(variants, dtype=np.int64)[:, None] * OFFER_KEYS + offers
    u = holder_uniforms(key, cells.ravel()).reshape(cells.shape)
    return standard_gumbel(u)


def month_pages(
    world: World,
    searchers: NDArray[np.intp],
    candidates: NDArray[np.intp],
    visibility: NDArray[np.float32],
    rating: NDArray[np.float32],
    copies: NDArray[np.float32],
) -> MonthPages:
    """Rank every searched need's pages and put each searcher on one of its profile's pages.

    The page is the holder's own uniform of the month (common random numbers).
    """
    b, pop, month = world.params.behaviour, world.population, world.month
    self_employed = pop.status[searchers] == SELF_EMPLOYED
    profile = pop.need_topic[searchers].astype(np.int64) * 2 + self_employed
    members = profile_members(profile)
    pages: list[ResultPages] = []
    variants = np.ones(2 * N_TOPICS, dtype=np.int64)
    first_page = np.zeros(2 * N_TOPICS, dtype=np.int64)
    served_by_topic: dict[int, NDArray[np.intp]] = {}
    row = 0
    for topic_profile in members:
        topic = topic_profile // 2
        if topic not in served_by_topic:
            served_by_topic[topic] = candidates[serves(world.offers, candidates, topic)]
        served = served_by_topic[topic]
        count = page_variants(served.size, b)
        variants[topic_profile], first_page[topic_profile] = count, row
        row += count
        key = world.streams.key("choice", month, salt=2 + topic_profile)
        member_key = world.streams.key("choice", month, salt=2 + 2 * N_TOPICS + topic_profile)
        pages.append(
            result_pages(
                world.offers,
                served,
                visibility,
                rating,
                copies,
                topic,
                bool(topic_profile % 2),
                world.policy.ranking,
                b.shown_offers,
                b.ranking_noise,
                query_noise(key, count, served),
                member_key,
            )
        )
    u = holder_uniforms(world.streams.key("choice", month, salt=1), searchers)
    variant = np.minimum((u * variants[profile]).astype(np.int64), variants[profile] - 1)
    return MonthPages(
        PageTable.stack(pages, b),
        first_page[profile] + variant,
        first_page,
        variants,
        members,
    )


def profile_members(profile: NDArray[np.int64]) -> dict[int, NDArray[np.intp]]:
    """Each profile present, in ascending order, with its rows (ascending)."""
    if profile.size == 0:
        return {}
    order = np.argsort(profile, kind="stable")
    cuts = np.flatnonzero(np.diff(profile[order])) + 1
    starts = np.concatenate(([0], cuts))
    return dict(zip(profile[order[starts]].tolist(), np.split(order, cuts), strict=True))
