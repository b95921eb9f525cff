"""Start the Qt side: the application object, the window, and a clean stop on SIGTERM.

``kiosk run`` paints the home screen first and loads the rest while the visitor
looks at it: :func:`run_window` shows a window that holds only its home screen
(which needs no catalog), then, once home has painted, runs the composition
root's ``load`` in the background — catalog, store, services, sync worker — builds the search index
and imports every other screen there too, and attaches it all to the window on
the GUI thread.  This module imports nothing heavy itself, so the first paint
waits only for Qt.  ``kiosk demo`` and the tests build the whole window at once
with :func:`build_window`.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.heap import map_large_blocks
from kiosk.ui.navigation import Screen
from kiosk.ui.qtlog import install_filter
from kiosk.ui.window import MainWindow, screen_types

if TYPE_CHECKING:
    from kiosk.catalog.catalog import Catalog
    from kiosk.catalog.search import SearchIndex
    from kiosk.config import Settings
    from kiosk.ui.services import Services

log = logging.getLogger(__name__)

# The most the load waits for home's first paint before starting anyway.
FIRST_PAINT_WAIT_MS = 3000

Milestone = Callable[[str], None]  # "painted" (home on screen), "ready" (every screen built)


class CannotStart(Exception):
    """The kiosk cannot serve anyone (its catalog, store or bureau URL is unusable), and the
    composition root has said why in ``problems``: for the operator, with no traceback."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Started:
    """What the composition root's ``load`` hands the window, and how to stop it at exit."""

    catalog: Catalog
    services: Services
    close: Callable[[], None]  # stop syncing, release the store


class _OneLine(logging.Formatter):
    """The operator's terminal: one line a problem (the traceback is in the log file)."""

    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname.lower()}: {record.getMessage()}"


def keep_a_log(folder: Path) -> Path:
    """``kiosk run``: everything worth keeping in ``<data dir>/kiosk.log`` (0600, rotated),
    warnings as one line on the terminal, and a bug in a slot logged there — never a
    traceback in the operator's face, never the kiosk gone."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kiosk.log"
    path.touch(mode=0o600, exist_ok=True)
    os.chmod(path, 0o600)
    file = logging.handlers.RotatingFileHandler(path, maxBytes=2_000_000, backupCount=5)
    file.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    terminal = logging.StreamHandler(sys.stderr)
    terminal.setLevel(logging.WARNING)
    terminal.setFormatter(_OneLine())
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    for handler in (file, terminal):
        root.addHandler(handler)

    def bug(kind: type[BaseException], error: BaseException, trace: object) -> None:
        log.error(
            "a bug in the window (%s: %s); the visit goes on",
            kind.__name__,
            error,
            exc_info=(kind, error, trace),  # type: ignore[arg-type]
        )

    sys.excepthook = bug
    return path


def application() -> QApplication:
    """The process's QApplication (created once, with the kiosk's name)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    map_large_blocks()  # before Qt allocates its big buffers (kiosk/heap.py)
    app = QApplication(sys.argv[:1])
    app.setApplicationName("yichuangtong-kiosk")
    app.setApplicationDisplayName("一窗通")
    install_filter()  # Qt's harmless noise stays out of the operator's terminal
    return app


def build_window(
    settings: Settings, catalog: Catalog, services: Services, theme_name: str | None = None
) -> MainWindow:
    from kiosk.catalog.search import SearchIndex
    from kiosk.session import VisitorSession

    session = VisitorSession(catalog, language=settings.language)
    return MainWindow(
        session, settings, services, SearchIndex.build(catalog), theme_name=theme_name
    )


def has_display() -> bool:
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform and not platform.startswith(("xcb", "wayland")):
        return True  # eglfs, linuxfb, offscreen…: Qt draws without a window system
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _prepare(load: Callable[[], Started]) -> tuple[Started, SearchIndex]:
    """Background: the composition root's load, the search index, every screen's module and
    the keyboard's (Qt Quick), so that the first tap on a field does not wait for them."""
    import kiosk.ui.input.keyboard  # noqa: F401  (imported for its side: loaded, not used here)
    from kiosk.catalog.search import SearchIndex

    started = load()
    search = SearchIndex.build(started.catalog)
    screen_types()  # imported here, off the GUI thread; the widgets are built on it later
    return started, search


class _FirstPaint(QObject):
    """Calls back once, when the watched widget has painted for the first time — or after
    ``latest_ms`` if no paint comes (a display that never exposes the window)."""

    def __init__(self, watched: QObject, callback: Callable[[], None], latest_ms: int = 0):
        super().__init__(watched)
        self._callback: Callable[[], None] | None = callback
        watched.installEventFilter(self)
        if latest_ms:
            QTimer.singleShot(latest_ms, self, self._call)

    def _call(self) -> None:
        if self._callback is not None:
            callback, self._callback = self._callback, None
            callback()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            QTimer.singleShot(0, self, self._call)  # after this paint has finished
        return False


def run_window(
    settings: Settings, load: Callable[[], Started], milestone: Milestone | None = None
) -> int:
    """Show the kiosk fullscreen at once, finish loading behind the home screen, run."""
    app = application()
    window = MainWindow(None, settings, None, None)
    if milestone is not None:
        _FirstPaint(window.screens[Screen.HOME], lambda: milestone("painted"))
    started: list[Started] = []
    outcome = [0]

    def loaded(result: tuple[Started, SearchIndex]) -> None:
        from kiosk.session import VisitorSession

        kiosk, search = result
        started.append(kiosk)
        window.attach(
            VisitorSession(kiosk.catalog, language=settings.language), kiosk.services, search
        )
        if milestone is not None:
            milestone("ready")

    def failed(error: Exception) -> None:
        # The kiosk cannot serve anyone without its catalog and store: say why, and stop.
        if isinstance(error, CannotStart):  # known: the operator reads what to do
            for problem in error.problems:
                print(problem, file=sys.stderr)
        else:  # a bug: the traceback goes to the log, where it helps
            print(f"the kiosk could not start: {error}", file=sys.stderr)
            log.error("the kiosk could not start", exc_info=error)
        outcome[0] = 1
        app.exit(1)

    # Python only sees SIGTERM/SIGINT between bytecodes; a idle tick lets it in while Qt waits.
    # exit(), not quit(): Qt 6's quit() first asks every window to close, and the kiosk
    # window refuses (visitors cannot close it), so quit() would be ignored.
    signal.signal(signal.SIGTERM, lambda *_: app.exit(0))
    signal.signal(signal.SIGINT, lambda *_: app.exit(0))
    tick = QTimer()
    tick.timeout.connect(lambda: None)
    tick.start(500)
    window.show_kiosk()

    def load_behind_home() -> None:
        window.background.run(lambda: _prepare(load), loaded, failed, label="start the kiosk")

    # The load starts once home is on screen: a worker importing and parsing holds the GIL,
    # and the GUI thread needs it for every Python event handler on the way to the first
    # paint (0.60 s with the load started beside it, 0.36 s after it; bench_ui).
    _FirstPaint(window.screens[Screen.HOME], load_behind_home, latest_ms=FIRST_PAINT_WAIT_MS)
    code = app.exec()
    window.background.wait()
    app.processEvents()  # a start-up that finished as the kiosk stopped: close it too
    for kiosk in started:
        kiosk.services.voice.close()
        kiosk.close()
    return int(code) or outcome[0]
