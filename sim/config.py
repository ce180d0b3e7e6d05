"""From Hydra configs to typed `SimParams`, with one-line errors for bad input.

The YAML under configs/ only sets values; the schema is the `SimParams` dataclass tree,
registered in Hydra's ConfigStore so that misspelled keys and wrong types are refused. Nothing
is registered at import: `register_schema()` (idempotent) runs on first use, from
`compose_config` or from the command line's entry point before Hydra starts.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import fields
from pathlib import Path
from typing import Any

from hydra import compose, initialize_config_dir
from hydra.core.config_store import ConfigStore
from hydra.core.global_hydra import GlobalHydra
from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim.core.errors import ConfigError
from sim.params import SECTIONS, RegulationParams, SimParams

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"
TOP_LEVEL = ("seed", "end", "label")


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
    if GlobalHydra.instance().is_initialized():
        GlobalHydra.instance().clear()
    try:
        with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base="1.3"):
            return compose(
                config_name=config_name, overrides=list(overrides), return_hydra_config=with_hydra
            )
    except (HydraException, OmegaConfBaseException) as error:
        raise as_config_error(error, overrides) from None


def load_params(overrides: Sequence[str] = (), config_name: str = "config") -> SimParams:
    """`SimParams` for the default config with Hydra-style overrides, e.g. 'seed=3'."""
    return to_params(compose_config(overrides, config_name))


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
