"""User-facing text of the ``roasloop`` command, the demo and its report (merged into
:data:`roasloop.i18n.MESSAGES`).

Translations live in the gettext catalogs (:mod:`roasloop.translations`).
"""

from __future__ import annotations

from roasloop.translations import N_, Catalog

CLI_MESSAGES: dict[str, str] = {
    # demo and report labels
    "demo_title": N_("roasloop demo: a {days}-day product launch on the TikTok sandbox"),
    "demo_page_title": N_("roasloop demo report"),
    "demo_mode": N_("sandbox"),
    "demo_run": N_("simulated market no. {number} · {days} days"),
    "demo_progress": N_("Simulating day"),
    "demo_campaign_launch": N_("Posture corrector launch"),
    "demo_campaign_creative_test": N_("Posture corrector creative test"),
    "demo_campaigns": N_("Campaigns"),
    "demo_kind_launch": N_("Launch (budgets managed by roasloop)"),
    "demo_kind_creative_test": N_("Creative A/B test"),
    "demo_adsets": N_("Ad sets"),
    "demo_actions": N_("Actions taken and why"),
    "demo_ab": N_("Creative A/B test"),
    "demo_chart": N_("Daily spend and ROAS"),
    "demo_report_written": N_("Report written to {path}"),
    "demo_totals": N_(
        "Total of every campaign ({currency}): spend {spend}, revenue {revenue}, ROAS {roas}, "
        "CPA {cpa}"
    ),
    "demo_no_actions": N_("No budget changes were needed"),
    "demo_status_active": N_("active"),
    "demo_status_paused": N_("paused"),
    "demo_status_deleted": N_("deleted"),
    "demo_action_increase_budget": N_("raise budget"),
    "demo_action_decrease_budget": N_("lower budget"),
    "demo_action_pause": N_("pause"),
    # the chart
    "chart_axis_spend": N_("Spend ({currency})"),
    "chart_axis_roas": N_("ROAS"),
    "chart_axis_date": N_("Date"),
    "chart_target": N_("Target ROAS {roas}"),
    "chart_roas_line": N_("ROAS of every campaign"),
    "chart_immature": N_("Conversions still arriving"),
    "chart_note": N_(
        "The platform reports a day's conversions over about a week. Days with less than "
        "{share}% of them reported so far are hatched and left off the ROAS line: their ROAS "
        "is not final. Hover over a bar or a point for its figures."
    ),
    "chart_day": N_("{day}: spend {spend} {currency} ({parts})"),
    "chart_point": N_(
        "{day}: ROAS {roas} (revenue {revenue} {currency}, spend {spend} {currency})"
    ),
    "chart_so_far": N_(
        "ROAS so far {roas}, with about {share}% of this day's conversions reported"
    ),
    # the creative test
    "ab_setup": N_("Primary metric: {metric}. Method: {method}. Looked at every morning."),
    "ab_verdict": N_("Verdict: {verdict}. {message}"),
    "ab_decided": N_("The verdict came on day {day} of the test ({date})."),
    "ab_undecided": N_("No verdict after {days} daily looks."),
    "ab_needed": N_(
        "To tell apart a {mde}% difference with {power}% power it needs about {required} "
        "{unit} per variant; it has {current}."
    ),
    "ab_unit_clusters": N_("days of delivery"),
    "ab_unit_clicks": N_("clicks"),
    "ab_unit_impressions": N_("impressions"),
    "ab_recommendation": N_("Recommendation: {text}"),
    "ab_methods": N_("What each method says"),
    "ab_by_day": N_("Day by day: conversions so far and the verdict"),
    "ab_control": N_("{variant} (control)"),
    "ab_verdict_winner": N_("winner found"),
    "ab_verdict_no_difference": N_("no meaningful difference"),
    "ab_verdict_keep_testing": N_("keep testing"),
    "ab_method_sequential": N_("sequential (valid at every look; the default)"),
    "ab_method_chi_square": N_("chi-square (one look at a fixed sample)"),
    "ab_method_bayesian": N_("Bayesian"),
    "ab_metric_cpa": N_("cost per result (CPA)"),
    "ab_metric_roas": N_("ROAS"),
    "ab_metric_cvr": N_("conversion rate (CVR)"),
    "ab_metric_ctr": N_("click-through rate (CTR)"),
    "ab_metric_conversions_per_impression": N_("conversions per impression"),
    "col_campaign": N_("Campaign"),
    "col_kind": N_("Kind"),
    "col_total": N_("Total"),
    "col_adset": N_("Ad set"),
    "col_status": N_("Status"),
    "col_budget": N_("Daily budget"),
    "col_spend": N_("Spend"),
    "col_revenue": N_("Revenue"),
    "col_roas": N_("ROAS"),
    "col_cpa": N_("CPA"),
    "col_conversions": N_("Conversions"),
    "col_day": N_("Day"),
    "col_test_day": N_("Day of test"),
    "col_action": N_("Action"),
    "col_change": N_("Change"),
    "col_reason": N_("Reason"),
    "col_variant": N_("Variant"),
    "col_verdict": N_("Verdict"),
    "col_method": N_("Method"),
    "col_message": N_("What it says"),
    "col_interval": N_("{name} ({level}% interval)"),
    "col_interval_money": N_("{name} in {currency} ({level}% interval)"),
    "col_as_of": N_("Data up to"),
    "col_money": N_("{name} ({currency})"),
    "col_metric_vs_control": N_("{metric} vs control"),
    # roasloop execute and settings
    "cli_config_error": N_("Configuration error: {detail}"),
    "cli_config_fields": N_("Configuration error in: {fields}"),
    "cli_params_not_json": N_("--params must be a JSON object, e.g. '{example}'"),
    "cli_no_user": N_("No tenant given: pass --user <id> or set ROASLOOP_DEFAULT_USER"),
    "cli_default_user": N_("Acting for tenant '{user}' (ROASLOOP_DEFAULT_USER)"),
    # roasloop sandbox serve
    "sandbox_serving": N_("roasloop sandbox listening on {url}"),
    "sandbox_api_url": N_("  {api}: {url}"),
    "sandbox_google_token": N_("    OAuth token endpoint: {url}"),
    "sandbox_google_developer": N_("    developer-token header: {token}"),
    "sandbox_credentials": N_(
        "App credentials on every platform: app id {app_id}, secret {secret}; any "
        "authorization code works and gets its own sandbox ad account"
    ),
    "sandbox_clock_routes": N_("Simulated clock: GET {clock}"),
    "sandbox_advance_route": N_(
        "Move it ahead (the days' delivery and reports follow): POST {advance} {body}"
    ),
    "sandbox_use_with_roasloop": N_(
        "roasloop uses it with ROASLOOP_SANDBOX_URL={url} (guide: docs/sandbox.md)"
    ),
    # roasloop sandbox advance
    "sandbox_advanced": N_("Sandbox date is now {today} (simulated time {now})"),
    "sandbox_advance_live": N_(
        "roasloop sandbox advance works only in sandbox mode: ROASLOOP_PLATFORM_MODE is live, "
        "and a real platform's clock cannot be moved"
    ),
    "sandbox_advance_failed": N_("The sandbox at {url} did not move its clock: {detail}"),
}

#: The same messages read as ``{key: {locale: template}}``.
CLI_CATALOG = Catalog(CLI_MESSAGES)
