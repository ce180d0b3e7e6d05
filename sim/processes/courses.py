"""Courses end (ODD §7.7): completion or abandonment, payment on attendance, skills, use, trust.

Remote courses are abandoned far more often than in-person ones (DARES, 2021 cohort). A trainee
who completes a course then uses what they learned, or not: what the DARES 2021 survey asked.
The chance rises with the course's quality and its fit to the need and falls for remote
delivery, with noise; a useful enrolment is an honest one so used. It is not a threshold on the
relevance the platform may rank by, so a ranking's gain in useful enrolments is a result. A
used course raises trust, an unused one or a scam lowers it; pressured trainees sometimes report.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.core.domain import LEGIT, NOT_ENROLLED, PRESSURED
from sim.core.events import holder_draws
from sim.params import BehaviourParams
from sim.state.ledger import release_escrow
from sim.state.world import World


def remote_abandonment(b: BehaviourParams) -> float:
    """Abandonment of a remote course nobody pressured its trainee into.

    DARES's 18% is over all remote trainees, the canvassed among them; their extra is added
    per course, so it is taken out of the base once (model v2.9; v2.8 counted it twice).
    """
    return max(0.0, b.abandon_remote - b.canvassed_remote_share * b.abandon_pressured_extra)


def complete_courses(world: World) -> None:
    """Courses due this month end: completion or abandonment, skills, trust, ratings."""
    b, pop, rec, month = world.params.behaviour, world.population, world.recorder, world.month
    ending = world.rosters.courses_ending(month)
    ending = ending[(pop.enrol_offer[ending] != NOT_ENROLLED) & (pop.enrol_end[ending] == month)]
    if ending.size == 0:
        return
    offers = pop.enrol_offer[ending].astype(np.intp)
    quality = world.offers.quality[offers]
    relevance = pop.enrol_relevance[ending]
    kind = pop.enrol_kind[ending]
    remote = world.course_is_remote(offers)
    abandon = np.where(remote, remote_abandonment(b), b.abandon_in_person) + np.where(
        kind == PRESSURED, b.abandon_pressured_extra, 0.0
    )
    # each trainee's luck is the holder's own (common random numbers): completion, use, report
    u = holder_draws(world.streams.key("completion", month), ending, 3)
    completed = u[:, 0] >= abandon
    release_escrow(world, ending, offers, completed)
    rec.add("completions", month, int(completed.sum()))
    rec.add("abandonments", month, int((~completed).sum()))
    gain = np.where(completed, quality * relevance, 0.0)
    pop.skills[ending] += gain.astype(np.float32)
    rec.add("skill_gain", month, float(gain.sum()))
    used = completed & (u[:, 1] < use_probability(b, quality, relevance, remote))
    rec.add("used_learning", month, int(used.sum()))
    useful = used & (kind == LEGIT)
    rec.add_by_status("useful_enrolments", month, pop.status[ending[useful]])
    trust = world.trust.get(ending)
    trust = np.where(
        used, trust + b.trust_gain_useful * (1 - trust), trust - b.trust_loss_bad_course
    )
    pressured = kind == PRESSURED
    trust = np.where(pressured, trust - b.trust_loss_scam, trust)
    world.trust.set(ending, trust)
    reporting = ending[pressured & (u[:, 2] < b.report_pressured)]
    rec.add("reports", month, reporting.size)
    world.note_reports(pop.enrol_offer[reporting].astype(np.intp))
    # The rating is what the cohort's many real trainees report: satisfaction in expectation
    # over completion, so the completion luck of its few simulated ones does not move it.
    satisfaction = (1.0 - abandon) * quality * np.maximum(relevance, 0.3)
    org_ids = world.offers.organisation[offers]
    for org_id in np.unique(org_ids).tolist():
        org = world.org_by_id.get(org_id)
        if org is not None:
            mine = org_ids == org_id
            org.rate(float(satisfaction[mine].sum()), int(mine.sum()))
    pop.enrol_offer[ending] = NOT_ENROLLED


def use_probability(
    b: BehaviourParams,
    quality: NDArray[np.float32],
    relevance: NDArray[np.float32],
    remote: NDArray[np.bool_],
) -> NDArray[np.float64]:
    """Chance that a trainee who completed a course uses what they learned (logit)."""
    logit = (
        b.use_base
        + b.use_quality * (quality - 0.5)
        + b.use_fit * (relevance - 0.5)
        - b.use_remote * remote
    )
    return 1.0 / (1.0 + np.exp(-logit))
