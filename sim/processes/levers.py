"""Regulation levers as small objects with `setup(model)` and `apply(model, month)`.

Each lever owns one key of `regulation`: *when* is its dated schedule, *what* is the rule it
writes into the month's `Policy` (and any action it takes, such as catching canvassers), and
*who* (exemptions) is part of its value. Adding a lever means one class here, one field in
`RegulationParams` and one in `Policy`; nothing else changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from sim.core.domain import IDENTITY_LEVELS, N_TOPICS, RANKINGS, STATUSES, TOPICS
from sim.core.errors import ConfigError
from sim.core.schedule import change_months, resolve

if TYPE_CHECKING:
    from sim.model import CPFModel
    from sim.params import RegulationParams


@dataclass
class Policy:
    """The rules in force this month, written by the levers and read by the submodels."""

    identity_level: int = 0
    canvassing_ban: bool = False
    canvassing_enforcement: float = 0.0
    copayment_eur: float = 0.0
    copayment_exempt: tuple[str, ...] = ()
    search_boost: float = 1.0
    qualiopi_required: bool = False
    audit_rate: float = 0.0
    payment_on_attendance: bool = False
    anomaly_detection: float = 0.0
    ranking: str = "visibility"
    price_cap_eur: float = 0.0
    price_cap_by_topic_eur: tuple[float, ...] = ()
    business_creation_restricted: bool = False

    def cap(self, prices: NDArray[np.float64], topics: NDArray[np.int8]) -> NDArray[np.float64]:
        """`prices` of courses on `topics` within the caps in force (0 means no cap)."""
        if self.price_cap_eur > 0:
            prices = np.minimum(prices, self.price_cap_eur)
        if self.price_cap_by_topic_eur:
            caps = np.asarray(self.price_cap_by_topic_eur)[topics]
            prices = np.where(caps > 0, np.minimum(prices, caps), prices)
        return prices


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError("", value, "true or false")
    return value


def _probability(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise ConfigError("", value, "a probability in [0, 1]")
    return float(value)


def _non_negative(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise ConfigError("", value, "a number >= 0")
    return float(value)


def _choice(options: tuple[str, ...]) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        if value not in options:
            raise ConfigError("", value, "one of " + " | ".join(options))
        return str(value)

    return check


def _topic_caps(value: Any) -> tuple[float, ...]:
    allowed = f"null or a list of {N_TOPICS} caps >= 0 (0: no cap), in the order "
    allowed += ", ".join(TOPICS)
    if value is None:
        return ()
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise ConfigError("", value, allowed)
    caps = tuple(value)
    if len(caps) != N_TOPICS or any(
        isinstance(c, bool) or not isinstance(c, int | float) or c < 0 for c in caps
    ):
        raise ConfigError("", list(caps), allowed)
    return tuple(float(c) for c in caps)


def _groups(value: Any) -> tuple[str, ...]:
    allowed = STATUSES + ("employer_topup",)
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise ConfigError("", value, "a list of groups from " + ", ".join(allowed))
    groups = tuple(value)
    for group in groups:
        if group not in allowed:
            raise ConfigError("", group, "groups are " + ", ".join(allowed))
    return groups


class Lever:
    """A regulation key resolved to one value per month; subclasses say what the value does."""

    key: ClassVar[str]
    off: ClassVar[Any]
    check: ClassVar[staticmethod[[Any], Any]]

    def __init__(self, value: Any, n_months: int) -> None:
        self.values = resolve(self.key, value, n_months, self.off, type(self).check)

    def setup(self, model: CPFModel) -> None:
        """Prepare before the first month (default: nothing)."""

    def apply(self, model: CPFModel, month: int) -> None:
        """Put this month's value into force."""
        self.enact(model, self.values[month], month)

    def enact(self, model: CPFModel, value: Any, month: int) -> None:
        """Write `value` into the policy and act on it."""
        raise NotImplementedError

    def switched_on(self, month: int) -> bool:
        """True in the month a boolean lever turns on."""
        return bool(self.values[month]) and (month == 0 or not self.values[month - 1])

    def change_months(self) -> list[int]:
        """Months at which this lever changes (for figures)."""
        return change_months(self.values)


class IdentityCheck(Lever):
    """Login required at checkout: stolen credentials pass less often, honest users give up more."""

    key, off, check = "identity_check", "none", staticmethod(_choice(IDENTITY_LEVELS))

    def enact(self, model: CPFModel, value: Any, month: int) -> None:
        model.policy.identity_level = IDENTITY_LEVELS.index(value)


class CanvassingBan(Lever):
    """Canvassing made illegal; law-abiding canvassers stop, the others weigh the fines."""

    key, off, check = "canvassing_ban", False, staticmethod(_bool)

    def enact(self, model: CPFModel, value: Any, month: int) -> None:
        model.policy.canvassing_ban = value


class CanvassingEnforcement(Lever):
    """Under a ban, each active canvasser is caught with this monthly probability."""

    key, off, check = "canvassing_enforcement", 0.0, staticmethod(_probability)

    def enact(self, model: CPFModel, value: Any, month: int) -> None:
        model.policy.canvassing_enforcement = value
        if model.policy.canvassing_ban and value > 0:
            model.regulator.enforce_canvassing_ban(value, month)


class Copayment(Lever):
    """Flat amount paid by non-exempt holders per purchase; announced rises are anticipated."""

    key, off, check = "copayment_eur", 0.0, staticmethod(_non_negative)

    def enact(self, model: CPFModel, value: Any, month: int) -> None:
        model.policy.copayment_eur = value
        window = model.params.platform.anticipation_months
        ahead = self.values[month + 1 : month + 1 + window]
        rising = any(future > value for future in ahead)
        model.policy.search_boost = 1.0 + model.params.platform.anticipation_boost * rising


class CopaymentExempt(Lever):
    """Groups that do not pay the copayment (statuses, employer top-ups)."""

    key, off, check = "copayment_exempt", (), staticmethod(_groups)

    def enact(self, model: CPFModel, value: Any, month: int) -> None:
        model.policy.copayment_exempt = value


class QualiopiRequired(Lever):
    """Only certified organisations may sell; each uncertified one certifies or is delisted."""

    key, off, check = "qualiopi_required", False, staticmethod(_bool)

    def enact(self, model: CPFModel, value: Any, month: int) -> None:
        model.policy.qualiopi_required = value
        if self.switched_on(month):
            model.regulator.require_qualiopi(month)


class AuditRate(Lever):
    """Audits per organisation per year, within the regulators' capacity."""

    key, off, check = "audit_rate", 0.0, staticmethod(_non_negative)

    def enact(self, model: CPFModel, value: Any, month: int) -> None:
        model.policy.audit_rate = value


class PaymentOnAttendance(Lever):
    """Organisations are paid at the end of a course, on proof of attendance."""

    key, off, check = "payment_on_attendance", False, staticmethod(_bool)

    def enact(self, model: CPFModel, value: Any, month: int) -> None:
        model.policy.payment_on_attendance = value


class AnomalyDetection(Lever):
    """Strength of the platform's screening of dossiers at checkout."""

    key, off, check = "anomaly_detection", 0.0, staticmethod(_probability)

    def enact(self, model: CPFModel, value: Any, month: int) -> None:
        model.policy.anomaly_detection = value


class Ranking(Lever):
    """How search results are ordered: by visibility (marketing) or by relevance to the need."""

    key, off, check = "ranking", "visibility", staticmethod(_choice(RANKINGS))

    def enact(self, model: CPFModel, value: Any, month: int) -> None:
        model.policy.ranking = value


class PriceCap(Lever):
    """Maximum price of one course (0: no cap); organisations price below it."""

    key, off, check = "price_cap_eur", 0.0, staticmethod(_non_negative)

    def enact(self, model: CPFModel, value: Any, month: int) -> None:
        model.policy.price_cap_eur = value


class PriceCapByTopic(Lever):
    """Maximum price of one course per topic (0 for a topic: no cap).

    Decree 2026-127 caps RS certifications, skills assessments and light-vehicle licences
    separately.
    """

    key, off, check = "price_cap_by_topic_eur", (), staticmethod(_topic_caps)

    def enact(self, model: CPFModel, value: Any, month: int) -> None:
        model.policy.price_cap_by_topic_eur = value


class BusinessCreationRestricted(Lever):
    """Business-creation courses limited to serious programmes (decree of April 2022)."""

    key, off, check = "business_creation_restricted", False, staticmethod(_bool)

    def enact(self, model: CPFModel, value: Any, month: int) -> None:
        model.policy.business_creation_restricted = value
        if self.switched_on(month):
            model.regulator.restrict_business_creation(month)


LEVERS: dict[str, type[Lever]] = {
    lever.key: lever
    for lever in (
        IdentityCheck,
        CanvassingBan,
        CanvassingEnforcement,
        Copayment,
        CopaymentExempt,
        QualiopiRequired,
        AuditRate,
        PaymentOnAttendance,
        AnomalyDetection,
        Ranking,
        PriceCap,
        PriceCapByTopic,
        BusinessCreationRestricted,
    )
}


@dataclass
class LeverSet:
    """The levers of one run, applied in a fixed order at the start of each month."""

    levers: list[Lever] = field(default_factory=list)

    @classmethod
    def from_params(cls, regulation: RegulationParams, n_months: int) -> LeverSet:
        """Build one lever per regulation key (validates every value and date)."""
        return cls(
            [LEVERS[f.name](getattr(regulation, f.name), n_months) for f in fields(regulation)]
        )

    def setup(self, model: CPFModel) -> None:
        """Let each lever prepare."""
        for lever in self.levers:
            lever.setup(model)

    def apply(self, model: CPFModel, month: int) -> None:
        """Put every lever's value for `month` into force."""
        for lever in self.levers:
            lever.apply(model, month)

    def change_months(self) -> dict[str, list[int]]:
        """For each lever that changes during the run, the months it changes."""
        return {lever.key: lever.change_months() for lever in self.levers if lever.change_months()}


def check_regulation(regulation: RegulationParams, n_months: int) -> None:
    """Validate every lever value and schedule; raises ConfigError naming the key."""
    LeverSet.from_params(regulation, n_months)
