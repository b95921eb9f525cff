"""A submission as plain data: what the GUI thread freezes from a visitor's session.

:meth:`kiosk.session.VisitorSession.draft` makes a :class:`SubmissionDraft` on the
GUI thread, and only the draft crosses to the worker that stores it (kiosk.store)
and prints its forms (kiosk.services): a worker never touches the live session,
which the window may clear at any moment (the visitor walked away).  Everything in
it is a copy — JSON-ready values, answers and the materials notice as the visitor
was told it — so nothing the window does afterwards can change it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kiosk.kinds import Language, TargetKind
from kiosk.numbering import QueueRef

if TYPE_CHECKING:
    from kiosk.catalog.model import Text
    from kiosk.consult import MaterialsNotice, Verdict


@dataclass(frozen=True)
class SubmissionDraft:
    target_kind: TargetKind
    target_code: str
    item_codes: tuple[str, ...]
    catalog_version: str
    language: Language
    queue: QueueRef  # the ticket's queue (Catalog.ticket_queue: the priority lane if asked)
    answers: Mapping[str, Any] = field(default_factory=dict)  # item → question → answer
    fields: Mapping[str, Any] = field(default_factory=dict)  # item → field → value + source
    notice: Mapping[str, Any] = field(default_factory=dict)  # notice_json of what was told
    priority: bool = False
    holder_id: str | None = None  # the applicant's ID number: one waiting ticket per queue

    def __post_init__(self) -> None:
        # A kind or a language given as its text (a test, a script) is the member, or refused.
        object.__setattr__(self, "target_kind", TargetKind(self.target_kind))
        object.__setattr__(self, "language", Language(self.language))


def _text(text: Text | None) -> dict[str, str] | None:
    return {"zh": text.zh, "en": text.en} if text is not None else None


def _verdict_json(verdict: Verdict) -> dict[str, Any]:
    return {
        "kind": verdict.kind.value,  # eligible | later | refused
        "eligible": verdict.eligible,
        "reason": _text(verdict.reason),
        "instead": _text(verdict.instead),
        "first": _text(verdict.first),
        "where": _text(verdict.where),
        "fees": [{"amount": str(fee.amount), "note": _text(fee.note)} for fee in verdict.fees],
    }


def notice_json(notice: MaterialsNotice) -> dict[str, Any]:
    """The 一次性告知 as stored: what the visitor was told — verdicts ("later" ones with what
    to do first and where), fees, materials — readable without the catalog."""
    return {
        "catalog_version": notice.catalog_version,
        "item_codes": list(notice.item_codes),
        "bundle_code": notice.bundle_code,
        "eligible": notice.eligible,
        "verdicts": {code: _verdict_json(verdict) for code, verdict in notice.verdicts.items()},
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
        "provided": [
            {"material": p.material.id, "name": _text(p.material.name), "by_item": p.by_item}
            for p in notice.provided
        ],
    }
