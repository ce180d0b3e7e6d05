"""Bad input of any kind is refused before any work: one line naming the key, exit code 2.

A property-based test draws parameter values (finite, non-finite, out of range, wrong type)
through the config layer in-process; a handful of cases run the real command line.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import tempfile
from dataclasses import fields, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from sim.api import run
from sim.config import load_params
from sim.core.errors import ConfigError
from sim.params import SECTIONS, BehaviourParams, SimParams

# Hypothesis caches what it learns in a folder; keep it out of the repository.
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "cpf-sim-hypothesis"))
LEVERS = ("copayment_eur", "canvassing_enforcement", "audit_rate", "anomaly_detection")
NUMERIC = sorted(
    [
        f"{section}.{f.name}"
        for section, cls in SECTIONS.items()
        if section != "regulation"
        for f in fields(cls)
        if isinstance(getattr(cls(), f.name), int | float)
        and not isinstance(getattr(cls(), f.name), bool)
    ]
    + [f"regulation.{lever}" for lever in LEVERS]
    + ["seed"]
)
NON_FINITE = st.sampled_from(["nan", "inf", "-inf", "1e400", "-1e400"])
WRONG_TYPE = st.sampled_from(["abc", "'1.5x'", "[1,2]", "{a:1}", "true", "null"])
# Out of range for every key ("-1" is not: behaviour.use_base allows -10 to 10).
OUT_OF_RANGE = st.sampled_from(["-1e12", str(2**70), "1" * 400])
FINITE = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False).map(repr)


def _schedule(value: str) -> str:
    return "{2024-05:" + value + "}"


@settings(
    max_examples=40,
    derandomize=True,  # the same examples on every run: a failure is reproducible
    database=None,  # nothing written outside the test's temporary folders
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    key=st.sampled_from(NUMERIC),
    kind=st.sampled_from(["non_finite", "wrong_type", "out_of_range", "finite"]),
    data=st.data(),
)
def test_any_value_is_used_exactly_or_refused_in_one_line_naming_its_key(
    key: str, kind: str, data: st.DataObject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    strategy = {
        "non_finite": NON_FINITE,
        "wrong_type": WRONG_TYPE,
        "out_of_range": OUT_OF_RANGE,
        "finite": FINITE,
    }[kind]
    raw = value = data.draw(strategy)
    if key.startswith("regulation.") and data.draw(st.booleans()):
        value = _schedule(raw)  # a lever's schedule value is checked like a constant
    monkeypatch.chdir(tmp_path)
    try:
        params = load_params(["scenario=none", f"{key}={value}"])
    except ConfigError as error:
        message = str(error)
        assert "\n" not in message and error.key.startswith(key), message
        assert list(tmp_path.iterdir()) == []  # nothing written
        return
    assert kind == "finite", f"{key}={value} ({kind}) was accepted"
    section, _, name = key.partition(".")
    got = getattr(getattr(params, section), name) if name else getattr(params, section)
    if key.startswith("regulation.") and isinstance(got, dict):
        got = next(iter(got.values()))
    assert math.isclose(float(got), float(raw)), f"{key}={value} became {got}"


def test_parameters_built_in_python_are_checked_too() -> None:
    """`sim.run(params)` refuses a non-finite number however the parameters were made."""
    with pytest.raises(ConfigError, match="search_rate"):
        params = replace(SimParams(), behaviour=replace(BehaviourParams(), search_rate=math.nan))
        run(params)


CLI_CASES = [
    (["=5"], "command line"),
    (["+population.holder=5000"], "did you mean population.holders"),
    (["behaviour.search_rate=" + "1" * 400], "behaviour.search_rate"),
    (["regulation.copayment_eur=nan"], "regulation.copayment_eur"),
    (["-m", "seed=range(0,0)"], "no job"),
]


@pytest.mark.parametrize(("args", "named"), CLI_CASES, ids=[" ".join(a)[:30] for a, _ in CLI_CASES])
def test_the_command_line_refuses_in_one_line_with_exit_2(
    args: list[str], named: str, tmp_path: Path
) -> None:
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path / "mpl")}
    (tmp_path / "cwd").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "sim", *args],
        cwd=tmp_path / "cwd",
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 2, done.stderr[-2000:]
    assert len(lines) == 1 and lines[0].startswith("cpf-sim: config error: "), done.stderr
    assert named in lines[0]
    assert done.stdout == "" and list((tmp_path / "cwd").iterdir()) == []
