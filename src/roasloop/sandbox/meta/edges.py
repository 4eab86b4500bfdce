"""Reading Graph objects: field selection, edge listings with ``filtering`` and cursor paging.

``GET /{id}?fields=a,b`` returns ``id`` plus the requested fields (unknown ones are code 100,
as Graph answers "Tried accessing nonexisting field"). Edge listings return
``{"data": [...], "paging": {"cursors": {"before", "after"}, "next"}}`` with ``next`` only
while more rows follow (the SDK re-issues the request with ``after=``), and exclude deleted
and archived objects unless ``effective_status`` (parameter or filter) asks for them.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode

from roasloop.sandbox.meta.docs import (
    ACCOUNT,
    AD,
    ADSET,
    CAMPAIGN,
    CREATIVE,
    IMAGE,
    PAGE,
    PIXEL,
    VIDEO,
    effective_status,
)
from roasloop.sandbox.meta.learning import learning_stage_info
from roasloop.sandbox.meta.models import ListQuery
from roasloop.sandbox.meta.protocol import invalid, parse
from roasloop.sandbox.world import SandboxWorld

Doc = dict[str, Any]

_COMMON = frozenset({"id", "account_id", "name", "created_time", "updated_time"})
_STATUS = frozenset({"status", "configured_status", "effective_status"})
FIELDS: dict[str, frozenset[str]] = {
    CAMPAIGN: _COMMON
    | _STATUS
    | {
        "objective",
        "special_ad_categories",
        "daily_budget",
        "lifetime_budget",
        "budget_remaining",
        "bid_strategy",
        "buying_type",
        "spend_cap",
        "start_time",
        "stop_time",
        "is_adset_budget_sharing_enabled",
    },
    ADSET: _COMMON
    | _STATUS
    | {
        "campaign_id",
        "campaign",
        "daily_budget",
        "lifetime_budget",
        "budget_remaining",
        "billing_event",
        "optimization_goal",
        "bid_strategy",
        "bid_amount",
        "bid_constraints",
        "targeting",
        "promoted_object",
        "destination_type",
        "start_time",
        "end_time",
        "learning_stage_info",
    },
    AD: _COMMON | _STATUS | {"campaign_id", "adset_id", "campaign", "adset", "creative"},
    CREATIVE: _COMMON | {"status", "object_story_spec", "thumbnail_url", "video_id", "image_hash"},
    VIDEO: _COMMON | {"title", "picture", "status", "length", "source"},
    IMAGE: _COMMON | {"hash", "url", "status"},
    PAGE: frozenset({"id", "name"}),
    PIXEL: frozenset({"id", "name"}),
    ACCOUNT: frozenset(
        {"id", "account_id", "name", "currency", "account_status", "timezone_name", "amount_spent"}
    ),
}
NODE_TYPES = {
    CAMPAIGN: "Campaign",
    ADSET: "AdSet",
    AD: "Ad",
    CREATIVE: "AdCreative",
    VIDEO: "AdVideo",
    IMAGE: "AdImage",
    PAGE: "Page",
    PIXEL: "AdsPixel",
    ACCOUNT: "AdAccount",
}
HIDDEN_BY_DEFAULT = frozenset({"DELETED", "ARCHIVED"})
STATUS_KINDS = frozenset({CAMPAIGN, ADSET, AD})


def render(world: SandboxWorld, kind: str, doc: Doc, fields: Iterable[str]) -> Doc:
    """``id`` plus the requested fields that the object has."""
    out: Doc = {"id": doc["id"] if kind != ACCOUNT else f"act_{doc['account_id']}"}
    for name in fields:
        if name not in FIELDS[kind]:
            raise invalid(
                "fields",
                f"Tried accessing nonexisting field ({name}) on node type ({NODE_TYPES[kind]})",
            )
        value = _value(world, kind, doc, name)
        if value is not None and name != "id":
            out[name] = value
    return out


def _value(world: SandboxWorld, kind: str, doc: Doc, name: str) -> Any:
    if name == "effective_status":
        return effective_status(world, kind, doc)
    if name == "learning_stage_info":
        active = effective_status(world, kind, doc) == "ACTIVE"
        return learning_stage_info(world, str(doc["id"]), active)
    if name == "configured_status":
        return doc.get("status")
    if name in ("campaign", "adset"):
        return {"id": doc.get(f"{name}_id")}
    if name == "budget_remaining":
        return doc.get("daily_budget") or doc.get("lifetime_budget")
    if name == "video_id":
        return (doc.get("object_story_spec", {}).get("video_data") or {}).get("video_id")
    if name == "name" and kind == VIDEO:
        return doc.get("title")
    return doc.get(name)


def list_edge(
    world: SandboxWorld, kind: str, docs: Iterable[Doc], params: Doc, page_url: str
) -> Doc:
    """One page of an edge listing."""
    query = parse(ListQuery, params)
    rows = [d for d in docs if _visible(world, kind, d, query)]
    for index, item in enumerate(query.filtering):
        check = rule(world, kind, item.field, item.operator, item.value, index)
        rows = [d for d in rows if check(d)]
    start = decode_cursor(query.after) + 1 if query.after else 0
    page = rows[start : start + query.limit]
    data = [render(world, kind, d, query.fields) for d in page]
    result: Doc = {"data": data}
    if page:
        result["paging"] = paging(start, start + len(page) - 1, len(rows), params, page_url)
    if query.summary:
        result["summary"] = {"total_count": len(rows)}
    return result


def paging(first: int, last: int, total: int, params: Doc, page_url: str) -> Doc:
    """Graph's ``paging`` object: opaque cursors, and ``next`` while rows remain."""
    block: Doc = {"cursors": {"before": encode_cursor(first), "after": encode_cursor(last)}}
    if last + 1 < total:
        query = {k: _text(v) for k, v in params.items() if k not in ("after", "before")}
        joiner = "&" if "?" in page_url else "?"
        after = urlencode({**query, "after": encode_cursor(last)})
        block["next"] = f"{page_url}{joiner}{after}"
    return block


def encode_cursor(index: int) -> str:
    return base64.urlsafe_b64encode(f"rl:{index}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        return int(text.removeprefix("rl:"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise invalid("after", "Param after is not a valid cursor") from exc


def _visible(world: SandboxWorld, kind: str, doc: Doc, query: ListQuery) -> bool:
    if kind not in STATUS_KINDS:
        return doc.get("status") != "DELETED"
    status = effective_status(world, kind, doc)
    if query.effective_status is not None:
        return status in query.effective_status
    if any(item.field.endswith("effective_status") for item in query.filtering):
        return True
    return status not in HIDDEN_BY_DEFAULT


def rule(
    world: SandboxWorld, kind: str, field: str, operator: str, value: Any, index: int
) -> Callable[[Doc], bool]:
    read = _reader(world, kind, field, index)
    if operator in ("IN", "NOT_IN"):
        if not isinstance(value, list):
            raise invalid(f"filtering.{index}.value", "IN filters take a list of values")
        wanted = {str(v) for v in value}
        return lambda d: (read(d) in wanted) == (operator == "IN")
    text = str(value)
    if operator in ("CONTAIN", "NOT_CONTAIN"):
        needle = text.casefold()
        return lambda d: (needle in read(d).casefold()) == (operator == "CONTAIN")
    return lambda d: (read(d) == text) == (operator == "EQUAL")


def _reader(world: SandboxWorld, kind: str, field: str, index: int) -> Callable[[Doc], str]:
    prefix = {CAMPAIGN: "campaign.", ADSET: "adset.", AD: "ad."}.get(kind, "")
    name = field.removeprefix(prefix) if prefix and field.startswith(prefix) else field
    if name == "effective_status":
        return lambda d: effective_status(world, kind, d)
    if name in ("campaign.id", "campaign_id") or (name == "id" and kind == CAMPAIGN):
        key = "id" if kind == CAMPAIGN else "campaign_id"
        return lambda d: str(d.get(key, ""))
    if name in ("adset.id", "adset_id") or (name == "id" and kind == ADSET):
        key = "id" if kind == ADSET else "adset_id"
        return lambda d: str(d.get(key, ""))
    if name in ("id", "name", "status", "objective", "title", "hash"):
        return lambda d: str(_value(world, kind, d, name) or "")
    raise invalid(f"filtering.{index}.field", f"Filtering field {field} is invalid")


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value, separators=(",", ":"))
