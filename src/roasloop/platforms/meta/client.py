"""Meta Marketing API adapter (async httpx) for one ad account.

Objects are created under ``act_{id}`` with roasloop's client key in every name, so a create
whose answer was lost is found by an edge listing with a ``name`` CONTAIN filter instead of
being made twice. The ads of one ad set are created with one Graph batch: per ad a creative
and an ad that references it as ``{result=creative_i:$.id}`` (plus one thumbnail lookup per
video), so an ad set's ads cost one HTTP request instead of 2–3 per ad.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx

from roasloop.domain.attribution import DELAY_7DC, profile
from roasloop.domain.enums import BidStrategy, EntityLevel, EntityStatus, LearningStatus, Platform
from roasloop.errors import InvalidParameter, NotFound, RoasloopError, ServiceUnavailable
from roasloop.platforms._fields import renamed, unknown_campaign
from roasloop.platforms.meta import mapping, media
from roasloop.platforms.meta.errors import BUDGET_CHANGES_PER_HOUR, budget_write_error
from roasloop.platforms.meta.graph import (
    MAX_BATCH,
    BatchRequest,
    BatchResult,
    GraphSession,
)
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

JSONDict = dict[str, Any]
DEFAULT_API_VERSION = "v25.0"
#: Ads per batch: two requests each plus at most one thumbnail lookup stays within 50.
ADS_PER_BATCH = MAX_BATCH // 3
#: Days per insights request; longer spans are split so synchronous insights stay small.
REPORT_CHUNK_DAYS = 90
TREE_FIELDS = {
    EntityLevel.CAMPAIGN: "id,name,status,effective_status,daily_budget",
    EntityLevel.ADSET: (
        "id,name,status,effective_status,campaign_id,daily_budget,bid_strategy,bid_amount"
    ),
    EntityLevel.AD: "id,name,status,effective_status,campaign_id,adset_id",
}
#: Port names of the wire fields a bid or campaign-budget update can be refused for.
_BID_FIELDS = {"bid_amount": "bid", "bid_strategy": "bid"}
_CAMPAIGN_BUDGET_FIELDS = {"daily_budget": "daily_budget"}
_EDGES = {EntityLevel.CAMPAIGN: "campaigns", EntityLevel.ADSET: "adsets", EntityLevel.AD: "ads"}


class MetaAdapter(PlatformAdapter):
    """``PlatformAdapter`` over the Meta Marketing API (or its sandbox)."""

    platform = Platform.META
    capabilities = PlatformCapabilities(
        # Impression-billed ad sets: $1/day (https://www.facebook.com/business/help/203183363050448).
        min_campaign_daily_budget=Decimal("1.00"),
        min_adset_daily_budget=Decimal("1.00"),
        # Primary text is cut after ~125 characters in feeds (https://www.facebook.com/business/ads-guide).
        max_ad_text_length=125,
        max_ads_per_adset=50,
        # Practitioners treat budget changes above ~20 % as a learning reset (Meta names none).
        safe_budget_step=Decimal("0.20"),
        # 7-day click + 1-day view, reports 80/15/5 % processed on days 0/1/2 (§7).
        report_visibility=profile(DELAY_7DC, (0.80, 0.15, 0.05)),
        budget_changes_per_hour=BUDGET_CHANGES_PER_HOUR,
        # Object names: at most 400 characters; geo_locations.countries: at most 25
        # (https://developers.facebook.com/docs/marketing-api/audiences/reference/basic-targeting).
        max_name_length=400,
        max_countries=25,
    )

    def __init__(
        self,
        http: httpx.AsyncClient,
        account_id: str,
        access_token: str,
        caller: PlatformCaller,
        *,
        api_version: str = DEFAULT_API_VERSION,
        app_secret: str | None = None,
        page_id: str | None = None,
        pixel_id: str | None = None,
    ) -> None:
        self._graph = GraphSession(http, account_id, access_token, caller, api_version, app_secret)
        self._act = f"act_{self._graph.account_id}"
        self._page_id = page_id
        self._pixel_id = pixel_id

    @property
    def account_id(self) -> str:
        return self._graph.account_id

    @staticmethod
    def check_countries(countries: Sequence[str]) -> None:
        mapping.countries(countries)

    # --- writes ----------------------------------------------------------------------------
    async def upload_media(self, spec: MediaSpec) -> str:
        """Images become an image hash (or stay a URL); videos an ``advideos`` id."""
        return await media.upload(self._graph, spec)

    async def create_campaign(self, spec: CampaignSpec) -> str:
        params = {
            "name": mapping.tagged(spec.name, spec.client_key),
            "objective": mapping.OBJECTIVES[spec.objective],
            "status": mapping.STATUS[spec.status],
            "special_ad_categories": [],
            "buying_type": "AUCTION",
            **mapping.campaign_budget(spec.daily_budget),
        }
        return await self._create(EntityLevel.CAMPAIGN, spec.client_key, "", params)

    async def create_adset(self, spec: AdSetSpec) -> str:
        params: JSONDict = {
            "name": mapping.tagged(spec.name, spec.client_key),
            "campaign_id": spec.campaign_id,
            "daily_budget": mapping.budget_to_wire(spec.daily_budget),
            "billing_event": mapping.BILLING_EVENT,
            "optimization_goal": mapping.OPTIMIZATION_GOALS[spec.optimization_goal],
            "bid_strategy": mapping.BID_STRATEGIES[spec.bid_strategy],
            "targeting": mapping.targeting(spec.targeting),
            "start_time": mapping.format_time(spec.start_time),
            "status": mapping.STATUS[spec.status],
            "destination_type": "WEBSITE",
        }
        params |= self._bid(spec)
        if spec.optimization_goal in mapping.PIXEL_GOALS:
            pixel = await self._pixel()
            params["promoted_object"] = {
                "pixel_id": pixel,
                "custom_event_type": mapping.PURCHASE_EVENT,
            }
        return await self._create(EntityLevel.ADSET, spec.client_key, spec.campaign_id, params)

    async def create_ad(self, spec: AdSpec) -> str:
        return (await self.create_ads([spec]))[0]

    async def create_ads(self, specs: Sequence[AdSpec]) -> list[str]:
        """Creatives and ads of one ad set in Graph batches; a retry creates only missing ads."""
        if not specs:
            return []
        page_id = await self._page()
        attempts = 0

        async def attempt() -> list[str]:
            nonlocal attempts
            attempts += 1
            found = await self._ads_by_key(specs) if attempts > 1 else {}
            missing = [spec for spec in specs if spec.client_key not in found]
            for start in range(0, len(missing), ADS_PER_BATCH):
                chunk = missing[start : start + ADS_PER_BATCH]
                found |= await self._create_ad_batch(page_id, chunk)
            return [found[spec.client_key] for spec in specs]

        return await self._graph.attempt("create_ads", attempt)

    async def update_budget(self, adset_id: str, daily_budget: Decimal) -> None:
        """``POST /{adset_id}``; an ad set locked by Meta's hourly budget limit fails with
        1005 at once (see :func:`~roasloop.platforms.meta.errors.budget_write_error`)."""
        params = {"daily_budget": mapping.budget_to_wire(daily_budget)}

        async def once() -> None:
            try:
                await self._graph.once("POST", adset_id, params)
            except RoasloopError as error:
                raise budget_write_error(error) from error

        await self._graph.attempt("update_budget", once)

    async def update_bid(self, adset_id: str, bid: Decimal) -> None:
        """``POST /{adset_id}`` with ``bid_amount`` in minor units; Meta refuses it unless the
        ad set bids with a cap (``COST_CAP``, ``LOWEST_COST_WITH_BID_CAP``)."""
        params = {"bid_amount": mapping.budget_to_wire(bid)}
        try:
            await self._graph.call("update_bid", "POST", adset_id, params)
        except RoasloopError as error:
            raise renamed(error, _BID_FIELDS, "adset_id") from error

    async def update_campaign_budget(self, campaign_id: str, daily_budget: Decimal) -> None:
        """``POST /{campaign_id}`` with ``daily_budget``: only a CBO campaign has one."""
        params = {"daily_budget": mapping.budget_to_wire(daily_budget)}
        try:
            await self._graph.call("update_campaign_budget", "POST", campaign_id, params)
        except RoasloopError as error:
            raise renamed(error, _CAMPAIGN_BUDGET_FIELDS, "campaign_id") from error

    async def update_budgets(
        self, changes: Sequence[tuple[str, Decimal]]
    ) -> list[RoasloopError | None]:
        """Budget updates in Graph batches of 50; each item's own error is kept."""
        outcomes: list[RoasloopError | None] = []
        for start in range(0, len(changes), MAX_BATCH):
            chunk = changes[start : start + MAX_BATCH]
            requests = [
                BatchRequest("POST", adset_id, {"daily_budget": mapping.budget_to_wire(budget)})
                for adset_id, budget in chunk
            ]

            async def once(requests: list[BatchRequest] = requests) -> list[BatchResult]:
                results = [
                    replace(r, error=budget_write_error(r.error)) if r.error else r
                    for r in await self._graph.batch_once(requests)
                ]
                _raise_retryable(results)
                return results

            results = await self._graph.attempt("update_budgets", once)
            outcomes += [result.error for result in results]
        return outcomes

    async def set_status(
        self, level: EntityLevel, object_ids: Sequence[str], status: EntityStatus
    ) -> None:
        """One update per object; several go in batches of 50 (status changes are idempotent)."""
        params = {"status": mapping.STATUS[status]}
        if len(object_ids) == 1:
            await self._graph.call("set_status", "POST", object_ids[0], params)
            return
        for start in range(0, len(object_ids), MAX_BATCH):
            chunk = object_ids[start : start + MAX_BATCH]
            requests = [BatchRequest("POST", object_id, params) for object_id in chunk]

            async def once(requests: list[BatchRequest] = requests) -> None:
                _raise_first(await self._graph.batch_once(requests))

            await self._graph.attempt("set_status", once)

    # --- reads -------------------------------------------------------------------------------
    async def find_by_client_key(
        self, level: EntityLevel, client_key: str, parent_id: str = ""
    ) -> str | None:
        tag = client_key_tag(client_key)
        owner = parent_id if parent_id and level is not EntityLevel.CAMPAIGN else self._act
        params = {
            "fields": "id,name,status",
            "filtering": [{"field": "name", "operator": "CONTAIN", "value": tag}],
        }
        rows = await self._graph.list_all(f"find_{level.value}", f"{owner}/{_EDGES[level]}", params)
        for row in rows:
            if tag in str(row.get("name", "")) and row.get("status") != "DELETED":
                return str(row["id"])
        return None

    async def get_report(self, campaign_id: str, start: date, end: date) -> list[ReportRow]:
        rows: list[ReportRow] = []
        chunk_start = start
        while chunk_start <= end:
            chunk_end = min(end, chunk_start + timedelta(days=REPORT_CHUNK_DAYS - 1))
            rows += await self._report_chunk(campaign_id, chunk_start, chunk_end)
            chunk_start = chunk_end + timedelta(days=1)
        return rows

    async def get_campaign_tree(self, campaign_id: str) -> CampaignTree:
        try:
            fields = {"fields": TREE_FIELDS[EntityLevel.CAMPAIGN]}
            campaign = await self._graph.call("get_campaign", "GET", campaign_id, fields)
        except NotFound as exc:
            raise unknown_campaign(campaign_id, "Meta", exc.details) from exc
        adsets = await self._graph.list_all(
            "get_adsets", f"{campaign_id}/adsets", {"fields": TREE_FIELDS[EntityLevel.ADSET]}
        )
        ads = await self._graph.list_all(
            "get_ads", f"{campaign_id}/ads", {"fields": TREE_FIELDS[EntityLevel.AD]}
        )
        return CampaignTree(
            campaign=mapping.remote_object(EntityLevel.CAMPAIGN, campaign),
            adsets=tuple(mapping.remote_object(EntityLevel.ADSET, row) for row in adsets),
            ads=tuple(mapping.remote_object(EntityLevel.AD, row) for row in ads),
        )

    async def get_learning_statuses(self, campaign_id: str) -> dict[str, LearningStatus]:
        """One listing of the campaign's ad sets with ``learning_stage_info``."""
        rows = await self._graph.list_all(
            "get_learning", f"{campaign_id}/adsets", {"fields": mapping.LEARNING_FIELDS}
        )
        return mapping.learning_statuses(rows)

    # --- internals ---------------------------------------------------------------------------
    async def _create(
        self, level: EntityLevel, client_key: str, parent_id: str, params: JSONDict
    ) -> str:
        """Create once: a retry first looks for the object a lost response may have made."""
        attempts = 0

        async def attempt() -> str:
            nonlocal attempts
            attempts += 1
            if attempts > 1:
                existing = await self.find_by_client_key(level, client_key, parent_id)
                if existing:
                    return existing
            created = await self._graph.once("POST", f"{self._act}/{_EDGES[level]}", params)
            return str(created["id"])

        return await self._graph.attempt(f"create_{level.value}", attempt)

    async def _create_ad_batch(self, page_id: str, specs: Sequence[AdSpec]) -> dict[str, str]:
        videos = dict.fromkeys(s.media_id for s in specs if s.media_id.isdigit())
        requests = [BatchRequest("GET", v, {"fields": "picture"}, f"thumb_{v}") for v in videos]
        ad_index: dict[str, int] = {}
        for index, spec in enumerate(specs):
            thumbnail = (
                f"{{result=thumb_{spec.media_id}:$.picture}}" if spec.media_id.isdigit() else ""
            )
            creative = {
                "name": mapping.tagged(spec.name, spec.client_key),
                "object_story_spec": mapping.story_spec(page_id, spec, thumbnail),
            }
            requests.append(
                BatchRequest("POST", f"{self._act}/adcreatives", creative, f"creative_{index}")
            )
            ad = {
                "name": mapping.tagged(spec.name, spec.client_key),
                "adset_id": spec.adset_id,
                "creative": {"creative_id": f"{{result=creative_{index}:$.id}}"},
                "status": mapping.STATUS[spec.status],
            }
            ad_index[spec.client_key] = len(requests)
            requests.append(BatchRequest("POST", f"{self._act}/ads", ad))
        results = await self._graph.batch_once(requests)
        _raise_first(results)
        return {key: str(results[index].body["id"]) for key, index in ad_index.items()}

    async def _ads_by_key(self, specs: Sequence[AdSpec]) -> dict[str, str]:
        """Ads of the ad set that carry one of the specs' client keys (lost-response lookup)."""
        params = {"fields": "id,name,status"}
        ads = await self._graph.list_all("find_ads", f"{specs[0].adset_id}/ads", params)
        found: dict[str, str] = {}
        for spec in specs:
            tag = client_key_tag(spec.client_key)
            match = next((ad for ad in ads if tag in str(ad.get("name", ""))), None)
            if match is not None:
                found[spec.client_key] = str(match["id"])
        return found

    async def _report_chunk(self, campaign_id: str, start: date, end: date) -> list[ReportRow]:
        params = {
            "level": "ad",
            "time_increment": 1,
            "time_range": {"since": start.isoformat(), "until": end.isoformat()},
            "fields": ",".join(mapping.REPORT_FIELDS),
            "filtering": [
                {
                    "field": "ad.effective_status",
                    "operator": "IN",
                    "value": list(mapping.ALL_EFFECTIVE_STATUSES),
                }
            ],
        }
        rows = await self._graph.list_all("get_report", f"{campaign_id}/insights", params)
        return [mapping.report_row(row) for row in rows]

    def _bid(self, spec: AdSetSpec) -> JSONDict:
        if spec.bid_amount is None:
            return {}
        if spec.bid_strategy is BidStrategy.TARGET_ROAS:
            return {"bid_constraints": {"roas_average_floor": mapping.roas_floor(spec.bid_amount)}}
        if mapping.BID_STRATEGIES[spec.bid_strategy] == "LOWEST_COST_WITHOUT_CAP":
            return {}
        return {"bid_amount": mapping.budget_to_wire(spec.bid_amount)}

    async def prepare(self) -> None:
        """The account's Page and pixel, looked up together before ad sets and ads need them."""
        await asyncio.gather(self._page(), self._pixel())

    async def _page(self) -> str:
        if self._page_id is None:
            missing = N_("the ad account has no promote pages")
            self._page_id = await self._first_id("promote_pages", "page_id", missing)
        return self._page_id

    async def _pixel(self) -> str:
        if self._pixel_id is None:
            missing = N_("the ad account has no adspixels")
            self._pixel_id = await self._first_id("adspixels", "pixel_id", missing)
        return self._pixel_id

    async def _first_id(self, edge: str, field: str, missing: str) -> str:
        rows = await self._graph.list_all(f"get_{edge}", f"{self._act}/{edge}", {"fields": "id"})
        if not rows:
            raise InvalidParameter(field, missing)
        return str(rows[0]["id"])


def _raise_first(results: Sequence[BatchResult]) -> None:
    """The first failed request's error; requests not run at all are worth a retry."""
    for result in results:
        if result.error is not None:
            raise result.error
    if not all(result.executed for result in results):
        raise ServiceUnavailable("a batch request was not run", details={"platform": "meta"})


def _raise_retryable(results: Sequence[BatchResult]) -> None:
    """Retry the batch (idempotent updates) if any item hit a transient error or did not run."""
    for result in results:
        if result.error is not None and result.error.retryable:
            raise result.error
    if not all(result.executed for result in results):
        raise ServiceUnavailable("a batch request was not run", details={"platform": "meta"})
