"""Reaching holders outside the platform: canvassing calls, phishing messages, straw recruits.

Shared by opportunist organisations (their own canvassing) and fraud networks (all three
channels). What happens to a contacted holder depends on the holder's vulnerability and balance.

Contacts fall at random on holders, `national / scale` of them a month: a Poisson number of
uniform draws, so each holder is reached independently with probability
1 - exp(-contacts / holders) (`reach`). Most contacts lead nowhere: a channel draws only the
holders for whom its outcome may happen (reached and lucky, at an upper bound of the outcome's
chance) and thins them by their own chance (sim/core/events.py), not every contact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.core.domain import NOT_ENROLLED, PRESSURED, SELF_EMPLOYED, TOPIC_RELEVANCE
from sim.core.events import bernoulli_rows, holder_uniforms
from sim.platform.checkout import (
    Dossiers,
    accepted_chance,
    checkout,
    copayment_due,
    pressured_signing_chance,
)
from sim.state.actors import NetworkLike, OrganisationLike
from sim.state.world import World

MIN_TARGET_BALANCE_EUR = 300.0  # assumption: callers do not bother with smaller balances
CALL_AWARENESS = 0.1  # assumption: share of called holders who learn they can use their CPF
PANEL_HOLDERS = 10_000
"""Holders a month's prospects are read on (every k-th row; all of them below this size).
A systematic sample of the population: the expectations it gives are within a few per cent of
the whole population's, at a cost that does not grow with the population."""
CALLER_PANEL_HOLDERS = 2_000
"""The same for the legal callers' books, read once per cohort and month (a hundred cohorts)."""


def reach(world: World, national: float) -> float:
    """Chance that a given holder is reached by `national` contacts this month (at least once)."""
    return -math.expm1(-max(0.0, national) / world.scale / world.population.size)


def reached_and_lucky(
    world: World,
    national: float,
    ceiling: float,
    bound: float,
    draws: int,
    rng: np.random.Generator,
) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """Sorted holders reached by `national` contacts whose outcome draw falls below `bound`.

    Thinning these by (the outcome's chance / `bound`) gives exactly the holders for whom a
    contact led to the outcome. Common random numbers: the candidates are drawn at the reach of
    `ceiling` contacts (the most this caller makes, whatever the levers) and kept with the reach
    of `national`, and each candidate's `draws` uniforms (returned, one row per draw, aligned
    with the holders) are drawn before, so two scenarios in which the caller makes different
    numbers of contacts share the holders and the luck of the contacts made in both.
    """
    top = max(reach(world, ceiling), reach(world, national))
    rows = bernoulli_rows(rng, world.population.size, top * bound)
    u = rng.random((draws + 1, rows.size))
    kept = u[0] * top < reach(world, national)
    return rows[kept], u[1:, kept]


def reachable(world: World, holders: NDArray[np.intp], min_balance: float) -> NDArray[np.bool_]:
    """Holders not in a course and holding at least `min_balance` euros."""
    pop = world.population
    return (pop.enrol_offer[holders] == NOT_ENROLLED) & (pop.balance[holders] >= min_balance)


def priced_to_balance(
    world: World, holders: NDArray[np.intp], offers: NDArray[np.intp], share: float
) -> NDArray[np.float64]:
    """Prices of `offers` set to take `share` of each holder's balance, within the price caps."""
    price = share * world.population.balance[holders]
    return world.policy.cap(price, world.offers.topic[offers])


def pick_offers(
    world: World, org: OrganisationLike, n: int, rng: np.random.Generator
) -> NDArray[np.intp] | None:
    """`n` offers drawn from the organisation's listed catalogue (None if nothing is listed)."""
    listed = org.offers[world.offers.active[org.offers]]
    if listed.size == 0:
        return None
    return rng.choice(listed, size=n)


def need_relevance(
    world: World, holders: NDArray[np.intp], offers: NDArray[np.intp]
) -> NDArray[np.float32]:
    """How well each offer serves its holder's current need (0 if the holder has none)."""
    pop, catalogue = world.population, world.offers
    need = pop.need_topic[holders]
    fit = np.where(
        pop.status[holders] == SELF_EMPLOYED,
        catalogue.fit_self_employed[offers],
        catalogue.fit_general[offers],
    )
    relevance = TOPIC_RELEVANCE[np.maximum(need, 0), catalogue.topic[offers]] * fit
    return np.where(need >= 0, relevance, 0.0).astype(np.float32)


def pressure_chance(world: World, success: float) -> float:
    """Chance a call pressures a reached holder of vulnerability 1 into signing up.

    The caller's `success`, times how easy buying is, divided by how much holders screen calls
    (1 + last month's calls per holder / `market.call_screening_load`).
    """
    screening = 1.0 + world.signals.call_load / world.params.market.call_screening_load
    return min(1.0, success * world.platform_ease / screening)


@dataclass(frozen=True)
class CallPanel:
    """The month's holders as callers see them, read on a panel of rows."""

    rows: NDArray[np.intp]
    balance: NDArray[np.float64]
    copay: NDArray[np.float64]
    """Copayment each panel holder would be charged (0 when exempt)."""
    signs: NDArray[np.float64]
    """Chance a panel holder reached by a call of success 1 signs despite the copayment."""
    holders_per_row: float

    @classmethod
    def read(cls, world: World, holders: int = PANEL_HOLDERS) -> CallPanel:
        """The panel of about `holders` rows as it stands now (balances, courses, copayments)."""
        pop = world.population
        panel = np.arange(0, pop.size, max(1, -(-pop.size // holders)))
        copay = copayment_due(world, panel)
        signs = (
            pop.vulnerability[panel].astype(np.float64)
            * reachable(world, panel, MIN_TARGET_BALANCE_EUR)
            * pressured_signing_chance(world, copay)
        )
        return cls(
            panel, pop.balance[panel].astype(np.float64), copay, signs, pop.size / panel.size
        )


def pressured_prices(
    world: World, offers: NDArray[np.intp], balance: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Expected price of a pressured sign-up at each balance, over the caller's listed `offers`.

    `canvass`'s rule averaged over the offers, which it draws at random: the offer's listed
    price, or `balance_anchor` of the balance within the offer's cap if more, never above the
    balance.
    """
    catalogue = world.offers
    caps = world.policy.cap(np.full(offers.size, np.inf), catalogue.topic[offers])
    anchored = np.minimum(world.params.market.balance_anchor * balance, caps[:, None])
    price = np.maximum(catalogue.price[offers][:, None], anchored)
    return np.minimum(price, balance).mean(axis=0)


def legal_sign_up_chances(world: World, panel: CallPanel) -> NDArray[np.float64]:
    """Chance each panel holder reached by a legal caller signs up this month.

    The same for every legal caller of the month (one success rate, last month's screening, this
    month's checkout), so it is worked out once for all of them.
    """
    success = world.params.market.canvassing_success
    return pressure_chance(world, success) * accepted_chance(world, PRESSURED, 0.0) * panel.signs


def expected_sign_ups(
    world: World,
    panel: CallPanel,
    chances: NDArray[np.float64],
    org: OrganisationLike,
    calls_national: float,
) -> tuple[float, float]:
    """A legal caller's expected month from its sign-ups: revenue and fair value (national).

    What `calls_national` should bring at this month's pressure, copayment and checkout, within
    the places the cohort has left: what its books read, as its honest sales do (ODD 7.5), so
    that neither its survival nor its members' choice under a canvassing ban swings with the few
    holders a small sample puts on the line.
    """
    offers = org.offers[world.offers.active[org.offers]]
    if offers.size == 0 or calls_national <= 0:
        return 0.0, 0.0
    reached = reach(world, calls_national) * panel.holders_per_row
    sign_ups = reached * float(chances.sum())
    share = min(1.0, max(0.0, org.places_left) / sign_ups) if sign_ups > 0 else 0.0
    paid = np.maximum(0.0, pressured_prices(world, offers, panel.balance) - panel.copay)
    fair = float(world.offers.fair_price[offers].mean())
    scale = world.scale * share * reached
    return scale * float((chances * paid).sum()), scale * float(chances.sum()) * fair


def canvass(
    world: World,
    org: OrganisationLike,
    calls_national: float,
    ceiling_national: float,
    success: float,
    network: NetworkLike | None,
    rng: np.random.Generator,
) -> None:
    """Phone canvassing: some vulnerable holders are pressured into the caller's course.

    A called holder learns of the CPF (`CALL_AWARENESS`) and, independently, may be pressured
    (`success x ease x vulnerability`, divided by how much holders screen calls: 1 + last
    month's calls per holder / `market.call_screening_load`). Only the called holders for whom
    one of the two may happen are drawn (`reached_and_lucky` with `either` and the caller's
    most calls, `ceiling_national`); each such holder's uniform then says which did, with the
    probabilities of two independent draws given that one of them came up.

    A legal caller signs no more holders than its courses have places left this month (those
    first in the month's queue, as on the platform). A network's shell delivers little or
    nothing to those it signs (as to its takeover and ghost dossiers), so its places bind only
    the honest buyers who find it on the platform.
    """
    org.calls += calls_national
    pop = world.population
    bound = pressure_chance(world, success)  # the most vulnerable's chance
    either = 1.0 - (1.0 - CALL_AWARENESS) * (1.0 - bound)
    targets, u = reached_and_lucky(world, calls_national, ceiling_national, either, 2, rng)
    # Given one came up: aware with CALL_AWARENESS / either; if aware, may be pressured with
    # `bound` (independent draws); if not, the pressure draw is the one that came up.
    aware = u[0] * either < CALL_AWARENESS
    pop.aware[targets[aware]] = True
    pressure = np.where(aware, bound, 1.0) * pop.vulnerability[targets]
    holders = targets[reachable(world, targets, MIN_TARGET_BALANCE_EUR) & (u[1] < pressure)]
    places = max(0, org.capacity_left)
    if network is None and holders.size > places:
        queue = holder_uniforms(world.streams.key("capacity", world.month, salt=1), holders)
        holders = np.sort(holders[np.argsort(queue)[:places]])
    if holders.size == 0:
        return
    offers = pick_offers(world, org, holders.size, rng)
    if offers is None:
        return
    anchor = world.params.market.balance_anchor
    prices = np.maximum(
        world.offers.price[offers], priced_to_balance(world, holders, offers, anchor)
    )
    prices = np.minimum(prices, pop.balance[holders])
    relevance = need_relevance(world, holders, offers)
    dossiers = Dossiers(holders, offers, prices, PRESSURED, relevance, network)
    signed = checkout(world, dossiers, rng)
    if network is None:
        org.capacity_left -= len(signed)
