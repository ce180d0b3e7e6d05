"""The platform's catalogue: every offer ever listed, as growable arrays indexed by offer id.

Offer ids are never reused (delisted offers stay, inactive), so a holder's enrolment can keep
pointing at its course after the organisation is gone.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray


class Offers:
    """Struct of arrays of offers; `n` rows are in use."""

    def __init__(self, capacity: int = 1024) -> None:
        self.n = 0
        self.organisation = np.zeros(capacity, dtype=np.int32)
        self.strategy = np.zeros(capacity, dtype=np.int8)
        self.topic = np.zeros(capacity, dtype=np.int8)
        self.hours = np.zeros(capacity, dtype=np.float32)
        self.fair_price = np.zeros(capacity, dtype=np.float64)
        self.price = np.zeros(capacity, dtype=np.float64)
        self.quality = np.zeros(capacity, dtype=np.float32)
        self.fit_general = np.zeros(capacity, dtype=np.float32)
        self.fit_self_employed = np.zeros(capacity, dtype=np.float32)
        self.remote = np.zeros(capacity, dtype=bool)
        self.converted = np.zeros(capacity, dtype=bool)
        """Moved online during a lockdown (and may move back)."""
        self.active = np.zeros(capacity, dtype=bool)
        self.legit_sales = np.zeros(capacity, dtype=np.int64)
        """Honest enrolments sold so far (simulated holders)."""

    def _grow(self, needed: int) -> None:
        capacity = self.organisation.size
        if needed <= capacity:
            return
        new_capacity = max(needed, 2 * capacity)
        for name, array in vars(self).items():
            if isinstance(array, np.ndarray):
                grown = np.zeros(new_capacity, dtype=array.dtype)
                grown[:capacity] = array
                setattr(self, name, grown)

    def add(
        self,
        organisation: int,
        strategy: int,
        topic: NDArray[np.int8],
        hours: NDArray[np.float32],
        fair_price: NDArray[np.float64],
        price: NDArray[np.float64],
        quality: NDArray[np.float32],
        fit_general: NDArray[np.float32],
        fit_self_employed: NDArray[np.float32],
        remote: NDArray[np.bool_],
    ) -> NDArray[np.int64]:
        """Append offers of one organisation; returns their ids."""
        k = len(topic)
        self._grow(self.n + k)
        ids = np.arange(self.n, self.n + k)
        self.organisation[ids] = organisation
        self.strategy[ids] = strategy
        self.topic[ids] = topic
        self.hours[ids] = hours
        self.fair_price[ids] = fair_price
        self.price[ids] = price
        self.quality[ids] = quality
        self.fit_general[ids] = fit_general
        self.fit_self_employed[ids] = fit_self_employed
        self.remote[ids] = remote
        self.active[ids] = True
        self.n += k
        return ids

    def active_ids(self) -> NDArray[np.intp]:
        """Ids of offers currently listed."""
        return np.flatnonzero(self.active[: self.n])
