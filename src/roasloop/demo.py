"""The 30-day sandbox launch behind ``make demo``: all through the module API.

Registers four sample creatives for one product, launches a campaign (one ad set per age
group) and a creative A/B test, then for each simulated day pulls reports and applies the
budget policy. Same seed → same numbers.
"""

from __future__ import annotations

import asyncio
import hashlib
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from roasloop.bootstrap import build_runtime
from roasloop.config import Settings
from roasloop.domain.enums import Platform
from roasloop.domain.metrics import MetricTotals
from roasloop.errors import InternalError
from roasloop.module import CampaignAutomation
from roasloop.ports.clock import SimulatedClock
from roasloop.sandbox.scenario import builtin_scenarios
from roasloop.sandbox.world import SandboxWorld

JSON = dict[str, Any]
START = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
PRODUCT_URL = "https://shop.example.com/products/posture-corrector"
#: The demo scenario's creatives; the sandbox recognises a creative by its file name.
CREATIVE_KEYS = tuple(builtin_scenarios()["demo"].creatives)
TENANT = "demo-seller"


@dataclass
class DemoResult:
    """Everything the summary and the HTML report show."""

    seed: int
    days: int
    campaign: JSON = field(default_factory=dict)
    status: JSON = field(default_factory=dict)
    daily: list[tuple[str, MetricTotals]] = field(default_factory=list)
    actions: list[JSON] = field(default_factory=list)
    ab_test: JSON = field(default_factory=dict)
    ab_chi_square: JSON = field(default_factory=dict)
    locale: str = "en"


def run_demo(
    workdir: Path,
    *,
    days: int = 30,
    seed: int = 7,
    locale: str = "en",
    on_day: Callable[[int], None] | None = None,
) -> DemoResult:
    """Run the launch in a fresh ``workdir`` and return what happened."""
    if workdir.exists():
        shutil.rmtree(workdir)
    media = workdir / "media"
    media.mkdir(parents=True)
    videos = {}
    for key in CREATIVE_KEYS:
        videos[key] = media / f"{key}.mp4"
        videos[key].write_bytes(_placeholder_video(key))
    return asyncio.run(_run(workdir, videos, days, seed, locale, on_day))


async def _run(
    workdir: Path,
    videos: dict[str, Path],
    days: int,
    seed: int,
    locale: str,
    on_day: Callable[[int], None] | None,
) -> DemoResult:
    settings = Settings(
        data_dir=workdir,
        sandbox_seed=seed,
        locale=locale,
        sandbox_scenario=None,
        log_level="WARNING",
    )
    clock = SimulatedClock(START)
    path = settings.sandbox_database_path(Platform.TIKTOK)
    world = SandboxWorld(path, clock, builtin_scenarios()["demo"], seed=seed)
    runtime = await build_runtime(settings, clock=clock, sandboxes={Platform.TIKTOK: world})
    module = CampaignAutomation(runtime=runtime)
    result = DemoResult(seed=seed, days=days, locale=locale)
    try:
        await _launch(module, videos, result)
        for day in range(days):
            clock.advance(timedelta(days=1))
            await _one_day(module, result, clock.today().isoformat())
            if on_day:
                on_day(day + 1)
        await _finish(module, runtime.deps.store, result)
    finally:
        await module.aclose()
        world.close()
    return result


async def _call(module: CampaignAutomation, action: str, params: JSON) -> JSON:
    response = await module.execute(action, params, {"user_id": TENANT})
    if response["status"] != "success":
        error = response["error"]
        raise InternalError(f"{action} failed: {error['code']} {error['message']}")
    return response


async def _launch(module: CampaignAutomation, videos: dict[str, Path], result: DemoResult) -> None:
    for key, path in videos.items():
        await _call(
            module,
            "register_creative",
            {
                "creative_id": key,
                "name": key,
                "product_url": PRODUCT_URL,
                "media_url": str(path),
            },
        )
    keys = list(CREATIVE_KEYS)
    result.campaign = await _call(
        module,
        "create_campaign",
        {
            "platform": "tiktok",
            "objective": "sales",
            "daily_budget": "240.00",
            "target_countries": ["US"],
            "creative_ids": keys,
            "name": "Posture corrector launch",
            "target_roas": "1.6",
            "idempotency_key": "demo-launch",
        },
    )
    result.ab_test = await _call(
        module,
        "create_ab_test",
        {
            "platform": "tiktok",
            "test_name": "Posture corrector creative test",
            "creative_ids": keys,
            "daily_budget": "400.00",
            "test_duration_days": result.days,
            "idempotency_key": "demo-ab",
        },
    )


async def _one_day(module: CampaignAutomation, result: DemoResult, today: str) -> None:
    campaign_id = result.campaign["campaign_id"]
    await _call(module, "sync_reports", {"campaign_id": campaign_id, "platform": "tiktok"})
    optimized = await _call(
        module,
        "optimize_budget",
        {
            "campaign_id": campaign_id,
            "platform": "tiktok",
            "dry_run": False,
            "refresh": False,
        },
    )
    result.actions += [{**item, "day": today} for item in optimized["optimizations"]]


async def _finish(module: CampaignAutomation, store: Any, result: DemoResult) -> None:
    campaign_id = result.campaign["campaign_id"]
    result.status = await _call(module, "get_campaign_status", {"campaign_id": campaign_id})
    test_id = result.ab_test["test_id"]
    result.ab_test = {
        **result.ab_test,
        **await _call(module, "analyze_ab_test", {"test_id": test_id}),
    }
    result.ab_chi_square = await _call(
        module, "analyze_ab_test", {"test_id": test_id, "method": "chi_square"}
    )
    rows = await store.list_performance(
        TENANT,
        Platform.TIKTOK,
        campaign_id,
        START.date(),
        START.date() + timedelta(days=result.days),
    )
    by_day: dict[str, list[MetricTotals]] = {}
    for row in rows:
        by_day.setdefault(row.day.isoformat(), []).append(row.metrics)
    result.daily = [(day, MetricTotals.total(parts)) for day, parts in sorted(by_day.items())]


def _placeholder_video(key: str) -> bytes:
    """A few deterministic bytes standing in for a video file (the sandbox checks its MD5)."""
    return b"\x00\x00\x00\x18ftypmp42" + hashlib.sha256(key.encode()).digest() * 8


def totals(result: DemoResult) -> MetricTotals:
    return MetricTotals.total(m for _, m in result.daily)


def money(value: Decimal | float | None) -> str:
    return "—" if value is None else f"{Decimal(str(value)):,.2f}"
