"""`cpf-compare SWEEP_FOLDER [--baseline none]`: what each scenario of a sweep buys, and who pays.

Writes `report.md` and PNG figures into the sweep folder:

- outcomes by scenario: mean and 95% confidence interval of the mean over seeds;
- paired differences against the baseline, seed by seed (runs with the same seed share their
  random draws: common random numbers), with 95% confidence intervals and p-values of a paired
  t-test, split into fraud prevented and legitimate use lost, and by holder status;
- fan charts of monthly series (median and 5-95% band over seeds, lever dates marked);
- a heatmap when the sweep is a 2-D grid, a dose-response chart when one number is swept;
- a trade-off chart of fraud loss against useful enrolments with the Pareto front.

Scenarios are the `scenario` column of runs.parquet (see `sim.tooling.sweep.scenario_names`).
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from numpy.typing import ArrayLike
from scipy import stats as st

from sim.core.domain import STATUSES
from sim.results import atomic_write
from sim.tooling.sweep import load_sweep, short_key


@dataclass(frozen=True)
class Outcome:
    """A run total shown in the report."""

    column: str
    title: str
    divisor: float
    unit: str


KEY_OUTCOMES = (
    Outcome("fraud_loss_eur", "fraud loss", 1e6, "EUR M"),
    Outcome("fraud_enrolments", "fraudulent enrolments", 1e3, "k"),
    Outcome("legit_enrolments", "honest enrolments", 1e3, "k"),
    Outcome("useful_enrolments", "useful enrolments", 1e3, "k"),
    Outcome("deterred_holders", "deterred honest holders", 1e3, "k"),
    Outcome("spend_eur", "public spend", 1e9, "EUR bn"),
    Outcome("useful_enrolments_self_employed", "useful enrolments, self-employed", 1e3, "k"),
    Outcome("mean_trust", "final trust (0-1)", 1.0, ""),
)
# Paired differences, signed so that a positive number is what the lever buys (fraud prevented)
# or costs (legitimate use lost): (column, title, sign applied to scenario - baseline).
PREVENTED = (
    (Outcome("fraud_loss_eur", "fraud loss prevented", 1e6, "EUR M"), -1),
    (Outcome("fraud_enrolments", "fraudulent enrolments prevented", 1e3, "k"), -1),
)
LOST = (
    (Outcome("useful_enrolments", "useful enrolments lost", 1e3, "k"), -1),
    (Outcome("legit_enrolments", "honest enrolments lost", 1e3, "k"), -1),
    (Outcome("deterred_holders", "more deterred honest holders", 1e3, "k"), +1),
)
BY_STATUS = (
    ("useful_enrolments", "useful enrolments lost", -1),
    ("legit_enrolments", "honest enrolments lost", -1),
    ("deterred_holders", "more deterred holders", +1),
)
FAN_SERIES = (
    ("fraud_loss_eur", "Fraud loss per month (EUR M)", 1e6),
    ("useful_enrolments", "Useful enrolments per month (thousands)", 1e3),
    ("deterred_holders", "Deterred honest holders per month (thousands)", 1e3),
)
GRID_OUTCOMES = (
    ("fraud_loss_eur", "fraud loss (EUR M)", 1e6),
    ("useful_enrolments", "useful enrolments (k)", 1e3),
    ("deterred_holders", "deterred holders (k)", 1e3),
)


class CompareError(ValueError):
    """A sweep folder or baseline that cannot be compared."""


# ---------------------------------------------------------------------------------------------
# Statistics


def mean_ci(values: ArrayLike, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and `level` confidence interval of the mean (t distribution; the mean alone if n=1)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return math.nan, math.nan, math.nan
    mean = float(x.mean())
    if x.size == 1:
        return mean, mean, mean
    half = float(st.t.ppf(0.5 + level / 2, x.size - 1) * x.std(ddof=1) / math.sqrt(x.size))
    return mean, mean - half, mean + half


def paired_test(diffs: ArrayLike) -> tuple[float, float, float, float]:
    """Mean paired difference, its 95% CI and the two-sided p-value of a paired t-test.

    A difference that is the same for every seed has no spread: its p-value is 0 if it is not
    zero and 1 if it is (scipy would return NaN with a warning).
    """
    x = np.asarray(diffs, dtype=float)
    mean, lo, hi = mean_ci(x)
    if x.size < 2:
        return mean, lo, hi, math.nan
    sd = float(x.std(ddof=1))
    if sd == 0.0 or not math.isfinite(sd):
        return mean, lo, hi, 0.0 if mean != 0 else 1.0
    t = mean / (sd / math.sqrt(x.size))
    return mean, lo, hi, float(2 * st.t.sf(abs(t), x.size - 1))


def complete_runs(runs: pd.DataFrame) -> pd.DataFrame:
    """Keep the runs that finished (status 'ok')."""
    return runs[runs["status"] == "ok"].copy()


def scenario_order(runs: pd.DataFrame) -> list[str]:
    """Scenarios in sweep order."""
    return list(dict.fromkeys(runs["scenario"]))


def choose_baseline(runs: pd.DataFrame, wanted: str | None) -> str:
    """Pick the baseline scenario.

    `wanted` (a scenario, or the value of the swept parameter that names one), else 'none' if
    present, else the first scenario of the sweep.
    """
    scenarios = scenario_order(runs)
    if wanted is None:
        return "none" if "none" in scenarios else scenarios[0]
    if wanted in scenarios:
        return wanted
    matches = [s for s in scenarios if wanted in [part.split("=", 1)[-1] for part in s.split(", ")]]
    if len(matches) == 1:
        return matches[0]
    raise CompareError(
        f"baseline {wanted!r} is not a scenario of this sweep; scenarios: {', '.join(scenarios)}"
    )


def scenario_stats(runs: pd.DataFrame, outcomes: Sequence[Outcome]) -> pd.DataFrame:
    """One row per scenario: seeds, and mean / CI low / CI high of each outcome."""
    rows = []
    for scenario, group in complete_runs(runs).groupby("scenario", sort=False):
        row: dict[str, object] = {"scenario": scenario, "seeds": len(group)}
        for outcome in outcomes:
            mean, lo, hi = mean_ci(group[outcome.column])
            row.update(
                {
                    f"{outcome.column}_mean": mean,
                    f"{outcome.column}_lo": lo,
                    f"{outcome.column}_hi": hi,
                }
            )
        rows.append(row)
    return pd.DataFrame(rows)


def paired_differences(runs: pd.DataFrame, baseline: str, columns: Sequence[str]) -> pd.DataFrame:
    """Scenario minus baseline, seed by seed: one row per (scenario, outcome).

    Columns: scenario, outcome, pairs, mean, lo, hi, p_value, sd_paired (spread of the paired
    differences) and sd_unpaired (the spread the difference of two independent runs would have:
    the gain from common random numbers is their ratio).
    """
    done = complete_runs(runs)
    base = done[done["scenario"] == baseline].set_index("seed")
    rows = []
    for scenario, group in done.groupby("scenario", sort=False):
        if scenario == baseline:
            continue
        pairs = group.set_index("seed")[list(columns)].join(
            base[list(columns)].add_suffix("__base"), how="inner"
        )
        for column in columns:
            diffs = (pairs[column] - pairs[f"{column}__base"]).to_numpy(dtype=float)
            mean, lo, hi, p = paired_test(diffs)
            unpaired = (
                math.sqrt(group[column].var(ddof=1) + base[column].var(ddof=1))
                if len(pairs) > 1
                else math.nan
            )
            rows.append(
                {
                    "scenario": scenario,
                    "outcome": column,
                    "pairs": len(diffs),
                    "mean": mean,
                    "lo": lo,
                    "hi": hi,
                    "p_value": p,
                    "sd_paired": float(np.std(diffs, ddof=1)) if len(diffs) > 1 else math.nan,
                    "sd_unpaired": unpaired,
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "scenario",
            "outcome",
            "pairs",
            "mean",
            "lo",
            "hi",
            "p_value",
            "sd_paired",
            "sd_unpaired",
        ],
    )


def swept_parameters(runs: pd.DataFrame) -> list[str]:
    """Overridden parameters (columns before 'seed') that take more than one value."""
    columns = list(runs.columns)
    params = columns[columns.index("scenario") + 1 : columns.index("seed")]
    return [p for p in params if runs[p].astype(str).nunique() > 1]


# ---------------------------------------------------------------------------------------------
# Report


def _fmt(value: float, divisor: float = 1.0) -> str:
    if value is None or not math.isfinite(value):
        return "n/a"
    scaled = value / divisor
    return f"{scaled:,.2f}" if abs(scaled) < 10 else f"{scaled:,.0f}"


def _interval(mean: float, lo: float, hi: float, divisor: float) -> str:
    return f"{_fmt(mean, divisor)} [{_fmt(lo, divisor)}, {_fmt(hi, divisor)}]"


def _p(value: float) -> str:
    if not math.isfinite(value):
        return "n/a"
    return "<0.001" if value < 0.001 else f"{value:.3f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def _signed_rows(
    diffs: pd.DataFrame, scenarios: Sequence[str], items: Sequence[tuple[Outcome, int]]
) -> list[list[str]]:
    return [
        [scenario]
        + [
            _diff_cell(diffs, scenario, outcome.column, sign, outcome.divisor)
            for outcome, sign in items
        ]
        for scenario in scenarios
    ]


def _diff_cell(diffs: pd.DataFrame, scenario: str, column: str, sign: int, divisor: float) -> str:
    """One paired difference as 'mean [CI] (p ...)', sign-flipped so that positive reads well."""
    hit = diffs[(diffs["scenario"] == scenario) & (diffs["outcome"] == column)]
    if hit.empty:
        return "n/a"
    d = hit.iloc[0]
    lo, hi = sorted((sign * d["lo"], sign * d["hi"]))
    return f"{_interval(sign * d['mean'], lo, hi, divisor)} (p {_p(d['p_value'])})"


def build_report(folder: Path, baseline_name: str | None = None) -> tuple[str, dict[str, Figure]]:
    """Build the report's markdown text and its figures (file name -> Figure)."""
    from sim.tooling import compare_plots as plots

    runs, metrics = load_sweep(folder)
    done = complete_runs(runs)
    if done.empty:
        raise CompareError(
            f"{folder} holds no complete run (statuses: {dict(runs['status'].value_counts())})"
        )
    baseline = choose_baseline(done, baseline_name)
    scenarios = scenario_order(done)
    others = [s for s in scenarios if s != baseline]
    outcomes = [o for o in KEY_OUTCOMES if o.column in done]
    table = scenario_stats(runs, outcomes)
    status_columns = [f"{c}_{s}" for c, _, _ in BY_STATUS for s in STATUSES if f"{c}_{s}" in done]
    diff_columns = sorted(
        {o.column for o, _ in PREVENTED + LOST if o.column in done} | set(status_columns)
    )
    diffs = paired_differences(runs, baseline, diff_columns)
    swept = swept_parameters(runs)
    figures: dict[str, Figure] = {}

    first = done.iloc[0]
    versions = ", ".join(sorted(str(v) for v in done["version"].dropna().unique()))
    seeds = table["seeds"]
    counts = ", ".join(f"{n} {s}" for s, n in runs["status"].value_counts().items())
    text = [
        f"# Scenario comparison: {folder.name}",
        "",
        f"{len(runs)} runs ({counts}); {len(scenarios)} scenarios with {seeds.min()}-{seeds.max()} "
        f"seeds each; baseline **{baseline}**. {int(first.get('holders', 0)):,} simulated holders "
        f"scaled x{float(first.get('scale', 0)):.0f} to national figures, "
        f"{first.get('start', '?')} to {first.get('end', '?')}. Code version: {versions}.",
        "",
        "All amounts are national equivalents summed over the run (trust: the last month). "
        "Intervals are 95% confidence intervals of the mean over seeds (t distribution).",
        "",
        "## Outcomes by scenario",
        "",
        _table(
            ["scenario", "seeds"]
            + [f"{o.title} ({o.unit})" if o.unit else o.title for o in outcomes],
            [
                [row["scenario"], str(row["seeds"])]
                + [
                    _interval(
                        row[f"{o.column}_mean"],
                        row[f"{o.column}_lo"],
                        row[f"{o.column}_hi"],
                        o.divisor,
                    )
                    for o in outcomes
                ]
                for _, row in table.iterrows()
            ],
        ),
        "",
    ]
    if others:
        prevented = [(o, s) for o, s in PREVENTED if o.column in done]
        lost = [(o, s) for o, s in LOST if o.column in done]
        text += [
            f"## What each scenario buys and costs, against {baseline} (paired by seed)",
            "",
            "Each scenario is compared with the baseline run of the same seed: both share their "
            "random draws (common random numbers), so the difference is the levers' effect with "
            "little noise. Mean difference [95% CI] and the p-value of a paired t-test; positive "
            "numbers are fraud prevented and legitimate use lost.",
            "",
            "### Fraud prevented",
            "",
            _table(
                ["scenario"] + [f"{o.title} ({o.unit})" for o, _ in prevented],
                _signed_rows(diffs, others, prevented),
            ),
            "",
            "### Legitimate use lost",
            "",
            _table(
                ["scenario"] + [f"{o.title} ({o.unit})" for o, _ in lost],
                _signed_rows(diffs, others, lost),
            ),
            "",
        ]
        if status_columns:
            rows = [
                [scenario, status.replace("_", " ")]
                + [
                    _diff_cell(diffs, scenario, f"{column}_{status}", sign, 1e3)
                    for column, _, sign in BY_STATUS
                ]
                for scenario in others
                for status in STATUSES
            ]
            text += [
                "### Who pays: legitimate use lost by holder status",
                "",
                _table(
                    ["scenario", "holders"] + [f"{title} (k)" for _, title, _ in BY_STATUS], rows
                ),
                "",
            ]
        crn = diffs[(diffs["outcome"] == "fraud_loss_eur") & (diffs["pairs"] >= 3)].dropna(
            subset=["sd_paired", "sd_unpaired"]
        )
        if not crn.empty and (crn["sd_paired"] > 0).any():
            ratio = float((crn["sd_unpaired"] / crn["sd_paired"].replace(0, np.nan)).median())
            text += [
                f"Common random numbers: the paired differences in fraud loss spread {ratio:.1f} "
                "times less (median over scenarios) than those of independent runs would.",
                "",
            ]

    text += ["## Figures", ""]
    stats = scenario_stats(
        runs, [o for o in KEY_OUTCOMES if o.column in ("fraud_loss_eur", "useful_enrolments")]
    )
    if {"fraud_loss_eur_mean", "useful_enrolments_mean"} <= set(stats.columns):
        figures["tradeoff.png"] = plots.tradeoff(stats, baseline)
        text += ["![Trade-off between fraud loss and useful enrolments](tradeoff.png)", ""]
    if len(swept) == 2:
        grid = [g for g in GRID_OUTCOMES if g[0] in done]
        figures["heatmap.png"] = plots.heatmap(done, swept[0], swept[1], grid)
        text += [f"![Grid of {short_key(swept[0])} x {short_key(swept[1])}](heatmap.png)", ""]
    if len(swept) == 1 and pd.api.types.is_numeric_dtype(done[swept[0]]):
        key = swept[0]
        dose = scenario_stats(
            runs, [o for o in KEY_OUTCOMES if o.column in [g[0] for g in GRID_OUTCOMES]]
        )
        dose[key] = [done.loc[done["scenario"] == s, key].iloc[0] for s in dose["scenario"]]
        figures["dose_response.png"] = plots.dose_response(
            dose, key, [g for g in GRID_OUTCOMES if g[0] in done]
        )
        text += [f"![Dose response to {short_key(key)}](dose_response.png)", ""]
    if not metrics.empty:
        for series, title, divisor in FAN_SERIES:
            if series in metrics:
                name = f"fan_{series.removesuffix('_eur')}.png"
                figures[name] = plots.fan_chart(
                    runs, metrics, series, title, divisor, baseline, scenarios
                )
                text += [f"![{title}]({name})", ""]

    problems = runs[runs["status"] != "ok"]
    if not problems.empty:
        text += [
            "## Runs left out",
            "",
            _table(
                ["run", "status", "error"],
                [
                    [str(r.run), str(r.status), r.error if isinstance(r.error, str) else ""]
                    for r in problems.itertuples()
                ],
            ),
            "",
        ]
    text += [
        "---",
        f"Written by `cpf-compare {folder.name} --baseline {baseline}` from runs.parquet and "
        "metrics.parquet (`sim.load_sweep`).",
        "",
    ]
    return "\n".join(text), figures


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
    report = path / "report.md"
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
    except (CompareError, FileNotFoundError) as error:
        print(f"cpf-compare: {error}", file=sys.stderr)
        sys.exit(2)
    print(f"Report written to {report}")


if __name__ == "__main__":
    main()
