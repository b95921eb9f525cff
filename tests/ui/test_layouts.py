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
from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication, QWindow

from kiosk import SHIPPED_CATALOG
from kiosk.app import build_services
from kiosk.catalog import load_catalog
from kiosk.config import DOCUMENT_KINDS, PrinterSettings, Settings
from kiosk.ui.demo.visit import DemoVisit
from kiosk.ui.launch import build_window
from tests.ui.conftest import window_services
from tests.ui.layout_audit import layout_problems

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

    def look(name: str) -> None:
        found[name] = layout_problems(window, name)

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
