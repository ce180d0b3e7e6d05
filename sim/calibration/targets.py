"""Calibration targets shipped with the project: public figures up to September 2022.

`targets.csv` (beside this file) copies what the calibration uses from the shared table of
public figures, one row per target, each with the simulated series it is compared with and how
that series is aggregated:

- ``sum``: the flow summed over the months ``start..end`` (national equivalents);
- ``ratio``: sum of the numerator series over sum of the denominator series (``a+b`` sums
  several series), over ``start..end``;
- ``mean``: the stock averaged over ``start..end``;
- ``last``: the stock in month ``end``.

Where sources disagree the target is a range ``[low, high]``; a simulated value inside it has
no error. `tolerance` is the relative distance to the range that still counts as a fit.
`weight` is the target's weight in the calibration loss (0: reported, not fitted, because no
free parameter governs it). No figure after September 2022 is allowed here: later figures are
kept out of the repository to test the model's predictions.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from sim.core.calendar import month_index

TARGETS_FILE = Path(__file__).with_name("targets.csv")
LAST_CALIBRATION_MONTH = "2022-09"
Aggregate = Literal["sum", "ratio", "mean", "last"]
AGGREGATES: tuple[str, ...] = ("sum", "ratio", "mean", "last")


@dataclass(frozen=True)
class Target:
    """One public figure and the simulated quantity it is compared with."""

    name: str
    description: str
    start: str
    """First month of the period ('YYYY-MM')."""
    end: str
    """Last month of the period ('YYYY-MM'), at most September 2022."""
    low: float
    high: float
    tolerance: float
    """Relative distance to [low, high] still counted as a fit."""
    weight: float
    numerator: tuple[str, ...]
    denominator: tuple[str, ...]
    aggregate: Aggregate
    unit: str
    source_url: str

    def __post_init__(self) -> None:
        where = f"target {self.name}"
        if self.aggregate not in AGGREGATES:
            raise ValueError(f"{where}: aggregate {self.aggregate!r} not in {AGGREGATES}")
        if (self.aggregate == "ratio") != bool(self.denominator):
            raise ValueError(f"{where}: a denominator goes with 'ratio' and only with it")
        if not 0 < self.low <= self.high:
            raise ValueError(f"{where}: need 0 < low <= high, got {self.low}, {self.high}")
        if month_index(self.end) > month_index(LAST_CALIBRATION_MONTH):
            raise ValueError(f"target {self.name}: period ends after {LAST_CALIBRATION_MONTH}")
        if month_index(self.start) > month_index(self.end):
            raise ValueError(f"target {self.name}: start {self.start} after end {self.end}")
        if self.tolerance < 0 or self.weight < 0:
            raise ValueError(f"target {self.name}: tolerance and weight must be >= 0")

    @property
    def value(self) -> float:
        """Central value (the middle of the range)."""
        return 0.5 * (self.low + self.high)

    @property
    def series(self) -> tuple[str, ...]:
        """Every simulated series the target reads."""
        return self.numerator + self.denominator

    def simulate(self, series: Mapping[str, NDArray[np.float64]]) -> float:
        """Compute the figure's simulated counterpart from a run's national-equivalent series."""
        lo, hi = month_index(self.start), month_index(self.end) + 1
        if len(series[self.numerator[0]]) < hi:
            raise ValueError(f"target {self.name}: the run ends before {self.end}")
        top = float(sum(np.sum(series[name][lo:hi]) for name in self.numerator))
        if self.aggregate == "sum":
            return top
        if self.aggregate == "mean":
            return top / (hi - lo)
        if self.aggregate == "last":
            return float(sum(series[name][hi - 1] for name in self.numerator))
        bottom = float(sum(np.sum(series[name][lo:hi]) for name in self.denominator))
        return top / bottom if bottom > 0 else 0.0

    def distance(self, simulated: float) -> float:
        """Signed relative distance from the range: 0 inside, <0 below, >0 above."""
        if simulated < self.low:
            return (simulated - self.low) / self.low
        if simulated > self.high:
            return (simulated - self.high) / self.high
        return 0.0

    def log_distance(self, simulated: float) -> float:
        """Distance from the range on a log scale (robust to large over-predictions).

        A simulated zero is read as 1% of the range's low end, so the distance stays finite.
        """
        value = max(simulated, 0.01 * self.low)
        if value < self.low:
            return float(np.log(value / self.low))
        if value > self.high:
            return float(np.log(value / self.high))
        return 0.0

    def fits(self, simulated: float) -> bool:
        """Tell whether the simulated value lies within tolerance of the range."""
        return abs(self.distance(simulated)) <= self.tolerance


def _names(cell: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in cell.split("+") if name.strip())


def load_targets(path: Path = TARGETS_FILE) -> list[Target]:
    """Read the targets table; raises ValueError on a malformed row."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    targets = []
    for row in rows:
        targets.append(
            Target(
                name=row["name"],
                description=row["description"],
                start=row["start"],
                end=row["end"],
                low=float(row["low"]),
                high=float(row["high"]),
                tolerance=float(row["tolerance"]),
                weight=float(row["weight"]),
                numerator=_names(row["numerator"]),
                denominator=_names(row["denominator"]),
                aggregate=row["aggregate"],  # type: ignore[arg-type]  # checked in __post_init__
                unit=row["unit"],
                source_url=row["source_url"],
            )
        )
    names = [t.name for t in targets]
    if len(set(names)) != len(names):
        raise ValueError("duplicate target names in " + str(path))
    return targets
