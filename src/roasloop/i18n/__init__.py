"""User-facing text in English and Simplified Chinese, by symbolic key.

Each key names an English msgid (marked with :func:`~roasloop.translations.N_`); its
translations live in the gettext catalogs (:mod:`roasloop.translations`). The zh-CN strings of
messages that come from the seeds are the seeds' own wording. Templates use ``{name}``
placeholders; a missing value renders as an empty string so a message never fails to render.
"""

from __future__ import annotations

from typing import Any

from roasloop.i18n.backtest import BACKTEST_MESSAGES
from roasloop.i18n.checks import CHECKS_MESSAGES
from roasloop.i18n.cli import CLI_MESSAGES
from roasloop.translations import LOCALES, N_, Catalog, render_text

__all__ = ["CATALOG", "LOCALES", "MESSAGES", "both", "render"]

MESSAGES: dict[str, str] = {
    # errors
    "INVALID_PARAMETER": N_("Invalid parameter '{field}': {detail}"),
    "AUTH_FAILED": N_("Authentication failed: {detail}"),
    "API_RATE_LIMIT": N_(
        "The platform's API rate limit was reached; retry in {retry_after_seconds} s"
    ),
    "NOT_FOUND": N_("Not found: {detail}"),
    "QUOTA_EXCEEDED": N_("Quota exceeded: {detail}"),
    "REQUEST_IN_PROGRESS": N_(
        "The same request is already in progress; retry in {retry_after_seconds} s"
    ),
    "SERVICE_UNAVAILABLE": N_("The platform service is unavailable: {detail}"),
    "AI_MODEL_TIMEOUT": N_("The AI model timed out"),
    "GENERATION_FAILED": N_("Copy generation failed"),
    "CREATIVE_NOT_FOUND": N_("Creative not found: {detail}"),
    "AD_ACCOUNT_NOT_BOUND": N_("No {platform} ad account is bound for this user"),
    "AD_ACCOUNT_TOKEN_EXPIRED": N_("The ad account authorization has expired; please re-authorize"),
    "INSUFFICIENT_BALANCE": N_("Insufficient ad account balance; please top up"),
    "CREATIVE_REJECTED": N_("The creative was rejected; please revise it"),
    "POLICY_VIOLATION": N_("Policy violation: {detail}"),
    "UNKNOWN_ERROR": N_("Internal error: {detail}"),
    # module API outcomes
    "campaign_created": N_("Campaign created"),
    "campaign_paused": N_("Campaign paused"),
    "campaign_started": N_("Campaign started"),
    "campaign_deleted": N_("Campaign deleted"),
    "status_live": N_("Live data"),
    "status_stale": N_(
        "The platform is unavailable; showing the last stored data ({age_seconds} s old)"
    ),
    "optimization_preview": N_("{count} optimization(s) proposed (dry run, nothing applied)"),
    "optimization_applied": N_("{count} optimization(s) applied"),
    "ab_test_created": N_("A/B test created"),
    "ab_insufficient_data": N_("Insufficient data, keep testing"),
    "ab_not_significant": N_(
        "The difference is not significant; keep testing or increase the sample"
    ),
    "ab_winner": N_("Winner: {creative_id} (p = {p_value})"),
    "ab_pause_worst": N_("Pause {creative_id} (worst performer)"),
    "ab_boost_winner": N_("Increase {creative_id} budget by 50%"),
    "rule_created": N_("Rule created"),
    "rules_checked": N_("{checked} rule(s) checked, {triggered} triggered"),
    "reports_synced": N_("{rows} report row(s) stored"),
    "creative_registered": N_("Creative registered"),
    "resume_done": N_("Open operations settled: {confirmed} confirmed, {failed} not applied"),
    "operations_listed": N_("{count} operation(s)"),
    "stages_configured": N_("Stage thresholds saved"),
    "stage_set": N_("Stage set to {stage}"),
    "stages_evaluated": N_("{checked} campaign(s) checked, {switched} stage switch(es)"),
    "stage_to_heating": N_(
        "Launch → heating: {impressions} impressions and a stable CTR (CV {ctr_cv})"
    ),
    "stage_to_hot": N_(
        "Heating → hot: ROAS {roas} at or above the target {target} on consecutive days"
    ),
    "stage_demoted": N_("{from} → {to}: ROAS {roas} below {floor} on consecutive days"),
    "stage_manual": N_("Stage set by hand: {from} → {to} ({note})"),
    "reason_stage_spread": N_("Launch stage: spread the budget evenly over the ad sets"),
    "reason_stage_raise_bid": N_(
        "Hot stage: spent {spend} of a {budget} budget, raise the bid by {pct}%"
    ),
    "reason_stage_scale": N_("Hot stage: spending the whole budget, raise the cap by {pct}%"),
    # budget policy reasons (seed 000 wording in zh-CN)
    "reason_roas_high": N_("ROAS {roas} is above 1.5 × target {target}: strong performance"),
    "reason_cpa_high": N_("CPA {cpa} is above 1.5 × target {target}: needs optimization"),
    "reason_no_conversions": N_("No conversions for {days} consecutive days"),
    "reason_rule": N_("Rule '{rule}': {metric} {operator} {value} (actual {actual})"),
    "reason_capped": N_("change capped at {cap}% per step"),
    # budget policies: tiered (seed 004 §15.2) and roasloop
    "reason_tiered_scale": N_("7-day ROAS {roas} is at least 1.5 × target {target}: budget × 1.3"),
    "reason_tiered_trim": N_(
        "7-day ROAS {roas} is between 0.7 × and 1 × target {target}: budget × 0.8"
    ),
    "reason_tiered_pause": N_("7-day ROAS {roas} is below 0.7 × target {target}: pause"),
    "reason_roasloop_increase": N_(
        "The added dollars should earn ROAS {mroas} (chance {chance}% of beating {target}, the "
        "marginal ROAS the budget must earn): +{pct}%"
    ),
    "reason_roasloop_decrease": N_(
        "The removed dollars earn ROAS {mroas} (only {chance}% chance of beating {target}, the "
        "marginal ROAS the budget must earn): −{pct}%"
    ),
    "reason_roasloop_pause_unprofitable": N_(
        "ROAS {roas} (90% interval {low}–{high}) over {days} matured days: only {chance}% "
        "chance of reaching break-even {target} even at the lowest budget"
    ),
    "reason_roasloop_pause_dry": N_(
        "{spend} spent since the last conversion, more than {multiple} × the break-even CPA "
        "{cpa} (a {chance}% chance if CPA were on target)"
    ),
    "finding_tracking_anomaly": N_(
        "Reported conversions on {day} are {ratio} × what the ad sets' own rates predict: a "
        "tracking problem is likely, so budgets are frozen until it clears"
    ),
    "finding_campaign_below_break_even": N_(
        "The campaign as a whole returns a ROAS of {roas} (90% interval {low}–{high}): only a "
        "{chance}% chance of reaching break-even {target}. roasloop pauses ad sets only on "
        "their own evidence and does not stop a campaign by itself; consider stopping it or "
        "changing its offer, audience or creatives"
    ),
    "finding_budget_change_limit": N_(
        "Ad set {adset_id}: the platform allows no more budget changes this hour; the change "
        "is held until {retry_at}"
    ),
    "finding_already_applied": N_(
        "Ad set {adset_id}: this decision was already applied on {day}; it is not applied "
        "twice in one day"
    ),
    # rule engine
    "rule_fired": N_("Rule '{rule}': {conditions}"),
    "reason_tier_up": N_("ROAS {roas} ≥ 1.5 × target {target}: budget × 1.3"),
    "reason_tier_keep": N_("ROAS {roas} ≥ target {target}: budget unchanged"),
    "reason_tier_down": N_("ROAS {roas} ≥ 0.7 × target {target}: budget × 0.8"),
    "reason_tier_pause": N_("ROAS {roas} is below 0.7 × target {target}: pause"),
    "rule_do_pause": N_("pause"),
    "rule_do_unpause": N_("start"),
    "rule_do_budget": N_("budget {old} → {new}"),
    "rule_do_bid": N_("bid {old} → {new}"),
    "rule_do_notify": N_("notify"),
    "rule_do_keep": N_("keep as is"),
    "rule_outcome_done": N_("done"),
    "rule_outcome_preview": N_("would be applied"),
    "rule_outcome_notified": N_("notified"),
    "rule_outcome_failed": N_("failed ({code})"),
    "rule_outcome_keep": N_("no change needed"),
    "rule_outcome_no_change": N_("no change: the budget is already at its limit"),
    "rule_outcome_overridden": N_(
        "overridden by rule {by} (pause beats budget changes; the lowest budget wins)"
    ),
    "rule_outcome_skipped_learning": N_("skipped: in the learning phase"),
    "rule_outcome_skipped_cooldown": N_(
        "skipped: this rule acted on it less than {minutes} min ago"
    ),
    "rule_outcome_skipped_object_daily_limit": N_(
        "skipped: daily execution limit for this object reached"
    ),
    "rule_outcome_skipped_object_limit": N_(
        "skipped: execution count limit for this object reached"
    ),
    "rule_outcome_skipped_rule_daily_limit": N_(
        "skipped: the rule's daily execution limit is reached"
    ),
    "rule_outcome_skipped_account_cap": N_("skipped: the account's daily spend cap is reached"),
    "rule_outcome_skipped_no_budget": N_("skipped: the object has no budget of its own"),
    "rule_outcome_held_platform_limit": N_(
        "held: the platform allows no more budget changes this hour (until {retry_at})"
    ),
    "rule_outcome_skipped_no_bid": N_(
        "skipped: the ad set bids without a money bid (lowest cost or value bidding)"
    ),
    "rule_outcome_skipped_no_sibling": N_("skipped: no paused ad in the ad set to rotate to"),
    "rule_outcome_skipped_no_recipient": N_(
        "skipped: no other active ad set in the campaign to take the budget"
    ),
    "rule_outcome_skipped_no_data": N_("skipped: no data for the target metric"),
    "rule_preview": N_("{matched} object(s) matched, {changes} change(s) would be made (dry run)"),
    "rule_executed": N_("{matched} object(s) matched, {applied} change(s) applied"),
    "rule_enabled": N_("Rule enabled"),
    "rule_disabled": N_("Rule disabled"),
    "rule_history": N_("{count} execution(s)"),
    "rules_listed": N_("{count} rule(s)"),
    "rule_undo": N_("Undo of rule execution {execution_id}"),
    "rule_undone": N_("Change undone: {object_id} is back to {before}"),
    "rule_webhook": N_("Rule '{rule}' notified {url} about {count} object(s)"),
    **BACKTEST_MESSAGES,
    **CHECKS_MESSAGES,
    **CLI_MESSAGES,
}

#: Every message read as ``{key: {locale: template}}``.
CATALOG = Catalog(MESSAGES)


def render(key: str, locale: str, **params: Any) -> str:
    """The message ``key`` in ``locale`` (falls back to English, then to the key)."""
    msgid = MESSAGES.get(key)
    if msgid is None:
        return key
    return render_text(msgid, locale, **params)


def both(key: str, **params: Any) -> dict[str, str]:
    """The message in every locale, for responses that carry both."""
    return {locale: render(key, locale, **params) for locale in LOCALES}
