"""Pure Google Ads mapping: targeting, bidding, money, ads, names and report rows."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roasloop.domain.enums import BidStrategy, EntityStatus, Objective, OptimizationGoal
from roasloop.domain.models import AgeRange, Targeting
from roasloop.errors import InvalidParameter
from roasloop.platforms.google import mapping, operations, queries
from roasloop.ports.platform import AdSetSpec, AdSpec
from roasloop.sandbox.google.gaql import like_pattern, parse
from roasloop.sandbox.google.protocol import AGE_RANGES, GEO_COUNTRIES


def test_seed_default_age_groups_target_disjoint_ranges() -> None:
    groups = [
        mapping.targeted_age_ranges(AgeRange(a, b)) for a, b in [(18, 35), (36, 50), (51, 65)]
    ]
    assert groups == [
        ["AGE_RANGE_18_24", "AGE_RANGE_25_34"],
        ["AGE_RANGE_35_44", "AGE_RANGE_45_54"],
        ["AGE_RANGE_55_64", "AGE_RANGE_65_UP"],
    ]


def test_exclusions_are_every_other_range_and_the_undetermined() -> None:
    excluded = mapping.excluded_age_ranges(AgeRange(18, 35))
    assert excluded == [
        "AGE_RANGE_35_44",
        "AGE_RANGE_45_54",
        "AGE_RANGE_55_64",
        "AGE_RANGE_65_UP",
        "AGE_RANGE_UNDETERMINED",
    ]


@given(low=st.integers(13, 99), span=st.integers(1, 87))
@settings(max_examples=200)
def test_every_age_range_leaves_at_least_one_range_targeted(low: int, span: int) -> None:
    age_range = AgeRange(low, min(low + span, 100))
    targeted = mapping.targeted_age_ranges(age_range)
    excluded = mapping.excluded_age_ranges(age_range)
    assert targeted and not set(targeted) & set(excluded)
    assert set(targeted) | set(excluded) == set(AGE_RANGES)  # the sandbox knows every enum


def test_geo_targets_agree_with_the_sandbox_and_name_a_bad_country() -> None:
    assert mapping.geo_target_constants(["us", "UK", "GB"]) == [
        "geoTargetConstants/2840",
        "geoTargetConstants/2826",
    ]
    for country, target in mapping.GEO_TARGETS.items():
        assert GEO_COUNTRIES[str(target)] == ("GB" if country == "UK" else country)
    with pytest.raises(InvalidParameter) as caught:
        mapping.geo_target_constants(["US", "XX"])
    assert caught.value.field == "target_countries[1]"


@pytest.mark.parametrize(
    ("goal", "strategy", "bid", "expected"),
    [
        (OptimizationGoal.CONVERSIONS, BidStrategy.LOWEST_COST, None, {"maximizeConversions": {}}),
        (
            OptimizationGoal.CONVERSIONS,
            BidStrategy.TARGET_COST,
            Decimal("12.5"),
            {"maximizeConversions": {"targetCpaMicros": "12500000"}},
        ),
        (OptimizationGoal.VALUE, BidStrategy.LOWEST_COST, None, {"maximizeConversionValue": {}}),
        (
            OptimizationGoal.VALUE,
            BidStrategy.TARGET_ROAS,
            Decimal("2.5"),
            {"maximizeConversionValue": {"targetRoas": 2.5}},
        ),
        (OptimizationGoal.CLICKS, BidStrategy.LOWEST_COST, None, {"targetSpend": {}}),
        (
            OptimizationGoal.CLICKS,
            BidStrategy.BID_CAP,
            Decimal("0.80"),
            {"targetSpend": {"cpcBidCeilingMicros": "800000"}},
        ),
        (OptimizationGoal.REACH, BidStrategy.LOWEST_COST, None, {"targetSpend": {}}),
    ],
)
def test_adset_bidding(
    goal: OptimizationGoal, strategy: BidStrategy, bid: Decimal | None, expected: dict
) -> None:
    assert mapping.adset_bidding(goal, strategy, bid) == expected


def test_objective_bidding_is_a_demand_gen_scheme() -> None:
    from roasloop.sandbox.google.resources import CHANNEL_BIDDING

    for objective in Objective:
        (scheme,) = mapping.objective_bidding(objective)
        assert scheme in CHANNEL_BIDDING[mapping.CHANNEL]


def test_money_goes_to_the_wire_as_int64_micros_strings() -> None:
    assert mapping.micros(Decimal("30")) == "30000000"
    assert mapping.micros(Decimal("12.345")) == "12350000"  # whole cents, half up
    assert mapping.from_wire_micros("45190000") == Decimal("45.19")
    assert mapping.from_wire_micros(None) == Decimal("0.00")


def test_report_row_metrics_from_a_recorded_googleads_row() -> None:
    # Shape of a GoogleAdsRow (shared/reference §3.3): int64 as strings, doubles for conversions.
    row = {
        "impressions": "8662",
        "clicks": "121",
        "costMicros": "49770000",
        "conversions": 2.6,
        "conversionsValue": 208.86,
    }
    totals = mapping.metrics_from_row(row)
    assert (totals.impressions, totals.clicks, totals.conversions) == (8662, 121, 3)
    assert totals.spend == Decimal("49.77") and totals.revenue == Decimal("208.86")
    assert mapping.metrics_from_row({}).spend == Decimal("0.00")


def test_ad_body_is_a_demand_gen_ad_named_with_the_client_key() -> None:
    spec = AdSpec(
        client_key="k1s0a0",
        adset_id="1",
        name="cr0 · US 18-35",
        media_id="customers/1/assets/9",
        copy="Glowing skin in seven days with our vitamin C serum, made in small batches",
        landing_url="https://www.shop.example.com/products/glow-serum",
    )
    body = mapping.ad_body(spec)
    info = body["demandGenMultiAssetAd"]
    assert body["name"] == "cr0 · US 18-35 [rl:k1s0a0]"
    assert body["finalUrls"] == [spec.landing_url]
    assert info["marketingImages"] == [{"asset": "customers/1/assets/9"}]
    assert info["descriptions"] == [{"text": spec.copy}]
    assert info["headlines"][0]["text"] == "Glowing skin in seven days with our"
    assert len(info["headlines"][0]["text"]) <= mapping.HEADLINE_MAX
    assert info["businessName"] == "shop.example.com"
    assert info["callToActionText"] == "Shop now"


def test_like_escaping_matches_tags_literally_in_the_sandbox() -> None:
    pattern = mapping.like_contains("[rl:a_b%c]")
    assert pattern == "%[[]rl:a[_]b[%]c[]]%"
    regex = like_pattern(pattern)
    assert regex.fullmatch("Glow [rl:a_b%c] x")
    assert not regex.fullmatch("Glow [rl:aXbYc] x")
    assert mapping.base_name("Glow · US 18-35 [rl:k] [rlg:12]") == "Glow · US 18-35"


def test_every_adapter_query_parses_in_the_sandbox() -> None:
    built = [
        queries.campaigns_by_id(["1", "2"]),
        queries.members("7"),
        queries.campaign_by_key("k'c"),
        queries.ad_group_by_key("k", "7"),
        queries.ads_of_ad_group("8", "k"),
        queries.asset_by_key("k"),
        queries.ad_groups_by_id(["8"]),
        queries.ad_group_ads_by_name(["customers/1/adGroupAds/8~9"]),
        queries.tree_ad_groups("7"),
        queries.tree_ads("7"),
        queries.report("7", datetime(2026, 3, 1, tzinfo=UTC).date(), datetime.now(UTC).date()),
    ]
    for text in built:
        assert parse(text).select
    assert "k\\'c" in queries.campaign_by_key("k'c")


def test_member_campaign_is_one_atomic_request_with_temporary_ids() -> None:
    spec = AdSetSpec(
        client_key="k1s0",
        campaign_id="7",
        name="US 18-35",
        daily_budget=Decimal("30"),
        targeting=Targeting(("US", "GB"), AgeRange(18, 35)),
        optimization_goal=OptimizationGoal.CONVERSIONS,
        bid_strategy=BidStrategy.LOWEST_COST,
        start_time=datetime(2026, 3, 2, tzinfo=UTC),
        status=EntityStatus.ACTIVE,
    )
    body = operations.member_campaign(
        "1", spec, {"id": "7", "name": "Glow [rl:k1c]", "status": "PAUSED"}
    )
    kinds = [next(iter(op)) for op in body]
    assert kinds[:2] == ["campaignBudgetOperation", "campaignOperation"]
    assert kinds.count("campaignCriterionOperation") == 2
    assert kinds.count("adGroupCriterionOperation") == 5
    budget = body[0]["campaignBudgetOperation"]["create"]
    campaign = body[1]["campaignOperation"]["create"]
    assert budget["amountMicros"] == "30000000" and budget["explicitlyShared"] is False
    assert campaign["name"] == "Glow · US 18-35 [rl:k1s0] [rlg:7]"
    assert campaign["status"] == "PAUSED"  # follows the lead campaign
    assert campaign["campaignBudget"] == budget["resourceName"] == "customers/1/campaignBudgets/-1"
    assert campaign["containsEuPoliticalAdvertising"] == mapping.EU_POLITICAL
    ad_group = body[4]["adGroupOperation"]["create"]["resourceName"]
    for op in body:
        create = next(iter(op.values()))["create"]
        assert create.get("campaign", campaign["resourceName"]) == campaign["resourceName"]
        assert create.get("adGroup", ad_group) == ad_group == "customers/1/adGroups/-3"


def test_status_operations_skip_removed_objects_on_delete() -> None:
    targets = [
        {"resourceName": "customers/1/campaigns/2", "status": "ENABLED"},
        {"resourceName": "customers/1/campaigns/3", "status": "REMOVED"},
    ]
    assert operations.status_operations(targets, EntityStatus.DELETED) == [
        {"remove": "customers/1/campaigns/2"}
    ]
    assert operations.status_operations(targets[:1], EntityStatus.PAUSED) == [
        {
            "update": {"resourceName": "customers/1/campaigns/2", "status": "PAUSED"},
            "updateMask": "status",
        }
    ]
    with pytest.raises(InvalidParameter):
        operations.wire_status(EntityStatus.DELETED)
