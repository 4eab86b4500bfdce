"""The GAQL queries the adapter runs (pure text builders).

Grammar: https://developers.google.com/google-ads/api/docs/query/grammar. Names are matched
with ``LIKE`` on roasloop's tags (escaped: ``[`` ``]`` ``%`` ``_`` are special in GAQL LIKE);
REMOVED objects are filtered explicitly because GAQL returns them by default.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from roasloop.platforms.google.bidding import BID_COLUMNS
from roasloop.platforms.google.mapping import gaql_string, group_tag, like_contains
from roasloop.ports.platform import client_key_tag

NOT_REMOVED = "!= 'REMOVED'"
_BIDS = ", ".join(BID_COLUMNS)


def _ids(ids: Sequence[str]) -> str:
    return "(" + ", ".join(str(int(i)) for i in ids) + ")"


def _names(names: Sequence[str]) -> str:
    return "(" + ", ".join(gaql_string(n) for n in names) + ")"


def _tagged(field: str, text: str) -> str:
    return f"{field} LIKE {gaql_string(like_contains(text))}"


def campaigns_by_id(ids: Sequence[str]) -> str:
    return (
        "SELECT campaign.id, campaign.name, campaign.status FROM campaign "
        f"WHERE campaign.id IN {_ids(ids)}"
    )


def members(lead_id: str) -> str:
    """The member campaigns (one per ad set) of a lead campaign, with budgets and bids."""
    return (
        "SELECT campaign.id, campaign.name, campaign.status, campaign.campaign_budget, "
        f"campaign_budget.amount_micros, {_BIDS} FROM campaign "
        f"WHERE {_tagged('campaign.name', group_tag(lead_id))}"
    )


def campaign_by_key(client_key: str) -> str:
    return (
        "SELECT campaign.id FROM campaign "
        f"WHERE {_tagged('campaign.name', client_key_tag(client_key))} "
        f"AND campaign.status {NOT_REMOVED}"
    )


def ad_group_by_key(client_key: str, lead_id: str = "") -> str:
    scope = f" AND {_tagged('campaign.name', group_tag(lead_id))}" if lead_id else ""
    return (
        "SELECT ad_group.id FROM ad_group "
        f"WHERE {_tagged('ad_group.name', client_key_tag(client_key))} "
        f"AND ad_group.status {NOT_REMOVED}{scope}"
    )


def ads_of_ad_group(ad_group_id: str, client_key: str = "") -> str:
    by_key = (
        f" AND {_tagged('ad_group_ad.ad.name', client_key_tag(client_key))}" if client_key else ""
    )
    return (
        "SELECT ad_group.id, ad_group_ad.ad.id, ad_group_ad.ad.name FROM ad_group_ad "
        f"WHERE ad_group.id = {int(ad_group_id)} AND ad_group_ad.status {NOT_REMOVED}{by_key}"
    )


def asset_by_key(client_key: str) -> str:
    return (
        "SELECT asset.resource_name, asset.name FROM asset "
        f"WHERE {_tagged('asset.name', client_key_tag(client_key))}"
    )


def ad_group_bidding(ad_group_id: str) -> str:
    """An ad group with its member campaign's bidding."""
    return (
        f"SELECT ad_group.id, campaign.id, {_BIDS} FROM ad_group "
        f"WHERE ad_group.id = {int(ad_group_id)} AND ad_group.status {NOT_REMOVED}"
    )


def ad_groups_by_id(ids: Sequence[str]) -> str:
    return (
        "SELECT ad_group.id, ad_group.status, campaign.id, campaign.name, campaign.status, "
        f"campaign.campaign_budget FROM ad_group WHERE ad_group.id IN {_ids(ids)}"
    )


def ad_group_ads_by_name(resource_names: Sequence[str]) -> str:
    return (
        "SELECT ad_group_ad.resource_name, ad_group_ad.status FROM ad_group_ad "
        f"WHERE ad_group_ad.resource_name IN {_names(resource_names)}"
    )


def tree_ad_groups(lead_id: str) -> str:
    return (
        "SELECT campaign.id, ad_group.id, ad_group.name, ad_group.status FROM ad_group "
        f"WHERE {_tagged('campaign.name', group_tag(lead_id))} "
        f"AND ad_group.status {NOT_REMOVED} AND campaign.status {NOT_REMOVED}"
    )


def tree_ads(lead_id: str) -> str:
    return (
        "SELECT ad_group.id, ad_group_ad.ad.id, ad_group_ad.ad.name, ad_group_ad.status "
        f"FROM ad_group_ad WHERE {_tagged('campaign.name', group_tag(lead_id))} "
        f"AND ad_group_ad.status {NOT_REMOVED} AND ad_group.status {NOT_REMOVED} "
        f"AND campaign.status {NOT_REMOVED}"
    )


def learning(lead_id: str) -> str:
    """Each member ad group with its campaign's bidding-strategy status."""
    return (
        "SELECT ad_group.id, campaign.bidding_strategy_system_status FROM ad_group "
        f"WHERE {_tagged('campaign.name', group_tag(lead_id))} "
        f"AND ad_group.status {NOT_REMOVED} AND campaign.status {NOT_REMOVED}"
    )


def report(lead_id: str, start: date, end: date) -> str:
    """Daily ad-level metrics of every member campaign of a lead campaign."""
    return (
        "SELECT campaign.id, ad_group.id, ad_group_ad.ad.id, segments.date, "
        "metrics.impressions, metrics.clicks, metrics.cost_micros, metrics.conversions, "
        "metrics.conversions_value FROM ad_group_ad "
        f"WHERE segments.date BETWEEN '{start.isoformat()}' AND '{end.isoformat()}' "
        f"AND {_tagged('campaign.name', group_tag(lead_id))}"
    )
