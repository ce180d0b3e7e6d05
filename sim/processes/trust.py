"""Trust (ODD §7.8): scam news lowers everyone's trust a little; trust otherwise drifts back.

The drift is the same map for every holder, applied lazily (sim/state/trust.py): no pass over
the holders.
"""

from __future__ import annotations

from sim.state.world import World


def drift_trust(world: World) -> None:
    """Scam news lowers everyone's trust a little; trust otherwise drifts back."""
    b, series, month = world.params.behaviour, world.recorder.series, world.month
    victims = series["phishing_victims"][month] + series["pressured_enrolments"][month]
    news = b.trust_news * 1000.0 * victims / world.population.size
    target = world.params.population.trust_initial
    # trust + recovery * (target - trust) - news, for everyone: one map (sim/state/trust.py)
    world.trust.drift(1.0 - b.trust_recovery, b.trust_recovery * target - news)
