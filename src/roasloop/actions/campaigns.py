"""Actions on campaign structures: create, manage, status, report sync, creatives."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from roasloop.actions import render_campaigns as render
from roasloop.actions.base import (
    JSON,
    Action,
    CampaignRef,
    Countries,
    Params,
    PositiveMoney,
    Text,
    UniqueIds,
    Url,
    WithPlatform,
)
from roasloop.domain.enums import Objective
from roasloop.domain.models import DEFAULT_AGE_GROUPS, AgeRange
from roasloop.errors import InvalidParameter
from roasloop.i18n import both
from roasloop.services import campaign_status, campaigns, creatives, reports
from roasloop.services.common import Deps, RequestContext


class CreateCampaignParams(WithPlatform):
    objective: Objective
    daily_budget: PositiveMoney
    target_countries: Countries = Field(default_factory=lambda: ["US"])
    creative_ids: UniqueIds = Field(min_length=1)
    age_groups: list[tuple[int, int]] | None = Field(default=None, min_length=1, max_length=10)
    product_url: Url | None = None
    name: Text | None = None
    idempotency_key: Text | None = None
    target_roas: PositiveMoney | None = None
    target_cpa: PositiveMoney | None = None
    activate: bool = True

    @field_validator("age_groups")
    @classmethod
    def _ages(cls, value: list[tuple[int, int]] | None) -> list[tuple[int, int]] | None:
        """Valid ranges that do not overlap: one person belongs to one ad set."""
        for index, (low, high) in enumerate(value or []):
            field = f"age_groups[{index}]"
            try:
                AgeRange(low, high)
            except ValueError:
                raise InvalidParameter(
                    field, "bad age range", detail_key="check_age_range"
                ) from None
            for other, (low2, high2) in enumerate((value or [])[:index]):
                if low <= high2 and low2 <= high:
                    overlap = {"other": f"age_groups[{other}]", "range": f"{low2}-{high2}"}
                    raise InvalidParameter(
                        field, "overlap", detail_key="check_age_overlap", detail_params=overlap
                    )
        return value

    def age_ranges(self) -> tuple[AgeRange, ...]:
        if self.age_groups is None:
            return DEFAULT_AGE_GROUPS
        return tuple(AgeRange(low, high) for low, high in self.age_groups)


class ManageCampaignParams(CampaignRef):
    operation: Literal["pause", "start", "delete"]

    @classmethod
    def from_raw(cls, raw: dict[str, Any]) -> dict[str, Any]:
        """The seed calls the field ``action`` in places; accept both."""
        if "operation" not in raw and "action" in raw:
            return {**raw, "operation": raw["action"]}
        return raw


class SyncReportsParams(CampaignRef):
    lookback_days: int = Field(default=7, ge=1, le=90)


class RegisterCreativeParams(Params):
    name: Text
    product_url: Url
    media_url: Text
    creative_id: Text | None = None
    script: dict[str, Any] | None = None


async def _create_campaign(deps: Deps, ctx: RequestContext, q: CreateCampaignParams) -> JSON:
    request = campaigns.CreateCampaign(
        platform=q.platform,
        objective=q.objective,
        daily_budget=q.daily_budget,
        target_countries=tuple(q.target_countries),
        creative_ids=tuple(q.creative_ids),
        age_groups=q.age_ranges(),
        product_url=q.product_url,
        name=q.name,
        idempotency_key=q.idempotency_key,
        target_roas=q.target_roas,
        target_cpa=q.target_cpa,
        activate=q.activate,
    )
    return render.created_campaign(await campaigns.create_campaign(deps, ctx, request))


async def _manage(deps: Deps, ctx: RequestContext, q: ManageCampaignParams) -> JSON:
    changed = await campaigns.manage_campaign(deps, ctx, q.platform, q.campaign_id, q.operation)
    return render.status_changed(changed)


async def _status(deps: Deps, ctx: RequestContext, q: CampaignRef) -> JSON:
    status = await campaign_status.get_campaign_status(deps, ctx, q.platform, q.campaign_id)
    return render.campaign_status(status)


async def _sync(deps: Deps, ctx: RequestContext, q: SyncReportsParams) -> JSON:
    rows = await reports.sync_campaign(deps, ctx, q.platform, q.campaign_id, q.lookback_days)
    return {
        "status": "success",
        "campaign_id": q.campaign_id,
        "rows": rows,
        "messages": both("reports_synced", rows=rows),
    }


async def _register_creative(deps: Deps, ctx: RequestContext, q: RegisterCreativeParams) -> JSON:
    creative = await creatives.register_creative(
        deps,
        ctx,
        name=q.name,
        product_url=q.product_url,
        media_url=q.media_url,
        creative_id=q.creative_id,
        script=q.script,
    )
    return {
        "status": "success",
        "creative_id": creative.creative_id,
        "name": creative.name,
        "product_url": creative.product_url,
        "messages": both("creative_registered"),
    }


ACTIONS = {
    "create_campaign": Action(CreateCampaignParams, _create_campaign),
    "manage_campaign": Action(ManageCampaignParams, _manage),
    "get_campaign_status": Action(CampaignRef, _status),
    "sync_reports": Action(SyncReportsParams, _sync),
    "register_creative": Action(RegisterCreativeParams, _register_creative),
}
