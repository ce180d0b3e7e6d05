"""What a comparison says, in the report's own numbers and words (`sim.tooling.compare`).

The two-sided ledger: what the reform prevents (fraud loss, fraudulent enrolments, harm of
hard selling) against what it costs legitimate use (honest and useful enrolments, distinct
persons deterred), each with its paired 95% interval, a plain sign and a reading; who pays by
holder status; one summary sentence; fan charts with the reform's dates marked; the report's
files (HTML brief, CSV and XLSX tables) for download.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure

from sim.outcomes import OUTCOMES
from sim.tooling import compare_sections as sections
from sim.tooling.compare import Comparison, write_report
from sim.tooling.compare_plots import fan_chart
from sim.tooling.compare_words import amount, change_text, sentence

# Outcome -> (words when it falls, words when it rises): the ledger's plain reading.
PREVENTS = {
    "fraud_loss_eur": ("fraud prevented", "fraud added"),
    "fraud_enrolments": ("fraudulent enrolments prevented", "fraudulent enrolments added"),
    "hard_selling_harm_eur": ("hard-selling harm prevented", "hard-selling harm added"),
}
COSTS = {
    "legit_enrolments": ("honest enrolments lost", "honest enrolments gained"),
    "useful_enrolments": ("useful enrolments lost", "useful enrolments gained"),
    "deterred_persons": ("fewer persons deterred", "more persons deterred (each counted once)"),
}
FAN_CHOICES = ("fraud_loss_eur", "useful_enrolments", "deterred_persons", "legit_enrolments")


def _row(effects: pd.DataFrame, scenario: str, name: str, words: tuple[str, str]) -> list[str]:
    found = effects[(effects["scenario"] == scenario) & (effects["outcome"] == name)]
    o = OUTCOMES[name]
    if found.empty:
        return [o.label, "n/a", "n/a", "n/a", ""]
    r = found.iloc[0]
    diff = float(r["difference"])
    said = words[0] if diff < 0 else words[1]
    plain = f"{said}: {amount(o, abs(diff), sign=False)}" if diff else "no change"
    interval = (
        f"{amount(o, r['ci_low'])} to {amount(o, r['ci_high'])}"
        if math.isfinite(r["ci_low"])
        else "n/a (one seed)"
    )
    change = change_text(o, diff, float(r["baseline"]))
    return [o.label, plain, change, interval, str(r["reads"])]


def _table(rows: list[list[str]]) -> str:
    head = "| outcome | in words | change | 95% interval | reads |\n|---|---|---|---|---|\n"
    return head + "\n".join("| " + " | ".join(row) + " |" for row in rows) + "\n"


def ledger_markdown(c: Comparison, scenario: str) -> str:
    """The two sides of the ledger, then who pays by holder status (markdown)."""
    prevents = [_row(c.effects, scenario, n, w) for n, w in PREVENTS.items()]
    costs = [_row(c.effects, scenario, n, w) for n, w in COSTS.items()]
    text = (
        f"**What it prevents** ({scenario} minus {c.baseline}, {c.window})\n\n"
        + _table(prevents)
        + "\n**What it costs legitimate use**\n\n"
        + _table(costs)
        + "\n"
    )
    who_pays = sections.who_pays_section(c.effects, [scenario])[2:]  # below its own title
    return text + "\n**Who pays, by holder status**\n\n" + "\n".join(who_pays)


def summary_sentence(c: Comparison, scenario: str) -> str:
    """One sentence: the scenario's main changes against the baseline (the report's brief)."""
    names = sections.BRIEF + sections.BRIEF_STATUS
    shown = c.effects[c.effects["outcome"].isin(names)]
    order = {name: i for i, name in enumerate(names)}
    shown = shown.sort_values("outcome", key=lambda s: s.map(order), kind="stable")
    return sentence(shown, scenario, c.baseline, c.window, sections.BRIEF_NAMES)


def fan_figure(
    c: Comparison, series: str, scenario: str, marks: Mapping[str, list[str]] | None = None
) -> Figure:
    """Fan chart of `series`: the scenario against the baseline over the window.

    `marks`: lever -> months to mark on the scenario's panel (default: its own lever changes).
    """
    runs = c.runs
    if marks is not None:
        runs = runs.assign(
            lever_changes=[
                json.dumps(dict(marks)) if s == scenario else json.dumps({})
                for s in runs["scenario"]
            ]
        )
    return fan_chart(runs, c.metrics, series, c.baseline, [c.baseline, scenario])


def png_bytes(figure: Figure) -> bytes:
    """The figure as PNG (the report's resolution)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, dpi=110, format="png")
    return buffer.getvalue()


def report_files(folder: Path, c: Comparison, start: str | None, stop: str | None) -> Path:
    """Write the comparison's report into `folder` (HTML brief, CSV, XLSX, figures) once.

    A folder with a monthly table is reported over the window; a folder that holds only a
    report (the committed reference results) is returned as it is.
    """
    marker = folder / "report_window.txt"
    wanted = f"{c.baseline} {start or ''} {stop or ''}"
    if c.metrics.empty and (folder / "report.html").exists():
        return folder
    if not (marker.exists() and marker.read_text() == wanted):
        write_report(folder, c.baseline, start, stop)
        marker.write_text(wanted)
    return folder
