"""Fixtures shared by the module-level integration tests (see ``harness.py``)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

from tests.conftest import truncate_all
from tests.integration.google_rig import GoogleSandbox, open_sandbox
from tests.integration.harness import Harness, build_harness
from tests.integration.meta_rig import Rig, make_rig
from tests.integration.meta_sandbox_rig import Sandbox, build

#: Hypothesis settings for properties that drive the whole stack (≥100 examples each).
PROPERTY = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    """One harness per test module; each example uses its own tenant."""
    harness = build_harness(tmp_path_factory.mktemp("shared"))
    yield harness
    harness.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def h(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Harness]:
    """A harness of its own on each store: SQLite, and the session's PostgreSQL (emptied)."""
    settings: dict[str, Any] = {}
    if request.param == "postgres":
        settings["database_url"] = request.getfixturevalue("postgres_url")
        truncate_all(settings["database_url"])
    harness = build_harness(tmp_path, **settings)
    yield harness
    harness.close()


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Harness]:
    """A harness of its own, for tests that count everything in the sandbox."""
    harness = build_harness(tmp_path)
    yield harness
    harness.close()


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    """A MetaAdapter on its own Meta sandbox (see ``meta_rig.py``)."""
    made = await make_rig(tmp_path)
    yield made
    await made.extra["http"].aclose()
    made.world.close()


@pytest.fixture
async def sandbox() -> AsyncIterator[GoogleSandbox]:
    """A Google Ads sandbox of its own, over raw HTTP (see ``google_rig.py``)."""
    opened = await open_sandbox()
    yield opened
    await opened.client.aclose()
    opened.world.close()


@pytest.fixture(scope="module")
def sb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """One Meta sandbox per test module, over raw HTTP (see ``meta_sandbox_rig.py``)."""
    sandbox = build(tmp_path_factory.mktemp("meta-sandbox"))
    yield sandbox
    sandbox.world.close()
