"""The platform's search: which offers a holder is shown, and which one the holder picks.

Pure functions on arrays. A search for a need returns the listed offers whose topic serves that
need, ordered either by visibility (marketing and SEO, the platform as it was) or by relevance
to the holder's need and profile (the counterfactual recommender the seed article asks for).

An offer row of a cohort agent stands for the like offers of its `copies` real organisations.
Each real offer (member) gets its own query noise (Gumbel), and a page takes as many of a
row's members as their scores earn: the members' best scores are drawn as the top order
statistics of `copies` Gumbel draws (`member_scores`), so a cohort of 100 organisations fills
the slots its 100 members would, a network's single shell at most one (model v2.11; until
v2.10 a row took at most one slot, and demand per real organisation fell with the cohort's
size). Under relevance ranking the query noise is how well each member's course fits the
query, so a member shown for it shows that fit; under visibility ranking it is what the
ranking does not see, and a member shown has its cohort's fit.
Holders then pick with a logit over relevance, rating, salience, rank and price.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.core.domain import TOPIC_RELEVANCE
from sim.core.events import holder_uniforms
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
    member_key: int = 0,
) -> ResultPages:
    """Rank the offers `served` (those listed for a need on `topic`: `serves`), once per variant.

    Each variant keeps its `shown` best members. `query_noise` (variants x the offers `served`,
    standard Gumbel draws, scaled here by `noise_scale`) is the best member's noise of each
    offer row; it stands for what the ranking does not see (the words of the query, location,
    dates), without which every holder with the same need would see the very same page.
    `member_key` keys the draws of the other members' noise (`member_scores`).
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
    copies = org_copies[org].astype(np.float64)
    # The best member's noise: the best of `copies` Gumbel draws is one shifted by log(copies).
    score = -(base + noise_weight * (np.log(copies) + query_noise))
    k = min(shown, served.size)
    if noise_weight == 0 or k == 0:
        # Without query noise a row's members are alike and the ranking sorts rows; ties by
        # offer id (`served` ascend).
        slots = np.argsort(score, axis=1, kind="stable")[:, :k]
        return _page(offers, served, slots, relevance[slots], rating, visibility, shown)
    if k < served.size:
        top = np.argpartition(score, k - 1, axis=1)[:, :k]
    else:
        top = np.broadcast_to(np.arange(k), score.shape).copy()
    rows = np.take_along_axis(top, np.argsort(np.take_along_axis(score, top, 1), 1), 1)
    best = np.take_along_axis(query_noise, rows, 1)
    noise = member_scores(member_key, served[rows], best, copies[rows], shown)
    # Each variant's best members among its `k` best rows' `shown` best members, best first;
    # a row's first member is its row's score, so no member of a row left out could rank.
    flat = (base[rows][:, :, None] + noise_weight * noise).reshape(rows.shape[0], -1)
    slots_shown = min(shown, int(np.isfinite(flat).sum(axis=1).min()))
    pick = np.argpartition(-flat, slots_shown - 1, axis=1)[:, :slots_shown]
    pick = np.take_along_axis(pick, np.argsort(-np.take_along_axis(flat, pick, 1), 1), 1)
    slots = np.take_along_axis(rows, pick // shown, 1)
    shown_relevance = relevance[slots]
    if ranking == "relevance":  # the member's own fit to this query, its ranking noise
        member_noise = np.take_along_axis(noise.reshape(flat.shape), pick, 1)
        deviation = noise_weight * (member_noise - np.euler_gamma)
        shown_relevance = np.clip(shown_relevance + deviation, 0.0, 1.0).astype(np.float32)
    return _page(offers, served, slots, shown_relevance, rating, visibility, shown)


def _page(
    offers: Offers,
    served: NDArray[np.intp],
    slots: NDArray[np.intp],
    relevance: NDArray[np.float32],
    rating: NDArray[np.float32],
    visibility: NDArray[np.float32],
    shown: int,
) -> ResultPages:
    """The pages from each variant's ranked slots (indices into `served`), padded to `shown`."""

    def padded[T: np.generic](column: NDArray[T], fill: float) -> NDArray[T]:
        """`column` (rank order, one row per variant) padded to `shown` columns with `fill`."""
        out = np.full((slots.shape[0], shown), fill, dtype=column.dtype)
        out[:, : slots.shape[1]] = column
        return out

    return ResultPages(
        padded(served[slots], -1),
        padded(relevance, 0.0),
        padded(rating[slots], 0.0),
        padded(visibility[slots], 0.0),
        padded(offers.price[served[slots]], 0.0),
    )


def member_scores(
    key: int,
    offer_ids: NDArray[np.intp],
    best: NDArray[np.float64],
    copies: NDArray[np.float64],
    members: int,
) -> NDArray[np.float64]:
    """The `members` best query noises (standard Gumbel) of each row's `copies` real offers.

    Exact order statistics: the largest of n standard Gumbel draws is -log E(1) with E(1) the
    smallest of n unit exponentials, and E(j) = E(j-1) + X(j) / (n - j + 1) with X(j) fresh
    unit exponentials (Renyi's representation). The best is the row's own draw (`best`, so
    -log E(1) = `best` + log n); the others are a pure function of (key, variant, offer,
    member), so pages keep common random numbers. Members beyond the row's `copies` (rounded
    down) score -inf. Shape: rows x members.
    """
    variants = offer_ids.shape[0]
    cells = (
        np.arange(variants, dtype=np.int64)[:, None, None] * (1 << 32) + offer_ids[:, :, None]
    ) * members + np.arange(1, members)
    fresh = -np.log1p(-holder_uniforms(key, cells.ravel()).reshape(cells.shape))
    earlier = np.arange(1, members)  # j - 1 for j = 2..members
    gaps = np.full(fresh.shape, np.inf)
    has = earlier < np.floor(copies)[:, :, None]
    np.divide(fresh, copies[:, :, None] - earlier, out=gaps, where=has)
    smallest = np.exp(-best) / copies  # E(1): the row's own draw, best = -log(n E(1))
    exponentials = np.cumsum(np.concatenate([smallest[:, :, None], gaps], axis=2), axis=2)
    return -np.log(exponentials)


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
