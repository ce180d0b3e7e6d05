"""The comparison report of a sweep: what each scenario changes against a baseline, and for whom.

`write_report(folder, baseline, start=, stop=)` writes into the sweep folder:

- `report.md` and `report.html` (the same report, self-contained: figures inline): one sentence
  per scenario, outcomes by scenario (mean and 95% CI over seeds), paired differences against
  the baseline seed by seed (common random numbers) with plain signs, % changes, intervals and
  p-values, who pays by holder status, year by year, how many seeds, fraud displacement;
- the tables as CSV and in one workbook, `tables.xlsx`;
- the figures chosen by `sim.tooling.compare_figures`.

Totals cover the window `start`..`stop` (months 'YYYY-MM'; default: the whole run), computed
from the monthly table (`sim.tooling.periods`). Cases are the `scenario` column of runs.parquet
(`sim.tooling.tables.case_names`); labels, units and which way is better come from the outcome
registry; the statistics are `sim.tooling.stats`; the sections `sim.tooling.compare_sections`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from sim.core.domain import STATUSES
from sim.results import atomic_write
from sim.tooling import compare_sections as sections
from sim.tooling.compare_export import write_html, write_tables
from sim.tooling.compare_figures import choose_figures
from sim.tooling.compare_words import effects_frame, seed_guidance
from sim.tooling.displacement import displacement_section
from sim.tooling.periods import window_text, window_totals, windowed_runs
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
PRECISION = ("fraud_loss_eur", "useful_enrolments")


@dataclass(frozen=True)
class Comparison:
    """The tables behind a report (all totals over the window)."""

    runs: pd.DataFrame
    metrics: pd.DataFrame
    baseline: str
    scenarios: list[str]
    window: str
    levels: pd.DataFrame
    effects: pd.DataFrame
    yearly: pd.DataFrame
    guidance: pd.DataFrame
    diffs: pd.DataFrame


def _base_means(runs: pd.DataFrame, baseline: str, columns: list[str]) -> dict[str, float]:
    base = complete_runs(runs)
    means = base[base["scenario"] == baseline][columns].mean()
    return {str(k): float(v) for k, v in means.items()}


def _yearly_effects(runs: pd.DataFrame, metrics: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """Paired differences of the yearly totals, one row per (scenario, outcome, year)."""
    if metrics.empty:
        return pd.DataFrame()
    columns = [c for c in sections.YEARLY if c in metrics]
    keys = complete_runs(runs)[["run", "scenario", "seed", "status"]]
    by_year = keys.merge(window_totals(metrics, by_year=True), on="run")
    frames = []
    for year, group in by_year.groupby("year", sort=True):
        diffs = paired_differences(group, baseline, columns)
        frames.append(effects_frame(diffs, _base_means(group, baseline, columns)).assign(year=year))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def compare_tables(
    folder: Path,
    baseline_name: str | None = None,
    start: str | None = None,
    stop: str | None = None,
) -> Comparison:
    """Read a sweep and compute every table of its report over the window.

    Raises:
        CompareError: no complete run, an unknown baseline, or a window with no month.
    """
    runs, metrics = load_sweep(folder)
    return compare_frames(runs, metrics, baseline_name, start, stop, str(folder))


def compare_frames(
    runs: pd.DataFrame,
    metrics: pd.DataFrame,
    baseline_name: str | None = None,
    start: str | None = None,
    stop: str | None = None,
    source: str = "the sweep",
) -> Comparison:
    """Every table of the report from a sweep's two tables (as `load_sweep` returns them).

    A window needs the monthly table; without one (`metrics` empty) the totals are the runs'.

    Raises:
        CompareError: no complete run, an unknown baseline, or a window with no month.
    """
    if complete_runs(runs).empty:
        raise CompareError(
            f"{source} holds no complete run (statuses: {dict(runs['status'].value_counts())})"
        )
    if start or stop:
        try:
            runs = windowed_runs(runs, metrics, start, stop)
        except ValueError as error:
            raise CompareError(f"window: {error}") from None
        text = metrics["month"].astype(str)
        metrics = metrics[(text >= (start or "")) & (text <= (stop or "9999"))]
    done = complete_runs(runs)
    baseline = choose_baseline(done, baseline_name)
    scenarios = scenario_order(done)
    levels = scenario_stats(runs, [c for c in sections.KEY_OUTCOMES if c in done])
    split = [f"{c}_{s}" for c in sections.WHO_PAYS for s in STATUSES if f"{c}_{s}" in done]
    columns = [c for c in (*sections.GAINS, *sections.COSTS) if c in done] + split
    diffs = paired_differences(runs, baseline, columns)
    effects = effects_frame(diffs, _base_means(runs, baseline, columns))
    return Comparison(
        runs=runs,
        metrics=metrics,
        baseline=baseline,
        scenarios=scenarios,
        window=window_text(start, stop, runs),
        levels=levels,
        effects=effects,
        yearly=_yearly_effects(runs, metrics, baseline),
        guidance=seed_guidance(diffs, PRECISION),
        diffs=diffs,
    )


def build_report(
    folder: Path,
    baseline_name: str | None = None,
    start: str | None = None,
    stop: str | None = None,
) -> tuple[str, dict[str, Figure], Comparison]:
    """The report's markdown text, its figures (file name -> Figure) and its tables."""
    c = compare_tables(folder, baseline_name, start, stop)
    others = [s for s in c.scenarios if s != c.baseline]
    done = complete_runs(c.runs)
    outcomes = [sections.OUTCOMES[n] for n in sections.KEY_OUTCOMES if n in done]
    text = sections.header(folder, c.runs, c.levels, c.baseline, c.window)
    if others:
        text += sections.brief_section(c.effects, others, c.baseline, c.window)
    text += sections.outcomes_section(c.levels, outcomes)
    if others:
        text += sections.differences_section(c.effects, c.baseline)
        text += sections.who_pays_section(c.effects, others) + sections.crn_note(c.diffs)
        text += sections.yearly_section(c.yearly, others)
        text += sections.precision_section(c.guidance)
        text += displacement_section(c.runs, c.baseline, others)
    figures = choose_figures(c.runs, c.metrics, c.baseline, c.scenarios, c.effects)
    text += ["## Figures", ""]
    for figure in figures:
        text += [f"![{figure.caption}]({figure.file})", ""]
    text += sections.left_out_section(c.runs)
    window = "".join(f" --{k} {v}" for k, v in (("from", start), ("to", stop)) if v)
    text += [
        "---",
        f"Written by `cpf-compare {folder.name} --baseline {c.baseline}{window}` from "
        "runs.parquet and metrics.parquet (`sim.load_sweep`); tables in tables.xlsx and CSV.",
        "",
    ]
    return "\n".join(text), {f.file: f.figure for f in figures}, c


def _save_png(figure: Figure, path: Path) -> None:
    figure.savefig(path, dpi=110, format="png")


def write_report(
    folder: str | Path,
    baseline: str | None = None,
    start: str | None = None,
    stop: str | None = None,
) -> Path:
    """Write report.md, report.html, the figures and the tables; returns report.md's path."""
    import matplotlib.pyplot as plt

    path = Path(folder)
    text, figures, tables = build_report(path, baseline, start, stop)
    for name, figure in figures.items():
        atomic_write(path / name, partial(_save_png, figure))
        plt.close(figure)
    write_tables(
        path,
        {
            "outcomes_by_scenario": tables.levels,
            "differences": tables.effects,
            "differences_by_year": tables.yearly,
            "seeds": tables.guidance,
        },
    )
    report = path / REPORT_FILE
    atomic_write(report, lambda p: p.write_text(text))
    write_html(path, text)
    return report
