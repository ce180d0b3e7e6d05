"""What ran is shown: schedules in words, merge warnings, replace(...), labels, provenance."""

from __future__ import annotations

import re
import warnings

import pytest
from conftest import TINY

import sim
from sim.api import ScheduleMergeWarning, override_value
from sim.config import load_params
from sim.core.errors import ConfigError
from sim.run_notes import describe_overrides, expand_replace, lever_words
from sim.tooling.cli_checks import check_modes, check_presets, check_shell_splits

MERGED = "regulation.copayment_eur={2025-01:150}"


def test_a_schedule_in_words():
    words = lever_words("copayment_eur", {"2025-01": 150.0, "2024-05": 100.0, "2026-01": 103.2})
    assert words == "100 EUR from 2024-05, 150 from 2025-01, 103.20 from 2026-01"
    assert lever_words("canvassing_ban", True) == "on throughout"


def test_a_merged_schedule_is_said_and_its_later_dates_warned():
    notes = describe_overrides([MERGED])
    assert notes.levers["copayment_eur"] == (
        "100 EUR from 2024-05, 150 from 2025-01, 103.20 from 2026-01 — merged with 'historical'"
    )
    (warning,) = notes.warnings
    assert "2026-01 (103.20)" in warning and "replace({2025-01:150})" in warning


def test_a_schedule_that_covers_the_later_dates_gives_no_warning():
    notes = describe_overrides(["regulation.copayment_eur={2025-01:150,2026-01:150}"])
    assert notes.warnings == []
    assert "merged with 'historical'" in notes.levers["copayment_eur"]


def test_replace_runs_only_the_schedule_given():
    overrides = ["regulation.copayment_eur=replace({2025-01:150})"]
    assert load_params(expand_replace(overrides)).regulation.copayment_eur == {"2025-01": 150}
    notes = describe_overrides(overrides)
    assert notes.warnings == []
    assert notes.levers["copayment_eur"] == "150 EUR from 2025-01"


def test_the_label_names_the_change_and_is_shell_safe():
    notes = describe_overrides([MERGED, "seed=4", "population.holders=3000"])
    assert notes.label == "historical+copayment_eur=2025-01_150"
    replaced = describe_overrides(
        ["scenario=none", "regulation.copayment_eur=replace({2019-03:9})"]
    )
    assert replaced.label.startswith("none+copayment_eur=replace_")
    assert re.fullmatch(r"[A-Za-z0-9._=+,-]+", replaced.label)
    assert describe_overrides(["scenario=none", "seed=3"]).label == "none"


def test_run_with_keywords_replaces_levers_and_records_what_ran():
    results = sim.run(
        scenario="none",
        seed=2,
        holders=TINY,
        end="2019-04",
        levers={"copayment_eur": {"2019-03": 50}},
    )
    assert results.config["regulation"]["copayment_eur"] == {"2019-03": 50}
    assert results.summary["levers"] == {"copayment_eur": "50 EUR from 2019-03"}
    assert results.summary["label"] == "none+copayment_eur=replace_2019-03_50"
    assert results.summary["seed"] == 2
    for key in ("run_hash", "command", "python", "packages", "host", "tree_changes"):
        assert key in results.summary, key
    assert results.summary["packages"]["numpy"][0].isdigit()


def test_run_warns_when_an_override_merges():
    with pytest.warns(ScheduleMergeWarning, match="2026-01"):
        sim.run(overrides=[MERGED], holders=TINY, end="2019-02")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sim.run(levers={"copayment_eur": {"2025-01": 150}}, holders=TINY, end="2019-02")


def test_a_bare_string_is_a_clear_type_error():
    with pytest.raises(TypeError, match=r"overrides=\['scenario=none'\]"):
        sim.run("scenario=none")  # type: ignore[arg-type]


def test_python_values_in_the_override_grammar():
    assert override_value({"2025-01": 150, "2026-01": 1.5}) == "{2025-01:150,2026-01:1.5}"
    assert override_value(["job_seeker"]) == "['job_seeker']"
    assert override_value(True) == "true"


@pytest.mark.parametrize(
    ("args", "check", "hint"),
    [
        (
            ["x.y=2025-01:150", "x.y=2026-01:150"],
            check_shell_splits,
            "'x.y={2025-01:150,2026-01:150}'",
        ),
        (["x.y={2025-01:150"], check_shell_splits, "no space inside"),
        (["experiment=smoke"], check_presets, "+experiment=smoke"),
        (["--cfg", "job", "-m", "seed=1,2"], check_modes, "drop -m"),
    ],
)
def test_command_line_slips_get_a_hint(args, check, hint):
    with pytest.raises(ConfigError, match=re.escape(hint)):
        check(args)


def test_a_list_lever_given_one_value_says_how_to_write_a_list():
    with pytest.raises(ConfigError, match=re.escape("[job_seeker]")):
        load_params(["regulation.copayment_exempt=job_seeker"])


def test_a_changed_config_or_pyproject_marks_the_version_dirty(monkeypatch):
    import subprocess

    from sim import provenance
    from sim.core import version

    def git(args, **_):
        changed = " M configs/scenario/historical.yaml" if "configs" in args else ""
        out = "abc1234" if "rev-parse" in args else changed
        return subprocess.CompletedProcess(args, 0, stdout=out)

    monkeypatch.setattr(version.subprocess, "run", git)
    assert version.code_version.__wrapped__().endswith("+gabc1234.dirty")
    monkeypatch.setattr(provenance, "code_version", lambda: "0.1.0+gabc1234.dirty")
    assert provenance.code_fingerprint().startswith("0.1.0+gabc1234.dirty:")
    monkeypatch.setattr(provenance, "code_version", lambda: "0.1.0+gabc1234")
    assert provenance.code_fingerprint() == "0.1.0+gabc1234"


def test_a_sweep_warns_once_per_case_that_merges():
    from sim.run_notes import sweep_warnings

    jobs = [[MERGED, f"seed={k}"] for k in range(3)] + [["regulation.copayment_eur=100", "seed=0"]]
    (warning,) = sweep_warnings(jobs)
    assert warning.startswith(f"{MERGED}: regulation.copayment_eur: merged into scenario")
