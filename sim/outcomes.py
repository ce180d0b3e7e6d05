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
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from sim.core.domain import CHANNELS, STATUSES, STRATEGIES

if TYPE_CHECKING:
    import pandas as pd

from sim.outcome_labels import COUNT, PLAIN, REGISTRY, STATUS_LABELS, STATUS_SHORT, Better

STATUS_SPLIT = (
    "enrolments",
    "legit_enrolments",
    "useful_enrolments",
    "deterred_holders",
    "no_offer_found",
    "deterred_persons",
    "turned_away",
    "new_users",
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
    "deterred_persons",
    "turned_away",
    "new_users",
    "identities_obtained",
    "used_learning",
    "hard_selling_enrolments",
    "pressured_network_enrolments",
    "hard_selling_spend_eur",
    "hard_selling_harm_eur",
    "canvassing_calls",
    *(f"legit_enrolments_{strategy}" for strategy in STRATEGIES),
    *(f"fraud_attempts_{channel}" for channel in CHANNELS),
    *(f"network_effort_{channel}" for channel in CHANNELS),
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


# value_for_money = skill_gain / spend_eur x 1000, over any period.
RATIOS: dict[str, tuple[str, str, float]] = {"value_for_money": ("skill_gain", "spend_eur", 1000.0)}


def _build() -> dict[str, Outcome]:
    entries = dict(REGISTRY)
    for name in STATUS_SPLIT:
        label, short, unit, better, _ = REGISTRY[name]
        for status in STATUSES:
            entries[f"{name}_{status}"] = (
                f"{label}, {STATUS_LABELS[status]}",
                f"{STATUS_SHORT[status]} {short}",
                unit,
                better,
                (1e3, "k", 1),
            )
    for strategy in STRATEGIES:
        entries[f"legit_enrolments_{strategy}"] = (
            f"honest enrolments sold by {strategy} organisations",
            f"honest {strategy}",
            "enrolments",
            "lower" if strategy == "shell" else "neutral",
            COUNT,
        )
    for channel in CHANNELS:
        entries[f"fraud_attempts_{channel}"] = (
            f"fraud attempts at checkout, {channel}",
            f"{channel} attempts",
            "dossiers",
            "neutral",
            COUNT,
        )
        entries[f"network_effort_{channel}"] = (
            f"fraud networks' contacts, {channel}",
            f"{channel} effort",
            "contacts",
            "neutral",
            COUNT,
        )
    for strategy in STRATEGIES:
        entries[f"organisations_active_{strategy}"] = (
            f"organisations listed, {strategy}",
            strategy,
            "organisations",
            "lower" if strategy == "shell" else "neutral",
            PLAIN,
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


def catalogue() -> pd.DataFrame:
    """Every outcome as a table: name (index), label, short title, unit, kind, better, display."""
    import pandas as pd

    rows = [
        {
            "name": o.name,
            "label": o.label,
            "short": o.short,
            "unit": o.unit,
            "kind": o.kind,
            "better": o.better,
            "display_unit": o.display_unit,
        }
        for o in OUTCOMES.values()
    ]
    return pd.DataFrame(rows).set_index("name")


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
