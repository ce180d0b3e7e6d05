"""A fraud network's expected catch: what a month's contacts should bring, by channel (ODD 7.12).

A network agent stands for one or a few real networks whose contacts reach thousands of holders
a month; below 100,000 simulated holders its sample yields a victim every few months. Deciding
on those few made networks leave after a run of empty months (model v2.4 at 20,000 holders: the
January 2019 agent left in June 2019 in 6 of 8 seeds). As organisations' cohorts do with their
expected sales (sim/processes/search.py), a network keeps its books on the expectation of what
its contacts bring: per channel, the chance that a reached holder becomes a dossier
(vulnerability, balance, already in a course or compromised), the chance that the dossier passes
this month's controls at the network's experience (identity, copayment, screening, attendance),
and the money it brings (the shell's prices on the holder's balance, within the caps, less the
copayment). The realised dossiers still make every output; the network's decisions (returns,
profit, exit, entry, learning) read the expectation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.agents.outreach import (
    MIN_TARGET_BALANCE_EUR,
    CallPanel,
    pressure_chance,
    pressured_prices,
    reach,
    reachable,
)
from sim.core.domain import (
    CHANNELS,
    GHOST_CHANNEL,
    PRESSURED_CHANNEL,
    TAKEOVER_CHANNEL,
)
from sim.platform.checkout import accepted_chance, attendance_pass_chance, copayment_due
from sim.state.actors import OrganisationLike
from sim.state.world import World

DRAIN_SHARE = 0.95  # assumption: a takeover empties the account but for small change
GHOST_MIN_BALANCE_EUR = 500.0  # assumption: straw holders worth recruiting


@dataclass(frozen=True)
class Prospects:
    """The month's holders as the networks see them, read on a panel of rows."""

    balance: NDArray[np.float64]
    copay: NDArray[np.float64]
    """Copayment each panel holder would be charged (0 when exempt)."""
    chance: NDArray[np.float64]
    """Per channel and panel holder: chance a contact that reaches the holder yields a dossier
    at the checkout (the pressured channel's includes signing despite the copayment)."""
    holders_per_row: float
    reusable_balance: NDArray[np.float64]
    """Balances of the compromised accounts still worth trying again (all of them)."""
    reusable_copay: NDArray[np.float64]


@dataclass(frozen=True)
class Catch:
    """One network's expected month, by channel, in national units."""

    revenue: NDArray[np.float64]
    """Money paid to the shell (euros)."""
    copayments: NDArray[np.float64]
    """Copayments the network pays on takeover and ghost purchases (euros)."""
    dossiers: NDArray[np.float64]
    """Dossiers accepted at the checkout (count): the network's practice."""

    @classmethod
    def none(cls) -> Catch:
        """A month without contacts (no shell listed)."""
        zero = np.zeros(len(CHANNELS))
        return cls(zero, zero.copy(), zero.copy())


def read_prospects(world: World, reusable: NDArray[np.intp]) -> Prospects:
    """The month's chances per reached holder, on the panel, before any network acts."""
    pop, f = world.population, world.params.fraud
    panel = CallPanel.read(world)
    vulnerability = pop.vulnerability[panel.rows].astype(np.float64)
    chance = np.empty((len(CHANNELS), panel.rows.size))
    chance[TAKEOVER_CHANNEL] = (
        f.phishing_success
        * vulnerability
        * ((panel.balance >= MIN_TARGET_BALANCE_EUR) & ~pop.compromised[panel.rows])
    )
    chance[PRESSURED_CHANNEL] = pressure_chance(world, f.canvassing_success) * panel.signs
    chance[GHOST_CHANNEL] = (
        f.ghost_acceptance
        * np.minimum(1.0, 2 * vulnerability)
        * reachable(world, panel.rows, GHOST_MIN_BALANCE_EUR)
    )
    return Prospects(
        panel.balance,
        panel.copay,
        chance,
        panel.holders_per_row,
        pop.balance[reusable].astype(np.float64),
        copayment_due(world, reusable),
    )


def expected_catch(
    world: World,
    prospects: Prospects,
    shell: OrganisationLike,
    experience: NDArray[np.float64],
    contacts: NDArray[np.float64],
    reuse: float,
) -> Catch:
    """What `contacts` (national, per channel) should bring a network with this shell.

    `reuse` is the chance that each compromised account still worth trying is tried again by
    this network this month.
    """
    offers = shell.offers[world.offers.active[shell.offers]]
    if offers.size == 0:
        return Catch.none()
    policy = world.policy
    caps = policy.cap(np.full(offers.size, np.inf), world.offers.topic[offers])
    price = np.zeros((len(CHANNELS), prospects.balance.size))
    reused_price = np.zeros(prospects.reusable_balance.size)
    for cap in np.unique(caps):  # drained accounts, averaged over the shell's listed offers
        share = float(np.mean(caps == cap))
        drained = np.minimum(DRAIN_SHARE * prospects.balance, cap)
        price[TAKEOVER_CHANNEL] += share * drained
        price[GHOST_CHANNEL] += share * drained
        reused_price += share * np.minimum(DRAIN_SHARE * prospects.reusable_balance, cap)
    price[PRESSURED_CHANNEL] = pressured_prices(world, offers, prospects.balance)
    paid = np.maximum(0.0, price - prospects.copay)
    copaid = np.minimum(prospects.copay, price)
    reached = np.array([reach(world, float(c)) for c in contacts]) * prospects.holders_per_row
    dossiers = reached * prospects.chance.sum(axis=1)
    money = reached * (prospects.chance * paid).sum(axis=1)
    copays = reached * (prospects.chance * copaid).sum(axis=1)
    copays[PRESSURED_CHANNEL] = 0.0  # a pressured holder pays their own copayment
    dossiers[TAKEOVER_CHANNEL] += reuse * prospects.reusable_balance.size
    money[TAKEOVER_CHANNEL] += reuse * float(
        np.maximum(0.0, reused_price - prospects.reusable_copay).sum()
    )
    copays[TAKEOVER_CHANNEL] += reuse * float(
        np.minimum(prospects.reusable_copay, reused_price).sum()
    )
    accepted = np.array(
        [accepted_chance(world, channel + 1, float(e)) for channel, e in enumerate(experience)]
    )
    paid_out = accepted.copy()
    if policy.payment_on_attendance:  # takeover and ghost purchases wait for attendance
        for channel in (TAKEOVER_CHANNEL, GHOST_CHANNEL):
            paid_out[channel] *= float(attendance_pass_chance(world, experience[channel]))
    scale = world.scale
    return Catch(money * paid_out * scale, copays * accepted * scale, dossiers * accepted * scale)
