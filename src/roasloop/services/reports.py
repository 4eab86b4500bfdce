"""Observe: pull platform reports into ``performance_daily``."""

from __future__ import annotations

from datetime import date, timedelta

from roasloop.domain.enums import Platform
from roasloop.domain.models import Campaign, PerformanceDaily
from roasloop.errors import NotFound
from roasloop.ports.platform import PlatformAdapter, ReportRow
from roasloop.services.common import Deps, RequestContext
from roasloop.translations import N_

#: Conversions keep arriving for days after the click (7-day click attribution), so each
#: sync re-reads this many past days.
ATTRIBUTION_LOOKBACK_DAYS = 7


async def require_campaign(
    deps: Deps, ctx: RequestContext, platform: Platform, campaign_id: str
) -> Campaign:
    """The tenant's stored campaign or ``NotFound`` naming ``campaign_id``."""
    async with deps.store.unit(ctx.tenant_id) as uow:
        campaign = await uow.campaigns.get(platform, campaign_id)
    if campaign is None:
        raise NotFound(
            N_("campaign {campaign_id}"),
            details={"field": "campaign_id", "campaign_id": campaign_id},
            detail_params={"campaign_id": campaign_id},
        )
    return campaign


async def sync_campaign(
    deps: Deps, ctx: RequestContext, platform: Platform, campaign_id: str, lookback_days: int
) -> int:
    """Use case sync_reports: pull one campaign's last ``lookback_days``; the rows stored."""
    campaign = await require_campaign(deps, ctx, platform, campaign_id)
    adapter = await deps.adapters.adapter_for(ctx.tenant_id, platform)
    return await sync_reports(deps, ctx, adapter, campaign, lookback_days)


async def sync_reports(
    deps: Deps,
    ctx: RequestContext,
    adapter: PlatformAdapter,
    campaign: Campaign,
    lookback_days: int = ATTRIBUTION_LOOKBACK_DAYS,
) -> int:
    """Re-read the last ``lookback_days`` complete days; return the rows stored."""
    end = deps.clock.today() - timedelta(days=1)
    start = max(campaign.created_at.date(), end - timedelta(days=lookback_days - 1))
    if start > end:
        return 0
    return await store_report(
        deps, ctx, campaign, await adapter.get_report(campaign.campaign_id, start, end)
    )


async def fetch_lifetime(
    deps: Deps, ctx: RequestContext, adapter: PlatformAdapter, campaign: Campaign
) -> list[ReportRow]:
    """Every complete day since the campaign was created (stored as a side effect)."""
    end = deps.clock.today() - timedelta(days=1)
    start = campaign.created_at.date()
    if start > end:
        return []
    rows = await adapter.get_report(campaign.campaign_id, start, end)
    await store_report(deps, ctx, campaign, rows)
    return rows


async def store_report(
    deps: Deps, ctx: RequestContext, campaign: Campaign, rows: list[ReportRow]
) -> int:
    now = deps.clock.now()
    records = [
        PerformanceDaily(
            tenant_id=ctx.tenant_id,
            platform=campaign.platform,
            campaign_id=campaign.campaign_id,
            adset_id=row.adset_id,
            ad_id=row.ad_id,
            day=row.day,
            metrics=row.metrics,
            fetched_at=now,
        )
        for row in rows
    ]
    if not records:
        return 0
    async with deps.store.unit(ctx.tenant_id) as uow:
        return await uow.performance.upsert(records)


def window(end: date, days: int) -> tuple[date, date]:
    """The ``days`` complete days ending at ``end`` (inclusive)."""
    return end - timedelta(days=days - 1), end
