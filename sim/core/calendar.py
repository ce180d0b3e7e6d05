"""Monthly calendar of a run: month labels "YYYY-MM" and their indices from January 2019."""

from __future__ import annotations

import re

START_YEAR = 2019
LAST_MONTH = "2026-12"
_LABEL = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")


def month_index(label: str) -> int:
    """Months from January 2019 to `label` ("YYYY-MM"); raises ValueError on a bad label."""
    match = _LABEL.match(str(label))
    if not match:
        raise ValueError(f"{label!r} is not a month written YYYY-MM")
    return (int(match.group(1)) - START_YEAR) * 12 + int(match.group(2)) - 1


def month_label(index: int) -> str:
    """The "YYYY-MM" label of month `index` (0 is January 2019)."""
    return f"{START_YEAR + index // 12}-{index % 12 + 1:02d}"


def month_of_year(index: int) -> int:
    """Calendar month 1..12 of month `index`."""
    return index % 12 + 1


def year_of(index: int) -> int:
    """Calendar year of month `index`."""
    return START_YEAR + index // 12
