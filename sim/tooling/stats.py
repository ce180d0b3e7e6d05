"""Statistics of a sweep's runs: means with confidence intervals and paired differences.

Runs with the same seed share their random draws (common random numbers), so a case's
difference from the baseline is taken seed by seed (`paired_differences`). Inputs are the
`runs` table of `sim.tooling.tables.load_sweep`; its `scenario` column names each run's case.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy import stats as st

from sim.tooling.tables import distinct_text


class CompareError(ValueError):
    """A sweep folder or baseline that cannot be compared."""


def mean_ci(values: ArrayLike, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and `level` confidence interval of the mean (t distribution).

    One value has no interval: its bounds are NaN (shown as n/a), never a zero-width interval
    that would pass for certainty.
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size == 0:
        return math.nan, math.nan, math.nan
    mean = float(x.mean())
    if x.size == 1:
        return mean, math.nan, math.nan
    half = float(st.t.ppf(0.5 + level / 2, x.size - 1) * x.std(ddof=1) / math.sqrt(x.size))
    return mean, mean - half, mean + half


def paired_test(diffs: ArrayLike) -> tuple[float, float, float, float]:
    """Mean paired difference, its 95% CI and the two-sided p-value of a paired t-test.

    A difference that is the same for every seed has no spread: its p-value is 0 if it is not
    zero and 1 if it is (scipy would return NaN with a warning).
    """
    x = np.asarray(diffs, dtype=float)
    mean, lo, hi = mean_ci(x)
    if x.size < 2:
        return mean, lo, hi, math.nan
    sd = float(x.std(ddof=1))
    if sd == 0.0 or not math.isfinite(sd):
        return mean, lo, hi, 0.0 if mean != 0 else 1.0
    t = mean / (sd / math.sqrt(x.size))
    return mean, lo, hi, float(2 * st.t.sf(abs(t), x.size - 1))


def complete_runs(runs: pd.DataFrame) -> pd.DataFrame:
    """Keep the runs that finished (status 'ok')."""
    return runs[runs["status"] == "ok"].copy()


def scenario_order(runs: pd.DataFrame) -> list[str]:
    """Cases (the `scenario` column) in sweep order."""
    return list(dict.fromkeys(runs["scenario"]))


def choose_baseline(runs: pd.DataFrame, wanted: str | None) -> str:
    """Pick the baseline case.

    `wanted` (a case, or the value of the swept parameter that names one), else 'none' if
    present, else the first case of the sweep.
    """
    scenarios = scenario_order(runs)
    if wanted is None:
        return "none" if "none" in scenarios else scenarios[0]
    if wanted in scenarios:
        return wanted
    matches = [s for s in scenarios if wanted in [part.split("=", 1)[-1] for part in s.split(", ")]]
    if len(matches) == 1:
        return matches[0]
    raise CompareError(
        f"baseline {wanted!r} is not a scenario of this sweep; scenarios: {', '.join(scenarios)}"
    )


def scenario_stats(runs: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """One row per case: seeds, and mean / CI low / CI high of each outcome column."""
    rows = []
    for scenario, group in complete_runs(runs).groupby("scenario", sort=False):
        row: dict[str, object] = {"scenario": scenario, "seeds": len(group)}
        for column in columns:
            mean, lo, hi = mean_ci(group[column])
            row.update({f"{column}_mean": mean, f"{column}_lo": lo, f"{column}_hi": hi})
        rows.append(row)
    return pd.DataFrame(rows)


DIFF_COLUMNS = (
    "scenario",
    "outcome",
    "pairs",
    "mean",
    "lo",
    "hi",
    "p_value",
    "sd_paired",
    "sd_unpaired",
)


def paired_differences(runs: pd.DataFrame, baseline: str, columns: Sequence[str]) -> pd.DataFrame:
    """Case minus baseline, seed by seed: one row per (case, outcome).

    Columns: scenario, outcome, pairs, mean, lo, hi, p_value, sd_paired (spread of the paired
    differences) and sd_unpaired (the spread the difference of two independent runs would have:
    the gain from common random numbers is their ratio).
    """
    done = complete_runs(runs)
    base = done[done["scenario"] == baseline].set_index("seed")
    rows = []
    for scenario, group in done.groupby("scenario", sort=False):
        if scenario == baseline:
            continue
        pairs = group.set_index("seed")[list(columns)].join(
            base[list(columns)].add_suffix("__base"), how="inner"
        )
        for column in columns:
            diffs = (pairs[column] - pairs[f"{column}__base"]).to_numpy(dtype=float)
            mean, lo, hi, p = paired_test(diffs)
            unpaired = (
                math.sqrt(group[column].var(ddof=1) + base[column].var(ddof=1))
                if len(pairs) > 1
                else math.nan
            )
            rows.append(
                {
                    "scenario": scenario,
                    "outcome": column,
                    "pairs": len(diffs),
                    "mean": mean,
                    "lo": lo,
                    "hi": hi,
                    "p_value": p,
                    "sd_paired": float(np.std(diffs, ddof=1)) if len(diffs) > 1 else math.nan,
                    "sd_unpaired": unpaired,
                }
            )
    return pd.DataFrame(rows, columns=list(DIFF_COLUMNS))


def swept_parameters(runs: pd.DataFrame) -> list[str]:
    """Overridden parameters (columns before 'seed') that take more than one value."""
    columns = list(runs.columns)
    params = columns[columns.index("scenario") + 1 : columns.index("seed")]
    return [p for p in params if runs[p].map(distinct_text).nunique() > 1]
