"""Named random streams: one generator per (random process, month), for common random numbers.

Every random process of the model draws from its own stream, re-derived each month from the run
seed, the process name and the month. A lever that changes how many draws one process makes in
one month therefore leaves every other process, and every later month, untouched, so paired
policy comparisons under the same seed differ only through the lever's real effects.
"""

from __future__ import annotations

import zlib

import numpy as np

PROCESSES = (
    "initialise",
    "turnover",
    "status",
    "awareness",
    "needs",
    "search",
    "choice",
    "checkout",
    "canvassing",
    "takeover",
    "ghost",
    "completion",
    "discovery",
    "organisations",
    "remote",
    "fraud_networks",
    "regulator",
    "entry",
    "capacity",
    "registration",
)


class Streams:
    """Factory of reproducible generators keyed by process name and month."""

    def __init__(self, seed: int) -> None:
        self.seed = int(seed)

    def get(self, process: str, month: int, salt: int = 0) -> np.random.Generator:
        """A fresh generator for `process` in `month`; `salt` separates sub-streams (agent id)."""
        return np.random.Generator(np.random.PCG64(self._sequence(process, month, salt)))

    def key(self, process: str, month: int, salt: int = 0) -> int:
        """A 64-bit key for per-holder uniforms (`sim.core.events.holder_uniforms`)."""
        return int(self._sequence(process, month, salt).generate_state(1, np.uint64)[0])

    def _sequence(self, process: str, month: int, salt: int) -> np.random.SeedSequence:
        if process not in PROCESSES:
            raise KeyError(f"unknown random process {process!r}")
        key = zlib.crc32(process.encode())
        return np.random.SeedSequence(entropy=self.seed, spawn_key=(key, month + 1, salt))
