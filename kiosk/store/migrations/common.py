"""The body shared by both env.py files: run migrations on the connection handed in."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import MetaData, create_engine


def run(metadata: MetaData, version_table: str) -> None:
    connection = context.config.attributes.get("connection")
    if connection is None:  # the alembic command line: a URL in sqlalchemy.url
        engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "")
        with engine.begin() as owned:
            _configure_and_run(owned, metadata, version_table)
        return
    _configure_and_run(connection, metadata, version_table)


def _configure_and_run(connection: Any, metadata: MetaData, version_table: str) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table=version_table,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite ALTER needs batches
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
