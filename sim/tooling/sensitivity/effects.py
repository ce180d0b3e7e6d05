"""The conclusions a design's indices are computed for: paired lever effects per design point.

At every design point each case ran the same seeds, so a lever's effect there is paired seed
by seed (common random numbers) with `sim.tooling.stats.paired_differences`, as `cpf-compare`
does. Effects, with plain signs (positive is what the words say):

- `<case>`: the case (a lever alone) minus the baseline case (`none`);
- `<lever>_in_mix`: `historical` minus `historical_without_<lever>` (the lever within the mix);

and, for each, the conclusions: fraud prevented (EUR), honest and useful enrolments lost,
distinct persons deterred, useful enrolments lost and persons deterred by status. Beside them
each point's levels in the baseline case and, when the design has a `historical` case, its
calibration loss against the public figures up to September 2022 (`sim.calibration.loss`) and
its predictions: the historical scenario's totals from October 2022 (`sim.tooling.periods`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.calibration.loss import loss, mean_series
from sim.calibration.targets import load_targets
from sim.core.domain import STATUSES
from sim.outcomes import OUTCOMES
from sim.tooling.manifest import SweepError
from sim.tooling.periods import window_totals
from sim.tooling.sensitivity.plan import DESIGN_FILE
from sim.tooling.stats import paired_differences
from sim.tooling.tables import load_sweep

MIX, WITHOUT = "historical", "historical_without_"
# conclusion -> (outcome, sign): the conclusion is sign x (case - baseline)
CONCLUSIONS: dict[str, tuple[str, int]] = {
    "fraud_prevented_eur": ("fraud_loss_eur", -1),
    "honest_enrolments_lost": ("legit_enrolments", -1),
    "useful_enrolments_lost": ("useful_enrolments", -1),
    "persons_deterred": ("deterred_persons", 1),
    "fraud_enrolments_prevented": ("fraud_enrolments", -1),
    **{f"useful_enrolments_lost_{s}": (f"useful_enrolments_{s}", -1) for s in STATUSES},
    **{f"persons_deterred_{s}": (f"deterred_persons_{s}", 1) for s in STATUSES},
}
LEVELS = ("fraud_loss_eur", "legit_enrolments", "useful_enrolments", "deterred_persons")
LOSS = "calibration_loss"
PREDICTED_FROM = "2022-10"  # the first month no public figure of the calibration covers
PREDICTION = "_from_2022_10"


@dataclass(frozen=True)
class DesignRuns:
    """A design's record (design.json) and its runs with their point, case and seed."""

    folder: Path
    record: dict[str, Any]
    runs: pd.DataFrame
    metrics: pd.DataFrame

    @property
    def points(self) -> int:
        """Number of design points."""
        return len(self.record["unit"])


def read_design(folder: str | Path) -> DesignRuns:
    """Read design.json and the sweep's tables (rebuilt if stale).

    Raises:
        SweepError: the folder holds no design.json (not a design's sweep) or no sweep.
    """
    path = Path(folder)
    try:
        record = json.loads((path / DESIGN_FILE).read_text())
    except (OSError, ValueError) as error:
        raise SweepError(
            f"{path} holds no readable {DESIGN_FILE} ({type(error).__name__}): not a design's "
            "sweep (run one with cpf-sim -m +experiment=morris, sobol or lhs)"
        ) from None
    runs, metrics = load_sweep(path)
    jobs = pd.DataFrame(record["jobs"]).rename(columns={"case": "design_case"})
    runs = jobs[["run", "point", "design_case"]].merge(runs, on="run", how="left")
    runs["scenario"] = runs["design_case"]  # the case, for paired_differences
    runs["status"] = runs["status"].fillna("missing")
    return DesignRuns(path, record, runs, metrics)


def effect_pairs(cases: list[str], baseline: str) -> dict[str, tuple[str, str]]:
    """Effect name -> (case, its reference case), by the naming rule of the module docstring."""
    pairs = {}
    for case in cases:
        if case == baseline:
            continue
        if case.startswith(WITHOUT) and MIX in cases:
            pairs[case[len(WITHOUT) :] + "_in_mix"] = (MIX, case)
        else:
            pairs[case] = (case, baseline)
    return pairs


def _columns(runs: pd.DataFrame) -> list[str]:
    wanted = [o for o, _ in CONCLUSIONS.values()] + list(LEVELS)
    return [o for o in dict.fromkeys(wanted) if o in runs]


def point_outputs(data: DesignRuns) -> pd.DataFrame:
    """One row per (point, output): `value` (mean over seeds), `seed_sd`, `seeds`.

    Outputs are '<effect>|<conclusion>', '<baseline>|<outcome>' levels and, with a
    `historical` case, 'historical|calibration_loss'. A point where a run is missing has NaN.
    """
    record, runs = data.record, data.runs
    pairs = effect_pairs(list(record["cases"]), record["baseline"])
    columns = _columns(runs)
    rows: list[dict[str, Any]] = []
    months = data.metrics["month"].astype(str) if "month" in data.metrics else pd.Series([])
    predicted = None
    if MIX in record["cases"] and len(months) and months.max() >= PREDICTED_FROM:
        predicted = window_totals(data.metrics, PREDICTED_FROM, None).set_index("run")
    for key, group in runs.groupby("point", sort=True):
        point = int(key)  # type: ignore[arg-type]
        complete = bool((group["status"] == "ok").all())
        for effect, (case, reference) in pairs.items():
            both = group[group["scenario"].isin([case, reference])]
            diffs = paired_differences(both, reference, columns) if complete else None
            for conclusion, (outcome, sign) in CONCLUSIONS.items():
                row = {"point": point, "output": f"{effect}|{conclusion}"}
                if diffs is None or outcome not in columns:
                    rows.append({**row, "value": math.nan, "seed_sd": math.nan, "seeds": 0})
                    continue
                hit = diffs[diffs["outcome"] == outcome].iloc[0]
                rows.append(
                    {
                        **row,
                        "value": sign * hit["mean"],
                        "seed_sd": hit["sd_paired"],
                        "seeds": hit["pairs"],
                    }
                )
        base = group[group["scenario"] == record["baseline"]]
        for outcome in LEVELS:
            if outcome in base:
                values = base[outcome].to_numpy(dtype=float) if complete else np.array([math.nan])
                rows.append(_level(point, f"{record['baseline']}|{outcome}", values))
        if MIX in record["cases"] and not data.metrics.empty:
            rows.append(_level(point, f"{MIX}|{LOSS}", np.array([_loss(data, group, complete)])))
        if predicted is not None:
            names = group.loc[group["scenario"] == MIX, "run"]
            for outcome in [o for o in LEVELS if o in predicted]:
                values = predicted.loc[names, outcome].to_numpy(dtype=float)
                values = values if complete else np.array([math.nan])
                rows.append(_level(point, f"{MIX}|{outcome}{PREDICTION}", values))
    return pd.DataFrame(rows)


def _level(point: int, output: str, values: np.ndarray) -> dict[str, Any]:
    sd = float(np.std(values, ddof=1)) if values.size > 1 else math.nan
    return {
        "point": point,
        "output": output,
        "value": float(np.mean(values)),
        "seed_sd": sd,
        "seeds": values.size,
    }


def _loss(data: DesignRuns, group: pd.DataFrame, complete: bool) -> float:
    """Calibration loss of the point's historical runs, their series averaged over seeds."""
    if not complete:
        return math.nan
    names = group.loc[group["scenario"] == MIX, "run"]
    monthly = data.metrics[data.metrics["run"].isin(set(names))]
    numeric = [c for c in monthly.columns if c in OUTCOMES]
    series = [
        {c: frame[c].to_numpy(dtype=float) for c in numeric}
        for _, frame in monthly.groupby("run", sort=False)
    ]
    return loss(load_targets(), mean_series(series))[0]


def output_matrix(outputs: pd.DataFrame) -> pd.DataFrame:
    """Points x outputs (values), in point order."""
    return outputs.pivot(index="point", columns="output", values="value").sort_index()


def seed_noise(outputs: pd.DataFrame, target_share: float = 0.05) -> pd.DataFrame:
    """How much of each output's spread over points is seed noise, and the seeds to make it small.

    noise share = mean over points of (seed variance / seeds) over the variance of the point
    values; the seeds needed so that it falls to `target_share` follow from noise ~ 1 / seeds.
    Needs two seeds or more per point (NaN otherwise).
    """
    rows = []
    for output, group in outputs.groupby("output", sort=False):
        seeds = int(group["seeds"].max())
        values = group["value"].dropna().to_numpy(dtype=float)
        sds = group["seed_sd"].dropna().to_numpy(dtype=float)
        spread = float(np.var(values, ddof=1)) if values.size > 1 else math.nan
        noise = float(np.mean(sds**2) / seeds) if seeds > 1 and sds.size else math.nan
        share = noise / spread if spread > 0 and math.isfinite(noise) else math.nan
        needed = (
            max(math.ceil(seeds * share / target_share), 1) if math.isfinite(share) else math.nan
        )
        rows.append(
            {"output": output, "seeds": seeds, "noise_share": share, "seeds_for_5pct": needed}
        )
    return pd.DataFrame(rows)
