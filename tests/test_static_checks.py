"""The code passes its linters and type checker (ruff, mypy), as configured in pyproject.toml."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "sim", "tests", "experiments"],
        ["ruff", "format", "--check", "sim", "tests", "experiments"],
        ["mypy", "sim"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_static_check_passes(command):
    tool = BIN / command[0]
    if not tool.exists() and shutil.which(command[0]) is None:
        pytest.fail(f"{command[0]} is not installed: run `bash .ci/setup.sh dev`")
    executable = str(tool) if tool.exists() else command[0]
    result = subprocess.run([executable, *command[1:]], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
