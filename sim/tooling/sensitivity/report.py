"""The sensitivity report of a design's sweep: `sim.sensitivity(folder)` and its written form.

`sensitivity(folder)` reads design.json and the sweep's tables and returns the analysis as
frames (`Sensitivity`): each point's outputs (paired lever effects, levels, calibration loss),
the seed noise, Morris or Sobol indices with bootstrap intervals, the robustness of each
conclusion over the design's worlds, the ranking stability and PRIM boxes. `write_report`
writes it into `<folder>/sensitivity/`: report.md and report.html, the tables as CSV,
screening.json (the factors that matter most, for a Sobol follow-up) and the figures.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.results import atomic_write
from sim.tooling.compare_export import write_html
from sim.tooling.sensitivity import figures
from sim.tooling.sensitivity.discovery import SCREENED, prim_boxes
from sim.tooling.sensitivity.effects import (
    LOSS,
    MIX,
    PREDICTION,
    effect_pairs,
    output_matrix,
    point_outputs,
    read_design,
    seed_noise,
)
from sim.tooling.sensitivity.history import CUTOFF, FOLDS, PlausibleSet, history_match
from sim.tooling.sensitivity.indices import (
    morris_indices,
    ranking,
    sobol_consistency,
    sobol_indices,
    top_factors,
)
from sim.tooling.sensitivity.robust import (
    HEADLINE,
    predictions_table,
    ranking_stability,
    robustness_table,
)

REPORT_DIR = "sensitivity"
SCREENING_FILE = "screening.json"
PLAUSIBLE_FILE = "plausible.json"
TOP = 15  # factors handed on to a Sobol design
# Designs whose worlds spread over the box: PRIM's boxes mean something there (Morris and
# Saltelli points sit on grids and move groups together, so boxes on them are artefacts).
SPREAD = ("lhs", "plausible")


@dataclass(frozen=True)
class Sensitivity:
    """The analysis of one design's sweep (every table a tidy pandas frame)."""

    folder: Path
    method: str
    record: dict
    outputs: pd.DataFrame
    matrix: pd.DataFrame
    noise: pd.DataFrame
    indices: pd.DataFrame
    ranking: pd.DataFrame
    robustness: pd.DataFrame
    stability: pd.DataFrame
    predictions: pd.DataFrame
    boxes: pd.DataFrame
    runs_ok: int
    runs_total: int
    plausible: PlausibleSet | None

    @property
    def effects(self) -> list[str]:
        """The lever effects, in case order."""
        return list(effect_pairs(list(self.record["cases"]), self.record["baseline"]))

    def headline_outputs(self) -> list[str]:
        """'<effect>|<conclusion>' of the headline conclusions, then the calibration loss."""
        out = [f"{e}|{c}" for e in self.effects for c in HEADLINE if f"{e}|{c}" in self.matrix]
        return out + [c for c in self.matrix.columns if str(c).endswith(LOSS)]

    def top_factors(self, count: int = TOP) -> list[str]:
        """The factors that matter most for the headline outputs (for a Sobol design)."""
        return top_factors(self.indices, self.method, self.headline_outputs(), count)


def sensitivity(folder: str | Path) -> Sensitivity:
    """Analyse a design's sweep folder (see the module docstring).

    Raises:
        SweepError: the folder is not a design's sweep.
    """
    data = read_design(folder)
    record = data.record
    outputs = point_outputs(data)
    matrix = output_matrix(outputs)
    method = record["method"]
    problem, unit = record["problem"], np.asarray(record["unit"], dtype=float)
    if method == "morris":
        indices = morris_indices(problem, unit, matrix, record["settings"]["levels"])
    elif method == "sobol":
        indices = sobol_indices(problem, matrix)
    else:
        indices = pd.DataFrame(columns=["output", "factor"])
    ranked = ranking(indices, method) if len(indices) else indices
    values = pd.DataFrame(record["values"])
    complete = data.runs[(data.runs["scenario"] == MIX) & (data.runs["status"] == "ok")]
    matched = None
    if method == "lhs" and complete["point"].nunique() >= 2 * FOLDS:
        matched = history_match(data)
    return Sensitivity(
        folder=Path(folder),
        method=method,
        record=record,
        outputs=outputs,
        matrix=matrix,
        noise=seed_noise(outputs),
        indices=indices,
        ranking=ranked,
        robustness=robustness_table(matrix),
        stability=ranking_stability(matrix),
        predictions=predictions_table(outputs, PREDICTION),
        boxes=prim_boxes(values, matrix) if method in SPREAD else pd.DataFrame(),
        runs_ok=int((data.runs["status"] == "ok").sum()),
        runs_total=len(data.runs),
        plausible=matched,
    )


def _table(frame: pd.DataFrame, digits: int = 3) -> str:
    """A markdown table (numbers to `digits` significant figures)."""
    if frame.empty:
        return "(none)\n"
    shown = frame.map(lambda v: f"{v:.{digits}g}" if isinstance(v, float) else str(v))
    lines = ["| " + " | ".join(map(str, shown.columns)) + " |", "|" + "---|" * len(shown.columns)]
    lines += ["| " + " | ".join(row) + " |" for row in shown.astype(str).to_numpy().tolist()]
    return "\n".join(lines) + "\n"


def _deciders(result: Sensitivity) -> pd.DataFrame:
    """The three factors that decide each headline output."""
    score = "mu_star" if result.method == "morris" else "ST"
    rows = []
    for output in result.headline_outputs():
        top = result.ranking[result.ranking["output"] == output].head(3)
        if not (top[score] > 0).any():
            rows.append({"output": output, "#1": "(the same in every world: no factor matters)"})
            continue
        rows.append(
            {
                "output": output,
                **{
                    f"#{i + 1}": f"{f} ({s:.2g})"
                    for i, (f, s) in enumerate(zip(top["factor"], top[score], strict=True))
                },
            }
        )
    return pd.DataFrame(rows).fillna("")


def report_text(result: Sensitivity, figure_names: list[str]) -> str:
    """The report's markdown, showing the named figures (PNG files beside it)."""
    record = result.record
    settings = record["settings"]
    worlds = (
        "history-matched plausible worlds"
        if record.get("plausible")
        else "draws over the declared plausible ranges (not a posterior)"
    )
    lines = [
        f"# Sensitivity of the lever effects: {result.method} design",
        "",
        f"{len(record['unit'])} design points ({worlds}) x {len(record['cases'])} cases x "
        f"{len(record['seeds'])} seeds; {result.runs_ok} of {result.runs_total} runs complete. "
        f"Uncertainties: configs/uncertainties/{record['uncertainties']}.yaml, "
        f"{len(record['problem']['names'])} parameters"
        + (" moved in groups" if settings["groups"] else "")
        + f"; design seed {settings['seed']}. Effects are paired seed by seed (common random "
        f"numbers) against `{record['baseline']}`; '<lever>_in_mix' is the historical mix minus "
        "the mix without that lever. Signs: positive is what the words say (fraud prevented, "
        "enrolments lost, persons deterred).",
        "",
        "## Seeds: is noise passing for sensitivity?",
        "",
        "Noise share = mean over points of (seed variance of the point's paired effect / seeds), "
        "over the variance of the effect across points; seeds for 5% = the seeds per point that "
        "would bring it to 5% (noise falls as 1/seeds). Needs 2 seeds or more per point.",
        "",
        _table(result.noise[result.noise["output"].isin(result.headline_outputs())]),
    ]
    if len(result.indices):
        score = (
            "mu* (Morris, per unit of plausible range)"
            if result.method == "morris"
            else "ST (Sobol total order)"
        )
        lines += [
            "## Which uncertainties decide each conclusion",
            "",
            f"The three largest {score}.",
            "",
            _table(_deciders(result)),
        ]
        shown = result.indices[result.indices["output"].isin(result.headline_outputs())]
        lines += [
            "## Indices of the headline conclusions",
            "",
            "95% bootstrap intervals (SALib, 1,000 resamples)."
            + (f" Check: {sobol_consistency(result.indices)}." if result.method == "sobol" else ""),
            "",
            _table(shown),
        ]
    if result.plausible is not None:
        matched = result.plausible
        lines += [
            "## History matching: the plausible set",
            "",
            f"{matched.share:.1%} of the declared box is not implausible (cutoff {CUTOFF:g}: "
            "emulated log distance to every fitted target of targets.csv, up to September 2022, "
            f"within three standard deviations); {len(matched.unit)} plausible worlds written to "
            f"{PLAUSIBLE_FILE} for a `plausible` design. Emulators' cross-validated R^2:",
            "",
            _table(matched.fits),
        ]
    if len(result.predictions):
        lines += [
            "## Predictions after September 2022 (historical scenario)",
            "",
            "Totals from October 2022 (national equivalents): the 5th, 50th and 95th percentiles "
            "over the worlds (parameter uncertainty) beside the median standard deviation over "
            "seeds within a world (stochastic uncertainty).",
            "",
            _table(result.predictions),
        ]
    lines += [
        "## Robust conclusions",
        "",
        "Over the design's worlds: the share in which each lever prevents fraud, and the 5th, "
        "50th and 95th percentiles of what it prevents and costs (national equivalents over the "
        "run; each world's value is its mean over seeds).",
        "",
        _table(result.robustness),
        "## Ranking stability (levers alone)",
        "",
        _table(result.stability),
        "## Scenario discovery (PRIM)",
        "",
        "The first PRIM box of each question: the parameters it restricts, its coverage (share "
        "of the worlds answering yes that fall in it) and density (share of its worlds "
        "answering yes). Only for LHS and plausible designs: Morris and Saltelli points sit on "
        "grids and move groups together, so boxes found on them would be artefacts. PRIM may "
        f"restrict only the {SCREENED} parameters that differ most between the yes and no worlds "
        "(Mann-Whitney); p_chance is the share of random relabellings of the worlds under which "
        "it finds a box at least as dense and covering: **a box with p_chance above 0.05 is what "
        "chance alone gives** (with few worlds and many uncertainties, most are).",
        "",
        _table(result.boxes),
        "## Figures",
        "",
    ]
    lines += [f"![{name}]({name}.png)" for name in figure_names]
    return "\n".join(lines) + "\n"


def _figures(result: Sensitivity) -> dict[str, Figure]:
    headline = [
        o
        for o in result.headline_outputs()
        if o.endswith("|fraud_prevented_eur") or o.endswith(LOSS)
    ]
    out: dict[str, Figure] = {}
    if result.method == "morris" and len(result.indices):
        out["mu_star_sigma"] = figures.mu_star_sigma(result.indices, headline)
    if result.method == "sobol" and len(result.indices):
        out["sobol_bars"] = figures.sobol_bars(result.indices, headline)
    if result.effects:
        out["effects_over_worlds"] = figures.effects_violins(result.matrix, result.effects)
    return out


def write_report(folder: str | Path) -> Path:
    """Analyse a design's sweep and write the report into `<folder>/sensitivity/`; its path."""
    result = sensitivity(folder)
    out = Path(folder) / REPORT_DIR
    out.mkdir(exist_ok=True)
    drawn = _figures(result)
    for name, figure in drawn.items():
        atomic_write(out / f"{name}.png", partial(figure.savefig, dpi=110, format="png"))
    tables = {
        "outputs": result.outputs,
        "seed_noise": result.noise,
        "indices": result.indices,
        "ranking": result.ranking,
        "robustness": result.robustness,
        "ranking_stability": result.stability,
        "predictions": result.predictions,
        "prim_boxes": result.boxes,
    }
    for name, table in tables.items():
        atomic_write(out / f"{name}.csv", partial(table.to_csv, index=False))
    if result.plausible is not None:
        record = result.plausible.record()
        atomic_write(out / PLAUSIBLE_FILE, lambda p: p.write_text(json.dumps(record, indent=1)))
    screening = {"method": result.method, "top_factors": result.top_factors()}
    atomic_write(out / SCREENING_FILE, lambda p: p.write_text(json.dumps(screening, indent=2)))
    text = report_text(result, list(drawn))
    path = out / "report.md"
    atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))
    write_html(out, text)
    return path
