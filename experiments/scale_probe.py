"""Scale invariance probe: key yearly outcomes at several simulated population sizes.

    .venv/bin/python experiments/scale_probe.py [--sizes 20000 100000 1000000] [--seeds 3]
        [--workers 2] [overrides ...]

Prints, per outcome and year, the median over seeds at each size and its gap to the first
size given after the smallest (the reference, 100,000 by default). Used to find and check
the mechanisms whose result depends on how many holders are simulated (ODD §scale).
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
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("overrides", nargs="*")
    args = parser.parse_args(argv)
    jobs = {
        (h, s): [*args.overrides, f"population.holders={h}", f"seed={s}"]
        for h in args.sizes
        for s in range(args.seeds)
    }
    with ProcessPoolExecutor(args.workers) as pool:
        frames = dict(zip(jobs, pool.map(yearly_key, jobs.values()), strict=True))
    table = pd.concat(
        {
            h: pd.concat([frames[(h, s)] for s in range(args.seeds)]).groupby(level=0).median()
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
