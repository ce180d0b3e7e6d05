"""Fraud networks as Mesa agents: three channels chosen by their returns, and learning.

A network runs account takeovers (phishing, then a purchase at its shell organisation),
pressured enrolments (canvassing into its shell's courses) and ghost training (straw holders
paid a kickback, attendance faked). It shifts effort toward the channel that paid best lately,
so a lever that closes one channel pushes effort into the others; experience raises its
success against controls ('professionalising in abuse'). Its books read the expected catch of
its contacts (sim/agents/fraud_books.py), not the handful of simulated victims.
"""

from __future__ import annotations

import mesa
import numpy as np

from sim.agents import regulator
from sim.agents.fraud_books import (
    DRAIN_SHARE,
    GHOST_MIN_BALANCE_EUR,
    Catch,
    Prospects,
    expected_catch,
)
from sim.agents.organisations import Organisation
from sim.agents.outreach import (
    MIN_TARGET_BALANCE_EUR,
    canvass,
    need_relevance,
    pick_offers,
    priced_to_balance,
    reachable,
    reached_and_lucky,
)
from sim.core.domain import (
    CHANNELS,
    GHOST,
    GHOST_CHANNEL,
    PRESSURED_CHANNEL,
    SHELL,
    TAKEOVER,
    TAKEOVER_CHANNEL,
)
from sim.platform.checkout import Dossiers, checkout
from sim.state.world import World, networks_active


class FraudNetwork(mesa.Agent):
    """A professional fraud network with a shell organisation on the platform."""

    model: World

    def __init__(self, model: World) -> None:
        super().__init__(model)
        self.experience = np.zeros(len(CHANNELS))
        self.practice = np.zeros(len(CHANNELS))
        self.shares = np.full(len(CHANNELS), 1.0 / len(CHANNELS))
        self.returns = np.ones(len(CHANNELS))
        self.catch = Catch.none()
        """This month's expected catch of the network's contacts (its books)."""
        self.costs = 0.0
        self.profit = 0.0
        self.months_loss = 0
        self.sanctioned = 0.0
        """Sanctions on the network this month (fines, a delisted shell)."""
        self.shell: Organisation | None = None

    def ensure_shell(self) -> None:
        """Open a shell organisation if the network has none listed (it may fail Qualiopi)."""
        if self.shell is not None and self.shell.listed:
            return
        if self.shell is not None:  # the delisted shell is abandoned
            self.shell.remove()
            self.shell = None
        shell = Organisation(self.model, SHELL, network=self.unique_id)
        regulator.admit(self.model, shell)
        if not shell.listed:
            shell.remove()
            self.shell = None
            return
        shell.open_capacity()
        self.shell = shell

    def allocate(self) -> None:
        """Share effort across channels by recent return per unit of effort (softmax)."""
        f = self.model.params.fraud
        relative = self.returns / max(float(self.returns.max()), 1e-9)
        weights = np.exp(f.channel_temperature * relative)
        self.shares = f.exploration + (1 - len(CHANNELS) * f.exploration) * weights / weights.sum()

    def act(self, pool: np.ndarray, prospects: Prospects) -> None:
        """Run the three channels with this month's effort, each on its own random stream."""
        if self.shell is None:
            return
        f, model = self.model.params.fraud, self.model
        stream = lambda process: model.streams.get(process, model.month, salt=self.unique_id)  # noqa: E731
        contacts = f.contacts * self.shares
        recruits = f.ghost_recruits * self.shares[GHOST_CHANNEL] * len(CHANNELS)
        self.costs += f.contacts * f.contact_cost_eur
        for channel, name in enumerate(CHANNELS):
            model.recorder.add(
                f"network_effort_{name}", model.month, contacts[channel] / model.scale
            )
        approaches = contacts.copy()  # ghost training approaches straw recruits, not contacts
        approaches[GHOST_CHANNEL] = recruits
        self.catch = expected_catch(
            model, prospects, self.shell, self.experience, approaches, self._reuse_chance()
        )
        self.shell.canvassing = float(self.shares[PRESSURED_CHANNEL])
        self._take_over(contacts[TAKEOVER_CHANNEL], pool, stream("takeover"))
        canvass(
            model,
            self.shell,
            contacts[PRESSURED_CHANNEL],
            f.contacts,
            f.canvassing_success,
            self,
            stream("canvassing"),
        )
        self._ghost_train(recruits, stream("ghost"))

    def _reuse_chance(self) -> float:
        """Chance each compromised account still worth trying is tried again by this network."""
        share = 1.0 / max(1, networks_active(self.model))
        return min(1.0, self.model.params.fraud.reuse_compromised * share)

    def _take_over(self, contacts: float, pool: np.ndarray, rng: np.random.Generator) -> None:
        model, f = self.model, self.model.params.fraud
        pop = model.population
        # Reached and lucky at the chance of the most vulnerable (vulnerability 1), then
        # hooked with the holder's vulnerability.
        most = f.contacts  # all effort on this channel
        targets, u = reached_and_lucky(model, contacts, most, f.phishing_success, 1, rng)
        hooked = targets[~pop.compromised[targets] & (u[0] < pop.vulnerability[targets])]
        pop.compromised[hooked] = True
        model.rosters.add_compromised(hooked)
        model.recorder.add("phishing_victims", model.month, hooked.size)
        reused = pool[rng.random(pool.size) < self._reuse_chance()]
        holders = np.union1d(hooked[pop.balance[hooked] >= MIN_TARGET_BALANCE_EUR], reused)
        self._buy_at_shell(holders, TAKEOVER, rng)

    def _ghost_train(self, recruits: float, rng: np.random.Generator) -> None:
        model, f = self.model, self.model.params.fraud
        pop = model.population
        most = f.ghost_recruits * len(CHANNELS)  # all effort on this channel
        targets, u = reached_and_lucky(model, recruits, most, f.ghost_acceptance, 1, rng)
        accept = reachable(model, targets, GHOST_MIN_BALANCE_EUR) & (
            u[0] < np.minimum(1.0, 2 * pop.vulnerability[targets])
        )
        self._buy_at_shell(targets[accept], GHOST, rng)

    def _buy_at_shell(self, holders: np.ndarray, kind: int, rng: np.random.Generator) -> None:
        if self.shell is None or holders.size == 0:
            return
        offers = pick_offers(self.model, self.shell, holders.size, rng)
        if offers is None:
            return
        prices = priced_to_balance(self.model, holders, offers, DRAIN_SHARE)
        relevance = need_relevance(self.model, holders, offers)
        checkout(self.model, Dossiers(holders, offers, prices, kind, relevance, self), rng)

    def pay_fine(self, amount: float) -> None:
        """A fine on the network's shell is the network's loss."""
        self.costs += amount

    def settle(self) -> None:
        """Close the month on the expected catch: net returns per channel, profit, experience."""
        f, catch = self.model.params.fraud, self.catch
        effort = np.maximum(self.shares * f.contacts, 1.0)
        net = catch.revenue - catch.copayments
        net[GHOST_CHANNEL] -= f.kickback_share * catch.revenue[GHOST_CHANNEL]
        self.returns = 0.7 * self.returns + 0.3 * net / effort
        month_profit = float(net.sum()) - self.costs
        self.profit = 0.7 * self.profit + 0.3 * month_profit
        self.months_loss = self.months_loss + 1 if self.profit <= 0 else 0
        # Learning by doing: experience in a channel grows with recent accepted dossiers there
        # (smoothed; at half speed for `learning_half_successes` a month), not with the calendar.
        self.practice = 0.7 * self.practice + 0.3 * catch.dossiers
        speed = self.practice / (self.practice + f.learning_half_successes)
        self.experience += f.learning_rate * speed * (1 - self.experience)
        self.catch = Catch.none()
        self.costs = 0.0

    def wants_to_exit(self, rng: np.random.Generator) -> bool:
        """Leave after persistent losses, or with some probability once sanctioned."""
        f = self.model.params.fraud
        if self.sanctioned > 0:
            self.sanctioned = 0.0
            if rng.binomial(1, f.sanction_exit):
                return True
        return self.months_loss >= f.loss_exit_months

    def leave(self) -> None:
        """Dissolve the network and its shell."""
        if self.shell is not None:
            self.shell.delist()
            self.shell.remove()
            self.shell = None
        self.remove()
