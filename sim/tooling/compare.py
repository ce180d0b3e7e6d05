"""`cpf-compare SWEEP_FOLDER [--baseline none]`: what each case of a sweep buys, and who pays.

Writes `report.md` and PNG figures into the sweep folder:

- outcomes by case: mean and 95% confidence interval of the mean over seeds;
- paired differences against the baseline, seed by seed (runs with the same seed share their
  random draws: common random numbers), with 95% confidence intervals and p-values of a paired
  t-test, split into what the levers buy (fraud prevented) and what they cost (legitimate use
  lost), and by holder status;
- the figures chosen by `sim.tooling.compare_figures` (trade-off, fan charts, heatmap or dose
  response).

Cases are the `scenario` column of runs.parquet (see `sim.tooling.tables.case_names`). Which
way is better for each outcome, its label and unit come from the outcome registry
(`sim.outcomes.OUTCOMES`); the statistics are `sim.tooling.stats`.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.core.domain import STATUSES
from sim.outcomes import OUTCOMES, STATUS_LABELS, Outcome
from sim.results import atomic_write
from sim.tooling.compare_figures import choose_figures
from sim.tooling.displacement import displacement_section
from sim.tooling.manifest import SweepError
from sim.tooling.stats import (
    CompareError,
    choose_baseline,
    complete_runs,
    paired_differences,
    scenario_order,
    scenario_stats,
)
from sim.tooling.tables import load_sweep

REPORT_FILE = "report.md"
# Outcome totals shown by case, in order.
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
# What the levers buy (outcomes that should fall) and what they cost (outcomes they worsen).
GAINS = ("fraud_loss_eur", "fraud_enrolments", "hard_selling_harm_eur")
COSTS = ("useful_enrolments", "legit_enrolments", "deterred_persons", "deterred_holders")


def gain_sign(outcome: Outcome) -> int:
    """+1 if a rise is an improvement, -1 if a fall is: (case - baseline) x sign = gain."""
    if outcome.better == "neutral":
        raise ValueError(f"{outcome.name} has no better direction to sign its changes")
    return 1 if outcome.better == "higher" else -1


def gain_title(outcome: Outcome) -> str:
    """'fraud loss prevented': a gain on an outcome that should fall."""
    return f"{outcome.label} {'prevented' if outcome.better == 'lower' else 'gained'}"


def cost_title(outcome: Outcome) -> str:
    """'useful enrolments lost' or 'more <label>' (for an outcome that should fall)."""
    return f"{outcome.label} lost" if outcome.better == "higher" else f"more {outcome.label}"


def _fmt(value: float, divisor: float = 1.0) -> str:
    if value is None or not math.isfinite(value):
        return "n/a"
    scaled = value / divisor
    return f"{scaled:,.2f}" if abs(scaled) < 10 else f"{scaled:,.0f}"


def _interval(mean: float, lo: float, hi: float, divisor: float) -> str:
    if not (math.isfinite(lo) and math.isfinite(hi)):  # one seed: no interval
        return f"{_fmt(mean, divisor)} [n/a]"
    return f"{_fmt(mean, divisor)} [{_fmt(lo, divisor)}, {_fmt(hi, divisor)}]"


def _p(value: float) -> str:
    if not math.isfinite(value):
        return "n/a"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def _diff_cell(diffs: pd.DataFrame, scenario: str, column: str, sign: int, divisor: float) -> str:
    """One paired difference as 'mean [CI] (p ...)', signed so that positive reads well."""
    hit = diffs[(diffs["scenario"] == scenario) & (diffs["outcome"] == column)]
    if hit.empty:
        return "n/a"
    d = hit.iloc[0]
    lo, hi = sorted((sign * d["lo"], sign * d["hi"]))
    return f"{_interval(sign * d['mean'], lo, hi, divisor)} (p {_p(d['p_value'])})"


def _header(folder: Path, runs: pd.DataFrame, table: pd.DataFrame, baseline: str) -> list[str]:
    done = complete_runs(runs)
    first = done.iloc[0]
    versions = ", ".join(sorted(str(v) for v in done["version"].dropna().unique()))
    seeds = table["seeds"]
    counts = ", ".join(f"{n} {s}" for s, n in runs["status"].value_counts().items())
    return [
        f"# Scenario comparison: {folder.name}",
        "",
        f"{len(runs)} runs ({counts}); {len(table)} scenarios with {seeds.min()}-{seeds.max()} "
        f"seeds each; baseline **{baseline}**. {int(first.get('holders', 0)):,} simulated holders "
        f"scaled x{float(first.get('scale', 0)):.0f} to national figures, "
        f"{first.get('start', '?')} to {first.get('end', '?')}. Code version: {versions}.",
        "",
        "All amounts are national equivalents summed over the run (trust: the last month). "
        "Intervals are 95% confidence intervals of the mean over seeds (t distribution)"
        + ("; with one seed there is none ([n/a]): run more seeds." if seeds.min() < 2 else "."),
        "",
    ]


def _outcomes_section(table: pd.DataFrame, outcomes: Sequence[Outcome]) -> list[str]:
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


def _effects_section(
    diffs: pd.DataFrame, others: Sequence[str], baseline: str, done: pd.DataFrame
) -> list[str]:
    gains = [OUTCOMES[c] for c in GAINS if c in done]
    costs = [OUTCOMES[c] for c in COSTS if c in done]

    def rows(items: Sequence[Outcome], sign: int) -> list[list[str]]:
        return [
            [s] + [_diff_cell(diffs, s, o.name, sign * gain_sign(o), o.divisor) for o in items]
            for s in others
        ]

    return [
        f"## What each scenario buys and costs, against {baseline} (paired by seed)",
        "",
        "Each scenario is compared with the baseline run of the same seed: both share their "
        "random draws (common random numbers), so the difference is the levers' effect with "
        "little noise. Mean difference [95% CI] and the p-value of a paired t-test; positive "
        "numbers are fraud prevented and legitimate use lost.",
        "",
        "### Fraud prevented",
        "",
        *_table(
            ["scenario"] + [f"{gain_title(o)} ({o.display_unit})" for o in gains], rows(gains, 1)
        ),
        "### Legitimate use lost",
        "",
        *_table(
            ["scenario"] + [f"{cost_title(o)} ({o.display_unit})" for o in costs], rows(costs, -1)
        ),
    ]


def _who_pays_section(diffs: pd.DataFrame, others: Sequence[str], done: pd.DataFrame) -> list[str]:
    split = [c for c in COSTS if all(f"{c}_{s}" in done for s in STATUSES)]
    if not split:
        return []
    rows = [
        [scenario, STATUS_LABELS[status]]
        + [
            _diff_cell(diffs, scenario, f"{c}_{status}", -gain_sign(OUTCOMES[c]), 1e3)
            for c in split
        ]
        for scenario in others
        for status in STATUSES
    ]
    header = ["scenario", "holders"] + [f"{cost_title(OUTCOMES[c])} (k)" for c in split]
    return ["### Who pays: legitimate use lost by holder status", "", *_table(header, rows)]


def _crn_note(diffs: pd.DataFrame) -> list[str]:
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


def _left_out_section(runs: pd.DataFrame) -> list[str]:
    problems = runs[runs["status"] != "ok"]
    if problems.empty:
        return []
    rows = [
        [str(r.run), str(r.status), r.error if isinstance(r.error, str) else ""]
        for r in problems.itertuples()
    ]
    return ["## Runs left out", "", *_table(["run", "status", "error"], rows)]


def build_report(folder: Path, baseline_name: str | None = None) -> tuple[str, dict[str, Figure]]:
    """Build the report's markdown text and its figures (file name -> Figure)."""
    runs, metrics = load_sweep(folder)
    done = complete_runs(runs)
    if done.empty:
        raise CompareError(
            f"{folder} holds no complete run (statuses: {dict(runs['status'].value_counts())})"
        )
    baseline = choose_baseline(done, baseline_name)
    scenarios = scenario_order(done)
    others = [s for s in scenarios if s != baseline]
    outcomes = [OUTCOMES[c] for c in KEY_OUTCOMES if c in done]
    table = scenario_stats(runs, [o.name for o in outcomes])
    text = _header(folder, runs, table, baseline) + _outcomes_section(table, outcomes)
    if others:
        split = [f"{c}_{s}" for c in COSTS for s in STATUSES if f"{c}_{s}" in done]
        columns = sorted({c for c in GAINS + COSTS if c in done} | set(split))
        diffs = paired_differences(runs, baseline, columns)
        text += _effects_section(diffs, others, baseline, done)
        text += _who_pays_section(diffs, others, done) + _crn_note(diffs)
        text += displacement_section(runs, baseline, others)
    figures = choose_figures(runs, metrics, baseline, scenarios)
    text += ["## Figures", ""]
    for figure in figures:
        text += [f"![{figure.caption}]({figure.file})", ""]
    text += _left_out_section(runs)
    text += [
        "---",
        f"Written by `cpf-compare {folder.name} --baseline {baseline}` from runs.parquet and "
        "metrics.parquet (`sim.load_sweep`).",
        "",
    ]
    return "\n".join(text), {f.file: f.figure for f in figures}


def _save_png(figure: Figure, path: Path) -> None:
    figure.savefig(path, dpi=110, format="png")


def write_report(folder: str | Path, baseline: str | None = None) -> Path:
    """Write report.md and the figures into the sweep folder; returns the report's path."""
    import matplotlib.pyplot as plt

    path = Path(folder)
    text, figures = build_report(path, baseline)
    for name, figure in figures.items():
        atomic_write(path / name, partial(_save_png, figure))
        plt.close(figure)
    report = path / REPORT_FILE
    atomic_write(report, lambda p: p.write_text(text))
    return report


def main(argv: Sequence[str] | None = None) -> None:
    """Command line: `cpf-compare SWEEP_FOLDER [--baseline NAME]`."""
    parser = argparse.ArgumentParser(
        prog="cpf-compare",
        description="Compare the scenarios of a sweep: report.md and PNG figures in its folder.",
    )
    parser.add_argument("folder", help="a sweep folder, e.g. results/sweeps/lever_comparison")
    parser.add_argument(
        "--baseline",
        default=None,
        help="scenario to compare with (default: 'none' if present, else the first scenario)",
    )
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    if not folder.is_dir():
        print(f"cpf-compare: {folder} is not a folder", file=sys.stderr)
        sys.exit(2)
    try:
        report = write_report(folder, args.baseline)
    except (CompareError, SweepError) as error:
        print(f"cpf-compare: {error}", file=sys.stderr)
        sys.exit(2)
    print(f"Report written to {report}")


if __name__ == "__main__":
    main()
