"""What ran, in words: each lever's resolved schedule, merge warnings and a label from the changes.

A schedule written on the command line merges into the scenario's (Hydra merges mappings), so
`regulation.copayment_eur={2025-01:150}` on top of `historical` runs 100 EUR from 2024-05,
150 from 2025-01 and 103.20 from 2026-01. Nothing here changes that rule; it makes it visible:
`lever_words` puts a resolved schedule into words, `describe_overrides` says which schedules
were merged with the scenario's and warns when the scenario's later dates stay in force, and
`expand_replace` gives the one-token way to replace a schedule instead:
`regulation.copayment_eur=replace({2025-01:150})` (a function call, as Hydra's own
`extend_list(...)`, rewritten into Hydra's delete-then-add pair before Hydra sees it).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from omegaconf import DictConfig, OmegaConf

from sim.config import LABEL_LIMIT, compose_config
from sim.params import RegulationParams

REPLACE = re.compile(r"^\+?(regulation\.\w+)=replace\((.*)\)$", re.DOTALL)
EURO_LEVERS = ("copayment_eur", "price_cap_eur", "price_cap_by_topic_eur")
# Keys that name the run's size or base, not a change of scenario: left out of derived labels.
NOT_CHANGES = ("seed", "label", "scenario", "end", "population.holders")


def expand_replace(overrides: Sequence[str]) -> list[str]:
    """Rewrite each `regulation.X=replace(V)` into `~regulation.X` and `+regulation.X=V`."""
    out: list[str] = []
    for override in overrides:
        match = REPLACE.match(override)
        if match:
            key, value = match.groups()
            out += [f"~{key}", f"+{key}={value}"]
        else:
            out.append(override)
    return out


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _value_words(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, int | float):
        return _number(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value_words(v) for v in value) + "]"
    return "none" if value is None else str(value)


def lever_words(name: str, value: Any) -> str:
    """'100 EUR from 2024-05, 150 from 2025-01' (a schedule) or '100 EUR throughout'."""
    unit = " EUR" if name in EURO_LEVERS and not isinstance(value, bool) else ""
    if isinstance(value, Mapping):
        steps = [
            f"{_value_words(v)}{unit if i == 0 else ''} from {date}"
            for i, (date, v) in enumerate(sorted(value.items()))
        ]
        return ", ".join(steps)
    return f"{_value_words(value)}{unit} throughout"


def active_levers(regulation: Mapping[str, Any]) -> dict[str, str]:
    """Each lever that is not at its `none` value (the counterfactual), in words."""
    off = RegulationParams()
    return {
        f.name: lever_words(f.name, regulation[f.name])
        for f in fields(RegulationParams)
        if f.name in regulation and regulation[f.name] != getattr(off, f.name)
    }


@dataclass(frozen=True)
class RunNotes:
    """What a command line changes, said in words before the run.

    Attributes:
        levers: lever -> its resolved schedule in words (levers not at their `none` value, and
            every lever the command line sets), with '— merged with ...' where it was merged.
        warnings: one line per merged schedule whose scenario dates stay in force after the
            last date given.
        label: a shell-safe label naming the scenario and what changed.
    """

    levers: dict[str, str]
    warnings: list[str] = field(default_factory=list)
    label: str = ""


def _plain(node: Any) -> dict[str, Any]:
    values = OmegaConf.to_container(node, resolve=True)
    assert isinstance(values, dict)
    return {str(k): v for k, v in values.items()}


def _key_value(override: str) -> tuple[str, str]:
    key, _, value = override.partition("=")
    return key.lstrip("+~"), value


def describe_overrides(overrides: Sequence[str]) -> RunNotes:
    """Compose the run with and without its lever overrides and say what differs.

    Raises:
        ConfigError: an override is invalid (as `sim.config.compose_config`).
    """
    return compose_with_notes(overrides)[1]


def compose_with_notes(overrides: Sequence[str]) -> tuple[DictConfig, RunNotes]:
    """The composed config of `overrides` (replace(...) expanded) and what it changes, in words.

    The config is composed a second time without the lever overrides only when there are some.

    Raises:
        ConfigError: an override is invalid (as `sim.config.compose_config`).
    """
    given_overrides = list(overrides)
    overrides = expand_replace(overrides)
    cfg = compose_config(overrides)
    without = [o for o in overrides if not _key_value(o)[0].startswith("regulation.")]
    base = cfg if len(without) == len(overrides) else compose_config(without)
    scenario = str(base.label)
    regulation = _plain(cfg.regulation)
    before = _plain(base.regulation)
    replaced = {_key_value(o)[0] for o in overrides if o.startswith("~")}
    levers = active_levers(regulation)
    warnings = []
    for override in overrides:
        key, text = _key_value(override)
        section, _, name = key.partition(".")
        if section != "regulation" or override.startswith("~") or name not in regulation:
            continue
        levers[name] = lever_words(name, regulation[name])
        old = before.get(name)
        if key in replaced or not isinstance(old, Mapping) or not old:
            continue
        if not isinstance(regulation[name], Mapping) or regulation[name] == old:
            continue
        levers[name] += f" — merged with '{scenario}'"
        given = {d for d in regulation[name] if regulation[name][d] != old.get(d) or d not in old}
        later = sorted(d for d in old if given and d > max(given) and d not in given)
        if later:
            kept = ", ".join(f"{d} ({_value_words(old[d])})" for d in later)
            warnings.append(
                f"regulation.{name}: merged into scenario '{scenario}', whose later date(s) "
                f"{kept} stay in force; to replace the whole schedule write "
                f"'regulation.{name}=replace({text})'"
            )
    return cfg, RunNotes(levers, warnings, derived_label(scenario, given_overrides))


def sweep_warnings(jobs: Sequence[Sequence[str]]) -> list[str]:
    """Merge warnings of a sweep's jobs, once per case (jobs that differ only in seed).

    Only jobs that write a schedule (`regulation.X={...}`) are composed again.
    """
    seen: set[tuple[str, ...]] = set()
    out: list[str] = []
    for job in jobs:
        case = tuple(o for o in job if _key_value(o)[0] != "seed")
        if case in seen:
            continue
        seen.add(case)
        if any(_key_value(o)[0].startswith("regulation.") and "{" in o for o in case):
            out += [f"{' '.join(case)}: {text}" for text in describe_overrides(case).warnings]
    return out


def derived_label(scenario: str, overrides: Sequence[str]) -> str:
    """'historical+copayment_eur=2025-01_150': the scenario and what changed, shell-safe.

    `overrides` as the user wrote them (a `replace(...)` shows in the label).
    """
    changes = []
    for override in overrides:
        key, value = _key_value(override)
        if override.startswith("~") or key in NOT_CHANGES or key.startswith("hydra"):
            continue
        short = key.removeprefix("regulation.").removeprefix("population.")
        changes.append(f"{short}={value}")
    if not changes:
        return scenario
    text = "+".join([scenario, *changes])
    text = re.sub(r"[{}()\[\]'\"]", "", text.replace("(", "_")).replace(":", "_")
    text = re.sub(r"[^A-Za-z0-9._=+,-]+", "_", text).strip("_")
    if len(text) > LABEL_LIMIT:
        digest = hashlib.sha256(text.encode()).hexdigest()[:8]
        text = f"{text[: LABEL_LIMIT - 9]}~{digest}"
    return text


def notes_text(notes: RunNotes) -> str:
    """The lines printed before a run: one per lever in force (warnings go to stderr)."""
    lines = ["Levers in force:"] if notes.levers else ["Levers in force: none"]
    lines += [f"  {name}: {words}" for name, words in notes.levers.items()]
    return "\n".join(lines)
