"""Small groups of holders kept up to date by the events that change them.

A month touches few holders, so the groups a process starts from (job seekers, holders with a
need, compromised accounts, courses ending this month) are kept as row lists updated where the
event happens, not found again by a pass over every holder. Lists marked 'superset' may hold
rows that have since left the group (a need met, an account recovered): the process reading
one filters it on the holder's state, which stays the one truth.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.core.domain import JOB_SEEKER
from sim.state.population import Population

BAND_EDGES = 2.0 ** np.arange(-4, 7)  # propensity bands: above 1/16, max / min <= 2


def _rows(values: NDArray[np.integer] | list[int]) -> NDArray[np.int64]:
    return np.asarray(values, dtype=np.int64)


class Rosters:
    """Row lists of the groups monthly processes start from (see the module docstring)."""

    def __init__(self, pop: Population) -> None:
        n = pop.size
        self.job_seekers = np.flatnonzero(pop.status == JOB_SEEKER)
        """Sorted rows of job seekers (exact)."""
        self.needers = np.zeros(0, dtype=np.int64)
        """Sorted rows that may hold a need (superset)."""
        self.listed = np.zeros(n, dtype=bool)
        """Whether a row is in `needers` (so it is never listed twice)."""
        self.compromised = np.zeros(0, dtype=np.int64)
        """Rows whose account may be compromised (superset)."""
        self.course_ends: dict[int, list[NDArray[np.int64]]] = {}
        """Rows whose course is due to end in each month (superset)."""
        # Rows are sorted by propensity (Population.create): each band is a slice of rows.
        cuts = np.searchsorted(pop.propensity, BAND_EDGES)
        bounds = np.unique(np.concatenate([[0], cuts, [n]]))
        self.band_start = bounds[:-1]
        self.band_end = bounds[1:]
        """Rows [band_start, band_end) of each propensity band."""
        top = np.maximum(self.band_end - 1, 0)
        self.band_max = pop.propensity[top].astype(np.float64) if n else np.zeros(0)
        """Largest propensity in each band."""

    # ------------------------------------------------------------- job seekers
    def move_jobs(self, found: NDArray[np.int64], lost: NDArray[np.int64]) -> None:
        """`found` (positions in `job_seekers`) find work; the sorted rows `lost` lose theirs."""
        kept = np.delete(self.job_seekers, found)
        self.job_seekers = np.insert(kept, np.searchsorted(kept, lost), lost)

    # ------------------------------------------------------------- needs
    def add_needers(self, rows: NDArray[np.int64]) -> None:
        """Distinct rows that were given a need (any order; those already listed are skipped)."""
        new = np.sort(rows[~self.listed[rows]])
        if new.size:
            self.listed[new] = True
            self.needers = np.insert(self.needers, np.searchsorted(self.needers, new), new)

    def keep_needers(self, keep: NDArray[np.bool_]) -> None:
        """Keep the listed rows where `keep` is true (aligned with `needers`)."""
        self.listed[self.needers[~keep]] = False
        self.needers = self.needers[keep]

    # ------------------------------------------------------------- compromised accounts
    def add_compromised(self, rows: NDArray[np.int64]) -> None:
        """Accounts just compromised."""
        self.compromised = np.union1d(self.compromised, rows)

    def still_compromised(self, pop: Population) -> NDArray[np.int64]:
        """Sorted rows whose account is compromised (the list is pruned to them)."""
        self.compromised = self.compromised[pop.compromised[self.compromised]]
        return self.compromised

    # ------------------------------------------------------------- courses
    def add_course_ends(self, rows: NDArray[np.int64], end_months: NDArray[np.integer]) -> None:
        """Holders whose course ends in `end_months` (one per row)."""
        for month in np.unique(end_months).tolist():
            self.course_ends.setdefault(month, []).append(_rows(rows[end_months == month]))

    def courses_ending(self, month: int) -> NDArray[np.int64]:
        """Sorted rows listed as ending a course in `month` (superset; the list is dropped)."""
        lists = self.course_ends.pop(month, [])
        return np.unique(np.concatenate(lists)) if lists else np.zeros(0, dtype=np.int64)

    def enrolled(self) -> NDArray[np.int64]:
        """Sorted rows that may be in a course (superset: every holder in one is listed)."""
        lists = [part for parts in self.course_ends.values() for part in parts]
        return np.unique(np.concatenate(lists)) if lists else np.zeros(0, dtype=np.int64)

    def memory_bytes(self) -> int:
        """Bytes held by the lists and flags."""
        lists = sum(a.nbytes for parts in self.course_ends.values() for a in parts)
        return (
            self.job_seekers.nbytes
            + self.needers.nbytes
            + self.listed.nbytes
            + self.compromised.nbytes
            + lists
        )
