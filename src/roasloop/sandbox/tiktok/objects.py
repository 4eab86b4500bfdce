"""Campaign, ad group and ad endpoints of the TikTok sandbox."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from roasloop.sandbox.tiktok import delivery
from roasloop.sandbox.tiktok.protocol import (
    LOCATION_COUNTRIES,
    MAX_ADS_PER_ADGROUP,
    MIN_ADGROUP_DAILY_BUDGET,
    MIN_CAMPAIGN_DAILY_BUDGET,
    TIME_FORMAT,
    VALUE_DEEP_BIDS,
    AdCreate,
    AdgroupBudgetUpdate,
    AdgroupCreate,
    AdgroupUpdate,
    AdUpdate,
    CampaignCreate,
    CampaignUpdate,
    ListQuery,
    StatusUpdate,
    TikTokError,
    bid_field,
    parse,
    require,
)
from roasloop.sandbox.world import SandboxWorld

if TYPE_CHECKING:
    from roasloop.sandbox.tiktok.api import Call

Doc = dict[str, Any]
DAILY_MODES = ("BUDGET_MODE_DAY", "BUDGET_MODE_DYNAMIC_DAILY_BUDGET")
SECONDARY = {"campaign": "CAMPAIGN_STATUS", "adgroup": "ADGROUP_STATUS", "ad": "AD_STATUS"}


# --- campaigns ---------------------------------------------------------------------------
def campaign_create(world: SandboxWorld, call: Call) -> Doc:
    body = parse(CampaignCreate, call.params)
    if body.request_id:
        previous = world.get("campaign_request", body.request_id)
        if previous is not None:
            return _owned(world, "campaign", previous["campaign_id"], body.advertiser_id)
    if body.budget_mode in DAILY_MODES:
        require(body.budget is not None, "budget", "required when budget_mode is daily")
        assert body.budget is not None
        require(
            body.budget >= MIN_CAMPAIGN_DAILY_BUDGET,
            "budget",
            f"daily campaign budget must be at least {MIN_CAMPAIGN_DAILY_BUDGET}",
        )
    campaign_id = world.next_id("campaign", body.advertiser_id, body.campaign_name)
    doc = _new_doc(world, "campaign", campaign_id, body.model_dump(exclude={"request_id"}))
    doc["budget"] = float(body.budget or 0)
    world.put("campaign", campaign_id, doc)
    if body.request_id:
        world.put("campaign_request", body.request_id, {"campaign_id": campaign_id})
    return doc


def campaign_get(world: SandboxWorld, call: Call) -> Doc:
    return _list(world, "campaign", call, {"campaign_ids": "campaign_id"})


def campaign_update(world: SandboxWorld, call: Call) -> Doc:
    body = parse(CampaignUpdate, call.params)
    doc = _owned(world, "campaign", body.campaign_id, body.advertiser_id)
    _require_not_deleted(doc, "campaign_id")
    if body.campaign_name is not None:
        doc["campaign_name"] = body.campaign_name
    if body.budget is not None:
        _set_campaign_budget(doc, body.budget)
    return _touch(world, "campaign", doc)


def campaign_status(world: SandboxWorld, call: Call) -> Doc:
    updated = _status_update(world, call, "campaign")
    for campaign in updated:
        for adgroup in _children(world, "adgroup", "campaign_id", campaign["campaign_id"]):
            _cascade_delete(world, "adgroup", adgroup, campaign)
            delivery.sync_adgroup(world, adgroup)
    return _status_result(updated, "campaign")


# --- ad groups -----------------------------------------------------------------------------
def adgroup_create(world: SandboxWorld, call: Call) -> Doc:
    body = parse(AdgroupCreate, call.params)
    campaign = _owned(world, "campaign", body.campaign_id, body.advertiser_id)
    _require_not_deleted(campaign, "campaign_id")
    _check_adgroup_body(body)
    adgroup_id = world.next_id("adgroup", body.campaign_id, body.adgroup_name)
    doc = _new_doc(world, "adgroup", adgroup_id, body.model_dump())
    doc["budget"] = float(body.budget)
    doc["bid_price"] = float(body.bid_price or 0)
    doc["conversion_bid_price"] = float(body.conversion_bid_price or 0)
    doc["roas_bid"] = float(body.roas_bid or 0)
    world.put("adgroup", adgroup_id, doc)
    delivery.register_adgroup(world, doc)
    return doc


def adgroup_get(world: SandboxWorld, call: Call) -> Doc:
    return _list(
        world, "adgroup", call, {"campaign_ids": "campaign_id", "adgroup_ids": "adgroup_id"}
    )


def adgroup_update(world: SandboxWorld, call: Call) -> Doc:
    body = parse(AdgroupUpdate, call.params)
    doc = _owned(world, "adgroup", body.adgroup_id, body.advertiser_id)
    _require_not_deleted(doc, "adgroup_id")
    if body.budget is not None:
        _set_budget(world, doc, body.budget)
    for name in ("adgroup_name", "age_groups", "location_ids"):
        value = getattr(body, name)
        if value is not None:
            doc[name] = value
    for name in ("bid_price", "conversion_bid_price"):
        value = getattr(body, name)
        if value is not None:
            _set_bid(doc, name, value)
    if body.age_groups is not None or body.location_ids is not None:
        delivery.set_audience(world, doc)
    return _touch(world, "adgroup", doc)


def adgroup_budget_update(world: SandboxWorld, call: Call) -> Doc:
    body = parse(AdgroupBudgetUpdate, call.params)
    require(bool(body.budget or body.scheduled_budget), "budget", "budget or scheduled_budget")
    for item in body.budget or []:
        doc = _owned(world, "adgroup", item.adgroup_id, body.advertiser_id)
        _set_budget(world, doc, item.budget)
        _touch(world, "adgroup", doc)
    for scheduled in body.scheduled_budget or []:
        doc = _owned(world, "adgroup", scheduled.adgroup_id, body.advertiser_id)
        doc["scheduled_budget"] = float(scheduled.scheduled_budget)
        _touch(world, "adgroup", doc)
    return {}


def adgroup_status(world: SandboxWorld, call: Call) -> Doc:
    updated = _status_update(world, call, "adgroup")
    for adgroup in updated:
        delivery.sync_adgroup(world, adgroup)
        for ad in _children(world, "ad", "adgroup_id", adgroup["adgroup_id"]):
            _cascade_delete(world, "ad", ad, adgroup)
    return _status_result(updated, "adgroup")


# --- ads ------------------------------------------------------------------------------------
def ad_create(world: SandboxWorld, call: Call) -> Doc:
    body = parse(AdCreate, call.params)
    adgroup = _owned(world, "adgroup", body.adgroup_id, body.advertiser_id)
    _require_not_deleted(adgroup, "adgroup_id")
    existing = [a for a in _children(world, "ad", "adgroup_id", adgroup["adgroup_id"]) if _live(a)]
    if len(existing) + len(body.creatives) > MAX_ADS_PER_ADGROUP:
        raise TikTokError(40502, f"adgroup_id: at most {MAX_ADS_PER_ADGROUP} ads per ad group")
    created = [_create_ad(world, adgroup, creative.model_dump()) for creative in body.creatives]
    return {
        "ad_ids": [ad["ad_id"] for ad in created],
        "need_audit": False,
        "creatives": created,
    }


def ad_get(world: SandboxWorld, call: Call) -> Doc:
    filters = {"campaign_ids": "campaign_id", "adgroup_ids": "adgroup_id", "ad_ids": "ad_id"}
    return _list(world, "ad", call, filters)


def ad_update(world: SandboxWorld, call: Call) -> Doc:
    body = parse(AdUpdate, call.params)
    doc = _owned(world, "ad", body.ad_id, body.advertiser_id)
    _require_not_deleted(doc, "ad_id")
    for name in ("ad_name", "ad_text"):
        value = getattr(body, name)
        if value is not None:
            doc[name] = value
    return _touch(world, "ad", doc)


def ad_status(world: SandboxWorld, call: Call) -> Doc:
    updated = _status_update(world, call, "ad")
    for ad in updated:
        delivery.sync_ad(world, ad)
    return _status_result(updated, "ad")


# --- shared helpers ----------------------------------------------------------------------------
def _check_adgroup_body(body: AdgroupCreate) -> None:
    require(body.budget_mode != "BUDGET_MODE_INFINITE", "budget_mode", "ad groups need a budget")
    if body.budget_mode in DAILY_MODES:
        require(
            body.budget >= MIN_ADGROUP_DAILY_BUDGET,
            "budget",
            f"daily ad group budget must be at least {MIN_ADGROUP_DAILY_BUDGET}",
        )
    if body.placement_type == "PLACEMENT_TYPE_NORMAL":
        require(bool(body.placements), "placements", "required with PLACEMENT_TYPE_NORMAL")
    if body.schedule_type == "SCHEDULE_START_END" or body.budget_mode == "BUDGET_MODE_TOTAL":
        require(body.schedule_end_time is not None, "schedule_end_time", "field required")
    if body.optimization_goal == "VALUE":
        _check_value_bidding(body)
    else:
        require(body.roas_bid is None, "roas_bid", "only with deep_bid_type VO_MIN_ROAS")
        require(
            body.deep_bid_type not in VALUE_DEEP_BIDS,
            "deep_bid_type",
            "value bidding needs optimization_goal VALUE",
        )
    if body.bid_type == "BID_TYPE_CUSTOM":
        field = bid_field(body.billing_event)
        require(getattr(body, field) is not None, field, "field required")
    for index, location in enumerate(body.location_ids):
        require(location in LOCATION_COUNTRIES, f"location_ids.{index}", "unknown location id")


def _check_value_bidding(body: AdgroupCreate) -> None:
    """VALUE ad groups: VO_HIGHEST_VALUE or VO_MIN_ROAS (with ``roas_bid``), no bid type or
    price of their own (adgroup/create, Doc ID 1739499616346114)."""
    require(
        body.deep_bid_type in VALUE_DEEP_BIDS, "deep_bid_type", "VO_HIGHEST_VALUE or VO_MIN_ROAS"
    )
    require(body.bid_type == "BID_TYPE_NO_BID", "bid_type", "must be BID_TYPE_NO_BID with VALUE")
    for price in ("bid_price", "conversion_bid_price"):
        require(getattr(body, price) is None, price, "not allowed with optimization_goal VALUE")
    if body.deep_bid_type == "VO_MIN_ROAS":
        roas = body.roas_bid
        require(roas is not None, "roas_bid", "field required with deep_bid_type VO_MIN_ROAS")
        require(Decimal("0.01") <= (roas or 0) <= 1000, "roas_bid", "must be within 0.01–1000")
    else:
        require(body.roas_bid is None, "roas_bid", "only with deep_bid_type VO_MIN_ROAS")


def _create_ad(world: SandboxWorld, adgroup: Doc, creative: Doc) -> Doc:
    video = world.get("video", str(creative.get("video_id")))
    if creative["ad_format"] == "SINGLE_VIDEO":
        require(video is not None, "creatives.0.video_id", "video does not exist")
    ad_id = world.next_id("ad", adgroup["adgroup_id"], str(creative["ad_name"]))
    doc = _new_doc(world, "ad", ad_id, creative)
    doc |= {
        "advertiser_id": adgroup["advertiser_id"],
        "campaign_id": adgroup["campaign_id"],
        "adgroup_id": adgroup["adgroup_id"],
    }
    world.put("ad", ad_id, doc)
    delivery.register_ad(world, doc)
    return doc


def _set_budget(world: SandboxWorld, adgroup: Doc, budget: Decimal) -> None:
    require(
        budget >= MIN_ADGROUP_DAILY_BUDGET,
        "budget",
        f"daily ad group budget must be at least {MIN_ADGROUP_DAILY_BUDGET}",
    )
    adgroup["budget"] = float(budget)
    # Not a TikTok field: the sandbox's own audit trail, so tests can prove each change
    # reached the platform exactly once.
    adgroup.setdefault("budget_history", []).append(str(budget))
    delivery.set_budget(world, adgroup, budget)


def _set_campaign_budget(campaign: Doc, budget: Decimal) -> None:
    mode = campaign.get("budget_mode")
    require(
        mode in DAILY_MODES,
        "budget",
        f"the campaign has no daily budget to change (budget_mode {mode})",
    )
    require(
        budget >= MIN_CAMPAIGN_DAILY_BUDGET,
        "budget",
        f"daily campaign budget must be at least {MIN_CAMPAIGN_DAILY_BUDGET}",
    )
    campaign["budget"] = float(budget)
    campaign.setdefault("budget_history", []).append(str(budget))


def _set_bid(adgroup: Doc, field: str, bid: Decimal) -> None:
    """A bid goes where the ad group's bidding keeps it (see ``bid_field``)."""
    bid_type = adgroup.get("bid_type")
    require(bid_type == "BID_TYPE_CUSTOM", field, f"an ad group bidding {bid_type} takes no bid")
    expected = bid_field(str(adgroup.get("billing_event")))
    require(field == expected, field, f"this ad group's bid is {expected}")
    require(bid > 0, field, "must be greater than 0")
    adgroup[field] = float(bid)
    # Not a TikTok field: the sandbox's audit trail, as for budgets.
    adgroup.setdefault("bid_history", []).append(str(bid))


def _status_update(world: SandboxWorld, call: Call, kind: str) -> list[Doc]:
    params = dict(call.params)
    params["ids"] = params.pop(f"{kind}_ids", None)
    body = parse(StatusUpdate, params)
    docs = [_owned(world, kind, object_id, body.advertiser_id) for object_id in body.ids]
    for doc in docs:
        _require_not_deleted(doc, f"{kind}_ids")
    for doc in docs:
        doc["operation_status"] = body.operation_status
        doc["secondary_status"] = f"{SECONDARY[kind]}_{body.operation_status}"
        _touch(world, kind, doc)
    return docs


def _cascade_delete(world: SandboxWorld, kind: str, child: Doc, parent: Doc) -> None:
    if parent["operation_status"] == "DELETE" and child["operation_status"] != "DELETE":
        child["operation_status"] = "DELETE"
        child["secondary_status"] = f"{SECONDARY[kind]}_DELETE"
        _touch(world, kind, child)
        if kind == "ad":
            delivery.sync_ad(world, child)


def _status_result(docs: list[Doc], kind: str) -> Doc:
    return {
        f"{kind}_ids": [d[f"{kind}_id"] for d in docs],
        "status": docs[0]["operation_status"] if docs else "",
        f"{kind}_list": [
            {f"{kind}_id": d[f"{kind}_id"], "status": d["operation_status"]} for d in docs
        ],
    }


def _list(world: SandboxWorld, kind: str, call: Call, id_filters: dict[str, str]) -> Doc:
    query = parse(ListQuery, call.params)
    matches = _filtered(world.all(kind), query, kind, id_filters)
    start = (query.page - 1) * query.page_size
    total = len(matches)
    return {
        "list": matches[start : start + query.page_size],
        "page_info": {
            "page": query.page,
            "page_size": query.page_size,
            "total_number": total,
            "total_page": max(1, -(-total // query.page_size)),
        },
    }


def _filtered(
    docs: Iterable[Doc], query: ListQuery, kind: str, id_filters: dict[str, str]
) -> list[Doc]:
    filtering = query.filtering
    checks: list[Callable[[Doc], bool]] = [lambda d: d["advertiser_id"] == query.advertiser_id]
    for key, doc_field in id_filters.items():
        if key in filtering:
            wanted = {str(v) for v in filtering[key]}
            checks.append(lambda d, f=doc_field, w=wanted: str(d[f]) in w)  # type: ignore[misc]
    name_filter = filtering.get(f"{kind}_name")
    if name_filter:
        checks.append(lambda d: str(name_filter) in d[f"{kind}_name"])
    if filtering.get("primary_status") != "STATUS_ALL":
        checks.append(_live)
    return [d for d in docs if all(check(d) for check in checks)]


def _owned(world: SandboxWorld, kind: str, object_id: str, advertiser_id: str) -> Doc:
    doc = world.get(kind, str(object_id))
    if doc is None or doc["advertiser_id"] != advertiser_id:
        raise TikTokError(40002, f"{kind}_id: {kind} {object_id} does not exist")
    return doc


def _require_not_deleted(doc: Doc, field: str) -> None:
    require(_live(doc), field, "deleted objects cannot be modified")


def _live(doc: Doc) -> bool:
    return bool(doc.get("operation_status") != "DELETE")


def _children(world: SandboxWorld, kind: str, parent_field: str, parent_id: str) -> list[Doc]:
    return [d for d in world.all(kind) if d.get(parent_field) == parent_id]


def _new_doc(world: SandboxWorld, kind: str, object_id: str, fields: Doc) -> Doc:
    now = world.clock.now().strftime(TIME_FORMAT)
    status = fields.get("operation_status", "ENABLE")
    return {
        **fields,
        f"{kind}_id": object_id,
        "operation_status": status,
        "secondary_status": f"{SECONDARY[kind]}_{status}",
        "create_time": now,
        "modify_time": now,
        "create_day": world.today().isoformat(),
    }


def _touch(world: SandboxWorld, kind: str, doc: Doc) -> Doc:
    doc["modify_time"] = world.clock.now().strftime(TIME_FORMAT)
    return world.put(kind, doc[f"{kind}_id"], doc)
