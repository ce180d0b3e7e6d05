"""Results: the save/load round trip, the run totals and the lever dates of a scenario."""

import json

import numpy as np
import pandas as pd
import pytest
from conftest import SMALL, TINY, simulate

from sim.core.calendar import month_label
from sim.outcomes import DERIVED, FLOWS, STOCKS
from sim.results import SUMMARY_FILE, load


@pytest.fixture(scope="module")
def historical():
    """The default scenario over the whole horizon."""
    return simulate("seed=5", holders=SMALL)


def test_metrics_have_one_row_per_month_and_one_column_per_outcome(historical):
    m = historical.metrics
    assert list(m["month"]) == [month_label(i) for i in range(96)]
    assert set(m.columns) == {"month", *FLOWS, *STOCKS, *DERIVED}
    assert np.isfinite(m.drop(columns="month").to_numpy()).all()


def test_summary_totals_are_the_sums_of_the_monthly_flows(historical):
    m, s = historical.metrics, historical.summary
    for flow in FLOWS:
        assert s[flow] == pytest.approx(m[flow].sum(), rel=1e-12, abs=1e-6), flow
    assert s["mean_trust"] == m["mean_trust"].iloc[-1]
    assert s["holders"] == SMALL and s["months"] == 96
    assert s["scale"] == pytest.approx(38_800_000 / SMALL)


def test_save_and_load_round_trip(historical, tmp_path):
    folder = historical.save(tmp_path / "run")
    assert sorted(p.name for p in folder.iterdir()) == [
        "config.yaml",
        "metrics.parquet",
        "summary.json",
    ]  # data only: figures are tooling
    back = load(folder)
    pd.testing.assert_frame_equal(back.metrics, historical.metrics, check_exact=True)
    assert back.summary == historical.summary
    assert back.config == historical.config
    assert json.loads((folder / SUMMARY_FILE).read_text()) == historical.summary
    assert not [p.name for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_loading_an_incomplete_folder_fails_loudly(tmp_path):
    with pytest.raises(FileNotFoundError, match="summary.json"):
        load(tmp_path)


# The lever dates of the historical scenario (DOMAIN.md §3 and configs/scenario/historical.yaml):
# each must be marked as a change in the run's summary.
HISTORICAL_DATES = {
    "identity_check": ["2020-12", "2022-10"],  # FranceConnect, then FranceConnect+
    "canvassing_ban": ["2022-12"],  # loi 2022-1587 of 19 Dec 2022
    "copayment_eur": ["2024-05"],  # 100 EUR from 2 May 2024 (then indexed)
    "qualiopi_required": ["2022-01"],
    "business_creation_restricted": ["2022-04"],
}


def test_historical_lever_changes_are_recorded(historical):
    changes = historical.summary["lever_changes"]
    for lever, dates in HISTORICAL_DATES.items():
        assert lever in changes, f"{lever} missing from {sorted(changes)}"
        assert set(dates) <= set(changes[lever]), f"{lever}: {changes[lever]}"
    months = [m for dates in changes.values() for m in dates]
    assert all("2019-02" <= m <= "2026-12" for m in months)  # a change needs a month before it
    assert all(dates == sorted(dates) for dates in changes.values())
    for constant in ("ranking", "payment_on_attendance", "copayment_exempt"):
        assert constant not in changes


def test_lever_changes_of_a_custom_schedule_are_exact():
    results = simulate(
        "scenario=none",
        "end=2025-06",
        "regulation.copayment_eur={2024-05:100,2025-01:102.23}",
        holders=TINY,
    )
    assert results.summary["lever_changes"] == {"copayment_eur": ["2024-05", "2025-01"]}


def test_no_lever_no_change():
    results = simulate("scenario=none", "end=2019-12", holders=TINY)
    assert results.summary["lever_changes"] == {}


def test_a_truncated_or_damaged_run_folder_is_refused(tmp_path):
    """`load` never returns parameters or series cut short (issue 8)."""
    results = simulate("scenario=none", "end=2019-03", holders=TINY)
    folder = results.save(tmp_path / "run")
    config = (folder / "config.yaml").read_bytes()
    loaded = []
    cuts = {*range(0, len(config), max(1, len(config) // 60)), len(config) - 2, len(config) - 1}
    for cut in sorted(cuts):  # the file cut short anywhere (60 places, and its last bytes)
        (folder / "config.yaml").write_bytes(config[:cut])
        try:
            loaded.append(load(folder).config)
        except ValueError as error:
            assert "\n" not in str(error) and "config.yaml" in str(error), str(error)
    assert all(c == results.config for c in loaded), "a truncated config.yaml was accepted"
    (folder / "config.yaml").write_bytes(config)
    assert load(folder).config == results.config
    metrics = (folder / "metrics.parquet").read_bytes()
    (folder / "metrics.parquet").write_bytes(metrics[: len(metrics) // 2])
    with pytest.raises(ValueError, match="metrics.parquet is unreadable"):
        load(folder)
    (folder / "metrics.parquet").write_bytes(metrics)
    (folder / "summary.json").write_text((folder / "summary.json").read_text()[:50])
    with pytest.raises(ValueError, match="summary.json is unreadable"):
        load(folder)
