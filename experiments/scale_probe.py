"""Scale invariance probe: key yearly outcomes at several simulated population sizes.

    .venv/bin/python experiments/scale_probe.py [--sizes 20000 100000 1000000] [--seeds 3]
        [--first-seed 0] [--workers 2] [overrides ...]

Prints, per outcome and year, the median over seeds at each size and its gap to the
reference size (100,000 by default): volumes, then the market's ecology by strategy
(organisations listed at the end of each year, entries, exits, honest sales), where a
dependence on the simulated population shows first (ODD 8). Used to find and check the
mechanisms whose result depends on how many holders are simulated.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

import pandas as pd

from sim.api import run
from sim.outcomes import yearly

KEY = (
    "enrolments",
    "legit_enrolments",
    "useful_enrolments",
    "spend_eur",
    "fraud_loss_eur",
    "pressured_enrolments",
    "turned_away",
    "no_offer_found",
    "legit_enrolments_quality",
    "legit_enrolments_generalist",
    "legit_enrolments_opportunist",
    "organisations_active",
    "organisations_active_quality",
    "organisations_active_generalist",
    "organisations_active_opportunist",
    "organisations_entered",
    "organisations_exited",
)


def yearly_key(overrides: Sequence[str]) -> pd.DataFrame:
    """One run's yearly sums of the key outcomes (national units)."""
    metrics = run(overrides=list(overrides)).metrics
    return pd.DataFrame({name: yearly(metrics, name) for name in KEY if name in metrics})


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000, 100_000, 1_000_000])
    parser.add_argument("--reference", type=int, default=100_000)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("overrides", nargs="*")
    args = parser.parse_args(argv)
    seeds = range(args.first_seed, args.first_seed + args.seeds)
    jobs = {
        (h, s): [*args.overrides, f"population.holders={h}", f"seed={s}"]
        for h in args.sizes
        for s in seeds
    }
    with ProcessPoolExecutor(args.workers) as pool:
        frames = dict(zip(jobs, pool.map(yearly_key, jobs.values()), strict=True))
    table = pd.concat(
        {
            h: pd.concat([frames[(h, s)] for s in seeds]).groupby(level=0).median()
            for h in args.sizes
        },
        axis=1,
    )
    pd.set_option("display.width", 200)
    pd.set_option("display.max_rows", 200)
    for outcome in KEY:
        if (args.reference, outcome) not in table:
            continue
        block = table.xs(outcome, axis=1, level=1)
        gaps = block.div(block[args.reference], axis=0) - 1
        print(f"\n{outcome} (reference {block[args.reference].round(0).to_dict()})")
        print(gaps.map(lambda v: f"{v:+.0%}").to_string())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
