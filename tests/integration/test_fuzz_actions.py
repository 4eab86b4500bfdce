"""Every action, fuzzed from its parameter schema: whatever arrives, ``execute`` answers.

For each action, Hypothesis draws parameters three ways: valid by the action's JSON schema,
valid with one field swapped for hostile JSON, and arbitrary JSON under the schema's keys.
Real ids of the tenant's campaign, rule and creative test are mixed in so examples get past
the lookups. Each answer must be a response (no exception), never error 1000, every error
must name its field, and an error must change nothing: the store and the sandbox hold the
same data before and after it.

``FUZZ_EXAMPLES`` sets the examples per action (200 on SQLite; a smaller run on PostgreSQL).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, create_engine, select
from sqlalchemy.pool import NullPool

from roasloop.actions import ACTIONS
from roasloop.store.engine import sync_database_url
from roasloop.store.tables import Base
from tests.conftest import truncate_all
from tests.integration.fuzz_counts import COUNTS, write_report
from tests.integration.harness import Harness, build_harness
from tests.integration.schema_strategies import from_schema

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "200"))
PG_EXAMPLES = int(os.environ.get("FUZZ_PG_EXAMPLES", "25"))
USER = "fuzz-tenant"

#: Values that broke promises before, and their relatives.
HOSTILE = st.sampled_from(
    [
        "1e20", 1e308, -1e308, "NaN", "Infinity", "-Infinity", 10**20, -(10**20), 0, -1,
        "", " ", "\x00", "a\x00b", "x" * 300, "é" * 256, "\n", " padded ", [], {}, [[]],
        {"a": {"b": {"c": None}}}, None, True, False, "true", "0x10", "١٢", "../../etc/passwd",
        "/etc/passwd", "http://127.0.0.1/x.mp4", "DROP TABLE campaigns", "%s%s%n",
    ]
)  # fmt: skip
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
VALUE = st.one_of(HOSTILE, JSON)


def params_for(action: str, known: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Schema-valid, one-field-hostile and arbitrary parameters, with real ids mixed in,
    and a working request with one field redrawn (valid or hostile)."""
    schema = narrowed(action, ACTIONS[action].params.model_json_schema())
    properties = schema.get("properties", {})
    keys = sorted(properties) or ["x"]
    valid = from_schema(schema)
    one_off = st.tuples(valid, st.sampled_from(keys), VALUE).map(lambda t: {**t[0], t[1]: t[2]})
    arbitrary = st.dictionaries(st.sampled_from(keys) | st.text(max_size=6), VALUE, max_size=6)
    drawn = st.one_of(valid, one_off, arbitrary)
    with_ids = st.tuples(drawn, st.booleans()).map(
        lambda t: _with_ids(t[0], known) if t[1] else t[0]
    )
    base = working(action, known)
    if not properties:
        return with_ids
    field = st.sampled_from(keys).flatmap(
        lambda key: st.tuples(
            st.just(key), from_schema({**properties[key], "$defs": schema.get("$defs", {})}) | VALUE
        )
    )
    redrawn = field.map(lambda kv: {**base, kv[0]: kv[1]})
    return st.one_of(with_ids, redrawn, st.just(base)).map(lambda p: cheap(action, p))


#: Bounds drawn tighter than the schema's so a run stays short; the schema's own bounds are
#: still probed by the hostile values (0, -1, 10**20 …).
NARROWER = {"advance_sandbox": {"days": {"maximum": 3}}}


def cheap(action: str, params: dict[str, Any]) -> dict[str, Any]:
    """Accepted day counts above 3 become 3: simulating years of market per example would
    take minutes, and counts beyond the schema's bound (367 …) are kept to be refused."""
    days = params.get("days")
    if action == "advance_sandbox" and type(days) is int and 3 < days <= 366:
        return {**params, "days": 3}
    return params


def narrowed(action: str, schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with the properties of :data:`NARROWER` bounded tighter."""
    tighter = NARROWER.get(action, {})
    properties = {
        name: {**spec, **tighter.get(name, {})}
        for name, spec in schema.get("properties", {}).items()
    }
    return {**schema, "properties": properties}


def _with_ids(params: dict[str, Any], known: dict[str, Any]) -> dict[str, Any]:
    ids = {k: v for k, v in known.items() if k != "media_url"}
    return {**params, **{k: v for k, v in ids.items() if k in params or k == "campaign_id"}}


def working(action: str, known: dict[str, Any]) -> dict[str, Any]:
    """A request for ``action`` that succeeds on the seeded tenant."""
    campaign = {"campaign_id": known["campaign_id"]}
    examples: dict[str, dict[str, Any]] = {
        "create_campaign": {
            "objective": "sales", "daily_budget": 150, "target_roas": 2,
            "creative_ids": known["creative_ids"],
        },
        "create_ab_test": {
            "test_name": "again", "creative_ids": known["creative_ids"], "daily_budget": 100,
            "test_duration_days": 7,
        },
        "register_creative": {
            "creative_id": "fz", "name": "fz", "product_url": "https://shop.example.com/p",
            "media_url": known["media_url"],
        },
        "create_rule": {
            "rule_name": "cut", "action": {"type": "decrease_budget", "pct": 10},
            "condition": {"metric": "spend", "operator": ">", "value": 0, "time_range": "24h"},
        },
        "manage_campaign": {**campaign, "operation": "pause"},
        "optimize_budget": {**campaign, "apply": True},
        "set_stage": {**campaign, "stage": "heating"},
        "configure_stages": {**campaign, "thresholds": {"demote_days": 5}},
        "analyze_ab_test": {"test_id": known["test_id"]},
    }  # fmt: skip
    return examples.get(action, {k: v for k, v in known.items() if k != "media_url"})


class StateProbe:
    """The store's rows and the sandbox's documents, for before/after comparisons."""

    def __init__(self, harness: Harness, database_url: str) -> None:
        self.harness = harness
        url = sync_database_url(database_url).render_as_string(hide_password=False)
        self.engine: Engine = create_engine(url, poolclass=NullPool)

    def state(self) -> str:
        with self.engine.connect() as connection:
            tables = {
                t.name: sorted(map(repr, connection.execute(select(t)).all()))
                for t in Base.metadata.sorted_tables
            }
        worlds = {
            platform.value: {kind: list(world.all(kind)) for kind in world.kinds()}
            for platform, world in self.harness.runtime.sandboxes.items()
        }
        return json.dumps({"store": tables, "sandbox": worlds}, sort_keys=True, default=str)

    def close(self) -> None:
        self.engine.dispose()


def seed_tenant(h: Harness) -> dict[str, Any]:
    """A campaign, a rule and a creative test to aim at, a few days into delivery."""
    creatives = h.creatives(USER, 2)
    campaign = h.execute(
        "create_campaign",
        {"objective": "sales", "daily_budget": 150, "creative_ids": creatives, "target_roas": 2},
        user=USER,
    )
    test = h.execute(
        "create_ab_test",
        {"test_name": "hooks", "creative_ids": creatives, "daily_budget": 100,
         "test_duration_days": 7},
        user=USER,
    )  # fmt: skip
    rule = h.execute(
        "create_rule",
        {
            "rule_name": "trim spenders",
            "condition": {"metric": "spend", "operator": ">", "value": 0, "time_range": "24h"},
            "action": {"type": "decrease_budget", "pct": 10},
        },
        user=USER,
    )
    for done in (campaign, test, rule):
        assert done["status"] == "success", done
    h.advance(3)
    fired = h.execute("execute_rule", {"rule_id": rule["rule_id"]}, user=USER)
    assert fired["changes"] > 0, fired  # an execution to undo
    media = h.stored(USER, lambda uow: uow.creatives.get(creatives[0]))
    assert media is not None
    return {
        "media_url": Path(media.media_url).name,
        "campaign_id": campaign["campaign_id"],
        "campaign_ids": [campaign["campaign_id"]],
        "creative_ids": creatives,
        "creative_id": creatives[0],
        "rule_id": rule["rule_id"],
        "test_id": test["test_id"],
    }


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def fuzzed(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Harness, StateProbe, dict[str, Any], int]]:
    tmp = tmp_path_factory.mktemp(f"fuzz-{request.param}")
    if request.param == "postgres":
        url: str = request.getfixturevalue("postgres_url")
        truncate_all(url)
        harness, examples = build_harness(tmp, database_url=url), PG_EXAMPLES
    else:
        url, examples = f"sqlite:///{tmp / 'roasloop.db'}", EXAMPLES
        harness = build_harness(tmp)
    probe = StateProbe(harness, url)
    yield harness, probe, seed_tenant(harness), examples
    write_report()
    probe.close()
    harness.close()


#: Last: these may delete the campaign the others aim at, or move time by years.
LAST = ["manage_campaign", "advance_sandbox"]
ORDER = [*sorted(set(ACTIONS) - set(LAST)), *LAST]


@pytest.mark.parametrize("action", ORDER)
def test_every_action_answers_whatever_it_is_given(
    fuzzed: tuple[Harness, StateProbe, dict[str, Any], int], action: str
) -> None:
    harness, probe, known, examples = fuzzed
    backend = "postgres" if "postgresql" in str(probe.engine.url) else "sqlite"
    tally = COUNTS.setdefault(f"{backend} {action}", {"examples": 0, "errors": 0})

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(params=params_for(action, known), locale=st.sampled_from(["en", "zh-CN"]))
    def check(params: dict[str, Any], locale: str) -> None:
        before = probe.state()
        result = harness.execute(action, params, user=USER, locale=locale)
        tally["examples"] += 1
        assert result["status"] in ("success", "error"), result
        assert result["mode"] == "sandbox" and result["request_id"]
        if result["status"] == "success":
            return
        tally["errors"] += 1
        error = result["error"]
        assert error["code"] != "1000", (params, error)
        assert isinstance(error["details"].get("field"), str) and error["details"]["field"]
        assert probe.state() == before, (params, error)

    check()
