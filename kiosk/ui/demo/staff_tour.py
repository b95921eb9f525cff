"""The staff part of `kiosk demo`: the PIN pad, each panel page, an ID card read and a guide
helping a visitor type.

:func:`staff_tour` is called by :mod:`kiosk.ui.demo` once per theme, after the
visitor's journeys, so the "today" page has their tickets and submissions and
the reprint page can reprint the demo's own code.  The demo's hall has no staff
PIN of its own: a throwaway one is put on the PIN gate for the tour and taken
off again afterwards (the configured hash, if any, is never needed or shown).
:func:`demo_reader` gives the demo a simulated ID-card reader with a made-up card.
"""

from __future__ import annotations

import json
import logging
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QPoint
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.idcard import SimulatedReader, reader_from_env
from kiosk.staff_pin import hash_pin
from kiosk.ui.background import pending_everywhere
from kiosk.ui.navigation import ApplyPage, ReviewRoute, Screen

if TYPE_CHECKING:
    from kiosk.ui.demo.person import Person
    from kiosk.ui.window import MainWindow

log = logging.getLogger(__name__)


class Tour(Protocol):
    """What the staff part needs of the visit it follows (kiosk.ui.demo.visit.DemoVisit)."""

    window: MainWindow
    person: Person

    def tap(self, widget: QWidget) -> None: ...

    def shot(self, name: str) -> None: ...

    def put_keys_away(self) -> None: ...


DEMO_PIN = "2468"
DEMO_CARD = {  # a made-up person; the ID number is valid (check digit) but fictional
    "name": "张小敏",
    "sex": "女",
    "ethnicity": "汉",
    "birth_date": "1949-12-31",
    "address": "江苏省苏州市吴中区示范镇人民路8号",
    "id_number": "11010519491231002X",
    "authority": "苏州市公安局吴中分局",
    "valid_from": "2019-06-01",
    "valid_until": "长期",
}


def demo_reader(folder: Path, area: tuple[str, str, str] | None = None) -> SimulatedReader:
    """The reader KIOSK_IDCARD_FILE names, else one with the demo card on it (in ``folder``):
    a card from the hall's own ``area`` (province, city, district) where the catalog names it,
    so another bureau's demo shows none of the sample town."""
    configured = reader_from_env()
    if configured is not None:
        return configured
    folder.mkdir(parents=True, exist_ok=True)
    card = folder / "demo-idcard.json"
    data = dict(DEMO_CARD)
    if area is not None and all(area):
        data["address"] = "".join(area) + "人民路8号"
    card.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return SimulatedReader(card)


@cache
def _demo_hash() -> str:
    return hash_pin(DEMO_PIN)


def settle(window: MainWindow) -> None:
    """Let every background op finish and its result arrive (audit writes chain one more)."""
    app = QApplication.instance()
    for _ in range(50):
        window.background.wait()
        window.staff.background.wait()
        if app is not None:
            app.processEvents()
            app.processEvents()
        if pending_everywhere() == 0:
            return
    log.warning("the staff tour went on with background work still pending")


def staff_tour(visit: Tour, code: str | None = None) -> None:
    """Screenshots of a guide's session: PIN pad, every panel page, the 'helping' strip."""
    window = visit.window
    if not window.ready:
        return
    staff = window.staff
    gate = staff.gate
    configured = gate.pin_hash
    gate.pin_hash = _demo_hash()
    from kiosk.ui.staff.reprint import ReprintPage

    try:
        for _ in range(5):  # five taps in the top-left corner: the hidden way in
            visit.person.tap_at(window.mapToGlobal(QPoint(12, 12)))
        pad = staff.pin_pad
        for index, digit in enumerate(DEMO_PIN):
            if index == 3:
                visit.shot("staff-pin-pad")
            visit.tap(pad.keys[digit])
        visit.tap(pad.enter)
        settle(window)
        if not staff.unlocked:
            log.warning("the demo PIN was refused; the staff tour stops here")
            staff.cancel_entry()
            return
        panel = staff.panel
        for key, page in panel.pages.items():
            visit.tap(panel.tab_buttons[key])
            settle(window)
            if isinstance(page, ReprintPage) and code:
                for symbol in code.upper().replace("-", ""):
                    visit.tap(page.pad.keys[symbol])
                visit.tap(page.go)
                settle(window)
            visit.shot(f"staff-{key}")
        helping_on_a_form(visit)
        leave = staff.bar if staff.bar.isVisible() else panel.band  # the band on screen
        visit.tap(leave.buttons["exit_staff"])
        settle(window)
        window.reset_visit()
    finally:
        gate.pin_hash = configured


def helping_on_a_form(visit: Tour) -> None:
    """ "Help this visitor" on a bundle's shared page: the card read, a value staff typed, the
    review with both marked."""
    from kiosk.ui.screens.apply import ApplyScreen
    from kiosk.ui.screens.review import ReviewScreen
    from kiosk.ui.widgets.fields import TextField

    window = visit.window
    catalog = window.session.catalog
    bundle = catalog.bundles.get("BD-START-FOOD") or next(iter(catalog.bundles.values()), None)
    staff = window.staff
    if bundle is None:
        visit.tap(staff.panel.band.buttons["assist"])
        settle(window)
        visit.shot("staff-assist")
        return
    window.session.start_bundle(bundle)  # the visitor the guide comes to help is on a form
    window.go(ApplyPage(0))
    visit.tap(staff.panel.band.buttons["assist"])
    settle(window)
    apply = window.screens[Screen.APPLY]
    assert isinstance(apply, ApplyScreen)
    if apply.id_card.isVisible():
        visit.tap(apply.id_card.read)
        settle(window)
    typed = next(
        (w for k, w in apply.fields.items() if isinstance(w, TextField) and not w.value()), None
    )
    if typed is not None:  # staff type one value for the visitor: it is marked as theirs
        visit.person.fill(typed.edit, str(typed.slot.field.example or "示范"))
        visit.put_keys_away()
        settle(window)
    visit.shot("staff-assist-form")
    window.go(ReviewRoute())
    review = window.screens[Screen.REVIEW]
    assert isinstance(review, ReviewScreen)
    settle(window)
    visit.shot("staff-assist-review")
