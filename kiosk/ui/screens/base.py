"""What every screen shares: its context (session, services, navigator), layout and hooks.

A screen is built once with everything it needs through its constructor and
never queries anything in ``__init__``.  The window calls the hooks:

``enter(arg)``  the screen becomes visible; build the content for the session now;
``leave()``     the visitor moved on;
``retranslate()`` the visitor switched zh/en while on this screen;
``reset()``     the visit is over: empty every widget that showed visitor data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.catalog.catalog import Catalog
from kiosk.catalog.search import SearchIndex
from kiosk.config import Settings
from kiosk.session import VisitorSession
from kiosk.ui.background import Background
from kiosk.ui.navigation import Navigator, Screen
from kiosk.ui.services import Services
from kiosk.ui.text import text
from kiosk.ui.widgets.common import GAP, MARGIN, button, label


@dataclass(frozen=True)
class ScreenContext:
    session: VisitorSession
    settings: Settings
    services: Services
    search: SearchIndex
    nav: Navigator
    background: Background

    @property
    def catalog(self) -> Catalog:
        return self.session.catalog


class ScreenPage(QWidget):
    route: ClassVar[Screen]
    form_screen: ClassVar[bool] = False  # forms get the longer idle time
    title_key: ClassVar[str] = ""

    def __init__(self, ctx: ScreenContext):
        super().__init__()
        self.ctx = ctx
        self.setProperty("role", "screen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self.setObjectName(f"screen-{self.route.value}")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(MARGIN, 32, MARGIN, 28)
        outer.setSpacing(GAP)
        self.title = label("", "title")
        self.subtitle = label("", "subtitle")
        self.subtitle.hide()
        outer.addWidget(self.title)
        outer.addWidget(self.subtitle)
        self.body = QVBoxLayout()
        self.body.setSpacing(GAP)
        outer.addLayout(self.body, 1)
        self.footer = QHBoxLayout()
        self.footer.setSpacing(GAP)
        self.back_button = button("", "nav")
        self.back_button.clicked.connect(self.go_back)
        self.home_button = button("", "nav")
        self.home_button.clicked.connect(ctx.nav.home)
        self.footer.addWidget(self.back_button)
        self.footer.addWidget(self.home_button)
        self.footer.addStretch(1)
        outer.addLayout(self.footer)

    # ── helpers ──
    @property
    def lang(self) -> str:
        return self.ctx.session.language

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

    # ── hooks ──
    def enter(self, arg: object = None) -> None:
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
