"""The money bid of an ad set's member campaign: where it lives and how to change it (pure).

Member campaigns bid as :func:`roasloop.platforms.google.mapping.adset_bidding` sets them
up. Their money bids are a target CPA (``maximizeConversions.targetCpaMicros``, or the
standalone ``targetCpa`` scheme) and a CPC ceiling (``targetSpend.cpcBidCeilingMicros``).
Maximize conversions without a target is Google's lowest-cost bidding, and value bidding
targets a ROAS ratio, not money: neither has a bid to change
(https://developers.google.com/google-ads/api/docs/campaigns/bidding/assign-strategies).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from roasloop.errors import InvalidParameter
from roasloop.platforms.google.mapping import from_wire_micros, micros
from roasloop.translations import N_

JSON = dict[str, Any]

#: BiddingStrategyType → (Campaign field of the scheme, its money-bid field).
BID_FIELDS: dict[str, tuple[str, str]] = {
    "MAXIMIZE_CONVERSIONS": ("maximizeConversions", "targetCpaMicros"),
    "TARGET_CPA": ("targetCpa", "targetCpaMicros"),
    "TARGET_SPEND": ("targetSpend", "cpcBidCeilingMicros"),
}
NO_CAMPAIGN_BUDGET = N_(
    "Google Ads campaigns built by roasloop have no campaign budget: each ad set's member "
    "campaign holds that ad set's budget; change ad set budgets instead"
)
#: Field paths of a refused bid (within the update operation) → the port's name.
REFUSED_FIELDS = {
    f"{scheme}.{field}": "bid"
    for scheme, field in (
        ("maximize_conversions", "target_cpa_micros"),
        ("target_cpa", "target_cpa_micros"),
        ("target_spend", "cpc_bid_ceiling_micros"),
    )
}
#: GAQL fields that carry the bids of :data:`BID_FIELDS`.
BID_COLUMNS = (
    "campaign.bidding_strategy_type",
    "campaign.maximize_conversions.target_cpa_micros",
    "campaign.target_cpa.target_cpa_micros",
    "campaign.target_spend.cpc_bid_ceiling_micros",
)


def current_bid(campaign: JSON) -> Decimal | None:
    """A searched campaign's money bid in major units, or ``None`` when it has none."""
    located = _located(campaign)
    if located is None:
        return None
    scheme, field = located
    return from_wire_micros(campaign[scheme][field])


def bid_update(resource_name: str, campaign: JSON, bid: Decimal, adset_id: str) -> JSON:
    """The ``campaigns:mutate`` body setting the campaign's money bid to ``bid``."""
    located = _located(campaign)
    if located is None:
        bids = N_("ad set {adset_id} bids {strategy} without a money target (no bid to change)")
        unnamed = N_("ad set {adset_id} bids its bidding without a money target (no bid to change)")
        raise InvalidParameter(
            "bid",
            bids if "biddingStrategyType" in campaign else unnamed,
            details={"platform": "google"},
            detail_params={"adset_id": adset_id, "strategy": campaign.get("biddingStrategyType")},
        )
    scheme, field = located
    update = {"resourceName": resource_name, scheme: {field: micros(bid)}}
    return {"operations": [{"update": update, "updateMask": f"{scheme}.{field}"}]}


def no_campaign_budget() -> InvalidParameter:
    """Why a campaign budget is refused on Google (``capabilities.campaign_budgets``)."""
    return InvalidParameter("daily_budget", NO_CAMPAIGN_BUDGET, details={"platform": "google"})


def _located(campaign: JSON) -> tuple[str, str] | None:
    spec = BID_FIELDS.get(str(campaign.get("biddingStrategyType", "")))
    if spec is None:
        return None
    scheme, field = spec
    value = (campaign.get(scheme) or {}).get(field)
    return spec if value not in (None, "", "0") else None
