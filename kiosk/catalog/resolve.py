"""The loader's third pass: cross-references, library entries resolved, every rule's names.

Everything here works on a :class:`~kiosk.catalog.model.CatalogDocument` that already
has the right shapes; it reports each problem by the path of the entry at fault
(``report(("items", 3, "fields", 2, "fill"), "…")``) and, when there is none, builds
the :class:`~kiosk.catalog.catalog.Catalog` with every ``use:`` resolved.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from stdnum import numdb

from kiosk.catalog import rules
from kiosk.catalog.catalog import Catalog
from kiosk.catalog.derived import SEX_VALUES, DerivedPart
from kiosk.catalog.model import (
    Area,
    CatalogDocument,
    FieldType,
    FieldUse,
    FormField,
    Item,
    Material,
    MaterialUse,
    Preset,
    Question,
    QuestionKind,
    QuestionUse,
)
from kiosk.catalog.problems import PathT, SourceMap

Report = Callable[[PathT, str], None]

# What a derived value can fill: the type of field that holds it.
DERIVED_FIELD_TYPES = {
    DerivedPart.BIRTH_DATE: (FieldType.DATE,),
    DerivedPart.AGE: (FieldType.INTEGER,),
    DerivedPart.SEX: (FieldType.CHOICE,),
}


def duplicates(codes: Iterable[str]) -> Iterator[tuple[int, str]]:
    seen: set[str] = set()
    for index, code in enumerate(codes):
        if code in seen:
            yield index, code
        seen.add(code)


def resolve(doc: CatalogDocument, report: Report, source: SourceMap) -> Catalog:
    """The catalog with every library entry resolved; meaningful only if nothing was reported."""
    for section, key in (
        ("categories", "code"),
        ("departments", "code"),
        ("queues", "code"),
        ("queues", "prefix"),
        ("materials", "id"),
        ("questions", "id"),
        ("fields", "id"),
        ("items", "code"),
        ("bundles", "code"),
        ("life_events", "code"),
    ):
        entries = getattr(doc, section)
        for index, code in duplicates(getattr(e, key) for e in entries):
            report((section, index, key), f"duplicate {key} '{code}'")
    categories = {c.code for c in doc.categories}
    departments = {d.code for d in doc.departments}
    queues = {q.code: q for q in doc.queues}
    for index, queue in enumerate(doc.queues):
        if queue.category is not None and queue.category not in categories:
            report(("queues", index, "category"), f"unknown category '{queue.category}'")
        for window in queue.windows:
            if not 1 <= window <= doc.meta.windows:
                report(
                    ("queues", index, "windows"),
                    f"window {window} does not exist (the hall has {doc.meta.windows})",
                )
    if doc.meta.area is not None:
        _check_area(doc.meta.area, report)

    libraries = _Libraries(
        {m.id: m for m in doc.materials},
        {q.id: q for q in doc.questions},
        {f.id: f for f in doc.fields},
    )
    items: list[Item] = []
    for index, item in enumerate(doc.items):
        at: PathT = ("items", index)
        if item.category not in categories:
            report((*at, "category"), f"unknown category '{item.category}'")
        if item.department not in departments:
            report((*at, "department"), f"unknown department '{item.department}'")
        if item.queue not in queues:
            report((*at, "queue"), f"unknown queue '{item.queue}'")
        items.append(_ItemResolver(item, at, libraries, report).resolve())
    by_code = {i.code: i for i in items}
    _check_produces(items, libraries, report)

    for index, bundle in enumerate(doc.bundles):
        at = ("bundles", index)
        if bundle.queue not in queues:
            report((*at, "queue"), f"unknown queue '{bundle.queue}'")
        for m_index, code in duplicates(m.item for m in bundle.members):
            report((*at, "members", m_index, "item"), f"item '{code}' is listed twice")
        if not any(m.required for m in bundle.members):
            report((*at, "members"), "a bundle needs at least one required item")
        members: list[tuple[int, Item]] = []
        for m_index, member in enumerate(bundle.members):
            if member.item not in by_code:
                report((*at, "members", m_index, "item"), f"unknown item '{member.item}'")
            else:
                members.append((m_index, by_code[member.item]))
        member_items = [i for _, i in members]
        for s_index, field_id in enumerate(bundle.shared_fields):
            found = [f for i in member_items for f in i.field_list if f.id == field_id]
            if not found:
                report((*at, "shared_fields", s_index), f"no member item has a field '{field_id}'")
            elif len({f.type for f in found}) > 1:
                report(
                    (*at, "shared_fields", s_index),
                    f"field '{field_id}' has different types in the member items",
                )
        _check_presets(bundle.answers, member_items, (*at, "answers"), report, "no member item")
        _check_shared_questions(members, at, report)

    for index, event in enumerate(doc.life_events):
        at = ("life_events", index)
        step_items = [s.item for s in event.steps]
        for s_index, step in enumerate(event.steps):
            if step.item not in by_code:
                report((*at, "steps", s_index, "item"), f"unknown item '{step.item}'")
            for n_index, nxt in enumerate(step.next):
                if nxt not in step_items:
                    report(
                        (*at, "steps", s_index, "next", n_index),
                        f"'{nxt}' is not a step of this life event",
                    )
        for s_index, code in duplicates(step_items):
            report((*at, "steps", s_index, "item"), f"item '{code}' is a step twice")
        cycle = find_cycle({s.item: s.next for s in event.steps})
        if cycle:
            report((*at, "steps"), "life-event steps form a cycle: " + " → ".join(cycle))
    return Catalog.build(doc, items, source)


# ── the hall's own area ────────────────────────────────────────────────────

_MUNICIPALITIES = ("11", "12", "31", "50")  # 北京 天津 上海 重庆: the city is the province


def _check_area(area: Area, report: Report) -> None:
    """The code must be a district in the GB/T 2260 data the kiosk ships, under these names."""
    at: PathT = ("meta", "area")
    province = _division_names(area.code[:2] + "0000")
    district = _division_names(area.code)
    if not province or not district or area.code.endswith("00"):
        report((*at, "code"), f"'{area.code}' is not a district (区/县) code of GB/T 2260")
        return
    if area.province not in province:
        report((*at, "province"), f"code {area.code} is in {province[0]}, not {area.province}")
    cities = (
        _division_names(area.code[:4] + "00")
        if area.code[:2] not in _MUNICIPALITIES
        else [*province, "市辖区"]
    )
    if cities and area.city not in cities:
        report((*at, "city"), f"code {area.code} is in {cities[0]}, not {area.city}")
    if area.district not in district:
        report((*at, "district"), f"code {area.code} is {district[0]}, not {area.district}")


def _division_names(code: str) -> list[str]:
    """The current names of a division (python-stdnum's GB/T 2260 table; its oldest last)."""
    info = numdb.get("cn/loc").info(code)
    if len(info) < 2:
        return []
    province = info[0][1].get("province", "")
    raw = info[1][1].get("county", "")
    if code.endswith("0000"):
        return [province] if province else []
    names = []
    for part in raw.split(","):
        match = re.fullmatch(r"(?:\[(\d*)-(\d*)\])?(.+)", part.strip())
        if match and not match.group(2):  # no end year: still in use
            names.append(match.group(3))
    return names


# ── items ──────────────────────────────────────────────────────────────────


class _Libraries:
    def __init__(
        self,
        materials: Mapping[str, Material],
        questions: Mapping[str, Question],
        fields: Mapping[str, FormField],
    ):
        self.materials = materials
        self.questions = questions
        self.fields = fields


class _ItemResolver:
    def __init__(self, item: Item, at: PathT, libraries: _Libraries, report: Report):
        self.item = item
        self.at = at
        self.libraries = libraries
        self.report = report

    def resolve(self) -> Item:
        item, at = self.item, self.at
        questions = self._questions()
        self.questions = {q.id: q for q in questions}
        scope = {"question": self.questions}
        for index, refusal in enumerate(item.refusals):
            check_refs(refusal.when, scope, (*at, "refusals", index, "when"), self.report)
        later = []
        for index, entry in enumerate(item.later):
            here = (*at, "later", index)
            check_refs(entry.when, scope, (*here, "when"), self.report)
            bring = self._materials(entry.bring, (*here, "bring"))
            later.append(entry.model_copy(update={"bring": bring}))
        for index, fee in enumerate(item.fees):
            if fee.when is not None:
                check_refs(fee.when, scope, (*at, "fees", index, "when"), self.report)
        materials = self._materials(item.materials, (*at, "materials"))
        fields = self._fields()
        for p_index, preset in enumerate(item.produces.answers):
            # Checked against the other items once all are known; here: not its own question.
            if preset.question in self.questions:
                self.report(
                    (*at, "produces", "answers", p_index, "question"),
                    f"'{preset.question}' is this item's own question; produces answers "
                    "the other members' questions",
                )
        return item.model_copy(
            update={
                "questions": questions,
                "later": tuple(later),
                "materials": materials,
                "fields": fields,
            }
        )

    def _questions(self) -> tuple[Question, ...]:
        known: dict[str, Question] = {}
        resolved: list[Question] = []
        for index, entry in enumerate(self.item.questions):
            here = (*self.at, "questions", index)
            if isinstance(entry, QuestionUse):
                if entry.use not in self.libraries.questions:
                    self.report(
                        (*here, "use"), f"unknown question '{entry.use}' (not in the library)"
                    )
                    continue
                question = self.libraries.questions[entry.use]
                if entry.ask_if is not None:
                    question = question.model_copy(update={"ask_if": entry.ask_if})
            else:
                question = entry
            if question.id in known:
                self.report((*here, "id"), f"duplicate question '{question.id}'")
            if question.ask_if is not None:
                # Only earlier questions: the flow is ordered, and this rules out cycles.
                check_refs(
                    question.ask_if,
                    {"question": known},
                    (*here, "ask_if"),
                    self.report,
                    later=" (ask_if may only refer to earlier questions)",
                )
            known[question.id] = question
            resolved.append(question)
        return tuple(resolved)

    def _materials(
        self, entries: Iterable[Material | MaterialUse], at: PathT
    ) -> tuple[Material, ...]:
        resolved: list[Material] = []
        for index, entry in enumerate(entries):
            here = (*at, index)
            if isinstance(entry, MaterialUse):
                if entry.use not in self.libraries.materials:
                    self.report(
                        (*here, "use"), f"unknown material '{entry.use}' (not in the library)"
                    )
                    continue
                update: dict[str, Any] = {"when": entry.when}
                if entry.originals is not None:
                    update["originals"] = entry.originals
                if entry.copies is not None:
                    update["copies"] = entry.copies
                material = self.libraries.materials[entry.use].model_copy(update=update)
            else:
                material = entry
            if material.when is not None:
                check_refs(
                    material.when, {"question": self.questions}, (*here, "when"), self.report
                )
            if material.originals == 0 and material.copies == 0:
                self.report(here, "a material needs at least one original or one copy")
            resolved.append(material)
        for index, code in duplicates(m.id for m in resolved):
            self.report((*at, index), f"material '{code}' is listed twice")
        return tuple(resolved)

    def _fields(self) -> tuple[FormField, ...]:
        resolved: list[FormField] = []
        paths: list[PathT] = []
        for index, entry in enumerate(self.item.fields):
            here = (*self.at, "fields", index)
            if isinstance(entry, FieldUse):
                if entry.use not in self.libraries.fields:
                    self.report((*here, "use"), f"unknown field '{entry.use}' (not in the library)")
                    continue
                update: dict[str, Any] = {}
                for key in ("required", "required_if", "relevant_if", "fill", "example"):
                    if getattr(entry, key) is not None:
                        update[key] = getattr(entry, key)
                library = self.libraries.fields[entry.use]
                if entry.constraints:
                    update["constraints"] = (*library.constraints, *entry.constraints)
                resolved.append(library.model_copy(update=update))
            else:
                resolved.append(entry)
            paths.append(here)
        for index, code in duplicates(f.id for f in resolved):
            self.report(paths[index], f"field '{code}' is listed twice")
        fields = {f.id: f for f in resolved}
        for field, here in zip(resolved, paths, strict=True):
            self._check_field(field, fields, here)
        return tuple(resolved)

    def _check_field(self, field: FormField, fields: Mapping[str, FormField], at: PathT) -> None:
        """Form rules may use the item's fields (and what an ID number tells) and its answers."""
        scope: dict[str, Mapping[str, Any]] = {"field": fields, "question": self.questions}
        for key in ("required_if", "relevant_if"):
            condition = getattr(field, key)
            if condition is not None:
                check_refs(condition, scope, (*at, key), self.report)
        for index, constraint in enumerate(field.constraints):
            check_refs(constraint.check, scope, (*at, "constraints", index, "check"), self.report)
        for index, option in enumerate(field.options):
            if option.when is not None:
                check_refs(option.when, scope, (*at, "options", index, "when"), self.report)
        if field.fill is not None:
            self._check_fill(field, fields, (*at, "fill"))

    def _check_fill(self, field: FormField, fields: Mapping[str, FormField], at: PathT) -> None:
        fill = field.fill
        assert fill is not None
        if fill.question is not None:
            question = self.questions.get(fill.question)
            if question is None:
                self.report((*at, "question"), f"unknown question '{fill.question}'")
                return
            problem = _answer_fits(question, field, _refused_outright(self.item, question.id))
            if problem:
                self.report((*at, "question"), problem)
            return
        source = fields.get(fill.field or "")
        if source is None:
            self.report((*at, "field"), f"unknown field '{fill.field}'")
            return
        if source.type is not FieldType.ID_NUMBER:
            self.report(
                (*at, "field"),
                f"'{source.id}' is a {source.type.value} field; derived values come from "
                "an id_number field",
            )
            return
        assert fill.derived is not None
        allowed = DERIVED_FIELD_TYPES[fill.derived]
        if field.type not in allowed:
            self.report(
                (*at, "derived"),
                f"{fill.derived.value} fills a {' or '.join(t.value for t in allowed)} field, "
                f"not a {field.type.value} field",
            )
        elif fill.derived is DerivedPart.SEX:
            missing = [v for v in SEX_VALUES if v not in {o.value for o in field.options}]
            if missing:
                self.report(
                    (*at, "derived"),
                    "a sex field filled from an ID number needs the options "
                    + " and ".join(SEX_VALUES),
                )


def _refused_outright(item: Item, question_id: str) -> set[Any]:
    """Answers a refusal turns away by themselves: a form never sees them."""
    found: set[Any] = set()
    for refusal in item.refusals:
        when = refusal.when
        if isinstance(when, rules.Compare) and when.kind == "question" and when.ref == question_id:
            if when.op == "equals":
                found.add(when.operand)
            elif when.op == "in":
                found |= set(when.operand)
    return found


def _answer_fits(question: Question, field: FormField, refused: set[Any]) -> str | None:
    """Why the answers of ``question`` cannot be values of ``field`` (None: they can).

    Answers a refusal turns away by themselves never reach the form.
    """
    if question.kind is QuestionKind.YESNO:
        if field.type is not FieldType.YESNO:
            return (
                f"question '{question.id}' is answered yes or no; it fills a yesno field, "
                f"not a {field.type.value} field"
            )
        return None
    if field.type is not FieldType.CHOICE:
        return (
            f"question '{question.id}' is a choice; it fills a choice field, "
            f"not a {field.type.value} field"
        )
    values = {o.value for o in field.options}
    missing = [o.value for o in question.options if o.value not in values | refused]
    if missing:
        return f"answers of '{question.id}' that are not options of the field: " + ", ".join(
            missing
        )
    return None


# ── rules ──────────────────────────────────────────────────────────────────


def check_refs(
    condition: rules.Condition,
    scopes: Mapping[str, Mapping[str, Any]],
    at: PathT,
    report: Report,
    later: str = "",
) -> None:
    """Check every name a condition uses, and every answer it expects a question to have.

    ``scopes`` says what the condition may refer to here: questions in consultation
    rules, fields and questions in form rules.
    """
    primary = next(iter(scopes))
    for ref in rules.references(condition):
        if ref.kind not in scopes:
            report(at, f"a {ref.kind} condition cannot be used here; refer to a {primary}")
            continue
        target = scopes[ref.kind].get(ref.ref)
        if target is None:
            report(at, f"unknown {ref.kind} '{ref.ref}'{later}")
        elif ref.derived is not None:
            if isinstance(target, FormField) and target.type is not FieldType.ID_NUMBER:
                report(
                    at,
                    f"'derived' reads an id_number field; '{ref.ref}' is a "
                    f"{target.type.value} field",
                )
            elif ref.derived is DerivedPart.SEX and ref.op in ("equals", "in"):
                wanted = ref.operand if ref.op == "in" else (ref.operand,)
                for value in wanted:
                    if value not in SEX_VALUES:
                        report(at, f"sex is male or female, never {value!r}")
        elif isinstance(target, Question) and ref.op in ("equals", "in"):
            answers = target.answers()
            wanted = ref.operand if ref.op == "in" else (ref.operand,)
            for value in wanted:
                if isinstance(value, rules.Ref):
                    continue
                if value not in answers:
                    shown = ", ".join(str(a).lower() for a in answers)
                    report(
                        at,
                        f"question '{ref.ref}' cannot be answered {value!r} (its answers: {shown})",
                    )


# ── bundles: what members give each other ─────────────────────────────────


def _check_produces(items: list[Item], libraries: _Libraries, report: Report) -> None:
    materials = set(libraries.materials) | {m.id for i in items for m in i.material_list}
    fields = {f.id for i in items for f in i.field_list}
    for index, item in enumerate(items):
        at: PathT = ("items", index, "produces")
        for m_index, code in enumerate(item.produces.materials):
            if code not in materials:
                report((*at, "materials", m_index), f"unknown material '{code}'")
        for f_index, code in enumerate(item.produces.fields):
            if code not in fields:
                report((*at, "fields", f_index), f"no item has a field '{code}'")
        others = [i for i in items if i is not item]
        presets = [p for p in item.produces.answers if item.question(p.question) is None]
        _check_presets(presets, others, (*at, "answers"), report, "no other item")


def _check_presets(
    presets: Iterable[Preset], items: Iterable[Item], at: PathT, report: Report, nobody: str
) -> None:
    asked: dict[str, Question] = {}
    for item in items:
        for question in item.question_list:
            asked.setdefault(question.id, question)
    for index, preset in enumerate(presets):
        found = asked.get(preset.question)
        if found is None:
            report((*at, index, "question"), f"{nobody} asks a question '{preset.question}'")
        elif preset.answer not in found.answers():
            shown = ", ".join(str(a).lower() for a in found.answers())
            report(
                (*at, index, "answer"),
                f"question '{preset.question}' cannot be answered {preset.answer!r} "
                f"(its answers: {shown})",
            )


def _check_shared_questions(members: list[tuple[int, Item]], at: PathT, report: Report) -> None:
    """A question id shared by members is asked once only if its answers are the same."""
    first: dict[str, tuple[Item, Question]] = {}
    for m_index, item in members:
        for question in item.question_list:
            seen = first.get(question.id)
            if seen is None:
                first[question.id] = (item, question)
            elif set(seen[1].answers()) != set(question.answers()):
                report(
                    (*at, "members", m_index, "item"),
                    f"question '{question.id}' has other answers in {item.code} than in "
                    f"{seen[0].code}: it would be asked twice (give it another id, or the "
                    "same answers)",
                )


def find_cycle(graph: Mapping[str, tuple[str, ...]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for start in graph:
        if start not in state:
            found = visit(start)
            if found:
                return found
    return None
