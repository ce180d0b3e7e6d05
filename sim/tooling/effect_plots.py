"""Figures of paired differences: the trade-off chart and the who-pays panel.

They draw what the report's tables say: scenario minus baseline, seed by seed, with 95%
intervals (the levels' intervals overlap where the paired ones do not). Labels are placed with
adjustText so they do not overprint; the baseline is the origin.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from adjustText import adjust_text  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from sim.core.domain import STATUSES  # noqa: E402
from sim.outcomes import OUTCOMES, STATUS_LABELS  # noqa: E402

TRADEOFF = ("useful_enrolments", "fraud_loss_eur")  # (x: higher is better, y: lower is better)
WHO_PAYS = ("useful_enrolments", "deterred_persons")
STATUS_COLOURS = {"employee": "#4c72b0", "job_seeker": "#dd8452", "self_employed": "#55a868"}


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


def _pivot(effects: pd.DataFrame, name: str) -> pd.DataFrame:
    rows = effects[effects["outcome"] == name].set_index("scenario")
    divisor = OUTCOMES[name].divisor
    return rows[["difference", "ci_low", "ci_high"]] / divisor


def tradeoff(effects: pd.DataFrame, baseline: str) -> Figure:
    """Change in fraud loss against change in useful enrolments, with 95% paired intervals.

    The baseline is the origin; lower right is better on both (less fraud, more useful
    enrolments). Scenarios no other beats on both are joined (the front).
    """
    good, bad = (OUTCOMES[name] for name in TRADEOFF)
    x_rows, y_rows = _pivot(effects, good.name), _pivot(effects, bad.name)
    names = [s for s in x_rows.index if s in y_rows.index]
    x, y = x_rows.loc[names], y_rows.loc[names]
    fig, ax = plt.subplots(figsize=(7.5, 5.5))
    ax.axhline(0, color="#999999", linewidth=0.8)
    ax.axvline(0, color="#999999", linewidth=0.8)
    ax.errorbar(
        x["difference"],
        y["difference"],
        xerr=np.abs(np.vstack([x["difference"] - x["ci_low"], x["ci_high"] - x["difference"]])),
        yerr=np.abs(np.vstack([y["difference"] - y["ci_low"], y["ci_high"] - y["difference"]])),
        fmt="o",
        color="#4c72b0",
        ecolor="#999999",
        capsize=3,
        zorder=3,
    )
    ax.scatter([0], [0], marker="s", color="black", zorder=4)
    front = pareto_front([*x["difference"], 0.0], [*y["difference"], 0.0])
    points = [*zip(x["difference"], y["difference"], strict=True), (0.0, 0.0)]
    if len(front) > 1:
        ax.plot(*zip(*[points[i] for i in front], strict=True), color="#c44e52", linewidth=1)
    texts = [
        ax.text(xi, yi, name, fontsize=8)
        for xi, yi, name in zip(x["difference"], y["difference"], names, strict=True)
    ]
    texts.append(ax.text(0, 0, f"{baseline} (baseline)", fontsize=8, fontweight="bold"))
    adjust_text(texts, ax=ax, arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.5})
    ax.text(
        0.98,
        0.02,
        "better on both →",
        transform=ax.transAxes,
        ha="right",
        fontsize=8,
        color="#2a7f3f",
    )
    ax.set_xlabel(f"change in {good.label} ({good.display_unit}), scenario − baseline")
    ax.set_ylabel(f"change in {bad.label} ({bad.display_unit}), scenario − baseline")
    ax.set_title(
        f"Trade-off against {baseline}: paired differences, 95% CI over seeds\n"
        f"lower right: less {bad.label}, more {good.label}; red: no scenario better on both",
        fontsize=9,
    )
    fig.tight_layout()
    return fig


def who_pays(effects: pd.DataFrame, scenarios: Sequence[str]) -> Figure:
    """Change by holder status (employees, job seekers, self-employed), with 95% intervals."""
    fig, axes = plt.subplots(
        1,
        len(WHO_PAYS),
        figsize=(5.2 * len(WHO_PAYS), 0.9 + 0.7 * len(scenarios) + 1.5),
        squeeze=False,
    )
    height = 0.8 / len(STATUSES)
    for ax, name in zip(axes.flat, WHO_PAYS, strict=True):
        o = OUTCOMES[name]
        for k, status in enumerate(STATUSES):
            rows = _pivot(effects, f"{name}_{status}").reindex(list(scenarios))
            positions = np.arange(len(scenarios)) + (k - 1) * height
            ax.barh(
                positions,
                rows["difference"],
                height=height,
                xerr=np.abs(
                    np.vstack(
                        [rows["difference"] - rows["ci_low"], rows["ci_high"] - rows["difference"]]
                    )
                ),
                color=STATUS_COLOURS[status],
                label=STATUS_LABELS[status],
                error_kw={"elinewidth": 0.8, "capsize": 2},
            )
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_yticks(range(len(scenarios)), list(scenarios), fontsize=8)
        ax.invert_yaxis()
        ax.set_title(f"change in {o.label} ({o.display_unit})", fontsize=9)
        ax.tick_params(axis="x", labelsize=7)
    axes.flat[0].legend(fontsize=7, loc="best")
    fig.suptitle("Who pays: paired differences by holder status, 95% CI over seeds", fontsize=10)
    fig.tight_layout()
    return fig
