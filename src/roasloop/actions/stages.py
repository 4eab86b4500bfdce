"""Actions of the launch-stage machine: configure_stages, set_stage, evaluate_stages."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from typing import Annotated

from pydantic import ConfigDict, Field, field_validator

from roasloop.actions import render_decisions as render
from roasloop.actions.base import JSON, Action, CampaignRef, Params, Text
from roasloop.domain.enums import Stage
from roasloop.i18n import both
from roasloop.services import stages
from roasloop.services.common import Deps, RequestContext

Days = Annotated[int, Field(ge=1, le=90)]
Share = Annotated[Decimal, Field(gt=0, le=1, allow_inf_nan=False)]


class StageThresholdsParams(Params):
    """A product's stage thresholds; each optional, each bounded, unknown keys refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    target_roas: Annotated[Decimal, Field(gt=0, le=1000, allow_inf_nan=False)] | None = None
    heating_impressions: Annotated[int, Field(ge=0, le=10**9)] | None = None
    ctr_stable_days: Days | None = None
    ctr_max_cv: Annotated[Decimal, Field(gt=0, le=10, allow_inf_nan=False)] | None = None
    hot_roas_days: Days | None = None
    demote_ratio: Share | None = None
    demote_days: Days | None = None
    maturity_lag_days: Annotated[int, Field(ge=0, le=30)] | None = None
    hot_budget_step: Share | None = None
    hot_full_spend_ratio: Share | None = None
    hot_bid_step: Share | None = None

    @field_validator("*", mode="before")
    @classmethod
    def _given_means_a_value(cls, value: object) -> object:
        if value is None:
            raise ValueError("check_number_given")
        return value


class ConfigureStagesParams(CampaignRef):
    thresholds: StageThresholdsParams = Field(default_factory=StageThresholdsParams)


class SetStageParams(CampaignRef):
    stage: Stage
    reason: Text = "manual override"


class EvaluateStagesParams(Params):
    campaign_ids: list[Text] | None = None
    apply: bool = False


async def _configure(deps: Deps, ctx: RequestContext, q: ConfigureStagesParams) -> JSON:
    given = q.thresholds.model_dump(exclude_none=True)
    thresholds = await stages.configure_stages(deps, ctx, q.platform, q.campaign_id, given)
    return {
        "status": "success",
        "campaign_id": q.campaign_id,
        "thresholds": {k: str(v) for k, v in asdict(thresholds).items()},
        "messages": both("stages_configured"),
    }


async def _set(deps: Deps, ctx: RequestContext, q: SetStageParams) -> JSON:
    move = await stages.set_stage(deps, ctx, q.platform, q.campaign_id, q.stage, q.reason)
    return {
        "status": "success",
        **render.transition(move, ctx.locale),
        "messages": both("stage_set", stage=q.stage.value),
    }


async def _evaluate(deps: Deps, ctx: RequestContext, q: EvaluateStagesParams) -> JSON:
    review = await stages.evaluate_stages(deps, ctx, q.campaign_ids, q.apply)
    return render.stage_review(review, ctx.locale)


ACTIONS = {
    "configure_stages": Action(ConfigureStagesParams, _configure),
    "set_stage": Action(SetStageParams, _set),
    "evaluate_stages": Action(EvaluateStagesParams, _evaluate),
}
