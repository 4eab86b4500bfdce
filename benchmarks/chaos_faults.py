"""Fault run: 200 ``create_campaign`` calls per platform with 20 % of platform calls failing.

Half the faults are on the network (a timeout before the request arrives, or a response lost
after the platform processed it); half come from the platform (5xx and rate limits, from
the sandbox's ``FaultConfig``). A request that still fails after the adapter's retries is
repeated with the same ``idempotency_key``, as a caller would. Afterwards, the sandbox's own
records are compared with roasloop's: every structure complete, no duplicate, no orphan, and
every object backed by exactly one confirmed entry in the operation log.

Run: ``.venv/bin/python -m benchmarks.chaos_faults [--campaigns 200] [--rate 0.2]``
"""

from __future__ import annotations

import argparse
import asyncio
import re
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from benchmarks._platforms import Bench, Network, available_platforms, build_bench
from roasloop.domain.enums import OperationState, Platform
from roasloop.sandbox.inventory import INVENTORIES
from roasloop.sandbox.world import FaultConfig

TAG = re.compile(r"\[rl:([^\]]+)\]")
MAX_REPEATS = 20


async def run_platform(
    platform: Platform, campaigns: int, rate: float, workdir: Path
) -> dict[str, Any]:
    bench = await build_bench(
        workdir,
        [platform],
        make_network=lambda inner: Network(inner, fault_rate=rate / 2),
        breaker_cooldown_seconds=0.05,
    )
    world = bench.worlds[platform]
    world.set_faults(FaultConfig(rate_limit=rate / 4, system_error=rate / 4, seed=7))
    user = f"chaos-{platform.value}"
    creatives = await bench.creatives(user, 2)
    started = time.perf_counter()
    results, repeats = [], Counter[int]()
    for index in range(campaigns):
        result, tries = await _until_done(bench, platform, user, creatives, f"chaos-{index}")
        results.append(result)
        repeats[tries] += 1
    elapsed = time.perf_counter() - started
    world.set_faults(FaultConfig())
    counts = await _audit(bench, platform, user, results)
    network = bench.networks[platform]
    counts |= {
        "platform": platform.value,
        "platform_calls": network.total,
        "network_faults": sum(network.faults.values()),
        "platform_faults": sum(world.faults_injected.values()),
        "repeated_requests": sum(n * (t - 1) for t, n in repeats.items()),
        "seconds": round(elapsed, 1),
    }
    await bench.close()
    return counts


async def _until_done(
    bench: Bench, platform: Platform, user: str, creatives: list[str], key: str
) -> tuple[dict[str, Any], int]:
    params = {
        "platform": platform.value,
        "objective": "sales",
        "daily_budget": 150,
        "creative_ids": creatives,
        "idempotency_key": key,
    }
    for attempt in range(1, MAX_REPEATS + 1):
        result = await bench.execute("create_campaign", params, user)
        if result["status"] == "success":
            return result, attempt
        await asyncio.sleep(0.06)  # let an open circuit breaker half-open
    return result, MAX_REPEATS


async def _audit(
    bench: Bench, platform: Platform, user: str, results: list[dict[str, Any]]
) -> dict[str, Any]:
    expected = _expected_ids(results)
    inventory = INVENTORIES[platform](bench.worlds[platform])
    on_platform = {
        level.value: [(i, t) for i, name in objs if (t := _tag(name))]
        for level, objs in inventory.items()
    }
    tags = Counter(tag for objects in on_platform.values() for _, tag in objects)
    present = {level: {object_id for object_id, _ in objs} for level, objs in on_platform.items()}
    async with bench.runtime.deps.store.unit(user) as uow:
        operations = await uow.operations.find(limit=100_000)
    confirmed = Counter(
        op.object_id
        for op in operations
        if op.state is OperationState.CONFIRMED and op.action.startswith("create_")
    )
    every_object = set().union(*present.values())
    open_states = (OperationState.PLANNED, OperationState.SENT)
    return {
        "requests": len(results),
        "complete_structures": sum(1 for r in results if _complete(r, present)),
        "duplicates": sum(count - 1 for count in tags.values() if count > 1),
        "orphans": len(every_object - set().union(*expected.values())),
        "objects_without_confirmed_log_entry": len(every_object - set(confirmed)),
        "objects_with_several_confirmed_entries": sum(1 for n in confirmed.values() if n > 1),
        "open_log_entries": sum(1 for op in operations if op.state in open_states),
    }


def _tag(name: str) -> str | None:
    match = TAG.search(name)
    return match.group(1) if match else None


def _expected_ids(results: list[dict[str, Any]]) -> dict[str, set[str]]:
    ok = [r for r in results if r["status"] == "success"]
    return {
        "campaign": {r["campaign_id"] for r in ok},
        "adset": {a["adset_id"] for r in ok for a in r["adsets"]},
        "ad": {a["ad_id"] for r in ok for a in r["ads"]},
    }


def _complete(result: dict[str, Any], present: dict[str, set[str]]) -> bool:
    if result["status"] != "success":
        return False
    adsets = [a["adset_id"] for a in result["adsets"]]
    ads = [a["ad_id"] for a in result["ads"]]
    return (
        result["campaign_id"] in present["campaign"]
        and len(adsets) == 3
        and set(adsets) <= present["adset"]
        and len(ads) == 6
        and set(ads) <= present["ad"]
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.chaos_faults")
    parser.add_argument("--campaigns", type=int, default=200)
    parser.add_argument("--rate", type=float, default=0.2)
    args = parser.parse_args(argv)
    failed = False
    with tempfile.TemporaryDirectory() as tmp:
        for platform in available_platforms():
            counts = asyncio.run(
                run_platform(platform, args.campaigns, args.rate, Path(tmp) / platform.value)
            )
            print(counts)
            bad = (
                "duplicates",
                "orphans",
                "objects_without_confirmed_log_entry",
                "objects_with_several_confirmed_entries",
                "open_log_entries",
            )
            failed |= counts["complete_structures"] != counts["requests"] or any(
                counts[k] for k in bad
            )
    print(
        "FAILED"
        if failed
        else "OK: every structure complete, 0 duplicates, 0 orphans, log consistent"
    )
    return 1 if failed else 0
