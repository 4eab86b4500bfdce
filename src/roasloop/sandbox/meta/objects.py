"""Creating Meta objects: ``POST /act_{id}/campaigns|adsets|adcreatives|ads|advideos|adimages``.

Each handler validates as the Marketing API does (ODAX objectives, required
``special_ad_categories``, budgets as integer minor units above Meta's minimums, enums,
targeting, ``promoted_object`` for conversion goals, ``object_story_spec``) and answers
``{"id": ...}``; ad sets and ads join the market at once.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from datetime import datetime
from typing import Any

from roasloop.sandbox.meta import delivery
from roasloop.sandbox.meta.docs import (
    AD,
    ADSET,
    CAMPAIGN,
    CREATIVE,
    IMAGE,
    PAGE,
    PIXEL,
    VIDEO,
    Call,
    children,
    new_doc,
    owned,
)
from roasloop.sandbox.meta.models import (
    AdCreate,
    AdCreativeCreate,
    AdSetCreate,
    CampaignCreate,
    ObjectStorySpec,
)
from roasloop.sandbox.meta.protocol import (
    BILLING_NEEDS_GOAL,
    BUDGET_CONFLICT_SUBCODE,
    BUDGET_TOO_LOW_SUBCODE,
    GOALS_BY_OBJECTIVE,
    INVALID_PARAMETER,
    MAX_ADS_PER_ADSET,
    MIN_CAMPAIGN_DAILY_BUDGET_MINOR,
    MIN_DAILY_BUDGET_MINOR,
    PIXEL_GOALS,
    GraphError,
    format_time,
    invalid,
    parse,
    parse_time,
    require,
)

Doc = dict[str, Any]
CAP_STRATEGIES = frozenset({"LOWEST_COST_WITH_BID_CAP", "COST_CAP"})
#: Where sandbox media "live"; ``.invalid`` never resolves (RFC 2606).
MEDIA_HOST = "https://scontent.sandbox.invalid"


# --- campaigns and ad sets -----------------------------------------------------------------
def create_campaign(call: Call, account: Doc) -> Doc:
    body = parse(CampaignCreate, call.params)
    require(
        body.daily_budget is None or body.lifetime_budget is None,
        "lifetime_budget",
        "Only one of daily_budget and lifetime_budget may be set",
    )
    if body.daily_budget is not None and body.daily_budget < MIN_CAMPAIGN_DAILY_BUDGET_MINOR:
        raise budget_too_low("daily_budget", MIN_CAMPAIGN_DAILY_BUDGET_MINOR)
    if body.lifetime_budget is not None:
        require(body.stop_time is not None, "stop_time", "A lifetime budget needs a stop_time")
    fields = body.model_dump(exclude_none=True)
    _money_as_text(fields, "daily_budget", "lifetime_budget", "spend_cap")
    campaign_id = call.world.next_id(CAMPAIGN, account["account_id"], body.name)
    doc = new_doc(call.world, campaign_id, account["account_id"], fields)
    call.world.put(CAMPAIGN, campaign_id, doc)
    return {"id": campaign_id}


def create_adset(call: Call, account: Doc) -> Doc:
    body = parse(AdSetCreate, call.params)
    world = call.world
    campaign = owned(world, call.caller, CAMPAIGN, body.campaign_id, "campaign_id")
    require(campaign["account_id"] == account["account_id"], "campaign_id", "Wrong ad account")
    require(campaign["status"] != "DELETED", "campaign_id", "The campaign has been deleted")
    start = parse_time(body.start_time, "start_time") or world.clock.now()
    end = parse_time(body.end_time, "end_time")
    _check_goal(campaign, body)
    _check_bidding(body)
    _check_adset_budget(campaign, body, start, end)
    _check_promoted_object(call, campaign, body)
    fields = body.model_dump(exclude_none=True)
    _money_as_text(fields, "daily_budget", "lifetime_budget", "bid_amount")
    fields |= {
        "start_time": format_time(start),
        "bid_strategy": body.bid_strategy or "LOWEST_COST_WITHOUT_CAP",
    }
    if end is not None:
        fields["end_time"] = format_time(end)
    adset_id = world.next_id(ADSET, campaign["id"], body.name)
    doc = new_doc(world, adset_id, account["account_id"], fields)
    world.put(ADSET, adset_id, doc)
    delivery.register_adset(world, doc)
    if campaign.get("daily_budget"):
        delivery.sync_campaign(world, campaign)  # the campaign budget is shared anew
    return {"id": adset_id}


def _check_goal(campaign: Doc, body: AdSetCreate) -> None:
    goals = GOALS_BY_OBJECTIVE[campaign["objective"]]
    require(
        body.optimization_goal in goals,
        "optimization_goal",
        f"Optimization goal {body.optimization_goal} is not available for objective "
        f"{campaign['objective']}",
    )
    billing = body.billing_event
    require(
        billing == "IMPRESSIONS" or BILLING_NEEDS_GOAL.get(billing) == body.optimization_goal,
        "billing_event",
        f"Billing event {billing} is invalid with optimization goal {body.optimization_goal}",
    )


def _check_bidding(body: AdSetCreate) -> None:
    strategy = body.bid_strategy or "LOWEST_COST_WITHOUT_CAP"
    if strategy in CAP_STRATEGIES:
        require(body.bid_amount is not None, "bid_amount", f"{strategy} needs a bid_amount")
    elif strategy == "LOWEST_COST_WITH_MIN_ROAS":
        floor = (body.bid_constraints or {}).get("roas_average_floor")
        require(floor is not None, "bid_constraints", f"{strategy} needs roas_average_floor")
    else:
        require(body.bid_amount is None, "bid_amount", f"{strategy} takes no bid_amount")


def _check_adset_budget(
    campaign: Doc, body: AdSetCreate, start: datetime, end: datetime | None
) -> None:
    has_own = body.daily_budget is not None or body.lifetime_budget is not None
    if campaign.get("daily_budget") or campaign.get("lifetime_budget"):
        if has_own:
            raise budget_conflict("daily_budget" if body.daily_budget else "lifetime_budget")
        return
    require(has_own, "daily_budget", "Either daily_budget or lifetime_budget is required")
    require(
        body.daily_budget is None or body.lifetime_budget is None,
        "lifetime_budget",
        "Only one of daily_budget and lifetime_budget may be set",
    )
    minimum = MIN_DAILY_BUDGET_MINOR[body.billing_event]
    if body.daily_budget is not None and body.daily_budget < minimum:
        raise budget_too_low("daily_budget", minimum)
    if body.lifetime_budget is not None:
        require(end is not None, "end_time", "A lifetime budget needs an end_time")
        assert end is not None
        require(end > start, "end_time", "end_time must be after start_time")
        days = max(1, (end - start).days)
        if body.lifetime_budget < minimum * days:
            raise budget_too_low("lifetime_budget", minimum * days)


def _check_promoted_object(call: Call, campaign: Doc, body: AdSetCreate) -> None:
    if body.optimization_goal not in PIXEL_GOALS or campaign["objective"] != "OUTCOME_SALES":
        return
    promoted = body.promoted_object
    require(promoted is not None, "promoted_object", "A pixel is required for this goal")
    assert promoted is not None
    owned(call.world, call.caller, PIXEL, promoted.pixel_id, "promoted_object.pixel_id")


def budget_too_low(field: str, minimum_minor: int) -> GraphError:
    amount = f"${minimum_minor // 100}.{minimum_minor % 100:02d}"
    return GraphError(
        INVALID_PARAMETER,
        "Invalid parameter",
        subcode=BUDGET_TOO_LOW_SUBCODE,
        user_title="Budget is too low",
        user_msg=f"Your budget must be at least {amount} or your ads may not be delivered.",
        blame=[[field]],
    )


def budget_conflict(field: str) -> GraphError:
    return GraphError(
        INVALID_PARAMETER,
        "Invalid parameter",
        subcode=BUDGET_CONFLICT_SUBCODE,
        user_title="Campaign budget is on",
        user_msg="This campaign has a campaign budget, so its ad sets cannot have their own.",
        blame=[[field]],
    )


# --- creatives and ads ------------------------------------------------------------------------
def create_creative(call: Call, account: Doc) -> Doc:
    body = parse(AdCreativeCreate, call.params)
    spec = body.object_story_spec
    _check_story(call, account, spec)
    story = spec.model_dump(exclude_none=True)
    name = body.name or f"Creative {hashlib.sha1(json.dumps(story).encode()).hexdigest()[:8]}"
    creative_id = call.world.next_id(CREATIVE, account["account_id"], name)
    fields = {"name": name, "object_story_spec": story, "status": "ACTIVE"}
    doc = new_doc(call.world, creative_id, account["account_id"], fields)
    doc["thumbnail_url"] = f"{MEDIA_HOST}/creatives/{creative_id}.jpg"
    call.world.put(CREATIVE, creative_id, doc)
    return {"id": creative_id}


def _check_story(call: Call, account: Doc, spec: ObjectStorySpec) -> None:
    prefix = "object_story_spec"
    page = owned(call.world, call.caller, PAGE, spec.page_id, f"{prefix}.page_id")
    require(page["account_id"] == account["account_id"], f"{prefix}.page_id", "Wrong page")
    require(
        (spec.link_data is None) != (spec.video_data is None),
        f"{prefix}.link_data",
        "Exactly one of link_data and video_data is required",
    )
    data = spec.link_data or spec.video_data
    if data is not None and data.image_hash:
        key = f"{account['account_id']}:{data.image_hash}"
        require(call.world.get(IMAGE, key) is not None, f"{prefix}.image_hash", "Unknown image")
    video = spec.video_data
    if video is None:
        return
    at = f"{prefix}.video_data"
    owned(call.world, call.caller, VIDEO, video.video_id, f"{at}.video_id")
    require(bool(video.image_url or video.image_hash), f"{at}.image_url", "A thumbnail is needed")
    action = video.call_to_action
    link = action.value.link if action is not None and action.value is not None else None
    require(link is not None, f"{at}.call_to_action.value.link", "A video ad needs a link")


def create_ad(call: Call, account: Doc) -> Doc:
    body = parse(AdCreate, call.params)
    world = call.world
    adset = owned(world, call.caller, ADSET, body.adset_id, "adset_id")
    require(adset["account_id"] == account["account_id"], "adset_id", "Wrong ad account")
    require(adset["status"] != "DELETED", "adset_id", "The ad set has been deleted")
    creative_id = body.creative.creative_id
    creative = owned(world, call.caller, CREATIVE, creative_id, "creative.creative_id")
    require(creative["status"] != "DELETED", "creative.creative_id", "The creative is deleted")
    live = [a for a in children(world, AD, "adset_id", adset["id"]) if a["status"] != "DELETED"]
    require(len(live) < MAX_ADS_PER_ADSET, "adset_id", f"At most {MAX_ADS_PER_ADSET} ads")
    ad_id = world.next_id(AD, adset["id"], body.name)
    fields = {
        "name": body.name,
        "status": body.status,
        "adset_id": adset["id"],
        "campaign_id": adset["campaign_id"],
        "creative": {"id": creative_id},
    }
    doc = new_doc(world, ad_id, account["account_id"], fields)
    world.put(AD, ad_id, doc)
    delivery.register_ad(world, doc)
    return {"id": ad_id}


# --- media ------------------------------------------------------------------------------------
def upload_video(call: Call, account: Doc) -> Doc:
    """``POST /act_{id}/advideos`` with a ``source`` file or a ``file_url``."""
    source = next((f for k, f in call.files.items() if k.startswith("source")), None)
    file_url = str(call.params.get("file_url", ""))
    require(source is not None or file_url.startswith("http"), "source", "A video is required")
    content = source[1] if source else file_url.encode()
    title = str(call.params.get("title") or call.params.get("name") or (source or ("",))[0])
    digest = hashlib.md5(content, usedforsecurity=False).hexdigest()
    video_id = call.world.next_id(VIDEO, account["account_id"], title + digest)
    fields = {
        "title": title,
        "picture": f"{MEDIA_HOST}/videos/{video_id}/picture.jpg",
        "source": file_url or f"{MEDIA_HOST}/videos/{video_id}.mp4",
        "status": {"video_status": "ready"},
        "length": 15.0,
    }
    call.world.put(VIDEO, video_id, new_doc(call.world, video_id, account["account_id"], fields))
    return {"id": video_id}


def upload_image(call: Call, account: Doc) -> Doc:
    """``POST /act_{id}/adimages`` with a file or base64 ``bytes``; the hash is the MD5."""
    file_name, content = next(iter(call.files.values()), ("", b""))
    if not content and call.params.get("bytes"):
        try:
            content = base64.b64decode(str(call.params["bytes"]), validate=True)
        except binascii.Error as exc:
            raise invalid("bytes", "Param bytes must be base64") from exc
    require(bool(content), "bytes", "An image file or bytes is required")
    name = str(call.params.get("name") or file_name or "image")
    image_hash = hashlib.md5(content, usedforsecurity=False).hexdigest()
    key = f"{account['account_id']}:{image_hash}"
    url = f"{MEDIA_HOST}/images/{image_hash}.jpg"
    if call.world.get(IMAGE, key) is None:
        fields = {"hash": image_hash, "name": name, "url": url, "status": "ACTIVE"}
        call.world.put(IMAGE, key, new_doc(call.world, key, account["account_id"], fields))
    return {"images": {name: {"hash": image_hash, "url": url}}}


def _money_as_text(fields: Doc, *names: str) -> None:
    """Graph returns budgets and bids as strings of minor units."""
    for name in names:
        if name in fields:
            fields[name] = str(fields[name])
