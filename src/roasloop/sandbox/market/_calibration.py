"""Calibration constants of the market simulator (market_benchmarks.md §7, §8).

Distribution specs are written in the §7 notation the
:class:`~roasloop.sandbox.market.scenario.Param` parser reads: ``"LN(median, sigma)"``,
``"U(low, high)"``, ``"randint(low, high)"`` or a number.
Values marked [X] in §7 are calibration choices, not sourced numbers; so are the few cells
§7 leaves empty (13-17, "other" region, audience sizes), which are marked [X] here as well.
"""

from __future__ import annotations

from typing import Any

ADULT_AGES: tuple[str, ...] = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
AGE_BUCKETS: tuple[str, ...] = ("13-17", *ADULT_AGES)
REGIONS: tuple[str, ...] = ("US", "UK", "EU", "ME", "SEA", "other")

_EU = (
    "AT BE BG CY CZ DE DK EE ES FI FR GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK CH NO IS"
).split()
_ME = "AE SA QA KW BH OM EG IL JO LB TR".split()
_SEA = "ID PH VN TH MY SG KH MM LA BN".split()

#: ISO 3166-1 alpha-2 → simulator region; anything else is "other". "UK" is accepted for GB.
COUNTRY_REGION: dict[str, str] = {
    "US": "US",
    "GB": "UK",
    "UK": "UK",
    **dict.fromkeys(_EU, "EU"),
    **dict.fromkeys(_ME, "ME"),
    **dict.fromkeys(_SEA, "SEA"),
}

# §7 region_mult (Meta, vs US). `size` is the reachable audience of one country relative to
# the US [X]; it scales the saturation reference spend of an ad group.
REGION_MULT: dict[str, dict[str, Any]] = {
    "US": {"cpm": 1.0, "ctr": 1.0, "cvr": 1.0, "aov": 1.0, "size": 1.0},
    "UK": {"cpm": "LN(0.75, 0.15)", "ctr": 1.0, "cvr": 0.95, "aov": 0.90, "size": 0.2},
    "EU": {"cpm": "LN(0.65, 0.2)", "ctr": 1.0, "cvr": 0.90, "aov": 0.85, "size": 0.15},
    "ME": {"cpm": "LN(0.35, 0.3)", "ctr": 1.10, "cvr": 0.80, "aov": 0.90, "size": 0.05},
    "SEA": {"cpm": "LN(0.1, 0.4)", "ctr": 1.30, "cvr": 0.75, "aov": "LN(0.4, 0.35)", "size": 0.25},
    "other": {"cpm": "LN(0.3, 0.5)", "ctr": 1.10, "cvr": 0.80, "aov": 0.70, "size": 0.1},  # [X]
}

# §7 age_mult; `size` is the bucket's share of the adult online population (adults sum to 1)
# [X]. 13-17 is [X] (not in §7): cheap, clicky, rarely buys.
AGE_MULT: dict[str, dict[str, Any]] = {
    "13-17": {"ctr": 0.80, "cvr": 0.40, "aov": 0.60, "cpm": 0.70, "size": 0.06},
    "18-24": {"ctr": 0.85, "cvr": 0.75, "aov": 0.75, "cpm": 0.85, "size": 0.210},
    "25-34": {"ctr": 0.95, "cvr": 1.00, "aov": 0.95, "cpm": 1.00, "size": 0.26},
    "35-44": {"ctr": 1.00, "cvr": 1.10, "aov": 1.05, "cpm": 1.05, "size": 0.210},
    "45-54": {"ctr": 1.10, "cvr": 1.10, "aov": 1.15, "cpm": 1.05, "size": 0.15},
    "55-64": {"ctr": 1.20, "cvr": 1.00, "aov": 1.15, "cpm": 0.95, "size": 0.110},
    "65+": {"ctr": 1.25, "cvr": 0.85, "aov": 1.10, "cpm": 0.90, "size": 0.06},
}

# §7 creative: CTR varies more across creatives than CVR does [X].
CREATIVE_DEFAULTS: dict[str, Any] = {"ctr_mult": "LN(1.0, 0.35)", "cvr_mult": "LN(1.0, 0.2)"}

# §7 delay_pmf_days_7dc / delay_pmf_considered (d0..d7).
DELAY_PMF_7DC: list[float] = [0.55, 0.15, 0.08, 0.06, 0.05, 0.04, 0.04, 0.03]
DELAY_PMF_CONSIDERED: list[float] = [0.40, 0.15, 0.10, 0.08, 0.08, 0.07, 0.06, 0.06]
# §7 google_tail_8_30d: 15% of the mass spread evenly over days 8..30 for 30-day click windows.
DELAY_PMF_30DC: list[float] = [p * 0.85 for p in DELAY_PMF_7DC] + [0.15 / 23] * 23

# §7 dow (Mon..Sun). `spend` is [X] from §6 Workarea session shares (Mon 15.3%, Fri 13.3%).
DOW_CVR = [1.08, 1.06, 1.02, 1.00, 0.94, 0.90, 1.00]
DOW_CPM = [0.99, 0.98, 0.98, 1.00, 1.05, 1.02, 0.98]
DOW_CTR = [0.96, 0.98, 0.99, 1.00, 1.00, 1.03, 1.04]
DOW_SPEND = [1.07, 1.01, 1.00, 0.99, 0.93, 0.96, 1.04]
MONTH_CPM = [0.89, 0.90, 0.95, 0.92, 0.97, 0.97, 0.95, 0.99, 0.96, 1.06, 1.23, 1.02]

#: Deltas from the generic field defaults, per platform (§7 platforms, fatigue, learning,
#: budget, report lag). The generic defaults are TikTok's; these dicts are deep-merged under
#: whatever a scenario file sets.
PLATFORM_DEFAULTS: dict[str, dict[str, Any]] = {
    "tiktok": {
        "base": {
            "cpm": "LN(8.0, 0.4)",
            "ctr": "LN(0.008, 0.45)",
            "cvr": "LN(0.022, 0.6)",
            "aov": "LN(80.0, 0.45)",
        },
        "regions": {"ME": {"cpm": 0.70}, "SEA": {"cpm": "LN(0.2, 0.4)"}},
        "fatigue": {"beta": 0.60},
        "learning": {"window_days": 7, "budget_reset_threshold": 0.5},
        # §7: TikTok's standard daily budget is a hard cap (DDB would be 1.25 + weekly 7×).
        "budget": {"daily_flex": 1.0, "weekly_cap": False},
        "attribution": {"report_lag_pmf": [0.75, 0.18, 0.07]},
    },
    "meta": {
        "base": {
            "cpm": "LN(17.0, 0.4)",
            "ctr": "LN(0.013, 0.4)",
            "cvr": "LN(0.03, 0.55)",
            "aov": "LN(100.0, 0.45)",
        },
        "fatigue": {"beta": 0.43},
        "learning": {"window_days": 7, "budget_reset_threshold": 0.2},
        "budget": {"daily_flex": 1.75, "weekly_cap": True},
        "attribution": {"report_lag_pmf": [0.80, 0.15, 0.05]},
    },
    "google": {  # google_shopping_pmax
        "base": {
            "cpm": "LN(6.5, 0.45)",
            "ctr": "LN(0.01, 0.4)",
            "cvr": "LN(0.025, 0.5)",
            "aov": "LN(110.0, 0.45)",
        },
        "fatigue": {"beta": 0.05},
        "learning": {"window_days": 14, "budget_reset_threshold": 0.2, "reset_on_new_ad": False},
        # Google caps a month at 30.4× the daily budget; the weekly cap is the nearest shape.
        "budget": {"daily_flex": 2.0, "weekly_cap": True},
        "attribution": {"delay_pmf": DELAY_PMF_30DC, "report_lag_pmf": [0.90, 0.08, 0.02]},
    },
}
