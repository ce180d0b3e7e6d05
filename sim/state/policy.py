"""The rules in force this month, written by the levers and read by every process."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray


@dataclass
class Policy:
    """The value of every lever this month (sim/processes/levers.py says what each does)."""

    identity_level: int = 0
    identity_since: int = 0
    """Month the identity level in force was first required."""
    canvassing_ban: bool = False
    canvassing_ban_since: int = 0
    """Month the ban in force came into force."""
    canvassing_enforcement: float = 0.0
    copayment_eur: float = 0.0
    copayment_exempt: tuple[str, ...] = ()
    search_boost: float = 1.0
    qualiopi_required: bool = False
    audit_rate: float = 0.0
    payment_on_attendance: bool = False
    anomaly_detection: float = 0.0
    ranking: str = "visibility"
    price_cap_eur: float = 0.0
    price_cap_by_topic_eur: tuple[float, ...] = ()
    business_creation_restricted: bool = False
    registration_checks: str = "none"
    driving_licence_rule: str = "car"

    def cap(self, prices: NDArray[np.float64], topics: NDArray[np.int8]) -> NDArray[np.float64]:
        """`prices` of courses on `topics` within the caps in force (0 means no cap)."""
        if self.price_cap_eur > 0:
            prices = np.minimum(prices, self.price_cap_eur)
        if self.price_cap_by_topic_eur:
            caps = np.asarray(self.price_cap_by_topic_eur)[topics]
            prices = np.where(caps > 0, np.minimum(prices, caps), prices)
        return prices
