"""Predictions of the calibrated historical scenario to December 2026, with bands over seeds.

    .venv/bin/python experiments/predict.py [--seeds 10] [--holders N]

Nothing here is tuned to figures after September 2022: the parameters are the calibrated ones
(configs/calibration/fitted.yaml) and the reforms' mechanisms are set from structure and stated
assumptions. Writes results/historical/: yearly.csv (medians and 5-95% bands per year),
monthly.csv (monthly medians and bands of the main series), PNG figures and report.md.
Years are aggregated by `sim.outcomes.yearly` (flows summed, stocks at December); the reform
dates marked on the figures are the run's own lever changes.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim.api import run  # noqa: E402
from sim.calibration.free import base_params  # noqa: E402
from sim.core.calendar import month_index, month_label  # noqa: E402
from sim.core.domain import STRATEGIES  # noqa: E402
from sim.core.version import ROOT  # noqa: E402
from sim.outcomes import yearly  # noqa: E402
from sim.tooling.plots import LEVER_NAMES  # noqa: E402

OUT = ROOT / "results" / "historical"
YEARS = tuple(range(2019, 2027))
# (column, series, per-series or None): yearly values of `series` (over `per`)
YEARLY = (
    ("entries", "enrolments", None),
    ("honest_entries", "legit_enrolments", None),
    ("pressured_entries", "pressured_enrolments", None),
    ("takeover_entries", "takeover_enrolments", None),
    ("ghost_entries", "ghost_enrolments", None),
    ("spend_eur", "spend_eur", None),
    ("public_eur_per_entry", "spend_eur", "enrolments"),
    ("copayment_eur", "copayment_eur", None),
    ("fraud_loss_eur", "fraud_loss_eur", None),
    ("fraud_loss_takeover_eur", "fraud_loss_takeover_eur", None),
    ("fraud_loss_pressured_eur", "fraud_loss_pressured_eur", None),
    ("fraud_loss_ghost_eur", "fraud_loss_ghost_eur", None),
    ("fraud_detected_eur", "fraud_detected_eur", None),
    ("job_seeker_share", "enrolments_job_seeker", "enrolments"),
    ("below_bac_share", "enrolments_below_bac", "enrolments"),
    ("self_employed_share", "enrolments_self_employed", "enrolments"),
    ("self_employed_entries", "enrolments_self_employed", None),
    ("driving_licence_share", "enrolments_driving_licence", "enrolments"),
    ("useful_entries", "useful_enrolments", None),
    ("deterred_holders", "deterred_holders", None),
    ("reports", "reports", None),
    ("organisations_active", "organisations_active", None),
    *((f"organisations_{s}", f"organisations_active_{s}", None) for s in STRATEGIES),
    ("fraud_networks_active", "fraud_networks_active", None),
    ("mean_balance_eur", "mean_balance_eur", None),
)
MONTHLY = (
    "enrolments",
    "legit_enrolments",
    "pressured_enrolments",
    "takeover_enrolments",
    "ghost_enrolments",
    "spend_eur",
    "fraud_loss_eur",
    "enrolments_job_seeker",
    "organisations_active",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--holders", type=int, default=None, help="default: the config's")
    args = parser.parse_args()
    overrides = ["end=2026-12"] + ([f"population.holders={args.holders}"] if args.holders else [])
    params = base_params(overrides)
    began = time.time()
    results = [run(replace(params, seed=seed)) for seed in range(args.seeds)]
    elapsed = time.time() - began
    runs = [{c: r.metrics[c].to_numpy() for c in r.metrics if c != "month"} for r in results]
    OUT.mkdir(parents=True, exist_ok=True)

    rows = []
    for column, series, per in YEARLY:
        values = np.array([list(yearly(r, series, per).values()) for r in runs])
        for i, y in enumerate(YEARS):
            rows.append(
                {
                    "year": y,
                    "series": column,
                    "median": np.median(values[:, i]),
                    "p05": np.percentile(values[:, i], 5),
                    "p95": np.percentile(values[:, i], 95),
                }
            )
    table = pd.DataFrame(rows)
    table.to_csv(OUT / "yearly.csv", index=False, float_format="%.5g")
    mrows = []
    for name in MONTHLY:
        values = np.array([r[name] for r in runs])
        for m in range(values.shape[1]):
            mrows.append(
                {
                    "month": month_label(m),
                    "series": name,
                    "median": np.median(values[:, m]),
                    "p05": np.percentile(values[:, m], 5),
                    "p95": np.percentile(values[:, m], 95),
                }
            )
    pd.DataFrame(mrows).to_csv(OUT / "monthly.csv", index=False, float_format="%.5g")

    wide = table.pivot(index="year", columns="series", values="median")
    p05 = table.pivot(index="year", columns="series", values="p05")
    p95 = table.pivot(index="year", columns="series", values="p95")

    def cell(col: str, y: int, scale: float, digits: int = 0) -> str:
        return (
            f"{wide.loc[y, col] / scale:,.{digits}f} "
            f"[{p05.loc[y, col] / scale:,.{digits}f}-{p95.loc[y, col] / scale:,.{digits}f}]"
        )

    lines = [
        "# Predictions of the calibrated historical scenario, 2019-2026",
        "",
        f"Default configuration (historical scenario + calibrated parameters), "
        f"{params.population.holders:,} holders, seeds 0..{args.seeds - 1}, {elapsed:.0f} s of "
        "compute. Produced by `python experiments/predict.py`. Calibrated on figures up to "
        "September 2022 only; from October 2022 on these are predictions (FranceConnect+ Oct 2022, "
        "canvassing ban Dec 2022, all licences Jan 2024, copayment May 2024, caps Feb 2026), "
        "to be checked against data kept out of the repository.",
        "",
        "Median [5%-95%] over seeds, national equivalents.",
        "",
        "| year | entries (k) | spend (M EUR) | job seekers | below bac | self-employed | "
        "fraud loss (M EUR) | takeover / pressured / ghost loss (M EUR) | organisations |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for y in YEARS:
        lines.append(
            f"| {y} | {cell('entries', y, 1e3)} | {cell('spend_eur', y, 1e6)} | "
            f"{cell('job_seeker_share', y, 0.01)}% | {cell('below_bac_share', y, 0.01)}% | "
            f"{cell('self_employed_share', y, 0.01, 1)}% | {cell('fraud_loss_eur', y, 1e6, 1)} | "
            f"{wide.loc[y, 'fraud_loss_takeover_eur'] / 1e6:.1f} / "
            f"{wide.loc[y, 'fraud_loss_pressured_eur'] / 1e6:.1f} / "
            f"{wide.loc[y, 'fraud_loss_ghost_eur'] / 1e6:.1f} | "
            f"{cell('organisations_active', y, 1)} |"
        )
    lines += [
        "",
        "Organisations by strategy at December (median): "
        + "; ".join(
            f"{y}: "
            + ", ".join(f"{s} {wide.loc[y, f'organisations_{s}']:,.0f}" for s in STRATEGIES)
            for y in (2021, 2023, 2026)
        ),
        "",
        "Files: `yearly.csv` (every yearly series, median and 5-95% band), `monthly.csv`, "
        "`entries.png`, `composition.png`, `fraud.png`, `organisations.png`.",
    ]
    (OUT / "report.md").write_text("\n".join(lines) + "\n")

    plt.rcParams.update({"figure.dpi": 90, "font.size": 9})
    months = np.arange(params.n_months)
    ticks = list(range(0, params.n_months, 12))
    # The app's launch, then each lever change of the run (the same in every seed).
    events = [("app", month_index(params.context.app_launch))]
    for lever, months_ in results[0].summary["lever_changes"].items():
        events += [(LEVER_NAMES.get(lever, lever), month_index(m)) for m in months_]

    def monthly_panel(ax, name, scale, title, color="#3182bd"):
        values = np.array([r[name] for r in runs]) / scale
        ax.fill_between(
            months,
            np.percentile(values, 5, 0),
            np.percentile(values, 95, 0),
            color=color,
            alpha=0.25,
        )
        ax.plot(months, np.median(values, 0), color=color, label=title)
        for label, m in events:
            ax.axvline(m, color="grey", lw=0.5, ls=":")
            ax.text(
                m,
                0.98,
                label,
                transform=ax.get_xaxis_transform(),
                fontsize=6,
                rotation=90,
                va="top",
            )
        ax.set_xticks(ticks, [month_label(m)[:4] for m in ticks])

    fig, axes = plt.subplots(1, 2, figsize=(11, 3.6))
    monthly_panel(axes[0], "enrolments", 1e3, "entries (k/month)")
    axes[0].set_title("Monthly entries (thousands), median and 90% band", fontsize=10)
    monthly_panel(axes[1], "spend_eur", 1e6, "public spend (M EUR/month)", "#31a354")
    axes[1].set_title("Monthly public spending (M EUR)", fontsize=10)
    fig.tight_layout()
    fig.savefig(OUT / "entries.png")
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    for col, label in (
        ("job_seeker_share", "job seekers"),
        ("below_bac_share", "at most CAP/BEP"),
        ("self_employed_share", "self-employed"),
        ("driving_licence_share", "driving licence courses"),
    ):
        ax.plot(YEARS, wide[col], marker="o", label=label)
        ax.fill_between(YEARS, p05[col], p95[col], alpha=0.2)
    ax.set_title("Composition of entries (share, median and 90% band)", fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(OUT / "composition.png")
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    bottom = np.zeros(len(YEARS))
    for col, label in (
        ("fraud_loss_takeover_eur", "takeover"),
        ("fraud_loss_pressured_eur", "pressured"),
        ("fraud_loss_ghost_eur", "ghost"),
    ):
        ax.bar(YEARS, wide[col] / 1e6, bottom=bottom, label=label)
        bottom += wide[col].to_numpy() / 1e6
    ax.set_title("Fraud loss by channel (M EUR, medians)", fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(OUT / "fraud.png")
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6.5, 3.6))
    for s in STRATEGIES:
        ax.plot(YEARS, wide[f"organisations_{s}"], marker="o", label=s)
        ax.fill_between(YEARS, p05[f"organisations_{s}"], p95[f"organisations_{s}"], alpha=0.2)
    ax.set_title("Organisations listed by strategy (December)", fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(OUT / "organisations.png")
    plt.close(fig)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
