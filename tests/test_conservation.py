"""Conservation every month: rights and public money are neither created nor lost.

With c(x) the cumulative sum of a monthly series, all in national-equivalent euros:
- rights:  c(credited) + c(escrow_refunded) + c(restored) = balances + c(debited) + c(expired)
  (month 0 credited includes the initial balances);
- money:   c(debited) = c(payments) + escrow + c(escrow_refunded);
- spend:   spend = payments - recovered, month by month;
- and no holder's balance is ever negative.
"""

import numpy as np
import pytest
from conftest import SMALL, step_through

RTOL = 1e-9
HEAVY_FRAUD = ("fraud.networks=8", "fraud.contacts=600000")  # exercise escrow, refunds, clawbacks

CASES = {
    "none": ("scenario=none",),
    "none_attendance": ("scenario=none", "regulation.payment_on_attendance=true", *HEAVY_FRAUD),
    "historical": HEAVY_FRAUD,
    "historical_attendance": ("regulation.payment_on_attendance=true", *HEAVY_FRAUD),
}


@pytest.fixture(scope="module", params=list(CASES))
def stepped(request):
    """A full-horizon run stepped by hand, with the smallest balance seen after every month."""
    lowest: list[float] = []
    model = step_through(
        [f"population.holders={SMALL}", "seed=11", *CASES[request.param]],
        check_month=lambda m: lowest.append(float(m.population.balance.min())),
    )
    return request.param, model, model.recorder.finalise(model.scale), np.array(lowest)


def _close(lhs, rhs, what):
    tolerance = RTOL * max(np.abs(lhs).max(), np.abs(rhs).max())
    gap = np.abs(lhs - rhs)
    worst = int(gap.argmax())
    assert gap.max() <= tolerance, (
        f"{what} broken in month {worst}: {lhs[worst]!r} != {rhs[worst]!r}"
    )


def test_no_balance_is_ever_negative(stepped):
    name, model, _, lowest = stepped
    assert lowest.size == model.n_months
    assert lowest.min() >= 0.0, (
        f"{name}: negative balance {lowest.min()} in month {lowest.argmin()}"
    )


def test_rights_are_conserved_every_month(stepped):
    _, _, s, _ = stepped
    c = {
        k: np.cumsum(s[k])
        for k in (
            "credited_eur",
            "escrow_refunded_eur",
            "restored_eur",
            "debited_eur",
            "expired_eur",
        )
    }
    lhs = c["credited_eur"] + c["escrow_refunded_eur"] + c["restored_eur"]
    rhs = s["balances_eur"] + c["debited_eur"] + c["expired_eur"]
    _close(lhs, rhs, "rights identity")


def test_public_money_is_conserved_every_month(stepped):
    _, _, s, _ = stepped
    lhs = np.cumsum(s["debited_eur"])
    rhs = np.cumsum(s["payments_eur"]) + s["escrow_eur"] + np.cumsum(s["escrow_refunded_eur"])
    _close(lhs, rhs, "money identity")


def test_spend_is_payments_less_recoveries_every_month(stepped):
    _, _, s, _ = stepped
    _close(s["spend_eur"], s["payments_eur"] - s["recovered_eur"], "spend identity")


def test_the_identities_are_not_vacuous(stepped):
    """Each case moves real money through the paths the identities are meant to check."""
    name, _, s, _ = stepped
    for flow in ("credited_eur", "debited_eur", "expired_eur", "payments_eur"):
        assert s[flow].sum() > 0, f"{name}: no {flow}"
    if name.endswith("attendance"):
        assert s["escrow_eur"].max() > 0, f"{name}: nothing ever held in escrow"
        assert s["escrow_refunded_eur"].sum() > 0, f"{name}: no escrow ever refunded"
        assert s["fraud_loss_eur"].sum() > 0, f"{name}: no fraud, so no fraud escrow"
    else:
        assert s["escrow_eur"].max() == 0 and s["escrow_refunded_eur"].sum() == 0
    if name.startswith("historical"):
        assert s["recovered_eur"].sum() > 0, f"{name}: audits never clawed anything back"
