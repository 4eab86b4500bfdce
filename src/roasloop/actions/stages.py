"""Actions of the launch-stage machine: configure_stages, set_stage, evaluate_stages."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from roasloop.actions.base import JSON, Action, CampaignRef, Params, Text
from roasloop.domain.enums import Stage
from roasloop.services import stages
from roasloop.services.common import Deps, RequestContext


class ConfigureStagesParams(CampaignRef):
    thresholds: dict[str, Any] = Field(default_factory=dict)


class SetStageParams(CampaignRef):
    stage: Stage
    reason: str = Field(default="manual override", max_length=500)


class EvaluateStagesParams(Params):
    campaign_ids: list[Text] | None = None
    apply: bool = False


async def _configure(deps: Deps, ctx: RequestContext, q: ConfigureStagesParams) -> JSON:
    return await stages.configure_stages(deps, ctx, q.platform, q.campaign_id, q.thresholds)


async def _set(deps: Deps, ctx: RequestContext, q: SetStageParams) -> JSON:
    return await stages.set_stage(deps, ctx, q.platform, q.campaign_id, q.stage, q.reason)


async def _evaluate(deps: Deps, ctx: RequestContext, q: EvaluateStagesParams) -> JSON:
    return await stages.evaluate_stages(deps, ctx, q.campaign_ids, q.apply)


ACTIONS = {
    "configure_stages": Action(ConfigureStagesParams, _configure),
    "set_stage": Action(SetStageParams, _set),
    "evaluate_stages": Action(EvaluateStagesParams, _evaluate),
}
