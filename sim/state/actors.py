"""What the state and the platform need to know of organisations and fraud networks.

The Mesa agents (sim/agents/) satisfy these protocols; the layers below them name only these,
so the books and the checkout never import an agent.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
from numpy.typing import NDArray


class OrganisationLike(Protocol):
    """A cohort of real training organisations with one strategy (or one network's shell)."""

    unique_id: int
    strategy: int
    weight: float
    listed: bool
    removed: bool
    qualiopi: bool
    network: int | None
    offers: NDArray[np.intp]
    canvassing: float
    capacity_left: int
    """Places left this month in the organisation's courses (simulated trainees)."""
    places_left: float
    """The same with the fractions of a place a small sample cannot open (expected books)."""
    calls: float
    costs: float
    pressured_revenue: float
    pressured_cost: float
    fraud_paid: NDArray[np.float64]
    """Fraudulent payments received per recent month and channel (simulated euros)."""

    @property
    def visibility(self) -> float:
        """Search-ranking visibility."""
        ...

    @property
    def displayed_rating(self) -> float:
        """Rating shown to holders."""
        ...

    def receive(self, amount: float, delivery_cost: float, channel: int | None) -> None:
        """Book a payment (national euros) and its delivery cost."""
        ...

    def book_sampling_gap(self, revenue: float, delivery_cost: float) -> None:
        """Note how far the month's honest sales fell from their expectation."""
        ...

    def book_expected_pressure(self, revenue: float, delivery_cost: float) -> None:
        """Note what this month's calls should bring (revenue, delivery cost; national)."""
        ...

    def rate(self, satisfaction: float, n: int) -> None:
        """Collect end-of-course satisfaction."""
        ...

    def delist(self) -> None:
        """Removed from the platform: offers withdrawn, no more sales."""
        ...


class NetworkLike(Protocol):
    """A professional fraud network."""

    unique_id: int
    experience: NDArray[np.float64]
    """Experience (0-1) in each channel: successful practice defeats controls."""
    sanctioned: float

    def pay_fine(self, amount: float) -> None:
        """A fine on the network's shell is the network's loss."""
        ...
