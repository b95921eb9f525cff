"""A person at the kiosk: taps at screen positions, types on the window's own keyboard and pad.

Used by ``kiosk demo`` and by the tests that drive the window as a visitor does.
It never sets a widget's text: it reads what is on screen (a button's words, a
key's face, a Pinyin candidate), taps there, and waits the way a person waits —
until the screen has settled — never a fixed time.

Two ways to tap (:class:`Taps`): ``qtest`` delivers a press and release at the
point through Qt (offscreen: the demo and the window tests); ``xdotool`` moves
the real pointer of an X server and clicks (Xvfb with a window manager: the
end-to-end test), while the window's event loop keeps running.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import tempfile
import time
import unicodedata
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path

from pypinyin import Style, lazy_pinyin, pinyin
from PySide6.QtCore import QEvent, QEventLoop, QPoint, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget

from kiosk.ui.input.kinds import spec_of
from kiosk.ui.widgets.common import TouchScrollArea

log = logging.getLogger(__name__)

CJK = re.compile(r"[\u3400-\u9fff]")
PHRASE = 4  # 汉字 spelled at once: a word or a short phrase, as people type
SWIPES = 12  # along the candidate row before giving up on a character


class Stuck(RuntimeError):
    """The person could not do what the script asked (no such button, key or candidate)."""


class Taps(StrEnum):
    QTEST = "qtest"
    XDOTOOL = "xdotool"


def settle() -> None:
    """Let the window finish what a tap started (layouts, posted events, deletions)."""
    app = QApplication.instance()
    if app is None:
        return
    for _ in range(3):
        app.processEvents()
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def wait_for(condition: Callable[[], bool], timeout_s: float = 30.0, what: str = "") -> None:
    """Run the event loop until ``condition()`` holds; Stuck after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise Stuck(f"waited {timeout_s:.0f} s for {what or 'the screen'}")
        loop = QEventLoop()
        # With the loop as context: PySide6 6.11 leaks ~55 bytes on every timed singleShot
        # to a bare C++ slot (singleShot(15, loop.quit)), which a scripted visit makes
        # thousands of times (tests/ui/test_binding.py).
        QTimer.singleShot(15, loop, loop.quit)
        loop.exec()
    settle()


class Person:
    """Someone standing at the window: finger, eyes and patience."""

    def __init__(self, window: QWidget, *, taps: Taps = Taps.QTEST, patience_s: float = 30.0):
        self.window = window
        self.taps = taps
        self.patience_s = patience_s
        self.count = 0  # taps so far (the bench counts a visit's taps)
        if taps is Taps.XDOTOOL and shutil.which("xdotool") is None:
            raise Stuck("xdotool is not installed")

    # ── waiting ──
    def wait_for(self, condition: Callable[[], bool], what: str = "") -> None:
        try:
            wait_for(condition, self.patience_s, what)
        except Stuck as stuck:
            raise Stuck(f"{stuck} (the screen then: {self.snapshot()})") from None

    def snapshot(self) -> str:
        """The window as it is, saved for whoever reads why the person got stuck."""
        folder = Path(tempfile.gettempdir()) / "kiosk-person"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"stuck-{os.getpid()}-{time.monotonic_ns()}.png"
        self.window.grab().save(str(path), "PNG")
        return str(path)

    def _ready_to_tap(self) -> None:
        guard = getattr(self.window, "guard", None)
        if guard is not None:
            self.wait_for(lambda: not guard.quiet, "the screen to settle after a change")

    # ── tapping ──
    def tap(self, widget: QWidget) -> None:
        """A finger on the middle of ``widget``: scrolled into view first, as a visitor drags
        a list until they see what they want."""
        self._ready_to_tap()  # first: the screen may still be moving (a dock opening)
        self.bring_into_view(widget)
        self.tap_at(widget.mapToGlobal(widget.rect().center()))

    def bring_into_view(self, widget: QWidget) -> None:
        """Scroll the list ``widget`` is in until it is in sight, as a visitor drags a list."""
        if not widget.isVisible():
            raise Stuck(f"{_describe(widget)} is not on screen")
        scroll = _scroll_area_of(widget)
        if scroll is not None and not _fully_inside(widget, scroll.viewport()):
            scroll.reveal(widget, 40)
            self.wait_for(lambda: _fully_inside(widget, scroll.viewport()), "the list to scroll")

    def tap_at(self, point: QPoint) -> None:
        """A tap at a point of the screen: whatever is drawn there gets it."""
        self._ready_to_tap()
        self.count += 1
        if self.taps is Taps.XDOTOOL:
            self._xdotool(point)
        else:
            target = QApplication.widgetAt(point)
            if target is None:
                raise Stuck(f"nothing on screen at {point.x()},{point.y()}")
            local = target.mapFromGlobal(point)
            left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
            QTest.mousePress(target, left, none, local)
            # the release goes where the press went, as Qt's implicit mouse grab does
            QTest.mouseRelease(target, left, none, local)
        settle()

    def _xdotool(self, point: QPoint) -> None:
        self._run(["xdotool", "mousemove", str(point.x()), str(point.y()), "click", "1"])

    def _run(self, command: list[str]) -> None:
        """xdotool with the window's event loop running meanwhile (it is what answers)."""
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.wait_for(lambda: process.poll() is not None, "xdotool")
        if process.returncode:
            said = process.stderr.read().decode() if process.stderr else ""
            raise Stuck(f"xdotool failed: {said}")

    def tap_text(self, words: str, *, within: QWidget | None = None) -> None:
        """Tap the button (or tappable card) that shows ``words``, as a person reads it."""
        self.tap(self.find_text(words, within=within))

    def find_text(self, words: str, *, within: QWidget | None = None) -> QWidget:
        root = within or self.window
        found: list[QWidget] = []
        for widget in root.findChildren(QWidget):
            if not widget.isVisible():
                continue
            if isinstance(widget, QAbstractButton) and _plain(widget.text()) == words:
                found.append(widget)
            elif isinstance(widget, QLabel) and widget.text() == words:
                button = _button_holding(widget)
                if button is not None:
                    found.append(button)
        if not found:
            raise Stuck(f"no button saying {words!r} on screen")
        return found[0]

    # ── typing ──
    def fill(self, edit: QWidget, text: str) -> None:
        """Make a field say ``text``: tap at its end, rub out what is there (清空 on the pad,
        ⌫ on the keyboard), type on whatever the dock offers."""
        self.tap(edit)
        self.wait_for(lambda: edit.hasFocus(), f"{_describe(edit)} to take the focus")
        if isinstance(edit, QLineEdit) and edit.text():
            self.tap_end(edit)
            dock = self.window.dock  # type: ignore[attr-defined]
            if dock.pad.isVisible():
                self.tap(dock.pad.clear_key)
            else:
                for _ in range(len(edit.text())):
                    self.key("backspace")
        self.type(text)

    def tap_end(self, edit: QLineEdit) -> None:
        """Tap the right end of a field: the caret goes after its last character."""
        self.tap(edit)
        self.tap_at(edit.mapToGlobal(QPoint(edit.width() - 12, edit.height() // 2)))

    def type(self, text: str) -> None:
        """Type into the focused field: the pad's keys, or the keyboard (Pinyin for 汉字)."""
        focused = QApplication.focusWidget()
        spec = spec_of(focused)
        if spec is None:
            raise Stuck("no field to type into has the focus")
        dock = getattr(self.window, "dock", None)
        if dock is None:
            raise Stuck("this window has no input dock")
        if spec.kind.on_pad:
            self.wait_for(lambda: dock.pad.isVisible(), "the pad to open")
            for symbol in text.upper():
                if symbol in " -":
                    continue  # shown by the field itself (grouping), never typed
                key = dock.pad.keys.get(symbol)
                if key is None:
                    raise Stuck(f"no key {symbol!r} on the pad for {spec.kind}")
                self.tap(key)
            return
        self.wait_for(
            lambda: dock.keyboard_ready is not None and dock.keyboard_ready.isVisible(),
            "the keyboard to open",
        )
        for run in re.findall(r"[\u3400-\u9fff]+|[^\u3400-\u9fff]+", text):
            if CJK.match(run):
                self._type_hanzi_run(run)
            else:
                for char in run:
                    self._type_plain(char)

    def key(self, label: str) -> None:
        """Tap one key of the on-screen keyboard by its face (or name: space, backspace…)."""
        keyboard = self.window.dock.keyboard_ready  # type: ignore[attr-defined]
        if keyboard is None:
            raise Stuck("the keyboard is not open")
        found = [k for k in keyboard.visible_keys() if k.label == label]
        if not found:
            raise Stuck(f"no key {label!r} on the keyboard now")
        self.tap_at(found[0].centre)

    def keyboard_faces(self) -> set[str]:
        keyboard = self.window.dock.keyboard_ready  # type: ignore[attr-defined]
        return {k.label for k in keyboard.visible_keys()} if keyboard is not None else set()

    def _type_plain(self, char: str) -> None:
        faces = self.keyboard_faces()
        if char == " ":
            self.key("space")
        elif char in faces:
            self.key(char)
        elif char.isalpha() and char.swapcase() in faces:
            self.key("shift")  # the keys show the other case: shift, then the letter
            self.key(char)
        else:  # digits and punctuation live on the symbols page
            self.key("symbols")
            faces = self.keyboard_faces()
            # A full-width mark the keyboard does not have: its plain form, as a person would.
            face = char if char in faces else unicodedata.normalize("NFKC", char)
            if face not in faces:
                self.key("symbols")
                raise Stuck(f"no key {char!r} on the keyboard")
            self.key(face)
            self.key("symbols")

    def _candidates(self) -> list[str]:
        keyboard = self.window.dock.keyboard_ready  # type: ignore[attr-defined]
        if keyboard is None:
            return []
        return [k.label for k in keyboard.visible_keys() if k.label and CJK.match(k.label)]

    def _type_hanzi_run(self, run: str) -> None:
        """汉字 as a person types them: a few characters' pinyin at a time, then the candidate
        that starts them (a phrase where there is one); one character at a time if not."""
        remaining = run
        while remaining:
            chunk = remaining[:PHRASE]
            readings = lazy_pinyin(chunk, style=Style.NORMAL, errors="ignore")
            if len(readings) != len(chunk):
                self._type_hanzi(remaining[0])
                remaining = remaining[1:]
                continue
            for letter in "".join(readings).replace("ü", "v"):
                self.key(letter)
            typed = 0
            while typed < len(chunk):
                choices = [c for c in self._candidates() if chunk[typed:].startswith(c)]
                if not choices:
                    break
                best = max(choices, key=len)
                self.key(best)
                typed += len(best)
            keyboard = self.window.dock.keyboard_ready  # type: ignore[attr-defined]
            while keyboard is not None and keyboard.preedit:  # the spelling no candidate took
                self.key("backspace")
            if typed == 0:
                self._type_hanzi(chunk[0])
                typed = 1
            remaining = remaining[typed:]

    def _type_hanzi(self, char: str) -> None:
        """One 汉字: its pinyin, then the candidate — swiping the row along to find it."""
        readings = [r for r in pinyin(char, style=Style.NORMAL, heteronym=True)[0] if r]
        for reading in readings:
            letters = reading.replace("ü", "v")
            for letter in letters:
                self.key(letter)
            seen: list[str] = []
            for _ in range(SWIPES):
                if char in self.keyboard_faces():
                    break
                shown = self._candidates()
                if not shown or shown == seen:
                    break  # the end of the row
                seen = shown
                self.swipe_candidates()
            if char in self.keyboard_faces():
                self.key(char)  # the candidate
                return
            keyboard = self.window.dock.keyboard_ready  # type: ignore[attr-defined]
            while keyboard is not None and keyboard.preedit:
                self.key("backspace")
        raise Stuck(
            f"{char} is not among the candidates for {', '.join(readings)} "
            f"(the screen then: {self.snapshot()})"
        )

    def swipe_candidates(self) -> None:
        """A finger drawn from right to left along the candidate row: the next candidates."""
        keyboard = self.window.dock.keyboard_ready  # type: ignore[attr-defined]
        row = [k for k in keyboard.visible_keys() if CJK.match(k.label)] if keyboard else []
        if not row:
            return
        y = row[0].centre.y()
        # Two thirds of the row, slowly, and a moment's hold before letting go: the row
        # moves by the finger's way (a fling would skip candidates past the eye).
        left = keyboard.mapToGlobal(QPoint(keyboard.width() // 3, 0)).x()
        right = keyboard.mapToGlobal(QPoint(keyboard.width() - 60, 0)).x()
        self.drag(QPoint(right, y), QPoint(left, y))

    def drag(self, start: QPoint, end: QPoint, steps: int = 20) -> None:
        """Press at ``start``, move to ``end`` in steps, let go (a swipe or a scroll)."""
        self._ready_to_tap()
        if self.taps is Taps.XDOTOOL:
            self._run(
                ["xdotool", "mousemove", str(start.x()), str(start.y()), "mousedown", "1"]
                + [
                    arg
                    for i in range(1, steps + 1)
                    for arg in (
                        "mousemove",
                        str(start.x() + (end.x() - start.x()) * i // steps),
                        str(start.y() + (end.y() - start.y()) * i // steps),
                        "sleep",
                        "0.016",
                    )
                ]
                + ["sleep", "0.4", "mouseup", "1"]  # held still: no fling
            )
        else:
            target = QApplication.widgetAt(start)
            if target is None:
                raise Stuck(f"nothing on screen at {start.x()},{start.y()}")
            left, none = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
            QTest.mousePress(target, left, none, target.mapFromGlobal(start))
            for i in range(1, steps + 1):
                point = QPoint(
                    start.x() + (end.x() - start.x()) * i // steps,
                    start.y() + (end.y() - start.y()) * i // steps,
                )
                QTest.mouseMove(target, target.mapFromGlobal(point), 16)
            for _ in range(2):  # held still at the end: the list stops with the finger
                QTest.mouseMove(target, target.mapFromGlobal(end), 200)
            QTest.mouseRelease(target, left, none, target.mapFromGlobal(end), 50)
        # the row glides to a stop: wait until it stands still
        last: list[str] = []
        self.wait_for(lambda: _same(last, self._candidates()), "the candidates to settle")


def _same(last: list[str], now: list[str]) -> bool:
    """True once two looks in a row see the same thing (what moves has stopped)."""
    same = last == now
    last[:] = now
    return same


def _plain(text: str) -> str:
    return text.replace("&&", "&")


def _describe(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QAbstractButton | QLabel | QLineEdit) else ""
    return f"{type(widget).__name__} {text!r}".strip()


def _scroll_area_of(widget: QWidget) -> TouchScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, TouchScrollArea):
        parent = parent.parentWidget()
    return parent


def _fully_inside(widget: QWidget, viewport: QWidget) -> bool:
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    centre = widget.mapTo(viewport, widget.rect().center())
    return viewport.rect().contains(centre) and top_left.y() >= -2


def _button_holding(widget: QWidget) -> QWidget | None:
    parent: QWidget | None = widget
    while parent is not None:
        if isinstance(parent, QAbstractButton):
            return parent
        parent = parent.parentWidget()
    return None
