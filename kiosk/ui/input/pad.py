"""The kiosk's own key pad: numbers, ID numbers (X), amounts, credit codes, application codes.

It types into whichever line edit it is pointed at and its keys never take the
focus, so the caret stays in the field being filled.  One pad serves every kind
(:class:`~kiosk.ui.input.kinds.InputKind`): its keys change with the field.  The
input dock shows it under the form; single-field screens (取号, 办件查询) keep
one of their own beside the field.  Its keys are laid out on a fixed grid with a
gap of at least 12 px, so a tap near a key's edge never lands on its neighbour.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGridLayout, QLineEdit, QPushButton, QVBoxLayout

from kiosk.ui.input.kinds import InputKind
from kiosk.ui.text import text
from kiosk.ui.widgets.common import PAD, button, clear_layout, label, set_prop

KEY_GAP = 14  # between keys: ≥ 12 px, so a finger's edge never types the neighbour
COLUMNS = {InputKind.USCC: 8, InputKind.CODE: 8, InputKind.ALNUM: 9}  # else a phone's 3 × 4
MOST_COLUMNS = 12


def key_grid(
    count: int, width: int, height: int, *, gap: int, least: int, most: int, tallest: int
) -> tuple[int, int]:
    """Columns and key height for ``count`` keys and a row of ⌫ 清空 … under them, in
    ``width`` × ``height``: the largest keys (by their shorter side) that fit, the theme's
    height at most, and of equal keys the fewest columns.  A short window (1366×768 in the
    elder theme) gets more columns and fewer rows rather than keys piled on each other."""
    best = (least, 0)
    best_side = -1
    for columns in range(least, max(least, most) + 1):
        rows = -(-count // columns) + 1
        key_height = min(tallest, (height - (rows - 1) * gap) // rows)
        key_width = (width - (columns - 1) * gap) // columns
        side = min(key_height, key_width)
        if side > best_side:
            best, best_side = (columns, key_height), side
    return best[0], max(1, best[1])


class Pad(QFrame):
    """Keys for one input kind, plus ⌫, 清空 and an action key (下一项 / 完成 …)."""

    def __init__(
        self,
        on_action: Callable[[], None],
        *,
        action_key: str = "key_next",
        caption: bool = False,
    ) -> None:
        super().__init__()
        self._on_action = on_action
        self._action_key = action_key
        self._key_height = 84
        self._small = False
        self.setObjectName("Keypad")
        box = QVBoxLayout(self)
        box.setContentsMargins(PAD, PAD, PAD, PAD)
        box.setSpacing(KEY_GAP)
        self.caption = label("", "section")
        self.caption.setVisible(caption)
        box.addWidget(self.caption)
        self.grid = QGridLayout()
        self.grid.setSpacing(KEY_GAP)
        box.addLayout(self.grid)
        box.addStretch(1)
        self.keys: dict[str, QPushButton] = {}
        self.backspace = self._key("⌫", action=True)
        self.clear_key = self._key("", action=True)
        self.action_key = self._key("", action=True)
        set_prop(self.action_key, "tone", "done")
        self._target: QLineEdit | None = None
        self._kind: InputKind | None = None
        self._columns = 0
        self._language = "zh"
        self._limit: Callable[[str], bool] | None = None
        self.set_kind(InputKind.DIGITS)

    def _key(self, face: str, *, action: bool = False) -> QPushButton:
        key = button(face, "key")
        key.setProperty("fitted", True)  # sized by the pad, not by the theme's minimums
        key.setProperty("small", "true" if self._small else "false")
        key.setFixedHeight(self._key_height)
        if action:
            key.setProperty("tone", "action")
        key.clicked.connect(lambda _=False, k=key: self._press(k))
        return key

    # ── what it types into ──
    @property
    def target(self) -> QLineEdit | None:
        return self._target

    @property
    def kind(self) -> InputKind | None:
        return self._kind

    def set_target(self, target: QLineEdit | None, kind: InputKind, caption: str = "") -> None:
        self._target = target
        self.set_kind(kind)
        self.caption.setText(text("keypad_for", self._language, field=caption) if caption else "")

    @property
    def columns(self) -> int:
        return self._columns

    def set_kind(self, kind: InputKind, columns: int | None = None) -> None:
        """The keys of ``kind``, ``columns`` across (letters and digits; a phone's pad is
        always 3 × 4)."""
        if kind not in COLUMNS:
            columns = 3
        elif columns is None:  # as the dock last fitted them, if this kind can have as many
            columns = self._columns if self._columns >= COLUMNS[kind] else COLUMNS[kind]
        if kind is self._kind and columns == self._columns:
            return
        self._kind = kind
        self._columns = columns
        for key in (self.backspace, self.clear_key, self.action_key):
            self.grid.removeWidget(key)
        clear_layout(self.grid)
        self.keys = {}
        symbols = kind.symbols
        for index, symbol in enumerate(symbols):
            key = self._key(symbol)
            self.keys[symbol] = key
            self.grid.addWidget(key, index // columns, index % columns)
        row = (len(symbols) + columns - 1) // columns
        if columns == 3:
            if len(symbols) == 10:  # digits: 0 in the middle of the last row, ⌫ after it
                self.grid.removeWidget(self.keys["0"])
                self.grid.addWidget(self.keys["0"], 3, 1)
            self.grid.addWidget(self.backspace, 3, 2)
            self.grid.addWidget(self.clear_key, 4, 0)
            self.grid.addWidget(self.action_key, 4, 1, 1, 2)
        else:
            third = columns // 4
            self.grid.addWidget(self.backspace, row, 0, 1, third * 2)
            self.grid.addWidget(self.clear_key, row, third * 2, 1, third)
            self.grid.addWidget(self.action_key, row, third * 3, 1, columns - third * 3)
        for column in range(MOST_COLUMNS + 1):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)
        self.set_key_height(self._key_height, small=self._small)  # the new keys, styled

    def set_key_height(self, height: int, *, small: bool = False) -> None:
        """Keys of the theme's height: all the same, so rows never overlap; ``small`` faces
        where the keys had to be made much shorter than the theme's (the face must fit)."""
        self._key_height = height
        self._small = small
        for key in self.findChildren(QPushButton):
            face = "true" if small else "false"
            if key.property("small") != face:
                set_prop(key, "small", face)
            # Styled first: polishing sets the style sheet's minimum height, which would
            # undo a fixed height set before it.
            key.ensurePolished()
            key.setFixedHeight(height)

    def set_action(self, key: str) -> None:
        """The action key's words: 下一项 in a form, 完成 / 查询 on a one-field screen."""
        self._action_key = key
        self.retranslate(self._language)

    def set_limit(self, accepts: Callable[[str], bool] | None) -> None:
        """Refuse a key when the text with it would no longer fit (e.g. 18 characters)."""
        self._limit = accepts

    def retranslate(self, language: str) -> None:
        self._language = language
        self.clear_key.setText(text("key_clear", language))
        self.action_key.setText(text(self._action_key, language))

    # ── typing ──
    def _press(self, key: QPushButton) -> None:
        target = self._target
        if key is self.action_key:
            self._on_action()
            return
        if target is None:
            return
        # insert() and backspace() report textEdited as a hardware keyboard does.
        if key is self.backspace:
            target.backspace()
        elif key is self.clear_key:
            target.selectAll()
            target.backspace()
        else:
            face = key.text()
            if self._limit is not None and not self._limit(face):
                return
            target.insert(face)
        if not target.hasFocus() and target.isVisible():
            target.setFocus(Qt.FocusReason.OtherFocusReason)
