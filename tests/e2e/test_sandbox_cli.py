"""``roasloop sandbox``, as a newcomer uses it: serve it, call what it prints, move its clock."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import IO, Any

import httpx
import pytest
from typer.testing import CliRunner, Result

from roasloop.config import Settings
from roasloop.entrypoints.cli import app
from roasloop.entrypoints.sandbox_server import build_served_app
from roasloop.sandbox.credentials import SANDBOX_APP_ID, SANDBOX_APP_SECRET
from roasloop.sandbox.google.protocol import SANDBOX_DEVELOPER_TOKEN
from tests.integration.served import free_port, served

URL = re.compile(r"http://\S+")
MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}[+-]\d{2}:\d{2}")


@pytest.fixture
def served_by_cli(tmp_path: Path) -> Iterator[list[str]]:
    """``roasloop sandbox serve`` in its own process; yields the lines it printed."""
    port = free_port()
    code = "from roasloop.entrypoints.cli import main; main()"
    env = {**os.environ, "ROASLOOP_DATA_DIR": str(tmp_path / "served"), "PYTHONUNBUFFERED": "1"}
    args = [sys.executable, "-c", code, "sandbox", "serve", "--port", str(port)]
    with subprocess.Popen(args, env=env, stdout=subprocess.PIPE, text=True) as process:
        lines: list[str] = []
        reader = threading.Thread(target=_collect, args=(process.stdout, lines), daemon=True)
        reader.start()
        try:
            # Everything is printed before the server starts, so once it answers it is all out.
            _wait_until_up(process, f"http://127.0.0.1:{port}/sandbox/clock")
            reader.join(0.5)
            yield [line.rstrip("\n") for line in lines]
        finally:
            process.terminate()
            process.wait(10)
            reader.join(10)


def _collect(stream: IO[str] | None, into: list[str]) -> None:
    into.extend(stream or ())  # appends each line as it arrives


def _wait_until_up(process: subprocess.Popen[str], url: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            httpx.get(url).raise_for_status()
            return
        except httpx.TransportError:
            assert process.poll() is None, "roasloop sandbox serve exited"
            assert time.monotonic() < deadline, f"{url} never answered"
            time.sleep(0.1)


def test_serve_prints_base_urls_credentials_and_clock_routes_that_answer(
    served_by_cli: list[str],
) -> None:
    text = "\n".join(served_by_cli)
    urls = set(URL.findall(text))
    tiktok, meta, google = (
        next(u for u in urls if u.endswith(suffix))
        for suffix in ("/tiktok/open_api/v1.3/", "/meta/v25.0/", "/google/v25/")
    )
    assert SANDBOX_APP_ID in text and SANDBOX_APP_SECRET in text
    assert SANDBOX_DEVELOPER_TOKEN in text
    for base in (tiktok, meta, google):
        index = httpx.get(base)
        assert index.status_code == 200, base
        assert index.json()["base_url"] == base

    credentials = {"app_id": SANDBOX_APP_ID, "secret": SANDBOX_APP_SECRET, "auth_code": "first"}
    grant = httpx.post(tiktok + "oauth2/access_token/", json=credentials).json()
    assert grant["code"] == 0 and grant["data"]["advertiser_ids"]

    login = {"client_id": SANDBOX_APP_ID, "client_secret": SANDBOX_APP_SECRET, "code": "first"}
    token = httpx.get(meta + "oauth/access_token", params=login).json()["access_token"]
    accounts = httpx.get(meta + "me/adaccounts", params={"access_token": token}).json()
    assert accounts["data"][0]["id"].startswith("act_")

    token_url = next(u for u in urls if u.endswith("/google/token"))
    form = {**login, "grant_type": "authorization_code"}
    access = httpx.post(token_url, data=form).json()["access_token"]
    headers = {"Authorization": f"Bearer {access}", "developer-token": SANDBOX_DEVELOPER_TOKEN}
    customers = httpx.get(google + "customers:listAccessibleCustomers", headers=headers)
    assert customers.status_code == 200 and customers.json()["resourceNames"]

    clock_url = next(u for u in urls if u.endswith("/sandbox/clock"))
    advance_url = next(u for u in urls if u.endswith("/sandbox/clock/advance"))
    before = date.fromisoformat(httpx.get(clock_url).json()["today"])
    after = httpx.post(advance_url, json={"days": 2}).json()
    assert date.fromisoformat(after["today"]) == before + timedelta(days=2)


def _cli(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


def _ok(*args: str) -> dict[str, Any]:
    result = _cli(*args)
    assert result.exit_code == 0, result.output
    response: dict[str, Any] = json.loads(result.stdout)
    return response


def _launch(data_dir: Path) -> str:
    """Register a creative and launch a TikTok campaign through the CLI; its campaign id."""
    media = data_dir / "media"
    media.mkdir(parents=True, exist_ok=True)
    video = media / "hook.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + b"first-hour" * 8)
    creative = {
        "creative_id": "hook",
        "name": "hook",
        "product_url": "https://shop.example.com/p/serum",
        "media_url": str(video),
    }
    _ok("execute", "register_creative", "--params", json.dumps(creative))
    campaign = {
        "platform": "tiktok",
        "objective": "sales",
        "daily_budget": 150,
        "target_countries": ["US"],
        "creative_ids": ["hook"],
        "target_roas": 2.0,
    }
    created = _ok("execute", "create_campaign", "--params", json.dumps(campaign))
    return str(created["campaign_id"])


def _synced_rows(campaign_id: str) -> int:
    params = json.dumps({"platform": "tiktok", "campaign_id": campaign_id})
    return int(_ok("execute", "sync_reports", "--params", params)["rows"])


@pytest.fixture
def sandbox_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data_dir = tmp_path / "data"
    monkeypatch.setenv("ROASLOOP_DATA_DIR", str(data_dir))
    monkeypatch.setenv("ROASLOOP_ENABLED_PLATFORMS", "tiktok")
    monkeypatch.setenv("ROASLOOP_DEFAULT_USER", "seller-1")
    monkeypatch.setenv("ROASLOOP_LOG_LEVEL", "CRITICAL")
    monkeypatch.delenv("ROASLOOP_SANDBOX_URL", raising=False)
    monkeypatch.delenv("ROASLOOP_PLATFORM_MODE", raising=False)
    return data_dir


def test_advance_gives_an_in_process_campaign_its_reports(sandbox_env: Path) -> None:
    campaign_id = _launch(sandbox_env)
    assert _synced_rows(campaign_id) == 0

    advanced = _cli("sandbox", "advance", "--days", "3")
    assert advanced.exit_code == 0, advanced.output
    moved = _simulated_time(advanced.stdout)
    assert moved >= datetime.now(UTC) + timedelta(days=3, minutes=-1)
    assert moved.date().isoformat() in advanced.stdout
    assert _synced_rows(campaign_id) > 0

    again = _simulated_time(_cli("sandbox", "advance", "--days", "1").stdout)
    assert timedelta(days=1) <= again - moved < timedelta(days=1, minutes=5)


def _simulated_time(text: str) -> datetime:
    return datetime.fromisoformat(MOMENT.findall(text)[0])


def test_advance_moves_a_served_sandbox_that_roasloop_then_reads(
    sandbox_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = Settings(data_dir=sandbox_env / "served", enabled_platforms=["tiktok"])
    with served(build_served_app(settings)) as url:
        monkeypatch.setenv("ROASLOOP_SANDBOX_URL", url)
        campaign_id = _launch(sandbox_env)
        assert _synced_rows(campaign_id) == 0
        advanced = _cli("sandbox", "advance", "--days", "3")
        assert advanced.exit_code == 0, advanced.output
        shown = re.findall(r"\d{4}-\d{2}-\d{2}", advanced.stdout)[0]
        assert httpx.get(url + "/sandbox/clock").json()["today"] == shown
        assert _synced_rows(campaign_id) > 0


def test_advance_is_refused_in_live_mode_and_bounded(
    sandbox_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROASLOOP_PLATFORM_MODE", "live")
    monkeypatch.setenv("ROASLOOP_ENCRYPTION_KEY", "k" * 43 + "=")
    monkeypatch.setenv("TIKTOK_APP_ID", "app")
    monkeypatch.setenv("TIKTOK_APP_SECRET", "secret")
    refused = _cli("sandbox", "advance", "--days", "3")
    assert refused.exit_code == 2
    assert "only in sandbox mode" in refused.stderr
    assert not (sandbox_env / "sandbox-tiktok.db").exists()
    monkeypatch.setenv("ROASLOOP_PLATFORM_MODE", "sandbox")
    for days in ("0", "367"):
        assert _cli("sandbox", "advance", "--days", days).exit_code == 2
