"""Alembic environment of the bureau database."""

from kiosk.store.bureau_tables import BUREAU_VERSION_TABLE, BureauBase
from kiosk.store.migrations.common import run

run(BureauBase.metadata, BUREAU_VERSION_TABLE)
