"""The comparison notebook runs top to bottom on the smoke sweep (executed with nbclient)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from sweep_helpers import ROOT, finished_smoke, sweep_env

NOTEBOOK = ROOT / "experiments" / "notebooks" / "compare_scenarios.ipynb"


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_compare_notebook_runs_on_the_smoke_sweep(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = finished_smoke(tmp_path_factory)
    for key, value in sweep_env(tmp_path, CPF_SWEEP=str(folder)).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("JUPYTER_PLATFORM_DIRS", "1")
    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "jupyter-data"))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) >= 2
