"""docs/sandbox.md, run: each Python snippet against a served sandbox, as a reader pastes it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from facebook_business.api import FacebookAdsApi
from facebook_business.session import FacebookSession

from roasloop.config import Settings
from roasloop.entrypoints.sandbox_server import build_served_app
from tests.integration.served import served

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "sandbox.md"
SNIPPET = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)
ADDRESS = 'SANDBOX = "http://127.0.0.1:8765"'


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("guide"))
    with served(build_served_app(settings)) as url:
        yield url


def _snippet(marker: str) -> str:
    (code,) = [c for c in SNIPPET.findall(GUIDE.read_text(encoding="utf-8")) if marker in c]
    assert ADDRESS in code
    return str(code)


def _run(code: str, url: str) -> dict[str, Any]:
    scope: dict[str, Any] = {}
    exec(code.replace(ADDRESS, f"SANDBOX = {url!r}"), scope)
    return scope


def test_the_tiktok_snippet_runs(sandbox: str) -> None:
    scope = _run(_snippet("import business_api_client"), sandbox)
    assert scope["campaign"]["campaign_id"]


def test_the_meta_snippet_runs(sandbox: str) -> None:
    original = FacebookSession.GRAPH
    try:
        scope = _run(_snippet("from facebook_business"), sandbox)
        account = scope["account"]
        assert [c["id"] for c in account.get_campaigns()] == [scope["campaign"]["id"]]
    finally:
        FacebookSession.GRAPH = original
        FacebookAdsApi.set_default_api(None)


def test_the_google_snippet_runs(sandbox: str) -> None:
    scope = _run(_snippet("/google/token"), sandbox)
    assert scope["customers"]["resourceNames"]
