"""experiments/model_checks.py: the seed noise that tells a scale or resolution gap from luck."""

import importlib.util
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location(
    "model_checks", ROOT / "experiments" / "model_checks.py"
)
model_checks = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = model_checks
spec.loader.exec_module(model_checks)


def test_the_seed_noise_is_the_95pct_range_of_a_gap_between_two_medians():
    rng = np.random.default_rng(1)
    assert model_checks.seed_noise(np.full(10, 5.0)) == 0.0
    # Two medians of 10 draws of N(100, 2): sd of their gap ~ 1.25 x 2 / 100 x sqrt(2 / 10)
    # = 1.1%, so the 95% half-range ~ 2.2% (one sample of 10 gives 0.9% to 3%: averaged over 20).
    narrow = np.mean([model_checks.seed_noise(rng.normal(100.0, 2.0, 10)) for _ in range(20)])
    assert 0.016 < narrow < 0.028
    wide = np.mean([model_checks.seed_noise(rng.normal(100.0, 20.0, 10)) for _ in range(20)])
    assert 8 < wide / narrow < 12
    more_seeds = np.mean([model_checks.seed_noise(rng.normal(100.0, 20.0, 40)) for _ in range(20)])
    assert 0.35 < more_seeds / wide < 0.65
