"""The CPF market model: holders (arrays), organisations and fraud networks (Mesa agents)."""

from __future__ import annotations

import mesa
import numpy as np
from numpy.typing import NDArray

from sim.agents.fraud_networks import FraudNetwork
from sim.agents.organisations import Organisation
from sim.agents.regulator import Regulator
from sim.core.calendar import month_index, month_of_year
from sim.core.domain import (
    CHANNELS,
    KINDS,
    LEGAL_STRATEGIES,
    LEGIT,
    NO_NEED,
    NOT_ENROLLED,
    PRESSURED,
    SELF_EMPLOYED,
    STRATEGIES,
)
from sim.core.streams import Streams
from sim.params import SimParams
from sim.processes.checkout import Dossiers, checkout, exempt_from_copayment
from sim.processes.levers import LeverSet, Policy
from sim.processes.ranking import choose, result_pages
from sim.state.fraud_files import FraudFiles
from sim.state.offers import Offers
from sim.state.population import Population
from sim.state.recorder import Recorder


class CPFModel(mesa.Model):
    """One simulated CPF market from January 2019, advanced one month per `step`."""

    def __init__(self, params: SimParams) -> None:
        super().__init__(rng=params.seed)
        self.params = params
        self.streams = Streams(params.seed)
        self.n_months = params.n_months
        self.month = 0
        self.scale = params.population.scale
        self.policy = Policy()
        self.levers = LeverSet.from_params(params.regulation, self.n_months)
        self.population = Population.create(params.population, self.streams.get("initialise", 0))
        self.offers = Offers()
        self.recorder = Recorder(self.n_months)
        self.regulator = Regulator(self)
        self.fraud_files = FraudFiles()
        self.network_by_id: dict[int, FraudNetwork] = {}
        self.org_by_id: dict[int, Organisation] = {}
        self.app_launch = month_index(params.context.app_launch)
        self.lockdowns = {month_index(m) for m in params.context.lockdown_months}
        self.licence_widened = month_index(params.context.driving_licence_all)
        self.buyer_balance = float(self.population.balance.mean())
        self.remote_listed_share = 0.0
        self.last_enrolments = 0.0
        self.marketing_per_holder = 0.0
        self.recorder.add("credited_eur", 0, float(self.population.balance.sum()))
        self.levers.setup(self)
        self.levers.apply(self, 0)
        rng = self.streams.get("initialise", 0, salt=1)
        shares = np.array(params.market.strategy_shares)
        for strategy in rng.choice(
            len(LEGAL_STRATEGIES), size=params.market.organisations, p=shares
        ):
            self._open_organisation(int(strategy))
        for _ in range(params.fraud.networks):
            self._open_network()

    # ------------------------------------------------------------------ the month
    def step(self) -> None:
        """Advance one month.

        The order (docs/ODD.md, 'Process overview'):
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
        self.renew_rights()
        self.arise_needs()
        self.run_canvassing()
        self.run_fraud_networks()
        self.run_search_and_checkout()
        self.fraud_files.settle_escrow(self, self.streams.get("checkout", self.month, salt=1))
        self.regulator.audit(self.month)
        self.complete_courses()
        self.fraud_files.discover(self, self.streams.get("discovery", self.month))
        self.drift_trust()
        self.run_market_dynamics()
        self.record_stocks()
        self.month += 1

    def run_all(self) -> None:
        """Run every month of the horizon."""
        while self.month < self.n_months:
            self.step()

    # ------------------------------------------------------------- 2. rights
    def renew_rights(self) -> None:
        """Turnover of holders; yearly credit of rights."""
        p, rec, pop = self.params.population, self.recorder, self.population
        leaving = pop.leavers(p, self.streams.get("turnover", self.month))
        in_course = leaving[pop.enrol_offer[leaving] != NOT_ENROLLED]
        offers = pop.enrol_offer[in_course].astype(np.intp)
        # Leaving mid-course is abandoning: escrow is settled before the balance expires.
        self._release_escrow(in_course, offers, np.zeros(in_course.size, dtype=bool))
        rec.add("abandonments", self.month, in_course.size)
        self.fraud_files.forget(leaving)
        rec.add("expired_eur", self.month, pop.replace(leaving, p))
        pop.change_jobs(p, self.streams.get("status", self.month))
        if month_of_year(self.month) == p.credit_month:
            rec.add("credited_eur", self.month, pop.accrue(p))

    # ------------------------------------------------------------- 3. needs
    def arise_needs(self) -> None:
        """Awareness from media, word of mouth and advertising; needs arise and fade."""
        b, pop = self.params.behaviour, self.population
        advertising = b.marketing_reach * self.marketing_per_holder / 100.0
        word_of_mouth = b.word_of_mouth * self.last_enrolments / pop.size
        rng = self.streams.get("awareness", self.month)
        pop.spread_awareness(min(1.0, b.awareness_rate + word_of_mouth + advertising), rng)
        widened = self.month >= self.licence_widened
        licence = 1.0 + self.params.context.driving_licence_all_boost * widened
        pop.arise_needs(b, min(1.0, advertising), self.streams.get("needs", self.month), licence)

    # ------------------------------------------------------------- 4-5. outreach
    def run_canvassing(self) -> None:
        """Organisations price their catalogues; opportunists canvass (legal until banned).

        In a lockdown month organisations first move some in-person courses online.
        """
        from sim.processes.outreach import canvass

        m = self.params.market
        lockdown = self.month in self.lockdowns
        for org in self.listed_organisations():
            if lockdown:
                org.go_remote(self.streams.get("remote", self.month, salt=org.unique_id))
            org.set_prices()
            org.decide_canvassing()
            if org.canvassing > 0 and org.network is None:
                calls = m.canvassing_calls * org.weight * org.canvassing
                rng = self.streams.get("canvassing", self.month, salt=org.unique_id)
                canvass(self, org, calls, m.canvassing_success, None, rng)

    def run_fraud_networks(self) -> None:
        """Each network secures a shell, re-allocates its effort and works its channels."""
        pop = self.population
        pool = np.flatnonzero(pop.compromised & (pop.balance >= 300.0))
        for network in self.fraud_networks():
            network.ensure_shell()
            network.allocate()
            network.act(pool)

    # ------------------------------------------------------------- 6. search
    def run_search_and_checkout(self) -> None:
        """Holders with a need search; the platform shows ranked offers; they choose and pay."""
        b, pop, rec, m = self.params.behaviour, self.population, self.recorder, self.month
        ease = self.platform_ease
        trust_factor = (
            pop.trust / self.params.population.trust_initial
        ) ** b.trust_search_elasticity
        probability = b.search_rate * ease * trust_factor
        if self.policy.search_boost != 1.0:  # hurrying before an announced copayment rise
            exempt = exempt_from_copayment(self, np.arange(pop.size))
            probability = probability * np.where(exempt, 1.0, self.policy.search_boost)
        u = self.streams.get("search", m).random(pop.size, dtype=np.float32)
        searching = (
            (u < probability)
            & pop.aware
            & (pop.need_topic != NO_NEED)
            & (pop.enrol_offer == NOT_ENROLLED)
            & (pop.balance > 0)
        )
        searchers = np.flatnonzero(searching)
        rec.add("searches", m, searchers.size)
        if searchers.size == 0:
            return
        candidates = self.offers.active_ids()
        if self.month in self.lockdowns:  # in-person courses cannot be bought
            candidates = candidates[self.offers.remote[candidates]]
        visibility, rating = self._organisation_signals()
        # Common random numbers: each holder's query variant comes from a full-population
        # draw and each page's ranking noise from its own sub-stream, so a lever that changes
        # who searches does not reshuffle the pages or queries of everyone else.
        variants = b.query_variants
        variant = self.streams.get("choice", m, salt=1).integers(
            0, variants, pop.size, dtype=np.uint8
        )
        self_employed = pop.status[searchers] == SELF_EMPLOYED
        profile = pop.need_topic[searchers].astype(np.int64) * 2 + self_employed
        group = profile * variants + variant[searchers]
        gumbel = self.streams.get("choice", m).gumbel(size=(searchers.size, b.shown_offers))
        order = np.argsort(group, kind="stable")
        keys, starts = np.unique(group[order], return_index=True)
        bounds = np.append(starts, order.size)
        pages: dict[int, list] = {}
        chosen_holders, chosen_offers, chosen_relevance = [], [], []
        for key, lo, hi in zip(
            keys.tolist(), bounds[:-1].tolist(), bounds[1:].tolist(), strict=True
        ):
            rows = order[lo:hi]
            holders = searchers[rows]
            topic_profile, variant = divmod(key, variants)
            if topic_profile not in pages:
                page_rng = self.streams.get("choice", m, salt=2 + topic_profile)
                noise = b.ranking_noise * page_rng.gumbel(size=(variants, candidates.size))
                pages[topic_profile] = result_pages(
                    self.offers,
                    candidates,
                    visibility,
                    rating,
                    topic_profile // 2,
                    bool(topic_profile % 2),
                    self.policy.ranking,
                    b.shown_offers,
                    noise,
                )
            page = pages[topic_profile][variant]
            pick, fits = choose(page, pop.balance[holders], gumbel[rows], b)
            if page.ids.size:
                shortfall = np.maximum(0.0, page.price[pick] - pop.balance[holders])
                fits &= shortfall <= pop.need_value[holders]
            self._no_offer_found(holders[~fits])
            if page.ids.size:
                chosen_holders.append(holders[fits])
                chosen_offers.append(page.ids[pick[fits]])
                chosen_relevance.append(page.relevance[pick[fits]])
        if chosen_holders:
            holders = np.concatenate(chosen_holders)
            offers = np.concatenate(chosen_offers)
            dossiers = Dossiers(
                holders, offers, self.offers.price[offers], LEGIT, np.concatenate(chosen_relevance)
            )
            checkout(self, dossiers, self.streams.get("checkout", m))

    def _no_offer_found(self, holders: NDArray[np.intp]) -> None:
        """Holders who found nothing fitting or affordable; their need stays for now."""
        self.recorder.add_by_status("no_offer_found", self.month, self.population.status[holders])

    def _organisation_signals(self) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
        """Visibility and displayed rating of every organisation, indexed by agent id."""
        size = max((o.unique_id for o in self.organisations()), default=0) + 1
        visibility = np.zeros(size, dtype=np.float32)
        rating = np.zeros(size, dtype=np.float32)
        for org in self.listed_organisations():
            visibility[org.unique_id] = org.visibility
            rating[org.unique_id] = org.displayed_rating
        return visibility, rating

    # ------------------------------------------------------------- money
    def pay(
        self,
        offers: NDArray[np.intp],
        amounts: NDArray[np.float64],
        kind: int,
        network: FraudNetwork | None = None,
    ) -> None:
        """Pay organisations for enrolments of one kind (simulated euros in, books in national)."""
        if offers.size == 0:
            return
        rec, m = self.recorder, self.month
        total = float(amounts.sum())
        rec.add("payments_eur", m, total)
        rec.add("spend_eur", m, total)
        if kind == LEGIT:
            rec.add("legit_spend_eur", m, total)
        else:
            rec.add("fraud_loss_eur", m, total)
            rec.add(f"fraud_loss_{KINDS[kind]}_eur", m, total)
        channel = CHANNELS.index(KINDS[kind]) if kind != LEGIT else None
        org_ids = self.offers.organisation[offers]
        delivery_share = np.array(self.params.market.delivery_cost_share)
        for org_id in np.unique(org_ids).tolist():
            org = self._organisation(org_id)
            mine = org_ids == org_id
            revenue = float(amounts[mine].sum()) * self.scale
            delivery = float(self.offers.fair_price[offers[mine]].sum()) * self.scale
            if org is not None:
                org.receive(revenue, delivery * delivery_share[org.strategy], channel)
                if kind == PRESSURED and network is None:
                    org.pressured_revenue += revenue
        if network is not None and channel is not None:
            network.receive(total * self.scale, channel)

    def recover(self, by_channel: NDArray[np.float64]) -> None:
        """Money clawed back from a sanctioned organisation (simulated euros per channel)."""
        rec, m = self.recorder, self.month
        total = float(by_channel.sum())
        rec.add("recovered_eur", m, total)
        rec.add("spend_eur", m, -total)
        rec.add("fraud_loss_eur", m, -total)
        for channel, amount in zip(CHANNELS, by_channel.tolist(), strict=True):
            rec.add(f"fraud_loss_{channel}_eur", m, -amount)

    def refund(self, holders: NDArray[np.intp], amounts: NDArray[np.float64]) -> None:
        """Escrowed rights not paid out go back to the holders' balances."""
        np.add.at(self.population.balance, holders, amounts)
        self.recorder.add("escrow_refunded_eur", self.month, float(amounts.sum()))

    def restore_rights(self, holders: NDArray[np.intp], amounts: NDArray[np.float64]) -> None:
        """Victims' rights re-credited by the platform (public money, not recovered)."""
        np.add.at(self.population.balance, holders, amounts)
        self.recorder.add("restored_eur", self.month, float(amounts.sum()))

    def _release_escrow(
        self, holders: NDArray[np.intp], offers: NDArray[np.intp], completed: NDArray[np.bool_]
    ) -> None:
        """Pay escrowed courses that ended (in full if completed, in part if abandoned)."""
        pop = self.population
        escrow = pop.enrol_escrow[holders]
        if not escrow.any():
            return
        paid = escrow * np.where(completed, 1.0, self.params.platform.attendance_paid_if_abandoned)
        kinds = pop.enrol_kind[holders]
        for kind in (LEGIT, PRESSURED):
            mine = (kinds == kind) & (paid > 0)
            self.pay(offers[mine], paid[mine], kind)
        self.refund(holders, escrow - paid)
        pop.enrol_escrow[holders] = 0.0

    # ------------------------------------------------------------- 8. courses
    def complete_courses(self) -> None:
        """Courses due this month end: completion or abandonment, skills, trust, ratings."""
        b, pop, rec, m = self.params.behaviour, self.population, self.recorder, self.month
        enrolled = np.flatnonzero(pop.enrol_offer != NOT_ENROLLED)
        pop.enrol_left[enrolled] -= 1
        ending = enrolled[pop.enrol_left[enrolled] <= 0]
        if ending.size == 0:
            return
        offers = pop.enrol_offer[ending].astype(np.intp)
        quality = self.offers.quality[offers]
        relevance = pop.enrol_relevance[ending]
        kind = pop.enrol_kind[ending]
        remote = self.course_is_remote(offers)
        abandon = np.where(remote, b.abandon_remote, b.abandon_in_person) + np.where(
            kind == PRESSURED, b.abandon_pressured_extra, 0.0
        )
        rng = self.streams.get("completion", m)
        completed = rng.random(ending.size) >= abandon
        self._release_escrow(ending, offers, completed)
        rec.add("completions", m, int(completed.sum()))
        rec.add("abandonments", m, int((~completed).sum()))
        gain = np.where(completed, quality * relevance, 0.0)
        pop.skills[ending] += gain.astype(np.float32)
        rec.add("skill_gain", m, float(gain.sum()))
        useful = (
            completed
            & (kind == LEGIT)
            & (quality >= b.useful_quality)
            & (relevance >= b.useful_relevance)
        )
        rec.add_by_status("useful_enrolments", m, pop.status[ending[useful]])
        trust = pop.trust[ending]
        trust = np.where(
            useful, trust + b.trust_gain_useful * (1 - trust), trust - b.trust_loss_bad_course
        )
        pressured = kind == PRESSURED
        trust = np.where(pressured, trust - b.trust_loss_scam, trust)
        pop.trust[ending] = np.clip(trust, 0.0, 1.0).astype(np.float32)
        reporting = ending[pressured & (rng.random(ending.size) < b.report_pressured)]
        rec.add("reports", m, reporting.size)
        self.regulator.note_reports(pop.enrol_offer[reporting].astype(np.intp), month=m)
        satisfaction = np.where(completed, quality * np.maximum(relevance, 0.3), 0.0)
        org_ids = self.offers.organisation[offers]
        for org_id in np.unique(org_ids).tolist():
            org = self._organisation(org_id)
            if org is not None:
                mine = org_ids == org_id
                org.rate(float(satisfaction[mine].sum()), int(mine.sum()))
        pop.enrol_offer[ending] = NOT_ENROLLED

    def course_is_remote(self, offers: NDArray[np.intp]) -> NDArray[np.bool_]:
        """Remote delivery: remote offers, and everything during a lockdown month."""
        if self.month in self.lockdowns:
            return np.ones(offers.size, dtype=bool)
        return self.offers.remote[offers]

    # ------------------------------------------------------------- 9. trust
    def drift_trust(self) -> None:
        """Scam news lowers everyone's trust a little; trust otherwise drifts back."""
        b, pop, series = self.params.behaviour, self.population, self.recorder.series
        victims = (
            series["phishing_victims"][self.month] + series["pressured_enrolments"][self.month]
        )
        news = b.trust_news * 1000.0 * victims / pop.size
        target = self.params.population.trust_initial
        pop.trust += (b.trust_recovery * (target - pop.trust) - news).astype(np.float32)
        np.clip(pop.trust, 0.0, 1.0, out=pop.trust)

    # ------------------------------------------------------------- 10. market
    def run_market_dynamics(self) -> None:
        """Organisations close their books, exit or imitate; networks too; entrants arrive."""
        rng = self.streams.get("organisations", self.month)
        rec, m = self.recorder, self.month
        marketing = 0.0
        for org in self.organisations():
            marketing += self.params.market.marketing_share[org.strategy] * org.revenue
            org.settle()
        self.marketing_per_holder = marketing / self.params.population.national_holders
        profit_per_org = self._profit_per_org_by_strategy()
        for org in list(self.organisations()):
            if org.network is not None:
                continue
            if not org.listed or org.wants_to_exit():
                rec.add("organisations_exited", m, org.weight / self.scale)
                org.delist()
                org.remove()
            else:
                org.imitate(profit_per_org, rng)
        frng = self.streams.get("fraud_networks", self.month, salt=0)
        for network in list(self.fraud_networks()):
            network.settle()
            if network.wants_to_exit(frng):
                del self.network_by_id[network.unique_id]
                network.leave()
        self._enter_organisations(profit_per_org)
        self._enter_networks()
        series = self.recorder.series
        self.last_enrolments = series["legit_enrolments"][m] + series["pressured_enrolments"][m]
        enrolled = self.population.balance > 0
        self.buyer_balance = (
            float(self.population.balance[enrolled].mean()) if enrolled.any() else 0.0
        )

    def _profit_per_org_by_strategy(self) -> dict[int, float]:
        out: dict[int, float] = {}
        for strategy in range(len(LEGAL_STRATEGIES)):
            orgs = [
                o
                for o in self.listed_organisations()
                if o.strategy == strategy and o.network is None
            ]
            if orgs:
                out[strategy] = sum(o.profit for o in orgs) / sum(o.weight for o in orgs)
        return out

    def _enter_organisations(self, profit_per_org: dict[int, float]) -> None:
        """New organisations enter while the market pays; they copy what pays best."""
        m = self.params.market
        rng = self.streams.get("entry", self.month)
        orgs = [o for o in self.listed_organisations() if o.network is None]
        revenue = sum(o.previous_sales for o in orgs)
        profit = sum(o.profit for o in orgs)
        margin = profit / revenue if revenue > 0 else 0.0
        expected = m.entry_rate * len(orgs) * max(0.0, margin)
        n = min(int(rng.poisson(expected)), m.max_entrants_per_month)
        if n == 0:
            return
        best = np.array(
            [max(0.0, profit_per_org.get(s, 0.0)) for s in range(len(LEGAL_STRATEGIES))]
        )
        base = np.array(m.strategy_shares)
        weights = base * (1.0 + best / max(1.0, best.mean())) if best.any() else base
        for strategy in rng.choice(len(LEGAL_STRATEGIES), size=n, p=weights / weights.sum()):
            org = self._open_organisation(int(strategy))
            if org.listed:  # a cohort none of whose members passed Qualiopi never entered
                self.recorder.add("organisations_entered", self.month, org.weight / self.scale)
            else:
                org.remove()

    def _enter_networks(self) -> None:
        """New fraud networks enter while fraud pays."""
        f = self.params.fraud
        networks = list(self.fraud_networks())
        if len(networks) >= f.max_networks:
            return
        mean_profit = (
            np.mean([n.profit for n in networks]) if networks else f.entry_profit_eur * 0.2
        )
        expected = f.entry_rate * max(0.0, float(mean_profit)) / f.entry_profit_eur
        n = int(self.streams.get("entry", self.month, salt=1).poisson(expected))
        for _ in range(min(n, f.max_networks - len(networks))):
            self._open_network()

    def _open_organisation(self, strategy: int) -> Organisation:
        """A new cohort; under Qualiopi only its certified members enter."""
        org = Organisation(self, strategy)
        if self.policy.qualiopi_required:
            passed = self.regulator.certify(org)
            if passed:
                org.weight = float(passed)
            else:
                org.delist()
        return org

    def _open_network(self) -> FraudNetwork:
        network = FraudNetwork(self)
        self.network_by_id[network.unique_id] = network
        return network

    # ------------------------------------------------------------- queries
    def organisations(self) -> list[Organisation]:
        """All organisation agents (listed or not yet removed)."""
        return list(self.agents_by_type.get(Organisation, []))

    def listed_organisations(self) -> list[Organisation]:
        """Organisations currently selling on the platform."""
        return [o for o in self.organisations() if o.listed]

    def fraud_networks(self) -> list[FraudNetwork]:
        """Active fraud networks."""
        return list(self.agents_by_type.get(FraudNetwork, []))

    @property
    def platform_ease(self) -> float:
        """How easy buying is, relative to the app fully adopted.

        Reduced before the direct-purchase app, then rising over the months holders take to
        adopt it (linear ramp of `app_adoption_months`).
        """
        b = self.params.behaviour
        if self.month < self.app_launch:
            return b.pre_app_access
        adopted = min(1.0, (self.month - self.app_launch + 1) / max(1.0, b.app_adoption_months))
        return b.pre_app_access + (1.0 - b.pre_app_access) * adopted

    @property
    def n_networks(self) -> int:
        """Number of active fraud networks."""
        return len(self.network_by_id)

    def network_experience(self, network_id: int) -> float:
        """Experience of a network (0 if it has left)."""
        network = self.network_by_id.get(network_id)
        return network.experience if network is not None else 0.0

    def _organisation(self, org_id: int) -> Organisation | None:
        return self.org_by_id.get(org_id)

    # ------------------------------------------------------------- 11. record
    def record_stocks(self) -> None:
        """Stocks at the end of the month."""
        rec, pop, m = self.recorder, self.population, self.month
        rec.set("mean_trust", m, float(pop.trust.mean()))
        rec.set("mean_balance_eur", m, float(pop.balance.mean()))
        rec.set("balances_eur", m, float(pop.balance.sum()))
        rec.set("escrow_eur", m, float(pop.enrol_escrow.sum()) + self.fraud_files.escrow_eur)
        rec.set("aware_share", m, float(pop.aware.mean()))
        rec.set("compromised_accounts", m, float(pop.compromised.sum()))
        listed = self.listed_organisations()
        rec.set("organisations_active", m, sum(o.weight for o in listed))
        for code, name in enumerate(STRATEGIES):
            rec.set(
                f"organisations_active_{name}",
                m,
                sum(o.weight for o in listed if o.strategy == code),
            )
        rec.set("fraud_networks_active", m, float(self.n_networks))
        networks = self.fraud_networks()
        rec.set(
            "mean_network_experience",
            m,
            float(np.mean([n.experience for n in networks])) if networks else 0.0,
        )
        active = self.offers.active_ids()
        rec.set(
            "mean_price_eur", m, float(self.offers.price[active].mean()) if active.size else 0.0
        )
        self.remote_listed_share = float(self.offers.remote[active].mean()) if active.size else 0.0
