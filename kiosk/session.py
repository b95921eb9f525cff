"""VisitorSession: what one visitor has chosen, answered and typed (and who typed it).

Pure Python, and the GUI thread's alone: the screens read and write it, and
:meth:`VisitorSession.draft` freezes it into a :class:`~kiosk.submission.SubmissionDraft`
— the only thing that crosses to a worker.  ``clear()`` forgets the visitor
completely — after it nothing personal is reachable from the session object.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from kiosk.catalog.catalog import Catalog
from kiosk.catalog.model import Bundle, FieldType, Item
from kiosk.consult import BundleConsultation, Consultation, MaterialsNotice, build_notice
from kiosk.forms.filling import Filling
from kiosk.kinds import Language, TargetKind
from kiosk.numbering import QueueRef
from kiosk.submission import SubmissionDraft, notice_json


@dataclass
class VisitorSession:
    catalog: Catalog
    language: Language = Language.ZH
    item: Item | None = None
    bundle: Bundle | None = None
    chosen: list[str] = field(default_factory=list)  # a bundle's chosen member items
    consultation: Consultation | BundleConsultation | None = None
    filling: Filling | None = None
    notice: MaterialsNotice | None = None
    priority: bool = False  # asked for the 绿色通道
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    # ── choosing ──
    def start_item(self, item: Item) -> None:
        self._reset_case()
        self.item = item
        self.chosen = [item.code]
        self.consultation = Consultation(item)
        self.filling = Filling.for_item(item)

    def start_bundle(self, bundle: Bundle, chosen: Sequence[str] | None = None) -> None:
        """Begin a bundle with the required members plus the optional ones chosen."""
        self._reset_case()
        self.bundle = bundle
        self.choose_members(
            chosen if chosen is not None else [m.item for m in bundle.members if m.required]
        )

    def choose_members(self, chosen: Sequence[str]) -> None:
        """Pick a bundle's items à la carte; required members are always in.

        Values typed so far are kept for the fields that remain.
        """
        assert self.bundle is not None, "choose_members needs a bundle"
        bundle = self.bundle
        picked = set(chosen) | {m.item for m in bundle.members if m.required}
        self.chosen = [m.item for m in bundle.members if m.item in picked]
        old = self.filling.values() if self.filling else {}
        if self.filling is not None:
            self.filling.clear()
        self.filling = Filling.for_bundle(bundle, self.items)
        keys = self.filling.slots()
        for key, entered in old.items():
            if key in keys:
                self.filling.set(key, entered.value, entered.source)
        previous = self.consultation
        self.consultation = BundleConsultation.start(self.catalog, bundle, self.chosen)
        if isinstance(previous, BundleConsultation):
            # Answers given for items that stay chosen are kept, in the order given.
            kept = {m.item.code: m for m in previous.members}
            for member in self.consultation.members:
                if member.item.code in kept:
                    old_member = kept[member.item.code]
                    for question_id in old_member.history:
                        if question_id in member.fixed:
                            continue  # a member chosen now answers it (produces.answers)
                        member.answer(question_id, old_member.answers[question_id])
            previous.clear()
        self.notice = None

    @property
    def items(self) -> list[Item]:
        return [self.catalog.items[code] for code in self.chosen]

    @property
    def target_code(self) -> str | None:
        if self.bundle is not None:
            return self.bundle.code
        return self.item.code if self.item else None

    # ── consultation ──
    def consultation_done(self) -> bool:
        if isinstance(self.consultation, BundleConsultation):
            return self.consultation.finished()
        return self.consultation is not None and self.consultation.verdict() is not None

    def build_notice(self) -> MaterialsNotice:
        self.notice = self._notice()
        if self.filling is not None:
            self.filling.answers = self.answers()  # form rules may depend on the answers
        return self.notice

    def _notice(self) -> MaterialsNotice:
        if isinstance(self.consultation, BundleConsultation):
            return self.consultation.notice()
        if self.consultation is not None:
            return build_notice(self.catalog, [self.consultation])
        raise ValueError("no item chosen")

    def answers(self) -> dict[str, dict[str, bool | str]]:
        """Per item, the answers given — by the visitor, or by the bundle for them."""
        if isinstance(self.consultation, BundleConsultation):
            return {m.item.code: m.all_answers() for m in self.consultation.members}
        if self.consultation is not None:
            return {self.consultation.item.code: self.consultation.all_answers()}
        return {}

    @property
    def has_form(self) -> bool:
        """False when no chosen item has a form: the visit ends with the notice and a ticket."""
        return any(item.has_form for item in self.items) and (
            self.filling is None or self.filling.has_form
        )

    # ── submitting ──
    def draft(self) -> SubmissionDraft:
        """What the visitor is submitting, frozen (copies only; the session is left as it is).

        Made on the GUI thread; the draft, never the session, goes to the worker that
        stores and prints it.  Raises ValueError when nothing with a form is chosen.
        """
        filling, target = self.filling, self.target_code
        if filling is None or target is None:
            raise ValueError("nothing to submit: no item or bundle chosen")
        if self.bundle is not None:
            kind, queue_code = TargetKind.BUNDLE, self.bundle.queue
        else:
            assert self.item is not None  # target_code came from it
            kind, queue_code = TargetKind.ITEM, self.item.queue
        fields: dict[str, dict[str, Any]] = {}
        holder_id: str | None = None
        for item in self.items:
            values = filling.form_values(item.code)
            fields[item.code] = {
                field_id: {"value": copy.deepcopy(entered.value), "source": entered.source.value}
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
        notice = self.notice if self.notice is not None else self._notice()
        return SubmissionDraft(
            target_kind=kind,
            target_code=target,
            item_codes=tuple(self.chosen),
            catalog_version=self.catalog.version,
            language=Language(self.language),
            queue=QueueRef.of(self.catalog.ticket_queue(queue_code, self.priority)),
            answers=copy.deepcopy(self.answers()),
            fields=fields,
            notice=notice_json(notice),
            priority=self.priority,
            holder_id=holder_id,
        )

    # ── forgetting ──
    def has_typed_values(self) -> bool:
        """Whether the visitor (or a guide) has entered anything into the form yet."""
        return self.filling is not None and bool(self.filling.values())

    def restart_filling(self) -> None:
        """Throw away what was typed into the form, keeping the choice and the answers."""
        if self.filling is None:
            return
        answers = {code: dict(given) for code, given in self.filling.answers.items()}
        self.filling.clear()
        if self.bundle is not None:
            self.filling = Filling.for_bundle(self.bundle, self.items)
        elif self.item is not None:
            self.filling = Filling.for_item(self.item)
        self.filling.answers = answers

    def discard_case(self) -> None:
        """Forget the item or bundle chosen and all that came with it (not the language)."""
        self._reset_case()

    def _reset_case(self) -> None:
        if self.filling is not None:
            self.filling.clear()
        # Emptied, not only dropped: a screen may still hold the object it was given.
        if isinstance(self.consultation, BundleConsultation):
            for member in self.consultation.members:
                member.clear()
        elif self.consultation is not None:
            self.consultation.clear()
        self.item = None
        self.bundle = None
        self.chosen = []
        self.consultation = None
        self.filling = None
        self.notice = None

    def clear(self, language: Language | str = Language.ZH) -> None:
        """Forget this visitor: choices, answers, typed values, notice, language."""
        self._reset_case()
        self.language = Language(language)
        self.priority = False
        self.started_at = datetime.now(UTC)
