"""The platform's checkout: identity check, copayment, anomaly screening, then enrolment.

Honest purchases and the three fraud channels go through the same checkout; what differs is
who stands at it. An honest holder lacking the required digital identity either sets out to
obtain it (it is theirs from next month, when they may come back) or gives up for now; a holder
with it may still give up (friction); a copayment may price a need out ('deterred'); stolen
credentials may fail the identity check; a pressured holder may balk at paying; screening may
flag a dossier. Accepted dossiers debit the balance and are paid now, or held in escrow until
attendance is proven when `payment_on_attendance` is in force.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import NDArray

from sim.core.domain import (
    BAC_OR_ABOVE,
    CHANNELS,
    DRIVING_LICENCE,
    GHOST,
    ID_FRANCECONNECT,
    ID_NONE,
    ID_VERIFIED,
    KINDS,
    LEGIT,
    NO_NEED,
    PRESSURED,
    SHELL,
    STATUSES,
    STRATEGIES,
    TAKEOVER,
)
from sim.state.actors import NetworkLike
from sim.state.ledger import pay
from sim.state.world import World

# Login a holder must present at each identity level (none, password, FranceConnect, FC+).
REQUIRED_ID = (ID_NONE, ID_NONE, ID_FRANCECONNECT, ID_VERIFIED)
HOURS_PER_MONTH = 30.0  # assumption: pace of a CPF course
IDENTITY_STAGE, COPAYMENT_STAGE, SCREEN_STAGE, GIVE_UP_STAGE = range(4)
N_STAGES = 4


@dataclass
class Dossiers:
    """A batch of purchase attempts of one kind."""

    holders: NDArray[np.intp]
    offers: NDArray[np.intp]
    prices: NDArray[np.float64]
    kind: int
    relevance: NDArray[np.float32]
    network: NetworkLike | None = None
    draws: NDArray[np.float64] | None = None
    """One uniform per checkout stage and dossier, drawn up front (see `checkout`)."""

    def keep(self, mask: NDArray[np.bool_]) -> Dossiers:
        """Keep the dossiers where `mask` is true."""
        return Dossiers(
            self.holders[mask],
            self.offers[mask],
            self.prices[mask],
            self.kind,
            self.relevance[mask],
            self.network,
            None if self.draws is None else self.draws[:, mask],
        )

    def draw(self, stage: int) -> NDArray[np.float64]:
        """The uniforms of one checkout stage for the dossiers still in the batch."""
        assert self.draws is not None
        return self.draws[stage]

    def __len__(self) -> int:
        return int(self.holders.size)


def exempt_from_copayment(world: World, holders: NDArray[np.intp]) -> NDArray[np.bool_]:
    """Holders who pay no copayment under this month's exemptions."""
    pop, groups = world.population, world.policy.copayment_exempt
    exempt = np.zeros(holders.size, dtype=bool)
    for code, status in enumerate(STATUSES):
        if status in groups:
            exempt |= pop.status[holders] == code
    if "employer_topup" in groups:
        exempt |= pop.topup[holders]
    return exempt


def copayment_due(world: World, holders: NDArray[np.intp]) -> NDArray[np.float64]:
    """The copayment each of `holders` would be charged this month (0 when exempt)."""
    return np.where(exempt_from_copayment(world, holders), 0.0, world.policy.copayment_eur)


def checkout(world: World, d: Dossiers, rng: np.random.Generator) -> Dossiers:
    """Run a batch through the checkout; returns the dossiers accepted and enrolled.

    Every dossier's uniforms for every stage are drawn up front (from `rng`, unless the batch
    brings its own), so a stage that a lever switches on or off (copayment, screening) does not
    shift the draws of the other stages (common random numbers).
    """
    if len(d) == 0:
        return d
    if d.draws is None:  # the caller's batch is left as it was
        d = replace(d, draws=rng.random((N_STAGES, len(d))))
    rec, month, policy = world.recorder, world.month, world.policy
    if d.kind != LEGIT and (d.kind != PRESSURED or d.network is not None):
        rec.add("fraud_attempts", month, len(d))
        rec.add(f"fraud_attempts_{CHANNELS[d.kind - 1]}", month, len(d))
    d = _identity_check(world, d)
    d = _copayment_check(world, d)
    d = _anomaly_screen(world, d)
    if len(d) == 0:
        return d
    copay = copayment_due(world, d.holders)
    pop = world.population
    public = np.clip(d.prices - copay, 0.0, pop.balance[d.holders])
    paid_copay = np.minimum(copay, d.prices)
    pop.balance[d.holders] -= public
    rec.add("debited_eur", month, float(public.sum()))
    _record_enrolments(world, d, public)
    if d.kind in (LEGIT, PRESSURED):
        rec.add("copayment_eur", month, float(paid_copay.sum()))
        rec.add(
            "out_of_pocket_eur", month, float(np.maximum(0.0, d.prices - public - paid_copay).sum())
        )
        _enrol(world, d, public)
    else:
        escrow = policy.payment_on_attendance
        network_id = d.network.unique_id if d.network is not None else -1
        world.fraud_files.open(d.holders, d.offers, public, d.kind, network_id, month, escrow)
        if not escrow:
            pay(world, d.offers, public, d.kind)
    return d


def _identity_check(world: World, d: Dossiers) -> Dossiers:
    level = world.policy.identity_level
    pop, plat = world.population, world.params.platform
    u = d.draw(IDENTITY_STAGE)
    if d.kind == LEGIT:
        has_id = pop.digital_id[d.holders] >= REQUIRED_ID[level]
        give_up_missing = identity_give_up(world) * np.where(
            pop.education[d.holders] != BAC_OR_ABOVE, plat.id_give_up_missing_below_bac, 1.0
        )
        gives_up = np.where(has_id, u < plat.id_friction[level], u < give_up_missing)
        obtains = ~has_id & ~gives_up
        pop.digital_id[d.holders[obtains]] = REQUIRED_ID[level]
        world.recorder.add("identities_obtained", world.month, int(obtains.sum()))
        _deter(world, d.holders[gives_up], "deterred_friction")
        return d.keep(~gives_up & ~obtains)  # those obtaining it come back on a later search
    passes = u < identity_pass_chance(world, d.kind, _experience(d))
    world.recorder.add("fraud_blocked", world.month, int((~passes).sum()))
    return d.keep(passes)


def identity_pass_chance(world: World, kind: int, experience: float) -> float:
    """Chance a fraudulent dossier of `kind` passes this month's identity check.

    Stolen credentials pass with `takeover_success` at the level in force; a pressured sign-up
    is stopped with `pressured_block`; a ghost trainee logs in with their own identity. The
    channel's experience defeats a share (`circumvention_max x experience`) of the control.
    """
    level, fraud_p = world.policy.identity_level, world.params.fraud
    circumvent = fraud_p.circumvention_max * experience
    if kind == TAKEOVER:
        base = fraud_p.takeover_success[level]
        return base + (1 - base) * circumvent
    if kind == PRESSURED:
        return 1.0 - fraud_p.pressured_block[level] * (1 - circumvent)
    return 1.0


def _copayment_check(world: World, d: Dossiers) -> Dossiers:
    copayment = world.policy.copayment_eur
    if copayment <= 0 or d.kind in (TAKEOVER, GHOST):  # fraudsters pay it as a cost
        return d
    pays = ~exempt_from_copayment(world, d.holders)
    pop = world.population
    if d.kind == LEGIT:
        shortfall = np.maximum(0.0, d.prices - pop.balance[d.holders])
        out_of_pocket = np.maximum(np.minimum(copayment, d.prices), shortfall)  # as charged below
        value = pop.need_value[d.holders]
        # A purchase the CPF would not fund at all (copayment >= price) is not a CPF purchase.
        deterred = pays & (value >= shortfall) & ((value < out_of_pocket) | (copayment >= d.prices))
        _deter(world, d.holders[deterred], "deterred_copayment")
        return d.keep(~deterred)
    signs = pressured_signing_chance(world, np.array(copayment))
    balks = pays & (d.draw(COPAYMENT_STAGE) >= signs)
    world.recorder.add("fraud_blocked", world.month, int(balks.sum()))
    return d.keep(~balks)


def _anomaly_screen(world: World, d: Dossiers) -> Dossiers:
    strength = world.policy.anomaly_detection
    if strength <= 0:
        return d
    u = d.draw(SCREEN_STAGE)
    if d.kind == LEGIT:
        plat = world.params.platform
        flagged = u < strength * plat.anomaly_false_positive
        gives_up = flagged & (d.draw(GIVE_UP_STAGE) < plat.flagged_give_up)
        _deter(world, d.holders[gives_up], "deterred_friction")
        return d.keep(~gives_up)
    caught = u < screen_catch_chance(world, _experience(d))
    world.recorder.add("fraud_blocked", world.month, int(caught.sum()))
    world.note_reports(d.offers[caught])
    return d.keep(~caught)


def screen_catch_chance(world: World, experience: float) -> float:
    """Chance anomaly screening flags a fraudulent dossier (experience evades part of it)."""
    strength, fraud_p = world.policy.anomaly_detection, world.params.fraud
    if strength <= 0:
        return 0.0
    return strength * fraud_p.anomaly_signal * (1 - fraud_p.anomaly_evasion * experience)


def accepted_chance(world: World, kind: int, experience: float) -> float:
    """Chance a dossier of fraudulent or pressured `kind` passes identity check and screening.

    The expectation the books read (a network's at its experience in the channel, a legal
    caller's at 0) of `_identity_check` and `_anomaly_screen` for such a dossier.
    """
    return identity_pass_chance(world, kind, experience) * (
        1.0 - screen_catch_chance(world, experience)
    )


def attendance_pass_chance(world: World, experience: NDArray[np.float64]) -> NDArray[np.float64]:
    """Chance faked attendance passes the attendance check under payment on attendance."""
    f = world.params.fraud
    return f.fake_attendance + (1 - f.fake_attendance) * (f.circumvention_max * experience)


def pressured_signing_chance(world: World, copay: NDArray[np.float64]) -> NDArray[np.float64]:
    """Chance a pressured holder asked to pay `copay` signs all the same."""
    return np.exp(-copay / world.params.fraud.copayment_tolerance_eur)


def identity_give_up(world: World) -> float:
    """Chance that an honest holder lacking the required identity gives up rather than get it.

    Highest when a level is first required, it halves every `id_give_up_half_life_months` as
    the ways to obtain a verified identity become known; France Identité (accepted from July
    2024) removes a share of what is left.
    """
    plat, policy = world.params.platform, world.policy
    since = max(0, world.month - policy.identity_since)
    give_up = plat.id_give_up_missing[policy.identity_level] * 0.5 ** (
        since / plat.id_give_up_half_life_months
    )
    verified = REQUIRED_ID[policy.identity_level] == ID_VERIFIED
    if verified and world.month >= world.context.france_identite:
        give_up *= 1.0 - plat.france_identite_relief
    return give_up


def _experience(d: Dossiers) -> float:
    """The network's experience in this dossier's channel (0 without a network)."""
    return float(d.network.experience[d.kind - 1]) if d.network is not None else 0.0


def _deter(world: World, holders: NDArray[np.intp], cause: str) -> None:
    """Honest holders who give up because of a lever: counted as events and as persons."""
    rec, month, pop = world.recorder, world.month, world.population
    rec.add(cause, month, holders.size)
    rec.add_by_status("deterred_holders", month, pop.status[holders])
    first = holders[~pop.ever_deterred[holders]]
    rec.add_by_status("deterred_persons", month, pop.status[first])
    pop.ever_deterred[first] = True
    world.trust.set(holders, world.trust.get(holders) - world.params.behaviour.trust_loss_friction)
    pop.need_topic[holders] = NO_NEED


def _record_enrolments(world: World, d: Dossiers, public: NDArray[np.float64]) -> None:
    rec, month, offers = world.recorder, world.month, world.offers
    statuses = world.population.status[d.holders]
    rec.add_by_status("enrolments", month, statuses)
    if d.kind == LEGIT:
        rec.add_by_status("legit_enrolments", month, statuses)
    else:
        rec.add(f"{KINDS[d.kind]}_enrolments", month, len(d))
    rec.add("remote_enrolments", month, int(world.course_is_remote(d.offers).sum()))
    below_bac = world.population.education[d.holders] != BAC_OR_ABOVE
    rec.add("enrolments_below_bac", month, int(below_bac.sum()))
    licences = int((offers.topic[d.offers] == DRIVING_LICENCE).sum())
    rec.add("enrolments_driving_licence", month, licences)
    strategy = offers.strategy[d.offers]
    if d.kind == LEGIT:
        counts = np.bincount(strategy, minlength=len(STRATEGIES))
        for code, name in enumerate(STRATEGIES):
            rec.add(f"legit_enrolments_{name}", month, int(counts[code]))
        np.add.at(offers.legit_sales, d.offers, 1)
    if d.kind in (LEGIT, PRESSURED):
        fair = offers.fair_price[d.offers] * np.minimum(1.0, offers.quality[d.offers] / 0.6)
        rec.add("overpricing_eur", month, float(np.maximum(0.0, public - fair).sum()))
    if d.kind == PRESSURED:
        legal = strategy != SHELL
        rec.add("hard_selling_enrolments", month, int(legal.sum()))
        rec.add("pressured_network_enrolments", month, int((~legal).sum()))
        # Harm to a holder sold a course by hard selling: what was paid above the course's fair
        # value, plus the rights spent on a course that does not meet their need.
        value = np.minimum(public, fair)
        harm = np.maximum(0.0, public - fair) + value * (1.0 - d.relevance)
        rec.add("hard_selling_harm_eur", month, float(harm[legal].sum()))


def _enrol(world: World, d: Dossiers, public: NDArray[np.float64]) -> None:
    """Holders start their course; the organisation is paid now or at the end."""
    pop, offers = world.population, world.offers
    pop.enrol_offer[d.holders] = d.offers
    pop.enrol_kind[d.holders] = d.kind
    months = np.clip(np.ceil(offers.hours[d.offers] / HOURS_PER_MONTH), 1, 6)
    end = (world.month + months - 1).astype(np.int16)  # a one-month course ends this month
    pop.enrol_end[d.holders] = end
    world.rosters.add_course_ends(d.holders, end)
    pop.enrol_relevance[d.holders] = d.relevance
    pop.need_topic[d.holders] = NO_NEED
    first = d.holders[pop.uses[d.holders] == 0]
    world.recorder.add_by_status("new_users", world.month, pop.status[first])
    pop.uses[d.holders] = np.minimum(pop.uses[d.holders], 254) + 1
    if world.policy.payment_on_attendance:
        pop.enrol_escrow[d.holders] = public
    else:
        pop.enrol_escrow[d.holders] = 0.0
        pay(world, d.offers, public, d.kind)
