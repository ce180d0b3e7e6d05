"""The sections of the comparison report (markdown), one function each.

From the tables `sim.tooling.compare` computes: levels by scenario, paired differences said
plainly, who pays by holder status, year by year, how many seeds, and the runs left out.
Labels and units come from the outcome registry.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.core.domain import STATUSES
from sim.outcomes import OUTCOMES, STATUS_LABELS, Outcome
from sim.tooling.compare_words import amount, cell, change_text, sentence
from sim.tooling.stats import complete_runs

# Outcome totals shown by scenario, in order.
KEY_OUTCOMES = (
    "fraud_loss_eur",
    "fraud_enrolments",
    "hard_selling_harm_eur",
    "legit_enrolments",
    "useful_enrolments",
    "skill_gain",
    "deterred_holders",
    "deterred_persons",
    "spend_eur",
    "useful_enrolments_self_employed",
    "mean_trust",
)
# Paired differences: fraud (what the levers should reduce) and legitimate use (what they cost).
GAINS = ("fraud_loss_eur", "fraud_enrolments", "hard_selling_harm_eur")
COSTS = ("useful_enrolments", "legit_enrolments", "deterred_persons", "deterred_holders")
# Who pays: outcomes split by holder status; year by year; the one-sentence summaries.
WHO_PAYS = ("useful_enrolments", "legit_enrolments", "deterred_persons")
YEARLY = ("fraud_loss_eur", "useful_enrolments", "legit_enrolments", "deterred_persons")
BRIEF = ("fraud_loss_eur", "useful_enrolments", "legit_enrolments", "deterred_persons")
BRIEF_STATUS = ("useful_enrolments_job_seeker", "deterred_persons_job_seeker")
BRIEF_NAMES = {
    "deterred_persons": "persons deterred",
    "useful_enrolments_job_seeker": "job seekers' useful enrolments",
    "deterred_persons_job_seeker": "job seekers deterred",
}


def brief_section(
    effects: pd.DataFrame, others: Sequence[str], baseline: str, window: str
) -> list[str]:
    """One sentence per scenario: its main changes, job seekers' included."""
    shown = effects[effects["outcome"].isin(BRIEF + BRIEF_STATUS)]
    order = {name: i for i, name in enumerate(BRIEF + BRIEF_STATUS)}
    shown = shown.sort_values("outcome", key=lambda c: c.map(order), kind="stable")
    lines = ["## In brief", ""]
    for scenario in others:
        lines += [sentence(shown, scenario, baseline, window, BRIEF_NAMES), ""]
    return lines


def _interval(mean: float, lo: float, hi: float, divisor: float) -> str:
    if not (math.isfinite(lo) and math.isfinite(hi)):  # one seed: no interval
        return f"{_fmt(mean, divisor)} [n/a]"
    return f"{_fmt(mean, divisor)} [{_fmt(lo, divisor)}, {_fmt(hi, divisor)}]"


def _fmt(value: float, divisor: float = 1.0) -> str:
    if value is None or not math.isfinite(value):
        return "n/a"
    scaled = value / divisor
    return f"{scaled:,.2f}" if abs(scaled) < 10 else f"{scaled:,.0f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def header(
    folder: Path, runs: pd.DataFrame, table: pd.DataFrame, baseline: str, window: str
) -> list[str]:
    """Title, what was run, the baseline and the window, and how to read the numbers."""
    done = complete_runs(runs)
    first = done.iloc[0]
    versions = ", ".join(sorted(str(v) for v in done["version"].dropna().unique()))
    seeds = table["seeds"]
    counts = ", ".join(f"{n} {s}" for s, n in runs["status"].value_counts().items())
    return [
        f"# Scenario comparison: {folder.name}",
        "",
        f"{len(runs)} runs ({counts}); {len(table)} scenarios with {seeds.min()}-{seeds.max()} "
        f"seeds each; baseline **{baseline}**; window **{window}**. "
        f"{int(first.get('holders', 0)):,} simulated holders "
        f"scaled x{float(first.get('scale', 0)):.0f} to national figures. "
        f"Code version: {versions}.",
        "",
        f"All amounts are national equivalents summed over {window} (stocks such as trust: its "
        "last month). Intervals are 95% confidence intervals of the mean over seeds "
        "(t distribution)"
        + ("; with one seed there is none ([n/a]): run more seeds." if seeds.min() < 2 else "."),
        "",
    ]


def outcomes_section(table: pd.DataFrame, outcomes: Sequence[Outcome]) -> list[str]:
    """Levels: each scenario's mean and 95% CI over seeds."""
    rows = [
        [row["scenario"], str(row["seeds"])]
        + [
            _interval(row[f"{o.name}_mean"], row[f"{o.name}_lo"], row[f"{o.name}_hi"], o.divisor)
            for o in outcomes
        ]
        for _, row in table.iterrows()
    ]
    return [
        "## Outcomes by scenario",
        "",
        *_table(["scenario", "seeds"] + [o.title for o in outcomes], rows),
    ]


SIGNS = (
    "Each scenario is compared with the baseline run of the same seed (common random numbers), "
    "so the difference is the levers' effect with little noise. Signs are the change, scenario "
    "minus baseline: **+** more, **\u2212** less; % of the baseline; [95% CI]; p of a paired "
    "t-test. *reads*: better or worse for that outcome, or no clear change when the interval "
    "spans zero."
)


def differences_section(effects: pd.DataFrame, baseline: str) -> list[str]:
    """Paired differences, plainly signed: fraud first, then legitimate use."""
    text = [f"## Paired differences against {baseline}", "", SIGNS, ""]
    for title, names in (("Fraud", GAINS), ("Legitimate use", COSTS)):
        rows = [
            [str(r["scenario"]), OUTCOMES[str(r["outcome"])].label, cell(r), str(r["reads"])]
            for r in effects[effects["outcome"].isin(names)].to_dict("records")
        ]
        if rows:
            text += [f"### {title}", "", *_table(["scenario", "outcome", "change", "reads"], rows)]
    return text


def who_pays_section(effects: pd.DataFrame, others: Sequence[str]) -> list[str]:
    """Changes by holder status: useful and honest enrolments, persons deterred."""
    split = [c for c in WHO_PAYS if f"{c}_{STATUSES[0]}" in set(effects["outcome"])]
    if not split:
        return []
    by = effects.set_index(["scenario", "outcome"])
    rows = [
        [scenario, STATUS_LABELS[status]]
        + [_change(c, by.loc[(scenario, f"{c}_{status}")], mark=True) for c in split]
        for scenario in others
        for status in STATUSES
    ]
    header = ["scenario", "holders"] + [OUTCOMES[c].label for c in split]
    return ["## Who pays, by holder status", "", *_table(header, rows)]


def _change(name: str, row: Any, mark: bool = False) -> str:
    """'−31k (−4.2%)' for one row of the effects table ('(no clear change)' if marked)."""
    text = change_text(OUTCOMES[name], float(row["difference"]), float(row["baseline"]))
    return text + (" (no clear change)" if mark and row["reads"] == "no clear change" else "")


def yearly_section(yearly: pd.DataFrame, others: Sequence[str]) -> list[str]:
    """One table per scenario: the paired differences of each year's totals."""
    if yearly.empty:
        return []
    text = ["## Year by year (paired differences)", ""]
    names = [n for n in YEARLY if n in set(yearly["outcome"])]
    for scenario in others:
        own = yearly[yearly["scenario"] == scenario]
        rows = []
        for year, group in own.groupby("year", sort=True):
            by = group.set_index("outcome")
            rows.append([str(year)] + [_change(n, by.loc[n]) for n in names])
        text += [
            f"### {scenario}",
            "",
            *_table(["year"] + [OUTCOMES[n].label for n in names], rows),
        ]
    return text


def _count(value: Any) -> str:
    return "n/a" if value is None or pd.isna(value) else f"{int(value):,}"


def precision_section(guidance: pd.DataFrame) -> list[str]:
    """Seed-count guidance: the interval reached and the seeds that would narrow it."""
    if guidance.empty:
        return []
    rows = [
        [
            str(g["scenario"]),
            OUTCOMES[str(g["outcome"])].label,
            str(g["seeds"]),
            amount(OUTCOMES[str(g["outcome"])], float(g["half_width"]), sign=False),
            _count(g["seeds_to_halve"]),
            _count(g["seeds_to_exclude_zero"]),
        ]
        for _, g in guidance.iterrows()
    ]
    header = [
        "scenario",
        "outcome",
        "seeds",
        "95% CI half-width",
        "seeds to halve it",
        "seeds to tell it from zero",
    ]
    return [
        "## How many seeds",
        "",
        "The half-width of each paired difference's 95% interval, and the seeds that would halve "
        "it (three to four times as many) or make the interval exclude zero (same spread assumed; "
        "n/a: no spread, no difference, or over 10,000 seeds).",
        "",
        *_table(header, rows),
    ]


def crn_note(diffs: pd.DataFrame) -> list[str]:
    """How much less noisy the paired differences are than independent runs' would be."""
    crn = diffs[(diffs["outcome"] == "fraud_loss_eur") & (diffs["pairs"] >= 3)].dropna(
        subset=["sd_paired", "sd_unpaired"]
    )
    if crn.empty or not (crn["sd_paired"] > 0).any():
        return []
    ratio = float((crn["sd_unpaired"] / crn["sd_paired"].replace(0, np.nan)).median())
    return [
        f"Common random numbers: the paired differences in fraud loss spread {ratio:.1f} "
        "times less (median over scenarios) than those of independent runs would.",
        "",
    ]


def left_out_section(runs: pd.DataFrame) -> list[str]:
    """Runs that are not complete, with their errors."""
    problems = runs[runs["status"] != "ok"]
    if problems.empty:
        return []
    rows = [
        [str(r.run), str(r.status), r.error if isinstance(r.error, str) else ""]
        for r in problems.itertuples()
    ]
    return ["## Runs left out", "", *_table(["run", "status", "error"], rows)]
