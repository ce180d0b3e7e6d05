"""Figures of a sensitivity report: mu*-sigma, Sobol bars with intervals, effects over worlds.

Each function takes the report's tables and returns a matplotlib Figure (drawn off screen);
`sim.tooling.sensitivity.report` decides which to draw and saves them.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

LABELLED = 6  # factors named on a mu*-sigma panel
BARS = 10  # factors shown on a Sobol panel
HEADLINE_LABELS = {
    "fraud_prevented_eur": ("fraud prevented", 1e6, "M EUR"),
    "useful_enrolments_lost": ("useful enrolments lost", 1e3, "thousand"),
    "honest_enrolments_lost": ("honest enrolments lost", 1e3, "thousand"),
    "persons_deterred": ("persons deterred", 1e3, "thousand"),
}


def _grid(count: int) -> tuple[Figure, np.ndarray]:
    cols = min(3, count)
    rows = -(-count // cols)
    figure = Figure(figsize=(4.6 * cols, 3.6 * rows), layout="constrained")
    axes = np.atleast_1d(figure.subplots(rows, cols, squeeze=False).ravel())
    for ax in axes[count:]:
        ax.set_visible(False)
    return figure, axes


def mu_star_sigma(indices: pd.DataFrame, outputs: Sequence[str]) -> Figure:
    """One panel per output: each factor at (mu*, sigma), the top ones named.

    SALib gives no sigma for groups: a grouped design shows |mu| instead (mu* > |mu| means the
    effect changes sign across the space).
    """
    figure, axes = _grid(len(outputs))
    for ax, output in zip(axes, outputs, strict=False):
        data = indices[indices["output"] == output].dropna(subset=["mu_star"])
        grouped = bool(data["sigma"].isna().all())  # an output constant in every world has 0s
        spread = "|mu|" if grouped else "sigma"
        data = data.assign(spread=data["mu"].abs() if grouped else data["sigma"])
        ax.scatter(data["mu_star"], data["spread"], s=14, color="#1f77b4")
        ax.errorbar(
            data["mu_star"],
            data["spread"],
            xerr=[data["mu_star"] - data["mu_star_lo"], data["mu_star_hi"] - data["mu_star"]],
            fmt="none",
            ecolor="#9ecae1",
            lw=0.8,
        )
        for _, row in data.nlargest(LABELLED, "mu_star").iterrows():
            ax.annotate(
                str(row["factor"]).split(".")[-1], (row["mu_star"], row["spread"]), fontsize=7
            )
        top = float(max(data["mu_star"].max(), data["spread"].max(), 0.0)) if len(data) else 1.0
        ax.plot([0, top], [0, top], ls=":", color="grey", lw=0.8)
        ax.set_title(output.replace("|", ": "), fontsize=9)
        ax.set_xlabel("mu* (per plausible range)")
        ax.set_ylabel(spread)
    return figure


def sobol_bars(indices: pd.DataFrame, outputs: Sequence[str]) -> Figure:
    """One panel per output: S1 and ST of the factors with the largest ST, 95% intervals."""
    figure, axes = _grid(len(outputs))
    for ax, output in zip(axes, outputs, strict=False):
        data = indices[indices["output"] == output].dropna(subset=["ST"]).nlargest(BARS, "ST")[::-1]
        y = np.arange(len(data))
        for offset, name, colour in ((-0.2, "S1", "#1f77b4"), (0.2, "ST", "#ff7f0e")):
            err = [data[name] - data[f"{name}_lo"], data[f"{name}_hi"] - data[name]]
            ax.barh(
                y + offset,
                data[name],
                height=0.4,
                color=colour,
                label=name,
                xerr=err,
                ecolor="grey",
            )
        ax.set_yticks(y, [str(f).split(".")[-1] for f in data["factor"]], fontsize=7)
        ax.axvline(0, color="black", lw=0.6)
        ax.set_title(output.replace("|", ": "), fontsize=9)
        ax.legend(fontsize=7, loc="lower right")
    return figure


def effects_violins(matrix: pd.DataFrame, effects: Sequence[str]) -> Figure:
    """Per headline conclusion, one violin per lever effect: its spread over the worlds."""
    conclusions = [c for c in HEADLINE_LABELS if any(f"{e}|{c}" in matrix for e in effects)]
    figure, axes = _grid(len(conclusions))
    for ax, conclusion in zip(axes, conclusions, strict=False):
        label, scale, unit = HEADLINE_LABELS[conclusion]
        shown = [e for e in effects if f"{e}|{conclusion}" in matrix]
        data = [matrix[f"{e}|{conclusion}"].dropna().to_numpy() / scale for e in shown]
        kept = [(e, d) for e, d in zip(shown, data, strict=True) if d.size > 1 and np.ptp(d) > 0]
        if kept:
            ax.violinplot([d for _, d in kept], orientation="horizontal", showmedians=True)
            ax.set_yticks(np.arange(1, len(kept) + 1), [e for e, _ in kept], fontsize=7)
        ax.axvline(0, color="black", lw=0.6)
        ax.set_title(f"{label} ({unit}), over the worlds", fontsize=9)
    return figure
