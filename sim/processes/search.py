"""Search, choice and checkout (ODD §7.3, §7.4): holders with a need look for a course and buy it.

The chance to search rises with the app's adoption and with trust; the platform shows ranked
pages of offers (sim/platform/ranking.py), holders pick with a logit or find nothing fitting;
courses with no place left this month are not shown, and an organisation whose last places go
this month turns the last comers away (their need stays); the others go through the checkout
(sim/platform/checkout.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.core.domain import LEGIT, NO_NEED, NOT_ENROLLED
from sim.core.events import holder_draws, holder_uniforms, standard_gumbel
from sim.platform.checkout import N_STAGES, Dossiers, checkout, exempt_from_copayment
from sim.platform.ranking import (
    PageTable,
    choose_on,
    pick_chances,
)
from sim.processes.pages import MonthPages, month_pages
from sim.state.world import World

SEARCH_ROUNDS = 3  # a holder whose pick is full tries the page's other courses, twice more
PAGE_READERS = 32
"""Most searchers of a profile whose chances on each of its pages make the organisations'
expected sales (each stands for its share of the profile's searchers)."""


def run_search_and_checkout(world: World) -> None:
    """Holders with a need search; the platform shows ranked offers; they choose and pay."""
    b, pop, rec, month = world.params.behaviour, world.population, world.recorder, world.month
    searchers = who_searches(world)
    rec.add("searches", month, searchers.size)
    if searchers.size == 0:
        return
    signals = organisation_signals(world)
    candidates = world.offers.active_ids()
    # Courses with no place left this month (not even part of one) show no session to book.
    candidates = candidates[signals.places_left[world.offers.organisation[candidates]] > 0]
    if world.in_lockdown:  # in-person courses cannot be bought
        candidates = candidates[world.offers.remote[candidates]]
    # Common random numbers: each holder's page and place in the queue are the holder's own
    # uniforms (a hash of the row), so a lever that changes who searches does not reshuffle the
    # pages or queries of everyone else.
    month_view = month_pages(
        world, searchers, candidates, signals.visibility, signals.rating, signals.copies
    )
    table, group = month_view.table, month_view.page
    gumbel = taste_noise(world.streams.key("choice", month, salt=0), searchers, b.shown_offers)
    priority = holder_uniforms(world.streams.key("capacity", month, salt=1), searchers)
    places = signals.places_left
    expected = ExpectedSales.empty(places.size)
    shown = table.ids >= 0
    opened = np.zeros(table.ids.shape, dtype=bool)
    opened[shown] = places[world.offers.organisation[table.ids[shown]]] > 0
    _expect_first_picks(world, searchers, month_view, opened, expected)
    pending = np.arange(searchers.size)
    repicks: tuple[ExpectedSales, NDArray[np.float64]] | None = None  # from the 2nd round
    spilled = np.zeros(places.size)
    rows_placed, offers_placed, relevance_placed = [], [], []
    for attempt in range(SEARCH_ROUNDS):
        rows, offers, relevance, unfit = _pick(
            world, searchers, pending, group, gumbel, table, signals, repicks
        )
        # Nothing fitting at all is 'no offer found'; nothing fitting left is being turned away.
        cause = "no_offer_found" if attempt == 0 else "turned_away"
        rec.add_by_status(cause, month, pop.status[searchers[unfit]])
        orgs = world.offers.organisation[offers]
        placed = within_capacity(orgs, priority[rows], signals.capacity_left)
        left = signals.capacity_left
        np.subtract(left, np.bincount(orgs[placed], minlength=left.size), out=left)
        rows_placed.append(rows[placed])
        offers_placed.append(offers[placed])
        relevance_placed.append(relevance[placed])
        pending = rows[~placed]
        if pending.size == 0:
            break
        repicks = expected, repick_weights(expected.buyers, places, spilled, orgs[~placed])
    rec.add_by_status("turned_away", month, pop.status[searchers[pending]])
    for org in world.listed_organisations():
        org.capacity_left = int(signals.capacity_left[org.unique_id])
    offers = np.concatenate(offers_placed)
    buyers = searchers[np.concatenate(rows_placed)]
    dossiers = Dossiers(
        buyers,
        offers,
        world.offers.price[offers],
        LEGIT,
        np.concatenate(relevance_placed),
        # each buyer's checkout luck is the holder's own (common random numbers)
        draws=holder_draws(world.streams.key("checkout", month), buyers, N_STAGES).T,
    )
    debited = rec.series["debited_eur"][month]
    enrolled = checkout(world, dossiers, world.streams.get("checkout", month))
    paid = enrolled.prices.sum() if len(enrolled) else 0.0
    book_expected_sales(
        world,
        expected,
        np.minimum(expected.buyers, places) * (len(enrolled) / max(1, len(dossiers))),
        world.offers.organisation[enrolled.offers],
        (rec.series["debited_eur"][month] - debited) / paid if paid > 0 else 0.0,
    )


def taste_noise(key: int, searchers: NDArray[np.intp], slots: int) -> NDArray[np.float32]:
    """Each searcher's standard Gumbel taste for each page slot: a pure function of the holder.

    Drawn by row in order, one searcher more or fewer in a lever's world would shift the tastes
    of every searcher after it and decorrelate the two worlds' choices (common random numbers).
    """
    u = holder_draws(key, searchers, slots).astype(np.float32)
    return standard_gumbel(u)


def who_searches(world: World) -> NDArray[np.intp]:
    """Aware holders with a need, not in a course and with rights, who search this month.

    The chance rises with the app's adoption and with trust, and before an announced copayment
    rise for those who would pay it. Only the roster of holders with a need is looked at; each
    decides with the holder's own uniform of the month (common random numbers).
    """
    b, pop = world.params.behaviour, world.population
    rows = world.rosters.needers
    rows = rows[
        (pop.need_topic[rows] != NO_NEED)
        & pop.aware[rows]
        & (pop.enrol_offer[rows] == NOT_ENROLLED)
        & (pop.balance[rows] > 0)
    ]
    trust = world.trust.get(rows) / world.params.population.trust_initial
    probability = b.search_rate * world.platform_ease * trust**b.trust_search_elasticity
    if world.policy.search_boost != 1.0:
        exempt = exempt_from_copayment(world, rows)
        probability = probability * np.where(exempt, 1.0, world.policy.search_boost)
    u = holder_uniforms(world.streams.key("search", world.month), rows)
    return rows[u < probability]


def _pick(
    world: World,
    searchers: NDArray[np.intp],
    pending: NDArray[np.intp],
    group: NDArray[np.int64],
    gumbel: NDArray[np.float32],
    table: PageTable,
    signals: OrganisationSignals,
    repicks: tuple[ExpectedSales, NDArray[np.float64]] | None,
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float32], NDArray[np.intp]]:
    """Each pending searcher's pick on their page among courses with places left.

    Returns the rows (into `searchers`) that found a fitting, affordable course, the courses and
    their relevance, and the rows that found nothing fitting. `repicks`, for searchers turned
    away by a full course who pick again: the expected sales and the real re-picks each
    pending searcher stands for (`repick_weights`), by which their chances are added.
    """
    b, pop = world.params.behaviour, world.population
    holders = searchers[pending]
    shown = table.ids >= 0
    available = np.zeros(table.ids.shape, dtype=bool)
    available[shown] = signals.capacity_left[world.offers.organisation[table.ids[shown]]] > 0
    keys = group[pending]
    balance = pop.balance[holders]
    pick, fits = choose_on(table, keys, balance, gumbel[pending], b, available)
    cells = table.ids[keys]
    affordable = _affordable(world.offers.price[cells], balance, pop.need_value[holders])
    fits &= affordable[np.arange(keys.size), pick]
    if repicks is not None:
        sales, stands_for = repicks
        chance = pick_chances(table, keys, balance, b, available)
        chance[~affordable] = 0.0
        chance *= stands_for[:, None]
        sales.add(world, cells[chance > 0], chance[chance > 0])
    offers = cells[np.arange(keys.size), pick]
    return (
        pending[fits],
        offers[fits].astype(np.intp),
        table.relevance[keys, pick][fits],
        pending[~fits],
    )


def repick_weights(
    buyers: NDArray[np.float64],
    places: NDArray[np.float64],
    spilled: NDArray[np.float64],
    turned_from: NDArray[np.int32],
) -> NDArray[np.float64]:
    """How many expected re-picks each searcher turned away stands for (at most one).

    A cohort's expected buyers beyond its places (`buyers - places`, fractions included) are
    the real buyers it turns away, who pick again elsewhere; the simulated searchers it turned
    away (`turned_from`: the organisation of each) share that overflow, less what earlier
    rounds already shared (`spilled`, updated in place). Counting every simulated searcher
    turned away as a full re-pick booked the whole-place rounding of a small sample (a quality
    cohort has 0.6 places a month at 20,000 holders) as sales of the cohorts with room: under
    model v2.7 the opportunists' re-picks were worth 27-44% of their first picks at 20,000
    holders against 23-30% at 100,000, and 20,000 holders kept up to 22% fewer organisations
    active after 2022 (ODD 2.8).
    """
    turned = np.bincount(turned_from, minlength=buyers.size)
    overflow = np.maximum(0.0, buyers - places - spilled)
    share = np.minimum(
        1.0, np.divide(overflow, turned, out=np.zeros(buyers.size), where=turned > 0)
    )
    spilled += share * turned
    return share[turned_from]


def page_readers(pages: int, searchers: int) -> NDArray[np.int64]:
    """Which of a profile's searchers read each of its pages for the expected sales (rows).

    At most `PAGE_READERS` distinct searchers a page, the pages taking them in turn (page j
    those from j x readers on), so every searcher reads some page when there are enough pages.
    """
    readers = min(searchers, PAGE_READERS)
    return (np.arange(pages)[:, None] * readers + np.arange(readers)) % searchers


def _expect_first_picks(
    world: World,
    searchers: NDArray[np.intp],
    pages: MonthPages,
    opened: NDArray[np.bool_],
    expected: ExpectedSales,
) -> None:
    """Add the searchers' chances to pick each offer, averaged over their profile's pages.

    Which of its profile's pages a query lands on is a draw; at 20,000 holders a
    variant page has a searcher a month or none, so chances summed over the pages drawn swung
    with the sample (model v2.5: quality cohorts in a loss month 39% at 20,000 holders, 13% at
    100,000, 4% at 1,000,000). Averaged over the pages they are the expectation given the
    month's searchers and pages. Each page is read by at most `PAGE_READERS` distinct searchers
    of the profile (`page_readers`), each standing for its share of the rest, so the cost grows
    with the pages, not with the population. `opened`: offers whose organisation has places
    left, fractions included.
    """
    b, pop, table = world.params.behaviour, world.population, pages.table
    shown = table.ids.shape[1]
    by_cell = np.zeros(table.ids.size)  # summed over searchers, per page and place on it
    for p, rows in pages.members.items():
        count = int(pages.variants[p])
        who = page_readers(count, rows.size)
        readers = who.shape[1]
        keys = np.repeat(pages.first_page[p] + np.arange(count), readers)
        holders = searchers[rows[who.ravel()]]
        balance = pop.balance[holders]
        chance = pick_chances(table, keys, balance, b, opened)
        chance[~_affordable(table.price[keys], balance, pop.need_value[holders])] = 0.0
        cell = keys[:, None] * shown + np.arange(shown)
        weight = rows.size / (count * readers)
        by_cell += np.bincount(cell.ravel(), chance.ravel(), by_cell.size) * weight
    kept = by_cell > 0
    expected.add(world, table.ids.ravel()[kept], by_cell[kept])


def _affordable(
    prices: NDArray[np.floating], balance: NDArray[np.floating], need_value: NDArray[np.floating]
) -> NDArray[np.bool_]:
    """A course whose price exceeds the balance by more than the need is worth is not bought.

    `prices`: one row of shown courses per searcher; `balance`, `need_value`: per searcher.
    """
    return np.maximum(0.0, prices - balance[:, None]) <= need_value[:, None]


@dataclass
class ExpectedSales:
    """Per organisation id: the simulated buyers its courses can expect this month.

    With the price and fair value they can expect to pay, from every searcher's choice chances.
    """

    buyers: NDArray[np.float64]
    price: NDArray[np.float64]
    fair: NDArray[np.float64]

    @classmethod
    def empty(cls, size: int) -> ExpectedSales:
        """Nothing expected yet for `size` organisation ids."""
        return cls(np.zeros(size), np.zeros(size), np.zeros(size))

    def add(self, world: World, offers: NDArray[np.intp], chance: NDArray[np.floating]) -> None:
        """Add the chances that searchers pick `offers` (one chance per searcher and offer)."""
        orgs = world.offers.organisation[offers]
        size = self.buyers.size
        self.buyers += np.bincount(orgs, chance, size)
        self.price += np.bincount(orgs, chance * world.offers.price[offers], size)
        self.fair += np.bincount(orgs, chance * world.offers.fair_price[offers], size)


def book_expected_sales(
    world: World,
    expected: ExpectedSales,
    enrolments: NDArray[np.float64],
    enrolled_orgs: NDArray[np.int32],
    paid_share: float,
) -> None:
    """Tell each organisation how far its simulated enrolments fell from what it could expect.

    An agent stands for a cohort whose real buyers are `scale` times its simulated ones; in a
    small simulated population a cohort sells a few simulated courses a month or none, and its
    books would swing with the sample, not with the market. Its expected enrolments (choice
    chances within the places it opened, times the month's share of placed buyers who enrol)
    replace the realised ones in its books (ODD 7.11), valued at the expected price times the
    share of it paid from the account.
    """
    size = enrolments.size
    realised = np.bincount(enrolled_orgs, minlength=size)
    per_buyer = np.divide(1.0, expected.buyers, out=np.zeros(size), where=expected.buyers > 0)
    gap = (enrolments - realised) * per_buyer * world.scale
    delivery = np.array(world.params.market.delivery_cost_share)
    for org in world.listed_organisations():
        i = org.unique_id
        org.book_sampling_gap(
            gap[i] * expected.price[i] * paid_share,
            gap[i] * expected.fair[i] * delivery[org.strategy],
        )


@dataclass(frozen=True)
class OrganisationSignals:
    """What the ranking and the capacity check need of every organisation, by agent id."""

    visibility: NDArray[np.float32]
    rating: NDArray[np.float32]
    copies: NDArray[np.float32]
    """Real organisations the agent stands for (1 where none is listed)."""
    capacity_left: NDArray[np.int64]
    places_left: NDArray[np.float64]
    """The cohort's places left this month in expectation (fractional simulated trainees)."""


def organisation_signals(world: World) -> OrganisationSignals:
    """Visibility, displayed rating, size and places left of every organisation."""
    size = max((o.unique_id for o in world.organisations()), default=0) + 1
    visibility = np.zeros(size, dtype=np.float32)
    rating = np.zeros(size, dtype=np.float32)
    copies = np.ones(size, dtype=np.float32)
    capacity = np.zeros(size, dtype=np.int64)
    places = np.zeros(size)
    for org in world.listed_organisations():
        visibility[org.unique_id] = org.visibility
        rating[org.unique_id] = org.displayed_rating
        copies[org.unique_id] = max(1.0, org.weight)
        capacity[org.unique_id] = max(0, org.capacity_left)
        places[org.unique_id] = max(0.0, org.places_left)
    return OrganisationSignals(visibility, rating, copies, capacity, places)


def within_capacity(
    orgs: NDArray[np.int32], priority: NDArray[np.float64], capacity: NDArray[np.int64]
) -> NDArray[np.bool_]:
    """Which buyers get a place: per organisation, those with the lowest `priority` first.

    Only the buyers of organisations asked for more places than they have are sorted (by
    organisation, then priority in [0, 1): one key, organisation + priority).
    """
    demand = np.bincount(orgs, minlength=capacity.size)
    crowded = np.flatnonzero(demand[orgs] > capacity[orgs])
    placed = np.ones(orgs.size, dtype=bool)
    if crowded.size == 0:
        return placed
    order = crowded[np.argsort(orgs[crowded] + priority[crowded])]
    sorted_orgs = orgs[order]
    first = np.r_[0, np.flatnonzero(np.diff(sorted_orgs)) + 1]
    run_start = np.repeat(first, np.diff(np.r_[first, sorted_orgs.size]))
    rank = np.arange(sorted_orgs.size) - run_start
    placed[order] = rank < capacity[sorted_orgs]
    return placed
