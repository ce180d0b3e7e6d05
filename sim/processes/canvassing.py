"""Organisations' month on the supply side (ODD §7.5, §7.11): delivery, places, prices, canvassing.

In a lockdown month some in-person courses move online; afterwards they drift back. Each
organisation opens its places for the month (capacity), prices its catalogue, and opportunists
decide how much to canvass (legal until banned, then a risk-based choice of each member); each
call may pressure a vulnerable holder into the caller's course. A legal caller's books read what
its calls should bring (`expected_sign_ups`), not the few sign-ups the sample draws.
"""

from __future__ import annotations

from sim.agents.outreach import (
    CALLER_PANEL_HOLDERS,
    CallPanel,
    canvass,
    expected_sign_ups,
    legal_sign_up_chances,
)
from sim.agents.registry import listed_organisations
from sim.state.world import World


def run_canvassing(world: World) -> None:
    """Delivery mode, capacity, prices and canvassing of every listed organisation."""
    market, month = world.params.market, world.month
    orgs = listed_organisations(world)
    lockdown, reopened = world.in_lockdown, world.month > world.context.last_lockdown
    panel = CallPanel.read(world, CALLER_PANEL_HOLDERS)
    chances = legal_sign_up_chances(world, panel)
    delivery = market.delivery_cost_share
    for org in orgs:
        if lockdown:
            org.go_remote(world.streams.get("remote", month, salt=org.unique_id))
        elif reopened and world.offers.converted[org.offers].any():
            org.return_in_person(world.streams.get("remote", month, salt=org.unique_id))
        org.open_capacity()
        org.set_prices()
        org.decide_canvassing()
        if org.canvassing > 0 and org.network is None:
            calls = market.canvassing_calls * org.weight * org.canvassing
            most = market.canvassing_calls * world.params.organisations_per_agent
            revenue, fair = expected_sign_ups(world, panel, chances, org, calls)
            org.book_expected_pressure(revenue, fair * delivery[org.strategy])
            rng = world.streams.get("canvassing", month, salt=org.unique_id)
            canvass(world, org, calls, most, market.canvassing_success, None, rng)
