"""A draft frozen from a real VisitorSession, stored and read back."""

from __future__ import annotations

import pytest

from kiosk.catalog import Catalog
from kiosk.store.local import LocalStore
from kiosk.store.ticket_book import TicketBook
from tests.test_submission import filled_session


@pytest.mark.db
def test_a_session_submits_and_reads_back(catalog: Catalog, store: LocalStore) -> None:
    draft = filled_session(catalog).draft()
    book = TicketBook("kiosk-01")
    receipt = store.submit(draft, book)  # no block yet and no kiosk index: no ticket
    view = store.submissions.status(receipt.code)
    assert view is not None and view.target_code == "MS-YB-001"
    record = store.submissions.record(receipt.code)
    assert record is not None and record.target_kind == "item"
    assert record.fields == draft.fields
