"""Alembic environment for roasloop's schema.

``SqlAlchemyStore.migrate()`` passes its live connection in ``config.attributes``; the
Alembic CLI instead gives ``sqlalchemy.url`` (any URL the store accepts), which is opened
with the synchronous driver, or only rendered as SQL in offline (``--sql``) mode.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine
from sqlalchemy.pool import NullPool

from roasloop.store.engine import sync_database_url
from roasloop.store.tables import VERSION_TABLE, Base


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        # SQLite cannot ALTER most things; batch mode rebuilds the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_from_url(url: str) -> None:
    engine = create_engine(sync_database_url(url), poolclass=NullPool)
    try:
        with engine.connect() as connection:
            run_migrations(connection)
            connection.commit()
    finally:
        engine.dispose()


def render_sql(url: str) -> None:
    context.configure(
        url=sync_database_url(url).render_as_string(hide_password=False),
        target_metadata=Base.metadata,
        version_table=VERSION_TABLE,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


given: Connection | None = context.config.attributes.get("connection")
configured_url = context.config.get_main_option("sqlalchemy.url") or ""
if given is not None:
    run_migrations(given)
elif context.is_offline_mode():
    render_sql(configured_url)
else:
    run_from_url(configured_url)
