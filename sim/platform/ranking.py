"""The platform's search: which offers a holder is shown, and which one the holder picks.

Pure functions on arrays. A search for a need returns the listed offers whose topic serves that
need, ordered either by visibility (marketing and SEO, the platform as it was) or by relevance
to the holder's need and profile (the counterfactual recommender the seed article asks for).

An offer row of a cohort agent stands for the like offers of its `copies` real organisations.
Each real offer gets its own query noise (Gumbel); the best of `w` independent Gumbel draws is
one Gumbel draw shifted by log(w) times its scale, so the row competes for a place on the page
with that shift: a cohort of 100 organisations is seen as often as its 100 members would be, a
network's single shell as one organisation among many.
Holders then pick with a logit over relevance, rating, salience, rank and price.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.core.domain import TOPIC_RELEVANCE
from sim.params import BehaviourParams
from sim.state.offers import Offers


@dataclass(frozen=True)
class ResultPage:
    """The offers shown for one (need topic, holder profile) search, best rank first."""

    ids: NDArray[np.intp]
    relevance: NDArray[np.float32]
    rating: NDArray[np.float32]
    visibility: NDArray[np.float32]
    price: NDArray[np.float64]


def result_pages(
    offers: Offers,
    candidates: NDArray[np.intp],
    org_visibility: NDArray[np.float32],
    org_rating: NDArray[np.float32],
    org_copies: NDArray[np.float32],
    topic: int,
    self_employed: bool,
    ranking: str,
    shown: int,
    noise_scale: float,
    query_noise: NDArray[np.float64],
) -> list[ResultPage]:
    """Rank the listed offers for a need on `topic`, once per query variant; keep `shown`.

    `query_noise` (variants x candidates, standard Gumbel draws, scaled here by `noise_scale`)
    stands for what the ranking does not see: the words of the query, location, dates. Without
    it every holder with the same need would see the very same page.
    """
    topic_fit = TOPIC_RELEVANCE[topic, offers.topic[candidates]]
    served = topic_fit > 0
    ids = candidates[served]
    fit = offers.fit_self_employed[ids] if self_employed else offers.fit_general[ids]
    relevance = (topic_fit[served] * fit).astype(np.float32)
    org = offers.organisation[ids]
    visibility = org_visibility[org]
    rating = org_rating[org]
    if ranking == "relevance":
        base, noise_weight = relevance + 0.2 * rating, 0.1 * noise_scale
    else:
        base, noise_weight = visibility + 0.05 * rating, noise_scale
    base = base + noise_weight * np.log(org_copies[org])  # the best of the cohort's members
    pages = []
    for noise in query_noise[:, served]:
        order = np.lexsort((ids, -(base + noise_weight * noise)))[:shown]  # ties: by offer id
        chosen = ids[order]
        pages.append(
            ResultPage(
                ids=chosen,
                relevance=relevance[order],
                rating=rating[order],
                visibility=visibility[order],
                price=offers.price[chosen],
            )
        )
    return pages


def choose(
    page: ResultPage,
    balance: NDArray[np.float64],
    gumbel: NDArray[np.float64],
    b: BehaviourParams,
    available: NDArray[np.bool_] | None = None,
) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
    """Each searcher's pick on the page (column index) and whether anything fitted at all.

    Args:
        page: the offers shown to this group of searchers.
        balance: the searchers' balances (euros).
        gumbel: one Gumbel draw per searcher and shown offer (taste noise).
        b: behavioural parameters.
        available: which shown offers can still be booked (default: all).
    """
    k = page.ids.size
    if k == 0:
        return np.zeros(balance.size, dtype=np.intp), np.zeros(balance.size, dtype=bool)
    rank_penalty = b.beta_position * np.arange(k)
    base = (
        b.beta_relevance * page.relevance
        + b.beta_rating * page.rating
        + b.beta_visibility * page.visibility / max(1.0, float(page.visibility.max()))
        - rank_penalty
    )
    shortfall = np.maximum(0.0, page.price[None, :] - balance[:, None]) / 1000.0
    utility = base[None, :] - b.beta_price * shortfall + gumbel[:, :k]
    if available is not None:
        utility[:, ~available] = -np.inf
        if not available.any():
            return np.zeros(balance.size, dtype=np.intp), np.zeros(balance.size, dtype=bool)
    pick = utility.argmax(axis=1)
    relevant = page.relevance if available is None else page.relevance[available]
    fits = relevant.max() >= b.min_relevance
    return pick, np.full(balance.size, fits, dtype=bool)
