"""Value checks of the regulation levers, and each lever's value when it is off.

A check returns the value converted to its type or raises ConfigError with an empty key (the
caller names the key). They live here, below the parameters, so that `SimParams` can validate a
whole scenario without importing the model; the levers' mechanisms are in sim/processes/levers.py.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from sim.core.calendar import LAST_MONTH, month_index
from sim.core.domain import (
    IDENTITY_LEVELS,
    LICENCE_RULES,
    N_TOPICS,
    RANKINGS,
    REGISTRATION_CHECKS,
    STATUSES,
    TOPICS,
)
from sim.core.errors import ConfigError

Check = Callable[[Any], Any]


def calendar_month(key: str, value: str) -> int:
    """The index of a month of the simulated calendar (2019-01..LAST_MONTH), written YYYY-MM."""
    try:
        index = month_index(value)
    except ValueError:
        raise ConfigError(key, value, "a month written 'YYYY-MM'") from None
    if not 0 <= index <= month_index(LAST_MONTH):
        raise ConfigError(key, value, f"a month from 2019-01 to {LAST_MONTH}")
    return index


def is_number(value: Any) -> bool:
    """A finite int or float (booleans are not numbers here)."""
    return not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)


def boolean(value: Any) -> bool:
    """True or false."""
    if not isinstance(value, bool):
        raise ConfigError("", value, "true or false")
    return value


def probability(value: Any) -> float:
    """A finite number in [0, 1]."""
    if not is_number(value) or not 0 <= value <= 1:
        raise ConfigError("", value, "a probability in [0, 1]")
    return float(value)


def non_negative(value: Any) -> float:
    """A finite number >= 0."""
    if not is_number(value) or value < 0:
        raise ConfigError("", value, "a finite number >= 0")
    return float(value)


def choice(options: tuple[str, ...]) -> Check:
    """One of `options`."""

    def check(value: Any) -> str:
        if value not in options:
            raise ConfigError("", value, "one of " + " | ".join(options))
        return str(value)

    return check


def topic_caps(value: Any) -> tuple[float, ...]:
    """None (no caps) or one cap >= 0 per topic (0: no cap for that topic)."""
    allowed = f"null or a list of {N_TOPICS} caps >= 0 (0: no cap), in the order "
    allowed += ", ".join(TOPICS)
    if value is None:
        return ()
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise ConfigError("", value, allowed)
    caps = tuple(value)
    if len(caps) != N_TOPICS or any(not is_number(c) or c < 0 for c in caps):
        raise ConfigError("", list(caps), allowed)
    return tuple(float(c) for c in caps)


def groups(value: Any) -> tuple[str, ...]:
    """A list of holder groups (statuses, or holders with an employer top-up)."""
    allowed = STATUSES + ("employer_topup",)
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise ConfigError("", value, "a list of groups from " + ", ".join(allowed))
    chosen = tuple(value)
    for group in chosen:
        if group not in allowed:
            raise ConfigError("", group, "groups are " + ", ".join(allowed))
    return chosen


# Regulation key -> (value when off, i.e. in the `none` scenario; check of one value).
LEVER_VALUES: dict[str, tuple[Any, Check]] = {
    "identity_check": ("none", choice(IDENTITY_LEVELS)),
    "canvassing_ban": (False, boolean),
    "canvassing_enforcement": (0.0, probability),
    "copayment_eur": (0.0, non_negative),
    "copayment_exempt": ((), groups),
    "qualiopi_required": (False, boolean),
    "audit_rate": (0.0, non_negative),
    "payment_on_attendance": (False, boolean),
    "anomaly_detection": (0.0, probability),
    "ranking": ("visibility", choice(RANKINGS)),
    "price_cap_eur": (0.0, non_negative),
    "price_cap_by_topic_eur": ((), topic_caps),
    "business_creation_restricted": (False, boolean),
    "registration_checks": ("none", choice(REGISTRATION_CHECKS)),
    "driving_licence_rule": ("car", choice(LICENCE_RULES)),
}
