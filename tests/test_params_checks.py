"""Every numeric parameter is checked once, from its declared range: finite, in range, typed.

Drawn over every ranged field of every section, so a new parameter is covered as soon as it
is declared with `ranged(...)`.
"""

from __future__ import annotations

from dataclasses import fields, replace

import pytest

from sim.core.errors import ConfigError
from sim.params import SECTIONS, SimParams

RANGED = [
    (section, item.name, item.metadata["range"])
    for section, cls in SECTIONS.items()
    for item in fields(cls)
    if "range" in item.metadata
]


def _with(section: str, name: str, value: object) -> SimParams:
    params = SimParams()
    return replace(params, **{section: replace(getattr(params, section), **{name: value})})


def test_most_numeric_parameters_declare_their_range() -> None:
    assert len(RANGED) > 100


@pytest.mark.parametrize(("section", "name", "bounds"), RANGED, ids=lambda v: str(v))
def test_non_finite_and_out_of_range_values_are_refused_naming_the_key(section, name, bounds):
    low, high = bounds
    bad = [float("nan"), float("inf"), float("-inf"), "3", True, low - 1]
    if high is not None:
        bad.append(high + 1)
    for value in bad:
        with pytest.raises(ConfigError) as caught:
            _with(section, name, value)
        assert caught.value.key == name, (name, value)


def test_a_nan_inside_a_list_parameter_is_refused() -> None:
    params = SimParams()
    with pytest.raises(ConfigError, match="markup"):
        replace(params.market, markup=[1.1, float("nan"), 1.5, 1.6])


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1.0])
def test_a_lever_value_must_be_finite(value: float) -> None:
    with pytest.raises(ConfigError, match="regulation.copayment_eur"):
        _with("regulation", "copayment_eur", {"2024-05": value})


def test_context_dates_must_lie_in_the_calendar() -> None:
    with pytest.raises(ConfigError, match="app_launch"):
        _with("context", "app_launch", "2031-01")
