"""The regulators (CDC, DGCCRF, France compétences): certify, audit and sanction organisations.

Few and rich in rules, they act on the organisation agents on behalf of the state; their only
state, the reports received since the last audit, is kept in the world. Each real organisation
of a cohort is certified, audited and found at fault on its own, so delisting is not lumpy.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.core.domain import BUSINESS_CREATION, GENERALIST, QUALITY
from sim.state import ledger
from sim.state.actors import OrganisationLike
from sim.state.world import World

RESTRICTED_GENERALIST_SHARE = 0.3  # assumption: generalist business-creation offers removed
CAUGHT_CANVASSER_DELISTED = 0.5  # assumption: share of caught canvassers also delisted by CDC


def certify(world: World, org: OrganisationLike) -> int:
    """Qualiopi certification of each member of a cohort; returns how many passed.

    The pass rate depends on the strategy. A cohort with at least one member through is
    certified; the caller decides what happens to the members who failed.
    """
    rng = world.streams.get("regulator", world.month, salt=org.unique_id)
    members = max(1, round(org.weight))
    passed = int(rng.binomial(members, world.params.market.qualiopi_pass[org.strategy]))
    org.qualiopi = passed > 0
    return passed


def admit(world: World, org: OrganisationLike) -> None:
    """Qualiopi and the registration check, where in force, for a new organisation.

    Members who fail never enter (the cohort shrinks); a cohort none of whose members pass is
    delisted before it sells anything.
    """
    members = max(1, round(org.weight))
    passed = members
    if world.policy.qualiopi_required:
        passed = certify(world, org)
    if passed and world.policy.registration_checks != "none":
        passed = check_registration(world, org, passed)
    if passed == 0:
        org.delist()
    elif passed < members:
        org.weight = float(passed)


def check_registration(world: World, org: OrganisationLike, members: int) -> int:
    """Registration check of `members` organisations of a cohort; returns how many passed."""
    rng = world.streams.get("registration", world.month, salt=org.unique_id)
    return int(rng.binomial(members, world.params.market.registration_pass[org.strategy]))


def recheck_registrations(world: World, month: int) -> None:
    """Every listed organisation is checked once; members who fail are delisted."""
    for org in world.listed_organisations():
        members = max(1, round(org.weight))
        failed = members - check_registration(world, org, members)
        remove_members(world, org, failed, recover=False)


def require_qualiopi(world: World, month: int) -> None:
    """Qualiopi becomes compulsory: uncertified organisations certify or are delisted."""
    for org in world.listed_organisations():
        if org.qualiopi:
            continue
        members = max(1, round(org.weight))
        remove_members(world, org, members - certify(world, org), recover=False)


def restrict_business_creation(world: World, month: int) -> None:
    """Withdraw business-creation offers of opportunists and shells, and some generalists'."""
    rng = world.streams.get("regulator", month, salt=2)
    offers = world.offers
    for org in world.listed_organisations():
        ids = org.offers[offers.topic[org.offers] == BUSINESS_CREATION]
        if org.strategy == QUALITY or ids.size == 0:
            continue
        if org.strategy == GENERALIST and rng.random() >= RESTRICTED_GENERALIST_SHARE:
            continue
        offers.active[ids] = False


def audit(world: World, month: int) -> None:
    """Run this month's audits, reported organisations first, within capacity; delist findings.

    Audits of reported organisations come first (the regulators act on holders' reports) and
    routine audits, at `audit_rate`, share the capacity left, so routine audits never crowd out
    the reported ones. Each real organisation of a cohort is audited and found at fault
    independently, so a cohort loses members one by one rather than all at once.
    """
    plat = world.params.platform
    orgs = world.listed_organisations()
    world.reports, reports = {}, world.reports
    if not orgs:
        return
    rate = world.policy.audit_rate / 12.0
    members = np.array([max(1, round(o.weight)) for o in orgs])
    # Reports name one real organisation: a cohort's reports are shared among its members.
    reported = np.array([reports.get(o.unique_id, 0.0) for o in orgs]) / members
    report_push, unheard = report_pressure(reported, plat.reports_to_audit)
    world.reports = {
        o.unique_id: float(left * n)
        for o, left, n in zip(orgs, unheard, members, strict=True)
        if left > 0
    }
    probability = audit_probability(members, report_push, rate, plat.audit_capacity_per_month)
    if not probability.any():
        return
    rng = world.streams.get("regulator", month)
    audited = rng.binomial(members, probability)
    detection = np.array([plat.audit_detection[o.strategy] for o in orgs])
    found = rng.binomial(audited, detection)
    world.recorder.add("audits", month, float(audited.sum()) / world.scale)
    cost = float(audited.sum()) * plat.audit_cost_eur
    world.recorder.add("audit_cost_eur", month, cost / world.scale)
    for org, n in zip(orgs, found.tolist(), strict=True):
        if n:
            remove_members(world, org, n, recover=True)


def report_pressure(
    reported: NDArray[np.float64], reports_to_audit: float
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Audit chance that each member's reports call for, and the reports left for next month.

    Each report adds `reports_to_audit` to the chance of an audit, linearly, so the audits
    asked for are proportional to the reports whether they arrive one by one or, in a small
    sample, in lumps of `scale` national reports (a concave push made a 20,000-holder run audit
    shells a third less than a 1,000,000-holder one). Reports beyond what one audit answers stay
    on file for the next month's round.
    """
    asked = reports_to_audit * reported
    unheard = np.zeros_like(reported)
    over = asked > 1.0
    unheard[over] = reported[over] - 1.0 / reports_to_audit
    return np.minimum(asked, 1.0), unheard


def audit_probability(
    members: NDArray[np.int64], report_push: NDArray[np.float64], rate: float, capacity: float
) -> NDArray[np.float64]:
    """Chance that each real organisation of each cohort is audited this month.

    Reported organisations are audited first (`report_push`, scaled down only if they alone
    exceed `capacity`); routine audits at `rate` share what capacity is left.
    """
    by_report = report_push * _served(capacity, float((report_push * members).sum()))
    left = capacity - float((by_report * members).sum())
    routine = min(1.0, rate) * (1 - by_report)
    return by_report + routine * _served(left, float((routine * members).sum()))


def _served(capacity: float, demand: float) -> float:
    """Share of the audits asked for that `capacity` can run (all of them if it suffices)."""
    return min(1.0, max(0.0, capacity) / demand) if demand > 0 else 0.0


def enforce_canvassing_ban(world: World, enforcement: float, month: int) -> None:
    """Catch last month's canvassers: fines; CDC also delists some; networks are sanctioned."""
    rng = world.streams.get("regulator", month, salt=1)
    fine = world.params.platform.canvassing_fine_eur
    for org in world.listed_organisations():
        if org.canvassing <= 0:
            continue
        # Every network behind a shell canvasses; a share `canvassing` of a cohort's members do.
        members = max(1, round(org.weight))
        calling = 1.0 if org.network is not None else min(1.0, org.canvassing)
        caught = int(rng.binomial(members, calling * enforcement))
        if not caught:
            continue
        if org.network is not None:
            network = world.network_by_id[org.network]
            network.pay_fine(fine * caught)
            network.sanctioned += caught
        else:
            org.costs += fine * caught
        remove_members(
            world, org, int(rng.binomial(caught, CAUGHT_CANVASSER_DELISTED)), recover=True
        )


def remove_members(world: World, org: OrganisationLike, n: int, recover: bool) -> None:
    """Delist `n` real organisations of a cohort (all of them: the agent is delisted)."""
    if n <= 0:
        return
    if n >= round(org.weight):
        delist(world, org, recover)
        return
    share = n / org.weight
    org.weight -= n
    world.recorder.add("organisations_delisted", world.month, n / world.scale)
    _claw_back(world, org, share, recover)
    _sanction_network(world, org, n)


def delist(world: World, org: OrganisationLike, recover: bool) -> None:
    """Remove an organisation; claw back part of its recent fraudulent payments."""
    org.delist()
    world.recorder.add("organisations_delisted", world.month, org.weight / world.scale)
    _claw_back(world, org, 1.0, recover)
    _sanction_network(world, org, org.weight)


def _claw_back(world: World, org: OrganisationLike, share: float, recover: bool) -> None:
    """Recover part of the delisted members' share of recent fraudulent payments."""
    fraud_paid = org.fraud_paid.sum(axis=0) * share
    org.fraud_paid *= 1.0 - share
    if recover and fraud_paid.sum() > 0:
        ledger.recover(world, fraud_paid * world.params.platform.clawback_share)
        world.recorder.add("fraud_detected_eur", world.month, float(fraud_paid.sum()))


def _sanction_network(world: World, org: OrganisationLike, shells: float) -> None:
    """The networks whose shells are delisted count as sanctioned."""
    if org.network is not None and org.network in world.network_by_id:
        world.network_by_id[org.network].sanctioned += shells
