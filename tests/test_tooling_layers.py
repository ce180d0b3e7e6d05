"""The tooling half of the layering: a lazy package face, no registration at import, and no
import from the API layer (api, results, config, calibration) or below into sim.tooling."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parent.parent / "sim"
HEAVY = ("hydra", "omegaconf", "pandas", "pyarrow", "scipy", "mesa", "matplotlib")


def _imports(path: Path) -> set[str]:
    """Every module a file imports, at any depth (functions, TYPE_CHECKING blocks included)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, check=True
    )


def test_importing_the_core_loads_no_heavy_library():
    done = _run("import sim.core.domain")
    loaded = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines()}
    heavy = sorted(m for m in loaded if m.split(".")[0] in HEAVY)
    assert not heavy, f"import sim.core.domain loads {heavy[:8]}"


def test_the_package_face_is_lazy_and_complete():
    code = (
        "import sys, sim; assert 'sim.api' not in sys.modules; "
        "import sim as s; [getattr(s, n) for n in s.__all__]; print(s.__version__)"
    )
    assert _run(code).stdout.strip()


def test_nothing_registers_at_import():
    code = (
        "import sim.tooling.cli, sim.tooling.runner, sim.config\n"
        "from hydra.core.config_store import ConfigStore\n"
        "from omegaconf import OmegaConf\n"
        "assert 'schema.yaml' not in ConfigStore.instance().repo, 'schema registered'\n"
        "assert not OmegaConf.has_resolver('cpf_run_name'), 'resolver registered'\n"
    )
    _run(code)


@pytest.mark.parametrize(
    "path",
    sorted(p for p in SIM.rglob("*.py") if "tooling" not in p.parts and p.name != "__main__.py"),
    ids=lambda p: str(p.relative_to(SIM)),
)
def test_nothing_below_tooling_imports_it(path: Path):
    upward = sorted(m for m in _imports(path) if m.startswith("sim.tooling"))
    assert not upward, f"{path.relative_to(SIM)} imports {upward}"


def test_tooling_modules_have_no_cycle_and_stay_small():
    modules = {p.stem: p for p in (SIM / "tooling").glob("*.py") if p.stem != "__init__"}
    edges = {
        name: {m.split(".")[2] for m in _imports(path) if m.startswith("sim.tooling.")}
        & set(modules)
        for name, path in modules.items()
    }
    visiting, done = set(), set()

    def visit(name: str, trail: list[str]) -> None:
        assert name not in visiting, f"import cycle: {' -> '.join([*trail, name])}"
        if name in done:
            return
        visiting.add(name)
        for target in edges[name]:
            visit(target, [*trail, name])
        visiting.discard(name)
        done.add(name)

    for name in modules:
        visit(name, [])
    for path in [*modules.values(), SIM / "api.py", SIM / "config.py", SIM / "results.py"]:
        assert len(path.read_text().splitlines()) <= 400, f"{path.name} is over 400 lines"
