"""Figures of a sweep comparison: fan charts, heatmap, dose response and the trade-off chart.

Each function takes the tidy tables of `sim.tooling.tables.load_sweep` (or the statistics
computed from them by `sim.tooling.stats`) and outcome names, whose labels and units come from
the outcome registry, and returns a matplotlib Figure. Which figures a report shows is decided
in `sim.tooling.compare_figures`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence

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

    The months at which the case's levers change are marked with dashed lines.
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
        mark_levers(ax, lever_changes(runs, scenario), label=False)
        ax.set_title(scenario, fontsize=9)
        ax.tick_params(labelsize=7)
        ax.legend(fontsize=6, loc="upper left")
    for ax in list(axes.flat)[len(shown) :]:
        ax.set_visible(False)
    fig.suptitle(
        f"{title}\nmedian and 5-95% band over seeds; dashed lines: lever changes", fontsize=10
    )
    fig.tight_layout()
    return fig


def heatmap(table: pd.DataFrame, row_key: str, column_key: str, outcomes: Sequence[str]) -> Figure:
    """Mean of each outcome over seeds on the grid of two swept parameters.

    Args:
        table: complete runs with the two parameter columns and the outcome columns.
        row_key: the swept parameter along the rows.
        column_key: the swept parameter along the columns.
        outcomes: one panel per outcome name.
    """
    fig, axes = plt.subplots(1, len(outcomes), figsize=(4.4 * len(outcomes), 3.8), squeeze=False)
    for ax, column in zip(axes.flat, outcomes, strict=True):
        title, divisor = OUTCOMES[column].title, OUTCOMES[column].divisor
        grid = (
            table.pivot_table(
                index=row_key, columns=column_key, values=column, aggfunc="mean", sort=False
            )
            / divisor
        )
        image = ax.imshow(grid.to_numpy(dtype=float), aspect="auto", cmap="viridis")
        ax.set_xticks(range(grid.shape[1]), [str(c) for c in grid.columns], fontsize=7, rotation=45)
        ax.set_yticks(range(grid.shape[0]), [str(r) for r in grid.index], fontsize=7)
        ax.set_xlabel(column_key, fontsize=8)
        ax.set_ylabel(row_key, fontsize=8)
        ax.set_title(title, fontsize=9)
        for (r, c), value in np.ndenumerate(grid.to_numpy(dtype=float)):
            if np.isfinite(value):
                ax.text(c, r, f"{value:,.3g}", ha="center", va="center", fontsize=6, color="white")
        fig.colorbar(image, ax=ax, shrink=0.8)
    fig.suptitle("Mean over seeds on the grid", fontsize=10)
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


def pareto_front(x: Sequence[float], y: Sequence[float]) -> list[int]:
    """Find the points no other point beats: higher x (useful) and lower y (fraud loss)."""
    front = []
    for i, (xi, yi) in enumerate(zip(x, y, strict=True)):
        dominated = any(
            xj >= xi and yj <= yi and (xj > xi or yj < yi)
            for j, (xj, yj) in enumerate(zip(x, y, strict=True))
            if j != i
        )
        if not dominated:
            front.append(i)
    return sorted(front, key=lambda i: x[i])


TRADEOFF = ("useful_enrolments", "fraud_loss_eur")  # (x: higher is better, y: lower is better)


def tradeoff(stats: pd.DataFrame, baseline: str) -> Figure:
    """Fraud loss against useful enrolments, one point per case with 95% CIs, Pareto front.

    Args:
        stats: one row per case ('scenario', '<outcome>_mean/_lo/_hi' of both outcomes).
        baseline: the case written in bold.
    """
    good, bad = (OUTCOMES[name] for name in TRADEOFF)

    def scaled(name: str, divisor: float) -> tuple[np.ndarray, np.ndarray]:
        mean = (stats[f"{name}_mean"] / divisor).to_numpy()
        low, high = stats[f"{name}_lo"] / divisor, stats[f"{name}_hi"] / divisor
        return mean, np.abs(np.vstack([mean - low, high - mean]))

    x, xerr = scaled(good.name, good.divisor)
    y, yerr = scaled(bad.name, bad.divisor)
    front = pareto_front(list(x), list(y))
    fig, ax = plt.subplots(figsize=(7.5, 5.5))
    ax.errorbar(x, y, xerr=xerr, yerr=yerr, fmt="none", ecolor="#999999", elinewidth=1, capsize=2)
    on_front = np.isin(np.arange(len(x)), front)
    ax.scatter(x[~on_front], y[~on_front], color="#4c72b0", zorder=3, label="scenario")
    ax.scatter(x[on_front], y[on_front], color="#c44e52", zorder=4, s=50, label="Pareto front")
    ax.plot(x[front], y[front], color="#c44e52", linewidth=1, zorder=2)
    for xi, yi, name in zip(x, y, stats["scenario"], strict=True):
        weight = "bold" if name == baseline else "normal"
        ax.annotate(
            str(name),
            (xi, yi),
            textcoords="offset points",
            xytext=(4, 4),
            fontsize=7,
            fontweight=weight,
        )
    ax.set_xlabel(f"{good.label} over the run ({good.display_unit}, national)")
    ax.set_ylabel(f"{bad.label} over the run ({bad.display_unit})")
    ax.set_title(
        f"Trade-off: {bad.label} vs {good.label} (mean, 95% CI over seeds)\n"
        f"front: no other scenario has less {bad.label} and more {good.label}",
        fontsize=9,
    )
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
