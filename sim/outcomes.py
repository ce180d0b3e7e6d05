"""Outcome names (the public interface of DOMAIN.md §4) and how run totals are taken.

Flows are monthly amounts recorded in simulated units and scaled once, at the end, to national
equivalents; stocks are recorded as they stand each month. Derived series (fraud enrolments,
value for money) are computed once from the recorded ones.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.core.domain import STATUSES, STRATEGIES

STATUS_SPLIT = (
    "enrolments",
    "legit_enrolments",
    "useful_enrolments",
    "deterred_holders",
    "no_offer_found",
)

FLOWS: tuple[str, ...] = (
    "enrolments",
    "legit_enrolments",
    "pressured_enrolments",
    "takeover_enrolments",
    "ghost_enrolments",
    "useful_enrolments",
    "remote_enrolments",
    "enrolments_below_bac",
    "enrolments_driving_licence",
    "completions",
    "abandonments",
    "searches",
    "spend_eur",
    "legit_spend_eur",
    "payments_eur",
    "fraud_loss_eur",
    "fraud_loss_takeover_eur",
    "fraud_loss_pressured_eur",
    "fraud_loss_ghost_eur",
    "fraud_detected_eur",
    "recovered_eur",
    "copayment_eur",
    "out_of_pocket_eur",
    "overpricing_eur",
    "fraud_attempts",
    "fraud_blocked",
    "phishing_victims",
    "reports",
    "deterred_holders",
    "deterred_friction",
    "deterred_copayment",
    "no_offer_found",
    "skill_gain",
    "audits",
    "audit_cost_eur",
    "organisations_delisted",
    "organisations_entered",
    "organisations_exited",
    "credited_eur",
    "debited_eur",
    "escrow_refunded_eur",
    "restored_eur",
    "expired_eur",
) + tuple(f"{name}_{status}" for name in STATUS_SPLIT for status in STATUSES)

STOCKS: tuple[str, ...] = (
    "mean_trust",
    "mean_balance_eur",
    "balances_eur",
    "escrow_eur",
    "aware_share",
    "compromised_accounts",
    "organisations_active",
    "fraud_networks_active",
    "mean_price_eur",
    "mean_network_experience",
) + tuple(f"organisations_active_{strategy}" for strategy in STRATEGIES)

DERIVED: tuple[str, ...] = ("fraud_enrolments", "value_for_money")

# Run totals: flows are summed; these stocks are reported at the end of the run.
FINAL_STOCKS: tuple[str, ...] = (
    "mean_trust",
    "organisations_active",
    "fraud_networks_active",
    "compromised_accounts",
) + tuple(f"organisations_active_{strategy}" for strategy in STRATEGIES)

# Stocks counted in simulated holders, scaled like flows.
SCALED_STOCKS: tuple[str, ...] = ("balances_eur", "escrow_eur", "compromised_accounts")


def run_totals(series: dict[str, NDArray[np.float64]]) -> dict[str, float]:
    """Totals over the run: flows summed, selected stocks at the last month."""
    totals = {name: float(series[name].sum()) for name in FLOWS + ("fraud_enrolments",)}
    for name in FINAL_STOCKS:
        totals[name] = float(series[name][-1])
    spend = totals["spend_eur"]
    totals["value_for_money"] = totals["skill_gain"] / spend * 1000 if spend > 0 else 0.0
    totals["mean_trust_min"] = float(series["mean_trust"].min())
    return totals
