"""What every screen shares: its context (session, services, navigator), layout and hooks.

A screen is built once with everything it needs through its constructor and
never queries anything in ``__init__``.  The window calls the hooks:

``enter(route)`` the screen becomes visible with its route (kiosk.ui.navigation: one type
                per screen); build the content for the session now;
``leave()``     the visitor moved on;
``retranslate()`` the visitor switched zh/en while on this screen;
``reset()``     the visit is over: empty every widget that showed visitor data.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, Generic, TypeVar, cast

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.background import Background
from kiosk.ui.navigation import Navigator, Route, Screen
from kiosk.ui.text import text
from kiosk.ui.widgets.common import GAP, MARGIN, TouchScrollArea, button, label

SHORT_PAGE = 700  # px: a screen's height under the header below which its margins shrink

if TYPE_CHECKING:  # only for annotations: the home screen paints before these are imported
    from collections.abc import Callable

    from kiosk.catalog.catalog import Catalog
    from kiosk.catalog.search import SearchIndex
    from kiosk.config import Settings
    from kiosk.forms.filling import Source
    from kiosk.session import VisitorSession
    from kiosk.ui.services import Services
    from kiosk.ui.widgets.fields import Pickers


def _is_pickers(candidate: object) -> bool:
    return all(hasattr(candidate, name) for name in ("pick_date", "pick_region", "home_region"))


class NotReady(RuntimeError):
    """A screen asked for the session or services before the kiosk finished loading (a bug:
    the window only builds such screens after :meth:`ScreenContext.attach`)."""


class ScreenContext:
    """What every screen shares: the visitor's session, the services, the search index, the
    navigator and the background helper.

    At a cold start the window paints its home screen before the catalog is loaded; the
    session, services and search index arrive later through :meth:`attach`.  Until then
    only :attr:`language` (the default from the settings) is available.
    """

    def __init__(
        self,
        session: VisitorSession | None,
        settings: Settings,
        services: Services | None,
        search: SearchIndex | None,
        nav: Navigator,
        background: Background,
    ):
        self.settings = settings
        self.nav = nav
        self.background = background
        self._session = session
        self._services = services
        self._search = search
        # Who is typing into a field (by slot key): None means the visitor.  Staff mode sets
        # it while a guide helps (kiosk.ui.staff), so their values are marked Source.STAFF.
        self.entry_source: Callable[[str], Source] | None = None
        # The window's date and region pickers (fields open them); None in a bare context.
        self.pickers: Pickers | None = cast("Pickers", nav) if _is_pickers(nav) else None

    def attach(self, session: VisitorSession, services: Services, search: SearchIndex) -> None:
        self._session, self._services, self._search = session, services, search

    @property
    def ready(self) -> bool:
        return self._session is not None

    @property
    def session(self) -> VisitorSession:
        if self._session is None:
            raise NotReady("session")
        return self._session

    @property
    def services(self) -> Services:
        if self._services is None:
            raise NotReady("services")
        return self._services

    @property
    def search(self) -> SearchIndex:
        if self._search is None:
            raise NotReady("search index")
        return self._search

    @property
    def catalog(self) -> Catalog:
        return self.session.catalog

    @property
    def language(self) -> str:
        return self._session.language if self._session is not None else self.settings.language


R = TypeVar("R", bound=Route)


class ScreenPage(QWidget, Generic[R]):
    """A screen; ``R`` is its route type, the one argument :meth:`enter` takes."""

    route: ClassVar[Screen]
    form_screen: ClassVar[bool] = False  # forms get the longer idle time
    title_key: ClassVar[str] = ""
    # A screen without a scrolling list of its own scrolls as a whole when the window is
    # too small for it (1366×768, the elder theme, the keys open) rather than squeeze its
    # widgets over one another.  Screens with their own lists keep them and say False.
    scrolls: ClassVar[bool] = False

    def __init__(self, ctx: ScreenContext):
        super().__init__()
        self.ctx = ctx
        self._typing = False
        self.setProperty("role", "screen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setObjectName(f"screen-{self.route.value}")
        outer = self.outer = QVBoxLayout(self)
        outer.setContentsMargins(MARGIN, 32, MARGIN, 28)
        outer.setSpacing(GAP)
        # Heading and footer are widgets of their own, so typing can set them aside whole.
        self.heading = QWidget()
        heading = QVBoxLayout(self.heading)
        heading.setContentsMargins(0, 0, 0, 0)
        heading.setSpacing(GAP)
        self.title = label("", "title")
        self.subtitle = label("", "subtitle")
        self.subtitle.hide()
        heading.addWidget(self.title)
        heading.addWidget(self.subtitle)
        outer.addWidget(self.heading)
        if self.scrolls:
            self.scroller: TouchScrollArea | None = TouchScrollArea(stretch=False)
            self.scroller.show_position()
            self.body = self.scroller.rows
            outer.addWidget(self.scroller, 1)
        else:
            self.scroller = None
            self.body = QVBoxLayout()
            outer.addLayout(self.body, 1)
        self.body.setSpacing(GAP)
        self.footer_bar = QWidget()
        self.footer = QHBoxLayout(self.footer_bar)
        self.footer.setContentsMargins(0, 0, 0, 0)
        self.footer.setSpacing(GAP)
        self.back_button = button("", "nav")
        self.back_button.clicked.connect(self.go_back)
        self.home_button = button("", "nav")
        self.home_button.clicked.connect(ctx.nav.home)
        self.footer.addWidget(self.back_button)
        self.footer.addSpacing(GAP * 2)  # 首页 well apart from 返回
        self.footer.addWidget(self.home_button)
        self.footer.addStretch(1)
        outer.addWidget(self.footer_bar)

    # ── helpers ──
    @property
    def lang(self) -> str:
        return self.ctx.language

    def say(self, key: str, **values: object) -> str:
        return text(key, self.lang, **values)

    def add_action(self, widget: QPushButton) -> QPushButton:
        """Put a button at the bottom right, where the next step always is."""
        self.footer.addWidget(widget)
        return widget

    def set_heading(self, title: str, subtitle: str = "") -> None:
        self.title.setText(title)
        self.subtitle.setText(subtitle)
        self.subtitle.setVisible(bool(subtitle))

    def set_typing(self, typing: bool) -> None:
        """The keys are below: give the height to the field (heading and footer step aside;
        the dock has 下一项 and 收起, and the footer is back with 收起)."""
        self._typing = typing
        self.heading.setVisible(not typing)
        self.footer_bar.setVisible(not typing)
        self._fit_margins()

    def _fit_margins(self) -> None:
        """Air above the title and under the footer; less on a short screen (1366×768, and
        the guide's band over it), where every line of the list counts."""
        if self._typing:
            top, bottom = 12, 12
        elif self.height() < SHORT_PAGE:
            top, bottom = 16, 14
        else:
            top, bottom = 32, 28
        if self.outer.contentsMargins().top() != top:
            self.outer.setContentsMargins(MARGIN, top, MARGIN, bottom)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_margins()

    def spoken_text(self) -> str:
        """What 朗读 reads: every line the screen shows (the question, the verdict and its
        materials, the ticket …) in reading order, the footer's buttons left out."""
        shown = [
            widget
            for widget in self.findChildren(QLabel)
            if widget.isVisibleTo(self)
            and widget.text().strip()
            and not self.footer_bar.isAncestorOf(widget)
        ]
        shown.sort(key=lambda w: (w.mapTo(self, QPoint(0, 0)).y(), w.mapTo(self, QPoint(0, 0)).x()))
        stop = "。" if self.lang == "zh" else ". "
        return stop.join(w.text().strip().rstrip("。.") for w in shown)

    # ── hooks ──
    def enter(self, route: R) -> None:
        self.retranslate()

    def leave(self) -> None:
        """Nothing by default; screens with timers or focus stop them here."""

    def retranslate(self) -> None:
        self.back_button.setText(self.say("back"))
        self.home_button.setText(self.say("home"))
        if self.title_key:
            self.title.setText(self.say(self.title_key))

    def reset(self) -> None:
        """Nothing by default; screens that show visitor data empty it here."""

    def go_back(self) -> None:
        self.ctx.nav.back()
