"""What the Google Ads sandbox speaks: error shapes, resource names, tables and limits.

Kept independent of the adapter's mapping on purpose: the sandbox states what the Google
Ads API (REST) accepts and returns (shared/reference/platform_apis.md §3), the adapter states
what roasloop sends, and the tests check that the two agree.

Two error families exist on the real wire and both are reproduced:

* ``GoogleAdsFailure`` details (``errorCode`` ``{"<category>": "<ENUM>"}``, ``location`` with
  snake_case ``fieldPathElements``) for everything the Ads backend rejects;
* ``google.rpc.BadRequest`` ``fieldViolations`` for JSON the REST front end cannot even
  decode (unknown field names, bad enum values, wrong JSON types) — these never reach the
  Ads backend, so they carry no ``GoogleAdsFailure``
  (https://developers.google.com/google-ads/api/rest/design/json-mappings).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from typing import Any

Doc = dict[str, Any]
PathElement = tuple[str, int | None]

#: Any API version is served; the adapter pins one (``/v25/...``).
VERSION_PATTERN = r"v\d+"
DEFAULT_VERSION = "v25"
#: googleAds:search returns fixed pages of 10,000 rows; ``pageSize`` is rejected since v17
#: (https://developers.google.com/google-ads/api/docs/reporting/paging).
PAGE_SIZE = 10_000
#: At most 10,000 operations per mutate request (RequestError.TOO_MANY_MUTATE_OPERATIONS).
MAX_OPERATIONS = 10_000
#: Money is in micros and must be a whole number of the currency's minimum unit (USD: cents),
#: else CampaignBudgetError.NON_MULTIPLE_OF_MINIMUM_CURRENCY_UNIT.
MICROS_PER_UNIT = 1_000_000
MINIMUM_CURRENCY_UNIT_MICROS = 10_000
#: Access tokens from https://oauth2.googleapis.com/token live one hour.
ACCESS_TOKEN_SECONDS = 3599
OAUTH_SCOPE = "https://www.googleapis.com/auth/adwords"
#: The developer token every sandbox accepts (sandbox mode needs no real keys).
SANDBOX_DEVELOPER_TOKEN = "roasloop-sandbox-developer-token"
#: retryDelay the sandbox sends with injected rate limits.
RATE_LIMIT_RETRY_DELAY = "1s"

#: Country geo target constants: criterion id = 2000 + ISO 3166-1 numeric code
#: (https://developers.google.com/google-ads/api/data/geotargets) → ISO alpha-2.
GEO_COUNTRIES: dict[str, str] = {
    "2840": "US", "2826": "GB", "2124": "CA", "2036": "AU", "2554": "NZ", "2372": "IE",
    "2276": "DE", "2250": "FR", "2380": "IT", "2724": "ES", "2528": "NL", "2056": "BE",
    "2040": "AT", "2756": "CH", "2752": "SE", "2578": "NO", "2208": "DK", "2246": "FI",
    "2616": "PL", "2620": "PT", "2392": "JP", "2410": "KR", "2702": "SG", "2458": "MY",
    "2764": "TH", "2704": "VN", "2608": "PH", "2360": "ID", "2356": "IN", "2344": "HK",
    "2158": "TW", "2784": "AE", "2682": "SA", "2634": "QA", "2414": "KW", "2792": "TR",
    "2376": "IL", "2818": "EG", "2710": "ZA", "2484": "MX", "2076": "BR", "2032": "AR",
    "2152": "CL", "2170": "CO",
}  # fmt: skip

#: Age range criteria have fixed criterion ids (AgeRangeType) → market age buckets.
AGE_RANGES: dict[str, tuple[str, tuple[str, ...]]] = {
    "AGE_RANGE_18_24": ("503001", ("18-24",)),
    "AGE_RANGE_25_34": ("503002", ("25-34",)),
    "AGE_RANGE_35_44": ("503003", ("35-44",)),
    "AGE_RANGE_45_54": ("503004", ("45-54",)),
    "AGE_RANGE_55_64": ("503005", ("55-64",)),
    "AGE_RANGE_65_UP": ("503006", ("65+",)),
    "AGE_RANGE_UNDETERMINED": ("503999", ()),
}
GENDERS: dict[str, str] = {"MALE": "10", "FEMALE": "11", "UNDETERMINED": "20"}

#: Ad text limits of Demand Gen ads (https://support.google.com/google-ads/answer/13547298).
HEADLINE_MAX = 40
DESCRIPTION_MAX = 90
LONG_HEADLINE_MAX = 90
BUSINESS_NAME_MAX = 25
#: Phrases the sandbox's policy check disapproves (PolicyFindingError.POLICY_FINDING).
PROHIBITED_PHRASES = ("miracle cure", "guaranteed weight loss", "risk-free returns")

#: Resource collections of ``customers/{cid}/{collection}/{id}`` → GAQL resource names.
COLLECTIONS: dict[str, str] = {
    "campaignBudgets": "campaign_budget",
    "campaigns": "campaign",
    "adGroups": "ad_group",
    "adGroupAds": "ad_group_ad",
    "adGroupCriteria": "ad_group_criterion",
    "campaignCriteria": "campaign_criterion",
    "assets": "asset",
}
GRPC_HTTP: dict[str, int] = {
    "INVALID_ARGUMENT": 400,
    "UNAUTHENTICATED": 401,
    "PERMISSION_DENIED": 403,
    "NOT_FOUND": 404,
    "RESOURCE_EXHAUSTED": 429,
    "INTERNAL": 500,
    "UNAVAILABLE": 503,
}
GRPC_CODES = {"INVALID_ARGUMENT": 3, "UNAUTHENTICATED": 16, "PERMISSION_DENIED": 7}
STATUS_MESSAGES: dict[str, str] = {
    "INVALID_ARGUMENT": "Request contains an invalid argument.",
    "UNAUTHENTICATED": (
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
        "cookie or other valid authentication credential. See "
        "https://developers.google.com/identity/sign-in/web/devconsole-project."
    ),
    "PERMISSION_DENIED": "The caller does not have permission",
    "NOT_FOUND": "Requested entity was not found.",
    "RESOURCE_EXHAUSTED": "Resource has been exhausted (e.g. check quota).",
    "INTERNAL": "Internal error encountered.",
    "UNAVAILABLE": "The service is currently unavailable.",
}


@dataclass(frozen=True, slots=True)
class AdsError:
    """One ``GoogleAdsError``: ``errorCode {category: code}``, message, where, what."""

    category: str
    code: str
    message: str
    path: tuple[PathElement, ...] = ()
    trigger: str | None = None
    details: Doc | None = None

    def to_json(self) -> Doc:
        body: Doc = {"errorCode": {self.category: self.code}, "message": self.message}
        if self.trigger is not None:
            body["trigger"] = {"stringValue": self.trigger}
        if self.path:
            body["location"] = {"fieldPathElements": [_element(n, i) for n, i in self.path]}
        if self.details is not None:
            body["details"] = self.details
        return body


class GoogleAdsFault(Exception):
    """A request-level failure, rendered as Google's ``{"error": {...}}`` body."""

    def __init__(
        self,
        status: str,
        errors: list[AdsError] | None = None,
        *,
        message: str | None = None,
        violations: list[tuple[str, str]] | None = None,
    ) -> None:
        self.status = status
        self.errors = errors or []
        self.violations = violations or []
        if message is None:
            first = self.violations[0][1] if self.violations else None
            message = first or STATUS_MESSAGES[status]
        super().__init__(message)
        self.message = message

    @property
    def http_status(self) -> int:
        return GRPC_HTTP[self.status]

    def body(self, version: str, request_id: str) -> Doc:
        error: Doc = {"code": self.http_status, "message": self.message, "status": self.status}
        if self.errors:
            error["details"] = [failure(self.errors, version, request_id)]
        elif self.violations:
            violations = [{"field": f, "description": d} for f, d in self.violations]
            error["details"] = [
                {
                    "@type": "type.googleapis.com/google.rpc.BadRequest",
                    "fieldViolations": violations,
                }
            ]
        return {"error": error}


def failure(errors: list[AdsError], version: str, request_id: str) -> Doc:
    """A ``GoogleAdsFailure`` detail."""
    return {
        "@type": f"type.googleapis.com/google.ads.googleads.{version}.errors.GoogleAdsFailure",
        "errors": [error.to_json() for error in errors],
        "requestId": request_id,
    }


def invalid(category: str, code: str, message: str, path: tuple[PathElement, ...] = ()) -> AdsError:
    return AdsError(category, code, message, path)


def fault(
    category: str, code: str, message: str, path: tuple[PathElement, ...] = ()
) -> GoogleAdsFault:
    """A 400 INVALID_ARGUMENT with one ``GoogleAdsError``."""
    return GoogleAdsFault("INVALID_ARGUMENT", [AdsError(category, code, message, path)])


def required(path: tuple[PathElement, ...], name: str) -> AdsError:
    return AdsError(
        "fieldError", "REQUIRED", "The required field was not present.", (*path, (name, None))
    )


def missing(path: tuple[PathElement, ...], name: str) -> GoogleAdsFault:
    """FieldError.REQUIRED for ``name`` under ``path``."""
    return GoogleAdsFault("INVALID_ARGUMENT", [required(path, name)])


def require_fields(doc: Doc, path: tuple[PathElement, ...], fields: dict[str, str]) -> None:
    """Every JSON field (key) must be set; a missing one is named by its proto name (value)."""
    for json_name, proto_name in fields.items():
        if not doc.get(json_name):
            raise missing(path, proto_name)


def refuse_created_removed(doc: Doc, path: tuple[PathElement, ...]) -> None:
    if doc.get("status") == "REMOVED":
        raise fault(
            "operationAccessDeniedError",
            "CREATE_AS_REMOVED_NOT_PERMITTED",
            "Creating a resource with status REMOVED is not permitted.",
            (*path, ("status", None)),
        )


def bad_request(field_path: str, description: str) -> GoogleAdsFault:
    """What the REST front end answers for JSON it cannot map onto the request proto."""
    return GoogleAdsFault("INVALID_ARGUMENT", violations=[(field_path, description)])


def query_error(code: str, message: str) -> GoogleAdsFault:
    return fault("queryError", code, message)


def auth_fault(code: str, message: str) -> GoogleAdsFault:
    return GoogleAdsFault("UNAUTHENTICATED", [AdsError("authenticationError", code, message)])


def permission_fault(code: str, message: str) -> GoogleAdsFault:
    return GoogleAdsFault("PERMISSION_DENIED", [AdsError("authorizationError", code, message)])


def rate_limit_fault() -> GoogleAdsFault:
    details = {
        "quotaErrorDetails": {
            "rateScope": "DEVELOPER",
            "rateName": "Number of operations for basic access",
            "retryDelay": RATE_LIMIT_RETRY_DELAY,
        }
    }
    message = f"Too many requests. Retry in {RATE_LIMIT_RETRY_DELAY.removesuffix('s')} seconds."
    error = AdsError("quotaError", "RESOURCE_EXHAUSTED", message, details=details)
    return GoogleAdsFault("RESOURCE_EXHAUSTED", [error])


def internal_fault() -> GoogleAdsFault:
    error = AdsError("internalError", "INTERNAL_ERROR", "An internal error has occurred.")
    return GoogleAdsFault("INTERNAL", [error])


def unavailable_fault() -> GoogleAdsFault:
    error = AdsError("internalError", "TRANSIENT_ERROR", "The service is temporarily unavailable.")
    return GoogleAdsFault("UNAVAILABLE", [error])


def request_id() -> str:
    return uuid.uuid4().hex[:22]


# --- resource names ------------------------------------------------------------------------
_NAME = re.compile(r"^customers/(\d+)/([A-Za-z]+)/(-?\d+(?:~-?\d+)?)$")


@dataclass(frozen=True, slots=True)
class ResourceName:
    customer_id: str
    collection: str
    key: str

    def __str__(self) -> str:
        return f"customers/{self.customer_id}/{self.collection}/{self.key}"

    @property
    def is_temporary(self) -> bool:
        return "-" in self.key


def parse_name(value: object, path: tuple[PathElement, ...], collection: str) -> ResourceName:
    """``customers/{cid}/{collection}/{key}`` or RequestError.RESOURCE_NAME_MALFORMED."""
    match = _NAME.match(str(value)) if isinstance(value, str) else None
    if match is None or match.group(2) != collection:
        raise fault(
            "requestError", "RESOURCE_NAME_MALFORMED", "The resource name is malformed.", path
        )
    return ResourceName(match.group(1), match.group(2), match.group(3))


def name_of(customer_id: str, collection: str, key: str) -> str:
    return f"customers/{customer_id}/{collection}/{key}"


def key_of(resource_name: str) -> str:
    """The key part of a resource name (``customers/1/campaigns/2`` → ``2``)."""
    return resource_name.rsplit("/", 1)[-1]


def kind(collection: str) -> str:
    """The world's document kind of a resource collection."""
    return f"gads:{collection}"


@dataclass
class Touched:
    """What one request changed, so delivery can be brought in step afterwards."""

    campaigns: set[str] = field(default_factory=set)
    ads: set[str] = field(default_factory=set)


def public(doc: Doc) -> Doc:
    """A stored document without the sandbox's private ``_`` fields."""
    return {k: v for k, v in doc.items() if not k.startswith("_")}


def _element(name: str, index: int | None) -> Doc:
    return {"fieldName": name} if index is None else {"fieldName": name, "index": index}
