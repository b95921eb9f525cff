"""The window shell: frameless fullscreen, close ignored, navigation, help, every home tile."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from kiosk.ui.demo import page_of
from kiosk.ui.navigation import Screen
from kiosk.ui.screens.home import TILES, HomeScreen
from kiosk.ui.services import InMemoryHelpDesk, Services

from .visitor import tap, texts


def test_frameless_fullscreen_on_the_primary_screen(make_window):
    window = make_window()
    window.show_kiosk()
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert window.windowState() & Qt.WindowState.WindowFullScreen
    assert window.geometry() == QGuiApplication.primaryScreen().geometry()


def test_close_requests_are_ignored(make_window):
    window = make_window()
    assert window.close() is False
    assert window.isVisible()


def test_every_home_tile_leads_to_its_screen(make_window, make_kiosk):
    window = make_window(services=Services.of(make_kiosk()))
    home = page_of(window, HomeScreen)
    for tile in TILES:
        window.home()
        tap(home.tiles[tile.key])
        assert window.current is tile.screen, tile.key
        assert window.stack.currentWidget() is window.screens[tile.screen]


def test_back_retraces_the_visit_and_home_starts_over(make_window):
    window = make_window()
    window.go(Screen.BUNDLES)
    window.go(Screen.BUNDLE, "BD-TEST")
    window.go(Screen.SOON, "ticket")
    tap(window.page().back_button)
    assert window.current is Screen.BUNDLE
    tap(window.page().back_button)
    assert window.current is Screen.BUNDLES
    tap(window.page().home_button)
    assert window.current is Screen.HOME
    window.back()  # nothing behind home: stays home
    assert window.current is Screen.HOME


def test_leaving_a_form_page_keeps_what_was_typed(make_window):
    """The leave hook commits the page: back and forth does not lose a value."""
    window = make_window()
    window.session.start_item(window.session.catalog.items["T-SEAL"])
    from kiosk.ui.navigation import ApplyPage

    from .visitor import type_text

    window.go(Screen.APPLY, ApplyPage(0))
    type_text(window, "T-SEAL.applicant_name", "王小明")
    window.back()
    window.go(Screen.APPLY, ApplyPage(0))
    assert window.session.filling.get("T-SEAL.applicant_name").value == "王小明"
    assert "王小明" in texts(window.page())


def test_calling_a_guide_records_the_request_in_the_background(make_window, qtbot):
    desk = InMemoryHelpDesk()
    window = make_window(services=Services(desk))
    window.go(Screen.CATALOG, "guide")
    tap(window.header.guide)
    qtbot.waitUntil(lambda: window.toast.isVisible(), timeout=5000)
    assert [(r.screen, r.language) for r in desk.requests] == [("catalog", "zh")]
    assert "导服" in window.toast.message.text()


def test_a_failed_help_request_tells_the_visitor_what_to_do(make_window, qtbot):
    class UnreachableDesk:
        def request_help(self, screen, language="zh"):
            raise ConnectionError("bureau database unreachable")

    window = make_window(services=Services(UnreachableDesk()))
    tap(window.header.guide)
    qtbot.waitUntil(lambda: window.toast.isVisible(), timeout=5000)
    assert "招手" in window.toast.message.text()


def test_slow_work_shows_the_busy_indicator_and_the_window_keeps_painting(make_window, qtbot):
    release = threading.Event()

    class SlowDesk:
        def request_help(self, screen, language="zh"):
            release.wait(10)

    window = make_window(services=Services(SlowDesk()))
    tap(window.header.guide)
    qtbot.waitUntil(lambda: window.busy.isVisible(), timeout=5000)
    assert window.busy.message.text() == "请稍候…"
    window.grab()  # the GUI thread is free: it can still paint
    release.set()
    qtbot.waitUntil(lambda: not window.busy.isVisible(), timeout=5000)
    qtbot.waitUntil(lambda: window.toast.isVisible(), timeout=5000)
