"""Shared fixtures and helpers: small seeded runs, a private matplotlib config directory.

Every run here is small (a few thousand to 20,000 simulated holders) so that the whole suite
stays fast on one core; outcomes are national equivalents, so sizes can be compared across runs
of the same population size. Nothing is written outside pytest's temporary directories.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from sim.api import run
from sim.config import load_params
from sim.model import CPFModel
from sim.params import SimParams
from sim.results import Results
from sim.state.world import World

ROOT = Path(__file__).resolve().parent.parent
SMALL = 20_000  # simulated holders in behavioural tests
TINY = 5_000  # simulated holders where only the plumbing matters


@pytest.fixture(scope="session", autouse=True)
def matplotlib_config_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Point matplotlib (imported lazily when a figure is saved) at a throwaway directory."""
    path = tmp_path_factory.mktemp("mplconfig")
    previous = os.environ.get("MPLCONFIGDIR")
    os.environ["MPLCONFIGDIR"] = str(path)
    yield path
    if previous is None:
        os.environ.pop("MPLCONFIGDIR", None)
    else:
        os.environ["MPLCONFIGDIR"] = previous


def simulate(*overrides: str, holders: int = SMALL) -> Results:
    """One run of `holders` simulated holders with Hydra-style overrides."""
    return run(overrides=[f"population.holders={holders}", *overrides])


def step_through(overrides: Sequence[str], check_month=None) -> CPFModel:
    """Build a model and advance it month by month, calling `check_month(model)` after each."""
    model = CPFModel(load_params(list(overrides)))
    while model.month < model.n_months:
        model.step()
        if check_month is not None:
            check_month(model)
    return model


def relative_change(treated: Sequence[float], base: Sequence[float]) -> np.ndarray:
    """Paired relative change (treated - base) / base, one value per seed."""
    t, b = np.asarray(treated, dtype=float), np.asarray(base, dtype=float)
    assert (b > 0).all(), f"the base arm must have a positive outcome in every seed: {b}"
    return (t - b) / b


def small_world(holders: int = 1000, seed: int = 0, **sections: object) -> World:
    """A World with no agent and no month run: the fixture for testing one process alone.

    `sections` replace whole parameter sections, e.g. `platform=PlatformParams(...)`.
    """
    params = SimParams(seed=seed)
    params = replace(params, population=replace(params.population, holders=holders), **sections)
    return World(params)
