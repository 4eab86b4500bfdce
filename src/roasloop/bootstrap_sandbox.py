"""The composition root's sandbox half: the one place that wires the sandboxes to roasloop.

:mod:`roasloop.bootstrap` imports this module only in sandbox mode, so live mode never loads
the simulator; the sandbox server (``roasloop sandbox serve``) builds its worlds and apps
here too. :data:`SANDBOXES` is the registry: for each platform, the wire-compatible app
that speaks its API, the address it answers at in process and the app credentials it knows.
The platform adapters stay unaware of all of it: they get a base URL, a transport and
credentials.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

import httpx
from starlette.types import ASGIApp

from roasloop.bootstrap import DRIVERS, Endpoint, ModeSetup
from roasloop.config import Settings
from roasloop.domain.enums import LearningStatus, Platform
from roasloop.platforms.driver import AppCredentials, PlatformDriver
from roasloop.ports.clock import Clock
from roasloop.ports.sandbox import SandboxControl
from roasloop.sandbox.credentials import SANDBOX_APP_ID, SANDBOX_APP_SECRET
from roasloop.sandbox.google import learning as google_learning
from roasloop.sandbox.google.api import TOKEN_PATH, create_google_app
from roasloop.sandbox.google.protocol import SANDBOX_DEVELOPER_TOKEN
from roasloop.sandbox.market.scenario import Scenario
from roasloop.sandbox.meta import learning as meta_learning
from roasloop.sandbox.meta.api import create_meta_app
from roasloop.sandbox.tiktok import learning as tiktok_learning
from roasloop.sandbox.tiktok.api import create_tiktok_app
from roasloop.sandbox.world import SandboxWorld
from roasloop.sandbox_control import (
    InProcessControl,
    SandboxClock,
    ServedControl,
    restore,
    served_now,
)


@dataclass(frozen=True, slots=True)
class SandboxPlatform:
    """One platform's sandbox, as roasloop's adapters reach it."""

    #: Base URL of the in-process sandbox; ``.invalid`` never resolves (RFC 2606).
    host: str
    #: Builds the platform's wire-compatible ASGI app over a sandbox world.
    app: Callable[[SandboxWorld], ASGIApp]
    #: The app every sandbox knows: sandbox mode needs no real keys.
    credentials: AppCredentials
    #: One ad set's learning-status field as the app returns it, given its market learning
    #: state and whether it delivers (``None``: the field is absent).
    learning_field: Callable[[str, bool], object]


SANDBOXES: Mapping[Platform, SandboxPlatform] = MappingProxyType(
    {
        Platform.TIKTOK: SandboxPlatform(
            "http://tiktok.sandbox.invalid",
            create_tiktok_app,
            AppCredentials(SANDBOX_APP_ID, SANDBOX_APP_SECRET),
            tiktok_learning.learning_field,
        ),
        Platform.META: SandboxPlatform(
            "http://meta.sandbox.invalid",
            create_meta_app,
            AppCredentials(SANDBOX_APP_ID, SANDBOX_APP_SECRET),
            meta_learning.learning_field,
        ),
        Platform.GOOGLE: SandboxPlatform(
            "http://google.sandbox.invalid",
            create_google_app,
            AppCredentials(
                SANDBOX_APP_ID,
                SANDBOX_APP_SECRET,
                developer_token=SANDBOX_DEVELOPER_TOKEN,
                token_url=TOKEN_PATH,
            ),
            google_learning.learning_field,
        ),
    }
)


def reported_learning(
    platform: Platform, market_status: str, delivering: bool
) -> LearningStatus | None:
    """The learning phase production reads for an ad set in ``market_status``: the sandbox's
    wire field, through the adapter's own mapping (``None``: the platform reports none, and
    the policy infers the phase from the history). The back-test feeds its policies this."""
    field = SANDBOXES[platform].learning_field(market_status, delivering)
    return DRIVERS[platform].read_learning(field)


async def sandbox_setup(
    settings: Settings,
    drivers: Mapping[Platform, PlatformDriver],
    transports: Mapping[Platform, httpx.AsyncBaseTransport],
    clock: Clock | None,
    sandboxes: Mapping[Platform, SandboxWorld] | None,
) -> ModeSetup:
    """Sandbox mode: in-process sandboxes (built unless given) or the one served at
    ``ROASLOOP_SANDBOX_URL``; without a ``clock``, on the sandbox's time."""
    owned = False
    if clock is None:
        clock = SandboxClock()
    if settings.sandbox_url is None and sandboxes is None:
        sandboxes, owned = build_sandboxes(settings, clock), True
    worlds = dict(sandboxes or {})
    if isinstance(clock, SandboxClock):
        await _follow_sandbox(settings, clock, worlds)
    return ModeSetup(
        clock,
        {platform: SANDBOXES[platform].credentials for platform in drivers},
        _endpoint(settings, worlds, transports),
        _control(settings, clock, worlds),
        worlds,
        owned,
    )


def build_sandboxes(settings: Settings, clock: Clock) -> dict[Platform, SandboxWorld]:
    """One sandbox world per enabled platform, each with that platform's market."""
    worlds = {}
    for platform in settings.enabled_platforms:
        if settings.sandbox_scenario:
            scenario = Scenario.load(settings.sandbox_scenario)
        else:
            scenario = Scenario.default(platform.value)
        path = settings.sandbox_database_path(platform)
        worlds[platform] = SandboxWorld(path, clock, scenario, seed=settings.sandbox_seed)
    return worlds


async def _follow_sandbox(
    settings: Settings, clock: SandboxClock, worlds: Mapping[Platform, SandboxWorld]
) -> None:
    """Run as far ahead as ``roasloop sandbox advance`` moved the sandbox."""
    if settings.sandbox_url is not None:
        clock.move_to(await served_now(settings.sandbox_url))
    else:
        restore(worlds.values(), clock)


def _control(
    settings: Settings, clock: Clock, worlds: Mapping[Platform, SandboxWorld]
) -> SandboxControl:
    if settings.sandbox_url is not None and isinstance(clock, SandboxClock):
        return ServedControl(settings.sandbox_url, clock)
    return InProcessControl(worlds.values(), clock)


def _endpoint(
    settings: Settings,
    worlds: Mapping[Platform, SandboxWorld],
    transports: Mapping[Platform, httpx.AsyncBaseTransport],
) -> Callable[[Platform], Endpoint]:
    """The served sandbox's route for the platform, or its in-process app (built on first use)."""

    def endpoint(platform: Platform) -> Endpoint:
        network = transports.get(platform)
        if settings.sandbox_url is not None:
            return f"{settings.sandbox_url.rstrip('/')}/{platform.value}", network
        sandbox = SANDBOXES[platform]
        if network is None:
            network = httpx.ASGITransport(app=sandbox.app(worlds[platform]))
        return sandbox.host, network

    return endpoint
