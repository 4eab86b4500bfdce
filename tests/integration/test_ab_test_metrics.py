"""Creative tests through the module API: the primary metric's default and every method on it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.integration.harness import Harness

METHODS = ("sequential", "chi_square", "bayesian")


def _create(h: Harness, key: str, creatives: list[str], **extra: Any) -> dict[str, Any]:
    params = {
        "platform": "tiktok",
        "test_name": f"test {key}",
        "creative_ids": creatives,
        "daily_budget": 300,
        "test_duration_days": 14,
        "idempotency_key": key,
        **extra,
    }
    return h.execute("create_ab_test", params)


def test_cost_per_result_is_the_default_and_every_method_analyses_it(fresh: Harness) -> None:
    creatives = fresh.creatives("u1", 2)
    by_default = _create(fresh, "default", creatives)
    assert by_default["status"] == "success", by_default
    assert by_default["primary_metric"] == "cpa"
    for metric in ("roas", "cvr"):
        chosen = _create(fresh, metric, creatives, primary_metric=metric)
        assert chosen["primary_metric"] == metric
    fresh.advance(10)
    for method in METHODS:
        result = fresh.execute(
            "analyze_ab_test", {"test_id": by_default["test_id"], "method": method}
        )
        assert result["status"] == "success", result
        assert result["primary_metric"] == "cpa" and result["error"] is None
        assert [c["error"] for c in result["comparisons"]] == [None]
        for variant in result["variants"]:
            assert variant["metric_estimate"] == pytest.approx(variant["cpa"]["value"])
            assert variant["spend"] / variant["conversions"] == pytest.approx(
                variant["metric_estimate"], rel=1e-6
            )


def test_rates_compare_variants_day_by_day(fresh: Harness) -> None:
    """Each variant has an ad set of its own: the comparison pairs the variants' days."""
    test = _create(fresh, "cvr", fresh.creatives("u1", 3), primary_metric="cvr")
    fresh.advance(10)
    for method in METHODS:
        result = fresh.execute("analyze_ab_test", {"test_id": test["test_id"], "method": method})
        assert result["primary_metric"] == "cvr"
        assert [c["error"] for c in result["comparisons"]] == [None, None]


def test_an_unknown_metric_is_refused_naming_the_field(fresh: Harness) -> None:
    refused = _create(fresh, "ltv", fresh.creatives("u1", 2), primary_metric="ltv")
    assert refused["status"] == "error"
    assert refused["error"]["code"] == "1001"
    assert refused["error"]["details"]["field"] == "primary_metric"
