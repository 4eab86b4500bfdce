"""Actions: create_ab_test, analyze_ab_test."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from roasloop.actions.base import (
    JSON,
    Action,
    Countries,
    Params,
    PositiveMoney,
    Text,
    UniqueIds,
    WithPlatform,
)
from roasloop.domain.enums import Objective
from roasloop.domain.models import AgeRange
from roasloop.errors import InvalidParameter
from roasloop.i18n import both
from roasloop.services import ab_tests
from roasloop.services.common import Deps, RequestContext
from roasloop.stats.analysis import AnalysisConfig


class CreateABTestParams(WithPlatform):
    test_name: Text
    creative_ids: UniqueIds = Field(min_length=2, max_length=10)
    daily_budget: PositiveMoney
    test_duration_days: int = Field(ge=1, le=90)
    target_countries: Countries = Field(default_factory=lambda: ["US"])
    objective: Objective = Objective.SALES
    # Cost per result decides by default, as Meta's and TikTok's own split tests do; "roas"
    # is for value-optimised campaigns, the rates stay available.
    primary_metric: Literal["cpa", "roas", "cvr", "conversions_per_impression", "ctr"] = "cpa"
    age_min: int = Field(default=18, ge=13, le=99)
    age_max: int = Field(default=65, ge=14, le=100)
    idempotency_key: Text | None = None


class AnalyzeABTestParams(Params):
    test_id: Text
    method: Literal["sequential", "chi_square", "bayesian"] = "sequential"
    # Bounded away from 0 and 1: beyond them sample sizes overflow and nothing is decidable.
    alpha: float = Field(default=0.05, ge=0.0001, lt=0.5, allow_inf_nan=False)
    power: float = Field(default=0.8, gt=0.5, le=0.999, allow_inf_nan=False)
    mde: float = Field(default=0.10, ge=0.001, lt=10, allow_inf_nan=False)
    correction: Literal["holm", "bh", "none"] = "holm"


async def _create_ab_test(deps: Deps, ctx: RequestContext, q: CreateABTestParams) -> JSON:
    request = ab_tests.CreateABTest(
        platform=q.platform,
        test_name=q.test_name,
        creative_ids=tuple(q.creative_ids),
        daily_budget=q.daily_budget,
        test_duration_days=q.test_duration_days,
        target_countries=tuple(q.target_countries),
        age_range=_age_range(q.age_min, q.age_max),
        objective=q.objective,
        primary_metric=q.primary_metric,
        idempotency_key=q.idempotency_key,
    )
    return _created(await ab_tests.create_ab_test(deps, ctx, request))


async def _analyze(deps: Deps, ctx: RequestContext, q: AnalyzeABTestParams) -> JSON:
    config = AnalysisConfig(alpha=q.alpha, power=q.power, mde=q.mde, correction=q.correction)
    analysis = await ab_tests.analyze_ab_test(deps, ctx, q.test_id, q.method, config)
    return {"status": "success", "test_id": analysis.test_id, **analysis.result.as_dict()}


def _created(created: ab_tests.CreatedABTest) -> JSON:
    test = created.test
    return {
        "status": "success",
        "test_id": test.test_id,
        "campaign_id": test.campaign_id,
        "primary_metric": test.primary_metric,
        "start_date": test.start_date.isoformat(),
        "end_date": test.end_date.isoformat(),
        "variants": [
            {
                "creative_id": v.creative_id,
                "adset_id": v.adset_id,
                "ad_id": v.ad_id,
                "daily_budget": float(v.daily_budget),
            }
            for v in created.variants
        ],
        "idempotency_key": created.idempotency_key,
        "messages": both("ab_test_created"),
    }


def _age_range(low: int, high: int) -> AgeRange:
    try:
        return AgeRange(low, high)
    except ValueError as exc:
        raise InvalidParameter("age_max", str(exc), detail_key=str(exc)) from exc


ACTIONS = {
    "create_ab_test": Action(CreateABTestParams, _create_ab_test),
    "analyze_ab_test": Action(AnalyzeABTestParams, _analyze),
}
