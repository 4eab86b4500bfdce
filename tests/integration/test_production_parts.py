"""The whole loop on the production parts: PostgreSQL store and Redis cache (real servers)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from roasloop.domain.enums import Platform
from tests.integration.harness import build_harness


@pytest.mark.postgres
@pytest.mark.redis
def test_launch_observe_optimize_on_postgres_and_redis(
    tmp_path: Path, postgres_url: str, redis_url: str
) -> None:
    redis = urlparse(redis_url)
    h = build_harness(
        tmp_path,
        database_url=postgres_url,
        cache_backend="redis",
        redis_host=redis.hostname,
        redis_port=redis.port or 6379,
        redis_db=int((redis.path or "/0").lstrip("/") or 0),
    )
    try:
        user = h.new_user()
        created = h.execute(
            "create_campaign",
            {
                "objective": "sales",
                "daily_budget": 150,
                "creative_ids": h.creatives(user, 2),
                "target_roas": 1.5,
            },
            user=user,
        )
        assert created["status"] == "success", created
        h.advance(4)
        synced = h.execute("sync_reports", {"campaign_id": created["campaign_id"]}, user=user)
        assert synced["rows"] > 0
        status = h.execute(
            "get_campaign_status", {"campaign_id": created["campaign_id"]}, user=user
        )
        cached = h.execute(
            "get_campaign_status", {"campaign_id": created["campaign_id"]}, user=user
        )
        assert status["stale"] is False and cached["cached"] is True
        assert cached["campaign"] == status["campaign"]
        optimized = h.execute(
            "optimize_budget", {"campaign_id": created["campaign_id"], "apply": True}, user=user
        )
        assert optimized["status"] == "success", optimized
        rows = h.stored(
            user,
            lambda uow: uow.performance.for_campaign(
                Platform.TIKTOK,
                created["campaign_id"],
                h.clock.today().replace(day=1),
                h.clock.today(),
            ),
        )
        assert {r.day for r in rows} == {h.clock.today().replace(day=d) for d in range(2, 6)}
        account = h.stored(user, lambda uow: uow.accounts.get(Platform.TIKTOK))
        assert account is not None and account.access_token
    finally:
        h.close()
