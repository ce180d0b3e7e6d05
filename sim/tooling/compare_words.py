"""Paired differences said plainly: signed amounts with units, % changes, one sentence each.

"+782k useful enrolments", "−12M EUR fraud loss (−9%)": the sign is the direction of the
change (scenario minus baseline), never flipped into "prevented" or "lost"; whether that is
better or worse comes from the registry's `better`, and a 95% interval that spans zero is said
to be no clear change. `effects_frame` is the tidy table behind the report's tables, its CSV and
XLSX; `seed_guidance` says how precise the differences are and how many seeds would help.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats as st

from sim.outcomes import OUTCOMES, Outcome

MINUS = "\u2212"  # a real minus sign: "−314k" reads as a number, "-314k" as a dash


def amount(outcome: Outcome, value: float, sign: bool = True) -> str:
    """`value` in the outcome's display unit: '+782k', '−12M EUR', '+0.04'."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if value == 0:
        return "0"
    scaled = value / outcome.divisor
    digits = (
        outcome.digits if abs(scaled) >= 10 else max(outcome.digits, 1 if abs(scaled) >= 1 else 2)
    )
    suffix = outcome.display_unit.removeprefix("EUR ") if outcome.divisor != 1 else ""
    unit = " EUR" if outcome.unit == "EUR" else ""
    text = f"{abs(scaled):,.{digits}f}{suffix}{unit}"
    if not sign or round(scaled, digits) == 0:
        return text if scaled >= 0 or not sign else f"{MINUS}{text}"
    return ("+" if scaled > 0 else MINUS) + text


def percent(difference: float, base: float) -> str:
    """'−9.1%' of the baseline ('n/a' when the baseline is zero)."""
    if not (math.isfinite(difference) and math.isfinite(base)) or base == 0:
        return "n/a"
    value = 100 * difference / abs(base)
    text = f"{abs(value):.1f}%" if abs(value) < 10 else f"{abs(value):.0f}%"
    return ("+" if value > 0 else MINUS if value < 0 else "") + text


def reading(outcome: Outcome, mean: float, lo: float, hi: float) -> str:
    """'better', 'worse', 'no clear change' (the interval spans 0) or '' (neutral outcome)."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo <= 0 <= hi:
        return "no clear change"
    if outcome.better == "neutral":
        return ""
    return "better" if (mean > 0) == (outcome.better == "higher") else "worse"


def effects_frame(diffs: pd.DataFrame, base_means: dict[str, float]) -> pd.DataFrame:
    """The paired differences as a tidy table, with labels, units, % change and a reading."""
    rows = []
    for d in diffs.to_dict("records"):
        o = OUTCOMES[str(d["outcome"])]
        base = base_means.get(o.name, math.nan)
        rows.append(
            {
                "scenario": d["scenario"],
                "outcome": o.name,
                "label": o.label,
                "unit": o.unit,
                "seeds": d["pairs"],
                "baseline": base,
                "difference": d["mean"],
                "ci_low": d["lo"],
                "ci_high": d["hi"],
                "percent": 100 * d["mean"] / abs(base) if base else math.nan,
                "p_value": d["p_value"],
                "reads": reading(o, float(d["mean"]), float(d["lo"]), float(d["hi"])),
            }
        )
    return pd.DataFrame(rows)


def cell(row: Mapping[Any, Any]) -> str:
    """'−12M EUR (−9.1%) [−15, −9], p<0.001' for one row of `effects_frame`."""
    o = OUTCOMES[row["outcome"]]
    interval = (
        f"[{amount(o, row['ci_low'])}, {amount(o, row['ci_high'])}]"
        if math.isfinite(row["ci_low"])
        else "[n/a]"
    )
    p = row["p_value"]
    p_text = "" if not math.isfinite(p) else (", p<0.001" if p < 0.001 else f", p {p:.3f}")
    return f"{change_text(o, row['difference'], row['baseline'])} {interval}{p_text}"


def change_text(outcome: Outcome, difference: float, base: float) -> str:
    """'−31k (−4.2%)', or '+417k' where the baseline is zero (no percentage)."""
    share = percent(difference, base)
    return amount(outcome, difference) + ("" if share == "n/a" else f" ({share})")


def sentence(
    effects: pd.DataFrame, scenario: str, baseline: str, window: str, names: Mapping[str, str]
) -> str:
    """One plain sentence: the scenario's main changes against the baseline over the window.

    Args:
        effects: rows of `effects_frame`, in the order the sentence names them.
        scenario: the scenario described.
        baseline: the scenario it is compared with.
        window: the period the totals cover, in words.
        names: outcome -> the short name the sentence uses for it.
    """
    rows = effects[effects["scenario"] == scenario]
    parts = []
    for row in rows.to_dict("records"):
        o = OUTCOMES[str(row["outcome"])]
        text = f"{names.get(o.name, o.label)} {change_text(o, row['difference'], row['baseline'])}"
        if row["reads"] == "no clear change":
            text += " (no clear change)"
        parts.append(text)
    seeds = int(rows["seeds"].max()) if len(rows) else 0
    return f"**{scenario}** against {baseline}, {window} ({seeds} seeds): " + "; ".join(parts) + "."


def _half_width(sd: float, n: int) -> float:
    return float(st.t.ppf(0.975, n - 1) * sd / math.sqrt(n)) if n > 1 else math.nan


def seeds_for(sd: float, n: int, target: float) -> int | None:
    """Fewest seeds whose 95% half-width is at most `target` (None beyond 10,000)."""
    if not (math.isfinite(sd) and math.isfinite(target)) or target <= 0:
        return None
    for m in range(2, 10_001):
        if _half_width(sd, m) <= target:
            return m
    return None


def seed_guidance(diffs: pd.DataFrame, outcomes: Sequence[str]) -> pd.DataFrame:
    """Per scenario and outcome: seeds, 95% half-width reached, seeds to halve it.

    Also the seeds that would tell the difference from zero (an interval excluding 0), with
    the same spread of the paired differences assumed.
    """
    rows = []
    for d in diffs[diffs["outcome"].isin(outcomes)].to_dict("records"):
        n, sd = int(d["pairs"]), float(d["sd_paired"])
        half = _half_width(sd, n) if n > 1 else math.nan
        rows.append(
            {
                "scenario": d["scenario"],
                "outcome": d["outcome"],
                "seeds": n,
                "half_width": half,
                "seeds_to_halve": seeds_for(sd, n, half / 2) if np.isfinite(half) else None,
                "seeds_to_exclude_zero": seeds_for(sd, n, abs(float(d["mean"])) * 0.999),
            }
        )
    return pd.DataFrame(rows)
