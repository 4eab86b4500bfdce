"""User-facing text of the ``roasloop`` command, the demo and its report (merged into
:data:`roasloop.i18n.CATALOG`)."""

from __future__ import annotations

CLI_CATALOG: dict[str, dict[str, str]] = {
    # demo and report labels
    "demo_title": {
        "en": "roasloop demo: a 30-day product launch on the TikTok sandbox",
        "zh-CN": "roasloop 演示：在 TikTok 沙盒中 30 天打品",
    },
    "demo_run": {
        "en": "simulated market no. {number} · {days} days",
        "zh-CN": "模拟市场编号 {number} · {days} 天",
    },
    "demo_progress": {"en": "Simulating day", "zh-CN": "模拟天数"},
    "demo_adsets": {"en": "Ad sets", "zh-CN": "广告组"},
    "demo_actions": {"en": "Actions taken and why", "zh-CN": "执行的操作与原因"},
    "demo_ab": {"en": "Creative A/B test", "zh-CN": "素材 A/B 测试"},
    "demo_chart": {"en": "Daily spend and ROAS", "zh-CN": "每日消耗与 ROAS"},
    "demo_report_written": {"en": "Report written to {path}", "zh-CN": "报告已生成：{path}"},
    "demo_totals": {
        "en": "Total: spend {spend}, revenue {revenue}, ROAS {roas}, CPA {cpa}",
        "zh-CN": "合计：消耗 {spend}，收入 {revenue}，ROAS {roas}，CPA {cpa}",
    },
    "demo_no_actions": {"en": "No budget changes were needed", "zh-CN": "无需调整预算"},
    "col_name": {"en": "Name", "zh-CN": "名称"},
    "col_status": {"en": "Status", "zh-CN": "状态"},
    "col_budget": {"en": "Daily budget", "zh-CN": "日预算"},
    "col_spend": {"en": "Spend", "zh-CN": "消耗"},
    "col_revenue": {"en": "Revenue", "zh-CN": "收入"},
    "col_roas": {"en": "ROAS", "zh-CN": "ROAS"},
    "col_cpa": {"en": "CPA", "zh-CN": "CPA"},
    "col_conversions": {"en": "Conversions", "zh-CN": "转化"},
    "col_day": {"en": "Day", "zh-CN": "日期"},
    "col_action": {"en": "Action", "zh-CN": "操作"},
    "col_change": {"en": "Change", "zh-CN": "变化"},
    "col_reason": {"en": "Reason", "zh-CN": "原因"},
    "col_variant": {"en": "Variant", "zh-CN": "变体"},
    "col_verdict": {"en": "Verdict", "zh-CN": "结论"},
    "col_method": {"en": "Method", "zh-CN": "方法"},
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
