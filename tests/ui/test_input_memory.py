"""Keys tapped again and again leave nothing behind (memory over a day of visits).

Two Qt Quick leaks (Qt 6.11.3) made a visit typed on the keys grow (bench/bench_ui.py):

- Qt Virtual Keyboard's keys sit under one MultiPointTouchArea.  For each mouse press
  on it Qt makes a TouchPoint and never deletes it (its mouseReleaseEvent takes the
  point off the list that would have): about 0.5 kB a tap.  keyboard.qml lends the
  area a TouchPoint of its own, which it reuses.
- A State applied and reverted by its ``when`` keeps about 90 bytes each time; the
  default style shows a pressed key with one (two a tap).  keyboard.qml draws the
  keys tapped most — letters and digits, ⌫, &123 — as the default does, without States.

A third is PySide6's: a box that connects a signal to one of its own methods not declared
a ``@Slot`` gets a meta-object of its own, and the keyboard's QML keeps a property cache
for every meta-object it has wrapped (~2 kB for every such box ever focused).

These tests count objects (the TouchPoints handed out, the States under the keys, the
meta-objects), not memory.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QPointingDevice
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from kiosk.ui.demo.person import settle
from kiosk.ui.input.keyboard import OnScreenKeyboard
from kiosk.ui.window import screen_types

from .test_input import open_search

TYPED = "gtggtggtgg"  # ten keys


class TouchPointCount:
    """The TouchPoints the keys' touch area hands to its presses: how many different ones,
    and how many of them Qt has deleted since."""

    def __init__(self, keyboard: OnScreenKeyboard):
        root = keyboard.rootObject()
        area = root.findChild(QQuickItem, "keyboardInputArea") if root is not None else None
        assert area is not None, "Qt Virtual Keyboard's touch area (objectName keyboardInputArea)"
        self.presses = 0
        self.made = 0
        self.deleted = 0
        area.pressed.connect(self._pressed)  # type: ignore[attr-defined]  # a QML signal

    @property
    def alive(self) -> int:
        return self.made - self.deleted

    def _pressed(self, points: list[QObject]) -> None:
        for point in points:
            self.presses += 1
            if point.property("kiosk_counted") is None:  # a TouchPoint not seen before
                point.setProperty("kiosk_counted", True)
                self.made += 1
                point.destroyed.connect(self._deleted)

    def _deleted(self) -> None:
        self.deleted += 1


def test_mouse_taps_on_keys_leave_no_touch_points_behind(make_window):
    window = make_window()
    person, page, keyboard = open_search(window)
    count = TouchPointCount(keyboard)
    for letter in TYPED:
        person.key(letter)  # a press and a release through Qt, as a mouse gives them
    assert page.search.text() == TYPED
    assert count.presses == len(TYPED)
    assert count.alive <= 1, f"{count.alive} TouchPoints kept for {count.presses} taps"


def test_a_finger_types_too_and_leaves_no_touch_points_behind(make_window):
    """A touch screen's touches take Qt's other way (touch events): the TouchPoint lent for
    the mouse serves a finger as well, and the keys still type."""
    window = make_window()
    person, page, keyboard = open_search(window)
    count = TouchPointCount(keyboard)
    finger = QTest.createTouchDevice(QPointingDevice.DeviceType.TouchScreen)
    for letter in TYPED:
        key = next(k for k in keyboard.visible_keys() if k.label == letter)
        at = keyboard.mapFromGlobal(key.centre)
        QTest.touchEvent(keyboard, finger).press(0, at, keyboard).commit()
        QTest.touchEvent(keyboard, finger).release(0, at, keyboard).commit()
        settle()
    person.wait_for(lambda: page.search.text() == TYPED, "the letters typed by touch")
    assert count.presses == len(TYPED)
    assert count.alive <= 1, f"{count.alive} TouchPoints kept for {count.presses} touches"


def key_items(item: QQuickItem, found: list[QQuickItem]) -> list[QQuickItem]:
    """Every visible key of the keyboard (letters, digits and function keys alike)."""
    for child in item.childItems():
        if not child.isVisible():
            continue
        if child.property("key") is not None and child.property("displayText") is not None:
            found.append(child)
        key_items(child, found)
    return found


def kind(key: QQuickItem) -> str:
    return key.metaObject().className().split("_QML", 1)[0]  # Key, BackspaceKey, …


def states_in(item: QObject) -> int:
    return sum(o.metaObject().className() == "QQuickState" for o in item.findChildren(QObject))


def test_the_keys_tapped_most_are_drawn_without_qml_states(make_window):
    window = make_window()
    person, _, keyboard = open_search(window)
    person.key("symbols")  # the digits' page too
    for _ in range(2):
        keys = key_items(keyboard.rootObject(), [])
        most = [k for k in keys if kind(k) in ("Key", "BackspaceKey", "SymbolModeKey")]
        assert len(most) >= 20, [kind(k) for k in keys]
        with_states = [str(k.property("displayText")) for k in most if states_in(k)]
        assert not with_states, f"keys drawn with QML States (leak on every tap): {with_states}"
        person.key("symbols")  # back to the letters


def test_a_pressed_key_still_looks_pressed(make_window):
    window = make_window()
    person, page, keyboard = open_search(window)
    key = next(k for k in key_items(keyboard.rootObject(), []) if k.property("text") == "q")
    face = key.findChild(QQuickItem, "keyFace")
    assert face is not None and face.opacity() == 1
    at = keyboard.mapFromGlobal(next(k for k in keyboard.visible_keys() if k.label == "q").centre)
    left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    QTest.mousePress(keyboard, left, none, at)
    person.wait_for(lambda: face.opacity() < 1, "the key to look pressed")
    QTest.mouseRelease(keyboard, left, none, at)
    person.wait_for(lambda: face.opacity() == 1, "the key to look as before")
    assert page.search.text() == "q"


def _text_box_classes() -> list[type[QWidget]]:
    screen_types()  # every screen's module, and with them every box they make
    found: list[type[QWidget]] = []
    todo: list[type[QWidget]] = [QLineEdit, QPlainTextEdit]
    while todo:
        for sub in todo.pop().__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("kiosk."):
                found.append(sub)
    return found


def test_every_kind_of_text_box_shares_one_meta_object(qapp):
    """The keyboard wraps each focused box in QML; a box with a meta-object of its own
    would leave a property cache behind for good."""
    classes = _text_box_classes()
    assert {c.__name__ for c in classes} >= {"NextLineEdit", "GroupedLineEdit"}
    own = []
    for cls in classes:
        first, second = cls(), cls()
        pointers = {shiboken6.getCppPointer(box.metaObject())[0] for box in (first, second)}
        if len(pointers) > 1:
            own.append(cls.__name__)
        for box in (first, second):
            box.deleteLater()
    settle()
    assert not own, f"a meta-object for every box: {own} (declare the slots they connect)"
