"""Record the month's stocks (ODD §7.11), and the market signals read next month."""

from __future__ import annotations

import numpy as np

from sim.core.domain import STRATEGIES
from sim.state.world import World


def record_stocks(world: World) -> None:
    """Stocks at the end of the month."""
    rec, pop, m = world.recorder, world.population, world.month
    rec.set("mean_trust", m, float(pop.trust.mean()))
    rec.set("mean_balance_eur", m, float(pop.balance.mean()))
    rec.set("balances_eur", m, float(pop.balance.sum()))
    rec.set("escrow_eur", m, float(pop.enrol_escrow.sum()) + world.fraud_files.escrow_eur)
    rec.set("aware_share", m, float(pop.aware.mean()))
    rec.set("compromised_accounts", m, float(pop.compromised.sum()))
    listed = world.listed_organisations()
    rec.set("organisations_active", m, sum(o.weight for o in listed))
    for code, name in enumerate(STRATEGIES):
        rec.set(
            f"organisations_active_{name}",
            m,
            sum(o.weight for o in listed if o.strategy == code),
        )
    networks = world.fraud_networks()
    rec.set("fraud_networks_active", m, float(len(networks)))
    rec.set(
        "mean_network_experience",
        m,
        float(np.mean([n.experience for n in networks])) if networks else 0.0,
    )
    active = world.offers.active_ids()
    rec.set("mean_price_eur", m, float(world.offers.price[active].mean()) if active.size else 0.0)
    world.signals.remote_listed_share = (
        float(world.offers.remote[active].mean()) if active.size else 0.0
    )
