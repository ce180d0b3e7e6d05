"""Open files on takeover and ghost dossiers: escrowed payments and undiscovered victims.

These enrolments do not occupy the holder (the victim of a takeover does not know; the straw
holder of ghost training does not attend), so they are tracked here until the money is settled
and, for takeovers, until the victim discovers the purchase.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sim.core.domain import TAKEOVER

if TYPE_CHECKING:
    from sim.model import CPFModel
    from sim.processes.checkout import Dossiers

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

    def open(self, d: Dossiers, public: np.ndarray, month: int, escrow: bool) -> None:
        """File accepted fraudulent dossiers; `escrow` if payment waits for attendance."""
        n = len(d)
        new = {
            "holder": d.holders,
            "offer": d.offers,
            "amount": public,
            "kind": np.full(n, d.kind, dtype=np.int8),
            "network": np.full(n, d.network.unique_id if d.network is not None else -1),
            "month": np.full(n, month, dtype=np.int32),
            "escrow": np.full(n, escrow),
            "undiscovered": np.full(n, d.kind == TAKEOVER),
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

    def settle_escrow(self, model: CPFModel, rng: np.random.Generator) -> None:
        """Last month's escrowed dossiers face the attendance check: paid, or blocked."""
        due = np.flatnonzero(self.escrow & (self.month < model.month))
        if due.size == 0:
            return
        f = model.params.fraud
        experience = np.array([model.network_experience(int(n)) for n in self.network[due]])
        passes = rng.random(due.size) < f.fake_attendance + (1 - f.fake_attendance) * (
            f.circumvention_max * experience
        )
        for kind in np.unique(self.kind[due]):
            paid = due[passes & (self.kind[due] == kind)]
            for network in np.unique(self.network[paid]):
                group = paid[self.network[paid] == network]
                model.pay(
                    self.offer[group],
                    self.amount[group],
                    int(kind),
                    model.network_by_id.get(int(network)),
                )
        blocked = due[~passes]
        model.refund(self.holder[blocked], self.amount[blocked])
        model.recorder.add("fraud_blocked", model.month, blocked.size)
        model.regulator.note_reports(self.offer[blocked], month=model.month)
        self.escrow[due] = False
        self.amount[blocked] = 0.0

    def discover(self, model: CPFModel, rng: np.random.Generator) -> None:
        """Takeover victims find the purchase, report it, and may have their rights restored."""
        open_ = np.flatnonzero(self.undiscovered)
        b, plat = model.params.behaviour, model.params.platform
        found = open_[rng.random(open_.size) < b.discover_takeover]
        if found.size:
            pop = model.population
            holders = self.holder[found]
            pop.compromised[holders] = False
            pop.trust[holders] = np.maximum(0.0, pop.trust[holders] - b.trust_loss_scam)
            reported = found[rng.random(found.size) < b.report_takeover]
            model.recorder.add("reports", model.month, reported.size)
            model.regulator.note_reports(self.offer[reported], month=model.month)
            restored = reported[
                (rng.random(reported.size) < plat.restore_rights) & ~self.escrow[reported]
            ]
            model.restore_rights(self.holder[restored], self.amount[restored])
            self.undiscovered[found] = False
        self._prune()

    def forget(self, holders: np.ndarray) -> None:
        """Holders who left: their undiscovered takeovers will never be reported."""
        self.undiscovered &= ~np.isin(self.holder, holders)

    def _prune(self) -> None:
        keep = self.escrow | self.undiscovered
        if keep.all():
            return
        for name in FIELDS:
            setattr(self, name, getattr(self, name)[keep])
