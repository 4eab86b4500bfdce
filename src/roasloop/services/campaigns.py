"""Use cases: create_campaign, manage_campaign, get_campaign_status."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import structlog

from roasloop.domain.enums import EntityLevel, EntityStatus, Objective, Platform
from roasloop.domain.metrics import MetricTotals
from roasloop.domain.models import AgeRange, Campaign
from roasloop.domain.structure import client_key_base, plan_campaign
from roasloop.errors import InvalidParameter, RoasloopError
from roasloop.i18n import both
from roasloop.ports.platform import CampaignTree, RemoteObject, ReportRow
from roasloop.services.common import Deps, RequestContext, new_id
from roasloop.services.creatives import load_creatives
from roasloop.services.leases import holding
from roasloop.services.oplog import Write, logged_write
from roasloop.services.preflight import CAMPAIGN_NAME_FIELDS, check_plan
from roasloop.services.reports import fetch_lifetime, require_campaign
from roasloop.services.structure import (
    CampaignMeta,
    StructureRun,
    structure_lease,
)
from roasloop.translations import N_

JSON = dict[str, Any]
log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class CreateCampaign:
    platform: Platform
    objective: Objective
    daily_budget: Decimal
    target_countries: tuple[str, ...]
    creative_ids: tuple[str, ...]
    age_groups: tuple[AgeRange, ...]
    product_url: str | None = None
    name: str | None = None
    idempotency_key: str | None = None
    target_roas: Decimal | None = None
    target_cpa: Decimal | None = None
    activate: bool = True

    def fingerprint_fields(self) -> JSON:
        return {
            "platform": self.platform.value,
            "objective": self.objective.value,
            "daily_budget": str(self.daily_budget),
            "countries": list(self.target_countries),
            "creative_ids": list(self.creative_ids),
            "age_groups": [a.label for a in self.age_groups],
            "product_url": self.product_url,
            "name": self.name,
        }


async def create_campaign(deps: Deps, ctx: RequestContext, request: CreateCampaign) -> JSON:
    """Seed 000 §1–2: campaign → one ad set per age group → one ad per creative × ad set."""
    rules = deps.adapters.rules(request.platform)
    creatives = await load_creatives(deps, ctx, rules.capabilities, list(request.creative_ids))
    product_url = request.product_url or creatives[0].product_url
    key = request.idempotency_key or new_id("idem")
    plan = plan_campaign(
        base_key=client_key_base(ctx.tenant_id, key),
        name=request.name or f"{creatives[0].name} · {request.objective.value}",
        objective=request.objective,
        daily_budget=request.daily_budget,
        countries=request.target_countries,
        creative_ids=request.creative_ids,
        age_groups=request.age_groups,
        min_adset_budget=rules.capabilities.min_adset_daily_budget,
    )
    check_plan(rules, plan, request.target_countries, CAMPAIGN_NAME_FIELDS)
    # Only a request that passed every check may provision a sandbox account.
    adapter = await deps.adapters.adapter_for(ctx.tenant_id, request.platform)
    meta = CampaignMeta(request.daily_budget, product_url, request.target_roas, request.target_cpa)
    async with holding(deps, ctx, structure_lease(key)) as lease:
        run = StructureRun(deps, ctx, adapter, plan, lease, key)
        await run.load(request.fingerprint_fields())
        try:
            executed = await run.run(creatives, meta, request.activate)
        except RoasloopError as error:
            raise _partial(error, run, key) from None
    budgets = {a.key: a.daily_budget for a in plan.adsets}
    return {
        "status": "success",
        "campaign_id": executed.campaign_id,
        "campaign_status": (EntityStatus.ACTIVE if request.activate else EntityStatus.PAUSED).value,
        "idempotency_key": key,
        "adsets": [
            {
                "adset_id": executed.adset_ids[a.key],
                "name": a.name,
                "daily_budget": float(budgets[a.key]),
                "targeting": a.targeting.as_dict(),
                "optimization_goal": plan.optimization_goal.value,
                "bid_strategy": plan.bid_strategy.value,
            }
            for a in plan.adsets
        ],
        "ads": [
            {
                "ad_id": executed.ad_ids[ad.key],
                "creative_id": ad.creative_id,
                "adset_id": executed.adset_ids[ad.adset_key],
                "copy": executed.copies[ad.creative_id]["text"],
            }
            for ad in plan.ads
        ],
        "copies": [{"creative_id": cid, **copy} for cid, copy in executed.copies.items()],
        "messages": both("campaign_created"),
    }


def _partial(error: RoasloopError, run: StructureRun, key: str) -> RoasloopError:
    done = run.result()
    created = {
        "campaign_id": done.campaign_id or None,
        "adset_ids": list(done.adset_ids.values()),
        "ad_ids": list(done.ad_ids.values()),
    }
    return error.with_details(
        created=created,
        left_paused=bool(done.campaign_id),
        idempotency_key=key,
        resume="repeat the request with the same idempotency_key",
    )


OPERATIONS = {
    "pause": (EntityStatus.PAUSED, "campaign_paused"),
    "start": (EntityStatus.ACTIVE, "campaign_started"),
    "delete": (EntityStatus.DELETED, "campaign_deleted"),
}


async def manage_campaign(
    deps: Deps, ctx: RequestContext, platform: Platform, campaign_id: str, operation: str
) -> JSON:
    """Seed 000 §4: pause / start / delete, logged; returns the new status."""
    campaign = await require_campaign(deps, ctx, platform, campaign_id)
    if campaign.status is EntityStatus.DELETED:
        raise InvalidParameter("campaign_id", N_("the campaign is deleted"))
    status, message = OPERATIONS[operation]
    adapter = await deps.adapters.adapter_for(ctx.tenant_id, platform)

    write = Write(
        platform=platform,
        level=EntityLevel.CAMPAIGN,
        object_id=campaign_id,
        action="set_status",
        before={"status": campaign.status.value},
        after={"status": status.value},
        reason=operation,
    )
    await logged_write(
        deps, ctx, write, lambda: adapter.set_status(EntityLevel.CAMPAIGN, [campaign_id], status)
    )
    await deps.store.set_status(
        ctx.tenant_id, platform, EntityLevel.CAMPAIGN, campaign_id, status, deps.clock.now()
    )
    return {
        "status": "success",
        "campaign_id": campaign_id,
        "previous_status": campaign.status.value,
        "new_status": status.value,
        "messages": both(message),
    }


async def get_campaign_status(
    deps: Deps, ctx: RequestContext, platform: Platform, campaign_id: str
) -> JSON:
    """Seed 000 §8: the live tree with metrics, or the stored snapshot (``stale``) on failure."""
    campaign = await require_campaign(deps, ctx, platform, campaign_id)
    cache_key = f"status:{ctx.tenant_id}:{platform.value}:{campaign_id}"
    cached = await deps.cache.get(cache_key)
    if cached is not None:
        return {**json.loads(cached), "cached": True}
    try:
        payload = await _live_status(deps, ctx, campaign)
    except RoasloopError as error:
        return await _stale_status(deps, ctx, campaign_id, error)
    now = deps.clock.now()
    await deps.store.save_snapshot(ctx.tenant_id, "campaign_status", campaign_id, payload, now)
    await deps.cache.set(cache_key, json.dumps(payload), deps.settings.status_cache_ttl_seconds)
    return payload


async def _live_status(deps: Deps, ctx: RequestContext, campaign: Campaign) -> JSON:
    adapter = await deps.adapters.adapter_for(ctx.tenant_id, campaign.platform)
    tree = await adapter.get_campaign_tree(campaign.campaign_id)
    rows = await fetch_lifetime(deps, ctx, adapter, campaign)
    return {
        "status": "success",
        "stale": False,
        "as_of": deps.clock.now().isoformat(),
        **status_tree(tree, rows),
        "messages": both("status_live"),
    }


async def _stale_status(
    deps: Deps, ctx: RequestContext, campaign_id: str, error: RoasloopError
) -> JSON:
    snapshot = await deps.store.get_snapshot(ctx.tenant_id, "campaign_status", campaign_id)
    if snapshot is None:
        raise error
    age = int((deps.clock.now() - snapshot.taken_at).total_seconds())
    log.warning("campaign_status_stale", campaign_id=campaign_id, error_code=error.code)
    return {
        **snapshot.payload,
        "stale": True,
        "age_seconds": age,
        "as_of": snapshot.taken_at.isoformat(),
        "platform_error": {"code": error.code, "type": error.type},
        "messages": both("status_stale", age_seconds=age),
    }


def status_tree(tree: CampaignTree, rows: list[ReportRow]) -> JSON:
    """Campaign → ad sets → ads, each with spend, revenue, ROAS, CPA, CTR, CVR."""
    by_ad: dict[str, list[MetricTotals]] = defaultdict(list)
    for row in rows:
        by_ad[row.ad_id].append(row.metrics)
    ad_totals = {ad_id: MetricTotals.total(parts) for ad_id, parts in by_ad.items()}
    adsets = []
    for adset in sorted(tree.adsets, key=_display_order):
        ads = sorted((ad for ad in tree.ads if ad.parent_id == adset.object_id), key=_display_order)
        totals = MetricTotals.total(ad_totals.get(ad.object_id, MetricTotals()) for ad in ads)
        adsets.append(
            {
                **_node("adset", adset.object_id, adset.name, adset.status, totals),
                "daily_budget": float(adset.daily_budget) if adset.daily_budget else None,
                "ads": [
                    _node(
                        "ad",
                        ad.object_id,
                        ad.name,
                        ad.status,
                        ad_totals.get(ad.object_id, MetricTotals()),
                    )
                    for ad in ads
                ],
            }
        )
    campaign_totals = MetricTotals.total(ad_totals.values())
    node = tree.campaign
    return {
        "campaign": _node("campaign", node.object_id, node.name, node.status, campaign_totals),
        "adsets": adsets,
    }


def _display_order(node: RemoteObject) -> tuple[str, str]:
    """Stable order whatever order the platform lists objects in."""
    return node.name, node.object_id


def _node(
    level: str, object_id: str, name: str, status: EntityStatus, totals: MetricTotals
) -> JSON:
    return {f"{level}_id": object_id, "name": name, "status": status.value, **totals.as_dict()}
