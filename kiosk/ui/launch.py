"""Start the Qt side: the application object, the window, and a clean stop on SIGTERM.

The composition root (kiosk.app) sets the environment (input method, locale),
builds settings, catalog and services, and calls :func:`run_window`.
"""

from __future__ import annotations

import os
import signal
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kiosk.catalog.catalog import Catalog
from kiosk.catalog.search import SearchIndex
from kiosk.config import Settings
from kiosk.session import VisitorSession
from kiosk.ui.services import Services
from kiosk.ui.window import MainWindow


def application() -> QApplication:
    """The process's QApplication (created once, with the kiosk's name)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv[:1])
    app.setApplicationName("yichuangtong-kiosk")
    app.setApplicationDisplayName("一窗通")
    return app


def build_window(
    settings: Settings, catalog: Catalog, services: Services, theme_name: str | None = None
) -> MainWindow:
    session = VisitorSession(catalog, language=settings.language)
    return MainWindow(
        session, settings, services, SearchIndex.build(catalog), theme_name=theme_name
    )


def has_display() -> bool:
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith(("xcb", "wayland")):
        return True  # eglfs, linuxfb, offscreen…: Qt draws without a window system
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def run_window(settings: Settings, catalog: Catalog, services: Services) -> int:
    app = application()
    window = build_window(settings, catalog, services)
    # Python only sees SIGTERM/SIGINT between bytecodes; a idle tick lets it in while Qt waits.
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    tick = QTimer()
    tick.timeout.connect(lambda: None)
    tick.start(500)
    window.show_kiosk()
    code = app.exec()
    window.background.wait()
    return int(code)
