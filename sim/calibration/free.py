"""The calibration's free parameters: which ones, their bounds, and how to set them.

The fit (experiments/calibrate.py) searches these parameters (most on a log scale) within
their bounds and writes the best point to configs/calibration/fitted.yaml, which the default
configuration includes (docs/calibration.md).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from sim.config import CONFIG_DIR, load_params
from sim.params import SimParams

FITTED_YAML = CONFIG_DIR / "calibration" / "fitted.yaml"

# Free parameters: (dotted key, lower bound, upper bound, searched on a log scale). Every
# parameter the pre-reform targets are sensitive to; the reforms' own parameters (identity
# give-ups, registration, licence rules, enforcement response) are not here: no pre-October
# 2022 figure can set them, so they stay stated assumptions.
FREE: tuple[tuple[str, float, float, bool], ...] = (
    ("behaviour.need_rate_employee", 0.0005, 0.03, True),
    ("behaviour.need_rate_job_seeker", 0.005, 0.3, True),
    ("behaviour.need_factor_below_bac", 0.8, 3.0, True),
    ("behaviour.awareness_rate", 0.001, 0.05, True),
    ("behaviour.word_of_mouth", 0.1, 20.0, True),
    ("behaviour.marketing_reach", 0.02, 5.0, True),
    ("behaviour.pre_app_access", 0.05, 1.0, True),
    ("behaviour.app_innovation", 0.002, 0.3, True),
    ("behaviour.app_imitation", 0.01, 1.0, True),
    ("behaviour.min_relevance", 0.05, 0.7, False),
    ("behaviour.report_pressured", 0.02, 0.8, True),
    ("behaviour.use_base", -2.0, 3.0, False),
    ("market.canvassing_success", 0.001, 0.1, True),
    ("market.entry_rate", 0.02, 2.0, True),
    ("market.balance_anchor", 0.4, 1.0, False),
    ("market.price_level", 0.6, 2.0, True),
    ("market.remote_conversion", 0.01, 0.6, True),
    ("fraud.phishing_success", 0.002, 0.3, True),
    ("fraud.entry_rate", 0.01, 3.0, True),
    ("fraud.canvassing_success", 0.002, 0.1, True),
    ("platform.reports_to_audit", 1e-5, 5e-3, True),
    ("population.work_intensity_mean", 0.2, 1.0, False),
    ("population.initial_balance_mean_eur", 200.0, 1500.0, True),
)
KEYS = tuple(key for key, *_ in FREE)


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
