"""售前 consultation: an item (or a bundle's chosen items) + answers → next question or verdict.

Questions are asked in catalog order; a question is asked only when its
``ask_if`` holds.  Answers that no longer apply after the visitor goes back and
changes an earlier answer (an abandoned branch) are dropped.

The verdict (:class:`Verdict`) is one of three kinds:

- **refused** — a refusal fires as soon as its condition is definitely true: why not,
  and where to go instead;
- **later** — "not yet": once every question is answered, a ``later`` rule that holds
  says why, what to do first and where; the materials to bring when coming back are
  the case's list plus the rule's own ``bring``;
- **eligible** — the materials list (一次性告知) is every material whose condition holds.

Eligible and later verdicts carry the case's fees (:class:`FeeLine`, every ``fees``
entry whose condition holds).  Some questions are never asked: a bundle may answer
them itself, and a chosen member may answer the others' (its ``produces.answers``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from kiosk.catalog import rules
from kiosk.catalog.catalog import Catalog
from kiosk.catalog.model import Bundle, Item, Material, Question, Text

Answer = bool | str


class VerdictKind(StrEnum):
    ELIGIBLE = "eligible"  # 可以办理
    LATER = "later"  # 暂不能办理: do something first, then come back
    REFUSED = "refused"  # 不符合条件


@dataclass(frozen=True)
class FeeLine:
    """One charge for the visitor's case: yuan (0 for a waiver) and what it is for."""

    amount: Decimal
    note: Text


@dataclass(frozen=True)
class Verdict:
    kind: VerdictKind
    reason: Text | None = None  # refused or later: why
    instead: Text | None = None  # refused: where to go instead
    first: Text | None = None  # later: what to do first
    where: Text | None = None  # later: where to do it
    fees: tuple[FeeLine, ...] = ()  # eligible or later: the case's charges (see Item.fee)

    @property
    def eligible(self) -> bool:
        return self.kind is VerdictKind.ELIGIBLE

    @property
    def later(self) -> bool:
        return self.kind is VerdictKind.LATER

    @property
    def refused(self) -> bool:
        return self.kind is VerdictKind.REFUSED

    @property
    def fee_total(self) -> Decimal:
        return sum((f.amount for f in self.fees), Decimal("0.00"))


ELIGIBLE = Verdict(VerdictKind.ELIGIBLE)


@dataclass
class Consultation:
    """One item's question flow for one visitor."""

    item: Item
    answers: dict[str, Answer] = field(default_factory=dict)  # the visitor's
    history: list[str] = field(default_factory=list)  # question ids in the order answered
    fixed: dict[str, Answer] = field(default_factory=dict)  # answered for them (bundle)

    def _lookup(self, kind: str, ref: str) -> tuple[bool, Any]:
        if ref in self.answers:
            return (True, self.answers[ref])
        return (ref in self.fixed, self.fixed.get(ref))

    def _asked(self, question: Question) -> bool:
        return question.ask_if is None or rules.holds(question.ask_if, self._lookup)

    def all_answers(self) -> dict[str, Answer]:
        """The visitor's answers and those the bundle gave: what form rules may look at."""
        return {**self.fixed, **self.answers}

    def refusal(self) -> Verdict | None:
        for refusal in self.item.refusals:
            if rules.holds(refusal.when, self._lookup):
                return Verdict(VerdictKind.REFUSED, refusal.reason, refusal.instead)
        return None

    def next_question(self) -> Question | None:
        if self.refusal() is not None:
            return None
        return next(
            (
                q
                for q in self.item.question_list
                if q.id not in self.answers and q.id not in self.fixed and self._asked(q)
            ),
            None,
        )

    def answer(self, question_id: str, value: Answer) -> None:
        question = self.item.question(question_id)
        if question is None:
            raise KeyError(question_id)
        if value not in question.answers():
            raise ValueError(f"{value!r} is not an answer to {question_id}")
        if question_id in self.fixed:
            raise ValueError(f"{question_id} is already answered for this visitor")
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
        return self.item.question(last)

    def _drop_abandoned(self) -> None:
        changed = True
        while changed:  # dropping one answer can make a later question irrelevant too
            changed = False
            for question in self.item.question_list:
                if question.id in self.answers and not self._asked(question):
                    del self.answers[question.id]
                    self.history.remove(question.id)
                    changed = True

    def verdict(self) -> Verdict | None:
        """The verdict once every relevant question is answered (or a refusal fired)."""
        refused = self.refusal()
        if refused is not None:
            return refused
        if self.next_question() is not None:
            return None
        later = self._later()
        if later is not None:
            return Verdict(
                VerdictKind.LATER, later.reason, first=later.first, where=later.where,
                fees=self.fees(),
            )  # fmt: skip
        return Verdict(VerdictKind.ELIGIBLE, fees=self.fees())

    def _later(self) -> Any:
        return next((r for r in self.item.later if rules.holds(r.when, self._lookup)), None)

    def materials(self) -> list[Material]:
        """The materials for the case; for a "later" verdict, also what that rule adds."""
        found = [m for m in self.item.material_list if self._needed(m)]
        later = self._later() if self.next_question() is None else None
        if later is not None:
            ids = {m.id for m in found}
            found += [m for m in later.materials if self._needed(m) and m.id not in ids]
        return found

    def _needed(self, material: Material) -> bool:
        return material.when is None or rules.holds(material.when, self._lookup)

    def fees(self) -> tuple[FeeLine, ...]:
        return tuple(
            FeeLine(f.amount, f.note)
            for f in self.item.fees
            if f.when is None or rules.holds(f.when, self._lookup)
        )

    def progress(self) -> tuple[int, int]:
        """(this question's number, how many questions in all) — "第 N 题，共 M 题".

        The total counts the questions still possibly asked (an ``ask_if`` not yet
        decided counts), so it can only shrink as answers close branches.
        """
        asked = len(self.history)
        if self.next_question() is None:
            return (asked, asked)
        return (asked + 1, asked + len(self.open_questions()))

    def open_questions(self) -> list[Question]:
        """Questions not answered yet that may still be asked."""
        return [
            q
            for q in self.item.question_list
            if q.id not in self.answers
            and q.id not in self.fixed
            and (q.ask_if is None or q.ask_if.evaluate(self._lookup) is not False)
        ]

    def clear(self) -> None:
        self.answers.clear()
        self.history.clear()
        self.fixed.clear()


@dataclass(frozen=True)
class NoticeLine:
    """One material of the 一次性告知, with the items that need it."""

    material: Material
    items: tuple[str, ...]
    originals: int
    copies: int


@dataclass(frozen=True)
class ProvidedLine:
    """A material one chosen member asks for that another member's result provides.

    Not brought by the visitor: the 营业执照 of a company being registered in the same
    bundle.  The notice says so, so nobody goes looking for it.
    """

    material: Material
    by_item: str  # the member whose result it is
    items: tuple[str, ...]  # the members that would have asked for it


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
    provided: tuple[ProvidedLine, ...] = ()

    @property
    def eligible(self) -> bool:
        return all(v.eligible for v in self.verdicts.values())

    @property
    def later(self) -> bool:
        """Nothing refused, but something must be done first (come back with the list)."""
        return any(v.later for v in self.verdicts.values()) and not self.refused

    @property
    def refused(self) -> bool:
        return any(v.refused for v in self.verdicts.values())

    def fees(self) -> dict[str, tuple[FeeLine, ...]]:
        """The charges per item, for the items whose catalog entry lists fees."""
        return {code: v.fees for code, v in self.verdicts.items() if v.fees}


def _produced_by(items: Sequence[Item]) -> dict[str, str]:
    """material id → the chosen member whose result it is (the first, if several)."""
    found: dict[str, str] = {}
    for item in items:
        for material_id in item.produces.materials:
            found.setdefault(material_id, item.code)
    return found


def build_notice(
    catalog: Catalog,
    consultations: Sequence[Consultation],
    bundle: Bundle | None = None,
    *,
    chosen: Sequence[Item] | None = None,
) -> MaterialsNotice:
    """Merge the materials of several items, without duplicates.

    The same document needed by several items is listed once: the largest
    number of originals to show, and one copy for each item that keeps one
    (each back office files its own copy).  In a bundle, a document another chosen
    member produces is not listed but noted as provided (:class:`ProvidedLine`).  ``chosen``
    are the bundle's chosen members, when not all of them are consulted here.
    """
    members = chosen if chosen is not None else [c.item for c in consultations]
    produced = _produced_by(members) if bundle is not None else {}
    merged: dict[str, tuple[Material, list[str], int, int]] = {}
    provided: dict[str, tuple[Material, str, list[str]]] = {}
    for consultation in consultations:
        verdict = consultation.verdict()
        if verdict is not None and verdict.refused:
            continue  # a refused item needs nothing brought; its verdict says why
        code = consultation.item.code
        for material in consultation.materials():
            producer = produced.get(material.id)
            if producer is not None and producer != code:
                provided.setdefault(material.id, (material, producer, []))[2].append(code)
                continue
            entry = merged.get(material.id)
            if entry is None:
                merged[material.id] = (material, [code], material.originals, material.copies)
            else:
                first, codes, originals, copies = entry
                codes.append(code)
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
        provided=tuple(ProvidedLine(m, by, tuple(codes)) for m, by, codes in provided.values()),
    )


def presets_for(bundle: Bundle, item: Item, chosen: Sequence[Item]) -> dict[str, Answer]:
    """The answers ``item`` gets without asking in ``bundle`` with these members chosen.

    The bundle's own (``answers``), then what the other chosen members' results answer
    (``produces.answers``) — only for questions the item has.
    """
    presets: dict[str, Answer] = {}
    sources = [*bundle.answers]
    sources += [p for other in chosen if other.code != item.code for p in other.produces.answers]
    for preset in sources:
        question = item.question(preset.question)
        if question is not None and preset.answer in question.answers():
            presets.setdefault(preset.question, preset.answer)
    return presets


@dataclass
class BundleConsultation:
    """The chosen member items' questions, one after another.

    A question whose id was already answered for an earlier member (e.g. "is an
    agent applying?") is not asked again: the answer carries over.  Questions the
    bundle or another chosen member answers (:func:`presets_for`) are never asked.
    """

    catalog: Catalog
    bundle: Bundle
    members: list[Consultation]

    @classmethod
    def start(cls, catalog: Catalog, bundle: Bundle, chosen: Sequence[str]) -> BundleConsultation:
        items = [catalog.items[code] for code in chosen]
        return cls(
            catalog,
            bundle,
            [Consultation(item, fixed=presets_for(bundle, item, items)) for item in items],
        )

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

    def progress(self) -> tuple[int, int]:
        """(this question's number, how many in all) over every chosen member, each id once."""
        self.current()  # carries answers over, so the counts see them
        answered: set[str] = set()
        for member in self.members:
            answered |= set(member.history)
        remaining: set[str] = set()
        for member in self.members:
            remaining |= {q.id for q in member.open_questions()} - answered
        if self.current() is None:
            return (len(answered), len(answered))
        return (len(answered) + 1, len(answered) + len(remaining))

    def clear(self) -> None:
        for member in self.members:
            member.clear()

    def finished(self) -> bool:
        return self.current() is None

    def notice(self) -> MaterialsNotice:
        return build_notice(self.catalog, self.members, self.bundle)


def answer_paths(
    item: Item, limit: int = 10_000, fixed: Mapping[str, Answer] | None = None
) -> Iterator[Consultation]:
    """Every way a visitor can answer an item's questions, ending in a verdict."""
    stack = [Consultation(item, fixed=dict(fixed or {}))]
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
            branch = Consultation(
                item, dict(consultation.answers), list(consultation.history), dict(fixed or {})
            )
            branch.answer(question.id, value)
            stack.append(branch)
