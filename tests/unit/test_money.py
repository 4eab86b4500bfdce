"""Money helpers: exact cents, equal splits, unit conversions."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roasloop.domain.money import (
    from_micros,
    from_minor_units,
    parse_money,
    split_equally,
    to_micros,
    to_minor_units,
)

cents = st.integers(min_value=0, max_value=10**9).map(lambda c: Decimal(c) / 100)


@given(total=cents, parts=st.integers(min_value=1, max_value=50))
@settings(max_examples=200)
def test_split_sums_to_total_and_differs_by_at_most_a_cent(total: Decimal, parts: int) -> None:
    shares = split_equally(total, parts)
    assert len(shares) == parts
    assert sum(shares) == total
    assert max(shares) - min(shares) <= Decimal("0.01")
    assert shares == sorted(shares, reverse=True)  # leftover cents go to the first parts


@given(amount=cents)
def test_unit_conversions_round_trip(amount: Decimal) -> None:
    assert from_minor_units(to_minor_units(amount)) == amount
    assert from_micros(to_micros(amount)) == amount


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(100, "100.00"), ("33.335", "33.34"), (100.1, "100.10"), (Decimal("0.1"), "0.10")],
)
def test_parse_money_accepts_numbers_and_strings(raw: object, expected: str) -> None:
    assert parse_money(raw) == Decimal(expected)


@pytest.mark.parametrize("raw", ["abc", -1, float("nan"), float("inf"), True, None])
def test_parse_money_refuses_non_amounts(raw: object) -> None:
    with pytest.raises(ValueError):
        parse_money(raw)
