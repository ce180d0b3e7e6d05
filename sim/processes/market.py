"""Market dynamics (ODD §7.11, §7.12): books, exits, imitation, entry of organisations and networks.

The money attracts entrants to each strategy while its own margin is positive, and incumbents
copy what pays best (DOMAIN.md §5 fact 6); loss-making organisations leave; networks leave after
sanctions or losses.
"""

from __future__ import annotations

import math

import numpy as np

from sim.agents.organisations import Organisation
from sim.agents.registry import (
    fraud_networks,
    listed_organisations,
    open_network,
    open_organisation,
    organisations,
)
from sim.core.domain import GENERALIST, LEGAL_STRATEGIES
from sim.state.world import World, networks_active


def run_market_dynamics(world: World) -> None:
    """Organisations close their books, exit or imitate; networks too; entrants arrive."""
    rng = world.streams.get("organisations", world.month)
    rec, month = world.recorder, world.month
    marketing = calls = generalist_sales = generalists = 0.0
    for org in organisations(world):
        revenue = org.expected_revenue
        marketing += world.params.market.marketing_share[org.strategy] * revenue
        calls += org.calls
        if org.strategy == GENERALIST and org.listed:
            generalist_sales += revenue
            generalists += org.weight
        org.settle()
    follow_generalist_demand(world, generalist_sales / generalists if generalists else 0.0)
    national_holders = world.params.population.national_holders
    world.signals.marketing_per_holder = marketing / national_holders
    world.signals.call_load = calls / national_holders
    rec.add("canvassing_calls", month, calls / world.scale)
    profit_per_org = profit_per_org_by_strategy(world)
    for org in organisations(world):
        if org.network is not None:
            continue
        if not org.listed or org.wants_to_exit():
            rec.add("organisations_exited", month, org.weight / world.scale)
            org.delist()
            org.remove()
        else:
            org.imitate(profit_per_org, rng)
    frng = world.streams.get("fraud_networks", month, salt=0)
    for network in fraud_networks(world):
        network.settle()
        if network.wants_to_exit(frng):
            del world.network_by_id[network.unique_id]
            network.leave()
    enter_organisations(world)
    enter_networks(world)
    series = rec.series
    world.signals.last_enrolments = (
        series["legit_enrolments"][month] + series["pressured_enrolments"][month]
    )
    balance = world.population.balance  # never negative: nonzero means some rights
    with_rights = np.count_nonzero(balance)
    world.signals.buyer_balance = float(balance.sum()) / with_rights if with_rights else 0.0


def follow_generalist_demand(world: World, sales_per_org: float) -> None:
    """The generalists' demand signal: their segment's sales per organisation, not their own.

    A cohort's own month of simulated sales moves with the sample, and a full price step on
    the sign of its change (until v2.10) is as large for a small wobble as for a real shift:
    the generalists' sales then depended on the population simulated (ODD 7.11). The
    segment's sales per organisation are what a generalist sees of its market (the platform's
    like courses, their sales and prices); prices follow them one for one, at most
    `price_adjustment` a month.
    """
    signals = world.signals
    previous = signals.generalist_sales
    signals.generalist_trend = sales_per_org / previous - 1.0 if previous > 0 else 0.0
    signals.generalist_sales = (
        0.5 * previous + 0.5 * sales_per_org if previous > 0 else sales_per_org
    )


def legal_cohorts(world: World) -> list[list[Organisation]]:
    """The listed non-shell cohorts of each legal strategy, in order of creation."""
    cohorts: list[list[Organisation]] = [[] for _ in LEGAL_STRATEGIES]
    for org in listed_organisations(world):
        if org.network is None:  # shells, the only cohorts with a network, are no legal strategy
            cohorts[org.strategy].append(org)
    return cohorts


def profit_per_org_by_strategy(world: World) -> dict[int, float]:
    """Smoothed profit per real organisation of each legal strategy (listed cohorts only)."""
    return {
        strategy: sum(o.profit for o in orgs) / sum(o.weight for o in orgs)
        for strategy, orgs in enumerate(legal_cohorts(world))
        if orgs
    }


def enter_organisations(world: World) -> None:
    """New organisations enter each legal strategy in proportion to that strategy's own margin.

    Would-be entrants come in the trade's base shares (`strategy_shares`, most of them trainers)
    and each enters only as far as its own kind of business pays: a whole-market margin held up
    by the opportunists would draw quality cohorts that their own strategy barely pays (ODD 7.11).
    """
    market = world.params.market
    rng = world.streams.get("entry", world.month)
    cohorts = legal_cohorts(world)
    pull = np.zeros(len(LEGAL_STRATEGIES))
    for strategy, own in enumerate(cohorts):
        revenue = sum(o.previous_sales for o in own)
        if revenue > 0:
            margin = sum(o.profit for o in own) / revenue
            pull[strategy] = market.strategy_shares[strategy] * max(0.0, margin)
    agents = sum(len(own) for own in cohorts)
    expected = market.entry_rate * agents * pull.sum()
    cap = math.ceil(market.max_entrants_per_month / world.params.organisations_per_agent)
    n = min(int(rng.poisson(expected)), cap)
    if n == 0:
        return
    for strategy in rng.choice(len(LEGAL_STRATEGIES), size=n, p=pull / pull.sum()):
        org = open_organisation(world, int(strategy))
        if org.listed:  # a cohort none of whose members passed Qualiopi never entered
            world.recorder.add("organisations_entered", world.month, org.weight / world.scale)
        else:
            org.remove()


def enter_networks(world: World) -> None:
    """New fraud networks enter while fraud pays (one agent per real network)."""
    f = world.params.fraud
    networks = fraud_networks(world)
    room = f.max_networks - networks_active(world)
    if room < 1:
        return
    mean_profit = np.mean([n.profit for n in networks]) if networks else f.entry_profit_eur * 0.2
    expected = f.entry_rate * max(0.0, float(mean_profit)) / f.entry_profit_eur
    n = int(world.streams.get("entry", world.month, salt=1).poisson(expected))
    for _ in range(min(n, int(room))):
        open_network(world)
