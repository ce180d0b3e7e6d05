"""The model boundary: `run(...) -> Results`. No CLI parsing, no files.

`run` takes typed parameters, keywords (`scenario=`, `seed=`, `levers=`, `holders=`, `end=`)
or Hydra-style `overrides=[...]`; keywords and overrides are composed from configs/ and said
in words (`sim.run_notes`) in the summary. `simulate` runs parameters that are already built.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from typing import Any

from sim.config import check_numbers, to_params
from sim.core.calendar import month_label
from sim.core.version import code_version
from sim.model import CPFModel
from sim.outcomes import run_totals
from sim.params import SimParams
from sim.provenance import provenance
from sim.results import Results, metrics_frame, params_as_dict
from sim.run_notes import RunNotes, active_levers, compose_with_notes


class ScheduleMergeWarning(UserWarning):
    """A schedule given was merged into the scenario's, whose later dates stay in force."""


def override_value(value: Any) -> str:
    """A Python value written in Hydra's override grammar ({2025-01:150}, [a,b], true, 'x')."""
    if isinstance(value, Mapping):
        return "{" + ",".join(f"{k}:{override_value(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ",".join(override_value(v) for v in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return "'" + value.replace("'", "\\'") + "'"
    return repr(value)


def keyword_overrides(
    scenario: str | None,
    seed: int | None,
    levers: Mapping[str, Any] | None,
    holders: int | None,
    end: str | None,
) -> list[str]:
    """Overrides for `run`'s keywords; each lever in `levers` replaces the scenario's schedule."""
    out = [] if scenario is None else [f"scenario={scenario}"]
    if seed is not None:
        out.append(f"seed={seed}")
    if holders is not None:
        out.append(f"population.holders={holders}")
    if end is not None:
        out.append(f"end={end}")
    for name, value in (levers or {}).items():
        text = override_value(value)
        out.append(
            f"regulation.{name}=" + (f"replace({text})" if isinstance(value, Mapping) else text)
        )
    return out


def run(
    params: SimParams | None = None,
    *,
    scenario: str | None = None,
    seed: int | None = None,
    levers: Mapping[str, Any] | None = None,
    holders: int | None = None,
    end: str | None = None,
    overrides: Sequence[str] = (),
    progress: bool = False,
) -> Results:
    """Simulate one scenario and return its results.

    Args:
        params: full parameters (then give no keyword nor override); if None they are composed
            from configs/ (the historical scenario by default) with the keywords and overrides.
        scenario: a file of configs/scenario/, e.g. "none" or "historical".
        seed: the run's seed.
        levers: lever -> constant or dated schedule, e.g. {"copayment_eur": {"2025-01": 150}};
            each replaces the scenario's schedule of that lever (overrides merge instead).
        holders: simulated holders (population.holders).
        end: last month, "YYYY-MM".
        overrides: Hydra-style overrides, e.g. ["regulation.copayment_eur=100"], applied after
            the keywords; a schedule merges into the scenario's (`=replace({...})` replaces it).
        progress: show a progress bar over months.

    Raises:
        TypeError: `params` is a string (write `overrides=[...]` or keywords).
        ConfigError: a parameter is invalid (one line naming its key), before any work.
    """
    if isinstance(params, str):
        raise TypeError(
            f"sim.run() takes SimParams or keywords, not the string {params!r}: write e.g. "
            f"sim.run(scenario='none', seed=1) or sim.run(overrides=[{params!r}])"
        )
    given = keyword_overrides(scenario, seed, levers, holders, end) + list(overrides)
    if params is not None:
        if given:
            raise ValueError("give either params or keywords/overrides, not both")
        check_numbers(asdict(params))  # parameters built in Python skip the config's checks
        return simulate(params, progress=progress)
    cfg, notes = compose_with_notes(given)
    for text in notes.warnings:
        warnings.warn(text, ScheduleMergeWarning, stacklevel=2)
    if not any(o.startswith("label=") for o in given):
        cfg.label = notes.label  # named after what changed (a safe folder name)
    return simulate(to_params(cfg), notes, progress=progress)


def simulate(params: SimParams, notes: RunNotes | None = None, progress: bool = False) -> Results:
    """Run built parameters; `notes` (from the overrides) adds merge notes to the summary."""
    model = CPFModel(params)
    months = range(params.n_months)
    if progress:
        from tqdm import tqdm

        months = tqdm(months, desc=f"{params.label} seed {params.seed}", unit="month")
    for _ in months:
        model.step()
    series = model.recorder.finalise(params.population.scale)
    config = params_as_dict(params)
    summary = {
        **run_totals(series),
        "label": params.label,
        "seed": params.seed,
        "version": code_version(),
        "scale": params.population.scale,
        "holders": params.population.holders,
        "months": params.n_months,
        "start": month_label(0),
        "end": params.end,
        "lever_changes": {
            key: [month_label(m) for m in months_]
            for key, months_ in model.levers.change_months().items()
        },
        "levers": notes.levers if notes else active_levers(config["regulation"]),
        "warnings": notes.warnings if notes else [],
        **provenance(config),
    }
    return Results(metrics_frame(series, params.n_months), summary, config)
