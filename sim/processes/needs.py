"""Awareness and needs (ODD §7.2): holders learn of their CPF or forget it; needs arise or fade.

A need induced by marketing has a low value to the holder: these purchases are the first a
copayment prices out (DOMAIN.md §5 fact 4). Demand saturates: each course taken makes a further
need less likely, unused awareness fades, and which driving licences are funded moves the weight
of licence needs.

Events are drawn where they fall (sim/core/events.py), not with a uniform per holder: a month
costs what its events cost, with the same probabilities for every holder.
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
from sim.core.events import bernoulli_rows, holder_uniforms, thin
from sim.params import BehaviourParams
from sim.state.population import F32, NEVER, Population
from sim.state.world import World

Rows = NDArray[np.int64] | slice
ALL = slice(None)


def arise_needs(world: World) -> None:
    """Awareness from media, word of mouth and advertising; needs fade and arise."""
    b, pop, signals, month = world.params.behaviour, world.population, world.signals, world.month
    # Advertising's reach saturates (a concave response: the same people see the ads again).
    advertising = 1.0 - np.exp(-b.marketing_reach * signals.marketing_per_holder / 100.0)
    word_of_mouth = b.word_of_mouth * signals.last_enrolments / pop.size
    streams = world.streams
    spread_awareness(
        pop,
        b.awareness_rate,
        word_of_mouth + advertising,
        b.awareness_fade,
        [streams.get("awareness", month, salt=k) for k in range(3)],
    )
    fade_needs(world)
    licence = licence_weight(b, world.policy.driving_licence_rule)
    draw_needs(world, advertising, licence)


def spread_awareness(
    pop: Population,
    base: float,
    extra: float,
    fade: float,
    rngs: list[np.random.Generator],
) -> None:
    """Unaware holders learn they can use their CPF; aware ones who never used it may forget.

    A holder learns with probability min(1, `base` + `extra`): media (`base`, lever-free) and
    word of mouth and advertising (`extra`) are two independent layers, the second at
    extra / (1 - base) so the union has that probability; a lever that changes the second
    leaves the first layer's draws as they were. Forgetting is decided on the month's starting
    state and wins over learning, as in one draw per holder.
    """
    forget_rng, base_rng, extra_rng = rngs
    forget = bernoulli_rows(forget_rng, pop.size, fade)
    forget = forget[pop.aware[forget] & (pop.uses[forget] == 0)]
    second = 1.0 if base >= 1.0 else min(1.0, extra / (1.0 - base))
    pop.aware[bernoulli_rows(base_rng, pop.size, base)] = True
    pop.aware[bernoulli_rows(extra_rng, pop.size, second)] = True
    pop.aware[forget] = False


def fade_needs(world: World) -> None:
    """Needs whose fading month has come fade; the roster of holders with a need is pruned.

    Each month a need fades with probability `need_fade`; the month it fades is drawn once,
    when it arises (a geometric lifetime: the same law, without a draw per need per month).
    """
    pop, rosters = world.population, world.rosters
    rows = rosters.needers
    has_need = pop.need_topic[rows] != NO_NEED
    fading = has_need & (pop.need_until[rows] <= world.month)
    pop.need_topic[rows[fading]] = NO_NEED
    rosters.keep_needers(has_need & ~fading)


def draw_needs(world: World, induced_rate: float, licence: NDArray[np.float64]) -> None:
    """New needs arise, genuine or induced by marketing, for holders free of need and course.

    Genuine needs arise by status; both kinds scale with the holder's propensity to train and
    fall after each course taken. Job seekers, whose need rate is high, are drawn one uniform
    each (u < genuine: genuine; u < genuine + induced and aware: induced). The others are drawn
    band by band of propensity by thinning (sim/core/events.py): genuine needs at the band's
    upper bound, then induced needs as a second independent layer at induced / (1 - genuine),
    which gives each holder exactly the probabilities of one uniform.

    `licence` (one weight per status) multiplies the weight of the driving-licence topic among
    new needs, then the topic shares are renormalised.
    """
    b, pop, rosters, month = world.params.behaviour, world.population, world.rosters, world.month
    genuine_rng = world.streams.get("needs", month)
    induced_rng = world.streams.get("needs", month, salt=1)
    rates = status_rates(b)
    bound = max(rates[EMPLOYEE], rates[SELF_EMPLOYED]) * max(1.0, b.need_factor_below_bac)
    genuine, induced = [], []
    for start, end, top in zip(
        rosters.band_start.tolist(),
        rosters.band_end.tolist(),
        rosters.band_max.tolist(),
        strict=True,
    ):
        g_bound = min(1.0, top * bound)
        rows = start + bernoulli_rows(genuine_rng, end - start, g_bound)
        g = need_rate(pop, b, receptiveness(pop, b, rows), rows)
        keep = thin(genuine_rng, g, g_bound) & _free(pop, rows, JOB_SEEKER)
        genuine.append(rows[keep])
        i_bound = 1.0 if g_bound >= 1.0 else min(1.0, top * induced_rate / (1.0 - g_bound))
        rows = start + bernoulli_rows(induced_rng, end - start, i_bound)
        recept = receptiveness(pop, b, rows)
        g = need_rate(pop, b, recept, rows)
        i = np.where(g < 1, F32(induced_rate) * recept / np.maximum(1 - g, F32(1e-9)), 0.0)
        keep = thin(induced_rng, i, i_bound) & _free(pop, rows, JOB_SEEKER) & pop.aware[rows]
        induced.append(np.setdiff1d(rows[keep], genuine[-1], assume_unique=True))
    js = rosters.job_seekers
    u = world.streams.get("needs", month, salt=2).random(js.size, dtype=F32)
    recept = receptiveness(pop, b, js)
    g = need_rate(pop, b, recept, js)
    free = _free(pop, js, -1)
    js_genuine = free & (u < g)
    js_induced = free & ~js_genuine & pop.aware[js] & (u < g + F32(induced_rate) * recept)
    genuine.append(js[js_genuine])
    induced.append(js[js_induced])
    new_genuine, new_induced = np.concatenate(genuine), np.concatenate(induced)
    new = np.concatenate([new_genuine, new_induced])
    kind = np.repeat([False, True], [new_genuine.size, new_induced.size])
    u_topic = holder_uniforms(world.streams.key("needs", month, salt=3), new).astype(F32)
    rng = world.streams.get("needs", month, salt=4)
    give_needs(pop, b, new, kind, u_topic, rng, licence, month)
    rosters.add_needers(new)


def _free(pop: Population, rows: NDArray[np.int64], excluded_status: int) -> NDArray[np.bool_]:
    """Rows with no need and no course, not of `excluded_status` (-1: none excluded)."""
    free = (pop.need_topic[rows] == NO_NEED) & (pop.enrol_offer[rows] == NOT_ENROLLED)
    return free & (pop.status[rows] != excluded_status)


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


def receptiveness(pop: Population, b: BehaviourParams, rows: Rows = ALL) -> NDArray[np.float32]:
    """Each holder's propensity to train (mean 1), lowered by each course taken.

    It scales needs of both kinds: the most willing use their rights first, and the pool
    depletes.
    """
    repeat = (F32(b.repeat_need_factor) ** np.arange(256, dtype=F32)).astype(F32)
    return pop.propensity[rows] * repeat[pop.uses[rows]]


def status_rates(b: BehaviourParams) -> NDArray[np.float32]:
    """Monthly genuine need rate of a holder of mean propensity, by status (bac or above)."""
    return np.array(
        [b.need_rate_employee, b.need_rate_job_seeker, b.need_rate_self_employed], dtype=F32
    )


def need_rate(
    pop: Population, b: BehaviourParams, receptive: NDArray[np.float32], rows: Rows = ALL
) -> NDArray[np.float32]:
    """Each holder's monthly chance of a genuine need, by status and education."""
    below_bac = pop.education[rows] != BAC_OR_ABOVE
    education = np.where(below_bac, F32(b.need_factor_below_bac), F32(1.0))
    return status_rates(b)[pop.status[rows]] * education * receptive


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
    give_needs(pop, b, new, np.zeros(new.size, dtype=bool), draw[1, new], rng, licence, -1)
    world.rosters.add_needers(new)


def give_needs(
    pop: Population,
    b: BehaviourParams,
    new: NDArray[np.intp],
    induced: NDArray[np.bool_],
    u_topic: NDArray[np.float32],
    rng: np.random.Generator,
    licence: NDArray[np.float64],
    month: int,
) -> None:
    """Draw the topic, value and fading month of the `new` holders' needs arising in `month`.

    `induced`: by marketing. A need fades at the start of a later month with probability
    `need_fade` each month: its fading month is `month` plus a geometric lifetime.
    """
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
    fade = b.need_fade
    lifetime = rng.geometric(fade, new.size) if fade > 0 else np.full(new.size, NEVER)
    pop.need_until[new] = np.minimum(month + lifetime, NEVER).astype(np.int16)
