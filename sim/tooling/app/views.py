"""What the page shows around the controls: what will run, the run, and the answer.

`WhatWillRun` says both worlds and the run size in words before anything runs; `ResultsView`
shows a comparison (a fresh one, or any sweep folder): one summary sentence, the two-sided
ledger by holder status, fan charts with the reform's dates marked, a window selector and the
downloads. Numbers and words are the comparison report's (`sim.tooling.app.ledger`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import solara

from sim.core.calendar import LAST_MONTH, START_YEAR
from sim.core.errors import ConfigError
from sim.outcomes import OUTCOMES
from sim.run_notes import active_levers
from sim.tooling.app.browse import open_folder
from sim.tooling.app.ledger import (
    FAN_CHOICES,
    fan_figure,
    ledger_markdown,
    png_bytes,
    report_files,
    summary_sentence,
)
from sim.tooling.app.links import Setup
from sim.tooling.app.worlds import LEVERS, World, changes_against
from sim.tooling.compare import Comparison, compare_frames
from sim.tooling.stats import CompareError

TRUSTED_SIZE = 100_000  # below, fraud levels drift with the size (volumes agree; ODD 2.8)
YEARS = [str(y) for y in range(START_YEAR, int(LAST_MONTH[:4]) + 1)]


def world_lines(title: str, world: World) -> list[str]:
    """A world in words: its scenario and each lever in force (edited ones marked)."""
    regulation = {name: world.value(name) for name in LEVERS}
    levers = active_levers(regulation)
    for name in world.levers:
        levers[name] = world.words(name)
    edited = " with your changes" if world.levers else ""
    lines = [f"**{title}**: scenario `{world.scenario}`{edited}; levers in force:", ""]
    lines += [
        f"- {name}: {words}" + (" **(changed)**" if name in world.levers else "")
        for name, words in levers.items()
    ]
    return [*lines, ""] if levers else [f"**{title}**: scenario `{world.scenario}`, no lever", ""]


@solara.component
def WhatWillRun(setup: Setup) -> None:
    """Both worlds, what differs between them, and the runs, in words."""
    differs = changes_against(setup.baseline, setup.reform)
    if differs:
        text = [
            "**The reform differs from the baseline in:** "
            + "; ".join(
                f"{k} (from {', '.join(v)})" if v else f"{k} (throughout)"
                for k, v in differs.items()
            )
            + "."
        ]
    else:
        text = ["**The two worlds are the same**: every difference will be zero."]
    text += [
        "",
        f"{setup.seeds} seeds x 2 worlds = {2 * setup.seeds} runs of {setup.holders:,} "
        f"simulated holders, seeds 0-{setup.seeds - 1} shared by both worlds (common random "
        "numbers); runs made before are taken from the cache.",
    ]
    if setup.holders < TRUSTED_SIZE:
        text.append(
            f"\nBelow {TRUSTED_SIZE:,} holders fraud levels drift with the number of holders "
            "simulated (after 2022 a few networks remain and their number drifts): volumes and "
            "honest outcomes hold from 20,000, fraud figures do not; use this size to try things."
        )
    with solara.Column(classes=["what-will-run"], gap="0px"):
        solara.Markdown("### What will run")
        with solara.Columns([1, 1]):
            solara.Markdown("\n".join(world_lines("Baseline", setup.baseline)))
            solara.Markdown("\n".join(world_lines("Reform", setup.reform)))
        solara.Markdown("\n".join(text))


def default_window(marks: Mapping[str, list[str]]) -> tuple[str | None, str | None]:
    """From January of the reform's first date to the end (the whole run if no date)."""
    first = min((m for months in marks.values() for m in months), default=None)
    return (f"{first[:4]}-01", LAST_MONTH) if first else (None, None)


@solara.component
def WindowSelector(
    start: str | None, stop: str | None, on_window: Callable[[str | None, str | None], None]
) -> None:
    """Years the totals cover (e.g. 2025-2026)."""
    first = (start or f"{START_YEAR}-01")[:4]
    last = (stop or LAST_MONTH)[:4]
    with solara.Row(classes=["window"], style={"align-items": "baseline"}):
        solara.Text("Totals over the years")
        solara.Select(
            "from", values=YEARS, value=first, on_value=lambda y: on_window(f"{y}-01", stop)
        )
        solara.Select(
            "to", values=YEARS, value=last, on_value=lambda y: on_window(start, f"{y}-12")
        )


@solara.component
def FanCharts(c: Comparison, scenario: str, marks: Mapping[str, list[str]] | None) -> None:
    """Chosen outcomes month by month: median and 5-95% band over seeds, dates marked."""
    chosen, set_chosen = solara.use_state(list(FAN_CHOICES[:3]))
    solara.SelectMultiple(
        "outcomes drawn", values=chosen, all_values=list(FAN_CHOICES), on_value=set_chosen
    )
    for series in chosen:
        figure = fan_figure(c, series, scenario, marks)
        data = png_bytes(figure)
        plt.close(figure)
        with solara.Column(classes=["figure"], gap="2px"):
            solara.Image(data)
            solara.FileDownload(
                data, filename=f"fan_{series}.png", label=f"PNG: {OUTCOMES[series].label}"
            )


@solara.component
def Downloads(folder: Path, c: Comparison, start: str | None, stop: str | None) -> None:
    """The report's files: HTML brief, XLSX workbook, CSV of the paired differences."""

    def read(name: str) -> Callable[[], bytes]:
        return lambda: (report_files(folder, c, start, stop) / name).read_bytes()

    with solara.Row(classes=["downloads"], style={"flex-wrap": "wrap"}):
        solara.FileDownload(read("report.html"), filename="report.html", label="HTML brief")
        solara.FileDownload(read("tables.xlsx"), filename="tables.xlsx", label="Tables (XLSX)")
        solara.FileDownload(
            read("differences.csv"), filename="differences.csv", label="Differences (CSV)"
        )


def _comparison(
    runs: pd.DataFrame, metrics: pd.DataFrame, baseline: str, start: str | None, stop: str | None
) -> tuple[Comparison | None, str]:
    """The comparison's tables, or None and the one-line reason it cannot be made."""
    try:
        return compare_frames(runs, metrics, baseline, start, stop), ""
    except (CompareError, ConfigError, ValueError) as error:
        return None, str(error).strip().splitlines()[0]


@solara.component
def ResultsView(
    folder: Path,
    baseline: str,
    scenario: str,
    marks: Mapping[str, list[str]] | None,
    start: str | None,
    stop: str | None,
    on_window: Callable[[str | None, str | None], None],
) -> None:
    """A comparison of `scenario` with `baseline` in a sweep folder, over a window."""
    runs, metrics = solara.use_memo(lambda: open_folder(folder), [folder])
    windowed = not metrics.empty
    window = (start, stop) if windowed else (None, None)
    c, error = solara.use_memo(
        lambda: _comparison(runs, metrics, baseline, *window), [folder, baseline, *window]
    )
    if c is None:
        solara.Error(error, classes=["results-error"])
        return
    with solara.Column(classes=["results"]):
        solara.Markdown("### The answer")
        if windowed:
            WindowSelector(start, stop, on_window)
        with solara.Column(classes=["summary"]):
            solara.Markdown(summary_sentence(c, scenario))
        with solara.Column(classes=["ledger"]):
            solara.Markdown(ledger_markdown(c, scenario))
        Downloads(folder, c, start, stop)
        if windowed:
            FanCharts(c, scenario, marks)
        else:
            solara.Text("This folder keeps no monthly table: its report's figures.")
            for png in sorted(folder.glob("*.png")):
                solara.Image(png.read_bytes())
