"""Staff-mode window tests: the real window over real services (kiosk.app.build_services on a
temporary data dir, PDF-folder printers), a simulated ID-card reader reading a JSON file, and
a PIN whose scrypt hash is made once per session.  The PIN gate and the corner gesture get a
clock the test moves by hand, so nobody waits five minutes for a lockout to end.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kiosk import SHIPPED_CATALOG
from kiosk.app import build_services
from kiosk.catalog import Catalog
from kiosk.config import Settings
from kiosk.idcard import SimulatedReader
from kiosk.services import KioskServices
from kiosk.staff_pin import hash_pin
from kiosk.ui.background import pending_everywhere
from kiosk.ui.window import MainWindow
from tests.store.conftest import (  # noqa: F401 (fixtures, used by name)
    bureau_urls,
    pg_bureau,
    pg_bureau_url,
    pg_server,
)
from tests.ui.conftest import window_services

PIN = "2468"


@pytest.fixture(scope="session")
def pin_hash() -> str:
    return hash_pin(PIN)


class Clock:
    """Monotonic seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 10_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class StaffKiosk:
    window: MainWindow
    services: KioskServices
    settings: Settings
    clock: Clock
    card_file: Path
    quits: list[str] = field(default_factory=list)

    @property
    def printed(self) -> Path:
        folder = self.settings.printer("form").folder
        assert folder is not None
        return folder


MakeKiosk = Callable[..., StaffKiosk]


@pytest.fixture
def make_kiosk(
    make_window, qtbot, tmp_path: Path, pin_hash: str, catalog: Catalog
) -> Iterator[MakeKiosk]:
    built: list[StaffKiosk] = []

    def make(
        catalog_: Catalog | None = None,
        *,
        theme: str = "standard",
        bureau: str | None = None,
        catalog_path: Path = SHIPPED_CATALOG,
        reader: bool = True,
        pin: str | None = pin_hash,
    ) -> StaffKiosk:
        chosen = catalog_ or catalog
        settings = Settings(
            kiosk_id="kiosk-07",
            hall_name="示范镇行政审批局",
            data_dir=tmp_path / f"kiosk-{len(built)}",
            catalog_path=catalog_path,
            bureau_url=bureau,
            pin_hash=pin,
            ticket_block_size=20,
            source=tmp_path / f"kiosk-{len(built)}.toml",
        )
        services = build_services(settings, chosen)
        card = tmp_path / "card.json"
        reading = SimulatedReader(card) if reader else None
        wired = window_services(services, id_reader=reading)
        window = make_window(chosen, theme=theme, settings=settings, services=wired)
        # Keyboard shortcuts (the chord) need the active window, as on the kiosk's screen.
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow, timeout=30_000)
        clock = Clock()
        window.staff.gate.clock = clock
        window.staff.corner.clock = clock
        kiosk = StaffKiosk(window, services, settings, clock, card)
        # Closing the application would end pytest's own event loops: record it instead.
        window.staff.quit_application = lambda: kiosk.quits.append("quit")
        built.append(kiosk)
        return kiosk

    yield make
    for kiosk in built:
        kiosk.window.background.wait()
        qtbot.waitUntil(lambda: pending_everywhere() == 0, timeout=30_000)
        kiosk.services.close()
