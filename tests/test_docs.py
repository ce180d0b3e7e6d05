"""The documentation stays true to the code: parameter tables, docstring tags, README commands."""

import importlib.util
import sys
from dataclasses import MISSING, fields
from pathlib import Path

import pytest

from sim.params import SECTIONS

ROOT = Path(__file__).resolve().parent.parent
REGENERATE = ".venv/bin/python experiments/parameter_table.py"


def _load_table_module():
    path = ROOT / "experiments" / "parameter_table.py"
    spec = importlib.util.spec_from_file_location("parameter_table", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while decorating
    spec.loader.exec_module(module)
    return module


table = _load_table_module()


def test_parameters_md_is_up_to_date():
    committed = ROOT / "docs" / "parameters.md"
    assert committed.exists(), f"docs/parameters.md is missing; generate it with: {REGENERATE}"
    assert committed.read_text(encoding="utf-8") == table.render(), (
        f"docs/parameters.md is out of date with sim/params.py; regenerate it with: {REGENERATE}"
    )


def test_odd_parameter_counts_are_up_to_date():
    odd = (ROOT / "docs" / "ODD.md").read_text(encoding="utf-8")
    assert table.odd_with_counts(odd) == odd, (
        f"the parameter counts in docs/ODD.md are out of date; regenerate with: {REGENERATE}"
    )


def test_generator_writes_and_checks(tmp_path):
    out, odd = tmp_path / "parameters.md", tmp_path / "ODD.md"
    odd.write_text("Counts: <!-- parameter-counts -->old<!-- /parameter-counts --> end.\n")
    assert table.main(["--output", str(out), "--odd", str(odd), "--check"]) == 1
    assert table.main(["--output", str(out), "--odd", str(odd)]) == 0
    assert table.main(["--output", str(out), "--odd", str(odd), "--check"]) == 0
    assert out.read_text(encoding="utf-8") == table.render()
    assert table.counts_sentence() in odd.read_text(encoding="utf-8")


def test_parser_reads_every_field_and_default():
    parsed = table.parse_params()
    assert list(parsed) == list(SECTIONS)
    for section, cls in SECTIONS.items():
        instance = cls()
        names = [f.name for f in fields(cls)]
        assert [p.name for p in parsed[section]] == names, section
        for p in parsed[section]:
            assert p.default == getattr(instance, p.name), p.key
            assert p.doc, f"{p.key} has no docstring"


@pytest.mark.parametrize("section", list(SECTIONS))
def test_every_parameter_is_tagged(section):
    untagged = [p.key for p in table.parse_params()[section] if p.kind == "untagged"]
    assert not untagged, (
        f"these parameters' docstrings say neither 'source:', 'fitted' nor 'assumption': {untagged}"
    )


def test_calibration_sets_only_fitted_parameters():
    keys = {p.key: p for params in table.parse_params().values() for p in params}
    for key in table.calibrated_values():
        assert key in keys, f"configs/calibration/fitted.yaml sets an unknown parameter {key}"
        assert keys[key].kind == "fitted", (
            f"configs/calibration/fitted.yaml sets {key}, whose docstring does not say 'fitted'"
        )


def test_kind_detection():
    assert table.kind_of("Mean balance. source: DARES.") == "sourced"
    assert table.kind_of("Rate. fitted.") == "fitted"
    assert table.kind_of("source: first half of the year; April is an assumption.") == "assumption"
    assert table.kind_of("Shown offers.") == "untagged"


def test_every_field_has_a_default():
    for cls in SECTIONS.values():
        for f in fields(cls):
            assert f.default is not MISSING or f.default_factory is not MISSING, f.name


def test_readme_commands_are_the_ci_commands():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    test_command = next(line for line in ci.splitlines() if line.startswith("bash .ci/setup.sh"))
    assert test_command in readme, f"README must show the test command of .ci/run: {test_command}"
    assert "bash .ci/setup.sh && .venv/bin/cpf-sim" in readme
