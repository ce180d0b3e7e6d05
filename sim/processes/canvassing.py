"""Organisations' outreach (ODD §7.4): prices, lockdown moves online, canvassing calls.

Opportunists canvass while it is legal, and under a ban unless law-abiding or deterred by the
expected fine; each call may pressure a vulnerable holder into the caller's course.
"""

from __future__ import annotations

from sim.agents.outreach import canvass
from sim.agents.registry import listed_organisations
from sim.state.world import World


def run_canvassing(world: World) -> None:
    """Organisations price their catalogues; opportunists canvass (legal until banned).

    In a lockdown month organisations first move some in-person courses online.
    """
    market, month = world.params.market, world.month
    lockdown = world.in_lockdown
    for org in listed_organisations(world):
        if lockdown:
            org.go_remote(world.streams.get("remote", month, salt=org.unique_id))
        org.set_prices()
        org.decide_canvassing()
        if org.canvassing > 0 and org.network is None:
            calls = market.canvassing_calls * org.weight * org.canvassing
            rng = world.streams.get("canvassing", month, salt=org.unique_id)
            canvass(world, org, calls, market.canvassing_success, None, rng)
