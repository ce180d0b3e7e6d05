"""Market signals of last month that holders and organisations react to this month."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Signals:
    """Lagged aggregates, written at the end of a month by the market and the recorder."""

    buyer_balance: float
    """Mean balance of holders with rights (euros): what opportunists anchor prices on."""
    last_enrolments: float = 0.0
    """Honest and pressured enrolments (simulated holders): word of mouth."""
    marketing_per_holder: float = 0.0
    """Organisations' marketing spend per national holder (euros): advertising reach."""
    call_load: float = 0.0
    """Canvassing calls per national holder (all callers): how much holders screen calls."""
    generalist_sales: float = 0.0
    """Smoothed monthly sales per listed generalist organisation (national euros)."""
    generalist_trend: float = 0.0
    """Relative change of the generalists' sales per organisation this month against
    `generalist_sales`: what their demand-led prices follow."""
