"""Courses end (ODD §7.8): completion or abandonment, payment on attendance, skills, trust.

Remote courses are abandoned far more often than in-person ones (DARES, 2021 cohort); a useful
course raises trust, a bad one or a scam lowers it; pressured trainees sometimes report.
"""

from __future__ import annotations

import numpy as np

from sim.core.domain import LEGIT, NOT_ENROLLED, PRESSURED
from sim.state.ledger import release_escrow
from sim.state.world import World


def complete_courses(world: World) -> None:
    """Courses due this month end: completion or abandonment, skills, trust, ratings."""
    b, pop, rec, month = world.params.behaviour, world.population, world.recorder, world.month
    enrolled = np.flatnonzero(pop.enrol_offer != NOT_ENROLLED)
    pop.enrol_left[enrolled] -= 1
    ending = enrolled[pop.enrol_left[enrolled] <= 0]
    if ending.size == 0:
        return
    offers = pop.enrol_offer[ending].astype(np.intp)
    quality = world.offers.quality[offers]
    relevance = pop.enrol_relevance[ending]
    kind = pop.enrol_kind[ending]
    remote = world.course_is_remote(offers)
    abandon = np.where(remote, b.abandon_remote, b.abandon_in_person) + np.where(
        kind == PRESSURED, b.abandon_pressured_extra, 0.0
    )
    rng = world.streams.get("completion", month)
    completed = rng.random(ending.size) >= abandon
    release_escrow(world, ending, offers, completed)
    rec.add("completions", month, int(completed.sum()))
    rec.add("abandonments", month, int((~completed).sum()))
    gain = np.where(completed, quality * relevance, 0.0)
    pop.skills[ending] += gain.astype(np.float32)
    rec.add("skill_gain", month, float(gain.sum()))
    useful = (
        completed
        & (kind == LEGIT)
        & (quality >= b.useful_quality)
        & (relevance >= b.useful_relevance)
    )
    rec.add_by_status("useful_enrolments", month, pop.status[ending[useful]])
    trust = pop.trust[ending]
    trust = np.where(
        useful, trust + b.trust_gain_useful * (1 - trust), trust - b.trust_loss_bad_course
    )
    pressured = kind == PRESSURED
    trust = np.where(pressured, trust - b.trust_loss_scam, trust)
    pop.trust[ending] = np.clip(trust, 0.0, 1.0).astype(np.float32)
    reporting = ending[pressured & (rng.random(ending.size) < b.report_pressured)]
    rec.add("reports", month, reporting.size)
    world.note_reports(pop.enrol_offer[reporting].astype(np.intp))
    satisfaction = np.where(completed, quality * np.maximum(relevance, 0.3), 0.0)
    org_ids = world.offers.organisation[offers]
    for org_id in np.unique(org_ids).tolist():
        org = world.org_by_id.get(org_id)
        if org is not None:
            mine = org_ids == org_id
            org.rate(float(satisfaction[mine].sum()), int(mine.sum()))
    pop.enrol_offer[ending] = NOT_ENROLLED
