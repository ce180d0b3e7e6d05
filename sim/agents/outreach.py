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

import numpy as np
from numpy.typing import NDArray

from sim.core.domain import NOT_ENROLLED, PRESSURED, SELF_EMPLOYED, TOPIC_RELEVANCE
from sim.core.events import bernoulli_rows, outside
from sim.platform.checkout import Dossiers, checkout
from sim.state.actors import NetworkLike, OrganisationLike
from sim.state.world import World

MIN_TARGET_BALANCE_EUR = 300.0  # assumption: callers do not bother with smaller balances
CALL_AWARENESS = 0.1  # assumption: share of called holders who learn they can use their CPF


def reach(world: World, national: float) -> float:
    """Chance that a given holder is reached by `national` contacts this month (at least once)."""
    return -math.expm1(-max(0.0, national) / world.scale / world.population.size)


def reached_and_lucky(
    world: World, national: float, bound: float, rng: np.random.Generator
) -> NDArray[np.int64]:
    """Sorted holders reached by `national` contacts whose outcome draw falls below `bound`.

    Thinning these by (the outcome's chance / `bound`) gives exactly the holders for whom a
    contact led to the outcome.
    """
    return bernoulli_rows(rng, world.population.size, reach(world, national) * bound)


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


def canvass(
    world: World,
    org: OrganisationLike,
    calls_national: float,
    success: float,
    network: NetworkLike | None,
    rng: np.random.Generator,
) -> None:
    """Phone canvassing: some vulnerable holders are pressured into the caller's course.

    A legal caller signs no more holders than its courses have places left this month. A
    network's shell delivers little or nothing to those it signs (as to its takeover and ghost
    dossiers), so its places bind only the honest buyers who find it on the platform.
    """
    org.calls += calls_national
    pop = world.population
    # Reached holders whose call may pressure them (`bound`: the most vulnerable's chance);
    # of the others reached, those who learn of their CPF from the call, drawn apart.
    bound = min(1.0, success * world.platform_ease)
    targets = reached_and_lucky(world, calls_national, bound, rng)
    u = rng.random((2, targets.size))
    pop.aware[targets[u[0] < CALL_AWARENESS]] = True
    q = reach(world, calls_national)
    aware_elsewhere = CALL_AWARENESS * q * (1 - bound) / (1 - q * bound) if q * bound < 1 else 0
    told = bernoulli_rows(rng, pop.size, aware_elsewhere)
    pop.aware[outside(told, targets)] = True
    pressured = reachable(world, targets, MIN_TARGET_BALANCE_EUR) & (
        u[1] * bound < success * world.platform_ease * pop.vulnerability[targets]
    )
    holders = targets[pressured]
    if network is None and holders.size > max(0, org.capacity_left):  # a random few
        holders = np.sort(rng.choice(holders, max(0, org.capacity_left), replace=False))
    if holders.size == 0:
        return
    offers = pick_offers(world, org, holders.size, rng)
    if offers is None or holders.size == 0:
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
