"""售前 consultation: an item (or a bundle's chosen items) + answers → next question or verdict.

Questions are asked in catalog order; a question is asked only when its
``ask_if`` holds.  Answers that no longer apply after the visitor goes back and
changes an earlier answer (an abandoned branch) are dropped.  A refusal fires
as soon as its condition is definitely true.  The materials list (一次性告知)
is every material whose condition holds for the answers given.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kiosk.catalog import rules
from kiosk.catalog.catalog import Catalog
from kiosk.catalog.model import Bundle, Item, Material, Question, Text

Answer = bool | str


@dataclass(frozen=True)
class Verdict:
    eligible: bool
    reason: Text | None = None  # why not, for a refusal
    instead: Text | None = None  # where to go instead


ELIGIBLE = Verdict(True)


@dataclass
class Consultation:
    """One item's question flow for one visitor."""

    item: Item
    answers: dict[str, Answer] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)  # question ids in the order answered

    def _lookup(self, kind: str, ref: str) -> tuple[bool, Any]:
        return (ref in self.answers, self.answers.get(ref))

    def _asked(self, question: Question) -> bool:
        return question.ask_if is None or rules.holds(question.ask_if, self._lookup)

    def refusal(self) -> Verdict | None:
        for refusal in self.item.refusals:
            if rules.holds(refusal.when, self._lookup):
                return Verdict(False, refusal.reason, refusal.instead)
        return None

    def next_question(self) -> Question | None:
        if self.refusal() is not None:
            return None
        return next(
            (q for q in self.item.questions if q.id not in self.answers and self._asked(q)), None
        )

    def answer(self, question_id: str, value: Answer) -> None:
        question = next((q for q in self.item.questions if q.id == question_id), None)
        if question is None:
            raise KeyError(question_id)
        if value not in question.answers():
            raise ValueError(f"{value!r} is not an answer to {question_id}")
        if question_id in self.history:
            self.history.remove(question_id)
        self.answers[question_id] = value
        self.history.append(question_id)
        self._drop_abandoned()

    def back(self) -> Question | None:
        """Undo the last answer; returns the question to ask again (None at the start)."""
        if not self.history:
            return None
        last = self.history.pop()
        self.answers.pop(last, None)
        self._drop_abandoned()
        return next(q for q in self.item.questions if q.id == last)

    def _drop_abandoned(self) -> None:
        changed = True
        while changed:  # dropping one answer can make a later question irrelevant too
            changed = False
            for question in self.item.questions:
                if question.id in self.answers and not self._asked(question):
                    del self.answers[question.id]
                    self.history.remove(question.id)
                    changed = True

    def verdict(self) -> Verdict | None:
        """The verdict once every relevant question is answered (or a refusal fired)."""
        refused = self.refusal()
        if refused is not None:
            return refused
        return ELIGIBLE if self.next_question() is None else None

    def materials(self) -> list[Material]:
        return [
            m
            for m in self.item.material_list
            if m.when is None or rules.holds(m.when, self._lookup)
        ]

    def clear(self) -> None:
        self.answers.clear()
        self.history.clear()


@dataclass(frozen=True)
class NoticeLine:
    """One material of the 一次性告知, with the items that need it."""

    material: Material
    items: tuple[str, ...]
    originals: int
    copies: int


@dataclass(frozen=True)
class MaterialsNotice:
    """The one-time complete list of materials (一次性告知) for one visitor's case.

    Carries the catalog version and item codes so a printed notice can always be
    traced back to the catalog it came from.
    """

    catalog_version: str
    item_codes: tuple[str, ...]
    bundle_code: str | None
    verdicts: Mapping[str, Verdict]
    lines: tuple[NoticeLine, ...]

    @property
    def eligible(self) -> bool:
        return all(v.eligible for v in self.verdicts.values())


def build_notice(
    catalog: Catalog, consultations: Sequence[Consultation], bundle: Bundle | None = None
) -> MaterialsNotice:
    """Merge the materials of several items, without duplicates.

    The same document needed by several items is listed once: the largest
    number of originals to show, and one copy for each item that keeps one
    (each back office files its own copy).
    """
    merged: dict[str, tuple[Material, list[str], int, int]] = {}
    for consultation in consultations:
        verdict = consultation.verdict()
        if verdict is not None and not verdict.eligible:
            continue  # a refused item needs nothing brought; its verdict says why
        for material in consultation.materials():
            entry = merged.get(material.id)
            if entry is None:
                merged[material.id] = (
                    material,
                    [consultation.item.code],
                    material.originals,
                    material.copies,
                )
            else:
                first, codes, originals, copies = entry
                codes.append(consultation.item.code)
                merged[material.id] = (
                    first,
                    codes,
                    max(originals, material.originals),
                    copies + material.copies,
                )
    verdicts = {c.item.code: v for c in consultations if (v := c.verdict()) is not None}
    return MaterialsNotice(
        catalog_version=catalog.version,
        item_codes=tuple(c.item.code for c in consultations),
        bundle_code=bundle.code if bundle else None,
        verdicts=verdicts,
        lines=tuple(NoticeLine(m, tuple(codes), o, c) for m, codes, o, c in merged.values()),
    )


@dataclass
class BundleConsultation:
    """The chosen member items' questions, one after another.

    A question whose id was already answered for an earlier member (e.g. "is an
    agent applying?") is not asked again: the answer carries over.
    """

    catalog: Catalog
    bundle: Bundle
    members: list[Consultation]

    @classmethod
    def start(cls, catalog: Catalog, bundle: Bundle, chosen: Sequence[str]) -> BundleConsultation:
        return cls(catalog, bundle, [Consultation(catalog.items[code]) for code in chosen])

    def current(self) -> tuple[Consultation, Question] | None:
        for member in self.members:
            question = member.next_question()
            while question is not None and self._carry_over(member, question):
                question = member.next_question()
            if question is not None:
                return member, question
        return None

    def _carry_over(self, member: Consultation, question: Question) -> bool:
        for other in self.members:
            if other is member:
                break
            if question.id in other.answers and other.answers[question.id] in question.answers():
                member.answer(question.id, other.answers[question.id])
                return True
        return False

    def answer(self, value: Answer) -> None:
        current = self.current()
        if current is None:
            raise ValueError("no question is open")
        member, question = current
        member.answer(question.id, value)

    def back(self) -> None:
        """Undo the visitor's last answer.

        Answers carried over to later members are undone on the way: they were never
        typed, and leaving them would make ``current()`` carry them over again at once,
        so the visitor could never step back past them.
        """
        while True:
            member = next((m for m in reversed(self.members) if m.history), None)
            if member is None:
                return
            question_id = member.history[-1]
            carried = self._was_carried(member, question_id)
            member.back()
            if not carried:
                return

    def _was_carried(self, member: Consultation, question_id: str) -> bool:
        value = member.answers[question_id]
        for other in self.members:
            if other is member:
                return False
            if question_id in other.answers and other.answers[question_id] == value:
                return True
        return False

    def clear(self) -> None:
        for member in self.members:
            member.clear()

    def finished(self) -> bool:
        return self.current() is None

    def notice(self) -> MaterialsNotice:
        return build_notice(self.catalog, self.members, self.bundle)


def answer_paths(item: Item, limit: int = 10_000) -> Iterator[Consultation]:
    """Every way a visitor can answer an item's questions, ending in a verdict."""
    stack = [Consultation(item)]
    produced = 0
    while stack:
        consultation = stack.pop()
        question = consultation.next_question()
        if question is None:
            yield consultation
            produced += 1
            if produced >= limit:
                return
            continue
        for value in question.answers():
            branch = Consultation(item, dict(consultation.answers), list(consultation.history))
            branch.answer(question.id, value)
            stack.append(branch)


def walk_item(catalog: Catalog, item: Item) -> list[str]:
    """Problems on any answer path: no verdict, or eligible with nothing to bring."""
    problems = []
    for path in answer_paths(item):
        verdict = path.verdict()
        answers = ", ".join(f"{k}={v}" for k, v in path.answers.items()) or "no answers"
        if verdict is None:
            problems.append(f"item {item.code}: no verdict after {answers}")
        elif verdict.eligible and not path.materials():
            problems.append(f"item {item.code}: eligible with no materials after {answers}")
    return problems
