"""Latency: ``create_campaign`` (3 ad sets × 5 creatives) with 100 ms added to every call.

Measured in one process, per platform, with the platforms' rate limits on: one call's
latency (the unit), the whole structure with bounded concurrency (the default), and the
same request run sequentially (``max_concurrency = 1``) as the baseline.
Target: the concurrent structure finishes within 5× one call's latency.

Run: ``.venv/bin/python -m benchmarks.latency [--latency 0.1] [--repeats 3]``
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from benchmarks._platforms import Network, available_platforms, build_bench
from roasloop.domain.enums import EntityLevel, Platform

TARGET_RATIO = 5.0


async def measure(
    platform: Platform, latency: float, concurrency: int, workdir: Path
) -> tuple[float, float]:
    """(seconds for one platform call, seconds for the whole create_campaign)."""
    bench = await build_bench(
        workdir,
        [platform],
        make_network=lambda inner: Network(inner, latency=latency),
        sleep=asyncio.sleep,
        rate_limits="on",
        max_concurrency=concurrency,
    )
    user = f"latency-{concurrency}"
    creatives = await bench.creatives(user, 5)
    adapter = await bench.runtime.deps.adapters.adapter_for(user, platform)
    await adapter.find_by_client_key(EntityLevel.CAMPAIGN, "warm-up")  # tokens, connections
    started = time.perf_counter()
    await adapter.find_by_client_key(EntityLevel.CAMPAIGN, "one-call")
    single = time.perf_counter() - started
    params = {
        "platform": platform.value,
        "objective": "sales",
        "daily_budget": 150,
        "creative_ids": creatives,
    }
    started = time.perf_counter()
    result = await bench.execute("create_campaign", params, user)
    whole = time.perf_counter() - started
    assert result["status"] == "success", result
    assert len(result["ads"]) == 15
    await bench.close()
    return single, whole


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.latency")
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for platform in available_platforms():
            rows = {}
            for concurrency in (8, 1):
                runs = [
                    asyncio.run(measure(platform, args.latency, concurrency, Path(tmp) / f"{i}"))
                    for i in range(args.repeats)
                ]
                rows[concurrency] = (
                    statistics.median(r[0] for r in runs),
                    statistics.median(r[1] for r in runs),
                )
            single = rows[8][0]
            ratio, sequential_ratio = rows[8][1] / single, rows[1][1] / single
            print(
                f"{platform.value}: one call {single * 1000:.0f} ms; create_campaign concurrent "
                f"{rows[8][1]:.2f} s = {ratio:.1f}× a call; sequential {rows[1][1]:.2f} s = "
                f"{sequential_ratio:.1f}×; speed-up {rows[1][1] / rows[8][1]:.1f}×"
            )
            failed |= ratio > TARGET_RATIO
    print("FAILED" if failed else f"OK: within {TARGET_RATIO:.0f}× one call on every platform")
    return 1 if failed else 0
