"""From Hydra configs to typed `SimParams`, with one-line errors for bad input.

The YAML under configs/ only sets values; the schema is the `SimParams` dataclass tree,
registered in Hydra's ConfigStore so that misspelled keys and wrong types are refused. Nothing
is registered at import: `register_schema()` (idempotent) runs on first use, from
`compose_config` or from the command line's entry point before Hydra starts.

Checks made here, at the boundary, before any work (each a one-line `ConfigError` naming the
key): every override names a known key or config group ("did you mean ..." for a misspelt
one); a schedule written on the command line gives each date once; every number anywhere in
the configuration is finite and fits in 64 bits (`check_numbers`, one generic walk, also run
by `sim.run` on parameters built in Python); the run's label is safe as a folder name.
"""

from __future__ import annotations

import difflib
import math
import numbers
import re
from collections.abc import Mapping, Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from hydra import compose, initialize_config_dir
from hydra.core.config_store import ConfigStore
from hydra.core.global_hydra import GlobalHydra
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim.core.errors import ConfigError
from sim.params import SECTIONS, RegulationParams, SimParams

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"
TOP_LEVEL = ("seed", "end", "label")
INT64 = 2**63  # numbers are stored in 64-bit columns (parquet): whole numbers in [-2**63, 2**63)
LABEL_LIMIT = 100  # characters: a label names run folders, whose names the file system limits


_registered = False


def register_schema() -> None:
    """Make `SimParams` the schema the YAML configs extend (as 'schema'); idempotent.

    OmegaConf makes nodes of frozen dataclasses read-only, which would stop the YAML from
    setting values; the schema node is unfrozen, and `to_params` builds frozen objects again.
    """
    global _registered
    if _registered:
        return
    schema = OmegaConf.structured(SimParams)
    _unfreeze(schema)
    # Schedules given on the command line merge into the scenario's schedule (new dates are
    # added), which needs `regulation` open; unknown lever names are refused in `to_params`.
    schema.regulation._set_flag("struct", False)
    ConfigStore.instance().store(name="schema", node=schema)
    _registered = True


def _unfreeze(node: Any) -> None:
    node._set_flag("readonly", None)
    if isinstance(node, DictConfig):
        for key in node:
            _unfreeze(node._get_node(key))


def to_params(cfg: DictConfig) -> SimParams:
    """Convert a composed config to `SimParams`; ConfigError names the offending key."""
    levers = [f.name for f in fields(RegulationParams)]
    for key in cfg.regulation:
        if key not in levers:
            raise ConfigError(f"regulation.{key}", cfg.regulation[key], _unknown(key, levers))
    try:
        values = OmegaConf.to_container(cfg, resolve=True)
    except OmegaConfBaseException as error:
        raise as_config_error(error) from None
    assert isinstance(values, dict)
    check_numbers({k: v for k, v in values.items() if k != "hydra"})
    check_label(values.get("label"))
    sections: dict[str, Any] = {}
    for name in SECTIONS:
        try:
            sections[name] = OmegaConf.to_object(cfg[name])
        except ConfigError as error:
            raise error.under(name) from None
        except OmegaConfBaseException as error:
            raise as_config_error(error) from None
    top = {key: cfg[key] for key in TOP_LEVEL}
    return SimParams(**top, **sections)


def compose_config(
    overrides: Sequence[str] = (), config_name: str = "config", with_hydra: bool = False
) -> DictConfig:
    """Compose configs/ with Hydra override strings (no output folder is made).

    Args:
        overrides: Hydra override strings, e.g. ["scenario=none", "seed=3"].
        config_name: the primary config under configs/.
        with_hydra: keep the `hydra` node (launcher, sweeper, ...) in the result.
    """
    register_schema()
    check_overrides(overrides)
    if GlobalHydra.instance().is_initialized():
        GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
            return compose(
                config_name=config_name, overrides=list(overrides), return_hydra_config=with_hydra
            )
    except (HydraException, OmegaConfBaseException) as error:
        raise as_config_error(error, overrides) from None
    except ConfigError:
        raise
    except (OverflowError, ValueError, TypeError, AttributeError) as error:
        # OmegaConf lets some conversion errors through, e.g. an integer too large for a float
        key = re.search(r"full_key: (\S+)", str(error))
        name = key.group(1) if key else "command line"
        raise ConfigError(name, _short(_given(name, overrides)), first_line(str(error))) from None


def load_params(overrides: Sequence[str] = (), config_name: str = "config") -> SimParams:
    """`SimParams` for the default config with Hydra-style overrides, e.g. 'seed=3'."""
    return to_params(compose_config(overrides, config_name))


def check_overrides(overrides: Sequence[str]) -> None:
    """Refuse, before composing, overrides that Hydra would accept silently or crash on.

    Every key must be a parameter, a lever, a section or a config group ("did you mean" for a
    misspelt one: adding a new key with `+` is refused too); every number written must be
    finite and fit in 64 bits; a schedule must not give a date twice.
    """
    try:
        parsed = OverridesParser.create().parse_overrides(list(overrides))
    except HydraException as error:
        raise ConfigError("command line", " ".join(overrides), first_line(str(error))) from None
    for override in parsed:
        if override.is_hydra_override():
            continue
        key = override.key_or_group
        text = override.input_line or ""
        if not key:
            raise ConfigError("command line", text, "each override is key=value, with a key")
        _check_key(key, text.partition("=")[2])
        if override.is_delete():
            continue
        value = override.value()
        if not isinstance(value, str | int | float | bool | list | dict) and value is not None:
            continue  # a sweep (a,b or range(...)): each job is checked on its own
        check_numbers(value, key)
        _check_list_lever(key, value)
        duplicate = _duplicate_key(text.partition("=")[2])
        if duplicate is not None:
            raise ConfigError(key, duplicate, "a schedule gives each date once")


def _check_list_lever(key: str, value: Any) -> None:
    """A lever typed as a list (`copayment_exempt`) takes a list: say how to write one."""
    section, _, name = key.partition(".")
    if section != "regulation" or isinstance(value, list):
        return
    for item in fields(RegulationParams):
        if item.name == name and str(item.type).startswith("list"):
            example = f"[{value}]" if isinstance(value, str) and value else "[job_seeker]"
            allowed = f"a list, e.g. {key}={example} ({key}=[] for none)"
            raise ConfigError(key, value, allowed)


def check_numbers(value: Any, key: str = "") -> None:
    """Refuse any number that is not finite or does not fit in 64 bits, at any depth.

    The one generic check of numbers (parameters, list elements, schedule values): NaN would
    pass every range check (`nan < low` is False), and infinities and huge integers cannot be
    simulated or stored.

    Raises:
        ConfigError: naming the key of the first bad number (`a.b[2]`, `a.b[2024-05]`).
    """
    if isinstance(value, Mapping):
        for name, item in value.items():
            inner = f"{key}.{name}" if key and re.fullmatch(r"\w+", str(name)) else f"{key}[{name}]"
            check_numbers(item, inner if key else str(name))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            check_numbers(item, f"{key}[{index}]")
    elif isinstance(value, bool) or not isinstance(value, numbers.Real):
        return
    elif isinstance(value, numbers.Integral):
        if not -INT64 <= int(value) < INT64:
            raise ConfigError(key, _short(value), "a whole number of at most 63 bits (< 2**63)")
    elif not math.isfinite(float(value)):
        raise ConfigError(key, value, "a finite number")


def check_label(label: Any) -> None:
    """A run's label names its folder: no path separator, no '..', at most LABEL_LIMIT chars."""
    text = str(label)
    if len(text) > LABEL_LIMIT:
        raise ConfigError("label", _short(text), f"at most {LABEL_LIMIT} characters")
    if not text or "/" in text or "\\" in text or ".." in text or text.startswith("."):
        allowed = "a name for a folder: not empty, no '/', '\\' or '..', not starting with '.'"
        raise ConfigError("label", text, allowed)
    if any(not char.isprintable() for char in text):
        raise ConfigError("label", text, "printable characters only")


def _check_key(key: str, value: str) -> None:
    """Refuse a key that is neither a parameter, a lever, a section nor a config group."""
    if (CONFIG_DIR / key).is_dir() or key in TOP_LEVEL or key in SECTIONS:
        return
    section, _, name = key.partition(".")
    if section == "regulation":
        levers = [f.name for f in fields(RegulationParams)]
        lever = name.split(".")[0]
        if lever not in levers:
            raise ConfigError(key, _short(value), _unknown(lever, levers, "regulation."))
        return
    known = [*TOP_LEVEL, *(f"{s}.{f.name}" for s, cls in SECTIONS.items() for f in fields(cls))]
    if key not in known:
        groups = sorted(
            p.relative_to(CONFIG_DIR).as_posix()
            for p in CONFIG_DIR.rglob("*")
            if p.is_dir() and not p.relative_to(CONFIG_DIR).as_posix().startswith("hydra")
        )
        raise ConfigError(key, _short(value), _unknown(key, [*known, *groups]))


def _unknown(key: str, allowed: Sequence[str], prefix: str = "") -> str:
    """'unknown key; did you mean X?' (or the allowed keys of its section)."""
    close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
    if close:
        return f"unknown key; did you mean {prefix}{close[0]}?"
    section = key.rpartition(".")[0]
    siblings = [a.rpartition(".")[2] for a in allowed if a.rpartition(".")[0] == section]
    return "unknown key; allowed: " + ", ".join(siblings or allowed)


def _duplicate_key(text: str) -> str | None:
    """The first key a `{k: v, ...}` literal gives twice, at any depth (None if none)."""
    stack: list[set[str]] = []
    item, quote = "", ""
    for char in text:
        if quote:
            quote = "" if char == quote else quote
            item += char
            continue
        if char in "'\"":
            quote = char
        elif char in "{[(":
            if char == "{":
                stack.append(set())
            item = ""
            continue
        elif char in "}])" or char == ",":
            item = ""
            if char == "}" and stack:
                stack.pop()
            continue
        elif char == ":" and stack:
            name = item.strip().strip("'\"")
            if name in stack[-1]:
                return name
            stack[-1].add(name)
            item = ""
            continue
        item += char
    return None


def _short(value: Any) -> Any:
    """A value shortened for a one-line message (a 400-digit number stays readable)."""
    text = str(value)
    return value if len(text) <= 40 else f"{text[:20]}...({len(text)} characters)"


def as_config_error(error: Exception, overrides: Sequence[str] = ()) -> ConfigError:
    """Turn a Hydra/OmegaConf exception into a one-line ConfigError naming key and value."""
    cause: BaseException = error
    while cause.__cause__ is not None and not isinstance(cause, OmegaConfBaseException):
        cause = cause.__cause__
    text = first_line(getattr(cause, "msg", None) or str(cause))
    missing = re.search(r"Could not find '([\w/]+)/(\w+)'", str(error))
    if missing:
        group, name = missing.groups()
        options = sorted(p.stem for p in (CONFIG_DIR / group).glob("*.yaml"))
        return ConfigError(group, name, "one of " + ", ".join(options))
    key = getattr(cause, "full_key", None) or "config"
    value = getattr(cause, "value", None)
    if value is None:
        value = _given(key, overrides)
    if "not in" in text:
        section = key.rsplit(".", 1)[0] if "." in key else ""
        return ConfigError(key, value, _allowed_keys(section))
    return ConfigError(key, value, text)


def _given(key: str, overrides: Sequence[str]) -> Any:
    """The value written for `key` on the command line, if any."""
    for override in overrides:
        name, _, value = override.lstrip("+~").partition("=")
        if name == key:
            return value
    return None


def _allowed_keys(section: str) -> str:
    schema = OmegaConf.structured(SimParams)
    node = OmegaConf.select(schema, section) if section else schema
    if isinstance(node, DictConfig):
        return "unknown key; allowed: " + ", ".join(str(k) for k in node)
    return "unknown key"


def first_line(text: str) -> str:
    """The first line of an error text (Hydra's errors run over many lines)."""
    return text.strip().splitlines()[0] if text.strip() else text
