"""A submission as plain data, made from a visitor's session just before it is stored.

``draft_from_session`` reads a :class:`kiosk.session.VisitorSession` (the item
or bundle, the catalog version, the answers, each form's values with who
entered them, the materials notice, the language, the priority request) and
picks the queue the ticket is for.  The draft is JSON-ready and frozen.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kiosk.numbering import QueueRef

if TYPE_CHECKING:
    from kiosk.catalog.model import Text
    from kiosk.consult import MaterialsNotice
    from kiosk.session import VisitorSession


@dataclass(frozen=True)
class SubmissionDraft:
    target_kind: str  # "item" or "bundle"
    target_code: str
    item_codes: tuple[str, ...]
    catalog_version: str
    language: str
    queue: QueueRef
    answers: Mapping[str, Any] = field(default_factory=dict)
    fields: Mapping[str, Any] = field(default_factory=dict)  # item → field → value + source
    notice: Mapping[str, Any] = field(default_factory=dict)
    priority: bool = False
    holder_id: str | None = None  # the applicant's ID number: one waiting ticket per queue


def _text(text: Text | None) -> dict[str, str] | None:
    return {"zh": text.zh, "en": text.en} if text is not None else None


def notice_json(notice: MaterialsNotice) -> dict[str, Any]:
    """The 一次性告知 as stored: what the visitor was told, readable without the catalog."""
    return {
        "catalog_version": notice.catalog_version,
        "item_codes": list(notice.item_codes),
        "bundle_code": notice.bundle_code,
        "eligible": notice.eligible,
        "verdicts": {
            code: {
                "eligible": verdict.eligible,
                "reason": _text(verdict.reason),
                "instead": _text(verdict.instead),
            }
            for code, verdict in notice.verdicts.items()
        },
        "lines": [
            {
                "material": line.material.id,
                "name": _text(line.material.name),
                "items": list(line.items),
                "originals": line.originals,
                "copies": line.copies,
                "format": line.material.format.value,
            }
            for line in notice.lines
        ],
    }


def draft_from_session(session: VisitorSession) -> SubmissionDraft:
    """The draft of what the visitor is submitting; raises ValueError if nothing is chosen."""
    from kiosk.catalog.model import FieldType  # here: crash-test workers never load pydantic

    catalog = session.catalog
    if session.filling is None or session.target_code is None:
        raise ValueError("nothing to submit: no item or bundle chosen")
    if session.bundle is not None:
        kind, queue_code = "bundle", session.bundle.queue
    else:
        assert session.item is not None
        kind, queue_code = "item", session.item.queue
    queue = catalog.queues[queue_code]
    priority_queues = catalog.priority_queues()
    if session.priority and priority_queues:
        queue = priority_queues[0]
    filling = session.filling
    fields: dict[str, dict[str, Any]] = {}
    holder_id: str | None = None
    for item in session.items:
        values = filling.form_values(item.code)
        fields[item.code] = {
            field_id: {"value": entered.value, "source": entered.source.value}
            for field_id, entered in values.items()
        }
        if holder_id is None:
            holder_id = next(
                (
                    str(values[f.id].value)
                    for f in item.field_list
                    if f.type is FieldType.ID_NUMBER and f.id in values
                ),
                None,
            )
    notice = session.notice if session.notice is not None else session.build_notice()
    return SubmissionDraft(
        target_kind=kind,
        target_code=session.target_code,
        item_codes=tuple(session.chosen),
        catalog_version=catalog.version,
        language=session.language,
        queue=QueueRef.of(queue),
        answers=session.answers(),
        fields=fields,
        notice=notice_json(notice),
        priority=session.priority,
        holder_id=holder_id,
    )
