"""Staff mode as its own parts see it: the PIN pad, the band, the panel and its pages.

:class:`~kiosk.ui.staff.mode.StaffMode` builds those parts and is what they get;
they see it through :class:`StaffControls`, declared here, so none of them imports
``kiosk.ui.staff.mode`` — which imports them — and they form no import cycle
(tests/test_architecture.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kiosk.catalog.catalog import Catalog
    from kiosk.catalog.search import SearchIndex
    from kiosk.services import StaffDesk
    from kiosk.staff_pin import PinGate
    from kiosk.ui.background import Background
    from kiosk.ui.host import KioskHost


class StaffControls(Protocol):
    window: KioskHost
    gate: PinGate  # the PIN's check and lockout
    background: Background  # staff work's own helper thread

    @property
    def language(self) -> str: ...

    @property
    def desk(self) -> StaffDesk | None:
        """The staff desk of the services (None while the kiosk is still starting)."""
        ...

    def cancel_entry(self) -> None: ...

    def unlocked_by_pin(self) -> None: ...

    def pin_refused(self, *, locked: bool, error: str = "") -> None: ...

    def assist(self) -> None: ...

    def leave(self, reason: str) -> None: ...

    def set_defaults(self, *, language: str | None = None, theme: str | None = None) -> None: ...

    def use_catalog(self, catalog: Catalog, search: SearchIndex) -> None: ...

    def exit_kiosk(self) -> None: ...
