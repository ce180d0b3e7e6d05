"""Awareness and needs (ODD §7.2): holders learn of their CPF; needs arise or fade.

A need induced by marketing has a low value to the holder: these purchases are the first a
copayment prices out (DOMAIN.md §5 fact 4).
"""

from __future__ import annotations

import numpy as np

from sim.core.domain import (
    BAC_OR_ABOVE,
    DRIVING_LICENCE,
    JOB_SEEKER,
    N_TOPICS,
    NO_NEED,
    NOT_ENROLLED,
    SELF_EMPLOYED,
)
from sim.params import BehaviourParams
from sim.state.population import F32, Population
from sim.state.world import World


def arise_needs(world: World) -> None:
    """Awareness from media, word of mouth and advertising; needs arise and fade."""
    b, pop, signals = world.params.behaviour, world.population, world.signals
    advertising = b.marketing_reach * signals.marketing_per_holder / 100.0
    word_of_mouth = b.word_of_mouth * signals.last_enrolments / pop.size
    rng = world.streams.get("awareness", world.month)
    spread_awareness(pop, min(1.0, b.awareness_rate + word_of_mouth + advertising), rng)
    widened = world.month >= world.context.licence_widened
    licence = 1.0 + world.params.context.driving_licence_all_boost * widened
    draw_needs(pop, b, min(1.0, advertising), world.streams.get("needs", world.month), licence)


def spread_awareness(pop: Population, probability: float, rng: np.random.Generator) -> None:
    """Unaware holders learn they can use their CPF (media, word of mouth, advertising)."""
    pop.aware |= rng.random(pop.size) < probability


def draw_needs(
    pop: Population,
    b: BehaviourParams,
    induced_rate: float,
    rng: np.random.Generator,
    driving_licence_factor: float = 1.0,
) -> None:
    """Needs arise (genuine, by status) or are induced by marketing; unmet needs fade.

    `driving_licence_factor` multiplies the weight of the driving-licence topic among new needs
    (then renormalised): more licence categories became eligible in January 2024.
    """
    n = pop.size
    draw = rng.random((3, n), dtype=F32)
    has_need = pop.need_topic != NO_NEED
    free = ~has_need & (pop.enrol_offer == NOT_ENROLLED)
    fades = has_need & (draw[0] < b.need_fade)
    pop.need_topic[fades] = NO_NEED
    rates = np.array(
        [b.need_rate_employee, b.need_rate_job_seeker, b.need_rate_self_employed], dtype=F32
    )
    rate = rates[pop.status] * np.where(
        pop.education != BAC_OR_ABOVE, F32(b.need_factor_below_bac), F32(1.0)
    )
    genuine = free & (draw[1] < rate)
    induced = free & ~genuine & pop.aware & (draw[1] < rate + induced_rate)
    new = np.flatnonzero(genuine | induced)
    if new.size == 0:
        return
    se = pop.status[new] == SELF_EMPLOYED
    shares = np.where(
        se[:, None], np.array(b.topic_shares_self_employed), np.array(b.topic_shares_employee)
    )
    if driving_licence_factor != 1.0:
        shares = shares.copy()
        shares[:, DRIVING_LICENCE] *= driving_licence_factor
        shares /= shares.sum(axis=1, keepdims=True)
    cumulative = np.cumsum(shares, axis=1)
    cumulative[:, -1] = 1.0
    topics = (draw[2, new][:, None] > cumulative).sum(axis=1).clip(0, N_TOPICS - 1)
    pop.need_topic[new] = topics.astype(np.int8)
    z = rng.standard_normal(new.size)
    value = b.need_value_median_eur * np.exp(b.need_value_sigma * z)
    value *= np.where(pop.education[new] != BAC_OR_ABOVE, b.income_factor_below_bac, 1.0)
    value *= np.where(pop.status[new] == JOB_SEEKER, b.income_factor_job_seeker, 1.0)
    value *= np.where(induced[new], b.induced_need_value_factor, 1.0)
    pop.need_value[new] = value.astype(F32)
