"""Graph batch requests: ``POST /`` with ``batch=[{method, relative_url, body, name}, ...]``.

At most 50 requests; each runs (and counts against the rate limits) as if sent alone, in
order. The answer is an array aligned to the requests of ``{code, headers, body}`` with the
body as a JSON string; ``null`` marks a request that was not run because one it depends on
failed (https://developers.facebook.com/docs/graph-api/batch-requests).

Named requests can feed later ones through JSONPath references, ``{result=name:$.id}`` or
``{result=name:$.data.*.id}``, in the relative URL or in body values. A referenced request's
own answer is omitted (``null``) on success unless it says ``omit_response_on_success: false``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from roasloop.sandbox.meta.protocol import GraphError, invalid, require

MAX_BATCH = 50
REFERENCE = re.compile(r"\{result=([^:}]+):\$([^}]*)\}")
JSON_TYPE = {"name": "Content-Type", "value": "text/javascript; charset=UTF-8"}

Doc = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Outcome:
    """One executed request: HTTP status, JSON body and response headers."""

    status: int
    body: Any
    headers: dict[str, str]

    @property
    def ok(self) -> bool:
        return self.status < 400


#: ``(method, relative path, params) -> Outcome``; the path has no version prefix.
Execute = Callable[[str, str, dict[str, Any]], Outcome]


@dataclass
class _Item:
    method: str
    path: str
    params: dict[str, Any]
    name: str
    needs: frozenset[str]
    omit_on_success: bool | None


def run_batch(raw: Any, execute: Execute, include_headers: bool = True) -> list[Doc | None]:
    items = [_item(entry, index) for index, entry in enumerate(_entries(raw))]
    referenced = {name for item in items for name in item.needs}
    results: dict[str, Any] = {}
    answers: list[Doc | None] = []
    for item in items:
        if not item.needs <= results.keys():
            answers.append(None)
            continue
        try:
            params = {key: _resolve(value, results) for key, value in item.params.items()}
            path = _resolve(item.path, results)
        except GraphError as error:
            answers.append(_answer(Outcome(error.http_status, error.body(), {}), include_headers))
            continue
        outcome = execute(item.method, path, params)
        if outcome.ok and item.name:
            results[item.name] = outcome.body
        hidden = item.name in referenced and item.omit_on_success is not False
        answers.append(None if outcome.ok and hidden else _answer(outcome, include_headers))
    return answers


def _entries(raw: Any) -> list[Doc]:
    entries = json.loads(raw) if isinstance(raw, str) else raw
    require(isinstance(entries, list), "batch", "Param batch must be a JSON array")
    require(
        len(entries) <= MAX_BATCH,
        "batch",
        f"Too many requests in batch message. Maximum batch size is {MAX_BATCH}",
    )
    require(bool(entries), "batch", "Param batch must not be empty")
    return list(entries)


def _item(entry: Any, index: int) -> _Item:
    require(isinstance(entry, dict), f"batch.{index}", "Each batch request is a JSON object")
    method = str(entry.get("method", "GET")).upper()
    require(method in ("GET", "POST", "DELETE"), f"batch.{index}.method", "Unsupported method")
    relative = str(entry.get("relative_url", ""))
    require(bool(relative), f"batch.{index}.relative_url", "relative_url is required")
    url = urlsplit(relative)
    params: dict[str, Any] = dict(parse_qsl(url.query, keep_blank_values=True))
    body = entry.get("body")
    if isinstance(body, dict):
        params |= body
    elif body:
        params |= dict(parse_qsl(str(body), keep_blank_values=True))
    text = relative + json.dumps(params)
    needs = {match.group(1) for match in REFERENCE.finditer(text)}
    if entry.get("depends_on"):
        needs.add(str(entry["depends_on"]))
    omit = entry.get("omit_response_on_success")
    return _Item(
        method=method,
        path=url.path,
        params=params,
        name=str(entry.get("name", "")),
        needs=frozenset(needs),
        omit_on_success=omit if isinstance(omit, bool) else None,
    )


def _resolve(value: Any, results: dict[str, Any]) -> Any:
    """Replace every ``{result=name:$path}`` in a string with the referenced value."""
    if not isinstance(value, str) or "{result=" not in value:
        return value
    return REFERENCE.sub(lambda match: _lookup(results, match.group(1), match.group(2)), value)


def _lookup(results: dict[str, Any], name: str, path: str) -> str:
    values: list[Any] = [results[name]]
    for part in filter(None, path.split(".")):
        values = [found for value in values for found in _step(value, part)]
    if not values:
        raise invalid("batch", f"Reference {{result={name}:${path}}} matched nothing")
    texts = [v if isinstance(v, str) else json.dumps(v, separators=(",", ":")) for v in values]
    return ",".join(texts)


def _step(value: Any, part: str) -> list[Any]:
    if part == "*":
        return list(value) if isinstance(value, list) else list(dict(value).values())
    if isinstance(value, list):
        return [value[int(part)]] if part.isdigit() and int(part) < len(value) else []
    if isinstance(value, dict) and part in value:
        return [value[part]]
    return []


def _answer(outcome: Outcome, include_headers: bool) -> Doc:
    answer: Doc = {"code": outcome.status, "body": json.dumps(outcome.body)}
    if include_headers:
        headers = [{"name": k, "value": v} for k, v in outcome.headers.items()]
        answer["headers"] = [JSON_TYPE, *headers]
    return answer
