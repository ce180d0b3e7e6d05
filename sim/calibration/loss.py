"""The calibration loss: how far a run's series are from the public figures (targets.csv).

`simulate` gives one run's national-equivalent monthly series; `loss` and `residuals` score
series against the targets of `sim.calibration.targets`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from sim.api import run
from sim.calibration.targets import Target
from sim.params import SimParams

Series = dict[str, NDArray[np.float64]]

# Weight of the squared distance inside the tolerance band (keeps a gradient there).
PULL = 0.05


def simulate(params: SimParams, seed: int) -> Series:
    """One run's national-equivalent monthly series, with `seed`."""
    metrics = run(replace(params, seed=seed)).metrics
    return {str(c): metrics[c].to_numpy(dtype=float) for c in metrics.columns if c != "month"}


def mean_series(runs: Sequence[Mapping[str, NDArray[np.float64]]]) -> Series:
    """Series averaged over runs (seeds), name by name."""
    return {name: np.mean([run[name] for run in runs], axis=0) for name in runs[0]}


def loss(
    targets: Sequence[Target], series: Mapping[str, NDArray[np.float64]]
) -> tuple[float, dict[str, float]]:
    """Weighted sum of squared log errors beyond tolerance, plus a small pull to the range.

    Errors are log ratios to the observed range (so a 6-fold over-prediction of a lumpy count
    cannot swamp the rest); the tolerance band is log(1 + tolerance). The small term (5% of the
    squared distance) keeps a gradient inside the band, so the optimiser centres the fit.

    Returns:
        the loss and each target's simulated value.
    """
    total, simulated = 0.0, {}
    for target in targets:
        value = target.simulate(series)
        simulated[target.name] = value
        d = target.log_distance(value)
        band = float(np.log1p(target.tolerance))
        total += target.weight * (max(0.0, abs(d) - band) ** 2 + PULL * d * d)
    return total, simulated


def residuals(
    targets: Sequence[Target], series: Mapping[str, NDArray[np.float64]]
) -> NDArray[np.float64]:
    """Residuals whose sum of squares is `loss` (two per target: beyond-band and pull)."""
    out = []
    for target in targets:
        d = target.log_distance(target.simulate(series))
        band = float(np.log1p(target.tolerance))
        out.append(np.sqrt(target.weight) * np.sign(d) * max(0.0, abs(d) - band))
        out.append(np.sqrt(PULL * target.weight) * d)
    return np.array(out)
