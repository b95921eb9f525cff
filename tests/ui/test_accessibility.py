"""Every screen, in the elder theme, passes the accessibility audit."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.ui.demo import DemoVisit
from kiosk.ui.theme import THEMES

from .audit import audit
from .conftest import window_services


class AuditedVisit(DemoVisit):
    """The demo's scripted visit, auditing each screen instead of photographing it."""

    def __init__(self, window):
        super().__init__(window, Path("unused"))
        self.problems: dict[str, list[str]] = {}

    def let_pages_paint(self) -> None:
        """The audit reads widgets, not the PDF's pixels."""

    def shot(self, name: str) -> None:
        from kiosk.ui.demo import settle

        settle()
        self.problems[name] = audit(self.window, self.window.theme)


@pytest.mark.parametrize(
    ("which", "theme", "online"),
    [
        ("shipped", "elder", True),
        ("bundle", "elder", False),
        ("shipped", "contrast", False),
        ("shipped", "standard", True),
    ],
)
def test_every_screen_passes_the_audit(
    make_window, make_kiosk, catalog, request, which, theme, online
):
    """Online (the bureau's PostgreSQL) the done screens show real ticket numbers; offline
    they show the calm "no ticket" state instead — both are audited."""
    chosen = catalog if which == "shipped" else None
    bureau = None
    if online:
        url = request.getfixturevalue("pg_bureau_url")
        bureau = url.render_as_string(hide_password=False)
    kiosk = make_kiosk(chosen, bureau=bureau)
    window = make_window(chosen, theme=theme, services=window_services(kiosk))
    visit = AuditedVisit(window)
    visit.run()
    assert len(visit.problems) >= 25, "the visit reached every kind of screen"
    for screen in ("apply-preview", "apply-done", "rating-reasons", "ticket-done", "status"):
        assert screen in visit.problems
    failing = {name: found for name, found in visit.problems.items() if found}
    assert not failing


def test_the_audit_catches_what_it_should(make_window):
    """It would fail a window that broke the rules (so a pass means something)."""
    from PySide6.QtWidgets import QLabel, QPushButton

    window = make_window(theme="elder")
    page = window.page()
    tiny = QPushButton("x", page)
    tiny.setStyleSheet("min-height: 20px; max-height: 20px; min-width: 20px; max-width: 20px;")
    faint = QLabel("faint", page)
    faint.setStyleSheet("color: #DDDDDD; font-size: 12px;")
    tiny.show()
    faint.show()
    problems = "\n".join(audit(window, THEMES["elder"]))
    assert "QPushButton 'x': touch target" in problems
    assert "text 12 px" in problems
    assert "#DDDDDD" in problems
