"""Open files on takeover and ghost dossiers: escrowed payments and undiscovered victims.

These enrolments do not occupy the holder (the victim of a takeover does not know; the straw
holder of ghost training does not attend), so they are tracked here until the money is settled
and, for takeovers, until the victim discovers the purchase.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from sim.core.domain import TAKEOVER

FIELDS = ("holder", "offer", "amount", "kind", "network", "month", "escrow", "undiscovered")


class FraudFiles:
    """Struct of arrays of fraudulent dossiers still needing attention."""

    def __init__(self) -> None:
        self.holder = np.zeros(0, dtype=np.intp)
        self.offer = np.zeros(0, dtype=np.intp)
        self.amount = np.zeros(0)
        self.kind = np.zeros(0, dtype=np.int8)
        self.network = np.zeros(0, dtype=np.int64)
        self.month = np.zeros(0, dtype=np.int32)
        self.escrow = np.zeros(0, dtype=bool)
        self.undiscovered = np.zeros(0, dtype=bool)

    def open(
        self,
        holders: NDArray[np.intp],
        offers: NDArray[np.intp],
        public: NDArray[np.float64],
        kind: int,
        network: int,
        month: int,
        escrow: bool,
    ) -> None:
        """File accepted fraudulent dossiers of one `kind` and `network` (-1: none).

        `escrow` if payment waits for attendance.
        """
        n = holders.size
        new = {
            "holder": holders,
            "offer": offers,
            "amount": public,
            "kind": np.full(n, kind, dtype=np.int8),
            "network": np.full(n, network),
            "month": np.full(n, month, dtype=np.int32),
            "escrow": np.full(n, escrow),
            "undiscovered": np.full(n, kind == TAKEOVER),
        }
        for name in FIELDS:
            setattr(
                self,
                name,
                np.concatenate([getattr(self, name), new[name]]).astype(getattr(self, name).dtype),
            )

    @property
    def escrow_eur(self) -> float:
        """Euros debited from balances and not yet paid out."""
        return float(self.amount[self.escrow].sum())

    def forget(self, holders: np.ndarray) -> None:
        """Holders who left: their undiscovered takeovers will never be reported."""
        self.undiscovered &= ~np.isin(self.holder, holders)

    def prune(self) -> None:
        """Drop the files that need no more attention."""
        keep = self.escrow | self.undiscovered
        if keep.all():
            return
        for name in FIELDS:
            setattr(self, name, getattr(self, name)[keep])
