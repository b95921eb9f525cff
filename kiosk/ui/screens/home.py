"""Home: a greeting and seven large tiles, one per thing a visitor comes to do."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QSizePolicy, QVBoxLayout

from kiosk.ui.navigation import (
    BundlesRoute,
    CatalogRoute,
    EventsRoute,
    HomeRoute,
    Intent,
    RatingTarget,
    Route,
    Screen,
    StatusRoute,
    TicketRoute,
)
from kiosk.ui.screens.base import ScreenContext, ScreenPage
from kiosk.ui.widgets.common import GAP, MARGIN, PAD, LayoutButton, label


@dataclass(frozen=True)
class Tile:
    key: str  # text key; the hint is key + "_hint"
    glyph: str  # the character on the badge (in English: the caption's first letter)
    tone: str  # badge colour token 1–4
    route: Route  # where the tile leads
    span: int = 1


TILES = (
    Tile("tile_apply", "办", "1", CatalogRoute(Intent.APPLY), 2),
    Tile("tile_guide", "询", "2", CatalogRoute(Intent.GUIDE)),
    Tile("tile_ticket", "号", "3", TicketRoute()),
    Tile("tile_bundle", "联", "4", BundlesRoute()),
    Tile("tile_event", "事", "2", EventsRoute()),
    Tile("tile_status", "查", "1", StatusRoute()),
    Tile("tile_rating", "评", "3", RatingTarget()),
)


class TileButton(LayoutButton):
    def __init__(self, tile: Tile):
        super().__init__("tile")
        self.tile = tile
        if tile.span > 1:
            self.setProperty("tone", "primary")  # the main journey stands out
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        box = QVBoxLayout(self)
        box.setContentsMargins(PAD + 8, PAD + 4, PAD + 8, PAD + 4)
        box.setSpacing(12)
        badge_row = QHBoxLayout()
        self.badge = label(tile.glyph, "badge", wrap=False)
        self.badge.setProperty("tone", tile.tone)
        badge_row.addWidget(self.badge)
        badge_row.addStretch(1)
        box.addLayout(badge_row)
        box.addStretch(1)
        self.caption = label("", "tile")
        self.hint = label("", "muted")
        box.addWidget(self.caption)
        box.addWidget(self.hint)
        self.passive(self.badge, self.caption, self.hint)


class HomeScreen(ScreenPage[HomeRoute]):
    route = Screen.HOME
    scrolls = True

    def __init__(self, ctx: ScreenContext):
        super().__init__(ctx)
        self.back_button.hide()
        self.home_button.hide()
        self.grid = QGridLayout()
        self.grid.setSpacing(GAP + 4)
        self.tiles: dict[str, TileButton] = {}
        for tile in TILES:
            widget = TileButton(tile)
            widget.clicked.connect(lambda _=False, t=tile: self.ctx.nav.go(t.route))
            self.tiles[tile.key] = widget
        self._columns = 0
        self._arrange(4)
        self.body.addSpacing(GAP)
        self.body.addLayout(self.grid, 1)

    def _arrange(self, columns: int) -> None:
        """Four tiles across on a wide screen, two on a narrow one (portrait, or the elder
        theme's large words): never tiles too narrow for their captions."""
        if columns == self._columns:
            return
        self._columns = columns
        for widget in self.tiles.values():
            self.grid.removeWidget(widget)
        row = column = 0
        for tile in TILES:
            span = min(tile.span, columns)
            if column + span > columns:
                row, column = row + 1, 0
            self.grid.addWidget(self.tiles[tile.key], row, column, 1, span)
            column += span
            if column >= columns:
                row, column = row + 1, 0
        for index in range(4):
            self.grid.setColumnStretch(index, 1 if index < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        caption = max(self.tiles.values(), key=lambda w: len(w.caption.text())).caption
        widest = caption.fontMetrics().horizontalAdvance(caption.text()) + 2 * (PAD + 8)
        room = event.size().width() - 2 * MARGIN
        self._arrange(4 if room >= 4 * widest + 3 * (GAP + 4) else 2)

    def retranslate(self) -> None:
        super().retranslate()
        self.set_heading(self.say("welcome"), self.say("welcome_hint"))
        for key, widget in self.tiles.items():
            caption = self.say(key)
            widget.caption.setText(caption)
            widget.hint.setText(self.say(f"{key}_hint"))
            widget.badge.setText(caption[:1] if self.lang == "en" else widget.tile.glyph)
