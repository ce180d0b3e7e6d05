"""How each outcome is shown: its label, short title, unit, which way is better, display scale.

Data only, read by the outcome registry in sim/outcomes.py (split off to keep both short).
"""

from __future__ import annotations

from typing import Literal

Better = Literal["higher", "lower", "neutral"]

# How a unit is shown: (divisor, display unit, digits).
COUNT = (1e3, "k", 0)
EUR_M = (1e6, "EUR M", 0)
EUR_BN = (1e9, "EUR bn", 2)
PLAIN = (1.0, "", 0)
INDEX = (1.0, "", 2)
EUR = (1.0, "EUR", 0)

# name: (label, short, unit, better, display)
REGISTRY: dict[str, tuple[str, str, str, Better, tuple[float, str, int]]] = {
    "enrolments": ("enrolments", "entries", "enrolments", "neutral", COUNT),
    "legit_enrolments": ("honest enrolments", "honest", "enrolments", "higher", COUNT),
    "pressured_enrolments": ("pressured sign-ups", "pressured", "enrolments", "lower", COUNT),
    "takeover_enrolments": ("account takeovers", "takeover", "enrolments", "lower", COUNT),
    "ghost_enrolments": ("ghost training", "ghost", "enrolments", "lower", COUNT),
    "useful_enrolments": ("useful enrolments", "useful", "enrolments", "higher", COUNT),
    "remote_enrolments": ("fully-remote enrolments", "remote", "enrolments", "neutral", COUNT),
    "enrolments_below_bac": (
        "enrolments of holders with at most CAP/BEP",
        "below bac",
        "enrolments",
        "neutral",
        COUNT,
    ),
    "enrolments_driving_licence": (
        "driving-licence enrolments",
        "driving",
        "enrolments",
        "neutral",
        COUNT,
    ),
    "completions": ("courses completed", "completed", "courses", "neutral", COUNT),
    "abandonments": ("courses abandoned", "abandoned", "courses", "lower", COUNT),
    "searches": ("searches", "searches", "searches", "neutral", COUNT),
    "spend_eur": ("public spend", "spend", "EUR", "neutral", EUR_BN),
    "legit_spend_eur": (
        "public spend on honest enrolments",
        "honest spend",
        "EUR",
        "neutral",
        EUR_BN,
    ),
    "payments_eur": ("payments to organisations", "payments", "EUR", "neutral", EUR_BN),
    "fraud_loss_eur": ("fraud loss", "fraud loss", "EUR", "lower", EUR_M),
    "fraud_loss_takeover_eur": (
        "fraud loss, account takeovers",
        "takeover loss",
        "EUR",
        "lower",
        EUR_M,
    ),
    "fraud_loss_pressured_eur": (
        "fraud loss, pressured sign-ups",
        "pressured loss",
        "EUR",
        "lower",
        EUR_M,
    ),
    "fraud_loss_ghost_eur": ("fraud loss, ghost training", "ghost loss", "EUR", "lower", EUR_M),
    "fraud_detected_eur": ("fraud detected at delisting", "detected", "EUR", "neutral", EUR_M),
    "recovered_eur": ("money recovered", "recovered", "EUR", "higher", EUR_M),
    "copayment_eur": ("copayments paid by holders", "copayment", "EUR", "neutral", EUR_M),
    "out_of_pocket_eur": (
        "paid out of pocket by holders",
        "out of pocket",
        "EUR",
        "neutral",
        EUR_M,
    ),
    "overpricing_eur": ("overpricing", "overpricing", "EUR", "lower", EUR_M),
    "fraud_attempts": ("fraud attempts at checkout", "attempts", "dossiers", "neutral", COUNT),
    "fraud_blocked": ("fraud blocked at checkout", "blocked", "dossiers", "neutral", COUNT),
    "phishing_victims": ("phishing victims", "phished", "holders", "lower", COUNT),
    "reports": ("reports received", "reports", "reports", "neutral", COUNT),
    "deterred_holders": ("deterred honest holders", "deterred", "holders", "lower", COUNT),
    "deterred_friction": ("deterred by identity friction", "friction", "holders", "lower", COUNT),
    "deterred_copayment": (
        "deterred by the copayment",
        "copay deterred",
        "holders",
        "lower",
        COUNT,
    ),
    "no_offer_found": ("searches with no suitable offer", "no offer", "holders", "lower", COUNT),
    "skill_gain": ("skill gain", "skill gain", "skill units", "higher", COUNT),
    "audits": ("audits", "audits", "audits", "neutral", PLAIN),
    "audit_cost_eur": ("audit cost", "audit cost", "EUR", "neutral", EUR_M),
    "organisations_delisted": (
        "organisations delisted",
        "delisted",
        "organisations",
        "neutral",
        PLAIN,
    ),
    "organisations_entered": (
        "organisations entered",
        "entered",
        "organisations",
        "neutral",
        PLAIN,
    ),
    "organisations_exited": ("organisations exited", "exited", "organisations", "neutral", PLAIN),
    "credited_eur": ("rights credited", "credited", "EUR", "neutral", EUR_BN),
    "debited_eur": ("rights spent", "debited", "EUR", "neutral", EUR_BN),
    "escrow_refunded_eur": ("escrow refunded", "refunded", "EUR", "neutral", EUR_M),
    "restored_eur": ("rights restored to victims", "restored", "EUR", "neutral", EUR_M),
    "expired_eur": ("rights expired", "expired", "EUR", "neutral", EUR_BN),
    "mean_trust": ("mean trust in the CPF (0-1)", "trust", "0-1", "higher", INDEX),
    "mean_balance_eur": ("mean balance", "balance", "EUR", "neutral", EUR),
    "balances_eur": ("balances", "balances", "EUR", "neutral", EUR_BN),
    "escrow_eur": ("money in escrow", "escrow", "EUR", "neutral", EUR_M),
    "aware_share": ("share of holders aware of the CPF", "aware", "share", "neutral", INDEX),
    "compromised_accounts": ("compromised accounts", "compromised", "accounts", "lower", COUNT),
    "organisations_active": (
        "organisations listed",
        "organisations",
        "organisations",
        "neutral",
        PLAIN,
    ),
    "fraud_networks_active": ("fraud networks active", "networks", "networks", "lower", PLAIN),
    "mean_price_eur": ("mean course price", "price", "EUR", "neutral", EUR),
    "mean_network_experience": (
        "mean fraud-network experience",
        "experience",
        "0-1",
        "neutral",
        INDEX,
    ),
    "fraud_enrolments": ("fraudulent enrolments", "fraud", "enrolments", "lower", COUNT),
    "value_for_money": (
        "skill gain per EUR 1,000 of public money",
        "value for money",
        "skill units per EUR 1,000",
        "higher",
        INDEX,
    ),
    "mean_trust_min": ("lowest monthly trust (0-1)", "lowest trust", "0-1", "higher", INDEX),
    "deterred_persons": (
        "honest holders deterred for the first time (persons)",
        "deterred persons",
        "holders",
        "lower",
        COUNT,
    ),
    "new_users": (
        "holders starting their first course (distinct users)",
        "new users",
        "holders",
        "neutral",
        COUNT,
    ),
    "turned_away": (
        "searchers turned away by full courses",
        "turned away",
        "holders",
        "lower",
        COUNT,
    ),
    "identities_obtained": (
        "digital identities obtained at checkout (FranceConnect or FranceConnect+)",
        "identities",
        "holders",
        "neutral",
        COUNT,
    ),
    "used_learning": (
        "trainees who used what they learned",
        "used",
        "trainees",
        "higher",
        COUNT,
    ),
    "canvassing_calls": (
        "canvassing calls (organisations and networks)",
        "calls",
        "calls",
        "neutral",
        COUNT,
    ),
    "hard_selling_enrolments": (
        "hard-selling sign-ups by legal organisations",
        "hard selling",
        "enrolments",
        "lower",
        COUNT,
    ),
    "pressured_network_enrolments": (
        "pressured sign-ups by fraud networks",
        "network pressured",
        "enrolments",
        "lower",
        COUNT,
    ),
    "hard_selling_spend_eur": (
        "public spend on hard-selling sign-ups",
        "hard-selling spend",
        "EUR",
        "lower",
        EUR_M,
    ),
    "hard_selling_harm_eur": (
        "harm of hard selling to holders (overpayment and wasted rights)",
        "hard-selling harm",
        "EUR",
        "lower",
        EUR_M,
    ),
}
STATUS_LABELS = {
    "employee": "employees",
    "job_seeker": "job seekers",
    "self_employed": "self-employed",
}
STATUS_SHORT = {"employee": "empl.", "job_seeker": "j.s.", "self_employed": "self-emp."}
