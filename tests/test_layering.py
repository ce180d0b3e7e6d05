"""The package's folders are its architecture: imports point only downward, with no cycle.

An `ast` walk over every module of sim/ collects every import (module level, inside functions
and under TYPE_CHECKING alike) and checks it against the layer order of docs/ODD.md §2 and the
README: core -> params, outcomes -> state -> platform -> agents -> processes -> model -> api,
results, config, calibration -> tooling -> the package face.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parent.parent / "sim"
MAX_LINES = 400
LONG_ALLOWED = {"sim.params"}  # one field per parameter, each with its documentation

LAYERS: list[tuple[str, ...]] = [
    ("sim.core",),
    ("sim.params", "sim.outcomes", "sim.outcome_labels"),
    ("sim.state",),
    ("sim.platform",),
    ("sim.agents",),
    ("sim.processes",),
    ("sim.model",),
    # the API layer; provenance, run_notes and param_docs serve api and the command line
    (
        "sim.api",
        "sim.results",
        "sim.config",
        "sim.calibration",
        "sim.provenance",
        "sim.run_notes",
        "sim.param_docs",
    ),
    ("sim.tooling",),
    ("sim", "sim.__main__"),
]


def module_name(path: Path) -> str:
    parts = path.relative_to(SIM.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(SIM.rglob("*.py"))}


def layer(module: str) -> int:
    """Index of the layer a module belongs to (the longest matching prefix wins)."""
    best, rank = -1, -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best:
                best, rank = len(prefix), index
    if rank < 0:
        raise AssertionError(f"{module} is in no layer: add it to LAYERS")
    return rank


def imports_of(module: str) -> set[str]:
    """Every sim module imported anywhere in `module` (functions and TYPE_CHECKING included)."""
    tree = ast.parse(MODULES[module].read_text())
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(
                f"{node.module}.{a.name}"
                for a in node.names
                if f"{node.module}.{a.name}" in MODULES
            )
    return {name for name in found if name in MODULES and name != module}


GRAPH = {module: imports_of(module) for module in MODULES}


def test_every_module_belongs_to_a_layer() -> None:
    for module in MODULES:
        layer(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_only_downward(module: str) -> None:
    upward = sorted(i for i in GRAPH[module] if layer(i) > layer(module))
    assert not upward, f"{module} (layer {layer(module)}) imports from above: {upward}"


def test_no_import_cycle() -> None:
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in sorted(GRAPH[module]):
            if state.get(target) == 1:
                cycle = path[path.index(target) :] + [target]
                raise AssertionError("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in sorted(MODULES):
        if module not in state:
            visit(module)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_small(module: str) -> None:
    lines = len(MODULES[module].read_text().splitlines())
    assert module in LONG_ALLOWED or lines <= MAX_LINES, f"{module}: {lines} lines"


def test_the_checker_sees_upward_and_cyclic_imports(monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks above can fail: an upward edge and a cycle planted in the graph are caught."""
    monkeypatch.setitem(GRAPH, "sim.core.domain", GRAPH["sim.core.domain"] | {"sim.model"})
    with pytest.raises(AssertionError, match="imports from above"):
        test_imports_point_only_downward("sim.core.domain")
    with pytest.raises(AssertionError, match="import cycle"):
        test_no_import_cycle()
