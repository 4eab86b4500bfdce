"""What the Meta sandbox accepts: Graph API error objects and request models.

Kept independent of the adapter's mapping on purpose: the sandbox states what the Marketing
API accepts (shared/reference/platform_apis.md §2, SDK ``adobjects/*.py`` enums), the adapter
states what roasloop sends, and the tests check that the two agree.

Parameters arrive as form fields whose nested values are JSON-encoded strings (what the
official SDK sends) or as a JSON body; :data:`JsonValue` decodes either.
"""

from __future__ import annotations

import json
import secrets
from datetime import UTC, datetime
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

INVALID_PARAMETER = 100
#: ``error_subcode`` of "Budget is too low" (observed in Graph responses to ``POST /adsets``).
BUDGET_TOO_LOW_SUBCODE = 1885272
#: Ad set budget sent under a campaign that has its own budget (campaign budget optimisation).
BUDGET_CONFLICT_SUBCODE = 1885621
#: Object does not exist or the token may not see it (``GraphMethodException``).
UNKNOWN_OBJECT_SUBCODE = 33

#: Minimum daily budgets in minor units of USD by ``billing_event``: $1 impressions, $5 clicks,
#: likes, video views and engagement, $40 low-frequency events
#: (https://www.facebook.com/business/help/203183363050448 "About minimum ad budgets").
MIN_DAILY_BUDGET_MINOR: dict[str, int] = {
    "IMPRESSIONS": 100,
    "NONE": 100,
    "LINK_CLICKS": 500,
    "CLICKS": 500,
    "THRUPLAY": 500,
    "POST_ENGAGEMENT": 500,
    "PAGE_LIKES": 500,
    "LISTING_INTERACTION": 500,
    "APP_INSTALLS": 4000,
    "OFFER_CLAIMS": 4000,
    "PURCHASE": 4000,
}
#: A campaign budget (CBO) must cover at least one impressions-billed ad set.
MIN_CAMPAIGN_DAILY_BUDGET_MINOR = 100
#: Non-deleted ads per ad set (https://www.facebook.com/business/help/1613426298895289).
MAX_ADS_PER_ADSET = 50
#: Meta does not deliver ads to sanctioned countries (Advertising Policies, "Prohibited
#: content"/OFAC; https://www.facebook.com/policies/ads).
UNSERVED_COUNTRIES = frozenset({"CU", "IR", "KP", "SY"})
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S%z"

#: ODAX objective → optimisation goals its ad sets may use (Marketing API "Outcome-Driven Ad
#: Experiences" validation table, https://developers.facebook.com/docs/marketing-api/bidding/overview/).
GOALS_BY_OBJECTIVE: dict[str, frozenset[str]] = {
    "OUTCOME_SALES": frozenset(
        {
            "OFFSITE_CONVERSIONS",
            "VALUE",
            "LINK_CLICKS",
            "LANDING_PAGE_VIEWS",
            "IMPRESSIONS",
            "REACH",
        }
    ),
    "OUTCOME_TRAFFIC": frozenset({"LINK_CLICKS", "LANDING_PAGE_VIEWS", "IMPRESSIONS", "REACH"}),
    "OUTCOME_AWARENESS": frozenset({"REACH", "IMPRESSIONS", "AD_RECALL_LIFT", "THRUPLAY"}),
    "OUTCOME_ENGAGEMENT": frozenset({"POST_ENGAGEMENT", "THRUPLAY", "IMPRESSIONS", "REACH"}),
    "OUTCOME_LEADS": frozenset({"LEAD_GENERATION", "OFFSITE_CONVERSIONS", "LINK_CLICKS"}),
    "OUTCOME_APP_PROMOTION": frozenset({"APP_INSTALLS", "LINK_CLICKS", "VALUE"}),
}
#: Billing events other than IMPRESSIONS are only valid with their own optimisation goal.
BILLING_NEEDS_GOAL: dict[str, str] = {
    "LINK_CLICKS": "LINK_CLICKS",
    "THRUPLAY": "THRUPLAY",
    "APP_INSTALLS": "APP_INSTALLS",
    "POST_ENGAGEMENT": "POST_ENGAGEMENT",
}
PIXEL_GOALS = frozenset({"OFFSITE_CONVERSIONS", "VALUE"})


class GraphError(Exception):
    """A Graph API error object (``{"error": {...}}``), rendered with HTTP 400 (500 for 1/2)."""

    def __init__(
        self,
        code: int,
        message: str,
        *,
        subcode: int | None = None,
        kind: str = "OAuthException",
        user_title: str = "",
        user_msg: str = "",
        blame: list[list[str]] | None = None,
        transient: bool = False,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.subcode = subcode
        self.kind = kind
        self.user_title = user_title
        self.user_msg = user_msg
        self.blame = blame
        self.transient = transient

    @property
    def http_status(self) -> int:
        return 500 if self.code in (1, 2) else 400

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {
            "message": self.message,
            "type": self.kind,
            "code": self.code,
            "is_transient": self.transient,
            "fbtrace_id": trace_id(),
        }
        if self.subcode is not None:
            error["error_subcode"] = self.subcode
        if self.user_title:
            error["error_user_title"] = self.user_title
            error["error_user_msg"] = self.user_msg
        if self.blame:
            error["error_data"] = {"blame_field_specs": self.blame}
        return {"error": error}


def trace_id() -> str:
    return secrets.token_urlsafe(8)[:11]


def invalid(field: str, message: str, **kwargs: Any) -> GraphError:
    """Code 100 blaming ``field`` (dotted path)."""
    return GraphError(INVALID_PARAMETER, f"(#100) {message}", blame=[field.split(".")], **kwargs)


def require(condition: bool, field: str, message: str) -> None:
    if not condition:
        raise invalid(field, message)


def unknown_object(object_id: str, method: str = "GET") -> GraphError:
    verb = {"GET": "get", "POST": "post", "DELETE": "delete"}.get(method, "get")
    return GraphError(
        INVALID_PARAMETER,
        f"Unsupported {verb} request. Object with ID '{object_id}' does not exist, cannot be "
        "loaded due to missing permissions, or does not support this operation. Please read "
        "the Graph API documentation at https://developers.facebook.com/docs/graph-api",
        subcode=UNKNOWN_OBJECT_SUBCODE,
        kind="GraphMethodException",
    )


# --- decoding ------------------------------------------------------------------------------------
def _json_value(value: Any) -> Any:
    """Form fields carry nested values as JSON text; a JSON body carries them as-is."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def _text_id(value: Any) -> Any:
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _fields(value: Any) -> Any:
    """``fields`` as ``a,b{c,d}`` or a JSON list: the top-level names."""
    value = _json_value(value)
    if isinstance(value, list):
        return [str(v) for v in value]
    depth, current, names = 0, "", []
    for char in str(value or ""):
        if char == "," and depth == 0:
            names.append(current)
            current = ""
            continue
        depth += {"{": 1, "}": -1}.get(char, 0)
        current += char
    names.append(current)
    return [name.split("{")[0].split(".")[0].strip() for name in names if name.strip()]


JsonValue = BeforeValidator(_json_value)
WireId = Annotated[str, BeforeValidator(_text_id), Field(pattern=r"^\d+$")]
MinorUnits = Annotated[int, Field(ge=0)]
FieldList = Annotated[list[str], BeforeValidator(_fields)]


class RequestModel(BaseModel):
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


M = TypeVar("M", bound=RequestModel)


# --- validation errors ---------------------------------------------------------------------------
def parse(model: type[M], params: dict[str, Any]) -> M:
    """Validate ``params`` or raise code 100 blaming the first bad field, as Graph does."""
    try:
        return model.model_validate(params)
    except ValidationError as exc:
        first = exc.errors()[0]
        path = [str(part) for part in first["loc"] if not isinstance(part, int)] or ["body"]
        name = ".".join(path)
        if first["type"] == "missing":
            message = f"The parameter {name} is required"
        elif first["type"] == "literal_error":
            message = f"Param {name} must be one of {{{first['ctx']['expected']}}}"
        else:
            message = f"Param {name} is invalid: {first['msg']}"
        raise GraphError(INVALID_PARAMETER, f"(#100) {message}", blame=[path]) from exc


def parse_time(value: str | None, field: str) -> datetime | None:
    """ISO 8601 (``2026-03-02T08:00:00+0000``) or a UNIX timestamp, as Graph accepts."""
    if value is None or value == "":
        return None
    if value.isdigit():
        return datetime.fromtimestamp(int(value), UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise invalid(field, f"Param {field} must be an ISO 8601 time or UNIX timestamp") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def format_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime(TIME_FORMAT)
