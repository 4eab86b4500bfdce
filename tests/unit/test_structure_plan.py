"""Pure structure planning (Properties 2, 3, 4 and 10 at the planning level)."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roasloop.domain.enums import BidStrategy, Objective
from roasloop.domain.models import AgeRange
from roasloop.domain.structure import plan_ab_test, plan_campaign
from roasloop.errors import InvalidParameter

age_groups = st.lists(
    st.tuples(st.integers(18, 64), st.integers(1, 30)).map(
        lambda t: AgeRange(t[0], min(t[0] + t[1], 65))
    ),
    min_size=1,
    max_size=5,
)
creatives = st.lists(
    st.text("abcdef0123", min_size=1, max_size=8), min_size=1, max_size=6, unique=True
)


@given(groups=age_groups, creative_ids=creatives, cents=st.integers(10_000, 1_000_000))
@settings(max_examples=200)
def test_campaign_plan_shape(groups: list[AgeRange], creative_ids: list[str], cents: int) -> None:
    budget = Decimal(cents) / 100
    plan = plan_campaign(
        base_key="k",
        name="n",
        objective=Objective.SALES,
        daily_budget=budget,
        countries=["US", "CA"],
        creative_ids=creative_ids,
        age_groups=groups,
        min_adset_budget=Decimal("0"),
    )
    assert len(plan.adsets) == len(groups)
    assert len(plan.ads) == len(groups) * len(creative_ids)
    assert sum(a.daily_budget for a in plan.adsets) == budget
    assert all(a.targeting.countries == ("US", "CA") for a in plan.adsets)
    assert all(
        a.targeting.audience == "broad" and a.targeting.placements == "automatic"
        for a in plan.adsets
    )
    assert plan.bid_strategy is BidStrategy.LOWEST_COST
    keys = [plan.campaign_key] + [a.key for a in plan.adsets] + [a.key for a in plan.ads]
    assert len(set(keys)) == len(keys)


# Feature: campaign-automation, Property 10: A/B 测试预算均分
@given(n=st.integers(2, 10), cents=st.integers(0, 10_000_000))
@settings(max_examples=200)
def test_property_10_ab_budget_split_equally_to_the_cent(n: int, cents: int) -> None:
    budget = Decimal(cents) / 100
    plan = plan_ab_test(
        base_key="k",
        name="t",
        objective=Objective.SALES,
        daily_budget=budget,
        countries=["US"],
        creative_ids=[f"c{i}" for i in range(n)],
        age_range=AgeRange(18, 65),
        min_adset_budget=Decimal(0),
    )
    shares = [a.daily_budget for a in plan.adsets]
    assert sum(shares) == budget
    assert max(shares) - min(shares) <= Decimal("0.01")
    assert len({a.targeting for a in plan.adsets}) == 1
    assert [a.creative_ids for a in plan.adsets] == [(f"c{i}",) for i in range(n)]


def test_budget_below_platform_minimum_names_daily_budget() -> None:
    with pytest.raises(InvalidParameter) as caught:
        plan_campaign(
            base_key="k",
            name="n",
            objective=Objective.SALES,
            daily_budget=Decimal("50"),
            countries=["US"],
            creative_ids=["a"],
            age_groups=[AgeRange(18, 35)] * 3,
            min_adset_budget=Decimal("20"),
        )
    assert caught.value.field == "daily_budget"
