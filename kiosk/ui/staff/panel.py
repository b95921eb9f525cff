"""The staff panel: a full-window layer over the visitor's screens, one page per task.

It covers the window (header included) so a visitor's screen and history stay
exactly as they were underneath: "help this visitor" lifts the panel off them,
and leaving staff mode shows them again.  The warm band across the top says
"staff mode" at a glance; the page buttons run down the left.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.staff.base import StaffPage, staff_look
from kiosk.ui.staff.catalog import CatalogPage
from kiosk.ui.staff.printers import PrintersPage
from kiosk.ui.staff.reprint import ReprintPage
from kiosk.ui.staff.settings import SettingsPage
from kiosk.ui.staff.sync import SyncPage
from kiosk.ui.staff.today import TodayPage
from kiosk.ui.text import text
from kiosk.ui.widgets.common import GAP, MARGIN, button, label

if TYPE_CHECKING:
    from kiosk.ui.staff.controls import StaffControls

SIDE_WIDTH = 300  # the page buttons down the left
PAGES: tuple[type[StaffPage], ...] = (
    SyncPage,
    PrintersPage,
    TodayPage,
    ReprintPage,
    CatalogPage,
    SettingsPage,
)


class StaffBand(QFrame):
    """The warm band that marks staff mode: what it is, and the ways out of it (``buttons``:
    word and role of each; whoever shows the band connects to ``self.buttons[word]``)."""

    def __init__(self, buttons: list[tuple[str, str]]):
        super().__init__()
        self.setObjectName("StaffBand")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        row = QHBoxLayout(self)
        row.setContentsMargins(MARGIN, 14, MARGIN, 14)
        row.setSpacing(GAP)
        self.caption = label("", "section", wrap=False)
        self.detail = label("", None)  # wraps on a narrow screen; the buttons keep their size
        self.detail.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        row.addWidget(self.caption)
        row.addWidget(self.detail, 1)
        self.buttons: dict[str, QPushButton] = {}
        for key, role in buttons:
            widget = button("", role)
            widget.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            row.addWidget(widget)
            self.buttons[key] = widget

    def showEvent(self, event: QShowEvent) -> None:
        staff_look(self)
        super().showEvent(event)

    def retranslate(self, language: str, caption: str, detail: str = "") -> None:
        self.caption.setText(caption)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        for key, widget in self.buttons.items():
            widget.setText(text(key, language))


class StaffPanel(QWidget):
    def __init__(self, mode: StaffControls, parent: QWidget):
        super().__init__(parent)
        self.mode = mode
        self.setObjectName("StaffPanel")
        self.setProperty("role", "screen")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        self.band = StaffBand([("assist", ""), ("exit_staff", "primary")])
        self.band.buttons["assist"].clicked.connect(mode.assist)
        self.band.buttons["exit_staff"].clicked.connect(lambda: mode.leave("button"))
        outer.addWidget(self.band)
        body = QHBoxLayout()
        body.setContentsMargins(MARGIN, 32, MARGIN, 28)
        body.setSpacing(GAP * 2)
        rail = QWidget()
        rail.setFixedWidth(SIDE_WIDTH)
        side = QVBoxLayout(rail)
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(14)
        self.tabs = QButtonGroup(self)
        self.tab_buttons: dict[str, QPushButton] = {}
        self.stack = QStackedWidget()
        self.pages: dict[str, StaffPage] = {}
        for page_type in PAGES:
            page = page_type(mode)
            self.pages[page.key] = page
            self.stack.addWidget(page)
            tab = button("", "tab")
            tab.setCheckable(True)
            self.tabs.addButton(tab)
            tab.clicked.connect(lambda _=False, k=page.key: self.open(k))
            side.addWidget(tab)
            self.tab_buttons[page.key] = tab
        side.addStretch(1)
        body.addWidget(rail)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.hide()

    @property
    def current(self) -> StaffPage:
        page = self.stack.currentWidget()
        assert isinstance(page, StaffPage)
        return page

    def cover(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.raise_()

    def present(self, key: str | None = None) -> None:
        """Show the panel on a page (the one last open, by default)."""
        self.cover()
        self.show()
        staff_look(self)
        self.open(key or self.current.key)

    def open(self, key: str) -> None:
        page = self.pages[key]
        self.tab_buttons[key].setChecked(True)
        self.stack.setCurrentWidget(page)
        self.retranslate()
        page.show_page()

    def retranslate(self) -> None:
        lang = self.mode.language
        kiosk = text("staff_kiosk", lang, kiosk=self.mode.window.settings.kiosk_id)
        self.band.retranslate(lang, text("staff_mode", lang), kiosk)
        for key, tab in self.tab_buttons.items():
            tab.setText(text(f"page_{key}", lang))

    def wipe(self) -> None:
        for page in self.pages.values():
            page.wipe()
        self.stack.setCurrentIndex(0)
        self.tab_buttons[PAGES[0].key].setChecked(True)
