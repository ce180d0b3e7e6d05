"""Fraud eliminated or displaced: the split of a lever's paired change in loss by channel."""

from __future__ import annotations

import pandas as pd
import pytest

from sim.tooling.displacement import displacement, displacement_section


def _runs() -> pd.DataFrame:
    rows = []
    for seed in range(4):
        # The lever closes takeovers (-10 M) and networks move to ghost training (+3 M).
        base = {"takeover": 12e6, "pressured": 5e6, "ghost": 1e6}
        lever = {"takeover": 2e6, "pressured": 5e6, "ghost": 4e6}
        for scenario, loss, effort in (
            ("none", base, (600.0, 300.0, 100.0)),
            ("identity_check", lever, (200.0, 400.0, 400.0)),
        ):
            row = {"scenario": scenario, "seed": seed, "status": "ok"}
            row |= {f"fraud_loss_{c}_eur": v + seed for c, v in loss.items()}
            row |= {
                f"network_effort_{c}": e
                for c, e in zip(("takeover", "pressured", "ghost"), effort, strict=True)
            }
            rows.append(row)
    return pd.DataFrame(rows)


def test_fraud_that_moves_to_another_channel_is_displaced_not_eliminated():
    row = displacement(_runs(), "none").set_index("scenario").loc["identity_check"]
    assert row["takeover"] == pytest.approx(-10e6)
    assert row["fallen"] == pytest.approx(10e6)
    assert row["displaced"] == pytest.approx(3e6)
    assert row["eliminated"] == pytest.approx(7e6)
    assert row["effort_share_takeover"] == pytest.approx(-40.0)
    assert row["effort_share_ghost"] == pytest.approx(30.0)


def test_the_report_section_names_each_scenario():
    lines = displacement_section(_runs(), "none", ["identity_check"])
    assert any(line.startswith("| identity_check |") for line in lines)
