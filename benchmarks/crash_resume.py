"""Crash run: kill the optimizer at random points during 50 cycles; resume must converge.

A served sandbox (its own process, so it survives) hosts one campaign. A worker process
runs optimization cycles (advance a day, pull reports, apply budget decisions) and is
killed with SIGKILL at random moments, then restarted; every start first runs the resume
step. At the end: no open log entry, the store agrees with the platform, and every budget
the platform ever received is accounted for by exactly one confirmed log entry, so no
change was applied twice.

Run: ``.venv/bin/python -m benchmarks.crash_resume [--cycles 50] [--seed 1]``
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from benchmarks._platforms import sample_media
from roasloop.config import Settings
from roasloop.domain.enums import EntityStatus, OperationState, Platform
from roasloop.module import CampaignAutomation
from roasloop.ports.clock import SimulatedClock

USER = "crash-tenant"


def _settings(workdir: Path, port: int) -> Settings:
    return Settings(data_dir=workdir, sandbox_url=f"http://127.0.0.1:{port}", log_level="CRITICAL")


async def _module(workdir: Path, port: int) -> tuple[CampaignAutomation, SimulatedClock]:
    from roasloop.bootstrap import build_runtime

    async with httpx.AsyncClient(timeout=10) as http:
        now = (await http.get(f"http://127.0.0.1:{port}/sandbox/clock")).json()["now"]
    clock = SimulatedClock(datetime.fromisoformat(now))
    runtime = await build_runtime(_settings(workdir, port), clock=clock)
    return CampaignAutomation(runtime=runtime), clock


async def setup(workdir: Path, port: int) -> None:
    module, _ = await _module(workdir, port)
    video = workdir / "media" / "hook_problem.mp4"
    video.parent.mkdir(parents=True, exist_ok=True)
    video.write_bytes(sample_media("crash run video"))
    ctx = {"user_id": USER}
    await module.execute(
        "register_creative",
        {
            "creative_id": "hook",
            "name": "hook_problem",
            "product_url": "https://shop.example.com/p/x",
            "media_url": str(video),
        },
        ctx,
    )
    created = await module.execute(
        "create_campaign",
        {
            "objective": "sales",
            "daily_budget": 400,
            "creative_ids": ["hook"],
            "idempotency_key": "crash",
            "age_groups": [[18 + 4 * i, 21 + 4 * i] for i in range(10)],
        },
        ctx,
    )
    assert created["status"] == "success", created
    # Every platform call now takes 50 ms, so kills land in the middle of writes.
    async with httpx.AsyncClient(timeout=10) as http:
        await http.post(
            f"http://127.0.0.1:{port}/sandbox/faults", json={"slow": 1.0, "slow_seconds": 0.05}
        )
    (workdir / "campaign.json").write_text(json.dumps({"campaign_id": created["campaign_id"]}))
    await module.aclose()


async def worker(workdir: Path, port: int, cycles: int) -> None:
    module, clock = await _module(workdir, port)
    ctx = {"user_id": USER}
    resumed = await module.execute("resume_operations", {}, ctx)
    with (workdir / "resumes.jsonl").open("a") as log:
        log.write(
            json.dumps({k: resumed[k] for k in ("open_entries", "confirmed", "failed")}) + "\n"
        )
    (workdir / "worker.ready").write_text(str(os.getpid()))
    campaign_id = json.loads((workdir / "campaign.json").read_text())["campaign_id"]
    done_file = workdir / "cycles.done"
    while (done := int(done_file.read_text()) if done_file.exists() else 0) < cycles:
        clock.set(await _advance_sandbox(port))
        await module.execute("sync_reports", {"campaign_id": campaign_id}, ctx)
        # Alternate scaling up and down so every cycle changes budgets.
        targets = {"target_roas": "0.01"} if done % 2 == 0 else {"target_cpa": "0.01"}
        result = await module.execute(
            "optimize_budget",
            {
                "campaign_id": campaign_id,
                "apply": True,
                "refresh": False,
                "policy": "threshold",
                **targets,
            },
            ctx,
        )
        if result["status"] != "success":
            raise SystemExit(f"cycle failed: {result['error']}")
        tmp = done_file.with_suffix(".tmp")
        tmp.write_text(str(done + 1))
        os.replace(tmp, done_file)
    await module.aclose()


async def _advance_sandbox(port: int) -> datetime:
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            f"http://127.0.0.1:{port}/sandbox/clock/advance", json={"days": 1}
        )
    return datetime.fromisoformat(response.json()["now"])


async def audit(workdir: Path, port: int) -> dict[str, Any]:
    module, _ = await _module(workdir, port)
    ctx = {"user_id": USER}
    resumed = await module.execute("resume_operations", {}, ctx)
    store = (await module.runtime()).deps.store
    campaign_id = json.loads((workdir / "campaign.json").read_text())["campaign_id"]
    async with store.unit(USER) as uow:
        operations = await uow.operations.find(limit=100_000)
        adsets = await uow.campaigns.list_adsets(Platform.TIKTOK, campaign_id)
    status = await module.execute("get_campaign_status", {"campaign_id": campaign_id}, ctx)
    platform = {a["adset_id"]: a for a in status["adsets"]}
    history = _platform_history(workdir, [a.adset_id for a in adsets])
    mismatched, unaccounted, applied_twice = 0, 0, 0
    for adset in adsets:
        confirmed = [
            op.after["daily_budget"]
            for op in operations
            if op.object_id == adset.adset_id
            and op.state is OperationState.CONFIRMED
            and "daily_budget" in op.after
        ]
        received = history.get(adset.adset_id, [])
        unaccounted += max(0, len(received) - len(confirmed))
        applied_twice += sum(1 for a, b in itertools.pairwise(received) if a == b)
        remote = platform[adset.adset_id]
        same_budget = Decimal(str(remote["daily_budget"])) == adset.daily_budget
        same_status = remote["status"] == adset.status.value or adset.status is EntityStatus.DELETED
        mismatched += (not same_budget) + (not same_status)
        if [Decimal(x) for x in received] != [Decimal(x) for x in confirmed]:
            unaccounted += 1
    await module.aclose()
    restarts = [json.loads(line) for line in (workdir / "resumes.jsonl").read_text().splitlines()]
    return {
        "entries_left_open_by_kills": sum(r["open_entries"] for r in restarts),
        "found_applied_by_resume": sum(r["confirmed"] for r in restarts),
        "found_not_applied_by_resume": sum(r["failed"] for r in restarts),
        "resume_settled_at_end": resumed["open_entries"],
        "open_entries": sum(
            op.state in (OperationState.PLANNED, OperationState.SENT) for op in operations
        ),
        "confirmed_budget_changes": sum(
            1
            for op in operations
            if op.state is OperationState.CONFIRMED and "daily_budget" in op.after
        ),
        "failed_or_abandoned": sum(1 for op in operations if op.state is OperationState.FAILED),
        "store_vs_platform_mismatches": mismatched,
        "budget_changes_not_matching_log": unaccounted,
        "changes_applied_twice": applied_twice,
    }


def _platform_history(workdir: Path, adset_ids: list[str]) -> dict[str, list[str]]:
    import sqlite3

    db = sqlite3.connect(workdir / "sandbox" / "sandbox-tiktok.db")
    try:
        out = {}
        for adset_id in adset_ids:
            row = db.execute(
                "SELECT body FROM docs WHERE kind='adgroup' AND id=?", (adset_id,)
            ).fetchone()
            out[adset_id] = json.loads(row[0]).get("budget_history", [])
        return out
    finally:
        db.close()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _spawn(*args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "benchmarks", "crash_resume", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def drive(cycles: int, seed: int) -> int:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        workdir, port = Path(tmp), _free_port()
        server = _spawn("serve", "--dir", str(workdir / "sandbox"), "--port", str(port))
        try:
            _wait_for(port)
            assert _spawn("setup", "--dir", tmp, "--port", str(port)).wait() == 0
            kills = _kill_loop(workdir, port, cycles, rng)
            final = _spawn("worker", "--dir", tmp, "--port", str(port), "--cycles", str(cycles))
            assert final.wait() == 0, final.stderr.read() if final.stderr else ""
            counts = asyncio.run(audit(workdir, port))
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(10)
    counts = {"cycles": cycles, "kills": kills, **counts}
    print(counts)
    bad = (
        "open_entries",
        "store_vs_platform_mismatches",
        "budget_changes_not_matching_log",
        "changes_applied_twice",
    )
    ok = not any(counts[k] for k in bad)
    print("OK: resume converged; no budget change applied twice" if ok else "FAILED")
    return 0 if ok else 1


def _kill_loop(workdir: Path, port: int, cycles: int, rng: random.Random) -> int:
    kills = 0
    done_file = workdir / "cycles.done"
    while not done_file.exists() or int(done_file.read_text()) < cycles - 1:
        proc = _spawn("worker", "--dir", str(workdir), "--port", str(port), "--cycles", str(cycles))
        _wait_until_ready(workdir, proc)
        time.sleep(rng.uniform(0.0, 3.0))  # a cycle takes about a second: kill within ~3
        if proc.poll() is None:
            proc.kill()
            kills += 1
        proc.wait()
    return kills


def _wait_until_ready(workdir: Path, proc: subprocess.Popen[bytes]) -> None:
    """Wait until the worker has resumed and starts cycling (or has already exited)."""
    ready = workdir / "worker.ready"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if ready.exists() and ready.read_text() == str(proc.pid):
            return
        time.sleep(0.05)


def _wait_for(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(f"http://127.0.0.1:{port}/sandbox/clock", timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("the sandbox did not start")


def serve(directory: Path, port: int) -> None:
    import uvicorn

    from roasloop.entrypoints.sandbox_server import build_served_app

    settings = Settings(data_dir=directory, sandbox_seed=5)
    uvicorn.run(build_served_app(settings), host="127.0.0.1", port=port, log_level="warning")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="benchmarks.crash_resume")
    parser.add_argument(
        "role", nargs="?", default="drive", choices=["drive", "serve", "setup", "worker"]
    )
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--port", type=int)
    parser.add_argument("--cycles", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.role == "serve":
        serve(args.dir, args.port)
    elif args.role == "setup":
        asyncio.run(setup(args.dir, args.port))
    elif args.role == "worker":
        asyncio.run(worker(args.dir, args.port, args.cycles))
    else:
        return drive(args.cycles, args.seed)
    return 0
