"""MainWindow: a thin shell — header, a stack of screens, overlays, idle, theme.

It is the :class:`~kiosk.ui.navigation.Navigator` the screens talk to; all it
does is switch screens (calling their enter/leave hooks), switch language and
theme, call a guide, and forget the visitor when they walk away.  What a screen
shows is the screen's business.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QCloseEvent, QGuiApplication, QResizeEvent
from PySide6.QtWidgets import QLayout, QStackedWidget, QVBoxLayout, QWidget

from kiosk.catalog.search import SearchIndex
from kiosk.config import Settings
from kiosk.session import VisitorSession
from kiosk.ui.background import Background
from kiosk.ui.fonts import cjk_family
from kiosk.ui.idle import IdleWatch
from kiosk.ui.navigation import Screen
from kiosk.ui.screens.apply import ApplyScreen
from kiosk.ui.screens.base import ScreenContext, ScreenPage
from kiosk.ui.screens.bundle import BundleScreen
from kiosk.ui.screens.bundles import BundlesScreen
from kiosk.ui.screens.catalog import CatalogScreen
from kiosk.ui.screens.consult import ConsultScreen
from kiosk.ui.screens.event import EventScreen
from kiosk.ui.screens.events import EventsScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.item import ItemScreen
from kiosk.ui.screens.review import ReviewScreen
from kiosk.ui.screens.soon import SoonScreen
from kiosk.ui.screens.verdict import VerdictScreen
from kiosk.ui.services import Services
from kiosk.ui.text import text
from kiosk.ui.theme import Theme, theme
from kiosk.ui.widgets.header import Header
from kiosk.ui.widgets.overlays import BusyOverlay, CountdownOverlay, Toast

log = logging.getLogger(__name__)

SCREENS: tuple[type[ScreenPage], ...] = (
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
    SoonScreen,
)
KIOSK_SIZE = QSize(1920, 1080)


class MainWindow(QWidget):
    def __init__(
        self,
        session: VisitorSession,
        settings: Settings,
        services: Services,
        search: SearchIndex,
        *,
        theme_name: str | None = None,
    ):
        super().__init__()
        self.session = session
        self.settings = settings
        self.services = services
        self.setObjectName("KioskWindow")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setWindowFlags(Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint)
        self.setWindowTitle(settings.hall_name)
        layout = QVBoxLayout(self)
        # The only top-level widget: no size constraints to hand to the window system
        # (the offscreen platform warns about them, and a kiosk never resizes anyway).
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.header = Header(settings.hall_name, self.toggle_language, self.call_guide)
        self.stack = QStackedWidget()
        self.stack.setObjectName("Screens")
        layout.addWidget(self.header)
        layout.addWidget(self.stack, 1)
        self.background = Background(self, on_busy=self._busy)
        context = ScreenContext(session, settings, services, search, self, self.background)
        self.screens: dict[Screen, ScreenPage] = {}
        for screen_type in SCREENS:
            page = screen_type(context)
            self.screens[screen_type.route] = page
            self.stack.addWidget(page)
        self.countdown = CountdownOverlay(self, self._still_here, self.reset_visit)
        self.busy = BusyOverlay(self)
        self.toast = Toast(self)
        self.idle = IdleWatch(self, settings.idle_seconds, self._idle)
        self._history: list[tuple[Screen, object]] = []
        self.theme: Theme = theme(theme_name or settings.theme)
        self.apply_theme(self.theme.name)
        self.go(Screen.HOME)

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
        self._leave()
        if screen is Screen.HOME:
            self._history = [(screen, arg)]
        else:
            self._history.append((screen, arg))
        self._enter()

    def replace(self, screen: Screen, arg: object = None) -> None:
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
        self.session.language = "en" if self.session.language == "zh" else "zh"
        self.retranslate()

    def retranslate(self) -> None:
        self.header.retranslate(self.session.language)
        self.page().retranslate()

    def call_guide(self) -> None:
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
        self.notify(text("guide_failed", self.session.language))

    def notify(self, message: str) -> None:
        self.toast.say(message)

    def _busy(self, busy: bool) -> None:
        if busy:
            self.busy.show_busy(self.session.language)
        else:
            self.busy.hide_busy()

    # ── idle and forgetting ──
    def visit_in_progress(self) -> bool:
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

    def reset_visit(self) -> None:
        """Forget the visitor: the session, every screen's content, overlays; back home."""
        self.countdown.stop()
        self.toast.dismiss()
        self._leave()
        self._history = []
        self.session.clear(self.settings.language)
        for page in self.screens.values():
            page.reset()
        self.header.retranslate(self.session.language)
        self.idle.resume()
        self.go(Screen.HOME)
