"""The on-screen keyboard: Qt Virtual Keyboard's InputPanel inside the kiosk window.

Qt Virtual Keyboard's "desktop" mode opens the keyboard as a window of its own
across the bottom of the screen, over whatever is there — the field being
filled included.  The kiosk instead hosts the InputPanel in a QQuickWidget that
is part of its own layout (:class:`~kiosk.ui.input.dock.InputDock`), so the
screens shrink above it and it can never cover what is being typed
(``QT_VIRTUALKEYBOARD_DESKTOP_DISABLE=1`` turns the desktop window off).

Only 简体中文 (Pinyin) and English are offered, following the window's language;
the keyboard's width — and with it every key — follows the theme.  Unfinished
Pinyin is never turned into a candidate behind the visitor's back:
:meth:`OnScreenKeyboard.settle` commits the letters typed before the focus moves.
The input method keeps no user dictionary (``ImhSensitiveData`` on every field,
and its data folder is the kiosk's own, emptied at every reset).  keyboard.qml
works around two Qt Quick leaks that cost memory on every tap: it lends the keys'
touch area a TouchPoint to reuse, and draws the keys tapped most without QML
States (tests/ui/test_input_memory.py).
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import shiboken6
from PySide6.QtCore import QMetaObject, QObject, QPoint, QRect, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtQuick import QQuickItem
from PySide6.QtQuickWidgets import QQuickWidget
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.ui.qtlog import quiet_categories

log = logging.getLogger(__name__)

QML = Path(__file__).with_name("keyboard.qml")
LOCALES = {"zh": "zh_CN", "en": "en_US"}


def _prepare_pinyin_folder() -> None:
    """Pinyin opens its (never written: every field is ImhSensitiveData) user dictionary in
    the config folder and warns when it has to create the folder: made here, private."""
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.ConfigLocation))
    pinyin = folder / "qtvirtualkeyboard" / "pinyin"
    pinyin.mkdir(parents=True, exist_ok=True)
    for part in (pinyin.parent, pinyin):
        os.chmod(part, 0o700)
    dictionary = pinyin / "usr_dict.dat"
    if not dictionary.exists():  # Pinyin's check is for the file: it makes a new one itself
        dictionary.touch(mode=0o600)


@dataclass(frozen=True)
class Key:
    """One key or candidate as the visitor sees it: its label and where it is on screen."""

    label: str  # the letter shown, a candidate's text, or a function key's name
    rect: QRect  # global (screen) coordinates

    @property
    def centre(self) -> QPoint:
        return self.rect.center()


# Function keys by their QML type (their faces are icons or change with the mode).
FUNCTION_KEYS = {
    "BackspaceKey": "backspace",
    "EnterKey": "enter",
    "ShiftKey": "shift",
    "SpaceKey": "space",
    "SymbolModeKey": "symbols",  # &123 / ABC
    "InputModeKey": "mode",  # 中 / 英 inside the Pinyin layout
    "ChangeLanguageKey": "language",
    "HideKeyboardKey": "hide",
}


class OnScreenKeyboard(QQuickWidget):
    """The InputPanel, sized by the width the dock gives it; its height follows."""

    height_changed = Signal(int)

    def __init__(self, user_data: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self._user_data = user_data
        user_data.mkdir(parents=True, exist_ok=True)
        os.chmod(user_data, 0o700)
        self.setObjectName("OnScreenKeyboard")
        # A key press must never take the focus from the field being filled.
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents)
        self.setResizeMode(QQuickWidget.ResizeMode.SizeRootObjectToView)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.setClearColor(Qt.GlobalColor.transparent)
        quiet_categories()  # before the QML loads: see kiosk.ui.qtlog
        _prepare_pinyin_folder()
        self.setInitialProperties({"userDataPath": str(user_data)})
        self.setSource(QUrl.fromLocalFile(str(QML)))
        root = self.rootObject()
        if root is None:  # a broken Qt installation: say what QML said, type on nothing
            for error in self.errors():
                log.error("on-screen keyboard: %s", error.toString())
            raise RuntimeError("the on-screen keyboard could not be loaded")
        self._root: QQuickItem = root
        root.implicitHeightChanged.connect(self._follow_height)
        self.hide()

    # ── what the dock sets ──
    def set_width(self, width: int) -> None:
        if width != self.width():
            self.setFixedWidth(width)
            self._root.setWidth(width)
            self._follow_height()

    def set_language(self, language: str) -> None:
        self._root.setProperty("locale", LOCALES.get(language, "zh_CN"))

    def set_candidate_row(self, shown: bool) -> None:
        """Keep the candidate row (Pinyin) or leave it out (letters typed as letters)."""
        self._root.setProperty("candidateRow", shown)

    def set_text_size(self, pixels: int) -> None:
        self._root.setProperty("candidatePixelSize", pixels)

    def _follow_height(self) -> None:
        height = round(self._root.implicitHeight())
        if height and height != self.height():
            self.setFixedHeight(height)
            self.height_changed.emit(height)

    @property
    def languages(self) -> list[str]:
        """The keyboard's languages (the globe key cycles through these only)."""
        return [str(code) for code in (self._root.property("activeLocales") or [])]

    @property
    def language(self) -> str:
        """The keyboard's language now, e.g. zh_CN (Pinyin) or en_US."""
        return str(self._root.property("keyboardLocale") or "")

    # ── pre-edit ──
    @property
    def alive(self) -> bool:
        """False once Qt has deleted the QML side (the application is closing)."""
        return shiboken6.isValid(self) and shiboken6.isValid(self._root)

    @property
    def preedit(self) -> str:
        if not self.alive:
            return ""
        return str(self._root.property("preedit") or "")

    def settle(self) -> bool:
        """Commit unfinished Pinyin as the letters typed; True when there was some."""
        return self._call("settle")

    def discard(self) -> bool:
        """Drop unfinished Pinyin (the visit is over); True when there was some."""
        return self._call("discard")

    def _call(self, name: str) -> bool:
        had = bool(self.preedit)
        if had:
            QMetaObject.invokeMethod(self._root, name, Qt.ConnectionType.DirectConnection)
        return had

    def forget(self) -> None:
        """The visit is over: nothing typed stays in the input method's folder."""
        self.discard()
        for entry in self._user_data.iterdir():
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)

    # ── what is on screen (for people and for tests) ──
    def visible_keys(self) -> list[Key]:
        """Every visible key and word candidate, with its label and screen rectangle."""
        found: list[Key] = []
        self._collect(self._root, found)
        if self._root.property("uppercase"):  # as drawn: the keys show capitals
            found = [Key(k.label.upper(), k.rect) if len(k.label) == 1 else k for k in found]
        inside = QRect(self.mapToGlobal(QPoint(0, 0)), self.size())
        # A candidate scrolled off the row's end is an item, but not something one can tap.
        return [key for key in found if inside.contains(key.rect.center())]

    def _collect(self, item: QQuickItem, found: list[Key]) -> None:
        for child in item.childItems():
            if not child.isVisible() or child.opacity() == 0:
                continue
            label = _key_label(child)
            if label is not None:
                top_left = child.mapToScene(child.boundingRect().topLeft()).toPoint()
                rect = QRect(self.mapToGlobal(top_left), child.size().toSize())
                if rect.width() > 0 and rect.height() > 0:
                    found.append(Key(label, rect))
            self._collect(child, found)


def _key_label(item: QObject) -> str | None:
    """A key's label (letters as shown, function keys by name), a candidate's text, or None."""
    if item.objectName() == "candidate":  # a word candidate (keyboard.qml's delegate)
        return str(item.property("candidateText") or "") or None
    if item.property("key") is None or item.property("displayText") is None:
        return None
    kind = item.metaObject().className().split("_QML", 1)[0]
    if kind in FUNCTION_KEYS:
        return FUNCTION_KEYS[kind]
    return str(item.property("displayText") or "") or None
