"""Reading a markdown page for its tests: tagged code blocks and tables, placeholders, and a
local HTTP endpoint for the webhooks a page documents.

A code block or a table is tagged by an HTML comment on the line right before it, e.g.
``<!-- example: scale-winners -->`` (parameters of ``create_rule``),
``<!-- example: history action: rule_history -->`` (parameters of another action),
``<!-- fragment: condition -->``, ``<!-- preset: tiered -->``, ``<!-- output: decision -->``,
``<!-- snippet: verify-signature -->``, ``<!-- fields: safeguards -->`` or
``<!-- vocabulary: metrics -->``.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

TAG = re.compile(
    r"^<!--\s*(?P<kind>[a-z]+):\s*(?P<name>[\w-]+)(?:\s+action:\s*(?P<action>\w+))?\s*-->$"
)
FENCE = re.compile(r"^```(?P<language>\w*)\s*$")
TICKS = re.compile(r"`([^`]+)`")


@dataclass(frozen=True)
class Block:
    """One fenced code block; ``kind``/``name``/``action`` come from its tag (None if untagged)."""

    kind: str | None
    name: str | None
    action: str | None
    language: str
    text: str
    line: int


@dataclass(frozen=True)
class Table:
    """One tagged table: its header and its rows as ``{header: cell}``."""

    kind: str
    name: str
    header: tuple[str, ...]
    rows: tuple[Mapping[str, str], ...]

    def first_column(self) -> list[str]:
        """The names in the first column (a cell may hold several: "`a`, `b`")."""
        return [name for row in self.rows for name in ticks(row[self.header[0]])]


def blocks(markdown: str) -> list[Block]:
    """Every fenced code block of ``markdown``, in order."""
    lines = markdown.splitlines()
    found: list[Block] = []
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        end = index + 1
        while not lines[end].startswith("```"):
            end += 1
        tag = TAG.match(lines[index - 1].strip()) if index else None
        found.append(
            Block(
                kind=tag["kind"] if tag else None,
                name=tag["name"] if tag else None,
                action=tag["action"] if tag else None,
                language=opening["language"],
                text="\n".join(lines[index + 1 : end]),
                line=index + 1,
            )
        )
        index = end + 1
    return found


def tables(markdown: str) -> dict[tuple[str, str], Table]:
    """Every tagged table of ``markdown`` by ``(kind, name)``."""
    lines = markdown.splitlines()
    found: dict[tuple[str, str], Table] = {}
    for index, line in enumerate(lines[:-1]):
        tag = TAG.match(line.strip())
        if tag is None or not lines[index + 1].startswith("|"):
            continue
        header = tuple(_cells(lines[index + 1]))
        rows = []
        for row in lines[index + 3 :]:
            if not row.startswith("|"):
                break
            rows.append(dict(zip(header, _cells(row), strict=True)))
        key = (tag["kind"], tag["name"])
        assert key not in found, f"two tables tagged {key}"
        found[key] = Table(tag["kind"], tag["name"], header, tuple(rows))
    return found


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def ticks(text: str) -> list[str]:
    """The `code` spans of ``text``, in order."""
    return TICKS.findall(text)


def substitute(value: Any, placeholders: Mapping[str, str]) -> Any:
    """``value`` with every placeholder string (``"<campaign_id>"``) replaced, recursively."""
    if isinstance(value, str):
        for placeholder, actual in placeholders.items():
            value = value.replace(placeholder, actual)
        return value
    if isinstance(value, list):
        return [substitute(item, placeholders) for item in value]
    if isinstance(value, dict):
        return {key: substitute(item, placeholders) for key, item in value.items()}
    return value


@dataclass(frozen=True)
class Delivery:
    """One request the receiver got: lower-cased headers and the raw body."""

    path: str
    headers: Mapping[str, str]
    body: bytes


class Receiver:
    """A real HTTP endpoint on 127.0.0.1 that answers 204 and keeps what it was sent."""

    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                headers = {key.lower(): value for key, value in self.headers.items()}
                receiver.deliveries.append(Delivery(self.path, headers, body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the test reads ``deliveries``."""

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/roasloop"

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
