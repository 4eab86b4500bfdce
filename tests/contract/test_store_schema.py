"""The schema behind the store: migrations, what is at rest in the tables, URLs, failures."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.pool import NullPool

from roasloop.errors import InternalError, InvalidParameter, ServiceUnavailable
from roasloop.store import SqlAlchemyStore, TokenCipher
from roasloop.store._alembic import alembic_config
from roasloop.store.engine import async_database_url, sync_database_url
from roasloop.store.tables import VERSION_TABLE, Base
from tests.contract.records import account, campaign, perf, rule


@pytest.fixture
def raw(database_url: str) -> Iterator[Engine]:
    """A plain synchronous engine on the store's database, for looking under the hood."""
    engine = create_engine(database_url, poolclass=NullPool)
    yield engine
    engine.dispose()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


# --- migrations ---------------------------------------------------------------------------
async def test_migrations_build_exactly_the_declared_schema(
    store: SqlAlchemyStore, raw: Engine
) -> None:
    with raw.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "version_table": VERSION_TABLE}
        )
        assert compare_metadata(context, Base.metadata) == []
        assert set(inspect(connection).get_table_names()) == {*Base.metadata.tables, VERSION_TABLE}


async def test_migrate_is_idempotent_and_keeps_data(store: SqlAlchemyStore, raw: Engine) -> None:
    async with store.unit("t1") as uow:
        await uow.campaigns.save(campaign("t1"))
    await store.migrate()
    await store.migrate()
    async with store.unit("t1") as uow:
        assert await uow.campaigns.get(campaign("t1").platform, "c-1") == campaign("t1")
    with raw.connect() as connection:
        versions = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}")).all()
    assert versions == [(head_revision(),)]


async def test_downgrade_removes_everything_and_upgrade_restores(
    store: SqlAlchemyStore, raw: Engine, database_url: str
) -> None:
    config = alembic_config(database_url)
    command.downgrade(config, "base")
    assert set(inspect(raw).get_table_names()) <= {VERSION_TABLE}
    await store.migrate()
    assert set(inspect(raw).get_table_names()) == {*Base.metadata.tables, VERSION_TABLE}


@pytest.mark.parametrize("url", ["postgresql://u@db/roasloop", "sqlite:///roasloop.db"])
def test_migrations_render_as_sql_offline(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    command.upgrade(alembic_config(url), "head", sql=True)
    script = capsys.readouterr().out
    assert all(f"CREATE TABLE {table} " in script for table in Base.metadata.tables)
    assert f"INSERT INTO {VERSION_TABLE}" in script


# --- what is at rest ----------------------------------------------------------------------
async def test_access_tokens_are_encrypted_at_rest(
    store: SqlAlchemyStore, raw: Engine, cipher: TokenCipher
) -> None:
    saved = account("t1")
    async with store.unit("t1") as uow:
        await uow.accounts.save(saved)
    with raw.connect() as connection:
        row = connection.execute(text("SELECT * FROM platform_accounts")).mappings().one()
    assert all(saved.access_token not in str(value) for value in row.values())
    assert cipher.decrypt(row["access_token_encrypted"]) == saved.access_token


async def test_webhook_secrets_are_encrypted_at_rest(store: SqlAlchemyStore, raw: Engine) -> None:
    secret = "whsec-do-not-store-in-clear"
    webhook = {"url": "https://hooks.example.com/x", "secret": secret}
    action = {"type": "notify", "webhook": webhook, "branches": [{"webhook": webhook}]}
    saved = replace(rule("t1"), action=action)
    async with store.unit("t1") as uow:
        await uow.rules.save(saved)
    with raw.connect() as connection:
        row = connection.execute(text("SELECT * FROM rules")).mappings().one()
    assert all(secret not in str(value) for value in row.values())
    async with store.unit("t1") as uow:
        assert await uow.rules.get(saved.rule_id) == saved
        assert await uow.rules.all() == [saved]


async def test_a_store_with_another_key_cannot_read_tokens(
    database_url: str, store: SqlAlchemyStore
) -> None:
    async with store.unit("t1") as uow:
        await uow.accounts.save(account("t1"))
    stranger = SqlAlchemyStore(database_url, TokenCipher(TokenCipher.generate_key()))
    try:
        with pytest.raises(InternalError, match="cannot be decrypted") as caught:
            async with stranger.unit("t1") as uow:
                await uow.accounts.get(account("t1").platform)
        assert account("t1").access_token not in str(caught.value)
    finally:
        await stranger.close()


async def test_money_rests_as_integer_cents(store: SqlAlchemyStore, raw: Engine) -> None:
    async with store.unit("t1") as uow:
        await uow.performance.upsert([perf("t1")])
    with raw.connect() as connection:
        row = connection.execute(
            text("SELECT spend_cents, revenue_cents FROM performance_daily")
        ).one()
    assert tuple(row) == (4567, 12345)
    assert all(isinstance(value, int) for value in row)


# --- URLs ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("given", "async_driver", "sync_driver"),
    [
        ("sqlite:///data/roasloop.db", "sqlite+aiosqlite", "sqlite"),
        ("sqlite+aiosqlite:///data/roasloop.db", "sqlite+aiosqlite", "sqlite"),
        ("sqlite+pysqlite:///:memory:", "sqlite+aiosqlite", "sqlite"),
        ("postgresql://u:pw@db:5432/roasloop", "postgresql+psycopg", "postgresql+psycopg"),
        ("postgres://u:pw@db/roasloop", "postgresql+psycopg", "postgresql+psycopg"),
        ("postgresql+psycopg://u@db/roasloop", "postgresql+psycopg", "postgresql+psycopg"),
        ("postgresql+psycopg2://u@db/roasloop", "postgresql+psycopg", "postgresql+psycopg"),
        ("postgresql+asyncpg://u@db/roasloop", "postgresql+psycopg", "postgresql+psycopg"),
    ],
)
def test_urls_are_switched_to_our_drivers(given: str, async_driver: str, sync_driver: str) -> None:
    async_url, sync_url = async_database_url(given), sync_database_url(given)
    assert (async_url.drivername, sync_url.drivername) == (async_driver, sync_driver)
    assert async_url.database == sync_url.database
    assert async_url.password == sync_url.password


@pytest.mark.parametrize("url", ["mysql://u@db/x", "not a url", "oracle://db"])
def test_other_databases_are_refused(url: str) -> None:
    with pytest.raises(InvalidParameter) as caught:
        async_database_url(url)
    assert caught.value.field == "database_url"


async def test_memory_sqlite_works_for_tests(cipher: TokenCipher) -> None:
    memory = SqlAlchemyStore("sqlite://", cipher)
    try:
        await memory.migrate()
        async with memory.unit("t1") as uow:
            await uow.campaigns.save(campaign("t1"))
        async with memory.unit("t1") as uow:
            assert await uow.campaigns.all() == [campaign("t1")]
    finally:
        await memory.close()


async def test_migrate_creates_the_sqlite_directory(tmp_path: Path, cipher: TokenCipher) -> None:
    target = tmp_path / "a" / "b" / "roasloop.db"
    nested = SqlAlchemyStore(f"sqlite:///{target}", cipher)
    try:
        await nested.migrate()
    finally:
        await nested.close()
    assert target.is_file()


# --- failures -----------------------------------------------------------------------------
async def test_unreachable_postgres_is_service_unavailable_without_password(
    cipher: TokenCipher,
) -> None:
    down = SqlAlchemyStore("postgresql://roasloop:hunter2-secret@127.0.0.1:1/roasloop", cipher)
    try:
        with pytest.raises(ServiceUnavailable) as caught:
            await down.migrate()
        with pytest.raises(ServiceUnavailable):
            async with down.unit("t1") as uow:
                await uow.campaigns.all()
        with pytest.raises(ServiceUnavailable):
            await down.list_tenants()
    finally:
        await down.close()
    message = str(caught.value)  # what a caller may see: no host, no password
    assert "hunter2-secret" not in message and "127.0.0.1" not in message
    assert "hunter2-secret" not in down.url


async def test_unusable_sqlite_path_is_service_unavailable(
    tmp_path: Path, cipher: TokenCipher
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    broken = SqlAlchemyStore(f"sqlite:///{blocker / 'roasloop.db'}", cipher)
    try:
        with pytest.raises(ServiceUnavailable):
            await broken.migrate()
        with pytest.raises(ServiceUnavailable):
            async with broken.unit("t1") as uow:
                await uow.creatives.get("cr-1")
    finally:
        await broken.close()
        # aiosqlite connections that failed to open are finalized when collected; collect
        # them while this test's event loop still runs, not in whichever test comes next.
        gc.collect()
        await asyncio.sleep(0.05)


@pytest.mark.postgres
async def test_a_refused_statement_shows_no_database_details(
    postgres_url: str, cipher: TokenCipher
) -> None:
    store = SqlAlchemyStore(postgres_url, cipher)
    try:
        await store.migrate()
        with pytest.raises(InternalError) as caught:
            async with store.unit("t1") as uow:
                await uow.campaigns.save(replace(campaign("t1"), name="nul\x00name"))
    finally:
        await store.close()
    shown = str(caught.value) + caught.value.message("en") + str(caught.value.details)
    assert "postgresql" not in shown and "127.0.0.1" not in shown and "INSERT" not in shown
    assert "server log" in shown
