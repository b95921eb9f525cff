"""Shared fixtures.  Qt runs offscreen; domain tests never touch Qt."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

from kiosk import SHIPPED_CATALOG
from kiosk.catalog import Catalog, load_catalog

# Nothing a test does may touch the machine's real kiosk config or data (platformdirs).
_HOME = tempfile.mkdtemp(prefix="kiosk-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_HOME, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_HOME, "data")


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    """The shipped catalog, loaded once."""
    return load_catalog(SHIPPED_CATALOG)
