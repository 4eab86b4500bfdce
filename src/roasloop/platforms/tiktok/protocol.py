"""TikTok Marketing API v1.3 envelopes, query encoding and payload shapes (no I/O).

Responses are HTTP 200 with ``{code, message, request_id, data}``; GET list parameters are
JSON-encoded strings (shared/reference/platform_apis.md §1).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import httpx

from roasloop.domain.enums import EntityLevel
from roasloop.errors import InternalError, RateLimited, ServiceUnavailable
from roasloop.platforms.tiktok import mapping
from roasloop.platforms.tiktok.errors import classify
from roasloop.ports.platform import AdSpec, RemoteObject, ReportRow, client_key_tag

API_PREFIX = "/open_api/v1.3"
JSONDict = dict[str, Any]
ID_FIELDS = {EntityLevel.CAMPAIGN: "campaign", EntityLevel.ADSET: "adgroup", EntityLevel.AD: "ad"}
_PARENTS = {EntityLevel.ADSET: "campaign_id", EntityLevel.AD: "adgroup_id"}


def unwrap(response: httpx.Response) -> Any:
    """The envelope's ``data``, or the classified error."""
    if response.status_code == 429:
        raise RateLimited("HTTP 429", details={"platform": "tiktok"})
    if response.status_code >= 500:
        raise ServiceUnavailable(f"HTTP {response.status_code}", details={"platform": "tiktok"})
    if response.status_code != 200:
        raise InternalError(f"HTTP {response.status_code}", details={"platform": "tiktok"})
    try:
        envelope = response.json()
    except ValueError as exc:
        raise ServiceUnavailable("malformed response", details={"platform": "tiktok"}) from exc
    code = int(envelope.get("code", -1))
    if code != 0:
        raise classify(code, str(envelope.get("message", "")), str(envelope.get("request_id", "")))
    return envelope.get("data", {})


def encode_query(params: JSONDict) -> dict[str, str]:
    """TikTok GET parameters: lists and objects as JSON strings, scalars as text."""
    encoded: dict[str, str] = {}
    for key, value in params.items():
        if isinstance(value, list | dict):
            encoded[key] = json.dumps(value, separators=(",", ":"))
        else:
            encoded[key] = str(value)
    return encoded


def creative(spec: AdSpec) -> JSONDict:
    return {
        "ad_name": f"{spec.name} {client_key_tag(spec.client_key)}",
        "ad_format": "SINGLE_VIDEO",
        "video_id": spec.media_id,
        "ad_text": spec.copy,
        "call_to_action": spec.call_to_action,
        "landing_page_url": spec.landing_url,
        "display_name": "roasloop",
        "operation_status": mapping.OPERATION_STATUS[spec.status],
    }


def in_filter(field: str, values: Sequence[str]) -> JSONDict:
    return {"field_name": field, "filter_type": "IN", "filter_value": json.dumps(list(values))}


def report_row(item: JSONDict) -> ReportRow:
    dimensions, metrics = item["dimensions"], item["metrics"]
    return ReportRow(
        campaign_id=str(metrics.get("campaign_id", "")),
        adset_id=str(metrics.get("adgroup_id", "")),
        ad_id=str(dimensions["ad_id"]),
        day=mapping.parse_day(str(dimensions["stat_time_day"])),
        metrics=mapping.metrics_from_wire(metrics),
    )


def remote(level: EntityLevel, item: JSONDict) -> RemoteObject:
    """A listed campaign, ad group or ad; budgets only where the object has a daily one."""
    prefix = ID_FIELDS[level]
    parent = _PARENTS.get(level, "")
    return RemoteObject(
        level=level,
        object_id=str(item[f"{prefix}_id"]),
        name=str(item.get(f"{prefix}_name", "")),
        status=mapping.status_from_wire(
            str(item.get("operation_status", "")), str(item.get("secondary_status", ""))
        ),
        parent_id=str(item.get(parent, "")) if parent else "",
        daily_budget=_daily_budget(level, item),
        bid=mapping.bid_from_wire(item) if level is EntityLevel.ADSET else None,
    )


def _daily_budget(level: EntityLevel, item: JSONDict) -> Any:
    budget = item.get("budget")
    if level is EntityLevel.AD or budget is None:
        return None
    if level is EntityLevel.CAMPAIGN and item.get("budget_mode") not in mapping.DAILY_BUDGET_MODES:
        return None
    return mapping.wire_decimal(budget)
