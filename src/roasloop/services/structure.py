"""Executing a :class:`StructurePlan` on a platform, idempotently and resumably.

The plan's progress is saved after every step under the request's idempotency key.
Before each create the key is marked *attempted*; a resumed run looks an attempted
object up by its client key (the create's response may have been lost) before creating
it, so no object is ever made twice. The campaign is created paused and only enabled
once everything under it exists, so a structure that fails part-way spends nothing.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from roasloop.domain.enums import EntityLevel, EntityStatus, Platform
from roasloop.domain.models import Ad, AdSet, Campaign, Creative
from roasloop.domain.structure import PlannedAd, PlannedAdSet, StructurePlan
from roasloop.errors import CreativeNotFound, InvalidParameter
from roasloop.ports.copywriter import CopyRequest
from roasloop.ports.platform import AdSetSpec, AdSpec, CampaignSpec, MediaSpec, PlatformAdapter
from roasloop.services.common import Deps, RequestContext
from roasloop.services.oplog import logged_write

JSON = dict[str, Any]


@dataclass(frozen=True, slots=True)
class CampaignMeta:
    """What the store records about a campaign besides the plan."""

    daily_budget: Any
    product_url: str
    target_roas: Any = None
    target_cpa: Any = None


@dataclass
class Progress:
    """Saved state of one structure request (JSON in ``structure_plans``)."""

    fingerprint: str
    ids: dict[str, str]
    attempted: list[str]
    media: dict[str, str]
    copies: dict[str, JSON]
    activated: bool = False

    def as_json(self) -> JSON:
        return {
            "fingerprint": self.fingerprint,
            "ids": self.ids,
            "attempted": self.attempted,
            "media": self.media,
            "copies": self.copies,
            "activated": self.activated,
        }


@dataclass(frozen=True, slots=True)
class ExecutedStructure:
    campaign_id: str
    adset_ids: dict[str, str]
    ad_ids: dict[str, str]
    copies: dict[str, JSON]


def fingerprint(parameters: JSON) -> str:
    canonical = json.dumps(parameters, sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


async def load_creatives(
    deps: Deps, ctx: RequestContext, creative_ids: list[str]
) -> list[Creative]:
    """Every creative or ``CreativeNotFound`` naming the missing one; checked before writes."""
    creatives = []
    for index, creative_id in enumerate(creative_ids):
        creative = await deps.store.get_creative(ctx.tenant_id, creative_id)
        if creative is None:
            raise CreativeNotFound(
                creative_id, details={"field": f"creative_ids[{index}]", "creative_id": creative_id}
            )
        creatives.append(creative)
    return creatives


class StructureRun:
    """One execution of a plan for one tenant on one adapter."""

    def __init__(
        self,
        deps: Deps,
        ctx: RequestContext,
        adapter: PlatformAdapter,
        plan: StructurePlan,
        idempotency_key: str,
    ) -> None:
        self.deps, self.ctx, self.adapter, self.plan = deps, ctx, adapter, plan
        self.key = idempotency_key
        self.platform: Platform = adapter.platform
        self.progress = Progress("", {}, [], {}, {})

    async def load(self, parameters: JSON) -> None:
        """Resume saved progress; refuse a key reused with different parameters."""
        print_ = fingerprint(parameters)
        saved = await self.deps.store.get_plan(self.ctx.tenant_id, self.key)
        if saved is None:
            self.progress = Progress(print_, {}, [], {}, {})
            await self._save()
            return
        if saved["fingerprint"] != print_:
            raise InvalidParameter(
                "idempotency_key", "already used for a request with different parameters"
            )
        self.progress = Progress(**saved)

    async def run(
        self, creatives: list[Creative], meta: CampaignMeta, activate: bool
    ) -> ExecutedStructure:
        by_id = {c.creative_id: c for c in creatives}
        for creative in creatives:
            await self._media(creative)
            await self._copy(creative)
        campaign_id = await self._campaign(meta)
        for adset in self.plan.adsets:
            await self._adset(adset, campaign_id)
        for ad in self.plan.ads:
            await self._ad(ad, by_id[ad.creative_id], campaign_id)
        if activate and not self.progress.activated:
            await self._activate(campaign_id)
        return self.result()

    def result(self) -> ExecutedStructure:
        ids = self.progress.ids
        return ExecutedStructure(
            campaign_id=ids.get(self.plan.campaign_key, ""),
            adset_ids={a.key: ids[a.key] for a in self.plan.adsets if a.key in ids},
            ad_ids={a.key: ids[a.key] for a in self.plan.ads if a.key in ids},
            copies=self.progress.copies,
        )

    # --- steps ---------------------------------------------------------------------------
    async def _media(self, creative: Creative) -> None:
        if creative.creative_id in self.progress.media:
            return
        store, tenant = self.deps.store, self.ctx.tenant_id
        account = self.adapter.account_id
        media_id = await store.get_media_ref(tenant, creative.creative_id, self.platform, account)
        if media_id is None:
            spec = MediaSpec(
                client_key=f"{self.plan.campaign_key}m{creative.creative_id}",
                creative_id=creative.creative_id,
                name=creative.name,
                media_url=creative.media_url,
            )
            media_id = await self._write(
                EntityLevel.AD,
                creative.creative_id,
                "upload_media",
                self.adapter.upload_media,
                spec,
            )
            await store.save_media_ref(
                tenant, creative.creative_id, self.platform, account, media_id
            )
        self.progress.media[creative.creative_id] = media_id
        await self._save()

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
        await self._save()

    async def _campaign(self, meta: CampaignMeta) -> str:
        key = self.plan.campaign_key
        spec = CampaignSpec(key, self.plan.campaign_name, self.plan.objective, EntityStatus.PAUSED)
        campaign_id = await self._ensure(
            EntityLevel.CAMPAIGN, key, "", self.adapter.create_campaign, spec
        )
        now = self.deps.clock.now()
        await self.deps.store.save_campaign(
            Campaign(
                campaign_id=campaign_id,
                tenant_id=self.ctx.tenant_id,
                platform=self.platform,
                account_id=self.adapter.account_id,
                name=self.plan.campaign_name,
                objective=self.plan.objective,
                daily_budget=meta.daily_budget,
                status=EntityStatus.ACTIVE if self.progress.activated else EntityStatus.PAUSED,
                created_at=now,
                updated_at=now,
                target_roas=meta.target_roas,
                target_cpa=meta.target_cpa,
                product_url=meta.product_url,
            )
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
            EntityLevel.ADSET, planned.key, campaign_id, self.adapter.create_adset, spec
        )
        now = self.deps.clock.now()
        await self.deps.store.save_adset(
            AdSet(
                adset_id=adset_id,
                campaign_id=campaign_id,
                tenant_id=self.ctx.tenant_id,
                platform=self.platform,
                name=planned.name,
                daily_budget=planned.daily_budget,
                status=EntityStatus.ACTIVE,
                targeting=planned.targeting,
                optimization_goal=self.plan.optimization_goal,
                bid_strategy=self.plan.bid_strategy,
                created_at=now,
                updated_at=now,
            )
        )

    async def _ad(self, planned: PlannedAd, creative: Creative, campaign_id: str) -> None:
        adset_id = self.progress.ids[planned.adset_key]
        copy = str(self.progress.copies[creative.creative_id]["text"])
        spec = AdSpec(
            client_key=planned.key,
            adset_id=adset_id,
            name=planned.name,
            media_id=self.progress.media[creative.creative_id],
            copy=copy,
            landing_url=creative.product_url,
            status=EntityStatus.ACTIVE,
        )
        ad_id = await self._ensure(
            EntityLevel.AD, planned.key, adset_id, self.adapter.create_ad, spec
        )
        now = self.deps.clock.now()
        await self.deps.store.save_ad(
            Ad(
                ad_id=ad_id,
                adset_id=adset_id,
                campaign_id=campaign_id,
                tenant_id=self.ctx.tenant_id,
                platform=self.platform,
                creative_id=creative.creative_id,
                name=planned.name,
                copy=copy,
                status=EntityStatus.ACTIVE,
                created_at=now,
                updated_at=now,
            )
        )

    async def _activate(self, campaign_id: str) -> None:
        async def enable() -> None:
            await self.adapter.set_status(EntityLevel.CAMPAIGN, [campaign_id], EntityStatus.ACTIVE)

        await logged_write(
            self.deps,
            self.ctx,
            platform=self.platform,
            level=EntityLevel.CAMPAIGN,
            object_id=campaign_id,
            action="set_status",
            call=enable,
            before={"status": EntityStatus.PAUSED.value},
            after={"status": EntityStatus.ACTIVE.value},
            reason="structure complete",
            idempotency_key=f"{self.plan.campaign_key}:activate",
        )
        self.progress.activated = True
        await self._save()
        await self.deps.store.set_status(
            self.ctx.tenant_id,
            self.platform,
            EntityLevel.CAMPAIGN,
            campaign_id,
            EntityStatus.ACTIVE,
            self.deps.clock.now(),
        )

    # --- plumbing ------------------------------------------------------------------------------
    async def _ensure(
        self, level: EntityLevel, key: str, parent_id: str, create: Any, spec: Any
    ) -> str:
        """The id of the object for ``key``: remembered, found after a lost response, or new."""
        known = self.progress.ids.get(key)
        if known:
            return known
        if key in self.progress.attempted:
            found = await self.adapter.find_by_client_key(level, key, parent_id)
            if found:
                return await self._remember(key, found)
        self.progress.attempted.append(key)
        await self._save()
        created: str = await self._write(level, "", f"create_{level.value}", create, spec, key)
        return await self._remember(key, created)

    async def _write(
        self, level: EntityLevel, object_id: str, action: str, method: Any, spec: Any, key: str = ""
    ) -> str:
        async def call() -> str:
            result: str = await method(spec)
            return result

        return await logged_write(
            self.deps,
            self.ctx,
            platform=self.platform,
            level=level,
            object_id=object_id,
            action=action,
            call=call,
            after={"name": getattr(spec, "name", "")},
            idempotency_key=key,
        )

    async def _remember(self, key: str, object_id: str) -> str:
        self.progress.ids[key] = object_id
        await self._save()
        return object_id

    async def _save(self) -> None:
        await self.deps.store.save_plan(
            self.ctx.tenant_id, self.key, self.progress.as_json(), self.deps.clock.now()
        )
