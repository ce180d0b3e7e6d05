"""Sample designs over declared uncertainties, drawn by SALib (never written by hand).

Every factor is sampled on [0, 1] (SALib's unit problem) and mapped to its parameter's value by
its declared scale and distribution (`Uncertainty.value`), so Morris' mu* is per unit of a
plausible range and comparable across parameters. A design is deterministic given its settings
and seed: re-running a sweep regenerates the same points, the same jobs and the same folders,
which is what lets a killed design resume without duplicates or gaps.

- morris: `size` trajectories of `levels` levels, over groups (the declared Morris groups, each
  moving its parameters together) or single parameters;
- sobol: Saltelli's extension of a scrambled Sobol sequence (SALib's `sobol` sampler),
  `size` base points (a power of two), first- and total-order indices (no second order);
- lhs: `size` points of a Latin hypercube (for emulators and history matching);
- plausible: the worlds of a history-matched plausible set (`source`: a plausible.json written
  by the report of an LHS design, `sim.tooling.sensitivity.history`), `size` of them at most.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from sim.core.errors import ConfigError
from sim.tooling.sensitivity.uncertainties import Uncertainties

Method = Literal["morris", "sobol", "lhs", "plausible"]
METHODS: tuple[str, ...] = ("morris", "sobol", "lhs", "plausible")


@dataclass(frozen=True)
class DesignSettings:
    """What to sample: method, size, seed, which factors, and Morris' options.

    Attributes:
        method: morris, sobol or lhs.
        size: Morris trajectories, Sobol base points (a power of two) or LHS points.
        seed: the design's seed (not the runs' seeds).
        factors: keys or groups to vary (empty: every declared uncertainty).
        groups: move each declared group as one factor (Morris or Sobol over ~140 parameters).
        levels: Morris grid levels (even).
        source: the plausible.json a `plausible` design draws its worlds from.
    """

    method: str
    size: int
    seed: int = 0
    factors: tuple[str, ...] = ()
    groups: bool = False
    levels: int = 4
    source: str = ""

    def check(self) -> None:
        """Raise ConfigError for a setting outside what SALib accepts."""
        if self.method not in METHODS:
            raise ConfigError("design.method", self.method, "one of " + " | ".join(METHODS))
        if not isinstance(self.size, int) or self.size < 2:
            raise ConfigError("design.size", self.size, "a whole number >= 2")
        if self.method == "sobol" and self.size & (self.size - 1):
            raise ConfigError("design.size", self.size, "a power of two for Sobol (8, 16, 32, ...)")
        if self.levels < 2 or self.levels % 2:
            raise ConfigError("design.levels", self.levels, "an even number >= 2")
        if not isinstance(self.seed, int) or self.seed < 0:
            raise ConfigError("design.seed", self.seed, "a whole number >= 0")
        if self.method == "plausible" and not Path(self.source).is_file():
            allowed = "the plausible.json an LHS design's report wrote (cpf-sensitivity)"
            raise ConfigError("design.source", self.source, allowed)


@dataclass(frozen=True)
class Design:
    """The sampled points: `unit` (points x parameters, in [0, 1]) and SALib's problem."""

    settings: DesignSettings
    uncertainties: Uncertainties
    problem: dict[str, Any]
    unit: NDArray[np.float64]

    @property
    def points(self) -> int:
        """Number of design points."""
        return int(self.unit.shape[0])

    def values(self, point: int) -> dict[str, float | int]:
        """Parameter values (natural units) of one point."""
        row = self.unit[point]
        return {
            u.key: u.value(float(x)) for u, x in zip(self.uncertainties.ranges, row, strict=True)
        }

    def factor_names(self) -> list[str]:
        """The factors indices are reported for: groups when the design moves groups."""
        groups = self.problem.get("groups")
        return list(dict.fromkeys(groups)) if groups else list(self.problem["names"])


def salib_problem(uncertainties: Uncertainties, groups: bool) -> dict[str, Any]:
    """SALib's problem on the unit cube, with the declared groups if asked."""
    problem: dict[str, Any] = {
        "num_vars": len(uncertainties.ranges),
        "names": uncertainties.keys,
        "bounds": [[0.0, 1.0]] * len(uncertainties.ranges),
    }
    if groups:
        problem["groups"] = [u.group for u in uncertainties.ranges]
    return problem


def make_design(settings: DesignSettings, declared: Uncertainties) -> Design:
    """Sample the design (deterministic given the settings).

    Raises:
        ConfigError: a setting is invalid or a factor is not declared.
    """
    settings.check()
    factors = settings.factors
    if settings.method == "plausible" and not factors:
        factors = tuple(_read_plausible(settings.source)[0])  # the set's own parameters
    chosen = declared.select(factors) if factors else declared
    if len(chosen.ranges) < 2 and settings.method in ("morris", "sobol"):
        raise ConfigError("design.factors", list(settings.factors), "at least two parameters")
    problem = salib_problem(chosen, settings.groups and settings.method in ("morris", "sobol"))
    if settings.method == "morris":
        from SALib.sample import morris

        unit = morris.sample(problem, settings.size, num_levels=settings.levels, seed=settings.seed)
    elif settings.method == "sobol":
        from SALib.sample import sobol

        unit = sobol.sample(problem, settings.size, calc_second_order=False, seed=settings.seed)
    elif settings.method == "lhs":
        from SALib.sample import latin

        unit = latin.sample(problem, settings.size, seed=settings.seed)
    else:
        unit = _plausible_worlds(settings, chosen)
    return Design(settings, chosen, problem, np.asarray(unit, dtype=float))


def _plausible_worlds(settings: DesignSettings, chosen: Uncertainties) -> NDArray[np.float64]:
    """The first `size` worlds of a plausible set, checked to be over the same parameters."""
    names, unit = _read_plausible(settings.source)
    if names != chosen.keys:
        allowed = "a plausible set over the design's parameters (same uncertainties and factors)"
        raise ConfigError("design.source", settings.source, allowed)
    if len(unit) == 0:
        raise ConfigError(
            "design.source", settings.source, "a plausible set with one world at least"
        )
    return unit[: settings.size]


def _read_plausible(source: str) -> tuple[list[str], NDArray[np.float64]]:
    """The parameter names and unit coordinates of a plausible.json."""
    try:
        record = json.loads(Path(source).read_text())
        names = list(record["names"])
        return names, np.asarray(record["unit"], dtype=float).reshape(-1, len(names))
    except (OSError, ValueError, KeyError) as error:
        why = f"a readable plausible.json ({type(error).__name__})"
        raise ConfigError("design.source", source, why) from None
