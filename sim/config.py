"""From Hydra configs to typed `SimParams`, with one-line errors for bad input.

The YAML under configs/ only sets values; the schema is the `SimParams` dataclass tree,
registered in Hydra's ConfigStore so that misspelled keys and wrong types are refused.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import product
from pathlib import Path
from typing import Any

from hydra import compose, initialize_config_dir
from hydra.core.config_store import ConfigStore
from hydra.core.global_hydra import GlobalHydra
from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import HydraException
from omegaconf import DictConfig, OmegaConf
from omegaconf.errors import OmegaConfBaseException

from sim.errors import ConfigError
from sim.params import SECTIONS, SimParams

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"
TOP_LEVEL = ("seed", "end", "label")


def register_schema() -> None:
    """Make `SimParams` the schema the YAML configs extend (as 'schema').

    OmegaConf makes nodes of frozen dataclasses read-only, which would stop the YAML from
    setting values; the schema node is unfrozen, and `to_params` builds frozen objects again.
    """
    schema = OmegaConf.structured(SimParams)
    _unfreeze(schema)
    ConfigStore.instance().store(name="schema", node=schema)


def _unfreeze(node: Any) -> None:
    node._set_flag("readonly", None)
    if isinstance(node, DictConfig):
        for key in node:
            _unfreeze(node._get_node(key))


register_schema()


def to_params(cfg: DictConfig) -> SimParams:
    """Convert a composed config to `SimParams`; ConfigError names the offending key."""
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
        raise _as_config_error(error) from None


def load_params(overrides: Sequence[str] = (), config_name: str = "config") -> SimParams:
    """`SimParams` for the default config with Hydra-style overrides, e.g. 'seed=3'."""
    return to_params(compose_config(overrides, config_name))


def expand_sweep(overrides: Sequence[str]) -> Iterator[list[str]]:
    """Every job's overrides of a command line that may hold sweeps (a,b,c or range(...))."""
    try:
        parsed = OverridesParser.create().parse_overrides(list(overrides))
    except HydraException as error:
        raise ConfigError("command line", " ".join(overrides), _first_line(str(error))) from None
    choices: list[list[str]] = []
    for override in parsed:
        key = override.get_key_element()
        if override.is_sweep_override():
            values = list(override.sweep_string_iterator())
        else:
            values = [override.get_value_element_as_str()]
        choices.append([f"{key}={value}" for value in values])
    for combination in product(*choices):
        yield list(combination)


def check_overrides(overrides: Sequence[str]) -> int:
    """Compose and validate every job of a (possibly sweeping) command line; returns the count."""
    model_overrides = [o for o in overrides if not o.lstrip("+~").startswith("hydra.")]
    jobs = 0
    for job in expand_sweep(model_overrides):
        load_params(job)
        jobs += 1
    return jobs


def _as_config_error(error: Exception) -> ConfigError:
    """Turn a Hydra/OmegaConf exception into a one-line ConfigError."""
    cause: BaseException = error
    while cause.__cause__ is not None and not isinstance(cause, OmegaConfBaseException):
        cause = cause.__cause__
    key = getattr(cause, "full_key", None) or "config"
    value = getattr(cause, "value", None)
    text = _first_line(getattr(cause, "msg", None) or str(cause))
    if "not in" in text or "Could not override" in str(error) and "Key" in text:
        section = key.rsplit(".", 1)[0] if "." in key else ""
        return ConfigError(key, value if value is not None else "?", _allowed_keys(section))
    if "Could not load" in text or "Could not find" in text:
        return ConfigError(key, value, text)
    return ConfigError(key, value, text)


def _allowed_keys(section: str) -> str:
    schema = OmegaConf.structured(SimParams)
    node = OmegaConf.select(schema, section) if section else schema
    if isinstance(node, DictConfig):
        return "unknown key; allowed: " + ", ".join(str(k) for k in node.keys())
    return "unknown key"


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else text
