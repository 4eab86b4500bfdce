"""Ads and assets of the Google Ads sandbox: Demand Gen ads over image and video assets.

Demand Gen ads (``demandGenMultiAssetAd``, ``demandGenVideoResponsiveAd``) need a Demand Gen
campaign, final URLs, headlines, descriptions, a business name and at least one image or
video asset; text limits follow https://support.google.com/google-ads/answer/13547298.
Unlike responsive search/display ads, Demand Gen ads keep the ``Ad.name`` they are given.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

from roasloop.sandbox.google.protocol import (
    BUSINESS_NAME_MAX,
    DESCRIPTION_MAX,
    HEADLINE_MAX,
    LONG_HEADLINE_MAX,
    PROHIBITED_PHRASES,
    AdsError,
    GoogleAdsFault,
    fault,
    key_of,
    missing,
    name_of,
    refuse_created_removed,
    require_fields,
)
from roasloop.sandbox.google.store import Path, Txn

Doc = dict[str, Any]
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_URL = re.compile(r"^https?://[^\s/]+")

#: Per ad type: (ad JSON key, AdType, media list, media field name, text lists with limits).
AD_TYPES: dict[str, tuple[str, str, tuple[tuple[str, str, int], ...]]] = {
    "demandGenMultiAssetAd": (
        "DEMAND_GEN_MULTI_ASSET_AD",
        "marketingImages",
        (
            ("headlines", "headlines", HEADLINE_MAX),
            ("descriptions", "descriptions", DESCRIPTION_MAX),
        ),
    ),
    "demandGenVideoResponsiveAd": (
        "DEMAND_GEN_VIDEO_RESPONSIVE_AD",
        "videos",
        (
            ("headlines", "headlines", HEADLINE_MAX),
            ("longHeadlines", "long_headlines", LONG_HEADLINE_MAX),
            ("descriptions", "descriptions", DESCRIPTION_MAX),
        ),
    ),
}
_MEDIA_FIELDS = {"marketingImages": "marketing_images", "videos": "videos"}
_AD_FIELDS = {
    "demandGenMultiAssetAd": "demand_gen_multi_asset_ad",
    "demandGenVideoResponsiveAd": "demand_gen_video_responsive_ad",
}


# --- ad group ads ---------------------------------------------------------------------------
def create_ad_group_ad(txn: Txn, doc: Doc, path: Path) -> Doc:
    require_fields(doc, path, {"adGroup": "ad_group", "ad": "ad"})
    refuse_created_removed(doc, path)
    ad_group = txn.existing(doc["adGroup"], (*path, ("ad_group", None)), "adGroups")
    campaign = txn.get("campaigns", key_of(ad_group["campaign"]))
    ad_path = (*path, ("ad", None))
    ad_type = _check_ad(txn, doc["ad"], ad_path, campaign or {})
    ad_id = txn.new_id("adGroupAds", ad_group["id"], str(doc["ad"].get("name", "")))
    key = f"{ad_group['id']}~{ad_id}"
    doc["ad"] |= {
        "id": ad_id,
        "resourceName": name_of(txn.customer_id, "ads", ad_id),
        "type": AD_TYPES[ad_type][0],
    }
    doc |= {
        "resourceName": name_of(txn.customer_id, "adGroupAds", key),
        "adGroup": ad_group["resourceName"],
    }
    doc.setdefault("status", "ENABLED")
    check_ad(txn, doc, path)
    return txn.put("adGroupAds", key, doc)


def check_ad(txn: Txn, doc: Doc, path: Path) -> None:
    txn.touched.ads.add(doc["ad"]["id"])
    ad_group = txn.get("adGroups", key_of(doc["adGroup"]))
    if ad_group is not None:
        txn.touched.campaigns.add(key_of(ad_group["campaign"]))


def _check_ad(txn: Txn, ad: Doc, path: Path, campaign: Doc) -> str:
    ad_type = next((name for name in AD_TYPES if name in ad), None)
    if ad_type is None:
        raise missing(path, "ad_data")
    if campaign.get("advertisingChannelType") != "DEMAND_GEN":
        raise fault(
            "operationAccessDeniedError",
            "OPERATION_NOT_PERMITTED_FOR_CAMPAIGN_TYPE",
            "Demand Gen ads need a Demand Gen campaign.",
            (*path, (_AD_FIELDS[ad_type], None)),
        )
    _check_urls(ad.get("finalUrls", []), (*path, ("final_urls", None)))
    info, info_path = ad[ad_type], (*path, (_AD_FIELDS[ad_type], None))
    _, media, texts = AD_TYPES[ad_type]
    _nonempty(info, media, _MEDIA_FIELDS[media], info_path)
    for index, item in enumerate(info[media]):
        where = (*info_path, (_MEDIA_FIELDS[media], index), ("asset", None))
        txn.existing(item.get("asset"), where, "assets")
    for key, field, limit in texts:
        _nonempty(info, key, field, info_path)
        for index, item in enumerate(info[key]):
            _text(item.get("text", ""), limit, (*info_path, (field, index), ("text", None)))
    _business_name(info, info_path)
    return ad_type


def _check_urls(urls: list[str], path: Path) -> None:
    if not urls:
        raise fault("fieldError", "REQUIRED_NONEMPTY_LIST", "The list must not be empty.", path)
    for index, url in enumerate(urls):
        if not _URL.match(url):
            raise fault(
                "fieldError",
                "INVALID_VALUE",
                "The final URL is not valid.",
                (*path[:-1], ("final_urls", index)),
            )


def _nonempty(info: Doc, key: str, field: str, path: Path) -> None:
    if not info.get(key):
        raise fault(
            "fieldError", "REQUIRED_NONEMPTY_LIST", "The list must not be empty.",
            (*path, (field, None)),
        )  # fmt: skip


def _text(text: str, limit: int, path: Path) -> None:
    if not text.strip():
        raise fault("stringLengthError", "EMPTY", "The text is empty.", path)
    if len(text) > limit:
        error = AdsError(
            "stringLengthError", "TOO_LONG", f"Too long: at most {limit} characters.", path, text
        )
        raise GoogleAdsFault("INVALID_ARGUMENT", [error])
    lowered = text.lower()
    for phrase in PROHIBITED_PHRASES:
        if phrase in lowered:
            details = {
                "policyFindingDetails": {
                    "policyTopicEntries": [{"topic": "UNREALISTIC_CLAIMS", "type": "PROHIBITED"}]
                }
            }
            error = AdsError(
                "policyFindingError",
                "POLICY_FINDING",
                "The resource has been disapproved since the policy summary includes policy "
                "topics of type PROHIBITED.",
                path,
                phrase,
                details,
            )
            raise GoogleAdsFault("INVALID_ARGUMENT", [error])


def _business_name(info: Doc, path: Path) -> None:
    name = info.get("businessName")
    text = name.get("text") if isinstance(name, dict) else name
    if not text:
        raise missing(path, "business_name")
    where = (*path, ("business_name", None))
    if len(text) > BUSINESS_NAME_MAX:
        raise GoogleAdsFault(
            "INVALID_ARGUMENT",
            [AdsError("stringLengthError", "TOO_LONG", "Business name too long.", where, text)],
        )


# --- assets ------------------------------------------------------------------------------------
def create_asset(txn: Txn, doc: Doc, path: Path) -> Doc:
    content = _asset_content(doc, path)
    digest = hashlib.sha256(content.encode()).hexdigest()[:16]
    asset_id = txn.new_id("assets", txn.customer_id, f"{doc.get('name', '')}|{digest}")
    doc |= {"id": asset_id, "resourceName": name_of(txn.customer_id, "assets", asset_id)}
    return txn.put("assets", asset_id, doc)


def _asset_content(doc: Doc, path: Path) -> str:
    """Sets the asset's type and returns what identifies its content."""
    if "imageAsset" in doc:
        data = doc["imageAsset"].pop("data", None)
        if not data:
            raise missing((*path, ("image_asset", None)), "data")
        # Only the size is kept: the sandbox never serves the image back.
        size = str(len(base64.b64decode(data)))
        doc["imageAsset"] |= {"fileSize": size, "mimeType": "IMAGE_PNG"}
        doc["type"] = "IMAGE"
        return str(data)
    if "youtubeVideoAsset" in doc:
        video = str(doc["youtubeVideoAsset"].get("youtubeVideoId", ""))
        if not _YOUTUBE_ID.match(video):
            where = (*path, ("youtube_video_asset", None), ("youtube_video_id", None))
            raise fault("fieldError", "INVALID_VALUE", "Not a YouTube video id.", where)
        doc["type"] = "YOUTUBE_VIDEO"
        return video
    if "textAsset" in doc:
        doc["type"] = "TEXT"
        return str(doc["textAsset"].get("text", ""))
    raise missing(path, "asset_data")


def check_asset(txn: Txn, doc: Doc, path: Path) -> None:
    """Assets keep no invariant beyond their create checks."""
