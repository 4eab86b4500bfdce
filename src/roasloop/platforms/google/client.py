"""Google Ads API (REST) adapter (async httpx) for one customer.

Wire: ``/{version}/customers/{cid}/…`` with ``Authorization: Bearer``, ``developer-token``
and optional ``login-customer-id`` headers; camelCase JSON, int64 as strings, money in micros
(shared/reference/platform_apis.md §3). The official ``google-ads`` library is gRPC-only, so
this talks REST directly.

Why one campaign per ad set: a Google budget belongs to a campaign and ad groups cannot have
their own, yet roasloop's policies move money between ad sets. So each ad set gets its own
Demand Gen *member* campaign whose budget governs exactly that ad set
(:meth:`update_budget` sets it), grouped under a *lead* campaign that stands for the
roasloop campaign (name, objective, status) and holds no ad groups. Demand Gen fits
"sales / traffic / awareness" with broad audiences and automatic placements (YouTube,
Discover, Gmail, Display) and, unlike responsive search/display ads, keeps ad names — where
roasloop's client keys live. Each multi-object create is one atomic ``googleAds:mutate``
with temporary ids, so a lost response leaves everything or nothing, and a retry looks the
object up by its client key before creating again.
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import httpx

from roasloop.domain.attribution import DELAY_30DC, profile
from roasloop.domain.enums import EntityLevel, EntityStatus, LearningStatus, Platform
from roasloop.errors import InvalidParameter, RoasloopError
from roasloop.platforms._fields import renamed, unknown_ad_group, unknown_campaign
from roasloop.platforms.google import bidding, mapping, media
from roasloop.platforms.google import operations as ops
from roasloop.platforms.google import queries as q
from roasloop.platforms.google.auth import GoogleCredentials
from roasloop.platforms.google.mapping import key_of
from roasloop.platforms.google.status import CreatedLeads, StatusWriter, numeric_id
from roasloop.platforms.google.transport import GoogleAdsTransport, Rows
from roasloop.platforms.transport import PlatformCaller
from roasloop.ports.platform import (
    AdSetSpec,
    AdSpec,
    CampaignSpec,
    CampaignTree,
    MediaSpec,
    PlatformAdapter,
    PlatformCapabilities,
    ReportRow,
    client_key_tag,
)
from roasloop.translations import N_

#: Pinned API version (https://developers.google.com/google-ads/api/docs/sunset-dates).
API_VERSION = "v25"
LIVE_BASE_URL = "https://googleads.googleapis.com"

JSON = dict[str, Any]


class GoogleAdsAdapter(PlatformAdapter):
    """``PlatformAdapter`` over the Google Ads API (or its sandbox) for one customer."""

    platform = Platform.GOOGLE
    capabilities = PlatformCapabilities(
        # No general minimum: one currency unit (0.01) is the floor the API enforces
        # (https://developers.google.com/google-ads/api/docs/campaigns/budgets/overview).
        min_campaign_daily_budget=Decimal("0.01"),
        min_adset_daily_budget=Decimal("0.01"),
        max_ad_text_length=90,
        max_ads_per_adset=50,
        # Smart Bidding relearns when a target moves > 30 % (SA360); budgets: stay at 20 %.
        safe_budget_step=Decimal("0.20"),
        # 30-day click window, reports 90/8/2 % processed on days 0/1/2 (§7).
        report_visibility=profile(DELAY_30DC, (0.90, 0.08, 0.02)),
        campaign_budgets=False,
        media_by_url=False,  # image assets are uploaded as bytes (see media.py)
        # Campaign and ad group names: at most 255 characters
        # (https://developers.google.com/google-ads/api/reference/rpc/latest/Campaign).
        max_name_length=255,
    )

    def __init__(
        self,
        http: httpx.AsyncClient,
        customer_id: str,
        credentials: GoogleCredentials,
        caller: PlatformCaller,
        *,
        developer_token: str,
        login_customer_id: str | None = None,
        api_version: str = API_VERSION,
    ) -> None:
        self._caller = caller
        self._wire = GoogleAdsTransport(
            http,
            customer_id,
            credentials,
            developer_token=developer_token,
            login_customer_id=login_customer_id,
            api_version=api_version,
            timeout=caller.policy.timeout,
        )
        self._created = CreatedLeads()
        self._status = StatusWriter(self._wire, self._created)

    @property
    def account_id(self) -> str:
        return self._wire.customer_id

    @staticmethod
    def check_countries(countries: Sequence[str]) -> None:
        mapping.geo_target_constants(countries)

    # --- writes ------------------------------------------------------------------------
    async def upload_media(self, spec: MediaSpec) -> str:
        """An image asset named after the creative; its resource name is the media id."""
        data = base64.b64encode(media.image_bytes(spec.media_url)).decode()
        asset = {"name": mapping.tagged(spec.name, spec.client_key), "imageAsset": {"data": data}}

        async def lookup() -> str | None:
            rows = await self._wire.search(q.asset_by_key(spec.client_key))
            return str(rows[0]["asset"]["resourceName"]) if rows else None

        async def send() -> str:
            result = await self._wire.post("assets:mutate", {"operations": [{"create": asset}]})
            return str(result["results"][0]["resourceName"])

        return await self._create("upload_media", lookup, send)

    async def create_campaign(self, spec: CampaignSpec) -> str:
        """The lead campaign and its placeholder budget, in one atomic request."""
        if spec.daily_budget is not None:
            raise bidding.no_campaign_budget()
        name = mapping.tagged(spec.name, spec.client_key)
        body = ops.lead_campaign(self.account_id, name, spec.objective, spec.status)

        async def lookup() -> str | None:
            return await self._find(q.campaign_by_key(spec.client_key), "campaign")

        async def send() -> str:
            lead_id = await self._mutate_all(body, "campaignOperation")
            self._created.remember(
                {
                    "id": lead_id,
                    "name": name,
                    "status": ops.wire_status(spec.status),
                    "resourceName": f"customers/{self.account_id}/campaigns/{lead_id}",
                }
            )
            return lead_id

        return await self._create("create_campaign", lookup, send)

    async def create_adset(self, spec: AdSetSpec) -> str:
        """A member campaign (budget, bidding, locations) with one ad group (age exclusions)."""
        lead_id = numeric_id(spec.campaign_id, "campaign_id")
        self.check_countries(spec.targeting.countries)

        async def lookup() -> str | None:
            return await self._find(q.ad_group_by_key(spec.client_key, lead_id), "adGroup")

        async def send() -> str:
            lead = await self._lead(lead_id)
            body = ops.member_campaign(self.account_id, spec, lead)
            responses = await self._mutate(body)
            member = _result(body, responses, "campaignOperation")
            self._created.add_member(lead_id, {"resourceName": member, "status": lead["status"]})
            return key_of(_result(body, responses, "adGroupOperation"))

        return await self._create("create_adset", lookup, send)

    async def create_ad(self, spec: AdSpec) -> str:
        return (await self.create_ads([spec]))[0]

    async def create_ads(self, specs: Sequence[AdSpec]) -> list[str]:
        """All ads of one ad group in one ``adGroupAds:mutate``; ids are ``{ad group}~{ad}``."""
        if not specs:
            return []
        ad_group_id = numeric_id(specs[0].adset_id, "adset_id")
        attempts = 0

        async def attempt() -> list[str]:
            nonlocal attempts
            attempts += 1
            found = await self._ads_by_key(ad_group_id, specs) if attempts > 1 else {}
            missing = [spec for spec in specs if spec.client_key not in found]
            if missing:
                body = {"operations": ops.ad_creates(self.account_id, ad_group_id, missing)}
                result = await self._wire.post("adGroupAds:mutate", body)
                keys = (key_of(r["resourceName"]) for r in result["results"])
                found |= dict(zip((s.client_key for s in missing), keys, strict=True))
            return [found[spec.client_key] for spec in specs]

        return await self._caller.call("create_ads", attempt)

    async def update_budget(self, adset_id: str, daily_budget: Decimal) -> None:
        """Set the budget of the ad set's member campaign (``updateMask: amountMicros``)."""
        ad_group_id = numeric_id(adset_id, "adset_id")

        async def once() -> None:
            rows = await self._wire.search(q.ad_groups_by_id([ad_group_id]))
            if not rows:
                raise unknown_ad_group(adset_id, "Google Ads")
            budget = str(rows[0]["campaign"]["campaignBudget"])
            await self._wire.post("campaignBudgets:mutate", ops.budget_update(budget, daily_budget))

        await self._caller.call("update_budget", once)

    async def update_bid(self, adset_id: str, bid: Decimal) -> None:
        """Set the money target of the ad set's member campaign (see :mod:`.bidding`)."""
        ad_group_id = numeric_id(adset_id, "adset_id")

        async def once() -> None:
            rows = await self._wire.search(q.ad_group_bidding(ad_group_id))
            if not rows:
                raise unknown_ad_group(adset_id, "Google Ads")
            campaign = rows[0]["campaign"]
            resource = ops.resource_name(self.account_id, "campaigns", campaign["id"])
            body = bidding.bid_update(resource, campaign, bid, adset_id)
            await self._wire.post("campaigns:mutate", body)

        try:
            await self._caller.call("update_bid", once)
        except InvalidParameter as error:
            raise renamed(error, bidding.REFUSED_FIELDS, "adset_id") from error

    async def update_campaign_budget(self, campaign_id: str, daily_budget: Decimal) -> None:
        """Refused: see ``capabilities.campaign_budgets`` and the module docstring."""
        numeric_id(campaign_id, "campaign_id")
        raise bidding.no_campaign_budget()

    async def update_budgets(
        self, changes: Sequence[tuple[str, Decimal]]
    ) -> list[RoasloopError | None]:
        """Two calls whatever the count: one search for the budgets, one multi-operation
        mutate. If the mutate is refused, the changes are retried one by one so each gets
        its own outcome."""
        ids = [adset_id for adset_id, _ in changes]
        if not changes or not all(i.isdigit() for i in ids):
            return await super().update_budgets(changes)

        async def once() -> list[RoasloopError | None]:
            rows = await self._wire.search(q.ad_groups_by_id(ids))
            budgets = {str(r["adGroup"]["id"]): str(r["campaign"]["campaignBudget"]) for r in rows}
            found = [(budgets[i], amount) for i, amount in changes if i in budgets]
            operations = [ops.budget_update(b, amount)["operations"][0] for b, amount in found]
            if operations:
                await self._wire.post("campaignBudgets:mutate", {"operations": operations})
            missing = InvalidParameter("adset_id", N_("ad group not found on Google Ads"))
            return [None if i in budgets else missing for i in ids]

        try:
            return await self._caller.call("update_budgets", once)
        except RoasloopError:
            return await super().update_budgets(changes)

    async def set_status(
        self, level: EntityLevel, object_ids: Sequence[str], status: EntityStatus
    ) -> None:
        """See :mod:`roasloop.platforms.google.status`."""
        if not object_ids:
            return

        async def once() -> None:
            await self._status.apply(level, list(object_ids), status)

        await self._caller.call("set_status", once)

    # --- reads -------------------------------------------------------------------------
    async def find_by_client_key(
        self, level: EntityLevel, client_key: str, parent_id: str = ""
    ) -> str | None:
        async def once() -> str | None:
            if level is EntityLevel.CAMPAIGN:
                return await self._find(q.campaign_by_key(client_key), "campaign")
            if level is EntityLevel.ADSET:
                lead = numeric_id(parent_id, "campaign_id") if parent_id else ""
                return await self._find(q.ad_group_by_key(client_key, lead), "adGroup")
            ad_group_id = numeric_id(parent_id, "adset_id")
            rows = await self._wire.search(q.ads_of_ad_group(ad_group_id, client_key))
            return mapping.ad_id(rows[0]) if rows else None

        return await self._caller.call("find_by_client_key", once)

    async def get_report(self, campaign_id: str, start: date, end: date) -> list[ReportRow]:
        """Daily ad rows of every member campaign; ``campaign_id`` is the lead's id."""
        lead_id = numeric_id(campaign_id, "campaign_id")

        async def once() -> Rows:
            return await self._wire.search(q.report(lead_id, start, end))

        rows = await self._caller.call("get_report", once)
        return [
            ReportRow(
                campaign_id=lead_id,
                adset_id=str(row["adGroup"]["id"]),
                ad_id=mapping.ad_id(row),
                day=date.fromisoformat(row["segments"]["date"]),
                metrics=mapping.metrics_from_row(row.get("metrics", {})),
            )
            for row in rows
        ]

    async def get_campaign_tree(self, campaign_id: str) -> CampaignTree:
        lead_id = numeric_id(campaign_id, "campaign_id")

        async def once() -> tuple[JSON, Rows, Rows, Rows]:
            lead = await self._lead(lead_id, allow_removed=True)
            members = await self._wire.search(q.members(lead_id))
            groups = await self._wire.search(q.tree_ad_groups(lead_id))
            return lead, members, groups, await self._wire.search(q.tree_ads(lead_id))

        lead, members, groups, ads = await self._caller.call("get_campaign_tree", once)
        budgets = {
            str(m["campaign"]["id"]): mapping.from_wire_micros(
                m.get("campaignBudget", {}).get("amountMicros")
            )
            for m in members
        }
        bids = {str(m["campaign"]["id"]): bidding.current_bid(m["campaign"]) for m in members}
        return CampaignTree(
            campaign=mapping.remote_object(EntityLevel.CAMPAIGN, lead_id, lead),
            adsets=tuple(
                mapping.remote_object(
                    EntityLevel.ADSET,
                    str(g["adGroup"]["id"]),
                    g["adGroup"],
                    lead_id,
                    budgets.get(str(g["campaign"]["id"])),
                    bids.get(str(g["campaign"]["id"])),
                )
                for g in groups
            ),
            ads=tuple(mapping.ad_remote(a) for a in ads),
        )

    async def get_learning_statuses(self, campaign_id: str) -> dict[str, LearningStatus]:
        """One search: every member ad group with its campaign's bidding-strategy status."""
        lead_id = numeric_id(campaign_id, "campaign_id")

        async def once() -> Rows:
            return await self._wire.search(q.learning(lead_id))

        return mapping.learning_statuses(await self._caller.call("get_learning_statuses", once))

    # --- internals -------------------------------------------------------------------------
    async def _create(
        self,
        operation: str,
        lookup: Callable[[], Awaitable[str | None]],
        send: Callable[[], Awaitable[str]],
    ) -> str:
        """Create once: a retry first looks for the object a lost response may have made."""
        attempts = 0

        async def attempt() -> str:
            nonlocal attempts
            attempts += 1
            if attempts > 1:
                existing = await lookup()
                if existing:
                    return existing
            return await send()

        return await self._caller.call(operation, attempt)

    async def _mutate_all(self, body: Rows, wanted: str) -> str:
        """Send a googleAds:mutate; the id made by its first ``wanted`` operation."""
        return key_of(_result(body, await self._mutate(body), wanted))

    async def _mutate(self, body: Rows) -> Rows:
        result = await self._wire.post("googleAds:mutate", {"mutateOperations": body})
        responses: Rows = result["mutateOperationResponses"]
        return responses

    async def _lead(self, lead_id: str, *, allow_removed: bool = False) -> JSON:
        if lead_id in self._created.leads:
            return dict(self._created.leads[lead_id])
        rows = await self._wire.search(q.campaigns_by_id([lead_id]))
        if not rows or (rows[0]["campaign"]["status"] == "REMOVED" and not allow_removed):
            raise unknown_campaign(lead_id, "Google Ads")
        return dict(rows[0]["campaign"])

    async def _ads_by_key(self, ad_group_id: str, specs: Sequence[AdSpec]) -> dict[str, str]:
        """Ads of the ad group carrying one of the specs' client keys (lost-response lookup)."""
        rows = await self._wire.search(q.ads_of_ad_group(ad_group_id))
        found: dict[str, str] = {}
        for spec in specs:
            tag = client_key_tag(spec.client_key)
            for row in rows:
                if tag in str(row["adGroupAd"]["ad"].get("name", "")):
                    found[spec.client_key] = mapping.ad_id(row)
        return found

    async def _find(self, query: str, resource: str) -> str | None:
        rows = await self._wire.search(query)
        return str(rows[0][resource]["id"]) if rows else None


def _result(body: Rows, responses: Rows, wanted: str) -> str:
    """The resource name made by the first ``wanted`` operation of a googleAds:mutate."""
    index = next(i for i, operation in enumerate(body) if wanted in operation)
    return str(responses[index][wanted.replace("Operation", "Result")]["resourceName"])
