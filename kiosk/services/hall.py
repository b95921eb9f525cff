"""The hall a kiosk serves: the catalog in force and the hall's name.

Shared by the services that print or look things up in the catalog; staff put a new
catalog in force with :meth:`Hall.put` (kiosk.services.staff_desk), swapped whole so
that a worker reading it meanwhile sees the old one or the new one, never half of each.
"""

from __future__ import annotations

from kiosk.catalog import Catalog


class Hall:
    def __init__(self, catalog: Catalog, configured_name: str | None = None):
        self._catalog = catalog
        self._configured_name = configured_name  # Settings.hall_name; else the catalog's own

    @property
    def catalog(self) -> Catalog:
        return self._catalog

    def put(self, catalog: Catalog) -> None:
        self._catalog = catalog

    def name(self, language: str = "zh") -> str:
        return self._catalog.hall_name(self._configured_name, language)
