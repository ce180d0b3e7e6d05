"""Rights (ODD §7.1): holders leave and are replaced, job moves, last year's rights credited.

Leaving mid-course is abandoning: an escrowed course is settled before the balance expires.
Unemployment is a flow: holders become job seekers keeping the rights they earned.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.core.calendar import month_of_year
from sim.core.domain import EMPLOYEE, JOB_SEEKER, NO_QUALIFICATION, NOT_ENROLLED
from sim.core.events import bernoulli_rows
from sim.params import PopulationParams
from sim.state.ledger import release_escrow
from sim.state.population import Population
from sim.state.rosters import Rosters
from sim.state.world import World

CHUNK = 1 << 20  # rows credited at a time: the yearly pass allocates no N-sized temporary


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
    world.trust.set(leaving, p.trust_initial)
    change_jobs(pop, world.rosters, p, world.streams.get("status", month))
    if month_of_year(month) == p.credit_month:
        rec.add("credited_eur", month, accrue(pop, p))


def leavers(pop: Population, p: PopulationParams, rng: np.random.Generator) -> NDArray[np.intp]:
    """Holders leaving the labour force this month (retirement)."""
    return bernoulli_rows(rng, pop.size, p.exit_per_year / 12)


def change_jobs(
    pop: Population, rosters: Rosters, p: PopulationParams, rng: np.random.Generator
) -> None:
    """Employees lose their jobs and job seekers find one, keeping their balance.

    The job-loss rate is set so that the job-seeker share stays at `share_job_seeker`. Both
    moves are drawn from the month's starting statuses: job finding among the listed job
    seekers, job loss among candidates drawn at the loss rate and kept if employees (the
    self-employed do not move).
    """
    employees = p.share_employee
    loss = p.job_finding_per_month * p.share_job_seeker / employees if employees > 0 else 0.0
    found = bernoulli_rows(rng, rosters.job_seekers.size, p.job_finding_per_month)
    candidates = bernoulli_rows(rng, pop.size, loss)
    lost = candidates[pop.status[candidates] == EMPLOYEE]
    pop.status[rosters.job_seekers[found]] = EMPLOYEE
    pop.status[lost] = JOB_SEEKER
    rosters.move_jobs(found, lost)


def accrue(pop: Population, p: PopulationParams) -> float:
    """Credit last year's rights (once a year), capped; returns euros credited.

    The one yearly pass over every holder; done in slices so it needs no N-sized temporary.
    """
    total = 0.0
    for start in range(0, pop.size, CHUNK):
        rows = slice(start, start + CHUNK)
        low = pop.education[rows] == NO_QUALIFICATION
        accrual = np.where(low, p.accrual_low_qualified_eur, p.accrual_eur)
        yearly = accrual * pop.work_intensity[rows]
        cap = np.where(low, p.cap_low_qualified_eur, p.cap_eur)
        working = pop.accrues[rows] & (pop.status[rows] != JOB_SEEKER)
        credit = np.where(working, np.clip(cap - pop.balance[rows], 0.0, yearly), 0.0)
        pop.balance[rows] += credit
        total += float(credit.sum())
    return total
