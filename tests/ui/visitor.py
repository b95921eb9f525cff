"""What a visitor does, as test steps: tap, type on the window's keyboard and pad, read.

Every step goes through :class:`kiosk.ui.demo.person.Person`: a tap lands at a
point of the screen, text is typed on the window's own keyboard (Pinyin for
汉字), numbers on its pad.  Nothing here sets a widget's text.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractButton,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from kiosk.services import KioskServices
from kiosk.ui.demo import finish_work, page_of
from kiosk.ui.demo.person import Person
from kiosk.ui.screens.apply import ApplyScreen
from kiosk.ui.screens.consult import ConsultScreen
from kiosk.ui.widgets.fields import FieldWidget, PadField
from kiosk.ui.window import MainWindow
from tests.printing.pdfcheck import squash
from tests.printing.pdfcheck import text as read_text

CJK = re.compile(r"[\u3400-\u9fff]")


def person(widget: QWidget) -> Person:
    """The person standing at the window that ``widget`` belongs to."""
    window = widget.window()
    return Person(window)


def tap(widget: QWidget) -> None:
    """A finger on the middle of the widget — scrolled into view first, as a visitor would."""
    person(widget).tap(widget)


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
    """Tap a number field, then the pad's keys."""
    widget = field(window, key)
    assert isinstance(widget, PadField)
    Person(window).fill(widget.edit, keys)
    assert window.dock.pad.target is widget.edit, "tapping a number field points the pad at it"


def type_text(window: MainWindow, key: str, text: str) -> None:
    """Tap a text field, type on the on-screen keyboard, then put the keyboard away (收起)."""
    widget = field(window, key)
    edit = widget.findChild(QLineEdit)
    assert edit is not None
    visitor = Person(window)
    visitor.fill(edit, text)
    visitor.tap(window.dock.hide_button)


def type_into(window: MainWindow, edit: QWidget, text: str, *, put_away: bool = True) -> None:
    """Tap any input of the window and type into it as a visitor does."""
    visitor = Person(window)
    visitor.fill(edit, text)
    if put_away and window.dock.isVisible():
        visitor.tap(window.dock.hide_button)


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
