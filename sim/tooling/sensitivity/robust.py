"""Robust conclusions: how often, over a set of plausible worlds, each lever does what it says.

Each design point is one world (a joint draw of the uncertainties; a history-matched plausible
set when the design was drawn from one). For each lever effect the table gives the share of
worlds in which it prevents fraud, the median and 5-95% range of fraud prevented, honest and
useful enrolments lost and persons deterred, and the holder status that bears most of the
deterred persons; `ranking_stability` gives, for each lever, the share of worlds where it
prevents the most fraud, and its mean rank; `predictions_table` puts the spread of predictions
over worlds (parameter uncertainty) beside their spread over seeds (stochastic uncertainty).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.core.domain import STATUSES

HEADLINE = (
    "fraud_prevented_eur",
    "honest_enrolments_lost",
    "useful_enrolments_lost",
    "persons_deterred",
)


def _split(matrix: pd.DataFrame) -> dict[str, dict[str, pd.Series]]:
    """Effect -> conclusion -> values over points (from 'effect|conclusion' columns)."""
    out: dict[str, dict[str, pd.Series]] = {}
    for column in matrix.columns:
        effect, _, conclusion = str(column).partition("|")
        out.setdefault(effect, {})[conclusion] = matrix[column]
    return out


def lever_effects(matrix: pd.DataFrame) -> dict[str, dict[str, pd.Series]]:
    """Effects with a fraud-prevented conclusion (levels and the loss left out)."""
    return {e: c for e, c in _split(matrix).items() if "fraud_prevented_eur" in c}


def robustness_table(matrix: pd.DataFrame) -> pd.DataFrame:
    """One row per lever effect over the worlds (points x outputs matrix of `point_outputs`)."""
    rows = []
    for effect, conclusions in lever_effects(matrix).items():
        fraud = conclusions["fraud_prevented_eur"].dropna()
        row: dict[str, object] = {"effect": effect, "worlds": len(fraud)}
        row["share_preventing_fraud"] = float((fraud > 0).mean()) if len(fraud) else np.nan
        for conclusion in HEADLINE:
            values = conclusions.get(conclusion, pd.Series(dtype=float)).dropna()
            q = values.quantile([0.05, 0.5, 0.95]) if len(values) else pd.Series([np.nan] * 3)
            row.update(
                {
                    f"{conclusion}_p5": q.iloc[0],
                    f"{conclusion}_median": q.iloc[1],
                    f"{conclusion}_p95": q.iloc[2],
                }
            )
        deterred = {
            s: conclusions.get(f"persons_deterred_{s}", pd.Series(dtype=float)).median()
            for s in STATUSES
        }
        known = {s: v for s, v in deterred.items() if pd.notna(v)}
        row["most_deterred_status"] = (
            max(known, key=lambda s: known[s]) if known and max(known.values()) > 0 else "none"
        )
        rows.append(row)
    return pd.DataFrame(rows)


def ranking_stability(matrix: pd.DataFrame, only_alone: bool = True) -> pd.DataFrame:
    """Share of worlds where each lever prevents the most fraud, and its mean rank (1 = most).

    Only levers alone are ranked against each other by default (the effects within the mix
    answer another question).
    """
    effects = {
        e: c["fraud_prevented_eur"]
        for e, c in lever_effects(matrix).items()
        if not (only_alone and (e.endswith("_in_mix") or e == "historical"))
    }
    if not effects:
        return pd.DataFrame(columns=["effect", "share_top", "mean_rank"])
    frame = pd.DataFrame(effects).dropna()
    ranks = frame.rank(axis=1, ascending=False, method="min")
    return (
        pd.DataFrame(
            {
                "effect": frame.columns,
                "share_top": (ranks == 1).mean().to_numpy(),
                "mean_rank": ranks.mean().to_numpy(),
            }
        )
        .sort_values("mean_rank")
        .reset_index(drop=True)
    )


def predictions_table(outputs: pd.DataFrame, suffix: str) -> pd.DataFrame:
    """Outputs ending in `suffix`: 5-50-95% over worlds, and the median seed standard deviation.

    Args:
        outputs: `point_outputs` (one row per point and output, with `seed_sd`).
        suffix: which outputs are predictions (e.g. '_from_2022_10').
    """
    rows = []
    chosen = outputs[outputs["output"].str.endswith(suffix)]
    for output, group in chosen.groupby("output", sort=False):
        q = group["value"].quantile([0.05, 0.5, 0.95])
        rows.append(
            {
                "output": output,
                "worlds": int(group["value"].notna().sum()),
                "p5": q.iloc[0],
                "median": q.iloc[1],
                "p95": q.iloc[2],
                "seed_sd_median": group["seed_sd"].median(),
            }
        )
    return pd.DataFrame(rows)
