"""A sweep's jobs: expand a command line into jobs as Hydra does, and name their folders.

- `expand_jobs` lists every job of a command line exactly as Hydra's basic sweeper does,
  including sweeps defined inside an experiment preset (`hydra.sweeper.params`);
- `run_name` names each run's folder after the parameters that vary (e.g.
  `levers=copayment,seed=3`), so re-running a sweep lands in the same folders; Hydra reaches it
  through the `cpf_run_name` resolver of `hydra.sweep.subdir` (configs/config.yaml), registered
  on first use by `register_run_name_resolver`;
- `sweep_name` names the sweep's folder after its command line;
- `check_jobs` composes and validates every job before anything runs;
- `plan_sweep` settles, before Hydra starts, the sweep's folder, its jobs and their folder
  names, and refuses a sweep whose jobs would share a folder.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import HydraException
from omegaconf import OmegaConf

from sim.config import compose_config, first_line, load_params
from sim.core.errors import ConfigError
from sim.params import SimParams

# Key prefixes dropped in folder names and scenario names (no ambiguity: no other section has
# lever names, and no section is called 'levers').
SHORT_PREFIXES = ("regulation.", "experiment.")
NAME_LIMIT = 120
SWEEPS_DIR = Path("results") / "sweeps"
SWEEP_DIR_KEY = "hydra.sweep.dir"
SUBDIR_KEY = "hydra.sweep.subdir"
EXCLUDE_KEY = "hydra.job.config.override_dirname.exclude_keys"


def expand_jobs(
    command_line: Sequence[str], sweeper_params: Mapping[str, Any] | None = None
) -> list[list[str]]:
    """Every job's overrides for a command line, in the order Hydra's basic sweeper runs them.

    Args:
        command_line: the overrides given on the command line (Hydra's own, such as
            `hydra/launcher=...`, are left out); sweeps as `a,b,c` or `range(...)`.
        sweeper_params: `hydra.sweeper.params` of the composed config (a preset's sweep); a key
            also given on the command line takes the command line's value, as in Hydra.

    Raises:
        ConfigError: the command line cannot be parsed.
    """
    from hydra._internal.core_plugins.basic_sweeper import BasicSweeper

    strings = [f"{key}={value}" for key, value in (sweeper_params or {}).items()]
    strings += list(command_line)
    try:
        parsed = [
            o
            for o in OverridesParser.create().parse_overrides(strings)
            if not o.is_hydra_override()
        ]
        (batch,) = BasicSweeper.split_arguments(parsed, None)
    except HydraException as error:
        raise ConfigError("command line", " ".join(command_line), first_line(str(error))) from None
    return [list(job) for job in batch]


def sweeper_config(command_line: Sequence[str]) -> Any:
    """`hydra.sweeper` of the config a command line selects, sweeps left out.

    Composing takes a noticeable part of a sweep's start-up: the command line composes once
    and hands the result to `preset_sweep`, `plan_sweep` and the design planner.

    Raises:
        ConfigError: the command line cannot be parsed.
    """
    try:
        parsed = OverridesParser.create().parse_overrides(list(command_line))
    except HydraException as error:
        raise ConfigError("command line", " ".join(command_line), first_line(str(error))) from None
    fixed = [o.input_line for o in parsed if not o.is_sweep_override() and o.input_line]
    return compose_config(fixed, with_hydra=True).hydra.sweeper


def preset_sweep(command_line: Sequence[str], sweeper: Any = None) -> dict[str, str]:
    """Return `hydra.sweeper.params` of the config a command line selects (a preset's sweep).

    `sweeper`: its `sweeper_config`, if already composed.
    """
    if sweeper is None:
        sweeper = sweeper_config(command_line)
    params = sweeper.get("params")
    if not params:
        return {}
    return {str(k): str(v) for k, v in OmegaConf.to_container(params, resolve=False).items()}  # type: ignore[union-attr]


def sweep_jobs(command_line: Sequence[str]) -> list[list[str]]:
    """Every job of a command line, a preset's sweep included.

    Raises:
        ConfigError: the command line cannot be parsed, or it sweeps over nothing (an empty
            range or list) and so has no job.
    """
    jobs = expand_jobs(command_line, preset_sweep(command_line))
    if not jobs:
        empty = "a swept value is an empty range or list, so there is no job to run"
        raise ConfigError("command line", " ".join(command_line), empty)
    return jobs


def check_jobs(jobs: Sequence[Sequence[str]]) -> list[SimParams]:
    """Compose and validate every job; returns their parameters.

    Jobs that differ only in `seed` are composed once; the other seeds are checked by rebuilding
    the parameters with that seed.
    """
    checked: dict[tuple[str, ...], SimParams] = {}
    out = []
    for job in jobs:
        seeds = [o for o in job if o.lstrip("+~").split("=", 1)[0] == "seed"]
        rest = tuple(o for o in job if o not in seeds)
        seed_text = seeds[-1].split("=", 1)[1] if seeds else None
        if rest in checked and seed_text is not None and seed_text.isdigit():
            out.append(replace(checked[rest], seed=int(seed_text)))
        else:
            params = load_params(job)
            checked.setdefault(rest, params)
            out.append(params)
    return out


def swept_keys(jobs: Sequence[Sequence[str]]) -> list[str]:
    """Keys whose value differs between jobs (in first-seen order)."""
    values: dict[str, set[str]] = {}
    for job in jobs:
        for override in job:
            key, _, value = override.partition("=")
            values.setdefault(key, set()).add(value)
    return [key for key, seen in values.items() if len(seen) > 1]


def constant_keys(jobs: Sequence[Sequence[str]]) -> list[str]:
    """Bare keys overridden with the same value in every job (left out of run names)."""
    varying = {bare_key(key) for key in swept_keys(jobs)}
    return sorted({bare_key(o.split("=", 1)[0]) for job in jobs for o in job} - varying)


def bare_key(key: str) -> str:
    """'+experiment/levers' -> 'experiment.levers': the key as a dotted config path."""
    return key.lstrip("+~").replace("/", ".")


def short_key(key: str) -> str:
    """Shorten a key for names: 'regulation.copayment_eur' -> 'copayment_eur'."""
    key = bare_key(key)
    for prefix in SHORT_PREFIXES:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def _safe(text: str) -> str:
    """Only characters the shell leaves alone: 'seed=range(0,3)' -> 'seed=range_0,3'.

    Closing brackets and quotes are dropped, every other unsafe character becomes '_'; names
    that would then collide are refused by `plan_sweep`.
    """
    return re.sub(r"[^A-Za-z0-9._=,+@-]", "_", re.sub(r"[)}\]'\"]", "", text))


def _limit(name: str) -> str:
    if len(name) <= NAME_LIMIT:
        return name
    digest = hashlib.sha256(name.encode()).hexdigest()[:8]
    return f"{name[: NAME_LIMIT - 10]}~{digest}"


def run_name(overrides: Sequence[str], exclude: Sequence[str] = ()) -> str:
    """Folder name of one run: its overrides but the excluded keys, seed last ('default' if none).

    Keys in `exclude` are compared as bare keys (without '+', '~'), so the sweep's constant
    overrides (`+experiment=...`) can be left out of every run's name.
    """
    excluded = {bare_key(key) for key in exclude}
    parts: list[tuple[bool, str, str]] = []
    for override in overrides:
        key, _, value = override.partition("=")
        bare = bare_key(key)
        if bare in excluded or bare.startswith("hydra"):
            continue
        parts.append((bare == "seed", short_key(key), value))
    if not parts:
        return "default"
    return _limit(_safe(",".join(f"{key}={value}" for _, key, value in sorted(parts))))


def sweep_name(command_line: Sequence[str]) -> str:
    """Folder name of a sweep under results/sweeps/: the preset's name, then other overrides.

    `+experiment=lever_comparison` gives 'lever_comparison'; `regulation.copayment_eur=0,100
    seed=range(0,3)` gives 'copayment_eur=0,100__seed=range(0,3)'.
    """
    preset: list[str] = []
    others: list[str] = []
    for override in command_line:
        key, _, value = override.partition("=")
        bare = bare_key(key)
        if bare.startswith("hydra"):
            continue
        if bare == "experiment":
            preset.append(value)
        else:
            others.append(f"{short_key(key)}={value}")
    name = "__".join(preset + others) or "default"
    return _limit(_safe(name))


def register_run_name_resolver() -> None:
    """`${cpf_run_name:${hydra.overrides.task},${...exclude_keys}}` names job folders.

    Idempotent; called by the command line before Hydra starts and by the sweep callback in
    every process that runs jobs (see `sim.tooling.runner.SweepCallback`).
    """
    if not OmegaConf.has_resolver("cpf_run_name"):
        OmegaConf.register_new_resolver(
            "cpf_run_name", lambda overrides, exclude: run_name(list(overrides), list(exclude))
        )


def override_values(overrides: Sequence[str]) -> dict[str, Any]:
    """Typed value of each override, keyed by bare key (non-scalars as JSON text)."""
    values: dict[str, Any] = {}
    for override in OverridesParser.create().parse_overrides(list(overrides)):
        value = override.value()
        if not isinstance(value, str | int | float | bool) and value is not None:
            value = json.dumps(OmegaConf.to_container(OmegaConf.create({"v": value}))["v"])  # type: ignore[index, call-overload]
        values[bare_key(override.get_key_element())] = value
    return values


@dataclass(frozen=True)
class SweepPlan:
    """What a sweep will run, settled before Hydra starts.

    Attributes:
        command_line: the overrides given (a preset's sweep not expanded).
        sweeper_params: the preset's sweep (`hydra.sweeper.params`), if any.
        jobs: every job's overrides, in Hydra's order.
        names: each job's run folder, under `sweep_dir`.
        sweep_dir: the sweep's folder.
        hydra_overrides: overrides the command line adds for Hydra (folder, run names).
    """

    command_line: tuple[str, ...]
    sweeper_params: dict[str, str]
    jobs: tuple[tuple[str, ...], ...]
    names: tuple[str, ...]
    sweep_dir: Path
    hydra_overrides: tuple[str, ...]


def sweep_folder(
    command_line: Sequence[str], sweeps_dir: Path = SWEEPS_DIR
) -> tuple[Path, list[str]]:
    """The sweep's folder and, unless `hydra.sweep.dir` gives it, the override that sets it.

    Raises:
        ConfigError: `hydra.sweep.dir` is not a fixed folder (a re-run must find its runs).
    """
    for override in OverridesParser.create().parse_overrides(list(command_line)):
        if override.get_key_element() == SWEEP_DIR_KEY:
            folder = str(override.value())
            if "${" in folder:
                raise ConfigError(
                    SWEEP_DIR_KEY, folder, "a fixed folder (no ${...}), to re-run into"
                )
            return Path(folder), []
    sweep_dir = sweeps_dir / sweep_name(command_line)
    return sweep_dir, [f"{SWEEP_DIR_KEY}='{sweep_dir.as_posix()}'"]


def plan_sweep(
    command_line: Sequence[str], sweeps_dir: Path = SWEEPS_DIR, sweeper: Any = None
) -> SweepPlan:
    """Expand a sweep's command line, name its folder and each run's, refuse collisions.

    The sweep folder is `sweeps_dir/<sweep_name>` unless `hydra.sweep.dir` is given (a fixed
    folder: re-running the sweep must find its complete runs); overrides that do not vary
    between jobs are left out of run names unless `hydra.job.config.override_dirname.
    exclude_keys` is given.

    `sweeper`: the command line's `sweeper_config`, if already composed.

    Raises:
        ConfigError: the command line has no job, or two jobs would share a run folder.
    """
    line = " ".join(command_line)
    preset = preset_sweep(command_line, sweeper)
    jobs = expand_jobs(command_line, preset)
    if not jobs:
        empty = "a swept value is an empty range or list, so there is no job to run"
        raise ConfigError("command line", line, empty)
    given = {
        o.get_key_element(): o.value()
        for o in OverridesParser.create().parse_overrides(list(command_line))
        if o.get_key_element() in (EXCLUDE_KEY, SUBDIR_KEY)
    }
    if SUBDIR_KEY in given:
        raise ConfigError(
            SUBDIR_KEY,
            given[SUBDIR_KEY],
            "set by cpf-sim: run folders are named "
            "after the swept values (use exclude_keys to leave keys out)",
        )
    sweep_dir, extra = sweep_folder(command_line, sweeps_dir)
    if EXCLUDE_KEY in given:
        keys = given[EXCLUDE_KEY]
        exclude = [str(key) for key in keys] if isinstance(keys, list) else [str(keys)]
    else:
        exclude = constant_keys(jobs)
        extra.append(f"{EXCLUDE_KEY}=[{','.join(repr(key) for key in exclude)}]")
    names = [run_name(job, exclude) for job in jobs]
    shared = [name for name, count in Counter(names).items() if count > 1]
    if shared:
        first = [" ".join(job) for job, name in zip(jobs, names, strict=True) if name == shared[0]]
        why = f"jobs '{first[0]}' and '{first[1]}' would share the run folder '{shared[0]}'"
        raise ConfigError("command line", line, why)
    return SweepPlan(
        command_line=tuple(command_line),
        sweeper_params=dict(preset),
        jobs=tuple(tuple(job) for job in jobs),
        names=tuple(names),
        sweep_dir=sweep_dir,
        hydra_overrides=tuple(extra),
    )
