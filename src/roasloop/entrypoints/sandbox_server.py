"""The sandbox served on a port: platform routes plus a small control API.

Control routes (not part of any platform's API) live under ``/sandbox/``:
``GET /sandbox/clock``, ``POST /sandbox/clock/advance`` ``{"days": n}`` and
``POST /sandbox/faults`` with a :class:`FaultConfig` body. The simulated clock starts at
the wall-clock time of the first start and is kept in the sandbox's SQLite file. A client
points at ``http://host:port/<platform>`` (``ROASLOOP_SANDBOX_URL=http://host:port``).
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

from roasloop.bootstrap import KITS, build_sandboxes
from roasloop.config import Settings
from roasloop.ports.clock import SimulatedClock
from roasloop.sandbox.world import FaultConfig, SandboxWorld


def build_served_app(settings: Settings, seed: int | None = None) -> Starlette:
    """Every enabled platform's sandbox under ``/<platform>/`` plus the control routes."""
    if seed is not None:
        settings = settings.model_copy(update={"sandbox_seed": seed})
    clock = SimulatedClock(datetime.now(UTC))
    worlds = build_sandboxes(settings, clock)
    control = next(iter(worlds.values()))
    saved = control.get("control", "clock")
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
        control.put("control", "clock", {"now": clock.now().isoformat()})
        for world in worlds.values():
            world.catch_up()
        return await show_clock(request)

    async def faults(request: Request) -> JSONResponse:
        body = await request.json()
        fields = {k: body[k] for k in FaultConfig.__dataclass_fields__ if k in body}
        for world in worlds.values():
            world.set_faults(FaultConfig(**fields))
        return JSONResponse({"faults": asdict(control.faults)})

    mounts = [Mount(f"/{p.value}", app=KITS[p].sandbox_app(w)) for p, w in worlds.items()]
    return Starlette(
        routes=[
            Route("/sandbox/clock", show_clock, methods=["GET"]),
            Route("/sandbox/clock/advance", advance, methods=["POST"]),
            Route("/sandbox/faults", faults, methods=["POST"]),
            *mounts,
        ],
        lifespan=_closing(list(worlds.values())),
    )


def _closing(
    worlds: list[SandboxWorld],
) -> Callable[[Starlette], AbstractAsyncContextManager[None]]:
    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        yield
        for world in worlds:
            world.close()

    return lifespan
