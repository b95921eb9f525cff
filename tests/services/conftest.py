"""Fixtures for the service layer: KioskServices built by kiosk.app.build_services over a real
SQLite store, the real PostgreSQL bureau and real printers (a PDF folder, or the cupsd queue).

The database and CUPS fixtures are the ones tests/store and tests/printing use, imported so
that they are visible here (same skip / KIOSK_REQUIRE_DB=1 fail behaviour).
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import URL
from stdnum.cn import ric

from kiosk.app import build_services
from kiosk.catalog import Catalog
from kiosk.config import DOCUMENT_KINDS, PrinterSettings, Settings
from kiosk.services import KioskServices, Submitted, TicketResult
from kiosk.session import VisitorSession
from tests.printing.conftest import cups_queue  # noqa: F401 (a fixture, used by name)
from tests.store.conftest import (  # noqa: F401 (fixtures, used by name)
    bureau_url,
    bureau_urls,
    mariadb_server,
    pg_bureau,
    pg_bureau_url,
    pg_server,
)

ITEM = "MS-YB-001"
BUNDLE = "BD-START-FOOD"

MakeServices = Callable[..., KioskServices]


def id_number(n: int) -> str:
    """A valid resident ID number (a child born 2024-01-01), different for each ``n``."""
    body = f"11010520240101{n:03d}0"
    number = body[:-1] + ric.calc_check_digit(body)
    assert ric.is_valid(number)
    return number


def url_text(url: URL) -> str:
    return url.render_as_string(hide_password=False)


def closed_port_url() -> str:
    """A PostgreSQL URL on a loopback port nothing listens on: connecting is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/nowhere"


def cups_printers(queue: str) -> dict[str, PrinterSettings]:
    printer = PrinterSettings(backend="cups", queue=queue, timeout_s=60)
    return {kind: printer for kind in DOCUMENT_KINDS}


@pytest.fixture
def make_services(tmp_path: Path, catalog: Catalog) -> Iterator[MakeServices]:
    """Build services as the kiosk does (kiosk.app.build_services); all closed afterwards."""
    built: list[KioskServices] = []

    def make(
        *,
        bureau: str | None = None,
        printers: dict[str, PrinterSettings] | None = None,
        kiosk_id: str = "kiosk-01",
        catalog_: Catalog = catalog,
    ) -> KioskServices:
        settings = Settings(
            kiosk_id=kiosk_id,
            hall_name="示范镇行政审批局",
            data_dir=tmp_path / kiosk_id,
            bureau_url=bureau,
            printers=printers or {kind: PrinterSettings() for kind in DOCUMENT_KINDS},
            ticket_block_size=20,
        )
        services = build_services(settings, catalog_)
        built.append(services)
        return services

    yield make
    for services in built:
        services.close()


@pytest.fixture
def online(make_services: MakeServices, request: pytest.FixtureRequest) -> KioskServices:
    """Services with the PostgreSQL bureau and PDF-folder printers, ticket blocks leased."""
    services = make_services(bureau=url_text(request.getfixturevalue("pg_bureau_url")))
    assert services.staff.sync_now().error is None  # leases ticket-number blocks
    return services


def item_visit(catalog: Catalog, holder: str | None = None) -> VisitorSession:
    """A visitor who went through MS-YB-001 (eligible) and filled its form."""
    session = VisitorSession(catalog)
    session.start_item(catalog.items[ITEM])
    consultation = session.consultation
    assert consultation is not None
    while (question := consultation.next_question()) is not None:  # type: ignore[union-attr]
        consultation.answer(question.id, True)  # type: ignore[union-attr]
    fill_examples(session)
    assert session.filling is not None
    session.filling.set(f"{ITEM}.child_id_number", holder or id_number(1))
    session.build_notice()
    return session


def bundle_visit(catalog: Catalog) -> VisitorSession:
    """A visitor who went through BD-START-FOOD with its required members and filled them."""
    session = VisitorSession(catalog)
    session.start_bundle(catalog.bundles[BUNDLE])
    consultation = session.consultation
    while (current := consultation.current()) is not None:  # type: ignore[union-attr]
        _member, question = current
        first = question.answers()[0]
        consultation.answer(False if isinstance(first, bool) else first)  # type: ignore[union-attr]
    fill_examples(session)
    session.build_notice()
    return session


def fill_examples(session: VisitorSession) -> None:
    filling = session.filling
    assert filling is not None
    assert filling.fill_examples() == {}


def submit(services: KioskServices, session: VisitorSession) -> Submitted:
    """What the window does on 提交: the draft frozen, stored, then its papers printed."""
    submitted = services.submissions.submit(session.draft())
    services.submissions.print(submitted)
    return submitted


def take_ticket(services: KioskServices, *args: Any, **kwargs: Any) -> TicketResult:
    """What the window does on 取号: the ticket stored, then its slip printed."""
    return services.tickets.print(services.tickets.take(*args, **kwargs))
