"""Alembic migrations match the models, on every database they run on, and are idempotent."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

from kiosk.store.bureau_tables import BureauBase
from kiosk.store.db import current_revision, migrate
from kiosk.store.local import LocalStore
from kiosk.store.models import LocalBase

pytestmark = pytest.mark.db


def differences(engine: Engine, metadata: object, own: set[str]) -> list[object]:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        found = compare_metadata(context, metadata)  # type: ignore[arg-type]
    # other tables in the same database (the other schema, alembic's own) are not ours
    return [d for d in found if not (d[0] == "remove_table" and d[1].name not in own)]


def test_local_schema_matches_models(store: LocalStore) -> None:
    assert differences(store.engine, LocalBase.metadata, set(LocalBase.metadata.tables)) == []
    assert not migrate(store.engine, "local")  # already at head: nothing to do
    assert current_revision(store.engine, "local") == "0003"


def test_bureau_schema_matches_models(bureau: Engine) -> None:
    assert differences(bureau, BureauBase.metadata, set(BureauBase.metadata.tables)) == []
    assert not migrate(bureau, "bureau")
    assert current_revision(bureau, "bureau") == "0003"
