"""Figures of a sweep comparison: fan charts, heatmap, dose response and the trade-off chart.

Each function takes the tidy tables of `sim.tooling.tables.load_sweep` (or the statistics
computed from them by `sim.tooling.stats`) and outcome names, whose labels and units come from
the outcome registry, and returns a matplotlib Figure. Which figures a report shows is decided
in `sim.tooling.compare_figures`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from sim.outcomes import OUTCOMES  # noqa: E402
from sim.tooling.plots import mark_levers, per_month_title  # noqa: E402

BASELINE_COLOUR = "#7f7f7f"
COLOURS = [plt.get_cmap("tab10")(i) for i in range(10)]
MAX_PANELS = 24


def lever_changes(runs: pd.DataFrame, scenario: str) -> dict[str, list[str]]:
    """Lever -> months it changes, for one scenario (from its first complete run)."""
    rows = runs[(runs["scenario"] == scenario) & (runs["status"] == "ok")]
    if (
        rows.empty
        or "lever_changes" not in rows
        or not isinstance(rows["lever_changes"].iloc[0], str)
    ):
        return {}
    return json.loads(rows["lever_changes"].iloc[0])


def own_changes(runs: pd.DataFrame, scenario: str, baseline: str) -> dict[str, list[str]]:
    """The scenario's lever changes, for the levers whose changes differ from the baseline's."""
    base = lever_changes(runs, baseline)
    return {k: v for k, v in lever_changes(runs, scenario).items() if base.get(k) != v}


def fan_bands(metrics: pd.DataFrame, series: str) -> pd.DataFrame:
    """Per scenario and month: 5th percentile, median and 95th percentile of `series` over seeds."""
    grouped = metrics.groupby(["scenario", "month"], sort=False)[series]
    bands = grouped.quantile(np.array([0.05, 0.5, 0.95])).unstack()
    bands.columns = ["p05", "p50", "p95"]
    return bands.reset_index()


def fan_chart(
    runs: pd.DataFrame,
    metrics: pd.DataFrame,
    series: str,
    baseline: str,
    scenarios: Sequence[str],
) -> Figure:
    """One panel per case: its median and 5-95% band over seeds, the baseline's in grey.

    Dashed lines mark the case's own lever changes (levers whose dates differ from the
    baseline's); `metrics` may be cut to a window.
    """
    divisor = OUTCOMES[series].divisor
    title = per_month_title(series)
    shown = [s for s in scenarios if s != baseline][:MAX_PANELS] or [baseline]
    bands = fan_bands(metrics, series)
    columns = min(4, len(shown))
    rows = math.ceil(len(shown) / columns)
    fig, axes = plt.subplots(
        rows,
        columns,
        figsize=(max(3.6 * columns, 6.5), 2.6 * rows + 0.8),
        sharex=True,
        sharey=True,
        squeeze=False,
    )
    base = bands[bands["scenario"] == baseline]
    base_dates = pd.to_datetime(base["month"] + "-01")
    for i, (ax, scenario) in enumerate(zip(axes.flat, shown, strict=False)):
        if scenario != baseline:
            ax.fill_between(
                base_dates,
                base["p05"] / divisor,
                base["p95"] / divisor,
                color=BASELINE_COLOUR,
                alpha=0.25,
                linewidth=0,
            )
            ax.plot(
                base_dates,
                base["p50"] / divisor,
                color=BASELINE_COLOUR,
                linewidth=1,
                label=baseline,
            )
        own = bands[bands["scenario"] == scenario]
        dates = pd.to_datetime(own["month"] + "-01")
        colour = COLOURS[i % len(COLOURS)]
        ax.fill_between(
            dates, own["p05"] / divisor, own["p95"] / divisor, color=colour, alpha=0.3, linewidth=0
        )
        ax.plot(dates, own["p50"] / divisor, color=colour, linewidth=1.4, label=scenario)
        months = own["month"].astype(str)
        marks = {
            lever: [m for m in changes if months.min() <= m <= months.max()]
            for lever, changes in own_changes(runs, scenario, baseline).items()
        }
        mark_levers(ax, marks, label=False)
        ax.set_title(scenario, fontsize=9)
        ax.tick_params(labelsize=7)
        ax.legend(fontsize=6, loc="upper left")
    for ax in list(axes.flat)[len(shown) :]:
        ax.set_visible(False)
    fig.suptitle(
        f"{title}\nmedian and 5-95% band over seeds; dashed: the scenario's own lever changes",
        fontsize=10,
    )
    fig.tight_layout()
    return fig


def heatmap(
    table: pd.DataFrame,
    row_key: str,
    column_key: str,
    outcomes: Sequence[str],
    baseline: Mapping[str, float],
) -> Figure:
    """Each outcome's mean over seeds on the grid of two swept parameters.

    Colour is the change from the baseline case in % of it, signed so that green is better and
    red worse for every outcome (one shared diverging scale); each cell reads the mean in
    display units and that change.

    Args:
        table: complete runs with the two parameter columns and the outcome columns.
        row_key: the swept parameter along the rows.
        column_key: the swept parameter along the columns.
        outcomes: one panel per outcome name.
        baseline: outcome -> the baseline case's mean.
    """
    grids, gains = {}, {}
    for name in outcomes:
        grid = table.pivot_table(
            index=row_key, columns=column_key, values=name, aggfunc="mean", sort=False
        )
        base = baseline.get(name, np.nan)
        sign = -1.0 if OUTCOMES[name].better == "lower" else 1.0
        grids[name] = grid
        gains[name] = sign * (grid - base) / abs(base) * 100 if base else grid * 0.0
    limit = max(float(np.nanmax(np.abs(g.to_numpy(dtype=float)))) for g in gains.values()) or 1.0
    fig, axes = plt.subplots(1, len(outcomes), figsize=(4.6 * len(outcomes), 4.0), squeeze=False)
    for i, (ax, name) in enumerate(zip(axes.flat, outcomes, strict=True)):
        o, grid, gain = OUTCOMES[name], grids[name], gains[name]
        labels = np.vectorize(lambda v, g, o=o: f"{o.shown(v)}\n{g:+.0f}%")(
            grid.to_numpy(dtype=float), gain.to_numpy(dtype=float)
        )
        values = gain.to_numpy(dtype=float)
        image = ax.imshow(values, aspect="auto", cmap="RdYlGn", vmin=-limit, vmax=limit)
        for (r, c), text in np.ndenumerate(labels):
            ax.text(c, r, text, ha="center", va="center", fontsize=7, color="black")
        ax.set_xticks(range(grid.shape[1]), [str(c) for c in grid.columns], fontsize=7)
        ax.set_yticks(range(grid.shape[0]), [str(r) for r in grid.index], fontsize=7)
        if i == len(outcomes) - 1:
            fig.colorbar(image, ax=ax, shrink=0.8, label="% change from baseline, green = better")
        ax.set_xlabel(column_key, fontsize=8)
        ax.set_ylabel(row_key, fontsize=8)
        ax.set_title(o.title, fontsize=9)
    fig.suptitle("Mean over seeds on the grid; colour: change from the baseline", fontsize=10)
    fig.tight_layout()
    return fig


def dose_response(stats: pd.DataFrame, key: str, outcomes: Sequence[str]) -> Figure:
    """Each outcome's mean and 95% confidence interval against one swept numeric parameter.

    Args:
        stats: one row per case with column `key` and `<outcome>_mean/_lo/_hi`.
        key: the swept parameter (x axis).
        outcomes: one panel per outcome name.
    """
    fig, axes = plt.subplots(1, len(outcomes), figsize=(4 * len(outcomes), 3.2), squeeze=False)
    ordered = stats.sort_values(key)
    for ax, column in zip(axes.flat, outcomes, strict=True):
        title, divisor = OUTCOMES[column].title, OUTCOMES[column].divisor
        x = ordered[key].astype(float)
        ax.fill_between(
            x, ordered[f"{column}_lo"] / divisor, ordered[f"{column}_hi"] / divisor, alpha=0.3
        )
        ax.plot(x, ordered[f"{column}_mean"] / divisor, marker="o")
        ax.set_xlabel(key, fontsize=8)
        ax.set_title(title, fontsize=9)
        ax.tick_params(labelsize=7)
    fig.suptitle("Dose response: mean and 95% confidence interval over seeds", fontsize=10)
    fig.tight_layout()
    return fig
