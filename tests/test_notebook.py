"""The comparison notebook runs top to bottom: on a finished sweep, and in a fresh clone."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from sweep_helpers import ROOT, finished_smoke, sweep_env

NOTEBOOK = ROOT / "experiments" / "notebooks" / "compare_scenarios.ipynb"


def _execute(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, **env: str) -> list:
    for key, value in sweep_env(tmp_path, **env).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert not [o for o in outputs if o.get("data", {}).get("text/plain") == "None"]
    assert not [o for o in outputs if o.output_type == "stream" and o.name == "stderr"]
    return outputs


def test_the_committed_notebook_holds_no_output():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code")


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_compare_notebook_runs_on_the_smoke_sweep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = finished_smoke(tmp_path_factory)
    outputs = _execute(tmp_path, monkeypatch, CPF_SWEEP=str(folder))
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 3
    text = "".join(str(o.get("data", {}).get("text/markdown", "")) for o in outputs)
    assert "**identity_check** against none" in text


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_compare_notebook_makes_its_comparison_on_first_use(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "fresh"
    env = {"CPF_SWEEP": str(folder), "CPF_HOLDERS": "2000", "CPF_SEEDS": "2"}
    env |= {"CPF_FROM": "2025-01", "CPF_TO": "2026-12"}
    outputs = _execute(tmp_path, monkeypatch, **env)
    assert (folder / "sweep.json").exists() and (folder / "runs.parquet").exists()
    text = "".join(str(o.get("data", {}).get("text/markdown", "")) for o in outputs)
    assert "**copay150** against historical, 2025-01 to 2026-12 (2 seeds)" in text
