"""A lever's schedule drawn as a timeline (HTML): one band per period, 2019 to 2026.

Each band spans the months a value holds and says it in the run notes' words; periods where
the lever is off (its value in the `none` scenario) are grey.
"""

from __future__ import annotations

import html
from typing import Any

from sim.core.calendar import START_YEAR, month_label, year_of
from sim.core.checks import LEVER_VALUES
from sim.run_notes import lever_words
from sim.tooling.app.worlds import N_MONTHS, monthly

COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948")
OFF = "#d9d9d9"


def periods(name: str, value: Any) -> list[tuple[int, int, Any]]:
    """(first month, months, value) of each period of constant value."""
    months = monthly(name, value)
    out: list[tuple[int, int, Any]] = []
    start = 0
    for m in range(1, N_MONTHS + 1):
        if m == N_MONTHS or months[m] != months[start]:
            out.append((start, m - start, months[start]))
            start = m
    return out


def timeline_html(name: str, value: Any) -> str:
    """The schedule as a row of bands above a row of years."""
    off = LEVER_VALUES[name][0]
    bands = []
    for i, (start, length, item) in enumerate(periods(name, value)):
        words = lever_words(name, item).removesuffix(" throughout")
        colour = OFF if item == off else COLOURS[i % len(COLOURS)]
        tip = html.escape(f"{words} from {month_label(start)}")
        bands.append(
            f'<div title="{tip}" style="flex:{length};background:{colour};overflow:hidden;'
            f'white-space:nowrap;font-size:11px;padding:2px 3px;color:#111">'
            f"{html.escape(words)}</div>"
        )
    years = "".join(
        f'<div style="flex:12;font-size:10px;color:#555;border-left:1px solid #aaa;'
        f'padding-left:2px">{START_YEAR + y}</div>'
        for y in range(year_of(N_MONTHS - 1) - START_YEAR + 1)
    )
    return (
        f'<div class="timeline" data-lever="{name}">'
        f'<div style="display:flex;gap:1px">{"".join(bands)}</div>'
        f'<div style="display:flex">{years}</div></div>'
    )
