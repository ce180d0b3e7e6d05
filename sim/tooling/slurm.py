"""A SLURM launcher that runs several short runs per SLURM job (needs the `cluster` extra).

Hydra's submitit launcher sends one SLURM array task per run: a sweep of thousands of
one-minute runs floods the scheduler. `BatchedSlurmLauncher` groups `runs_per_task`
consecutive jobs into each array task, which runs them one after the other (each run still in
its own child process, see `sim.tooling.isolation`); `array_parallelism` caps how many tasks
run at once. Select it with `hydra/launcher=slurm` (configs/hydra/launcher/slurm.yaml).

Hydra finds launcher plugins by scanning the `hydra_plugins` package, which an editable install
of this project does not extend; `register_launchers()` (idempotent, called by the command line
before Hydra starts) registers the launcher's config and class under the plugin name of its
`_target_` instead. Nothing registers at import.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TARGET = "hydra_plugins.cpf_sim.BatchedSlurmLauncher"  # the plugin name Hydra requires
CONFIG_NAME = "cpf_slurm"
_registered = False


def register_launchers() -> bool:
    """Register the batched SLURM launcher with Hydra; False if submitit is not installed."""
    global _registered
    if _registered:
        return True
    try:
        from hydra_plugins.hydra_submitit_launcher.config import SlurmQueueConf
    except ImportError:
        return False
    from hydra.core.config_store import ConfigStore
    from hydra.core.plugins import Plugins

    @dataclass
    class BatchedSlurmConf(SlurmQueueConf):
        """SlurmQueueConf plus the number of runs each array task runs in turn."""

        _target_: str = TARGET
        runs_per_task: int = 1

    ConfigStore.instance().store(group="hydra/launcher", name=CONFIG_NAME, node=BatchedSlurmConf)
    launcher = _launcher_class()
    plugins = Plugins.instance()
    plugins.class_name_to_class[TARGET] = launcher  # as the plugin scan would
    from hydra.plugins.launcher import Launcher

    plugins.plugin_type_to_subclass_list[Launcher].append(launcher)
    _registered = True
    return True


def batches(count: int, size: int) -> list[list[int]]:
    """Job indices 0..count-1 in consecutive groups of at most `size`."""
    size = max(1, int(size))
    return [list(range(i, min(i + size, count))) for i in range(0, count, size)]


def _launcher_class() -> type:
    from hydra_plugins.hydra_submitit_launcher.submitit_launcher import SlurmLauncher

    return _batched(SlurmLauncher)


def _batched(base: type) -> type:
    """The batched launcher, built on the installed submitit launcher class (once)."""
    global _launcher
    if _launcher is not None:
        return _launcher

    class Launcher(base):  # type: ignore[misc, valid-type]
        """Hydra's SLURM launcher, with `runs_per_task` runs per array task."""

        def __init__(self, runs_per_task: int = 1, **params: Any) -> None:
            super().__init__(**params)
            self.runs_per_task = runs_per_task

        def run_batch(self, batch: Sequence[tuple[Any, ...]], singleton_state: Any) -> list[Any]:
            """In an array task: run the batch's jobs one after the other."""
            return [self(*job, singleton_state) for job in batch]

        def launch(self, job_overrides: Sequence[Sequence[str]], initial_job_idx: int) -> list[Any]:
            """Submit the jobs as one array, `runs_per_task` jobs per array task."""
            import submitit
            from hydra.core.singleton import Singleton
            from hydra.core.utils import filter_overrides
            from hydra_plugins.hydra_submitit_launcher.config import BaseQueueConf
            from omegaconf import OmegaConf

            assert self.config is not None
            params = dict(self.params)
            init_keys = {"submitit_folder", "max_num_timeout"}
            executor = submitit.AutoExecutor(
                cluster=self._EXECUTOR,
                folder=params["submitit_folder"],
                **{f"{self._EXECUTOR}_max_num_timeout": params["max_num_timeout"]},
            )
            common = set(OmegaConf.structured(BaseQueueConf).keys())
            executor.update_parameters(
                **{
                    key if key in common else f"{self._EXECUTOR}_{key}": value
                    for key, value in params.items()
                    if key not in init_keys
                }
            )
            sweep_dir = Path(str(self.config.hydra.sweep.dir))
            sweep_dir.mkdir(parents=True, exist_ok=True)
            jobs = [
                (
                    list(o),
                    "hydra.sweep.dir",
                    initial_job_idx + i,
                    f"job_id_for_{initial_job_idx + i}",
                )
                for i, o in enumerate(job_overrides)
            ]
            groups = [[jobs[i] for i in group] for group in batches(len(jobs), self.runs_per_task)]
            for group in groups:
                names = "; ".join(" ".join(filter_overrides(job[0])) for job in group)
                print(f"SLURM array task {groups.index(group)}: {names}", flush=True)
            state = Singleton.get_state()
            submitted = executor.map_array(self.run_batch, groups, [state] * len(groups))
            return [result for task in submitted for result in task.results()[0]]

    Launcher.__name__ = Launcher.__qualname__ = "BatchedSlurmLauncher"
    Launcher.__module__ = __name__
    _launcher = Launcher
    return Launcher


_launcher: type | None = None


def __getattr__(name: str) -> Any:
    """`sim.tooling.slurm.BatchedSlurmLauncher`, built on first use.

    This is how pickle finds the class in an array task: it needs the optional submitit
    plugin, so it is not built at import.
    """
    if name == "BatchedSlurmLauncher":
        return _launcher_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
