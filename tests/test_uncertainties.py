"""Declared uncertainties (configs/uncertainties/): every assumption and fitted parameter has a
plausible range or a reason to be held, and a bad declaration is one line naming its key."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sim.config import load_params
from sim.core.errors import ConfigError
from sim.tooling.sensitivity.uncertainties import _kinds, load_uncertainties


def _declare(tmp: Path, ranges: dict[str, object], fixed: dict[str, str] | None = None) -> str:
    path = tmp / "bad.yaml"
    path.write_text(yaml.safe_dump({"ranges": ranges, **({"fixed": fixed} if fixed else {})}))
    return str(path)


WHY = "a reason"
BAD = [
    ({"behaviour.search_rat": {"low": 0.1, "high": 0.2, "why": WHY}}, "behaviour.search_rat"),
    ({"behaviour.search_rate": {"low": 0.5, "high": 0.2, "why": WHY}}, "at most high"),
    ({"behaviour.search_rate": {"low": 0.1, "high": 1.5, "why": WHY}}, "search_rate.high"),
    ({"behaviour.abandon_remote": {"low": 0.1, "high": 0.2, "why": WHY}}, "sourced"),
    ({"regulation.audit_rate": {"low": 0.1, "high": 0.2, "why": WHY}}, "policy lever"),
    ({"behaviour.search_rate": {"low": 0.1, "high": 0.5, "scale": "cubic", "why": WHY}}, "scale"),
    ({"behaviour.search_rate": {"low": 0.1, "high": 0.5}}, "search_rate.why"),
    ({"behaviour.need_fade": {"low": 0.0, "high": 0.2, "scale": "log", "why": WHY}}, "log scale"),
    ({"fraud.takeover_success": {"low": 0.1, "high": 0.2, "why": WHY}}, "one element"),
    ({"behaviour.search_rate": {"low": 0.1, "high": 0.2, "why": WHY}}, "configuration's value"),
    ({"behaviour.search_rate": {"low": 0.1, "high": 0.5, "mode": 3, "why": WHY}}, "mode"),
    ({"population.shown_offers": {"low": 1, "high": 2, "why": WHY}}, "population.shown_offers"),
    ({"behaviour.shown_offers": {"low": 5.5, "high": 20, "why": WHY}}, "whole number"),
]


@pytest.mark.parametrize(("ranges", "named"), BAD, ids=[n for _, n in BAD])
def test_a_bad_declaration_is_one_line_naming_its_key(
    ranges: dict[str, object], named: str, tmp_path: Path
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_uncertainties(_declare(tmp_path, ranges), load_params())
    assert "\n" not in str(caught.value) and named in str(caught.value), str(caught.value)


def test_the_default_declaration_covers_every_assumption_and_fitted_parameter() -> None:
    declared = load_uncertainties("default", load_params())
    covered = {k.rsplit(".", 1)[0] if k.count(".") == 2 else k for k in declared.keys}
    covered |= set(declared.fixed)
    uncertain = {
        key
        for key, (kind, _) in _kinds().items()
        if kind in ("assumption", "fitted") and not key.startswith(("regulation.", "context."))
    }
    assert uncertain - covered == set(), "declare a range for these, or hold them under fixed"
    assert len(declared.groups()) >= 15
