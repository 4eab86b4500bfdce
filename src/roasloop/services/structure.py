"""Executing a :class:`StructurePlan` on a platform, idempotently, resumably, concurrently.

The plan's progress is saved after every step under the request's idempotency key.
Before each create the key is marked *attempted*; a resumed run looks an attempted
object up by its client key (the create's response may have been lost) before creating
it, so no object is ever made twice. The campaign is created paused and only enabled
once everything under it exists, so a structure that fails part-way spends nothing.

Independent steps run concurrently (bounded by ``settings.max_concurrency``): media
uploads and copy with the campaign, then the ad sets, then each ad set's ads in one
batched request. The critical path is four round trips whatever the structure's size.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field, replace
from typing import Any, TypeVar

from roasloop.domain.enums import EntityLevel, EntityStatus, OperationState, Platform
from roasloop.domain.models import Creative
from roasloop.domain.structure import PlannedAd, PlannedAdSet, StructurePlan
from roasloop.errors import InvalidParameter, RoasloopError
from roasloop.ports.copywriter import CopyRequest
from roasloop.ports.platform import AdSetSpec, AdSpec, CampaignSpec, MediaSpec, PlatformAdapter
from roasloop.services import structure_mirror as mirror
from roasloop.services.common import Deps, RequestContext
from roasloop.services.leases import Lease, lease_name
from roasloop.services.oplog import Write, entry_for, record, settle, settle_all, settle_in
from roasloop.translations import N_

T = TypeVar("T")
CampaignMeta = mirror.CampaignMeta


@dataclass
class Progress:
    """Saved state of one structure request (JSON in ``structure_plans``)."""

    fingerprint: str
    ids: dict[str, str] = field(default_factory=dict)
    attempted: list[str] = field(default_factory=list)
    media: dict[str, str] = field(default_factory=dict)
    copies: dict[str, dict[str, Any]] = field(default_factory=dict)
    activated: bool = False


@dataclass(frozen=True, slots=True)
class ExecutedStructure:
    campaign_id: str
    adset_ids: dict[str, str]
    ad_ids: dict[str, str]
    copies: dict[str, dict[str, Any]]


def structure_lease(idempotency_key: str) -> str:
    """The lease one structure request holds while it runs (see :class:`StructureRun`)."""
    return lease_name("structure", idempotency_key)


def fingerprint(parameters: dict[str, Any]) -> str:
    canonical = json.dumps(parameters, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


class StructureRun:
    """One execution of a plan for one tenant on one adapter.

    The caller holds ``lease`` (:func:`structure_lease` of the key) from :meth:`load` to the
    end, so concurrent requests with the same key run one after the other: the later ones
    find the structure made and create nothing.
    """

    def __init__(
        self,
        deps: Deps,
        ctx: RequestContext,
        adapter: PlatformAdapter,
        plan: StructurePlan,
        lease: Lease,
        idempotency_key: str,
    ) -> None:
        self.deps, self.ctx, self.adapter, self.plan = deps, ctx, adapter, plan
        self.lease, self.key = lease, idempotency_key
        self.platform: Platform = adapter.platform
        self.progress = Progress("")
        self._earlier_attempts: set[str] = set()
        self._save_lock = asyncio.Lock()
        self._later = mirror.DeferredBookkeeping()
        self._slots = asyncio.Semaphore(max(1, deps.settings.max_concurrency))

    async def load(self, parameters: dict[str, Any]) -> None:
        """Resume saved progress; refuse a key reused with different parameters."""
        print_ = fingerprint(parameters)
        async with self.deps.store.unit(self.ctx.tenant_id) as uow:
            saved = await uow.plans.get(self.key)
        if saved is None:
            self.progress = Progress(print_)  # saved by the first ``_mark``
            return
        if saved["fingerprint"] != print_:
            raise InvalidParameter(
                "idempotency_key", N_("already used for a request with different parameters")
            )
        self.progress = Progress(**saved)
        self._earlier_attempts = set(self.progress.attempted)

    async def run(
        self, creatives: list[Creative], meta: CampaignMeta, activate: bool
    ) -> ExecutedStructure:
        """Create what is missing; on failure the progress made so far is saved first."""
        try:
            return await self._run(creatives, meta, activate)
        except RoasloopError:
            await self._save()
            raise
        finally:
            await self._later.flush(self.deps, self.ctx)

    async def _run(
        self, creatives: list[Creative], meta: CampaignMeta, activate: bool
    ) -> ExecutedStructure:
        by_id = {c.creative_id: c for c in creatives}
        await self._mark([self.plan.campaign_key])
        prepared = await self._all(
            self._campaign(meta), self.adapter.prepare(), *map(self._prepare, creatives)
        )
        campaign_id: str = prepared[0]
        await self._mark([adset.key for adset in self.plan.adsets])
        await self._all(*(self._adset(adset, campaign_id) for adset in self.plan.adsets))
        await self._mark([ad.key for ad in self.plan.ads])
        await self._all(*(self._ads(adset, campaign_id, by_id) for adset in self.plan.adsets))
        await self._save()
        if activate and not self.progress.activated:
            await self._activate(campaign_id)
        return self.result()

    @property
    def resumed(self) -> bool:
        """Whether an earlier run of this request got anywhere (records may exist)."""
        return bool(self._earlier_attempts)

    def result(self) -> ExecutedStructure:
        """What exists, in the plan's order (not the order concurrent steps finished in)."""
        ids, copies = self.progress.ids, self.progress.copies
        creative_ids = dict.fromkeys(ad.creative_id for ad in self.plan.ads)
        return ExecutedStructure(
            campaign_id=ids.get(self.plan.campaign_key, ""),
            adset_ids={a.key: ids[a.key] for a in self.plan.adsets if a.key in ids},
            ad_ids={a.key: ids[a.key] for a in self.plan.ads if a.key in ids},
            copies={c: copies[c] for c in creative_ids if c in copies},
        )

    # --- steps ---------------------------------------------------------------------------
    async def _prepare(self, creative: Creative) -> None:
        await self._media(creative)
        await self._copy(creative)

    async def _media(self, creative: Creative) -> None:
        if creative.creative_id in self.progress.media:
            return
        account, creative_id = self.adapter.account_id, creative.creative_id
        async with self.deps.store.unit(self.ctx.tenant_id) as uow:
            media_id = await uow.creatives.get_media_ref(creative_id, self.platform, account)
        if media_id is None:
            spec = MediaSpec(
                client_key=f"{self.plan.campaign_key}m{creative.creative_id}",
                creative_id=creative.creative_id,
                name=creative.name,
                media_url=creative.media_url,
            )
            write = self._write(EntityLevel.AD, "upload_media", creative.creative_id, spec.name)
            media_id = await self._send(write, lambda: self.adapter.upload_media(spec))
            self._later.defer(
                lambda uow: uow.creatives.save_media_ref(
                    creative_id, self.platform, account, media_id
                )
            )
        self.progress.media[creative.creative_id] = media_id

    async def _copy(self, creative: Creative) -> None:
        if creative.creative_id in self.progress.copies:
            return
        request = CopyRequest(
            product_url=creative.product_url,
            creative_id=creative.creative_id,
            creative_name=creative.name,
            platform=self.platform,
            max_length=self.adapter.capabilities.max_ad_text_length,
            locale=self.ctx.locale,
        )
        copy = await self.deps.copywriter.write(request)
        self.progress.copies[creative.creative_id] = {"text": copy.text, "source": copy.source}

    async def _campaign(self, meta: CampaignMeta) -> str:
        key = self.plan.campaign_key
        spec = CampaignSpec(key, self.plan.campaign_name, self.plan.objective, EntityStatus.PAUSED)
        campaign_id = await self._ensure(
            EntityLevel.CAMPAIGN, key, "", spec.name, lambda: self.adapter.create_campaign(spec)
        )
        status = EntityStatus.ACTIVE if self.progress.activated else EntityStatus.PAUSED
        self._later.defer(
            lambda uow: mirror.save_campaign(uow.campaigns, self, campaign_id, meta, status)
        )
        return campaign_id

    async def _adset(self, planned: PlannedAdSet, campaign_id: str) -> None:
        spec = AdSetSpec(
            client_key=planned.key,
            campaign_id=campaign_id,
            name=planned.name,
            daily_budget=planned.daily_budget,
            targeting=planned.targeting,
            optimization_goal=self.plan.optimization_goal,
            bid_strategy=self.plan.bid_strategy,
            start_time=self.deps.clock.now(),
            status=EntityStatus.ACTIVE,
        )
        adset_id = await self._ensure(
            EntityLevel.ADSET,
            planned.key,
            campaign_id,
            spec.name,
            lambda: self.adapter.create_adset(spec),
        )
        self._later.defer(
            lambda uow: mirror.save_adset(uow.campaigns, self, planned, adset_id, campaign_id)
        )

    async def _ads(self, adset: PlannedAdSet, campaign_id: str, by_id: dict[str, Creative]) -> None:
        planned = [ad for ad in self.plan.ads if ad.adset_key == adset.key]
        adset_id = self.progress.ids[adset.key]
        await self._find_attempted(EntityLevel.AD, [ad.key for ad in planned], adset_id)
        todo = [ad for ad in planned if ad.key not in self.progress.ids]
        if todo:
            specs = [self._ad_spec(ad, adset_id, by_id[ad.creative_id]) for ad in todo]
            writes = [
                self._write(EntityLevel.AD, "create_ad", "", s.name, s.client_key) for s in specs
            ]
            created = await self._send_batch(writes, lambda: self.adapter.create_ads(specs))
            for ad, ad_id in zip(todo, created, strict=True):
                self.progress.ids[ad.key] = ad_id
        self._later.defer(
            lambda uow: mirror.save_ads(uow.campaigns, self, planned, by_id, adset_id, campaign_id)
        )

    def _ad_spec(self, planned: PlannedAd, adset_id: str, creative: Creative) -> AdSpec:
        return AdSpec(
            client_key=planned.key,
            adset_id=adset_id,
            name=planned.name,
            media_id=self.progress.media[creative.creative_id],
            copy=str(self.progress.copies[creative.creative_id]["text"]),
            landing_url=creative.product_url,
            status=EntityStatus.ACTIVE,
        )

    async def _activate(self, campaign_id: str) -> None:
        write = Write(
            platform=self.platform,
            level=EntityLevel.CAMPAIGN,
            object_id=campaign_id,
            action="set_status",
            before={"status": EntityStatus.PAUSED.value},
            after={"status": EntityStatus.ACTIVE.value},
            reason="structure complete",
            idempotency_key=f"{self.plan.campaign_key}:activate",
        )
        entry = await record(self.deps, self.ctx, write)
        # The bookkeeping so far goes to the store while the activation is in flight.
        bookkeeping = asyncio.create_task(self._later.flush(self.deps, self.ctx))
        try:
            await self.adapter.set_status(EntityLevel.CAMPAIGN, [campaign_id], EntityStatus.ACTIVE)
        except RoasloopError as error:
            await bookkeeping
            await settle(self.deps, self.ctx, entry, error=error)
            raise
        await bookkeeping  # the campaign's row must exist before it is updated
        await settle(self.deps, self.ctx, entry)
        self.progress.activated = True
        await self._save()
        async with self.deps.store.unit(self.ctx.tenant_id) as uow:
            await uow.campaigns.set_status(
                self.platform,
                EntityLevel.CAMPAIGN,
                campaign_id,
                EntityStatus.ACTIVE,
                self.deps.clock.now(),
            )

    # --- plumbing ------------------------------------------------------------------------------
    async def _ensure(
        self,
        level: EntityLevel,
        key: str,
        parent_id: str,
        name: str,
        create: Any,
    ) -> str:
        """The id of the object for ``key``: remembered, found after a lost response, or new."""
        await self._find_attempted(level, [key], parent_id)
        if key in self.progress.ids:
            return self.progress.ids[key]
        write = self._write(level, f"create_{level.value}", "", name, key)
        created: str = await self._send(write, create)
        self.progress.ids[key] = created
        return created

    async def _mark(self, keys: list[str]) -> None:
        """Persist the progress so far, with ``keys`` marked attempted, before creating them.

        A crash after this point makes the next run look those keys up instead of creating
        them blindly; one save per phase keeps the store off the critical path.
        """
        await self.lease.renew()
        known = set(self.progress.attempted)
        self.progress.attempted += [
            k for k in keys if k not in known and k not in self.progress.ids
        ]
        await self._save()

    async def _find_attempted(self, level: EntityLevel, keys: list[str], parent_id: str) -> None:
        """Look up objects an earlier run tried to create but never heard back about."""
        for key in keys:
            if key in self.progress.ids or key not in self._earlier_attempts:
                continue
            found = await self.adapter.find_by_client_key(level, key, parent_id)
            if found:
                await self._adopt(level, key, found)

    async def _adopt(self, level: EntityLevel, key: str, object_id: str) -> None:
        """Log an object created by a request whose response was lost, then remember it."""
        write = self._write(level, f"create_{level.value}", object_id, key, key)
        entry = await record(self.deps, self.ctx, replace(write, reason="found by client key"))
        await settle(self.deps, self.ctx, entry, object_id)
        self.progress.ids[key] = object_id
        await self._save()

    def _write(
        self, level: EntityLevel, action: str, object_id: str, name: str, key: str = ""
    ) -> Write:
        return Write(
            platform=self.platform,
            level=level,
            object_id=object_id,
            action=action,
            after={"name": name},
            idempotency_key=key,
        )

    async def _send(self, write: Write, call: Callable[[], Awaitable[T]]) -> T:
        """Log ``write`` as sent, make it, and settle its entry off the critical path.

        If the process dies before a background settle lands, the entry stays ``sent`` and
        the resume step settles it against the platform.
        """
        entry = await record(self.deps, self.ctx, write)
        try:
            result = await self._limited(call())
        except RoasloopError as error:
            await settle(self.deps, self.ctx, entry, error=error)
            raise
        if isinstance(result, str):
            self._later.confirmed.append((entry.operation_id, result))
        else:
            self._later.defer(
                lambda uow: settle_in(uow.operations, entry, self.deps.clock.now(), result)
            )
        return result

    async def _send_batch(
        self, writes: list[Write], call: Callable[[], Awaitable[list[str]]]
    ) -> list[str]:
        """Several creates in one request: one entry each, confirmed together off the path."""
        entries = [entry_for(self.deps, self.ctx, w, OperationState.SENT) for w in writes]
        async with self.deps.store.unit(self.ctx.tenant_id) as uow:
            await uow.operations.record_many(entries)
        try:
            created = await self._limited(call())
        except RoasloopError as error:
            await settle_all(self.deps, self.ctx, entries, error=error)
            raise
        self._later.confirmed += [
            (e.operation_id, i) for e, i in zip(entries, created, strict=True)
        ]
        return created

    async def _limited(self, call: Awaitable[T]) -> T:
        async with self._slots:
            return await call

    async def _all(self, *steps: Awaitable[Any]) -> list[Any]:
        """Run steps concurrently; let every one finish, then raise the first failure."""
        outcomes = await asyncio.gather(*steps, return_exceptions=True)
        failures = [o for o in outcomes if isinstance(o, BaseException)]
        if failures:
            raise next((f for f in failures if isinstance(f, RoasloopError)), failures[0])
        return outcomes

    async def _save(self) -> None:
        async with self._save_lock, self.deps.store.unit(self.ctx.tenant_id) as uow:
            await uow.plans.save(self.key, asdict(self.progress), self.deps.clock.now())
