"""Checks of a planned structure against the platform, made before its first write.

Whatever can be known before a create is checked here, so a request the platform would
refuse half-way never leaves a half-built campaign behind.
"""

from __future__ import annotations

from collections.abc import Sequence

from roasloop.domain.structure import StructurePlan, check_names
from roasloop.errors import InvalidParameter
from roasloop.ports.platform import PlatformRules, tagged_name

#: The inputs a campaign's, its ad sets' and its ads' names come from.
CAMPAIGN_NAME_FIELDS = {"campaign": "name", "adset": "target_countries", "ad": "creative_ids"}
AB_TEST_NAME_FIELDS = {"campaign": "test_name", "adset": "test_name", "ad": "creative_ids"}


def check_plan(
    rules: PlatformRules,
    plan: StructurePlan,
    countries: Sequence[str],
    name_fields: dict[str, str],
) -> None:
    """Raise ``InvalidParameter`` naming the input if the platform would refuse the plan."""
    capabilities = rules.capabilities
    per_adset = max(len(a.creative_ids) for a in plan.adsets)
    if per_adset > capabilities.max_ads_per_adset:
        limit = capabilities.max_ads_per_adset
        raise InvalidParameter(
            "creative_ids",
            "too many creatives",
            detail_key="check_ads_per_adset",
            detail_params={"limit": limit},
        )
    most = capabilities.max_countries
    if most is not None and len(countries) > most:
        raise InvalidParameter(
            "target_countries",
            "too many countries",
            detail_key="check_countries_per_adset",
            detail_params={"limit": most},
        )
    rules.check_countries(countries)
    check_names(plan, capabilities.max_name_length, tagged_name, name_fields)
