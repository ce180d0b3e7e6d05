"""Escrowed fraudulent dossiers face the attendance check (ODD §7.6, payment on attendance).

Under payment on attendance, takeover and ghost purchases wait in escrow until attendance is
proven; fake attendance passes with a probability that grows with the network's experience.
"""

from __future__ import annotations

import numpy as np

from sim.platform.checkout import attendance_pass_chance
from sim.state.ledger import pay, refund
from sim.state.world import World


def settle_escrow(world: World) -> None:
    """Last month's escrowed dossiers face the attendance check: paid, or blocked."""
    files = world.fraud_files
    due = np.flatnonzero(files.escrow & (files.month < world.month))
    if due.size == 0:
        return
    rng = world.streams.get("checkout", world.month, salt=1)
    experience = np.array(
        [
            world.network_experience(int(n), int(k) - 1)
            for n, k in zip(files.network[due], files.kind[due], strict=True)
        ]
    )
    passes = rng.random(due.size) < attendance_pass_chance(world, experience)
    for kind in np.unique(files.kind[due]):
        paid = due[passes & (files.kind[due] == kind)]
        pay(world, files.offer[paid], files.amount[paid], int(kind))
    blocked = due[~passes]
    refund(world, files.holder[blocked], files.amount[blocked])
    world.recorder.add("fraud_blocked", world.month, blocked.size)
    world.note_reports(files.offer[blocked])
    files.escrow[due] = False
    files.amount[blocked] = 0.0
