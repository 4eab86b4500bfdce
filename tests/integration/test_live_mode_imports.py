"""Live mode never loads the sandbox: a fresh process builds every live dependency without it.

The process builds the runtime as the module API does (live settings with dummy credentials,
an SQLite store in a temporary folder), builds each platform's adapter for a bound account
(no network call: adapters connect lazily), answers one module call, imports the CLI, and
then lists the sandbox modules it holds. The same script in sandbox mode proves the check
would see them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SCRIPT = r"""
import asyncio, json, sys
from datetime import UTC, datetime

from cryptography.fernet import Fernet

import roasloop.entrypoints.cli  # noqa: F401  (the CLI door, as `roasloop` loads it)
from roasloop import CampaignAutomation, Settings
from roasloop.domain.enums import Platform
from roasloop.domain.models import PlatformAccount

LIVE_KEYS = {
    "encryption_key": Fernet.generate_key().decode(),
    "tiktok_app_id": "app", "tiktok_app_secret": "app-secret",
    "meta_app_id": "app", "meta_app_secret": "app-secret",
    "google_ads_developer_token": "developer-token",
    "google_ads_client_id": "client", "google_ads_client_secret": "client-secret",
}


async def main(mode: str, data_dir: str) -> dict[str, object]:
    keys = LIVE_KEYS if mode == "live" else {}
    settings = Settings(
        platform_mode=mode, data_dir=data_dir, log_level="CRITICAL",
        enabled_platforms=["tiktok", "meta", "google"], **keys,
    )
    async with CampaignAutomation(settings) as module:
        runtime = await module.runtime()
        adapters = []
        if mode == "live":
            for platform in Platform:
                account = PlatformAccount("t1", platform, "1234567890", "token", datetime.now(UTC))
                async with runtime.deps.store.unit("t1") as uow:
                    await uow.accounts.save(account)
                adapter = await runtime.registry.adapter_for("t1", platform)
                adapters.append(type(adapter).__name__)
        answer = await module.execute("advance_sandbox", {"days": 1}, {"user_id": "t1"})
    return {"adapters": adapters, "mode": answer["mode"]}


result = asyncio.run(main(sys.argv[1], sys.argv[2]))
result["sandbox_modules"] = sorted(
    name for name in sys.modules
    if name.startswith(("roasloop.sandbox", "roasloop.bootstrap_sandbox"))
)
print(json.dumps(result))
"""


def _run(mode: str, data_dir: Path) -> dict[str, object]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("ROASLOOP_")}
    completed = subprocess.run(
        [sys.executable, "-c", SCRIPT, mode, str(data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=data_dir,
        env=environment,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    result: dict[str, object] = json.loads(completed.stdout.strip().splitlines()[-1])
    return result


def test_live_mode_builds_every_dependency_without_loading_the_sandbox(tmp_path: Path) -> None:
    live = _run("live", tmp_path)
    assert live["mode"] == "live"
    assert live["adapters"] == ["TikTokAdapter", "MetaAdapter", "GoogleAdsAdapter"]
    assert live["sandbox_modules"] == []


def test_sandbox_mode_does_load_it(tmp_path: Path) -> None:
    sandbox = _run("sandbox", tmp_path)
    assert sandbox["mode"] == "sandbox"
    modules = sandbox["sandbox_modules"]
    assert isinstance(modules, list)
    assert {"roasloop.bootstrap_sandbox", "roasloop.sandbox.world"} <= set(modules)
