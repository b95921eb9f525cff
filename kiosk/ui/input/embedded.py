"""Which keyboard the window types on, decided before the QApplication exists.

Kept apart from :mod:`kiosk.ui.input.keyboard` (which imports Qt Quick) so that
``kiosk run`` can choose the embedded keyboard and paint its home screen without
loading Qt Quick first: the keyboard itself is built the first time a field is
tapped, and its module is imported in the background load.
"""

from __future__ import annotations

import os

IM_MODULE = "qtvirtualkeyboard"


def keyboard_available() -> bool:
    """Whether Qt Virtual Keyboard is the application's input method (set before Qt starts)."""
    return os.environ.get("QT_IM_MODULE") == IM_MODULE


def use_embedded_keyboard() -> None:
    """Before the QApplication exists: Qt Virtual Keyboard, embedded (no window of its own)."""
    os.environ["QT_IM_MODULE"] = IM_MODULE
    os.environ["QT_VIRTUALKEYBOARD_DESKTOP_DISABLE"] = "1"
