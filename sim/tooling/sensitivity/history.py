"""Calibration to a plausible set: history matching with Gaussian-process emulators.

Input: a design's sweep with a `historical` case run to September 2022 or later (an LHS over
the uncertainties: configs/experiment/lhs.yaml). For each fitted public target (targets.csv,
weight > 0; figures up to September 2022 only) the point's log distance to the observed range
(`Target.log_distance`, seeds' series averaged) is emulated over the unit cube by a Gaussian
process (scikit-learn: constant x Matern 5/2 + white noise, normalised output). A world x is
implausible when, for some target,

    |E[d(x)]| / sqrt(Var_emulator(x) + log(1 + tolerance)^2 + seed variance / seeds) > 3

(Pukelsheim's three-sigma rule; the tolerance band is the model discrepancy the calibration
already accepts). A large seeded Latin hypercube of candidates is screened; the non-implausible
ones, at most `keep` of them taken evenly, are the plausible set, written to plausible.json
with the non-implausible share of the box and each emulator's cross-validated R^2. A design
with `method: plausible` (configs/experiment/plausible.yaml) then runs the levers over them.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sim.calibration.targets import load_targets
from sim.outcomes import OUTCOMES
from sim.tooling.sensitivity.effects import MIX, DesignRuns

CUTOFF = 3.0
CANDIDATES = 20_000
FOLDS = 5


@dataclass(frozen=True)
class PlausibleSet:
    """The result of one wave of history matching."""

    names: list[str]  # the design's parameters, in order
    unit: NDArray[np.float64]  # plausible worlds (rows) on the unit cube
    share: float  # share of candidate worlds not implausible
    fits: pd.DataFrame  # target, cross-validated R^2, emulator warnings

    def record(self) -> dict[str, Any]:
        """The contents of plausible.json, which a `plausible` design reads back.

        Unit coordinates only: the design maps them to values through its own declaration,
        checked to be over the same parameters.
        """
        return {
            "names": self.names,
            "unit": self.unit.tolist(),
            "share_not_implausible": self.share,
            "cutoff": CUTOFF,
            "fits": self.fits.to_dict("records"),
        }


def target_distances(data: DesignRuns) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Points x targets: log distance of the seeds' mean series, and its seed variance / seeds."""
    targets = [t for t in load_targets() if t.weight > 0]
    runs = data.runs[(data.runs["scenario"] == MIX) & (data.runs["status"] == "ok")]
    columns = [c for c in data.metrics.columns if c in OUTCOMES]
    by_run = {str(r): f for r, f in data.metrics.groupby("run", sort=False)}
    means, noise = {}, {}
    for point, group in runs.groupby("point", sort=True):
        series = [
            {c: by_run[str(r)][c].to_numpy(dtype=float) for c in columns} for r in group["run"]
        ]
        mean = {c: np.mean([s[c] for s in series], axis=0) for c in columns}
        means[point] = {t.name: t.log_distance(t.simulate(mean)) for t in targets}
        per_seed = [[t.log_distance(t.simulate(s)) for t in targets] for s in series]
        spread = (
            np.var(per_seed, axis=0, ddof=1) / len(series)
            if len(series) > 1
            else np.zeros(len(targets))
        )
        noise[point] = dict(zip([t.name for t in targets], spread, strict=True))
    return pd.DataFrame(means).T.sort_index(), pd.DataFrame(noise).T.sort_index()


def _emulator(seed: int) -> Any:
    from sklearn.gaussian_process import GaussianProcessRegressor
    from sklearn.gaussian_process.kernels import ConstantKernel, Matern, WhiteKernel

    kernel = ConstantKernel(1.0) * Matern(length_scale=1.0, nu=2.5) + WhiteKernel(0.1)
    return GaussianProcessRegressor(
        kernel=kernel, normalize_y=True, n_restarts_optimizer=2, random_state=seed
    )


def _fit(x: NDArray[np.float64], y: NDArray[np.float64], seed: int) -> tuple[Any, int]:
    """A fitted emulator and how many optimiser warnings it raised (hit bounds, no convergence)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        model = _emulator(seed).fit(x, y)
    return model, len(caught)


def _cv_r2(model: Any, x: NDArray[np.float64], y: NDArray[np.float64]) -> float:
    """Cross-validated R^2 of a fitted emulator (k folds, its hyperparameters kept)."""
    from sklearn.gaussian_process import GaussianProcessRegressor

    folds = np.arange(len(y)) % FOLDS
    predicted = np.empty_like(y)
    for fold in range(FOLDS):
        test = folds == fold
        refit = GaussianProcessRegressor(kernel=model.kernel_, normalize_y=True, optimizer=None)
        predicted[test] = refit.fit(x[~test], y[~test]).predict(x[test])
    total = float(np.sum((y - y.mean()) ** 2))
    return 1.0 - float(np.sum((y - predicted) ** 2)) / total if total > 0 else math.nan


def history_match(data: DesignRuns, keep: int = 50, seed: int = 0) -> PlausibleSet:
    """One wave of history matching over the design's points (see the module docstring).

    Raises:
        ValueError: the design has fewer than 2 * FOLDS complete points with a historical case.
    """
    from SALib.sample import latin

    distances, noise = target_distances(data)
    if len(distances) < 2 * FOLDS:
        raise ValueError(f"history matching needs {2 * FOLDS} complete points with a '{MIX}' case")
    unit = np.asarray(data.record["unit"], dtype=float)[distances.index.to_numpy(dtype=int)]
    names = list(data.record["problem"]["names"])
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    candidates = np.asarray(latin.sample(problem, CANDIDATES, seed=seed), dtype=float)
    tolerance = {t.name: math.log1p(t.tolerance) for t in load_targets()}
    worst = np.zeros(len(candidates))
    fits = []
    for name in distances.columns:
        y = distances[name].to_numpy(dtype=float)
        model, warned = _fit(unit, y, seed)
        mean, sd = model.predict(candidates, return_std=True)
        scale = np.sqrt(sd**2 + tolerance[name] ** 2 + float(noise[name].mean()))
        worst = np.maximum(worst, np.abs(mean) / scale)
        fits.append({"target": name, "cv_r2": _cv_r2(model, unit, y), "optimiser_warnings": warned})
    plausible = candidates[worst <= CUTOFF]
    if len(plausible) > keep:
        plausible = plausible[np.linspace(0, len(plausible) - 1, keep).round().astype(int)]
    return PlausibleSet(names, plausible, float(np.mean(worst <= CUTOFF)), pd.DataFrame(fits))
