"""A world: a scenario of configs/scenario/ and the lever schedules a policy reader edited on it.

The page edits whole schedules (what it shows is what runs), so an edited lever *replaces* the
scenario's schedule (`sim.run(levers=...)`), never merges into it. Every value typed in the
page goes through the checks the configuration uses (`sim.core.checks`, `sim.core.schedule`):
the page refuses exactly what the command line refuses, with the same one-line message.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from omegaconf import OmegaConf

from sim.api import keyword_overrides
from sim.config import CONFIG_DIR, compose_config
from sim.core.calendar import LAST_MONTH, month_index, month_label
from sim.core.checks import LEVER_VALUES
from sim.core.domain import IDENTITY_LEVELS, LICENCE_RULES, RANKINGS, REGISTRATION_CHECKS, TOPICS
from sim.core.errors import ConfigError
from sim.core.schedule import resolve
from sim.param_docs import field_docs
from sim.params import RegulationParams
from sim.run_notes import lever_words

FIRST_MONTH = "2019-01"
N_MONTHS = month_index(LAST_MONTH) + 1
Kind = Literal["choice", "switch", "amount", "share", "rate", "caps", "groups"]
GROUPS = ("employee", "job_seeker", "self_employed", "employer_topup")
_KINDS: dict[str, tuple[Kind, tuple[str, ...]]] = {
    "identity_check": ("choice", IDENTITY_LEVELS),
    "canvassing_ban": ("switch", ()),
    "canvassing_enforcement": ("share", ()),
    "copayment_eur": ("amount", ()),
    "copayment_exempt": ("groups", GROUPS),
    "qualiopi_required": ("switch", ()),
    "audit_rate": ("rate", ()),
    "payment_on_attendance": ("switch", ()),
    "anomaly_detection": ("share", ()),
    "ranking": ("choice", RANKINGS),
    "price_cap_eur": ("amount", ()),
    "price_cap_by_topic_eur": ("caps", TOPICS),
    "business_creation_restricted": ("switch", ()),
    "registration_checks": ("choice", REGISTRATION_CHECKS),
    "driving_licence_rule": ("choice", LICENCE_RULES),
}
HINTS = {
    "amount": "euros, 0 or more",
    "share": "a probability from 0 to 1",
    "rate": "per organisation per year, 0 or more",
    "caps": "7 caps in euros (0: no cap), or empty for none",
}


@dataclass(frozen=True)
class Lever:
    """How the page shows one lever: the control's kind, its options and its meaning."""

    name: str
    kind: Kind
    options: tuple[str, ...]
    meaning: str

    @property
    def title(self) -> str:
        """'copayment eur' -> 'Copayment (EUR)'."""
        text = self.name.removesuffix("_eur").replace("_", " ")
        return text[0].upper() + text[1:] + (" (EUR)" if self.name.endswith("_eur") else "")


def _meaning(doc: str) -> str:
    return doc.split(" assumption:")[0].split(" source:")[0].strip()


LEVERS: dict[str, Lever] = {
    f.name: Lever(f.name, *_KINDS[f.name], _meaning(field_docs(RegulationParams).get(f.name, "")))
    for f in fields(RegulationParams)
}


def scenario_names() -> list[str]:
    """The scenarios of configs/scenario/, historical and none first."""
    names = sorted(p.stem for p in (CONFIG_DIR / "scenario").glob("*.yaml"))
    return [n for n in ("historical", "none") if n in names] + [
        n for n in names if n not in ("historical", "none")
    ]


@functools.cache
def _scenario_levers(name: str) -> dict[str, Any]:
    regulation = OmegaConf.to_container(compose_config([f"scenario={name}"]).regulation)
    assert isinstance(regulation, dict)
    return {str(k): v for k, v in regulation.items()}


def scenario_levers(name: str) -> dict[str, Any]:
    """Each lever's value in a scenario (composed once per scenario).

    Raises:
        ConfigError: no such scenario.
    """
    return dict(_scenario_levers(name))


def monthly(name: str, value: Any) -> list[Any]:
    """The lever's value month by month over the whole calendar."""
    off, check = LEVER_VALUES[name]
    return resolve(f"regulation.{name}", value, N_MONTHS, off, check)


def as_schedule(value: Any) -> dict[str, Any]:
    """A schedule {'YYYY-MM': value} (a constant holds from the first month)."""
    if isinstance(value, Mapping):
        return {str(k): value[k] for k in sorted(value)}
    return {FIRST_MONTH: value}


def parse_value(name: str, text: Any) -> Any:
    """The value a control gives, typed as the configuration types it (text kept if not)."""
    kind = LEVERS[name].kind
    if kind in ("amount", "share", "rate") and isinstance(text, str):
        try:
            return float(text.strip())
        except ValueError:
            return text
    if kind == "caps" and isinstance(text, str):
        if text.strip().lower() in ("", "none", "null"):
            return None
        parts = [p.strip() for p in text.split(",")]
        try:
            return [float(p) for p in parts]
        except ValueError:
            return parts
    return text


def check_change(name: str, month: str, value: Any) -> Any:
    """A change of lever `name` at `month` as the configuration would take it.

    Raises:
        ConfigError: the month or the value is refused, with the command line's message
            (e.g. "regulation.copayment_eur[2025-01]=-5.0 is invalid: a finite number >= 0").
    """
    if name not in LEVERS:
        raise ConfigError(f"regulation.{name}", value, "unknown lever")
    monthly(name, {str(month).strip(): value})
    return value


@dataclass(frozen=True)
class World:
    """A scenario and the levers edited on it (each replacing the scenario's schedule)."""

    scenario: str = "historical"
    levers: Mapping[str, Any] = field(default_factory=dict)

    def value(self, name: str) -> Any:
        """The lever's value in this world: edited, or the scenario's."""
        return self.levers[name] if name in self.levers else scenario_levers(self.scenario)[name]

    def with_value(self, name: str, value: Any) -> World:
        """The world with the lever set to `value` (dropped if the scenario runs the same)."""
        levers = {k: v for k, v in self.levers.items() if k != name}
        if monthly(name, value) != monthly(name, scenario_levers(self.scenario)[name]):
            levers[name] = value
        return World(self.scenario, levers)

    def with_change(self, name: str, month: str, value: Any, drop_later: bool = True) -> World:
        """Add a change at `month` (checked); later changes are dropped unless kept."""
        check_change(name, month, value)
        schedule = as_schedule(self.value(name))
        if drop_later:
            schedule = {d: v for d, v in schedule.items() if d < month}
        schedule[month] = value
        return self.with_value(name, dict(sorted(schedule.items())))

    def without_change(self, name: str, month: str) -> World:
        """Remove the change at `month` (the lever is off before its first date)."""
        schedule = {d: v for d, v in as_schedule(self.value(name)).items() if d != month}
        if not schedule:
            return self.with_value(name, LEVER_VALUES[name][0])
        return self.with_value(name, schedule)

    def overrides(self) -> list[str]:
        """The run's overrides: the scenario, then each edited lever (replacing its schedule)."""
        return keyword_overrides(self.scenario, None, dict(self.levers), None, None)

    def words(self, name: str) -> str:
        """'100 EUR from 2024-05, 150 from 2025-01' (the run notes' words)."""
        return lever_words(name, self.value(name))


def changes_against(base: World, reform: World) -> dict[str, list[str]]:
    """Lever -> the months where the difference between the two worlds begins, changes or ends.

    These are the reform's dates, marked on its figures and used to choose a window. A lever
    that differs from the first month on (a constant) has no date, but it is still listed.
    """
    out: dict[str, list[str]] = {}
    for name in LEVERS:
        ours, theirs = monthly(name, reform.value(name)), monthly(name, base.value(name))
        months = [
            month_label(m)
            for m in range(1, N_MONTHS)
            if (ours[m] != ours[m - 1] or theirs[m] != theirs[m - 1])
            and (ours[m] != theirs[m] or ours[m - 1] != theirs[m - 1])
        ]
        if months or ours[0] != theirs[0]:
            out[name] = months
    return out
