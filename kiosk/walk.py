"""Walk a loaded catalog the way visitors would: every answer path, every form, every bundle.

``kiosk catalog check`` (and a staff reload) runs this after the loader:

- every item, every answer path: a verdict is reached; an eligible or "later" case
  has something to bring (or the item says ``nothing_to_bring``); the form is filled
  with the examples *and that path's answers* (pre-fills, options that depend on
  answers, rules comparing a field with a question), and must be complete;
- every bundle, every choice of its optional members, every answer path: no question
  is asked twice (the same words under two ids), no material another chosen member
  produces is asked for, no field another chosen member produces is on a form, and
  the forms complete with the examples.

Each problem is located (file:line:column) at the entry at fault.  A bundle's paths
are walked member by member: what one member's path passes to the next (the answers
that carry over, the questions already asked) is all the next one depends on, so
equal continuations are walked once — the same findings as enumerating every
combination, without its cost.

It lives above the catalog, beside the consultation and the forms it drives, so the
catalog package never imports either of them (no cycle, no import inside a function).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from kiosk.catalog.catalog import Catalog
from kiosk.catalog.model import Bundle, Item
from kiosk.catalog.problems import CatalogProblem, PathT
from kiosk.consult import Answer, Consultation, answer_paths, build_notice, presets_for
from kiosk.forms.filling import Filling

MAX_OPTIONAL = 12  # 4,096 choices of optional members: far more than any bundle offers


def check_catalog(catalog: Catalog, today: dt.date | None = None) -> list[CatalogProblem]:
    """Every problem found by walking the catalog, located, each once, in file order."""
    findings = _Findings(catalog)  # one for all: a problem an item and a bundle share, once
    for item in catalog.items.values():
        walk_item(catalog, item, today, findings)
    for bundle in catalog.bundles.values():
        walk_bundle(catalog, bundle, today, findings)
    return sorted(findings.problems())


def _answers_text(answers: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}={v}" for k, v in answers.items()) or "no answers"


class _Findings:
    """Problems keyed by (where, what): one report per problem, with the first path found."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog
        self.found: dict[tuple[PathT, str], CatalogProblem] = {}

    def add(self, path: PathT, what: str, detail: str = "") -> None:
        key = (path, what)
        if key not in self.found:
            message = f"{what} ({detail})" if detail else what
            self.found[key] = self.catalog.problem(path, message)

    def problems(self) -> list[CatalogProblem]:
        return list(self.found.values())


# ── items ──────────────────────────────────────────────────────────────────


def walk_item(
    catalog: Catalog, item: Item, today: dt.date | None = None, findings: _Findings | None = None
) -> list[CatalogProblem]:
    """Problems on any answer path of one item."""
    findings = findings or _Findings(catalog)
    for path in answer_paths(item):
        _check_case(findings, catalog, item, path, today)
    return findings.problems()


def _check_case(
    findings: _Findings,
    catalog: Catalog,
    item: Item,
    path: Consultation,
    today: dt.date | None,
    producers: Sequence[Item] = (),
    context: str = "",
) -> None:
    """The verdict, the materials and the form of one case (found at the item's entries)."""
    at = catalog.item_path(item.code)
    verdict = path.verdict()
    after = context + "after " + _answers_text(path.all_answers())
    if verdict is None:
        findings.add((*at, "questions"), "no verdict is reached", after)
        return
    if verdict.refused:
        return
    if not path.materials() and item.nothing_to_bring is None:
        kind = "a 'later' verdict" if verdict.later else "eligible"
        findings.add(
            (*at, "materials"),
            f"{kind} with no materials to bring (list them, or say nothing_to_bring)",
            after,
        )
    if item.has_form:
        for where, what in fill_examples(item, path.all_answers(), producers, today):
            findings.add((*at, "fields", where), what, after)


def fill_examples(
    item: Item,
    answers: Mapping[str, Answer],
    producers: Sequence[Item] = (),
    today: dt.date | None = None,
) -> Iterator[tuple[int, str]]:
    """Fill one item's form with its examples on a path; (field index, problem) for each.

    A pre-filled field takes its value from its source (no example needed); an example
    must be valid here (an option offered with these answers) and together they must
    complete the form.  ``producers`` are the other chosen members of a bundle.
    """
    filling = Filling([item], producers=[item, *producers])
    filling.answers = {item.code: dict(answers)}
    index = {f.id: n for n, f in enumerate(item.field_list)}
    refused = filling.fill_examples(today=today)
    invalid = {filling.slots()[key].field.id for key in refused}
    for key, message in refused.items():
        field = filling.slots()[key].field
        what = f"field '{field.id}': example {field.example!r} is invalid: {message.en}"
        yield index[field.id], what
    for status in filling.report(item.code).problems:
        field = status.slot.field
        if field.id in invalid:
            continue  # said above: its example is the problem
        what = status.error.en if status.error else ""
        if status.entered is None and field.fill is not None:
            source = field.fill.question or field.fill.field
            what += f" (it is filled from '{source}', which gives nothing here)"
        yield index[field.id], f"field '{field.id}': the examples leave the form incomplete: {what}"


# ── bundles ────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class _Member:
    item: Item
    path: PathT  # bundles[i].members[j]


def walk_bundle(
    catalog: Catalog,
    bundle: Bundle,
    today: dt.date | None = None,
    findings: _Findings | None = None,
) -> list[CatalogProblem]:
    """Problems on any path through a bundle, over every choice of its optional members."""
    findings = findings or _Findings(catalog)
    at = catalog.bundle_path(bundle.code)
    members = [
        _Member(catalog.items[m.item], (*at, "members", n))
        for n, m in enumerate(bundle.members)
        if m.item in catalog.items
    ]
    required = [m for m, spec in zip(members, bundle.members, strict=True) if spec.required]
    optional = [m for m, spec in zip(members, bundle.members, strict=True) if not spec.required]
    if len(optional) > MAX_OPTIONAL:
        findings.add((*at, "members"), f"more than {MAX_OPTIONAL} optional members to walk")
        return findings.problems()
    walker = _BundleWalker(catalog, bundle, findings, today)
    for size in range(len(optional) + 1):
        for picked in combinations(optional, size):
            chosen = [m for m in members if m in required or m in picked]
            walker.walk(chosen)
    return findings.problems()


class _BundleWalker:
    def __init__(
        self, catalog: Catalog, bundle: Bundle, findings: _Findings, today: dt.date | None
    ):
        self.catalog = catalog
        self.bundle = bundle
        self.findings = findings
        self.today = today
        self.checked: set[tuple[Any, ...]] = set()  # member paths already checked

    def walk(self, chosen: list[_Member]) -> None:
        self.chosen = chosen
        self.items = [m.item for m in chosen]
        self.names = "、".join(m.item.code for m in chosen)
        self.seen: set[tuple[Any, ...]] = set()
        self._explore(0, {}, {})

    def _explore(self, index: int, carried: dict[str, Answer], asked: dict[str, str]) -> None:
        """Walk member ``index`` onwards, given the answers carried and the questions asked."""
        if index == len(self.chosen):
            return
        later = self.chosen[index + 1 :]
        later_ids = {q.id for m in later for q in m.item.question_list}
        later_texts = {q.text.zh for m in later for q in m.item.question_list}
        member = self.chosen[index]
        fixed = presets_for(self.bundle, member.item, self.items)
        relevant = {k: v for k, v in carried.items() if member.item.question(k) is not None}
        # ``carried`` and ``asked`` hold only what this and later members can use.
        state = (index, tuple(sorted(carried.items())), tuple(sorted(asked.items())))
        if state in self.seen:
            return
        self.seen.add(state)
        for path, new in self._member_paths(member.item, fixed, relevant):
            self._check_member(member, path, fixed, relevant)
            for question_id in new:
                question = member.item.question(question_id)
                assert question is not None
                first = asked.get(question.text.zh)
                if first is not None:
                    self.findings.add(
                        member.path,
                        f"question '{question.id}' of {member.item.code} is asked again: "
                        f'{first} already asked "{question.text.zh}" (use one question id, '
                        "or answer it in the bundle)",
                        f"in {self.bundle.code} with {self.names}",
                    )
            next_carried = {
                **{k: v for k, v in carried.items() if k in later_ids},
                **{k: v for k, v in path.answers.items() if k in later_ids},
            }
            next_asked = {
                **{t: who for t, who in asked.items() if t in later_texts},
                **{
                    q.text.zh: f"{member.item.code}.{q.id}"
                    for q in member.item.question_list
                    if q.id in new and q.text.zh in later_texts
                },
            }
            self._explore(index + 1, next_carried, next_asked)

    @staticmethod
    def _member_paths(
        item: Item, fixed: dict[str, Answer], carried: dict[str, Answer]
    ) -> Iterator[tuple[Consultation, tuple[str, ...]]]:
        """Every path of one member, carried answers applied as BundleConsultation does.

        Yields the path and the ids of the questions the visitor was asked in it.
        """
        stack: list[tuple[Consultation, tuple[str, ...]]] = [
            (Consultation(item, fixed=dict(fixed)), ())
        ]
        while stack:
            consultation, new = stack.pop()
            question = consultation.next_question()
            while question is not None and carried.get(question.id) in question.answers():
                consultation.answer(question.id, carried[question.id])
                question = consultation.next_question()
            if question is None:
                yield consultation, new
                continue
            for value in question.answers():
                branch = Consultation(
                    item, dict(consultation.answers), list(consultation.history), dict(fixed)
                )
                branch.answer(question.id, value)
                stack.append((branch, (*new, question.id)))

    def _check_member(
        self,
        member: _Member,
        path: Consultation,
        fixed: dict[str, Answer],
        carried: dict[str, Answer],
    ) -> None:
        item = member.item
        others = [i for i in self.items if i.code != item.code]
        produced_materials = {m: o.code for o in others for m in o.produces.materials}
        produced_fields = {f: o.code for o in others for f in o.produces.fields}
        key = (
            item.code,
            tuple(sorted(path.all_answers().items())),
            tuple(sorted(produced_materials.items())),
            tuple(sorted(produced_fields.items())),
        )
        if key in self.checked:
            return
        self.checked.add(key)
        context = f"in {self.bundle.code} with {self.names}, "
        verdict = path.verdict()
        if verdict is not None and not verdict.refused:
            notice = build_notice(self.catalog, [path], self.bundle, chosen=self.items)
            for line in notice.lines:
                producer = produced_materials.get(line.material.id)
                if producer is not None:
                    self.findings.add(
                        member.path,
                        f"{item.code} asks for '{line.material.id}', which {producer} "
                        "produces in this bundle",
                        context + "after " + _answers_text(path.all_answers()),
                    )
            filling = Filling([item], producers=self.items)
            for field in filling.fields_of(item):
                if field.id in produced_fields:
                    self.findings.add(
                        member.path,
                        f"{item.code}'s form asks for '{field.id}', which "
                        f"{produced_fields[field.id]} produces in this bundle",
                        context,
                    )
        _check_case(self.findings, self.catalog, item, path, self.today, self.items, context)
