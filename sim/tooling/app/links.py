"""The page's address encodes the comparison, so that a link reproduces it.

`?base=historical&reform=historical&r.copayment_eur={2025-01:150.0}&seeds=10&holders=100000`:
each world's scenario, each edited lever in the command line's override grammar (`b.` for the
baseline, `r.` for the reform), the run size and the window. A link is read with the page's own
checks; what it gets wrong is said in one line per problem and left at its default.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import parse_qsl, urlencode

from hydra.core.override_parser.overrides_parser import OverridesParser
from hydra.errors import HydraException

from sim.api import override_value
from sim.core.checks import calendar_month
from sim.core.errors import ConfigError
from sim.params import PopulationParams
from sim.tooling.app.worlds import LEVERS, World, monthly, scenario_names

MAX_SEEDS = 50
DEFAULT_SEEDS = 10
DEFAULT_HOLDERS = PopulationParams().holders


@dataclass(frozen=True)
class Setup:
    """A comparison: two worlds, the seeds and size of every run, and the window read."""

    baseline: World = field(default_factory=World)
    reform: World = field(default_factory=World)
    seeds: int = DEFAULT_SEEDS
    holders: int = DEFAULT_HOLDERS
    start: str | None = None
    stop: str | None = None


def check_seeds(value: object) -> int:
    """Seeds 0..n-1: a whole number from 1 to MAX_SEEDS (ConfigError otherwise)."""
    try:
        seeds = int(str(value).strip())
    except ValueError:
        raise ConfigError("seeds", value, f"a whole number from 1 to {MAX_SEEDS}") from None
    if not 1 <= seeds <= MAX_SEEDS:
        raise ConfigError("seeds", value, f"a whole number from 1 to {MAX_SEEDS}")
    return seeds


def check_holders(value: object) -> int:
    """Simulated holders, checked as `population.holders` is (ConfigError otherwise)."""
    try:
        holders = int(str(value).replace("_", "").replace(",", "").strip())
    except ValueError:
        raise ConfigError("population.holders", value, "a whole number") from None
    try:
        PopulationParams(holders=holders)
    except ConfigError as error:
        raise error.under("population") from None
    return holders


def check_month(key: str, value: object) -> str:
    """A month of the calendar 2019-01..LAST_MONTH, written YYYY-MM."""
    text = str(value).strip()
    calendar_month(key, text)
    return text


def to_query(setup: Setup) -> str:
    """The query string of a setup (without '?')."""
    pairs = [("base", setup.baseline.scenario), ("reform", setup.reform.scenario)]
    for prefix, world in (("b", setup.baseline), ("r", setup.reform)):
        pairs += [(f"{prefix}.{k}", override_value(v)) for k, v in world.levers.items()]
    pairs += [("seeds", str(setup.seeds)), ("holders", str(setup.holders))]
    pairs += [(k, v) for k, v in (("from", setup.start), ("to", setup.stop)) if v]
    return urlencode(pairs, safe="{}[]:,'")


def _parsed(text: str) -> object:
    try:
        return OverridesParser.create().parse_override(f"x={text}").value()
    except HydraException as error:
        raise ConfigError("value", text, str(error).strip().splitlines()[0]) from None


def from_query(query: str | None) -> tuple[Setup, list[str]]:
    """The setup a query string describes, and one line per part of it that was refused."""
    setup, problems = Setup(), []
    pairs = parse_qsl((query or "").lstrip("?"), keep_blank_values=True)
    worlds = {"b": World(), "r": World()}
    for key, prefix in (("base", "b"), ("reform", "r")):
        name = dict(pairs).get(key)
        if name is not None and name not in scenario_names():
            problems.append(f"{key}={name!r} is invalid: one of {', '.join(scenario_names())}")
        elif name is not None:
            worlds[prefix] = World(name)
    for key, text in pairs:
        prefix, _, lever = key.partition(".")
        try:
            if prefix in worlds and lever:
                if lever not in LEVERS:
                    raise ConfigError(f"regulation.{lever}", text, "unknown lever")
                value = _parsed(text)
                monthly(lever, value)
                worlds[prefix] = worlds[prefix].with_value(lever, value)
            elif key == "seeds":
                setup = replace(setup, seeds=check_seeds(text))
            elif key == "holders":
                setup = replace(setup, holders=check_holders(text))
            elif key == "from":
                setup = replace(setup, start=check_month(key, text))
            elif key == "to":
                setup = replace(setup, stop=check_month(key, text))
            elif key not in ("base", "reform"):
                raise ConfigError(key, text, "unknown part of the address")
        except ConfigError as error:
            problems.append(str(error))
    return replace(setup, baseline=worlds["b"], reform=worlds["r"]), problems
