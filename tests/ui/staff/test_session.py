"""A staff session: its audit trail, leaving by itself after two idle minutes, the defaults for
the next visitors, and closing the kiosk (audited, services closed, the application ended)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kiosk.config import load_settings
from kiosk.staff_pin import STAFF_IDLE_SECONDS
from kiosk.ui.navigation import Screen
from tests.services.conftest import url_text
from tests.ui.visitor import tap

from .steps import audit_trail, enter_staff, open_page, settle, shown


def test_every_staff_action_is_in_the_audit_trail(make_kiosk, qtbot):
    kiosk = make_kiosk()
    window = kiosk.window
    started = datetime.now(UTC) - timedelta(seconds=1)
    enter_staff(window, qtbot)
    sync = open_page(window, qtbot, "sync")
    tap(sync.sync_button)
    settle(window, qtbot)
    printers = open_page(window, qtbot, "printers")
    tap(printers.test_buttons["ticket"])
    settle(window, qtbot)
    settings = open_page(window, qtbot, "kiosk")
    tap(settings.themes["elder"])
    settle(window, qtbot)
    tap(window.staff.panel.band.buttons["exit_staff"])
    settle(window, qtbot)
    trail = audit_trail(kiosk.services)
    assert [(e.action, e.subject) for e in trail] == [
        ("staff_enter", "home"),
        ("sync_now", None),
        ("test_page", "ticket"),
        ("set_default_theme", "elder"),
        ("staff_exit", None),
    ]
    assert all(e.actor == "staff" for e in trail)
    assert all(started <= e.at.replace(tzinfo=e.at.tzinfo or UTC) for e in trail), "when"
    assert trail[2].detail["accepted"] is True
    assert trail[-1].detail == {"reason": "button"}
    assert not window.staff.unlocked and not window.staff.panel_open()


def test_staff_mode_leaves_itself_when_left_alone(make_kiosk, qtbot):
    kiosk = make_kiosk()
    window = kiosk.window
    assert window.staff.idle.seconds == STAFF_IDLE_SECONDS == 120
    enter_staff(window, qtbot)
    reprint = open_page(window, qtbot, "reprint")
    reprint.pad.press("A00")
    window.staff.idle.set_timeout(1)  # two minutes, shortened for the test
    qtbot.waitUntil(lambda: not window.staff.unlocked, timeout=30_000)
    settle(window, qtbot)
    assert not window.staff.panel_open()
    assert reprint.code.text() == "", "what staff typed is not left for the next person"
    assert window.current is Screen.HOME
    exits = [e for e in audit_trail(kiosk.services) if e.action == "staff_exit"]
    assert [e.detail for e in exits] == [{"reason": "idle"}]
    assert window.idle.active, "the visitor's idle watch runs again"


def test_the_defaults_for_the_next_visitors(make_kiosk, qtbot):
    kiosk = make_kiosk()
    window = kiosk.window
    enter_staff(window, qtbot)
    page = open_page(window, qtbot, "kiosk")
    tap(page.languages["en"])
    tap(page.themes["elder"])
    assert page.languages["en"].isChecked() and page.themes["elder"].isChecked()
    assert window.theme.name == "elder"
    tap(window.staff.panel.band.buttons["exit_staff"])
    settle(window, qtbot)
    assert window.settings.language == "en" and window.settings.theme == "elder"
    assert window.session.language == "en", "the home screen greets the next visitor in English"
    assert "Hello" in shown(window.page())
    window.toggle_language()
    window.reset_visit()  # a visitor came and went
    assert window.session.language == "en"
    qtbot.waitUntil(lambda: window.settings.source.exists(), timeout=30_000)
    settle(window, qtbot)
    actions = [(e.action, e.subject) for e in audit_trail(kiosk.services)]
    assert ("set_default_language", "en") in actions and ("set_default_theme", "elder") in actions
    # kept across a restart: the next start reads them from the config file
    reloaded = load_settings(window.settings.source)
    assert (reloaded.language, reloaded.theme) == ("en", "elder")


def test_closing_the_kiosk_takes_two_presses_and_closes_the_services(make_kiosk, qtbot):
    kiosk = make_kiosk()
    window = kiosk.window
    enter_staff(window, qtbot)
    page = open_page(window, qtbot, "kiosk")
    tap(page.exit_button)
    assert page.exit_button.text() == "再按一次确认关闭" and kiosk.quits == []
    tap(page.exit_button)
    qtbot.waitUntil(lambda: kiosk.quits == ["quit"], timeout=30_000)
    settle(window, qtbot)
    trail = audit_trail(kiosk.services)
    assert [e.action for e in trail][-1] == "exit_kiosk" and trail[-1].subject == "kiosk-07"


@pytest.mark.db
def test_closing_the_kiosk_stops_the_sync_worker(make_kiosk, qtbot, pg_bureau_url):
    kiosk = make_kiosk(bureau=url_text(pg_bureau_url))
    services = kiosk.services
    services.start()
    assert services.sync is not None and services.sync.state().running
    enter_staff(kiosk.window, qtbot)
    page = open_page(kiosk.window, qtbot, "kiosk")
    tap(page.exit_button)
    tap(page.exit_button)
    qtbot.waitUntil(lambda: kiosk.quits == ["quit"], timeout=20_000)
    assert not services.sync.state().running
