"""Dated schedules: a lever value is a constant or a mapping "YYYY-MM" -> value.

Before the first date of a mapping the lever keeps its `off` value (the value it has in the
`none` scenario), so `{"2024-05": 100}` means "no copayment until May 2024, then 100 euros".
Dates are checked against the whole calendar (2019-01..LAST_MONTH), so a scenario can be run to
an earlier `end` (as the calibration does, to September 2022): later dates are simply not reached.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sim.core.calendar import LAST_MONTH, month_index
from sim.core.errors import ConfigError


def resolve(
    key: str,
    value: Any,
    n_months: int,
    off: Any,
    check: Callable[[Any], Any],
) -> list[Any]:
    """Expand a constant or dated schedule to one value per month, validating every value.

    Args:
        key: dotted config key, for error messages.
        value: a constant or a mapping from "YYYY-MM" to a value.
        n_months: length of the horizon from January 2019.
        off: value before the first date of a mapping.
        check: returns the value converted to its type, or raises ConfigError(key="", ...).
    """
    if not isinstance(value, Mapping):
        return [_checked(key, value, check)] * n_months
    if not value:
        raise ConfigError(key, dict(value), "a schedule needs at least one 'YYYY-MM': value entry")
    changes: dict[int, Any] = {}
    for date, item in value.items():
        try:
            index = month_index(str(date))
        except ValueError:
            raise ConfigError(key, date, "schedule dates are months written 'YYYY-MM'") from None
        if not 0 <= index <= month_index(LAST_MONTH):
            allowed = f"schedule dates must lie in the calendar 2019-01..{LAST_MONTH}"
            raise ConfigError(key, date, allowed)
        checked = _checked(f"{key}[{date}]", item, check)
        if index < n_months:  # a date after the run's end is valid but not reached
            changes[index] = checked
    out = []
    current = off
    for month in range(n_months):
        current = changes.get(month, current)
        out.append(current)
    return out


def _checked(key: str, value: Any, check: Callable[[Any], Any]) -> Any:
    try:
        return check(value)
    except ConfigError as error:
        raise ConfigError(key, value, error.allowed) from None


def change_months(values: list[Any]) -> list[int]:
    """Months at which a resolved schedule changes value (for marking lever dates on figures)."""
    return [m for m in range(1, len(values)) if values[m] != values[m - 1]]
