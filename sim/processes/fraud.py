"""Fraud networks at work (ODD §7.5, §7.12): shells, effort across channels, the month's schemes."""

from __future__ import annotations

from sim.agents.registry import fraud_networks
from sim.state.world import World


def run_fraud_networks(world: World) -> None:
    """Each network secures a shell, re-allocates its effort and works its channels."""
    pop = world.population
    pool = world.rosters.still_compromised(pop)
    pool = pool[pop.balance[pool] >= 300.0]
    for network in fraud_networks(world):
        network.ensure_shell()
        network.allocate()
        network.act(pool)
