"""The sandbox's state: ad objects in their own SQLite file, the market and the clock.

One :class:`SandboxWorld` backs the wire-compatible platform apps. It keeps every object
as a JSON document (write-through to SQLite), hands out platform-style string ids, and
keeps the :class:`~roasloop.sandbox.market.Market` in step with delivery: before each
request it simulates every whole day that has passed on its clock.
"""

from __future__ import annotations

import hashlib
import json
import random
import sqlite3
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from roasloop.sandbox.clock import Clock
from roasloop.sandbox.market import Market
from roasloop.sandbox.market.scenario import Scenario

Doc = dict[str, Any]

#: First id handed out; real TikTok ids are 16–19 digit strings.
FIRST_ID = 1_780_000_000_000_000


@dataclass(frozen=True, slots=True)
class FaultConfig:
    """Share of requests that fail on purpose (tests, chaos benchmarks)."""

    rate_limit: float = 0.0
    system_error: float = 0.0
    slow: float = 0.0
    slow_seconds: float = 0.0
    lost_response: float = 0.0
    seed: int = 0


class SandboxWorld:
    """Objects, ids, clock and market of one sandbox; safe to share across requests."""

    def __init__(
        self,
        database: str | Path,
        clock: Clock,
        scenario: Scenario | None = None,
        seed: int = 7,
        faults: FaultConfig | None = None,
    ) -> None:
        self.clock = clock
        self.faults = faults or FaultConfig()
        self._fault_rng = random.Random(self.faults.seed)
        self.faults_injected: Counter[str] = Counter()
        self._lock = threading.RLock()
        self._db = _connect(database)
        self._docs: dict[str, dict[str, Doc]] = {}
        self._load_docs()
        self.market = self._load_market(scenario or Scenario.default(), seed)
        self._market_dirty = False

    # --- documents -----------------------------------------------------------------
    def get(self, kind: str, object_id: str) -> Doc | None:
        return self._docs.get(kind, {}).get(object_id)

    def put(self, kind: str, object_id: str, doc: Doc) -> Doc:
        with self._lock:
            self._docs.setdefault(kind, {})[object_id] = doc
            self._db.execute(
                "INSERT INTO docs (kind, id, body) VALUES (?, ?, ?) "
                "ON CONFLICT (kind, id) DO UPDATE SET body = excluded.body",
                (kind, object_id, json.dumps(doc, default=str)),
            )
            self._db.commit()
        return doc

    def kinds(self) -> list[str]:
        """Every kind of document the world holds, sorted."""
        return sorted(self._docs)

    def all(self, kind: str) -> Iterator[Doc]:
        """Documents of ``kind`` in creation order (ids are handed out increasing)."""
        return iter(list(self._docs.get(kind, {}).values()))

    def next_id(self, kind: str = "", scope: str = "", name: str = "") -> str:
        """A platform-style numeric id.

        With a ``name`` the id is derived from (seed, kind, scope, name), so objects get the
        same ids whatever order concurrent requests arrive in, and the market's random
        streams (keyed by id) repeat exactly; a repeated name gets the next free id.
        """
        if name:
            return self._named_id(kind, scope, name)
        with self._lock:
            row = self._db.execute("SELECT value FROM kv WHERE key = 'next_id'").fetchone()
            current = int(row[0]) if row else FIRST_ID
            self._set_kv("next_id", str(current + 1))
            return str(current)

    def _named_id(self, kind: str, scope: str, name: str) -> str:
        for attempt in range(1000):
            text = f"{self.market.seed}|{kind}|{scope}|{name}|{attempt}"
            digest = hashlib.blake2b(text.encode(), digest_size=8).digest()
            candidate = str(FIRST_ID + int.from_bytes(digest, "big") % 10**15)
            if self.get(kind, candidate) is None:
                return candidate
        raise RuntimeError("could not allocate an id")  # pragma: no cover

    # --- time and delivery -------------------------------------------------------------
    def today(self) -> date:
        return self.clock.today()

    def catch_up(self) -> None:
        """Simulate every whole day before today that has not been simulated yet."""
        with self._lock:
            yesterday = self.today() - timedelta(days=1)
            last = self.market.last_simulated_day
            if last is not None and last >= yesterday:
                return
            self.market.simulate_day(yesterday)
            self._market_dirty = True
            self.flush()

    def mark_market_changed(self) -> None:
        """Note that the market changed; it is saved on the next catch-up or on close."""
        self._market_dirty = True

    # --- faults ----------------------------------------------------------------------------
    def draw_fault(self) -> str | None:
        """Which fault (if any) hits the next request: rate_limit, system_error, slow, lost."""
        with self._lock:
            roll = self._fault_rng.random()
        for name, share in (
            ("rate_limit", self.faults.rate_limit),
            ("system_error", self.faults.system_error),
            ("slow", self.faults.slow),
            ("lost_response", self.faults.lost_response),
        ):
            if roll < share:
                self.faults_injected[name] += 1
                return name
            roll -= share
        return None

    def set_faults(self, faults: FaultConfig) -> None:
        with self._lock:
            self.faults = faults
            self._fault_rng = random.Random(faults.seed)

    def flush(self) -> None:
        """Persist the market if a request changed it."""
        with self._lock:
            if self._market_dirty:
                self._set_kv("market", json.dumps(self.market.to_state()))
                self._market_dirty = False

    def close(self) -> None:
        with self._lock:
            self.flush()
            self._db.close()

    # --- persistence internals -------------------------------------------------------------
    def _load_docs(self) -> None:
        rows = self._db.execute("SELECT kind, id, body FROM docs ORDER BY rowid")
        for kind, object_id, body in rows:
            self._docs.setdefault(kind, {})[object_id] = json.loads(body)

    def _load_market(self, scenario: Scenario, seed: int) -> Market:
        row = self._db.execute("SELECT value FROM kv WHERE key = 'market'").fetchone()
        if row:
            return Market.from_state(json.loads(row[0]))
        return Market(scenario, seed)

    def _set_kv(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", (key, value))
        self._db.commit()


def _connect(database: str | Path) -> sqlite3.Connection:
    path = str(database)
    if path.startswith("sqlite:///"):
        path = path.removeprefix("sqlite:///")
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, check_same_thread=False)
    # A simulator's state: an OS crash may lose its last writes, which costs nothing real;
    # its commits then stay cheap enough to run inside the request's event loop.
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=OFF")
    db.execute(
        "CREATE TABLE IF NOT EXISTS docs (kind TEXT, id TEXT, body TEXT, PRIMARY KEY (kind, id))"
    )
    db.execute("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT)")
    db.commit()
    return db
