"""The run overview a policy reader can take in at a glance (overview.png of `cpf-sim`).

Series names, labels and units come from the outcome registry (`sim.outcomes.OUTCOMES`).
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from sim.core.domain import STRATEGIES  # noqa: E402
from sim.outcomes import OUTCOMES  # noqa: E402
from sim.results import Results, atomic_write  # noqa: E402

FIGURE_FILE = "overview.png"
KIND_COLOURS = {
    "legit_enrolments": "#4c72b0",
    "pressured_enrolments": "#dd8452",
    "takeover_enrolments": "#c44e52",
    "ghost_enrolments": "#8172b3",
}
LOSS_COLOURS = {
    "fraud_loss_takeover_eur": "#c44e52",
    "fraud_loss_pressured_eur": "#dd8452",
    "fraud_loss_ghost_eur": "#8172b3",
}
STRATEGY_COLOURS = ("#4c72b0", "#55a868", "#dd8452", "#c44e52")
LEVER_NAMES = {
    "identity_check": "ID check",
    "canvassing_ban": "canvassing ban",
    "copayment_eur": "copayment",
    "qualiopi_required": "Qualiopi",
    "business_creation_restricted": "business-creation rule",
    "price_cap_eur": "price cap",
    "payment_on_attendance": "pay on attendance",
    "ranking": "ranking",
}


def mark_levers(ax: Axes, lever_changes: dict[str, list[str]], label: bool) -> None:
    """Dashed vertical lines at the months levers change, named on the top panel.

    Levers that change often or gradually (audits, screening) are not marked.
    """
    for key, months in lever_changes.items():
        if key not in LEVER_NAMES:
            continue
        for month in months:
            x = float(mdates.date2num(pd.Timestamp(f"{month}-01")))
            ax.axvline(x, color="grey", linestyle="--", linewidth=0.8, alpha=0.7)
            if label:
                ax.text(
                    x,
                    1.0,
                    f" {LEVER_NAMES[key]}",
                    rotation=90,
                    va="top",
                    ha="left",
                    fontsize=7,
                    transform=ax.get_xaxis_transform(),
                    color="dimgrey",
                )


def per_month_title(name: str) -> str:
    """'<Label> per month (<display unit>)', from the registry."""
    outcome = OUTCOMES[name]
    text = f"{outcome.label[0].upper()}{outcome.label[1:]} per month"
    return f"{text} ({outcome.display_unit})" if outcome.display_unit else text


def overview_figure(results: Results) -> Figure:
    """Four panels a policy reader takes in at a glance, lever dates marked and named.

    Enrolments by kind (useful ones drawn over them), fraud loss by channel, trust and deterred
    holders, organisations by strategy.
    """
    metrics = results.metrics
    dates = pd.to_datetime(metrics["month"] + "-01")

    def shown(name: str) -> pd.Series:
        return metrics[name] / OUTCOMES[name].divisor

    fig, axes = plt.subplots(2, 2, figsize=(12, 7.5), sharex=True)
    ax = axes[0, 0]
    ax.stackplot(
        dates,
        *[shown(name) for name in KIND_COLOURS],
        labels=[OUTCOMES[name].label for name in KIND_COLOURS],
        colors=list(KIND_COLOURS.values()),
    )
    ax.plot(
        dates,
        shown("useful_enrolments"),
        color="black",
        linewidth=1.2,
        label=f"of which {OUTCOMES['useful_enrolments'].label}",
    )
    ax.set_title(f"{per_month_title('enrolments')}, by kind")
    ax.legend(loc="upper left", fontsize=8)
    ax = axes[0, 1]
    for name, colour in LOSS_COLOURS.items():
        ax.plot(dates, shown(name), label=OUTCOMES[name].label, color=colour)
    ax.plot(
        dates,
        shown("fraud_detected_eur"),
        label=OUTCOMES["fraud_detected_eur"].label,
        color="black",
        linestyle=":",
    )
    ax.set_title(per_month_title("fraud_loss_eur") + ", by channel")
    ax.legend(loc="upper left", fontsize=8)
    ax = axes[1, 0]
    ax.plot(dates, metrics["mean_trust"], color="#55a868", label=OUTCOMES["mean_trust"].label)
    ax.set_ylim(0, 1)
    ax.set_title(OUTCOMES["mean_trust"].label[0].upper() + OUTCOMES["mean_trust"].label[1:])
    ax2 = ax.twinx()
    ax2.plot(
        dates,
        shown("deterred_holders"),
        color="#937860",
        alpha=0.7,
        label=OUTCOMES["deterred_holders"].label,
    )
    ax2.set_ylabel(per_month_title("deterred_holders"), fontsize=8)
    ax.legend(loc="lower left", fontsize=8)
    ax2.legend(loc="lower right", fontsize=8)
    ax = axes[1, 1]
    by_strategy = [f"organisations_active_{s}" for s in STRATEGIES]
    ax.stackplot(
        dates,
        *[metrics[name] for name in by_strategy],
        labels=[OUTCOMES[name].short for name in by_strategy],
        colors=STRATEGY_COLOURS,
    )
    ax.set_title(f"{OUTCOMES['organisations_active'].label.capitalize()}, by strategy")
    ax.legend(loc="upper left", fontsize=8)
    changes = results.summary.get("lever_changes", {})
    for i, axis in enumerate(axes.flat):
        mark_levers(axis, changes, label=i < 2)
    s = results.summary
    fig.suptitle(
        f"cpf-sim: scenario '{s.get('label')}', seed {s.get('seed')}, "
        f"{s.get('holders'):,} holders (x{s.get('scale', 0):.0f} to national)",
        fontsize=11,
    )
    fig.tight_layout()
    return fig


def save_overview(results: Results, folder: str | Path) -> Path:
    """Draw the overview figure of `results` into `folder`/overview.png; returns its path."""
    path = Path(folder) / FIGURE_FILE
    figure = overview_figure(results)
    try:
        atomic_write(path, partial(_save_png, figure))
    finally:
        plt.close(figure)
    return path


def _save_png(figure: Figure, path: Path) -> None:
    figure.savefig(path, dpi=110, format="png")
