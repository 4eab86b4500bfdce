"""The sandbox's state: ad objects in their own SQLite file, the market and the clock.

One :class:`SandboxWorld` backs the wire-compatible platform apps. It keeps every object
as a JSON document (write-through to SQLite), hands out platform-style string ids, and
keeps the :class:`~roasloop.sandbox.market.Market` in step with delivery: before each
request it simulates every whole day that has passed on its clock.
"""

from __future__ import annotations

import json
import random
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from roasloop.ports.clock import Clock
from roasloop.sandbox.market import Audience, Market
from roasloop.sandbox.scenario import Scenario

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


class SandboxError(Exception):
    """A platform-level error the wire layer renders in the platform's own format."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


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
        self._lock = threading.RLock()
        self._db = _connect(database)
        self._docs: dict[tuple[str, str], Doc] = {}
        self._load_docs()
        self.market = self._load_market(scenario or Scenario.default(), seed)
        self._market_dirty = False
        self._reconcile()

    # --- documents -----------------------------------------------------------------
    def get(self, kind: str, object_id: str) -> Doc | None:
        return self._docs.get((kind, object_id))

    def put(self, kind: str, object_id: str, doc: Doc) -> Doc:
        with self._lock:
            self._docs[(kind, object_id)] = doc
            self._db.execute(
                "INSERT OR REPLACE INTO docs (kind, id, body) VALUES (?, ?, ?)",
                (kind, object_id, json.dumps(doc, default=str)),
            )
            self._db.commit()
        return doc

    def all(self, kind: str) -> Iterator[Doc]:
        """Documents of ``kind`` in id order (ids are increasing integers as text)."""
        keys = sorted((k for k in self._docs if k[0] == kind), key=lambda k: (len(k[1]), k[1]))
        return (self._docs[k] for k in keys)

    def next_id(self) -> str:
        with self._lock:
            row = self._db.execute("SELECT value FROM kv WHERE key = 'next_id'").fetchone()
            current = int(row[0]) if row else FIRST_ID
            self._set_kv("next_id", str(current + 1))
            return str(current)

    # --- time and delivery -------------------------------------------------------------
    def today(self) -> date:
        return self.clock.today()

    def catch_up(self) -> None:
        """Simulate every whole day before today that has not been simulated yet."""
        with self._lock:
            last = self.market.last_simulated_day
            start = self._first_day() if last is None else last + timedelta(days=1)
            if start is None or start >= self.today():
                return
            day = start
            while day < self.today():
                self.market.simulate_day(day)
                day += timedelta(days=1)
            self._market_dirty = True
            self.flush()

    def register_adgroup(self, adgroup: Doc, audience: Audience) -> None:
        with self._lock:
            self.market.add_adgroup(
                adgroup["adgroup_id"],
                audience,
                Decimal(str(adgroup["budget"])),
                self.today(),
                active=self.delivering(adgroup),
            )
            self._save_market()

    def register_ad(self, ad: Doc, creative_key: str) -> None:
        with self._lock:
            self.market.add_ad(
                ad["ad_id"],
                ad["adgroup_id"],
                creative_key,
                self.today(),
                active=ad["operation_status"] == "ENABLE",
            )
            self._save_market()

    def set_budget(self, adgroup: Doc, budget: Decimal) -> None:
        with self._lock:
            self.market.set_daily_budget(adgroup["adgroup_id"], budget, self.today())
            self._save_market()

    def sync_delivery(self, adgroup: Doc) -> None:
        """Tell the market whether an ad group delivers (its campaign and itself enabled)."""
        with self._lock:
            self.market.set_active(adgroup["adgroup_id"], self.delivering(adgroup), self.today())
            self._save_market()

    def sync_ad(self, ad: Doc) -> None:
        with self._lock:
            self.market.set_active(ad["ad_id"], ad["operation_status"] == "ENABLE", self.today())
            self._save_market()

    def delivering(self, adgroup: Doc) -> bool:
        campaign = self.get("campaign", adgroup["campaign_id"]) or {}
        return (
            adgroup.get("operation_status") == "ENABLE"
            and campaign.get("operation_status") == "ENABLE"
        )

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
        for kind, object_id, body in self._db.execute("SELECT kind, id, body FROM docs"):
            self._docs[(kind, object_id)] = json.loads(body)

    def _reconcile(self) -> None:
        """Bring the market in line with the documents after a crash lost its newest state.

        The market is saved when days are simulated and on close; objects written after the
        last save are re-registered from their documents here.
        """
        from roasloop.sandbox.tiktok_objects import audience_of, creative_key

        known_groups, known_ads = set(self.market.adgroup_keys()), set(self.market.ad_keys())
        for adgroup in self.all("adgroup"):
            if adgroup["adgroup_id"] not in known_groups:
                self.register_adgroup(adgroup, audience_of(adgroup))
        for ad in self.all("ad"):
            if ad["ad_id"] not in known_ads:
                video = self.get("video", str(ad.get("video_id")))
                self.register_ad(ad, creative_key(video) if video else ad["ad_id"])
        for adgroup in self.all("adgroup"):
            self.market.set_active(adgroup["adgroup_id"], self.delivering(adgroup), self.today())
        for ad in self.all("ad"):
            self.market.set_active(ad["ad_id"], ad["operation_status"] == "ENABLE", self.today())

    def _load_market(self, scenario: Scenario, seed: int) -> Market:
        row = self._db.execute("SELECT value FROM kv WHERE key = 'market'").fetchone()
        if row:
            return Market.from_state(json.loads(row[0]))
        return Market(scenario, seed)

    def _save_market(self) -> None:
        self._market_dirty = True

    def _set_kv(self, key: str, value: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO kv (key, value) VALUES (?, ?)", (key, value))
        self._db.commit()

    def _first_day(self) -> date | None:
        days = [date.fromisoformat(d["create_day"]) for d in self.all("adgroup")]
        return min(days) if days else None


def _connect(database: str | Path) -> sqlite3.Connection:
    path = str(database)
    if path.startswith("sqlite:///"):
        path = path.removeprefix("sqlite:///")
    if path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, check_same_thread=False)
    # A simulator's state: surviving a process crash is enough, so skip the fsync per commit.
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(
        "CREATE TABLE IF NOT EXISTS docs (kind TEXT, id TEXT, body TEXT, PRIMARY KEY (kind, id))"
    )
    db.execute("CREATE TABLE IF NOT EXISTS kv (key TEXT PRIMARY KEY, value TEXT)")
    db.commit()
    return db
