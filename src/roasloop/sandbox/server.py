"""The sandbox served on a port: platform routes plus a small control API.

Control routes (not part of any platform's API) live under ``/sandbox/``:
``GET /sandbox/clock``, ``POST /sandbox/clock/advance`` ``{"days": n}`` and
``POST /sandbox/faults`` with a :class:`FaultConfig` body. The simulated clock starts at
the wall-clock time of the first start and is kept in the sandbox's SQLite file.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import asdict
from datetime import UTC, datetime, timedelta

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route

from roasloop.config import Settings
from roasloop.ports.clock import SimulatedClock
from roasloop.sandbox.scenario import Scenario
from roasloop.sandbox.tiktok_api import create_tiktok_app
from roasloop.sandbox.world import FaultConfig, SandboxWorld


def build_served_app(settings: Settings, seed: int | None = None) -> Starlette:
    scenario = Scenario.load(settings.sandbox_scenario) if settings.sandbox_scenario else None
    clock = SimulatedClock(datetime.now(UTC))
    world = SandboxWorld(
        settings.resolved_sandbox_database_url,
        clock,
        scenario,
        seed=settings.sandbox_seed if seed is None else seed,
    )
    saved = world.get("control", "clock")
    if saved is not None:
        clock.set(max(datetime.fromisoformat(saved["now"]), clock.now()))

    async def show_clock(request: Request) -> JSONResponse:
        return JSONResponse({"now": clock.now().isoformat(), "today": clock.today().isoformat()})

    async def advance(request: Request) -> JSONResponse:
        body = await request.json()
        days = int(body.get("days", 1))
        if not 0 <= days <= 366:
            return JSONResponse({"error": "days must be within 0..366"}, status_code=400)
        clock.advance(timedelta(days=days))
        world.put("control", "clock", {"now": clock.now().isoformat()})
        world.catch_up()
        return await show_clock(request)

    async def faults(request: Request) -> JSONResponse:
        body = await request.json()
        world.set_faults(
            FaultConfig(**{k: body[k] for k in FaultConfig.__dataclass_fields__ if k in body})
        )
        return JSONResponse({"faults": asdict(world.faults)})

    return Starlette(
        routes=[
            Route("/sandbox/clock", show_clock, methods=["GET"]),
            Route("/sandbox/clock/advance", advance, methods=["POST"]),
            Route("/sandbox/faults", faults, methods=["POST"]),
            Mount("/", app=create_tiktok_app(world)),
        ],
        lifespan=_closing(world),
    )


def _closing(world: SandboxWorld) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        world.close()

    return lifespan
