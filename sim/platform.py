"""The platform's search: which offers a holder is shown, and which one the holder picks.

Pure functions on arrays. A search for a need returns the listed offers whose topic serves that
need, ordered either by visibility (marketing and SEO, the platform as it was) or by relevance
to the holder's need and profile (the counterfactual recommender the seed article asks for).
Holders then pick with a logit over relevance, rating, salience, rank and price.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.domain import TOPIC_RELEVANCE
from sim.offers import Offers
from sim.params import BehaviourParams


@dataclass(frozen=True)
class ResultPage:
    """The offers shown for one (need topic, holder profile) search, best rank first."""

    ids: NDArray[np.intp]
    relevance: NDArray[np.float32]
    rating: NDArray[np.float32]
    visibility: NDArray[np.float32]
    price: NDArray[np.float64]


def result_page(
    offers: Offers,
    candidates: NDArray[np.intp],
    org_visibility: NDArray[np.float32],
    org_rating: NDArray[np.float32],
    topic: int,
    self_employed: bool,
    ranking: str,
    shown: int,
    query_noise: NDArray[np.float64],
) -> ResultPage:
    """Rank the listed offers for a need on `topic` and keep the first `shown`.

    `query_noise` (one value per candidate) stands for what the ranking does not see: the
    words of the query, location, dates. Without it every holder with the same need would see
    the very same page.
    """
    topic_fit = TOPIC_RELEVANCE[topic, offers.topic[candidates]]
    ids = candidates[topic_fit > 0]
    fit = offers.fit_self_employed[ids] if self_employed else offers.fit_general[ids]
    relevance = (TOPIC_RELEVANCE[topic, offers.topic[ids]] * fit).astype(np.float32)
    org = offers.organisation[ids]
    visibility = org_visibility[org]
    rating = org_rating[org]
    noise = query_noise[topic_fit > 0]
    if ranking == "relevance":
        score = relevance + 0.2 * rating + 0.1 * noise
    else:
        score = visibility + 0.05 * rating + noise
    order = np.lexsort((ids, -score))[:shown]  # ties broken by offer id: deterministic
    ids = ids[order]
    return ResultPage(
        ids=ids,
        relevance=relevance[order],
        rating=rating[order],
        visibility=visibility[order],
        price=offers.price[ids],
    )


def choose(
    page: ResultPage,
    balance: NDArray[np.float64],
    gumbel: NDArray[np.float64],
    b: BehaviourParams,
) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
    """Each searcher's pick on the page (column index) and whether anything fitted at all.

    Args:
        page: the offers shown to this group of searchers.
        balance: the searchers' balances (euros).
        gumbel: one Gumbel draw per searcher and shown offer (taste noise).
        b: behavioural parameters.
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
    pick = utility.argmax(axis=1)
    fits = page.relevance.max() >= b.min_relevance
    return pick, np.full(balance.size, fits, dtype=bool)
