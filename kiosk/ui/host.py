"""The kiosk's window as the parts it owns see it.

Staff mode lives in the window (``MainWindow.staff``) and works on it: it pauses the
visitor's countdown, reads the session, calls the staff desk, swaps the catalog.  It
sees the window through :class:`KioskHost`, declared here, so ``kiosk.ui.staff``
never imports ``kiosk.ui.window`` — which imports staff mode — and the two form no
import cycle (tests/test_architecture.py).  :class:`~kiosk.ui.window.MainWindow` is
the one host.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from kiosk.catalog.catalog import Catalog
    from kiosk.catalog.search import SearchIndex
    from kiosk.config import Settings
    from kiosk.session import VisitorSession
    from kiosk.ui.idle import IdleWatch
    from kiosk.ui.navigation import Screen
    from kiosk.ui.screens.base import ScreenContext
    from kiosk.ui.services import Services
    from kiosk.ui.theme import Theme
    from kiosk.ui.widgets.overlays import CountdownOverlay


class KioskHost(QWidget):
    """What the window offers the parts it owns (staff mode): its state and five calls."""

    settings: Settings
    session: VisitorSession
    services: Services
    ctx: ScreenContext
    idle: IdleWatch
    countdown: CountdownOverlay
    theme: Theme

    @property
    def ready(self) -> bool:
        """Every screen is built and the services are attached."""
        raise NotImplementedError

    @property
    def current(self) -> Screen:
        raise NotImplementedError

    def show_busy(self, busy: bool) -> None:
        raise NotImplementedError

    def reset_visit(self) -> None:
        raise NotImplementedError

    def use_base_theme(self, name: str) -> None:
        raise NotImplementedError

    def use_catalog(self, catalog: Catalog, search: SearchIndex) -> None:
        raise NotImplementedError
