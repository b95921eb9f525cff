"""What a visitor does, as test steps: tap, type on the keypad, read what the screen says."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from kiosk.services import KioskServices
from kiosk.ui.demo import finish_work, page_of
from kiosk.ui.screens.apply import ApplyScreen
from kiosk.ui.screens.consult import ConsultScreen
from kiosk.ui.widgets.common import TouchScrollArea
from kiosk.ui.widgets.fields import FieldWidget, KeypadField
from kiosk.ui.window import MainWindow
from tests.printing.pdfcheck import squash
from tests.printing.pdfcheck import text as read_text

CJK = re.compile(r"[\u3400-\u9fff]")


def tap(widget: QWidget) -> None:
    """A finger on the middle of the widget — scrolled into view first, as a visitor would.

    Off-screen widgets get no tap: the scroller hands a delayed press to the widget it
    finds at that point of the screen.
    """
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, TouchScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        parent.reveal(widget, 40)
        QApplication.processEvents()
    QTest.mouseClick(widget, Qt.MouseButton.LeftButton, pos=widget.rect().center())
    QApplication.processEvents()


def texts(root: QWidget, *, visible_only: bool = False) -> list[str]:
    """Every text a widget tree shows (labels, buttons, inputs, placeholders excluded)."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if visible_only and not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QAbstractButton | QLineEdit):
            found.append(widget.text())
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            found.append(widget.toPlainText())
    return [t for t in found if t]


def answer(window: MainWindow, value: object) -> None:
    consult = page_of(window, ConsultScreen)
    button = next(b for b, v in consult.answer_values.items() if v == value)
    tap(button)


def field(window: MainWindow, key: str) -> FieldWidget:
    return page_of(window, ApplyScreen).fields[key]


def type_on_keypad(window: MainWindow, key: str, keys: str) -> None:
    """Tap the field, then the keypad's keys."""
    widget = field(window, key)
    assert isinstance(widget, KeypadField)
    tap(widget.edit)
    page = page_of(window, ApplyScreen)
    assert page.keypad.target is widget.edit, "tapping a number field points the keypad at it"
    page.keypad.press(keys)


def type_text(window: MainWindow, key: str, text: str) -> None:
    """Tap a text field and type (as Qt Virtual Keyboard would commit it)."""
    widget = field(window, key)
    edit = widget.findChild(QLineEdit)
    assert edit is not None
    tap(edit)
    edit.setText("")
    commit(edit, text)
    QTest.keyClick(edit, Qt.Key.Key_Return)  # Return finishes the edit, like leaving the field


def commit(widget: QWidget, text: str) -> None:
    """Text committed by an input method — how Pinyin on Qt Virtual Keyboard delivers 汉字.

    (QTest.keyClicks only knows ASCII keys.)
    """
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)


def settle_work(window: MainWindow) -> None:
    """Let the window's background work (submit, print, query) answer."""
    finish_work(window, timeout_s=30)
    assert window.background.pending() == 0, "background work did not answer in time"


def printed(kiosk: KioskServices, kind: str) -> list[Path]:
    """The PDFs a kiosk's PDF-folder printer wrote for one document kind, oldest first."""
    folder = kiosk.settings.printer(kind).folder
    assert folder is not None
    return sorted(folder.glob(f"*-{kind}-*.pdf"))


def pdf_text(path: Path) -> str:
    """A printed PDF's text, without whitespace (line wrapping must not matter)."""
    return squash(read_text(path))
