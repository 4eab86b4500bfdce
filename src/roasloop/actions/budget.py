"""Action: optimize_budget."""

from __future__ import annotations

from typing import Annotated

from pydantic import BeforeValidator

from roasloop.actions import render_decisions as render
from roasloop.actions.base import JSON, Action, CampaignRef, PositiveMoney
from roasloop.decisions.policies import PolicyName, current_name
from roasloop.decisions.policies.config import DEFAULT_PAUSE_STANCE, PauseStance
from roasloop.errors import InvalidParameter
from roasloop.services import budget
from roasloop.services.common import Deps, RequestContext
from roasloop.translations import N_


class OptimizeBudgetParams(CampaignRef):
    policy: Annotated[PolicyName, BeforeValidator(current_name)] = "roasloop"
    # How readily the roasloop policy pauses; the seed policies have their own fixed rules.
    pause_stance: PauseStance = DEFAULT_PAUSE_STANCE
    target_roas: PositiveMoney | None = None
    target_cpa: PositiveMoney | None = None
    dry_run: bool = True
    apply: bool = False
    refresh: bool = True

    @property
    def should_apply(self) -> bool:
        return self.apply or not self.dry_run


async def _optimize(deps: Deps, ctx: RequestContext, q: OptimizeBudgetParams) -> JSON:
    if q.policy != "roasloop" and "pause_stance" in q.model_fields_set:
        raise InvalidParameter(
            "pause_stance",
            N_("pause_stance applies to the roasloop policy, not {policy}"),
            detail_params={"policy": q.policy},
        )
    request = budget.OptimizeBudget(
        platform=q.platform,
        campaign_id=q.campaign_id,
        policy=q.policy,
        pause_stance=q.pause_stance,
        target_roas=q.target_roas,
        target_cpa=q.target_cpa,
        apply=q.should_apply,
        refresh=q.refresh,
    )
    return render.budget_plan(await budget.optimize_budget(deps, ctx, request), ctx.locale)


ACTIONS = {"optimize_budget": Action(OptimizeBudgetParams, _optimize)}
