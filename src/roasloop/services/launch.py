"""The one path by which a campaign structure reaches a platform: campaigns and A/B tests.

A launch is checked completely before any account is touched (creatives and their media,
the plan against the platform's limits), then runs under its idempotency key's lease: a
repeated or concurrent request with the same key finds the structure made and creates
nothing. A failure part-way reports what was created and how to resume.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from roasloop.domain.enums import Platform
from roasloop.domain.models import Creative
from roasloop.domain.structure import StructurePlan, client_key_base
from roasloop.errors import RoasloopError
from roasloop.ports.platform import PlatformRules
from roasloop.services.common import Deps, RequestContext, new_id
from roasloop.services.creatives import load_creatives
from roasloop.services.leases import holding
from roasloop.services.preflight import check_plan
from roasloop.services.structure import (
    CampaignMeta,
    ExecutedStructure,
    StructureRun,
    structure_lease,
)

#: Work done under the launch's lease once the structure exists (e.g. saving a test record).
AfterLaunch = Callable[[ExecutedStructure], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Launch:
    """A structure request whose creatives passed their checks; plan it, then :func:`run` it."""

    platform: Platform
    rules: PlatformRules
    creatives: list[Creative]
    idempotency_key: str
    #: Prefix of every client key of the structure (tenant + idempotency key).
    base_key: str


@dataclass(frozen=True, slots=True)
class LaunchRequest:
    """What :func:`run` needs besides the plan: the inputs its checks name, and the record."""

    countries: Sequence[str]
    name_fields: dict[str, str]
    #: The request's parameters; a key reused with others is refused.
    fingerprint: dict[str, Any]
    meta: CampaignMeta
    activate: bool


async def prepare(
    deps: Deps,
    ctx: RequestContext,
    platform: Platform,
    creative_ids: Sequence[str],
    idempotency_key: str | None,
) -> Launch:
    """Load the creatives, their media checked for this platform (raises naming the input)."""
    rules = deps.adapters.rules(platform)
    creatives = await load_creatives(deps, ctx, rules.capabilities, list(creative_ids))
    key = idempotency_key or new_id("idem")
    return Launch(platform, rules, creatives, key, client_key_base(ctx.tenant_id, key))


async def run(
    deps: Deps,
    ctx: RequestContext,
    launch: Launch,
    plan: StructurePlan,
    request: LaunchRequest,
    after: AfterLaunch | None = None,
) -> ExecutedStructure:
    """Check ``plan``, then create what is missing of it under the key's lease.

    Raises ``InvalidParameter`` before any write if the platform would refuse the plan;
    a platform error part-way carries ``created``, ``left_paused`` and ``idempotency_key``.
    """
    check_plan(launch.rules, plan, request.countries, request.name_fields)
    # Only a request that passed every check may provision a sandbox account.
    adapter = await deps.adapters.adapter_for(ctx.tenant_id, launch.platform)
    async with holding(deps, ctx, structure_lease(launch.idempotency_key)) as lease:
        structure = StructureRun(deps, ctx, adapter, plan, lease, launch.idempotency_key)
        await structure.load(request.fingerprint)
        try:
            executed = await structure.run(launch.creatives, request.meta, request.activate)
        except RoasloopError as error:
            raise _partial(error, structure, launch.idempotency_key) from None
        if after is not None:
            await after(executed)
    return executed


def _partial(error: RoasloopError, structure: StructureRun, key: str) -> RoasloopError:
    done = structure.result()
    created = {
        "campaign_id": done.campaign_id or None,
        "adset_ids": list(done.adset_ids.values()),
        "ad_ids": list(done.ad_ids.values()),
    }
    return error.with_details(
        created=created,
        left_paused=bool(done.campaign_id),
        idempotency_key=key,
        resume="repeat the request with the same idempotency_key",
    )
