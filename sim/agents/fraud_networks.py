"""Fraud networks as Mesa agents: three channels chosen by realised returns, and learning.

A network runs account takeovers (phishing, then a purchase at its shell organisation),
pressured enrolments (canvassing into its shell's courses) and ghost training (straw holders
paid a kickback, attendance faked). It shifts effort toward the channel that paid best lately,
so a lever that closes one channel pushes effort into the others; experience raises its
success against controls ('professionalising in abuse').
"""

from __future__ import annotations

import mesa
import numpy as np

from sim.agents import regulator
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

DRAIN_SHARE = 0.95  # assumption: a takeover empties the account but for small change
GHOST_MIN_BALANCE_EUR = 500.0  # assumption: straw holders worth recruiting


class FraudNetwork(mesa.Agent):
    """A professional fraud network with a shell organisation on the platform."""

    model: World

    def __init__(self, model: World) -> None:
        super().__init__(model)
        self.experience = np.zeros(len(CHANNELS))
        self.successes = np.zeros(len(CHANNELS))
        self.practice = np.zeros(len(CHANNELS))
        self.shares = np.full(len(CHANNELS), 1.0 / len(CHANNELS))
        self.returns = np.ones(len(CHANNELS))
        self.revenue = np.zeros(len(CHANNELS))
        self.costs = 0.0
        self.profit = 0.0
        self.weight = model.params.network_weight
        """Real networks this agent stands for (several below 100,000 simulated holders)."""
        self.months_loss = 0
        self.sanctioned = 0.0
        """Real networks of this agent sanctioned this month (fines, delisted shells)."""
        self.shell: Organisation | None = None

    def ensure_shell(self) -> None:
        """Open a shell organisation if the network has none listed (it may fail Qualiopi)."""
        if self.shell is not None and self.shell.listed:
            return
        if self.shell is not None:  # the delisted shell is abandoned
            self.shell.remove()
            self.shell = None
        shell = Organisation(self.model, SHELL, network=self.unique_id)
        shell.weight = self.weight  # one shell per real network the agent stands for
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

    def act(self, pool: np.ndarray) -> None:
        """Run the three channels with this month's effort, each on its own random stream."""
        if self.shell is None:
            return
        f, model = self.model.params.fraud, self.model
        stream = lambda process: model.streams.get(process, model.month, salt=self.unique_id)  # noqa: E731
        contacts = f.contacts * self.weight * self.shares
        self.costs += f.contacts * self.weight * f.contact_cost_eur
        for channel, name in enumerate(CHANNELS):
            model.recorder.add(
                f"network_effort_{name}", model.month, contacts[channel] / model.scale
            )
        self.shell.canvassing = float(self.shares[PRESSURED_CHANNEL])
        self._take_over(contacts[TAKEOVER_CHANNEL], pool, stream("takeover"))
        canvass(
            model,
            self.shell,
            contacts[PRESSURED_CHANNEL],
            f.contacts * self.weight,
            f.canvassing_success,
            self,
            stream("canvassing"),
        )
        recruits = f.ghost_recruits * self.weight * self.shares[GHOST_CHANNEL] * len(CHANNELS)
        self._ghost_train(recruits, stream("ghost"))

    def _take_over(self, contacts: float, pool: np.ndarray, rng: np.random.Generator) -> None:
        model, f = self.model, self.model.params.fraud
        pop = model.population
        # Reached and lucky at the chance of the most vulnerable (vulnerability 1), then
        # hooked with the holder's vulnerability.
        most = f.contacts * self.weight  # all effort on this channel
        targets, u = reached_and_lucky(model, contacts, most, f.phishing_success, 1, rng)
        hooked = targets[~pop.compromised[targets] & (u[0] < pop.vulnerability[targets])]
        pop.compromised[hooked] = True
        model.rosters.add_compromised(hooked)
        model.recorder.add("phishing_victims", model.month, hooked.size)
        reused = pool[
            rng.random(pool.size)
            < f.reuse_compromised * self.weight / max(1.0, networks_active(model))
        ]
        holders = np.union1d(hooked[pop.balance[hooked] >= MIN_TARGET_BALANCE_EUR], reused)
        self._buy_at_shell(holders, TAKEOVER, rng)

    def _ghost_train(self, recruits: float, rng: np.random.Generator) -> None:
        model, f = self.model, self.model.params.fraud
        pop = model.population
        most = f.ghost_recruits * self.weight * len(CHANNELS)  # all effort on this channel
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

    def receive(self, amount: float, channel: int) -> None:
        """Book money paid (national euros) through one channel; ghost kickbacks are a cost."""
        self.revenue[channel] += amount
        if channel == GHOST_CHANNEL:
            self.costs += self.model.params.fraud.kickback_share * amount

    def record_success(self, channel: int, national: float) -> None:
        """Dossiers that went through the checkout in one channel (national count)."""
        self.successes[channel] += national

    def pay_fine(self, amount: float) -> None:
        """A fine on the network's shell is the network's loss."""
        self.costs += amount

    def pay_copayment(self, amount: float) -> None:
        """Copayments on takeover and ghost purchases come out of the network's pocket."""
        self.costs += amount

    def settle(self) -> None:
        """Close the month: profit, returns per channel, experience."""
        f = self.model.params.fraud
        effort = np.maximum(self.shares * f.contacts * self.weight, 1.0)
        self.returns = 0.7 * self.returns + 0.3 * self.revenue / effort
        month_profit = float(self.revenue.sum()) - self.costs
        self.profit = 0.7 * self.profit + 0.3 * month_profit
        # Exit on smoothed profit, as organisations do: at small simulated populations a
        # network's monthly catch is a handful of holders, and a run of empty months must not
        # read as a failing business.
        self.months_loss = self.months_loss + 1 if self.profit <= 0 else 0
        # Learning by doing: experience in a channel grows with recent successful dossiers there
        # (smoothed; at half speed for `learning_half_successes` a month), not with the calendar.
        self.practice = 0.7 * self.practice + 0.3 * self.successes
        speed = self.practice / (self.practice + f.learning_half_successes)
        self.experience += f.learning_rate * speed * (1 - self.experience)
        self.successes[:] = 0.0
        self.revenue[:] = 0.0
        self.costs = 0.0

    def wants_to_exit(self, rng: np.random.Generator) -> bool:
        """Leave after persistent losses; each sanctioned network leaves with some probability.

        Below 100,000 simulated holders an agent stands for several networks: only those
        sanctioned may leave, so a sanction does not end several networks at once.
        """
        f = self.model.params.fraud
        if self.sanctioned > 0:
            caught = max(1, round(min(self.sanctioned, self.weight)))
            self.sanctioned = 0.0
            leaving = int(rng.binomial(caught, f.sanction_exit))
            if leaving >= round(self.weight):
                return True
            self.weight -= leaving
            if self.shell is not None:
                self.shell.weight = min(self.shell.weight, self.weight)
        return self.months_loss >= f.loss_exit_months

    def leave(self) -> None:
        """Dissolve the network and its shell."""
        if self.shell is not None:
            self.shell.delist()
            self.shell.remove()
            self.shell = None
        self.remove()
