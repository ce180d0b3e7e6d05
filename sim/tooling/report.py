"""A readable text summary of one run: a table per year and the run totals."""

from __future__ import annotations

import pandas as pd

from sim.results import Results

# (column title, series, divisor, format)
YEARLY = (
    ("entries", "enrolments", 1e3, "{:,.0f}k"),
    ("honest", "legit_enrolments", 1e3, "{:,.0f}k"),
    ("fraud", "fraud_enrolments", 1e3, "{:,.0f}k"),
    ("useful", "useful_enrolments", 1e3, "{:,.0f}k"),
    ("spend", "spend_eur", 1e9, "{:,.2f}bn"),
    ("fraud loss", "fraud_loss_eur", 1e6, "{:,.0f}M"),
    ("detected", "fraud_detected_eur", 1e6, "{:,.0f}M"),
    ("deterred", "deterred_holders", 1e3, "{:,.0f}k"),
    ("self-emp. useful", "useful_enrolments_self_employed", 1e3, "{:,.1f}k"),
)


def yearly_table(results: Results) -> pd.DataFrame:
    """Yearly flows (national equivalents) and end-of-year trust and organisations."""
    m = results.metrics.copy()
    m["year"] = m["month"].str[:4]
    flows = m.groupby("year")[[series for _, series, _, _ in YEARLY]].sum()
    table = pd.DataFrame(index=flows.index)
    for title, series, divisor, fmt in YEARLY:
        table[title] = [fmt.format(v / divisor) for v in flows[series]]
    last = m.groupby("year").last()
    table["trust"] = [f"{v:.2f}" for v in last["mean_trust"]]
    table["organisations"] = [f"{v:,.0f}" for v in last["organisations_active"]]
    return table


def summary_text(results: Results) -> str:
    """The table printed at the end of a run."""
    s = results.summary
    money = (
        f"public spend EUR {s['spend_eur'] / 1e9:.2f} bn; "
        f"fraud loss EUR {s['fraud_loss_eur'] / 1e6:.0f} M "
        f"(detected EUR {s['fraud_detected_eur'] / 1e6:.0f} M, "
        f"recovered EUR {s['recovered_eur'] / 1e6:.0f} M)"
    )
    lines = [
        f"cpf-sim {s['version']}: scenario '{s['label']}', seed {s['seed']}, "
        f"{s['holders']:,} holders scaled x{s['scale']:.1f} to national, {s['start']}..{s['end']}",
        "",
        yearly_table(results).to_string(),
        "",
        f"Totals: {s['enrolments'] / 1e6:.2f} M entries, of which fraudulent "
        f"{s['fraud_enrolments'] / 1e6:.2f} M; useful {s['useful_enrolments'] / 1e6:.2f} M; "
        f"{money}; deterred honest holders {s['deterred_holders'] / 1e6:.2f} M; "
        f"final trust {s['mean_trust']:.2f}.",
    ]
    return "\n".join(lines)
