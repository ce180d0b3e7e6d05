"""The text summary of one run printed by `cpf-sim`: a table per year and the run totals.

Column titles, units and formats come from the outcome registry (`sim.outcomes.OUTCOMES`);
years are aggregated by `sim.outcomes.yearly` (flows summed, stocks at the year's last month).
"""

from __future__ import annotations

import pandas as pd

from sim.outcomes import OUTCOMES, yearly
from sim.results import Results

# The columns of the yearly table, in order.
YEARLY_COLUMNS = (
    "enrolments",
    "legit_enrolments",
    "fraud_enrolments",
    "useful_enrolments",
    "spend_eur",
    "fraud_loss_eur",
    "fraud_detected_eur",
    "deterred_holders",
    "useful_enrolments_self_employed",
    "mean_trust",
    "organisations_active",
)


def yearly_table(results: Results) -> pd.DataFrame:
    """Yearly flows (national equivalents) and end-of-year stocks, formatted for printing."""
    metrics = results.metrics
    start_year = int(str(metrics["month"].iloc[0])[:4])
    series = {name: metrics[name].to_numpy() for name in YEARLY_COLUMNS}
    table = pd.DataFrame()
    for name in YEARLY_COLUMNS:
        outcome = OUTCOMES[name]
        values = yearly(series, name, start_year=start_year)
        table[outcome.short] = [outcome.shown(v) for v in values.values()]
        table.index = pd.Index([str(year) for year in values], name="year")
    return table


# The run totals printed under the table, in order.
TOTALS = (
    "enrolments",
    "fraud_enrolments",
    "useful_enrolments",
    "spend_eur",
    "fraud_loss_eur",
    "fraud_detected_eur",
    "recovered_eur",
    "deterred_holders",
    "mean_trust",
)


def summary_text(results: Results) -> str:
    """The table printed at the end of a run."""
    s = results.summary
    totals = "; ".join(f"{OUTCOMES[name].label} {OUTCOMES[name].shown(s[name])}" for name in TOTALS)
    lines = [
        f"cpf-sim {s['version']}: scenario '{s['label']}', seed {s['seed']}, "
        f"{s['holders']:,} holders scaled x{s['scale']:.1f} to national, {s['start']}..{s['end']}",
        "",
        yearly_table(results).to_string(),
        "",
        f"Totals (national equivalents; trust: the last month): {totals}.",
    ]
    return "\n".join(lines)
