"""主题联办: the bundles on offer, each a big row with what it includes."""

from __future__ import annotations

from kiosk.ui.navigation import BundleRoute, BundlesRoute, Screen
from kiosk.ui.screens.base import ScreenContext, ScreenPage
from kiosk.ui.widgets.common import RowButton, TouchScrollArea


class BundlesScreen(ScreenPage[BundlesRoute]):
    route = Screen.BUNDLES
    title_key = "bundles_title"

    def __init__(self, ctx: ScreenContext):
        super().__init__(ctx)
        self.list = TouchScrollArea()
        self.body.addWidget(self.list, 1)
        self.rows: dict[str, RowButton] = {}
        for bundle in ctx.catalog.bundles.values():
            row = RowButton()
            row.clicked.connect(lambda _=False, c=bundle.code: self.ctx.nav.go(BundleRoute(c)))
            self.list.add(row)
            self.rows[bundle.code] = row

    def retranslate(self) -> None:
        super().retranslate()
        lang = self.lang
        self.subtitle.setText(self.say("bundles_hint"))
        self.subtitle.show()
        for code, row in self.rows.items():
            bundle = self.ctx.catalog.bundles[code]
            # The summary only: the member items are listed on the picker, one per row.
            detail = bundle.summary(lang) if bundle.summary else ""
            row.set_texts(
                bundle.name(lang), detail, self.say("bundle_members", count=len(bundle.members))
            )
