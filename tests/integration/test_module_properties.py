"""Seed-000 properties through the module API, the real store and the TikTok sandbox over HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.integration.conftest import PROPERTY
from tests.integration.harness import Harness, build_harness

COUNTRIES = ["US", "GB", "CA", "AU", "DE", "FR", "JP", "SG"]

def _consecutive(start: int, widths: list[int]) -> list[tuple[int, int]]:
    """Age groups side by side from ``start``, never overlapping, up to 65."""
    groups = []
    for width in widths:
        if start + width > 65:
            break
        groups.append((start, start + width))
        start += width + 1
    return groups


age_groups = st.builds(
    _consecutive, st.integers(18, 40), st.lists(st.integers(4, 12), min_size=1, max_size=4)
)


def _create(h: Harness, user: str, creatives: list[str], **overrides: object) -> dict:
    params = {
        "platform": "tiktok",
        "objective": "sales",
        "daily_budget": 300,
        "target_countries": ["US"],
        "creative_ids": creatives,
        **overrides,
    }
    return h.execute("create_campaign", params, user=user)


# Feature: campaign-automation, Property 1: Campaign 创建完整性
@given(
    objective=st.sampled_from(["sales", "traffic", "awareness"]),
    budget_cents=st.integers(6_000, 1_000_000),
    countries=st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=4, unique=True),
    n_creatives=st.integers(1, 3),
)
@PROPERTY
def test_property_1_campaign_creation_completeness(
    shared: Harness, objective: str, budget_cents: int, countries: list[str], n_creatives: int
) -> None:
    user = shared.new_user()
    creatives = shared.creatives(user, n_creatives)
    budget = str(Decimal(budget_cents) / 100)
    result = _create(
        shared,
        user,
        creatives,
        objective=objective,
        daily_budget=budget,
        target_countries=countries,
    )
    assert result["status"] == "success", result
    assert result["mode"] == "sandbox" and result["request_id"]
    campaign = shared.world.get("campaign", result["campaign_id"])
    assert campaign is not None and campaign["operation_status"] == "ENABLE"
    status = shared.execute(
        "get_campaign_status", {"campaign_id": result["campaign_id"]}, user=user
    )
    assert status["status"] == "success"
    assert status["campaign"]["campaign_id"] == result["campaign_id"]


# Feature: campaign-automation, Property 2: Adset 数量正确性
# Feature: campaign-automation, Property 3: Adset 配置完整性
@given(
    groups=age_groups,
    countries=st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=3, unique=True),
)
@PROPERTY
def test_properties_2_and_3_adsets_count_and_configuration(
    shared: Harness, groups: list[tuple[int, int]], countries: list[str]
) -> None:
    user = shared.new_user()
    result = _create(
        shared,
        user,
        shared.creatives(user, 1),
        age_groups=groups,
        daily_budget=25 * len(groups),
        target_countries=countries,
    )
    assert result["status"] == "success", result
    assert len(result["adsets"]) == len(groups)
    for adset, (low, high) in zip(result["adsets"], groups, strict=True):
        targeting = adset["targeting"]
        assert (targeting["age_min"], targeting["age_max"]) == (low, high)
        assert targeting["countries"] == countries
        assert targeting["audience"] == "broad" and targeting["placements"] == "automatic"
        assert adset["bid_strategy"] == "lowest_cost"
        wire = shared.world.get("adgroup", adset["adset_id"])
        assert wire is not None
        assert wire["placement_type"] == "PLACEMENT_TYPE_AUTOMATIC"
        assert wire["bid_type"] == "BID_TYPE_NO_BID"
        assert len(wire["location_ids"]) == len(countries)
        assert wire["age_groups"]


# Feature: campaign-automation, Property 4: 素材挂载完整性
@given(n_creatives=st.integers(1, 5), n_groups=st.integers(1, 3))
@PROPERTY
def test_property_4_one_ad_per_creative_and_adset_with_copy(
    shared: Harness, n_creatives: int, n_groups: int
) -> None:
    user = shared.new_user()
    creatives = shared.creatives(user, n_creatives)
    groups = [(18 + 10 * i, 27 + 10 * i) for i in range(n_groups)]
    result = _create(shared, user, creatives, age_groups=groups, daily_budget=30 * n_groups)
    assert result["status"] == "success", result
    assert len(result["ads"]) == n_creatives * n_groups
    pairs = {(ad["creative_id"], ad["adset_id"]) for ad in result["ads"]}
    assert len(pairs) == n_creatives * n_groups
    for ad in result["ads"]:
        assert ad["copy"].strip() and len(ad["copy"]) <= 100
        wire = shared.world.get("ad", ad["ad_id"])
        assert wire is not None and wire["ad_text"] == ad["copy"]
    assert {c["creative_id"] for c in result["copies"]} == set(creatives)


# Feature: campaign-automation, Property 7: 管理操作执行正确性
@given(operations=st.lists(st.sampled_from(["pause", "start", "delete"]), min_size=1, max_size=4))
@PROPERTY
def test_property_7_manage_operations_reflect_new_status(
    shared: Harness, operations: list[str]
) -> None:
    user = shared.new_user()
    created = _create(shared, user, shared.creatives(user, 1))
    campaign_id = created["campaign_id"]
    expected = {
        "pause": ("paused", "DISABLE"),
        "start": ("active", "ENABLE"),
        "delete": ("deleted", "DELETE"),
    }
    deleted = False
    for operation in operations:
        result = shared.execute(
            "manage_campaign", {"campaign_id": campaign_id, "operation": operation}, user=user
        )
        if deleted:
            assert (
                result["status"] == "error" and result["error"]["details"]["field"] == "campaign_id"
            )
            continue
        assert result["status"] == "success", result
        assert result["new_status"] == expected[operation][0]
        assert (
            shared.world.get("campaign", campaign_id)["operation_status"] == expected[operation][1]
        )
        deleted = operation == "delete"


@pytest.fixture(scope="module")
def status_harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    harness = build_harness(tmp_path_factory.mktemp("status"))
    yield harness
    harness.close()


# Feature: campaign-automation, Property 16: 状态查询完整性
@given(days=st.integers(1, 4), n_creatives=st.integers(1, 3))
@PROPERTY
def test_property_16_status_has_every_level_with_metrics(
    status_harness: Harness, days: int, n_creatives: int
) -> None:
    h = status_harness
    user = h.new_user()
    created = _create(h, user, h.creatives(user, n_creatives))
    h.advance(days)
    status = h.execute("get_campaign_status", {"campaign_id": created["campaign_id"]}, user=user)
    h.execute(
        "manage_campaign", {"campaign_id": created["campaign_id"], "operation": "delete"}, user=user
    )
    assert status["status"] == "success" and status["stale"] is False
    keys = {"spend", "revenue", "roas", "cpa", "ctr", "cvr"}
    assert keys <= set(status["campaign"])
    assert len(status["adsets"]) == 3
    ads = [ad for adset in status["adsets"] for ad in adset["ads"]]
    assert len(ads) == 3 * n_creatives
    for node in [*status["adsets"], *ads]:
        assert keys <= set(node)
    adset_spend = sum(Decimal(str(a["spend"])) for a in status["adsets"])
    ad_spend = sum(Decimal(str(a["spend"])) for a in ads)
    assert Decimal(str(status["campaign"]["spend"])) == adset_spend == ad_spend > 0


def test_status_falls_back_to_stale_snapshot_when_platform_fails(tmp_path: Path) -> None:
    # Feature: campaign-automation, Property 17: 缓存降级机制
    h = build_harness(tmp_path)
    try:
        created = _create(h, "u1", h.creatives("u1", 2))
        h.advance(2)
        fresh = h.execute("get_campaign_status", {"campaign_id": created["campaign_id"]})
        h.advance(1)
        h.transport.script = lambda request: 50000
        stale = h.execute("get_campaign_status", {"campaign_id": created["campaign_id"]})
        assert stale["status"] == "success" and stale["stale"] is True
        assert stale["age_seconds"] == 86400
        assert stale["campaign"] == fresh["campaign"]
        assert stale["platform_error"]["code"] == "4000"
    finally:
        h.close()
