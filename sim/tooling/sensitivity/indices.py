"""Sensitivity indices of each output over a design, by SALib, with bootstrap intervals.

- Morris (`morris_indices`): mu* (mean absolute elementary effect per unit of the plausible
  range), its 95% bootstrap interval, mu and sigma (spread: interactions or non-linearity);
- Sobol (`sobol_indices`): first-order S1 and total-order ST with 95% bootstrap intervals.

An output that is the same at every point (no lever effect before the lever starts) has indices
of zero, without calling SALib (whose estimators divide by the variance); one that varies but is
the same on Sobol's base points (too small a design) has none. An output with a missing point
(a failed run) has none: a Morris trajectory or a Saltelli block is then
incomplete, and the report says which.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

RESAMPLES = 1000
LEVEL = 0.95
MORRIS_COLUMNS = ("output", "factor", "mu_star", "mu_star_lo", "mu_star_hi", "mu", "sigma")
SOBOL_COLUMNS = ("output", "factor", "S1", "S1_lo", "S1_hi", "ST", "ST_lo", "ST_hi")


def _usable(y: NDArray[np.float64]) -> str | None:
    """Why an output cannot be analysed ('missing points' or 'constant'), or None."""
    if not np.all(np.isfinite(y)):
        return "missing points"
    if float(np.var(y)) == 0.0:
        return "constant"
    return None


def factor_names(problem: Mapping[str, Any]) -> list[str]:
    """The factors SALib reports: the groups, in order, or the parameters."""
    groups = problem.get("groups")
    return list(dict.fromkeys(groups)) if groups else list(problem["names"])


def morris_indices(
    problem: Mapping[str, Any],
    unit: NDArray[np.float64],
    outputs: pd.DataFrame,
    levels: int,
    seed: int = 0,
) -> pd.DataFrame:
    """Morris indices of every output column (points x outputs, in design order)."""
    from SALib.analyze import morris

    rows = []
    factors = factor_names(problem)
    for output in outputs.columns:
        y = outputs[output].to_numpy(dtype=float)
        why = _usable(y)
        if why is not None:
            value = 0.0 if why == "constant" else math.nan
            rows += [(output, f, value, value, value, value, value) for f in factors]
            continue
        res = morris.analyze(
            dict(problem),
            unit,
            y,
            num_resamples=RESAMPLES,
            conf_level=LEVEL,
            num_levels=levels,
            seed=seed,
        )
        for i, factor in enumerate(factors):
            mu_star, half = float(res["mu_star"][i]), float(res["mu_star_conf"][i])
            rows.append(
                (
                    output,
                    factor,
                    mu_star,
                    max(mu_star - half, 0.0),
                    mu_star + half,
                    float(res["mu"][i]),
                    float(res["sigma"][i]),
                )
            )
    return pd.DataFrame(rows, columns=list(MORRIS_COLUMNS))


def sobol_indices(problem: Mapping[str, Any], outputs: pd.DataFrame, seed: int = 0) -> pd.DataFrame:
    """First- and total-order Sobol indices of every output column (Saltelli order)."""
    from SALib.analyze import sobol

    rows = []
    factors = factor_names(problem)
    step = len(factors) + 2  # Saltelli blocks: A, the AB_i, B
    for output in outputs.columns:
        y = outputs[output].to_numpy(dtype=float)
        why = _usable(y)
        if why is None and float(np.var(np.r_[y[0::step], y[step - 1 :: step]])) == 0.0:
            why = "constant on the base points"  # too few points to estimate: no index
        if why is not None:
            value = 0.0 if why == "constant" else math.nan
            rows += [(output, f, *([value] * 6)) for f in factors]
            continue
        res = sobol.analyze(
            dict(problem),
            y,
            calc_second_order=False,
            num_resamples=RESAMPLES,
            conf_level=LEVEL,
            seed=seed,
        )
        for i, factor in enumerate(factors):
            s1, s1h = float(res["S1"][i]), float(res["S1_conf"][i])
            st, sth = float(res["ST"][i]), float(res["ST_conf"][i])
            rows.append((output, factor, s1, s1 - s1h, s1 + s1h, st, st - sth, st + sth))
    return pd.DataFrame(rows, columns=list(SOBOL_COLUMNS))


def sobol_consistency(indices: pd.DataFrame) -> str:
    """Do the indices sum sensibly? First order within total order, first orders summing to 1.

    Both hold for exact indices; with few base points the estimates break them by chance, and
    the intervals say whether a break is more than that.
    """
    known = indices.dropna(subset=["S1", "ST"])
    if known.empty:
        return "no index was estimated"
    within = int((known["S1_lo"] <= known["ST_hi"]).sum())
    sums = known.groupby("output")["S1_lo"].sum()
    over = int((sums > 1.0).sum())
    return (
        f"first order within total order (S1 lower bound <= ST upper bound) for {within} of "
        f"{len(known)} (output, factor) pairs; the first orders' lower bounds sum above 1 for "
        f"{over} of {len(sums)} outputs"
    )


def ranking(indices: pd.DataFrame, method: str) -> pd.DataFrame:
    """Factors ranked for each output by mu* (Morris) or ST (Sobol), with the rank."""
    score = "mu_star" if method == "morris" else "ST"
    ranked = indices.dropna(subset=[score]).sort_values(["output", score], ascending=[True, False])
    ranked = ranked.assign(rank=ranked.groupby("output").cumcount() + 1)
    return ranked[["output", "factor", score, "rank"]]


def top_factors(indices: pd.DataFrame, method: str, outputs: list[str], count: int) -> list[str]:
    """The `count` factors that matter most over the given outputs (best rank, then mean rank).

    Ranks, not raw indices, are compared across outputs: outputs have different units.
    """
    if method not in ("morris", "sobol"):
        return []  # no indices: an LHS or a plausible set
    ranked = ranking(indices, method)
    ranked = ranked[ranked["output"].isin(outputs)]
    if ranked.empty:
        return []
    summary = ranked.groupby("factor")["rank"].agg(["min", "mean"]).sort_values(["min", "mean"])
    return [str(f) for f in summary.index[:count]]
