"""experiments/calibrate.py: its refinement box, its re-scoring seeds and its input checks."""

import importlib.util
import math
import subprocess
import sys
from pathlib import Path

import pytest

from sim.calibration.free import FREE

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "experiments" / "calibrate.py"
spec = importlib.util.spec_from_file_location("calibrate", SCRIPT)
calibrate = importlib.util.module_from_spec(spec)
spec.loader.exec_module(calibrate)


def middle() -> dict[str, float]:
    """Each free parameter at the middle of its range (on its search scale)."""
    return {key: math.sqrt(low * high) if log else (low + high) / 2 for key, low, high, log in FREE}


def test_without_sigma_the_box_is_the_whole_range():
    assert calibrate.search_box(middle(), None) == FREE


def test_the_refinement_box_is_six_sigmas_of_each_range_around_the_start():
    start = middle()
    for (key, low, high, log), (_, lo, hi, log2) in zip(
        FREE, calibrate.search_box(start, 0.05), strict=True
    ):
        to = math.log if log else float
        assert log2 == log
        assert to(hi) - to(lo) == pytest.approx(0.3 * (to(high) - to(low)))
        assert (to(lo) + to(hi)) / 2 == pytest.approx(to(start[key]))


def test_the_refinement_box_is_cut_at_the_bounds():
    at_low = {key: low for key, low, _, _ in FREE}
    for (_, low, high, log), (_, lo, hi, _) in zip(
        FREE, calibrate.search_box(at_low, 0.05), strict=True
    ):
        to = math.log if log else float
        assert lo == pytest.approx(low)
        assert to(hi) - to(lo) == pytest.approx(0.15 * (to(high) - to(low)))


def test_re_scoring_adds_as_many_fresh_seeds():
    assert calibrate.rescored_seeds([0, 1, 2]) == [0, 1, 2, 1000, 1001, 1002]
    assert not set(calibrate.held_out_seeds([0, 1, 2])) & set(calibrate.rescored_seeds([0, 1, 2]))


def test_a_winner_is_written_only_if_it_also_wins_on_held_out_seeds():
    current = middle()
    other = {**current, FREE[0][0]: FREE[0][1]}
    assert calibrate.reason_to_keep(other, current, (0.04, 0.05)) is None
    assert "lose on the held-out seeds (0.0568 vs 0.0418)" in calibrate.reason_to_keep(
        other, current, (0.0568, 0.0418)
    )
    assert "lose on the held-out" in calibrate.reason_to_keep(other, current, (0.05, 0.05))
    kept = calibrate.reason_to_keep(calibrate.as_written(current), current, (0.04, 0.05))
    assert kept == "the current values score best on the re-scoring seeds"


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--rescore", "0"], "--rescore: 0 is not allowed"),
        (["--sigma", "2"], "--sigma: 2.0 is not allowed"),
        (["--only", "behaviour.nope"], "--only: 'behaviour.nope' is not a free parameter"),
        (["--start", "market.entry_rate=x"], "--start: market.entry_rate='x' is not a number"),
    ],
)
def test_bad_flags_stop_with_one_line_before_any_work(flags, message):
    done = subprocess.run(
        [sys.executable, str(SCRIPT), *flags], capture_output=True, text=True, cwd=ROOT
    )
    assert done.returncode == 2
    assert message in done.stderr
    assert "Fitting" not in done.stdout
