"""Regulators (CDC, DGCCRF, France compétences): certification, audits, delisting, fines.

Audit capacity is finite: audits requested by the audit rate and by reports are scaled down to
the capacity. A delisted organisation loses its catalogue, part of its recent fraudulent
payments is clawed back, and the fraud network behind a shell is sanctioned.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import NDArray

from sim.agents.organisations import GENERALIST, QUALITY, Organisation
from sim.core.domain import BUSINESS_CREATION

if TYPE_CHECKING:
    from sim.model import CPFModel

RESTRICTED_GENERALIST_SHARE = (
    0.3  # assumption: generalist business-creation offers removed, Apr 2022
)
CAUGHT_CANVASSER_DELISTED = 0.5  # assumption: share of caught canvassers also delisted by CDC


class Regulator:
    """Certifies, audits and sanctions organisations on behalf of the state."""

    def __init__(self, model: CPFModel) -> None:
        self.model = model
        self.reports: dict[int, float] = {}

    def note_reports(self, offers: NDArray[np.intp], month: int) -> None:
        """Reports or alerts about the organisations selling `offers` (national counts)."""
        if offers.size == 0:
            return
        orgs, counts = np.unique(self.model.offers.organisation[offers], return_counts=True)
        for org, count in zip(orgs.tolist(), counts.tolist(), strict=True):
            self.reports[org] = self.reports.get(org, 0.0) + count * self.model.scale

    def certify(self, org: Organisation) -> int:
        """Qualiopi certification of each member of a cohort; returns how many passed.

        The pass rate depends on the strategy. A cohort with at least one member through is
        certified; the caller decides what happens to the members who failed.
        """
        rng = self.model.streams.get("regulator", self.model.month, salt=org.unique_id)
        members = max(1, round(org.weight))
        passed = int(rng.binomial(members, self.model.params.market.qualiopi_pass[org.strategy]))
        org.qualiopi = passed > 0
        return passed

    def require_qualiopi(self, month: int) -> None:
        """Qualiopi becomes compulsory: uncertified organisations certify or are delisted."""
        for org in self.model.listed_organisations():
            if org.qualiopi:
                continue
            members = max(1, round(org.weight))
            self.remove_members(org, members - self.certify(org), recover=False)

    def restrict_business_creation(self, month: int) -> None:
        """Withdraw business-creation offers of opportunists and shells, and some generalists'."""
        model = self.model
        rng = model.streams.get("regulator", month)
        offers = model.offers
        for org in model.listed_organisations():
            ids = org.offers[offers.topic[org.offers] == BUSINESS_CREATION]
            if org.strategy == QUALITY or ids.size == 0:
                continue
            if org.strategy == GENERALIST and rng.random() >= RESTRICTED_GENERALIST_SHARE:
                continue
            offers.active[ids] = False

    def audit(self, month: int) -> None:
        """Run this month's audits, by rate and by reports, within capacity; delist what is found.

        Each real organisation of a cohort is audited and found at fault independently, so a
        cohort loses members one by one rather than all at once.
        """
        model = self.model
        plat = model.params.platform
        orgs = model.listed_organisations()
        self.reports, reports = {}, self.reports
        if not orgs:
            return
        rate = model.policy.audit_rate / 12.0
        report_push = np.array(
            [1 - np.exp(-plat.reports_to_audit * reports.get(o.unique_id, 0.0)) for o in orgs]
        )
        requested = np.minimum(1.0, rate + report_push)
        members = np.array([max(1, round(o.weight)) for o in orgs])
        demand = float((requested * members).sum())
        if demand <= 0:
            return
        probability = requested * min(1.0, plat.audit_capacity_per_month / demand)
        rng = model.streams.get("regulator", month)
        audited = rng.binomial(members, probability)
        detection = np.array([plat.audit_detection[o.strategy] for o in orgs])
        found = rng.binomial(audited, detection)
        model.recorder.add("audits", month, float(audited.sum()) / model.scale)
        cost = float(audited.sum()) * plat.audit_cost_eur
        model.recorder.add("audit_cost_eur", month, cost / model.scale)
        for org, n in zip(orgs, found.tolist(), strict=True):
            if n:
                self.remove_members(org, n, recover=True)

    def enforce_canvassing_ban(self, enforcement: float, month: int) -> None:
        """Catch last month's canvassers: fines; CDC also delists some; networks are sanctioned."""
        model = self.model
        rng = model.streams.get("regulator", month, salt=1)
        fine = model.params.platform.canvassing_fine_eur
        for org in model.listed_organisations():
            if org.canvassing <= 0:
                continue
            caught = int(rng.binomial(max(1, round(org.weight)), enforcement))
            if not caught:
                continue
            if org.network is not None:
                network = model.network_by_id[org.network]
                network.pay_fine(fine * caught)
                network.sanctioned = True
            else:
                org.costs += fine * caught
            self.remove_members(
                org, int(rng.binomial(caught, CAUGHT_CANVASSER_DELISTED)), recover=True
            )

    def remove_members(self, org: Organisation, n: int, recover: bool) -> None:
        """Delist `n` real organisations of a cohort (all of them: the agent is delisted)."""
        if n <= 0:
            return
        if n >= round(org.weight):
            self.delist(org, recover)
            return
        share = n / org.weight
        org.weight -= n
        self.model.recorder.add("organisations_delisted", self.model.month, n / self.model.scale)
        self._claw_back(org, share, recover)

    def delist(self, org: Organisation, recover: bool) -> None:
        """Remove an organisation; claw back part of its recent fraudulent payments."""
        model = self.model
        org.delist()
        model.recorder.add("organisations_delisted", model.month, org.weight / model.scale)
        self._claw_back(org, 1.0, recover)
        if org.network is not None and org.network in model.network_by_id:
            model.network_by_id[org.network].sanctioned = True

    def _claw_back(self, org: Organisation, share: float, recover: bool) -> None:
        """Recover part of the delisted members' share of recent fraudulent payments."""
        fraud_paid = org.fraud_paid.sum(axis=0) * share
        org.fraud_paid *= 1.0 - share
        if recover and fraud_paid.sum() > 0:
            model = self.model
            model.recover(fraud_paid * model.params.platform.clawback_share)
            model.recorder.add("fraud_detected_eur", model.month, float(fraud_paid.sum()))
