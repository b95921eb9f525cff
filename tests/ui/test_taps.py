"""A tap acts on one screen only, and a button once per press (the window's TouchGuard).

These tests use the real 400 ms: two taps 200 ms apart, as a visitor's double tap.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.ui.demo import page_of
from kiosk.ui.demo.person import Person, settle
from kiosk.ui.navigation import HomeRoute, ItemRoute, Screen
from kiosk.ui.screens.consult import ConsultScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.item import ItemScreen

from .visitor import answer

LEFT, NONE = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
NONE_BUTTONS = Qt.MouseButton.NoButton


def double_tap(widget: QWidget, gap_ms: int = 200) -> None:
    """Two quick taps on the spot where ``widget`` is, whatever is there by the second: a press
    and release, then — as Qt reports the second press of a double tap — a double-click and
    a release."""
    Person(widget.window()).bring_into_view(widget)
    point = widget.mapToGlobal(widget.rect().center())
    for kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
        target = QApplication.widgetAt(point)
        assert target is not None
        local = QPointF(target.mapFromGlobal(point))
        for event_type in (kind, QEvent.Type.MouseButtonRelease):
            buttons = NONE_BUTTONS if event_type == QEvent.Type.MouseButtonRelease else LEFT
            event = QMouseEvent(event_type, local, QPointF(point), LEFT, buttons, NONE)
            QApplication.sendEvent(target, event)
        settle()
        if kind == QEvent.Type.MouseButtonPress:
            QTest.qWait(gap_ms)


def test_a_double_tap_on_a_home_tile_opens_one_screen(make_window):
    window = make_window(real_taps=True)
    home = page_of(window, HomeScreen)
    Person(window).wait_for(lambda: not window.guard.quiet)
    double_tap(home.tiles["tile_apply"])
    assert window.current is Screen.CATALOG
    assert window.guard.ignored >= 1, "the second tap was held back"
    assert len(window._history) == 2, "and it opened nothing on the catalog"


def test_a_double_tap_on_yes_answers_one_question(make_window):
    window = make_window(real_taps=True)
    window.go(ItemRoute("T-REG"))
    person = Person(window)
    person.tap(page_of(window, ItemScreen).start)
    consult = page_of(window, ConsultScreen)
    first = consult.question
    yes = next(b for b, v in consult.answer_values.items() if v is True)
    person.wait_for(lambda: not window.guard.quiet)
    double_tap(yes)
    assert consult.question is not None and consult.question is not first
    answered = window.session.consultation.answers
    assert list(answered) == [first.id], "one answer, not two"


def test_a_double_click_on_a_choice_toggles_it_once(make_window):
    window = make_window(real_taps=True)
    window.session.start_item(window.session.catalog.items["T-REG"])
    from kiosk.ui.navigation import ApplyPage

    window.go(ApplyPage(0))
    Person(window).wait_for(lambda: not window.guard.quiet)
    widget = window.page().fields["T-REG.agent_applies"]
    yes = next(b for v, b, _ in widget.options if v is True)
    double_tap(yes, gap_ms=150)
    assert yes.isChecked(), "a double tap is one press for a button"


def test_keys_take_every_press_even_quick_ones(make_window):
    window = make_window(real_taps=True)
    window.session.start_item(window.session.catalog.items["T-SEAL"])
    from kiosk.ui.navigation import ApplyPage

    window.go(ApplyPage(0))
    person = Person(window)
    edit = window.page().fields["T-SEAL.applicant_mobile"].edit
    person.tap(edit)
    double_tap(window.dock.pad.keys["1"], gap_ms=120)
    assert edit.value() == "11", "11 typed quickly is two ones"


def test_a_tap_right_after_the_screen_changed_does_nothing(make_window):
    window = make_window(real_taps=True)
    window.go(ItemRoute("T-REG"))
    start = page_of(window, ItemScreen).start
    point = start.mapToGlobal(start.rect().center())
    window.go(HomeRoute())
    window.go(ItemRoute("T-REG"))  # and at once a tap lands where 开始 is
    target = QApplication.widgetAt(point)
    QTest.mouseClick(target, LEFT, NONE, target.mapFromGlobal(point))
    settle()
    assert window.current is Screen.ITEM
    Person(window).tap(start)  # a moment later the same tap works
    assert window.current is Screen.CONSULT
    answer(window, True)


def test_nothing_is_held_back_a_moment_later(make_window):
    window = make_window(real_taps=True)
    person = Person(window)
    person.tap(page_of(window, HomeScreen).tiles["tile_guide"])
    assert window.current is Screen.CATALOG
    assert window.guard.ignored == 0
