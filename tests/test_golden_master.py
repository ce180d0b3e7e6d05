"""Golden master: a few full-horizon runs compared exactly with results stored in tests/golden/.

Written before the package was re-layered (issue 7) so that moving code could be shown to leave
every number bit-identical. A deliberate model change regenerates the files:

    CPF_GOLDEN_REGENERATE=1 .venv/bin/python -m pytest tests/test_golden_master.py

and the commit says why the results moved.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.conftest import simulate

GOLDEN = Path(__file__).resolve().parent / "golden"
HOLDERS = 20_000
CASES: dict[str, tuple[str, ...]] = {
    "none": ("scenario=none", "seed=3"),
    "historical": ("seed=0",),
    "historical_payment_on_attendance": ("regulation.payment_on_attendance=true", "seed=1"),
    "heavy_fraud": ("scenario=none", "fraud.networks=12", "fraud.contacts=240000", "seed=2"),
}
# Provenance that legitimately differs between commits.
VOLATILE = {"version", "run_hash", "command", "python", "packages", "host", "tree_changes"}
# Words, not numbers, changed after the golden files were written (issue 11): what ran in words,
# and the label, now derived from the overrides (e.g. 'historical+payment_on_attendance=true').
ADDED = {"levers", "warnings", "label"}


def _summary(summary: dict) -> dict:
    return {k: v for k, v in summary.items() if k not in VOLATILE | ADDED}


@pytest.mark.parametrize("case", sorted(CASES))
def test_runs_match_the_golden_master_exactly(case: str) -> None:
    results = simulate(*CASES[case], holders=HOLDERS)
    metrics_file, summary_file = GOLDEN / f"{case}.parquet", GOLDEN / f"{case}.json"
    if os.environ.get("CPF_GOLDEN_REGENERATE") == "1":
        GOLDEN.mkdir(exist_ok=True)
        results.metrics.to_parquet(metrics_file, index=False)
        summary_file.write_text(json.dumps(_summary(results.summary), indent=1, sort_keys=True))
        pytest.skip(f"regenerated {case}")
    expected = pd.read_parquet(metrics_file)
    assert list(results.metrics.columns) == list(expected.columns)
    assert results.metrics["month"].astype(str).tolist() == expected["month"].astype(str).tolist()
    for column in expected.columns.drop("month"):
        got, want = results.metrics[column].to_numpy(), expected[column].to_numpy()
        assert np.array_equal(got, want), f"{case}: {column!r} differs"
    want_summary = _summary(json.loads(summary_file.read_text()))
    assert json.loads(json.dumps(_summary(results.summary), sort_keys=True)) == want_summary
