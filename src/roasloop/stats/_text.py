"""User-facing text of the A/B analysis in English and Simplified Chinese.

The zh-CN messages that exist in the seed keep the seed's wording: "数据不足，建议继续测试",
"差异不显著，建议继续测试或增加样本量", "暂停 {worst}（表现最差）", "增加 {winner} 预算 50%".
"""

from __future__ import annotations

from roasloop.stats.results import Notice, Recommendation

MESSAGES: dict[str, tuple[str, str]] = {
    "insufficient": ("Insufficient data, keep testing", "数据不足，建议继续测试"),
    "not_significant": (
        "The difference is not significant; keep testing or increase the sample",
        "差异不显著，建议继续测试或增加样本量",
    ),
    "winner": (
        "{winner} is the winner on {metric_en}",
        "{winner} 在{metric_zh}上胜出",
    ),
    "no_difference": (
        "No meaningful difference: the variants differ by less than the minimum detectable "
        "effect ({mde}%) or the planned sample was reached without a significant difference",
        "无实质差异：各变体差距小于最小可检测效应（{mde}%），或已达到计划样本量仍不显著",
    ),
    "srm": (
        "Sample ratio mismatch: traffic does not follow the designed split; fix the test "
        "setup before trusting its results",
        "样本比例不匹配：流量分配与设计不符，请先检查测试设置再采信结果",
    ),
    "error": ("Analysis failed: {error}", "分析失败：{error}"),
}

WARNINGS: dict[str, tuple[str, str]] = {
    "srm": (
        "Sample ratio mismatch (p = {p:.2g}): traffic does not follow the designed split",
        "样本比例不匹配（p = {p:.2g}）：流量分配与设计不符",
    ),
    "not_randomized": (
        "Delivery-confounded: the variants were not randomized (creatives compete inside an "
        "auto-optimized ad set), so differences include the platform's choice of audience",
        "投放混杂：变体未随机分组（素材在自动优化的广告组内竞争），差异包含平台对受众的选择",
    ),
    "simpson": (
        "Simpson's paradox for {variant}: the pooled totals point the other way; the verdict "
        "uses the analysis stratified by day and ad set",
        "{variant} 出现辛普森悖论：汇总数据的方向相反，结论采用按天和广告组分层的分析",
    ),
    "low_counts": (
        "Low counts: expected cell counts below 5, small-sample tests are used",
        "样本量偏小：期望频数低于 5，已改用小样本检验",
    ),
    "few_clusters": (
        "Few days of data for a ratio metric (fewer than {min_clusters} per variant)",
        "比率指标的数据天数偏少（每个变体少于 {min_clusters} 天）",
    ),
    "unknown_variant": (
        "Rows for variants outside the test were ignored: {variants}",
        "已忽略不属于该测试的变体数据：{variants}",
    ),
}

RECOMMENDATIONS: dict[str, tuple[str, str]] = {
    "pause": ("Pause {variant} (worst performer)", "暂停 {variant}（表现最差）"),
    "increase_budget": ("Increase {variant}'s budget by {pct}%", "增加 {variant} 预算 {pct}%"),
    "keep_testing_insufficient": MESSAGES["insufficient"],
    "keep_testing": MESSAGES["not_significant"],
    "check_setup": MESSAGES["srm"],
    "end_test": (
        "No variant is meaningfully better; end the test and keep the cheapest variant",
        "各变体无实质差异，可结束测试并保留成本最低的变体",
    ),
}


def message(key: str, **values: object) -> dict[str, str]:
    """The verdict message in both locales."""
    en, zh = MESSAGES[key]
    return {"en": en.format(**values), "zh-CN": zh.format(**values)}


def notice(code: str, variant_id: str | None = None, **values: object) -> Notice:
    """A warning with its text in both locales."""
    en, zh = WARNINGS[code]
    return Notice(code, en.format(**values), zh.format(**values), variant_id)


def recommendation(
    key: str, action: str, variant_id: str | None = None, pct: int | None = None
) -> Recommendation:
    """A structured recommendation with its text in both locales."""
    en, zh = RECOMMENDATIONS[key]
    values = {"variant": variant_id, "pct": pct}
    return Recommendation(action, variant_id, pct, en.format(**values), zh.format(**values))
