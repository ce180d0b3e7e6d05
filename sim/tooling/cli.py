"""`cpf-sim` / `python -m sim`: the Hydra command line, a thin shell around `sim.run`.

Every job of the command line (each combination of a sweep) is composed and validated before
Hydra starts, so bad input stops with one line and exit code 2 and nothing is written.
"""

from __future__ import annotations

import sys

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from sim.config import CONFIG_DIR, register_schema, to_params
from sim.core.errors import ConfigError
from sim.tooling.jobs import (
    check_jobs,
    constant_keys,
    register_run_name_resolver,
    sweep_jobs,
    sweep_name,
)
from sim.tooling.runner import run_sweep_job

CONFIG_FLAGS_WITH_VALUE = {"-cn", "--config-name", "-cp", "--config-path", "-cd", "--config-dir"}
SWEEPS_DIR = "results/sweeps"


@hydra.main(config_path=str(CONFIG_DIR), config_name="config", version_base="1.3")
def _run_job(cfg: DictConfig) -> None:
    from sim.api import run
    from sim.tooling.plots import save_overview
    from sim.tooling.summary import summary_text

    hydra_cfg = HydraConfig.get()
    if hydra_cfg.mode == RunMode.MULTIRUN:
        run_sweep_job(cfg, list(hydra_cfg.overrides.task), hydra_cfg.runtime.output_dir)
        return
    results = run(to_params(cfg), progress=sys.stderr.isatty())
    folder = results.save(hydra_cfg.runtime.output_dir)
    save_overview(results, folder)
    print(summary_text(results))
    print(f"\nResults written to {folder}")


def main() -> None:
    """Validate the command line, then hand over to Hydra."""
    register_schema()
    register_run_name_resolver()
    args = sys.argv[1:]
    if not any(a in ("--help", "-h", "--hydra-help", "--info", "-i", "--cfg", "-c") for a in args):
        overrides = [a for a in args if not a.startswith("-") and not _is_flag_value(args, a)]
        try:
            jobs = sweep_jobs(overrides)
            check_jobs(jobs)
            if any(a in ("-m", "--multirun") for a in args):
                sys.argv += sweep_overrides(overrides, jobs)
        except ConfigError as error:
            print(f"cpf-sim: config error: {error}", file=sys.stderr)
            sys.exit(2)
    _run_job()


def sweep_overrides(overrides: list[str], jobs: list[list[str]]) -> list[str]:
    """Hydra overrides a sweep needs: its folder under results/sweeps/ and its run names.

    The sweep folder is named after the command line (`results/sweeps/<preset>__<overrides>`),
    unless `hydra.sweep.dir` is given, so that running the same sweep again finds its complete
    runs and skips them; overrides that do not vary between jobs are left out of run names.
    """
    extra = []
    given = {o.split("=", 1)[0].lstrip("+~") for o in overrides}
    if "hydra.sweep.dir" not in given:
        extra.append(f"hydra.sweep.dir='{SWEEPS_DIR}/{sweep_name(overrides)}'")
    if "hydra.job.config.override_dirname.exclude_keys" not in given:
        quoted = ",".join(f"'{key}'" for key in constant_keys(jobs))
        extra.append(f"hydra.job.config.override_dirname.exclude_keys=[{quoted}]")
    return extra


def _is_flag_value(args: list[str], arg: str) -> bool:
    index = args.index(arg)
    return index > 0 and args[index - 1] in CONFIG_FLAGS_WITH_VALUE
