"""The calibration's free parameters: which ones, their bounds, and how to set them.

The fit (experiments/calibrate.py) searches these behavioural parameters on a log scale within
their bounds and writes the best point to configs/calibration/fitted.yaml, which the default
configuration includes (docs/calibration.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from sim.config import CONFIG_DIR, load_params
from sim.params import SimParams

FITTED_YAML = CONFIG_DIR / "calibration" / "fitted.yaml"

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


def base_params(overrides: Sequence[str] = ()) -> SimParams:
    """The default (calibrated) historical scenario, with Hydra-style overrides."""
    return load_params(["scenario=historical", *overrides])


def with_values(params: SimParams, values: Mapping[str, float]) -> SimParams:
    """A copy of `params` with dotted keys set (sections are re-validated)."""
    sections: dict[str, dict[str, float]] = {}
    for key, value in values.items():
        section, name = key.split(".")
        sections.setdefault(section, {})[name] = value
    changes = {
        section: replace(getattr(params, section), **fields) for section, fields in sections.items()
    }
    return replace(params, **changes)  # type: ignore[arg-type]


def current_values(params: SimParams) -> dict[str, float]:
    """The free parameters' values in `params`."""
    out = {}
    for key in KEYS:
        section, name = key.split(".")
        out[key] = float(getattr(getattr(params, section), name))
    return out
