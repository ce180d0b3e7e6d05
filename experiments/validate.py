"""Validation report of the calibrated model against the pre-reform targets.

    .venv/bin/python experiments/validate.py [--seeds 10] [--holders N]

Runs the default configuration (historical scenario + configs/calibration/fitted.yaml) to
September 2022 for seeds 0..n-1 at the default population size, and writes
results/calibration/: report.md (each target, observed vs simulated median and 90% interval,
error), fit.csv (the same table) and PNG figures of simulated vs observed series.

Every observed figure drawn is read from sim/calibration/targets.csv (none is typed here): a
yearly panel shows the targets whose period is one calendar year (or the run's last, partial
year), a monthly panel those of a single month, and the other targets are drawn one bar each.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim.calibration.free import base_params  # noqa: E402
from sim.calibration.loss import Series, simulate  # noqa: E402
from sim.calibration.targets import LAST_CALIBRATION_MONTH, Target, load_targets  # noqa: E402
from sim.core.calendar import month_index, month_label  # noqa: E402
from sim.core.version import ROOT  # noqa: E402
from sim.outcomes import OUTCOMES, yearly  # noqa: E402

OUT = ROOT / "results" / "calibration"
OBSERVED = "#d62728"
SIMULATED, SIMULATED_DARK = "#9ecae1", "#3182bd"


def band(values: np.ndarray, axis: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Median and 5-95% interval."""
    return (
        np.median(values, axis=axis),
        np.percentile(values, 5, axis=axis),
        np.percentile(values, 95, axis=axis),
    )


def yearly_family(run: Series, numerator: Sequence[str], denominator: Sequence[str]) -> list[float]:
    """Yearly sums of the numerator series (over the yearly sums of the denominator ones)."""
    top = np.sum([list(yearly(run, name).values()) for name in numerator], axis=0)
    if not denominator:
        return list(top)
    bottom = np.sum([list(yearly(run, name).values()) for name in denominator], axis=0)
    return [t / b if b > 0 else 0.0 for t, b in zip(top, bottom, strict=True)]


def yearly_targets(targets: Sequence[Target], first: Target, last_month: str) -> dict[int, Target]:
    """Targets of the same quantity as `first` whose period is one calendar year.

    The run's last year counts when it is cut short by the run's end (2022: January-September).
    """
    out = {}
    for t in targets:
        if (t.numerator, t.denominator, t.aggregate) != (
            first.numerator,
            first.denominator,
            first.aggregate,
        ):
            continue
        year = int(t.start[:4])
        year_end = f"{year}-12" if f"{year}-12" <= last_month else last_month
        if t.start == f"{year}-01" and t.end == year_end:
            out[year] = t
    return out


def display(series: Sequence[str], denominator: Sequence[str], title: str) -> tuple[float, str]:
    """Divisor and title with unit for a panel of `series` (a ratio is shown as is)."""
    if denominator:
        return 1.0, title
    shown = OUTCOMES[series[0]]
    return shown.divisor, f"{title} ({shown.display_unit})" if shown.display_unit else title


def yearly_panel(
    ax, runs: Sequence[Series], targets: Sequence[Target], name: str, title: str
) -> None:
    """Simulated yearly medians with 90% bars; the observed yearly targets as dots with ranges."""
    first = next(t for t in targets if t.name == name)
    scale, title = display(first.numerator, first.denominator, title)
    values = np.array([yearly_family(run, first.numerator, first.denominator) for run in runs])
    med, lo, hi = band(values)
    years = list(yearly(runs[0], first.numerator[0]))
    x = np.arange(len(years))
    ax.bar(x, med / scale, color=SIMULATED, label="simulated (median)")
    ax.errorbar(
        x,
        med / scale,
        yerr=[(med - lo) / scale, (hi - med) / scale],
        fmt="none",
        ecolor=SIMULATED_DARK,
        capsize=3,
        label="simulated 90% interval",
    )
    last_month = month_label(len(runs[0][first.numerator[0]]) - 1)
    for i, (year, t) in enumerate(sorted(yearly_targets(targets, first, last_month).items())):
        ax.errorbar(
            [years.index(year)],
            [t.value / scale],
            yerr=[[(t.high - t.low) / 2 / scale]] * 2,
            fmt="o",
            color=OBSERVED,
            capsize=4,
            label="observed" if i == 0 else None,
        )
    labels = [str(y) if f"{y}-12" <= last_month else f"{y}\n(to {last_month[5:]})" for y in years]
    ax.set_xticks(x, labels)
    ax.set_title(title, fontsize=10)


def monthly_panel(
    ax, runs: Sequence[Series], targets: Sequence[Target], series: str, title: str
) -> None:
    """Monthly median and 90% band; the single-month targets on `series` as dots."""
    scale, title = display([series], [], title)
    values = np.array([run[series] for run in runs]) / scale
    med, lo, hi = band(values)
    months = np.arange(values.shape[1])
    ax.fill_between(months, lo, hi, color=SIMULATED, label="simulated 90% interval")
    ax.plot(months, med, color=SIMULATED_DARK, label="simulated median")
    dots = [
        t for t in targets if t.numerator == (series,) and not t.denominator and t.start == t.end
    ]
    for i, t in enumerate(dots):
        ax.plot(
            [month_index(t.end)],
            [t.value / scale],
            "o",
            color=OBSERVED,
            label="observed" if i == 0 else None,
        )
    ticks = list(range(0, values.shape[1], 6))
    ax.set_xticks(ticks, [month_label(m) for m in ticks], rotation=45)
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=7)


def targets_panel(ax, runs: Sequence[Series], targets: Sequence[Target], title: str) -> None:
    """One bar per target (over its own period): simulated median and 90% interval, observed."""
    x = np.arange(len(targets))
    values = np.array([[t.simulate(run) for t in targets] for run in runs])
    observed = np.array([t.value for t in targets])
    med, lo, hi = (v / observed for v in band(values))  # relative to the observed value
    ax.bar(x, med, color=SIMULATED)
    ax.errorbar(x, med, yerr=[med - lo, hi - med], fmt="none", ecolor=SIMULATED_DARK, capsize=3)
    ax.errorbar(
        x,
        np.ones(len(targets)),
        yerr=[
            [(t.value - t.low) / t.value for t in targets],
            [(t.high - t.value) / t.value for t in targets],
        ],
        fmt="o",
        color=OBSERVED,
        capsize=4,
    )
    ax.set_xticks(x, [t.name.replace("_", " ") for t in targets], rotation=20, fontsize=7)
    ax.set_ylabel("simulated / observed", fontsize=8)
    ax.set_title(title, fontsize=10)


def fit_table(targets: Sequence[Target], runs: Sequence[Series]) -> pd.DataFrame:
    """One row per target: observed range, simulated median and interval, error, fit."""
    rows = []
    for t in targets:
        med, lo, hi = band(np.array([t.simulate(run) for run in runs]))
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
    return pd.DataFrame(rows)


FIGURES = (
    "entries.png",
    "dossiers_monthly.png",
    "price_and_composition.png",
    "fraud.png",
    "organisations.png",
    "outcomes.png",
)


def report_lines(fit: pd.DataFrame, params, seeds: int, elapsed: float) -> list[str]:
    """The markdown report."""

    def fmt(v: float) -> str:
        return f"{v:.3f}" if abs(v) < 10 else f"{v:,.0f}"

    lines = [
        "# Calibration: simulated vs observed (pre-reform targets, up to September 2022)",
        "",
        f"Default configuration (historical scenario + `configs/calibration/fitted.yaml`), "
        f"{params.population.holders:,} holders scaled to {params.population.national_holders:,}, "
        f"seeds 0..{seeds - 1}, January 2019 to {LAST_CALIBRATION_MONTH}; "
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
    for r in fit.to_dict("records"):
        observed = (
            fmt(r["observed_low"])
            if r["observed_low"] == r["observed_high"]
            else f"{fmt(r['observed_low'])}-{fmt(r['observed_high'])}"
        )
        lines.append(
            f"| {r['target']} | {r['period']} | {observed} | {fmt(r['simulated_median'])} "
            f"[{fmt(r['simulated_p05'])}, {fmt(r['simulated_p95'])}] | {r['error_pct']:+.0f}% | "
            f"±{r['tolerance_pct']:.0f}% | {'yes' if r['within_tolerance'] else '**no**'} | "
            f"{'yes' if r['fitted'] else 'no'} |"
        )
    n_fit = int(fit["within_tolerance"].sum())
    fitted = fit[fit["fitted"]]
    return lines + [
        "",
        f"{n_fit} of {len(fit)} targets within tolerance "
        f"({int(fitted['within_tolerance'].sum())} of {len(fitted)} fitted ones).",
        "",
        "Figures: " + ", ".join(f"`{name}`" for name in FIGURES),
    ]


def draw(runs: Sequence[Series], targets: Sequence[Target]) -> None:
    """Write the figures into OUT."""
    by_name = {t.name: t for t in targets}
    plt.rcParams.update({"figure.dpi": 90, "font.size": 9})

    def save(fig, name: str) -> None:
        fig.tight_layout()
        fig.savefig(OUT / name)
        plt.close(fig)

    fig, ax = plt.subplots(figsize=(5.5, 3.5))
    yearly_panel(ax, runs, targets, "entries_2019", "Training entries per year, DARES")
    ax.legend(fontsize=7)
    save(fig, "entries.png")

    fig, ax = plt.subplots(figsize=(6.5, 3.5))
    monthly_panel(ax, runs, targets, "enrolments", "Monthly entries / dossiers validated")
    save(fig, "dossiers_monthly.png")

    fig, axes = plt.subplots(1, 3, figsize=(11, 3.4))
    yearly_panel(axes[0], runs, targets, "price_per_dossier_2020", "Public money per entry (EUR)")
    yearly_panel(axes[1], runs, targets, "job_seeker_share_2020", "Job seekers' share of entries")
    yearly_panel(axes[2], runs, targets, "below_bac_share_2022", "Share of entries at most CAP/BEP")
    axes[0].legend(fontsize=7)
    save(fig, "price_and_composition.png")

    fig, axes = plt.subplots(1, 3, figsize=(11, 3.4))
    yearly_panel(
        axes[0],
        runs,
        targets,
        "fraud_detected_2020",
        "Fraud detected vs Tracfin stakes",
    )
    yearly_panel(
        axes[1],
        runs,
        targets,
        "canvassing_share_2021",
        "Canvassing-initiated share of honest and pressured entries",
    )
    targets_panel(
        axes[2],
        runs,
        [by_name["takeover_accounts"], by_name["takeover_amount"], by_name["reports_2022_h1"]],
        "Takeovers and reports",
    )
    axes[0].legend(fontsize=7)
    save(fig, "fraud.png")

    fig, ax = plt.subplots(figsize=(6.5, 3.5))
    monthly_panel(ax, runs, targets, "organisations_active", "Organisations listed on the platform")
    save(fig, "organisations.png")

    fig, axes = plt.subplots(1, 2, figsize=(8, 3.4))
    targets_panel(
        axes[0],
        runs,
        [
            by_name["abandonment_2021"],
            by_name["used_what_learned_2021"],
            by_name["mean_balance_2022"],
        ],
        "Courses and balances",
    )
    yearly_panel(axes[1], runs, targets, "remote_share_2019", "Fully-remote share of entries")
    save(fig, "outcomes.png")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--holders", type=int, default=None, help="default: the config's")
    args = parser.parse_args()
    overrides = [f"end={LAST_CALIBRATION_MONTH}"]
    if args.holders:
        overrides.append(f"population.holders={args.holders}")
    params = base_params(overrides)
    targets = load_targets()
    began = time.time()
    runs = [simulate(params, seed) for seed in range(args.seeds)]
    elapsed = time.time() - began
    OUT.mkdir(parents=True, exist_ok=True)
    fit = fit_table(targets, runs)
    fit.to_csv(OUT / "fit.csv", index=False, float_format="%.6g")
    lines = report_lines(fit, params, args.seeds, elapsed)
    (OUT / "report.md").write_text("\n".join(lines) + "\n")
    draw(runs, targets)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
