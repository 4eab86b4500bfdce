"""API efficiency: calls per report-and-optimize cycle on a 1,000-ad-set account.

One campaign with 1,000 ad sets (one ad each) runs for a week; then one cycle is measured:
``sync_reports`` (7 days re-read for attribution) followed by ``optimize_budget`` with
``apply: true`` on the stored data, once with the seed's policy (many changes) and once
with ``roasloop`` (few). The floor is the report pages that cycle must read
plus one write per change (fewer where the platform batches writes); ``optimize_budget``'s
read of the ad sets' learning status (Meta, Google) must fit under it. Platform calls are
counted at the network boundary.

Run: ``.venv/bin/python -m benchmarks.api_efficiency [--adsets 1000]``
"""

from __future__ import annotations

import argparse
import asyncio
import math
import tempfile
from decimal import Decimal
from pathlib import Path

from benchmarks._platforms import Bench, available_platforms, build_bench
from roasloop.domain.enums import EntityLevel, Objective, Platform
from roasloop.domain.models import AgeRange
from roasloop.services.campaigns import CreateCampaign, create_campaign
from roasloop.services.common import RequestContext

#: Rows per report page (TikTok report/integrated/get page_size ≤ 1000; Meta insights and
#: Google search pages are at least this large in our adapters).
PAGE_ROWS = {Platform.TIKTOK: 1000, Platform.META: 500, Platform.GOOGLE: 10000}
LOOKBACK_DAYS = 7


async def run_platform(
    platform: Platform, adsets: int, workdir: Path, policy: str
) -> dict[str, object]:
    bench = await build_bench(workdir, [platform])
    user = f"efficiency-{platform.value}"
    creatives = await bench.creatives(user, 1)
    created = await _large_campaign(bench, platform, user, creatives, adsets)
    bench.advance(LOOKBACK_DAYS + 1)
    # Steady state: credentials refreshed after the simulated week, as any daily cycle has.
    adapter = await bench.runtime.deps.adapters.adapter_for(user, platform)
    await adapter.find_by_client_key(EntityLevel.CAMPAIGN, "warm-up")
    network = bench.networks[platform]
    before = network.total
    campaign = {"platform": platform.value, "campaign_id": created["campaign_id"]}
    synced = await bench.execute("sync_reports", {**campaign, "lookback_days": LOOKBACK_DAYS}, user)
    report_calls = network.total - before
    params = {**campaign, "apply": True, "refresh": False, "policy": policy}
    optimized = await bench.execute("optimize_budget", params, user)
    assert optimized["status"] == "success", optimized
    changes = len(optimized["optimizations"])
    calls = network.total - before
    pages = math.ceil(synced["rows"] / PAGE_ROWS[platform])
    await bench.close()
    return {
        "platform": platform.value,
        "policy": policy,
        "adsets": adsets,
        "report_rows": synced["rows"],
        "report_calls": report_calls,
        "report_pages_floor": pages,
        "changes": changes,
        "calls_per_cycle": calls,
        "floor": pages + changes,
    }


async def _large_campaign(
    bench: Bench, platform: Platform, user: str, creatives: list[str], adsets: int
) -> dict[str, str]:
    """The module API caps age groups per request; build the big account via the service."""
    deps = bench.runtime.deps
    ctx = RequestContext(tenant_id=user, request_id="setup")
    request = CreateCampaign(
        platform=platform,
        objective=Objective.SALES,
        daily_budget=Decimal(25 * adsets),
        target_countries=("US",),
        creative_ids=tuple(creatives),
        age_groups=tuple(AgeRange(18 + i % 40, 24 + i % 40) for i in range(adsets)),
        target_roas=Decimal("0.5"),
    )
    result = await create_campaign(deps, ctx, request)
    return {"campaign_id": result.campaign_id}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.api_efficiency")
    parser.add_argument("--adsets", type=int, default=1000)
    args = parser.parse_args(argv)
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        runs = [
            (p, policy) for p in available_platforms() for policy in ("threshold", "roasloop")
        ]
        for platform, policy in runs:
            workdir = Path(tmp) / f"{platform.value}-{policy}"
            row = asyncio.run(run_platform(platform, args.adsets, workdir, policy))
            print(row)
            failed |= int(str(row["calls_per_cycle"])) > int(str(row["floor"]))
    print("FAILED" if failed else "OK: calls per cycle ≤ report pages + changes on every platform")
    return 1 if failed else 0
