"""Shared pieces of the calibration experiments: free parameters, simulation, the loss.

Used by calibrate.py (the fit), validate.py (the validation report) and predict.py.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from sim.calibration.targets import LAST_CALIBRATION_MONTH, Target, load_targets
from sim.config import load_params
from sim.model import CPFModel
from sim.params import SimParams

ROOT = Path(__file__).resolve().parent.parent
FITTED_YAML = ROOT / "configs" / "calibration" / "fitted.yaml"

# Free behavioural parameters: (dotted key, lower bound, upper bound). Searched on a log scale.
FREE: tuple[tuple[str, float, float], ...] = (
    ("behaviour.need_rate_employee", 0.001, 0.03),
    ("behaviour.need_rate_job_seeker", 0.005, 0.2),
    ("behaviour.awareness_rate", 0.001, 0.05),
    ("behaviour.word_of_mouth", 0.1, 20.0),
    ("behaviour.marketing_reach", 0.05, 5.0),
    ("behaviour.pre_app_access", 0.05, 1.0),
    ("market.canvassing_success", 0.001, 0.1),
    ("market.entry_rate", 0.02, 2.0),
    ("market.balance_anchor", 0.4, 1.0),
    ("fraud.phishing_success", 0.002, 0.3),
    ("fraud.entry_rate", 0.01, 3.0),
    ("platform.reports_to_audit", 1e-5, 5e-3),
    ("population.work_intensity_mean", 0.2, 1.0),
    ("population.initial_balance_mean_eur", 200.0, 1500.0),
    ("behaviour.need_factor_below_bac", 0.8, 3.0),
    ("behaviour.report_pressured", 0.02, 0.8),
    ("market.remote_conversion", 0.01, 0.5),
    ("behaviour.app_adoption_months", 1.0, 48.0),
    ("fraud.canvassing_success", 0.002, 0.1),
    ("behaviour.useful_quality", 0.05, 0.9),
    ("behaviour.useful_relevance", 0.05, 0.95),
)
KEYS = tuple(key for key, _, _ in FREE)


def base_params(overrides: list[str] | None = None) -> SimParams:
    """The default (calibrated) historical scenario, with Hydra-style overrides."""
    return load_params(["scenario=historical", *(overrides or [])])


def with_values(params: SimParams, values: dict[str, float]) -> SimParams:
    """A copy of `params` with dotted keys set (sections are re-validated)."""
    sections: dict[str, dict[str, float]] = {}
    for key, value in values.items():
        section, name = key.split(".")
        sections.setdefault(section, {})[name] = value
    changes = {
        section: replace(getattr(params, section), **fields) for section, fields in sections.items()
    }
    return replace(params, **changes)


def current_values(params: SimParams) -> dict[str, float]:
    """The free parameters' values in `params`."""
    out = {}
    for key in KEYS:
        section, name = key.split(".")
        out[key] = float(getattr(getattr(params, section), name))
    return out


def simulate(params: SimParams, seed: int) -> dict[str, np.ndarray]:
    """One run's national-equivalent monthly series."""
    model = CPFModel(replace(params, seed=seed))
    model.run_all()
    return model.recorder.finalise(params.population.scale)


def mean_series(runs: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Series averaged over runs (seeds), name by name."""
    return {name: np.mean([run[name] for run in runs], axis=0) for name in runs[0]}


def loss(targets: list[Target], series: dict[str, np.ndarray]) -> tuple[float, dict[str, float]]:
    """Weighted sum of squared log errors beyond tolerance, plus a small pull to the range.

    Errors are log ratios to the observed range (so a 6-fold over-prediction of a lumpy count
    cannot swamp the rest); the tolerance band is log(1 + tolerance). The small term (5% of the
    squared distance) keeps a gradient inside the band, so the optimiser centres the fit.
    """
    total, simulated = 0.0, {}
    for target in targets:
        value = target.simulate(series)
        simulated[target.name] = value
        d = target.log_distance(value)
        band = float(np.log1p(target.tolerance))
        total += target.weight * (max(0.0, abs(d) - band) ** 2 + 0.05 * d * d)
    return total, simulated


def residuals(targets: list[Target], series: dict[str, np.ndarray]) -> np.ndarray:
    """Residuals whose sum of squares is `loss` (two per target: beyond-band and pull)."""
    out = []
    for target in targets:
        d = target.log_distance(target.simulate(series))
        band = float(np.log1p(target.tolerance))
        out.append(np.sqrt(target.weight) * np.sign(d) * max(0.0, abs(d) - band))
        out.append(np.sqrt(0.05 * target.weight) * d)
    return np.array(out)


def calibration_window() -> str:
    """Last month the calibration simulates (no target lies after it)."""
    return LAST_CALIBRATION_MONTH


__all__ = ["FREE", "KEYS", "load_targets"]
