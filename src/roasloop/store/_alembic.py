"""Run the packaged Alembic migrations on a live connection."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text

MIGRATIONS_DIR = Path(__file__).parent / "migrations"

#: Key of the PostgreSQL advisory lock that serialises concurrent ``migrate()`` calls
#: (web server and workers starting together). Any constant unique to roasloop works.
PG_MIGRATION_LOCK_KEY = 0x524F41534C4F4F50  # "ROASLOOP"


def alembic_config(url: str | None = None) -> Config:
    """A config pointing at the packaged migrations; ``url`` is only needed for the CLI."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    if url is not None:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_to_head(connection: Connection) -> None:
    """Apply every missing migration on ``connection`` (a no-op when already at head).

    The caller commits. On PostgreSQL a transaction-scoped advisory lock makes a second
    concurrent caller wait, then find the schema at head.
    """
    config = alembic_config()
    config.attributes["connection"] = connection
    if connection.dialect.name == "postgresql":
        lock = text("SELECT pg_advisory_xact_lock(:key)")
        connection.execute(lock, {"key": PG_MIGRATION_LOCK_KEY})
    command.upgrade(config, "head")
