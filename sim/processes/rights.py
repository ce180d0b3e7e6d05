"""Rights (ODD §7.1): holders leave and are replaced, job moves, last year's rights credited.

Leaving mid-course is abandoning: an escrowed course is settled before the balance expires.
Unemployment is a flow: holders become job seekers keeping the rights they earned.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.core.calendar import month_of_year
from sim.core.domain import EMPLOYEE, JOB_SEEKER, NO_QUALIFICATION, NOT_ENROLLED
from sim.params import PopulationParams
from sim.state.ledger import release_escrow
from sim.state.population import F32, Population
from sim.state.world import World


def renew_rights(world: World) -> None:
    """Turnover of holders; yearly credit of rights."""
    p, rec, pop, month = world.params.population, world.recorder, world.population, world.month
    leaving = leavers(pop, p, world.streams.get("turnover", month))
    in_course = leaving[pop.enrol_offer[leaving] != NOT_ENROLLED]
    offers = pop.enrol_offer[in_course].astype(np.intp)
    release_escrow(world, in_course, offers, np.zeros(in_course.size, dtype=bool))
    rec.add("abandonments", month, in_course.size)
    world.fraud_files.forget(leaving)
    rec.add("expired_eur", month, pop.replace(leaving, p))
    change_jobs(pop, p, world.streams.get("status", month))
    if month_of_year(month) == p.credit_month:
        rec.add("credited_eur", month, accrue(pop, p))


def leavers(pop: Population, p: PopulationParams, rng: np.random.Generator) -> NDArray[np.intp]:
    """Holders leaving the labour force this month (retirement)."""
    return np.flatnonzero(rng.random(pop.size) < p.exit_per_year / 12)


def change_jobs(pop: Population, p: PopulationParams, rng: np.random.Generator) -> None:
    """Employees lose their jobs and job seekers find one, keeping their balance.

    The job-loss rate is set so that the job-seeker share stays at `share_job_seeker`.
    """
    employees = p.share_employee
    loss = p.job_finding_per_month * p.share_job_seeker / employees if employees > 0 else 0.0
    u = rng.random(pop.size, dtype=F32)
    rate = np.array([loss, p.job_finding_per_month, 0.0], dtype=F32)[pop.status]
    moves = u < rate
    pop.status[moves & (pop.status == EMPLOYEE)] = -1  # mark, then swap
    pop.status[moves & (pop.status == JOB_SEEKER)] = EMPLOYEE
    pop.status[pop.status == -1] = JOB_SEEKER


def accrue(pop: Population, p: PopulationParams) -> float:
    """Credit last year's rights (once a year), capped; returns euros credited."""
    low = pop.education == NO_QUALIFICATION
    yearly = np.where(low, p.accrual_low_qualified_eur, p.accrual_eur) * pop.work_intensity
    cap = np.where(low, p.cap_low_qualified_eur, p.cap_eur)
    working = pop.accrues & (pop.status != JOB_SEEKER)
    credit = np.where(working, np.clip(cap - pop.balance, 0.0, yearly), 0.0)
    pop.balance += credit
    return float(credit.sum())
