"""User-facing text in English and Simplified Chinese.

The zh-CN strings of messages that come from the seeds are the seeds' own wording.
Templates use ``{name}`` placeholders; a missing value renders as an empty string so a
message never fails to render.
"""

from __future__ import annotations

from typing import Any

from roasloop.i18n_backtest import BACKTEST_CATALOG
from roasloop.i18n_checks import CHECKS_CATALOG
from roasloop.i18n_cli import CLI_CATALOG

LOCALES = ("en", "zh-CN")

CATALOG: dict[str, dict[str, str]] = {
    # errors
    "INVALID_PARAMETER": {
        "en": "Invalid parameter '{field}': {detail}",
        "zh-CN": "参数无效 '{field}'：{detail}",
    },
    "AUTH_FAILED": {"en": "Authentication failed: {detail}", "zh-CN": "认证失败：{detail}"},
    "API_RATE_LIMIT": {
        "en": "The platform's API rate limit was reached; retry in {retry_after_seconds} s",
        "zh-CN": "已达到平台 API 限额，建议 {retry_after_seconds} 秒后重试",
    },
    "NOT_FOUND": {"en": "Not found: {detail}", "zh-CN": "未找到：{detail}"},
    "QUOTA_EXCEEDED": {"en": "Quota exceeded: {detail}", "zh-CN": "配额超限：{detail}"},
    "REQUEST_IN_PROGRESS": {
        "en": "The same request is already in progress; retry in {retry_after_seconds} s",
        "zh-CN": "相同的请求正在处理中，请 {retry_after_seconds} 秒后重试",
    },
    "SERVICE_UNAVAILABLE": {
        "en": "The platform service is unavailable: {detail}",
        "zh-CN": "平台服务不可用：{detail}",
    },
    "AI_MODEL_TIMEOUT": {"en": "The AI model timed out", "zh-CN": "AI 模型超时"},
    "GENERATION_FAILED": {"en": "Copy generation failed", "zh-CN": "文案生成失败"},
    "CREATIVE_NOT_FOUND": {"en": "Creative not found: {detail}", "zh-CN": "素材不存在：{detail}"},
    "AD_ACCOUNT_NOT_BOUND": {
        "en": "No {platform} ad account is bound for this user",
        "zh-CN": "广告账户未绑定（{platform}）",
    },
    "AD_ACCOUNT_TOKEN_EXPIRED": {
        "en": "The ad account authorization has expired; please re-authorize",
        "zh-CN": "广告账户授权已过期，请重新授权",
    },
    "INSUFFICIENT_BALANCE": {
        "en": "Insufficient ad account balance; please top up",
        "zh-CN": "广告账户余额不足，请充值",
    },
    "CREATIVE_REJECTED": {
        "en": "The creative was rejected; please revise it",
        "zh-CN": "素材被拒，请修改素材",
    },
    "POLICY_VIOLATION": {"en": "Policy violation: {detail}", "zh-CN": "政策违规：{detail}"},
    "UNKNOWN_ERROR": {"en": "Internal error: {detail}", "zh-CN": "内部错误：{detail}"},
    # module API outcomes
    "campaign_created": {"en": "Campaign created", "zh-CN": "广告系列创建成功"},
    "campaign_paused": {"en": "Campaign paused", "zh-CN": "广告系列已暂停"},
    "campaign_started": {"en": "Campaign started", "zh-CN": "广告系列已启动"},
    "campaign_deleted": {"en": "Campaign deleted", "zh-CN": "广告系列已删除"},
    "status_live": {"en": "Live data", "zh-CN": "实时数据"},
    "status_stale": {
        "en": "The platform is unavailable; showing the last stored data ({age_seconds} s old)",
        "zh-CN": "平台暂不可用，返回最近一次缓存的数据（{age_seconds} 秒前）",
    },
    "optimization_preview": {
        "en": "{count} optimization(s) proposed (dry run, nothing applied)",
        "zh-CN": "建议 {count} 项优化（试运行，未执行）",
    },
    "optimization_applied": {
        "en": "{count} optimization(s) applied",
        "zh-CN": "已执行 {count} 项优化",
    },
    "ab_test_created": {"en": "A/B test created", "zh-CN": "A/B 测试创建成功"},
    "ab_insufficient_data": {
        "en": "Insufficient data, keep testing",
        "zh-CN": "数据不足，建议继续测试",
    },
    "ab_not_significant": {
        "en": "The difference is not significant; keep testing or increase the sample",
        "zh-CN": "差异不显著，建议继续测试或增加样本量",
    },
    "ab_winner": {
        "en": "Winner: {creative_id} (p = {p_value})",
        "zh-CN": "获胜素材：{creative_id}（p = {p_value}）",
    },
    "ab_pause_worst": {
        "en": "Pause {creative_id} (worst performer)",
        "zh-CN": "暂停 {creative_id}（表现最差）",
    },
    "ab_boost_winner": {
        "en": "Increase {creative_id} budget by 50%",
        "zh-CN": "增加 {creative_id} 预算 50%",
    },
    "rule_created": {"en": "Rule created", "zh-CN": "规则创建成功"},
    "rules_checked": {
        "en": "{checked} rule(s) checked, {triggered} triggered",
        "zh-CN": "已检查 {checked} 条规则，触发 {triggered} 条",
    },
    "reports_synced": {
        "en": "{rows} report row(s) stored",
        "zh-CN": "已保存 {rows} 条报表数据",
    },
    "creative_registered": {"en": "Creative registered", "zh-CN": "素材已登记"},
    "resume_done": {
        "en": "Open operations settled: {confirmed} confirmed, {failed} not applied",
        "zh-CN": "未完成操作已核对：{confirmed} 项已生效，{failed} 项未执行",
    },
    "operations_listed": {"en": "{count} operation(s)", "zh-CN": "共 {count} 条操作记录"},
    "stages_configured": {"en": "Stage thresholds saved", "zh-CN": "阶段阈值已保存"},
    "stage_set": {"en": "Stage set to {stage}", "zh-CN": "阶段已设为 {stage}"},
    "stages_evaluated": {
        "en": "{checked} campaign(s) checked, {switched} stage switch(es)",
        "zh-CN": "已检查 {checked} 个广告系列，{switched} 个切换阶段",
    },
    "stage_to_heating": {
        "en": "Launch → heating: {impressions} impressions and a stable CTR (CV {ctr_cv})",
        "zh-CN": "打品初期 → 热度提升期：累计曝光 {impressions}，点击率稳定（变异系数 {ctr_cv}）",
    },
    "stage_to_hot": {
        "en": "Heating → hot: ROAS {roas} at or above the target {target} on consecutive days",
        "zh-CN": "热度提升期 → 爆品期：ROAS 连续多天 {roas} ≥ 目标值 {target}",
    },
    "stage_demoted": {
        "en": "{from} → {to}: ROAS {roas} below {floor} on consecutive days",
        "zh-CN": "{from} → {to}：ROAS 连续多天 {roas} 低于 {floor}",
    },
    "stage_manual": {
        "en": "Stage set by hand: {from} → {to} ({note})",
        "zh-CN": "人工设定阶段：{from} → {to}（{note}）",
    },
    "reason_stage_spread": {
        "en": "Launch stage: spread the budget evenly over the ad sets",
        "zh-CN": "打品初期：预算平均分配到各广告组",
    },
    "reason_stage_raise_bid": {
        "en": "Hot stage: spent {spend} of a {budget} budget, raise the bid by {pct}%",
        "zh-CN": "爆品期：日消耗 {spend} 未达预算 {budget}，出价上调 {pct}%",
    },
    "reason_stage_scale": {
        "en": "Hot stage: spending the whole budget, raise the cap by {pct}%",
        "zh-CN": "爆品期：日消耗已达预算上限，预算上调 {pct}%",
    },
    # budget policy reasons (seed 000 wording in zh-CN)
    "reason_roas_high": {
        "en": "ROAS {roas} is above 1.5 × target {target}: strong performance",
        "zh-CN": "ROAS {roas} 超过目标 {target}，表现优秀",
    },
    "reason_cpa_high": {
        "en": "CPA {cpa} is above 1.5 × target {target}: needs optimization",
        "zh-CN": "CPA {cpa} 超过目标 {target}，需要优化",
    },
    "reason_no_conversions": {
        "en": "No conversions for {days} consecutive days",
        "zh-CN": "连续 {days} 天无转化",
    },
    "reason_rule": {
        "en": "Rule '{rule}': {metric} {operator} {value} (actual {actual})",
        "zh-CN": "规则「{rule}」：{metric} {operator} {value}（实际 {actual}）",
    },
    "reason_capped": {
        "en": "change capped at {cap}% per step",
        "zh-CN": "单次调整上限 {cap}%",
    },
    # budget policies: seed-tiered (seed 004 §15.2) and roasloop
    "reason_tiered_scale": {
        "en": "7-day ROAS {roas} is at least 1.5 × target {target}: budget × 1.3",
        "zh-CN": "7 日 ROAS {roas} 达到目标 {target} 的 1.5 倍：预算 × 1.3",
    },
    "reason_tiered_trim": {
        "en": "7-day ROAS {roas} is between 0.7 × and 1 × target {target}: budget × 0.8",
        "zh-CN": "7 日 ROAS {roas} 介于目标 {target} 的 0.7 倍与 1 倍之间：预算 × 0.8",
    },
    "reason_tiered_pause": {
        "en": "7-day ROAS {roas} is below 0.7 × target {target}: pause",
        "zh-CN": "7 日 ROAS {roas} 低于目标 {target} 的 0.7 倍：暂停",
    },
    "reason_roasloop_increase": {
        "en": (
            "The added dollars should earn ROAS {mroas} (chance {chance}% of beating {target}, "
            "the marginal ROAS the budget must earn): +{pct}%"
        ),
        "zh-CN": (
            "新增预算的预计 ROAS 为 {mroas}（超过边际门槛 {target} 的概率 {chance}%）：+{pct}%"
        ),
    },
    "reason_roasloop_decrease": {
        "en": (
            "The removed dollars earn ROAS {mroas} (only {chance}% chance of beating {target}, "
            "the marginal ROAS the budget must earn): −{pct}%"
        ),
        "zh-CN": (
            "削减部分的预计 ROAS 为 {mroas}（超过边际门槛 {target} 的概率仅 {chance}%）：−{pct}%"
        ),
    },
    "reason_roasloop_pause_unprofitable": {
        "en": (
            "ROAS {roas} (90% interval {low}–{high}) over {days} matured days: only {chance}% "
            "chance of reaching break-even {target} even at the lowest budget"
        ),
        "zh-CN": (
            "{days} 个已成熟日的 ROAS 为 {roas}（90% 区间 {low}–{high}），即使降到最低预算，"
            "达到盈亏平衡 {target} 的概率也仅 {chance}%"
        ),
    },
    "reason_roasloop_pause_dry": {
        "en": (
            "{spend} spent since the last conversion, more than {multiple} × the break-even CPA "
            "{cpa} (a {chance}% chance if CPA were on target)"
        ),
        "zh-CN": (
            "自上次转化以来已消耗 {spend}，超过盈亏平衡 CPA {cpa} 的 {multiple} 倍"
            "（若 CPA 达标，此概率仅 {chance}%）"
        ),
    },
    "finding_tracking_anomaly": {
        "en": (
            "Reported conversions on {day} are {ratio} × what the ad sets' own rates predict: "
            "a tracking problem is likely, so budgets are frozen until it clears"
        ),
        "zh-CN": (
            "{day} 的回传转化仅为各广告组自身转化率预测值的 {ratio} 倍，疑似追踪异常，预算暂时冻结"
        ),
    },
    "finding_campaign_below_break_even": {
        "en": (
            "The campaign as a whole returns a ROAS of {roas} (90% interval {low}–{high}): "
            "only a {chance}% chance of reaching break-even {target}. roasloop pauses ad sets "
            "only on their own evidence and does not stop a campaign by itself; consider "
            "stopping it or changing its offer, audience or creatives"
        ),
        "zh-CN": (
            "该广告系列整体 ROAS 为 {roas}（90% 区间 {low}–{high}），达到盈亏平衡 {target} "
            "的概率仅 {chance}%。roasloop 只依据各广告组自身的数据暂停广告组，"
            "不会自行停止整个系列；建议停止该系列，或调整商品、受众或素材"
        ),
    },
    "finding_budget_change_limit": {
        "en": (
            "Ad set {adset_id}: the platform allows no more budget changes this hour; "
            "the change is held until {retry_at}"
        ),
        "zh-CN": "广告组 {adset_id}：平台本小时内不再接受预算修改，该调整将顺延至 {retry_at}",
    },
    "finding_already_applied": {
        "en": (
            "Ad set {adset_id}: this decision was already applied on {day}; "
            "it is not applied twice in one day"
        ),
        "zh-CN": "广告组 {adset_id}：该决策已于 {day} 执行，同一天内不会重复执行",
    },
    # rule engine
    "rule_fired": {"en": "Rule '{rule}': {conditions}", "zh-CN": "规则「{rule}」：{conditions}"},
    "reason_tier_up": {
        "en": "ROAS {roas} ≥ 1.5 × target {target}: budget × 1.3",
        "zh-CN": "ROAS {roas} ≥ 目标 {target} × 1.5：预算 × 1.3（上调 30%）",
    },
    "reason_tier_keep": {
        "en": "ROAS {roas} ≥ target {target}: budget unchanged",
        "zh-CN": "ROAS {roas} ≥ 目标 {target}：预算不变",
    },
    "reason_tier_down": {
        "en": "ROAS {roas} ≥ 0.7 × target {target}: budget × 0.8",
        "zh-CN": "ROAS {roas} ≥ 目标 {target} × 0.7：预算 × 0.8（下调 20%）",
    },
    "reason_tier_pause": {
        "en": "ROAS {roas} is below 0.7 × target {target}: pause",
        "zh-CN": "ROAS {roas} 低于目标 {target} × 0.7：暂停广告",
    },
    "rule_do_pause": {"en": "pause", "zh-CN": "暂停"},
    "rule_do_unpause": {"en": "start", "zh-CN": "启动"},
    "rule_do_budget": {"en": "budget {old} → {new}", "zh-CN": "预算 {old} → {new}"},
    "rule_do_bid": {"en": "bid {old} → {new}", "zh-CN": "出价 {old} → {new}"},
    "rule_do_notify": {"en": "notify", "zh-CN": "发送通知"},
    "rule_do_keep": {"en": "keep as is", "zh-CN": "保持不变"},
    "rule_outcome_done": {"en": "done", "zh-CN": "已执行"},
    "rule_outcome_preview": {"en": "would be applied", "zh-CN": "将执行（试运行）"},
    "rule_outcome_notified": {"en": "notified", "zh-CN": "已通知"},
    "rule_outcome_failed": {"en": "failed ({code})", "zh-CN": "执行失败（{code}）"},
    "rule_outcome_keep": {"en": "no change needed", "zh-CN": "无需调整"},
    "rule_outcome_no_change": {
        "en": "no change: the budget is already at its limit",
        "zh-CN": "未变更：预算已达限制",
    },
    "rule_outcome_overridden": {
        "en": "overridden by rule {by} (pause beats budget changes; the lowest budget wins)",
        "zh-CN": "被规则 {by} 覆盖（暂停优先于预算调整；预算取最低者）",
    },
    "rule_outcome_skipped_learning": {
        "en": "skipped: in the learning phase",
        "zh-CN": "已跳过：处于学习期",
    },
    "rule_outcome_skipped_cooldown": {
        "en": "skipped: this rule acted on it less than {minutes} min ago",
        "zh-CN": "已跳过：冷却期内（{minutes} 分钟内已执行过）",
    },
    "rule_outcome_skipped_object_daily_limit": {
        "en": "skipped: daily execution limit for this object reached",
        "zh-CN": "已跳过：该对象 24 小时内执行次数已达上限",
    },
    "rule_outcome_skipped_object_limit": {
        "en": "skipped: execution count limit for this object reached",
        "zh-CN": "已跳过：该对象执行次数已达上限",
    },
    "rule_outcome_skipped_rule_daily_limit": {
        "en": "skipped: the rule's daily execution limit is reached",
        "zh-CN": "已跳过：规则 24 小时内执行次数已达上限",
    },
    "rule_outcome_skipped_account_cap": {
        "en": "skipped: the account's daily spend cap is reached",
        "zh-CN": "已跳过：已达账户每日消耗上限",
    },
    "rule_outcome_skipped_no_budget": {
        "en": "skipped: the object has no budget of its own",
        "zh-CN": "已跳过：该对象没有独立预算",
    },
    "rule_outcome_held_platform_limit": {
        "en": "held: the platform allows no more budget changes this hour (until {retry_at})",
        "zh-CN": "已顺延：平台本小时内不再接受预算修改（至 {retry_at}）",
    },
    "rule_outcome_skipped_no_bid": {
        "en": "skipped: the ad set bids without a money bid (lowest cost or value bidding)",
        "zh-CN": "已跳过：该广告组未设置出价（最低成本或价值出价）",
    },
    "rule_outcome_skipped_no_sibling": {
        "en": "skipped: no paused ad in the ad set to rotate to",
        "zh-CN": "已跳过：广告组中没有可轮换的暂停广告",
    },
    "rule_outcome_skipped_no_recipient": {
        "en": "skipped: no other active ad set in the campaign to take the budget",
        "zh-CN": "已跳过：广告系列中没有可接收预算的其他广告组",
    },
    "rule_outcome_skipped_no_data": {
        "en": "skipped: no data for the target metric",
        "zh-CN": "已跳过：目标指标无数据",
    },
    "rule_preview": {
        "en": "{matched} object(s) matched, {changes} change(s) would be made (dry run)",
        "zh-CN": "匹配 {matched} 个对象，将执行 {changes} 项变更（试运行，未执行）",
    },
    "rule_executed": {
        "en": "{matched} object(s) matched, {applied} change(s) applied",
        "zh-CN": "匹配 {matched} 个对象，已执行 {applied} 项变更",
    },
    "rule_enabled": {"en": "Rule enabled", "zh-CN": "规则已启用"},
    "rule_disabled": {"en": "Rule disabled", "zh-CN": "规则已停用"},
    "rule_history": {"en": "{count} execution(s)", "zh-CN": "共 {count} 条执行记录"},
    "rules_listed": {"en": "{count} rule(s)", "zh-CN": "共 {count} 条规则"},
    "rule_undo": {
        "en": "Undo of rule execution {execution_id}",
        "zh-CN": "撤销规则执行 {execution_id}",
    },
    "rule_undone": {
        "en": "Change undone: {object_id} is back to {before}",
        "zh-CN": "已撤销变更：{object_id} 已恢复为 {before}",
    },
    "rule_webhook": {
        "en": "Rule '{rule}' notified {url} about {count} object(s)",
        "zh-CN": "规则「{rule}」已通知 {url}（{count} 个对象）",
    },
}

CATALOG.update(BACKTEST_CATALOG)
CATALOG.update(CHECKS_CATALOG)
CATALOG.update(CLI_CATALOG)


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return ""


def render(key: str, locale: str, **params: Any) -> str:
    """The message ``key`` in ``locale`` (falls back to English, then to the key)."""
    entry = CATALOG.get(key)
    if entry is None:
        return key
    template = entry.get(locale) or entry["en"]
    return template.format_map(_Blank(params))


def both(key: str, **params: Any) -> dict[str, str]:
    """The message in every locale, for responses that carry both."""
    return {locale: render(key, locale, **params) for locale in LOCALES}
