"""From Hydra configs to typed `SimParams`, with one-line errors for bad input.

The YAML under configs/ only sets values; the schema is the `SimParams` dataclass tree,
registered in Hydra's ConfigStore so that misspelled keys and wrong types are refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import fields, replace
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


def register_schema() -> None:
    """Make `SimParams` the schema the YAML configs extend (as 'schema').

    OmegaConf makes nodes of frozen dataclasses read-only, which would stop the YAML from
    setting values; the schema node is unfrozen, and `to_params` builds frozen objects again.
    """
    schema = OmegaConf.structured(SimParams)
    _unfreeze(schema)
    # Schedules given on the command line merge into the scenario's schedule (new dates are
    # added), which needs `regulation` open; unknown lever names are refused in `to_params`.
    schema.regulation._set_flag("struct", False)
    ConfigStore.instance().store(name="schema", node=schema)


def _unfreeze(node: Any) -> None:
    node._set_flag("readonly", None)
    if isinstance(node, DictConfig):
        for key in node:
            _unfreeze(node._get_node(key))


register_schema()


def to_params(cfg: DictConfig) -> SimParams:
    """Convert a composed config to `SimParams`; ConfigError names the offending key."""
    levers = [f.name for f in fields(RegulationParams)]
    for key in cfg.regulation:
        if key not in levers:
            raise ConfigError(
                f"regulation.{key}",
                cfg.regulation[key],
                "unknown lever; allowed: " + ", ".join(levers),
            )
    sections: dict[str, Any] = {}
    for name in SECTIONS:
        try:
            sections[name] = OmegaConf.to_object(cfg[name])
        except ConfigError as error:
            raise error.under(name) from None
        except OmegaConfBaseException as error:
            raise _as_config_error(error) from None
    top = {key: cfg[key] for key in TOP_LEVEL}
    return SimParams(**top, **sections)


def compose_config(overrides: Sequence[str] = (), config_name: str = "config") -> DictConfig:
    """Compose configs/ with Hydra override strings (no output folder is made)."""
    if GlobalHydra.instance().is_initialized():
        GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
            return compose(config_name=config_name, overrides=list(overrides))
    except (HydraException, OmegaConfBaseException) as error:
        raise _as_config_error(error, overrides) from None


def load_params(overrides: Sequence[str] = (), config_name: str = "config") -> SimParams:
    """`SimParams` for the default config with Hydra-style overrides, e.g. 'seed=3'."""
    return to_params(compose_config(overrides, config_name))


def expand_sweep(overrides: Sequence[str], sweeper_params: Any = None) -> Iterator[list[str]]:
    """Every job's overrides of a command line that may hold sweeps (a,b,c or range(...)).

    Jobs come in the order Hydra's basic sweeper runs them; `sweeper_params` are a preset's
    own sweep (`hydra.sweeper.params`), overridden key by key by the command line.
    """
    from sim.tooling.sweep import expand_jobs

    try:
        yield from expand_jobs(overrides, sweeper_params)
    except HydraException as error:
        raise ConfigError("command line", " ".join(overrides), _first_line(str(error))) from None


def preset_sweep(overrides: Sequence[str]) -> dict[str, Any]:
    """Return `hydra.sweeper.params` of the config a command line selects (a preset's sweep)."""
    try:
        parsed = OverridesParser.create().parse_overrides(list(overrides))
    except HydraException as error:
        raise ConfigError("command line", " ".join(overrides), _first_line(str(error))) from None
    fixed = [o.input_line for o in parsed if not o.is_sweep_override() and o.input_line]
    if GlobalHydra.instance().is_initialized():
        GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
            cfg = compose(config_name="config", overrides=fixed, return_hydra_config=True)
    except (HydraException, OmegaConfBaseException) as error:
        raise _as_config_error(error, fixed) from None
    params = cfg.hydra.sweeper.get("params")
    if not params:
        return {}
    return {str(k): str(v) for k, v in OmegaConf.to_container(params, resolve=False).items()}  # type: ignore[union-attr]


def check_overrides(overrides: Sequence[str]) -> int:
    """Compose and validate every job of a (possibly sweeping) command line; returns the count.

    A preset's sweep (`hydra.sweeper.params`) counts too. Jobs that differ only in `seed` are
    composed once; the other seeds are checked by rebuilding the parameters with that seed.
    """
    jobs = list(expand_sweep(overrides, preset_sweep(overrides)))
    checked: dict[tuple[str, ...], SimParams] = {}
    for job in jobs:
        seeds = [o for o in job if o.lstrip("+~").split("=", 1)[0] == "seed"]
        rest = tuple(o for o in job if o not in seeds)
        seed_text = seeds[-1].split("=", 1)[1] if seeds else None
        if rest in checked and seed_text is not None and seed_text.isdigit():
            replace(checked[rest], seed=int(seed_text))
        else:
            checked.setdefault(rest, load_params(job))
    return len(jobs)


def _as_config_error(error: Exception, overrides: Sequence[str] = ()) -> ConfigError:
    """Turn a Hydra/OmegaConf exception into a one-line ConfigError naming key and value."""
    cause: BaseException = error
    while cause.__cause__ is not None and not isinstance(cause, OmegaConfBaseException):
        cause = cause.__cause__
    text = _first_line(getattr(cause, "msg", None) or str(cause))
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


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text
