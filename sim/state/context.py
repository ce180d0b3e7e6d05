"""Dated facts outside regulation: the app, the lockdowns, France Identité."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.core.calendar import month_index
from sim.params import BehaviourParams, ContextParams


@dataclass(frozen=True)
class Context:
    """The run's calendar of non-regulatory events, as month indices."""

    app_launch: int
    lockdowns: frozenset[int]
    france_identite: int

    @classmethod
    def from_params(cls, c: ContextParams) -> Context:
        """Month indices of the configured dates."""
        return cls(
            month_index(c.app_launch),
            frozenset(month_index(m) for m in c.lockdown_months),
            month_index(c.france_identite),
        )

    @property
    def last_lockdown(self) -> int:
        """The last lockdown month (-1 if none)."""
        return max(self.lockdowns, default=-1)

    def platform_ease(self, month: int, b: BehaviourParams) -> float:
        """How easy buying is, relative to the app fully adopted.

        Reduced before the direct-purchase app, then rising with the share of holders who have
        adopted it, a Bass diffusion (innovation p, imitation q) with a ceiling of 1:
        F(t) = (1 - exp(-(p + q) t)) / (1 + (q / p) exp(-(p + q) t)), t months since launch.
        """
        if month < self.app_launch:
            return b.pre_app_access
        p, q, t = b.app_innovation, b.app_imitation, month - self.app_launch + 1
        decay = np.exp(-(p + q) * t)
        adopted = (1.0 - decay) / (1.0 + q / p * decay)
        return float(b.pre_app_access + (1.0 - b.pre_app_access) * adopted)
