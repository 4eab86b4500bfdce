"""Decisions as the module API's response dicts: budget plans, findings, stage reviews."""

from __future__ import annotations

from dataclasses import asdict
from decimal import Decimal
from typing import Any

from roasloop.actions.base import JSON
from roasloop.decisions.snapshot import BidDecision, BudgetDecision
from roasloop.decisions.stages import PROFILES, StageTransition
from roasloop.i18n import both
from roasloop.services.budget import BudgetPlan
from roasloop.services.stages import CampaignStageReview, StageReview


def budget_plan(plan: BudgetPlan, locale: str) -> JSON:
    message = "optimization_applied" if plan.applied else "optimization_preview"
    return {
        "status": "success",
        "campaign_id": plan.campaign_id,
        "policy": plan.policy,
        "pause_stance": plan.pause_stance,
        "dry_run": not plan.applied,
        "targets": {
            "target_roas": _float(plan.targets.target_roas),
            "target_cpa": _float(plan.targets.target_cpa),
        },
        "optimizations": [_described(c.decision, locale, c.applied) for c in plan.changes],
        "findings": [finding(key, values, locale) for key, values in plan.findings],
        "warnings": [
            {"code": w.code, "type": w.type, "message": w.message(locale)} for w in plan.warnings
        ],
        "messages": both(message, count=len(plan.changes)),
    }


def _described(decision: BudgetDecision, locale: str, applied: bool) -> JSON:
    reasons = both(decision.reason_key, **decision.reason_params)
    return {
        "adset_id": decision.adset_id,
        "action": decision.action.value,
        "old_budget": float(decision.old_budget),
        "new_budget": _float(decision.new_budget),
        "reason": reasons.get(locale, reasons["en"]),
        "reasons": reasons,
        "metrics": decision.values,
        "notes": list(decision.notes),
        "applied": applied,
    }


def finding(key: str, values: dict[str, Any], locale: str) -> JSON:
    """A finding for the merchant (something decided not to do, or to look at), en / zh-CN."""
    messages = both(key, **values)
    return {
        "code": key,
        "message": messages.get(locale, messages["en"]),
        "messages": messages,
        "values": values,
    }


def stage_review(review: StageReview, locale: str) -> JSON:
    campaigns = [_campaign_review(c, locale) for c in review.campaigns]
    switched = sum(1 for c in review.campaigns if c.transition)
    return {
        "status": "success",
        "dry_run": not review.applied,
        "campaigns": campaigns,
        "messages": both("stages_evaluated", checked=len(campaigns), switched=switched),
    }


def _campaign_review(review: CampaignStageReview, locale: str) -> JSON:
    move = review.transition
    return {
        "campaign_id": review.campaign_id,
        "stage": review.stage.value,
        "profile": {k: str(v) for k, v in asdict(PROFILES[review.stage]).items()},
        "transition": transition(move, locale) if move else None,
        "actions": [_budget_action(c.decision, c.applied) for c in review.budget_changes]
        + [_bid_action(c.decision, c.applied) for c in review.bid_changes],
        "findings": [finding(key, values, locale) for key, values in review.findings],
    }


def _budget_action(d: BudgetDecision, applied: bool) -> JSON:
    return {
        "adset_id": d.adset_id,
        "action": d.action.value,
        "old_budget": float(d.old_budget),
        "new_budget": _float(d.new_budget),
        "reasons": both(d.reason_key, **d.reason_params),
        "applied": applied,
    }


def _bid_action(d: BidDecision, applied: bool) -> JSON:
    return {
        "adset_id": d.adset_id,
        "action": "raise_bid",
        "old_bid": float(d.old_bid),
        "new_bid": float(d.new_bid),
        "reasons": both(d.reason_key, **d.reason_params),
        "applied": applied,
    }


def transition(move: StageTransition, locale: str) -> JSON:
    """A stage switch with its reason in ``locale`` and both languages."""
    reasons = both(move.reason_key, **move.message_values())
    return {
        "campaign_id": move.campaign_id,
        "from_stage": move.from_stage.value,
        "to_stage": move.to_stage.value,
        "reason": reasons.get(locale, reasons["en"]),
        "reasons": reasons,
        "values": move.values,
    }


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)
