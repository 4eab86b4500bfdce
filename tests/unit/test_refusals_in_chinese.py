"""A caller who asked for zh-CN reads every refusal in Chinese, while ``details.field`` still
names the offending input and the English sentence stays what it was.

One refusal (at least) of each module that raises one, through the module API where a caller
can reach it, else at the function that raises. A platform's own words stay as the platform
wrote them, introduced by a Chinese sentence.
"""

from __future__ import annotations

import ast
import asyncio
import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from roasloop import CampaignAutomation, Settings
from roasloop.bootstrap import build_runtime
from roasloop.decisions.presets import load_preset
from roasloop.domain.enums import EntityStatus, Platform
from roasloop.domain.metrics import MetricTotals
from roasloop.domain.models import PerformanceDaily, Rule
from roasloop.errors import InvalidParameter, NotFound, RoasloopError
from roasloop.media import samples
from roasloop.media.validation import check_media
from roasloop.platforms.google import bidding, operations, status
from roasloop.platforms.google import errors as google_errors
from roasloop.platforms.google import mapping as google_mapping
from roasloop.platforms.google.media import image_bytes
from roasloop.platforms.meta import errors as meta_errors
from roasloop.platforms.meta import mapping as meta_mapping
from roasloop.platforms.meta.media import read_media
from roasloop.platforms.tiktok import errors as tiktok_errors
from roasloop.platforms.tiktok import mapping as tiktok_mapping
from roasloop.ports.clock import SimulatedClock
from roasloop.ports.store import UnitOfWork
from roasloop.services import stages
from roasloop.services.common import RequestContext
from roasloop.store import SqlAlchemyStore
from roasloop.store.cache import MemoryCache
from roasloop.store.crypto import TokenCipher
from roasloop.store.engine import async_database_url

SRC = Path(__file__).resolve().parents[2] / "src" / "roasloop"
NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
#: Two English words in a row: a sentence left untranslated.
ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ -]+[A-Za-z]{2,})+")
#: Names that stay as they are in Chinese text.
PRODUCTS = ("Google Ads", "TikTok", "Meta")


def _english_left(message: str, *quoted: object) -> list[str]:
    """Untranslated English in ``message`` once the caller's own values are taken out."""
    for value in sorted((str(v) for v in (*quoted, *PRODUCTS) if v), key=len, reverse=True):
        message = message.replace(value, "")
    return ENGLISH.findall(message)


def _assert_chinese(error: RoasloopError, field: str | None) -> None:
    assert error.details.get("field") == field
    zh, en = error.message("zh-CN"), error.message("en")
    assert zh != en
    assert _english_left(zh, f"'{field}'", *error.detail_params.values()) == [], zh


def _raised(call: Callable[[], object]) -> RoasloopError:
    with pytest.raises(RoasloopError) as caught:
        call()
    return caught.value


async def _araised(call: Callable[[], Awaitable[object]]) -> RoasloopError:
    with pytest.raises(RoasloopError) as caught:
        await call()
    return caught.value


# --- raised by pure functions -----------------------------------------------------------------
RULE = {"rule_name": "r", "condition": {"metric": "roas", "operator": ">", "value": 1}}
PURE: list[tuple[str, Callable[[], object], str]] = [
    ("presets", lambda: load_preset("nope"), "preset"),
    (
        "tiktok mapping",
        lambda: tiktok_mapping.bid_field_of({"bid_type": "BID_TYPE_NO_BID"}, "g1"),
        "bid",
    ),
    ("tiktok mapping", lambda: tiktok_mapping.location_ids(["US", "ZZ"]), "target_countries[1]"),
    ("google status", lambda: status.numeric_id("x1", "campaign_id"), "campaign_id"),
    ("google status", lambda: status.ad_key("12"), "ad_id"),
    ("google status", lambda: status.require_all(["1", "2"], ["1"], "adset_ids"), "adset_ids"),
    ("google operations", lambda: operations.wire_status(EntityStatus.DELETED), "status"),
    ("google mapping", lambda: google_mapping.geo_target_constants(["ZZ"]), "target_countries[0]"),
    ("google media", lambda: image_bytes("/no/such/file.png"), "media_url"),
    ("google bidding", lambda: bidding.bid_update("r", {}, Decimal(1), "a1"), "bid"),
    ("meta mapping", lambda: meta_mapping.countries(["ZZ"]), "target_countries[0]"),
    ("meta mapping", lambda: meta_mapping.call_to_action("dance"), "call_to_action"),
    ("meta media", lambda: read_media("/no/such/file.mp4"), "media_url"),
    ("crypto", lambda: TokenCipher("not-a-key"), "encryption_key"),
    ("engine", lambda: async_database_url("oracle://db/x"), "database_url"),
]


@pytest.mark.parametrize(("where", "call", "field"), PURE, ids=[p[0] for p in PURE])
def test_a_refusal_raised_below_the_services_is_said_in_chinese(
    where: str, call: Callable[[], object], field: str
) -> None:
    _assert_chinese(_raised(call), field)


def test_a_google_campaign_budget_refusal_is_said_in_chinese() -> None:
    _assert_chinese(bidding.no_campaign_budget(), "daily_budget")


def test_a_platform_refusal_keeps_its_own_words_inside_a_chinese_sentence() -> None:
    said = "budget: Budget must be at least 20.00 USD."
    refusals = [
        tiktok_errors.classify(40002, said, "req-1"),
        meta_errors.classify({"code": 100, "message": said}, 400, None),
        google_errors.classify(400, {"error": {"status": "INVALID_ARGUMENT", "message": said}}),
    ]
    for error in refusals:
        assert isinstance(error, InvalidParameter)
        assert error.message("en").endswith(f": {said}")  # as the platform wrote it
        assert error.detail_in("zh-CN") == f"广告平台返回：{said}"
        assert _english_left(error.message("zh-CN"), f"'{error.field}'", said) == []


# --- raised by the store, the cache and the platform adapters ---------------------------------
async def test_store_and_cache_refusals_are_said_in_chinese(tmp_path: Path) -> None:
    store = SqlAlchemyStore(
        f"sqlite:///{tmp_path / 'x.db'}", TokenCipher(TokenCipher.generate_key())
    )
    await store.migrate()
    try:
        row = PerformanceDaily(
            "t1", Platform.TIKTOK, "c1", "s1", "a1", date(2026, 3, 1), MetricTotals(), NOW
        )
        other = replace(row, tenant_id="t2")
        rule = Rule("r1", "t1", "r", {}, {}, {}, 60, True, NOW)

        async def in_unit(tenant: str, work: Callable[[UnitOfWork], Awaitable[object]]) -> None:
            async with store.unit(tenant) as uow:
                await work(uow)

        refusals = {
            "limit": [
                await _araised(lambda: in_unit("t1", lambda u: u.operations.find(limit=0))),
                await _araised(lambda: in_unit("t1", lambda u: u.rules.list_executions("r1", 0))),
            ],
            "tenant_id": [
                await _araised(lambda: in_unit("", lambda u: u.campaigns.all())),
                await _araised(lambda: in_unit("t2", lambda u: u.rules.save(rule))),
            ],
            "rows": [
                await _araised(lambda: in_unit("t1", lambda u: u.performance.upsert([row, other])))
            ],
            "ttl_seconds": [
                await _araised(lambda: MemoryCache(SimulatedClock(NOW)).set("k", "v", 0))
            ],
        }
    finally:
        await store.close()
    for field, errors in refusals.items():
        for error in errors:
            _assert_chinese(error, field)


async def test_adapter_refusals_are_said_in_chinese(tmp_path: Path) -> None:
    runtime = await build_runtime(Settings(data_dir=tmp_path, enabled_platforms=list(Platform)))
    try:
        adapters = {p: await runtime.deps.adapters.adapter_for("t1", p) for p in Platform}
        for adapter in adapters.values():
            error = await _araised(lambda a=adapter: a.get_campaign_tree("999999999"))
            _assert_chinese(error, "campaign_id")
        error = await _araised(lambda: adapters[Platform.GOOGLE].update_budget("99", Decimal(9)))
        _assert_chinese(error, "adset_id")
        error = await _araised(lambda: adapters[Platform.META].update_bid("99", Decimal(1)))
        assert error.detail_in("zh-CN").startswith("广告平台返回：")  # renamed to the port's field
        assert error.details["field"] == "adset_id"
    finally:
        await runtime.aclose()
    only_tiktok = await build_runtime(
        Settings(data_dir=tmp_path / "t", enabled_platforms=[Platform.TIKTOK])
    )
    try:
        refused = await _araised(lambda: only_tiktok.deps.adapters.adapter_for("t1", Platform.META))
    finally:
        await only_tiktok.aclose()
    _assert_chinese(refused, "platform")


async def test_a_media_refusal_is_said_in_chinese(tmp_path: Path) -> None:
    error = await _araised(lambda: check_media("/etc/passwd", tmp_path, live=False))
    _assert_chinese(error, "media_url")


# --- through the module API -------------------------------------------------------------------
def _rule(**changes: Any) -> dict[str, Any]:
    return {**RULE, "action": {"type": "pause"}, **changes}


#: (action, parameters, the field named); ``{campaign}`` / ``{rule}`` are filled in.
CALLS: list[tuple[str, dict[str, Any], str]] = [
    ("create_campain", {}, "action"),
    ("create_rule", {k: v for k, v in _rule().items() if k != "rule_name"}, "rule_name"),
    ("create_rule", _rule(action={"type": "explode"}), "action.type"),
    ("create_rule", _rule(action={"type": "increase_budget", "pct": 5000}), "action.pct"),
    (
        "create_rule",
        _rule(condition={"metric": "vibes", "operator": ">", "value": 1}),
        "condition.metric",
    ),
    ("create_rule", _rule(window="fortnight"), "window"),
    (
        "create_rule",
        _rule(condition={"metric": "roas", "operator": ">", "value": "2 * vibes"}),
        "condition.value",
    ),
    (
        "create_rule",
        _rule(condition={"metric": "roas", "operator": "contains", "value": "x"}),
        "condition.operator",
    ),
    (
        "create_rule",
        _rule(action={"type": "notify", "webhook": {"url": "https://x.example/h"}}),
        "action.webhook.secret",
    ),
    ("set_rule_enabled", {"rule_id": "nope", "enabled": False}, "rule_id"),
    ("undo_rule_execution", {"rule_id": "{rule}", "execution_id": "nope"}, "execution_id"),
    ("analyze_ab_test", {"test_id": "nope"}, "test_id"),
    ("get_campaign_status", {"campaign_id": "nope"}, "campaign_id"),
    (
        "optimize_budget",
        {"campaign_id": "{campaign}", "policy": "tiered", "pause_stance": "patient"},
        "pause_stance",
    ),
    ("optimize_budget", {"campaign_id": "{campaign}"}, "target_roas"),
    (
        "configure_stages",
        {"campaign_id": "{campaign}", "thresholds": {"vibes": 1}},
        "thresholds.vibes",
    ),
    (
        "create_ab_test",
        {
            "test_name": "t",
            "creative_ids": ["c1", "c2"],
            "daily_budget": 100,
            "test_duration_days": 7,
            "age_min": 50,
            "age_max": 30,
        },
        "age_max",
    ),
    (
        "create_campaign",
        {
            "objective": "sales",
            "daily_budget": 200,
            "creative_ids": ["c1"],
            "idempotency_key": "launch-1",
        },
        "idempotency_key",
    ),
    ("manage_campaign", {"campaign_id": "{deleted}", "operation": "pause"}, "campaign_id"),
    (
        "register_creative",
        {"name": "x", "product_url": "https://shop.example.com/p", "media_url": "/etc/passwd"},
        "media_url",
    ),
]


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, dict[str, Any]]]:
    """Each call's response in zh-CN, on one module with two campaigns (one deleted)."""
    answered = asyncio.run(_answer_all(tmp_path_factory.mktemp("module")))
    yield answered


async def _answer_all(tmp_path: Path) -> dict[str, dict[str, Any]]:
    settings = Settings(data_dir=tmp_path)
    samples.install(settings)
    context = {"user_id": "u1", "locale": "zh-CN"}
    async with CampaignAutomation(settings) as module:

        async def run(action: str, params: dict[str, Any]) -> dict[str, Any]:
            return await module.execute(action, params, context)

        for creative in ("c1", "c2"):
            creative_params = {
                "creative_id": creative,
                "name": creative,
                "product_url": "https://shop.example.com/p",
                "media_url": "hook.mp4",
            }
            assert (await run("register_creative", creative_params))["status"] == "success"
        launch = {"objective": "sales", "daily_budget": 150, "creative_ids": ["c1"]}
        kept = await run("create_campaign", {**launch, "idempotency_key": "launch-1"})
        gone = await run("create_campaign", launch)
        deleted = gone["campaign_id"]
        await run("manage_campaign", {"campaign_id": deleted, "operation": "delete"})
        rule = await run("create_rule", _rule())
        ids = {
            "{campaign}": kept["campaign_id"],
            "{deleted}": deleted,
            "{rule}": rule["rule_id"],
        }
        answered = {}
        for index, (action, params, _) in enumerate(CALLS):
            filled = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in params.items()}
            answered[f"{index}:{action}"] = await run(action, filled)
        answered["context"] = await module.execute(
            "list_rules", {}, {"user_id": " u1", "locale": "zh-CN"}
        )
        # Stored stage settings are read back through the same check as the caller's.
        deps, ctx = (await module.runtime()).deps, RequestContext("u1", "req-1", "zh-CN")
        thresholds = stages.configure_stages(
            deps, ctx, Platform.TIKTOK, ids["{campaign}"], {"vibes": 1}
        )
        answered["stored thresholds"] = {"error": await _araised(lambda: thresholds)}
    return answered


@pytest.mark.parametrize(
    ("index", "field"), [(i, c[2]) for i, c in enumerate(CALLS)], ids=[c[0] for c in CALLS]
)
def test_a_refusal_through_the_module_api_is_said_in_chinese(
    answers: dict[str, dict[str, Any]], index: int, field: str
) -> None:
    action, params, _ = CALLS[index]
    error = answers[f"{index}:{action}"]["error"]
    assert error["details"]["field"] == field
    quoted = [action, *_values(params), *_values(error["details"])]
    assert _english_left(error["message"], f"'{field}'", *quoted) == [], error["message"]
    assert error["messages"]["zh-CN"] == error["message"] != error["messages"]["en"]


def test_a_refused_context_is_said_in_chinese(answers: dict[str, dict[str, Any]]) -> None:
    error = answers["context"]["error"]
    assert error["details"]["field"] == "context.user_id"
    assert _english_left(error["messages"]["zh-CN"], "'context.user_id'", "user_id") == []


def test_a_stored_threshold_refusal_is_said_in_chinese(
    answers: dict[str, dict[str, Any]],
) -> None:
    _assert_chinese(answers["stored thresholds"]["error"], "thresholds.vibes")


def _values(mapping: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for value in mapping.values():
        out += _values(value) if isinstance(value, dict) else [str(value), repr(value)]
    return out


def test_english_refusals_read_as_before(answers: dict[str, dict[str, Any]]) -> None:
    errors = [answers[f"{i}:{call[0]}"]["error"] for i, call in enumerate(CALLS)]
    english = {error["details"]["field"]: error["messages"]["en"] for error in errors}
    assert english["action"] == (
        "Invalid parameter 'action': unknown action 'create_campain'; "
        "did you mean 'create_campaign'?"
    )
    assert english["window"] == (
        "Invalid parameter 'window': unknown window 'fortnight': today, yesterday, "
        "last_N_hours, last_Nd (3d/5d/7d/14d/30d) or lifetime"
    )
    assert english["pause_stance"] == (
        "Invalid parameter 'pause_stance': pause_stance applies to the roasloop policy, "
        "not tiered"
    )
    assert english["test_id"] == "Not found: A/B test nope"


# --- every refusal in the code is a catalog message ------------------------------------------
def test_every_refusal_in_the_code_is_a_catalog_message() -> None:
    """No ``InvalidParameter`` is raised with bare English: its detail is ``N_("…")`` (or a
    name bound to one), a catalog key (``detail_key``), or passed on from another error."""
    bare = []
    for path in sorted(SRC.rglob("*.py")):
        if path.relative_to(SRC).parts[0] == "sandbox":  # the simulator's own errors
            continue
        nodes = ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        bare += [f"{path.relative_to(SRC)}:{n.lineno}" for n in nodes if _bare_refusal(n)]
    assert bare == []


def _bare_refusal(node: ast.AST) -> bool:
    if not (isinstance(node, ast.Call) and getattr(node.func, "id", "") == "InvalidParameter"):
        return False
    if any(k.arg == "detail_key" for k in node.keywords) or len(node.args) < 2:
        return False
    detail = node.args[1]
    literal = isinstance(detail, ast.Constant | ast.JoinedStr | ast.BinOp)
    formatted = isinstance(detail, ast.Call) and getattr(detail.func, "id", "") != "N_"
    return literal or formatted


def test_not_found_names_what_was_missing_in_chinese() -> None:
    error = NotFound("campaign {campaign_id}", detail_params={"campaign_id": "c-9"})
    assert error.message("en") == "Not found: campaign c-9"
    assert error.message("zh-CN") == "未找到：广告系列 c-9"
