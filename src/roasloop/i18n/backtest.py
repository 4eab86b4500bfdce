"""User-facing text of ``roasloop backtest`` (merged into :data:`roasloop.i18n.MESSAGES`).

Translations live in the gettext catalogs (:mod:`roasloop.translations`).
"""

from __future__ import annotations

from roasloop.translations import N_

BACKTEST_MESSAGES: dict[str, str] = {
    "bt_unknown_policies": N_("Unknown policies {unknown}; choose from {choices}"),
    "bt_runs": N_("runs"),
    "bt_wrote": N_("Wrote {files}"),
    "bt_overall": N_("Overall (families pooled)"),
    "bt_col_policy": N_("policy"),
    "bt_col_gain": N_("gain share"),
    "bt_col_profit": N_("profit/run"),
    "bt_col_roas": N_("ROAS"),
    "bt_col_false_pauses": N_("false pauses"),
    "bt_col_resets": N_("resets"),
    "bt_col_changes": N_("changes"),
    "bt_target_gain": N_("captures ≥ 70 % of the achievable gain"),
    "bt_target_families": N_("earns ≥ the better of threshold and tiered in every family"),
    "bt_target_points": N_(
        "captures ≥ 20 points more of the gain than the better of threshold and tiered"
    ),
    "bt_target_false_pauses": N_("false-pause rate ≤ 5 %"),
    "bt_all_families": N_("all families"),
    "bt_short_in": N_("short in {families}"),
    "bt_points": N_("{share} vs {policy} {rival_share} (+{points} points)"),
    "bt_paired_title": N_(
        "{policy} − the better of threshold and tiered per family (profit per run, "
        "paired on identical simulated markets, 95 % CI)"
    ),
    "bt_col_family": N_("family"),
    "bt_col_rival": N_("compared with"),
    "bt_col_difference": N_("difference"),
    "bt_col_interval": N_("95 % CI"),
    "bt_col_seeds": N_("markets"),
}
