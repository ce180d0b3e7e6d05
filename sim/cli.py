"""`cpf-sim` / `python -m sim`: the Hydra command line, a thin shell around `sim.run`.

Every job of the command line (each combination of a sweep) is composed and validated before
Hydra starts, so bad input stops with one line and exit code 2 and nothing is written.
"""

from __future__ import annotations

import sys

import hydra
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from sim.config import CONFIG_DIR, check_overrides, to_params
from sim.errors import ConfigError

CONFIG_FLAGS_WITH_VALUE = {"-cn", "--config-name", "-cp", "--config-path", "-cd", "--config-dir"}


@hydra.main(config_path=str(CONFIG_DIR), config_name="config", version_base="1.3")
def _run_job(cfg: DictConfig) -> None:
    from sim.api import run
    from sim.report import summary_text

    params = to_params(cfg)
    multirun = HydraConfig.get().mode.name == "MULTIRUN"
    results = run(params, progress=not multirun and sys.stderr.isatty())
    folder = results.save(HydraConfig.get().runtime.output_dir)
    if not multirun:
        print(summary_text(results))
    print(f"\nResults written to {folder}")


def main() -> None:
    """Validate the command line, then hand over to Hydra."""
    args = sys.argv[1:]
    if not any(a in ("--help", "-h", "--hydra-help", "--info", "-i", "--cfg", "-c") for a in args):
        overrides = [a for a in args if not a.startswith("-") and not _is_flag_value(args, a)]
        try:
            check_overrides(overrides)
        except ConfigError as error:
            print(f"cpf-sim: config error: {error}", file=sys.stderr)
            sys.exit(2)
    _run_job()


def _is_flag_value(args: list[str], arg: str) -> bool:
    index = args.index(arg)
    return index > 0 and args[index - 1] in CONFIG_FLAGS_WITH_VALUE
