"""The run overview a policy reader can take in at a glance."""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from sim.core.domain import STRATEGIES  # noqa: E402

if TYPE_CHECKING:
    from sim.results import Results

KIND_COLOURS = {
    "legit_enrolments": ("honest", "#4c72b0"),
    "pressured_enrolments": ("pressured (canvassing)", "#dd8452"),
    "takeover_enrolments": ("account takeover", "#c44e52"),
    "ghost_enrolments": ("ghost training", "#8172b3"),
}
LEVER_NAMES = {
    "identity_check": "ID check",
    "canvassing_ban": "canvassing ban",
    "copayment_eur": "copayment",
    "qualiopi_required": "Qualiopi",
    "business_creation_restricted": "business-creation rule",
    "price_cap_eur": "price cap",
    "payment_on_attendance": "pay on attendance",
    "ranking": "ranking",
    "anomaly_detection": "screening",
    "audit_rate": "audits",
}


def mark_levers(ax: Axes, lever_changes: dict[str, list[str]], label: bool) -> None:
    """Dashed vertical lines at the months levers change, named on the top panel."""
    for key, months in lever_changes.items():
        if key not in LEVER_NAMES or key in ("audit_rate", "anomaly_detection"):
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


def overview_figure(results: Results) -> Figure:
    """Enrolments by kind, fraud loss by channel, trust, organisations by strategy."""
    m = results.metrics
    dates = pd.to_datetime(m["month"] + "-01")
    fig, axes = plt.subplots(2, 2, figsize=(12, 7.5), sharex=True)
    ax = axes[0, 0]
    ax.stackplot(
        dates,
        *[m[name] / 1000 for name in KIND_COLOURS],
        labels=[label for label, _ in KIND_COLOURS.values()],
        colors=[colour for _, colour in KIND_COLOURS.values()],
    )
    ax.set_title("Enrolments per month, by kind (thousands)")
    ax.legend(loc="upper left", fontsize=8)
    ax = axes[0, 1]
    for channel, colour in (
        ("takeover", "#c44e52"),
        ("pressured", "#dd8452"),
        ("ghost", "#8172b3"),
    ):
        ax.plot(dates, m[f"fraud_loss_{channel}_eur"] / 1e6, label=channel, color=colour)
    ax.plot(
        dates,
        m["fraud_detected_eur"] / 1e6,
        label="detected (all channels)",
        color="black",
        linestyle=":",
    )
    ax.set_title("Fraud loss per month, by channel (EUR million)")
    ax.legend(loc="upper left", fontsize=8)
    ax = axes[1, 0]
    ax.plot(dates, m["mean_trust"], color="#55a868", label="mean trust in the CPF")
    ax.set_ylim(0, 1)
    ax.set_title("Trust in the CPF (0-1)")
    ax2 = ax.twinx()
    ax2.plot(
        dates,
        m["deterred_holders"] / 1000,
        color="#937860",
        alpha=0.7,
        label="deterred honest holders",
    )
    ax2.set_ylabel("deterred per month (thousands)", fontsize=8)
    ax.legend(loc="lower left", fontsize=8)
    ax2.legend(loc="lower right", fontsize=8)
    ax = axes[1, 1]
    ax.stackplot(
        dates,
        *[m[f"organisations_active_{s}"] / 1000 for s in STRATEGIES],
        labels=list(STRATEGIES),
        colors=["#4c72b0", "#55a868", "#dd8452", "#c44e52"],
    )
    ax.set_title("Organisations listed, by strategy (thousands)")
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
