"""A kiosk on its embedded defaults (no bureau_url: `make run`, `make demo`) numbers its
own tickets: 取号 and submit give real numbers, with no bureau and no sync worker."""

from __future__ import annotations

from pathlib import Path

from kiosk.app import build_services
from kiosk.catalog import Catalog
from kiosk.config import Settings
from kiosk.numbering import BAND_STANDALONE
from kiosk.store.models import Ticket
from tests.services.conftest import id_number, item_visit, take_ticket


def test_with_no_bureau_the_kiosk_issues_its_own_ticket_numbers(
    tmp_path: Path, catalog: Catalog
) -> None:
    settings = Settings(data_dir=tmp_path / "kiosk")  # the defaults, but for the data dir
    assert settings.bureau_url is None
    services = build_services(settings, catalog)
    try:
        assert services.bureau is None and services.sync is None
        assert services.book.standalone

        first = take_ticket(services, "livelihood", id_number=id_number(1))
        assert first.problem is None and not first.reprint_offered
        assert first.ticket is not None and first.ticket.number == "B001"
        assert first.printed is not None and first.printed.accepted
        assert Path(str(first.printed.result.job)).read_bytes().startswith(b"%PDF")

        again = take_ticket(services, "livelihood", id_number=id_number(1))
        assert again.reprint_offered and again.ticket is not None
        assert again.ticket.number == "B001", "the holder's waiting ticket, offered for 补打"

        other = take_ticket(services, "invest")
        assert other.ticket is not None and other.ticket.number == "A001"

        submitted = services.submissions.submit(item_visit(catalog, id_number(2)).draft())
        assert submitted.message is None and submitted.ticket_to_print
        assert submitted.ticket is not None and submitted.ticket.number == "B002"
        prints = services.submissions.print(submitted)
        assert prints.ticket_print is not None and prints.ticket_print.accepted

        with services.store.sessions() as session:
            ticket = session.get(Ticket, first.ticket.id)
            assert ticket is not None and ticket.band == BAND_STANDALONE
    finally:
        services.close()
