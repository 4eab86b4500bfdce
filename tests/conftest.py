"""Shared fixtures: real services (PostgreSQL, Redis) and the store and cache under test.

Service rule. A test that needs PostgreSQL or Redis (marked ``postgres`` / ``redis``) fails
with a clear reason when the service cannot be reached — it is never skipped, so a green run
always means the production parts were exercised. And a run that collected tests marked
``postgres`` or ``redis`` but saw none of them pass exits non-zero.

* ``ROASLOOP_TEST_POSTGRES_URL`` — a server to create a throw-away database on
  (default ``postgresql://postgres@127.0.0.1:5432/postgres``);
* ``ROASLOOP_TEST_REDIS_URL`` — a Redis database tests may write to under unique key
  prefixes (default ``redis://127.0.0.1:6379/15``).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Generator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

import psycopg
import pytest
import redis
import redis.asyncio as aioredis
from psycopg import sql
from sqlalchemy.engine import make_url

from roasloop.ports.cache import Cache
from roasloop.ports.clock import SimulatedClock
from roasloop.store import MemoryCache, RedisCache, SqlAlchemyStore, TokenCipher
from roasloop.store.tables import VERSION_TABLE

POSTGRES_URL = os.environ.get(
    "ROASLOOP_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
REDIS_URL = os.environ.get("ROASLOOP_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
SERVICE_MARKERS = ("postgres", "redis")
CLOCK_START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)


def service_unreachable(service: str, reason: str, variable: str) -> NoReturn:
    """Fail the test: the suite runs against the real service (``.ci/run`` starts it)."""
    pytest.fail(
        f"{service} is required but unreachable: {reason}; start it (.ci/run does) or point "
        f"{variable} at one",
        pytrace=False,
    )


def libpq_url(url: str) -> str:
    """``url`` as psycopg wants it (no ``+driver``)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _safe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {lines[0]}" if lines else type(exc).__name__


# --- services -----------------------------------------------------------------------------
@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """SQLAlchemy URL of a fresh database created for this session, dropped at its end."""
    name = f"roasloop_test_{uuid.uuid4().hex[:12]}"
    admin = libpq_url(POSTGRES_URL)
    create = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(create)
    except psycopg.Error as exc:
        problem = f"{_safe(POSTGRES_URL)}: {_first_line(exc)}"
    else:
        problem = ""
    if problem:
        service_unreachable("PostgreSQL", problem, "ROASLOOP_TEST_POSTGRES_URL")
    url = make_url(POSTGRES_URL).set(drivername="postgresql+psycopg", database=name)
    yield url.render_as_string(hide_password=False)
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        conn.execute(drop)


@pytest.fixture(scope="session")
def redis_url() -> str:
    """``ROASLOOP_TEST_REDIS_URL`` once Redis answers a ping."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3, socket_timeout=3)
    problem = ""
    try:
        client.ping()
    except (redis.RedisError, OSError) as exc:
        problem = f"{_safe(REDIS_URL)}: {_first_line(exc)}"
    finally:
        client.close()
    if problem:
        service_unreachable("Redis", problem, "ROASLOOP_TEST_REDIS_URL")
    return REDIS_URL


def truncate_all(url: str) -> None:
    """Empty every roasloop table of the PostgreSQL database at ``url``."""
    query = "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> %s"
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        tables = [row[0] for row in conn.execute(query, (VERSION_TABLE,))]
        if tables:
            names = sql.SQL(", ").join(sql.Identifier(t) for t in tables)
            conn.execute(sql.SQL("TRUNCATE {}").format(names))


# --- the store ----------------------------------------------------------------------------
@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A sync-driver URL of an empty database: a SQLite file or the session's PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'data' / 'roasloop.db'}"
    url: str = request.getfixturevalue("postgres_url")
    truncate_all(url)
    return url


@pytest.fixture
def cipher() -> TokenCipher:
    return TokenCipher(TokenCipher.generate_key())


@pytest.fixture
async def store(database_url: str, cipher: TokenCipher) -> AsyncIterator[SqlAlchemyStore]:
    """A migrated :class:`SqlAlchemyStore` on each backend, empty at the start of the test."""
    sql_store = SqlAlchemyStore(database_url, cipher)
    try:
        await sql_store.migrate()
        yield sql_store
    finally:
        await sql_store.close()


# --- the cache ----------------------------------------------------------------------------
@pytest.fixture
def clock() -> SimulatedClock:
    return SimulatedClock(CLOCK_START)


@pytest.fixture(params=["memory", pytest.param("redis", marks=pytest.mark.redis)])
async def cache(request: pytest.FixtureRequest, clock: SimulatedClock) -> AsyncIterator[Cache]:
    """A :class:`MemoryCache` on ``clock``, or a :class:`RedisCache` under a unique prefix."""
    if request.param == "memory":
        yield MemoryCache(clock)
        return
    url: str = request.getfixturevalue("redis_url")
    prefix = f"roasloop-test:{uuid.uuid4().hex}:"
    client = aioredis.Redis.from_url(url, decode_responses=True)
    redis_cache = RedisCache(client, prefix=prefix)
    try:
        yield redis_cache
    finally:
        keys = [key async for key in client.scan_iter(match=prefix + "*")]
        if keys:
            await client.delete(*keys)
        await redis_cache.close()


# --- CI must fail, not skip --------------------------------------------------------------
_COLLECTED = pytest.StashKey[dict[str, int]]()
_PASSED = pytest.StashKey[dict[str, int]]()
_NEVER_PASSED = pytest.StashKey[list[str]]()


def pytest_collection_finish(session: pytest.Session) -> None:
    counts = {m: sum(1 for i in session.items if i.get_closest_marker(m)) for m in SERVICE_MARKERS}
    session.config.stash[_COLLECTED] = counts
    session.config.stash[_PASSED] = dict.fromkeys(SERVICE_MARKERS, 0)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    if report.when == "call" and report.passed:
        passed = item.config.stash.get(_PASSED, {})
        for marker in SERVICE_MARKERS:
            if marker in passed and item.get_closest_marker(marker):
                passed[marker] += 1
    return report


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    collected = session.config.stash.get(_COLLECTED, {})
    passed = session.config.stash.get(_PASSED, {})
    never = [m for m, n in collected.items() if n and not passed.get(m)]
    session.config.stash[_NEVER_PASSED] = never
    if never:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    for marker in terminalreporter.config.stash.get(_NEVER_PASSED, []):
        terminalreporter.write_line(
            f"tests marked '{marker}' were collected but none passed "
            f"(is the service up?) - failing the run",
            red=True,
            bold=True,
        )
