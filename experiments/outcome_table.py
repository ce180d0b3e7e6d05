"""Write docs/outcomes.md: the outcome catalogue, from the registry in sim/outcomes.py.

Every outcome a run records (metrics.parquet columns, summary.json totals, runs.parquet
columns): its name, label, unit, kind (flow, stock or ratio), whether it is scaled from
simulated to national units, which way is better, and how tables show it.

Usage:
    .venv/bin/python experiments/outcome_table.py            # rewrite docs/outcomes.md
    .venv/bin/python experiments/outcome_table.py --check    # exit 1 if it is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.outcomes import DERIVED, FLOWS, OUTCOMES, STOCKS, Outcome

ROOT = Path(__file__).resolve().parent.parent
OUTPUT_FILE = ROOT / "docs" / "outcomes.md"
COMMAND = ".venv/bin/python experiments/outcome_table.py"
GROUPS = (
    ("Flows (monthly amounts; run totals are sums)", FLOWS),
    ("Stocks (levels at the end of each month)", STOCKS),
    ("Derived", DERIVED),
    (
        "Run totals only (summary.json)",
        tuple(n for n in OUTCOMES if n not in FLOWS + STOCKS + DERIVED),
    ),
)


def _row(o: Outcome) -> str:
    shown = o.display_unit or "as is"
    scaled = "yes" if o.scaled else "no"
    return f"| `{o.name}` | {o.label} | {o.unit} | {o.kind} | {scaled} | {o.better} | {shown} |"


def render() -> str:
    """The whole of docs/outcomes.md."""
    lines = [
        "# Outcomes",
        "",
        f"Generated from the outcome registry `sim/outcomes.py` by `{COMMAND}`;",
        "do not edit by hand (the test `tests/test_outcomes.py` fails when this file is out of",
        "date).",
        "Each name is a column of a run's `metrics.parquet` (monthly, national equivalents), a key",
        "of its `summary.json` (run totals) and a column of a sweep's `runs.parquet`. *Kind*: a",
        "flow is summed over a period, a stock read at its last month, a ratio taken of two sums.",
        "*Scaled*: multiplied by `national_holders / holders` once, at the end of the run.",
        "*Better*: the direction a policy wants (reports sign their differences by it).",
        "",
    ]
    for title, names in GROUPS:
        lines += [
            f"## {title}",
            "",
            "| name | label | unit | kind | scaled | better | shown in |",
            "| --- | --- | --- | --- | --- | --- | --- |",
            *(_row(OUTCOMES[name]) for name in names),
            "",
        ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) docs/outcomes.md; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT_FILE)
    parser.add_argument("--check", action="store_true", help="only check the file is up to date")
    args = parser.parse_args(argv)
    text = render()
    stale = not args.output.exists() or args.output.read_text(encoding="utf-8") != text
    if args.check:
        if stale:
            print(f"{args.output} is out of date; regenerate it with: {COMMAND}", file=sys.stderr)
        return 1 if stale else 0
    if stale:
        args.output.write_text(text, encoding="utf-8")
        print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
