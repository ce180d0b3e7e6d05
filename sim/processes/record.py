"""Record the month's stocks (ODD §4, Observation)."""

from __future__ import annotations

import numpy as np

from sim.core.domain import STRATEGIES
from sim.state.world import World, networks_active


def record_stocks(world: World) -> None:
    """Stocks at the end of the month."""
    rec, pop, month = world.recorder, world.population, world.month
    balances = float(pop.balance.sum())
    rec.set("mean_trust", month, world.trust.mean())
    rec.set("mean_balance_eur", month, balances / pop.size)
    rec.set("balances_eur", month, balances)
    in_course = pop.enrol_escrow[world.rosters.enrolled()]  # escrow is only held in a course
    rec.set("escrow_eur", month, float(in_course.sum()) + world.fraud_files.escrow_eur)
    rec.set("aware_share", month, np.count_nonzero(pop.aware) / pop.size)
    rec.set("compromised_accounts", month, float(world.rosters.still_compromised(pop).size))
    listed = world.listed_organisations()
    rec.set("organisations_active", month, sum(o.weight for o in listed))
    for code, name in enumerate(STRATEGIES):
        rec.set(
            f"organisations_active_{name}",
            month,
            sum(o.weight for o in listed if o.strategy == code),
        )
    networks = world.fraud_networks()
    rec.set("fraud_networks_active", month, networks_active(world))
    rec.set(
        "mean_network_experience",
        month,
        float(np.mean([n.experience for n in networks])) if networks else 0.0,
    )
    active = world.offers.active_ids()
    rec.set(
        "mean_price_eur", month, float(world.offers.price[active].mean()) if active.size else 0.0
    )
