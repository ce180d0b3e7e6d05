"""The model boundary: `run(params) -> Results`. No CLI parsing, no files."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict

from sim.config import check_numbers, load_params
from sim.core.calendar import month_label
from sim.core.version import code_version
from sim.model import CPFModel
from sim.outcomes import run_totals
from sim.params import SimParams
from sim.results import Results, metrics_frame, params_as_dict


def run(
    params: SimParams | None = None,
    *,
    overrides: Sequence[str] = (),
    progress: bool = False,
) -> Results:
    """Simulate one scenario and return its results.

    Args:
        params: full parameters; if None they are composed from configs/ (the default
            scenario) with `overrides`, e.g. ["scenario=none", "regulation.copayment_eur=100"].
        overrides: Hydra-style overrides, used only when `params` is None.
        progress: show a progress bar over months.

    Raises:
        ConfigError: a parameter is invalid (one line naming its key), before any work.
    """
    if params is None:
        params = load_params(overrides)
    elif overrides:
        raise ValueError("give either params or overrides, not both")
    else:
        check_numbers(asdict(params))  # parameters built in Python skip the config's checks
    model = CPFModel(params)
    months = range(params.n_months)
    if progress:
        from tqdm import tqdm

        months = tqdm(months, desc=f"{params.label} seed {params.seed}", unit="month")
    for _ in months:
        model.step()
    series = model.recorder.finalise(params.population.scale)
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
    }
    return Results(metrics_frame(series, params.n_months), summary, params_as_dict(params))
