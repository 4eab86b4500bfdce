"""What each Google Ads resource requires on create and keeps true on update.

Errors carry the Google error enum the real API uses for the same mistake, located with
snake_case ``fieldPathElements`` under the operation's path.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from roasloop.sandbox.google import ads
from roasloop.sandbox.google.json_mapping import camel, snake
from roasloop.sandbox.google.protocol import (
    AGE_RANGES,
    GENDERS,
    GEO_COUNTRIES,
    MICROS_PER_UNIT,
    MINIMUM_CURRENCY_UNIT_MICROS,
    fault,
    key_of,
    missing,
    name_of,
    refuse_created_removed,
    require_fields,
)
from roasloop.sandbox.google.schema import (
    AD_GROUP,
    AD_GROUP_AD,
    AD_GROUP_CRITERION,
    ASSET,
    BIDDING,
    CAMPAIGN,
    CAMPAIGN_BUDGET,
    CAMPAIGN_CRITERION,
    Msg,
)
from roasloop.sandbox.google.store import Path, Txn

Doc = dict[str, Any]

#: Bidding schemes each channel accepts (Demand Gen: developers.google.com/google-ads/api/
#: docs/demand-gen/overview; others from the Campaign reference).
CHANNEL_BIDDING: dict[str, frozenset[str]] = {
    "DEMAND_GEN": frozenset(
        {"maximizeConversions", "maximizeConversionValue", "targetCpa", "targetRoas"}
        | {"targetSpend", "targetCpc"}
    ),
    "SEARCH": frozenset(
        {"manualCpc", "maximizeConversions", "maximizeConversionValue", "targetCpa"}
        | {"targetRoas", "targetSpend", "targetImpressionShare"}
    ),
    "DISPLAY": frozenset(
        {"manualCpc", "manualCpm", "maximizeConversions", "maximizeConversionValue"}
        | {"targetCpa", "targetRoas", "targetSpend"}
    ),
    "VIDEO": frozenset({"manualCpm", "targetCpm", "maximizeConversions", "targetCpa"}),
    "PERFORMANCE_MAX": frozenset({"maximizeConversions", "maximizeConversionValue"}),
}
_GEO = re.compile(r"^geoTargetConstants/(\d+)$")
CAMPAIGN_REQUIRED = {
    "name": "name",
    "advertisingChannelType": "advertising_channel_type",
    "campaignBudget": "campaign_budget",
    "containsEuPoliticalAdvertising": "contains_eu_political_advertising",
}


@dataclass(frozen=True)
class Resource:
    collection: str
    message: Msg
    #: Key of the resource in a MUTABLE_RESOURCE result and in googleAds:mutate.
    result_key: str
    create: Callable[[Txn, Doc, Path], Doc]
    check: Callable[[Txn, Doc, Path], None]
    removable: bool = True
    #: Called with the updated document and the update's mask paths.
    updated: Callable[[Doc, list[str]], None] | None = None


# --- campaign budgets ------------------------------------------------------------------------
def create_budget(txn: Txn, doc: Doc, path: Path) -> Doc:
    if "amountMicros" not in doc:
        raise missing(path, "amount_micros")
    budget_id = txn.new_id("campaignBudgets", txn.customer_id, str(doc.get("name", "")))
    doc |= {
        "id": budget_id,
        "resourceName": name_of(txn.customer_id, "campaignBudgets", budget_id),
        "status": "ENABLED",
    }
    doc.setdefault("deliveryMethod", "STANDARD")
    doc.setdefault("period", "DAILY")
    doc.setdefault("explicitlyShared", True)
    check_budget(txn, doc, path)
    return txn.put("campaignBudgets", budget_id, doc)


def check_budget(txn: Txn, doc: Doc, path: Path) -> None:
    amount = int(doc.get("amountMicros", "0"))
    where = (*path, ("amount_micros", None))
    if amount < 0:
        raise fault("campaignBudgetError", "NEGATIVE_MONEY_AMOUNT", "Negative budget.", where)
    if amount % MINIMUM_CURRENCY_UNIT_MICROS:
        raise fault(
            "campaignBudgetError",
            "NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT",
            "The budget amount is not a multiple of the currency's minimum unit.",
            where,
        )
    if amount < MINIMUM_CURRENCY_UNIT_MICROS:
        raise fault(
            "campaignBudgetError",
            "MONEY_AMOUNT_LESS_THAN_CURRENCY_MINIMUM_CPC",
            "The budget is below the currency's minimum.",
            where,
        )
    if doc.get("name") and _duplicate(txn, "campaignBudgets", doc, lambda d: True):
        raise fault(
            "campaignBudgetError", "DUPLICATE_NAME", "Budget name already in use.",
            (*path, ("name", None)),
        )  # fmt: skip
    for campaign in _budget_users(txn, doc):
        _check_budget_sharing(txn, campaign, doc, path)
    txn.touched.campaigns |= {c["id"] for c in _budget_users(txn, doc)}


def record_budget_change(doc: Doc, mask: list[str]) -> None:
    """Not a Google field: the sandbox's own audit trail (major units), so tests can prove
    each budget change reached the platform exactly once. Private fields are never served."""
    if any(camel(path) == "amountMicros" for path in mask):
        amount = Decimal(int(doc.get("amountMicros", "0"))) / MICROS_PER_UNIT
        doc.setdefault("_budgetHistory", []).append(str(amount.quantize(Decimal("0.01"))))


def _budget_users(txn: Txn, budget: Doc) -> list[Doc]:
    return txn.find(
        "campaigns",
        lambda c: c.get("campaignBudget") == budget["resourceName"] and c["status"] != "REMOVED",
    )


# --- campaigns -----------------------------------------------------------------------------
def create_campaign(txn: Txn, doc: Doc, path: Path) -> Doc:
    require_fields(doc, path, CAMPAIGN_REQUIRED)
    refuse_created_removed(doc, path)
    campaign_id = txn.new_id("campaigns", txn.customer_id, str(doc["name"]))
    doc |= {"id": campaign_id, "resourceName": name_of(txn.customer_id, "campaigns", campaign_id)}
    doc.setdefault("status", "ENABLED")
    check_campaign(txn, doc, path)
    return txn.put("campaigns", campaign_id, doc)


def check_campaign(txn: Txn, doc: Doc, path: Path) -> None:
    budget = txn.existing(
        doc.get("campaignBudget"), (*path, ("campaign_budget", None)), "campaignBudgets"
    )
    doc["campaignBudget"] = budget["resourceName"]
    if _duplicate(txn, "campaigns", doc, lambda d: True):
        raise fault(
            "campaignError", "DUPLICATE_CAMPAIGN_NAME", "A campaign with this name exists.",
            (*path, ("name", None)),
        )  # fmt: skip
    scheme = next((name for name in BIDDING if name in doc), None)
    if scheme is None:
        raise missing(path, "campaign_bidding_strategy")
    allowed = CHANNEL_BIDDING.get(doc["advertisingChannelType"])
    if allowed is not None and scheme not in allowed:
        raise fault(
            "operationAccessDeniedError",
            "OPERATION_NOT_PERMITTED_FOR_CAMPAIGN_TYPE",
            f"{scheme} bidding is not available for {doc['advertisingChannelType']} campaigns.",
            (*path, (snake(scheme), None)),
        )
    doc["biddingStrategyType"] = BIDDING[scheme][0]
    _check_bids(doc.get(scheme) or {}, (*path, (snake(scheme), None)))
    _check_budget_sharing(txn, doc, budget, path)
    txn.touched.campaigns.add(doc["id"])


def _check_bids(scheme: Doc, path: Path) -> None:
    """Money targets of a bidding scheme: whole currency units of at least one cent."""
    for name in ("targetCpaMicros", "cpcBidCeilingMicros", "targetSpendMicros"):
        if name not in scheme:
            continue
        amount, where = int(scheme[name]), (*path, (snake(name), None))
        if amount < MINIMUM_CURRENCY_UNIT_MICROS:
            raise fault("biddingError", "BID_TOO_SMALL", "The bid is too small.", where)
        if amount % MINIMUM_CURRENCY_UNIT_MICROS:
            raise fault(
                "biddingError",
                "BID_TOO_MANY_FRACTIONAL_DIGITS",
                "The bid has too many fractional digits.",
                where,
            )


def _check_budget_sharing(txn: Txn, campaign: Doc, budget: Doc, path: Path) -> None:
    where = (*path, ("campaign_budget", None))
    if campaign["advertisingChannelType"] == "DEMAND_GEN" and budget.get("explicitlyShared"):
        raise fault(
            "campaignBudgetError",
            "CAMPAIGN_BUDGET_CANNOT_BE_SHARED",
            "Demand Gen campaigns need a budget that is not explicitly shared.",
            where,
        )
    others = [c for c in _budget_users(txn, budget) if c["id"] != campaign["id"]]
    if others and not budget.get("explicitlyShared") and campaign["status"] != "REMOVED":
        raise fault(
            "campaignBudgetError",
            "CANNOT_USE_IMPLICITLY_SHARED_CAMPAIGN_BUDGET_WITH_MULTIPLE_CAMPAIGNS",
            "A budget that is not explicitly shared can serve only one campaign.",
            where,
        )


# --- ad groups -------------------------------------------------------------------------------
def create_ad_group(txn: Txn, doc: Doc, path: Path) -> Doc:
    require_fields(doc, path, {"name": "name", "campaign": "campaign"})
    refuse_created_removed(doc, path)
    campaign = txn.existing(doc["campaign"], (*path, ("campaign", None)), "campaigns")
    ad_group_id = txn.new_id("adGroups", campaign["id"], str(doc["name"]))
    doc |= {
        "id": ad_group_id,
        "resourceName": name_of(txn.customer_id, "adGroups", ad_group_id),
        "campaign": campaign["resourceName"],
    }
    doc.setdefault("status", "ENABLED")
    check_ad_group(txn, doc, path)
    return txn.put("adGroups", ad_group_id, doc)


def check_ad_group(txn: Txn, doc: Doc, path: Path) -> None:
    if _duplicate(txn, "adGroups", doc, lambda d: d.get("campaign") == doc["campaign"]):
        raise fault(
            "adGroupError", "DUPLICATE_ADGROUP_NAME", "An ad group with this name exists.",
            (*path, ("name", None)),
        )  # fmt: skip
    txn.touched.campaigns.add(key_of(doc["campaign"]))


# --- criteria --------------------------------------------------------------------------------
def create_ad_group_criterion(txn: Txn, doc: Doc, path: Path) -> Doc:
    if not doc.get("adGroup"):
        raise missing(path, "ad_group")
    refuse_created_removed(doc, path)
    ad_group = txn.existing(doc["adGroup"], (*path, ("ad_group", None)), "adGroups")
    if "ageRange" in doc:
        value = doc["ageRange"].get("type")
        if value is None:
            raise missing((*path, ("age_range", None)), "type")
        criterion_id, kind = AGE_RANGES[value][0], "AGE_RANGE"
    elif "gender" in doc:
        value = doc["gender"].get("type")
        if value is None:
            raise missing((*path, ("gender", None)), "type")
        criterion_id, kind = GENDERS[value], "GENDER"
    else:
        raise missing(path, "criterion")
    key = f"{ad_group['id']}~{criterion_id}"
    _unique_criterion(txn, "adGroupCriteria", key, path)
    doc |= {
        "resourceName": name_of(txn.customer_id, "adGroupCriteria", key),
        "criterionId": criterion_id,
        "adGroup": ad_group["resourceName"],
        "type": kind,
    }
    doc.setdefault("status", "ENABLED")
    doc.setdefault("negative", False)
    check_ad_group_criterion(txn, doc, path)
    return txn.put("adGroupCriteria", key, doc)


def check_ad_group_criterion(txn: Txn, doc: Doc, path: Path) -> None:
    ad_group = txn.get("adGroups", key_of(doc["adGroup"]))
    if ad_group is not None:
        txn.touched.campaigns.add(key_of(ad_group["campaign"]))


def create_campaign_criterion(txn: Txn, doc: Doc, path: Path) -> Doc:
    if not doc.get("campaign"):
        raise missing(path, "campaign")
    campaign = txn.existing(doc["campaign"], (*path, ("campaign", None)), "campaigns")
    location = doc.get("location")
    if location is None:
        raise missing(path, "criterion")
    where = (*path, ("location", None), ("geo_target_constant", None))
    match = _GEO.match(str(location.get("geoTargetConstant", "")))
    if match is None:
        raise fault(
            "requestError", "RESOURCE_NAME_MALFORMED", "The resource name is malformed.", where
        )
    if match.group(1) not in GEO_COUNTRIES:
        raise fault("mutateError", "RESOURCE_NOT_FOUND", "Unknown geo target constant.", where)
    key = f"{campaign['id']}~{match.group(1)}"
    _unique_criterion(txn, "campaignCriteria", key, path)
    doc |= {
        "resourceName": name_of(txn.customer_id, "campaignCriteria", key),
        "criterionId": match.group(1),
        "campaign": campaign["resourceName"],
        "type": "LOCATION",
        "status": "ENABLED",
    }
    doc.setdefault("negative", False)
    txn.touched.campaigns.add(campaign["id"])
    return txn.put("campaignCriteria", key, doc)


def check_campaign_criterion(txn: Txn, doc: Doc, path: Path) -> None:
    txn.touched.campaigns.add(key_of(doc["campaign"]))


def _unique_criterion(txn: Txn, collection: str, key: str, path: Path) -> None:
    existing = txn.get(collection, key)
    if existing is not None and existing.get("status") != "REMOVED":
        raise fault("mutateError", "RESOURCE_ALREADY_EXISTS", "The resource already exists.", path)


# --- helpers ---------------------------------------------------------------------------------
def _duplicate(txn: Txn, collection: str, doc: Doc, scope: Callable[[Doc], bool]) -> bool:
    return any(
        other.get("name") == doc.get("name")
        and other.get("id") != doc.get("id")
        and other.get("status") != "REMOVED"
        and scope(other)
        for other in txn.all(collection)
    )


RESOURCES: dict[str, Resource] = {
    r.collection: r
    for r in (
        Resource(
            "campaignBudgets",
            CAMPAIGN_BUDGET,
            "campaignBudget",
            create_budget,
            check_budget,
            updated=record_budget_change,
        ),
        Resource("campaigns", CAMPAIGN, "campaign", create_campaign, check_campaign),
        Resource("adGroups", AD_GROUP, "adGroup", create_ad_group, check_ad_group),
        Resource(
            "adGroupCriteria",
            AD_GROUP_CRITERION,
            "adGroupCriterion",
            create_ad_group_criterion,
            check_ad_group_criterion,
        ),
        Resource(
            "campaignCriteria",
            CAMPAIGN_CRITERION,
            "campaignCriterion",
            create_campaign_criterion,
            check_campaign_criterion,
        ),
        Resource("adGroupAds", AD_GROUP_AD, "adGroupAd", ads.create_ad_group_ad, ads.check_ad),
        Resource("assets", ASSET, "asset", ads.create_asset, ads.check_asset, removable=False),
    )
}
