"""Provenance that stands alone in a run's summary.json: hash, command, versions, host.

A run folder copied elsewhere must still say what made it: the hash of its resolved parameters
and code (`run_hash`: equal hashes give equal results), the command line, the Python and key
library versions, the host, and which tracked files that shape results (sim/, configs/,
pyproject.toml) had uncommitted changes (`tree_changes`); `sim.core.version.code_version` marks
the version '.dirty' when any of them changed.
"""

from __future__ import annotations

import hashlib
import json
import platform
import socket
import subprocess
import sys
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from sim.core.version import ROOT, code_version

KEY_PACKAGES = ("mesa", "numpy", "scipy", "pandas", "pyarrow", "hydra-core", "omegaconf")
TRACKED = ("sim", "configs", "pyproject.toml")


def code_fingerprint() -> str:
    """Give the source version, plus a digest of the sources if they hold uncommitted changes.

    The digest covers sim/*.py, configs/ and pyproject.toml, so a changed source re-runs a
    sweep's runs even when the commit is the same.
    """
    text = code_version()
    if not text.endswith(".dirty"):
        return text
    digest = hashlib.sha256()
    sources = [*(ROOT / "sim").rglob("*.py"), *(ROOT / "configs").rglob("*.yaml")]
    for path in sorted([*sources, ROOT / "pyproject.toml"]):
        if path.exists():
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return f"{text}:{digest.hexdigest()[:12]}"


def run_hash(params_dict: dict[str, Any]) -> str:
    """Hash of the resolved parameters and the code: equal hashes give equal results."""
    payload = json.dumps(params_dict, sort_keys=True, default=str) + "|" + code_fingerprint()
    return hashlib.sha256(payload.encode()).hexdigest()[:16]


@cache
def tree_changes() -> list[str]:
    """Tracked paths under sim/, configs/ or pyproject.toml with uncommitted changes."""
    try:
        out = subprocess.run(
            ["git", "status", "--porcelain", "--", *TRACKED],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return []
    return sorted(line[3:] for line in out.splitlines() if line.strip())


@cache
def _packages() -> dict[str, str]:
    found = {}
    for name in KEY_PACKAGES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def provenance(params_dict: dict[str, Any]) -> dict[str, Any]:
    """The summary.json entries that say what made a run."""
    return {
        "run_hash": run_hash(params_dict),
        "command": " ".join(sys.argv),
        "python": platform.python_version(),
        "packages": dict(_packages()),
        "host": socket.gethostname(),
        "tree_changes": list(tree_changes()),
    }
