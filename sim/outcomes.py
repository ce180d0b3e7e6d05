"""The outcome registry: every outcome's name, label, unit, kind and which way is better.

The names are the public interface of DOMAIN.md §4. Flows are monthly amounts recorded in
simulated units and scaled once, at the end, to national equivalents; stocks are recorded as
they stand each month. Derived series (fraud enrolments, value for money) are computed once from
the recorded ones. The tuples below fix the recorder's columns and their order; `OUTCOMES` says,
for each name, what a table, a report, a plot or the docs need to show it (one place: nothing
else restates a label, a unit or "which way is better"). `yearly` is the one yearly aggregation.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

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


# ---------------------------------------------------------------------------------------------
# The registry

Kind = Literal["flow", "stock", "ratio"]
Better = Literal["higher", "lower", "neutral"]


@dataclass(frozen=True)
class Outcome:
    """One outcome: what it measures and how to show it.

    Attributes:
        name: the series / run-total name (a column of metrics.parquet and runs.parquet).
        label: what it is, in words ("fraudulent enrolments").
        short: a column title for compact tables ("fraud").
        unit: the unit of the recorded values ("enrolments", "EUR", "0-1", ...).
        kind: "flow" (a monthly amount: summed over a period), "stock" (a level: read at the
            period's last month) or "ratio" (`numerator / denominator x factor` of two flows).
        scaled: the value is scaled from simulated to national units.
        better: which way a policy wants it to move ("neutral": neither, e.g. spend).
        divisor: shown as value / divisor ...
        display_unit: ... in this unit ("k", "EUR M", "EUR bn"; "" for plain numbers).
        digits: decimals shown.
    """

    name: str
    label: str
    short: str
    unit: str
    kind: Kind
    scaled: bool
    better: Better
    divisor: float = 1.0
    display_unit: str = ""
    digits: int = 0

    def shown(self, value: float) -> str:
        """`value` in display units with its compact suffix, e.g. '314k', '2.20bn', '31M'."""
        suffix = self.display_unit.removeprefix("EUR ") if self.divisor != 1 else ""
        return f"{value / self.divisor:,.{self.digits}f}{suffix}"

    @property
    def title(self) -> str:
        """The label with its display unit, e.g. 'fraud loss (EUR M)'."""
        return f"{self.label} ({self.display_unit})" if self.display_unit else self.label


# How a unit is shown: (divisor, display unit, digits).
_COUNT = (1e3, "k", 0)
_EUR_M = (1e6, "EUR M", 0)
_EUR_BN = (1e9, "EUR bn", 2)
_PLAIN = (1.0, "", 0)
_INDEX = (1.0, "", 2)
_EUR = (1.0, "EUR", 0)

# name: (label, short, unit, better, display)
_REGISTRY: dict[str, tuple[str, str, str, Better, tuple[float, str, int]]] = {
    "enrolments": ("enrolments", "entries", "enrolments", "neutral", _COUNT),
    "legit_enrolments": ("honest enrolments", "honest", "enrolments", "higher", _COUNT),
    "pressured_enrolments": ("pressured sign-ups", "pressured", "enrolments", "lower", _COUNT),
    "takeover_enrolments": ("account takeovers", "takeover", "enrolments", "lower", _COUNT),
    "ghost_enrolments": ("ghost training", "ghost", "enrolments", "lower", _COUNT),
    "useful_enrolments": ("useful enrolments", "useful", "enrolments", "higher", _COUNT),
    "remote_enrolments": ("fully-remote enrolments", "remote", "enrolments", "neutral", _COUNT),
    "enrolments_below_bac": (
        "enrolments of holders with at most CAP/BEP",
        "below bac",
        "enrolments",
        "neutral",
        _COUNT,
    ),
    "enrolments_driving_licence": (
        "driving-licence enrolments",
        "driving",
        "enrolments",
        "neutral",
        _COUNT,
    ),
    "completions": ("courses completed", "completed", "courses", "neutral", _COUNT),
    "abandonments": ("courses abandoned", "abandoned", "courses", "lower", _COUNT),
    "searches": ("searches", "searches", "searches", "neutral", _COUNT),
    "spend_eur": ("public spend", "spend", "EUR", "neutral", _EUR_BN),
    "legit_spend_eur": (
        "public spend on honest enrolments",
        "honest spend",
        "EUR",
        "neutral",
        _EUR_BN,
    ),
    "payments_eur": ("payments to organisations", "payments", "EUR", "neutral", _EUR_BN),
    "fraud_loss_eur": ("fraud loss", "fraud loss", "EUR", "lower", _EUR_M),
    "fraud_loss_takeover_eur": (
        "fraud loss, account takeovers",
        "takeover loss",
        "EUR",
        "lower",
        _EUR_M,
    ),
    "fraud_loss_pressured_eur": (
        "fraud loss, pressured sign-ups",
        "pressured loss",
        "EUR",
        "lower",
        _EUR_M,
    ),
    "fraud_loss_ghost_eur": ("fraud loss, ghost training", "ghost loss", "EUR", "lower", _EUR_M),
    "fraud_detected_eur": ("fraud detected at delisting", "detected", "EUR", "neutral", _EUR_M),
    "recovered_eur": ("money recovered", "recovered", "EUR", "higher", _EUR_M),
    "copayment_eur": ("copayments paid by holders", "copayment", "EUR", "neutral", _EUR_M),
    "out_of_pocket_eur": (
        "paid out of pocket by holders",
        "out of pocket",
        "EUR",
        "neutral",
        _EUR_M,
    ),
    "overpricing_eur": ("overpricing", "overpricing", "EUR", "lower", _EUR_M),
    "fraud_attempts": ("fraud attempts at checkout", "attempts", "dossiers", "neutral", _COUNT),
    "fraud_blocked": ("fraud blocked at checkout", "blocked", "dossiers", "neutral", _COUNT),
    "phishing_victims": ("phishing victims", "phished", "holders", "lower", _COUNT),
    "reports": ("reports received", "reports", "reports", "neutral", _COUNT),
    "deterred_holders": ("deterred honest holders", "deterred", "holders", "lower", _COUNT),
    "deterred_friction": ("deterred by identity friction", "friction", "holders", "lower", _COUNT),
    "deterred_copayment": (
        "deterred by the copayment",
        "copay deterred",
        "holders",
        "lower",
        _COUNT,
    ),
    "no_offer_found": ("searches with no suitable offer", "no offer", "holders", "lower", _COUNT),
    "skill_gain": ("skill gain", "skill gain", "skill units", "higher", _COUNT),
    "audits": ("audits", "audits", "audits", "neutral", _PLAIN),
    "audit_cost_eur": ("audit cost", "audit cost", "EUR", "neutral", _EUR_M),
    "organisations_delisted": (
        "organisations delisted",
        "delisted",
        "organisations",
        "neutral",
        _PLAIN,
    ),
    "organisations_entered": (
        "organisations entered",
        "entered",
        "organisations",
        "neutral",
        _PLAIN,
    ),
    "organisations_exited": ("organisations exited", "exited", "organisations", "neutral", _PLAIN),
    "credited_eur": ("rights credited", "credited", "EUR", "neutral", _EUR_BN),
    "debited_eur": ("rights spent", "debited", "EUR", "neutral", _EUR_BN),
    "escrow_refunded_eur": ("escrow refunded", "refunded", "EUR", "neutral", _EUR_M),
    "restored_eur": ("rights restored to victims", "restored", "EUR", "neutral", _EUR_M),
    "expired_eur": ("rights expired", "expired", "EUR", "neutral", _EUR_BN),
    "mean_trust": ("mean trust in the CPF (0-1)", "trust", "0-1", "higher", _INDEX),
    "mean_balance_eur": ("mean balance", "balance", "EUR", "neutral", _EUR),
    "balances_eur": ("balances", "balances", "EUR", "neutral", _EUR_BN),
    "escrow_eur": ("money in escrow", "escrow", "EUR", "neutral", _EUR_M),
    "aware_share": ("share of holders aware of the CPF", "aware", "share", "neutral", _INDEX),
    "compromised_accounts": ("compromised accounts", "compromised", "accounts", "lower", _COUNT),
    "organisations_active": (
        "organisations listed",
        "organisations",
        "organisations",
        "neutral",
        _PLAIN,
    ),
    "fraud_networks_active": ("fraud networks active", "networks", "networks", "lower", _PLAIN),
    "mean_price_eur": ("mean course price", "price", "EUR", "neutral", _EUR),
    "mean_network_experience": (
        "mean fraud-network experience",
        "experience",
        "0-1",
        "neutral",
        _INDEX,
    ),
    "fraud_enrolments": ("fraudulent enrolments", "fraud", "enrolments", "lower", _COUNT),
    "value_for_money": (
        "skill gain per EUR 1,000 of public money",
        "value for money",
        "skill units per EUR 1,000",
        "higher",
        _INDEX,
    ),
    "mean_trust_min": ("lowest monthly trust (0-1)", "lowest trust", "0-1", "higher", _INDEX),
}
STATUS_LABELS = {
    "employee": "employees",
    "job_seeker": "job seekers",
    "self_employed": "self-employed",
}
_STATUS_SHORT = {"employee": "empl.", "job_seeker": "j.s.", "self_employed": "self-emp."}
# value_for_money = skill_gain / spend_eur x 1000, over any period.
RATIOS: dict[str, tuple[str, str, float]] = {"value_for_money": ("skill_gain", "spend_eur", 1000.0)}


def _build() -> dict[str, Outcome]:
    entries = dict(_REGISTRY)
    for name in STATUS_SPLIT:
        label, short, unit, better, _ = _REGISTRY[name]
        for status in STATUSES:
            entries[f"{name}_{status}"] = (
                f"{label}, {STATUS_LABELS[status]}",
                f"{_STATUS_SHORT[status]} {short}",
                unit,
                better,
                (1e3, "k", 1),
            )
    for strategy in STRATEGIES:
        entries[f"organisations_active_{strategy}"] = (
            f"organisations listed, {strategy}",
            strategy,
            "organisations",
            "lower" if strategy == "shell" else "neutral",
            _PLAIN,
        )
    registry = {}
    for name, (label, short, unit, better, (divisor, display_unit, digits)) in entries.items():
        kind: Kind = "ratio" if name in RATIOS else "flow" if name in FLOWS + DERIVED else "stock"
        scaled = name in FLOWS + SCALED_STOCKS + ("fraud_enrolments",)
        registry[name] = Outcome(
            name, label, short, unit, kind, scaled, better, divisor, display_unit, digits
        )
    return registry


OUTCOMES: dict[str, Outcome] = _build()


def outcome(name: str) -> Outcome:
    """The registry entry of `name`; KeyError names the unknown outcome."""
    try:
        return OUTCOMES[name]
    except KeyError:
        raise KeyError(f"{name!r} is not an outcome of sim/outcomes.py") from None


# ---------------------------------------------------------------------------------------------
# Yearly aggregation


def yearly(
    series: Mapping[str, ArrayLike], name: str, per: str | None = None, start_year: int = 2019
) -> dict[int, float]:
    """The value of `name` in each calendar year the monthly series cover.

    Flows are summed over the year's months, stocks read at its last month, ratios (e.g.
    `value_for_money`) taken as the ratio of the yearly sums; with `per`, the result is the
    ratio of the yearly sums of two flows (e.g. `spend_eur` per `enrolments`; 0 where the
    denominator is 0). A year cut short by the run's end aggregates the months it has.

    Args:
        series: monthly values from January of `start_year` (e.g. `Recorder.finalise()`, or a
            metrics table's columns).
        name: the outcome.
        per: a flow to divide by, year by year.
        start_year: the calendar year of the first month.
    """

    def total(key: str, lo: int, hi: int) -> float:
        values = np.asarray(series[key], dtype=float)
        if outcome(key).kind == "stock":
            return float(values[hi - 1])
        if key in RATIOS:
            top, bottom, factor = RATIOS[key]
            return _ratio(total(top, lo, hi), total(bottom, lo, hi)) * factor
        return float(values[lo:hi].sum())

    months = len(np.asarray(series[name]))
    out = {}
    for lo in range(0, months, 12):
        hi = min(lo + 12, months)
        value = total(name, lo, hi)
        out[start_year + lo // 12] = value if per is None else _ratio(value, total(per, lo, hi))
    return out


def _ratio(top: float, bottom: float) -> float:
    return top / bottom if bottom > 0 else 0.0
