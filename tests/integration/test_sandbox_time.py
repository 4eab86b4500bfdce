"""advance_sandbox: the module API moves the sandbox's market ahead; never in live mode."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from cryptography.fernet import Fernet

from roasloop import CampaignAutomation, Settings
from tests.integration.harness import Harness


def test_advancing_the_sandbox_brings_the_days_reports(fresh: Harness) -> None:
    user = fresh.new_user()
    params = {"objective": "sales", "daily_budget": 90, "creative_ids": fresh.creatives(user, 1)}
    created = fresh.execute("create_campaign", params, user=user)
    synced = fresh.execute("sync_reports", {"campaign_id": created["campaign_id"]}, user=user)
    assert synced["rows"] == 0  # nothing delivered yet: no complete day has passed
    before = fresh.clock.today()

    moved = fresh.execute("advance_sandbox", {"days": 3}, user=user, locale="zh-CN")

    assert moved["status"] == "success", moved
    assert moved["today"] == fresh.clock.today().isoformat()
    assert (fresh.clock.today() - before).days == 3 and "沙盒日期" in moved["message"]
    synced = fresh.execute("sync_reports", {"campaign_id": created["campaign_id"]}, user=user)
    assert synced["rows"] > 0


async def test_live_mode_refuses_to_move_time(tmp_path: Path) -> None:
    settings = Settings(
        platform_mode="live",
        data_dir=tmp_path,
        enabled_platforms=["tiktok"],
        encryption_key=Fernet.generate_key().decode(),
        tiktok_app_id="app",
        tiktok_app_secret="app-secret",
        log_level="CRITICAL",
    )
    async with CampaignAutomation(settings) as module:
        result = await module.execute("advance_sandbox", {"days": 1}, {"user_id": "u1"})
    assert result["status"] == "error" and result["mode"] == "live"
    assert result["error"]["details"]["field"] == "action"


def test_two_concurrent_advances_both_count_and_every_day_is_simulated(fresh: Harness) -> None:
    """Moving time is relative (like the served sandbox's advance route): two calls of one
    day make two days, and no day is skipped or simulated twice."""
    user = fresh.new_user()
    params = {"objective": "sales", "daily_budget": 90, "creative_ids": fresh.creatives(user, 1)}
    created = fresh.execute("create_campaign", params, user=user)
    before = fresh.clock.today()

    async def both() -> list[dict[str, object]]:
        calls = [
            fresh.module.execute("advance_sandbox", {"days": 1}, {"user_id": user})
            for _ in range(2)
        ]
        return list(await asyncio.gather(*calls))

    results = fresh.runner.run(both())
    assert [r["status"] for r in results] == ["success", "success"], results
    assert (fresh.clock.today() - before).days == 2
    assert fresh.world.market.last_simulated_day == fresh.clock.today() - timedelta(days=1)
    synced = fresh.execute("sync_reports", {"campaign_id": created["campaign_id"]}, user=user)
    assert synced["rows"] > 0
