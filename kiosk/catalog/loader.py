"""Load catalog.yaml into a frozen :class:`Catalog`, or explain every problem with file:line.

Three passes, all errors collected before reporting:

1. read + parse YAML, keeping the line:column of every node (and refusing
   duplicate keys, which plain PyYAML silently overwrites);
2. pydantic validation of the shapes (:mod:`kiosk.catalog.model`);
3. cross-references: unknown department / queue / question / field / item,
   duplicate codes, answers a question cannot have, life-event cycles.

Every message reads ``catalog.yaml:812:7 items[37].materials[2].when: unknown
question 'has_lease'``; the loader never lets a traceback reach the operator.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from kiosk.catalog import rules
from kiosk.catalog.catalog import Catalog
from kiosk.catalog.model import (
    CatalogDocument,
    FieldUse,
    FormField,
    Item,
    Material,
    MaterialUse,
    Question,
)

MAX_BYTES = 5 * 1024 * 1024  # the shipped catalog is ~0.3 MB; anything this big is a mistake

PathT = tuple[str | int, ...]


@dataclass(frozen=True, order=True)
class CatalogProblem:
    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        return f"{where} {self.path}: {self.message}" if self.path else f"{where}: {self.message}"


class CatalogError(Exception):
    """The catalog cannot be used; ``problems`` lists every reason, in file order."""

    def __init__(self, problems: Iterable[CatalogProblem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def load_catalog(path: str | os.PathLike[str]) -> Catalog:
    """Read, validate and resolve a catalog file.  Raises :class:`CatalogError`."""
    path = Path(path)
    name = path.name
    text = _read(path, name)
    return parse_catalog(text, name)


def parse_catalog(text: str, name: str = "catalog.yaml") -> Catalog:
    data, locations = _parse_yaml(text, name)
    report = _Reporter(name, locations)
    try:
        document = CatalogDocument.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        inner = {e["loc"][:n] for e in errors for n in range(len(e["loc"]))}
        for error in errors:
            # pydantic checks a list's length after dropping its invalid entries, so one bad
            # queue also says "queues: should have at least 1 item"; that only misleads.
            if error["type"] == "too_short" and error["loc"] in inner:
                continue
            report(_data_path(data, error["loc"]), _pydantic_message(error))
        raise CatalogError(report.problems) from None
    catalog = _resolve(document, report)
    if report.problems:
        raise CatalogError(report.problems)
    assert catalog is not None
    return catalog


# ── pass 1: file and YAML ──────────────────────────────────────────────────


def _read(path: Path, name: str) -> str:
    def fail(message: str) -> CatalogError:
        return CatalogError([CatalogProblem(str(path), 0, 0, "", message)])

    try:
        size = path.stat().st_size
        if path.is_dir():
            raise fail("is a directory, not a catalog file")
        if size > MAX_BYTES:
            raise fail(
                f"file is {size / 1024 / 1024:.1f} MB; a catalog may be at most "
                f"{MAX_BYTES // 1024 // 1024} MB"
            )
        raw = path.read_bytes()
    except FileNotFoundError:
        raise fail("file not found") from None
    except PermissionError:
        raise fail("cannot read the file: permission denied") from None
    except OSError as exc:
        raise fail(f"cannot read the file: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(f"not UTF-8 text (byte {exc.start}); save the catalog as UTF-8") from None
    if not text.strip():
        raise fail("the file is empty")
    return text


# libyaml's parser is ~10× faster on the 0.7 MB shipped catalog and keeps node marks.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _parse_yaml(text: str, name: str) -> tuple[Any, dict[PathT, tuple[int, int]]]:
    """YAML → plain data plus the (line, column) of every mapping key and list entry."""
    if not text.strip():
        raise CatalogError([CatalogProblem(name, 0, 0, "", "the file is empty")])
    loader: Any = None
    try:
        # The reader checks the characters as it is built, so that is inside the try too.
        loader = _Loader(text)
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        problem = exc.problem or exc.context or "malformed YAML"
        raise CatalogError(
            [CatalogProblem(name, line, col, "", f"malformed YAML: {problem}")]
        ) from None
    except yaml.reader.ReaderError as exc:  # a control character; it has only an offset
        offset = exc.position
        if exc.encoding != "unicode":  # libyaml counts UTF-8 bytes, PyYAML characters
            offset = len(text.encode("utf-8")[:offset].decode("utf-8", "ignore"))
        line = text.count("\n", 0, offset) + 1
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        code = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise CatalogError(
            [
                CatalogProblem(
                    name, line, col, "", f"character U+{code:04X} is not allowed in a catalog"
                )
            ]
        ) from None
    except yaml.YAMLError as exc:
        raise CatalogError([CatalogProblem(name, 0, 0, "", f"malformed YAML: {exc}")]) from None
    except RecursionError:  # PyYAML's composer recurses once per nesting level
        raise CatalogError([CatalogProblem(name, 0, 0, "", _TOO_DEEP)]) from None
    finally:
        if loader is not None:
            loader.dispose()
    if root is None or (
        isinstance(root, yaml.ScalarNode)
        and root.value == ""
        and root.tag == "tag:yaml.org,2002:null"
    ):
        raise CatalogError([CatalogProblem(name, 0, 0, "", "the file is empty")])
    locations: dict[PathT, tuple[int, int]] = {}
    problems: list[CatalogProblem] = []
    try:
        data = _build(root, (), locations, problems, name, loader, _Budget())
    except RecursionError:
        raise CatalogError([CatalogProblem(name, 0, 0, "", _TOO_DEEP)]) from None
    except _TooManyValues:
        raise CatalogError(
            [
                CatalogProblem(
                    name,
                    0,
                    0,
                    "",
                    f"more than {MAX_VALUES} values (do YAML aliases expand too much?)",
                )
            ]
        ) from None
    if problems:
        raise CatalogError(problems)
    if not isinstance(data, dict):
        line, col = locations.get((), (1, 1))
        raise CatalogError(
            [
                CatalogProblem(
                    name,
                    line,
                    col,
                    "",
                    "the top level must be a mapping (meta:, categories:, items: …)",
                )
            ]
        )
    return data, locations


_TOO_DEEP = "the YAML is nested too deeply to be a catalog"
MAX_VALUES = 500_000  # the shipped catalog has ~30,000; aliases could otherwise explode


class _TooManyValues(Exception):
    pass


class _Budget:
    """Guards against alias tricks: a node that contains itself, or exponential expansion."""

    def __init__(self) -> None:
        self.built = 0
        self.active: set[int] = set()  # ids of the collection nodes being built


def _build(
    node: yaml.Node,
    path: PathT,
    locations: dict[PathT, tuple[int, int]],
    problems: list[CatalogProblem],
    name: str,
    loader: Any,
    budget: _Budget,
) -> Any:
    locations.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    budget.built += 1
    if budget.built > MAX_VALUES:
        raise _TooManyValues
    if isinstance(node, yaml.CollectionNode):
        if id(node) in budget.active:
            line, col = locations[path]  # where the alias is used, not where its anchor is
            problems.append(
                CatalogProblem(
                    name,
                    line,
                    col,
                    _render(path),
                    "a YAML alias refers to a value that contains it",
                )
            )
            return None
        budget.active.add(id(node))
        try:
            return _build_collection(node, path, locations, problems, name, loader, budget)
        finally:
            budget.active.discard(id(node))
    return _scalar(node, loader)


def _build_collection(
    node: yaml.CollectionNode,
    path: PathT,
    locations: dict[PathT, tuple[int, int]],
    problems: list[CatalogProblem],
    name: str,
    loader: Any,
    budget: _Budget,
) -> Any:
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key = _scalar(key_node, loader)
            if not isinstance(key, str) or isinstance(key_node, yaml.CollectionNode):
                shown = key_node.value if isinstance(key_node, yaml.ScalarNode) else "…"
                problems.append(
                    CatalogProblem(
                        name,
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        _render(path),
                        # YAML 1.1 reads on/off/yes/no as booleans and digits as numbers.
                        f"a mapping key must be a plain word, not {shown!r} "
                        "(put it in quotes if it is meant as text)",
                    )
                )
                continue
            if key in result:
                problems.append(
                    CatalogProblem(
                        name,
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                        _render((*path, key)),
                        f"duplicate key '{key}'",
                    )
                )
                continue
            locations[(*path, key)] = (
                key_node.start_mark.line + 1,
                key_node.start_mark.column + 1,
            )
            result[key] = _build(
                value_node, (*path, key), locations, problems, name, loader, budget
            )
        return result
    return [
        _build(child, (*path, i), locations, problems, name, loader, budget)
        for i, child in enumerate(node.value)
    ]


def _scalar(node: yaml.Node, loader: Any) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return None
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value  # dates stay ISO text: the form engine parses them
    try:
        return loader.construct_object(node, deep=True)
    # An explicit tag on text it cannot read (``!!int abc``, ``!!bool maybe``) raises
    # plain ValueError / KeyError from PyYAML's constructors; keep the text instead.
    except (yaml.YAMLError, ValueError, KeyError, TypeError, OverflowError):
        return node.value


# ── error reporting ────────────────────────────────────────────────────────


def _render(path: PathT) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _data_path(data: Any, loc: tuple[Any, ...]) -> PathT:
    """Drop pydantic's union tags and validator names from a loc, keeping real data keys."""
    path: list[str | int] = []
    node = data
    for part in loc:
        in_list = isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        if in_list or (isinstance(node, dict) and part in node):
            path.append(part)
            node = node[part]
        elif isinstance(node, dict) and isinstance(part, str) and not _looks_like_tag(part):
            path.append(part)  # a missing key: report where it should be
            node = None
    return tuple(path)


def _looks_like_tag(part: str) -> bool:
    return part in ("inline", "use") or "[" in part or part[:1].isupper()


def _pydantic_message(error: Mapping[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "missing":
        return "required but missing"
    if kind == "extra_forbidden":
        return "unknown key (misspelt?)"
    message = str(error.get("msg", "invalid"))
    return message.removeprefix("Value error, ")


class _Reporter:
    def __init__(self, name: str, locations: dict[PathT, tuple[int, int]]):
        self.name = name
        self.locations = locations
        self.problems: list[CatalogProblem] = []

    def __call__(self, path: PathT, message: str) -> None:
        probe = tuple(path)
        while probe not in self.locations and probe:
            probe = probe[:-1]
        line, col = self.locations.get(probe, (0, 0))
        self.problems.append(CatalogProblem(self.name, line, col, _render(path), message))


# ── pass 3: cross-references and resolution ───────────────────────────────


def _duplicates(codes: Iterable[str]) -> Iterator[tuple[int, str]]:
    seen: set[str] = set()
    for index, code in enumerate(codes):
        if code in seen:
            yield index, code
        seen.add(code)


def _resolve(doc: CatalogDocument, report: _Reporter) -> Catalog | None:
    for section, key in (
        ("categories", "code"),
        ("departments", "code"),
        ("queues", "code"),
        ("queues", "prefix"),
        ("materials", "id"),
        ("fields", "id"),
        ("items", "code"),
        ("bundles", "code"),
        ("life_events", "code"),
    ):
        entries = getattr(doc, section)
        for index, code in _duplicates(getattr(e, key) for e in entries):
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
    material_library = {m.id: m for m in doc.materials}
    field_library = {f.id: f for f in doc.fields}

    items: list[Item] = []
    for index, item in enumerate(doc.items):
        at: PathT = ("items", index)
        if item.category not in categories:
            report((*at, "category"), f"unknown category '{item.category}'")
        if item.department not in departments:
            report((*at, "department"), f"unknown department '{item.department}'")
        if item.queue not in queues:
            report((*at, "queue"), f"unknown queue '{item.queue}'")
        questions = _check_questions(item, at, report)
        materials = _resolve_materials(item, material_library, questions, at, report)
        fields = _resolve_fields(item, field_library, questions, at, report)
        items.append(item.model_copy(update={"materials": materials, "fields": fields}))
    by_code = {i.code: i for i in items}

    for index, bundle in enumerate(doc.bundles):
        at = ("bundles", index)
        if bundle.queue not in queues:
            report((*at, "queue"), f"unknown queue '{bundle.queue}'")
        for m_index, code in _duplicates(m.item for m in bundle.members):
            report((*at, "members", m_index, "item"), f"item '{code}' is listed twice")
        if not any(m.required for m in bundle.members):
            report((*at, "members"), "a bundle needs at least one required item")
        member_items = []
        for m_index, member in enumerate(bundle.members):
            if member.item not in by_code:
                report((*at, "members", m_index, "item"), f"unknown item '{member.item}'")
            else:
                member_items.append(by_code[member.item])
        for s_index, field_id in enumerate(bundle.shared_fields):
            found = [f for i in member_items for f in i.field_list if f.id == field_id]
            if not found:
                report((*at, "shared_fields", s_index), f"no member item has a field '{field_id}'")
            elif len({f.type for f in found}) > 1:
                report(
                    (*at, "shared_fields", s_index),
                    f"field '{field_id}' has different types in the member items",
                )

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
        for s_index, code in _duplicates(step_items):
            report((*at, "steps", s_index, "item"), f"item '{code}' is a step twice")
        cycle = _find_cycle({s.item: s.next for s in event.steps})
        if cycle:
            report((*at, "steps"), "life-event steps form a cycle: " + " → ".join(cycle))

    if report.problems:
        return None
    return Catalog.build(doc, items)


def _check_questions(item: Item, at: PathT, report: _Reporter) -> dict[str, Question]:
    known: dict[str, Question] = {}
    for q_index, question in enumerate(item.questions):
        here = (*at, "questions", q_index)
        if question.id in known:
            report((*here, "id"), f"duplicate question '{question.id}'")
        if question.ask_if is not None:
            # Only earlier questions: the flow is ordered, and this rules out cycles.
            _check_refs(
                question.ask_if,
                "question",
                known,
                (*here, "ask_if"),
                report,
                later=" (ask_if may only refer to earlier questions)",
            )
        known[question.id] = question
    for r_index, refusal in enumerate(item.refusals):
        _check_refs(refusal.when, "question", known, (*at, "refusals", r_index, "when"), report)
    return known


def _check_refs(
    condition: rules.Condition,
    kind: str,
    known: Mapping[str, Any],
    at: PathT,
    report: _Reporter,
    later: str = "",
    questions: Mapping[str, Question] | None = None,
) -> None:
    """Check every name a condition uses.

    ``kind`` is what the condition is about here (questions in consultation rules,
    fields in form rules); form rules may also look at the item's ``questions``.
    """
    scopes: dict[str, Mapping[str, Any]] = {kind: known}
    if questions is not None:
        scopes.setdefault("question", questions)
    for ref in rules.references(condition):
        if ref.kind not in scopes:
            report(at, f"a {ref.kind} condition cannot be used here; refer to a {kind}")
        elif ref.ref not in scopes[ref.kind]:
            report(at, f"unknown {ref.kind} '{ref.ref}'{later if ref.kind == kind else ''}")
        elif ref.kind == "question" and ref.op in ("equals", "in"):
            answers = scopes["question"][ref.ref].answers()
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


def _resolve_materials(
    item: Item,
    library: Mapping[str, Material],
    questions: Mapping[str, Question],
    at: PathT,
    report: _Reporter,
) -> tuple[Material, ...]:
    resolved: list[Material] = []
    for m_index, entry in enumerate(item.materials):
        here = (*at, "materials", m_index)
        if isinstance(entry, MaterialUse):
            if entry.use not in library:
                report((*here, "use"), f"unknown material '{entry.use}' (not in the library)")
                continue
            update: dict[str, Any] = {"when": entry.when}
            if entry.originals is not None:
                update["originals"] = entry.originals
            if entry.copies is not None:
                update["copies"] = entry.copies
            material = library[entry.use].model_copy(update=update)
        else:
            material = entry
        if material.when is not None:
            _check_refs(material.when, "question", questions, (*here, "when"), report)
        if material.originals == 0 and material.copies == 0:
            report(here, "a material needs at least one original or one copy")
        resolved.append(material)
    for m_index, code in _duplicates(m.id for m in resolved):
        report((*at, "materials", m_index), f"material '{code}' is listed twice")
    return tuple(resolved)


def _resolve_fields(
    item: Item,
    library: Mapping[str, FormField],
    questions: Mapping[str, Question],
    at: PathT,
    report: _Reporter,
) -> tuple[FormField, ...]:
    resolved: list[FormField] = []
    for f_index, entry in enumerate(item.fields):
        if isinstance(entry, FieldUse):
            if entry.use not in library:
                report(
                    (*at, "fields", f_index, "use"),
                    f"unknown field '{entry.use}' (not in the library)",
                )
                continue
            update: dict[str, Any] = {}
            for key in ("required", "required_if", "relevant_if"):
                if getattr(entry, key) is not None:
                    update[key] = getattr(entry, key)
            resolved.append(library[entry.use].model_copy(update=update))
        else:
            resolved.append(entry)
    ids = {f.id for f in resolved}
    for f_index, code in _duplicates(f.id for f in resolved):
        report((*at, "fields", f_index), f"field '{code}' is listed twice")
    for f_index, field in enumerate(resolved):
        _check_field_rules(field, ids, questions, (*at, "fields", f_index), report)
    return tuple(resolved)


def _check_field_rules(
    field: FormField,
    ids: set[str],
    questions: Mapping[str, Question],
    at: PathT,
    report: _Reporter,
) -> None:
    """Form rules may use the item's fields and its consultation answers."""
    known = dict.fromkeys(ids | {field.id})
    for key in ("required_if", "relevant_if"):
        condition = getattr(field, key)
        if condition is not None:
            _check_refs(condition, "field", known, (*at, key), report, questions=questions)
    for c_index, constraint in enumerate(field.constraints):
        here = (*at, "constraints", c_index, "check")
        _check_refs(constraint.check, "field", known, here, report, questions=questions)


def _find_cycle(graph: Mapping[str, tuple[str, ...]]) -> list[str] | None:
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
