"""Command-line mistakes that Hydra reports badly, caught before it starts (one line, exit 2).

- a schedule the shell split: unquoted, bash turns `x={2025-01:150,2026-01:150}` into the two
  arguments `x=2025-01:150 x=2026-01:150`, and a space inside braces splits one argument in two;
- a preset selected without `+` (`experiment=smoke`: the default config has no experiment);
- `--cfg`/`--info` together with `-m` (Hydra allows one mode at a time).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from sim.core.errors import ConfigError

DATE_VALUE = re.compile(r"^\d{4}-\d{2}:")
INFO_WITH_SWEEP = ("--cfg", "-c", "--info", "-i")


def _quoted_example(key: str, values: Sequence[str]) -> str:
    inner = ",".join(v.strip("{} ") for v in values)
    return f"quote the schedule so the shell keeps it whole: '{key}={{{inner}}}'"


def check_shell_splits(overrides: Sequence[str]) -> None:
    """Refuse a schedule the shell split in pieces, with the quoted form to type instead."""
    by_key: dict[str, list[str]] = {}
    for override in overrides:
        key, sep, value = override.partition("=")
        if not sep:
            continue
        by_key.setdefault(key, []).append(value)
        if value.count("{") != value.count("}"):
            raise ConfigError(key, value, _quoted_example(key, [value]) + " (no space inside)")
    for key, values in by_key.items():
        if any(DATE_VALUE.match(v) for v in values):
            raise ConfigError(key, " ".join(values), _quoted_example(key, values))


def check_presets(overrides: Sequence[str]) -> None:
    """`experiment=X` without `+`: a preset is added to the config, not overridden."""
    for override in overrides:
        key, _, value = override.partition("=")
        if key == "experiment" or key.startswith("experiment/"):
            raise ConfigError(key, value, f"a preset is added with '+': write +{key}={value}")


def check_modes(args: Sequence[str]) -> None:
    """`--cfg job -m ...`: Hydra shows a config or runs a sweep, not both."""
    if any(a in ("-m", "--multirun") for a in args) and any(a in INFO_WITH_SWEEP for a in args):
        flag = next(a for a in args if a in INFO_WITH_SWEEP)
        allowed = f"{flag} shows one job's config: drop -m (e.g. cpf-sim --cfg job seed=3)"
        raise ConfigError("command line", f"{flag} with -m", allowed)
