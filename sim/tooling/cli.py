"""`cpf-sim` / `python -m sim`: the Hydra command line, a thin shell around `sim.run`.

Before Hydra starts, every job of the command line (each combination of a sweep) is composed
and validated, and a sweep's folder, jobs and run folder names are settled (`plan_sweep`):
bad input or two jobs sharing a folder stop with one line and exit code 2, and nothing is
written. A sweep's manifest (sweep.json) is written and its old tables removed before the
first run; after Hydra returns (or fails), the tables are rebuilt from the run folders and the
command exits 0 only if every run is complete, else 1 with a one-line summary of what is
missing and how to resume. These checks live here, not in a Hydra callback, because Hydra
turns a callback's exceptions into warnings.
"""

from __future__ import annotations

import os
import sys
import time

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from sim.config import CONFIG_DIR, register_schema, to_params
from sim.core.errors import ConfigError
from sim.run_notes import (
    RunNotes,
    describe_overrides,
    expand_replace,
    notes_text,
    sweep_warnings,
)
from sim.tooling.cli_checks import check_modes, check_presets, check_shell_splits
from sim.tooling.jobs import (
    SweepPlan,
    check_jobs,
    plan_sweep,
    register_run_name_resolver,
    sweep_jobs,
    sweeper_config,
)
from sim.tooling.manifest import SweepError, write_manifest
from sim.tooling.manifest_sweeper import register_manifest_sweeper
from sim.tooling.runner import SWEEP_PID, run_sweep_job
from sim.tooling.sensitivity.plan import DesignPlan, design_node, plan_design, write_design
from sim.tooling.slurm import register_launchers
from sim.tooling.tables import TABLE_FILES, aggregate, describe, problems

CONFIG_FLAGS_WITH_VALUE = {"-cn", "--config-name", "-cp", "--config-path", "-cd", "--config-dir"}
INFO_FLAGS = ("--help", "-h", "--hydra-help", "--info", "-i", "--cfg", "-c")
PROG = "cpf-sim"


# What a single run's command line changes, said before Hydra starts (composing inside a
# Hydra job would reset Hydra's global state), and recorded by the job in summary.json.
_notes: list[RunNotes] = []


@hydra.main(config_path=str(CONFIG_DIR), config_name="config", version_base="1.3")
def _run_job(cfg: DictConfig) -> None:
    from sim.api import simulate
    from sim.tooling.plots import save_overview
    from sim.tooling.summary import summary_text

    hydra_cfg = HydraConfig.get()
    if hydra_cfg.mode == RunMode.MULTIRUN:
        run_sweep_job(cfg, list(hydra_cfg.overrides.task), hydra_cfg.runtime.output_dir)
        return
    notes = _notes[-1] if _notes else None
    results = simulate(to_params(cfg), notes, progress=sys.stderr.isatty())
    folder = results.save(hydra_cfg.runtime.output_dir)
    save_overview(results, folder)
    print(summary_text(results))
    print(f"\nResults written to {folder}")


def main() -> None:
    """Validate the command line, then hand over to Hydra (and, for a sweep, check its end)."""
    register_schema()
    register_run_name_resolver()
    register_launchers()
    register_manifest_sweeper()
    args = expand_replace(sys.argv[1:])
    sys.argv[1:] = args
    overrides = [a for a in args if not a.startswith("-") and not _is_flag_value(args, a)]
    sweep = any(a in ("-m", "--multirun") for a in args)
    try:
        check_modes(args)
        check_shell_splits(overrides)
        check_presets(overrides)
        if any(a in INFO_FLAGS for a in args):
            _run_job()
            return
        design: DesignPlan | None = None
        if sweep:
            sweeper = sweeper_config(overrides)
            node = design_node(overrides, sweeper)
            if node is None:
                plan = plan_sweep(overrides, sweeper=sweeper)
                check_jobs(plan.jobs)
            else:
                design = plan_design(overrides, node)
                plan = design.sweep
            merged = sweep_warnings(plan.jobs)
        else:
            check_jobs(sweep_jobs(overrides))
            notes = describe_overrides(overrides)
    except ConfigError as error:
        _stop(f"config error: {error}", 2)
    if not sweep:
        _announce(notes, overrides)
        _run_job()
        return
    for text in merged:
        print(f"{PROG}: warning: {text}", file=sys.stderr, flush=True)
    if design is not None:
        _start_design(design)
    sys.exit(run_planned_sweep(plan, sys.argv[1:]))


def run_planned_sweep(plan: SweepPlan, hydra_args: list[str]) -> int:
    """Write the manifest, run the sweep through Hydra (`-m` and `hydra_args`), build its tables.

    Returns:
        the exit code: 0 when every run is complete and the tables are written, else 1.
    """
    _start_sweep(plan)
    sys.argv[1:] = [*hydra_args, *plan.hydra_overrides]
    os.environ[SWEEP_PID] = str(os.getpid())  # local workers exit when this process dies
    started = time.perf_counter()
    failure = ""
    try:
        _run_job()
    except SystemExit as stop:  # Hydra reports an error in a launcher or job and exits 1
        failure = f"the sweep stopped early (exit {stop.code}); "
    return _finish_sweep(plan, failure, time.perf_counter() - started)


def _announce(notes: RunNotes, overrides: list[str]) -> None:
    """Print the levers in force and the merge warnings; name the run after what changed."""
    print(notes_text(notes), flush=True)
    for text in notes.warnings:
        print(f"{PROG}: warning: {text}", file=sys.stderr, flush=True)
    if not any(o.startswith("label=") for o in overrides):
        sys.argv.append(f"label='{notes.label}'")
    _notes.append(notes)


def _start_design(plan: DesignPlan) -> None:
    """Write design.json (the sample, its cases and each job's point) and say what will run."""
    try:
        write_design(plan)
    except OSError as error:
        _stop(f"cannot prepare the sweep folder {plan.sweep.sweep_dir}: {error}", 1)
    design = plan.design
    print(
        f"{design.settings.method} design: {design.points} points x {len(plan.cases)} cases x "
        f"{len(plan.seeds)} seeds = {len(plan.sweep.jobs)} runs into {plan.sweep.sweep_dir}",
        flush=True,
    )


def _start_sweep(plan: SweepPlan) -> None:
    """Write sweep.json and remove the old tables, so that a failed sweep leaves none stale."""
    try:
        write_manifest(plan)
        for name in TABLE_FILES:
            (plan.sweep_dir / name).unlink(missing_ok=True)
    except OSError as error:
        _stop(f"cannot prepare the sweep folder {plan.sweep_dir}: {error}", 1)


def _finish_sweep(plan: SweepPlan, failure: str, seconds: float) -> int:
    """Rebuild the tables from the runs; report and return the exit code (0: all complete)."""
    folder = plan.sweep_dir
    resume = "run the same command again to resume (complete runs are skipped)"
    try:
        runs, _ = aggregate(folder)
    except (OSError, SweepError) as error:
        print(
            f"{PROG}: sweep error: {failure}its tables could not be written into {folder} "
            f"({type(error).__name__}: {error}); rebuild them with "
            f"`python -m sim.tooling.tables {folder}` or {resume}",
            file=sys.stderr,
        )
        return 1
    print(f"\n{describe(runs)}\nTables written to {folder} ({seconds:.0f} s)", flush=True)
    missing = problems(runs)
    if missing is None and not failure:
        return 0
    what = missing or "every run is complete"
    print(f"{PROG}: sweep incomplete: {failure}{what}; {resume}", file=sys.stderr)
    return 1


def _stop(message: str, code: int) -> None:
    print(f"{PROG}: {message}", file=sys.stderr)
    sys.exit(code)


def _is_flag_value(args: list[str], arg: str) -> bool:
    index = args.index(arg)
    return index > 0 and args[index - 1] in CONFIG_FLAGS_WITH_VALUE
