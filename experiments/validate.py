"""Validation report of the calibrated model against the pre-reform targets.

    .venv/bin/python experiments/validate.py [--seeds 10] [--holders N]

Runs the default configuration (historical scenario + configs/calibration/fitted.yaml) to
September 2022 for seeds 0..n-1 at the default population size, and writes
results/calibration/: report.md (each target, observed vs simulated median and 90% interval,
error), fit.csv (the same table) and PNG figures of simulated vs observed series.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calibration_common import ROOT, base_params, calibration_window, load_targets, simulate  # noqa: E402

from sim.core.calendar import month_label  # noqa: E402

OUT = ROOT / "results" / "calibration"
YEARS = (2019, 2020, 2021, 2022)


def yearly(runs: list[dict[str, np.ndarray]], num: str, den: str | None = None) -> np.ndarray:
    """Per-seed yearly sums (or ratio of sums) -> array seeds x years (2022: Jan-Sep)."""
    out = []
    for run in runs:
        row = []
        for y in YEARS:
            lo, hi = (y - 2019) * 12, min((y - 2018) * 12, len(run[num]))
            top = run[num][lo:hi].sum()
            row.append(top / run[den][lo:hi].sum() if den else top)
        out.append(row)
    return np.array(out)


def band(values: np.ndarray, axis: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Median and 5-95% interval."""
    return (
        np.median(values, axis=axis),
        np.percentile(values, 5, axis=axis),
        np.percentile(values, 95, axis=axis),
    )


def yearly_panel(ax, runs, num, den, observed: dict[int, tuple[float, float]], title, scale=1.0):
    """Simulated yearly medians with 90% bars, observed values (ranges as bars) as dots."""
    med, lo, hi = band(yearly(runs, num, den))
    x = np.arange(len(YEARS))
    ax.bar(x, med / scale, color="#9ecae1", label="simulated (median)")
    ax.errorbar(
        x,
        med / scale,
        yerr=[(med - lo) / scale, (hi - med) / scale],
        fmt="none",
        ecolor="#3182bd",
        capsize=3,
        label="simulated 90% interval",
    )
    for year, (low, high) in observed.items():
        i = YEARS.index(year)
        ax.errorbar(
            [i],
            [(low + high) / 2 / scale],
            yerr=[[(high - low) / 2 / scale]] * 2,
            fmt="o",
            color="#d62728",
            capsize=4,
            label="observed" if year == min(observed) else None,
        )
    ax.set_xticks(x, [str(y) if y < 2022 else "2022\n(Jan-Sep)" for y in YEARS])
    ax.set_title(title, fontsize=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--holders", type=int, default=None, help="default: the config's")
    args = parser.parse_args()
    overrides = [f"end={calibration_window()}"]
    if args.holders:
        overrides.append(f"population.holders={args.holders}")
    params = base_params(overrides)
    targets = load_targets()
    began = time.time()
    runs = [simulate(params, seed) for seed in range(args.seeds)]
    elapsed = time.time() - began
    OUT.mkdir(parents=True, exist_ok=True)

    rows = []
    for t in targets:
        values = np.array([t.simulate(run) for run in runs])
        med, lo, hi = band(values)
        rows.append(
            {
                "target": t.name,
                "period": t.start if t.start == t.end else f"{t.start}..{t.end}",
                "observed_low": t.low,
                "observed_high": t.high,
                "simulated_median": med,
                "simulated_p05": lo,
                "simulated_p95": hi,
                "error_pct": 100 * t.distance(float(med)),
                "tolerance_pct": 100 * t.tolerance,
                "within_tolerance": t.fits(float(med)),
                "fitted": t.weight > 0,
                "series": "+".join(t.numerator)
                + (" / " + "+".join(t.denominator) if t.denominator else ""),
                "aggregate": t.aggregate,
            }
        )
    fit = pd.DataFrame(rows)
    fit.to_csv(OUT / "fit.csv", index=False, float_format="%.6g")

    def fmt(v: float) -> str:
        return f"{v:.3f}" if abs(v) < 10 else f"{v:,.0f}"

    lines = [
        "# Calibration: simulated vs observed (pre-reform targets, up to September 2022)",
        "",
        f"Default configuration (historical scenario + `configs/calibration/fitted.yaml`), "
        f"{params.population.holders:,} holders scaled to {params.population.national_holders:,}, "
        f"seeds 0..{args.seeds - 1}, January 2019 to {calibration_window()}; "
        f"{elapsed:.0f} s of compute. Produced by `python experiments/validate.py`.",
        "",
        "Observed: the public figure (a range where sources disagree). Simulated: median over "
        "seeds and 90% interval (5th-95th percentile). Error: relative distance of the median "
        "to the observed range. 'fit' = within tolerance; weight 0 targets are reported, not "
        "fitted (no free parameter governs them; see docs/calibration.md).",
        "",
        "| target | period | observed | simulated median [90% interval] | error | tolerance "
        "| fit | fitted on |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        observed = (
            fmt(r["observed_low"])
            if r["observed_low"] == r["observed_high"]
            else (f"{fmt(r['observed_low'])}-{fmt(r['observed_high'])}")
        )
        lines.append(
            f"| {r['target']} | {r['period']} | {observed} | {fmt(r['simulated_median'])} "
            f"[{fmt(r['simulated_p05'])}, {fmt(r['simulated_p95'])}] | {r['error_pct']:+.0f}% | "
            f"±{r['tolerance_pct']:.0f}% | {'yes' if r['within_tolerance'] else '**no**'} | "
            f"{'yes' if r['fitted'] else 'no'} |"
        )
    n_fit = int(fit["within_tolerance"].sum())
    lines += [
        "",
        f"{n_fit} of {len(rows)} targets within tolerance "
        f"({int(fit[fit.fitted].within_tolerance.sum())} of {int(fit.fitted.sum())} fitted ones).",
        "",
        "Figures: "
        + ", ".join(
            f"`{name}`"
            for name in (
                "entries.png",
                "dossiers_monthly.png",
                "price_and_composition.png",
                "fraud.png",
                "organisations.png",
                "outcomes.png",
            )
        ),
    ]
    (OUT / "report.md").write_text("\n".join(lines) + "\n")

    # ---- figures
    plt.rcParams.update({"figure.dpi": 90, "font.size": 9})
    fig, ax = plt.subplots(figsize=(5.5, 3.5))
    yearly_panel(
        ax,
        runs,
        "enrolments",
        None,
        {2019: (493_000, 517_000), 2020: (984_000, 984_000), 2021: (1_981_700, 1_981_700)},
        "Training entries per year (thousands; DARES)",
        1e3,
    )
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(OUT / "entries.png")
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6.5, 3.5))
    monthly = np.array([run["enrolments"] for run in runs])
    med, lo, hi = band(monthly)
    months = np.arange(monthly.shape[1])
    ax.fill_between(months, lo / 1e3, hi / 1e3, color="#9ecae1", label="simulated 90% interval")
    ax.plot(months, med / 1e3, color="#3182bd", label="simulated median")
    ax.plot([34, 35], [204.829, 234.392], "o", color="#d62728", label="observed (CDC dossiers)")
    ticks = list(range(0, monthly.shape[1], 6))
    ax.set_xticks(ticks, [month_label(m) for m in ticks], rotation=45)
    ax.set_title("Monthly entries / dossiers validated (thousands)", fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(OUT / "dossiers_monthly.png")
    plt.close(fig)

    fig, axes = plt.subplots(1, 3, figsize=(11, 3.4))
    yearly_panel(
        axes[0],
        runs,
        "spend_eur",
        "enrolments",
        {2020: (1236, 1236), 2021: (1358, 1358)},
        "Public money per entry (EUR)",
    )
    yearly_panel(
        axes[1],
        runs,
        "enrolments_job_seeker",
        "enrolments",
        {2020: (0.36, 0.38), 2021: (0.31, 0.31)},
        "Job seekers' share of entries",
    )
    yearly_panel(
        axes[2],
        runs,
        "enrolments_below_bac",
        "enrolments",
        {2022: (0.42, 0.43)},
        "Share of entries at most CAP/BEP",
    )
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(OUT / "price_and_composition.png")
    plt.close(fig)

    fig, axes = plt.subplots(1, 3, figsize=(11, 3.4))
    yearly_panel(
        axes[0],
        runs,
        "fraud_detected_eur",
        None,
        {2020: (7.8e6, 7.8e6), 2021: (43.2e6, 43.2e6)},
        "Fraud detected (M EUR) vs Tracfin stakes",
        1e6,
    )
    yearly_panel(
        axes[1],
        runs,
        "pressured_enrolments",
        "enrolments",
        {2021: (0.06, 0.06)},
        "Canvassing-initiated share of entries",
    )
    tko = np.array(
        [
            [run["takeover_enrolments"][10:36].sum() / 1e3, run["reports"][36:42].sum() / 1e3]
            for run in runs
        ]
    )
    med, lo, hi = band(tko)
    axes[2].bar([0, 1], med, color="#9ecae1")
    axes[2].errorbar(
        [0, 1], med, yerr=[med - lo, hi - med], fmt="none", ecolor="#3182bd", capsize=3
    )
    axes[2].plot([0, 1], [14.3, 32.4], "o", color="#d62728")
    axes[2].set_xticks([0, 1], ["hijacked accounts\nNov 2019-Dec 2021", "reports\nJan-Jun 2022"])
    axes[2].set_title("Takeovers and reports (thousands)", fontsize=10)
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(OUT / "fraud.png")
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(6.5, 3.5))
    orgs = np.array([run["organisations_active"] for run in runs])
    med, lo, hi = band(orgs)
    ax.fill_between(months, lo, hi, color="#9ecae1", label="simulated 90% interval")
    ax.plot(months, med, color="#3182bd", label="simulated median")
    ax.plot([35], [25_000], "o", color="#d62728", label="observed (end 2021)")
    ax.set_xticks(ticks, [month_label(m) for m in ticks], rotation=45)
    ax.set_title("Organisations listed on the platform", fontsize=10)
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(OUT / "organisations.png")
    plt.close(fig)

    fig, axes = plt.subplots(1, 2, figsize=(8, 3.4))
    abandon = np.array(
        [
            [
                run["abandonments"][(y - 2019) * 12 : (y - 2018) * 12].sum()
                / max(
                    1.0,
                    (run["abandonments"] + run["completions"])[
                        (y - 2019) * 12 : (y - 2018) * 12
                    ].sum(),
                )
                for y in YEARS
            ]
            for run in runs
        ]
    )
    med, lo, hi = band(abandon)
    x = np.arange(len(YEARS))
    axes[0].bar(x, med, color="#9ecae1")
    axes[0].errorbar(x, med, yerr=[med - lo, hi - med], fmt="none", ecolor="#3182bd", capsize=3)
    axes[0].plot([2], [0.11], "o", color="#d62728")
    axes[0].set_xticks(x, [str(y) for y in YEARS])
    axes[0].set_title("Abandonment rate of courses ending", fontsize=10)
    yearly_panel(
        axes[1],
        runs,
        "remote_enrolments",
        "enrolments",
        {2019: (0.06, 0.06), 2021: (0.51, 0.51)},
        "Fully-remote share of entries",
    )
    fig.tight_layout()
    fig.savefig(OUT / "outcomes.png")
    plt.close(fig)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
