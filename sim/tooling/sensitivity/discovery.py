"""Scenario discovery: the boxes of assumptions under which a conclusion flips (PRIM).

For each lever effect, two questions are put to the design's worlds: in which does the lever
prevent no fraud, and in which does it cost more useful enrolments than the fraudulent
enrolments it prevents. PRIM (the `prim` package, Friedman and Fisher's patient rule induction)
peels the space of uncertainties down to a box where the answer is mostly yes: its limits on the
parameters it restricts, its coverage (share of all such worlds inside the box) and density
(share of the box's worlds that are such). A question answered yes in no world or in every
world has no box.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from sim.tooling.sensitivity.robust import lever_effects

MIN_CASES = 3  # fewer worlds of interest than this: PRIM would fit noise
THRESHOLD = 0.5  # the box's density must exceed this

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
    import prim

    rows = []
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
            x = values.loc[answer.index]
            y = answer.to_numpy(dtype=bool)
            head = {"effect": effect, "question": question, "worlds": len(y), "cases": int(y.sum())}
            if y.sum() < MIN_CASES or y.all():
                rows.append(
                    {
                        **head,
                        "coverage": np.nan,
                        "density": np.nan,
                        "parameter": "",
                        "low": np.nan,
                        "high": np.nan,
                    }
                )
                continue
            box = prim.Prim(
                x.reset_index(drop=True), y, threshold=THRESHOLD, threshold_type=">"
            ).find_box()
            limits = box.limits
            for parameter in limits.index:
                rows.append(
                    {
                        **head,
                        "coverage": float(box.coverage),
                        "density": float(box.density),
                        "parameter": str(parameter),
                        "low": float(limits.loc[parameter, "min"]),
                        "high": float(limits.loc[parameter, "max"]),
                    }
                )
            if limits.empty:
                rows.append(
                    {
                        **head,
                        "coverage": float(box.coverage),
                        "density": float(box.density),
                        "parameter": "(whole space)",
                        "low": np.nan,
                        "high": np.nan,
                    }
                )
    return pd.DataFrame(rows, columns=list(BOX_COLUMNS))
