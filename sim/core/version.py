"""The code version recorded with every result (package version plus git commit if known)."""

from __future__ import annotations

import subprocess
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@cache
def code_version() -> str:
    """'X.Y.Z+g<commit>' ('.dirty' if sim/, configs/, pyproject.toml changed), or 'X.Y.Z'."""
    try:
        base = version("cpf-sim")
    except PackageNotFoundError:
        base = "0+unknown"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "sim", "configs", "pyproject.toml"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return base
    return f"{base}+g{commit}" + (".dirty" if dirty else "")
