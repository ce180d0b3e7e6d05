"""Which figures a comparison report shows, given what the sweep varies.

With a baseline to compare with: the trade-off chart of paired differences (fraud loss against
useful enrolments) and the who-pays panel (changes by holder status). Then a heatmap when two
parameters are swept, a dose-response chart when one number is, and fan charts of the main
monthly outcomes. The drawing is `sim.tooling.effect_plots` and `sim.tooling.compare_plots`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from matplotlib.figure import Figure

from sim.core.domain import STATUSES
from sim.outcomes import OUTCOMES
from sim.tooling import compare_plots, effect_plots
from sim.tooling.jobs import short_key
from sim.tooling.plots import per_month_title
from sim.tooling.stats import complete_runs, scenario_stats, swept_parameters

# Outcomes drawn month by month (fan charts) and on grids / dose curves.
FAN_SERIES = ("fraud_loss_eur", "useful_enrolments", "deterred_persons")
GRID_OUTCOMES = ("fraud_loss_eur", "useful_enrolments", "deterred_holders")


@dataclass(frozen=True)
class ReportFigure:
    """A figure of the report: its file name, its caption and the figure."""

    file: str
    caption: str
    figure: Figure


def choose_figures(
    runs: pd.DataFrame,
    metrics: pd.DataFrame,
    baseline: str,
    scenarios: Sequence[str],
    effects: pd.DataFrame,
) -> list[ReportFigure]:
    """The report's figures, in the order they are shown."""
    done = complete_runs(runs)
    figures = []
    others = [s for s in scenarios if s != baseline]
    found = set(effects["outcome"]) if not effects.empty else set()
    if others and set(effect_plots.TRADEOFF) <= found:
        good, bad = (OUTCOMES[c].label for c in effect_plots.TRADEOFF)
        figure = effect_plots.tradeoff(effects, baseline)
        caption = f"Trade-off: change in {bad} against change in {good}, paired by seed"
        figures.append(ReportFigure("tradeoff.png", caption, figure))
    split = {f"{c}_{s}" for c in effect_plots.WHO_PAYS for s in STATUSES}
    if others and split <= found:
        figure = effect_plots.who_pays(effects, others)
        caption = "Who pays: changes for employees, job seekers and the self-employed"
        figures.append(ReportFigure("who_pays.png", caption, figure))
    grid = [c for c in GRID_OUTCOMES if c in done]
    swept = swept_parameters(runs)
    if len(swept) == 2 and grid:
        means = done[done["scenario"] == baseline][grid].mean()
        base = {str(k): float(v) for k, v in means.items()}
        figure = compare_plots.heatmap(done, swept[0], swept[1], grid, base)
        caption = f"Grid of {short_key(swept[0])} x {short_key(swept[1])}"
        figures.append(ReportFigure("heatmap.png", caption, figure))
    if len(swept) == 1 and grid and pd.api.types.is_numeric_dtype(done[swept[0]]):
        key = swept[0]
        dose = scenario_stats(runs, grid)
        dose[key] = [done.loc[done["scenario"] == s, key].iloc[0] for s in dose["scenario"]]
        figure = compare_plots.dose_response(dose, key, grid)
        figures.append(
            ReportFigure("dose_response.png", f"Dose response to {short_key(key)}", figure)
        )
    if not metrics.empty:
        for series in FAN_SERIES:
            if series in metrics:
                figure = compare_plots.fan_chart(runs, metrics, series, baseline, scenarios)
                name = f"fan_{series.removesuffix('_eur')}.png"
                figures.append(ReportFigure(name, per_month_title(series), figure))
    return figures
