"""SubmissionDraft: what the GUI thread freezes from a VisitorSession (shipped item MS-YB-001,
and the second bureau's "later" and fee cases) — a copy that nothing in the window can change.
"""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest

from kiosk.catalog import Catalog, load_catalog
from kiosk.catalog.model import FieldType
from kiosk.consult import Consultation, build_notice
from kiosk.forms.filling import Source
from kiosk.kinds import Language, TargetKind
from kiosk.session import VisitorSession
from kiosk.submission import notice_json
from tests.second_bureau import SECOND_CATALOG


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
    draft = session.draft()
    item = catalog.items["MS-YB-001"]
    assert (draft.target_kind, draft.target_code, draft.item_codes) == (
        TargetKind.ITEM,
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


def test_the_draft_is_a_copy_the_window_cannot_change(catalog: Catalog) -> None:
    session = filled_session(catalog)
    draft = session.draft()
    frozen = (json.dumps(dict(draft.fields), default=str), json.dumps(dict(draft.answers)))
    session.clear()  # the visitor walks away: the window forgets everything
    assert session.filling is None and session.target_code is None
    assert (json.dumps(dict(draft.fields), default=str), json.dumps(dict(draft.answers))) == frozen
    with pytest.raises(AttributeError):
        draft.target_code = "X"  # type: ignore[misc]  # frozen


def test_making_a_draft_leaves_the_session_as_it_was(catalog: Catalog) -> None:
    session = VisitorSession(catalog)
    session.start_item(catalog.items["MS-YB-001"])
    consultation = session.consultation
    while (question := consultation.next_question()) is not None:  # type: ignore[union-attr]
        consultation.answer(question.id, question.answers()[0])  # type: ignore[union-attr]
    assert session.notice is None
    draft = session.draft()  # the notice is worked out for the draft, not stored in the session
    assert session.notice is None and draft.notice["eligible"]


def test_priority_visitors_get_the_priority_queue_by_the_one_rule(catalog: Catalog) -> None:
    (lane,) = catalog.priority_queues()
    draft = filled_session(catalog, priority=True).draft()
    assert draft.queue.priority and draft.queue.code == lane.code
    item_queue = catalog.items["MS-YB-001"].queue
    assert catalog.ticket_queue(item_queue, priority=True) is lane  # what 取号 uses too
    assert catalog.ticket_queue(item_queue) is catalog.queues[item_queue]
    assert catalog.ticket_queue(lane.code, priority=True) is lane  # a lane asked for stays


def test_a_kind_or_language_given_as_text_is_the_member_or_refused(catalog: Catalog) -> None:
    draft = filled_session(catalog).draft()
    as_text = replace(draft, target_kind="bundle", language="zh")  # type: ignore[arg-type]
    assert as_text.target_kind is TargetKind.BUNDLE and as_text.language is Language.ZH
    for wrong in ({"target_kind": "items"}, {"language": "fr"}):
        with pytest.raises(ValueError):
            replace(draft, **wrong)  # type: ignore[arg-type]


def test_nothing_chosen_is_not_a_submission(catalog: Catalog) -> None:
    with pytest.raises(ValueError, match="nothing to submit"):
        VisitorSession(catalog).draft()


def test_the_stored_notice_keeps_later_verdicts_and_fees() -> None:
    shanbei = load_catalog(SECOND_CATALOG)
    later = Consultation(shanbei.items["CJ-001"])
    later.answer("assessed", False)
    later.answer("by_agent", False)
    stored = notice_json(build_notice(shanbei, [later]))
    verdict = stored["verdicts"]["CJ-001"]
    assert verdict["kind"] == "later" and not verdict["eligible"]
    assert verdict["reason"]["zh"] == "办证前须先做残疾评定"
    assert verdict["first"]["en"] == "Get assessed at the county hospital's assessment clinic"
    assert verdict["where"]["zh"].startswith("县人民医院门诊楼三楼")
    assert "assessment_form" in [line["material"] for line in stored["lines"]]  # to bring back

    fee = Consultation(shanbei.items["HJ-002"])
    fee.answer("dibao", False)
    stored = notice_json(build_notice(shanbei, [fee]))
    (charge,) = stored["verdicts"]["HJ-002"]["fees"]
    assert Decimal(charge["amount"]) == Decimal("40") and charge["note"]["zh"] == "补领工本费"
    json.dumps(stored)  # JSON-ready, amounts as text
