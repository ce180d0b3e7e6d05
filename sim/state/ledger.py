"""The money books: payments to organisations, recoveries, refunds, restored rights, escrow.

Amounts come in simulated euros and are recorded as such (the recorder scales them once);
organisations' and networks' own books are in national euros. No decision is taken here.

Fraud loss is money obtained by fraud: takeovers, ghost training and the networks' pressured
sign-ups (sold through their shells). A legal organisation's hard selling is paid for a course
that is delivered: it is public spending (`hard_selling_spend_eur`), its harm to the holder is
valued at the checkout, and it is not fraud loss.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.core.domain import CHANNELS, KINDS, LEGIT, PRESSURED, SHELL
from sim.state.world import World


def pay(world: World, offers: NDArray[np.intp], amounts: NDArray[np.float64], kind: int) -> None:
    """Pay organisations for enrolments of one kind (simulated euros in, books in national).

    Money paid to a network's shell is fraud (the network keeps its books on its expected catch,
    sim/agents/fraud_books.py).
    """
    if offers.size == 0:
        return
    rec, month = world.recorder, world.month
    total = float(amounts.sum())
    rec.add("payments_eur", month, total)
    rec.add("spend_eur", month, total)
    shell = world.offers.strategy[offers] == SHELL
    fraud = float(amounts[shell].sum()) if kind == PRESSURED else total
    if kind == LEGIT:
        rec.add("legit_spend_eur", month, total)
    else:
        rec.add("fraud_loss_eur", month, fraud)
        rec.add(f"fraud_loss_{KINDS[kind]}_eur", month, fraud)
        rec.add("hard_selling_spend_eur", month, total - fraud)
    org_ids = world.offers.organisation[offers]
    delivery_share = np.array(world.params.market.delivery_cost_share)
    for org_id in np.unique(org_ids).tolist():
        org = world.org_by_id.get(org_id)
        if org is None:
            continue
        mine = org_ids == org_id
        revenue = float(amounts[mine].sum()) * world.scale
        delivery = float(world.offers.fair_price[offers[mine]].sum()) * world.scale
        cost = delivery * delivery_share[org.strategy]
        if kind == LEGIT or org.network is None:  # honest sales and legal hard selling
            org.receive(revenue, cost, None)
            if kind == PRESSURED:
                org.pressured_revenue += revenue
                org.pressured_cost += cost
            continue
        org.receive(revenue, cost, kind - 1)


def recover(world: World, by_channel: NDArray[np.float64]) -> None:
    """Money clawed back from a sanctioned organisation (simulated euros per channel)."""
    rec, month = world.recorder, world.month
    total = float(by_channel.sum())
    rec.add("recovered_eur", month, total)
    rec.add("spend_eur", month, -total)
    rec.add("fraud_loss_eur", month, -total)
    for channel, amount in zip(CHANNELS, by_channel.tolist(), strict=True):
        rec.add(f"fraud_loss_{channel}_eur", month, -amount)


def refund(world: World, holders: NDArray[np.intp], amounts: NDArray[np.float64]) -> None:
    """Escrowed rights not paid out go back to the holders' balances."""
    np.add.at(world.population.balance, holders, amounts)
    world.recorder.add("escrow_refunded_eur", world.month, float(amounts.sum()))


def restore_rights(world: World, holders: NDArray[np.intp], amounts: NDArray[np.float64]) -> None:
    """Victims' rights re-credited by the platform (public money, not recovered)."""
    np.add.at(world.population.balance, holders, amounts)
    world.recorder.add("restored_eur", world.month, float(amounts.sum()))


def release_escrow(
    world: World, holders: NDArray[np.intp], offers: NDArray[np.intp], completed: NDArray[np.bool_]
) -> None:
    """Pay escrowed courses that ended (in full if completed, in part if abandoned)."""
    pop = world.population
    escrow = pop.enrol_escrow[holders]
    if not escrow.any():
        return
    paid = escrow * np.where(completed, 1.0, world.params.platform.attendance_paid_if_abandoned)
    kinds = pop.enrol_kind[holders]
    for kind in (LEGIT, PRESSURED):
        mine = (kinds == kind) & (paid > 0)
        pay(world, offers[mine], paid[mine], kind)
    refund(world, holders, escrow - paid)
    pop.enrol_escrow[holders] = 0.0
