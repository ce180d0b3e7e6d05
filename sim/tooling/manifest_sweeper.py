"""A Hydra sweeper that runs the jobs a sweep's manifest lists, instead of a cartesian product.

Hydra's basic sweeper runs every combination of the swept values; a comparison of named
variants (`cpf-compare run historical copay150='...'`) is a list of bundles of overrides, one
per variant and seed. The command line writes those jobs into sweep.json first (as for every
sweep), and selects this sweeper with `hydra/sweeper=cpf_manifest
hydra.sweeper.manifest=<sweep.json>`; every launcher (local processes, SLURM, Ray) then runs the
jobs as usual. A sample design (`cpf-sim -m +experiment=morris`) selects this sweeper too, with
its settings under `hydra.sweeper.design` (`sim.tooling.sensitivity.plan`). Registered, as the
batched SLURM launcher is, by name in Hydra's plugin table (`register_manifest_sweeper`,
idempotent, called before Hydra starts); nothing at import.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TARGET = "hydra_plugins.cpf_sim.ManifestSweeper"  # the plugin name Hydra requires
CONFIG_NAME = "cpf_manifest"
_registered = False


def manifest_jobs(path: str | Path) -> list[list[str]]:
    """The overrides of every job listed in a sweep.json, in order."""
    manifest = json.loads(Path(path).read_text())
    return [list(job["overrides"]) for job in manifest["jobs"]]


@dataclass
class DesignConf:
    """A sample design (`hydra.sweeper.design`), which the command line turns into the jobs.

    Every key can be overridden (`hydra.sweeper.design.size=8`); a misspelt one is refused.
    Meanings: docs/sensitivity.md and `sim.tooling.sensitivity.designs.DesignSettings`.
    """

    method: str = "morris"
    size: int = 4
    seed: int = 0
    factors: list[str] = field(default_factory=list)
    groups: bool = False
    levels: int = 4
    source: str = ""
    uncertainties: str = "default"
    seeds: int = 1
    cases: dict[str, str] = field(default_factory=dict)
    baseline: str = ""  # empty: the first case


@dataclass
class ManifestSweeperConf:
    """The sweeper's config: the manifest to read the jobs from (and the design it came from)."""

    _target_: str = TARGET
    manifest: str = ""
    max_batch_size: int | None = None
    design: DesignConf | None = None


_sweeper: type | None = None


def _sweeper_class() -> type:
    """The sweeper class, built once on Hydra's basic sweeper *after* Hydra's plugin scan.

    The scan re-executes Hydra's plugin modules, replacing their classes: a subclass made at
    import would derive from a stale BasicSweeper (and `super()` would fail). The class is
    reachable as `sim.tooling.manifest_sweeper.ManifestSweeper` (module `__getattr__`).
    """
    global _sweeper
    if _sweeper is not None:
        return _sweeper
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper

    class Sweeper(BasicSweeper):  # type: ignore[misc, valid-type]
        """Hydra's basic sweeper with its jobs read from a manifest (one batch)."""

        def __init__(
            self, manifest: str, max_batch_size: int | None = None, design: Any = None
        ) -> None:
            # `design` was read by the command line, which wrote the manifest from it
            super().__init__(max_batch_size=max_batch_size, params=None)
            self.manifest = manifest

        def split_arguments(  # type: ignore[override]  # an instance method: reads the manifest
            self, overrides: Any, max_batch_size: Any
        ) -> list[list[list[str]]]:
            """One batch: every job of the manifest, in order (the command line sweeps nothing)."""
            return [manifest_jobs(self.manifest)]

        def validate_batch_is_legal(self, batch: Any) -> None:
            """Nothing to do: the command line checked every job before writing the manifest.

            (`jobs.check_jobs`; a design checks each case and point.) Hydra's check composes
            every job once more, one at a time: 4 min for a design of 1,536 jobs.
            """

    Sweeper.__name__ = Sweeper.__qualname__ = "ManifestSweeper"
    Sweeper.__module__ = __name__
    _sweeper = Sweeper
    return Sweeper


def register_manifest_sweeper() -> None:
    """Register the sweeper's config (hydra/sweeper=cpf_manifest) and class with Hydra."""
    global _registered
    if _registered:
        return
    from hydra.core.config_store import ConfigStore
    from hydra.core.plugins import Plugins
    from hydra.plugins.sweeper import Sweeper

    ConfigStore.instance().store(group="hydra/sweeper", name=CONFIG_NAME, node=ManifestSweeperConf)
    plugins = Plugins.instance()  # scans Hydra's plugins first
    sweeper = _sweeper_class()
    plugins.class_name_to_class[TARGET] = sweeper
    plugins.plugin_type_to_subclass_list[Sweeper].append(sweeper)
    _registered = True


def __getattr__(name: str) -> Any:
    """`ManifestSweeper`, built on first use (see `_sweeper_class`)."""
    if name == "ManifestSweeper":
        return _sweeper_class()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
