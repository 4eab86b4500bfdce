"""User-facing text of the ``roasloop`` command, the demo and its report (merged into
:data:`roasloop.i18n.CATALOG`)."""

from __future__ import annotations

CLI_CATALOG: dict[str, dict[str, str]] = {
    # demo and report labels
    "demo_title": {
        "en": "roasloop demo: a {days}-day product launch on the TikTok sandbox",
        "zh-CN": "roasloop 演示：在 TikTok 沙盒中 {days} 天打品",
    },
    "demo_page_title": {"en": "roasloop demo report", "zh-CN": "roasloop 演示报告"},
    "demo_mode": {"en": "sandbox", "zh-CN": "沙盒"},
    "demo_run": {
        "en": "simulated market no. {number} · {days} days",
        "zh-CN": "模拟市场编号 {number} · {days} 天",
    },
    "demo_progress": {"en": "Simulating day", "zh-CN": "模拟天数"},
    "demo_campaign_launch": {"en": "Posture corrector launch", "zh-CN": "体态矫正带上新推广"},
    "demo_campaign_creative_test": {
        "en": "Posture corrector creative test",
        "zh-CN": "体态矫正带素材测试",
    },
    "demo_campaigns": {"en": "Campaigns", "zh-CN": "广告系列"},
    "demo_kind_launch": {
        "en": "Launch (budgets managed by roasloop)",
        "zh-CN": "上新推广（预算由 roasloop 管理）",
    },
    "demo_kind_creative_test": {"en": "Creative A/B test", "zh-CN": "素材 A/B 测试"},
    "demo_adsets": {"en": "Ad sets", "zh-CN": "广告组"},
    "demo_actions": {"en": "Actions taken and why", "zh-CN": "执行的操作与原因"},
    "demo_ab": {"en": "Creative A/B test", "zh-CN": "素材 A/B 测试"},
    "demo_chart": {"en": "Daily spend and ROAS", "zh-CN": "每日消耗与 ROAS"},
    "demo_report_written": {"en": "Report written to {path}", "zh-CN": "报告已生成：{path}"},
    "demo_totals": {
        "en": "Total of every campaign ({currency}): spend {spend}, revenue {revenue}, "
        "ROAS {roas}, CPA {cpa}",
        "zh-CN": "全部广告系列合计（{currency}）：消耗 {spend}，收入 {revenue}，"
        "ROAS {roas}，CPA {cpa}",
    },
    "demo_no_actions": {"en": "No budget changes were needed", "zh-CN": "无需调整预算"},
    "demo_status_active": {"en": "active", "zh-CN": "投放中"},
    "demo_status_paused": {"en": "paused", "zh-CN": "已暂停"},
    "demo_status_deleted": {"en": "deleted", "zh-CN": "已删除"},
    "demo_action_increase_budget": {"en": "raise budget", "zh-CN": "提高预算"},
    "demo_action_decrease_budget": {"en": "lower budget", "zh-CN": "降低预算"},
    "demo_action_pause": {"en": "pause", "zh-CN": "暂停"},
    # the chart
    "chart_axis_spend": {"en": "Spend ({currency})", "zh-CN": "消耗（{currency}）"},
    "chart_axis_roas": {"en": "ROAS", "zh-CN": "ROAS"},
    "chart_axis_date": {"en": "Date", "zh-CN": "日期"},
    "chart_target": {"en": "Target ROAS {roas}", "zh-CN": "目标 ROAS {roas}"},
    "chart_roas_line": {"en": "ROAS of every campaign", "zh-CN": "全部广告系列 ROAS"},
    "chart_immature": {"en": "Conversions still arriving", "zh-CN": "转化仍在回传"},
    "chart_note": {
        "en": "The platform reports a day's conversions over about a week. Days with less "
        "than {share}% of them reported so far are hatched and left off the ROAS line: "
        "their ROAS is not final. Hover over a bar or a point for its figures.",
        "zh-CN": "平台会在约一周内陆续回传某一天的转化。目前回传不足 {share}% 的日期以斜线标出，"
        "不计入 ROAS 折线，因为其 ROAS 尚未定型。将鼠标悬停在柱形或数据点上可查看数值。",
    },
    "chart_day": {
        "en": "{day}: spend {spend} {currency} ({parts})",
        "zh-CN": "{day}：消耗 {spend} {currency}（{parts}）",
    },
    "chart_point": {
        "en": "{day}: ROAS {roas} (revenue {revenue} {currency}, spend {spend} {currency})",
        "zh-CN": "{day}：ROAS {roas}（收入 {revenue} {currency}，消耗 {spend} {currency}）",
    },
    "chart_so_far": {
        "en": "ROAS so far {roas}, with about {share}% of this day's conversions reported",
        "zh-CN": "目前 ROAS 为 {roas}，该日转化约已回传 {share}%",
    },
    # the creative test
    "ab_setup": {
        "en": "Primary metric: {metric}. Method: {method}. Looked at every morning.",
        "zh-CN": "决策指标：{metric}。方法：{method}。每天早上查看一次。",
    },
    "ab_verdict": {"en": "Verdict: {verdict}. {message}", "zh-CN": "结论：{verdict}。{message}"},
    "ab_decided": {
        "en": "The verdict came on day {day} of the test ({date}).",
        "zh-CN": "测试第 {day} 天（{date}）得出结论。",
    },
    "ab_undecided": {
        "en": "No verdict after {days} daily looks.",
        "zh-CN": "每日查看 {days} 次后仍未得出结论。",
    },
    "ab_needed": {
        "en": "To tell apart a {mde}% difference with {power}% power it needs about "
        "{required} {unit} per variant; it has {current}.",
        "zh-CN": "要以 {power}% 的检验效能识别 {mde}% 的差异，每个变体约需 {required} {unit}，"
        "目前为 {current}。",
    },
    "ab_unit_clusters": {"en": "days of delivery", "zh-CN": "天的投放数据"},
    "ab_unit_clicks": {"en": "clicks", "zh-CN": "次点击"},
    "ab_unit_impressions": {"en": "impressions", "zh-CN": "次展示"},
    "ab_recommendation": {"en": "Recommendation: {text}", "zh-CN": "建议：{text}"},
    "ab_methods": {"en": "What each method says", "zh-CN": "各方法的结论"},
    "ab_by_day": {
        "en": "Day by day: conversions so far and the verdict",
        "zh-CN": "逐日结果：累计转化与结论",
    },
    "ab_control": {"en": "{variant} (control)", "zh-CN": "{variant}（对照组）"},
    "ab_verdict_winner": {"en": "winner found", "zh-CN": "已决出胜者"},
    "ab_verdict_no_difference": {"en": "no meaningful difference", "zh-CN": "无实质差异"},
    "ab_verdict_keep_testing": {"en": "keep testing", "zh-CN": "继续测试"},
    "ab_method_sequential": {
        "en": "sequential (valid at every look; the default)",
        "zh-CN": "序贯检验（可随时查看；默认方法）",
    },
    "ab_method_chi_square": {
        "en": "chi-square (one look at a fixed sample)",
        "zh-CN": "卡方检验（固定样本量，只看一次）",
    },
    "ab_method_bayesian": {"en": "Bayesian", "zh-CN": "贝叶斯方法"},
    "ab_metric_cpa": {"en": "cost per result (CPA)", "zh-CN": "单次转化成本（CPA）"},
    "ab_metric_roas": {"en": "ROAS", "zh-CN": "ROAS"},
    "ab_metric_cvr": {"en": "conversion rate (CVR)", "zh-CN": "转化率（CVR）"},
    "ab_metric_ctr": {"en": "click-through rate (CTR)", "zh-CN": "点击率（CTR）"},
    "ab_metric_conversions_per_impression": {
        "en": "conversions per impression",
        "zh-CN": "展示转化率",
    },
    "col_campaign": {"en": "Campaign", "zh-CN": "广告系列"},
    "col_kind": {"en": "Kind", "zh-CN": "类型"},
    "col_total": {"en": "Total", "zh-CN": "合计"},
    "col_adset": {"en": "Ad set", "zh-CN": "广告组"},
    "col_status": {"en": "Status", "zh-CN": "状态"},
    "col_budget": {"en": "Daily budget", "zh-CN": "日预算"},
    "col_spend": {"en": "Spend", "zh-CN": "消耗"},
    "col_revenue": {"en": "Revenue", "zh-CN": "收入"},
    "col_roas": {"en": "ROAS", "zh-CN": "ROAS"},
    "col_cpa": {"en": "CPA", "zh-CN": "CPA"},
    "col_conversions": {"en": "Conversions", "zh-CN": "转化"},
    "col_day": {"en": "Day", "zh-CN": "日期"},
    "col_test_day": {"en": "Day of test", "zh-CN": "测试天数"},
    "col_action": {"en": "Action", "zh-CN": "操作"},
    "col_change": {"en": "Change", "zh-CN": "变化"},
    "col_reason": {"en": "Reason", "zh-CN": "原因"},
    "col_variant": {"en": "Variant", "zh-CN": "变体"},
    "col_verdict": {"en": "Verdict", "zh-CN": "结论"},
    "col_method": {"en": "Method", "zh-CN": "方法"},
    "col_message": {"en": "What it says", "zh-CN": "说明"},
    "col_interval": {
        "en": "{name} ({level}% interval)",
        "zh-CN": "{name}（{level}% 区间）",
    },
    "col_interval_money": {
        "en": "{name} in {currency} ({level}% interval)",
        "zh-CN": "{name}（{currency}，{level}% 区间）",
    },
    "col_as_of": {"en": "Data up to", "zh-CN": "数据截至"},
    "col_money": {"en": "{name} ({currency})", "zh-CN": "{name}（{currency}）"},
    "col_metric_vs_control": {
        "en": "{metric} vs control",
        "zh-CN": "{metric} 相对对照组",
    },
    # roasloop execute and settings
    "cli_config_error": {"en": "Configuration error: {detail}", "zh-CN": "配置错误：{detail}"},
    "cli_config_fields": {
        "en": "Configuration error in: {fields}",
        "zh-CN": "以下配置有误：{fields}",
    },
    "cli_params_not_json": {
        "en": "--params must be a JSON object, e.g. '{example}'",
        "zh-CN": "--params 必须是 JSON 对象，例如 '{example}'",
    },
    "cli_no_user": {
        "en": "No tenant given: pass --user <id> or set ROASLOOP_DEFAULT_USER",
        "zh-CN": "未指定租户：请传入 --user <id>，或设置 ROASLOOP_DEFAULT_USER",
    },
    "cli_default_user": {
        "en": "Acting for tenant '{user}' (ROASLOOP_DEFAULT_USER)",
        "zh-CN": "当前租户：'{user}'（来自 ROASLOOP_DEFAULT_USER）",
    },
    # roasloop sandbox serve
    "sandbox_serving": {
        "en": "roasloop sandbox listening on {url}",
        "zh-CN": "roasloop 沙盒已启动：{url}",
    },
    "sandbox_api_url": {"en": "  {api}: {url}", "zh-CN": "  {api}：{url}"},
    "sandbox_google_token": {
        "en": "    OAuth token endpoint: {url}",
        "zh-CN": "    OAuth 令牌端点：{url}",
    },
    "sandbox_google_developer": {
        "en": "    developer-token header: {token}",
        "zh-CN": "    developer-token 请求头：{token}",
    },
    "sandbox_credentials": {
        "en": (
            "App credentials on every platform: app id {app_id}, secret {secret}; "
            "any authorization code works and gets its own sandbox ad account"
        ),
        "zh-CN": (
            "各平台通用的应用凭证：app id {app_id}，secret {secret}；"
            "任意授权码均可使用，每个授权码对应一个独立的沙盒广告账户"
        ),
    },
    "sandbox_clock_routes": {
        "en": "Simulated clock: GET {clock}",
        "zh-CN": "模拟时钟：GET {clock}",
    },
    "sandbox_advance_route": {
        "en": "Move it ahead (the days' delivery and reports follow): POST {advance} {body}",
        "zh-CN": "将时钟向前拨（投放与报表随之生成）：POST {advance} {body}",
    },
    "sandbox_use_with_roasloop": {
        "en": "roasloop uses it with ROASLOOP_SANDBOX_URL={url} (guide: docs/sandbox.md)",
        "zh-CN": "roasloop 设置 ROASLOOP_SANDBOX_URL={url} 即可使用（说明：docs/sandbox.md）",
    },
    # roasloop sandbox advance
    "sandbox_advanced": {
        "en": "Sandbox date is now {today} (simulated time {now})",
        "zh-CN": "沙盒日期现为 {today}（模拟时间 {now}）",
    },
    "sandbox_advance_live": {
        "en": (
            "roasloop sandbox advance works only in sandbox mode: ROASLOOP_PLATFORM_MODE is "
            "live, and a real platform's clock cannot be moved"
        ),
        "zh-CN": (
            "roasloop sandbox advance 仅适用于沙盒模式：当前 ROASLOOP_PLATFORM_MODE 为 live，"
            "真实平台的时钟无法拨动"
        ),
    },
    "sandbox_advance_failed": {
        "en": "The sandbox at {url} did not move its clock: {detail}",
        "zh-CN": "{url} 上的沙盒未能拨动时钟：{detail}",
    },
}
