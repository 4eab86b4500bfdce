"""Business-use-case rate limiting of the Meta sandbox and its ``X-Business-Use-Case-Usage``.

Meta counts calls per ad account and use case (``ads_management``, ``ads_insights``) and, when
a quota is used up, refuses calls with code 80004 / 80000 until the reported
``estimated_time_to_regain_access`` (minutes) has passed
(https://developers.facebook.com/docs/marketing-api/overview/rate-limiting). The sandbox keeps a
sliding window of call times per account and use case on an injectable monotonic clock, so a
client that goes too fast is really throttled; the default quota is generous.
"""

from __future__ import annotations

import json
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from roasloop.sandbox.meta.protocol import GraphError

MANAGEMENT, INSIGHTS = "ads_management", "ads_insights"
#: Throttle codes per use case, with the subcode Graph sends alongside.
THROTTLE_CODES = {MANAGEMENT: 80004, INSIGHTS: 80000}
THROTTLE_SUBCODE = 2446079
ACCESS_TIER = "standard_access"


@dataclass(frozen=True, slots=True)
class MetaQuota:
    """Calls allowed per account and use case within ``window_seconds``; then a block."""

    management_calls: int = 100_000
    insights_calls: int = 100_000
    window_seconds: float = 300.0
    block_seconds: float = 300.0
    #: Regain time (minutes) that an injected ``rate_limit`` fault reports.
    fault_regain_minutes: int = 1
    #: Budget changes one ad set may take per hour before its budget is locked for an hour
    #: (https://developers.facebook.com/docs/marketing-api/overview/rate-limiting, ad set
    #: level); ``None`` lifts the limit.
    budget_changes_per_hour: int | None = 4

    def limit(self, use_case: str) -> int:
        return self.insights_calls if use_case == INSIGHTS else self.management_calls


@dataclass
class _Window:
    calls: deque[float] = field(default_factory=deque)
    blocked_until: float = 0.0


class UsageTracker:
    """Sliding-window call counts; thread-safe (uvicorn and test threads share it)."""

    def __init__(self, quota: MetaQuota, clock: Callable[[], float] = time.monotonic) -> None:
        self.quota = quota
        self._clock = clock
        self._windows: dict[tuple[str, str], _Window] = {}
        self._lock = threading.Lock()

    def spend(self, account_id: str, use_case: str) -> None:
        """Count one call; raise the throttle error when the account is or becomes blocked."""
        with self._lock:
            now = self._clock()
            window = self._window(account_id, use_case, now)
            if now < window.blocked_until:
                raise throttled(use_case)
            window.calls.append(now)
            if len(window.calls) > self.quota.limit(use_case):
                window.blocked_until = now + self.quota.block_seconds
                raise throttled(use_case)

    def entry(self, account_id: str, use_case: str) -> dict[str, Any]:
        """One ``X-Business-Use-Case-Usage`` entry: percentages 0–100, regain in minutes."""
        with self._lock:
            now = self._clock()
            window = self._window(account_id, use_case, now)
            remaining = max(0.0, window.blocked_until - now)
            share = len(window.calls) / self.quota.limit(use_case)
            pct = 100 if remaining else min(100, math.floor(100 * share))
            return _entry(use_case, pct, math.ceil(remaining / 60))

    def _window(self, account_id: str, use_case: str, now: float) -> _Window:
        window = self._windows.setdefault((account_id, use_case), _Window())
        horizon = now - self.quota.window_seconds
        while window.calls and window.calls[0] <= horizon:
            window.calls.popleft()
        return window


class BudgetChangeLimiter:
    """Meta's ad-set budget limit: a fifth change within an hour is refused with code 17 and
    locks that ad set's budget for an hour. Thread-safe, on the usage clock."""

    HOUR = 3600.0

    def __init__(self, quota: MetaQuota, clock: Callable[[], float] = time.monotonic) -> None:
        self.quota = quota
        self._clock = clock
        self._changes: dict[str, _Window] = {}
        self._lock = threading.Lock()

    def record(self, adset_id: str) -> None:
        """Count one budget change of ``adset_id``, or raise the limit's error."""
        limit = self.quota.budget_changes_per_hour
        if limit is None:
            return
        with self._lock:
            now = self._clock()
            window = self._changes.setdefault(adset_id, _Window())
            while window.calls and window.calls[0] <= now - self.HOUR:
                window.calls.popleft()
            if now < window.blocked_until:
                raise budget_locked()
            if len(window.calls) >= limit:
                window.blocked_until = now + self.HOUR
                raise budget_locked()
            window.calls.append(now)


def budget_locked() -> GraphError:
    return GraphError(
        17,
        "User request limit reached",
        user_title="Too Many Budget Changes",
        user_msg="This ad set's budget was changed too often; it can be changed again in an hour.",
    )


def throttled(use_case: str) -> GraphError:
    return GraphError(
        THROTTLE_CODES[use_case],
        "There have been too many calls to this ad-account. Wait a bit and try again. For more "
        "info, please refer to https://developers.facebook.com/docs/graph-api/overview/"
        "rate-limiting#ads-management.",
        subcode=THROTTLE_SUBCODE,
        transient=True,
        user_title="Ad Account Has Too Many API Calls",
        user_msg="There have been too many calls from this ad account. Please wait a bit.",
    )


def header(entries: Iterable[tuple[str, dict[str, Any]]]) -> str:
    """``{"<ad account id>": [entry, ...]}`` as compact JSON."""
    merged: dict[str, list[dict[str, Any]]] = {}
    for account_id, entry in entries:
        current = merged.setdefault(account_id, [])
        current[:] = [e for e in current if e["type"] != entry["type"]] + [entry]
    return json.dumps(merged, separators=(",", ":"))


def saturated(use_case: str, regain_minutes: int) -> dict[str, Any]:
    """The entry an injected rate-limit fault reports: everything used up."""
    return _entry(use_case, 100, regain_minutes)


def _entry(use_case: str, pct: int, regain_minutes: int) -> dict[str, Any]:
    return {
        "type": use_case,
        "call_count": pct,
        "total_cputime": math.ceil(pct * 0.6),
        "total_time": math.ceil(pct * 0.8),
        "estimated_time_to_regain_access": regain_minutes,
        "ads_api_access_tier": ACCESS_TIER,
    }
