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
CHUNK = 1 << 20  # rows drawn at a time


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
        """Draw the January 2019 population, a slice of rows at a time (no N-sized temporary)."""
        n = p.holders
        pop = cls(
            status=np.empty(n, dtype=np.int8),
            education=np.empty(n, dtype=np.int8),
            work_intensity=np.empty(n, dtype=F32),
            accrues=np.empty(n, dtype=bool),
            balance=np.empty(n),
            aware=np.empty(n, dtype=bool),
            need_topic=np.full(n, NO_NEED, dtype=np.int8),
            need_value=np.zeros(n, dtype=F32),
            need_until=np.full(n, NEVER, dtype=np.int16),
            vulnerability=np.empty(n, dtype=F32),
            digital_id=np.empty(n, dtype=np.int8),
            compromised=np.zeros(n, dtype=bool),
            topup=np.empty(n, dtype=bool),
            enrol_offer=np.full(n, NOT_ENROLLED, dtype=np.int32),
            enrol_kind=np.zeros(n, dtype=np.int8),
            enrol_end=np.zeros(n, dtype=np.int16),
            enrol_escrow=np.zeros(n),
            enrol_relevance=np.zeros(n, dtype=F32),
            skills=np.zeros(n, dtype=F32),
            uses=np.zeros(n, dtype=np.uint8),
            propensity=np.empty(n, dtype=F32),
            ever_deterred=np.zeros(n, dtype=bool),
        )
        for start in range(0, n, CHUNK):
            pop._draw(slice(start, min(n, start + CHUNK)), p, rng)
        pop.propensity.sort()  # see the module docstring
        return pop

    def _draw(self, rows: slice, p: PopulationParams, rng: np.random.Generator) -> None:
        """Draw the attributes of one slice of rows."""
        n = rows.stop - rows.start
        u = rng.random((5, n), dtype=F32)
        status = np.full(n, EMPLOYEE, dtype=np.int8)
        status[u[0] < p.share_job_seeker] = JOB_SEEKER
        se = (u[0] >= p.share_job_seeker) & (u[0] < p.share_job_seeker + p.share_self_employed)
        status[se] = SELF_EMPLOYED
        education = np.full(n, BAC_OR_ABOVE, dtype=np.int8)
        education[u[1] < p.share_below_bac] = BELOW_BAC
        education[u[1] < p.share_no_qualification] = NO_QUALIFICATION
        mean = p.work_intensity_mean
        concentration = 4.0  # assumption: Beta spread of work intensity
        self.work_intensity[rows] = rng.beta(mean * concentration, (1 - mean) * concentration, n)
        accrues = np.ones(n, dtype=bool)  # job seekers accrue again once back in work
        accrues[se] = rng.random(int(se.sum())) < p.self_employed_contributing
        cap = np.where(education == NO_QUALIFICATION, p.cap_low_qualified_eur, p.cap_eur)
        self.balance[rows] = np.minimum(rng.gamma(1.2, p.initial_balance_mean_eur / 1.2, n), cap)
        below_bac = education != BAC_OR_ABOVE
        susceptibility = rng.beta(2.0, 2.0 / p.vulnerability_mean - 2.0, n)
        self.vulnerability[rows] = np.minimum(1.0, susceptibility * np.where(below_bac, 1.5, 1.0))
        shape = p.propensity_shape
        self.propensity[rows] = rng.standard_gamma(shape, n, dtype=F32) / F32(shape)
        digital_id = np.full(n, ID_NONE, dtype=np.int8)
        digital_id[u[2] < p.franceconnect_share] = ID_FRANCECONNECT
        digital_id[u[2] < p.verified_id_share] = ID_VERIFIED
        self.status[rows], self.education[rows], self.accrues[rows] = status, education, accrues
        self.digital_id[rows] = digital_id
        self.aware[rows] = u[3] < p.awareness_initial
        self.topup[rows] = u[4] < p.employer_topup_share

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
