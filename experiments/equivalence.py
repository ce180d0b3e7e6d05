"""Statistical equivalence of the event-driven model with the model it replaced (issue 13).

The speed-up changed how the holders' events are drawn, not what happens with what probability,
so the two models must agree in distribution, not draw for draw. This script runs both on the
same seeds (each run in its own process, the old code from a `git archive` of `--base`) and
compares the key yearly outcomes: the mean of each model over the seeds, the difference and its
95% confidence interval (Welch), and whether the interval holds 0. About 5% of the cells fall
outside by chance alone; the table counts them.

    .venv/bin/python experiments/equivalence.py --base 6971477 --seeds 20 --workers 2
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from scipy import stats

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "equivalence.md"
KEY = (
    "searches",
    "enrolments",
    "legit_enrolments",
    "useful_enrolments",
    "pressured_enrolments",
    "takeover_enrolments",
    "ghost_enrolments",
    "spend_eur",
    "fraud_loss_eur",
    "deterred_holders",
    "no_offer_found",
    "turned_away",
    "completions",
    "mean_balance_eur",
    "aware_share",
    "mean_trust",
    "organisations_active",
)
CHILD = """
import json, sys
sys.path.insert(0, sys.argv[1])
from sim.api import run
from sim.outcomes import yearly
metrics = run(seed=int(sys.argv[2]), holders=int(sys.argv[3])).metrics
print(json.dumps({k: yearly(metrics, k) for k in json.loads(sys.argv[4])}))
"""


def one_run(code: Path, seed: int, holders: int) -> dict[str, dict[str, float]]:
    """Key yearly outcomes of one run of the code in `code` (its own process)."""
    argv = [sys.executable, "-c", CHILD, str(code), str(seed), str(holders), json.dumps(KEY)]
    done = subprocess.run(argv, cwd=code, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def runs(code: Path, seeds: range, holders: int, workers: int) -> list[dict]:
    """One run per seed, `workers` at a time."""
    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(lambda s: one_run(code, s, holders), seeds))


def compare(base: list[dict], new: list[dict]) -> tuple[list[str], int, int]:
    """Markdown rows (outcome, year, means, difference and its CI), cells outside, cells."""
    rows, outside, cells = [], 0, 0
    for name in KEY:
        for year in base[0][name]:
            a = np.array([r[name][year] for r in base])
            b = np.array([r[name][year] for r in new])
            diff = b.mean() - a.mean()
            se = np.sqrt(a.var(ddof=1) / a.size + b.var(ddof=1) / b.size)
            if se == 0:
                low = high = diff
            else:
                dof = se**4 / (
                    (a.var(ddof=1) / a.size) ** 2 / (a.size - 1)
                    + (b.var(ddof=1) / b.size) ** 2 / (b.size - 1)
                )
                half = stats.t.ppf(0.975, dof) * se
                low, high = diff - half, diff + half
            ok = low <= 0 <= high
            cells += 1
            outside += not ok
            scale = abs(a.mean()) if a.mean() != 0 else 1.0
            rows.append(
                f"| {name} | {year} | {a.mean():,.4g} | {b.mean():,.4g} | "
                f"{100 * diff / scale:+.1f}% | "
                f"[{100 * low / scale:+.1f}%, {100 * high / scale:+.1f}%] | "
                f"{'yes' if ok else '**no**'} |"
            )
    return rows, outside, cells


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--base", default="6971477", help="git revision of the old model (main before issue 13)"
    )
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--holders", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    seeds = range(args.seeds)
    with tempfile.TemporaryDirectory() as folder:
        base_code = Path(folder)
        archive = subprocess.run(
            ["git", "archive", args.base], cwd=ROOT, capture_output=True, check=True
        )
        subprocess.run(["tar", "-x", "-C", folder], input=archive.stdout, check=True)
        base = runs(base_code, seeds, args.holders, args.workers)
    new = runs(ROOT, seeds, args.holders, args.workers)
    rows, outside, cells = compare(base, new)
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    expected = stats.binom.ppf(0.95, cells, 0.05)
    text = [
        "# Statistical equivalence of the event-driven model (issue 13)",
        "",
        f"Written by `experiments/equivalence.py`: {args.seeds} seeds, {args.holders:,} holders,"
        f" historical scenario, old model at `{args.base}`, new at `{head}` (plus uncommitted"
        " changes if any). Each cell: mean over the seeds (national units), the new model's"
        " difference in % of the old mean and its 95% confidence interval (Welch).",
        "",
        f"**{outside} of {cells} cells** have an interval that excludes 0; by chance alone about"
        f" {0.05 * cells:.0f} would (95% of the time at most {expected:.0f}).",
        "",
        "| outcome | year | old mean | new mean | difference | 95% CI | CI holds 0 |",
        "|---|---|---:|---:|---:|---|---|",
        *rows,
        "",
    ]
    args.out.write_text("\n".join(text))
    print(f"{outside} of {cells} cells outside; wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
