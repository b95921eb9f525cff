"""A submission draft made from a real VisitorSession (shipped catalog item MS-YB-001)."""

from __future__ import annotations

import json

import pytest

from kiosk.catalog import Catalog
from kiosk.catalog.model import FieldType
from kiosk.forms.filling import Source
from kiosk.session import VisitorSession
from kiosk.store.drafts import draft_from_session
from kiosk.store.local import LocalStore
from kiosk.store.ticket_book import TicketBook


def filled_session(catalog: Catalog, *, priority: bool = False) -> VisitorSession:
    session = VisitorSession(catalog, language="en", priority=priority)
    session.start_item(catalog.items["MS-YB-001"])
    consultation = session.consultation
    assert consultation is not None and not isinstance(consultation, list)
    # The first answer to each question (yes): an eligible case, so the notice lists materials.
    while (question := consultation.next_question()) is not None:  # type: ignore[union-attr]
        consultation.answer(question.id, question.answers()[0])  # type: ignore[union-attr]
    filling = session.filling
    assert filling is not None
    assert filling.fill_examples() == {}
    for key, slot in filling.slots().items():  # the ID numbers as a card reader gives them
        if slot.field.type is FieldType.ID_NUMBER and (entered := filling.get(key)) is not None:
            assert filling.set(key, entered.value, Source.ID_CARD) is None
    session.build_notice()
    return session


def test_draft_carries_everything_the_visitor_gave(catalog: Catalog) -> None:
    session = filled_session(catalog)
    draft = draft_from_session(session)
    item = catalog.items["MS-YB-001"]
    assert (draft.target_kind, draft.target_code, draft.item_codes) == (
        "item",
        "MS-YB-001",
        ("MS-YB-001",),
    )
    assert draft.catalog_version == catalog.version and draft.language == "en"
    assert (
        draft.queue.code == item.queue and draft.queue.prefix == catalog.queues[item.queue].prefix
    )
    assert draft.answers == session.answers()
    id_fields = [f for f in item.field_list if f.type is FieldType.ID_NUMBER]
    values = draft.fields["MS-YB-001"]
    assert values[id_fields[0].id]["source"] == "id_card"
    assert draft.holder_id == values[id_fields[0].id]["value"]
    assert draft.notice["catalog_version"] == catalog.version
    assert draft.notice["lines"] and all(line["name"]["zh"] for line in draft.notice["lines"])
    json.dumps(dict(draft.fields)), json.dumps(dict(draft.notice))  # JSON-ready


def test_priority_visitors_get_the_priority_queue(catalog: Catalog) -> None:
    if not catalog.priority_queues():
        pytest.skip("the shipped catalog has no priority queue")
    draft = draft_from_session(filled_session(catalog, priority=True))
    assert draft.queue.priority and draft.queue.code == catalog.priority_queues()[0].code


def test_nothing_chosen_is_not_a_submission(catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="nothing to submit"):
        draft_from_session(VisitorSession(catalog))


@pytest.mark.db
def test_a_session_submits_and_reads_back(catalog: Catalog, store: LocalStore) -> None:
    draft = draft_from_session(filled_session(catalog))
    book = TicketBook("kiosk-01")
    receipt = store.submit(draft, book)  # no block yet and no kiosk index: no ticket
    view = store.submissions.status(receipt.code)
    assert view is not None and view.target_code == "MS-YB-001"
