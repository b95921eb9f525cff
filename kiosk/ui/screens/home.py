"""Home: a greeting and seven large tiles, one per thing a visitor comes to do."""

from __future__ import annotations

from dataclasses import dataclass

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
from kiosk.ui.widgets.common import GAP, PAD, LayoutButton, label


@dataclass(frozen=True)
class Tile:
    key: str  # text key; the hint is key + "_hint"
    glyph: str  # the character on the badge (in English: the caption's first letter)
    tone: str  # badge colour token 1–4
    route: Route  # where the tile leads
    row: int
    column: int
    span: int = 1


TILES = (
    Tile("tile_apply", "办", "1", CatalogRoute(Intent.APPLY), 0, 0, 2),
    Tile("tile_guide", "询", "2", CatalogRoute(Intent.GUIDE), 0, 2),
    Tile("tile_ticket", "号", "3", TicketRoute(), 0, 3),
    Tile("tile_bundle", "联", "4", BundlesRoute(), 1, 0),
    Tile("tile_event", "事", "2", EventsRoute(), 1, 1),
    Tile("tile_status", "查", "1", StatusRoute(), 1, 2),
    Tile("tile_rating", "评", "3", RatingTarget(), 1, 3),
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

    def __init__(self, ctx: ScreenContext):
        super().__init__(ctx)
        self.back_button.hide()
        self.home_button.hide()
        grid = QGridLayout()
        grid.setSpacing(GAP + 4)
        self.tiles: dict[str, TileButton] = {}
        for tile in TILES:
            widget = TileButton(tile)
            widget.clicked.connect(lambda _=False, t=tile: self.ctx.nav.go(t.route))
            grid.addWidget(widget, tile.row, tile.column, 1, tile.span)
            self.tiles[tile.key] = widget
        for column in range(4):
            grid.setColumnStretch(column, 1)
        self.body.addSpacing(GAP)
        self.body.addLayout(grid, 1)

    def retranslate(self) -> None:
        super().retranslate()
        self.set_heading(self.say("welcome"), self.say("welcome_hint"))
        for key, widget in self.tiles.items():
            caption = self.say(key)
            widget.caption.setText(caption)
            widget.hint.setText(self.say(f"{key}_hint"))
            widget.badge.setText(caption[:1] if self.lang == "en" else widget.tile.glyph)
