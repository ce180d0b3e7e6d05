"""The workbench's logic without a browser: worlds, links, checks, workers, cache and ledger.

The page must refuse exactly what the command line refuses (same one-line message), encode
everything it runs in its address, key its cache by the run hash that sweeps use, and keep
serving when a run fails or is cancelled. Runs here are tiny (1,000 holders, a few months).
"""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest

from sim.config import load_params
from sim.core.errors import ConfigError
from sim.results import load
from sim.run_notes import expand_replace
from sim.tooling.app.browse import open_folder, result_folders
from sim.tooling.app.ledger import ledger_markdown, report_files, summary_sentence
from sim.tooling.app.links import Setup, from_query, to_query
from sim.tooling.app.runs import Planned, gather, plan, run_all
from sim.tooling.app.timeline import periods, timeline_html
from sim.tooling.app.workers import Job, Workers
from sim.tooling.app.worlds import World, changes_against, check_change, parse_value
from sim.tooling.compare import compare_frames
from sim.tooling.manifest import run_hash

ROOT = Path(__file__).resolve().parent.parent
COPAY = World("historical").with_change("copayment_eur", "2025-01", 150.0)


def cli_refusal(override: str) -> str:
    with pytest.raises(ConfigError) as error:
        load_params([override])
    return str(error.value)


@pytest.mark.parametrize(
    ("lever", "month", "text", "override"),
    [
        ("copayment_eur", "2025-01", "-5", "regulation.copayment_eur={2025-01:-5.0}"),
        ("copayment_eur", "2027-01", "150", "regulation.copayment_eur={2027-01:150.0}"),
        ("copayment_eur", "2025-13", "150", "regulation.copayment_eur={2025-13:150.0}"),
        ("anomaly_detection", "2025-01", "1.5", "regulation.anomaly_detection={2025-01:1.5}"),
        ("audit_rate", "2025-01", "lots", "regulation.audit_rate={2025-01:lots}"),
        (
            "price_cap_by_topic_eur",
            "2026-02",
            "900, 1500",
            "regulation.price_cap_by_topic_eur={2026-02:[900.0,1500.0]}",
        ),
    ],
)
def test_the_page_refuses_what_the_command_line_refuses(lever, month, text, override):
    with pytest.raises(ConfigError) as error:
        check_change(lever, month, parse_value(lever, text))
    assert str(error.value) == cli_refusal(override)


def test_a_change_drops_or_keeps_later_dates_and_an_undo_restores_the_scenario():
    assert COPAY.value("copayment_eur") == {"2024-05": 100.0, "2025-01": 150.0}
    kept = World("historical").with_change("copayment_eur", "2025-01", 150.0, drop_later=False)
    assert kept.value("copayment_eur") == {"2024-05": 100.0, "2025-01": 150.0, "2026-01": 103.2}
    restored = COPAY.with_value("copayment_eur", World("historical").value("copayment_eur"))
    assert restored.levers == {}
    assert COPAY.without_change("copayment_eur", "2025-01").value("copayment_eur") == {
        "2024-05": 100.0
    }
    assert COPAY.overrides() == [
        "scenario=historical",
        "regulation.copayment_eur=replace({2024-05:100.0,2025-01:150.0})",
    ]
    assert COPAY.words("copayment_eur") == "100 EUR from 2024-05, 150 from 2025-01"


def test_the_reform_dates_are_where_the_worlds_start_or_stop_differing():
    reform = COPAY.with_value("copayment_exempt", ["job_seeker"])
    assert changes_against(World("historical"), reform) == {
        "copayment_eur": ["2025-01", "2026-01"],
        "copayment_exempt": [],  # differs throughout: no date
    }
    assert changes_against(World("none"), World("none")) == {}


def test_the_address_encodes_the_comparison_and_refuses_what_it_cannot_use():
    setup = Setup(World("none"), COPAY.with_value("copayment_exempt", ["job_seeker"]), 3, 20_000)
    setup = replace(setup, start="2025-01", stop="2026-12")
    assert from_query(to_query(setup)) == (setup, [])
    read, problems = from_query(
        "base=nowhere&r.copayment_eur={2025-01:-5}&r.color=red&seeds=0&holders=20000&to=2031-01"
    )
    assert read.holders == 20_000 and read.seeds == Setup().seeds and read.stop is None
    assert read.baseline == World() and read.reform == World()
    assert len(problems) == 5, problems
    assert "regulation.copayment_eur[2025-01]=-5 is invalid: a finite number >= 0" in problems


def test_the_timeline_has_one_band_per_period():
    assert [
        (start, n) for start, n, _ in periods("copayment_eur", COPAY.value("copayment_eur"))
    ] == [
        (0, 64),
        (64, 8),
        (72, 24),
    ]
    assert "150 EUR" in timeline_html("copayment_eur", COPAY.value("copayment_eur"))


def test_runs_are_keyed_by_the_sweep_run_hash():
    planned = plan(Setup(World("historical"), COPAY, seeds=2, holders=1000))
    assert [(p.case, p.seed) for p in planned] == [
        ("baseline", 0),
        ("baseline", 1),
        ("reform", 0),
        ("reform", 1),
    ]
    label = planned[3].notes.label
    overrides = [*COPAY.overrides(), "population.holders=1000", "seed=1", f"label='{label}'"]
    sweep_params = load_params(expand_replace(overrides))  # as a sweep job composes it
    assert planned[3].key == run_hash(sweep_params)


def _tiny(planned: list[Planned]) -> list[Planned]:
    """The same runs stopped after six months (a few tenths of a second each)."""
    out = []
    for p in planned:
        params = replace(p.params, end="2019-06")
        out.append(replace(p, params=params, key=run_hash(params)))
    return out


@pytest.fixture(scope="module")
def workers():
    pool = Workers(processes=2)
    yield pool
    pool.stop()


def test_runs_are_cached_gathered_as_a_sweep_and_read_as_a_report(tmp_path, workers):
    setup = Setup(World("historical"), COPAY, seeds=2, holders=1000)
    planned = _tiny(plan(setup))
    seen: list[tuple[int, int]] = []
    assert run_all(planned, workers, lambda d, n: seen.append((d, n)), lambda: False, tmp_path)
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)
    saved = load(tmp_path / "runs" / planned[0].key)
    assert saved.summary["run_hash"] == planned[0].key
    seen.clear()
    assert run_all(planned, workers, lambda d, n: seen.append((d, n)), lambda: False, tmp_path)
    assert seen == [(4, 4)]  # every run from the cache
    folder = gather(setup, planned, tmp_path)
    assert from_query((folder / "link.txt").read_text().strip())[0] == setup
    c = compare_frames(*open_folder(folder), "baseline")
    assert "reform" in summary_sentence(c, "reform")
    assert "fraud loss" in ledger_markdown(c, "reform")
    assert (report_files(folder, c, None, None) / "report.html").exists()


def test_a_failing_run_is_one_line_and_the_workers_go_on(tmp_path, workers):
    good = _tiny(plan(Setup(World("none"), World("none"), seeds=1, holders=1000)))[0]
    bad = Job("bad", None, None, tmp_path / "bad")  # type: ignore[arg-type]
    ended: dict[str, str | None] = {}
    jobs = [bad, Job(good.key, good.params, good.notes, tmp_path / good.key)]
    assert workers.run(jobs, ended.__setitem__, lambda: False)
    assert ended[good.key] is None
    assert ended["bad"].startswith("AttributeError: ") and "\n" not in ended["bad"]


def test_cancelling_kills_the_workers(tmp_path):
    pool = Workers(processes=1)
    full = plan(Setup(World("none"), World("none"), seeds=1, holders=20_000))[0]
    start = time.monotonic()
    job = Job(full.key, full.params, full.notes, tmp_path / full.key)
    assert not pool.run([job], lambda k, e: None, lambda: time.monotonic() - start > 0.5)
    assert pool.alive == 0 and not (tmp_path / full.key).exists()


def test_the_reference_results_can_be_browsed():
    folders = result_folders()
    assert ROOT / "results" / "lever_comparison" in folders
    runs, metrics = open_folder(ROOT / "results" / "lever_comparison")
    assert metrics.empty  # committed without their monthly table
    c = compare_frames(runs, metrics, "none")
    assert "fraud prevented" in ledger_markdown(c, "copayment")
