"""Fraud networks at work (ODD §7.5, §7.12): shells, effort across channels, the month's schemes."""

from __future__ import annotations

from sim.agents.fraud_books import read_prospects
from sim.agents.outreach import MIN_TARGET_BALANCE_EUR
from sim.agents.registry import fraud_networks
from sim.state.world import World


def run_fraud_networks(world: World) -> None:
    """Each network secures a shell, re-allocates its effort and works its channels.

    The prospects every network's books read are taken once, before any of them acts.
    """
    pop = world.population
    pool = world.rosters.still_compromised(pop)
    pool = pool[pop.balance[pool] >= MIN_TARGET_BALANCE_EUR]
    prospects = read_prospects(world, pool)
    for network in fraud_networks(world):
        network.ensure_shell()
        network.allocate()
        network.act(pool, prospects)
