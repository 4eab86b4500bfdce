"""Campaign results as the module API's response dicts (money as numbers, en / zh-CN text)."""

from __future__ import annotations

from decimal import Decimal

from roasloop.actions.base import JSON
from roasloop.i18n import both
from roasloop.services.campaign_status import CampaignStatus, NodeStatus
from roasloop.services.campaigns import CreatedCampaign, StatusChanged

#: The message of each ``manage_campaign`` operation.
OPERATION_MESSAGES = {
    "pause": "campaign_paused",
    "start": "campaign_started",
    "delete": "campaign_deleted",
}


def created_campaign(created: CreatedCampaign) -> JSON:
    return {
        "status": "success",
        "campaign_id": created.campaign_id,
        "campaign_status": created.campaign_status.value,
        "idempotency_key": created.idempotency_key,
        "adsets": [
            {
                "adset_id": a.adset_id,
                "name": a.name,
                "daily_budget": float(a.daily_budget),
                "targeting": a.targeting.as_dict(),
                "optimization_goal": a.optimization_goal.value,
                "bid_strategy": a.bid_strategy.value,
            }
            for a in created.adsets
        ],
        "ads": [
            {"ad_id": a.ad_id, "creative_id": a.creative_id, "adset_id": a.adset_id, "copy": a.copy}
            for a in created.ads
        ],
        "copies": [{"creative_id": cid, **copy} for cid, copy in created.copies],
        "messages": both("campaign_created"),
    }


def status_changed(changed: StatusChanged) -> JSON:
    return {
        "status": "success",
        "campaign_id": changed.campaign_id,
        "previous_status": changed.previous_status.value,
        "new_status": changed.new_status.value,
        "messages": both(OPERATION_MESSAGES[changed.operation]),
    }


def campaign_status(status: CampaignStatus) -> JSON:
    body: JSON = {
        "status": "success",
        "stale": status.stale,
        "as_of": status.as_of.isoformat(),
        "campaign": _node(status.campaign),
        "adsets": [
            {
                **_node(adset),
                "daily_budget": _budget(adset.daily_budget),
                "ads": [_node(ad) for ad in adset.children],
            }
            for adset in status.adsets
        ],
        "messages": both("status_live"),
    }
    if status.cached:
        body["cached"] = True
    if status.stale and status.platform_error is not None:
        error = status.platform_error
        body["age_seconds"] = status.age_seconds
        body["platform_error"] = {"code": error.code, "type": error.type}
        body["messages"] = both("status_stale", age_seconds=status.age_seconds)
    return body


def _node(node: NodeStatus) -> JSON:
    return {
        f"{node.level.value}_id": node.object_id,
        "name": node.name,
        "status": node.status.value,
        **node.totals.as_dict(),
    }


def _budget(amount: Decimal | None) -> float | None:
    return float(amount) if amount else None
