"""The Python API feels like pandas: keyword calls, tidy frames with units, short repr, help()."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import TINY

import sim

HUGE_COPAY = {"levers": {"copayment_eur": {"2019-03": 100_000}}}
SMALL = {"holders": TINY, "end": "2019-05", "progress": False}


@pytest.fixture(scope="module")
def tiny_run() -> sim.Results:
    return sim.run(scenario="none", seed=1, holders=TINY, end="2019-06")


def test_repr_is_one_short_line(tiny_run):
    text = repr(tiny_run)
    assert "\n" not in text and len(text) < 250
    assert text.startswith("<Results 'none' seed 1, 2019-01..2019-06, 5,000 holders")


def test_to_frame_has_period_months_and_units(tiny_run):
    frame = tiny_run.to_frame()
    assert isinstance(frame.index, pd.PeriodIndex) and str(frame.index[0]) == "2019-01"
    assert frame.attrs["outcomes"]["fraud_loss_eur"] == {
        "label": "fraud loss",
        "unit": "EUR",
        "kind": "flow",
        "better": "lower",
    }
    assert "month" in tiny_run.metrics  # the stored table is unchanged


def test_plot_titles_panels_from_the_registry(tiny_run):
    import matplotlib.pyplot as plt

    axes = tiny_run.plot("useful_enrolments", "fraud_loss_eur")
    assert [ax.get_title() for ax in axes] == ["useful enrolments (k)", "fraud loss (EUR M)"]
    plt.close("all")
    with pytest.raises(KeyError, match="nope"):
        tiny_run.plot("nope")


def test_help_shows_each_fields_meaning_default_and_range():
    doc = sim.SimParams.__doc__
    assert "regulation.copayment_eur (default 0.0): Flat amount paid by the holder" in doc
    assert "population.holders (default 100000, range 1000 to 50000000): Simulated" in doc


def test_the_outcome_catalogue_and_the_public_names():
    table = sim.outcomes.catalogue()
    assert table.loc["deterred_persons", "unit"] == "holders"
    assert table.loc["fraud_loss_eur", "better"] == "lower"
    for name in ("run", "sweep", "compare", "load", "load_sweep", "outcomes", "Results"):
        assert name in sim.__all__


def test_sweep_returns_tidy_frames_in_order():
    runs, metrics = sim.sweep(
        {"none": "none", "copay": {"scenario": "none", **HUGE_COPAY}}, 2, **SMALL
    )
    assert list(runs["scenario"]) == ["none", "none", "copay", "copay"]
    assert list(runs["seed"]) == [0, 1, 0, 1]
    assert len(metrics) == 4 * 5 and isinstance(metrics["month"].dtype, pd.PeriodDtype)
    assert runs.attrs["outcomes"]["useful_enrolments"]["label"] == "useful enrolments"


def test_compare_pairs_variants_on_the_baseline_scenario_in_worker_processes():
    effects = sim.compare("none", {"copay": HUGE_COPAY}, 2, start="2019-03", workers=2, **SMALL)
    honest = effects.set_index("outcome").loc["legit_enrolments"]
    assert honest["difference"] < 0 and honest["reads"] in ("worse", "no clear change")
    assert set(effects["scenario"]) == {"copay"} and "fraud_loss_eur" in set(effects["outcome"])
    assert effects.attrs["window"] == "2019-03 to end"


def test_a_variant_without_a_scenario_is_the_baseline_scenario_exactly():
    effects = sim.compare("none", {"same": {"overrides": []}}, 2, **SMALL)
    assert (effects["difference"] == 0).all()
