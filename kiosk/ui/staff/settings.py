"""Staff panel · 本机设置: the default language and look for the next visitors, and closing
the kiosk (the sync worker stopped, the databases released, the program ended)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton

from kiosk.config import THEMES
from kiosk.kinds import Language
from kiosk.ui.staff.base import StaffPage
from kiosk.ui.widgets.common import GAP, button, card, label

if TYPE_CHECKING:
    from kiosk.ui.staff.controls import StaffControls

LANGUAGES = tuple(Language)


class SettingsPage(StaffPage):
    key = "kiosk"

    def __init__(self, mode: StaffControls):
        super().__init__(mode)
        self.languages = self._choices("default_language", LANGUAGES, "language", self.set_language)
        self.themes = self._choices("default_theme", THEMES, "theme", self.set_theme)
        frame, box = card()
        title = label("", "section")
        title.setProperty("word", "exit_kiosk_title")
        hint = label("", "muted")
        hint.setProperty("word", "exit_kiosk_hint")
        box.addWidget(title)
        box.addWidget(hint)
        row = QHBoxLayout()
        self.exit_button = button("", None)
        self.exit_button.clicked.connect(self.exit_kiosk)
        row.addWidget(self.exit_button)
        row.addStretch(1)
        box.addLayout(row)
        self.list.add(frame)
        self._armed = False  # closing takes two presses: the first only asks

    def _choices(
        self, title_key: str, values: tuple[str, ...], word: str, choose: Callable[[str], None]
    ) -> dict[str, QPushButton]:
        frame, box = card()
        title = label("", "section")
        title.setProperty("word", title_key)
        box.addWidget(title)
        row = QHBoxLayout()
        row.setSpacing(GAP)
        group = QButtonGroup(self)
        found: dict[str, QPushButton] = {}
        for value in values:
            option = button("", "choice")
            option.setCheckable(True)
            option.setProperty("word", f"{word}_{value}")
            group.addButton(option)
            option.clicked.connect(lambda _=False, v=value: choose(v))
            row.addWidget(option)
            found[value] = option
        row.addStretch(1)
        box.addLayout(row)
        self.list.add(frame)
        return found

    def show_page(self) -> None:
        self._armed = False
        super().show_page()

    def retranslate(self) -> None:
        super().retranslate()
        settings = self.mode.window.settings
        for value, option in self.languages.items():
            option.setChecked(value == settings.language)
        for value, option in self.themes.items():
            option.setChecked(value == settings.theme)
        key = "exit_kiosk_confirm" if self._armed else "exit_kiosk"
        self.exit_button.setText(self.say(key))

    def set_language(self, language: str) -> None:
        self.mode.set_defaults(language=language)
        self.retranslate()

    def set_theme(self, name: str) -> None:
        self.mode.set_defaults(theme=name)
        self.retranslate()

    def exit_kiosk(self) -> None:
        if not self._armed:
            self._armed = True
            self.retranslate()
            return
        self.exit_button.setEnabled(False)
        self.exit_button.setText(self.say("exit_kiosk_busy"))
        self.mode.exit_kiosk()

    def wipe(self) -> None:
        self._armed = False
        self.tell("")
