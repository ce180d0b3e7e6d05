"""Declared uncertainties: a plausible range for each assumption and fitted parameter.

A file of configs/uncertainties/ lists `ranges` (key -> low, high, scale, dist, group, why) and
`fixed` (key -> why it is held). `load_uncertainties` checks it against `SimParams` before any
work, each failure one `ConfigError` naming the file, the key, the value and what is allowed:
every key names a parameter (or `LIST.INDEX`, one element of a list parameter) that is an
assumption or fitted (sourced figures and policy levers are not uncertainties); low <= high; a
log scale has low > 0; both ends pass the very checks sim/params.py applies to the parameter
(`with_values` rebuilds the section); the configuration's value lies inside the range.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, Literal

import yaml

from sim.config import CONFIG_DIR
from sim.core.errors import ConfigError
from sim.param_docs import field_docs, kind_of
from sim.params import SECTIONS, SimParams

UNCERTAINTIES_DIR = CONFIG_DIR / "uncertainties"
ENTRY_KEYS = ("low", "high", "scale", "dist", "group", "why")
SCALES = ("linear", "log")
DISTS = ("uniform", "triangular")
NOT_UNCERTAIN = ("regulation", "context")  # policy levers and dated facts

Scale = Literal["linear", "log"]
Dist = Literal["uniform", "triangular"]


@dataclass(frozen=True)
class Uncertainty:
    """One uncertain parameter: its plausible range and why.

    Attributes:
        key: dotted key, or `section.name.INDEX` for one element of a list parameter.
        low, high: the plausible range, in the parameter's unit.
        scale: the design is uniform on this scale (log: ratios are equally likely).
        dist: uniform, or triangular with its peak at the configuration's value.
        group: the Morris group (parameters of a group move together when screening).
        why: one line of justification.
        integer: the parameter is a whole number (values are rounded).
        base: the configuration's value (the triangular peak).
    """

    key: str
    low: float
    high: float
    scale: Scale
    dist: Dist
    group: str
    why: str
    integer: bool
    base: float

    def value(self, u: float) -> float | int:
        """The parameter's value at `u` in [0, 1] (the inverse of the declared distribution)."""
        forward = math.log if self.scale == "log" else float
        a, b = forward(self.low), forward(self.high)
        if self.dist == "triangular" and b > a:
            c = forward(self.base)
            m = (c - a) / (b - a)
            x = (
                a + math.sqrt(u * (b - a) * (c - a))
                if u < m
                else b - math.sqrt((1 - u) * (b - a) * (b - c))
            )
        else:
            x = a + u * (b - a)
        out = math.exp(x) if self.scale == "log" else x
        out = min(max(out, self.low), self.high)  # no rounding drift past the ends
        return int(round(out)) if self.integer else out


@dataclass(frozen=True)
class Uncertainties:
    """A declared set: the ranges, in file order, and the parameters held fixed (with why)."""

    name: str
    ranges: tuple[Uncertainty, ...]
    fixed: dict[str, str] = field(default_factory=dict)

    @property
    def keys(self) -> list[str]:
        """The uncertain keys, in file order."""
        return [u.key for u in self.ranges]

    def groups(self) -> dict[str, list[str]]:
        """Group name -> its keys, in file order."""
        out: dict[str, list[str]] = {}
        for u in self.ranges:
            out.setdefault(u.group, []).append(u.key)
        return out

    def select(self, factors: Sequence[str]) -> Uncertainties:
        """Only the given keys or groups (a group brings all its keys).

        Raises:
            ConfigError: a factor is neither a declared key nor a group.
        """
        groups = self.groups()
        chosen: list[str] = []
        for factor in factors:
            if factor in groups:
                chosen += groups[factor]
            elif factor in self.keys:
                chosen.append(factor)
            else:
                allowed = "a declared key or group: " + ", ".join(groups)
                raise ConfigError(f"factors ({self.name})", factor, allowed)
        kept = tuple(u for u in self.ranges if u.key in chosen)
        return replace(self, ranges=kept)


def uncertainties_path(name: str) -> Path:
    """A name of configs/uncertainties/ ('default') or a path to a YAML file."""
    if name.endswith((".yaml", ".yml")) or "/" in name:
        return Path(name)
    return UNCERTAINTIES_DIR / f"{name}.yaml"


def split_key(key: str) -> tuple[str, str, int | None]:
    """'fraud.takeover_success.2' -> ('fraud', 'takeover_success', 2)."""
    parts = key.split(".")
    index = int(parts[2]) if len(parts) == 3 and parts[2].isdigit() else None
    if len(parts) != (2 if index is None else 3):
        return "", key, None
    return parts[0], parts[1], index


def parameter_value(params: SimParams, key: str) -> Any:
    """The value of a dotted key (or list element) in `params`."""
    section, name, index = split_key(key)
    value = getattr(getattr(params, section), name)
    return value if index is None else value[index]


def with_values(params: SimParams, values: Mapping[str, float | int]) -> SimParams:
    """A copy of `params` with keys (list elements too) set; every section is re-validated.

    Raises:
        ConfigError: a value fails the parameter's checks (the key names the section).
    """
    changes: dict[str, dict[str, Any]] = {}
    for key, value in values.items():
        section, name, index = split_key(key)
        fields_ = changes.setdefault(section, {})
        if index is None:
            fields_[name] = value
        else:
            current = fields_.get(name, list(getattr(getattr(params, section), name)))
            current[index] = value
            fields_[name] = current
    built = {}
    for section, new in changes.items():
        try:
            built[section] = replace(getattr(params, section), **new)
        except ConfigError as error:
            raise error.under(section) from None
    return replace(params, **built)


def _kinds() -> dict[str, tuple[str, Any]]:
    """Dotted key -> (kind from its docstring, default) for every field of every section."""
    out = {}
    for section, cls in SECTIONS.items():
        docs = field_docs(cls)
        instance = cls()
        for item in fields(cls):
            out[f"{section}.{item.name}"] = (
                kind_of(docs.get(item.name, "")),
                getattr(instance, item.name),
            )
    return out


def _check_key(where: str, key: str, kinds: Mapping[str, tuple[str, Any]]) -> None:
    """The key names an element or parameter that may be uncertain."""
    section, name, index = split_key(key)
    dotted = f"{section}.{name}"
    if dotted not in kinds:
        raise ConfigError(f"{where}: {key}", key, "a parameter of SimParams, or LIST.INDEX")
    kind, default = kinds[dotted]
    if section in NOT_UNCERTAIN or kind not in ("assumption", "fitted"):
        what = "a policy lever" if section == "regulation" else f"a {kind} value"
        allowed = f"an assumption or fitted parameter ({what} is not an uncertainty)"
        raise ConfigError(f"{where}: {key}", key, allowed)
    is_list = isinstance(default, list)
    if is_list and (index is None or not 0 <= index < len(default)):
        allowed = f"one element of this list: {dotted}.0 to {dotted}.{len(default) - 1}"
        raise ConfigError(f"{where}: {key}", key, allowed)
    if not is_list and index is not None:
        raise ConfigError(f"{where}: {key}", key, f"{dotted} (not a list: no index)")


def _number(where: str, key: str, entry: Mapping[str, Any], name: str) -> float:
    value = entry.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ConfigError(f"{where}: {key}.{name}", value, "a finite number")
    return value


def _uncertainty(
    where: str, key: str, entry: Any, base: SimParams, kinds: Mapping[str, tuple[str, Any]]
) -> Uncertainty:
    """Check one entry of `ranges` and build it."""
    _check_key(where, key, kinds)
    if not isinstance(entry, Mapping):
        raise ConfigError(f"{where}: {key}", entry, "a mapping {low, high, why, ...}")
    unknown = sorted(set(entry) - set(ENTRY_KEYS))
    if unknown:
        raise ConfigError(f"{where}: {key}.{unknown[0]}", entry[unknown[0]], _one_of(ENTRY_KEYS))
    low, high = _number(where, key, entry, "low"), _number(where, key, entry, "high")
    if low > high:
        raise ConfigError(f"{where}: {key}.low", low, f"at most high ({high})")
    scale, dist = entry.get("scale", "linear"), entry.get("dist", "uniform")
    if scale not in SCALES:
        raise ConfigError(f"{where}: {key}.scale", scale, _one_of(SCALES))
    if dist not in DISTS:
        raise ConfigError(f"{where}: {key}.dist", dist, _one_of(DISTS))
    if scale == "log" and low <= 0:
        raise ConfigError(f"{where}: {key}.low", low, "above 0 on a log scale")
    why, group = entry.get("why"), entry.get("group", key)
    if not isinstance(why, str) or not why.strip():
        raise ConfigError(f"{where}: {key}.why", why, "one line saying why this range")
    if not isinstance(group, str) or not group:
        raise ConfigError(f"{where}: {key}.group", group, "a group name")
    for end, value in (("low", low), ("high", high)):
        try:
            with_values(base, {key: value})
        except ConfigError as error:
            allowed = f"a value the parameter accepts ({error.allowed})"
            raise ConfigError(f"{where}: {key}.{end}", value, allowed) from None
    current = parameter_value(base, key)
    if not low <= current <= high:
        allowed = f"a range that holds the configuration's value {current}"
        raise ConfigError(f"{where}: {key}", [low, high], allowed)
    integer = isinstance(current, int) and not isinstance(current, bool)
    return Uncertainty(key, low, high, scale, dist, group, why.strip(), integer, current)


def _one_of(options: Sequence[str]) -> str:
    return "one of " + " | ".join(options)


def load_uncertainties(name: str, base: SimParams) -> Uncertainties:
    """Read and check a declaration of configs/uncertainties/ (or a YAML path) against `base`.

    Raises:
        ConfigError: the file is missing or unreadable, or any entry is invalid (one line).
    """
    path = uncertainties_path(name)
    where = (
        str(path.relative_to(CONFIG_DIR.parent))
        if path.is_relative_to(CONFIG_DIR.parent)
        else str(path)
    )
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        known = ", ".join(p.stem for p in sorted(UNCERTAINTIES_DIR.glob("*.yaml")))
        raise ConfigError(
            "uncertainties", name, f"a readable file ({known}): {type(error).__name__}"
        ) from None
    if not isinstance(data, Mapping) or not isinstance(data.get("ranges"), Mapping):
        raise ConfigError(where, type(data).__name__, "a mapping with 'ranges' (and 'fixed')")
    unknown = sorted(set(data) - {"ranges", "fixed"})
    if unknown:
        raise ConfigError(f"{where}: {unknown[0]}", data[unknown[0]], "only 'ranges' and 'fixed'")
    kinds = _kinds()
    ranges = tuple(_uncertainty(where, str(k), v, base, kinds) for k, v in data["ranges"].items())
    fixed = data.get("fixed") or {}
    if not isinstance(fixed, Mapping):
        raise ConfigError(f"{where}: fixed", fixed, "a mapping key -> why it is held")
    for key, why in fixed.items():
        _check_key(where, str(key), {k: (kind, 0) for k, (kind, _) in kinds.items()})
        if not isinstance(why, str) or not why.strip():
            raise ConfigError(f"{where}: fixed.{key}", why, "one line saying why it is held")
        if any(u.key == key or u.key.startswith(f"{key}.") for u in ranges):
            raise ConfigError(f"{where}: fixed.{key}", why, "a key not also given a range")
    return Uncertainties(path.stem, ranges, {str(k): str(v) for k, v in fixed.items()})
