"""What a guide does, as test steps: the chord or the corner taps, the PIN, a panel page."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from sqlalchemy import select

from kiosk.services import KioskServices
from kiosk.store.models import AuditEvent
from kiosk.ui.background import pending_everywhere
from kiosk.ui.staff.base import StaffPage
from kiosk.ui.window import MainWindow
from tests.ui.visitor import tap, texts

from .conftest import PIN

CHORD_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.ShiftModifier
)


def settle(window: MainWindow, qtbot) -> None:
    """Wait until every background op (service calls, audit writes) has been delivered."""
    qtbot.waitUntil(lambda: pending_everywhere() == 0, timeout=15_000)
    # Widgets a result added to a visible page are shown by a queued call (QLayout's
    # addChildWidget posts _q_showIfNotHidden): let it run before reading what is shown.
    QApplication.processEvents()


def chord(window: MainWindow) -> None:
    QTest.keyClick(window, Qt.Key.Key_S, CHORD_MODIFIERS)


def corner_taps(window: MainWindow, count: int = 5) -> None:
    for _ in range(count):
        tap(window.staff.corner)


def type_pin(window: MainWindow, pin: str) -> None:
    pad = window.staff.pin_pad
    for digit in pin:
        tap(pad.keys[digit])
    tap(pad.enter)


def enter_staff(window: MainWindow, qtbot, pin: str = PIN) -> None:
    chord(window)
    assert window.staff.pin_pad_open()
    type_pin(window, pin)
    qtbot.waitUntil(lambda: window.staff.unlocked, timeout=30_000)
    settle(window, qtbot)


def open_page(window: MainWindow, qtbot, key: str) -> StaffPage:
    panel = window.staff.panel
    tap(panel.tab_buttons[key])
    settle(window, qtbot)
    page = panel.pages[key]
    assert panel.current is page
    return page


def shown(widget) -> str:
    return "\n".join(texts(widget, visible_only=True))


def audit_trail(services: KioskServices) -> list[AuditEvent]:
    with services.store.sessions() as session:
        return list(session.scalars(select(AuditEvent).order_by(AuditEvent.at, AuditEvent.id)))


def actions(services: KioskServices) -> list[str]:
    return [event.action for event in audit_trail(services)]


def write_card(path: Path, **changes: object) -> None:
    card = {
        "name": "张小敏",
        "sex": "女",
        "ethnicity": "汉",
        "birth_date": "1949-12-31",
        "address": "江苏省苏州市吴中区示范镇人民路8号",
        "id_number": "11010519491231002X",
        "authority": "苏州市公安局吴中分局",
        "valid_from": "2020-01-01",
        "valid_until": "长期",
    }
    card.update(changes)
    path.write_text(json.dumps(card, ensure_ascii=False), encoding="utf-8")
