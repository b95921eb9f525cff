"""Loading catalog.yaml: every problem with file:line:column and path, all at once, no traceback."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kiosk import SHIPPED_CATALOG
from kiosk.catalog import CatalogError, CatalogProblem, load_catalog, parse_catalog
from kiosk.catalog import loader as loader_module
from kiosk.catalog.loader import MAX_BYTES
from tests.catalog.samples import SAMPLE_YAML, column_of, line_of

NAME = "mini.yaml"

# A small, valid catalog; each test breaks one thing and checks where the loader points.
MINI = """\
meta:
  bureau: {zh: 小镇, en: Small town}
  version: "1"
  note: {zh: 示例, en: Sample}
categories:
  - code: life
    name: {zh: 民生, en: Living}
departments:
  - code: health
    name: {zh: 卫生, en: Health}
queues:
  - code: q1
    prefix: A
    name: {zh: 一号, en: One}
    windows: [1]
items:
  - code: I-1
    name: {zh: 事项一, en: Item one}
    category: life
    department: health
    legal_basis: {zh: 法, en: Law}
    statutory_days: 5
    promised_days: 1
    fee: {zh: 免费, en: Free}
    kind: promised
    queue: q1
    questions:
      - id: q_a
        text: {zh: 甲？, en: A}
      - id: q_b
        kind: choice
        text: {zh: 乙？, en: B}
        options:
          - {value: x, label: {zh: 叉, en: X}}
          - {value: y, label: {zh: 歪, en: Y}}
    materials:
      - id: m1
        name: {zh: 材料, en: Material}
        issuer: {zh: 某处, en: Somewhere}
        obtain: {zh: 去拿, en: Fetch it}
        when: {question: q_a, equals: true}
    fields:
      - id: f1
        type: text
        label: {zh: 字段, en: Field}
        example: 文字
"""

END = "end: true\n"  # a catalog's last line (the loader refuses a file cut short)


def complete(text: str) -> str:
    """MINI and its variants end with their items; the loader wants the end marker too."""
    if not text.startswith("meta:") or re.search(r"(?m)^end:", text):
        return text  # not a catalog (a YAML-level test), or it has its own ending
    return text + END if text.endswith("\n") else text + "\n" + END


# A second item, appended to MINI's items by some tests.
SECOND_ITEM = """\
  - code: I-2
    name: {zh: 事项二, en: Item two}
    category: life
    department: health
    legal_basis: {zh: 法, en: Law}
    statutory_days: 0
    promised_days: 0
    fee: {zh: 免费, en: Free}
    kind: immediate
    queue: q1
    materials:
      - {id: m2, name: {zh: 材料二, en: M2}, issuer: {zh: 甲, en: A}, obtain: {zh: 乙, en: B}}
    fields:
      - {id: f2, type: integer, label: {zh: 数, en: Number}, example: 3}
"""


# The loader uses libyaml when PyYAML was built with it, else pure-Python PyYAML; the
# YAML-level tests run on both, since they report errors differently.
PARSERS = {"pyyaml": yaml.SafeLoader}
if hasattr(yaml, "CSafeLoader"):
    PARSERS["libyaml"] = yaml.CSafeLoader


@pytest.fixture(params=sorted(PARSERS))
def each_yaml_parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(loader_module, "_Loader", PARSERS[request.param])


both_parsers = pytest.mark.usefixtures("each_yaml_parser")


def problems_of(text: str, name: str = NAME) -> list[CatalogProblem]:
    with pytest.raises(CatalogError) as caught:
        parse_catalog(complete(text), name)
    problems = caught.value.problems
    assert problems, "a CatalogError always says why"
    assert str(caught.value) == "\n".join(str(p) for p in problems)
    return problems


def only_problem(text: str) -> CatalogProblem:
    problems = problems_of(text)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


def replace(text: str, old: str, new: str, count: int = 1) -> str:
    assert text.count(old) >= count, f"{old!r} not in the text"
    return text.replace(old, new, count)


@both_parsers
def test_the_small_catalog_loads() -> None:
    catalog = parse_catalog(complete(MINI), NAME)
    assert list(catalog.items) == ["I-1"]
    assert parse_catalog(complete(MINI + SECOND_ITEM), NAME).items.keys() == {"I-1", "I-2"}


# ── the message format ─────────────────────────────────────────────────────


def test_a_problem_reads_file_line_column_path_message() -> None:
    text = replace(MINI, "department: health", "department: nowhere")
    problem = only_problem(text)
    line = line_of(text, "department: nowhere")
    assert line == 20
    assert problem == CatalogProblem(
        NAME, 20, 5, "items[0].department", "unknown department 'nowhere'"
    )
    assert str(problem) == "mini.yaml:20:5 items[0].department: unknown department 'nowhere'"


def test_a_whole_file_problem_has_no_line() -> None:
    problem = CatalogProblem("x.yaml", 0, 0, "", "the file is empty")
    assert str(problem) == "x.yaml: the file is empty"


def test_every_problem_is_reported_at_once_in_file_order() -> None:
    text = replace(MINI, "queue: q1", "queue: q9")
    text = replace(text, "category: life\n    department", "category: sports\n    department")
    text = replace(text, "when: {question: q_a", "when: {question: q_zzz")
    text = replace(text, 'version: "1"', "version: [1]")
    problems = problems_of(text)
    # The shape errors (pass 2) stop the cross-reference pass, so fix the version first.
    assert [(p.line, p.path) for p in problems] == [(3, "meta.version")]
    text = replace(text, "version: [1]", 'version: "1"')
    problems = problems_of(text)
    assert [(p.line, p.column, p.path, p.message) for p in problems] == [
        (19, 5, "items[0].category", "unknown category 'sports'"),
        (26, 5, "items[0].queue", "unknown queue 'q9'"),
        (
            line_of(text, "q_zzz"),
            9,
            "items[0].materials[0].when",
            "unknown question 'q_zzz'",
        ),
    ]


def test_shape_errors_are_all_reported_together() -> None:
    text = replace(MINI, "statutory_days: 5", "statutory_days: lots")
    text = replace(text, "prefix: A", "prefix: a1")
    text = replace(text, "type: text", "type: colour")
    problems = problems_of(text)
    assert [(p.line, p.path) for p in problems] == [
        (line_of(text, "prefix: a1"), "queues[0].prefix"),
        (line_of(text, "statutory_days: lots"), "items[0].statutory_days"),
        (line_of(text, "type: colour"), "items[0].fields[0].type"),
    ]
    by_path = {p.path: p.message for p in problems}
    assert "valid integer" in by_path["items[0].statutory_days"]
    assert "'text'" in by_path["items[0].fields[0].type"]  # lists what is allowed
    assert "pattern" in by_path["queues[0].prefix"]


# ── cross-references ───────────────────────────────────────────────────────


@pytest.mark.parametrize(
    "old, new, marker, path, message",
    [
        ("queue: q1", "queue: q2", "queue: q2", "items[0].queue", "unknown queue 'q2'"),
        (
            "category: life\n    department",
            "category: nope\n    department",
            "category: nope",
            "items[0].category",
            "unknown category 'nope'",
        ),
        (
            "    windows: [1]",
            "    windows: [1]\n    category: elsewhere",
            "category: elsewhere",
            "queues[0].category",
            "unknown category 'elsewhere'",
        ),
        (
            "windows: [1]",
            "windows: [9]",
            "windows: [9]",
            "queues[0].windows",
            "window 9 does not exist (the hall has 8)",
        ),
    ],
)
def test_unknown_references(old: str, new: str, marker: str, path: str, message: str) -> None:
    text = replace(MINI, old, new)
    problem = only_problem(text)
    assert (problem.path, problem.message) == (path, message)
    assert (problem.line, problem.column) == (line_of(text, marker), 5)


def test_unknown_question_in_a_material_condition() -> None:
    text = replace(MINI, "{question: q_a, equals: true}", "{question: has_lease, equals: true}")
    problem = only_problem(text)
    assert str(problem) == (
        f"mini.yaml:{line_of(text, 'has_lease')}:9 items[0].materials[0].when: "
        "unknown question 'has_lease'"
    )


def test_unknown_question_in_a_refusal() -> None:
    text = replace(
        MINI,
        "    materials:\n",
        "    refusals:\n      - when: {question: q_c, equals: true}\n"
        "        reason: {zh: 不行, en: Not allowed}\n    materials:\n",
    )
    problem = only_problem(text)
    assert (problem.line, problem.column) == (line_of(text, "q_c"), 9)
    assert problem.path == "items[0].refusals[0].when"
    assert problem.message == "unknown question 'q_c'"


def test_a_field_condition_where_a_question_is_meant() -> None:
    text = replace(MINI, "{question: q_a, equals: true}", "{field: f1, equals: x}")
    problem = only_problem(text)
    assert problem.path == "items[0].materials[0].when"
    assert problem.message == "a field condition cannot be used here; refer to a question"


def test_unknown_field_in_required_if() -> None:
    text = replace(
        MINI,
        "        example: 文字",
        "        example: 文字\n        required_if: {field: f9, equals: 1}",
    )
    problem = only_problem(text)
    assert (problem.line, problem.column) == (line_of(text, "required_if"), 9)
    assert problem.path == "items[0].fields[0].required_if"
    assert problem.message == "unknown field 'f9'"


def test_form_rules_may_use_the_items_questions() -> None:
    rule = "        relevant_if: {question: q_b, equals: x}"
    text = replace(MINI, "        example: 文字", "        example: 文字\n" + rule)
    catalog = parse_catalog(complete(text), NAME)
    assert catalog.items["I-1"].field_list[0].relevant_if is not None


@pytest.mark.parametrize(
    "rule, message",
    [
        ("{question: q_z, equals: true}", "unknown question 'q_z'"),
        ("{question: q_b, equals: z}", "question 'q_b' cannot be answered 'z' (its answers: x, y)"),
    ],
)
def test_a_question_in_a_form_rule_is_checked(rule: str, message: str) -> None:
    text = replace(
        MINI, "        example: 文字", f"        example: 文字\n        relevant_if: {rule}"
    )
    problem = only_problem(text)
    assert (problem.line, problem.column) == (line_of(text, "relevant_if"), 9)
    assert problem.path == "items[0].fields[0].relevant_if"
    assert problem.message == message


def test_a_compared_field_must_exist() -> None:
    rule = "        constraints:\n          - check: {field: f1, equals: {field: f0}}\n"
    rule += "            message: {zh: 不同, en: Differs}"
    text = replace(MINI, "        example: 文字", "        example: 文字\n" + rule)
    problem = only_problem(text)
    assert problem.path == "items[0].fields[0].constraints[0].check"
    assert problem.message == "unknown field 'f0'"


def test_unknown_field_in_a_constraint() -> None:
    text = replace(
        MINI,
        "        example: 文字",
        "        example: 文字\n        constraints:\n"
        "          - check: {field: nope, min_length: 1}\n"
        "            message: {zh: 短, en: Short}",
    )
    problem = only_problem(text)
    assert problem.line == line_of(text, "check: {field: nope")
    assert problem.path == "items[0].fields[0].constraints[0].check"
    assert problem.message == "unknown field 'nope'"


def test_unknown_material_and_field_in_the_library() -> None:
    text = replace(MINI, "      - id: m1\n", "      - use: no_such_material\n      - id: m1\n")
    text = replace(text, "      - id: f1\n", "      - use: no_such_field\n      - id: f1\n")
    problems = problems_of(text)
    assert [(p.line, p.column, p.path, p.message) for p in problems] == [
        (
            line_of(text, "no_such_material"),
            9,
            "items[0].materials[0].use",
            "unknown material 'no_such_material' (not in the library)",
        ),
        (
            line_of(text, "no_such_field"),
            9,
            "items[0].fields[0].use",
            "unknown field 'no_such_field' (not in the library)",
        ),
    ]


def test_a_library_field_whose_rule_refers_to_a_field_the_item_lacks() -> None:
    text = replace(
        MINI,
        "items:\n",
        "fields:\n  - id: helper\n    type: text\n    label: {zh: 帮, en: Helper}\n"
        "    required_if: {field: has_helper, equals: true}\n    example: 甲\nitems:\n",
    )
    text = replace(text, "      - id: f1\n", "      - use: helper\n      - id: f1\n")
    problem = only_problem(text)
    # Reported where the item uses it: that is where the fix goes.
    assert problem.path == "items[0].fields[0].required_if"
    assert problem.line == line_of(text, "use: helper")
    assert problem.message == "unknown field 'has_helper'"


def test_ask_if_may_only_refer_to_an_earlier_question() -> None:
    text = replace(
        MINI,
        "      - id: q_a\n        text: {zh: 甲？, en: A}\n",
        "      - id: q_a\n        text: {zh: 甲？, en: A}\n"
        "        ask_if: {question: q_b, equals: x}\n",
    )
    problem = only_problem(text)
    assert (problem.line, problem.column) == (line_of(text, "ask_if"), 9)
    assert problem.path == "items[0].questions[0].ask_if"
    assert problem.message == (
        "unknown question 'q_b' (ask_if may only refer to earlier questions)"
    )


def test_ask_if_referring_to_itself_is_refused() -> None:
    text = replace(
        MINI,
        "      - id: q_a\n        text: {zh: 甲？, en: A}\n",
        "      - id: q_a\n        text: {zh: 甲？, en: A}\n"
        "        ask_if: {question: q_a, answered: false}\n",
    )
    assert only_problem(text).path == "items[0].questions[0].ask_if"


@pytest.mark.parametrize(
    "condition, message",
    [
        (
            "{question: q_b, equals: z}",
            "question 'q_b' cannot be answered 'z' (its answers: x, y)",
        ),
        (
            "{question: q_b, in: [x, w]}",
            "question 'q_b' cannot be answered 'w' (its answers: x, y)",
        ),
        (
            '{question: q_a, equals: "yes"}',
            "question 'q_a' cannot be answered 'yes' (its answers: true, false)",
        ),
        (
            "{question: q_b, equals: true}",
            "question 'q_b' cannot be answered True (its answers: x, y)",
        ),
    ],
)
def test_answers_a_question_cannot_have(condition: str, message: str) -> None:
    text = replace(MINI, "{question: q_a, equals: true}", condition)
    problem = only_problem(text)
    assert problem.path == "items[0].materials[0].when"
    assert problem.line == line_of(text, condition)
    assert problem.message == message


def test_a_malformed_condition_names_the_rule_problem() -> None:
    text = replace(MINI, "{question: q_a, equals: true}", "{question: q_a, equal: true}")
    problem = only_problem(text)
    assert problem.path == "items[0].materials[0].when"
    assert problem.line == line_of(text, "equal: true")
    assert problem.message == "unknown key(s) in condition: equal"


# ── duplicates ─────────────────────────────────────────────────────────────


def test_duplicate_item_codes() -> None:
    text = MINI + replace(SECOND_ITEM, "code: I-2", "code: I-1")
    problem = only_problem(text)
    assert problem.path == "items[1].code"
    assert problem.line == line_of(text, "code: I-1", occurrence=2)
    assert problem.message == "duplicate code 'I-1'"


@pytest.mark.parametrize(
    "old, new, path, message",
    [
        (
            "  - code: health\n",
            "  - code: health\n    name: {zh: 卫, en: H}\n  - code: health\n",
            "departments[1].code",
            "duplicate code 'health'",
        ),
        (
            "    windows: [1]\n",
            "    windows: [1]\n  - {code: q2, prefix: A, name: {zh: 二, en: Two}, windows: [1]}\n",
            "queues[1].prefix",
            "duplicate prefix 'A'",
        ),
        (
            "      - id: q_b\n",
            "      - id: q_a\n        text: {zh: 又, en: Again}\n      - id: q_b\n",
            "items[0].questions[1].id",
            "duplicate question 'q_a'",
        ),
        (
            "    fields:\n",
            "      - {id: m1, name: {zh: 又, en: Again}, issuer: {zh: 甲, en: A}, "
            "obtain: {zh: 乙, en: B}}\n    fields:\n",
            "items[0].materials[1]",
            "material 'm1' is listed twice",
        ),
        (
            "        example: 文字\n",
            "        example: 文字\n"
            "      - {id: f1, type: text, label: {zh: 又, en: A}, example: b}\n",
            "items[0].fields[1]",
            "field 'f1' is listed twice",
        ),
    ],
)
def test_duplicate_codes(old: str, new: str, path: str, message: str) -> None:
    text = replace(MINI, old, new)
    problem = only_problem(text)
    assert (problem.path, problem.message) == (path, message)
    assert problem.line >= 1


@both_parsers
def test_duplicate_yaml_keys_are_refused_not_silently_overwritten() -> None:
    text = replace(MINI, "    kind: promised\n", "    kind: promised\n    kind: immediate\n")
    problem = only_problem(text)
    assert problem == CatalogProblem(
        NAME, line_of(text, "kind: immediate"), 5, "items[0].kind", "duplicate key 'kind'"
    )


@both_parsers
def test_duplicate_top_level_key() -> None:
    text = MINI + "categories:\n  - {code: x, name: {zh: 叉, en: X}}\n"
    problem = only_problem(text)
    assert (problem.line, problem.column) == (line_of(text, "categories:", 2), 1)
    assert problem.message == "duplicate key 'categories'"


# ── bundles and life events ────────────────────────────────────────────────

BUNDLE = """\
bundles:
  - code: B-1
    name: {zh: 套餐, en: Bundle}
    queue: q1
    members:
      - {item: I-1}
      - {item: I-2, required: false}
    shared_fields: [f1]
"""

EVENT = """\
life_events:
  - code: E-1
    name: {zh: 一件事, en: Event}
    steps:
      - {item: I-1, next: [I-2]}
      - {item: I-2}
"""


def test_bundle_and_life_event_load() -> None:
    catalog = parse_catalog(complete(MINI + SECOND_ITEM + BUNDLE + EVENT), NAME)
    assert [m.item for m in catalog.bundles["B-1"].members] == ["I-1", "I-2"]
    assert [i.code for i in catalog.next_items("I-1")] == ["I-2"]
    assert catalog.next_items("I-2") == []


@pytest.mark.parametrize(
    "old, new, path, message",
    [
        (
            "{item: I-2, required: false}",
            "{item: I-7}",
            "bundles[0].members[1].item",
            "unknown item 'I-7'",
        ),
        (
            "{item: I-2, required: false}",
            "{item: I-1}",
            "bundles[0].members[1].item",
            "item 'I-1' is listed twice",
        ),
        (
            "[f1]",
            "[f1, nickname]",
            "bundles[0].shared_fields[1]",
            "no member item has a field 'nickname'",
        ),
        (
            "    queue: q1\n    members",
            "    queue: qq\n    members",
            "bundles[0].queue",
            "unknown queue 'qq'",
        ),
        (
            "{item: I-1}\n",
            "{item: I-1, required: false}\n",
            "bundles[0].members",
            "a bundle needs at least one required item",
        ),
    ],
)
def test_bundle_problems(old: str, new: str, path: str, message: str) -> None:
    text = MINI + SECOND_ITEM + replace(BUNDLE, old, new)
    problem = only_problem(text)
    assert (problem.path, problem.message) == (path, message)
    assert problem.line >= line_of(text, "bundles:")


def test_a_shared_field_with_different_types_in_the_members() -> None:
    second = replace(SECOND_ITEM, "{id: f2, type: integer", "{id: f1, type: integer")
    text = MINI + second + BUNDLE
    problem = only_problem(text)
    assert problem.path == "bundles[0].shared_fields[0]"
    assert problem.line == line_of(text, "shared_fields: [f1]")
    assert problem.message == "field 'f1' has different types in the member items"


def test_a_bundle_needs_two_members() -> None:
    text = MINI + SECOND_ITEM + replace(BUNDLE, "      - {item: I-2, required: false}\n", "")
    problem = only_problem(text)
    assert problem.path == "bundles[0].members"
    assert "at least 2" in problem.message


@pytest.mark.parametrize(
    "steps, path, message",
    [
        (
            "      - {item: I-1, next: [I-2]}\n      - {item: I-2, next: [I-1]}\n",
            "life_events[0].steps",
            "life-event steps form a cycle: I-1 → I-2 → I-1",
        ),
        (
            "      - {item: I-1, next: [I-1]}\n",
            "life_events[0].steps",
            "life-event steps form a cycle: I-1 → I-1",
        ),
        (
            "      - {item: I-1, next: [I-2]}\n",
            "life_events[0].steps[0].next[0]",
            "'I-2' is not a step of this life event",
        ),
        (
            "      - {item: I-1, next: [I-2]}\n      - {item: I-3}\n",
            "life_events[0].steps[0].next[0]",
            "'I-2' is not a step of this life event",
        ),
        (
            "      - {item: I-1}\n      - {item: I-1}\n",
            "life_events[0].steps[1].item",
            "item 'I-1' is a step twice",
        ),
    ],
)
def test_life_event_problems(steps: str, path: str, message: str) -> None:
    event = EVENT.split("    steps:\n")[0] + "    steps:\n" + steps
    text = MINI + SECOND_ITEM + event
    problems = problems_of(text)
    assert (path, message) in [(p.path, p.message) for p in problems]
    assert all(p.line >= line_of(text, "life_events:") for p in problems)


def test_a_life_event_step_naming_an_unknown_item() -> None:
    text = MINI + SECOND_ITEM + replace(EVENT, "{item: I-2}", "{item: I-9}")
    problems = problems_of(text)
    assert [(p.path, p.message) for p in problems] == [
        ("life_events[0].steps[0].next[0]", "'I-2' is not a step of this life event"),
        ("life_events[0].steps[1].item", "unknown item 'I-9'"),
    ]
    assert problems[1].line == line_of(text, "{item: I-9}")


# ── shapes ─────────────────────────────────────────────────────────────────


def test_a_missing_key_points_at_its_entry() -> None:
    text = replace(MINI, "    fee: {zh: 免费, en: Free}\n", "")
    problem = only_problem(text)
    assert problem.path == "items[0].fee"
    assert problem.message == "required but missing"
    assert (problem.line, problem.column) == (line_of(text, "code: I-1"), 5)


def test_an_unknown_key_is_probably_misspelt() -> None:
    text = replace(MINI, "    kind: promised\n", "    kind: promised\n    colour: red\n")
    problem = only_problem(text)
    assert (problem.line, problem.column, problem.path) == (
        line_of(text, "colour"),
        5,
        "items[0].colour",
    )
    assert problem.message == "unknown key (misspelt?)"


@pytest.mark.parametrize(
    "old, new, path, message",
    [
        (
            "promised_days: 1",
            "promised_days: 9",
            "items[0]",
            "promised_days cannot exceed statutory_days",
        ),
        (
            "kind: promised",
            "kind: immediate",
            "items[0]",
            "an immediate item (即办件) has promised_days 0",
        ),
        ("kind: promised", "kind: someday", "items[0].kind", "'immediate' or 'promised'"),
        (
            "          - {value: y, label: {zh: 歪, en: Y}}\n",
            "",
            "items[0].questions[1]",
            "a choice question needs at least two options",
        ),
        (
            "          - {value: y, label",
            "          - {value: x, label",
            "items[0].questions[1]",
            "option values must be unique",
        ),
        ("        example: 文字\n", "", "items[0].fields[0]", "every field needs an example value"),
        (
            "name: {zh: 材料, en: Material}",
            "name: {zh: 材料, en: ''}",
            "items[0].materials[0].name.en",
            "at least 1 character",
        ),
        ("    windows: [1]\n", "    windows: []\n", "queues[0].windows", "at least 1 item"),
        ("code: I-1", "code: 'I 1'", "items[0].code", "pattern"),
    ],
)
def test_model_rules(old: str, new: str, path: str, message: str) -> None:
    text = replace(MINI, old, new)
    problem = only_problem(text)
    assert problem.path == path
    assert message in problem.message
    assert problem.line >= 1


def test_a_material_needs_an_original_or_a_copy() -> None:
    text = replace(
        MINI,
        "        obtain: {zh: 去拿, en: Fetch it}\n",
        "        obtain: {zh: 去拿, en: Fetch it}\n        originals: 0\n",
    )
    problem = only_problem(text)
    assert problem.path == "items[0].materials[0]"
    assert problem.message == "a material needs at least one original or one copy"
    assert problem.line == line_of(text, "- id: m1")


def test_wrong_types_are_named() -> None:
    text = replace(MINI, "items:\n  - code: I-1", "items:\n  - code: [I, 1]")
    text = replace(text, "statutory_days: 5", "statutory_days: {a: 1}")
    problems = problems_of(text)
    assert [(p.path, p.line) for p in problems] == [
        ("items[0].code", line_of(text, "code: [I, 1]")),
        ("items[0].statutory_days", line_of(text, "statutory_days: {a: 1}")),
    ]
    assert "valid string" in problems[0].message
    assert "valid integer" in problems[1].message


def test_a_section_of_the_wrong_type() -> None:
    text = replace(
        MINI,
        "categories:\n  - code: life\n    name: {zh: 民生, en: Living}\n",
        "categories: plenty\n",
    )
    problem = only_problem(text)
    assert (problem.path, problem.line) == ("categories", line_of(text, "categories: plenty"))
    assert "tuple" in problem.message or "list" in problem.message


@both_parsers
def test_dates_stay_iso_text() -> None:
    text = replace(MINI, "example: 文字", "example: 2024-02-29")
    text = replace(text, "type: text", "type: date")
    catalog = parse_catalog(complete(text), NAME)
    assert catalog.items["I-1"].field_list[0].example == "2024-02-29"


# ── malformed YAML and odd texts: a clear message, never a traceback ───────


@both_parsers
def test_malformed_yaml_names_line_and_column() -> None:
    text = replace(
        MINI, "    name: {zh: 事项一, en: Item one}", "    name: {zh: 事项一, en: Item one"
    )
    problem = only_problem(text)
    assert problem.file == NAME
    # The parser notices on the next line, where the unclosed mapping meets a key.
    assert problem.line == line_of(text, "事项一") + 1
    assert problem.column >= 1
    assert problem.message in (
        "malformed YAML: expected ',' or '}', but got ':'",  # PyYAML
        "malformed YAML: did not find expected ',' or '}'",  # libyaml
    )
    assert problem.message.startswith("malformed YAML: ")
    assert problem.path == ""


@both_parsers
def test_bad_indentation() -> None:
    text = replace(MINI, "    queue: q1\n", "      queue: q1\n")
    problem = only_problem(text)
    assert problem.line == line_of(text, "      queue: q1")
    assert problem.message.startswith("malformed YAML: ")


@both_parsers
def test_a_tab_in_the_indentation() -> None:
    text = replace(MINI, "    queue: q1\n", "\tqueue: q1\n")
    problem = only_problem(text)
    assert problem.line == line_of(text, "\tqueue: q1")
    assert "tab" in problem.message.lower() or "malformed YAML" in problem.message


@both_parsers
@pytest.mark.parametrize("text", ["", "   \n\n", "# only a comment\n", "---\n", "---\n...\n"])
def test_an_empty_text(text: str) -> None:
    problem = only_problem(text)
    assert (problem.line, problem.path, problem.message) == (0, "", "the file is empty")
    assert str(problem) == "mini.yaml: the file is empty"


@both_parsers
@pytest.mark.parametrize(
    "text, line",
    [("- a\n- b\n", 1), ("just words\n", 1), ("# c\n\n42\n", 3), ("~\n", 1)],
)
def test_the_top_level_must_be_a_mapping(text: str, line: int) -> None:
    problem = only_problem(text)
    assert problem.line == line
    assert problem.message == "the top level must be a mapping (meta:, categories:, items: …)"


@both_parsers
def test_two_documents_in_one_file() -> None:
    problem = only_problem(MINI + "---\nmeta: {}\n")
    assert problem.line == line_of(MINI + "---\n", "---")
    assert "malformed YAML" in problem.message


@both_parsers
@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b"])
def test_a_control_character(character: str) -> None:
    text = replace(MINI, "fee: {zh: 免费", f"fee: {{zh: 免{character}费")
    problem = only_problem(text)
    assert (problem.line, problem.column) == (line_of(text, "fee:"), column_of(text, "免") + 1)
    assert problem.message == f"character U+{ord(character):04X} is not allowed in a catalog"


@both_parsers
def test_deep_nesting() -> None:
    problem = only_problem("a: " + "[" * 3000 + "]" * 3000 + "\n")
    assert problem.message in (
        "the YAML is nested too deeply to be a catalog",  # PyYAML: RecursionError caught
        "malformed YAML: exceeded maximum nesting depth",  # libyaml's own limit
    )


@both_parsers
def test_an_alias_that_contains_itself() -> None:
    problem = only_problem("meta: &m\n  bureau: *m\n")
    assert (problem.line, problem.path) == (2, "meta.bureau")
    assert problem.message == "a YAML alias refers to a value that contains it"


@both_parsers
def test_aliases_that_expand_exponentially() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 8):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    problem = only_problem("\n".join(lines) + "\n")
    assert "more than" in problem.message and "aliases" in problem.message


@both_parsers
def test_plain_aliases_still_work() -> None:
    text = replace(MINI, "fee: {zh: 免费, en: Free}", "fee: &free {zh: 免费, en: Free}")
    text = text + SECOND_ITEM.replace("fee: {zh: 免费, en: Free}", "fee: *free")
    catalog = parse_catalog(complete(text), NAME)
    assert catalog.items["I-2"].fee.en == "Free"


@both_parsers
@pytest.mark.parametrize(
    "tagged", ["!!int abc", "!!float abc", "!!bool maybe", "!!binary ???", "!python/name:os.system"]
)
def test_explicit_tags_are_kept_as_text_never_a_traceback(tagged: str) -> None:
    text = replace(MINI, 'version: "1"', f"version: {tagged}")
    try:
        catalog = parse_catalog(complete(text), NAME)
    except CatalogError as exc:  # e.g. an empty value where text is required
        assert [(p.line, p.path) for p in exc.problems] == [(3, "meta.version")]
    else:
        assert catalog.version == tagged.split(" ", 1)[-1]


@both_parsers
@pytest.mark.parametrize("key", ["on", "yes", "no", "Off", "12", "1.5", "~", "null"])
def test_a_key_that_yaml_reads_as_something_else(key: str) -> None:
    text = replace(MINI, "    kind: promised\n", f"    kind: promised\n    {key}: 1\n")
    problem = only_problem(text)
    assert (problem.line, problem.column) == (line_of(text, f"    {key}: 1"), 5)
    assert problem.message.startswith(f"a mapping key must be a plain word, not '{key}'")


@both_parsers
def test_a_mapping_as_a_key() -> None:
    text = replace(MINI, "    kind: promised\n", "    kind: promised\n    ? [a, b]\n    : 1\n")
    problem = only_problem(text)
    assert problem.path == "items[0]"
    assert problem.message.startswith("a mapping key must be a plain word")


# ── files ──────────────────────────────────────────────────────────────────


def test_load_a_file_names_it_in_every_problem(tmp_path: Path) -> None:
    path = tmp_path / "other-bureau.yaml"
    path.write_text(complete(replace(MINI, "queue: q1", "queue: q2")), encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert [str(p) for p in caught.value.problems] == [
        f"other-bureau.yaml:{line_of(MINI, 'queue: q1')}:5 items[0].queue: unknown queue 'q2'"
    ]


def test_a_file_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + complete(MINI).encode("utf-8"))
    assert list(load_catalog(path).items) == ["I-1"]


def file_problem(path: Path) -> CatalogProblem:
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    (problem,) = caught.value.problems
    assert problem.file == str(path)
    assert str(problem).startswith(f"{path}: ")
    return problem


def test_a_missing_file(tmp_path: Path) -> None:
    assert file_problem(tmp_path / "nope.yaml").message == "file not found"


def test_a_directory(tmp_path: Path) -> None:
    assert file_problem(tmp_path).message == "is a directory, not a catalog file"


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads a chmod 000 file anyway"
)
def test_an_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text(MINI, encoding="utf-8")
    path.chmod(0)
    try:
        assert file_problem(path).message == "cannot read the file: permission denied"
    finally:
        path.chmod(0o644)


def test_a_file_inside_an_unreadable_directory_reports_calmly(tmp_path: Path) -> None:
    path = tmp_path / "not-a-dir" / "catalog.yaml"
    (tmp_path / "not-a-dir").write_text("a file, not a directory", encoding="utf-8")
    message = file_problem(path).message
    assert message.startswith("cannot read the file: ") or message == "file not found"


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_an_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.yaml"
    path.write_bytes(content)
    assert file_problem(path).message == "the file is empty"


def test_a_ten_megabyte_file(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as out:
        out.write(MINI.encode("utf-8"))
        out.write(b"# padding " + b"x" * 1000 + b"\n" * 1 + (b"# " + b"y" * 1022 + b"\n") * 10_240)
    assert path.stat().st_size > 10 * 1024 * 1024 > MAX_BYTES
    assert file_problem(path).message == "file is 10.0 MB; a catalog may be at most 5 MB"


def test_a_file_just_under_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "padded.yaml"
    padding = (b"# " + b"z" * 1021 + b"\n") * ((MAX_BYTES - 4096) // 1024)
    path.write_bytes(complete(MINI).encode("utf-8") + padding)
    assert list(load_catalog(path).items) == ["I-1"]


def test_a_gbk_file(tmp_path: Path) -> None:
    path = tmp_path / "gbk.yaml"
    path.write_bytes(MINI.encode("gbk"))
    message = file_problem(path).message
    # Some GBK byte pairs happen to be valid UTF-8; the first that is not is named.
    first_chinese = MINI.encode("gbk").index("小".encode("gbk"))
    assert message.startswith("not UTF-8 text (byte ")
    assert message.endswith("); save the catalog as UTF-8")
    assert int(message.split("byte ")[1].split(")")[0]) >= first_chinese


def test_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "binary.yaml"
    path.write_bytes(b"meta: \xff\xfe\n")
    assert file_problem(path).message == "not UTF-8 text (byte 6); save the catalog as UTF-8"


def test_binary_bytes_that_happen_to_be_utf8(tmp_path: Path) -> None:
    path = tmp_path / "binary.yaml"
    path.write_bytes(b"\x00\x01\x02\x03")
    with pytest.raises(CatalogError) as caught:
        load_catalog(path)
    assert [str(p) for p in caught.value.problems] == [
        "binary.yaml:1:1: character U+0000 is not allowed in a catalog"
    ]


def test_the_shipped_catalog_loads_through_the_file_path() -> None:
    catalog = load_catalog(SHIPPED_CATALOG)
    assert catalog.items


# ── Hypothesis: mutated catalogs either load or fail with located problems ──


def shipped_excerpt(items: int = 3) -> list[str]:
    """The shipped catalog's head and first few items: small enough to mutate quickly."""
    lines = SHIPPED_CATALOG.read_text(encoding="utf-8").splitlines()
    start = lines.index("items:")
    entries = [n for n in range(start, len(lines)) if lines[n].startswith("  - code: ")]
    end = (
        entries[items]
        if len(entries) > items
        else next(
            (n for n in range(start, len(lines)) if lines[n] in ("bundles:", "life_events:")),
            len(lines),
        )
    )
    return [*lines[:end], "end: true"]


SHIPPED_LINES = shipped_excerpt()
SAMPLE_LINES = SAMPLE_YAML.splitlines()
FULL_SHIPPED_LINES = SHIPPED_CATALOG.read_text(encoding="utf-8").splitlines()


def test_the_excerpts_that_get_mutated_are_valid_catalogs() -> None:
    assert len(parse_catalog("\n".join(SHIPPED_LINES), "excerpt.yaml").items) >= 1
    assert len(parse_catalog("\n".join(SAMPLE_LINES), "sample.yaml").items) >= 1


GARBAGE = [
    "",
    "  - ",
    ":",
    "- [",
    "{",
    "}",
    "]]",
    "    - {item: NO-SUCH-ITEM}",
    "      when: {question: nowhere, equals: true}",
    "      when: {all: []}",
    "      - use: ghost",
    "    category: 42",
    "  code: MS-YB-001",
    "!!int abc",
    "key: !!float x",
    "key: !!bool maybe",
    "x: &a [*a]",
    "\t- tab",
    "? [complex, key]",
    "on: off",
    "'unterminated",
    '"bad \\q escape"',
    "%YAML 1.1",
    "---",
    "...",
    "*undefined_alias",
    "&anchor",
    "|",
    ">-",
    "\x00",
    "\ufeff",
    "中文：冒号",
    "    example: 99999999999999999999999999999999",
    "    statutory_days: -1",
    "    gt: .nan",
    "        check: {field: nope, gt: .nan}",
]


@st.composite
def mutated(draw: st.DrawFn, bases: tuple[list[str], ...] = (SHIPPED_LINES, SAMPLE_LINES)) -> str:
    lines = list(draw(st.sampled_from(bases)))
    for _ in range(draw(st.integers(1, 4))):
        if not lines:
            break
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(
            st.sampled_from(["delete", "duplicate", "swap", "scalar", "garbage", "indent"])
        )
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[index], lines[other] = lines[other], lines[index]
        elif action == "scalar" and ":" in lines[index]:
            head = lines[index].split(":", 1)[0]
            value = draw(
                st.one_of(
                    st.sampled_from(["", "~", "true", "0", "-1", "1e999", "[]", "{}", "x", "'''"]),
                    st.text(max_size=12),
                    st.integers(-(10**20), 10**20).map(str),
                )
            )
            lines[index] = f"{head}: {value}"
        elif action == "indent":
            lines[index] = draw(st.sampled_from(["", " ", "  ", "\t"])) + lines[index].lstrip()
        else:
            lines.insert(index, draw(st.one_of(st.sampled_from(GARBAGE), st.text(max_size=20))))
    return "\n".join(lines) + "\n"


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(mutated(), st.sampled_from(sorted(PARSERS)))
def test_mutated_catalogs_load_or_fail_with_located_problems(text: str, parser: str) -> None:
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(loader_module, "_Loader", PARSERS[parser])
            parse_catalog(text, "mutant.yaml")
    except CatalogError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert problem.file == "mutant.yaml"
            assert problem.message
            # A problem inside the catalog has a line; only whole-file problems have none.
            assert problem.line >= 1 or problem.path == "", str(problem)
            assert problem.line <= text.count("\n") + 2
            assert str(problem).startswith("mutant.yaml")


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200), st.sampled_from(sorted(PARSERS)))
def test_any_text_loads_or_fails_with_a_catalog_error(text: str, parser: str) -> None:
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(loader_module, "_Loader", PARSERS[parser])
            parse_catalog(text, "any.yaml")
    except CatalogError as exc:
        assert all(p.line >= 1 or p.path == "" for p in exc.problems)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated(bases=(FULL_SHIPPED_LINES,)))
def test_the_whole_shipped_catalog_mutated(text: str) -> None:
    """The same on the whole file (slower: a dozen examples), with the loader's own parser."""
    try:
        parse_catalog(text, "catalog.yaml")
    except CatalogError as exc:
        for problem in exc.problems:
            assert problem.line >= 1 or problem.path == "", str(problem)
