"""``googleAds:search`` / ``searchStream`` of the Google Ads sandbox: GAQL over the world.

Rows are ``GoogleAdsRow`` JSON: one object per selected resource (with its
``resourceName``), ``metrics`` and ``segments``; int64 values as strings
(https://developers.google.com/google-ads/api/rest/common/search); metrics come from
:mod:`roasloop.sandbox.google.metrics`. Pages hold a fixed 10,000 rows and are chained with
``nextPageToken``; REMOVED objects are returned unless filtered out.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from roasloop.sandbox.google import learning, metrics
from roasloop.sandbox.google.gaql import Condition, GaqlError, Query, like_pattern, parse
from roasloop.sandbox.google.json_mapping import camel, field_spec
from roasloop.sandbox.google.protocol import (
    PAGE_SIZE,
    bad_request,
    fault,
    key_of,
    kind,
    public,
    query_error,
    request_id,
)
from roasloop.sandbox.google.schema import RESOURCES
from roasloop.sandbox.world import SandboxWorld

Doc = dict[str, Any]

#: FROM resource → resources whose fields its rows may select ("attributed resources").
JOINS: dict[str, tuple[str, ...]] = {
    "customer": (),
    "campaign_budget": ("customer",),
    "asset": ("customer",),
    "campaign": ("campaign_budget", "customer"),
    "ad_group": ("campaign", "campaign_budget", "customer"),
    "ad_group_ad": ("ad_group", "campaign", "campaign_budget", "customer"),
    "ad_group_criterion": ("ad_group", "campaign", "customer"),
    "campaign_criterion": ("campaign", "customer"),
}
COLLECTION = {
    "customer": "customers",
    "campaign_budget": "campaignBudgets",
    "asset": "assets",
    "campaign": "campaigns",
    "ad_group": "adGroups",
    "ad_group_ad": "adGroupAds",
    "ad_group_criterion": "adGroupCriteria",
    "campaign_criterion": "campaignCriteria",
}
METRIC_RESOURCES = frozenset({"customer", "campaign", "ad_group", "ad_group_ad"})
METRICS = frozenset(
    {"impressions", "clicks", "cost_micros", "conversions", "conversions_value", "ctr"}
    | {"average_cpc", "average_cpm", "cost_per_conversion"}
)
SEGMENTS = frozenset({"date"})
SYSTEM_STATUS = "campaign.bidding_strategy_system_status"
_BODY_FIELDS = {"query", "pageToken", "pageSize", "returnTotalResultsCount", "summaryRowSetting"}


def search(
    world: SandboxWorld, customer_id: str, version: str, body: Doc, page_size: int = PAGE_SIZE
) -> Doc:
    """One page of results for ``body["query"]`` (``pageToken`` continues)."""
    _check_body(body)
    query = _parse(body.get("query"))
    rows = run(world, customer_id, query)
    digest = hashlib.sha256(f"{customer_id}\x00{body['query']}".encode()).hexdigest()[:16]
    offset = _offset(body.get("pageToken"), digest)
    page: Doc = {"results": rows[offset : offset + page_size]}
    if offset + page_size < len(rows):
        page["nextPageToken"] = _token(digest, offset + page_size)
    page["fieldMask"] = field_mask(query)
    if body.get("returnTotalResultsCount"):
        page["totalResultsCount"] = str(len(rows))
    page["requestId"] = request_id()
    return page


def search_stream(world: SandboxWorld, customer_id: str, version: str, body: Doc) -> list[Doc]:
    """searchStream: the whole result as a JSON array of batches."""
    _check_body(body)
    query = _parse(body.get("query"))
    rows = run(world, customer_id, query)
    mask = field_mask(query)
    chunks = [rows[i : i + PAGE_SIZE] for i in range(0, len(rows), PAGE_SIZE)] or [[]]
    return [{"results": chunk, "fieldMask": mask, "requestId": request_id()} for chunk in chunks]


def run(world: SandboxWorld, customer_id: str, query: Query) -> list[Doc]:
    """Every row of ``query`` for one customer, filtered, ordered and limited."""
    _validate(query)
    days = metrics.days(world, query)
    bases = _with_system_status(world, query, _base_rows(world, customer_id, query.resource))
    rows = [
        row
        for base in bases
        for row in _expanded(world, query, base, days)
        if all(_holds(row, condition, world) for condition in query.where)
    ]
    for field, descending in reversed(query.order_by):
        rows.sort(key=_sorter(field), reverse=descending)
    if query.limit is not None:
        rows = rows[: query.limit]
    return [_shape(row, query) for row in rows]


def field_mask(query: Query) -> str:
    return ",".join(".".join(camel(part) for part in field.split(".")) for field in query.select)


# --- validation ----------------------------------------------------------------------------
def _check_body(body: Doc) -> None:
    for name in body:
        if name not in _BODY_FIELDS:
            raise bad_request(
                "", f'Invalid JSON payload received. Unknown name "{name}": Cannot find field.'
            )
    if "pageSize" in body:
        raise fault(
            "requestError", "PAGE_SIZE_NOT_SUPPORTED", "Setting the page size is not supported."
        )


def _parse(text: object) -> Query:
    if not isinstance(text, str) or not text.strip():
        raise fault("queryError", "QUERY_ERROR", "The query is empty.")
    try:
        return parse(text)
    except GaqlError as error:
        raise query_error(error.code, error.message) from error


def _validate(query: Query) -> None:
    if query.resource not in JOINS:
        raise query_error(
            "BAD_RESOURCE_TYPE_IN_FROM_CLAUSE",
            f"Error in query: unexpected input {query.resource}.",
        )
    for clause, fields in (
        ("SELECT", query.select),
        ("WHERE", [c.field for c in query.where]),
        ("ORDER_BY", [f for f, _ in query.order_by]),
    ):
        for field in fields:
            _check_field(query.resource, field, clause)
    dated = any(c.field == "segments.date" for c in query.where)
    if "segments.date" in query.select and not dated:
        raise query_error(
            "EXPECTED_FILTERS_ON_DATE_RANGE",
            "Filters on date range are required when segments.date is selected.",
        )


def _check_field(resource: str, field: str, clause: str) -> None:
    head, _, rest = field.partition(".")
    if head in ("metrics", "segments"):
        known = METRICS if head == "metrics" else SEGMENTS
        if rest not in known:
            raise query_error("UNRECOGNIZED_FIELD", f"Unrecognized field in the query: '{field}'.")
        if resource not in METRIC_RESOURCES:
            code = (
                "PROHIBITED_METRIC_IN_SELECT_OR_WHERE_CLAUSE"
                if head == "metrics"
                else "PROHIBITED_SEGMENT_IN_SELECT_OR_WHERE_CLAUSE"
            )
            raise query_error(code, f"Cannot select or filter on '{field}' with FROM {resource}.")
        return
    if head not in RESOURCES or not rest or field_spec(RESOURCES[head], rest.split(".")) is None:
        raise query_error("UNRECOGNIZED_FIELD", f"Unrecognized field in the query: '{field}'.")
    if head != resource and head not in JOINS[resource]:
        where = "WHERE" if clause == "WHERE" else "SELECT"
        raise query_error(
            f"PROHIBITED_RESOURCE_TYPE_IN_{where}_CLAUSE",
            f"Cannot use '{field}' with FROM {resource}.",
        )


# --- rows ----------------------------------------------------------------------------------
def _base_rows(world: SandboxWorld, customer_id: str, resource: str) -> Iterable[Doc]:
    for doc in world.all(kind(COLLECTION[resource])):
        if doc.get("_customer") == customer_id:
            yield _joined(world, resource, doc)


def _joined(world: SandboxWorld, resource: str, doc: Doc) -> Doc:
    row: Doc = {resource: doc, "customer": world.get(kind("customers"), doc["_customer"]) or {}}
    ad_group = doc if resource == "ad_group" else None
    if resource in ("ad_group_ad", "ad_group_criterion"):
        ad_group = world.get(kind("adGroups"), key_of(doc["adGroup"]))
        row["ad_group"] = ad_group or {}
    campaign = doc if resource == "campaign" else None
    if ad_group is not None:
        campaign = world.get(kind("campaigns"), key_of(ad_group["campaign"]))
    elif resource == "campaign_criterion":
        campaign = world.get(kind("campaigns"), key_of(doc["campaign"]))
    if campaign is not None:
        row["campaign"] = campaign
        budget = world.get(kind("campaignBudgets"), key_of(str(campaign.get("campaignBudget"))))
        row["campaign_budget"] = budget or {}
    return row


def _with_system_status(world: SandboxWorld, query: Query, rows: Iterable[Doc]) -> Iterable[Doc]:
    """Rows whose campaign carries ``biddingStrategySystemStatus``, when the query names it:
    it is derived from the market (:mod:`.learning`), not stored."""
    named = [*query.select, *(c.field for c in query.where), *(f for f, _ in query.order_by)]
    if SYSTEM_STATUS not in named:
        yield from rows
        return
    statuses = learning.campaign_statuses(world)
    for row in rows:
        campaign = row.get("campaign")
        if campaign is not None:
            status = statuses.get(campaign["id"], learning.UNAVAILABLE)
            row["campaign"] = {**campaign, "biddingStrategySystemStatus": status}
        yield row


def _expanded(world: SandboxWorld, query: Query, base: Doc, days: list[date]) -> list[Doc]:
    if not metrics.wanted(query):
        return [base]
    return metrics.expand(world, query, base, _ads(world, query.resource, base), days)


def _ads(world: SandboxWorld, resource: str, row: Doc) -> list[str]:
    if resource == "ad_group_ad":
        return [row["ad_group_ad"]["ad"]["id"]]
    scope = {"ad_group": "ad_group", "campaign": "campaign"}.get(resource)
    found = []
    for ad in world.all(kind("adGroupAds")):
        if ad.get("_customer") != row["customer"].get("id"):
            continue
        if (
            scope is None
            or _joined(world, "ad_group_ad", ad).get(scope, {}).get("id") == row[scope]["id"]
        ):
            found.append(ad["ad"]["id"])
    return found


# --- conditions, ordering, shape ---------------------------------------------------------------
def _value(row: Doc, field: str) -> Any:
    head, _, rest = field.partition(".")
    current: Any = row.get(head, {})
    for part in rest.split("."):
        if not isinstance(current, dict):
            return None
        current = current.get(camel(part))
    return current


def _holds(row: Doc, condition: Condition, world: SandboxWorld) -> bool:
    value = _value(row, condition.field)
    operator, values = condition.operator, condition.values
    if operator in ("IS NULL", "IS NOT NULL"):
        return (value is None) == (operator == "IS NULL")
    if condition.field == "segments.date":
        return True  # the date range already chose the rows
    if value is None:
        return operator.startswith("NOT") or operator == "!="
    if operator in ("LIKE", "NOT LIKE"):
        matched = like_pattern(str(values[0])).fullmatch(str(value)) is not None
        return matched == (operator == "LIKE")
    if operator in ("REGEXP_MATCH", "NOT REGEXP_MATCH"):
        matched = re.search(str(values[0]), str(value)) is not None
        return matched == (operator == "REGEXP_MATCH")
    if operator in ("IN", "NOT IN"):
        return any(_equal(value, v) for v in values) == (operator == "IN")
    if operator in ("=", "!="):
        return _equal(value, values[0]) == (operator == "=")
    if operator == "BETWEEN":
        return _compare(values[0], value) <= 0 <= _compare(values[1], value)
    return _ordered(operator, _compare(value, values[0]))


def _equal(value: Any, literal: str | float) -> bool:
    if isinstance(value, bool):
        return str(value).upper() == str(literal).upper()
    return _compare(value, literal) == 0


def _compare(left: Any, right: Any) -> int:
    a, b = _number(left), _number(right)
    if a is not None and b is not None:
        return (a > b) - (a < b)
    x, y = str(left), str(right)
    return (x > y) - (x < y)


def _ordered(operator: str, comparison: int) -> bool:
    return {
        ">": comparison > 0,
        ">=": comparison >= 0,
        "<": comparison < 0,
        "<=": comparison <= 0,
    }[operator]


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _sorter(field: str) -> Callable[[Doc], tuple[int, Decimal, str]]:
    return lambda row: _sort_key(_value(row, field))


def _sort_key(value: Any) -> tuple[int, Decimal, str]:
    number = _number(value)
    if value is None:
        return (0, Decimal(0), "")
    return (1, number, "") if number is not None else (2, Decimal(0), str(value))


def _shape(row: Doc, query: Query) -> Doc:
    out: Doc = {}
    for field in query.select:
        head, _, rest = field.partition(".")
        value = _value(row, field)
        target = out.setdefault(camel(head), {})
        if head not in ("metrics", "segments") and "resourceName" in row.get(head, {}):
            target["resourceName"] = row[head]["resourceName"]
        if value is None:
            continue
        parts = [camel(p) for p in rest.split(".")]
        for part in parts[:-1]:
            target = target.setdefault(part, {})
        target[parts[-1]] = public(value) if isinstance(value, dict) else value
    return out


# --- paging --------------------------------------------------------------------------------
def _token(digest: str, offset: int) -> str:
    raw = json.dumps({"q": digest, "o": offset}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _offset(token: object, digest: str) -> int:
    if not token:
        return 0
    try:
        text = str(token)
        data = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
        if data["q"] == digest:
            return int(data["o"])
    except (ValueError, KeyError, TypeError):
        pass
    raise fault("requestError", "INVALID_PAGE_TOKEN", "Page token is invalid.")
