"""cpf-sim: an agent-based model of France's personal training account (CPF) market.

`sim.run(...)` simulates one scenario and returns `Results`; `sim.load(path)` reads a saved
run back; `sim.sweep(...)` and `sim.compare(...)` run scenarios x seeds and return tidy frames;
`sim.load_sweep(path)` reads a sweep's tables; `sim.sensitivity(path)` analyses a sample
design's sweep (indices, robust conclusions, PRIM boxes); `sim.outcomes` is the outcome registry
(`sim.outcomes.catalogue()`: labels and units). See README.md and docs/ODD.md.

The package face is lazy: `import sim` (or `import sim.core.domain`) loads nothing heavy; each
name below is imported on first use, from the bottom of the layers up:

    core -> params, outcomes -> state -> processes, agents -> model
         -> api, results, config, calibration -> tooling

This file imports none of them, not even for type checkers, so that it sits below every layer.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Public name -> the module that defines it (in layer order).
_EXPORTS = {
    "SimParams": "sim.params",
    "run": "sim.api",
    "ScheduleMergeWarning": "sim.api",
    "Results": "sim.results",
    "load": "sim.results",
    "sweep": "sim.tooling.batch",
    "compare": "sim.tooling.batch",
    "load_sweep": "sim.tooling.tables",
    "sensitivity": "sim.tooling.sensitivity.report",
}
__all__ = [
    "Results",
    "ScheduleMergeWarning",
    "SimParams",
    "__version__",
    "compare",
    "load",
    "load_sweep",
    "outcomes",
    "run",
    "sensitivity",
    "sweep",
]


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562) and cache it in the package namespace."""
    if name == "__version__":
        from sim.core.version import code_version

        value: Any = code_version()
    elif name == "outcomes":  # the registry module: OUTCOMES, catalogue()
        value = import_module("sim.outcomes")
    elif name == "SimParams":
        import_module("sim.param_docs").document()  # field meanings and units in help()
        value = import_module("sim.params").SimParams
    elif name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
    else:
        raise AttributeError(f"module 'sim' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
