"""MainWindow: a thin shell — header, a stack of screens, overlays, idle, theme.

It is the :class:`~kiosk.ui.navigation.Navigator` the screens talk to; all it
does is switch screens (calling their enter/leave hooks), switch language and
theme, call a guide, and forget the visitor when they walk away.  What a screen
shows is the screen's business.

Cold start: built without a session (``MainWindow(None, settings, None, None)``)
the window holds only its home screen, which needs no catalog, so it paints at
once; :meth:`MainWindow.attach` adds every other screen when the catalog and the
services have loaded in the background.  A tap meanwhile waits behind the busy
indicator and is carried out then.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import QLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk.ui.background import Background
from kiosk.ui.fonts import cjk_family
from kiosk.ui.idle import IdleWatch
from kiosk.ui.navigation import Screen
from kiosk.ui.screens.base import ScreenContext, ScreenPage
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.staff.mode import StaffMode
from kiosk.ui.text import text
from kiosk.ui.theme import Theme, theme
from kiosk.ui.widgets.header import Header
from kiosk.ui.widgets.overlays import BusyOverlay, CountdownOverlay, Toast

if TYPE_CHECKING:
    from kiosk.catalog.catalog import Catalog
    from kiosk.catalog.search import SearchIndex
    from kiosk.config import Settings
    from kiosk.session import VisitorSession
    from kiosk.ui.services import Services

log = logging.getLogger(__name__)

KIOSK_SIZE = QSize(1920, 1080)


def screen_types() -> tuple[type[ScreenPage], ...]:
    """Every screen, in stack order.  Imported on first use, not with this module: they
    pull in the catalog model, forms and search, which the cold start leaves for later."""
    from kiosk.ui.screens.apply import ApplyScreen
    from kiosk.ui.screens.bundle import BundleScreen
    from kiosk.ui.screens.bundles import BundlesScreen
    from kiosk.ui.screens.catalog import CatalogScreen
    from kiosk.ui.screens.consult import ConsultScreen
    from kiosk.ui.screens.done import DoneScreen
    from kiosk.ui.screens.event import EventScreen
    from kiosk.ui.screens.events import EventsScreen
    from kiosk.ui.screens.item import ItemScreen
    from kiosk.ui.screens.preview import PreviewScreen
    from kiosk.ui.screens.rating import RatingScreen
    from kiosk.ui.screens.review import ReviewScreen
    from kiosk.ui.screens.soon import SoonScreen
    from kiosk.ui.screens.status import StatusScreen
    from kiosk.ui.screens.ticket import TicketScreen
    from kiosk.ui.screens.verdict import VerdictScreen

    return (
        HomeScreen,
        CatalogScreen,
        ItemScreen,
        ConsultScreen,
        VerdictScreen,
        BundlesScreen,
        BundleScreen,
        EventsScreen,
        EventScreen,
        ApplyScreen,
        ReviewScreen,
        PreviewScreen,
        DoneScreen,
        TicketScreen,
        RatingScreen,
        StatusScreen,
        SoonScreen,
    )


class MainWindow(QWidget):
    session: VisitorSession  # set by attach(); the home screen paints before it exists
    services: Services

    def __init__(
        self,
        session: VisitorSession | None,
        settings: Settings,
        services: Services | None,
        search: SearchIndex | None,
        *,
        theme_name: str | None = None,
    ):
        super().__init__()
        self.settings = settings
        self.setObjectName("KioskWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setWindowTitle(settings.hall_name or "")  # the catalog's name once attached
        layout = QVBoxLayout(self)
        # The only top-level widget: no size constraints to hand to the window system
        # (the offscreen platform warns about them, and a kiosk never resizes anyway).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.header = Header(settings.hall_name or "", self.toggle_language, self.call_guide)
        self.stack = QStackedWidget()
        self.stack.setObjectName("Screens")
        layout.addWidget(self.header)
        layout.addWidget(self.stack, 1)
        self.background = Background(self, on_busy=self._busy)
        self.ctx = ScreenContext(None, settings, None, None, self, self.background)
        self.staff = StaffMode(self)  # guide staff: hidden entry, PIN, panel, assisted entry
        self.screens: dict[Screen, ScreenPage] = {}
        self._add_screen(HomeScreen)
        self._waiting: list[Callable[[], None]] = []  # taps made before attach()
        self.countdown = CountdownOverlay(self, self._still_here, self.reset_visit)
        self.busy = BusyOverlay(self)
        self.toast = Toast(self)
        self.idle = IdleWatch(self, settings.idle_seconds, self._idle)
        self._history: list[tuple[Screen, object]] = []
        self.theme: Theme = theme(theme_name or settings.theme)
        self.apply_theme(self.theme.name)
        self.go(Screen.HOME)
        self.header.retranslate(self.ctx.language)
        if session is not None:
            assert services is not None and search is not None, "a session comes with services"
            self.attach(session, services, search)

    def _name_the_hall(self) -> None:
        """The hall's name: the settings' if given, else the catalog's own (meta.bureau)."""
        hall = self.session.catalog.hall_name(self.settings.hall_name)
        self.setWindowTitle(hall)
        self.header.hall.setText(hall)

    def _add_screen(self, screen_type: type[ScreenPage]) -> None:
        page = screen_type(self.ctx)
        self.screens[screen_type.route] = page
        self.stack.addWidget(page)

    def use_catalog(self, catalog: Catalog, search: SearchIndex) -> None:
        """Staff reloaded the catalog: forget the visitor, rebuild every screen over the new one
        (screens lay out categories, bundles and events when built)."""
        self.reset_visit()
        self._leave()
        self.session.catalog = catalog
        self.ctx.attach(self.session, self.services, search)
        self._name_the_hall()
        for old in self.screens.values():
            self.stack.removeWidget(old)
            old.deleteLater()
        self.screens = {}
        for screen_type in screen_types():
            self._add_screen(screen_type)
        self._history = [(Screen.HOME, None)]
        self._enter()

    @property
    def ready(self) -> bool:
        return self.ctx.ready

    def attach(self, session: VisitorSession, services: Services, search: SearchIndex) -> None:
        """Complete the window for its session: every other screen, then any waiting tap."""
        self.session = session
        self.services = services
        self.ctx.attach(session, services, search)
        self._name_the_hall()
        for screen_type in screen_types():
            if screen_type.route not in self.screens:
                self._add_screen(screen_type)
        waiting, self._waiting = self._waiting, []
        for action in waiting:
            action()
        if not self.background.busy:
            self.busy.hide_busy()

    def _when_ready(self, action: Callable[[], None]) -> bool:
        """Before attach(): keep the action for later, show the busy indicator; True if kept."""
        if self.ready:
            return False
        self._waiting.append(action)
        self.busy.show_busy(self.ctx.language)
        return True

    # ── showing ──
    def show_kiosk(self) -> None:
        """Fullscreen on the primary screen, geometry first so it opens on the right one."""
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            self.setGeometry(screen.geometry())
        self.showFullScreen()

    def show_at(self, size: QSize = KIOSK_SIZE) -> None:
        """A window of the kiosk's size, for the demo and tests (offscreen)."""
        self.resize(size)
        self.show()

    def closeEvent(self, event: QCloseEvent) -> None:
        event.ignore()  # visitors cannot close the kiosk; staff stop it from the staff panel

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        for overlay in (self.countdown, self.busy):
            if overlay.isVisible():
                overlay.cover()

    def apply_theme(self, name: str) -> None:
        self.theme = theme(name)
        self.theme.apply_to(self, cjk_family())

    # ── navigation (the Navigator protocol) ──
    @property
    def current(self) -> Screen:
        return self._history[-1][0]

    def page(self, screen: Screen | None = None) -> ScreenPage:
        return self.screens[screen or self.current]

    def go(self, screen: Screen, arg: object = None) -> None:
        if screen not in self.screens and self._when_ready(lambda: self.go(screen, arg)):
            return
        self._leave()
        if screen is Screen.HOME:
            self._history = [(screen, arg)]
        else:
            self._history.append((screen, arg))
        self._enter()

    def replace(self, screen: Screen, arg: object = None) -> None:
        if screen not in self.screens and self._when_ready(lambda: self.replace(screen, arg)):
            return
        self._leave()
        self._history[-1] = (screen, arg)
        self._enter()

    def back(self) -> None:
        if len(self._history) <= 1:
            self.home()
            return
        self._leave()
        self._history.pop()
        self._enter()

    def home(self) -> None:
        self.go(Screen.HOME)

    def _leave(self) -> None:
        if self._history:
            self.page().leave()

    def _enter(self) -> None:
        screen, arg = self._history[-1]
        page = self.screens[screen]
        self.stack.setCurrentWidget(page)
        seconds = (
            self.settings.form_idle_seconds if page.form_screen else self.settings.idle_seconds
        )
        self.idle.set_timeout(seconds)
        page.enter(arg)

    # ── language, help, notices ──
    def toggle_language(self) -> None:
        if self._when_ready(self.toggle_language):
            return
        self.session.language = "en" if self.session.language == "zh" else "zh"
        self.retranslate()

    def retranslate(self) -> None:
        self.header.retranslate(self.ctx.language)
        self.page().retranslate()

    def call_guide(self) -> None:
        if self._when_ready(self.call_guide):
            return
        desk = self.services.help_desk
        screen, language = self.current.value, self.session.language
        self.background.run(
            lambda: desk.request_help(screen, language),
            lambda _: self.notify(text("guide_called", language)),
            self._guide_failed,
            label="call guide",
        )

    def _guide_failed(self, error: Exception) -> None:
        log.warning("help request not recorded: %s", error)
        self.notify(text("guide_failed", self.ctx.language))

    def notify(self, message: str) -> None:
        self.toast.say(message)

    def _busy(self, busy: bool) -> None:
        if busy:
            self.busy.show_busy(self.ctx.language)
        elif not self._waiting:
            self.busy.hide_busy()

    # ── idle and forgetting ──
    def visit_in_progress(self) -> bool:
        if not self.ready:
            return False
        session = self.session
        return (
            self.current is not Screen.HOME
            or session.target_code is not None
            or session.language != self.settings.language
        )

    def _idle(self) -> None:
        if not self.visit_in_progress():
            self.idle.poke()
            return
        if self.current is Screen.HOME and self.session.target_code is None:
            self.reset_visit()  # only the language was changed: nothing to warn about
            return
        self.idle.pause()
        self.countdown.start(self.settings.countdown_seconds, self.session.language)

    def _still_here(self) -> None:
        self.idle.resume()

    def end_visit(self) -> None:
        self.reset_visit()

    def reset_visit(self) -> None:
        """Forget the visitor: the session, every screen's content, overlays; back home."""
        if not self.ready:
            return
        self.countdown.stop()
        self.toast.dismiss()
        self.staff.visit_over()
        self._leave()
        self._history = []
        self.session.clear(self.settings.language)
        for page in self.screens.values():
            page.reset()
        self.header.retranslate(self.session.language)
        self.idle.resume()
        self.go(Screen.HOME)
