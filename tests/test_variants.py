"""`cpf-compare run`: named variants in one command, through the sweep machinery, then a report."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from sweep_helpers import sweep_env

from sim.core.errors import ConfigError
from sim.tooling.variants import parse_variant, plan_comparison

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
COPAY = "copay=regulation.copayment_eur={2019-03:300}"
SMALL = ["--", "population.holders=2000", "end=2019-06", "hydra/launcher=basic"]
WINDOW = ["--from", "2019-03", "--to", "2019-06"]


def test_a_variant_is_a_scenario_or_named_overrides():
    assert parse_variant("none").overrides == ("scenario=none",)
    named = parse_variant("both=regulation.copayment_eur=100 'regulation.ranking=relevance'")
    assert named.name == "both"
    assert named.overrides == ("regulation.copayment_eur=100", "regulation.ranking=relevance")
    for bad in ("nope", "a.b=seed=1", "x="):
        with pytest.raises(ConfigError):
            parse_variant(bad)


def test_variants_start_from_the_baseline_scenario_and_share_seeds():
    plan = plan_comparison(
        [parse_variant("none"), parse_variant(COPAY), parse_variant("own=scenario=historical")], 2
    )
    assert plan.names[:4] == (
        "label=none,seed=0",
        "label=none,seed=1",
        "label=copay,seed=0",
        "label=copay,seed=1",
    )
    assert plan.jobs[2] == (
        "scenario=none",
        "regulation.copayment_eur={2019-03:300}",
        "label=copay",
        "seed=0",
    )
    assert plan.jobs[4] == ("scenario=historical", "label=own", "seed=0")
    assert plan.sweep_dir.name == "compare_none_vs_copay_own"
    with pytest.raises(ConfigError, match="own name"):
        plan_comparison([parse_variant("none"), parse_variant("none")], 2)


def _compare(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sim.tooling.compare_cli", "run", *args],
        cwd=cwd,
        env=sweep_env(cwd),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_one_command_runs_the_paired_sweep_and_writes_the_report(tmp_path: Path):
    done = _compare(tmp_path, "none", COPAY, "--seeds", "2", *WINDOW, *SMALL)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "copay: copayment_eur: 300 EUR from 2019-03" in done.stdout
    folder = tmp_path / "results" / "sweeps" / "compare_none_vs_copay"
    report = (folder / "report.md").read_text()
    assert "window **2019-03 to 2019-06**" in report
    assert "**copay** against none, 2019-03 to 2019-06 (2 seeds): fraud loss" in report
    html = (folder / "report.html").read_text()
    assert html.count("data:image/png;base64,") >= 3 and 'src="tradeoff.png"' not in html
    sheets = openpyxl.load_workbook(folder / "tables.xlsx").sheetnames
    assert sheets == ["outcomes_by_scenario", "differences", "differences_by_year", "seeds"]
    diffs = pd.read_csv(folder / "differences.csv")
    row = diffs[(diffs["scenario"] == "copay") & (diffs["outcome"] == "legit_enrolments")]
    assert row["difference"].iloc[0] < 0  # a 300 EUR copayment from March costs honest enrolments
    runs = pd.read_parquet(folder / "runs.parquet")
    for column in ("run_hash", "python", "host", "packages", "tree_changes"):
        assert runs[column].notna().all(), column
    assert runs["command"].str.startswith("sweep job: ").all()
    assert (runs["run_hash"] == runs["hash"]).all()  # the hash that decides a resume
    again = _compare(tmp_path, "none", COPAY, "--seeds", "2", *WINDOW, *SMALL)
    assert again.returncode == 0, again.stderr[-2000:]
    assert again.stdout.count("skipped (complete)") == 4
    assert "[4/4]" not in again.stdout  # skipped runs print no counter


def test_bad_variant_is_one_line_exit_2_and_writes_nothing(tmp_path: Path):
    done = _compare(tmp_path, "none", "copay=regulation.copayment_eur=-1", *SMALL)
    assert done.returncode == 2
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("cpf-compare: config error: regulation.copayment_eur")
    assert ">= 0" in line
    assert not (tmp_path / "results").exists()
