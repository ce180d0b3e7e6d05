"""The one recorder: preallocated monthly series of every outcome, scaled once at the end.

Flows are monthly amounts recorded in simulated units and scaled once, at the end, to national
equivalents; stocks are recorded as they stand each month. Derived series (fraud enrolments,
value for money) are computed once from the recorded ones.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.core.domain import STATUSES
from sim.outcomes import FLOWS, SCALED_STOCKS, STOCKS


class Recorder:
    """Preallocated monthly series; `add` accumulates flows, `set` records stocks."""

    def __init__(self, n_months: int) -> None:
        self.n_months = n_months
        self.series: dict[str, NDArray[np.float64]] = {
            name: np.zeros(n_months) for name in FLOWS + STOCKS
        }

    def add(self, name: str, month: int, value: float) -> None:
        """Accumulate a flow for `month`."""
        self.series[name][month] += value

    def add_by_status(self, name: str, month: int, statuses: NDArray[np.int8]) -> None:
        """Count holders (given by their status codes) into `name` and its `name_<status>` split."""
        self.series[name][month] += statuses.size
        counts = np.bincount(statuses, minlength=len(STATUSES))
        for code, status in enumerate(STATUSES):
            self.series[f"{name}_{status}"][month] += counts[code]

    def set(self, name: str, month: int, value: float) -> None:
        """Record a stock for `month`."""
        self.series[name][month] = value

    def finalise(self, scale: float) -> dict[str, NDArray[np.float64]]:
        """Scale flows (and holder-counted stocks) to national units and add derived series."""
        out = {name: values.copy() for name, values in self.series.items()}
        for name in FLOWS + SCALED_STOCKS:
            out[name] *= scale
        out["fraud_enrolments"] = (
            out["pressured_network_enrolments"]
            + out["takeover_enrolments"]
            + out["ghost_enrolments"]
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            vfm = np.where(out["spend_eur"] > 0, out["skill_gain"] / out["spend_eur"] * 1000, 0.0)
        out["value_for_money"] = vfm
        return out
