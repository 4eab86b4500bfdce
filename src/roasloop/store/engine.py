"""Engines, URLs, upserts and error translation: every SQLite/PostgreSQL difference lives here.

Users write the URLs they know (``sqlite:///data/roasloop.db``,
``postgresql://user:pw@host/db``); :func:`async_database_url` turns them into the async
drivers roasloop runs on (aiosqlite, psycopg 3) and :func:`sync_database_url` into the
synchronous ones (stdlib sqlite3, psycopg 3) for tools such as the Alembic CLI.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import structlog
from sqlalchemy import Table, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import (
    ArgumentError,
    DatabaseError,
    DataError,
    DisconnectionError,
    IntegrityError,
    InterfaceError,
    NotSupportedError,
    OperationalError,
    ProgrammingError,
    SQLAlchemyError,
)
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql.dml import Insert

from roasloop.errors import InternalError, InvalidParameter, RoasloopError, ServiceUnavailable
from roasloop.translations import N_

log = structlog.get_logger(__name__)

_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+psycopg"}
_SYNC_DRIVERS = {"sqlite": "sqlite", "postgresql": "postgresql+psycopg"}
_BACKEND_ALIASES = {"postgres": "postgresql"}

#: Seconds a PostgreSQL connect may take before the store reports ServiceUnavailable.
PG_CONNECT_TIMEOUT_SECONDS = 10
#: Milliseconds a SQLite writer waits for another writer's lock before failing.
SQLITE_BUSY_TIMEOUT_MS = 5000


def async_database_url(url: str) -> URL:
    """``url`` with its driver replaced by the async one; raise ``InvalidParameter`` if unknown."""
    return _with_driver(url, _ASYNC_DRIVERS)


def sync_database_url(url: str) -> URL:
    """``url`` with its driver replaced by the synchronous one (for the Alembic CLI)."""
    return _with_driver(url, _SYNC_DRIVERS)


def _with_driver(url: str, drivers: Mapping[str, str]) -> URL:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InvalidParameter("database_url", N_("not a database URL")) from None
    backend = parsed.get_backend_name()
    backend = _BACKEND_ALIASES.get(backend, backend)
    if backend not in drivers:
        raise InvalidParameter(
            "database_url",
            N_("unsupported database {backend}; use sqlite or postgresql"),
            detail_params={"backend": repr(backend)},
        )
    return parsed.set(drivername=drivers[backend])


def is_memory_sqlite(url: URL) -> bool:
    return url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:")


def sqlite_file(url: URL) -> Path | None:
    """The database file of a SQLite URL, or ``None`` for memory or non-SQLite URLs."""
    if url.get_backend_name() != "sqlite" or is_memory_sqlite(url) or url.query.get("uri"):
        return None
    return Path(str(url.database))


def create_engine(url: URL) -> AsyncEngine:
    """An async engine tuned per backend (SQLite pragmas, PostgreSQL timeouts)."""
    if url.get_backend_name() == "postgresql":
        return create_async_engine(
            url,
            pool_pre_ping=True,
            connect_args={"connect_timeout": PG_CONNECT_TIMEOUT_SECONDS},
        )
    if is_memory_sqlite(url):
        # One shared connection, or every session would see its own empty database.
        engine = create_async_engine(url, poolclass=StaticPool)
    else:
        # SQLite has one writer at a time: concurrent connections would meet "database is
        # locked" and back off in its busy handler (sleeps of 1–100 ms). One connection
        # queues statements in-process instead, which is far faster for this workload.
        engine = create_async_engine(url, pool_size=1, max_overflow=0)
    event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the scheduler read while the web process writes; with WAL, synchronous=NORMAL
    # cannot corrupt the database (https://www.sqlite.org/pragma.html#pragma_synchronous).
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.close()


def upsert(
    dialect_name: str,
    target: Table | type[Any],
    keys: Sequence[str],
    *,
    update: bool = True,
) -> Insert:
    """``INSERT … ON CONFLICT (keys) DO UPDATE`` (or ``DO NOTHING``) for the engine's dialect.

    ``target`` is a table (execute with column-name dicts) or a mapped class (an ORM
    insert: execute with a list of attribute-name dicts). ``keys`` are column names; every
    other column is replaced.
    """
    table = target if isinstance(target, Table) else target.__table__
    if dialect_name == "postgresql":
        pg_stmt = postgresql.insert(target)
        if not update:
            return pg_stmt.on_conflict_do_nothing(index_elements=list(keys))
        changes = {c.name: pg_stmt.excluded[c.name] for c in table.columns if c.name not in keys}
        return pg_stmt.on_conflict_do_update(index_elements=list(keys), set_=changes)
    lite_stmt = sqlite.insert(target)
    if not update:
        return lite_stmt.on_conflict_do_nothing(index_elements=list(keys))
    changes = {c.name: lite_stmt.excluded[c.name] for c in table.columns if c.name not in keys}
    return lite_stmt.on_conflict_do_update(index_elements=list(keys), set_=changes)


def translate_error(exc: BaseException, url: URL) -> RoasloopError:
    """Our error for a database failure, safe to show a caller: no URL, host or SQL.

    The server log gets the database (without its password) and the driver's reason.
    Connection, pool and operational problems are ``ServiceUnavailable`` (retryable);
    a statement the database refuses (bad data, a bug) is ``InternalError``.
    """
    where = url.render_as_string(hide_password=True)
    reason = _scrub(_first_line(exc), url.password)
    if isinstance(exc, _UNAVAILABLE) and not isinstance(exc, _REFUSED):
        log.error("database_unavailable", database=where, reason=reason)
        return ServiceUnavailable("the database is unavailable; see the server log")
    log.error("database_refused_statement", database=where, reason=reason)
    return InternalError("the database refused a statement; see the server log")


_UNAVAILABLE = (
    OperationalError,
    InterfaceError,
    DatabaseError,
    DisconnectionError,
    PoolTimeout,
    OSError,
)
_REFUSED = (IntegrityError, DataError, ProgrammingError, NotSupportedError)


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)
    source = orig if isinstance(orig, BaseException) else exc
    lines = str(source).strip().splitlines()
    return f"{type(source).__name__}: {lines[0]}" if lines else type(source).__name__


def _scrub(text: str, password: str | None) -> str:
    return text.replace(password, "***") if password else text


#: What the store catches and hands to :func:`translate_error`.
DATABASE_ERRORS: tuple[type[BaseException], ...] = (SQLAlchemyError, OSError)
