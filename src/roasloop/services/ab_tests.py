"""Use cases: create_ab_test and analyze_ab_test (the statistics live in ``stats/``)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

from roasloop.domain.enums import ABTestStatus, Objective, Platform
from roasloop.domain.models import ABTest, AgeRange
from roasloop.domain.structure import StructurePlan, plan_ab_test
from roasloop.errors import InvalidParameter, NotFound
from roasloop.services.common import Deps, RequestContext
from roasloop.services.launch import LaunchRequest, prepare, run
from roasloop.services.preflight import AB_TEST_NAME_FIELDS
from roasloop.services.reports import require_campaign, sync_reports
from roasloop.services.structure import CampaignMeta, ExecutedStructure
from roasloop.stats.analysis import AnalysisConfig, TestDesign, VariantDaily, analyze
from roasloop.stats.results import AnalysisResult, Verdict
from roasloop.translations import N_

#: Cost per result first: the default, as in Meta's and TikTok's split tests.
PRIMARY_METRICS = ("cpa", "roas", "cvr", "conversions_per_impression", "ctr")
METHODS = ("sequential", "chi_square", "bayesian")


@dataclass(frozen=True, slots=True)
class CreateABTest:
    platform: Platform
    test_name: str
    creative_ids: tuple[str, ...]
    daily_budget: Decimal
    test_duration_days: int
    target_countries: tuple[str, ...]
    age_range: AgeRange
    objective: Objective = Objective.SALES
    primary_metric: str = "cpa"
    idempotency_key: str | None = None

    def fingerprint_fields(self) -> dict[str, Any]:
        return {
            "kind": "ab_test",
            "platform": self.platform.value,
            "name": self.test_name,
            "creative_ids": list(self.creative_ids),
            "daily_budget": str(self.daily_budget),
            "days": self.test_duration_days,
            "countries": list(self.target_countries),
            "ages": self.age_range.label,
            "metric": self.primary_metric,
        }


@dataclass(frozen=True, slots=True)
class Variant:
    creative_id: str
    adset_id: str
    ad_id: str
    daily_budget: Decimal


@dataclass(frozen=True, slots=True)
class CreatedABTest:
    """The test as first saved, with each variant's ad set and ad on the platform."""

    test: ABTest
    variants: tuple[Variant, ...]
    idempotency_key: str


async def create_ab_test(deps: Deps, ctx: RequestContext, request: CreateABTest) -> CreatedABTest:
    """One campaign; one ad set per variant, identical targeting, budget split to the cent."""
    launch = await prepare(
        deps, ctx, request.platform, request.creative_ids, request.idempotency_key
    )
    plan = plan_ab_test(
        base_key=launch.base_key,
        name=request.test_name,
        objective=request.objective,
        daily_budget=request.daily_budget,
        countries=request.target_countries,
        creative_ids=request.creative_ids,
        age_range=request.age_range,
        min_adset_budget=launch.rules.capabilities.min_adset_daily_budget,
    )
    meta = CampaignMeta(request.daily_budget, launch.creatives[0].product_url)
    spec = LaunchRequest(
        request.target_countries, AB_TEST_NAME_FIELDS, request.fingerprint_fields(), meta, True
    )
    test_id = f"abt_{launch.base_key}"
    saved: list[ABTest] = []

    async def record(executed: ExecutedStructure) -> None:
        async with deps.store.unit(ctx.tenant_id) as uow:
            test = await uow.ab_tests.get(test_id)
            if test is None:  # a repeated request returns the test as first saved
                test = _new_test(deps, ctx, request, test_id, executed, plan)
                await uow.ab_tests.save(test)
        saved.append(test)

    executed = await run(deps, ctx, launch, plan, spec, after=record)
    ads = {ad.adset_key: executed.ad_ids[ad.key] for ad in plan.ads}
    variants = tuple(
        Variant(a.creative_ids[0], executed.adset_ids[a.key], ads[a.key], a.daily_budget)
        for a in plan.adsets
    )
    return CreatedABTest(saved[0], variants, launch.idempotency_key)


def _new_test(
    deps: Deps,
    ctx: RequestContext,
    request: CreateABTest,
    test_id: str,
    executed: ExecutedStructure,
    plan: StructurePlan,
) -> ABTest:
    start = deps.clock.today()
    return ABTest(
        test_id=test_id,
        tenant_id=ctx.tenant_id,
        name=request.test_name,
        platform=request.platform,
        campaign_id=executed.campaign_id,
        variants=tuple((a.creative_ids[0], executed.adset_ids[a.key]) for a in plan.adsets),
        daily_budget=request.daily_budget,
        duration_days=request.test_duration_days,
        start_date=start,
        end_date=start + timedelta(days=request.test_duration_days),
        status=ABTestStatus.RUNNING,
        primary_metric=request.primary_metric,
        created_at=deps.clock.now(),
    )


@dataclass(frozen=True, slots=True)
class TestAnalysis:
    test_id: str
    result: AnalysisResult


async def analyze_ab_test(
    deps: Deps, ctx: RequestContext, test_id: str, method: str, config: AnalysisConfig
) -> TestAnalysis:
    """Pull fresh numbers, then analyse each variant's daily data with ``method``."""
    async with deps.store.unit(ctx.tenant_id) as uow:
        test = await uow.ab_tests.get(test_id)
    if test is None:
        raise NotFound(
            N_("A/B test {test_id}"),
            details={"field": "test_id", "test_id": test_id},
            detail_params={"test_id": test_id},
        )
    if method not in METHODS:
        raise InvalidParameter(
            "method", N_("choose one of {known}"), detail_params={"known": ", ".join(METHODS)}
        )
    campaign = await require_campaign(deps, ctx, test.platform, test.campaign_id)
    adapter = await deps.adapters.adapter_for(ctx.tenant_id, test.platform)
    await sync_reports(deps, ctx, adapter, campaign, lookback_days=test.duration_days + 7)
    rows = await _variant_rows(deps, ctx, test)
    design = TestDesign(
        variant_ids=tuple(creative for creative, _ in test.variants),
        primary_metric=test.primary_metric,
        # The budget is split by design, but traffic is not: impressions follow each
        # creative's CPM, so a sample-ratio check on them would trip on every healthy test.
        # The SRM gate is for user-level splits (platform split tests), not budget splits.
        designed_split=None,
        randomized=True,
    )
    result = analyze(rows, design, method=method, config=config)
    await _record(deps, test, result)
    return TestAnalysis(test_id, result)


async def _variant_rows(deps: Deps, ctx: RequestContext, test: ABTest) -> list[VariantDaily]:
    end = deps.clock.today() - timedelta(days=1)
    async with deps.store.unit(ctx.tenant_id) as uow:
        rows = await uow.performance.for_campaign(
            test.platform, test.campaign_id, test.start_date, end
        )
    variant_of = {adset_id: creative for creative, adset_id in test.variants}
    # Every variant runs in an ad set of its own with the same targeting, so an ad set is a
    # variant, not a stratum: stratified by ad set, no two arms would share one. The strata
    # are the days (a stratum is a day × this label).
    return [
        VariantDaily(
            variant_id=variant_of[row.adset_id],
            day=row.day,
            stratum=test.campaign_id,
            impressions=row.metrics.impressions,
            clicks=row.metrics.clicks,
            conversions=row.metrics.conversions,
            spend=row.metrics.spend,
            revenue=row.metrics.revenue,
        )
        for row in rows
        if row.adset_id in variant_of
    ]


async def _record(deps: Deps, test: ABTest, result: AnalysisResult) -> None:
    done = result.verdict in (Verdict.WINNER, Verdict.NO_DIFFERENCE)
    updated = replace(
        test,
        results=result.as_dict(),
        winner=result.winner,
        status=ABTestStatus.COMPLETED if done else test.status,
    )
    async with deps.store.unit(test.tenant_id) as uow:
        await uow.ab_tests.save(updated)
