"""The way in: five quick corner taps or the key chord open the PIN pad; five wrong PINs lock
entry for five minutes with a calm countdown; nothing else reaches staff functions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from kiosk.staff_pin import LOCKOUT_SECONDS, MAX_ATTEMPTS
from kiosk.ui.navigation import CatalogRoute, Intent, Screen
from kiosk.ui.staff.entry import TAP_WINDOW_S
from tests.ui.visitor import tap

from .conftest import PIN
from .steps import actions, chord, corner_taps, settle, shown, type_pin


def test_five_quick_taps_in_the_corner_open_the_pin_pad(make_kiosk, qtbot):
    kiosk = make_kiosk()
    window, clock = kiosk.window, kiosk.clock
    corner_taps(window, 4)
    assert not window.staff.pin_pad_open(), "four taps are not the gesture"
    clock.advance(TAP_WINDOW_S + 0.5)
    corner_taps(window, 1)
    assert not window.staff.pin_pad_open(), "taps spread over more than three seconds do not count"
    corner_taps(window, 3)
    assert not window.staff.pin_pad_open()
    corner_taps(window, 1)
    assert window.staff.pin_pad_open(), "five taps within three seconds"
    assert "导服人员登录" in shown(window.staff.pin_pad)
    tap(window.staff.pin_pad.cancel)
    assert not window.staff.pin_pad_open()
    assert window.current is Screen.HOME and not window.staff.unlocked


def test_the_key_chord_opens_the_pin_pad_and_the_right_pin_the_panel(make_kiosk, qtbot):
    window = make_kiosk().window
    chord(window)
    assert window.staff.pin_pad_open()
    pad = window.staff.pin_pad
    for digit in PIN:
        tap(pad.keys[digit])
    assert pad.dots.text() == "● ● ● ●", "the PIN shows as dots only"
    tap(pad.enter)
    qtbot.waitUntil(lambda: window.staff.unlocked, timeout=30_000)
    settle(window, qtbot)
    assert not window.staff.pin_pad_open()
    assert window.staff.panel_open()
    assert "导服模式" in shown(window.staff.panel)


def test_a_plain_s_or_other_keys_do_nothing(make_kiosk, qtbot):
    window = make_kiosk().window
    QTest.keyClick(window, Qt.Key.Key_S)
    QTest.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert not window.staff.pin_pad_open()


def test_visitors_reach_no_staff_function_without_the_pin(make_kiosk, qtbot):
    kiosk = make_kiosk()
    window = kiosk.window
    assert window.staff._panel is None, "the panel is not even built before a PIN"
    chord(window)
    type_pin(window, "1357")
    settle(window, qtbot)
    assert not window.staff.unlocked and window.staff._panel is None
    assert "密码不正确，还可以再试 4 次" in shown(window.staff.pin_pad)
    window.staff.assist()  # even asked directly: nothing happens while locked
    window.staff.show_panel()
    assert window.staff._panel is None
    assert actions(kiosk.services) == ["staff_pin_refused"]


def test_five_wrong_pins_lock_entry_and_it_opens_after_the_wait(make_kiosk, qtbot):
    kiosk = make_kiosk()
    window, clock = kiosk.window, kiosk.clock
    chord(window)
    pad = window.staff.pin_pad
    for _ in range(MAX_ATTEMPTS):
        type_pin(window, "0000")
        settle(window, qtbot)
    message = pad.message.text()
    assert "暂停登录" in message and pad.dots.text() == "5:00", message
    assert not any(key.isEnabled() for key in pad.keys.values()), "no typing while locked"
    assert not pad.enter.isEnabled()
    clock.advance(61)
    qtbot.waitUntil(lambda: pad.dots.text() == "3:59", timeout=30_000)  # a calm countdown
    tap(pad.cancel)
    chord(window)
    assert pad.dots.text() == "3:59", "closing and reopening the pad does not lift the lock"
    QTest.keyClicks(pad, PIN)  # a maintenance keyboard cannot type either
    QTest.keyClick(pad, Qt.Key.Key_Return)
    settle(window, qtbot)
    assert not window.staff.unlocked and pad.dots.text() == "3:59" and pad.typed == 0
    clock.advance(LOCKOUT_SECONDS - 60)
    qtbot.waitUntil(lambda: pad.keys["1"].isEnabled(), timeout=30_000)
    assert pad.message.text() == "请输入导服密码"
    type_pin(window, PIN)
    qtbot.waitUntil(lambda: window.staff.unlocked, timeout=30_000)
    settle(window, qtbot)
    trail = actions(kiosk.services)
    assert trail == ["staff_pin_refused"] * MAX_ATTEMPTS + ["staff_locked", "staff_enter"]


def test_without_a_configured_pin_nobody_gets_in(make_kiosk, qtbot):
    window = make_kiosk(pin=None).window
    chord(window)
    pad = window.staff.pin_pad
    assert pad.message.text() == "本机暂时不能进入导服模式，请联系大厅工作人员。"
    assert "kiosk" not in pad.message.text(), "whoever tapped the corner sees no operator command"
    assert not pad.keys["2"].isEnabled()
    pad.submit()
    assert not window.staff.unlocked


def test_an_abandoned_pin_pad_closes_itself_and_the_visit_goes_on(make_kiosk, qtbot):
    window = make_kiosk().window
    window.go(CatalogRoute(Intent.APPLY))
    window.countdown.start(15, "zh")  # "are you still there?" was showing when a guide came
    chord(window)
    assert not window.countdown.running and not window.idle.active, "no countdown over the pad"
    window.staff.idle.set_timeout(1)  # STAFF_IDLE_SECONDS, shortened for the test
    qtbot.waitUntil(lambda: not window.staff.pin_pad_open(), timeout=30_000)
    assert window.idle.active and window.current is Screen.CATALOG


def test_a_lockout_survives_restarting_the_kiosk(make_kiosk, make_window, qtbot):
    kiosk = make_kiosk()
    window = kiosk.window
    chord(window)
    for _ in range(MAX_ATTEMPTS):
        type_pin(window, "0000")
        settle(window, qtbot)
    assert "暂停登录" in window.staff.pin_pad.message.text()
    tap(window.staff.pin_pad.cancel)
    # The plug is pulled and the kiosk starts again with the same configuration.
    restarted = make_window(settings=kiosk.settings)
    restarted.staff.open_entry("gesture")  # (two windows here: the chord would be ambiguous)
    pad = restarted.staff.pin_pad
    assert "暂停登录" in pad.message.text(), pad.message.text()
    assert not any(key.isEnabled() for key in pad.keys.values())
    assert restarted.staff.gate.locked_for() > LOCKOUT_SECONDS - 60
