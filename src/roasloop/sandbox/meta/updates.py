"""Node requests of the Meta sandbox: ``GET``, ``POST`` (update) and ``DELETE /{id}``.

Updates answer ``{"success": true}``. ``status=DELETED`` (or ``DELETE``) deletes an object and
its children, as Graph does; deleted objects cannot be edited. Budgets stay integer minor
units above Meta's minimum for the ad set's billing event.
"""

from __future__ import annotations

from typing import Any

from roasloop.domain.money import from_minor_units
from roasloop.sandbox.meta import delivery
from roasloop.sandbox.meta.docs import (
    AD,
    ADSET,
    CAMPAIGN,
    CREATIVE,
    VIDEO,
    Call,
    children,
    owned,
    touch,
)
from roasloop.sandbox.meta.edges import render
from roasloop.sandbox.meta.models import (
    AdSetUpdate,
    AdUpdate,
    CampaignUpdate,
    FieldsQuery,
    NameUpdate,
)
from roasloop.sandbox.meta.objects import budget_conflict, budget_too_low
from roasloop.sandbox.meta.protocol import (
    MIN_CAMPAIGN_DAILY_BUDGET_MINOR,
    MIN_DAILY_BUDGET_MINOR,
    format_time,
    parse,
    parse_time,
    require,
)
from roasloop.sandbox.world import SandboxWorld

Doc = dict[str, Any]
SUCCESS: Doc = {"success": True}
_CHILDREN: dict[str, tuple[tuple[str, str], ...]] = {
    CAMPAIGN: ((ADSET, "campaign_id"), (AD, "campaign_id")),
    ADSET: ((AD, "adset_id"),),
}


def read_node(call: Call, kind: str, doc: Doc) -> Doc:
    return render(call.world, kind, doc, parse(FieldsQuery, call.params).fields)


def update_node(call: Call, kind: str, doc: Doc) -> Doc:
    require(doc.get("status") != "DELETED", "status", "A deleted object cannot be edited")
    if kind == CAMPAIGN:
        _update_campaign(call, doc)
    elif kind == ADSET:
        _update_adset(call, doc)
    elif kind == AD:
        _update_ad(call, doc)
    else:
        _update_name(call, kind, doc)
    return SUCCESS


def delete_node(call: Call, kind: str, doc: Doc) -> Doc:
    if doc.get("status") != "DELETED":
        set_status(call.world, kind, doc, "DELETED")
    return SUCCESS


def set_status(world: SandboxWorld, kind: str, doc: Doc, status: str) -> None:
    """Set a status; deleting takes the children along; the market follows."""
    doc["status"] = status
    touch(world, kind, doc)
    if status == "DELETED":
        for child_kind, parent_field in _CHILDREN.get(kind, ()):
            for child in children(world, child_kind, parent_field, doc["id"]):
                if child["status"] != "DELETED":
                    child["status"] = "DELETED"
                    touch(world, child_kind, child)
    if kind == CAMPAIGN:
        delivery.sync_campaign(world, doc)
        for ad in children(world, AD, "campaign_id", doc["id"]):
            delivery.sync_ad(world, ad)
    elif kind == ADSET:
        delivery.sync_adset(world, doc)
        for ad in children(world, AD, "adset_id", doc["id"]):
            delivery.sync_ad(world, ad)
    elif kind == AD:
        delivery.sync_ad(world, doc)


def _update_campaign(call: Call, doc: Doc) -> None:
    body = parse(CampaignUpdate, call.params)
    if body.daily_budget is not None:
        require(bool(doc.get("daily_budget")), "daily_budget", "The campaign has no daily budget")
        if body.daily_budget < MIN_CAMPAIGN_DAILY_BUDGET_MINOR:
            raise budget_too_low("daily_budget", MIN_CAMPAIGN_DAILY_BUDGET_MINOR)
        doc["daily_budget"] = str(body.daily_budget)
    if body.lifetime_budget is not None:
        require(bool(doc.get("lifetime_budget")), "lifetime_budget", "No lifetime budget")
        doc["lifetime_budget"] = str(body.lifetime_budget)
    for name in ("name", "bid_strategy", "special_ad_categories"):
        if getattr(body, name) is not None:
            doc[name] = getattr(body, name)
    if body.spend_cap is not None:
        doc["spend_cap"] = str(body.spend_cap)
    if body.status is not None:
        set_status(call.world, CAMPAIGN, doc, body.status)
    else:
        touch(call.world, CAMPAIGN, doc)
        delivery.sync_campaign(call.world, doc)


def _update_adset(call: Call, doc: Doc) -> None:
    body = parse(AdSetUpdate, call.params)
    world = call.world
    _update_adset_budget(call, doc, body)
    if body.bid_amount is not None:
        capped = doc.get("bid_strategy") in ("LOWEST_COST_WITH_BID_CAP", "COST_CAP")
        require(capped, "bid_amount", f"{doc.get('bid_strategy')} takes no bid_amount")
        require(body.bid_amount > 0, "bid_amount", "The bid amount must be greater than 0")
        doc["bid_amount"] = str(body.bid_amount)
        # Not a Graph field: the sandbox's audit trail (major units), as for budgets.
        doc.setdefault("bid_history", []).append(str(from_minor_units(body.bid_amount)))
    if body.name is not None:
        doc["name"] = body.name
    end = parse_time(body.end_time, "end_time")
    if end is not None:
        doc["end_time"] = format_time(end)
    if body.targeting is not None:
        doc["targeting"] = body.targeting.model_dump(exclude_none=True)
        delivery.set_audience(world, doc)
    if body.status is not None:
        set_status(world, ADSET, doc, body.status)
    else:
        touch(world, ADSET, doc)
        delivery.sync_adset(world, doc)


def _update_adset_budget(call: Call, doc: Doc, body: AdSetUpdate) -> None:
    if body.daily_budget is None and body.lifetime_budget is None:
        return
    world = call.world
    campaign = world.get(CAMPAIGN, doc["campaign_id"]) or {}
    field = "daily_budget" if body.daily_budget is not None else "lifetime_budget"
    if campaign.get("daily_budget") or campaign.get("lifetime_budget"):
        raise budget_conflict(field)
    require(bool(doc.get(field)), field, "The budget type of an ad set cannot be changed")
    minimum = MIN_DAILY_BUDGET_MINOR[str(doc["billing_event"])]
    if body.daily_budget is not None and body.daily_budget < minimum:
        raise budget_too_low("daily_budget", minimum)
    value = body.daily_budget if body.daily_budget is not None else body.lifetime_budget
    if str(value) != str(doc.get(field)) and call.budget_changes is not None:
        call.budget_changes.record(str(doc["id"]))
    doc[field] = str(value)
    # Not a Graph field: the sandbox's own audit trail (major units, as the TikTok sandbox
    # keeps it), so tests can prove each change reached the platform exactly once.
    doc.setdefault("budget_history", []).append(str(from_minor_units(int(value or 0))))


def _update_ad(call: Call, doc: Doc) -> None:
    body = parse(AdUpdate, call.params)
    if body.name is not None:
        doc["name"] = body.name
    if body.creative is not None:
        creative_id = body.creative.creative_id
        owned(call.world, call.caller, CREATIVE, creative_id, "creative.creative_id")
        doc["creative"] = {"id": creative_id}
    if body.status is not None:
        set_status(call.world, AD, doc, body.status)
    else:
        touch(call.world, AD, doc)


def _update_name(call: Call, kind: str, doc: Doc) -> None:
    body = parse(NameUpdate, call.params)
    if body.name is not None:
        doc["title" if kind == VIDEO else "name"] = body.name
    if body.status is not None:
        doc["status"] = body.status
    touch(call.world, kind, doc)
