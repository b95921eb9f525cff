"""Rules of the hall the services keep with the store (#12): one waiting ticket per person
and queue across kiosks, rating words checked like form text, printed PDFs purged, and
a damaged store shown to staff.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from kiosk.catalog import Catalog
from kiosk.services import (
    UNSTORABLE_TEXT,
    KioskServices,
    RatingIncomplete,
    ServiceUnavailable,
)
from kiosk.store.db import StoreUnavailable, checkpoint
from kiosk.store.local import LocalStore
from tests.services.conftest import (
    MakeServices,
    id_number,
    item_visit,
    submit,
    take_ticket,
    url_text,
)


@pytest.fixture
def two_kiosks(
    make_services: MakeServices, request: pytest.FixtureRequest
) -> tuple[KioskServices, KioskServices]:
    url = url_text(request.getfixturevalue("pg_bureau_url"))
    kiosks = (
        make_services(bureau=url, kiosk_id="kiosk-01"),
        make_services(bureau=url, kiosk_id="kiosk-02"),
    )
    for kiosk in kiosks:
        assert kiosk.staff.sync_now().error is None  # registered, hall secret known, blocks leased
    return kiosks


def test_one_waiting_ticket_per_person_and_queue_across_kiosks(
    two_kiosks: tuple[KioskServices, KioskServices], catalog: Catalog
) -> None:
    """Before: the rule held per kiosk only; the same ID number got a second number next door."""
    first, second = two_kiosks
    taken = take_ticket(first, "livelihood", id_number=id_number(7))
    assert taken.ticket is not None and not taken.reprint_offered
    assert first.staff.sync_now().error is None  # the ticket reaches the bureau
    again = take_ticket(second, "livelihood", id_number=id_number(7))
    assert again.reprint_offered and again.ticket is not None
    assert again.ticket.number == taken.ticket.number and again.ticket.id == taken.ticket.id
    reprinted = second.tickets.reprint(again.ticket.id, id_number=again.id_tail)
    assert reprinted.printed is not None and reprinted.printed.accepted  # 补打 here works
    submitted = submit(second, item_visit(catalog, id_number(7)))  # the same person applies
    assert submitted.reprint_offered and submitted.ticket is not None
    assert submitted.ticket.number == taken.ticket.number
    other = take_ticket(second, "livelihood", id_number=id_number(8))
    assert other.ticket is not None and other.ticket.number != taken.ticket.number
    elsewhere = take_ticket(second, "invest", id_number=id_number(7))  # another queue: allowed
    assert elsewhere.ticket is not None and not elsewhere.reprint_offered
    assert second.staff.sync_now().error is None
    assert second.store.outbox.quarantined() == []  # the adopted ticket is never resent


def test_rating_words_are_checked_like_form_text(
    make_services: MakeServices, catalog: Catalog
) -> None:
    """Before: any comment was stored — 100,000 characters, control characters, a lone
    surrogate (which then crashed hashing and blocked the bureau sync)."""
    services = make_services()
    result = submit(services, item_visit(catalog, id_number(9)))
    submission = result.receipt.submission_id
    for comment in ("很" * 501, "好\x00评", "bell\x07"):
        with pytest.raises(RatingIncomplete) as refused:
            services.ratings.rate("satisfied", submission_id=submission, comment=comment)
        assert refused.value.message.zh and refused.value.message.en
    with pytest.raises(RatingIncomplete) as surrogate:
        services.ratings.rate("satisfied", submission_id=submission, comment="王\ud800明")
    assert surrogate.value.message in (UNSTORABLE_TEXT, surrogate.value.message)
    saved = services.ratings.rate("satisfied", submission_id=submission, comment="  态度很好  ")
    assert saved.level.value == "satisfied"
    assert services.store.outbox.backlog() >= 1


def test_printed_pdfs_past_retention_are_removed(
    make_services: MakeServices, catalog: Catalog
) -> None:
    services = make_services()
    submit(services, item_visit(catalog, id_number(3)))
    folder = services.settings.printer("form").folder
    assert folder is not None
    printed = sorted(folder.glob("*.pdf"))
    assert printed, "the pdf-folder printer wrote the forms"
    old = printed[0]
    month_ago = time.time() - 31 * 86400
    os.utime(old, (month_ago, month_ago))
    services.start()  # without a bureau the retention purge runs once at start
    assert not old.exists() and all(p.exists() for p in printed[1:])


def test_a_damaged_store_is_shown_to_staff_with_what_to_do(
    make_services: MakeServices, catalog: Catalog
) -> None:
    services = make_services()
    for n in range(40):
        submit(services, item_visit(catalog, id_number(20 + n)))
    checkpoint(services.store.engine)
    services.store.engine.dispose()
    path: Path = services.settings.local_db_path
    pages = path.stat().st_size // 4096
    with path.open("r+b") as damaged:
        for page in range(pages // 2, pages):
            damaged.seek(page * 4096)
            damaged.write(b"\xa5" * 4096)
    with pytest.raises(ServiceUnavailable) as refused:
        submit(services, item_visit(catalog, id_number(99)))
    assert "damaged" in refused.value.detail
    panel = services.staff.sync_state(compare=False)
    assert panel.store_problem is not None and "damaged" in panel.store_problem
    assert panel.store_remedy is not None and "move" in panel.store_remedy
    with pytest.raises(StoreUnavailable) as at_start:  # and at the next start
        LocalStore.open(f"sqlite:///{path}", "kiosk-01")
    assert "damaged" in at_start.value.problem
