"""Use case: get_campaign_status — the live tree with metrics, or the last copy on failure.

A live read is cached for ``status_cache_ttl_seconds`` and saved as the campaign's last
live status (a document of the store); when the platform fails, that copy is returned
marked ``stale`` with its age.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

import structlog
from pydantic import TypeAdapter, ValidationError

from roasloop.domain.enums import EntityLevel, EntityStatus, Platform
from roasloop.domain.metrics import MetricTotals
from roasloop.domain.models import Campaign
from roasloop.errors import RoasloopError
from roasloop.ports.platform import CampaignTree, RemoteObject, ReportRow
from roasloop.services.common import Deps, RequestContext
from roasloop.services.reports import fetch_lifetime, require_campaign
from roasloop.services.results import PlatformFailure

log = structlog.get_logger(__name__)
#: Document kind of a campaign's last live status (one document per campaign).
LAST_LIVE_STATUS = "campaign_status"


@dataclass(frozen=True, slots=True)
class NodeStatus:
    """One object of the tree with its lifetime totals (ad sets also carry budget and ads)."""

    level: EntityLevel
    object_id: str
    name: str
    status: EntityStatus
    totals: MetricTotals
    daily_budget: Decimal | None = None
    children: tuple[NodeStatus, ...] = ()


@dataclass(frozen=True, slots=True)
class CampaignStatus:
    """The campaign, its ad sets and their ads as of ``as_of``.

    ``stale`` means the platform failed and this is the last live read, ``age_seconds`` old.
    """

    campaign: NodeStatus
    adsets: tuple[NodeStatus, ...]
    as_of: datetime
    stale: bool = False
    cached: bool = False
    age_seconds: int | None = None
    platform_error: PlatformFailure | None = None


_STORED = TypeAdapter(CampaignStatus)


async def get_campaign_status(
    deps: Deps, ctx: RequestContext, platform: Platform, campaign_id: str
) -> CampaignStatus:
    """The live status (cached briefly), or the stored copy marked ``stale`` on failure."""
    campaign = await require_campaign(deps, ctx, platform, campaign_id)
    cache_key = f"status:{ctx.tenant_id}:{platform.value}:{campaign_id}"
    cached = _parse(await deps.cache.get(cache_key))
    if cached is not None:
        return replace(cached, cached=True)
    try:
        status = await _live(deps, ctx, campaign)
    except RoasloopError as error:
        return await _stale(deps, ctx, campaign_id, error)
    stored = _STORED.dump_python(status, mode="json")
    async with deps.store.unit(ctx.tenant_id) as uow:
        await uow.documents.save(LAST_LIVE_STATUS, campaign_id, stored, status.as_of)
    text = _STORED.dump_json(status).decode()
    await deps.cache.set(cache_key, text, deps.settings.status_cache_ttl_seconds)
    return status


async def _live(deps: Deps, ctx: RequestContext, campaign: Campaign) -> CampaignStatus:
    adapter = await deps.adapters.adapter_for(ctx.tenant_id, campaign.platform)
    tree = await adapter.get_campaign_tree(campaign.campaign_id)
    rows = await fetch_lifetime(deps, ctx, adapter, campaign)
    root, adsets = status_tree(tree, rows)
    return CampaignStatus(root, adsets, deps.clock.now())


async def _stale(
    deps: Deps, ctx: RequestContext, campaign_id: str, error: RoasloopError
) -> CampaignStatus:
    async with deps.store.unit(ctx.tenant_id) as uow:
        saved = await uow.documents.get(LAST_LIVE_STATUS, campaign_id)
    last = _parse(saved.payload) if saved is not None else None
    if saved is None or last is None:
        raise error
    age = int((deps.clock.now() - saved.saved_at).total_seconds())
    log.warning("campaign_status_stale", campaign_id=campaign_id, error_code=error.code)
    failure = PlatformFailure.of(error)
    return replace(last, as_of=saved.saved_at, stale=True, age_seconds=age, platform_error=failure)


def _parse(stored: object) -> CampaignStatus | None:
    """A stored status, or ``None`` if absent or written by an older version."""
    if stored is None:
        return None
    try:
        if isinstance(stored, str | bytes):
            return _STORED.validate_json(stored)
        return _STORED.validate_python(stored)
    except ValidationError:
        return None


def status_tree(
    tree: CampaignTree, rows: list[ReportRow]
) -> tuple[NodeStatus, tuple[NodeStatus, ...]]:
    """Campaign and ad sets (each with its ads), in a stable order, with lifetime totals."""
    by_ad: dict[str, list[MetricTotals]] = defaultdict(list)
    for row in rows:
        by_ad[row.ad_id].append(row.metrics)
    ad_totals = {ad_id: MetricTotals.total(parts) for ad_id, parts in by_ad.items()}
    adsets = []
    for adset in sorted(tree.adsets, key=_display_order):
        ads = sorted((ad for ad in tree.ads if ad.parent_id == adset.object_id), key=_display_order)
        children = tuple(
            _node(EntityLevel.AD, ad, ad_totals.get(ad.object_id, MetricTotals())) for ad in ads
        )
        totals = MetricTotals.total(child.totals for child in children)
        node = _node(EntityLevel.ADSET, adset, totals)
        adsets.append(replace(node, daily_budget=adset.daily_budget, children=children))
    root = _node(EntityLevel.CAMPAIGN, tree.campaign, MetricTotals.total(ad_totals.values()))
    return root, tuple(adsets)


def _display_order(node: RemoteObject) -> tuple[str, str]:
    """Stable order whatever order the platform lists objects in."""
    return node.name, node.object_id


def _node(level: EntityLevel, remote: RemoteObject, totals: MetricTotals) -> NodeStatus:
    return NodeStatus(level, remote.object_id, remote.name, remote.status, totals)
