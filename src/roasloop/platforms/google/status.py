"""Status changes on Google Ads: a roasloop campaign is a lead campaign plus its member
campaigns, an ad set is an ad group (deleting also removes its member campaign), an ad is an
AdGroupAd. Deleting skips what is already removed, so a retry after a lost response is
harmless."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from roasloop.domain.enums import EntityLevel, EntityStatus
from roasloop.errors import InvalidParameter
from roasloop.platforms.google import mapping
from roasloop.platforms.google import operations as ops
from roasloop.platforms.google import queries as q
from roasloop.platforms.google.transport import GoogleAdsTransport, Rows
from roasloop.translations import N_

JSON = dict[str, Any]


@dataclass
class CreatedLeads:
    """Lead campaigns an adapter created (id, name, status, resource name) and the member
    campaigns it created under them: a fresh structure should not pay searches to read back
    what it just made. A lead is forgotten at its first status change."""

    leads: dict[str, JSON] = field(default_factory=dict)
    members: dict[str, list[JSON]] = field(default_factory=dict)

    def remember(self, lead: JSON) -> None:
        self.leads[str(lead["id"])] = lead
        self.members[str(lead["id"])] = []

    def add_member(self, lead_id: str, member: JSON) -> None:
        """Record a member campaign of a lead created here (ignored for other leads)."""
        if lead_id in self.members:
            self.members[lead_id].append(member)

    def knows(self, lead_ids: Sequence[str]) -> bool:
        return all(i in self.leads and i in self.members for i in lead_ids)

    def forget(self, lead_ids: Sequence[str]) -> None:
        for lead_id in lead_ids:
            self.leads.pop(lead_id, None)
            self.members.pop(lead_id, None)


def numeric_id(value: str, field: str) -> str:
    """A Google Ads id (digits only), or 1001 naming ``field``."""
    if not str(value).isdigit():
        raise InvalidParameter(
            field, N_("not a Google Ads id: {value}"), detail_params={"value": repr(value)}
        )
    return str(value)


def ad_key(ad_id: str) -> str:
    """roasloop's Google ad id is ``{ad group id}~{ad id}``, the AdGroupAd's key."""
    group, _, ad = ad_id.partition("~")
    if not (group.isdigit() and ad.isdigit()):
        raise InvalidParameter(
            "ad_id",
            N_("not a Google ad id (ad group id~ad id): {value}"),
            detail_params={"value": repr(ad_id)},
        )
    return ad_id


def require_all(wanted: Sequence[str], found: Sequence[str], field: str) -> None:
    missing = sorted(set(wanted) - set(found))
    if missing:
        raise InvalidParameter(
            field, N_("not found on Google Ads: {ids}"), detail_params={"ids": ", ".join(missing)}
        )


class StatusWriter:
    """Applies one status to objects of one level in as few round trips as possible."""

    def __init__(self, wire: GoogleAdsTransport, created: CreatedLeads) -> None:
        self._wire = wire
        self._created = created

    async def apply(self, level: EntityLevel, ids: list[str], status: EntityStatus) -> None:
        if level is EntityLevel.CAMPAIGN:
            await self._campaigns(ids, status)
        elif level is EntityLevel.ADSET:
            await self._adsets(ids, status)
        else:
            await self._ads(ids, status)

    async def _campaigns(self, ids: list[str], status: EntityStatus) -> None:
        """The leads and their members are read together (one round trip), then mutated;
        leads this adapter just created are not read back at all."""
        lead_ids = [numeric_id(i, "campaign_id") for i in ids]
        if self._created.knows(lead_ids):
            targets = [self._created.leads[i] for i in lead_ids]
            targets += [m for i in lead_ids for m in self._created.members[i]]
        else:
            targets = await self._read_leads_and_members(ids, lead_ids)
        self._created.forget(lead_ids)
        body = ops.status_operations(targets, status)
        if body:
            await self._wire.post("campaigns:mutate", {"operations": body})

    async def _read_leads_and_members(self, ids: list[str], lead_ids: list[str]) -> list[JSON]:
        leads, *member_rows = await asyncio.gather(
            self._wire.search(q.campaigns_by_id(lead_ids)),
            *(self._wire.search(q.members(lead_id)) for lead_id in lead_ids),
        )
        require_all(ids, [str(row["campaign"]["id"]) for row in leads], "campaign_id")
        targets = [row["campaign"] for row in leads]
        for members in member_rows:
            targets += [m["campaign"] for m in members if m["campaign"]["status"] != "REMOVED"]
        return targets

    async def _adsets(self, ids: list[str], status: EntityStatus) -> None:
        self._created.members.clear()  # a member campaign may change: read them back from now on
        rows = await self._wire.search(q.ad_groups_by_id([numeric_id(i, "adset_id") for i in ids]))
        require_all(ids, [str(row["adGroup"]["id"]) for row in rows], "adset_id")
        if status is not EntityStatus.DELETED:
            body = {"operations": ops.status_operations([r["adGroup"] for r in rows], status)}
            await self._wire.post("adGroups:mutate", body)
            return
        removes = _removals(rows)
        if removes:
            await self._wire.post("googleAds:mutate", {"mutateOperations": removes})

    async def _ads(self, ids: list[str], status: EntityStatus) -> None:
        names = [ops.resource_name(self._wire.customer_id, "adGroupAds", ad_key(i)) for i in ids]
        rows = await self._wire.search(q.ad_group_ads_by_name(names))
        targets = [row["adGroupAd"] for row in rows]
        require_all(names, [str(t["resourceName"]) for t in targets], "ad_id")
        body = ops.status_operations(targets, status)
        if body:
            await self._wire.post("adGroupAds:mutate", {"operations": body})


def _removals(rows: Rows) -> Rows:
    """Remove operations for the ad groups and their member campaigns not yet removed."""
    removes: Rows = []
    for row in rows:
        group, campaign = row["adGroup"], row["campaign"]
        if group["status"] != "REMOVED":
            removes.append({"adGroupOperation": {"remove": group["resourceName"]}})
        if mapping.is_member(campaign["name"]) and campaign["status"] != "REMOVED":
            removes.append({"campaignOperation": {"remove": campaign["resourceName"]}})
    return removes
