"""The input dock: where the visitor types, inside the window's own layout.

It follows the focus.  A field that takes text (:class:`InputKind` PINYIN or
LATIN) opens the on-screen keyboard; a number, ID number, amount or code opens
the kiosk's pad with that field's keys; anything else closes the dock.  Because
the dock is part of the window's layout — not a window laid over it — the
screen beside or above it shrinks when it opens, and the window scrolls the
focused field (with its message line) into the space that is left: nothing the
visitor is filling is ever under a key.

Where it sits (:class:`Placement`): a pad stands beside the screen on a
landscape window (it is narrow and would cost a lot of height below); the
keyboard is wide and goes below, with its caption and buttons beside it when
there is room and above it when there is not (a portrait screen).  It says what
is being filled and offers 下一项 (next field) and 收起 (put it away); the
keyboard's Enter key and the pad's action key do 下一项 too.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QWidget,
)

from kiosk.ui.input.kinds import InputKind, InputSpec, NextLineEdit, spec_of
from kiosk.ui.input.pad import COLUMNS, KEY_GAP, MOST_COLUMNS, Pad, key_grid
from kiosk.ui.text import text
from kiosk.ui.widgets.common import GAP, MARGIN, PAD, button, label

if TYPE_CHECKING:  # built by the window's factory; Qt Quick is imported only then
    from kiosk.ui.input.keyboard import OnScreenKeyboard

SIDE_COLUMN = 320  # room the keyboard's caption and buttons need beside it
KEYBOARD_RATIO = 2560 / 800  # Qt Virtual Keyboard's default style: width / height of the keys
WIDE_PADS = frozenset({InputKind.USCC, InputKind.CODE, InputKind.ALNUM})  # letters as well
CANDIDATE_ROW = 2.2  # the candidate row's height, in candidate text heights (keyboard.qml)


class Placement(StrEnum):
    SIDE = "side"  # a column at the right of the screens (a pad on a landscape window)
    BESIDE = "beside"  # below the screens, caption and buttons left of the keys
    ABOVE = "above"  # below the screens, caption and buttons in a bar above the keys


class InputDock(QFrame):
    """Bar + (pad | keyboard), below the screens; hidden while nothing is being typed."""

    opened = Signal(bool)  # the dock appeared (True) or went away (False)
    resized = Signal()  # its height changed while up (the candidate row came, a pad changed)

    def __init__(
        self,
        window: QWidget,
        make_keyboard: Callable[[], OnScreenKeyboard | None],
        on_next: Callable[[QWidget], bool],
        next_after: Callable[[QWidget], QWidget | None] = lambda _: None,
    ) -> None:
        super().__init__(window)
        self.setObjectName("InputDock")
        self._window = window
        self._make_keyboard = make_keyboard
        self._keyboard: OnScreenKeyboard | None = None
        self._keyboard_tried = False
        self._on_next = on_next
        self._next_after = next_after  # 下一项 when there is a next field, 完成 at the last
        self._language = "zh"
        self._keyboard_width = 1100
        self._text_size = 32
        self._key_height = 84
        self._last_field = False  # the focused field is the screen's last typing field
        self._spec: InputSpec | None = None
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(MARGIN // 2, 12, MARGIN // 2, 12)
        self.grid.setHorizontalSpacing(GAP)
        self.grid.setVerticalSpacing(12)
        self.caption = label("", "section")
        self.next_button = button("", "primary")
        self.next_button.setObjectName("DockNext")
        self.next_button.clicked.connect(self.next_field)
        self.hide_button = button("", "nav")
        self.hide_button.setObjectName("DockHide")
        self.hide_button.clicked.connect(self.put_away)
        self.pad = Pad(self.next_field)
        self.pad.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        # In the layout from the start: a parentless widget made visible would be a window.
        for column, widget in enumerate((self.caption, self.next_button, self.hide_button)):
            self.grid.addWidget(widget, 0, column)
        self.grid.addWidget(self.pad, 1, 0, 1, 3)
        self.placement: Placement | None = None
        self._place: Callable[[Placement], None] = lambda _: None
        self.pad.hide()
        self.hide()
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
            app.installEventFilter(self)  # Enter on a form's line edit: 下一项
        QGuiApplication.inputMethod().visibleChanged.connect(self._input_method_visible)
        self.retranslate("zh")

    # ── the keyboard, made on first need (its QML takes a moment to load) ──
    @property
    def keyboard(self) -> OnScreenKeyboard | None:
        if not self._keyboard_tried:
            self._keyboard_tried = True
            self._keyboard = self._make_keyboard()
            if self._keyboard is not None:
                self._keyboard.setParent(self)
                self._keyboard.set_width(self._keyboard_width)
                self._keyboard.set_text_size(self._text_size)
                self._keyboard.set_language(self._language)
                self._keyboard.hide()
        return self._keyboard

    @property
    def keyboard_ready(self) -> OnScreenKeyboard | None:
        """The keyboard if it has been made (nothing is loaded for asking)."""
        return self._keyboard

    # ── look ──
    def retranslate(self, language: str) -> None:
        self._language = language
        self.hide_button.setText(text("key_hide", language))
        self.pad.retranslate(language)
        self._show_action()
        if self._keyboard is not None:
            self._keyboard.set_language(language)
        self._show_caption()

    def set_sizes(self, keyboard_width: int, key_height: int, text_size: int) -> None:
        """Theme sizes: the keyboard's width (its keys follow), the pad's keys, candidates."""
        self._keyboard_width = keyboard_width
        self._text_size = text_size
        self._key_height = key_height
        self.pad.set_key_height(key_height)
        if self.isVisible():
            self._arrange()

    def set_placer(self, place: Callable[[Placement], None]) -> None:
        """The window puts the dock where a placement wants it (beside or below the screens)."""
        self._place = place

    def _placement_for(self, kind: InputKind) -> Placement:
        window = self._window
        landscape = window.width() > window.height()
        if kind.on_pad and landscape:
            # three keys across: a column beside the screen; letters too: a band below
            return Placement.BESIDE if kind in WIDE_PADS else Placement.SIDE
        room = window.width() - self._keyboard_width_for(Placement.BESIDE) - MARGIN
        return Placement.BESIDE if landscape and room >= SIDE_COLUMN else Placement.ABOVE

    def _keyboard_width_for(self, placement: Placement) -> int:
        """The theme's keyboard width, narrowed to fit: beside its buttons if need be, and never
        more than half the window's height tall (the keys keep the keyboard's proportions)."""
        window = self._window
        width = min(self._keyboard_width, window.width() - MARGIN)
        if placement is Placement.BESIDE:
            width = min(width, window.width() - SIDE_COLUMN - 2 * MARGIN)
        bar = 0 if placement is Placement.BESIDE else self._key_height + 24
        candidates = round(self._text_size * CANDIDATE_ROW) + 24
        height_left = window.height() // 2 - bar - candidates
        return max(360, min(width, round(height_left * KEYBOARD_RATIO)))

    def _pad_shape(self, placement: Placement, kind: InputKind) -> tuple[int, int]:
        """Columns and key height for the pad: the theme's key height where the window has
        room, else smaller keys — and for letters more columns, fewer rows — so the keys never
        overlap and the pad always fits (1366×768 in the elder theme)."""
        window = self._window
        if placement is Placement.SIDE:  # a phone's 3 × 4 and a row of ⌫ 清空 下一项
            header = getattr(window, "header", None)
            room = window.height() - (header.height() if header is not None else 0)
            room -= 24 + self._key_height + 2 * 12  # margins, 收起, the column's two gaps
            rows = 5
            key = self._key_height
            for _ in range(2):  # the caption wraps in the column the keys make, and back
                column = max(3 * round(key * 1.25) + 2 * KEY_GAP + 2 * PAD, 360)
                caption = self.caption.heightForWidth(column) if self.caption.text() else 0
                left = room - caption - 2 * PAD - rows * KEY_GAP
                key = max(48, min(self._key_height, left // rows))
            return 3, key
        # Below the screen: what the header and the field being typed (its label, the box,
        # its message line; the title and footer step aside) leave, and never less than 45 %.
        header = getattr(window, "header", None)
        field = (header.height() if header is not None else 0) + self._key_height * 2 + 24
        room = max(window.height() * 45 // 100, window.height() - field) - 24
        if placement is Placement.ABOVE:
            room -= self._key_height + 12  # the caption and 收起 above the keys
        across = window.width() - MARGIN
        if placement is Placement.BESIDE:
            across = min(across, window.width() - SIDE_COLUMN - 2 * MARGIN)
        if kind not in COLUMNS:
            rows = 5
            return 3, max(48, min(self._key_height, (room - 2 * PAD - rows * KEY_GAP) // rows))
        columns, key = key_grid(
            len(kind.symbols),
            across - 2 * PAD,
            room - 2 * PAD,
            gap=KEY_GAP,
            least=COLUMNS[kind],
            most=MOST_COLUMNS,
            tallest=self._key_height,
        )
        return columns, max(48, key)

    def _arrange(self) -> None:
        """Lay the bar and the keys out for the current placement and window size."""
        spec = self._spec
        if spec is None:
            return
        placement = self._placement_for(spec.kind)
        width = self._window.width()
        keyboard = self._keyboard
        keys: QWidget | None = self.pad if spec.kind.on_pad else keyboard
        if keyboard is not None:
            keyboard.set_width(self._keyboard_width_for(placement))
            keyboard.set_text_size(self._text_size)
        columns, key = 3, self._key_height
        if spec.kind.on_pad:
            columns, key = self._pad_shape(placement, spec.kind)
            self.pad.set_kind(spec.kind, columns)
        self.pad.set_key_height(key, small=key < self._key_height * 3 // 4)
        for widget in (self.caption, self.next_button, self.hide_button, self.pad, keyboard):
            if widget is not None:
                self.grid.removeWidget(widget)
        for row in range(5):
            self.grid.setRowStretch(row, 0)
        for column in range(3):
            self.grid.setColumnStretch(column, 0)
        centre = Qt.AlignmentFlag.AlignHCenter
        self.caption.setWordWrap(placement is not Placement.ABOVE)
        self.next_button.setVisible(not spec.kind.on_pad)  # a pad has its own 下一项 key
        if placement is Placement.SIDE:
            self.grid.addWidget(self.caption, 0, 0)
            self.grid.addWidget(self.pad, 1, 0, centre)
            self.grid.addWidget(self.hide_button, 3, 0)
            self.grid.setRowStretch(2, 1)
            self.pad.setFixedWidth(max(3 * round(key * 1.25) + 2 * KEY_GAP + 2 * PAD, 360))
            self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        elif placement is Placement.BESIDE:
            self.grid.addWidget(self.caption, 0, 0)
            self.grid.addWidget(self.next_button, 1, 0)
            self.grid.addWidget(self.hide_button, 2, 0)
            self.grid.setRowStretch(3, 1)
            if keys is not None:
                self.grid.addWidget(keys, 0, 1, 4, 1, centre)
            self.grid.setColumnStretch(1, 1)
            self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        else:
            self.grid.addWidget(self.caption, 0, 0)
            self.grid.addWidget(self.next_button, 0, 1)
            self.grid.addWidget(self.hide_button, 0, 2)
            self.grid.setColumnStretch(0, 1)
            if keys is not None:
                self.grid.addWidget(keys, 1, 0, 1, 3, centre)
            self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        if spec.kind.on_pad and placement is not Placement.SIDE:
            across = columns * round(key * 1.25) + (columns - 1) * KEY_GAP + 2 * PAD
            if placement is Placement.BESIDE:
                across = min(across, width - SIDE_COLUMN - 2 * MARGIN)
            self.pad.setFixedWidth(min(across, width - MARGIN))
        if self.placement is not placement:
            self.placement = placement
            self._place(placement)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.isVisible() and event.oldSize().height() != event.size().height():
            self.resized.emit()

    def fit(self, window_width: int) -> None:
        """The window changed size (another screen, a rotation): lay out again."""
        if self.isVisible():
            self._arrange()

    # ── following the focus ──
    @property
    def spec(self) -> InputSpec | None:
        return self._spec if self.isVisible() else None

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and not self._window.isAncestorOf(new):
            return  # the keyboard's own window or a dialog elsewhere: not ours to follow
        self.follow(new)

    def follow(self, widget: QWidget | None) -> None:
        spec = spec_of(widget)
        if spec is None or widget is None or not widget.isVisible():
            self.close_dock()
            return
        keyboard = None if spec.kind.on_pad else self.keyboard
        if not spec.kind.on_pad and keyboard is None:
            self.close_dock()  # no on-screen keyboard: a hardware keyboard is typing
            return
        self._spec = spec
        if spec.kind.on_pad:
            if self._keyboard is not None:
                self._keyboard.hide()
            QGuiApplication.inputMethod().hide()
            self.pad.set_target(widget if isinstance(widget, QLineEdit) else None, spec.kind)
            self.pad.show()
        elif keyboard is not None:
            self.pad.hide()
            self.pad.set_target(None, self.pad.kind or InputKind.DIGITS)
            keyboard.set_language(self._language)
            keyboard.set_candidate_row(spec.kind is InputKind.PINYIN)
            keyboard.show()
            method = QGuiApplication.inputMethod()
            # The keyboard may have been made during this very focus change, after Qt told the
            # input method about the field: tell it again (hints choose Pinyin or letters).
            method.update(Qt.InputMethodQuery.ImQueryAll)
            method.show()
        self._last_field = self._next_after(widget) is None
        self._show_caption()
        self._arrange()
        was_open = self.isVisible()
        self.show()
        if not was_open:
            self.opened.emit(True)

    def _show_action(self) -> None:
        """下一项 while there is a field after this one; at the last, the screen's own next
        step where it has one (查询), else 完成 (put the keys away)."""
        key = "key_done" if self._last_field else "key_next"
        action = finishing_action(QApplication.focusWidget()) if self._last_field else None
        if action is not None:
            key = action[1]
        self.next_button.setText(text(key, self._language))
        self.pad.set_action(key)

    def _show_caption(self) -> None:
        self._show_action()
        spec = self._spec
        self.caption.setText(
            text("keypad_for", self._language, field=spec.caption) if spec and spec.caption else ""
        )

    def close_dock(self) -> None:
        self._spec = None
        self.pad.set_target(None, self.pad.kind or InputKind.DIGITS)
        if self._keyboard is not None:
            self._keyboard.hide()
        QGuiApplication.inputMethod().hide()
        if self.isVisible():
            self.hide()
            self.opened.emit(False)

    def _input_method_visible(self) -> None:
        # Qt hides the input method on its own when the focus moves between widgets; while
        # the dock shows the keyboard for a text field, it stays active (its keys answer).
        if not QGuiApplication.inputMethod().isVisible():
            QTimer.singleShot(0, self, self._keep_active)

    def _keep_active(self) -> None:
        # Called with the dock as context: never after the dock is gone.
        if self._keyboard is None or not self._keyboard.alive:
            return
        spec = spec_of(QApplication.focusWidget())
        if self._keyboard.isVisible() and spec is not None and not spec.kind.on_pad:
            QGuiApplication.inputMethod().show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(watched, NextLineEdit)
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and self._window.isAncestorOf(watched)
        ):
            # After the edit has taken its Enter (editingFinished): then the next field.
            QTimer.singleShot(0, self, self.next_field)
        return False

    # ── the bar's buttons ──
    def settle(self) -> None:
        """Unfinished Pinyin becomes the letters typed, before the focus moves on."""
        if self._keyboard is not None:
            self._keyboard.settle()

    def next_field(self) -> None:
        self.settle()
        focused = QApplication.focusWidget()
        if focused is None or not self._on_next(focused):
            action = finishing_action(focused)
            self.put_away()
            if action is not None:
                action[0]()  # the screen's own next step (查询), without a second tap

    def put_away(self) -> None:
        """收起: the field keeps what was typed (its editingFinished runs), the dock goes."""
        self.settle()
        focused = QApplication.focusWidget()
        if isinstance(focused, QLineEdit | QPlainTextEdit) and self._window.isAncestorOf(focused):
            self._window.setFocus(Qt.FocusReason.OtherFocusReason)  # editingFinished runs
        self.close_dock()

    def forget(self) -> None:
        """The visit is over: no pre-edit, nothing in the input method's folder."""
        if self._keyboard is not None:
            self._keyboard.forget()
        self.close_dock()


def finishing_action(widget: QWidget | None) -> tuple[Callable[[], None], str] | None:
    """What a screen asked the last field's 下一项 to do instead of 完成: (action, words key).

    A screen sets ``edit.finish_with = (self.query, "status_query")`` on its one field."""
    action = getattr(widget, "finish_with", None) if widget is not None else None
    return action if isinstance(action, tuple) else None
