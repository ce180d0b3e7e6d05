"""The controls of one world: its scenario, and each lever as a control of the right kind.

A lever's panel shows its schedule as a timeline, each dated change with a button that removes
it, and a form that adds a change at a month (level choosers for levels, a switch for on/off,
a number for amounts and rates); the exemptions are checkboxes. A value the configuration
would refuse is refused at the control, with the command line's one-line message.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import solara

from sim.core.checks import LEVER_VALUES
from sim.core.errors import ConfigError
from sim.outcome_labels import STATUS_LABELS
from sim.run_notes import lever_words
from sim.tooling.app.timeline import timeline_html
from sim.tooling.app.worlds import (
    FIRST_MONTH,
    GROUPS,
    HINTS,
    LEVERS,
    World,
    as_schedule,
    check_change,
    parse_value,
    scenario_names,
)

GROUP_LABELS = {**STATUS_LABELS, "employer_topup": "holders with an employer top-up"}


def _initial_text(name: str, world: World) -> Any:
    """The add-change form's starting value: the lever's last value (as text for numbers)."""
    last = list(as_schedule(world.value(name)).values())[-1]
    kind = LEVERS[name].kind
    if kind == "caps":
        return "" if last is None else ", ".join(f"{v:g}" for v in last)
    if kind in ("amount", "share", "rate"):
        return f"{last:g}"
    return last


def _refusal(name: str, month: str, value: Any) -> str:
    """The configuration's one-line refusal of a change, or '' if it is accepted."""
    try:
        check_change(name, month, value)
    except ConfigError as refused:
        return str(refused)
    return ""


@solara.component
def ChangeForm(name: str, world: World, on_world: Callable[[World], None]) -> None:
    """Add a change at a month: month, value, whether later changes are dropped."""
    lever = LEVERS[name]
    month, set_month = solara.use_state("2025-01")
    raw, set_raw = solara.use_state(_initial_text(name, world))
    drop_later, set_drop_later = solara.use_state(True)
    value = parse_value(name, raw)
    month_error = _refusal(name, month, LEVER_VALUES[name][0])
    value_error = _refusal(name, FIRST_MONTH if month_error else month, value)
    with solara.Row(style={"align-items": "baseline", "flex-wrap": "wrap"}):
        solara.InputText(
            "from month (YYYY-MM)",
            value=month,
            on_value=set_month,
            continuous_update=True,
            error=month_error or False,
            classes=["change-month"],
            style={"max-width": "190px"},
        )
        if lever.kind == "choice":
            solara.Select("value", values=list(lever.options), value=raw, on_value=set_raw)
        elif lever.kind == "switch":
            solara.Switch(label="on" if raw else "off", value=bool(raw), on_value=set_raw)
        else:
            solara.InputText(
                HINTS[lever.kind],
                value=str(raw),
                on_value=set_raw,
                continuous_update=True,
                error=value_error or False,
                classes=["change-value"],
            )
        solara.Checkbox(label="drop later changes", value=drop_later, on_value=set_drop_later)
        solara.Button(
            "Add change",
            disabled=bool(month_error or value_error),
            on_click=lambda: on_world(world.with_change(name, month.strip(), value, drop_later)),
            classes=["add-change"],
        )


@solara.component
def ExemptionBoxes(world: World, on_world: Callable[[World], None]) -> None:
    """Who pays no copayment: one checkbox per group."""
    chosen = list(world.value("copayment_exempt"))

    def toggle(group: str, on: bool) -> None:
        groups = [g for g in GROUPS if (g in chosen and g != group) or (g == group and on)]
        on_world(world.with_value("copayment_exempt", groups))

    solara.Text("Exempt from the copayment:")
    with solara.Row(style={"flex-wrap": "wrap"}):
        for group in GROUPS:
            solara.Checkbox(
                label=GROUP_LABELS.get(group, group),
                value=group in chosen,
                on_value=functools.partial(toggle, group),
            )


@solara.component
def LeverPanel(name: str, world: World, on_world: Callable[[World], None]) -> None:
    """One lever: what it means, its timeline, its dated changes and the form to add one."""
    lever = LEVERS[name]
    edited = name in world.levers
    summary = f"{lever.title}: {world.words(name)}" + ("  (edited)" if edited else "")
    is_open, set_open = solara.use_state(False)
    solara.Button(
        ("▾ " if is_open else "▸ ") + summary,
        text=True,
        on_click=lambda: set_open(not is_open),
        classes=["lever-toggle", f"toggle-{name}"],
        style={"width": "100%", "font-weight": "600" if edited else "400"},
    )
    if not is_open:  # the controls exist only while the panel is open: a light page
        return
    with solara.Column(classes=[f"lever-{name}"], style={"padding": "0 0 8px 16px"}):
        solara.Text(lever.meaning, style={"font-size": "0.85em", "color": "#555"})
        if lever.kind == "groups":
            ExemptionBoxes(world, on_world)
            return
        solara.HTML(tag="div", unsafe_innerHTML=timeline_html(name, world.value(name)))
        with solara.Row(style={"flex-wrap": "wrap"}):
            for month, value in as_schedule(world.value(name)).items():
                words = lever_words(name, value).removesuffix(" throughout")
                solara.Button(
                    f"{month}: {words}  ✕",
                    text=True,
                    small=True,
                    on_click=lambda m=month: on_world(world.without_change(name, m)),
                )
        ChangeForm(name, world, on_world)
        if edited:
            solara.Button(
                "use the scenario's schedule",
                text=True,
                small=True,
                on_click=lambda: on_world(world.with_value(name, _scenario_value(world, name))),
            )


def _scenario_value(world: World, name: str) -> Any:
    return World(world.scenario).value(name)


@solara.component
def WorldEditor(title: str, world: World, on_world: Callable[[World], None]) -> None:
    """A world: its scenario and its levers, each in a panel."""
    with solara.Card(title, classes=[f"world-{title.lower()}"]):
        solara.Select(
            "scenario",
            values=scenario_names(),
            value=world.scenario,
            on_value=lambda name: on_world(World(name)),
        )
        for name in LEVERS:
            LeverPanel(name, world, on_world)
