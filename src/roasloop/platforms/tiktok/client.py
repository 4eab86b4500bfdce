"""TikTok Marketing API v1.3 adapter (async httpx) for one advertiser.

Wire conventions (shared/reference/platform_apis.md §1): ``Access-Token`` header, paths
with a trailing slash, HTTP 200 with ``{code, message, request_id, data}``, JSON bodies for
writes and JSON-encoded strings for list parameters of GET requests.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx

from roasloop.domain.attribution import DELAY_7DC, profile
from roasloop.domain.enums import EntityLevel, EntityStatus, LearningStatus, Platform
from roasloop.errors import InvalidParameter, RoasloopError
from roasloop.platforms._fields import renamed, unknown_ad_group, unknown_campaign
from roasloop.platforms.tiktok import mapping
from roasloop.platforms.tiktok.protocol import (
    API_PREFIX,
    ID_FIELDS,
    creative,
    encode_query,
    in_filter,
    remote,
    report_row,
    unwrap,
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

#: report/integrated/get: at most 30 days per request with ``stat_time_day``; ≤1000 rows/page.
REPORT_MAX_DAYS = 30
PAGE_SIZE = 1000
#: status/update endpoints take at most 20 ids per call.
STATUS_BATCH = 20
#: Rate-limit buckets (https://business-api.tiktok.com/portal/docs/rate-limits/v1.3, Basic tier).
APP_BUCKET, APP_QPS = "tiktok:app", 10.0
#: Processing lag of reports, days 0..2 (market_benchmarks §7 report_lag_pmf_days, TikTok).
REPORT_LAG = (0.75, 0.18, 0.07)
AD_CREATE_BUCKET, AD_CREATE_QPS = "tiktok:ad_create", 5.0

JSONDict = dict[str, Any]

_LEVEL_PATHS = {
    EntityLevel.CAMPAIGN: "campaign",
    EntityLevel.ADSET: "adgroup",
    EntityLevel.AD: "ad",
}
#: Port names of the wire fields a bid or campaign-budget update can be refused for.
_BID_FIELDS = {"adgroup_id": "adset_id", "bid_price": "bid", "conversion_bid_price": "bid"}
_CAMPAIGN_BUDGET_FIELDS = {"campaign_id": "campaign_id", "budget": "daily_budget"}
_PARENT_FILTER = {EntityLevel.ADSET: "campaign_ids", EntityLevel.AD: "adgroup_ids"}


class TikTokAdapter(PlatformAdapter):
    """``PlatformAdapter`` over the TikTok Marketing API (or its sandbox)."""

    platform = Platform.TIKTOK
    capabilities = PlatformCapabilities(
        min_campaign_daily_budget=Decimal("50"),
        min_adset_daily_budget=Decimal("20"),
        max_ad_text_length=100,
        max_ads_per_adset=20,
        # "keep budget changes within ±50 %" (https://ads.tiktok.com/help/article?aid=744163857974606118)
        safe_budget_step=Decimal("0.50"),
        report_visibility=profile(DELAY_7DC, REPORT_LAG),
        # campaign_name, adgroup_name and ad_name: at most 512 characters
        # (https://business-api.tiktok.com/portal/docs?id=1739318962329602).
        max_name_length=512,
    )

    def __init__(
        self, http: httpx.AsyncClient, advertiser_id: str, access_token: str, caller: PlatformCaller
    ) -> None:
        self._http = http
        self._advertiser_id = advertiser_id
        self._token = access_token
        self._caller = caller

    @property
    def account_id(self) -> str:
        return self._advertiser_id

    @staticmethod
    def check_countries(countries: Sequence[str]) -> None:
        mapping.location_ids(countries)

    # --- writes ------------------------------------------------------------------------
    async def upload_media(self, spec: MediaSpec) -> str:
        tag = client_key_tag(spec.client_key)
        form = {"advertiser_id": self._advertiser_id, "file_name": f"{spec.name} {tag}"}
        if spec.media_url.startswith(("http://", "https://")):
            form |= {"upload_type": "UPLOAD_BY_URL", "video_url": spec.media_url}
            data = await self._send("POST", "/file/video/ad/upload/", "upload_media", data=form)
        else:
            content = _read_media(spec.media_url)
            form |= {
                "upload_type": "UPLOAD_BY_FILE",
                "video_signature": hashlib.md5(content, usedforsecurity=False).hexdigest(),
            }
            files = {"video_file": (Path(spec.media_url).name, content, "video/mp4")}
            data = await self._send(
                "POST", "/file/video/ad/upload/", "upload_media", data=form, files=files
            )
        return str(data[0]["video_id"])

    async def create_campaign(self, spec: CampaignSpec) -> str:
        body = {
            "advertiser_id": self._advertiser_id,
            "campaign_name": f"{spec.name} {client_key_tag(spec.client_key)}",
            "objective_type": mapping.OBJECTIVE_TYPES[spec.objective],
            "operation_status": mapping.OPERATION_STATUS[spec.status],
            **mapping.campaign_budget(spec.daily_budget),
        }
        return await self._create(EntityLevel.CAMPAIGN, spec.client_key, "", body)

    async def create_adset(self, spec: AdSetSpec) -> str:
        body: JSONDict = {
            "advertiser_id": self._advertiser_id,
            "campaign_id": spec.campaign_id,
            "adgroup_name": f"{spec.name} {client_key_tag(spec.client_key)}",
            "promotion_type": "WEBSITE",
            "placement_type": "PLACEMENT_TYPE_AUTOMATIC",
            "location_ids": mapping.location_ids(spec.targeting.countries),
            "age_groups": mapping.age_groups(spec.targeting.age_range),
            "gender": "GENDER_UNLIMITED",
            "budget_mode": "BUDGET_MODE_DAY",
            "budget": mapping.budget_to_wire(spec.daily_budget),
            "schedule_type": "SCHEDULE_FROM_NOW",
            "schedule_start_time": mapping.format_time(spec.start_time),
            **mapping.adgroup_bidding(spec.optimization_goal, spec.bid_strategy, spec.bid_amount),
            "pacing": "PACING_MODE_SMOOTH",
            "operation_status": mapping.OPERATION_STATUS[spec.status],
        }
        return await self._create(EntityLevel.ADSET, spec.client_key, spec.campaign_id, body)

    async def create_ad(self, spec: AdSpec) -> str:
        body = {
            "advertiser_id": self._advertiser_id,
            "adgroup_id": spec.adset_id,
            "creatives": [creative(spec)],
        }
        return await self._create(EntityLevel.AD, spec.client_key, spec.adset_id, body)

    async def create_ads(self, specs: Sequence[AdSpec]) -> list[str]:
        """All ads of one ad group in one ``ad/create`` call (up to 20 creatives)."""
        if not specs:
            return []
        adgroup_id = specs[0].adset_id
        attempts = 0

        async def attempt() -> list[str]:
            nonlocal attempts
            attempts += 1
            found = await self._ads_by_key(adgroup_id, specs) if attempts > 1 else {}
            missing = [spec for spec in specs if spec.client_key not in found]
            if missing:
                body = {
                    "advertiser_id": self._advertiser_id,
                    "adgroup_id": adgroup_id,
                    "creatives": [creative(spec) for spec in missing],
                }
                data = await self._request_once("POST", "/ad/create/", json_body=body)
                found |= dict(zip((s.client_key for s in missing), data["ad_ids"], strict=True))
            return [str(found[spec.client_key]) for spec in specs]

        return await self._caller.call("create_ads", attempt, buckets=(AD_CREATE_BUCKET,))

    async def update_budget(self, adset_id: str, daily_budget: Decimal) -> None:
        body = {
            "advertiser_id": self._advertiser_id,
            "adgroup_id": adset_id,
            "budget": mapping.budget_to_wire(daily_budget),
        }
        await self._send("POST", "/adgroup/update/", "update_budget", json_body=body)

    async def update_bid(self, adset_id: str, bid: Decimal) -> None:
        """``adgroup/update/`` with the bid field the ad group's bidding uses (one read first)."""
        try:
            field = mapping.bid_field_of(await self._adgroup(adset_id), adset_id)
            body = {
                "advertiser_id": self._advertiser_id,
                "adgroup_id": adset_id,
                field: mapping.budget_to_wire(bid),
            }
            await self._send("POST", "/adgroup/update/", "update_bid", json_body=body)
        except RoasloopError as error:
            raise renamed(error, _BID_FIELDS, "adset_id") from error

    async def update_campaign_budget(self, campaign_id: str, daily_budget: Decimal) -> None:
        body = {
            "advertiser_id": self._advertiser_id,
            "campaign_id": campaign_id,
            "budget": mapping.budget_to_wire(daily_budget),
        }
        try:
            await self._send("POST", "/campaign/update/", "update_campaign_budget", json_body=body)
        except RoasloopError as error:
            raise renamed(error, _CAMPAIGN_BUDGET_FIELDS, "campaign_id") from error

    async def set_status(
        self, level: EntityLevel, object_ids: Sequence[str], status: EntityStatus
    ) -> None:
        path = _LEVEL_PATHS[level]
        for start in range(0, len(object_ids), STATUS_BATCH):
            body = {
                "advertiser_id": self._advertiser_id,
                f"{ID_FIELDS[level]}_ids": list(object_ids[start : start + STATUS_BATCH]),
                "operation_status": mapping.OPERATION_STATUS[status],
            }
            await self._send("POST", f"/{path}/status/update/", "set_status", json_body=body)

    # --- reads -------------------------------------------------------------------------
    async def find_by_client_key(
        self, level: EntityLevel, client_key: str, parent_id: str = ""
    ) -> str | None:
        tag = client_key_tag(client_key)
        name_field = f"{ID_FIELDS[level]}_name"
        filtering: JSONDict = {name_field: tag}
        if parent_id and level in _PARENT_FILTER:
            filtering[_PARENT_FILTER[level]] = [parent_id]
        for item in await self._list(level, filtering):
            if tag in str(item.get(name_field, "")):
                return str(item[f"{ID_FIELDS[level]}_id"])
        return None

    async def get_report(self, campaign_id: str, start: date, end: date) -> list[ReportRow]:
        rows: list[ReportRow] = []
        chunk_start = start
        while chunk_start <= end:
            chunk_end = min(end, chunk_start + timedelta(days=REPORT_MAX_DAYS - 1))
            rows += await self._report_chunk(campaign_id, chunk_start, chunk_end)
            chunk_start = chunk_end + timedelta(days=1)
        return rows

    async def get_campaign_tree(self, campaign_id: str) -> CampaignTree:
        campaigns = await self._list(EntityLevel.CAMPAIGN, {"campaign_ids": [campaign_id]})
        if not campaigns:
            raise unknown_campaign(campaign_id, "TikTok")
        adsets = await self._list(EntityLevel.ADSET, {"campaign_ids": [campaign_id]})
        ads = await self._list(EntityLevel.AD, {"campaign_ids": [campaign_id]})
        return CampaignTree(
            campaign=remote(EntityLevel.CAMPAIGN, campaigns[0]),
            adsets=tuple(remote(EntityLevel.ADSET, item) for item in adsets),
            ads=tuple(remote(EntityLevel.AD, item) for item in ads),
        )

    async def get_learning_statuses(self, campaign_id: str) -> dict[str, LearningStatus]:
        """Nothing, and no call: TikTok's API has no learning-phase field
        (:data:`~roasloop.platforms.tiktok.mapping.LEARNING_STATUS_FIELD`)."""
        return {}

    # --- internals -----------------------------------------------------------------------
    async def _adgroup(self, adset_id: str) -> JSONDict:
        found = await self._list(EntityLevel.ADSET, {"adgroup_ids": [adset_id]})
        if not found:
            raise unknown_ad_group(adset_id, "TikTok")
        return found[0]

    async def _create(
        self, level: EntityLevel, client_key: str, parent_id: str, body: JSONDict
    ) -> str:
        """Create once: a retry first looks for the object a lost response may have made."""
        path = _LEVEL_PATHS[level]
        attempts = 0

        async def attempt() -> str:
            nonlocal attempts
            attempts += 1
            if attempts > 1:
                existing = await self.find_by_client_key(level, client_key, parent_id)
                if existing:
                    return existing
            data = await self._request_once("POST", f"/{path}/create/", json_body=body)
            if level is EntityLevel.AD:
                return str(data["ad_ids"][0])
            return str(data[f"{ID_FIELDS[level]}_id"])

        buckets = (AD_CREATE_BUCKET,) if level is EntityLevel.AD else ()
        return await self._caller.call(f"create_{path}", attempt, buckets=buckets)

    async def _ads_by_key(self, adgroup_id: str, specs: Sequence[AdSpec]) -> dict[str, str]:
        """Ads of the ad group that carry one of the specs' client keys (lost-response lookup)."""
        ads = await self._list(EntityLevel.AD, {"adgroup_ids": [adgroup_id]})
        found: dict[str, str] = {}
        for spec in specs:
            tag = client_key_tag(spec.client_key)
            match = next((ad for ad in ads if tag in str(ad.get("ad_name", ""))), None)
            if match is not None:
                found[spec.client_key] = str(match["ad_id"])
        return found

    async def _report_chunk(self, campaign_id: str, start: date, end: date) -> list[ReportRow]:
        rows: list[ReportRow] = []
        page = 1
        while True:
            params = {
                "advertiser_id": self._advertiser_id,
                "report_type": "BASIC",
                "data_level": "AUCTION_AD",
                "dimensions": ["ad_id", "stat_time_day"],
                "metrics": list(mapping.REPORT_METRICS),
                "start_date": start.isoformat(),
                "end_date": end.isoformat(),
                "filtering": [in_filter("campaign_ids", [campaign_id])],
                "page": page,
                "page_size": PAGE_SIZE,
            }
            data = await self._send("GET", "/report/integrated/get/", "get_report", params=params)
            rows += [report_row(item) for item in data.get("list", [])]
            if page >= int(data.get("page_info", {}).get("total_page", 1)):
                return rows
            page += 1

    async def _list(self, level: EntityLevel, filtering: JSONDict) -> list[JSONDict]:
        path = _LEVEL_PATHS[level]
        items: list[JSONDict] = []
        page = 1
        while True:
            params = {
                "advertiser_id": self._advertiser_id,
                "filtering": filtering,
                "page": page,
                "page_size": PAGE_SIZE,
            }
            data = await self._send("GET", f"/{path}/get/", f"get_{path}", params=params)
            items += data.get("list", [])
            if page >= int(data.get("page_info", {}).get("total_page", 1)):
                return items
            page += 1

    async def _send(self, method: str, path: str, operation: str, **kwargs: Any) -> Any:
        async def once() -> Any:
            return await self._request_once(method, path, **kwargs)

        return await self._caller.call(operation, once)

    async def _request_once(
        self,
        method: str,
        path: str,
        *,
        json_body: JSONDict | None = None,
        params: JSONDict | None = None,
        data: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes, str]] | None = None,
    ) -> Any:
        response = await self._http.request(
            method,
            API_PREFIX + path,
            json=json_body,
            params=encode_query(params) if params else None,
            data=data,
            files=files,
            headers={"Access-Token": self._token},
            timeout=self._caller.policy.timeout,
        )
        return unwrap(response)


def _read_media(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InvalidParameter(
            "media_url", N_("cannot read creative media {path}"), detail_params={"path": repr(path)}
        ) from exc
