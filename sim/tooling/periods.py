"""Outcome totals over a window of months, or year by year, from a sweep's monthly table.

A policy acts from a date: its effect on 2025-26 fraud is lost in a 2019-2026 total. Totals
follow the registry's kind (`sim.outcomes`): flows are summed over the months, stocks read at
the last month, ratios taken as the ratio of the summed flows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from sim.outcomes import OUTCOMES, RATIOS


def _in_window(months: pd.Series, start: str | None, stop: str | None) -> pd.Series:
    text = months.astype(str)
    keep = pd.Series(True, index=months.index)
    if start:
        keep &= text >= start
    if stop:
        keep &= text <= stop
    return keep


def _totals(group: pd.DataFrame, columns: Sequence[str]) -> dict[str, float]:
    ordered = group.sort_values("month")
    out: dict[str, float] = {}
    for name in columns:
        kind = OUTCOMES[name].kind
        if kind == "stock":
            out[name] = float(ordered[name].iloc[-1])
        elif kind == "flow":
            out[name] = float(ordered[name].sum())
    for name, (top, bottom, factor) in RATIOS.items():
        if top in ordered and bottom in ordered:
            denominator = float(ordered[bottom].sum())
            out[name] = float(ordered[top].sum()) / denominator * factor if denominator else 0.0
    return out


def outcome_columns(metrics: pd.DataFrame) -> list[str]:
    """The monthly table's columns that are registered outcomes."""
    return [c for c in metrics.columns if c in OUTCOMES]


def window_totals(
    metrics: pd.DataFrame, start: str | None = None, stop: str | None = None, by_year: bool = False
) -> pd.DataFrame:
    """One row per run (and per year with `by_year`): each outcome's total over the window.

    Raises:
        ValueError: no month of the table falls in the window.
    """
    kept = metrics[_in_window(metrics["month"], start, stop)]
    if kept.empty:
        raise ValueError(f"no month between {start or 'the start'} and {stop or 'the end'}")
    columns = outcome_columns(metrics)
    keys = ["run"] + (["year"] if by_year else [])
    if by_year:
        kept = kept.assign(year=kept["month"].astype(str).str[:4].astype(int))
    rows = [
        {**dict(zip(keys, key if isinstance(key, tuple) else (key,), strict=True)), **totals}
        for key, group in kept.groupby(keys, sort=True)
        for totals in [_totals(group, columns)]
    ]
    return pd.DataFrame(rows)


def windowed_runs(
    runs: pd.DataFrame, metrics: pd.DataFrame, start: str | None, stop: str | None
) -> pd.DataFrame:
    """The runs table with each outcome total replaced by its total over the window.

    Outcomes without a monthly series are left out (NaN): they cannot be cut to a window.
    """
    totals = window_totals(metrics, start, stop).set_index("run")
    out = runs.copy()
    for name in [c for c in out.columns if c in OUTCOMES]:
        out[name] = out["run"].map(totals[name]) if name in totals else np.nan
    return out


def window_text(start: str | None, stop: str | None, runs: pd.DataFrame) -> str:
    """'2025-01 to 2026-12' (the run's own start and end where not given)."""
    done = runs[runs["status"] == "ok"]
    first = start or (str(done["start"].iloc[0]) if "start" in done and len(done) else "start")
    last = stop or (str(done["end"].iloc[0]) if "end" in done and len(done) else "end")
    return f"{first} to {last}"
