"""What the staff panel asks of the rest of the kiosk, as one Protocol.

:class:`kiosk.services.KioskServices` has every method; the composition root
hands it to the window as ``Services.staff``.  Each call may block (a database,
a printer, the bureau): the panel runs them through :mod:`kiosk.ui.background`.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from kiosk.printing.printers import PrinterStatus, PrintResult
    from kiosk.services import (
        CatalogReload,
        DayFigures,
        HelpRequestView,
        ReprintResult,
        SyncNowResult,
        SyncPanel,
    )


class StaffDesk(Protocol):
    def sync_state(self) -> SyncPanel: ...

    def sync_now(self, actor: str = "staff") -> SyncNowResult: ...

    def printer_status(self) -> Mapping[str, PrinterStatus]: ...

    def test_page(self, kind: str, actor: str = "staff") -> PrintResult: ...

    def today(self) -> DayFigures: ...

    def close_help_request(
        self, request_id: uuid.UUID, actor: str = "staff"
    ) -> HelpRequestView | None: ...

    def reprint(self, code: str, actor: str = "staff") -> ReprintResult: ...

    def reload_catalog(
        self, path: str | os.PathLike[str], actor: str = "staff"
    ) -> CatalogReload: ...

    def save_defaults(
        self, *, language: str | None = None, theme: str | None = None, actor: str = "staff"
    ) -> object:
        """Keep the next visitors' language and theme in the config file (audited)."""
        ...

    def audit(
        self, action: str, target: str | None = None, *, actor: str = "staff", **details: Any
    ) -> object:
        """Record one staff action: when (the store stamps it), which action, on what."""

    def close(self) -> None:
        """Stop the sync worker and release the databases (the kiosk is shutting down)."""
