"""Each platform's learning-status field → roasloop's learning phase, on payloads shaped as the
vendors document them; and the sandbox's fields read back through the same mappings."""

from __future__ import annotations

import pytest

from roasloop.bootstrap_sandbox import reported_learning
from roasloop.domain.enums import LearningStatus, Platform
from roasloop.platforms.google import mapping as google
from roasloop.platforms.google import queries
from roasloop.platforms.meta import mapping as meta
from roasloop.platforms.tiktok import mapping as tiktok

LEARNING, LIMITED, ACTIVE = LearningStatus.LEARNING, LearningStatus.LIMITED, LearningStatus.ACTIVE

#: ``GET /{campaign_id}/adsets?fields=id,learning_stage_info``: the members of
#: AdCampaignLearningStageInfo (marketing-api/reference/ad-campaign-learning-stage-info); the
#: paused ad set has no ``learning_stage_info`` ("only returned for active ad sets").
META_ADSETS = {
    "data": [
        {
            "id": "23850000000000001",
            "learning_stage_info": {
                "attribution_windows": ["7d_click", "1d_view"],
                "conversions": 12,
                "last_sig_edit_ts": 1741000000,
                "status": "LEARNING",
            },
        },
        {
            "id": "23850000000000002",
            "learning_stage_info": {"conversions": 61, "status": "SUCCESS"},
        },
        {"id": "23850000000000003", "learning_stage_info": {"conversions": 9, "status": "FAIL"}},
        {"id": "23850000000000004"},
        {"id": "23850000000000005", "learning_stage_info": {"status": "SOMETHING_NEW"}},
    ],
    "paging": {"cursors": {"before": "QVFIUk", "after": "QVFIUl"}},
}



def _row(ad_group: str, campaign: str, system_status: str | None) -> dict[str, object]:
    """One ``googleAds:search`` row of ``SELECT ad_group.id,
    campaign.bidding_strategy_system_status FROM ad_group`` (REST JSON: int64 as strings,
    enums by name, an unset field left out)."""
    row: dict[str, dict[str, str]] = {
        "adGroup": {"resourceName": f"customers/1/adGroups/{ad_group}", "id": ad_group},
        "campaign": {"resourceName": f"customers/1/campaigns/{campaign}"},
    }
    if system_status is not None:
        row["campaign"]["biddingStrategySystemStatus"] = system_status
    return dict(row)


GOOGLE_ROWS = [
    _row("11", "21", "LEARNING_BUDGET_CHANGE"),
    _row("12", "22", "LIMITED_BY_DATA"),
    _row("13", "23", "ENABLED"),
    _row("14", "24", "PAUSED"),
    _row("15", "25", None),
]


def test_meta_learning_stage_info_fail_is_learning_limited_and_absence_is_unreported() -> None:
    assert meta.learning_statuses(META_ADSETS["data"]) == {
        "23850000000000001": LEARNING,
        "23850000000000002": ACTIVE,
        "23850000000000003": LIMITED,
    }
    assert meta.learning_status(None) is None
    assert meta.learning_status("LEARNING") is None  # the field is an object, not a string


def test_meta_asks_only_for_the_field_it_reads() -> None:
    assert meta.LEARNING_FIELDS == "id,learning_stage_info"


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("LEARNING_NEW", LEARNING),
        ("LEARNING_SETTING_CHANGE", LEARNING),
        ("LEARNING_BUDGET_CHANGE", LEARNING),
        ("LEARNING_COMPOSITION_CHANGE", LEARNING),
        ("LEARNING_CONVERSION_TYPE_CHANGE", LEARNING),
        ("LEARNING_CONVERSION_SETTING_CHANGE", LEARNING),
        ("MULTIPLE_LEARNING", LEARNING),
        ("LIMITED_BY_DATA", LIMITED),
        ("ENABLED", ACTIVE),
        ("LIMITED_BY_BUDGET", ACTIVE),
        ("LIMITED_BY_CPC_BID_CEILING", ACTIVE),
        ("LIMITED_BY_INVENTORY", ACTIVE),
        ("PAUSED", None),
        ("UNAVAILABLE", None),
        ("MISCONFIGURED_CONVERSION_TYPES", None),
        ("MULTIPLE_LIMITED", None),
        ("MULTIPLE", None),
        ("UNKNOWN", None),
        (None, None),
    ],
)
def test_google_bidding_strategy_system_status(wire: str | None, expected: object) -> None:
    assert google.learning_status(wire) is expected


def test_google_rows_give_each_ad_group_its_campaigns_status() -> None:
    assert google.learning_statuses(GOOGLE_ROWS) == {"11": LEARNING, "12": LIMITED, "13": ACTIVE}
    query = queries.learning("777")
    assert query.startswith("SELECT ad_group.id, campaign.bidding_strategy_system_status")
    assert "FROM ad_group" in query and "rlg:777" in query and "!= 'REMOVED'" in query


def test_tiktok_reports_no_learning_phase() -> None:
    assert tiktok.LEARNING_STATUS_FIELD is None
    for anything in ("LEARNING", {"status": "LEARNING"}, "ADGROUP_STATUS_DELIVERY_OK", None):
        assert tiktok.learning_status(anything) is None


@pytest.mark.parametrize("state", ["learning", "limited", "active"])
def test_the_sandboxes_fields_read_back_as_the_markets_state(state: str) -> None:
    """The sandbox answers in each platform's wire format; the adapter's mapping gives the
    market's state back where the platform has the field, and nothing where it does not."""
    phase = LearningStatus(state)
    assert reported_learning(Platform.META, state, delivering=True) is phase
    assert reported_learning(Platform.GOOGLE, state, delivering=True) is phase
    assert reported_learning(Platform.TIKTOK, state, delivering=True) is None
    for platform in Platform:
        assert reported_learning(platform, state, delivering=False) is None
