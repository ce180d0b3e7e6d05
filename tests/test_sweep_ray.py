"""The Ray launcher runs the smoke preset locally and gives the basic launcher's results."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pandas as pd
import pytest
from sweep_helpers import finished_smoke, outcome_columns, smoke_sweep

from sim.tooling.tables import load_sweep

pytestmark = [
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.skipif(
        importlib.util.find_spec("hydra_plugins.hydra_ray_launcher") is None,
        reason="Ray launcher not installed (pip install -e .[cluster])",
    ),
]


def test_ray_launcher_matches_basic(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    ray = smoke_sweep(tmp_path, "hydra/launcher=ray_local", "hydra.launcher.ray.init.num_cpus=2")
    basic = finished_smoke(tmp_path_factory)
    ray_runs, ray_metrics = load_sweep(ray)
    basic_runs, basic_metrics = load_sweep(basic)
    assert set(ray_runs["status"]) == {"ok"} and len(ray_runs) == 4
    pd.testing.assert_frame_equal(outcome_columns(ray_runs), outcome_columns(basic_runs))
    key = ["run", "month"]
    pd.testing.assert_frame_equal(
        ray_metrics.sort_values(key).reset_index(drop=True),
        basic_metrics.sort_values(key).reset_index(drop=True),
    )
