"""What every use case receives: the ports (``Deps``) and who is asking (``RequestContext``)."""

from __future__ import annotations

import itertools
import time
import uuid
from dataclasses import dataclass
from datetime import datetime

from roasloop.config import Settings
from roasloop.domain.enums import Trigger
from roasloop.ports.cache import Cache
from roasloop.ports.clock import Clock
from roasloop.ports.copywriter import Copywriter
from roasloop.ports.media import MediaCheck
from roasloop.ports.notify import WebhookSender
from roasloop.ports.platform import AdapterProvider
from roasloop.ports.sandbox import SandboxControl
from roasloop.ports.shop import ShopOrders
from roasloop.ports.store import Store


@dataclass(frozen=True, slots=True)
class Deps:
    """The composition root's output; services take it instead of building clients."""

    settings: Settings
    store: Store
    clock: Clock
    adapters: AdapterProvider
    copywriter: Copywriter
    cache: Cache
    #: Checks a creative's ``media_url`` (the media folder and mode are bound in).
    check_media: MediaCheck
    #: Delivers a rule's ``notify`` webhook.
    webhooks: WebhookSender
    #: Moves the sandbox's clock; ``None`` in live mode.
    sandbox: SandboxControl | None = None
    #: The merchant's shop, when a connector is connected; ``None`` (the default): no store
    #: revenue, and the budget policy trusts the platforms' reports.
    shop_orders: ShopOrders | None = None

    @property
    def mode(self) -> str:
        return self.settings.platform_mode.value


@dataclass(frozen=True, slots=True)
class RequestContext:
    """The caller: tenant (``context.user_id``), request id, language, and what triggered it."""

    tenant_id: str
    request_id: str
    locale: str = "en"
    trigger: Trigger = Trigger.USER

    @classmethod
    def system(cls, tenant_id: str, trigger: Trigger, locale: str = "en") -> RequestContext:
        return cls(tenant_id=tenant_id, request_id=new_id("req"), locale=locale, trigger=trigger)


_sequence = itertools.count()


def new_id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:16]}"


def sortable_id(prefix: str) -> str:
    """An id that sorts in creation order (wall-clock ns, then a process counter).

    Log entries share one simulated timestamp in back-tests and the demo; their ids keep
    the order in which they were written.
    """
    return f"{prefix}_{time.time_ns():016x}{next(_sequence) % 4096:03x}{uuid.uuid4().hex[:6]}"


def iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
