"""Pure Meta mapping, on payloads shaped as the Marketing API docs record them (reference §2)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roasloop.domain.enums import EntityStatus, Objective, OptimizationGoal
from roasloop.domain.models import AgeRange, Targeting
from roasloop.errors import InvalidParameter
from roasloop.platforms.meta import mapping
from roasloop.platforms.meta.driver import DRIVER
from roasloop.platforms.meta.graph import account_bucket
from roasloop.ports.platform import AdSpec

#: The insights row of https://developers.facebook.com/docs/marketing-api/insights (§2.3).
INSIGHTS_ROW = {
    "account_id": "1",
    "campaign_id": "120",
    "adset_id": "121",
    "ad_id": "122",
    "date_start": "2025-03-14",
    "date_stop": "2025-03-14",
    "impressions": "361324",
    "clicks": "1200",
    "spend": "5339.5",
    "actions": [
        {"action_type": "link_click", "value": "75"},
        {"action_type": "purchase", "value": "3"},
        {"action_type": "omni_purchase", "value": "3"},
    ],
    "action_values": [{"action_type": "purchase", "value": "89.97"}],
    "purchase_roas": [{"action_type": "omni_purchase", "value": "1.68"}],
}
#: ``X-Business-Use-Case-Usage`` as documented in marketing-api/overview/rate-limiting (§2.6).
USAGE_HEADER = json.dumps(
    {
        "1234": [
            {
                "type": "ads_management",
                "call_count": 95,
                "total_cputime": 20,
                "total_time": 20,
                "estimated_time_to_regain_access": 19,
                "ads_api_access_tier": "development_access",
            },
            {"type": "ads_insights", "call_count": 10, "total_cputime": 99, "total_time": 5},
        ]
    }
)


def test_objectives_goals_and_statuses_use_odax_names() -> None:
    assert mapping.OBJECTIVES[Objective.SALES] == "OUTCOME_SALES"
    assert mapping.OBJECTIVES[Objective.TRAFFIC] == "OUTCOME_TRAFFIC"
    assert mapping.OBJECTIVES[Objective.AWARENESS] == "OUTCOME_AWARENESS"
    assert mapping.OPTIMIZATION_GOALS[OptimizationGoal.CONVERSIONS] == "OFFSITE_CONVERSIONS"
    assert mapping.STATUS[EntityStatus.DELETED] == "DELETED"
    assert mapping.status_from_wire("ARCHIVED") is EntityStatus.PAUSED
    assert mapping.status_from_wire("DELETED") is EntityStatus.DELETED


def test_targeting_is_broad_with_automatic_placements() -> None:
    wire = mapping.targeting(Targeting(("us", "UK", "GB"), AgeRange(13, 80), gender="female"))
    assert wire == {
        "geo_locations": {"countries": ["US", "GB"]},
        "age_min": 18,
        "age_max": 65,
        "targeting_automation": {"advantage_audience": 0},
        "genders": [2],
    }
    assert "publisher_platforms" not in wire


@pytest.mark.parametrize("bad", ["XX", "IR", "USA"])
def test_untargetable_countries_name_the_field(bad: str) -> None:
    with pytest.raises(InvalidParameter) as caught:
        mapping.countries(["US", bad])
    assert caught.value.field == "target_countries[1]"


@given(cents=st.integers(min_value=1, max_value=10**11))
@settings(max_examples=100)
def test_budgets_round_trip_through_minor_units(cents: int) -> None:
    amount = Decimal(cents) / 100
    wire = mapping.budget_to_wire(amount)
    assert isinstance(wire, int) and wire == cents
    assert mapping.budget_from_wire(str(wire)) == amount


def test_budget_examples_and_empty_values() -> None:
    assert mapping.budget_to_wire(Decimal("20")) == 2000
    assert mapping.budget_to_wire(Decimal("0.015")) == 2  # half-up to the cent
    assert mapping.budget_from_wire("2000") == Decimal("20.00")
    assert mapping.budget_from_wire(None) is None
    assert mapping.budget_from_wire("") is None


def test_insights_row_maps_purchases_and_revenue() -> None:
    totals = mapping.metrics_from_insights(INSIGHTS_ROW)
    assert totals.spend == Decimal("5339.50")
    assert (totals.impressions, totals.clicks, totals.conversions) == (361324, 1200, 3)
    assert totals.revenue == Decimal("89.97")


def test_a_purchase_is_counted_once_whatever_its_action_types() -> None:
    only_pixel = [{"action_type": "offsite_conversion.fb_pixel_purchase", "value": "2"}]
    assert mapping.action_value(only_pixel) == Decimal(2)
    assert mapping.action_value(INSIGHTS_ROW["actions"]) == Decimal(3)  # not 3 + 3
    assert mapping.action_value(None) == Decimal(0)
    empty = mapping.metrics_from_insights({"spend": "0", "impressions": "12"})
    assert (empty.conversions, empty.revenue) == (0, Decimal("0.00"))


def test_usage_header_gives_the_highest_share_and_regain_seconds() -> None:
    usage = mapping.parse_usage(USAGE_HEADER, "1234")
    assert usage == mapping.Usage(pct=99.0, regain_seconds=19 * 60)
    assert mapping.parse_usage(USAGE_HEADER, "999") is None
    assert mapping.parse_usage("{}", "1234") is None
    assert mapping.parse_usage("not json", "1234") is None
    assert mapping.parse_usage(None, "1234") is None


def test_story_spec_for_video_image_hash_and_picture() -> None:
    spec = AdSpec("k", "1", "ad", "777", "Buy it", "https://shop.example.com/p")
    video = mapping.story_spec("55", spec, "https://thumb/x.jpg")
    assert video["video_data"]["video_id"] == "777"
    assert video["video_data"]["image_url"] == "https://thumb/x.jpg"
    assert video["video_data"]["call_to_action"] == {
        "type": "SHOP_NOW",
        "value": {"link": "https://shop.example.com/p"},
    }
    hashed = mapping.story_spec("55", AdSpec("k", "1", "ad", "ab12cd", "t", "https://x.io"))
    assert hashed["link_data"]["image_hash"] == "ab12cd"
    pictured = mapping.story_spec("55", AdSpec("k", "1", "ad", "https://i/x.png", "t", "https://x"))
    assert pictured["link_data"]["picture"] == "https://i/x.png"


def test_call_to_action_aliases_and_unknown_names() -> None:
    assert mapping.call_to_action("book_now") == "BOOK_TRAVEL"
    with pytest.raises(InvalidParameter) as caught:
        mapping.call_to_action("PLAY_GAME")
    assert caught.value.field == "call_to_action"


def test_encode_matches_the_sdk_wire_format() -> None:
    wire = mapping.encode({"name": "x", "special_ad_categories": [], "daily_budget": 2000,
                           "targeting": {"b": 1, "a": [2]}, "flag": False})  # fmt: skip
    assert wire == {
        "name": "x",
        "special_ad_categories": "[]",
        "daily_budget": "2000",
        "targeting": '{"a":[2],"b":1}',
        "flag": "false",
    }


def test_times_and_media_kinds() -> None:
    moment = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    assert mapping.format_time(moment) == "2026-03-02T08:00:00+0000"
    assert mapping.media_kind("120000001") == "video"
    assert mapping.is_image("/tmp/a.PNG") and not mapping.is_image("/tmp/a.mp4")


def test_driver_names_one_bucket_per_ad_account() -> None:
    (bucket,) = DRIVER.rate_limits("act_42")
    assert bucket.name == account_bucket("42") == "meta:act_42"
    assert bucket.rate > 0 and not bucket.every_call
