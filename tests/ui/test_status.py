"""办件查询: typed on the code keyboard or scanned (a keyboard that ends with Enter); the answer
from the bureau's database, or an honest "cannot reach the bureau right now"."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kiosk.app import main
from kiosk.ui.demo import page_of
from kiosk.ui.demo.person import Person
from kiosk.ui.navigation import Screen
from kiosk.ui.screens.done import DoneScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.status import StatusScreen, code_in
from tests.services.conftest import closed_port_url

from .conftest import window_services
from .test_rating import submitted
from .visitor import settle_work, tap


def url_text(url) -> str:
    return url.render_as_string(hide_password=False)


def ask(window, code: str) -> StatusScreen:
    """Type the code on the code keyboard and press 查询."""
    if window.current is not Screen.STATUS:
        tap(page_of(window, HomeScreen).tiles["tile_status"])
    page = page_of(window, StatusScreen)
    visitor = Person(window)
    visitor.fill(page.code_edit, code)  # on the code pad the dock opens for it
    visitor.tap(window.dock.hide_button)
    tap(page.query_button)
    settle_work(window)
    return page


def scan(window, scanned: str) -> StatusScreen:
    """A barcode scanner: keystrokes into whatever has the focus, then Enter."""
    tap(page_of(window, HomeScreen).tiles["tile_status"])
    page = page_of(window, StatusScreen)
    assert page.code_edit.hasFocus(), "the code box holds the focus for the scanner"
    QTest.keyClicks(page.code_edit, scanned)
    QTest.keyClick(page.code_edit, Qt.Key.Key_Return)
    settle_work(window)
    return page


def test_the_code_is_found_in_what_a_qr_code_holds():
    assert code_in("https://zwfw.example/q/K7QXM3P9RT") == "K7QXM3P9RT"
    assert code_in("https://zwfw.example/status?code=k7qxm-3p9rt&lang=zh") == "K7QXM3P9RT"
    assert code_in(" k7qxm 3p9rt ") == "K7QXM3P9RT"
    assert code_in("K7QXM3P9RT") == "K7QXM3P9RT"
    assert code_in("hello") == "hello"  # nothing code-shaped: asked as typed (and not found)


@pytest.mark.db
def test_online_the_status_comes_from_the_bureau(make_window, make_kiosk, pg_bureau_url):
    kiosk = make_kiosk(bureau=url_text(pg_bureau_url))
    window = make_window(services=window_services(kiosk))
    code = submitted(window).done.code
    assert code is not None
    tap(page_of(window, DoneScreen).finish_button)
    kiosk.staff.sync_now()  # as the sync worker would, a moment later
    assert main(["bureau", "set-status", "--bureau", url_text(pg_bureau_url), code, "ready"]) == 0

    page = scan(window, f"https://zwfw.example/q/{code}")
    assert page.code_edit.text() == f"{code[:5]}-{code[5:]}"
    assert page.state.text() == "已办结，可到窗口领取结果"
    assert page.note.text() == "以上为审批局系统的实时进度。"
    assert "办理事项：我要开小店" in page.details.text()
    assert page.result.property("tone") == "ok"


def test_offline_the_kiosk_says_so_and_shows_what_it_last_saw(make_window, make_kiosk):
    kiosk = make_kiosk(bureau=closed_port_url())  # the bureau cannot be reached at all
    window = make_window(services=window_services(kiosk))
    code = submitted(window).done.code
    assert code is not None
    tap(page_of(window, DoneScreen).finish_button)

    page = ask(window, code)
    assert page.state.text() == "已收件，等待窗口受理"
    assert page.note.text() == "暂时无法连接审批局系统，以下为本机最近一次获取的进度"
    assert page.result.property("tone") == "info"
    assert not window.busy.isVisible()

    page = ask(window, "22222-22222")
    assert page.state.text().startswith("暂时无法连接审批局系统，本机也没有这个编号的记录")
    assert page.result.property("tone") == "no"
    tap(window.header.language)
    assert page.state.text().startswith("The bureau's system cannot be reached right now")


def test_nothing_typed_asks_for_the_code(make_window, make_kiosk):
    window = make_window(services=window_services(make_kiosk()))
    tap(page_of(window, HomeScreen).tiles["tile_status"])
    page = page_of(window, StatusScreen)
    Person(window).tap(window.dock.pad.action_key)  # the code pad is open: its key says 查询
    assert window.dock.pad.action_key.text() == "查询" or not window.dock.isVisible()
    assert page.state.text() == "请先输入办件编号"
    tap(window.header.language)
    assert page.state.text() == "Type the code first"


def test_the_code_keyboard_has_no_ambiguous_keys(make_window, make_kiosk):
    window = make_window(services=window_services(make_kiosk()))
    tap(page_of(window, HomeScreen).tiles["tile_status"])
    assert page_of(window, StatusScreen).code_edit.hasFocus()
    pad = window.dock.pad
    assert pad.isVisible(), "the code pad is open on arrival"
    assert not {"0", "1", "I", "O"} & set(pad.keys)
    assert len(pad.keys) == 32
    keyboard = window.dock.keyboard_ready
    assert keyboard is None or not keyboard.isVisible(), "never the Pinyin keyboard for a code"
