"""The world: every piece of state that processes and agents read or write, and no decision.

`World` is the Mesa model object the agents register with (Mesa's agent registry is state too),
but it holds no step and builds no agent: `sim.model.CPFModel` adds those on top. Processes
(sim/processes/) are functions of a World; agents (sim/agents/) are typed against it, never
against the model, so every submodel can be exercised on a small World alone.
"""

from __future__ import annotations

import mesa
import numpy as np
from numpy.typing import NDArray

from sim.core.streams import Streams
from sim.params import SimParams
from sim.state.actors import NetworkLike, OrganisationLike
from sim.state.context import Context
from sim.state.fraud_files import FraudFiles
from sim.state.offers import Offers
from sim.state.policy import Policy
from sim.state.population import Population
from sim.state.recorder import Recorder
from sim.state.rosters import Rosters
from sim.state.signals import Signals
from sim.state.trust import TrustBook


def networks_active(world: World) -> int:
    """Fraud networks active (one agent each)."""
    return len(world.network_by_id)


class World(mesa.Model):
    """One simulated CPF market's state at the current `month`."""

    def __init__(self, params: SimParams) -> None:
        super().__init__(rng=params.seed)
        self.params = params
        self.streams = Streams(params.seed)
        self.n_months = params.n_months
        self.month = 0
        self.scale = params.population.scale
        self.policy = Policy()
        self.population = Population.create(params.population, self.streams.get("initialise", 0))
        self.rosters = Rosters(self.population)
        self.trust = TrustBook(
            params.population.holders, params.population.trust_initial, self.n_months
        )
        self.offers = Offers()
        self.recorder = Recorder(self.n_months)
        self.fraud_files = FraudFiles()
        self.reports: dict[int, float] = {}
        """Reports and alerts per organisation agent since the last audit (national counts)."""
        self.org_by_id: dict[int, OrganisationLike] = {}
        """Every organisation agent ever created (payments may reach one after it left)."""
        self.network_by_id: dict[int, NetworkLike] = {}
        """Active fraud networks, in order of entry."""
        self.context = Context.from_params(params.context)
        self.signals = Signals(buyer_balance=float(self.population.balance.mean()))

    # ------------------------------------------------------------- registries
    def organisations(self) -> list[OrganisationLike]:
        """Organisation agents not yet removed (listed or not), in order of creation."""
        return [o for o in self.org_by_id.values() if not o.removed]

    def listed_organisations(self) -> list[OrganisationLike]:
        """Organisations currently selling on the platform."""
        return [o for o in self.organisations() if o.listed]

    def fraud_networks(self) -> list[NetworkLike]:
        """Active fraud networks."""
        return list(self.network_by_id.values())

    def network_experience(self, network_id: int, channel: int) -> float:
        """Experience of a network in one channel (0 if it has left)."""
        network = self.network_by_id.get(network_id)
        return float(network.experience[channel]) if network is not None else 0.0

    # ------------------------------------------------------------- dated facts
    @property
    def platform_ease(self) -> float:
        """How easy buying on the platform is this month (see `Context.platform_ease`)."""
        return self.context.platform_ease(self.month, self.params.behaviour)

    @property
    def in_lockdown(self) -> bool:
        """In-person courses are closed this month."""
        return self.month in self.context.lockdowns

    def course_is_remote(self, offers: NDArray[np.intp]) -> NDArray[np.bool_]:
        """Remote delivery: remote offers, and everything during a lockdown month."""
        if self.in_lockdown:
            return np.ones(offers.size, dtype=bool)
        return self.offers.remote[offers]

    # ------------------------------------------------------------- the regulators' inbox
    def note_reports(self, offers: NDArray[np.intp]) -> None:
        """Reports or alerts about the organisations selling `offers` (national counts)."""
        if offers.size == 0:
            return
        orgs, counts = np.unique(self.offers.organisation[offers], return_counts=True)
        for org, count in zip(orgs.tolist(), counts.tolist(), strict=True):
            self.reports[org] = self.reports.get(org, 0.0) + count * self.scale
