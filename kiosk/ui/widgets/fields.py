"""One input widget per form field type, each with its label, help line and message line.

A field widget only shows and collects a raw value; :class:`kiosk.forms.Filling`
validates it and answers with a bilingual message, which the widget shows
under the input in the visitor's language.  How each type is typed:

- text and long text: the on-screen keyboard (Pinyin, or English in English);
- ID number, mobile, whole numbers, amounts, 统一社会信用代码: the kiosk's pad,
  never the Pinyin keyboard; long numbers are shown in groups (ID 6-8-4, mobile 3-4-4);
- dates: a picker (year, month, day), never typed;
- addresses: province → city → district from a picker, only the street typed;
- choices: large toggle buttons.

The message line is always reserved, so nothing moves under the finger when a
message comes or goes.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.catalog.model import FieldType, FormField, Keys
from kiosk.forms import Message, Slot
from kiosk.forms.filling import Source
from kiosk.ui.input.kinds import GroupedLineEdit, InputKind, NextLineEdit, mark, set_caption
from kiosk.ui.text import text
from kiosk.ui.widgets.common import button, label, set_prop

SourceOf = Callable[[str], Source]  # who is typing into this slot now: visitor or staff helping


class Pickers(Protocol):
    """The window's date and region pickers (overlays), which fields open on a tap."""

    def pick_date(
        self, title: str, current: dt.date | None, chosen: Callable[[dt.date], None]
    ) -> None: ...

    def pick_region(
        self,
        title: str,
        current: tuple[str, str, str],
        chosen: Callable[[tuple[str, str, str]], None],
    ) -> None: ...

    def home_region(self) -> tuple[str, str, str]:
        """The hall's own province, city and district (the address picker starts there)."""


class FieldWidget(QWidget):
    """Label, help, the input, and the message line; subclasses provide the input."""

    edited = Signal(str)  # the slot key, after the visitor changed the value
    changed = Signal(str)  # the slot key, on every change (a fix clears its message at once)

    def __init__(
        self,
        slot: Slot,
        language: str,
        required: bool,
        source_of: SourceOf | None = None,
        pickers: Pickers | None = None,
    ):
        super().__init__()
        self.slot = slot
        self.source_of = source_of
        self.pickers = pickers
        self.typed_by: Source | None = None  # who changed the value here; None: nobody yet
        self.required = required
        self.language = language
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
            set_caption(edit, field.label(language))
        self.help.setText(field.help(language) if field.help else self._default_help(language))
        self.help.setVisible(bool(self.help.text()))
        self.show_error(self._error)

    def _default_help(self, language: str) -> str:
        return ""

    def show_error(self, message: Message | None) -> None:
        self._error = message
        # The line keeps its height when empty: a message coming or going moves nothing.
        self.message.setText(message(self.language) if message else " ")
        for child in self.findChildren(QLineEdit) + self.findChildren(QPlainTextEdit):
            set_prop(child, "invalid", "true" if message is not None else "false")
        for picker in self.findChildren(QPushButton):
            if picker.property("role") == "picker":
                set_prop(picker, "invalid", "true" if message is not None else "false")

    @property
    def error(self) -> Message | None:
        return self._error

    def set_tag(self, text: str) -> None:
        self.tag.setText(text)
        self.tag.setVisible(bool(text))

    def set_read_only(self, read_only: bool) -> None:
        """A value the form works out itself (the birth date in an ID number, an answer
        already given): shown, not typed — no keys open for it, nothing to tap."""
        if read_only == bool(self.property("read_only")):
            return
        self.setProperty("read_only", read_only)
        for edit in self.findChildren(QLineEdit) + self.findChildren(QPlainTextEdit):
            if read_only:
                edit.setProperty("kind_when_typed", edit.property("input_kind"))
                edit.setProperty("input_kind", "")
            else:
                edit.setProperty("input_kind", edit.property("kind_when_typed") or "")
            edit.setReadOnly(read_only)
            edit.setFocusPolicy(Qt.FocusPolicy.NoFocus if read_only else Qt.FocusPolicy.TabFocus)
            set_prop(edit, "shown_only", "true" if read_only else "false")
        for choice in self.findChildren(QPushButton):
            choice.setEnabled(not read_only)

    def _typed(self, *_: object) -> None:
        """A change in progress (each key): the screen may clear a message it fixes."""
        self.typed_by = self.source_of(self.slot.key) if self.source_of else Source.CITIZEN
        self.changed.emit(self.slot.key)

    def _changed(self, *_: object) -> None:
        self.typed_by = self.source_of(self.slot.key) if self.source_of else Source.CITIZEN
        self.edited.emit(self.slot.key)


class TextField(FieldWidget):
    """Names and short text: the on-screen keyboard (Pinyin in Chinese, letters in English)."""

    edit: QLineEdit

    def build_input(self) -> QWidget:
        self.edit = NextLineEdit()
        mark(self.edit, InputKind.PINYIN, self.slot.field.label(self.language))
        if self.slot.field.max_length:
            self.edit.setMaxLength(self.slot.field.max_length)
        self.edit.textEdited.connect(self._typed)
        self.edit.editingFinished.connect(self._changed)
        return self.edit

    def value(self) -> str:
        return self.edit.text()

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def focus_input(self) -> None:
        self.edit.setFocus()


class LongTextField(FieldWidget):
    def build_input(self) -> QWidget:
        self.edit = QPlainTextEdit()
        mark(self.edit, InputKind.PINYIN, self.slot.field.label(self.language))
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


PAD_KINDS = {
    FieldType.ID_NUMBER: InputKind.ID_NUMBER,
    FieldType.MOBILE: InputKind.DIGITS,
    FieldType.INTEGER: InputKind.DIGITS,
    FieldType.MONEY: InputKind.MONEY,
    FieldType.USCC: InputKind.USCC,
}
GROUPS = {FieldType.ID_NUMBER: (6, 8, 4), FieldType.MOBILE: (3, 4, 4)}
LENGTHS = {FieldType.ID_NUMBER: 18, FieldType.MOBILE: 11, FieldType.USCC: 18}


KEYED = {  # text fields the catalog says are typed on the pad (FormField.keys)
    Keys.DIGITS: InputKind.DIGITS,
    Keys.DECIMAL: InputKind.MONEY,
    Keys.LETTERS_DIGITS: InputKind.ALNUM,
}


def pad_kind(field: FormField) -> InputKind | None:
    """The pad a field is typed on, or None for the keyboard, a picker or buttons."""
    if field.type is FieldType.TEXT:
        return KEYED.get(field.keys)
    return PAD_KINDS.get(field.type)


class PadField(FieldWidget):
    """ID number, mobile, integer, amount, credit code (and text the catalog marks as digits
    or capitals): typed on the kiosk's pad."""

    edit: GroupedLineEdit

    def build_input(self) -> QWidget:
        field_type = self.slot.field.type
        kind = pad_kind(self.slot.field)
        assert kind is not None, "a pad field has pad keys"
        self.kind = kind
        self.edit = GroupedLineEdit(GROUPS.get(field_type, ()))
        self.edit.setProperty("role", "number")  # large, spaced digits (theme)
        mark(self.edit, self.kind, self.slot.field.label(self.language))
        length = LENGTHS.get(field_type, self.slot.field.max_length or 40)
        self.edit.setMaxLength(length + len(GROUPS.get(field_type, ())))
        self.edit.textEdited.connect(self._typed)
        self.edit.editingFinished.connect(self._changed)
        return self.edit

    def value(self) -> str:
        return self.edit.value()

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def focus_input(self) -> None:
        self.edit.setFocus()


class DateField(FieldWidget):
    """A date, chosen on the picker (year, month, day): never typed."""

    def build_input(self) -> QWidget:
        self._date: dt.date | None = None
        self.picker = button("", "picker")
        self.picker.clicked.connect(self._open)
        return self.picker

    def _open(self) -> None:
        if self.pickers is not None:
            self.pickers.pick_date(self.slot.field.label(self.language), self._date, self._chosen)

    def _chosen(self, day: dt.date) -> None:
        self.set_value(day)
        self._changed()

    def retranslate(self, language: str) -> None:
        super().retranslate(language)
        self._show()

    def _show(self) -> None:
        day = getattr(self, "_date", None)
        if day is None:
            self.picker.setText(text("date_choose", self.language))
        else:
            # the English form names the month
            parts = {"y": day.year, "m": day.month, "d": day.day}
            shown = text("date_shown", self.language, month=calendar.month_abbr[day.month], **parts)
            self.picker.setText(shown)
        set_prop(self.picker, "empty", "true" if day is None else "false")

    def value(self) -> str:
        return self._date.isoformat() if self._date is not None else ""

    def set_value(self, value: Any) -> None:
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, str) and value:
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                value = None
        self._date = value if isinstance(value, dt.date) else None
        self._show()

    def focus_input(self) -> None:
        self.picker.setFocus()


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
        # As many across as the longest caption allows (a phone-width screen, large text).
        longest = max(len(c if isinstance(c, str) else c("zh")) for _, c in choices)
        columns = 1 if longest > 10 else 2 if field.type is FieldType.YESNO or longest > 5 else 3
        for index, (value, caption) in enumerate(choices):
            option = button("", "choice")
            option.setCheckable(True)
            option.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self.group.addButton(option)
            option.clicked.connect(self._changed)
            grid.addWidget(option, index // columns, index % columns)
            self.options.append((value, option, caption))
        for column in range(columns):
            grid.setColumnStretch(column, 1)
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
    """Province, city and district from the picker (starting at the hall's own area); only
    the street and number are typed."""

    def build_input(self) -> QWidget:
        holder = QWidget()
        box = QVBoxLayout(holder)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(12)
        self.region: tuple[str, str, str] = ("", "", "")
        self.picker = button("", "picker")
        self.picker.clicked.connect(self._open)
        self.detail = NextLineEdit()
        mark(self.detail, InputKind.PINYIN, self.slot.field.label(self.language))
        self.detail.textEdited.connect(self._typed)
        self.detail.editingFinished.connect(self._changed)
        box.addWidget(self.picker)
        box.addWidget(self.detail)
        return holder

    def _open(self) -> None:
        if self.pickers is None:
            return
        current = self.region if any(self.region) else self.pickers.home_region()
        self.pickers.pick_region(self.slot.field.label(self.language), current, self._chosen)

    def _chosen(self, region: tuple[str, str, str]) -> None:
        self.region = region
        self._show()
        self._changed()

    def retranslate(self, language: str) -> None:
        super().retranslate(language)
        self.detail.setPlaceholderText(text("address_detail", language))
        self._show()

    def _show(self) -> None:
        if not hasattr(self, "picker"):
            return
        shown = " ".join(part for part in self.region if part)
        self.picker.setText(shown or text("address_choose", self.language))
        set_prop(self.picker, "empty", "false" if shown else "true")

    def value(self) -> dict[str, str]:
        if not any(self.region) and not self.detail.text():
            return {}
        province, city, district = self.region
        return {
            "province": province,
            "city": city,
            "district": district,
            "detail": self.detail.text(),
        }

    def set_value(self, value: Any) -> None:
        parts = value if isinstance(value, Mapping) else {}
        self.region = (
            str(parts.get("province", "")),
            str(parts.get("city", "")),
            str(parts.get("district", "")),
        )
        self.detail.setText(str(parts.get("detail", "")))
        self._show()

    def use_home_region(self) -> None:
        """Start from the hall's own area (most visitors live near it)."""
        if self.pickers is not None and not any(self.region):
            self.region = self.pickers.home_region()
            self._show()

    def focus_input(self) -> None:
        self.detail.setFocus()


def field_widget(
    slot: Slot,
    language: str,
    required: bool,
    pickers: Pickers | None = None,
) -> FieldWidget:
    """The widget for a slot's field type."""
    kind = slot.field.type
    widget_type: type[FieldWidget] = TextField
    if pad_kind(slot.field) is not None:
        widget_type = PadField
    elif kind is FieldType.DATE:
        widget_type = DateField
    elif kind in (FieldType.CHOICE, FieldType.MULTI_CHOICE, FieldType.YESNO):
        widget_type = ChoiceField
    elif kind is FieldType.ADDRESS:
        widget_type = AddressField
    elif kind is FieldType.LONG_TEXT:
        widget_type = LongTextField
    return widget_type(slot, language, required, pickers=pickers)


__all__ = [
    "AddressField",
    "ChoiceField",
    "DateField",
    "FieldWidget",
    "LongTextField",
    "PadField",
    "Pickers",
    "TextField",
    "field_widget",
]
