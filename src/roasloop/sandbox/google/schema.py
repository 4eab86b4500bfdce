"""The resource messages the Google Ads sandbox knows: fields by JSON name, with types.

Output-only fields are ignored on create and refused in update masks; immutable ones are
refused in update masks. Field names match
https://developers.google.com/google-ads/api/reference/rpc (v21–v25); decoding lives in
:mod:`roasloop.sandbox.google.json_mapping`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Doc = dict[str, Any]


@dataclass(frozen=True)
class Enum:
    proto: str
    values: frozenset[str]


@dataclass(frozen=True)
class Field:
    """``kind``: string, int64, double, bool, bytes, enum, message, list."""

    kind: str
    enum: Enum | None = None
    message: Msg | None = None
    item: Field | None = None
    output_only: bool = False
    immutable: bool = False


@dataclass(frozen=True)
class Msg:
    name: str
    fields: Mapping[str, Field]
    #: oneof name (snake_case, as Google names it) → member fields.
    oneofs: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


def _enum(proto: str, *values: str) -> Enum:
    return Enum(proto, frozenset(values))


STRING, INT64, DOUBLE, BOOL, BYTES = (
    Field(k) for k in ("string", "int64", "double", "bool", "bytes")
)
OUT_STRING, OUT_INT64 = Field("string", output_only=True), Field("int64", output_only=True)
IMMUTABLE_STRING = Field("string", immutable=True)


def enum(e: Enum, *, output_only: bool = False, immutable: bool = False) -> Field:
    return Field("enum", enum=e, output_only=output_only, immutable=immutable)


def msg(m: Msg, *, immutable: bool = False, output_only: bool = False) -> Field:
    return Field("message", message=m, immutable=immutable, output_only=output_only)


def repeated(item: Field) -> Field:
    return Field("list", item=item)


def _fields(**fields: Field) -> dict[str, Field]:
    return dict(fields)


CAMPAIGN_STATUS = _enum("CampaignStatusEnum.CampaignStatus", "ENABLED", "PAUSED", "REMOVED")
AD_GROUP_STATUS = _enum("AdGroupStatusEnum.AdGroupStatus", "ENABLED", "PAUSED", "REMOVED")
AD_GROUP_AD_STATUS = _enum("AdGroupAdStatusEnum.AdGroupAdStatus", "ENABLED", "PAUSED", "REMOVED")
CRITERION_STATUS = _enum(
    "AdGroupCriterionStatusEnum.AdGroupCriterionStatus", "ENABLED", "PAUSED", "REMOVED"
)
CHANNEL = _enum(
    "AdvertisingChannelTypeEnum.AdvertisingChannelType",
    *"SEARCH DISPLAY SHOPPING HOTEL VIDEO MULTI_CHANNEL LOCAL SMART PERFORMANCE_MAX".split(),
    *"LOCAL_SERVICES TRAVEL DEMAND_GEN".split(),
)
DELIVERY = _enum("BudgetDeliveryMethodEnum.BudgetDeliveryMethod", "STANDARD", "ACCELERATED")
PERIOD = _enum("BudgetPeriodEnum.BudgetPeriod", "DAILY", "CUSTOM_PERIOD")
BUDGET_STATUS = _enum("BudgetStatusEnum.BudgetStatus", "ENABLED", "REMOVED")
EU_POLITICAL = _enum(
    "EuPoliticalAdvertisingStatusEnum.EuPoliticalAdvertisingStatus",
    "CONTAINS_EU_POLITICAL_ADVERTISING",
    "DOES_NOT_CONTAIN_EU_POLITICAL_ADVERTISING",
)
AGE_RANGE_TYPE = _enum(
    "AgeRangeTypeEnum.AgeRangeType",
    *"AGE_RANGE_18_24 AGE_RANGE_25_34 AGE_RANGE_35_44 AGE_RANGE_45_54".split(),
    *"AGE_RANGE_55_64 AGE_RANGE_65_UP AGE_RANGE_UNDETERMINED".split(),
)
GENDER_TYPE = _enum("GenderTypeEnum.GenderType", "MALE", "FEMALE", "UNDETERMINED")
AD_GROUP_TYPE = _enum(
    "AdGroupTypeEnum.AdGroupType",
    *"SEARCH_STANDARD DISPLAY_STANDARD SHOPPING_PRODUCT_ADS VIDEO_TRUE_VIEW_IN_STREAM".split(),
    *"VIDEO_RESPONSIVE SEARCH_DYNAMIC_ADS".split(),
)
CRITERION_TYPE = _enum("CriterionTypeEnum.CriterionType", "AGE_RANGE", "GENDER", "LOCATION")
ASSET_TYPE = _enum("AssetTypeEnum.AssetType", "IMAGE", "YOUTUBE_VIDEO", "TEXT")
#: BiddingStrategySystemStatusEnum.BiddingStrategySystemStatus (v25).
BIDDING_SYSTEM_STATUS = _enum(
    "BiddingStrategySystemStatusEnum.BiddingStrategySystemStatus",
    *"UNSPECIFIED UNKNOWN ENABLED LEARNING_NEW LEARNING_SETTING_CHANGE".split(),
    *"LEARNING_BUDGET_CHANGE LEARNING_COMPOSITION_CHANGE LEARNING_CONVERSION_TYPE_CHANGE".split(),
    *"LEARNING_CONVERSION_SETTING_CHANGE LIMITED_BY_CPC_BID_CEILING".split(),
    *"LIMITED_BY_CPC_BID_FLOOR LIMITED_BY_DATA LIMITED_BY_BUDGET".split(),
    *"LIMITED_BY_LOW_PRIORITY_SPEND LIMITED_BY_LOW_QUALITY LIMITED_BY_INVENTORY".split(),
    *"MISCONFIGURED_ZERO_ELIGIBILITY MISCONFIGURED_CONVERSION_TYPES".split(),
    *"MISCONFIGURED_CONVERSION_SETTINGS MISCONFIGURED_SHARED_BUDGET".split(),
    *"MISCONFIGURED_STRATEGY_TYPE PAUSED UNAVAILABLE MULTIPLE_LEARNING".split(),
    *"MULTIPLE_LIMITED MULTIPLE_MISCONFIGURED MULTIPLE".split(),
)
AD_TYPE = _enum("AdTypeEnum.AdType", "DEMAND_GEN_MULTI_ASSET_AD", "DEMAND_GEN_VIDEO_RESPONSIVE_AD")

#: Bidding schemes (Campaign oneof ``campaign_bidding_strategy``) → BiddingStrategyType.
BIDDING = {
    "manualCpc": ("MANUAL_CPC", _fields(enhancedCpcEnabled=BOOL)),
    "manualCpm": ("MANUAL_CPM", _fields()),
    "maximizeConversions": ("MAXIMIZE_CONVERSIONS", _fields(targetCpaMicros=INT64)),
    "maximizeConversionValue": ("MAXIMIZE_CONVERSION_VALUE", _fields(targetRoas=DOUBLE)),
    "targetCpa": ("TARGET_CPA", _fields(targetCpaMicros=INT64)),
    "targetRoas": ("TARGET_ROAS", _fields(targetRoas=DOUBLE)),
    "targetSpend": ("TARGET_SPEND", _fields(cpcBidCeilingMicros=INT64, targetSpendMicros=INT64)),
    "targetCpm": ("TARGET_CPM", _fields()),
    "targetCpc": ("TARGET_CPC", _fields(cpcBidCeilingMicros=INT64)),
    "targetImpressionShare": (
        "TARGET_IMPRESSION_SHARE",
        _fields(location=STRING, locationFractionMicros=INT64, cpcBidCeilingMicros=INT64),
    ),
}

CUSTOMER = Msg(
    "Customer",
    _fields(
        resourceName=OUT_STRING,
        id=OUT_INT64,
        descriptiveName=STRING,
        currencyCode=OUT_STRING,
        timeZone=OUT_STRING,
    ),
)
CAMPAIGN_BUDGET = Msg(
    "CampaignBudget",
    _fields(
        resourceName=IMMUTABLE_STRING,
        id=OUT_INT64,
        name=STRING,
        amountMicros=INT64,
        deliveryMethod=enum(DELIVERY),
        period=enum(PERIOD, immutable=True),
        explicitlyShared=Field("bool", immutable=True),
        status=enum(BUDGET_STATUS, output_only=True),
        referenceCount=OUT_INT64,
    ),
)
NETWORK_SETTINGS = Msg(
    "NetworkSettings",
    _fields(
        targetGoogleSearch=BOOL,
        targetSearchNetwork=BOOL,
        targetContentNetwork=BOOL,
        targetPartnerSearchNetwork=BOOL,
        targetYoutube=BOOL,
        targetGoogleTvNetwork=BOOL,
    ),
)
POSITIVE_GEO = _enum(
    "PositiveGeoTargetTypeEnum.PositiveGeoTargetType",
    "PRESENCE_OR_INTEREST",
    "SEARCH_INTEREST",
    "PRESENCE",
)
NEGATIVE_GEO = _enum(
    "NegativeGeoTargetTypeEnum.NegativeGeoTargetType", "PRESENCE_OR_INTEREST", "PRESENCE"
)
GEO_TARGET_TYPE_SETTING = Msg(
    "GeoTargetTypeSetting",
    _fields(positiveGeoTargetType=enum(POSITIVE_GEO), negativeGeoTargetType=enum(NEGATIVE_GEO)),
)
CAMPAIGN = Msg(
    "Campaign",
    _fields(
        resourceName=IMMUTABLE_STRING,
        id=OUT_INT64,
        name=STRING,
        status=enum(CAMPAIGN_STATUS),
        advertisingChannelType=enum(CHANNEL, immutable=True),
        campaignBudget=STRING,
        containsEuPoliticalAdvertising=enum(EU_POLITICAL),
        networkSettings=msg(NETWORK_SETTINGS),
        geoTargetTypeSetting=msg(GEO_TARGET_TYPE_SETTING),
        optimizationScore=Field("double", output_only=True),
        startDateTime=STRING,
        endDateTime=STRING,
        biddingStrategyType=Field("string", output_only=True),
        biddingStrategySystemStatus=enum(BIDDING_SYSTEM_STATUS, output_only=True),
        **{name: msg(Msg(name, spec)) for name, (_, spec) in BIDDING.items()},
    ),
    oneofs={"campaign_bidding_strategy": tuple(BIDDING)},
)
AD_GROUP = Msg(
    "AdGroup",
    _fields(
        resourceName=IMMUTABLE_STRING,
        id=OUT_INT64,
        name=STRING,
        campaign=IMMUTABLE_STRING,
        status=enum(AD_GROUP_STATUS),
        type=enum(AD_GROUP_TYPE, immutable=True),
        cpcBidMicros=INT64,
        cpmBidMicros=INT64,
        targetCpaMicros=INT64,
    ),
)
AGE_RANGE_INFO = Msg("AgeRangeInfo", _fields(type=enum(AGE_RANGE_TYPE)))
GENDER_INFO = Msg("GenderInfo", _fields(type=enum(GENDER_TYPE)))
LOCATION_INFO = Msg("LocationInfo", _fields(geoTargetConstant=STRING))
AD_GROUP_CRITERION = Msg(
    "AdGroupCriterion",
    _fields(
        resourceName=IMMUTABLE_STRING,
        criterionId=OUT_INT64,
        adGroup=IMMUTABLE_STRING,
        status=enum(CRITERION_STATUS),
        negative=Field("bool", immutable=True),
        bidModifier=DOUBLE,
        type=enum(CRITERION_TYPE, output_only=True),
        ageRange=msg(AGE_RANGE_INFO, immutable=True),
        gender=msg(GENDER_INFO, immutable=True),
    ),
    oneofs={"criterion": ("ageRange", "gender")},
)
CAMPAIGN_CRITERION = Msg(
    "CampaignCriterion",
    _fields(
        resourceName=IMMUTABLE_STRING,
        criterionId=OUT_INT64,
        campaign=IMMUTABLE_STRING,
        status=enum(CRITERION_STATUS, output_only=True),
        negative=Field("bool", immutable=True),
        bidModifier=DOUBLE,
        type=enum(CRITERION_TYPE, output_only=True),
        location=msg(LOCATION_INFO, immutable=True),
    ),
    oneofs={"criterion": ("location",)},
)
TEXT_ASSET = Msg("AdTextAsset", _fields(text=STRING))
MEDIA_ASSET = Msg("AdImageAsset", _fields(asset=STRING))
DEMAND_GEN_MULTI_ASSET_AD = Msg(
    "DemandGenMultiAssetAdInfo",
    _fields(
        marketingImages=repeated(msg(MEDIA_ASSET)),
        squareMarketingImages=repeated(msg(MEDIA_ASSET)),
        portraitMarketingImages=repeated(msg(MEDIA_ASSET)),
        logoImages=repeated(msg(MEDIA_ASSET)),
        headlines=repeated(msg(TEXT_ASSET)),
        descriptions=repeated(msg(TEXT_ASSET)),
        businessName=STRING,
        callToActionText=STRING,
        leadFormOnly=BOOL,
    ),
)
DEMAND_GEN_VIDEO_AD = Msg(
    "DemandGenVideoResponsiveAdInfo",
    _fields(
        headlines=repeated(msg(TEXT_ASSET)),
        longHeadlines=repeated(msg(TEXT_ASSET)),
        descriptions=repeated(msg(TEXT_ASSET)),
        videos=repeated(msg(MEDIA_ASSET)),
        logoImages=repeated(msg(MEDIA_ASSET)),
        businessName=msg(TEXT_ASSET),
        breadcrumb1=STRING,
        breadcrumb2=STRING,
    ),
)
AD = Msg(
    "Ad",
    _fields(
        resourceName=OUT_STRING,
        id=OUT_INT64,
        name=STRING,
        finalUrls=repeated(STRING),
        type=enum(AD_TYPE, output_only=True),
        demandGenMultiAssetAd=msg(DEMAND_GEN_MULTI_ASSET_AD),
        demandGenVideoResponsiveAd=msg(DEMAND_GEN_VIDEO_AD),
    ),
    oneofs={"ad_data": ("demandGenMultiAssetAd", "demandGenVideoResponsiveAd")},
)
AD_GROUP_AD = Msg(
    "AdGroupAd",
    _fields(
        resourceName=IMMUTABLE_STRING,
        adGroup=IMMUTABLE_STRING,
        status=enum(AD_GROUP_AD_STATUS),
        ad=msg(AD, immutable=True),
    ),
)
ASSET = Msg(
    "Asset",
    _fields(
        resourceName=IMMUTABLE_STRING,
        id=OUT_INT64,
        name=STRING,
        type=enum(ASSET_TYPE, output_only=True),
        imageAsset=msg(
            Msg("ImageAsset", _fields(data=BYTES, fileSize=OUT_INT64, mimeType=OUT_STRING)),
            immutable=True,
        ),
        youtubeVideoAsset=msg(
            Msg("YoutubeVideoAsset", _fields(youtubeVideoId=STRING)), immutable=True
        ),
        textAsset=msg(Msg("TextAsset", _fields(text=STRING)), immutable=True),
    ),
    oneofs={"asset_data": ("imageAsset", "youtubeVideoAsset", "textAsset")},
)

#: GAQL resource → message.
RESOURCES: dict[str, Msg] = {
    "customer": CUSTOMER,
    "campaign_budget": CAMPAIGN_BUDGET,
    "campaign": CAMPAIGN,
    "ad_group": AD_GROUP,
    "ad_group_ad": AD_GROUP_AD,
    "ad_group_criterion": AD_GROUP_CRITERION,
    "campaign_criterion": CAMPAIGN_CRITERION,
    "asset": ASSET,
}
