"""Training organisations as Mesa agents: catalogue, prices, marketing, canvassing, survival.

Each agent stands for a cohort of `weight` similar real organisations (see docs/ODD.md), so the
ecology of strategies does not depend on how many holders are simulated. Money on this side is
in national euros for the whole cohort; decisions compare amounts per real organisation.
"""

from __future__ import annotations

import math

import mesa
import numpy as np
from numpy.typing import NDArray

from sim.core.domain import (
    BUSINESS_CREATION,
    CHANNELS,
    GENERALIST,
    N_TOPICS,
    OPPORTUNIST,
    QUALITY,
    SHELL,
    STRATEGIES,
)
from sim.core.events import holder_uniforms
from sim.state.world import World

BASE_MARKETING_EUR = 300.0  # assumption: monthly listing upkeep and minimal promotion, per org
HISTORY_MONTHS = 6


class Organisation(mesa.Agent):
    """A cohort of training organisations following one strategy."""

    model: World

    def __init__(self, model: World, strategy: int, network: int | None = None) -> None:
        super().__init__(model)
        market = model.params.market
        rng = model.streams.get("organisations", model.month, salt=self.unique_id)
        self.strategy = strategy
        self.network = network
        # An agent stands for a cohort of real organisations; a shell's weight is set by its
        # network (one shell per real network the network agent stands for).
        self.weight = 1.0 if network is not None else model.params.organisations_per_agent
        self.listed = True
        self.removed = False
        self.capacity_left = 0
        self.seats_opened = 0
        self.place_credit = 0.0
        """Places open to book (simulated trainees, fractional), carried between months."""
        self.qualiopi = False
        self.price_factor = market.markup[strategy]
        self.marketing_stock = BASE_MARKETING_EUR / (1 - market.visibility_decay)
        self.canvassing = 1.0 if strategy == OPPORTUNIST else 0.0
        self.offers: NDArray[np.intp] = np.zeros(0, dtype=np.intp)
        self.revenue = 0.0
        self.costs = 0.0
        self.sampling_gap = (0.0, 0.0)
        """Expected minus realised honest sales this month: revenue, delivery cost (national)."""
        self.calls = 0.0
        self.pressured_revenue = 0.0
        self.pressured_cost = 0.0
        """Realised pressured sign-ups this month: revenue, delivery cost (national)."""
        self.expected_pressure = (0.0, 0.0)
        """What the month's calls should bring: revenue, delivery cost (national)."""
        self.pressured_value = 0.0
        self.previous_sales = 0.0
        self.profit = 0.0
        self.months_loss = 0
        self.satisfaction = 0.0
        self.satisfaction_n = 0
        self.fraud_paid = np.zeros((HISTORY_MONTHS, len(CHANNELS)))
        model.org_by_id[self.unique_id] = self
        self.create_catalogue(rng)
        self.rating = float(np.mean(model.offers.quality[self.offers])) if self.offers.size else 0.5

    @property
    def visibility(self) -> float:
        """Search-ranking visibility from the marketing stock per organisation (log scale)."""
        return math.log1p(self.marketing_stock / 1000.0)

    @property
    def displayed_rating(self) -> float:
        """The rating holders see: real satisfaction plus what the strategy games."""
        gaming = self.model.params.market.rating_gaming[self.strategy]
        return float(min(1.0, max(0.0, self.rating + gaming)))

    def create_catalogue(self, rng: np.random.Generator) -> None:
        """Draw the catalogue of offers for the current strategy and list it."""
        market, s = self.model.params.market, self.strategy
        k = market.offers_per_organisation
        topics = rng.choice(
            N_TOPICS, size=k, p=np.array(market.topic_shares[s]) / sum(market.topic_shares[s])
        )
        if self.model.policy.business_creation_restricted and s != QUALITY:
            topics = topics[topics != BUSINESS_CREATION]
        hours = np.array(market.topic_hours)[topics] * rng.lognormal(0.0, 0.3, topics.size)
        fair_price = hours * np.array(market.fair_hourly_eur)[topics] * market.price_level
        clip01 = lambda mean: np.clip(rng.normal(mean, 0.1, topics.size), 0.0, 1.0)  # noqa: E731
        remote = rng.random(topics.size) < market.remote_share[s]
        self.offers = self.model.offers.add(
            self.unique_id,
            s,
            topics.astype(np.int8),
            hours.astype(np.float32),
            fair_price,
            fair_price * self.price_factor,
            clip01(market.quality[s]).astype(np.float32),
            clip01(market.fit_general[s]).astype(np.float32),
            clip01(market.fit_self_employed[s]).astype(np.float32),
            remote,
        ).astype(np.intp)
        self.set_prices()

    def go_remote(self, rng: np.random.Generator) -> None:
        """In a lockdown month some in-person courses move online."""
        offers = self.model.offers
        in_person = self.offers[~offers.remote[self.offers]]
        moving = in_person[rng.random(in_person.size) < self.model.params.market.remote_conversion]
        offers.remote[moving] = True
        offers.converted[moving] = True

    def return_in_person(self, rng: np.random.Generator) -> None:
        """Once lockdowns are over, courses moved online drift back to in-person delivery."""
        offers = self.model.offers
        converted = self.offers[offers.converted[self.offers]]
        back = converted[rng.random(converted.size) < self.model.params.market.remote_reversion]
        offers.remote[back] = False
        offers.converted[back] = False

    def open_capacity(self) -> None:
        """Open the month's places (simulated trainees).

        In a small simulated population a cohort's monthly places are a few trainees or a
        fraction of one, and its simulated buyers arrive far more unevenly than the real cohort's
        (a Poisson count of mean `places` has a relative spread of 1/sqrt(places), which the
        real cohort, `scale` times larger, does not have). Unfilled places and fractions carry
        over to the next month (sessions run continuously), up to a month's intake (at least
        one place) plus three times that sampling spread, so capacity binds on the level of
        demand, not on the simulated sample's noise, and the long-run intake is the real
        capacity at every simulated size.

        The month's seats are the whole places plus one more with the chance of the fraction
        left (the cohort's own uniform of the month), so they are the places open in
        expectation. Rounded down (until v2.11), a cohort with a fraction of a place was shown
        and picked, since it has places in expectation, but took no buyer: at 20,000 holders,
        where a quality cohort opens about 0.6 places a month, 17-81% more searchers were
        turned away than at 100,000 in 2021-26, honest enrolments up to 10% fewer and
        organisations listed up to 17% fewer (12 seeds, medians). A seat taken beyond the
        credit is owed to next month.
        """
        model = self.model
        places = self.weight * model.params.market.capacity_per_org[self.strategy] / model.scale
        taken = self.seats_opened - max(0, self.capacity_left)
        carried = min(self.place_credit - taken, max(places, 1.0) + 3.0 * math.sqrt(places))
        self.place_credit = carried + places
        whole = math.floor(self.place_credit)
        key = model.streams.key("capacity", model.month, salt=2)
        fraction = self.place_credit - whole
        extra = int(holder_uniforms(key, np.array([self.unique_id]))[0] < fraction)
        self.capacity_left = self.seats_opened = max(0, whole + extra)

    @property
    def places_left(self) -> float:
        """Places still open this month, fractions included (what the real cohort has left)."""
        return self.place_credit - (self.seats_opened - self.capacity_left)

    def set_prices(self) -> None:
        """Price the catalogue: cost-plus, demand-led, or anchored on holders' balances."""
        model, market, offers = self.model, self.model.params.market, self.model.offers
        ids = self.offers
        if self.strategy == GENERALIST:
            limit = market.price_adjustment
            step = min(limit, max(-limit, model.signals.generalist_trend))
            self.price_factor = float(min(3.0, max(0.8, self.price_factor * (1 + step))))
        price = offers.fair_price[ids] * self.price_factor
        if self.strategy in (OPPORTUNIST, SHELL):
            anchored = market.balance_anchor * model.signals.buyer_balance
            price = np.maximum(offers.fair_price[ids] * 0.8, anchored)
        offers.price[ids] = model.policy.cap(price, offers.topic[ids])

    def decide_canvassing(self) -> None:
        """The share of an opportunist cohort's members who canvass this month.

        All of them while it is legal. Under a ban the law-abiding stop; each of the others
        weighs the expected fine against what canvassing brings them, and members differ in that
        valuation (risk attitude, other lines of business, belief about detection) by a
        log-normal spread: the share who go on falls smoothly as enforcement rises.
        """
        if self.strategy != OPPORTUNIST or not self.listed:
            self.canvassing = 0.0
            return
        policy, market = self.model.policy, self.model.params.market
        if not policy.canvassing_ban:
            self.canvassing = 1.0
            return
        expected_fine = (
            policy.canvassing_enforcement * self.model.params.platform.canvassing_fine_eur
        )
        willing = 1.0 - market.law_abiding_share
        if expected_fine <= 0:
            self.canvassing = willing
            return
        if self.pressured_value <= 0:
            self.canvassing = 0.0
            return
        spread = market.canvassing_risk_spread
        z = (math.log(expected_fine) - math.log(self.pressured_value)) / spread
        self.canvassing = willing * 0.5 * math.erfc(z / math.sqrt(2.0))

    def receive(self, amount: float, delivery_cost: float, channel: int | None) -> None:
        """Book a payment (national euros) and its delivery cost."""
        self.revenue += amount
        self.costs += delivery_cost
        if channel is not None:
            self.fraud_paid[self.model.month % HISTORY_MONTHS, channel] += amount / self.model.scale

    def book_sampling_gap(self, revenue: float, delivery_cost: float) -> None:
        """Note how far this month's honest sales fell short of (or beat) their expectation."""
        self.sampling_gap = (revenue, delivery_cost)

    def book_expected_pressure(self, revenue: float, delivery_cost: float) -> None:
        """Note what this month's calls should bring (sim/agents/outreach.expected_sign_ups)."""
        self.expected_pressure = (revenue, delivery_cost)

    @property
    def expected_revenue(self) -> float:
        """The month's revenue with honest sales and pressured sign-ups at their expectation.

        This is what the cohort's books show: its many real buyers do not swing with the
        simulated sample.
        """
        pressured_gap = self.expected_pressure[0] - self.pressured_revenue
        return max(0.0, self.revenue + self.sampling_gap[0] + pressured_gap)

    def rate(self, satisfaction: float, n: int) -> None:
        """Collect end-of-course satisfaction (0-1) from `n` holders."""
        self.satisfaction += satisfaction
        self.satisfaction_n += n

    def settle(self) -> None:
        """Close the month's books: costs, profit, visibility, rating; reset flows."""
        market = self.model.params.market
        s = self.strategy
        revenue = self.expected_revenue
        marketing = market.marketing_share[s] * revenue
        costs = (
            max(
                0.0,
                self.costs + self.sampling_gap[1] + self.expected_pressure[1] - self.pressured_cost,
            )
            + self.weight * market.fixed_cost_eur
            + marketing
            + self.calls * market.canvassing_cost_eur
        )
        self.profit = 0.7 * self.profit + 0.3 * (revenue - costs)
        self.months_loss = self.months_loss + 1 if self.profit < 0 else 0
        self.marketing_stock = (
            market.visibility_decay * self.marketing_stock
            + marketing / self.weight
            + BASE_MARKETING_EUR
        )
        if self.satisfaction_n:
            self.rating = 0.8 * self.rating + 0.2 * self.satisfaction / self.satisfaction_n
        canvassers = self.weight * self.canvassing
        if canvassers > 0:  # what canvassing brought each member who did it
            net = self.expected_pressure[0] - self.calls * market.canvassing_cost_eur
            self.pressured_value = 0.7 * self.pressured_value + 0.3 * net / canvassers
        self.previous_sales = 0.5 * self.previous_sales + 0.5 * revenue
        self.revenue = self.costs = self.calls = 0.0
        self.pressured_revenue = self.pressured_cost = 0.0
        self.sampling_gap = self.expected_pressure = (0.0, 0.0)
        self.satisfaction, self.satisfaction_n = 0.0, 0
        self.fraud_paid[(self.model.month + 1) % HISTORY_MONTHS] = 0.0  # the slot next month reuses

    def wants_to_exit(self) -> bool:
        """Exit after persistent losses (shells live and die with their network)."""
        return (
            self.network is None
            and self.months_loss >= self.model.params.market.exit_after_loss_months
        )

    def imitate(self, profit_per_org: dict[int, float], rng: np.random.Generator) -> bool:
        """Sometimes copy a more profitable legal strategy, repositioning the catalogue."""
        market = self.model.params.market
        if self.network is not None or rng.random() >= market.imitation_rate:
            return False
        other = int(
            rng.choice([s for s in (QUALITY, GENERALIST, OPPORTUNIST) if s != self.strategy])
        )
        own = self.profit / self.weight
        theirs = profit_per_org.get(other, 0.0)
        if theirs <= 0 or theirs <= max(own, own * market.imitation_margin):
            return False
        self.withdraw_offers()
        self.strategy = other
        self.price_factor = market.markup[other]
        self.create_catalogue(rng)
        return True

    def withdraw_offers(self) -> None:
        """Take the catalogue off the platform."""
        self.model.offers.active[self.offers] = False

    def delist(self) -> None:
        """Removed from the platform: offers withdrawn, no more sales."""
        self.listed = False
        self.canvassing = 0.0
        self.withdraw_offers()

    def remove(self) -> None:
        """Leave the model for good (the agent stays in `org_by_id` for late payments)."""
        super().remove()
        self.removed = True

    @property
    def strategy_name(self) -> str:
        """Name of the current strategy."""
        return STRATEGIES[self.strategy]
