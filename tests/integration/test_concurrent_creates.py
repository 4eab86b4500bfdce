"""Concurrent requests with one idempotency key make one structure, on SQLite and PostgreSQL.

Five tasks of one process race here; ``test_two_processes_*`` races two processes on a
served sandbox and a shared PostgreSQL database.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from roasloop import CampaignAutomation, Settings
from roasloop.bootstrap_sandbox import build_sandboxes
from roasloop.domain.enums import Platform
from roasloop.domain.structure import client_key_base
from roasloop.entrypoints.sandbox_server import build_served_app
from roasloop.ports.clock import SimulatedClock
from roasloop.sandbox.world import SandboxWorld
from tests.conftest import truncate_all
from tests.integration.harness import (
    PRODUCT_URL,
    Harness,
    build_harness,
    shape_for,
    write_video,
)
from tests.integration.served import served

#: The sandbox document kind of a campaign on each platform.
CAMPAIGN_KINDS = {
    Platform.TIKTOK: "campaign",
    Platform.META: "meta_campaign",
    Platform.GOOGLE: "gads:campaigns",
}
RACERS = 5


def on_platform(world: SandboxWorld, platform: Platform, tenant: str, key: str) -> int:
    """How many campaigns the sandbox holds for one request (by its client key)."""
    base = client_key_base(tenant, key)
    return sum(base in json.dumps(doc) for doc in world.all(CAMPAIGN_KINDS[platform]))


def launch(platform: Platform, creatives: list[str], key: str) -> dict[str, Any]:
    return {
        "platform": platform.value,
        "objective": "sales",
        "daily_budget": 150,
        "target_countries": ["US"],
        "creative_ids": creatives,
        "idempotency_key": key,
    }


@pytest.mark.parametrize("platform", list(Platform), ids=lambda p: p.value)
def test_concurrent_creates_with_one_key_make_one_structure(h: Harness, platform: Platform) -> None:
    user = h.new_user()
    params = launch(platform, h.creatives(user, 2, shape=shape_for(platform)), "race-1")

    async def race() -> list[dict[str, Any]]:
        calls = [
            h.module.execute("create_campaign", params, {"user_id": user}) for _ in range(RACERS)
        ]
        return list(await asyncio.gather(*calls))

    results = h.runner.run(race())
    gc.collect()  # bookkeeping a failed run dropped must not linger as an un-awaited coroutine
    assert all(r["status"] == "success" for r in results), results
    assert len({r["campaign_id"] for r in results}) == 1
    assert len({json.dumps(r["ads"], sort_keys=True) for r in results}) == 1
    # One request's campaigns on the platform (Google Ads makes one per age group)
    solo = h.new_user()
    solo_creatives = h.creatives(solo, 2, shape=shape_for(platform))
    alone = h.execute("create_campaign", launch(platform, solo_creatives, "solo"), user=solo)
    assert alone["status"] == "success", alone
    world = h.runtime.sandboxes[platform]
    assert on_platform(world, platform, user, "race-1") == on_platform(
        world, platform, solo, "solo"
    )
    stored = h.stored(user, lambda uow: uow.campaigns.all(platform))
    assert [c.campaign_id for c in stored] == [results[0]["campaign_id"]]
    operations = h.stored(user, lambda uow: uow.operations.find())
    creates = [o for o in operations if o.action == "create_campaign"]
    assert len(creates) == 1


def test_a_waiter_gives_up_with_request_in_progress(tmp_path: Path) -> None:
    """A caller that cannot get the request within the wait is told to retry, writes nothing."""
    harness = build_harness(tmp_path, lease_wait_seconds=0)
    try:
        user = harness.new_user()
        params = launch(Platform.TIKTOK, harness.creatives(user, 1), "race-2")

        async def race() -> list[dict[str, Any]]:
            calls = [
                harness.module.execute("create_campaign", params, {"user_id": user})
                for _ in range(2)
            ]
            return list(await asyncio.gather(*calls))

        first, second = harness.runner.run(race())
        assert first["status"] == "success", first
        assert second["status"] == "error"
        assert second["error"]["code"] == "1006"
        assert second["error"]["details"]["retry_after_seconds"] > 0
        assert on_platform(harness.world, Platform.TIKTOK, user, "race-2") == 1
        again = harness.execute("create_campaign", params, user=user)
        assert again["campaign_id"] == first["campaign_id"]
    finally:
        harness.close()


# --- two processes --------------------------------------------------------------------------
RACER_SCRIPT = """
import asyncio, json, sys, time
from roasloop import CampaignAutomation, Settings

async def main(params, user, start):
    async with CampaignAutomation(Settings(log_level="CRITICAL")) as module:
        await asyncio.sleep(max(0.0, start - time.time()))
        result = await module.execute("create_campaign", params, {"user_id": user})
    print(json.dumps(result))

asyncio.run(main(json.loads(sys.argv[1]), sys.argv[2], float(sys.argv[3])))
"""


@pytest.mark.postgres
def test_two_processes_with_one_key_make_one_structure(tmp_path: Path, postgres_url: str) -> None:
    truncate_all(postgres_url)
    sandbox_settings = Settings(data_dir=tmp_path / "sandbox", log_level="CRITICAL")
    with served(build_served_app(sandbox_settings)) as url:
        env = {
            **os.environ,
            "ROASLOOP_DATABASE_URL": postgres_url,
            "ROASLOOP_SANDBOX_URL": url,
            "ROASLOOP_DATA_DIR": str(tmp_path / "app"),
        }
        settings = Settings(data_dir=tmp_path / "app", database_url=postgres_url, sandbox_url=url)
        user = "seller-two-processes"
        creatives = asyncio.run(_register(settings, user, tmp_path / "app" / "media"))
        params = json.dumps(launch(Platform.TIKTOK, creatives, "race-3"))
        start = str(time.time() + 3)
        racers = [
            subprocess.Popen(
                [sys.executable, "-c", RACER_SCRIPT, params, user, start],
                env=env,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [json.loads(r.communicate(timeout=120)[0]) for r in racers]
    assert [o["status"] for o in outputs] == ["success", "success"], outputs
    assert outputs[0]["campaign_id"] == outputs[1]["campaign_id"]
    worlds = build_sandboxes(sandbox_settings, SimulatedClock(datetime.now(UTC)))
    try:
        assert on_platform(worlds[Platform.TIKTOK], Platform.TIKTOK, user, "race-3") == 1
    finally:
        for world in worlds.values():
            world.close()


async def _register(settings: Settings, user: str, media: Path) -> list[str]:
    ids = []
    async with CampaignAutomation(settings) as module:
        for index in range(2):
            path = media / f"two-{index}.mp4"
            write_video(path, f"two {index}")
            creative = {
                "creative_id": f"two{index}",
                "name": f"two{index}",
                "product_url": PRODUCT_URL,
                "media_url": str(path),
            }
            done = await module.execute("register_creative", creative, {"user_id": user})
            assert done["status"] == "success", done
            ids.append(creative["creative_id"])
    return ids
