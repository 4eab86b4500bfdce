"""Request models of the Meta sandbox: what each Graph endpoint accepts.

Enums follow the ``facebook-business`` SDK (``adobjects/campaign.py``, ``adset.py``,
``adcreative*.py``); limits and validation rules follow the Marketing API reference
(shared/reference/platform_apis.md §2.2–2.3). Nested values may arrive as JSON text.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator

from roasloop.sandbox.meta.protocol import (
    UNSERVED_COUNTRIES,
    FieldList,
    JsonValue,
    MinorUnits,
    RequestModel,
    WireId,
)

Objective = Literal[
    "OUTCOME_AWARENESS",
    "OUTCOME_TRAFFIC",
    "OUTCOME_ENGAGEMENT",
    "OUTCOME_LEADS",
    "OUTCOME_APP_PROMOTION",
    "OUTCOME_SALES",
]
SpecialAdCategory = Literal[
    "NONE",
    "CREDIT",
    "EMPLOYMENT",
    "HOUSING",
    "ISSUES_ELECTIONS_POLITICS",
    "FINANCIAL_PRODUCTS_SERVICES",
    "ONLINE_GAMBLING_AND_GAMING",
]
CreateStatus = Literal["ACTIVE", "PAUSED"]
Status = Literal["ACTIVE", "PAUSED", "DELETED", "ARCHIVED"]
BillingEvent = Literal[
    "IMPRESSIONS",
    "LINK_CLICKS",
    "CLICKS",
    "THRUPLAY",
    "APP_INSTALLS",
    "POST_ENGAGEMENT",
    "PAGE_LIKES",
    "PURCHASE",
    "LISTING_INTERACTION",
    "OFFER_CLAIMS",
    "NONE",
]
OptimizationGoal = Literal[
    "OFFSITE_CONVERSIONS",
    "VALUE",
    "LINK_CLICKS",
    "LANDING_PAGE_VIEWS",
    "IMPRESSIONS",
    "REACH",
    "THRUPLAY",
    "LEAD_GENERATION",
    "APP_INSTALLS",
    "POST_ENGAGEMENT",
    "CONVERSATIONS",
    "AD_RECALL_LIFT",
]
BidStrategy = Literal[
    "LOWEST_COST_WITHOUT_CAP",
    "LOWEST_COST_WITH_BID_CAP",
    "COST_CAP",
    "LOWEST_COST_WITH_MIN_ROAS",
]
CallToActionType = Literal[
    "SHOP_NOW",
    "LEARN_MORE",
    "SIGN_UP",
    "BUY_NOW",
    "ORDER_NOW",
    "GET_OFFER",
    "BOOK_NOW",
    "BOOK_TRAVEL",
    "CONTACT_US",
    "DOWNLOAD",
    "SUBSCRIBE",
    "WATCH_MORE",
    "APPLY_NOW",
    "GET_QUOTE",
    "SEE_MORE",
    "NO_BUTTON",
]
CustomEventType = Literal[
    "PURCHASE",
    "ADD_TO_CART",
    "INITIATED_CHECKOUT",
    "ADD_PAYMENT_INFO",
    "COMPLETE_REGISTRATION",
    "CONTENT_VIEW",
    "LEAD",
    "SEARCH",
    "OTHER",
]


# --- targeting and creatives ---------------------------------------------------------------------
class GeoLocations(RequestModel):
    countries: list[str] = Field(min_length=1, max_length=25)

    @field_validator("countries")
    @classmethod
    def _iso_codes(cls, countries: list[str]) -> list[str]:
        for country in countries:
            if not re.fullmatch(r"[A-Z]{2}", country):
                raise ValueError(f"{country!r} is not an ISO 3166-1 alpha-2 country code")
            if country in UNSERVED_COUNTRIES:
                raise ValueError(f"ads cannot be delivered to {country}")
        return countries


class TargetingAutomation(RequestModel):
    advantage_audience: Literal[0, 1] = 0


class TargetingSpec(RequestModel):
    geo_locations: GeoLocations
    age_min: int = Field(default=18, ge=18, le=65)
    age_max: int = Field(default=65, ge=18, le=65)
    genders: list[Literal[1, 2]] | None = None
    publisher_platforms: (
        list[Literal["facebook", "instagram", "audience_network", "messenger", "threads"]] | None
    ) = None
    targeting_automation: TargetingAutomation | None = None


class PromotedObject(RequestModel):
    pixel_id: WireId
    custom_event_type: CustomEventType


class CallToActionValue(RequestModel):
    link: str | None = Field(default=None, pattern=r"^https?://")


class CallToAction(RequestModel):
    type: CallToActionType
    value: CallToActionValue | None = None


class LinkData(RequestModel):
    link: str = Field(pattern=r"^https?://")
    message: str | None = None
    name: str | None = None
    image_hash: str | None = None
    picture: str | None = Field(default=None, pattern=r"^https?://")
    call_to_action: CallToAction | None = None


class VideoData(RequestModel):
    video_id: WireId
    image_url: str | None = Field(default=None, pattern=r"^https?://")
    image_hash: str | None = None
    message: str | None = None
    title: str | None = None
    call_to_action: CallToAction | None = None


class ObjectStorySpec(RequestModel):
    page_id: WireId
    link_data: LinkData | None = None
    video_data: VideoData | None = None


# --- objects -------------------------------------------------------------------------------------
class CampaignCreate(RequestModel):
    name: str = Field(min_length=1, max_length=400)
    objective: Objective
    special_ad_categories: Annotated[list[SpecialAdCategory], JsonValue]
    status: CreateStatus = "ACTIVE"
    daily_budget: MinorUnits | None = None
    lifetime_budget: MinorUnits | None = None
    bid_strategy: BidStrategy | None = None
    buying_type: Literal["AUCTION", "RESERVED"] = "AUCTION"
    spend_cap: MinorUnits | None = None
    is_adset_budget_sharing_enabled: bool | None = None
    start_time: str | None = None
    stop_time: str | None = None


class CampaignUpdate(RequestModel):
    name: str | None = Field(default=None, min_length=1, max_length=400)
    status: Status | None = None
    daily_budget: MinorUnits | None = None
    lifetime_budget: MinorUnits | None = None
    bid_strategy: BidStrategy | None = None
    spend_cap: MinorUnits | None = None
    special_ad_categories: Annotated[list[SpecialAdCategory] | None, JsonValue] = None


class AdSetCreate(RequestModel):
    name: str = Field(min_length=1, max_length=400)
    campaign_id: WireId
    billing_event: BillingEvent
    optimization_goal: OptimizationGoal
    targeting: Annotated[TargetingSpec, JsonValue]
    status: CreateStatus = "ACTIVE"
    daily_budget: MinorUnits | None = None
    lifetime_budget: MinorUnits | None = None
    bid_strategy: BidStrategy | None = None
    bid_amount: MinorUnits | None = None
    bid_constraints: Annotated[dict[str, int] | None, JsonValue] = None
    promoted_object: Annotated[PromotedObject | None, JsonValue] = None
    destination_type: str | None = None
    start_time: str | None = None
    end_time: str | None = None


class AdSetUpdate(RequestModel):
    name: str | None = Field(default=None, min_length=1, max_length=400)
    status: Status | None = None
    daily_budget: MinorUnits | None = None
    lifetime_budget: MinorUnits | None = None
    bid_amount: MinorUnits | None = None
    bid_strategy: BidStrategy | None = None
    targeting: Annotated[TargetingSpec | None, JsonValue] = None
    end_time: str | None = None


class AdCreativeCreate(RequestModel):
    name: str = Field(default="", max_length=400)
    object_story_spec: Annotated[ObjectStorySpec, JsonValue]


class CreativeRef(RequestModel):
    creative_id: WireId


class AdCreate(RequestModel):
    name: str = Field(min_length=1, max_length=400)
    adset_id: WireId
    creative: Annotated[CreativeRef, JsonValue]
    status: CreateStatus = "ACTIVE"


class AdUpdate(RequestModel):
    name: str | None = Field(default=None, min_length=1, max_length=400)
    status: Status | None = None
    creative: Annotated[CreativeRef | None, JsonValue] = None


class NameUpdate(RequestModel):
    name: str | None = Field(default=None, min_length=1, max_length=400)
    status: Status | None = None


# --- reads ---------------------------------------------------------------------------------------
class FieldsQuery(RequestModel):
    fields: FieldList = Field(default_factory=list)


Operator = Literal["EQUAL", "NOT_EQUAL", "IN", "NOT_IN", "CONTAIN", "NOT_CONTAIN"]


class FilterRule(RequestModel):
    field: str = Field(min_length=1)
    operator: Operator
    value: Any = None


class ListQuery(RequestModel):
    fields: FieldList = Field(default_factory=list)
    filtering: Annotated[list[FilterRule], JsonValue] = Field(default_factory=list)
    effective_status: Annotated[list[str] | None, JsonValue] = None
    limit: int = Field(default=25, ge=1, le=5000)
    after: str | None = None
    summary: bool = False


class TimeRange(RequestModel):
    since: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")
    until: str = Field(pattern=r"^\d{4}-\d{2}-\d{2}$")


DatePreset = Literal[
    "today",
    "yesterday",
    "last_3d",
    "last_7d",
    "last_14d",
    "last_28d",
    "last_30d",
    "last_90d",
    "this_month",
    "maximum",
]


class InsightsQuery(ListQuery):
    level: Literal["account", "campaign", "adset", "ad"] | None = None
    time_range: Annotated[TimeRange | None, JsonValue] = None
    date_preset: DatePreset | None = None
    time_increment: str = "all_days"
    breakdowns: Annotated[list[str] | None, JsonValue] = None
    action_attribution_windows: Annotated[list[str] | None, JsonValue] = None

    @field_validator("time_increment", mode="before")
    @classmethod
    def _increment(cls, value: Any) -> str:
        text = str(value)
        if text in ("all_days", "monthly") or (text.isdigit() and 1 <= int(text) <= 90):
            return text
        raise ValueError("must be all_days, monthly or a number of days 1-90")


class TokenRequest(RequestModel):
    client_id: str
    client_secret: str
    code: str | None = None
    grant_type: str | None = None
    fb_exchange_token: str | None = None
    redirect_uri: str | None = None
