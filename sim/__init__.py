"""cpf-sim: an agent-based model of France's personal training account (CPF) market.

`sim.run(...)` simulates one scenario and returns `Results`; `sim.load(path)` reads a saved
run back. See README.md and docs/ODD.md.
"""

from sim.api import run
from sim.core.version import code_version
from sim.params import SimParams
from sim.results import Results, load
from sim.tooling.sweep import load_sweep as load_sweep

__version__ = code_version()
__all__ = ["Results", "SimParams", "load", "run"]
