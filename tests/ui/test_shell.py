"""The window shell: frameless fullscreen, close ignored, navigation, help, every home tile."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from kiosk.ui.demo import page_of
from kiosk.ui.navigation import (
    BundleRoute,
    BundlesRoute,
    CatalogRoute,
    Intent,
    ItemRoute,
    Screen,
    TicketRoute,
)
from kiosk.ui.screens.home import TILES, HomeScreen

from .conftest import window_services
from .holds import store_gone, store_held
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


def test_every_home_tile_leads_to_its_screen(make_window):
    window = make_window()
    home = page_of(window, HomeScreen)
    for tile in TILES:
        window.home()
        tap(home.tiles[tile.key])
        assert window.current is tile.route.screen, tile.key
        assert window.stack.currentWidget() is window.screens[tile.route.screen]


def test_a_screen_never_enters_with_an_argument_it_would_ignore(make_window):
    window = make_window()
    for wrong in (Screen.ITEM, "T-SEAL", None):
        with pytest.raises(TypeError, match="not a route"):
            window.go(wrong)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        window.go(Screen.ITEM, "T-SEAL")  # type: ignore[call-arg]  # the old untyped call
    assert window.current is Screen.HOME  # nothing moved
    window.go(ItemRoute("T-SEAL"))
    assert window.current is Screen.ITEM


def test_back_retraces_the_visit_and_home_starts_over(make_window):
    window = make_window()
    window.go(BundlesRoute())
    window.go(BundleRoute("BD-TEST"))
    window.go(TicketRoute())
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

    window.go(ApplyPage(0))
    type_text(window, "T-SEAL.applicant_name", "王小明")
    window.back()
    window.go(ApplyPage(0))
    assert window.session.filling.get("T-SEAL.applicant_name").value == "王小明"
    assert "王小明" in texts(window.page())


def test_calling_a_guide_records_the_request_in_the_background(make_window, make_kiosk, qtbot):
    kiosk = make_kiosk()
    window = make_window(services=window_services(kiosk))
    window.go(CatalogRoute(Intent.GUIDE))
    tap(window.header.guide)
    qtbot.waitUntil(lambda: window.toast.isVisible(), timeout=30_000)
    requests = kiosk.staff.open_help_requests()  # what the staff panel lists
    assert [(r.screen, r.language) for r in requests] == [("catalog", "zh")]
    assert "导服" in window.toast.message.text()


def test_a_failed_help_request_tells_the_visitor_what_to_do(make_window, make_kiosk, qtbot):
    kiosk = make_kiosk()
    window = make_window(services=window_services(kiosk))
    with store_gone(kiosk):
        tap(window.header.guide)
        qtbot.waitUntil(lambda: window.toast.isVisible(), timeout=30_000)
    assert "招手" in window.toast.message.text()


def test_slow_work_shows_the_busy_indicator_and_the_window_keeps_painting(
    make_window, make_kiosk, qtbot
):
    kiosk = make_kiosk()
    window = make_window(services=window_services(kiosk))
    with store_held(kiosk):  # the help request waits for the store
        tap(window.header.guide)
        qtbot.waitUntil(lambda: window.busy.isVisible(), timeout=30_000)
        assert window.busy.message.text() == "请稍候…"
        window.grab()  # the GUI thread is free: it can still paint
        assert not window.toast.isVisible()  # not written yet
    qtbot.waitUntil(lambda: not window.busy.isVisible(), timeout=30_000)
    qtbot.waitUntil(lambda: window.toast.isVisible(), timeout=30_000)
    assert len(kiosk.staff.open_help_requests()) == 1
