"""Window tests: real widgets, offscreen, and a guard against work left running.

The window's own on-screen keyboard is the real one (Qt Virtual Keyboard, embedded
as ``kiosk run`` embeds it): tests type by tapping its keys (tests/ui/person.py).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

HERE = Path(__file__).parent
# Offscreen, with one 1920×1920 screen: room for a landscape 1920×1080 and a portrait
# 1080×1920 window (the plugin's default is 800×600, and
# QScroller finds the widget under a tap by its position on the screen).
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={HERE / 'offscreen-screen.json'}"
os.environ["QT_IM_MODULE"] = "qtvirtualkeyboard"
os.environ["QT_VIRTUALKEYBOARD_DESKTOP_DISABLE"] = "1"

from collections.abc import Callable, Iterator  # noqa: E402 - after the environment is set

import pytest  # noqa: E402
from PySide6.QtCore import QCoreApplication, QThread, QThreadPool  # noqa: E402

from kiosk.app import build_services  # noqa: E402
from kiosk.catalog import Catalog, parse_catalog  # noqa: E402
from kiosk.catalog.search import SearchIndex  # noqa: E402
from kiosk.config import DOCUMENT_KINDS, PrinterSettings, Settings  # noqa: E402
from kiosk.services import KioskServices  # noqa: E402
from kiosk.session import VisitorSession  # noqa: E402
from kiosk.ui import background  # noqa: E402
from kiosk.ui.services import Services  # noqa: E402
from kiosk.ui.voice import Voice  # noqa: E402
from kiosk.ui.window import MainWindow  # noqa: E402
from tests.printing.conftest import cups_queue  # noqa: E402, F401 (a fixture, used by name)
from tests.store.conftest import (  # noqa: E402, F401 (fixtures, used by name)
    bureau_urls,
    pg_bureau_url,
    pg_server,
)


@pytest.fixture(scope="session")
def bundle_catalog() -> Catalog:
    """A small catalog with a bundle (two required members, one optional) and a life event."""
    return parse_catalog((HERE / "bundle_catalog.yaml").read_text(encoding="utf-8"))


@pytest.fixture(autouse=True)
def _no_dangling_work(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail a test that leaves a QThread, a thread-pool task or a background op running."""
    started: list[QThread] = []
    original = QThread.start

    def tracking_start(self: QThread, *args: object) -> None:
        started.append(self)
        original(self, *args)

    monkeypatch.setattr(QThread, "start", tracking_start)
    yield
    running = [t for t in started if t.isRunning()]
    pool = QThreadPool.globalInstance().activeThreadCount()
    pending = background.pending_everywhere()
    for thread in running:
        thread.quit()
        thread.wait(5000)
    QThreadPool.globalInstance().waitForDone(5000)
    if running or pool or pending:
        pytest.fail(
            f"test left work running: {len(running)} QThread(s), {pool} pool task(s), "
            f"{pending} background op(s) not delivered"
        )


WindowFactory = Callable[..., MainWindow]
KioskFactory = Callable[..., KioskServices]


@pytest.fixture
def make_kiosk_services(tmp_path: Path, bundle_catalog: Catalog) -> Iterator[KioskFactory]:
    """Real services as `kiosk run` builds them (kiosk.app.build_services): a SQLite store and
    PDF-folder printers in tmp_path, the bureau database only when a URL is given."""
    built: list[KioskServices] = []

    def make(
        catalog: Catalog | None = None,
        *,
        bureau: str | None = None,
        printers: dict[str, PrinterSettings] | None = None,
        start: bool = False,
    ) -> KioskServices:
        name = f"kiosk-{len(built) + 1:02d}"
        folder = PrinterSettings(folder=tmp_path / name / "printed")
        settings = Settings(
            kiosk_id=name,
            data_dir=tmp_path / name,
            bureau_url=bureau,
            printers=printers or {kind: folder for kind in DOCUMENT_KINDS},
        )
        kiosk = build_services(settings, catalog or bundle_catalog)
        built.append(kiosk)
        if bureau is not None:
            kiosk.staff.sync_now()  # ticket-number blocks, as a kiosk has them after its first sync
        if start:
            kiosk.start()
        return kiosk

    yield make
    for kiosk in built:
        kiosk.close()


@pytest.fixture
def make_kiosk(make_kiosk_services: KioskFactory) -> KioskFactory:
    """Real services over a temporary store (tests/ui/staff has its own, with a staff PIN)."""
    return make_kiosk_services


def silent_voice(folder: Path) -> Voice:
    """The kiosk's real voice as it is on a machine without audio: it says nothing."""
    return Voice(folder, audio_present=lambda: False)


def window_services(kiosk: KioskServices, voice: Voice | None = None, **extra: object) -> Services:
    """The window's services over real ones, as the composition root hands them over."""
    folder = kiosk.settings.data_dir / "voice"
    return Services.of(kiosk, voice or silent_voice(folder), **extra)  # type: ignore[arg-type]


def settle(window: MainWindow) -> None:
    """Wait for every op of the window's background helper to finish and be delivered."""
    deadline = time.monotonic() + 60
    while window.background.pending() and time.monotonic() < deadline:
        window.background.wait(100)
        QCoreApplication.processEvents()


@pytest.fixture
def make_window(
    qtbot, tmp_path: Path, bundle_catalog: Catalog, make_kiosk_services: KioskFactory
) -> Iterator[WindowFactory]:
    """Build the real window at 1920×1080 over real services (a temporary SQLite store and
    PDF-folder printers: make_kiosk); the bundle catalog unless another is given."""
    windows: list[MainWindow] = []

    def make(
        catalog: Catalog | None = None,
        *,
        theme: str = "standard",
        settings: Settings | None = None,
        services: Services | None = None,
        session: VisitorSession | None = None,
        real_taps: bool = False,
    ) -> MainWindow:
        catalog = catalog or bundle_catalog
        settings = settings or Settings(data_dir=tmp_path / "window")
        window = MainWindow(
            session or VisitorSession(catalog, language=settings.language),
            settings,
            services or window_services(make_kiosk_services(catalog)),
            SearchIndex.build(catalog),
            theme_name=theme,
        )
        # Before pytest-qt closes and deletes it: let the window's background work (the papers
        # printed after a receipt, say) finish and answer, as a kiosk's would.
        qtbot.addWidget(window, before_close_func=settle)
        if not real_taps:
            # Taps right after a screen change are held back for 400 ms (tests/ui/test_taps.py
            # checks that with the real figure); here the person only waits 30 ms for it.
            window.guard.quiet_ms = 30
        window.show_at()
        window.activateWindow()
        qtbot.waitActive(window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.background.wait()
        qtbot.waitUntil(lambda: background.pending_everywhere() == 0, timeout=30_000)
