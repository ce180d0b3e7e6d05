"""Trust (ODD §7.8): scam news lowers everyone's trust a little; trust otherwise drifts back."""

from __future__ import annotations

import numpy as np

from sim.state.world import World


def drift_trust(world: World) -> None:
    """Scam news lowers everyone's trust a little; trust otherwise drifts back."""
    b, pop, series, month = (
        world.params.behaviour,
        world.population,
        world.recorder.series,
        world.month,
    )
    victims = series["phishing_victims"][month] + series["pressured_enrolments"][month]
    news = b.trust_news * 1000.0 * victims / pop.size
    target = world.params.population.trust_initial
    pop.trust += (b.trust_recovery * (target - pop.trust) - news).astype(np.float32)
    np.clip(pop.trust, 0.0, 1.0, out=pop.trust)
