"""Pure TikTok mapping and error classification."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roasloop.domain.models import AgeRange
from roasloop.errors import (
    AuthenticationFailed,
    InternalError,
    InvalidParameter,
    RateLimited,
    ServiceUnavailable,
    TokenExpired,
)
from roasloop.platforms.tiktok import mapping
from roasloop.platforms.tiktok.errors import classify


def test_seed_default_age_groups_map_to_disjoint_buckets() -> None:
    groups = [mapping.age_groups(AgeRange(a, b)) for a, b in [(18, 35), (36, 50), (51, 65)]]
    assert groups == [["AGE_18_24", "AGE_25_34"], ["AGE_35_44", "AGE_45_54"], ["AGE_55_100"]]


@given(low=st.integers(13, 99), span=st.integers(1, 87))
@settings(max_examples=200)
def test_every_age_range_maps_to_at_least_one_valid_bucket(low: int, span: int) -> None:
    high = min(low + span, 100)
    buckets = mapping.age_groups(AgeRange(low, high))
    names = {name for name, _, _ in mapping.AGE_BUCKETS}
    assert buckets and set(buckets) <= names


def test_unknown_country_names_the_field() -> None:
    with pytest.raises(InvalidParameter) as caught:
        mapping.location_ids(["US", "XX"])
    assert caught.value.field == "target_countries[1]"


def test_report_metrics_parse_strings_and_dashes() -> None:
    totals = mapping.metrics_from_wire(
        {
            "spend": "14.68",
            "impressions": "1079",
            "clicks": "12",
            "conversion": "2",
            "complete_payment": "2",
            "total_purchase_value": "-",
            "complete_payment_roas": "2.10",
        }
    )
    assert totals.spend == Decimal("14.68")
    assert totals.revenue == Decimal("30.83")  # ROAS × spend when the value is missing
    assert (totals.impressions, totals.clicks, totals.conversions) == (1079, 12, 2)


@pytest.mark.parametrize(
    ("code", "error_type", "retryable"),
    [
        (40100, RateLimited, True),
        (50000, ServiceUnavailable, True),
        (51010, ServiceUnavailable, True),
        (40105, AuthenticationFailed, False),
        (40104, AuthenticationFailed, False),
        (40102, TokenExpired, False),
        (40002, InvalidParameter, False),
        (49999, InternalError, False),
    ],
)
def test_classify_maps_codes_and_keeps_platform_facts(
    code: int, error_type: type, retryable: bool
) -> None:
    error = classify(code, "budget: too low", "REQ123")
    assert isinstance(error, error_type)
    assert error.retryable is retryable
    assert error.details["platform_code"] == code
    assert error.details["platform_request_id"] == "REQ123"
    assert error.details["platform"] == "tiktok"


def test_parameter_error_names_the_platform_field() -> None:
    error = classify(40002, "budget: daily ad group budget must be at least 20", "R")
    assert isinstance(error, InvalidParameter)
    assert error.field == "budget"


def test_token_expired_carries_reauth_url() -> None:
    assert classify(40102, "expired", "R").details["action_url"] == "/settings/ad-accounts"
