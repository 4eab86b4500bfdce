"""What the TikTok sandbox accepts: request models with the real API's enums and limits.

Kept independent of the adapter's mapping on purpose: the sandbox states what TikTok
accepts (shared/reference/platform_apis.md §1.4, SDK ``yml_files``), the adapter states
what roasloop sends, and the tests check that the two agree.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator


class TikTokError(Exception):
    """A TikTok API error: the envelope's ``code`` and ``message`` (HTTP 200, as TikTok answers)."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


PARAM_ERROR = 40002
#: Minimum daily budgets in USD (https://ads.tiktok.com/help/article/budget-and-bidding-faq).
MIN_CAMPAIGN_DAILY_BUDGET = Decimal("50")
MIN_ADGROUP_DAILY_BUDGET = Decimal("20")
MAX_ADS_PER_ADGROUP = 20
MAX_AD_TEXT = 100
OPTIMIZED_BILLING = frozenset({"OCPM", "OCPC"})


def _text_id(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _exact_decimal(value: Any) -> Any:
    return Decimal(repr(value)) if isinstance(value, float) else value


WireId = Annotated[str, BeforeValidator(_text_id)]
Amount = Annotated[Decimal, BeforeValidator(_exact_decimal), Field(ge=0)]

ObjectiveType = Literal[
    "REACH",
    "TRAFFIC",
    "VIDEO_VIEWS",
    "ENGAGEMENT",
    "APP_PROMOTION",
    "LEAD_GENERATION",
    "WEB_CONVERSIONS",
    "PRODUCT_SALES",
]
BudgetMode = Literal[
    "BUDGET_MODE_DAY",
    "BUDGET_MODE_TOTAL",
    "BUDGET_MODE_INFINITE",
    "BUDGET_MODE_DYNAMIC_DAILY_BUDGET",
]
OptStatus = Literal["ENABLE", "DISABLE"]
StatusOpt = Literal["ENABLE", "DISABLE", "DELETE"]
AgeType = Literal["AGE_13_17", "AGE_18_24", "AGE_25_34", "AGE_35_44", "AGE_45_54", "AGE_55_100"]
OptimizeGoal = Literal[
    "CLICK",
    "CONVERT",
    "INSTALL",
    "IN_APP_EVENT",
    "LEAD_GENERATION",
    "REACH",
    "SHOW",
    "VALUE",
    "VIDEO_VIEW",
    "TRAFFIC_LANDING_PAGE_VIEW",
    "ENGAGED_VIEW",
    "FOLLOWERS",
    "PROFILE_VIEWS",
]
BillingEvent = Literal["CPC", "CPM", "CPV", "OCPM", "OCPC", "CPA", "GD"]
BidType = Literal["BID_TYPE_NO_BID", "BID_TYPE_CUSTOM", "BID_TYPE_MAX_CONVERSION"]
DeepBidType = Literal[
    "DEFAULT", "MIN", "PACING", "AEO", "VO_MIN", "VO_HIGHEST_VALUE", "VO_MIN_ROAS"
]
#: Deep bid types of value optimization (``optimization_goal`` VALUE).
VALUE_DEEP_BIDS = frozenset({"VO_HIGHEST_VALUE", "VO_MIN_ROAS"})
CallToAction = Literal[
    "APPLY_NOW",
    "BOOK_NOW",
    "CALL_NOW",
    "CONTACT_US",
    "DOWNLOAD_NOW",
    "GET_QUOTE",
    "INSTALL_NOW",
    "LEARN_MORE",
    "ORDER_NOW",
    "PLAY_GAME",
    "PREORDER_NOW",
    "READ_MORE",
    "SHOP_NOW",
    "SIGN_UP",
    "SUBSCRIBE",
    "VIEW_NOW",
    "WATCH_NOW",
    "VISIT_STORE",
]

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

#: TikTok location id → ISO country (the reverse of /tool/region/ for common markets).
LOCATION_COUNTRIES: dict[str, str] = {
    "6252001": "US",
    "2635167": "GB",
    "6251999": "CA",
    "2077456": "AU",
    "2921044": "DE",
    "3017382": "FR",
    "3175395": "IT",
    "2510769": "ES",
    "2750405": "NL",
    "1861060": "JP",
    "1835841": "KR",
    "1880251": "SG",
    "1733045": "MY",
    "1605651": "TH",
    "1562822": "VN",
    "1694008": "PH",
    "1643084": "ID",
    "290557": "AE",
    "102358": "SA",
    "3996063": "MX",
    "3469034": "BR",
}

#: TikTok age enum → market age buckets.
AGE_BUCKETS: dict[str, tuple[str, ...]] = {
    "AGE_13_17": ("13-17",),
    "AGE_18_24": ("18-24",),
    "AGE_25_34": ("25-34",),
    "AGE_35_44": ("35-44",),
    "AGE_45_54": ("45-54",),
    "AGE_55_100": ("55-64", "65+"),
}


class RequestModel(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


M = TypeVar("M", bound=RequestModel)


class CampaignCreate(RequestModel):
    advertiser_id: WireId
    campaign_name: str = Field(min_length=1, max_length=512)
    objective_type: ObjectiveType
    budget_mode: BudgetMode = "BUDGET_MODE_INFINITE"
    budget: Amount | None = None
    operation_status: OptStatus = "ENABLE"
    request_id: WireId | None = None


class CampaignUpdate(RequestModel):
    advertiser_id: WireId
    campaign_id: WireId
    campaign_name: str | None = Field(default=None, min_length=1, max_length=512)
    budget: Amount | None = None


class StatusUpdate(RequestModel):
    advertiser_id: WireId
    ids: list[WireId] = Field(min_length=1, max_length=20)
    operation_status: StatusOpt


class AdgroupCreate(RequestModel):
    advertiser_id: WireId
    campaign_id: WireId
    adgroup_name: str = Field(min_length=1, max_length=512)
    placement_type: Literal["PLACEMENT_TYPE_AUTOMATIC", "PLACEMENT_TYPE_NORMAL"]
    placements: list[Literal["PLACEMENT_TIKTOK", "PLACEMENT_PANGLE"]] | None = None
    location_ids: list[WireId] = Field(min_length=1)
    age_groups: list[AgeType] | None = None
    gender: Literal["GENDER_FEMALE", "GENDER_MALE", "GENDER_UNLIMITED"] = "GENDER_UNLIMITED"
    budget_mode: BudgetMode
    budget: Amount
    schedule_type: Literal["SCHEDULE_START_END", "SCHEDULE_FROM_NOW"]
    schedule_start_time: str
    schedule_end_time: str | None = None
    optimization_goal: OptimizeGoal
    billing_event: BillingEvent
    bid_type: BidType = "BID_TYPE_NO_BID"
    bid_price: Amount | None = None
    conversion_bid_price: Amount | None = None
    deep_bid_type: DeepBidType | None = None
    roas_bid: Amount | None = None
    pacing: Literal["PACING_MODE_SMOOTH", "PACING_MODE_FAST"]
    promotion_type: str | None = None
    operation_status: OptStatus = "ENABLE"

    @field_validator("schedule_start_time", "schedule_end_time")
    @classmethod
    def _time_format(cls, value: str | None) -> str | None:
        if value is not None:
            datetime.strptime(value, TIME_FORMAT)
        return value


class AdgroupUpdate(RequestModel):
    advertiser_id: WireId
    adgroup_id: WireId
    adgroup_name: str | None = Field(default=None, min_length=1, max_length=512)
    budget: Amount | None = None
    bid_price: Amount | None = None
    conversion_bid_price: Amount | None = None
    age_groups: list[AgeType] | None = None
    location_ids: list[WireId] | None = None


class BudgetItem(RequestModel):
    adgroup_id: WireId
    budget: Amount


class ScheduledBudgetItem(RequestModel):
    adgroup_id: WireId
    scheduled_budget: Amount


class AdgroupBudgetUpdate(RequestModel):
    advertiser_id: WireId
    budget: list[BudgetItem] | None = Field(default=None, max_length=20)
    scheduled_budget: list[ScheduledBudgetItem] | None = Field(default=None, max_length=20)


class AdCreative(RequestModel):
    ad_name: str = Field(min_length=1, max_length=512)
    ad_format: Literal["SINGLE_VIDEO", "SINGLE_IMAGE", "CAROUSEL_ADS"]
    video_id: WireId | None = None
    image_ids: list[WireId] | None = None
    ad_text: str = Field(min_length=1, max_length=MAX_AD_TEXT)
    call_to_action: CallToAction | None = None
    landing_page_url: str = Field(pattern=r"^https?://")
    display_name: str | None = None
    identity_id: str | None = None
    identity_type: str | None = None
    operation_status: OptStatus = "ENABLE"


class AdCreate(RequestModel):
    advertiser_id: WireId
    adgroup_id: WireId
    creatives: list[AdCreative] = Field(min_length=1, max_length=MAX_ADS_PER_ADGROUP)


class AdUpdate(RequestModel):
    advertiser_id: WireId
    ad_id: WireId
    ad_name: str | None = Field(default=None, min_length=1, max_length=512)
    ad_text: str | None = Field(default=None, min_length=1, max_length=MAX_AD_TEXT)


class ListQuery(RequestModel):
    advertiser_id: WireId
    filtering: dict[str, Any] = Field(default_factory=dict)
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=10, ge=1, le=1000)


class ReportQuery(RequestModel):
    advertiser_id: WireId
    report_type: Literal["BASIC"]
    service_type: Literal["AUCTION"] = "AUCTION"
    data_level: Literal["AUCTION_CAMPAIGN", "AUCTION_ADGROUP", "AUCTION_AD"]
    dimensions: list[str] = Field(min_length=1)
    metrics: list[str] = Field(default_factory=lambda: ["spend", "impressions"])
    start_date: str | None = None
    end_date: str | None = None
    query_lifetime: bool = False
    filtering: list[dict[str, Any]] = Field(default_factory=list)
    page: int = Field(default=1, ge=1)
    page_size: int = Field(default=10, ge=1, le=1000)


class TokenRequest(RequestModel):
    app_id: WireId
    secret: str
    auth_code: str


def bid_field(billing_event: str) -> str:
    """Where a BID_TYPE_CUSTOM ad group keeps its bid: oCPM/oCPC ad groups bid a target cost
    per conversion (``conversion_bid_price``), CPC/CPM/CPV ones a price (``bid_price``)."""
    return "conversion_bid_price" if billing_event in OPTIMIZED_BILLING else "bid_price"


def parse(model: type[M], params: dict[str, Any]) -> M:
    """Validate ``params`` or raise TikTok's 40002 naming the first bad field."""
    try:
        return model.model_validate(params)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "body"
        raise TikTokError(PARAM_ERROR, f"{field}: {first['msg']}") from exc


def require(condition: bool, field: str, message: str) -> None:
    """Raise 40002 ``field: message`` unless ``condition``."""
    if not condition:
        raise TikTokError(PARAM_ERROR, f"{field}: {message}")
