"""Scenario discovery: the boxes of assumptions under which a conclusion flips (PRIM).

For each lever effect, two questions are put to the design's worlds: in which does the lever
prevent no fraud, and in which does it cost more useful enrolments than the fraudulent
enrolments it prevents. PRIM (the `prim` package, Friedman and Fisher's patient rule induction)
peels the space of uncertainties down to a box where the answer is mostly yes: its limits on the
parameters it restricts, its coverage (share of all such worlds inside the box) and density
(share of the box's worlds that are such). A question answered yes in no world or in every
world has no box.

With a few dozen worlds and over a hundred uncertainties, PRIM finds a perfect box on pure
noise (measured: density 1, coverage 1 for random answers over 24 worlds x 140 parameters). So
PRIM may restrict only the `SCREENED` parameters whose values differ most between the yes and no
worlds (Mann-Whitney), and each box carries `p_chance`: the share of random relabellings of the
worlds (as many yes) under which the same procedure finds a box at least as dense and covering.
A box with p_chance above 0.05 is what chance alone would give.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from sim.tooling.sensitivity.robust import lever_effects

MIN_CASES = 3  # fewer worlds of interest than this: PRIM would fit noise
THRESHOLD = 0.5  # the box's density must exceed this
SCREENED = 4  # parameters PRIM may restrict
PERMUTATIONS = 49  # random relabellings behind p_chance (resolution 0.02)

Question = Callable[[dict[str, pd.Series]], pd.Series]
QUESTIONS: dict[str, Question] = {
    "prevents no fraud": lambda c: c["fraud_prevented_eur"] <= 0,
    "costs more useful enrolments than fraudulent ones it prevents": lambda c: (
        c["useful_enrolments_lost"] > c["fraud_enrolments_prevented"]
    ),
}
BOX_COLUMNS = (
    "effect",
    "question",
    "worlds",
    "cases",
    "coverage",
    "density",
    "p_chance",
    "parameter",
    "low",
    "high",
)


def prim_boxes(values: pd.DataFrame, matrix: pd.DataFrame) -> pd.DataFrame:
    """One row per (effect, question, restricted parameter) of the first PRIM box.

    Args:
        values: points x parameters, the worlds' values in natural units.
        matrix: points x outputs (`point_outputs` pivoted), same points.
    """
    rows = []
    rng = np.random.default_rng(0)
    for effect, conclusions in lever_effects(matrix).items():
        for question, ask in QUESTIONS.items():
            if not all(
                k in conclusions
                for k in (
                    "fraud_prevented_eur",
                    "useful_enrolments_lost",
                    "fraud_enrolments_prevented",
                )
            ):
                continue
            answer = ask(conclusions).dropna()
            x = values.loc[answer.index].reset_index(drop=True)
            y = answer.to_numpy(dtype=bool)
            head: dict[str, Any] = {
                "effect": effect,
                "question": question,
                "worlds": len(y),
                "cases": int(y.sum()),
            }
            if y.sum() < MIN_CASES or y.all():
                rows.append(
                    {
                        **head,
                        "coverage": np.nan,
                        "density": np.nan,
                        "p_chance": np.nan,
                        "parameter": "",
                        "low": np.nan,
                        "high": np.nan,
                    }
                )
                continue
            box = first_box(x, y)
            head["coverage"], head["density"] = float(box.coverage), float(box.density)
            head["p_chance"] = p_chance(x, y, box, rng)
            limits = box.limits
            for parameter in limits.index:
                rows.append(
                    {
                        **head,
                        "parameter": str(parameter),
                        "low": float(limits.loc[parameter, "min"]),
                        "high": float(limits.loc[parameter, "max"]),
                    }
                )
            if limits.empty:
                rows.append(
                    {
                        **head,
                        "parameter": "(whole space)",
                        "low": np.nan,
                        "high": np.nan,
                    }
                )
    return pd.DataFrame(rows, columns=list(BOX_COLUMNS))


def screened(x: pd.DataFrame, y: np.ndarray) -> list[str]:
    """The `SCREENED` parameters whose values differ most between yes and no worlds."""
    from scipy.stats import mannwhitneyu

    varied = [c for c in x.columns if x[c].nunique() > 1]
    values = x[varied].to_numpy(dtype=float)
    p = mannwhitneyu(values[y], values[~y], axis=0).pvalue
    return [varied[i] for i in np.argsort(p, kind="stable")[:SCREENED]]


def first_box(x: pd.DataFrame, y: np.ndarray) -> Any:
    """PRIM's first box over the screened parameters."""
    import prim

    return prim.Prim(x[screened(x, y)], y, threshold=THRESHOLD, threshold_type=">").find_box()


def p_chance(x: pd.DataFrame, y: np.ndarray, box: Any, rng: np.random.Generator) -> float:
    """Share of random relabellings under which `first_box` is at least as dense and covering."""
    hits = 0
    for _ in range(PERMUTATIONS):
        other = first_box(x, rng.permutation(y))
        hits += other.density >= box.density and other.coverage >= box.coverage
    return (hits + 1) / (PERMUTATIONS + 1)
