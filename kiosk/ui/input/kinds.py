"""What a text input takes, and so which keyboard the dock opens for it.

Every input the visitor types into says what it is with :func:`mark`: the input
method hints Qt Virtual Keyboard reads, whether the input method may touch it
at all, and the caption the dock shows ("正在填写：孩子身份证号码").  The dock
looks at that mark whenever the focus moves (:func:`spec_of`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit, QWidget

from kiosk.codes import CODE_ALPHABET
from kiosk.ui.widgets.common import set_prop

Hint = Qt.InputMethodHint

# Text typed here is personal: the input method must not learn or predict from it
# (Qt Virtual Keyboard keeps a user dictionary otherwise).
PRIVATE = Hint.ImhSensitiveData | Hint.ImhNoPredictiveText


class InputKind(StrEnum):
    PINYIN = "pinyin"  # names, addresses, free text: Pinyin (or English) on the keyboard
    LATIN = "latin"  # the search box: letters go in as letters, every key at once
    DIGITS = "digits"  # mobile numbers, whole numbers: the kiosk's pad
    ID_NUMBER = "id_number"  # 居民身份证号: digits and X
    MONEY = "money"  # digits and a point
    USCC = "uscc"  # 统一社会信用代码: digits and the 27 capitals it may use
    CODE = "code"  # an application code (办件编号): the 32 symbols codes use
    ALNUM = "alnum"  # a certificate, card or frame number: digits and A–Z

    @property
    def on_pad(self) -> bool:
        return self not in (InputKind.PINYIN, InputKind.LATIN)

    @property
    def symbols(self) -> str:
        """The keys of the pad for this kind, in order (besides ⌫ and 清空)."""
        return PAD_SYMBOLS[self]


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100-2015: no I, O, S, V, Z
PAD_SYMBOLS = {
    InputKind.DIGITS: "1234567890",
    InputKind.ID_NUMBER: "123456789X0",
    InputKind.MONEY: "123456789.0",
    InputKind.USCC: USCC_ALPHABET,
    InputKind.CODE: CODE_ALPHABET,
    InputKind.ALNUM: "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ",
    InputKind.PINYIN: "",
    InputKind.LATIN: "",
}

_HINTS = {
    InputKind.PINYIN: PRIVATE,
    InputKind.LATIN: Hint.ImhLatinOnly
    | Hint.ImhNoPredictiveText
    | Hint.ImhNoAutoUppercase
    | Hint.ImhPreferLowercase
    | Hint.ImhSensitiveData,
}


@dataclass(frozen=True)
class InputSpec:
    kind: InputKind
    caption: str  # what the dock says is being filled


def mark(edit: QLineEdit | QPlainTextEdit, kind: InputKind, caption: str = "") -> None:
    """Say what ``edit`` takes.  Pad kinds shut the input method out completely: the
    keyboard never opens for them and nothing is ever composed in them."""
    edit.setProperty("input_kind", kind.value)
    edit.setProperty("input_caption", caption)
    edit.setContextMenuPolicy(Qt.ContextMenuPolicy.NoContextMenu)  # no Undo/Paste menu
    # Not ClickFocus: Qt would move the focus before anything can settle the Pinyin being
    # composed in the field left behind (its commit takes the first candidate).  The
    # window's TouchGuard settles it, then gives the tapped field the focus itself.
    edit.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    if kind.on_pad:
        edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        edit.setInputMethodHints(PRIVATE)
    else:
        edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, True)
        edit.setInputMethodHints(_HINTS[kind])


def set_caption(edit: QWidget, caption: str) -> None:
    edit.setProperty("input_caption", caption)


def typing_field(widget: QWidget | None) -> QWidget | None:
    """The field a tap on ``widget`` is for: itself, or the edit whose viewport it is."""
    while widget is not None:
        if widget.property("input_kind"):
            return widget
        widget = widget.parentWidget()
    return None


def spec_of(widget: QWidget | None) -> InputSpec | None:
    """What the focused widget takes, or None when it takes no typing."""
    if widget is None:
        return None
    kind = widget.property("input_kind")
    if not kind:
        return None
    return InputSpec(InputKind(str(kind)), str(widget.property("input_caption") or ""))


class NextLineEdit(QLineEdit):
    """A line edit whose Enter key reads 下一项 on the on-screen keyboard (Qt asks the
    focused input what its Enter does; QLineEdit itself does not say)."""

    # What 下一项 does on the screen's last field instead of 完成: (action, words key).
    finish_with: tuple[Callable[[], None], str] | None = None

    def inputMethodQuery(self, query: Qt.InputMethodQuery, *args: Any) -> Any:
        if query == Qt.InputMethodQuery.ImEnterKeyType:
            return Qt.EnterKeyType.EnterKeyNext
        return super().inputMethodQuery(query, *args)


class GroupedLineEdit(NextLineEdit):
    """Shows a long number in groups (ID 6-8-4, mobile 3-4-4) while holding it plain.

    ``value()`` is what was typed without the spaces; the spaces are only drawn,
    so the caret, ⌫ and the validators all work on the plain characters.
    """

    def __init__(
        self, groups: tuple[int, ...] = (), parent: QWidget | None = None, *, separator: str = " "
    ):
        super().__init__(parent)
        self._groups = groups
        self._separator = separator  # a code is printed K7QXM-3P9RT: shown the same way
        self._fitting = False
        # Re-measured after the event that asked for it, never inside it: re-polishing a
        # widget in its own resize or style-change event is not safe.
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self._fit)
        self.textChanged.connect(self._regroup)

    def set_groups(self, groups: tuple[int, ...]) -> None:
        self._groups = groups
        self._regroup(self.text())

    def value(self) -> str:
        return self._plain(self.text())

    # The whole number in sight: where the box is too narrow for it at the big size (an ID
    # number beside the pad, 1366×768 in 大字), its digits take the form's text size
    # (theme: QLineEdit[dense="true"]) rather than scroll out of view.
    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._refit.start()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.StyleChange and not self._fitting:  # another look
            self._refit.start()

    # Declared slots: connecting a signal to an undeclared method gives each box a meta-object
    # of its own, and the keyboard (QML) keeps a property cache for every meta-object it has
    # seen — ~2 kB for every number box ever focused (tests/ui/test_input_memory.py).
    @Slot()
    def _fit(self) -> None:
        if self._fitting or not self._groups or self.property("role") != "number":
            return
        self._fitting = True
        try:
            set_prop(self, "dense", "false")  # measured at its own size
            sample = group("8" * sum(self._groups), self._groups, self._separator)
            room = self.width() - 2 * 24  # the padding and the border either side
            if self.fontMetrics().horizontalAdvance(sample) > room:
                set_prop(self, "dense", "true")
        finally:
            self._fitting = False

    def _plain(self, shown: str) -> str:
        return re.sub(r"\s", "", shown).replace(self._separator, "") if self._separator else shown

    @Slot(str)
    def _regroup(self, shown: str) -> None:
        if not self._groups:
            return
        plain = self._plain(shown)
        grouped = group(plain, self._groups, self._separator)
        if grouped == shown:
            return
        before = len(self._plain(shown[: self.cursorPosition()]))
        self.blockSignals(True)  # one textChanged for the visitor's edit, not two
        self.setText(grouped)
        self.setCursorPosition(_position_after(grouped, before, self._separator))
        self.blockSignals(False)


def group(plain: str, groups: tuple[int, ...], separator: str = " ") -> str:
    """``plain`` cut after each group's length; the rest stays in the last group."""
    parts: list[str] = []
    start = 0
    for size in groups:
        if start >= len(plain):
            break
        parts.append(plain[start : start + size])
        start += size
    if start < len(plain):
        parts[-1:] = [parts[-1] + plain[start:]] if parts else [plain[start:]]
    return separator.join(parts)


def _position_after(grouped: str, characters: int, separator: str = " ") -> int:
    """The caret position in ``grouped`` just after its first ``characters`` characters
    (separators not counted)."""
    if characters <= 0:
        return 0
    seen = 0
    for index, char in enumerate(grouped):
        if not char.isspace() and char != separator:
            seen += 1
            if seen == characters:
                return index + 1
    return len(grouped)


__all__ = [
    "PRIVATE",
    "GroupedLineEdit",
    "InputKind",
    "InputSpec",
    "NextLineEdit",
    "group",
    "mark",
    "set_caption",
    "spec_of",
]
