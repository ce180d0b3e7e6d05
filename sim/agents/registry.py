"""The agents of a world: typed access to them, and new ones entering the market.

The world stores agents through the protocols of sim/state/actors.py; the processes, which sit
above the agents, get them back here with their full type.
"""

from __future__ import annotations

from typing import cast

from sim.agents import regulator
from sim.agents.fraud_networks import FraudNetwork
from sim.agents.organisations import Organisation
from sim.state.world import World


def open_organisation(world: World, strategy: int) -> Organisation:
    """A new cohort; under Qualiopi and registration checks only its members who pass enter."""
    org = Organisation(world, strategy)
    regulator.admit(world, org)
    return org


def open_network(world: World) -> FraudNetwork:
    """A new fraud network (it opens its shell at its first month of activity)."""
    network = FraudNetwork(world)
    world.network_by_id[network.unique_id] = network
    return network


def organisations(world: World) -> list[Organisation]:
    """Organisation agents not yet removed, in order of creation."""
    return cast(list[Organisation], world.organisations())


def listed_organisations(world: World) -> list[Organisation]:
    """Organisations currently selling on the platform."""
    return cast(list[Organisation], world.listed_organisations())


def fraud_networks(world: World) -> list[FraudNetwork]:
    """Active fraud networks, in order of entry."""
    return cast(list[FraudNetwork], world.fraud_networks())
