"""Account holders as a struct of numpy arrays, one row per holder, and their bulk processes.

Millions of holders cannot be Python objects: each attribute is one array and each monthly
process is a masked, vectorised update. Random events are drawn from per-(process, month)
streams with one uniform per holder, so the same holder meets the same luck in two scenarios
(common random numbers).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.core.domain import (
    BAC_OR_ABOVE,
    BELOW_BAC,
    DRIVING_LICENCE,
    EMPLOYEE,
    ID_FRANCECONNECT,
    ID_NONE,
    ID_VERIFIED,
    JOB_SEEKER,
    N_TOPICS,
    NO_NEED,
    NO_QUALIFICATION,
    NOT_ENROLLED,
    SELF_EMPLOYED,
)
from sim.params import BehaviourParams, PopulationParams

F32 = np.float32


@dataclass
class Population:
    """State of every account holder (see docs/ODD.md, 'Entities and state')."""

    status: NDArray[np.int8]
    education: NDArray[np.int8]
    work_intensity: NDArray[np.float32]
    accrues: NDArray[np.bool_]
    balance: NDArray[np.float64]
    aware: NDArray[np.bool_]
    need_topic: NDArray[np.int8]
    need_value: NDArray[np.float32]
    vulnerability: NDArray[np.float32]
    trust: NDArray[np.float32]
    digital_id: NDArray[np.int8]
    compromised: NDArray[np.bool_]
    topup: NDArray[np.bool_]
    enrol_offer: NDArray[np.int32]
    enrol_kind: NDArray[np.int8]
    enrol_left: NDArray[np.int8]
    enrol_escrow: NDArray[np.float64]
    enrol_relevance: NDArray[np.float32]
    skills: NDArray[np.float32]

    @property
    def size(self) -> int:
        """Number of holders."""
        return int(self.status.size)

    @classmethod
    def create(cls, p: PopulationParams, rng: np.random.Generator) -> Population:
        """Draw the January 2019 population."""
        n = p.holders
        u = rng.random(n)
        status = np.full(n, EMPLOYEE, dtype=np.int8)
        status[u < p.share_job_seeker] = JOB_SEEKER
        status[(u >= p.share_job_seeker) & (u < p.share_job_seeker + p.share_self_employed)] = (
            SELF_EMPLOYED
        )
        v = rng.random(n)
        education = np.full(n, BAC_OR_ABOVE, dtype=np.int8)
        education[v < p.share_below_bac] = BELOW_BAC
        education[v < p.share_no_qualification] = NO_QUALIFICATION
        mean = p.work_intensity_mean
        concentration = 4.0  # assumption: Beta spread of work intensity
        work_intensity = rng.beta(mean * concentration, (1 - mean) * concentration, n).astype(F32)
        accrues = np.ones(n, dtype=bool)  # job seekers accrue again once back in work
        se = status == SELF_EMPLOYED
        accrues[se] = rng.random(int(se.sum())) < p.self_employed_contributing
        cap = np.where(education == NO_QUALIFICATION, p.cap_low_qualified_eur, p.cap_eur)
        balance = np.minimum(rng.gamma(1.2, p.initial_balance_mean_eur / 1.2, n), cap)
        below_bac = education != BAC_OR_ABOVE
        susceptibility = rng.beta(2.0, 2.0 / p.vulnerability_mean - 2.0, n)
        vulnerability = np.minimum(1.0, susceptibility * np.where(below_bac, 1.5, 1.0)).astype(F32)
        ids = rng.random(n)
        digital_id = np.full(n, ID_NONE, dtype=np.int8)
        digital_id[ids < p.franceconnect_share] = ID_FRANCECONNECT
        digital_id[ids < p.verified_id_share] = ID_VERIFIED
        return cls(
            status=status,
            education=education,
            work_intensity=work_intensity,
            accrues=accrues,
            balance=balance,
            aware=rng.random(n) < p.awareness_initial,
            need_topic=np.full(n, NO_NEED, dtype=np.int8),
            need_value=np.zeros(n, dtype=F32),
            vulnerability=vulnerability,
            trust=np.full(n, p.trust_initial, dtype=F32),
            digital_id=digital_id,
            compromised=np.zeros(n, dtype=bool),
            topup=rng.random(n) < p.employer_topup_share,
            enrol_offer=np.full(n, NOT_ENROLLED, dtype=np.int32),
            enrol_kind=np.zeros(n, dtype=np.int8),
            enrol_left=np.zeros(n, dtype=np.int8),
            enrol_escrow=np.zeros(n),
            enrol_relevance=np.zeros(n, dtype=F32),
            skills=np.zeros(n, dtype=F32),
        )

    def accrue(self, p: PopulationParams) -> float:
        """Credit last year's rights (once a year), capped; returns euros credited."""
        low = self.education == NO_QUALIFICATION
        yearly = np.where(low, p.accrual_low_qualified_eur, p.accrual_eur) * self.work_intensity
        cap = np.where(low, p.cap_low_qualified_eur, p.cap_eur)
        working = self.accrues & (self.status != JOB_SEEKER)
        credit = np.where(working, np.clip(cap - self.balance, 0.0, yearly), 0.0)
        self.balance += credit
        return float(credit.sum())

    def leavers(self, p: PopulationParams, rng: np.random.Generator) -> NDArray[np.intp]:
        """Holders leaving the labour force this month (retirement)."""
        return np.flatnonzero(rng.random(self.size) < p.exit_per_year / 12)

    def replace(self, leaving: NDArray[np.intp], p: PopulationParams) -> float:
        """Newcomers with no balance take the leavers' rows; returns the euros that expired.

        Rows keep their status and education (a stationary population), but lose balance,
        need, enrolment and history.
        """
        expired = float(self.balance[leaving].sum())
        self.enrol_offer[leaving] = NOT_ENROLLED
        self.balance[leaving] = 0.0
        self.need_topic[leaving] = NO_NEED
        self.need_value[leaving] = 0.0
        self.trust[leaving] = p.trust_initial
        self.compromised[leaving] = False
        self.skills[leaving] = 0.0
        self.aware[leaving] = False
        return expired

    def change_jobs(self, p: PopulationParams, rng: np.random.Generator) -> None:
        """Employees lose their jobs and job seekers find one, keeping their balance.

        The job-loss rate is set so that the job-seeker share stays at `share_job_seeker`:
        unemployment is a flow, so holders become job seekers with the rights they earned.
        """
        employees = p.share_employee
        loss = p.job_finding_per_month * p.share_job_seeker / employees if employees > 0 else 0.0
        u = rng.random(self.size, dtype=F32)
        rate = np.array([loss, p.job_finding_per_month, 0.0], dtype=F32)[self.status]
        moves = u < rate
        self.status[moves & (self.status == EMPLOYEE)] = -1  # mark, then swap
        self.status[moves & (self.status == JOB_SEEKER)] = EMPLOYEE
        self.status[self.status == -1] = JOB_SEEKER

    def spread_awareness(self, probability: float, rng: np.random.Generator) -> None:
        """Unaware holders learn they can use their CPF (media, word of mouth, advertising)."""
        self.aware |= rng.random(self.size) < probability

    def arise_needs(
        self,
        b: BehaviourParams,
        induced_rate: float,
        rng: np.random.Generator,
        driving_licence_factor: float = 1.0,
    ) -> None:
        """Needs arise (genuine, by status) or are induced by marketing; unmet needs fade.

        A need induced by marketing has a low value to the holder: these purchases are the
        first a copayment prices out (DOMAIN.md §5 fact 4). `driving_licence_factor` multiplies
        the weight of the driving-licence topic among new needs (then renormalised): more
        licence categories became eligible in January 2024.
        """
        n = self.size
        draw = rng.random((3, n), dtype=F32)
        has_need = self.need_topic != NO_NEED
        free = ~has_need & (self.enrol_offer == NOT_ENROLLED)
        fades = has_need & (draw[0] < b.need_fade)
        self.need_topic[fades] = NO_NEED
        rates = np.array(
            [b.need_rate_employee, b.need_rate_job_seeker, b.need_rate_self_employed], dtype=F32
        )
        rate = rates[self.status] * np.where(
            self.education != BAC_OR_ABOVE, F32(b.need_factor_below_bac), F32(1.0)
        )
        genuine = free & (draw[1] < rate)
        induced = free & ~genuine & self.aware & (draw[1] < rate + induced_rate)
        new = np.flatnonzero(genuine | induced)
        if new.size == 0:
            return
        se = self.status[new] == SELF_EMPLOYED
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
        self.need_topic[new] = topics.astype(np.int8)
        z = rng.standard_normal(new.size)
        value = b.need_value_median_eur * np.exp(b.need_value_sigma * z)
        value *= np.where(self.education[new] != BAC_OR_ABOVE, b.income_factor_below_bac, 1.0)
        value *= np.where(self.status[new] == JOB_SEEKER, b.income_factor_job_seeker, 1.0)
        value *= np.where(induced[new], b.induced_need_value_factor, 1.0)
        self.need_value[new] = value.astype(F32)

    def memory_bytes(self) -> int:
        """Bytes held by the state arrays (for the benchmark)."""
        return sum(getattr(self, name).nbytes for name in self.__dataclass_fields__)
