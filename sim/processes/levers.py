"""Regulation levers as small objects that `apply(world, month)` their dated value.

Each lever owns one key of `regulation`: *when* is its dated schedule, *what* is the rule it
writes into the month's `Policy` (and any action it takes, such as catching canvassers), and
*who* (exemptions) is part of its value. Adding a lever means one class here, one entry in
`sim.core.checks.LEVER_VALUES`, one field in `RegulationParams` and one in `Policy`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from sim.agents import regulator
from sim.core.checks import LEVER_VALUES
from sim.core.domain import IDENTITY_LEVELS, PRESSURED_CHANNEL, TAKEOVER_CHANNEL
from sim.core.schedule import change_months, resolve
from sim.params import RegulationParams
from sim.state.world import World


class Lever:
    """A regulation key resolved to one value per month; subclasses say what the value does."""

    key: ClassVar[str]

    def __init__(self, value: Any, n_months: int) -> None:
        off, check = LEVER_VALUES[self.key]
        self.values = resolve(self.key, value, n_months, off, check)

    def apply(self, world: World, month: int) -> None:
        """Put this month's value into force."""
        self.enact(world, self.values[month], month)

    def enact(self, world: World, value: Any, month: int) -> None:
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

    key = "identity_check"

    def enact(self, world: World, value: Any, month: int) -> None:
        level = IDENTITY_LEVELS.index(value)
        if level != world.policy.identity_level:
            world.policy.identity_since = month
        if level > world.policy.identity_level:
            # Experience against the check is partly specific to it: a stronger check must
            # be learned anew (ODD §7.12).
            kept = world.params.fraud.identity_skill_transfer[level]
            for network in world.fraud_networks():
                network.experience[[TAKEOVER_CHANNEL, PRESSURED_CHANNEL]] *= kept
        world.policy.identity_level = level


class CanvassingBan(Lever):
    """Canvassing made illegal; law-abiding canvassers stop, the others weigh the fines."""

    key = "canvassing_ban"

    def enact(self, world: World, value: Any, month: int) -> None:
        if value and not world.policy.canvassing_ban:
            world.policy.canvassing_ban_since = month
        world.policy.canvassing_ban = value


class CanvassingEnforcement(Lever):
    """Under a ban, each active canvasser is caught with this monthly probability.

    What is caught is last month's canvassing, so only from the month after the ban starts.
    """

    key = "canvassing_enforcement"

    def enact(self, world: World, value: Any, month: int) -> None:
        world.policy.canvassing_enforcement = value
        policy = world.policy
        if policy.canvassing_ban and month > policy.canvassing_ban_since and value > 0:
            regulator.enforce_canvassing_ban(world, value, month)


class Copayment(Lever):
    """Flat amount paid by non-exempt holders per purchase; announced rises are anticipated.

    The rush before a rise is proportional to its size: a 100 EUR copayment announced for next
    month raises searches by `anticipation_boost`, its 2.23 EUR indexation by 2.2% of that.
    """

    key = "copayment_eur"

    def enact(self, world: World, value: Any, month: int) -> None:
        world.policy.copayment_eur = value
        plat = world.params.platform
        ahead = self.values[month + 1 : month + 1 + plat.anticipation_months]
        rise = max([0.0, *(future - value for future in ahead)])
        world.policy.search_boost = 1.0 + plat.anticipation_boost * rise / 100.0


class CopaymentExempt(Lever):
    """Groups that do not pay the copayment (statuses, employer top-ups)."""

    key = "copayment_exempt"

    def enact(self, world: World, value: Any, month: int) -> None:
        world.policy.copayment_exempt = value


class QualiopiRequired(Lever):
    """Only certified organisations may sell; each uncertified one certifies or is delisted."""

    key = "qualiopi_required"

    def enact(self, world: World, value: Any, month: int) -> None:
        world.policy.qualiopi_required = value
        if self.switched_on(month):
            regulator.require_qualiopi(world, month)


class AuditRate(Lever):
    """Audits per organisation per year, within the regulators' capacity."""

    key = "audit_rate"

    def enact(self, world: World, value: Any, month: int) -> None:
        world.policy.audit_rate = value


class PaymentOnAttendance(Lever):
    """Organisations are paid at the end of a course, on proof of attendance."""

    key = "payment_on_attendance"

    def enact(self, world: World, value: Any, month: int) -> None:
        world.policy.payment_on_attendance = value


class AnomalyDetection(Lever):
    """Strength of the platform's screening of dossiers at checkout."""

    key = "anomaly_detection"

    def enact(self, world: World, value: Any, month: int) -> None:
        world.policy.anomaly_detection = value


class Ranking(Lever):
    """How search results are ordered: by visibility (marketing) or by relevance to the need."""

    key = "ranking"

    def enact(self, world: World, value: Any, month: int) -> None:
        world.policy.ranking = value


class PriceCap(Lever):
    """Maximum price of one course (0: no cap); organisations price below it."""

    key = "price_cap_eur"

    def enact(self, world: World, value: Any, month: int) -> None:
        world.policy.price_cap_eur = value


class PriceCapByTopic(Lever):
    """Maximum price of one course per topic (0 for a topic: no cap).

    Decree 2026-127 caps RS certifications, skills assessments and light-vehicle licences
    separately.
    """

    key = "price_cap_by_topic_eur"

    def enact(self, world: World, value: Any, month: int) -> None:
        world.policy.price_cap_by_topic_eur = value


class BusinessCreationRestricted(Lever):
    """Business-creation courses limited to serious programmes (decree of April 2022)."""

    key = "business_creation_restricted"

    def enact(self, world: World, value: Any, month: int) -> None:
        world.policy.business_creation_restricted = value
        if self.switched_on(month):
            regulator.restrict_business_creation(world, month)


class RegistrationChecks(Lever):
    """Organisations are checked before listing (from Oct 2022), then all re-checked (Oct 2023)."""

    key = "registration_checks"

    def enact(self, world: World, value: Any, month: int) -> None:
        world.policy.registration_checks = value
        if value == "all" and (month == 0 or self.values[month - 1] != "all"):
            regulator.recheck_registrations(world, month)


class DrivingLicenceRule(Lever):
    """Which driving licences the CPF funds; it moves the weight of licence needs."""

    key = "driving_licence_rule"

    def enact(self, world: World, value: Any, month: int) -> None:
        world.policy.driving_licence_rule = value


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
        RegistrationChecks,
        DrivingLicenceRule,
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

    def apply(self, world: World, month: int) -> None:
        """Put every lever's value for `month` into force."""
        for lever in self.levers:
            lever.apply(world, month)

    def change_months(self) -> dict[str, list[int]]:
        """For each lever that changes during the run, the months it changes."""
        return {lever.key: lever.change_months() for lever in self.levers if lever.change_months()}
