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
from sim.core.events import bernoulli_rows, holder_uniforms, outside, thin
from sim.params import BehaviourParams
from sim.state.population import F32, NEVER, Population
from sim.state.world import World

Rows = NDArray[np.int64] | slice
ALL = slice(None)
COUPLING_FLOOR = 0.01
"""Least bound at which lever-driven layers (word of mouth, advertising) draw candidates: above
their usual monthly chance (a few per thousand), so two scenarios draw the same candidates and
differ only in which they keep."""


def arise_needs(world: World) -> None:
    """Awareness from media, word of mouth and advertising; needs arise and fade."""
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
    # New needs arise for holders free at the start of the step, so a need fading this month
    # makes room only from next month: draw first, then fade.
    licence = licence_weight(b, world.policy.driving_licence_rule)
    draw_needs(world, advertising, licence)
    fade_needs(world)


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
    leaves the first layer's draws as they were. The second layer's candidates are drawn at a
    fixed bound (`COUPLING_FLOOR`, or its own chance if higher) and kept with chance / bound,
    so a higher chance keeps a superset of the holders a lower one keeps, as one uniform per
    holder would. Forgetting is decided on the month's starting
    state and wins over learning, as in one draw per holder.
    """
    forget_rng, base_rng, extra_rng = rngs
    forget = bernoulli_rows(forget_rng, pop.size, fade)
    forget = forget[pop.aware[forget] & (pop.uses[forget] == 0)]
    second = 1.0 if base >= 1.0 else min(1.0, extra / (1.0 - base))
    bound = max(second, COUPLING_FLOOR)
    pop.aware[bernoulli_rows(base_rng, pop.size, base)] = True
    told = bernoulli_rows(extra_rng, pop.size, bound)
    pop.aware[told[extra_rng.random(told.size) * bound < second]] = True
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
    fall after each course taken. Holders are drawn band by band of propensity (rows are
    sorted by it), job seekers (whose need rate is high) apart from the others, by thinning
    (sim/core/events.py): genuine needs at the band's upper bound of the genuine rate, then
    induced needs for the aware as a second independent layer at induced / (1 - genuine). Each
    holder has exactly the chances of one uniform u per holder (u < genuine: genuine; else
    u < genuine + induced: induced), and the genuine layer's draws do not depend on marketing.

    `licence` (one weight per status) multiplies the weight of the driving-licence topic among
    new needs, then the topic shares are renormalised.
    """
    b, pop, rosters, month = world.params.behaviour, world.population, world.rosters, world.month
    streams = world.streams
    others = (streams.get("needs", month), streams.get("needs", month, salt=1))
    seekers = (streams.get("needs", month, salt=2), streams.get("needs", month, salt=5))
    rates = status_rates(b)
    education = max(1.0, b.need_factor_below_bac)
    other_rate = max(rates[EMPLOYEE], rates[SELF_EMPLOYED]) * education
    seeker_rate = rates[JOB_SEEKER] * education
    js = rosters.job_seekers
    js_start = np.searchsorted(js, rosters.band_start)
    js_end = np.searchsorted(js, rosters.band_end)
    genuine, induced = [], []
    for band, top in enumerate(rosters.band_max.tolist()):
        start, end = int(rosters.band_start[band]), int(rosters.band_end[band])
        found = _needs_in_band(
            pop,
            b,
            None,
            start,
            end - start,
            top * other_rate,
            induced_rate,
            top,
            others,
            JOB_SEEKER,
        )
        genuine.append(found[0])
        induced.append(found[1])
        lo, hi = int(js_start[band]), int(js_end[band])
        found = _needs_in_band(
            pop,
            b,
            js,
            lo,
            hi - lo,
            top * seeker_rate,
            induced_rate,
            top,
            seekers,
            -1,
        )
        genuine.append(found[0])
        induced.append(found[1])
    new_genuine, new_induced = np.concatenate(genuine), np.concatenate(induced)
    new = np.concatenate([new_genuine, new_induced])
    kind = np.repeat([False, True], [new_genuine.size, new_induced.size])
    u_topic = holder_uniforms(streams.key("needs", month, salt=3), new).astype(F32)
    u_life = holder_uniforms(streams.key("needs", month, salt=6), new)
    rng = streams.get("needs", month, salt=4)
    give_needs(pop, b, new, kind, u_topic, u_life, rng, licence, month)
    rosters.add_needers(new)


def _needs_in_band(
    pop: Population,
    b: BehaviourParams,
    members: NDArray[np.int64] | None,
    first: int,
    n: int,
    genuine_bound: float,
    induced_rate: float,
    top: float,
    rngs: tuple[np.random.Generator, np.random.Generator],
    excluded_status: int,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Genuine and induced new needs among `n` rows of one band.

    The band's rows are `members[first:first + n]`, or rows `first` to `first + n` if
    `members` is None.

    `genuine_bound` bounds every row's genuine chance, `top` its propensity.
    """
    genuine_rng, induced_rng = rngs
    g_bound = min(1.0, genuine_bound)
    rows = _rows(members, first + bernoulli_rows(genuine_rng, n, g_bound))
    g = need_rate(pop, b, receptiveness(pop, b, rows), rows)
    genuine = rows[thin(genuine_rng, g, g_bound) & _free(pop, rows, excluded_status)]
    # at a fixed bound unless advertising exceeds it: see `spread_awareness` (coupling)
    induced = max(induced_rate, COUPLING_FLOOR)
    i_bound = 1.0 if g_bound >= 1.0 else min(1.0, top * induced / (1.0 - g_bound))
    rows = _rows(members, first + bernoulli_rows(induced_rng, n, i_bound))
    recept = receptiveness(pop, b, rows)
    g = need_rate(pop, b, recept, rows)
    # the chance of an induced need given none genuine: induced / (1 - genuine)
    i = np.where(g < 1, F32(induced_rate) * recept / np.maximum(1 - g, F32(1e-9)), 0.0)
    keep = thin(induced_rng, i, i_bound) & _free(pop, rows, excluded_status) & pop.aware[rows]
    return genuine, outside(rows[keep], genuine)


def _rows(members: NDArray[np.int64] | None, at: NDArray[np.int64]) -> NDArray[np.int64]:
    return at if members is None else members[at]


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
    induced = np.zeros(new.size, dtype=bool)
    give_needs(pop, b, new, induced, draw[1, new], rng.random(new.size), rng, licence, -1)
    world.rosters.add_needers(new)


def topic_cumulative(b: BehaviourParams, licence: NDArray[np.float64]) -> NDArray[np.float64]:
    """Cumulative topic shares of a new need, one row per status (licence weight applied)."""
    shares = np.array(
        [
            b.topic_shares_self_employed if code == SELF_EMPLOYED else b.topic_shares_employee
            for code in range(len(STATUSES))
        ]
    )
    shares[:, DRIVING_LICENCE] *= licence
    shares /= shares.sum(axis=1, keepdims=True)
    cumulative = np.cumsum(shares, axis=1)
    cumulative[:, -1] = 1.0
    return cumulative


def give_needs(
    pop: Population,
    b: BehaviourParams,
    new: NDArray[np.intp],
    induced: NDArray[np.bool_],
    u_topic: NDArray[np.float32],
    u_life: NDArray[np.float64],
    rng: np.random.Generator,
    licence: NDArray[np.float64],
    month: int,
) -> None:
    """Draw the topic, value and fading month of the `new` holders' needs arising in `month`.

    `induced`: by marketing. A need fades at the start of a later month with probability
    `need_fade` each month: its fading month is `month` plus a geometric lifetime, drawn by
    inversion from `u_life` (the holder's own uniform, so a need's life does not depend on
    how many others arose).
    """
    if new.size == 0:
        return
    status = pop.status[new]
    topics = np.empty(new.size, dtype=np.int8)
    for code, cumulative in enumerate(topic_cumulative(b, licence)):
        mine = status == code
        # the number of cumulative shares below u: the topic of a uniform u
        drawn = np.searchsorted(cumulative, u_topic[mine], side="left")
        topics[mine] = np.minimum(drawn, N_TOPICS - 1)
    pop.need_topic[new] = topics
    z = rng.standard_normal(new.size)
    value = b.need_value_median_eur * np.exp(b.need_value_sigma * z)
    value *= np.where(pop.education[new] != BAC_OR_ABOVE, b.income_factor_below_bac, 1.0)
    value *= np.where(status == JOB_SEEKER, b.income_factor_job_seeker, 1.0)
    value *= np.where(induced, b.induced_need_value_factor, 1.0)
    pop.need_value[new] = value.astype(F32)
    fade = b.need_fade
    if fade <= 0:
        lifetime = np.full(new.size, float(NEVER))
    elif fade >= 1:
        lifetime = np.ones(new.size)
    else:  # P(lifetime > k) = (1 - fade) ** k
        lifetime = 1 + np.floor(np.log1p(-u_life) / np.log1p(-fade))
    pop.need_until[new] = np.minimum(month + lifetime, NEVER).astype(np.int16)
