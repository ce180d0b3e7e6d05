"""The model's structural checks (issue 9): measured over seeds, printed and written as Markdown.

    .venv/bin/python experiments/model_checks.py [--seeds 10] [--holders 100000] [--workers 2]
        [--out results/model_checks] [--skip-scale]

Each check runs its own paired design (same seeds in every arm) from the calibrated default
configuration and prints the figure it is judged on, with the verdict. Nothing here is fitted:
the checks read the model as it is. The scale check runs the historical scenario at 20,000,
100,000 and 1,000,000 simulated holders (the 1M runs take most of the time); the resolution
check runs it at the default size with twice the organisation cohorts (`market.organisations`)
and with 8x the result pages per offer (`behaviour.pages_per_offer`), settings that say how
finely the model represents organisations and searches, so outcomes should not depend on them.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from sim.api import run
from sim.config import load_params
from sim.core.calendar import month_label
from sim.model import CPFModel
from sim.outcomes import yearly

ROOT = Path(__file__).resolve().parent.parent
ENTRIES_2021 = 1_981_700  # DARES, in sim/calibration/targets.csv (entries_2021)
KEY = ("enrolments", "legit_enrolments", "useful_enrolments", "spend_eur", "fraud_loss_eur")
RESOLUTION = {
    "240 cohorts": "market.organisations=240",
    "8x pages": "behaviour.pages_per_offer=16",
}
"""Settings that fix how finely the model represents organisations and searches, not facts."""


def yearly_totals(overrides: Sequence[str]) -> pd.DataFrame:
    """One run's yearly sums of every flow (national units), indexed by year."""
    metrics = run(overrides=list(overrides)).metrics
    return pd.DataFrame(
        {name: yearly(metrics, name) for name in metrics.columns if name != "month"}
    )


def agent_shares(overrides: Sequence[str]) -> pd.DataFrame:
    """Per year: the shells' share of honest enrolments and the largest single agent's share."""
    model = CPFModel(load_params(list(overrides)))
    offers, rows, previous = model.offers, [], None
    while model.month < model.n_months:
        model.step()
        if model.month % 12 == 0:
            sold = np.bincount(offers.organisation[: offers.n], offers.legit_sales[: offers.n])
            shell_sold = np.bincount(
                offers.organisation[: offers.n],
                np.where(offers.strategy[: offers.n] == 3, offers.legit_sales[: offers.n], 0),
                minlength=sold.size,
            )
            now = np.stack([sold, shell_sold])
            if previous is not None:
                now_part = now.copy()
                now_part[:, : previous.shape[1]] -= previous
            else:
                now_part = now
            total = max(1, int(now_part[0].sum()))
            rows.append(
                {
                    "year": int(month_label(model.month - 1)[:4]),
                    "shell_share": now_part[1].sum() / total,
                    "largest_agent_share": now_part[0].max() / total,
                }
            )
            previous = now
    return pd.DataFrame(rows).set_index("year")


def paired(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """Mean paired difference a - b and its two-sided p-value (t test)."""
    d = np.asarray(a, float) - np.asarray(b, float)
    if np.allclose(d, d[0]):
        return float(d.mean()), 0.0 if d[0] != 0 else 1.0
    return float(d.mean()), float(stats.ttest_1samp(d, 0.0).pvalue)


def seed_noise(values: np.ndarray, draws: int = 2000) -> float:
    """Half-width of the 95% range of the gap between two medians of `values.size` seeds.

    Both medians are resampled from the same runs (bootstrap, fixed stream), so a relative gap
    between two settings smaller than this is within what their seeds alone would give.
    """
    rng = np.random.default_rng(0)
    picks = rng.integers(0, values.size, size=(2, draws, values.size))
    medians = np.median(values[picks], axis=2)
    gap = np.divide(medians[0], medians[1], out=np.ones(draws), where=medians[1] != 0) - 1
    low, high = np.quantile(gap, [0.025, 0.975])
    return float(high - low) / 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--holders", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "model_checks")
    parser.add_argument("--skip-scale", action="store_true")
    args = parser.parse_args(argv)
    seeds = range(args.seeds)
    size = f"population.holders={args.holders}"
    arms = {
        "historical": ["scenario=historical"],
        "none": ["scenario=none"],
        "relevance": ["scenario=none", "regulation.ranking=relevance"],
        "fc_plus": ["scenario=none", "regulation.identity_check={2022-10:franceconnect_plus}"],
        **{
            f"ban_{e}": [
                "scenario=none",
                "regulation.canvassing_ban={2022-12:true}",
                f"regulation.canvassing_enforcement={{2022-12:{e}}}",
            ]
            for e in ("0.01", "0.03", "0.1")
        },
    }
    # The resolution settings (ODD 2.8): twice the organisation cohorts, 8x the pages per offer.
    arms |= {name: ["scenario=historical", override] for name, override in RESOLUTION.items()}
    jobs = {(arm, s): [*o, size, f"seed={s}"] for arm, o in arms.items() for s in seeds}
    if not args.skip_scale:
        for holders in (20_000, 1_000_000):
            for s in seeds:
                jobs[(f"scale_{holders}", s)] = [f"population.holders={holders}", f"seed={s}"]
    began = time.time()
    with ProcessPoolExecutor(args.workers) as pool:
        futures = {key: pool.submit(yearly_totals, o) for key, o in jobs.items()}
        share_futures = {
            s: pool.submit(agent_shares, [*arms["historical"], size, f"seed={s}"]) for s in seeds
        }
        results = {key: f.result() for key, f in futures.items()}
        shares = pd.concat({s: f.result() for s, f in share_futures.items()})
    minutes = (time.time() - began) / 60

    def arm(name: str, column: str, years: slice = slice(None)) -> np.ndarray:
        return np.array([results[(name, s)].loc[years, column].sum() for s in seeds])

    lines = [
        f"# Model checks ({args.seeds} seeds, {args.holders:,} holders; {minutes:.0f} min)",
        "",
    ]

    def check(name: str, ok: bool, detail: str) -> None:
        lines.append(f"- **{'met' if ok else 'MISSED'}** {name}: {detail}")

    worst_shell = shares["shell_share"].groupby("year").max()
    worst_agent = shares["largest_agent_share"].groupby("year").max()
    check(
        "shells' share of honest enrolments below 2% every year",
        bool((worst_shell < 0.02).all()),
        "worst seed per year " + ", ".join(f"{y}: {v:.2%}" for y, v in worst_shell.items()),
    )
    check(
        "no agent sells more than 5% of honest enrolments in any year",
        bool((worst_agent < 0.05).all()),
        "largest share per year " + ", ".join(f"{y}: {v:.1%}" for y, v in worst_agent.items()),
    )
    useful = arm("relevance", "useful_enrolments") / arm("none", "useful_enrolments")
    skill = arm("relevance", "skill_gain") / arm("none", "skill_gain")
    ratio = np.median(useful) / np.median(skill)
    check(
        "relevance ranking's gain in useful enrolments within 1.5x its gain in skill",
        bool(1 / 1.5 <= ratio <= 1.5),
        f"useful x{np.median(useful):.2f}, skill gain x{np.median(skill):.2f} (ratio {ratio:.2f})",
    )
    later = [np.median(arm("none", "enrolments", slice(y, y))) for y in range(2023, 2027)]
    check(
        "no-lever world: entries 2023-2026 at most 1.5x the 2021 observed level",
        max(later) <= 1.5 * ENTRIES_2021,
        "medians "
        + ", ".join(f"{y}: {v / 1e6:.2f} M" for y, v in zip(range(2023, 2027), later, strict=True))
        + f" (bound {1.5 * ENTRIES_2021 / 1e6:.2f} M)",
    )
    persons = np.median(arm("historical", "deterred_persons"))
    users = np.median(arm("historical", "new_users"))
    check(
        "deterred persons 2019-2026 below distinct users",
        persons < users,
        f"{persons / 1e6:.2f} M persons deterred, {users / 1e6:.2f} M distinct users",
    )
    f23 = np.median(arm("historical", "deterred_friction", slice(2023, 2023)))
    f26 = np.median(arm("historical", "deterred_friction", slice(2026, 2026)))
    check(
        "friction deterrals in 2026 below half their 2023 level",
        f26 < 0.5 * f23,
        f"2023: {f23 / 1e3:.0f}k, 2026: {f26 / 1e3:.0f}k",
    )
    loss21 = np.median(arm("historical", "fraud_loss_eur", slice(2021, 2021)))
    check(
        "network fraud loss 2021 between 20 and 250 M EUR",
        20e6 <= loss21 <= 250e6,
        f"{loss21 / 1e6:.0f} M EUR (median)",
    )
    window = slice(2023, 2026)
    p01, p03, p10 = (
        arm(f"ban_{e}", "pressured_enrolments", window) for e in ("0.01", "0.03", "0.1")
    )
    d1, pv1 = paired(p03, p01)
    d2, pv2 = paired(p10, p03)
    check(
        "canvassing ban at 1% / 3% / 10% enforcement: pressured sign-ups fall at each step",
        d1 < 0 and d2 < 0 and pv1 < 0.05 and pv2 < 0.05,
        f"2023-26 medians {np.median(p01) / 1e3:.0f}k / {np.median(p03) / 1e3:.0f}k / "
        f"{np.median(p10) / 1e3:.0f}k; paired 1->3%: {d1 / 1e3:+.0f}k (p={pv1:.3f}), "
        f"3->10%: {d2 / 1e3:+.0f}k (p={pv2:.3f})",
    )

    def takeover_share(name: str, year: int) -> np.ndarray:
        effort = [
            arm(name, f"network_effort_{c}", slice(year, year))
            for c in ("takeover", "pressured", "ghost")
        ]
        total = np.sum(effort, axis=0)
        return np.where(total > 0, effort[0] / np.maximum(total, 1), np.nan)

    with_fc, without = takeover_share("fc_plus", 2023), takeover_share("none", 2023)
    fall = np.nanmedian(without - with_fc)
    check(
        "after FranceConnect+ alone, the takeover share of networks' effort falls >= 10 points",
        fall >= 0.10,
        f"2023 (the 12 months after Oct 2022 fall within it): {np.nanmedian(with_fc):.0%} vs "
        f"{np.nanmedian(without):.0%} without; median paired fall {100 * fall:.0f} points",
    )
    sizes = {} if args.skip_scale else {20_000: "scale_20000", 1_000_000: "scale_1000000"}
    compared = {
        **{h: name for h, name in sizes.items() if h < args.holders},
        args.holders: "historical",
        **{h: name for h, name in sizes.items() if h > args.holders},
        **{name: name for name in RESOLUTION},
    }
    rows = [
        {
            "setting": f"{label:,}" if isinstance(label, int) else label,
            "outcome": outcome,
            "year": year,
            "median": np.median(arm(name, outcome, slice(year, year))),
        }
        for label, name in compared.items()
        for outcome in KEY
        for year in range(2019, 2027)
    ]
    table = pd.DataFrame(rows).pivot_table(
        index=["outcome", "year"], columns="setting", values="median", sort=False
    )
    default = f"{args.holders:,}"
    gaps = table.div(table[default], axis=0) - 1
    worst = gaps.drop(columns=default).abs().max()
    noise = pd.Series(
        [seed_noise(arm("historical", outcome, slice(year, year))) for outcome, year in gaps.index],
        index=gaps.index,
    )
    beyond = gaps.drop(columns=default).abs().gt(noise, axis=0)
    if sizes:
        check(
            "key yearly outcomes at 20k and 1M within 10% of 100k (medians over seeds)",
            bool((worst[[f"{h:,}" for h in sizes]] <= 0.10).all()),
            ", ".join(f"{h:,}: worst {worst[f'{h:,}']:.0%}" for h in sizes),
        )
    check(
        "key yearly outcomes with 240 organisation cohorts (not 120) and 8x the result pages "
        "per offer within 10% of the default (medians over seeds)",
        bool((worst[list(RESOLUTION)] <= 0.10).all()),
        ", ".join(f"{name}: worst {worst[name]:.0%}" for name in RESOLUTION),
    )
    lines.append(
        "- Gaps beyond the seed noise (the last column: half the 95% range of the gap between "
        f"two medians of {args.seeds} seeds of the default): "
        + ", ".join(
            f"{name}: {int(beyond[name].sum())} of {beyond[name].size} rows "
            f"(fraud_loss_eur {int(beyond[name]['fraud_loss_eur'].sum())})"
            for name in beyond.columns
        )
    )
    header = ["outcome", "year", *gaps.columns, "seed noise (±)"]
    rows_md = [
        f"| {name} | {year} | "
        + " | ".join(f"{v:+.1%}" for v in row)
        + f" | {noise[(name, year)]:.1%} |"
        for (name, year), row in gaps.iterrows()
    ]
    lines += [
        "",
        "## Scale and resolution: medians over seeds, relative gap to the default",
        "",
        f"Columns: simulated holders (the default {default}), then the default size with twice "
        "the organisation cohorts and with 8x the result pages per offer; last, the seed noise "
        "of such a gap: a gap within it is what the seeds alone give.",
        "",
        "| " + " | ".join(header) + " |",
        "|---" * len(header) + "|",
        *rows_md,
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "checks.md").write_text(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
