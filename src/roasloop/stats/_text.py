"""User-facing text of the A/B analysis, as msgids of the gettext catalogs.

The zh-CN messages that exist in the seed keep the seed's wording: "数据不足，建议继续测试",
"差异不显著，建议继续测试或增加样本量", "暂停 {worst}（表现最差）", "增加 {winner} 预算 50%".
Translations live in :mod:`roasloop.translations`' catalogs.
"""

from __future__ import annotations

from roasloop.stats.results import Notice, Recommendation
from roasloop.translations import N_, render_text, translate

MESSAGES: dict[str, str] = {
    "insufficient": N_("Insufficient data, keep testing"),
    "not_significant": N_(
        "The difference is not significant; keep testing or increase the sample"
    ),
    "winner": N_("{winner} is the winner on {metric}"),
    "no_difference": N_(
        "No meaningful difference: the variants differ by less than the minimum detectable "
        "effect ({mde}%) or the planned sample was reached without a significant difference"
    ),
    "srm": N_(
        "Sample ratio mismatch: traffic does not follow the designed split; fix the test "
        "setup before trusting its results"
    ),
    "error": N_("Analysis failed: {error}"),
}

WARNINGS: dict[str, str] = {
    "srm": N_("Sample ratio mismatch (p = {p:.2g}): traffic does not follow the designed split"),
    "not_randomized": N_(
        "Delivery-confounded: the variants were not randomized (creatives compete inside an "
        "auto-optimized ad set), so differences include the platform's choice of audience"
    ),
    "simpson": N_(
        "Simpson's paradox for {variant}: the pooled totals point the other way; the verdict "
        "uses the analysis stratified by day and ad set"
    ),
    "low_counts": N_("Low counts: expected cell counts below 5, small-sample tests are used"),
    "few_clusters": N_(
        "Few days of data for a ratio metric (fewer than {min_clusters} per variant)"
    ),
    "unknown_variant": N_("Rows for variants outside the test were ignored: {variants}"),
}

RECOMMENDATIONS: dict[str, str] = {
    "pause": N_("Pause {variant} (worst performer)"),
    "increase_budget": N_("Increase {variant}'s budget by {pct}%"),
    "keep_testing_insufficient": MESSAGES["insufficient"],
    "keep_testing": MESSAGES["not_significant"],
    "check_setup": MESSAGES["srm"],
    "end_test": N_(
        "No variant is meaningfully better; end the test and keep the cheapest variant"
    ),
}


def message(key: str, metric: str = "", **values: object) -> dict[str, str]:
    """The verdict message in both locales; ``metric`` is the metric's label (a msgid)."""
    return {
        locale: render_text(MESSAGES[key], locale, metric=translate(metric, locale), **values)
        for locale in ("en", "zh-CN")
    }


def notice(code: str, variant_id: str | None = None, **values: object) -> Notice:
    """A warning with its text in both locales."""
    en, zh = (render_text(WARNINGS[code], locale, **values) for locale in ("en", "zh-CN"))
    return Notice(code, en, zh, variant_id)


def recommendation(
    key: str, action: str, variant_id: str | None = None, pct: int | None = None
) -> Recommendation:
    """A structured recommendation with its text in both locales."""
    values = {"variant": variant_id, "pct": pct}
    en, zh = (render_text(RECOMMENDATIONS[key], locale, **values) for locale in ("en", "zh-CN"))
    return Recommendation(action, variant_id, pct, en, zh)
