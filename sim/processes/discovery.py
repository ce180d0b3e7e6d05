"""Takeover victims discover the purchase, report it, and may have their rights restored."""

from __future__ import annotations

import numpy as np

from sim.state.ledger import restore_rights
from sim.state.world import World


def discover_takeovers(world: World) -> None:
    """Some open takeover files are found by their victims this month; reports follow."""
    files = world.fraud_files
    rng = world.streams.get("discovery", world.month)
    open_ = np.flatnonzero(files.undiscovered)
    b, plat = world.params.behaviour, world.params.platform
    found = open_[rng.random(open_.size) < b.discover_takeover]
    if found.size:
        pop = world.population
        holders = files.holder[found]
        pop.compromised[holders] = False
        victims = np.unique(holders)
        world.trust.set(victims, world.trust.get(victims) - b.trust_loss_scam)
        reported = found[rng.random(found.size) < b.report_takeover]
        world.recorder.add("reports", world.month, reported.size)
        world.note_reports(files.offer[reported])
        restored = reported[
            (rng.random(reported.size) < plat.restore_rights) & ~files.escrow[reported]
        ]
        restore_rights(world, files.holder[restored], files.amount[restored])
        files.undiscovered[found] = False
    files.prune()
