"""Account holders as a struct of numpy arrays, one row per holder, and their initial draw.

Millions of holders cannot be Python objects: each attribute is one array, and each monthly
process (sim/processes/) touches the rows its events fall on (sim/core/events.py), starting from
the groups kept in sim/state/rosters.py rather than from a pass over every row.

Rows are sorted by propensity to train: the rows are independent draws and propensity is drawn
independently of everything else, so sorting it alone leaves the population's distribution as
it was, and it makes each propensity band a slice of rows (needs arise band by band).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from sim.core.domain import (
    BAC_OR_ABOVE,
    BELOW_BAC,
    EMPLOYEE,
    ID_FRANCECONNECT,
    ID_NONE,
    ID_VERIFIED,
    JOB_SEEKER,
    NO_NEED,
    NO_QUALIFICATION,
    NOT_ENROLLED,
    SELF_EMPLOYED,
)
from sim.params import PopulationParams

F32 = np.float32
NEVER = np.iinfo(np.int16).max  # a need set by hand (tests) does not fade


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
    need_until: NDArray[np.int16]
    """Month in which the need fades (drawn when it arises: fading is memoryless)."""
    vulnerability: NDArray[np.float32]
    digital_id: NDArray[np.int8]
    compromised: NDArray[np.bool_]
    topup: NDArray[np.bool_]
    enrol_offer: NDArray[np.int32]
    enrol_kind: NDArray[np.int8]
    enrol_end: NDArray[np.int16]
    """Month in which the current course ends."""
    enrol_escrow: NDArray[np.float64]
    enrol_relevance: NDArray[np.float32]
    skills: NDArray[np.float32]
    uses: NDArray[np.uint8]
    """Courses started so far: each one makes a further need less likely."""
    propensity: NDArray[np.float32]
    """Propensity to train (mean 1): scales the chance of a need, genuine or induced."""
    ever_deterred: NDArray[np.bool_]
    """Has given up at least once because of a lever (to count persons, not events)."""

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
        propensity = np.sort(rng.gamma(p.propensity_shape, 1.0 / p.propensity_shape, n).astype(F32))
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
            need_until=np.full(n, NEVER, dtype=np.int16),
            vulnerability=vulnerability,
            digital_id=digital_id,
            compromised=np.zeros(n, dtype=bool),
            topup=rng.random(n) < p.employer_topup_share,
            enrol_offer=np.full(n, NOT_ENROLLED, dtype=np.int32),
            enrol_kind=np.zeros(n, dtype=np.int8),
            enrol_end=np.zeros(n, dtype=np.int16),
            enrol_escrow=np.zeros(n),
            enrol_relevance=np.zeros(n, dtype=F32),
            skills=np.zeros(n, dtype=F32),
            uses=np.zeros(n, dtype=np.uint8),
            propensity=propensity,
            ever_deterred=np.zeros(n, dtype=bool),
        )

    def replace(self, leaving: NDArray[np.intp], p: PopulationParams) -> float:
        """Newcomers with no balance take the leavers' rows; returns the euros that expired.

        Rows keep their status and education (a stationary population), but lose balance,
        need, enrolment and history (their trust is reset by the caller: `World.trust`).
        """
        expired = float(self.balance[leaving].sum())
        self.enrol_offer[leaving] = NOT_ENROLLED
        self.balance[leaving] = 0.0
        self.need_topic[leaving] = NO_NEED
        self.need_value[leaving] = 0.0
        self.compromised[leaving] = False
        self.skills[leaving] = 0.0
        self.aware[leaving] = False
        self.uses[leaving] = 0
        self.ever_deterred[leaving] = False
        return expired

    def memory_bytes(self) -> int:
        """Bytes held by the state arrays (for the benchmark)."""
        return sum(getattr(self, name).nbytes for name in self.__dataclass_fields__)
