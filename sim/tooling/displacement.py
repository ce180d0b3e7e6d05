"""Fraud eliminated or displaced: where a lever's effect on each fraud channel went.

A lever that closes one channel (an identity check against takeovers, say) may push the
networks' effort and losses into the others. For each scenario against the baseline, paired by
seed, the change in fraud loss per channel splits into what fell in the channels that fell and
what rose in the channels that rose; the net fall is fraud eliminated, the rise elsewhere is
fraud displaced. The networks' effort by channel shows the same move in contacts.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from sim.core.domain import CHANNELS
from sim.outcomes import outcome
from sim.tooling.stats import paired_differences

LOSS = tuple(f"fraud_loss_{channel}_eur" for channel in CHANNELS)
EFFORT = tuple(f"network_effort_{channel}" for channel in CHANNELS)


def displacement(runs: pd.DataFrame, baseline: str) -> pd.DataFrame:
    """One row per scenario: mean paired change in loss per channel, eliminated and displaced.

    Columns: scenario, `<channel>` loss changes (EUR), fallen (EUR, the sum of the falls),
    displaced (EUR, the sum of the rises), eliminated (EUR, the net fall: fallen - displaced),
    and `effort_share_<channel>` changes in the networks' share of contacts (points).
    """
    present = [c for c in (*LOSS, *EFFORT) if c in runs.columns]
    if len(present) < len(LOSS) + len(EFFORT):
        return pd.DataFrame()
    shares = runs.copy()
    effort = shares[list(EFFORT)].sum(axis=1).where(lambda total: total > 0)
    share_columns = []
    for channel, column in zip(CHANNELS, EFFORT, strict=True):
        name = f"effort_share_{channel}"
        shares[name] = shares[column] / effort
        share_columns.append(name)
    diffs = paired_differences(shares, baseline, [*LOSS, *share_columns])
    table = diffs.pivot(index="scenario", columns="outcome", values="mean")
    out = pd.DataFrame(index=table.index)
    for channel, column in zip(CHANNELS, LOSS, strict=True):
        out[channel] = table[column]
    changes = out[list(CHANNELS)]
    out["fallen"] = -changes.clip(upper=0).sum(axis=1)
    out["displaced"] = changes.clip(lower=0).sum(axis=1)
    out["eliminated"] = out["fallen"] - out["displaced"]
    for name in share_columns:
        out[name] = 100 * table[name]
    return out.reset_index()


def displacement_section(runs: pd.DataFrame, baseline: str, order: Sequence[str]) -> list[str]:
    """Markdown lines: per scenario, fraud eliminated vs displaced to other channels."""
    table = displacement(runs, baseline)
    if table.empty:
        return []
    table = table.set_index("scenario")
    table = table.reindex([s for s in order if s in table.index])
    loss = outcome("fraud_loss_eur")
    unit, divisor = loss.display_unit, loss.divisor
    lines = [
        "## Fraud eliminated or displaced",
        "",
        f"Mean paired change against `{baseline}` of fraud loss by channel ({unit}; negative: "
        "less fraud), split into the fall in the channels that fell, the rise in the channels "
        "that rose (displaced) and the net fall (eliminated); and the change in the networks' "
        "share of contacts by channel (points).",
        "",
        "| scenario | "
        + " | ".join(f"{c} ({unit})" for c in CHANNELS)
        + " | fallen | displaced | eliminated | "
        + " | ".join(f"{c} effort share" for c in CHANNELS)
        + " |",
        "|---" * (len(CHANNELS) * 2 + 4) + "|",
    ]
    for scenario, row in table.iterrows():
        losses = " | ".join(f"{row[c] / divisor:+,.1f}" for c in CHANNELS)
        shares = " | ".join(f"{row[f'effort_share_{c}']:+.1f}" for c in CHANNELS)
        lines.append(
            f"| {scenario} | {losses} | {row['fallen'] / divisor:,.1f} | "
            f"{row['displaced'] / divisor:,.1f} | {row['eliminated'] / divisor:,.1f} | {shares} |"
        )
    return [*lines, ""]
