"""Alembic environment of the kiosk's local store."""

from kiosk.store.migrations.common import run
from kiosk.store.models import LocalBase

run(LocalBase.metadata, "alembic_version")
