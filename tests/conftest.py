"""Shared fixtures.  Qt runs offscreen; domain tests never touch Qt."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from kiosk import SHIPPED_CATALOG
from kiosk.catalog import Catalog, load_catalog


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The shipped catalog, loaded once."""
    return load_catalog(SHIPPED_CATALOG)
