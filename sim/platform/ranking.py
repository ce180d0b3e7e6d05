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
class ResultPages:
    """The offers shown for one (need topic, holder profile) search, one row per query variant.

    Best rank first; rows are padded with id -1 when fewer than `shown` offers serve the need.
    """

    ids: NDArray[np.intp]
    relevance: NDArray[np.float32]
    rating: NDArray[np.float32]
    visibility: NDArray[np.float32]
    price: NDArray[np.float64]


def serves(offers: Offers, candidates: NDArray[np.intp], topic: int) -> NDArray[np.bool_]:
    """Which candidate offers a search for a need on `topic` returns (their topic serves it)."""
    return TOPIC_RELEVANCE[topic, offers.topic[candidates]] > 0


def result_pages(
    offers: Offers,
    served: NDArray[np.intp],
    org_visibility: NDArray[np.float32],
    org_rating: NDArray[np.float32],
    org_copies: NDArray[np.float32],
    topic: int,
    self_employed: bool,
    ranking: str,
    shown: int,
    noise_scale: float,
    query_noise: NDArray[np.float64],
) -> ResultPages:
    """Rank the offers `served` (those listed for a need on `topic`: `serves`), once per variant.

    Each variant keeps its `shown` best. `query_noise` (variants x the offers `served`, standard
    Gumbel draws, scaled here by `noise_scale`) stands for what the ranking does not see: the
    words of the query, location, dates. Without it every holder with the same need would see
    the very same page.
    """
    fit = offers.fit_self_employed[served] if self_employed else offers.fit_general[served]
    relevance = (TOPIC_RELEVANCE[topic, offers.topic[served]] * fit).astype(np.float32)
    org = offers.organisation[served]
    visibility = org_visibility[org]
    rating = org_rating[org]
    if ranking == "relevance":
        base, noise_weight = relevance + 0.2 * rating, 0.1 * noise_scale
    else:
        base, noise_weight = visibility + 0.05 * rating, noise_scale
    base = base + noise_weight * np.log(org_copies[org])  # the best of the cohort's members
    # Each variant's `shown` best scores, best first; ties by offer id (`served` ascend), which
    # with query noise have probability zero, so only the noiseless ranking sorts them all.
    score = -(base + noise_weight * query_noise)
    k = min(shown, served.size)
    if noise_weight == 0 or k in (0, served.size):
        orders = np.argsort(score, axis=1, kind="stable")[:, :k]
    else:
        top = np.argpartition(score, k - 1, axis=1)[:, :k]
        orders = np.take_along_axis(top, np.argsort(np.take_along_axis(score, top, 1), 1), 1)

    def padded[T: np.generic](column: NDArray[T], fill: float) -> NDArray[T]:
        """`column` in rank order, one row per variant, padded to `shown` with `fill`."""
        out = np.full((orders.shape[0], shown), fill, dtype=column.dtype)
        out[:, :k] = column[orders]
        return out

    return ResultPages(
        padded(served, -1),
        padded(relevance, 0.0),
        padded(rating, 0.0),
        padded(visibility, 0.0),
        padded(offers.price[served], 0.0),
    )


@dataclass(frozen=True)
class PageTable:
    """Result pages stacked as rows (one per page key), padded to `shown` columns with id -1.

    Lets every searcher's choice in a month be one vectorised step instead of one per page.
    """

    ids: NDArray[np.intp]
    relevance: NDArray[np.float32]
    price: NDArray[np.float32]
    base: NDArray[np.float32]
    """Each offer's utility before price and taste noise (-inf on padding)."""

    @classmethod
    def stack(cls, pages: list[ResultPages], b: BehaviourParams) -> PageTable:
        """Stack the pages of every search profile; utility bases as `choose` states them."""
        ids = np.concatenate([p.ids for p in pages])
        relevance = np.concatenate([p.relevance for p in pages])
        visibility = np.concatenate([p.visibility for p in pages])
        salience = visibility / np.maximum(1.0, visibility.max(axis=1, keepdims=True))
        base = (
            b.beta_relevance * relevance
            + b.beta_rating * np.concatenate([p.rating for p in pages])
            + b.beta_visibility * salience
            - b.beta_position * np.arange(ids.shape[1], dtype=np.float32)
        ).astype(np.float32)
        base[ids < 0] = -np.inf
        price = np.concatenate([p.price for p in pages]).astype(np.float32)
        return cls(ids, relevance, price, base)


def choose_on(
    table: PageTable,
    keys: NDArray[np.intp],
    balance: NDArray[np.float64],
    gumbel: NDArray[np.floating],
    b: BehaviourParams,
    available: NDArray[np.bool_] | None = None,
) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
    """Each searcher's pick (column index) on page `keys[i]` and whether anything fitted.

    Utility: relevance, rating, salience and rank, minus the price beyond the balance, plus
    taste noise; a pick is made among the offers that can still be booked (`available`, one
    flag per table cell; default: all), and the page fits if the best relevance among them
    reaches `min_relevance`.

    Args:
        table: the month's result pages.
        keys: the page each searcher sees.
        balance: the searchers' balances (euros).
        gumbel: one Gumbel draw per searcher and shown offer (taste noise).
        b: behavioural parameters.
        available: which offers of the table can still be booked.
    """
    utility, bookable, fits = _utilities(table, keys, balance, b, available)
    return _noisy_pick(utility, bookable, gumbel), fits


def pick_chances(
    table: PageTable,
    keys: NDArray[np.intp],
    balance: NDArray[np.float64],
    b: BehaviourParams,
    available: NDArray[np.bool_] | None = None,
) -> NDArray[np.float32]:
    """The chance that `choose_on` picks each shown offer, for each searcher.

    The logit over the same utilities without the taste noise (0 on a page that does not fit):
    the probabilities of the noisy picks, computed from the same utilities.
    """
    utility, bookable, fits = _utilities(table, keys, balance, b, available)
    masked = np.where(bookable, utility, np.float32(-np.inf))
    top = np.where(fits, masked.max(axis=1, initial=-np.inf), 0.0)
    weight = np.exp(masked - top[:, None], dtype=np.float32)
    weight[~fits] = 0.0
    total = weight.sum(axis=1, keepdims=True)
    return np.divide(weight, total, out=np.zeros_like(weight), where=total > 0)


def _utilities(
    table: PageTable,
    keys: NDArray[np.intp],
    balance: NDArray[np.float64],
    b: BehaviourParams,
    available: NDArray[np.bool_] | None,
) -> tuple[NDArray[np.float32], NDArray[np.bool_], NDArray[np.bool_]]:
    """Utility before taste noise of every shown offer, which can be booked, whether pages fit.

    A searcher's page fits if a bookable offer on it reaches `min_relevance`.
    """
    bookable = table.ids[keys] >= 0
    if available is not None:
        bookable &= available[keys]
    shortfall = np.maximum(0, table.price[keys] - balance[:, None].astype(np.float32))
    utility = table.base[keys] - np.float32(b.beta_price / 1000.0) * shortfall
    best = np.where(bookable, table.relevance[keys], -np.inf).max(axis=1)
    fits = bookable.any(axis=1) & (best >= b.min_relevance)
    return utility.astype(np.float32, copy=False), bookable, fits


def _noisy_pick(
    utility: NDArray[np.float32], bookable: NDArray[np.bool_], gumbel: NDArray[np.floating]
) -> NDArray[np.intp]:
    """The bookable offer of highest utility plus taste noise (`utility` is overwritten)."""
    utility += gumbel[:, : utility.shape[1]]
    utility[~bookable] = -np.inf
    return utility.argmax(axis=1)


def choose(
    page: ResultPages,
    balance: NDArray[np.float64],
    gumbel: NDArray[np.float64],
    b: BehaviourParams,
    available: NDArray[np.bool_] | None = None,
) -> tuple[NDArray[np.intp], NDArray[np.bool_]]:
    """`choose_on` for searchers who all see the first row of `page` (`available`: per slot)."""
    table = PageTable.stack([page], b)
    keys = np.zeros(balance.size, dtype=np.intp)
    cells = None
    if available is not None:
        cells = np.zeros((1, table.ids.shape[1]), dtype=bool)
        cells[0, : available.size] = available
    return choose_on(table, keys, balance, gumbel, b, cells)
