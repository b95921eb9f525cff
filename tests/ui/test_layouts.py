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

    def look(name: str) -> None:
        found[name] = layout_problems(window, name)

    try:
        DemoVisit(window, tmp_path / "shots", look=look).run()
    finally:
        window.background.wait()
        kiosk.close()
    assert len(found) >= 40, f"the visit stopped early: {sorted(found)}"
    problems = [problem for listed in found.values() for problem in listed]
    assert not problems, "\n".join(problems[:20])
