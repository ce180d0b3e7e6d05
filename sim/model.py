"""The CPF market model: the world's state, its first agents, and the month's process list."""

from __future__ import annotations

import numpy as np

from sim.agents import regulator
from sim.agents.registry import open_network, open_organisation
from sim.core.domain import LEGAL_STRATEGIES
from sim.params import SimParams
from sim.processes.canvassing import run_canvassing
from sim.processes.courses import complete_courses
from sim.processes.discovery import discover_takeovers
from sim.processes.escrow import settle_escrow
from sim.processes.fraud import run_fraud_networks
from sim.processes.levers import LeverSet
from sim.processes.market import run_market_dynamics
from sim.processes.needs import arise_needs, seed_needs
from sim.processes.record import record_stocks
from sim.processes.rights import renew_rights
from sim.processes.search import run_search_and_checkout
from sim.processes.trust import drift_trust
from sim.state.world import World


class CPFModel(World):
    """One simulated CPF market from January 2019, advanced one month per `step`."""

    def __init__(self, params: SimParams) -> None:
        super().__init__(params)
        self.levers = LeverSet.from_params(params.regulation, self.n_months)
        self.recorder.add("credited_eur", 0, float(self.population.balance.sum()))
        self.levers.apply(self, 0)
        seed_needs(self)
        rng = self.streams.get("initialise", 0, salt=1)
        shares = np.array(params.market.strategy_shares)
        for strategy in rng.choice(
            len(LEGAL_STRATEGIES), size=params.organisation_agents, p=shares
        ):
            open_organisation(self, int(strategy))
        for _ in range(params.fraud.networks):  # one agent per real network at every size
            open_network(self)

    def step(self) -> None:
        """Advance one month (docs/ODD.md, 'Process overview').

        1. levers apply: this month's rules come into force (and lever actions run);
        2. rights: holders leave and are replaced; last year's rights are credited in April;
        3. awareness spreads and needs arise (genuine or induced by marketing) or fade;
        4. organisations set prices and decide whether to canvass; canvassing calls;
        5. fraud networks allocate effort and run takeovers, pressured sign-ups, ghost training;
        6. holders with a need search, choose among the offers shown, and check out;
        7. escrowed fraud dossiers face attendance checks; audits and delisting;
        8. courses end: completion or abandonment, payment on attendance, skills, trust;
        9. takeover victims discover and report; trust drifts with the news;
        10. market: books closed, exits, imitation, entry of organisations and networks;
        11. record the month's stocks.
        """
        if self.month > 0:
            self.levers.apply(self, self.month)
        renew_rights(self)
        arise_needs(self)
        run_canvassing(self)
        run_fraud_networks(self)
        run_search_and_checkout(self)
        settle_escrow(self)
        regulator.audit(self, self.month)
        complete_courses(self)
        discover_takeovers(self)
        drift_trust(self)
        run_market_dynamics(self)
        record_stocks(self)
        self.month += 1

    def run_all(self) -> None:
        """Run every month of the horizon."""
        while self.month < self.n_months:
            self.step()
