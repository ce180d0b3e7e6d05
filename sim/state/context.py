"""Dated facts outside regulation: the app, the lockdowns, the widening of licence eligibility."""

from __future__ import annotations

from dataclasses import dataclass

from sim.core.calendar import month_index
from sim.params import BehaviourParams, ContextParams


@dataclass(frozen=True)
class Context:
    """The run's calendar of non-regulatory events, as month indices."""

    app_launch: int
    lockdowns: frozenset[int]
    licence_widened: int

    @classmethod
    def from_params(cls, c: ContextParams) -> Context:
        """Month indices of the configured dates."""
        return cls(
            month_index(c.app_launch),
            frozenset(month_index(m) for m in c.lockdown_months),
            month_index(c.driving_licence_all),
        )

    def platform_ease(self, month: int, b: BehaviourParams) -> float:
        """How easy buying is, relative to the app fully adopted.

        Reduced before the direct-purchase app, then rising over the months holders take to
        adopt it (linear ramp of `app_adoption_months`).
        """
        if month < self.app_launch:
            return b.pre_app_access
        adopted = min(1.0, (month - self.app_launch + 1) / max(1.0, b.app_adoption_months))
        return b.pre_app_access + (1.0 - b.pre_app_access) * adopted
