"""Qt's own log lines that say nothing to an operator, kept out of the kiosk's output.

Each rule names what Qt does and why it is harmless:

- ``qt.qml.propertyCache.append``: Qt Virtual Keyboard 6.11's PopupList overrides
  ``contentWidth`` of ListView (Qt's QML, not ours).  The message comes from the
  QML type loader's thread while the GUI thread waits for it; with a Python
  message handler installed (pytest-qt installs one) that wait deadlocks, so the
  category is switched off before the keyboard is loaded.
- ``qt.multimedia.symbolsresolver``: QtMultimedia's FFmpeg backend probing for
  optional video-acceleration libraries (VA-API, PipeWire); sound needs none.
- Qt Virtual Keyboard 6.11 binds to the focused input's ``echoMode``; QLineEdit's
  has no change signal, so every focus change logs "depends on non-bindable
  properties: QLineEdit::echoMode" (category ``default``: filtered by message in
  :func:`install_filter` for ``kiosk run``, and by ``qt_log_ignore`` in the tests).
"""

from __future__ import annotations

import logging
import re

from PySide6.QtCore import QLoggingCategory, QMessageLogContext, QtMsgType, qInstallMessageHandler

RULES = "\n".join(("qt.qml.propertyCache.append=false", "qt.multimedia.symbolsresolver=false"))
BENIGN = (
    re.compile(r"QQmlExpression: Expression qrc:/qt-project\.org/imports/QtQuick/VirtualKeyboard/"),
    re.compile(r"^\s*\w+::echoMode\s*$"),
)

log = logging.getLogger("qt")
_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}


def quiet_categories() -> None:
    """Switch the harmless categories off (before the keyboard's QML is loaded)."""
    QLoggingCategory.setFilterRules(RULES)


def benign(message: str) -> bool:
    return any(pattern.search(message) for pattern in BENIGN)


def _handler(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    if benign(message):
        return
    log.log(_LEVELS.get(kind, logging.WARNING), "%s", message)


def install_filter() -> None:
    """``kiosk run``: Qt's messages go to logging, the harmless ones nowhere."""
    quiet_categories()
    qInstallMessageHandler(_handler)
