"""`cpf-compare`: compare a sweep's scenarios, or run named variants and compare them.

    cpf-compare SWEEP_FOLDER [--baseline NAME] [--from YYYY-MM] [--to YYYY-MM]
    cpf-compare run BASELINE NAME='overrides' ... [--seeds 10] [--from ...] [--to ...]
                [--folder DIR] [-- OVERRIDE ...]

The second form runs a paired sweep of the variants (`sim.tooling.variants`) through the usual
sweep machinery (launchers, resume, tables) and then writes the report. Overrides after `--`
apply to every run (`population.holders=20000`); those starting with `hydra` choose the
launcher (`hydra/launcher=basic`, `hydra.launcher.n_jobs=2`). Bad input: one line, exit 2,
before anything is written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from sim.config import register_schema
from sim.core.calendar import month_index
from sim.core.errors import ConfigError
from sim.tooling.cli import run_planned_sweep
from sim.tooling.compare import write_report
from sim.tooling.jobs import check_jobs, register_run_name_resolver
from sim.tooling.manifest import SweepError
from sim.tooling.manifest_sweeper import register_manifest_sweeper
from sim.tooling.slurm import register_launchers
from sim.tooling.stats import CompareError
from sim.tooling.variants import parse_variant, plan_comparison, variant_notes

PROG = "cpf-compare"


def _month(text: str) -> str:
    try:
        month_index(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a month written YYYY-MM") from None
    return text


def _window_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--from", dest="start", type=_month, help="first month, YYYY-MM")
    parser.add_argument("--to", dest="stop", type=_month, help="last month, YYYY-MM")


def _stop(message: str, code: int) -> None:
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(code)


def _report(folder: Path, baseline: str | None, start: str | None, stop: str | None) -> None:
    try:
        report = write_report(folder, baseline, start=start, stop=stop)
    except (CompareError, SweepError) as error:
        _stop(str(error), 2)
    print(f"Report written to {report} (and report.html, tables.xlsx, CSV tables)")


def compare_folder(argv: Sequence[str]) -> None:
    """`cpf-compare SWEEP_FOLDER ...`: the report of a finished sweep."""
    parser = argparse.ArgumentParser(
        prog=PROG, description="Compare the scenarios of a sweep: a report in its folder."
    )
    parser.add_argument("folder", help="a sweep folder, e.g. results/sweeps/lever_comparison")
    parser.add_argument(
        "--baseline",
        default=None,
        help="scenario to compare with (default: 'none' if present, else the first scenario)",
    )
    _window_options(parser)
    args = parser.parse_args(argv)
    folder = Path(args.folder)
    if not folder.is_dir():
        _stop(f"{folder} is not a folder", 2)
    _report(folder, args.baseline, args.start, args.stop)


def run_variants(argv: Sequence[str]) -> None:
    """`cpf-compare run BASELINE VARIANT...`: run the paired sweep, then the report."""
    argv = list(argv)
    extra = argv[argv.index("--") + 1 :] if "--" in argv else []
    argv = argv[: argv.index("--")] if "--" in argv else argv
    parser = argparse.ArgumentParser(
        prog=f"{PROG} run",
        description="Run a baseline and named variants on the same seeds, then compare them.",
        epilog="Overrides after -- apply to every run (population.holders=20000); those starting "
        "with 'hydra' choose the launcher (hydra/launcher=basic, hydra.launcher.n_jobs=2). "
        "Example: cpf-compare run historical "
        "copay150='regulation.copayment_eur={2025-01:150,2026-01:150}' --seeds 10 "
        "--from 2025-01 --to 2026-12",
    )
    parser.add_argument("variants", nargs="+", help="BASELINE then NAME='overrides' or scenarios")
    parser.add_argument("--seeds", type=int, default=10, help="seeds 0..N-1 (default 10)")
    parser.add_argument(
        "--folder", type=Path, default=None, help="sweep folder (default: named after the variants)"
    )
    _window_options(parser)
    args = parser.parse_args(argv)
    hydra_args = [o for o in extra if o.startswith("hydra")]
    common = [o for o in extra if not o.startswith("hydra")]
    register_schema()
    register_run_name_resolver()
    register_launchers()
    register_manifest_sweeper()
    try:
        variants = [parse_variant(token) for token in args.variants]
        plan = plan_comparison(variants, args.seeds, common, args.folder)
        check_jobs(plan.jobs)
        notes = variant_notes(variants, plan.jobs, args.seeds)
    except ConfigError as error:
        _stop(f"config error: {error}", 2)
    print(notes, flush=True)
    print(f"{len(plan.jobs)} runs into {plan.sweep_dir}", flush=True)
    sys.argv[:1] = [PROG]
    code = run_planned_sweep(plan, ["-m", *hydra_args])
    if code != 0:
        sys.exit(code)
    _report(plan.sweep_dir, variants[0].name, args.start, args.stop)


def main(argv: Sequence[str] | None = None) -> None:
    """Dispatch: `run ...` runs variants; anything else is a sweep folder to compare."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["run"]:
        run_variants(args[1:])
    else:
        compare_folder(args)


if __name__ == "__main__":
    main()
