"""`cpf-sensitivity SWEEP_FOLDER`: the sensitivity report of a design's sweep.

    cpf-sim -m +experiment=morris            # run a design (resumable, any launcher)
    cpf-sensitivity results/sweeps/morris    # write results/sweeps/morris/sensitivity/

Not a design's folder, or no such folder: one line, exit 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from sim.tooling.manifest import SweepError
from sim.tooling.sensitivity.report import write_report

PROG = "cpf-sensitivity"


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the folder, write the report, say where."""
    parser = argparse.ArgumentParser(
        prog=PROG, description="Sensitivity report of a design's sweep (Morris, Sobol or LHS)."
    )
    parser.add_argument(
        "folder", type=Path, help="a design's sweep folder, e.g. results/sweeps/morris"
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else list(argv))
    if not args.folder.is_dir():
        print(f"{PROG}: {args.folder} is not a folder", file=sys.stderr)
        sys.exit(2)
    try:
        path = write_report(args.folder)
    except SweepError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        sys.exit(2)
    print(f"Report written to {path} (and report.html, figures, CSV tables, screening.json)")


if __name__ == "__main__":
    main()
