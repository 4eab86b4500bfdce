"""Mutate operation bodies the adapter sends (pure).

Creates that span resources go in one ``googleAds:mutate`` with temporary resource names
(negative ids), so they are atomic
(https://developers.google.com/google-ads/api/docs/mutating/best-practices#temporary_resource_names).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from roasloop.domain.enums import EntityStatus, Objective
from roasloop.errors import InvalidParameter
from roasloop.platforms.google import mapping
from roasloop.ports.platform import AdSetSpec, AdSpec
from roasloop.translations import N_

JSON = dict[str, Any]


def resource_name(customer_id: str, collection: str, key: str | int) -> str:
    return f"customers/{customer_id}/{collection}/{key}"


def wire_status(status: EntityStatus) -> str:
    if status not in mapping.STATUS:
        raise InvalidParameter(
            "status",
            N_("cannot create an object with status {status}"),
            detail_params={"status": status.value},
        )
    return mapping.STATUS[status]


def budget(name: str, amount: Decimal, temporary: str) -> JSON:
    # Demand Gen needs a budget that is not explicitly shared (the API's default is shared).
    return {
        "resourceName": temporary,
        "name": name,
        "amountMicros": mapping.micros(amount),
        "deliveryMethod": "STANDARD",
        "explicitlyShared": False,
    }


def campaign(name: str, status: str, budget_name: str, bidding: JSON, temporary: str) -> JSON:
    return {
        "resourceName": temporary,
        "name": name,
        "status": status,
        "advertisingChannelType": mapping.CHANNEL,
        "campaignBudget": budget_name,
        "containsEuPoliticalAdvertising": mapping.EU_POLITICAL,
        **bidding,
    }


def lead_campaign(
    customer_id: str, name: str, objective: Objective, status: EntityStatus
) -> list[JSON]:
    """The lead campaign and its placeholder budget."""
    budget_name = resource_name(customer_id, "campaignBudgets", -1)
    campaign_name = resource_name(customer_id, "campaigns", -2)
    bidding = mapping.objective_bidding(objective)
    return [
        {"campaignBudgetOperation": {"create": budget(name, mapping.LEAD_BUDGET, budget_name)}},
        {
            "campaignOperation": {
                "create": campaign(name, wire_status(status), budget_name, bidding, campaign_name)
            }
        },
    ]


def member_campaign(customer_id: str, spec: AdSetSpec, lead: JSON) -> list[JSON]:
    """An ad set: budget, member campaign, location criteria, ad group, age exclusions.

    The member campaign takes the lead's status, so an ad set created under a paused
    campaign stays paused until the campaign is enabled.
    """
    locations = mapping.geo_target_constants(spec.targeting.countries)
    lead_id = str(lead["id"])
    name = " ".join(
        [
            f"{mapping.base_name(str(lead['name']))} ·",
            mapping.tagged(spec.name, spec.client_key),
            mapping.group_tag(lead_id),
        ]
    )
    budget_name = resource_name(customer_id, "campaignBudgets", -1)
    campaign_name = resource_name(customer_id, "campaigns", -2)
    ad_group = resource_name(customer_id, "adGroups", -3)
    bidding = mapping.adset_bidding(spec.optimization_goal, spec.bid_strategy, spec.bid_amount)
    status = str(lead["status"])
    operations: list[JSON] = [
        {"campaignBudgetOperation": {"create": budget(name, spec.daily_budget, budget_name)}},
        {
            "campaignOperation": {
                "create": campaign(name, status, budget_name, bidding, campaign_name)
            }
        },
    ]
    operations += [_location(campaign_name, geo) for geo in locations]
    operations.append(
        {
            "adGroupOperation": {
                "create": {
                    "resourceName": ad_group,
                    "name": mapping.tagged(spec.name, spec.client_key),
                    "campaign": campaign_name,
                    "status": wire_status(spec.status),
                }
            }
        }
    )
    excluded = mapping.excluded_age_ranges(spec.targeting.age_range)
    operations += [_age_exclusion(ad_group, age) for age in excluded]
    return operations


def ad_creates(customer_id: str, ad_group_id: str, specs: Sequence[AdSpec]) -> list[JSON]:
    ad_group = resource_name(customer_id, "adGroups", ad_group_id)
    return [
        {
            "create": {
                "adGroup": ad_group,
                "status": wire_status(spec.status),
                "ad": mapping.ad_body(spec),
            }
        }
        for spec in specs
    ]


def status_operations(targets: Sequence[JSON], status: EntityStatus) -> list[JSON]:
    """Updates of ``status`` (mask ``status``), or removes of what is not removed yet."""
    if status is EntityStatus.DELETED:
        return [{"remove": t["resourceName"]} for t in targets if t.get("status") != "REMOVED"]
    wire = mapping.STATUS[status]
    return [
        {"update": {"resourceName": t["resourceName"], "status": wire}, "updateMask": "status"}
        for t in targets
    ]


def budget_update(budget_resource: str, amount: Decimal) -> JSON:
    update = {"resourceName": budget_resource, "amountMicros": mapping.micros(amount)}
    return {"operations": [{"update": update, "updateMask": "amountMicros"}]}


def _location(campaign_name: str, geo: str) -> JSON:
    create = {"campaign": campaign_name, "location": {"geoTargetConstant": geo}}
    return {"campaignCriterionOperation": {"create": create}}


def _age_exclusion(ad_group: str, age: str) -> JSON:
    create = {"adGroup": ad_group, "negative": True, "ageRange": {"type": age}}
    return {"adGroupCriterionOperation": {"create": create}}
