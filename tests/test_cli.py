"""The `cpf-sim` command line end to end, in a subprocess, writing only under tmp_path."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TINY

from sim.outcomes import DERIVED, FLOWS
from sim.results import CONFIG_FILE, METRICS_FILE, SUMMARY_FILE, load
from sim.tooling.plots import FIGURE_FILE

CLI = Path(sys.executable).with_name("cpf-sim")
RUN_FILES = (CONFIG_FILE, METRICS_FILE, SUMMARY_FILE, FIGURE_FILE)


def cpf_sim(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the installed command line from `cwd` (matplotlib writes into the test's dir)."""
    env = {**os.environ, "MPLCONFIGDIR": os.environ["MPLCONFIGDIR"]}
    return subprocess.run(
        [str(CLI), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def good_run(tmp_path_factory):
    """One small run of the default (historical) scenario, to the end of 2021."""
    cwd = tmp_path_factory.mktemp("cli_cwd")
    out = tmp_path_factory.mktemp("cli_out") / "run"
    done = cpf_sim(
        f"population.holders={TINY}", "seed=7", "end=2021-12", f"hydra.run.dir={out}", cwd=cwd
    )
    return done, out, cwd


def test_a_good_run_exits_0_and_writes_the_four_files(good_run):
    done, out, _ = good_run
    assert done.returncode == 0, done.stderr
    for name in RUN_FILES:
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    assert (out / FIGURE_FILE).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_good_run_writes_nothing_outside_its_run_dir(good_run):
    _, _, cwd = good_run
    assert list(cwd.iterdir()) == []


def test_a_good_run_prints_a_yearly_table(good_run):
    done, out, _ = good_run
    for year in ("2019", "2020", "2021"):
        assert year in done.stdout
    assert "scenario 'historical', seed 7" in done.stdout
    assert str(out) in done.stdout


def test_the_run_folder_loads_back(good_run):
    _, out, _ = good_run
    results = load(out)
    assert len(results.metrics) == 36
    assert results.metrics["month"].iloc[0] == "2019-01"
    assert results.metrics["month"].iloc[-1] == "2021-12"
    assert results.config["seed"] == 7
    assert results.config["population"]["holders"] == TINY


def test_summary_json_has_every_outcome_and_the_run_identity(good_run):
    _, out, _ = good_run
    summary = json.loads((out / SUMMARY_FILE).read_text())
    missing = [k for k in (*FLOWS, *DERIVED) if k not in summary]
    assert not missing, missing
    assert summary["seed"] == 7
    assert summary["scale"] == pytest.approx(summary_scale(summary))
    assert isinstance(summary["version"], str) and summary["version"]
    assert summary["label"] == "historical"
    assert summary["levers"]["copayment_eur"].startswith("100 EUR from 2024-05")
    assert "cpf-sim" in summary["command"] and summary["python"].count(".") == 2


def summary_scale(summary):
    return 38_800_000 / summary["holders"]


@pytest.mark.parametrize(
    ("override", "key"),
    [
        ("regulation.copayment_eur=-5", "regulation.copayment_eur"),
        ("population.holdrs=5", "population.holdrs"),
        ("regulation.copayment_eur=2025-01:150", "regulation.copayment_eur"),
        ("experiment=smoke", "+experiment=smoke"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, override, key):
    cwd, out = tmp_path / "cwd", tmp_path / "run"
    cwd.mkdir()
    done = cpf_sim(f"population.holders={TINY}", override, f"hydra.run.dir={out}", cwd=cwd)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("cpf-sim: config error: ")
    assert key in lines[0]
    assert done.stdout == ""
    assert not out.exists()
    assert list(cwd.iterdir()) == []
