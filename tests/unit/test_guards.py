"""The step cap holds down to the smallest currency unit, for every writer's guard."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from roasloop.decisions.guards import guard, guard_bid
from roasloop.decisions.rules.budgets import guard_cap
from roasloop.decisions.snapshot import BidDecision, BudgetDecision

cents = st.integers(min_value=1, max_value=10_000_000)
caps = st.sampled_from(["0.05", "0.1", "0.2", "0.25", "0.3", "0.5", "0.75"]).map(Decimal)
PROPERTY = settings(max_examples=300, deadline=None)


def _money(count: int) -> Decimal:
    return Decimal(count) / 100


def _within(old: Decimal, new: Decimal, cap: Decimal) -> bool:
    return abs(new - old) <= cap * old


@given(old=cents, wanted=st.integers(0, 20_000_000), cap=caps, minimum=st.integers(0, 500))
@PROPERTY
def test_a_budget_never_moves_past_the_cap_unless_raised_to_the_minimum(
    old: int, wanted: int, cap: Decimal, minimum: int
) -> None:
    decision = BudgetDecision("a", "change", _money(old), _money(wanted), "k")
    guarded = guard(decision, cap, _money(minimum))
    new = guarded.new_budget if guarded and guarded.new_budget is not None else _money(old)
    assert new >= _money(minimum)
    assert _within(_money(old), new, cap) or (new == _money(minimum) and old < minimum)
    vector, _ = guard_cap(
        np.array([old]), np.array([wanted]), Fraction(str(cap)), np.array([minimum])
    )
    assert _money(int(vector[0])) == new  # the rule engine's guard decides the same


@given(old=cents, wanted=st.integers(0, 20_000_000), cap=caps)
@PROPERTY
def test_a_bid_never_moves_past_the_cap(old: int, wanted: int, cap: Decimal) -> None:
    guarded = guard_bid(BidDecision("a", _money(old), _money(wanted), "k"), cap)
    new = guarded.new_bid if guarded else _money(old)
    assert _within(_money(old), new, cap) and new >= Decimal("0.01")


def test_one_cent_cannot_double_under_a_half_cap() -> None:
    decision = BudgetDecision("a", "increase_budget", Decimal("0.01"), Decimal("0.02"), "k")
    assert guard(decision, Decimal("0.5"), Decimal(0)) is None
    assert (
        guard_bid(BidDecision("a", Decimal("0.01"), Decimal("0.02"), "k"), Decimal("0.5")) is None
    )
