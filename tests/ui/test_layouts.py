"""Every screen of the demo visit fits the supported screens, in both looks.

The whole scripted visit (kiosk.ui.demo: consult, apply with the ID-number pad and
Pinyin, a bundle, a ticket, 办件查询, the guide's panel and assist) is taken at
1920×1080, 1366×768 and 1080×1920, in the standard and elder themes; on every
screen, in every state the visit stops to look at (keyboard or pad up, a picker
open, an error shown), nothing a visitor sees overlaps another thing, leaves the
window or has its words cut off (tests/ui/layout_audit.py says how that is judged).
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QSize
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtWidgets import QPushButton, QWidget

from kiosk import SHIPPED_CATALOG
from kiosk.app import build_services
from kiosk.catalog import load_catalog
from kiosk.config import DOCUMENT_KINDS, PrinterSettings, Settings
from kiosk.ui.demo.visit import DemoVisit
from kiosk.ui.launch import build_window
from kiosk.ui.screens.consult import ConsultScreen
from kiosk.ui.screens.item import ItemScreen
from kiosk.ui.screens.preview import PreviewScreen
from kiosk.ui.screens.review import ReviewScreen
from tests.ui.conftest import window_services
from tests.ui.layout_audit import in_sight, layout_problems

SIZES = ((1920, 1080), (1366, 768), (1080, 1920))


@pytest.mark.parametrize("theme", ["standard", "elder"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_screen_of_the_visit_fits(tmp_path, qtbot, size, theme):
    catalog = load_catalog(SHIPPED_CATALOG)
    printed = PrinterSettings(folder=tmp_path / "printed")
    settings = Settings(data_dir=tmp_path, printers=dict.fromkeys(DOCUMENT_KINDS, printed))
    kiosk = build_services(settings, catalog)
    window = build_window(settings, catalog, window_services(kiosk))
    qtbot.addWidget(window)
    window.show_at(QSize(*size))
    window.use_base_theme(theme)
    found: dict[str, list[str]] = {}
    stolen: list[str] = []  # the kiosk's window must stay the active one all along

    acting: dict[str, list[QRect]] = {}  # per screen looked at: where its acting buttons are

    def look(name: str) -> None:
        found[name] = layout_problems(window, name)
        acting[name] = [
            in_sight(button, window)  # as much of it as a list shows
            for button in primary_buttons(window.page())
            if button.isVisible()
        ]

    def focus_moved(to: QWindow | None) -> None:
        if to is not window.windowHandle():
            stolen.append(f"{to.objectName() if to else 'nothing'} (before {list(found)[-1:]})")

    QGuiApplication.instance().focusWindowChanged.connect(focus_moved)

    try:
        DemoVisit(window, tmp_path / "shots", look=look).run()
    finally:
        QGuiApplication.instance().focusWindowChanged.disconnect(focus_moved)
        window.background.wait()
        kiosk.close()
    # A widget shown before it has a parent is a window of its own for a moment: on the
    # hall's screen it flashes and takes the keyboard (and a scanner's keys) away.
    assert not stolen, f"the kiosk's window lost the activation to {stolen}"
    assert len(found) >= 40, f"the visit stopped early: {sorted(found)}"
    problems = [problem for listed in found.values() for problem in listed]
    assert not problems, "\n".join(problems[:20])
    # Where a screen's button submits or answers, it is not where the previous screen's
    # primary button was: the second half of a double tap there lands on nothing.
    for before, after in ACTING_AFTER:
        assert acting.get(before) and acting.get(after), f"the visit showed {before} → {after}"
        for was in acting[before]:
            for now in acting[after]:
                assert not was.intersects(now), f"{after}'s button lies where {before}'s was"


# (a screen, the screen after it whose buttons answer or submit), as the demo visits them
ACTING_AFTER = (
    ("item-detail", "consultation"),
    ("apply-review", "apply-preview"),
    ("bundle-review", "bundle-preview"),
)


def primary_buttons(page: QWidget | None) -> list[QPushButton]:
    """The buttons a tap on which moves the visit on: the primary action, the answers."""
    if isinstance(page, ConsultScreen):
        return list(page.answer_values)
    if isinstance(page, PreviewScreen | ReviewScreen):
        return [page.submit_button]
    if isinstance(page, ItemScreen):
        return [page.start]
    return []
