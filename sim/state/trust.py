"""Holders' trust in the platform, which drifts every month without a pass over every holder.

Each month everyone's trust moves the same way, x -> clip(keep * x + shift, 0, 1) (recovery
toward the initial level, less the month's scam news). Increasing clipped affine maps compose
into one of the same form, so a holder's trust is stored as the value it was last set to and
the month it was set, and read through the composed drift of the months since: exact, and a
month's drift costs one update per month of the horizon instead of one per holder.

The holders set in each month form a group with its count, sum and range, so the mean trust is
exact without a pass over every holder too; only if a group's range may reach a clip (heavy
scam news) is the mean computed by a pass.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

CHUNK = 1 << 20  # rows per slice in the rare exact pass
EPS = 1e-12


class TrustBook:
    """Trust of every holder (0-1), stored as the value set and the month since."""

    def __init__(self, n: int, initial: float, n_months: int) -> None:
        self.value = np.full(n, initial, dtype=np.float32)
        """Trust when last set."""
        self.since = np.zeros(n, dtype=np.int16)
        """Month in which it was last set."""
        groups = n_months + 1
        # The composed drift from each month to now: clip(scale * x + offset, low, high).
        self.scale, self.offset = np.ones(groups), np.zeros(groups)
        self.low, self.high = np.zeros(groups), np.ones(groups)
        # Each month's group: holders last set then, the sum and range of their values.
        self.count, self.total = np.zeros(groups), np.zeros(groups)
        self.smallest, self.largest = np.full(groups, np.inf), np.full(groups, -np.inf)
        self.count[0], self.total[0] = n, n * float(np.float32(initial))
        self.smallest[0] = self.largest[0] = float(np.float32(initial))
        self.month = 0
        """Months drifted so far: values set now belong to this month's group."""

    @property
    def size(self) -> int:
        """Number of holders."""
        return int(self.value.size)

    def get(self, rows: NDArray[np.integer] | slice) -> NDArray[np.float32]:
        """Current trust of `rows`."""
        m = self.since[rows]
        x = self.scale[m] * self.value[rows] + self.offset[m]
        return np.clip(x, self.low[m], self.high[m]).astype(np.float32)

    def set(self, rows: NDArray[np.integer], values: NDArray[np.floating] | float) -> None:
        """Set the trust of distinct `rows` (clipped to 0-1)."""
        if rows.size == 0:
            return
        groups = self.count.size
        self.count -= np.bincount(self.since[rows], minlength=groups)
        self.total -= np.bincount(self.since[rows], weights=self.value[rows], minlength=groups)
        new = np.clip(np.broadcast_to(values, rows.shape), 0.0, 1.0).astype(np.float32)
        self.value[rows] = new
        self.since[rows] = self.month
        t = self.month
        self.count[t] += rows.size
        self.total[t] += float(new.sum(dtype=np.float64))
        self.smallest[t] = min(self.smallest[t], float(new.min()))
        self.largest[t] = max(self.largest[t], float(new.max()))

    def drift(self, keep: float, shift: float) -> None:
        """Everyone's trust becomes clip(keep * trust + shift, 0, 1) (`keep` > 0); month ends."""
        t = self.month + 1
        self.scale[:t] *= keep
        self.offset[:t] = keep * self.offset[:t] + shift
        self.low[:t] = np.clip(keep * self.low[:t] + shift, 0.0, 1.0)
        self.high[:t] = np.clip(keep * self.high[:t] + shift, 0.0, 1.0)
        self.month = min(t, self.count.size - 1)

    def mean(self) -> float:
        """Mean trust over every holder."""
        used = self.count > 0
        scale, offset = self.scale[used], self.offset[used]
        clipped = (scale * self.smallest[used] + offset < self.low[used] - EPS) | (
            scale * self.largest[used] + offset > self.high[used] + EPS
        )
        if clipped.any():  # some values may sit at a clip: the exact pass
            total = sum(
                float(self.get(slice(i, i + CHUNK)).sum(dtype=np.float64))
                for i in range(0, self.size, CHUNK)
            )
            return total / self.size
        return float((scale * self.total[used] + offset * self.count[used]).sum()) / self.size

    def memory_bytes(self) -> int:
        """Bytes held by the per-holder arrays."""
        return self.value.nbytes + self.since.nbytes
