"""Awareness and needs (ODD §7.2): holders learn of their CPF or forget it; needs arise or fade.

A need induced by marketing has a low value to the holder: these purchases are the first a
copayment prices out (DOMAIN.md §5 fact 4). Demand saturates: each course taken makes a further
need less likely, unused awareness fades, and which driving licences are funded moves the weight
of licence needs.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.core.domain import (
    BAC_OR_ABOVE,
    DRIVING_LICENCE,
    EMPLOYEE,
    JOB_SEEKER,
    N_TOPICS,
    NO_NEED,
    NOT_ENROLLED,
    SELF_EMPLOYED,
    STATUSES,
)
from sim.params import BehaviourParams
from sim.state.population import F32, Population
from sim.state.world import World


def arise_needs(world: World) -> None:
    """Awareness from media, word of mouth and advertising; needs arise and fade."""
    b, pop, signals = world.params.behaviour, world.population, world.signals
    # Advertising's reach saturates (a concave response: the same people see the ads again).
    advertising = 1.0 - np.exp(-b.marketing_reach * signals.marketing_per_holder / 100.0)
    word_of_mouth = b.word_of_mouth * signals.last_enrolments / pop.size
    rng = world.streams.get("awareness", world.month)
    learn = min(1.0, b.awareness_rate + word_of_mouth + advertising)
    spread_awareness(pop, learn, b.awareness_fade, rng)
    licence = licence_weight(b, world.policy.driving_licence_rule)
    draw_needs(pop, b, advertising, world.streams.get("needs", world.month), licence)


def spread_awareness(
    pop: Population, probability: float, fade: float, rng: np.random.Generator
) -> None:
    """Unaware holders learn they can use their CPF; aware ones who never used it may forget."""
    u = rng.random((2, pop.size))
    forget = pop.aware & (pop.uses == 0) & (u[1] < fade)
    pop.aware |= u[0] < probability
    pop.aware &= ~forget


def licence_weight(b: BehaviourParams, rule: str) -> NDArray[np.float64]:
    """Weight of driving-licence needs under the funding rule in force, by holder status.

    Every category funded adds motorbike and heavy-vehicle licences; the first-licence rule
    removes the needs of holders who already hold one; the February 2026 rule keeps the others'
    car licence only with a third-party co-financing (job seekers are spared).
    """
    weight = np.ones(len(STATUSES))
    if rule == "car":
        return weight
    weight *= 1.0 + b.licence_all_categories_boost
    if rule == "all_categories":
        return weight
    weight *= 1.0 - b.licence_already_held_share
    if rule == "job_seekers_or_cofinanced":
        weight[[EMPLOYEE, SELF_EMPLOYED]] *= b.licence_cofinanced_share
    return weight


def draw_needs(
    pop: Population,
    b: BehaviourParams,
    induced_rate: float,
    rng: np.random.Generator,
    licence: NDArray[np.float64],
) -> None:
    """Needs arise (genuine, or induced by marketing) and unmet needs fade.

    Genuine needs arise by status; both kinds scale with the holder's propensity to train and
    fall after each course taken.

    `licence` (one weight per status) multiplies the weight of the driving-licence topic among
    new needs, then the topic shares are renormalised.
    """
    n = pop.size
    draw = rng.random((3, n), dtype=F32)
    has_need = pop.need_topic != NO_NEED
    free = ~has_need & (pop.enrol_offer == NOT_ENROLLED)
    fades = has_need & (draw[0] < b.need_fade)
    pop.need_topic[fades] = NO_NEED
    receptive = receptiveness(pop, b)
    rate = need_rate(pop, b, receptive)
    genuine = free & (draw[1] < rate)
    induced = free & ~genuine & pop.aware & (draw[1] < rate + F32(induced_rate) * receptive)
    new = np.flatnonzero(genuine | induced)
    give_needs(pop, b, new, induced[new], draw[2, new], rng, licence)


def receptiveness(pop: Population, b: BehaviourParams) -> NDArray[np.float32]:
    """Each holder's propensity to train (mean 1), lowered by each course taken.

    It scales needs of both kinds: the most willing use their rights first, and the pool
    depletes.
    """
    repeat = (F32(b.repeat_need_factor) ** np.arange(256, dtype=F32)).astype(F32)
    return pop.propensity * repeat[pop.uses]


def need_rate(
    pop: Population, b: BehaviourParams, receptive: NDArray[np.float32]
) -> NDArray[np.float32]:
    """Each holder's monthly chance of a genuine need, by status and education."""
    rates = np.array(
        [b.need_rate_employee, b.need_rate_job_seeker, b.need_rate_self_employed], dtype=F32
    )
    education = np.where(pop.education != BAC_OR_ABOVE, F32(b.need_factor_below_bac), F32(1.0))
    return rates[pop.status] * education * receptive


def seed_needs(world: World) -> None:
    """Give holders the needs they carry in January 2019.

    The CPF had run since 2015 (383,000 employee entries in 2018), so needs did not start from
    none: each holder carries one with the stationary probability of the arise-and-fade
    process, rate / (rate + fade). Purchases before 2019 would lower that stock a little; they
    are not represented (ODD §7.2).
    """
    b, pop = world.params.behaviour, world.population
    rate = need_rate(pop, b, receptiveness(pop, b))
    stationary = rate / (rate + F32(b.need_fade))
    rng = world.streams.get("initialise", 0, salt=2)
    draw = rng.random((2, pop.size), dtype=F32)
    new = np.flatnonzero(draw[0] < stationary)
    licence = licence_weight(b, world.policy.driving_licence_rule)
    give_needs(pop, b, new, np.zeros(new.size, dtype=bool), draw[1, new], rng, licence)


def give_needs(
    pop: Population,
    b: BehaviourParams,
    new: NDArray[np.intp],
    induced: NDArray[np.bool_],
    u_topic: NDArray[np.float32],
    rng: np.random.Generator,
    licence: NDArray[np.float64],
) -> None:
    """Draw the topic and value of the `new` holders' needs (`induced`: by marketing)."""
    if new.size == 0:
        return
    se = pop.status[new] == SELF_EMPLOYED
    shares = np.where(
        se[:, None], np.array(b.topic_shares_self_employed), np.array(b.topic_shares_employee)
    )
    if (licence != 1.0).any():
        shares = shares.copy()
        shares[:, DRIVING_LICENCE] *= licence[pop.status[new]]
        shares /= shares.sum(axis=1, keepdims=True)
    cumulative = np.cumsum(shares, axis=1)
    cumulative[:, -1] = 1.0
    topics = (u_topic[:, None] > cumulative).sum(axis=1).clip(0, N_TOPICS - 1)
    pop.need_topic[new] = topics.astype(np.int8)
    z = rng.standard_normal(new.size)
    value = b.need_value_median_eur * np.exp(b.need_value_sigma * z)
    value *= np.where(pop.education[new] != BAC_OR_ABOVE, b.income_factor_below_bac, 1.0)
    value *= np.where(pop.status[new] == JOB_SEEKER, b.income_factor_job_seeker, 1.0)
    value *= np.where(induced, b.induced_need_value_factor, 1.0)
    pop.need_value[new] = value.astype(F32)
