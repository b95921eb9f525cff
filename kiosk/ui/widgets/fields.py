"""One input widget per form field type, each with its label, help line and inline message.

A field widget only shows and collects a raw value; :class:`kiosk.forms.Filling`
validates it and answers with a bilingual message, which the widget shows
under the input in the visitor's language.  Number-like fields type through
the on-screen :class:`~kiosk.ui.widgets.keypad.Keypad`; text fields through the
system input method (Qt Virtual Keyboard with Pinyin on the kiosk).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.catalog.model import FieldType
from kiosk.forms import Message, Slot
from kiosk.forms.filling import Source
from kiosk.forms.validators import ADDRESS_PARTS
from kiosk.ui.text import text
from kiosk.ui.widgets.common import button, label, set_prop
from kiosk.ui.widgets.keypad import KeypadMode

# Text typed here is personal: ask the input method not to learn or predict from it
# (Qt Virtual Keyboard keeps a user dictionary otherwise).
_PRIVATE = Qt.InputMethodHint.ImhSensitiveData | Qt.InputMethodHint.ImhNoPredictiveText


def _line_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setInputMethodHints(_PRIVATE)
    return edit


OnEdited = Callable[[str], None]  # the slot key, after the visitor changed the value
OnKeypad = Callable[[QLineEdit, KeypadMode, str], None]  # point the keypad at this edit
SourceOf = Callable[[str], Source]  # who is typing into this slot now: visitor or staff helping


class FieldWidget(QWidget):
    """Label, help, the input, and the message line; subclasses provide the input."""

    def __init__(
        self,
        slot: Slot,
        language: str,
        required: bool,
        on_edited: OnEdited,
        on_keypad: OnKeypad | None = None,
        source_of: SourceOf | None = None,
    ):
        super().__init__()
        self.slot = slot
        self.on_edited = on_edited
        self.on_keypad = on_keypad
        self.source_of = source_of
        self.typed_by: Source | None = None  # who changed the value here; None: nobody yet
        self.required = required
        self.setProperty("field_key", slot.key)
        box = QVBoxLayout(self)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(8)
        self.caption = label("", "field")
        self.help = label("", "small")
        self.message = label("", "error")
        self._error: Message | None = None
        self.tag = label("", "tag", wrap=False)  # 导服代填 / 来自身份证 beside the caption
        self.tag.hide()
        head = QHBoxLayout()
        head.setSpacing(12)
        head.addWidget(self.caption, 1)
        head.addWidget(self.tag)
        box.addLayout(head)
        box.addWidget(self.help)
        box.addWidget(self.build_input())
        box.addWidget(self.message)
        self.message.hide()
        self.retranslate(language)

    # subclasses
    def build_input(self) -> QWidget:
        raise NotImplementedError

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus_input(self) -> None:
        self.setFocus()

    # shared
    def retranslate(self, language: str) -> None:
        self.language = language
        field = self.slot.field
        optional = "" if self.required else text("optional_field", language)
        self.caption.setText(field.label(language) + optional)
        for edit in self.findChildren(QLineEdit) + self.findChildren(QPlainTextEdit):
            edit.setAccessibleName(field.label(language))
        self.help.setText(field.help(language) if field.help else "")
        self.help.setVisible(field.help is not None)
        self.show_error(self._error)

    def show_error(self, message: Message | None) -> None:
        self._error = message
        self.message.setText(message(self.language) if message else "")
        self.message.setVisible(message is not None)
        for child in self.findChildren(QLineEdit) + self.findChildren(QPlainTextEdit):
            set_prop(child, "invalid", "true" if message is not None else "false")

    @property
    def error(self) -> Message | None:
        return self._error

    def set_tag(self, text: str) -> None:
        self.tag.setText(text)
        self.tag.setVisible(bool(text))

    def _changed(self, *_: object) -> None:
        self.typed_by = self.source_of(self.slot.key) if self.source_of else Source.CITIZEN
        self.on_edited(self.slot.key)


class _LineField(FieldWidget):
    """A field typed into one line edit (``self.edit``, made by ``build_input``)."""

    edit: QLineEdit

    def value(self) -> str:
        return self.edit.text()

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def focus_input(self) -> None:
        self.edit.setFocus()


class TextField(_LineField):
    def build_input(self) -> QWidget:
        self.edit = _line_edit()
        if self.slot.field.max_length:
            self.edit.setMaxLength(self.slot.field.max_length)
        if self.slot.field.type is FieldType.USCC:
            hints = _PRIVATE | Qt.InputMethodHint.ImhPreferUppercase
            self.edit.setInputMethodHints(hints | Qt.InputMethodHint.ImhPreferLatin)
        self.edit.editingFinished.connect(self._changed)
        return self.edit


class LongTextField(FieldWidget):
    def build_input(self) -> QWidget:
        self.edit = QPlainTextEdit()
        self.edit.setInputMethodHints(_PRIVATE)
        self.edit.setTabChangesFocus(True)
        self.edit.setFixedHeight(190)
        self.edit.textChanged.connect(self._changed)
        return self.edit

    def value(self) -> str:
        return self.edit.toPlainText()

    def set_value(self, value: Any) -> None:
        self.edit.setPlainText("" if value is None else str(value))

    def focus_input(self) -> None:
        self.edit.setFocus()


class _KeypadFocus(QObject):
    """Points the keypad at a line edit when that edit takes the focus."""

    def __init__(self, field: KeypadField):
        super().__init__(field)
        self._field = field

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        field = self._field
        if event.type() == QEvent.Type.FocusIn and field.on_keypad is not None:
            field.on_keypad(field.edit, field.mode, field.slot.field.label(field.language))
        return False


_MODES = {
    FieldType.ID_NUMBER: KeypadMode.ID_NUMBER,
    FieldType.MOBILE: KeypadMode.DIGITS,
    FieldType.INTEGER: KeypadMode.DIGITS,
    FieldType.MONEY: KeypadMode.MONEY,
    FieldType.DATE: KeypadMode.DATE,
}


class KeypadField(_LineField):
    """ID number, mobile, integer, amount or date: typed on the big keypad."""

    def build_input(self) -> QWidget:
        self.mode = _MODES[self.slot.field.type]
        self.edit = _line_edit()
        # The keypad is the keyboard here: keep the system input method (and its
        # full Pinyin keyboard) away from number fields.
        self.edit.setAttribute(Qt.WidgetAttribute.WA_InputMethodEnabled, False)
        self.edit.installEventFilter(_KeypadFocus(self))
        self.edit.setMaxLength({KeypadMode.ID_NUMBER: 18, KeypadMode.DATE: 10}.get(self.mode, 20))
        if self.mode is KeypadMode.DATE:
            self.edit.setPlaceholderText("2024-01-01")
            self.edit.textEdited.connect(self._format_date)
        self.edit.textEdited.connect(self._typed)
        self.edit.editingFinished.connect(self._changed)
        return self.edit

    def retranslate(self, language: str) -> None:
        super().retranslate(language)
        if self.slot.field.type is FieldType.DATE and not self.slot.field.help:
            self.help.setText(text("date_hint", language))
            self.help.show()

    def _format_date(self, typed: str) -> None:
        digits = re.sub(r"\D", "", typed)[:8]
        parts = [digits[:4], digits[4:6], digits[6:8]]
        formatted = "-".join(p for p in parts if p)
        if formatted != typed:
            self.edit.setText(formatted)

    def _typed(self, _: str) -> None:
        if self.error is not None:  # a fix in progress: drop the old complaint
            self.show_error(None)


class ChoiceField(FieldWidget):
    """Choice, multiple choice or yes/no: large toggle buttons, no dropdowns."""

    def build_input(self) -> QWidget:
        field = self.slot.field
        holder = QWidget()
        grid = QGridLayout(holder)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(14)
        self.group = QButtonGroup(self)
        self.group.setExclusive(field.type is not FieldType.MULTI_CHOICE)
        self.options: list[tuple[Any, QPushButton, Any]] = []
        if field.type is FieldType.YESNO:
            choices: list[tuple[Any, Any]] = [(True, "yes"), (False, "no")]
        else:
            choices = [(o.value, o.label) for o in field.options]
        columns = 2 if field.type is FieldType.YESNO else 3
        for index, (value, caption) in enumerate(choices):
            option = button("", "choice")
            option.setCheckable(True)
            self.group.addButton(option)
            option.clicked.connect(self._changed)
            grid.addWidget(option, index // columns, index % columns)
            self.options.append((value, option, caption))
        return holder

    def retranslate(self, language: str) -> None:
        super().retranslate(language)
        for _, option, caption in self.options:
            option.setText(
                text(caption, language) if isinstance(caption, str) else caption(language)
            )

    def value(self) -> Any:
        chosen = [value for value, option, _ in self.options if option.isChecked()]
        if self.slot.field.type is FieldType.MULTI_CHOICE:
            return chosen
        return chosen[0] if chosen else None

    def set_value(self, value: Any) -> None:
        wanted = value if isinstance(value, list) else [value]
        exclusive = self.group.exclusive()
        self.group.setExclusive(False)  # an exclusive group cannot be emptied
        for option_value, option, _ in self.options:
            option.setChecked(value is not None and option_value in wanted)
        self.group.setExclusive(exclusive)


class AddressField(FieldWidget):
    def build_input(self) -> QWidget:
        holder = QWidget()
        grid = QGridLayout(holder)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(14)
        self.parts: dict[str, QLineEdit] = {}
        for index, part in enumerate(ADDRESS_PARTS):
            edit = _line_edit()
            edit.editingFinished.connect(self._changed)
            self.parts[part] = edit
            if part == "detail":
                grid.addWidget(edit, 1, 0, 1, 3)
            else:
                grid.addWidget(edit, 0, index)
        return holder

    def retranslate(self, language: str) -> None:
        super().retranslate(language)
        for part, edit in self.parts.items():
            edit.setPlaceholderText(text(f"address_{part}", language))

    def value(self) -> dict[str, str]:
        return {part: edit.text() for part, edit in self.parts.items()}

    def set_value(self, value: Any) -> None:
        parts = value if isinstance(value, Mapping) else {}
        for part, edit in self.parts.items():
            edit.setText(str(parts.get(part, "")))

    def focus_input(self) -> None:
        self.parts["province"].setFocus()


def field_widget(
    slot: Slot, language: str, required: bool, on_edited: OnEdited, on_keypad: OnKeypad
) -> FieldWidget:
    """The widget for a slot's field type."""
    kind = slot.field.type
    widget_type: type[FieldWidget] = TextField
    if kind in _MODES:
        widget_type = KeypadField
    elif kind in (FieldType.CHOICE, FieldType.MULTI_CHOICE, FieldType.YESNO):
        widget_type = ChoiceField
    elif kind is FieldType.ADDRESS:
        widget_type = AddressField
    elif kind is FieldType.LONG_TEXT:
        widget_type = LongTextField
    return widget_type(slot, language, required, on_edited, on_keypad)
