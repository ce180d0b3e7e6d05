"""The workbench page (Solara): compare two worlds, or browse existing results.

The page's address is its state: every change of a control pushes a new address
(`sim.tooling.app.links`), so the address bar always holds a link that reproduces the worlds,
the run size and the window. Running is a Solara task (a thread of this server) that hands the
runs to worker processes and polls them, so the page stays responsive and can cancel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import solara
import solara.lab

from sim.core.errors import ConfigError
from sim.tooling.app.browse import display_name, open_folder, result_folders
from sim.tooling.app.controls import WorldEditor
from sim.tooling.app.links import Setup, check_holders, check_seeds, from_query, to_query
from sim.tooling.app.runs import BASELINE, REFORM, SETUP_FILE, gather, plan, run_all
from sim.tooling.app.views import ResultsView, WhatWillRun, default_window
from sim.tooling.app.workers import Workers
from sim.tooling.app.worlds import changes_against
from sim.tooling.stats import choose_baseline, complete_runs, scenario_order

WORKERS = Workers(processes=2)  # shared by every page of this server, one comparison at a time
CSS = """
.lever-toggle { justify-content: flex-start !important; height: auto !important;
  min-height: 30px; text-transform: none !important; letter-spacing: normal !important; }
.lever-toggle .v-btn__content { white-space: normal; text-align: left; flex: 1 1 auto; }
.ledger table, .results table { border-collapse: collapse; font-size: 0.85em; }
.ledger table th, .ledger table td {
  border: 1px solid #ccc; padding: 2px 6px; text-align: left !important; }
.window .v-select { max-width: 140px; }
.summary { font-size: 1.05em; background: #f3f7fb; padding: 4px 10px; border-radius: 4px; }
"""
status = solara.reactive("")


@solara.lab.task
def compare_worlds(setup: Setup) -> tuple[Setup, Path] | None:
    """Run both worlds (cached runs are reused); None when cancelled."""
    planned = plan(setup)

    def progress(done: int, total: int) -> None:
        compare_worlds.progress = 100 * done / total if total else 100
        status.value = f"{done} of {total} runs done"

    complete = run_all(planned, WORKERS, progress, lambda: not compare_worlds.is_current())
    return (setup, gather(setup, planned)) if complete else None


def _error_line(error: BaseException | None) -> str:
    return str(error).strip().splitlines()[0] if error and str(error).strip() else repr(error)


@solara.component
def SizeInput(
    label: str, value: int, check: Callable[[str], int], on_value: Callable[[int], None], css: str
) -> None:
    """A number the run needs; refused at the control with the configuration's message."""
    text, set_text = solara.use_state(str(value))
    error = ""
    try:
        checked = check(text)
        if checked != value:
            on_value(checked)
    except ConfigError as refused:
        error = str(refused)
    solara.InputText(
        label,
        value=text,
        on_value=set_text,
        continuous_update=True,
        error=error or False,
        classes=[css],
        style={"max-width": "220px"},
    )


@solara.component
def RunPanel(setup: Setup, on_setup: Callable[[Setup], None]) -> None:
    """Seeds and size, run and cancel, progress, and the run's one-line error."""
    push = on_setup
    with solara.Row(style={"align-items": "baseline", "flex-wrap": "wrap"}):
        SizeInput(
            "seeds", setup.seeds, check_seeds, lambda n: push(replace(setup, seeds=n)), "seeds"
        )
        SizeInput(
            "simulated holders",
            setup.holders,
            check_holders,
            lambda n: push(replace(setup, holders=n)),
            "holders",
        )
        solara.Button(
            "Run the comparison",
            color="primary",
            disabled=compare_worlds.pending,
            on_click=lambda: compare_worlds(setup),
            classes=["run"],
        )
        if compare_worlds.pending:
            solara.Button("Cancel", on_click=compare_worlds.cancel, classes=["cancel"])
    if compare_worlds.pending:
        solara.ProgressLinear(compare_worlds.progress or True)
        solara.Text(status.value or "checking both worlds...", classes=["progress-text"])
    elif compare_worlds.error:
        solara.Error(_error_line(compare_worlds.exception), classes=["run-error"])
    elif compare_worlds.cancelled or (compare_worlds.finished and compare_worlds.value is None):
        solara.Info("Cancelled: the runs that had finished are kept in the cache.")


@solara.component
def CompareView(setup: Setup, on_setup: Callable[[Setup], None]) -> None:
    """Two worlds side by side, what will run, the run, and the answer."""
    push = on_setup
    with solara.Columns([1, 1]):
        WorldEditor("Baseline", setup.baseline, lambda w: push(replace(setup, baseline=w)))
        WorldEditor("Reform", setup.reform, lambda w: push(replace(setup, reform=w)))
    WhatWillRun(setup)
    RunPanel(setup, on_setup)
    result = compare_worlds.value if compare_worlds.finished else None
    if result is None:
        return
    ran, folder = result
    if (ran.baseline, ran.reform, ran.seeds, ran.holders) != (
        setup.baseline,
        setup.reform,
        setup.seeds,
        setup.holders,
    ):
        solara.Warning("These results are for the worlds as they were at the last run.")
    marks = changes_against(ran.baseline, ran.reform)
    start, stop = (setup.start, setup.stop) if setup.start or setup.stop else default_window(marks)
    ResultsView(
        folder,
        BASELINE,
        REFORM,
        marks,
        start,
        stop,
        lambda a, b: push(replace(setup, start=a, stop=b)),
    )


@solara.component
def FolderView(folder: Path) -> None:
    """One sweep folder: choose the baseline and the case compared with it."""
    runs, _ = solara.use_memo(lambda: open_folder(folder), [folder])
    done = complete_runs(runs)
    cases = scenario_order(done)
    baseline, set_baseline = solara.use_state(choose_baseline(done, None) if cases else "")
    scenario, set_scenario = solara.use_state(next((c for c in cases if c != baseline), baseline))
    no_window: tuple[str | None, str | None] = (None, None)
    window, set_window = solara.use_state(no_window)
    if not cases:
        solara.Error(f"{display_name(folder)} holds no complete run.")
        return
    with solara.Row():
        solara.Select("baseline", values=cases, value=baseline, on_value=set_baseline)
        solara.Select("compared with", values=cases, value=scenario, on_value=set_scenario)
    link = folder / SETUP_FILE
    if link.exists():
        solara.Markdown(f"[Open these two worlds in the workbench](/?{link.read_text().strip()})")
    ResultsView(folder, baseline, scenario, None, *window, lambda a, b: set_window((a, b)))


@solara.component
def BrowseView() -> None:
    """Open a sweep folder (the committed reference results included) and compare its cases."""
    folders = solara.use_memo(result_folders, [])
    names = [display_name(f) for f in folders]
    chosen, set_chosen = solara.use_state(names[0] if names else "")
    if not names:
        solara.Info("No sweep folder under results/ yet.")
        return
    solara.Select("results folder", values=names, value=chosen, on_value=set_chosen)
    FolderView(folders[names.index(chosen)]).key(chosen)


@solara.component
def Page() -> None:
    """The page: its state is its address."""
    router = solara.use_router()
    setup, problems = solara.use_memo(lambda: from_query(router.search), [router.search])

    def on_setup(new: Setup) -> None:
        router.push("/?" + to_query(new))

    solara.Title("cpf-sim workbench")
    solara.Style(CSS)
    with solara.Column(style={"padding": "8px 16px"}):
        solara.Markdown(
            "## cpf-sim workbench\n\nSet a reform by date, run it against a baseline on the "
            "same seeds, and read what it prevents and who pays. Figures are national "
            "equivalents from the simulation, for comparing scenarios, not forecasts."
        )
        for problem in problems:
            solara.Warning(f"Part of this link was not used: {problem}")
        with solara.lab.Tabs(lazy=True):
            with solara.lab.Tab("Compare two worlds"):
                CompareView(setup, on_setup)
            with solara.lab.Tab("Browse results"):
                BrowseView()
