"""Idle and privacy: a countdown, then every trace of the visitor is gone."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from kiosk.config import Settings
from kiosk.ui.demo import page_of
from kiosk.ui.navigation import (
    BundleRoute,
    CatalogRoute,
    EventsRoute,
    Intent,
    PreviewRoute,
    RatingTarget,
    Screen,
    StatusRoute,
    TicketRoute,
)
from kiosk.ui.screens.catalog import CatalogScreen

from .conftest import window_services
from .test_bundle import fill_bundle
from .visitor import tap, type_into

QUICK = Settings(idle_seconds=2, form_idle_seconds=2, countdown_seconds=1)
PERSONAL = ("张小敏", "11010519491231002X", "13812345678", "示范镇小敏餐饮店", "zhangxiaomin")


def every_text(window: QWidget) -> list[str]:
    """All text held by any widget, shown or hidden (or waiting to be deleted)."""
    found: list[str] = []
    for widget in window.findChildren(QWidget):
        if isinstance(widget, QLineEdit | QLabel | QAbstractButton):
            found.append(widget.text())
            found.append(widget.text().replace(" ", ""))  # a number shown in groups
        if isinstance(widget, QPlainTextEdit | QTextEdit):
            found.append(widget.toPlainText())
        if isinstance(widget, QLineEdit):
            found.append(widget.placeholderText())
    return found


def test_idle_reset_leaves_nothing_personal_in_any_widget(make_window, qtbot):
    window = make_window(settings=QUICK)
    window.go(CatalogRoute(Intent.APPLY))
    type_into(window, page_of(window, CatalogScreen).search, "zhangxiaomin")
    fill_bundle(window)
    assert window.current is Screen.REVIEW
    held = " ".join(every_text(window))
    assert all(value in held for value in PERSONAL[:4]), "the visit really left traces"
    tap(window.header.language)  # the visitor's language is forgotten too

    qtbot.waitUntil(lambda: window.countdown.isVisible(), timeout=30_000)
    qtbot.waitUntil(lambda: window.current is Screen.HOME, timeout=30_000)

    leftovers = [t for t in every_text(window) for v in PERSONAL if v in t]
    assert not leftovers
    undoable = [e for e in window.findChildren(QLineEdit) if e.isUndoAvailable()]
    assert not undoable, "an undo history would bring a value back"
    session = window.session
    assert (session.item, session.bundle, session.chosen) == (None, None, [])
    assert (session.consultation, session.filling, session.notice) == (None, None, None)
    assert session.language == "zh"
    assert window.header.language.text() == "English"
    assert not window.countdown.isVisible()


def test_continue_keeps_the_visit(make_window, qtbot):
    window = make_window(settings=QUICK)
    window.go(BundleRoute("BD-TEST"))
    tap(window.page().next)
    qtbot.waitUntil(lambda: window.countdown.isVisible(), timeout=30_000)
    assert window.countdown.number.text() == "1"
    assert "1 秒后将回到首页" in window.countdown.body.text()
    tap(window.countdown.resume)
    assert not window.countdown.isVisible()
    assert window.current is Screen.CONSULT
    assert window.session.bundle is not None


def test_a_touch_anywhere_on_the_countdown_also_continues(make_window, qtbot):
    window = make_window(settings=QUICK)
    window.go(EventsRoute())
    qtbot.waitUntil(lambda: window.countdown.isVisible(), timeout=30_000)
    corner = window.countdown.rect().topLeft()  # on the dimmed screen, away from the dialog
    QTest.mouseClick(window.countdown, Qt.MouseButton.LeftButton, pos=corner)
    assert not window.countdown.isVisible()
    assert window.current is Screen.EVENTS


def test_forms_wait_longer_than_other_screens(make_window):
    window = make_window(settings=Settings(idle_seconds=60, form_idle_seconds=120))
    window.go(EventsRoute())
    assert window.idle.seconds == 60
    window.session.start_item(window.session.catalog.items["T-SEAL"])
    from kiosk.ui.navigation import ApplyPage

    window.go(ApplyPage(0))
    assert window.idle.seconds == 120


def test_an_idle_home_in_english_quietly_returns_to_chinese(make_window, qtbot):
    window = make_window(settings=QUICK)
    tap(window.header.language)
    qtbot.waitUntil(lambda: window.session.language == "zh", timeout=30_000)
    assert not window.countdown.isVisible()
    assert window.header.language.text() == "English"


def test_idle_reset_also_empties_the_new_screens_and_closes_the_preview(
    make_window, make_kiosk, qtbot
):
    from kiosk.ui.screens.done import DoneScreen
    from kiosk.ui.screens.preview import PreviewScreen
    from kiosk.ui.screens.rating import RatingScreen
    from kiosk.ui.screens.review import ReviewScreen
    from kiosk.ui.screens.status import StatusScreen
    from kiosk.ui.screens.ticket import TicketScreen

    from .visitor import settle_work, type_into

    window = make_window(settings=QUICK, services=window_services(make_kiosk()))
    window.idle.pause()  # the visit below takes its time; the countdown comes after
    window.go(TicketRoute())
    ticket = page_of(window, TicketScreen)
    type_into(window, ticket.id_edit, PERSONAL[1])
    window.go(StatusRoute())
    type_into(window, page_of(window, StatusScreen).code_edit, "R8WJ2MN4TP")
    window.go(RatingTarget())
    type_into(window, page_of(window, RatingScreen).code_edit, "R8WJ2MN4TP")
    fill_bundle(window)
    tap(page_of(window, ReviewScreen).submit_button)
    settle_work(window)
    preview = page_of(window, PreviewScreen).preview
    assert preview.loaded
    tap(page_of(window, PreviewScreen).submit_button)
    settle_work(window)
    done = page_of(window, DoneScreen)
    code = done.done.code if done.done else None
    assert code and code[:5] in done.code.text()  # beside the number this kiosk issued
    window.go(PreviewRoute())  # back on the preview when the visitor walks away
    settle_work(window)
    assert preview.loaded and preview.held_bytes() > 0
    held = " ".join(every_text(window))
    assert PERSONAL[1] in held and "R8WJ2-MN4TP" in held

    window.idle.resume()
    qtbot.waitUntil(lambda: window.countdown.isVisible(), timeout=30_000)
    qtbot.waitUntil(lambda: window.current is Screen.HOME, timeout=30_000)
    values = (*PERSONAL, "R8WJ2-MN4TP", code[:5])
    leftovers = [t for t in every_text(window) for v in values if v in t]
    assert not leftovers
    assert not preview.loaded and preview.held_bytes() == 0, "the preview is deleted"
    assert done.done is None
