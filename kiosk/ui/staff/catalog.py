"""Staff panel · 事项目录: reload the catalog file after it was corrected.

The file is validated first (by the services); a bad file shows every problem
with its file:line and the kiosk keeps the catalog it has.  A good one is put in
force and handed to the window, whose screens are rebuilt over it (the search
index is built in the background too: pinyin for a hundred items takes a moment).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.catalog.search import SearchIndex
from kiosk.ui.staff.base import StaffPage
from kiosk.ui.widgets.common import label

if TYPE_CHECKING:
    from kiosk.services import CatalogReload, StaffDesk
    from kiosk.ui.staff.controls import StaffControls


@dataclass(frozen=True)
class Reloaded:
    reload: CatalogReload
    search: SearchIndex | None


class CatalogPage(StaffPage):
    key = "catalog"

    def __init__(self, mode: StaffControls):
        super().__init__(mode)
        self.now = label("", "field")
        self.file = label("", "muted")
        self.top.addWidget(self.now)
        self.top.addWidget(self.file)
        self.reload_button = self.action("catalog_reload", self.reload, "primary")
        self.problems: tuple[str, ...] = ()

    def retranslate(self) -> None:
        super().retranslate()
        catalog = self.mode.window.session.catalog
        self.now.setText(
            self.say(
                "catalog_now",
                version=catalog.version,
                items=len(catalog.items),
                bundles=len(catalog.bundles),
            )
        )
        self.file.setText(self.say("catalog_file", path=self.mode.window.settings.catalog_path))

    def reload(self) -> None:
        path = self.mode.window.settings.catalog_path

        def op(desk: StaffDesk) -> Reloaded:
            result = desk.reload_catalog(path)
            search = SearchIndex.build(result.catalog) if result.catalog is not None else None
            return Reloaded(result, search)

        self.reload_button.setEnabled(False)
        self.tell(self.say("loading"))
        self.call(
            op,
            self._show,
            what="reload catalog",
            always=lambda: self.reload_button.setEnabled(True),
        )

    def _show(self, reloaded: Reloaded) -> None:
        result = reloaded.reload
        self.list.clear()
        self.problems = result.problems
        if result.catalog is not None and reloaded.search is not None:
            self.mode.use_catalog(result.catalog, reloaded.search)
            self.retranslate()
            version = result.catalog.version
            self.tell(self.say("catalog_ok", version=version, previous=result.previous_version))
            return
        kept = self.mode.window.session.catalog.version
        self.tell(self.say("catalog_bad", count=len(result.problems), version=kept), "error")
        _, box = self.section(Path(self.mode.window.settings.catalog_path).name)
        for problem in result.problems[:200]:  # enough to fix the file; the rest after that
            self.line(box, problem)

    def wipe(self) -> None:
        super().wipe()
        self.problems = ()
