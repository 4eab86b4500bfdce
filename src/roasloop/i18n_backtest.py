"""User-facing text of ``roasloop backtest`` (merged into :data:`roasloop.i18n.CATALOG`)."""

from __future__ import annotations

BACKTEST_CATALOG: dict[str, dict[str, str]] = {
    "bt_unknown_policies": {
        "en": "Unknown policies {unknown}; choose from {choices}",
        "zh-CN": "未知策略 {unknown}；可选：{choices}",
    },
    "bt_runs": {"en": "runs", "zh-CN": "回测运行"},
    "bt_wrote": {"en": "Wrote {files}", "zh-CN": "已写入 {files}"},
    "bt_overall": {"en": "Overall (families pooled)", "zh-CN": "总体（各场景族合并）"},
    "bt_col_policy": {"en": "policy", "zh-CN": "策略"},
    "bt_col_gain": {"en": "gain share", "zh-CN": "收益捕获率"},
    "bt_col_profit": {"en": "profit/run", "zh-CN": "每次利润"},
    "bt_col_roas": {"en": "ROAS", "zh-CN": "ROAS"},
    "bt_col_false_pauses": {"en": "false pauses", "zh-CN": "误暂停"},
    "bt_col_resets": {"en": "resets", "zh-CN": "学习期重置"},
    "bt_col_changes": {"en": "changes", "zh-CN": "调整次数"},
    "bt_target_gain": {
        "en": "captures ≥ 70 % of the achievable gain",
        "zh-CN": "捕获 ≥ 70% 的可实现收益",
    },
    "bt_target_families": {
        "en": "earns ≥ the better of seed-design and seed-tiered in every family",
        "zh-CN": "每个场景族的利润都不低于 seed-design 与 seed-tiered 中的较优者",
    },
    "bt_target_points": {
        "en": (
            "captures ≥ 20 points more of the gain than the better of seed-design and seed-tiered"
        ),
        "zh-CN": "比 seed-design 与 seed-tiered 中的较优者多捕获 ≥ 20 个百分点的收益",
    },
    "bt_target_false_pauses": {"en": "false-pause rate ≤ 5 %", "zh-CN": "误暂停率 ≤ 5%"},
    "bt_all_families": {"en": "all families", "zh-CN": "全部场景族"},
    "bt_short_in": {"en": "short in {families}", "zh-CN": "不及：{families}"},
    "bt_points": {
        "en": "{share} vs {policy} {rival_share} (+{points} points)",
        "zh-CN": "{share}，对比 {policy} {rival_share}（+{points} 个百分点）",
    },
    "bt_paired_title": {
        "en": (
            "{policy} − the better of seed-design and seed-tiered per family "
            "(profit per run, paired on identical simulated markets, 95 % CI)"
        ),
        "zh-CN": (
            "{policy} 与各场景族中 seed-design、seed-tiered 较优者之差"
            "（每次利润，在相同的模拟市场上配对，95% 置信区间）"
        ),
    },
    "bt_col_family": {"en": "family", "zh-CN": "场景族"},
    "bt_col_rival": {"en": "compared with", "zh-CN": "对照策略"},
    "bt_col_difference": {"en": "difference", "zh-CN": "差值"},
    "bt_col_interval": {"en": "95 % CI", "zh-CN": "95% 置信区间"},
    "bt_col_seeds": {"en": "markets", "zh-CN": "市场数"},
}
