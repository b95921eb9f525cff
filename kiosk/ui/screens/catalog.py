"""Catalog: the three categories as tabs, a search box (name or pinyin), and the items as big rows.

Results come from :class:`kiosk.catalog.search.SearchIndex`, built once by the
composition root; a search is a string comparison, fast enough per keystroke.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton

from kiosk.catalog.model import Bundle, Item, ItemKind
from kiosk.ui.input.kinds import InputKind, NextLineEdit, mark, set_caption
from kiosk.ui.navigation import BundleRoute, CatalogRoute, Intent, ItemRoute, Screen
from kiosk.ui.screens.base import ScreenContext, ScreenPage
from kiosk.ui.text import listing
from kiosk.ui.widgets.common import RowButton, TouchScrollArea, button, label

ALL = ""
IN_SIGHT = 12  # rows: more than a 1080×1920 screen shows; the rest of a list comes next


def item_facts(ctx: ScreenContext, item: Item, language: str) -> str:
    """One line under an item's name: department · kind · where."""
    from kiosk.ui.text import text

    department = ctx.catalog.departments[item.department].name(language)
    if item.kind is ItemKind.IMMEDIATE:
        kind = text("immediate", language)
    else:
        kind = text("promised", language, days=item.promised_days)
    queue = ctx.catalog.queue_of(item)
    windows = listing(queue.windows, language)
    return " · ".join((department, kind, text("windows", language, windows=windows)))


class CatalogScreen(ScreenPage[CatalogRoute]):
    route = Screen.CATALOG

    def __init__(self, ctx: ScreenContext):
        super().__init__(ctx)
        self._intent = Intent.APPLY
        self.search = NextLineEdit()
        self.search.setProperty("role", "search")
        self.search.setClearButtonEnabled(False)
        # Letters go in as letters, every key at once: the index matches names, pinyin and
        # initials, so unfinished Pinyin must never turn "xse" into 血色 behind the visitor.
        mark(self.search, InputKind.LATIN)
        self.search.textChanged.connect(self._refresh)
        self.body.addWidget(self.search)
        tabs = QHBoxLayout()
        tabs.setSpacing(14)
        self.tabs = QButtonGroup(self)
        self.tab_buttons: dict[str, QPushButton] = {}
        for code in [ALL, *ctx.catalog.categories]:
            tab = button("", "tab")
            tab.setCheckable(True)
            tab.setProperty("category", code)
            self.tabs.addButton(tab)
            tab.clicked.connect(self._refresh)
            tabs.addWidget(tab)
            self.tab_buttons[code] = tab
        tabs.addStretch(1)
        self.tab_buttons[ALL].setChecked(True)
        self.body.addLayout(tabs)
        self.list = TouchScrollArea()
        self.body.addWidget(self.list, 1)
        self.empty = label("", "muted")
        self.empty.hide()
        self.body.addWidget(self.empty)
        self.rows: list[RowButton] = []  # on screen, in order
        self._built: dict[tuple[str, str], RowButton] = {}  # (code, language) → its row
        self._rest = QTimer(self)
        self._rest.setSingleShot(True)
        self._rest.setInterval(30)  # ms: after this key's paint, well before the next key
        self._rest.timeout.connect(lambda: self.list.arrange(self.rows))
        self._shown: tuple[str, str, str] | None = None  # (query, category, language) on screen

    def set_typing(self, typing: bool) -> None:
        """Searching with the keyboard open: the results get the room the tabs took."""
        super().set_typing(typing)
        for tab in self.tab_buttons.values():
            tab.setVisible(not typing)

    @property
    def category(self) -> str:
        checked = self.tabs.checkedButton()
        return str(checked.property("category")) if checked is not None else ALL

    def enter(self, route: CatalogRoute) -> None:
        self._intent = route.intent
        super().enter(route)

    def retranslate(self) -> None:
        super().retranslate()
        key = "catalog_guide_title" if self._intent is Intent.GUIDE else "catalog_title"
        self.set_heading(self.say(key), self.say("catalog_hint"))
        self.search.setPlaceholderText(self.say("search_placeholder"))
        set_caption(self.search, self.say("search_caption"))
        for code, tab in self.tab_buttons.items():
            name = self.ctx.catalog.categories[code].name(self.lang) if code else None
            tab.setText(name or self.say("all_categories"))
        self._refresh()

    def entries(self) -> list[Item | Bundle]:
        query = self.search.text().strip()
        category = self.category or None
        if query:
            return [hit.entry for hit in self.ctx.search.search(query, category)]
        if category is None:
            return list(self.ctx.catalog.items.values())
        return list(self.ctx.catalog.items_in(category))

    def _row(self, entry: Item | Bundle, lang: str) -> RowButton:
        """An entry's row, built the first time it is shown in this language, then reused."""
        row = self._built.get((entry.code, lang))
        if row is not None:
            return row
        if isinstance(entry, Bundle):
            detail = entry.summary(lang) if entry.summary else ""
            row = RowButton(entry.name(lang), detail, self.say("bundle_tag"))
            row.clicked.connect(lambda _=False, c=entry.code: self.ctx.nav.go(BundleRoute(c)))
        else:
            tag = self.say("online_too") if entry.online else ""
            row = RowButton(entry.name(lang), item_facts(self.ctx, entry, lang), tag)
            row.clicked.connect(lambda _=False, c=entry.code: self.ctx.nav.go(ItemRoute(c)))
        row.setProperty("code", entry.code)
        self._built[(entry.code, lang)] = row
        return row

    def _refresh(self, *_: object) -> None:
        shown = (self.search.text().strip(), self.category, self.lang)
        if shown == self._shown:
            return  # coming back to the same list: keep the rows (and the scroll position)
        self._shown = shown
        # Every key changes the results: the rows are reused, not built again (a list of 50
        # new rows took longer than a frame with the keyboard up, bench/bench_typing.py).
        # The rows in sight go up with this key; the rest of a long list follows as soon as
        # the key's own work is painted (laying out 50 rows nobody sees yet cost a frame).
        lang = self.lang
        self.rows = [self._row(entry, lang) for entry in self.entries()]
        self._rest.stop()
        self.list.arrange(self.rows[:IN_SIGHT])
        if len(self.rows) > IN_SIGHT:
            self._rest.start()
        self.empty.setText(self.say("no_results") if not self.rows else "")
        self.empty.setVisible(not self.rows)

    def reset(self) -> None:
        self.tab_buttons[ALL].setChecked(True)
        self.search.setText("")  # setText, not clear(): nothing left in the undo history
        self._refresh()  # the plain list, ready for the next visitor (it holds nothing personal)
        self.list.to_top()
