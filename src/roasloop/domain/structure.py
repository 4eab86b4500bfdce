"""Pure planning of campaign structures (seed 000 §1–2, §5.1–5.2).

A plan names every object with a client key derived from the request's idempotency key,
so executing the same plan twice finds what exists instead of creating it again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from roasloop.domain.enums import BidStrategy, Objective, OptimizationGoal
from roasloop.domain.models import AgeRange, Targeting
from roasloop.domain.money import split_equally
from roasloop.errors import InvalidParameter

#: Objective → ad-set optimization goal. Sales optimise for conversions, not value: value
#: optimisation needs purchase history a launch does not have yet (the stage machine
#: switches to VALUE when a product heats up).
GOALS = {
    Objective.SALES: OptimizationGoal.CONVERSIONS,
    Objective.TRAFFIC: OptimizationGoal.CLICKS,
    Objective.AWARENESS: OptimizationGoal.REACH,
}


@dataclass(frozen=True, slots=True)
class PlannedAdSet:
    key: str
    name: str
    targeting: Targeting
    daily_budget: Decimal
    creative_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PlannedAd:
    key: str
    adset_key: str
    creative_id: str
    name: str


@dataclass(frozen=True, slots=True)
class StructurePlan:
    campaign_key: str
    campaign_name: str
    objective: Objective
    optimization_goal: OptimizationGoal
    bid_strategy: BidStrategy
    adsets: tuple[PlannedAdSet, ...]

    @property
    def ads(self) -> tuple[PlannedAd, ...]:
        return tuple(
            PlannedAd(
                key=f"{adset.key}a{index}",
                adset_key=adset.key,
                creative_id=creative_id,
                name=f"{creative_id} · {adset.name}",
            )
            for adset in self.adsets
            for index, creative_id in enumerate(adset.creative_ids)
        )


def client_key_base(tenant_id: str, idempotency_key: str) -> str:
    """A short, stable prefix for client keys of one request (tenant-scoped)."""
    digest = hashlib.sha256(f"{tenant_id}\x00{idempotency_key}".encode()).hexdigest()
    return digest[:12]


def plan_campaign(
    *,
    base_key: str,
    name: str,
    objective: Objective,
    daily_budget: Decimal,
    countries: Sequence[str],
    creative_ids: Sequence[str],
    age_groups: Sequence[AgeRange],
    min_adset_budget: Decimal,
) -> StructurePlan:
    """One ad set per age group with every creative; the budget split equally to the cent."""
    budgets = _split(daily_budget, len(age_groups), min_adset_budget)
    label = country_label(countries)
    adsets = tuple(
        PlannedAdSet(
            key=f"{base_key}s{index}",
            name=f"{label} {ages.label}",
            targeting=Targeting(countries=tuple(countries), age_range=ages),
            daily_budget=budget,
            creative_ids=tuple(creative_ids),
        )
        for index, (ages, budget) in enumerate(zip(age_groups, budgets, strict=True))
    )
    return _plan(base_key, name, objective, adsets)


def plan_ab_test(
    *,
    base_key: str,
    name: str,
    objective: Objective,
    daily_budget: Decimal,
    countries: Sequence[str],
    creative_ids: Sequence[str],
    age_range: AgeRange,
    min_adset_budget: Decimal,
) -> StructurePlan:
    """One ad set per creative variant with identical targeting and an equal budget share."""
    budgets = _split(daily_budget, len(creative_ids), min_adset_budget)
    targeting = Targeting(countries=tuple(countries), age_range=age_range)
    adsets = tuple(
        PlannedAdSet(
            key=f"{base_key}v{index}",
            name=f"{name} · variant {index + 1} · {creative_id}",
            targeting=targeting,
            daily_budget=budget,
            creative_ids=(creative_id,),
        )
        for index, (creative_id, budget) in enumerate(zip(creative_ids, budgets, strict=True))
    )
    return _plan(base_key, name, objective, adsets)


#: Countries named in full in an ad set's name; beyond that, "US/GB/DE +7".
NAMED_COUNTRIES = 3


def country_label(countries: Sequence[str]) -> str:
    """The countries part of an ad set's name, bounded however many are targeted."""
    if len(countries) <= NAMED_COUNTRIES:
        return "/".join(countries)
    return f"{'/'.join(countries[:NAMED_COUNTRIES])} +{len(countries) - NAMED_COUNTRIES}"


def check_names(
    plan: StructurePlan,
    max_length: int,
    tagged: Callable[[str, str], str],
    fields: Mapping[str, str],
) -> None:
    """Refuse a plan whose object names, as the platform will get them (``tagged(name,
    key)``), exceed ``max_length``. ``fields`` names the input to blame for the names of
    the ``campaign``, its ``adset``s and its ``ad``s."""
    named = [(plan.campaign_name, plan.campaign_key, fields["campaign"])]
    named += [(a.name, a.key, fields["adset"]) for a in plan.adsets]
    named += [(ad.name, ad.key, fields["ad"]) for ad in plan.ads]
    for name, key, field in named:
        if len(tagged(name, key)) > max_length:
            raise InvalidParameter(
                field,
                f"makes a name longer than the platform's {max_length} characters",
                detail_key="check_name_too_long",
                detail_params={"max_length": max_length},
            )


def _plan(
    base_key: str, name: str, objective: Objective, adsets: tuple[PlannedAdSet, ...]
) -> StructurePlan:
    return StructurePlan(
        campaign_key=f"{base_key}c",
        campaign_name=name,
        objective=objective,
        optimization_goal=GOALS[objective],
        bid_strategy=BidStrategy.LOWEST_COST,
        adsets=adsets,
    )


def _split(daily_budget: Decimal, parts: int, minimum: Decimal) -> list[Decimal]:
    shares = split_equally(daily_budget, parts)
    if min(shares) < minimum:
        raise InvalidParameter(
            "daily_budget",
            f"{daily_budget} split over {parts} ad sets gives {min(shares)} each, "
            f"below the platform minimum of {minimum} per ad set",
            details={"minimum_total": str(minimum * parts)},
            detail_key="check_budget_split",
            detail_params={
                "budget": str(daily_budget),
                "parts": parts,
                "share": str(min(shares)),
                "minimum": str(minimum),
            },
        )
    return shares
