"""The campaign each scenario is back-tested with: one ad set per creative, equal budgets.

Scenario files describe a market, not a campaign, so the back-tester builds a creative-testing
campaign (the structure of ``plan_ab_test``: one ad set per creative, the same broad audience,
an equal share of the campaign budget). The scenario's named creatives come first, then
default-drawn ones. Per-ad-set budgets follow the §8 family notes (e.g. "$20–30/day ad groups"
for noisy low volume, "$100–120/day" for the late bloomer); any other scenario gets
:data:`DEFAULT`. This table is data about the test bench, never read by a policy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from roasloop.domain.enums import Platform
from roasloop.ports.platform import PlatformCapabilities
from roasloop.sandbox.market import Audience, Market
from roasloop.sandbox.market.scenario import Scenario


@dataclass(frozen=True, slots=True)
class CampaignTemplate:
    adsets: int = 5
    adset_budget: Decimal = Decimal("100")
    countries: tuple[str, ...] = ("US",)

    @property
    def daily_budget(self) -> Decimal:
        return self.adset_budget * self.adsets


DEFAULT = CampaignTemplate()
TEMPLATES: dict[str, CampaignTemplate] = {
    "late_bloomer": CampaignTemplate(adset_budget=Decimal("110")),
    "fatigue_heavy": CampaignTemplate(adset_budget=Decimal("80")),
    "noisy_low_volume": CampaignTemplate(adset_budget=Decimal("25")),
    "broken_tracking": CampaignTemplate(adset_budget=Decimal("150")),
}


def capabilities(platform: Platform) -> PlatformCapabilities:
    """The platform facts the adapters state (minimum budget, safe step, report delay)."""
    from roasloop.bootstrap import DRIVERS

    return DRIVERS[platform].rules.capabilities


@dataclass(frozen=True, slots=True)
class MarketCampaign:
    """The keys of a campaign built in a market: ad group → its one ad."""

    ads: dict[str, str]
    daily_budget: Decimal
    minimum: Decimal

    @property
    def groups(self) -> list[str]:
        return list(self.ads)


def template_for(scenario: Scenario) -> CampaignTemplate:
    return TEMPLATES.get(scenario.name, DEFAULT)


def creative_keys(scenario: Scenario, count: int) -> list[str]:
    """The scenario's named creatives first, then default creatives ``creative-1`` …"""
    named = list(scenario.creatives)[:count]
    return named + [f"creative-{i}" for i in range(1, count - len(named) + 1)]


def build(market: Market, template: CampaignTemplate, start: date) -> MarketCampaign:
    """Add the template's ad groups (``adset-N``) and their ads to ``market`` from ``start``."""
    audience = Audience(template.countries)
    ads = {}
    for index, creative in enumerate(creative_keys(market.scenario, template.adsets), start=1):
        group = f"adset-{index}"
        market.add_adgroup(group, audience, template.adset_budget, start)
        market.add_ad(f"{group}/{creative}", group, creative, start)
        ads[group] = f"{group}/{creative}"
    minimum = capabilities(market.scenario.platform).min_adset_daily_budget
    return MarketCampaign(ads, template.daily_budget, minimum)
