# ruff: noqa: E501  — the YAML snippets below read best one catalog line to a Python line
"""The catalog's newer constructs as the loader checks them, each problem located once.

Derived values, pre-fills, options that depend on answers, ``later`` verdicts, fees,
items without a form, the shared question library, what bundle members produce for
each other, bundle answers, the hall's own area, and the end-of-file marker.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from kiosk.catalog import Catalog, CatalogError, CatalogProblem, parse_catalog
from kiosk.catalog.derived import DerivedPart
from kiosk.catalog.model import Area, FieldType, Fill
from tests.catalog.samples import SAMPLE_YAML, column_of, line_of

NAME = "hekou.yaml"


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def load(text: str) -> Catalog:
    return parse_catalog(text, NAME)


def problems_of(text: str) -> list[CatalogProblem]:
    with pytest.raises(CatalogError) as caught:
        load(text)
    problems = caught.value.problems
    assert problems and all(p.line >= 1 for p in problems), [str(p) for p in problems]
    assert len({(p.line, p.column, p.path, p.message) for p in problems}) == len(problems)
    return problems


def only_problem(text: str) -> CatalogProblem:
    problems = problems_of(text)
    assert len(problems) == 1, [str(p) for p in problems]
    return problems[0]


# ── locations inside `use:` entries ───────────────────────────────────────


def test_a_bad_condition_in_a_use_entry_is_located_at_its_own_key() -> None:
    text = edit(
        SAMPLE_YAML,
        "      - use: id_card\n      - id: lease",
        "      - use: id_card\n        when: [1, 2]\n      - id: lease",
    )
    problem = only_problem(text)
    assert problem.path == "items[0].materials[0].when"
    assert (problem.line, problem.column) == (line_of(text, "when: [1, 2]"), 9)
    assert problem.message == "a condition must be a mapping, not list"


def test_a_stray_key_in_a_use_entry_is_reported_once_where_it_is() -> None:
    text = edit(
        SAMPLE_YAML,
        "      - use: person_name\n      - use: person_id\n      - use: phone\n      - use: shop_name",
        "      - use: person_name\n        colour: red\n      - use: person_id\n      - use: phone\n      - use: shop_name",
    )
    problem = only_problem(text)
    assert problem.path == "items[0].fields[0].colour"
    assert problem.line == line_of(text, "colour: red")
    assert problem.message == "unknown key (misspelt?)"


def test_a_stray_key_in_a_question_use_entry() -> None:
    text = edit(
        SAMPLE_YAML,
        "items:\n",
        "questions:\n  - id: agent\n    text: {zh: 是否委托？, en: By an agent?}\nitems:\n",
    )
    text = edit(
        text,
        '    questions:\n      - id: agent\n        text: {zh: 是否委托他人办理？, en: "Is an agent applying?"}\n      - id: form',
        "    questions:\n      - {use: agent, colour: red}\n      - id: form",
    )
    problem = only_problem(text)
    assert problem.path == "items[0].questions[0].colour"
    assert problem.line == line_of(text, "{use: agent, colour: red}")


# ── a file cut short ───────────────────────────────────────────────────────


def test_a_file_cut_between_two_items_is_caught() -> None:
    cut = SAMPLE_YAML[: SAMPLE_YAML.index("  - code: T-TAX")]
    problem = only_problem(cut)
    assert problem.path == ""
    assert problem.line == cut.count("\n")  # the last line of what is there
    assert problem.message.startswith(
        "the catalog does not end with the line 'end: true' — the file may have been cut short"
    )


def test_the_end_marker_must_be_last_and_true() -> None:
    moved = edit(SAMPLE_YAML, "end: true\n", "").replace("bundles:\n", "end: true\nbundles:\n", 1)
    problem = only_problem(moved)
    assert (problem.path, problem.line) == ("end", line_of(moved, "end: true"))
    assert (
        problem.message
        == "'end: true' must be the last line of the catalog ('life_events' follows)"
    )
    assert only_problem(edit(SAMPLE_YAML, "end: true", "end: no")).message == (
        "the end marker reads 'end: true', not 'end: False'"
    )


# ── the hall's own area ────────────────────────────────────────────────────

AREA = '  area: {code: "320506", province: 江苏省, city: 苏州市, district: 吴中区}\n'


def with_area(area: str = AREA) -> str:
    return edit(SAMPLE_YAML, "  windows: 4\n", "  windows: 4\n" + area)


def test_the_halls_area_loads() -> None:
    catalog = load(with_area())
    assert catalog.meta.area == Area(
        code="320506", province="江苏省", city="苏州市", district="吴中区"
    )
    beijing = '  area: {code: "110105", province: 北京市, city: 北京市, district: 朝阳区}\n'
    assert load(with_area(beijing)).meta.area is not None


@pytest.mark.parametrize(
    ("area", "path", "message"),
    [
        (
            '{code: "320506", province: 浙江省, city: 苏州市, district: 吴中区}',
            "meta.area.province",
            "code 320506 is in 江苏省, not 浙江省",
        ),
        (
            '{code: "320506", province: 江苏省, city: 无锡市, district: 吴中区}',
            "meta.area.city",
            "code 320506 is in 苏州市, not 无锡市",
        ),
        (
            '{code: "320506", province: 江苏省, city: 苏州市, district: 姑苏区}',
            "meta.area.district",
            "code 320506 is 吴中区, not 姑苏区",
        ),
        (
            '{code: "320500", province: 江苏省, city: 苏州市, district: 苏州市}',
            "meta.area.code",
            "'320500' is not a district",
        ),
        (
            '{code: "329999", province: 江苏省, city: 苏州市, district: 某区}',
            "meta.area.code",
            "'329999' is not a district",
        ),
        (
            '{code: "32050", province: 江苏省, city: 苏州市, district: 吴中区}',
            "meta.area.code",
            "should match pattern",
        ),
    ],
)
def test_a_wrong_area_is_named(area: str, path: str, message: str) -> None:
    text = with_area(f"  area: {area}\n")
    problem = only_problem(text)
    assert problem.path == path
    assert message in problem.message
    assert problem.line == line_of(text, "  area:")


# ── questions from the library ─────────────────────────────────────────────

LIBRARY_QUESTION = """\
questions:
  - id: agent
    text: {zh: 是否委托他人办理？, en: "Is an agent applying?"}
    help: {zh: 委托的须带授权委托书, en: An agent brings a letter}
"""


def test_a_question_from_the_library_is_the_same_question_everywhere() -> None:
    text = edit(SAMPLE_YAML, "items:\n", LIBRARY_QUESTION + "items:\n")
    text = text.replace(
        '      - id: agent\n        text: {zh: 是否委托他人办理？, en: "Is an agent applying?"}\n',
        "      - use: agent\n",
    )
    catalog = load(text)
    questions = [catalog.items[c].question("agent") for c in ("T-REG", "T-TAX", "T-SEAL")]
    assert questions[0] == questions[1] == questions[2]
    assert questions[0] is not None and questions[0].help is not None


def test_an_unknown_library_question() -> None:
    text = edit(
        SAMPLE_YAML,
        '      - id: agent\n        text: {zh: 是否委托他人办理？, en: "Is an agent applying?"}\n      - id: form',
        "      - use: nobody\n      - id: form",
    )
    problem = problems_of(text)[0]  # (and the proxy letter's condition names it)
    assert problem.path == "items[0].questions[0].use"
    assert problem.message == "unknown question 'nobody' (not in the library)"


# ── derived values and pre-fills ───────────────────────────────────────────

BIRTH_FIELDS = """\
      - id: birth_date
        type: date
        label: {zh: 出生日期, en: Date of birth}
        fill: {field: person_id, derived: birth_date}
      - id: sex
        type: choice
        label: {zh: 性别, en: Sex}
        options:
          - {value: male, label: {zh: 男, en: Male}}
          - {value: female, label: {zh: 女, en: Female}}
        fill: {field: person_id, derived: sex, editable: true}
"""


def with_fields(fields: str, after: str = "      - use: phone\n") -> str:
    return edit(SAMPLE_YAML, after, after + fields)


def test_fields_filled_from_an_id_number_load() -> None:
    catalog = load(with_fields(BIRTH_FIELDS))
    item = catalog.items["T-REG"]
    birth, sex = item.field("birth_date"), item.field("sex")
    assert birth is not None and birth.fill == Fill(
        field="person_id", derived=DerivedPart.BIRTH_DATE
    )
    assert sex is not None and sex.fill is not None and sex.fill.editable
    assert birth.example is None  # a filled field needs no example


@pytest.mark.parametrize(
    ("fill", "kind", "path", "message"),
    [
        (
            "{field: phone, derived: birth_date}",
            "date",
            "fill.field",
            "'phone' is a mobile field; derived values come from an id_number field",
        ),
        ("{field: nowhere, derived: age}", "integer", "fill.field", "unknown field 'nowhere'"),
        (
            "{field: person_id, derived: age}",
            "date",
            "fill.derived",
            "age fills a integer field, not a date field",
        ),
        ("{question: nothing}", "yesno", "fill.question", "unknown question 'nothing'"),
        (
            "{question: agent}",
            "text",
            "fill.question",
            "question 'agent' is answered yes or no; it fills a yesno field",
        ),
        (
            "{question: form}",
            "yesno",
            "fill.question",
            "question 'form' is a choice; it fills a choice field",
        ),
    ],
)
def test_a_fill_that_cannot_work_is_named(fill: str, kind: str, path: str, message: str) -> None:
    field = f"      - id: filled\n        type: {kind}\n        label: {{zh: 填, en: Filled}}\n        fill: {fill}\n"
    text = with_fields(field)
    problem = only_problem(text)
    assert problem.path == f"items[0].fields[3].{path}"
    assert message in problem.message
    assert problem.line == line_of(text, f"fill: {fill}")


def test_a_choice_filled_from_a_choice_question_needs_its_answers_as_options() -> None:
    field = (
        "      - id: filled\n        type: choice\n        label: {zh: 填, en: Filled}\n"
        "        options:\n          - {value: person, label: {zh: 个人, en: One}}\n"
        "          - {value: shop, label: {zh: 店铺, en: Shop}}\n"
        "        fill: {question: form}\n"
    )
    problem = only_problem(with_fields(field))
    # chain is turned away by a refusal of its own: the form never sees it, so only family
    assert problem.message == "answers of 'form' that are not options of the field: family"
    load(
        with_fields(
            field.replace(
                "{value: shop, label: {zh: 店铺, en: Shop}}",
                "{value: family, label: {zh: 家庭, en: Family}}",
            )
        )
    )


def test_a_sex_field_needs_male_and_female() -> None:
    text = with_fields(BIRTH_FIELDS.replace("{value: female,", "{value: f,"))
    problem = only_problem(text)
    assert problem.path == "items[0].fields[4].fill.derived"
    assert (
        problem.message == "a sex field filled from an ID number needs the options male and female"
    )


@pytest.mark.parametrize(
    ("fill", "message"),
    [
        (
            "{question: agent, field: person_id, derived: age}",
            "either {question: …} or {field: …, derived: …}",
        ),
        ("{field: person_id}", "fill from a field takes derived"),
        ("{question: agent, derived: age}", "derived reads an ID-number field, not a question"),
        ("{field: person_id, derived: height}", "Input should be 'birth_date', 'sex' or 'age'"),
    ],
)
def test_malformed_fills(fill: str, message: str) -> None:
    text = with_fields(
        f"      - id: filled\n        type: integer\n        label: {{zh: 填, en: Filled}}\n        fill: {fill}\n"
    )
    problem = only_problem(text)
    assert message in problem.message
    assert problem.path.startswith("items[0].fields[3]")


def test_rules_on_derived_values_are_checked() -> None:
    rule = (
        "        constraints:\n"
        "          - check: {field: person_name, derived: age, gte: 18}\n"
        "            message: {zh: 须成年, en: Adults only}\n"
    )
    text = edit(SAMPLE_YAML, "      - id: scope\n", "      - id: scope\n" + rule)
    problem = only_problem(text)
    assert problem.path == "items[0].fields[11].constraints[0].check"
    assert problem.message == "'derived' reads an id_number field; 'person_name' is a text field"
    ok = text.replace("{field: person_name, derived: age", "{field: person_id, derived: age")
    load(ok)
    sex = ok.replace("derived: age, gte: 18}", "derived: sex, equals: woman}")
    assert only_problem(sex).message == "sex is male or female, never 'woman'"


def test_options_that_depend_on_answers_are_checked() -> None:
    text = edit(
        SAMPLE_YAML,
        "          - {value: drinks, label: {zh: 饮品, en: Drinks}}\n",
        "          - {value: drinks, label: {zh: 饮品, en: Drinks}, when: {question: rentd, equals: true}}\n",
    )
    problem = only_problem(text)
    assert problem.path == "items[0].fields[10].options[1].when"
    assert problem.message == "unknown question 'rentd'"


def test_question_options_take_no_condition() -> None:
    text = edit(
        SAMPLE_YAML,
        "          - {value: chain, label: {zh: 连锁加盟, en: Franchise}}",
        "          - {value: chain, label: {zh: 连锁加盟, en: Franchise}, when: {question: agent, equals: true}}",
    )
    problem = only_problem(text)
    assert problem.path == "items[0].questions[1].options[2].when"
    assert problem.message == "unknown key (misspelt?)"


def test_a_relative_day_is_an_example_only_for_a_date() -> None:
    text = edit(SAMPLE_YAML, 'example: "5000.00"', "example: today+30d")
    problem = only_problem(text)
    assert problem.message == "a money field's example cannot be a day"
    load(edit(SAMPLE_YAML, 'example: "2026-05-01"', "example: today-1y"))


# ── later, fees, no form, nothing to bring ─────────────────────────────────

LATER = """\
    later:
      - when: {question: has_lease, equals: false}
        reason: {zh: 须先签订租赁合同, en: Sign the lease first}
        first: {zh: 与出租方签订租赁合同并备案, en: Sign and file the lease}
        where: {zh: 镇房管所, en: The town housing office}
        bring:
          - use: licence
          - id: lease_filing
            name: {zh: 租赁备案证明, en: Lease filing receipt}
            issuer: {zh: 房管所, en: Housing office}
            obtain: {zh: 备案后领取, en: After filing}
"""
FEES = """\
    fees:
      - amount: "20"
        note: {zh: 工本费, en: Card fee}
      - when: {question: agent, equals: true}
        amount: 5.5
        note: {zh: 代办手续费, en: Agent fee}
"""


def test_later_and_fees_load() -> None:
    text = edit(
        SAMPLE_YAML,
        "      - when: {question: has_lease, equals: false}\n        reason: {zh: 须先取得经营场所, en: You need premises first}\n",
        "",
    )
    text = edit(
        text,
        "    materials:\n      - use: id_card\n      - id: lease",
        LATER + FEES + "    materials:\n      - use: id_card\n      - id: lease",
    )
    item = load(text).items["T-REG"]
    (later,) = item.later
    assert later.where.zh == "镇房管所"
    assert [m.id for m in later.materials] == ["licence", "lease_filing"]
    assert [(f.amount, f.note.zh) for f in item.fees] == [
        (Decimal("20.00"), "工本费"),
        (Decimal("5.50"), "代办手续费"),
    ]


@pytest.mark.parametrize(
    ("old", "new", "path", "message"),
    [
        ('amount: "20"', 'amount: "20.001"', "items[0].fees[0].amount", "at most two decimals"),
        ('amount: "20"', "amount: -3", "items[0].fees[0].amount", "at most two decimals"),
        (
            'amount: "20"',
            "amount: true",
            "items[0].fees[0].amount",
            "a number of yuan",
        ),
        (
            "when: {question: agent, equals: true}\n        amount",
            "when: {question: agnt, equals: true}\n        amount",
            "items[0].fees[1].when",
            "unknown question 'agnt'",
        ),
        (
            "when: {question: has_lease, equals: false}\n        reason: {zh: 须先签订",
            "when: {question: has_lese, equals: false}\n        reason: {zh: 须先签订",
            "items[0].later[0].when",
            "unknown question 'has_lese'",
        ),
        (
            "          - use: licence\n",
            "          - use: licenze\n",
            "items[0].later[0].bring[0].use",
            "unknown material 'licenze'",
        ),
        (
            "        where: {zh: 镇房管所, en: The town housing office}\n",
            "",
            "items[0].later[0].where",
            "required but missing",
        ),
    ],
)
def test_later_and_fee_problems(old: str, new: str, path: str, message: str) -> None:
    text = edit(
        SAMPLE_YAML,
        "    materials:\n      - use: id_card\n      - id: lease",
        LATER + FEES + "    materials:\n      - use: id_card\n      - id: lease",
    )
    problem = only_problem(edit(text, old, new))
    assert problem.path == path
    assert message in problem.message


def test_an_item_with_no_form_and_nothing_to_bring() -> None:
    start = SAMPLE_YAML.index("  - code: L-BIRTH")
    end = SAMPLE_YAML.index("  - code: L-HUKOU")
    item = SAMPLE_YAML[start:end]
    changed = item.replace(
        "    materials:\n      - use: id_card\n    fields:\n      - use: person_name\n",
        "    nothing_to_bring: {zh: 凭出生医院开具的信息办理, en: The hospital's record is enough}\n",
    )
    catalog = load(SAMPLE_YAML[:start] + changed + SAMPLE_YAML[end:])
    birth = catalog.items["L-BIRTH"]
    assert not birth.has_form and birth.material_list == ()
    assert catalog.items["L-BABY"].has_form
    silent = changed.replace(
        "    nothing_to_bring: {zh: 凭出生医院开具的信息办理, en: The hospital's record is enough}\n",
        "",
    )
    problem = only_problem(SAMPLE_YAML[:start] + silent + SAMPLE_YAML[end:])
    assert problem.message == "an item lists its materials, or says nothing_to_bring"


# ── what members give each other, and what the bundle answers ──────────────


def test_produces_and_bundle_answers_load() -> None:
    text = edit(
        SAMPLE_YAML,
        "    questions:\n      - id: agent\n",
        "    produces:\n      materials: [licence]\n      fields: [shop_name]\n      answers: [{question: invoices, answer: true}]\n    questions:\n      - id: agent\n",
    )
    text = edit(
        text,
        "    shared_fields: [person_name, person_id, phone, shop_name]\n",
        "    shared_fields: [person_name, person_id, phone, shop_name]\n    answers: [{question: agent, answer: false}]\n",
    )
    catalog = load(text)
    produces = catalog.items["T-REG"].produces
    assert (produces.materials, produces.fields) == (("licence",), ("shop_name",))
    assert catalog.bundles["B-SHOP"].answers[0].answer is False


@pytest.mark.parametrize(
    ("produces", "path", "message"),
    [
        ("materials: [licenze]", "items[0].produces.materials[0]", "unknown material 'licenze'"),
        ("fields: [shopname]", "items[0].produces.fields[0]", "no item has a field 'shopname'"),
        (
            "answers: [{question: invoice, answer: true}]",
            "items[0].produces.answers[0].question",
            "no other item asks a question 'invoice'",
        ),
        (
            "answers: [{question: invoices, answer: maybe}]",
            "items[0].produces.answers[0].answer",
            "question 'invoices' cannot be answered 'maybe'",
        ),
        (
            "answers: [{question: form, answer: person}]",
            "items[0].produces.answers[0].question",
            "'form' is this item's own question",
        ),
    ],
)
def test_produces_problems(produces: str, path: str, message: str) -> None:
    text = edit(
        SAMPLE_YAML,
        "    questions:\n      - id: agent\n",
        f"    produces: {{{produces}}}\n    questions:\n      - id: agent\n",
    )
    problem = only_problem(text)
    assert problem.path == path
    assert message in problem.message
    assert problem.line == line_of(text, "produces:")


@pytest.mark.parametrize(
    ("answers", "path", "message"),
    [
        (
            "[{question: agentt, answer: true}]",
            "bundles[0].answers[0].question",
            "no member item asks a question 'agentt'",
        ),
        (
            "[{question: form, answer: shop}]",
            "bundles[0].answers[0].answer",
            "question 'form' cannot be answered 'shop' (its answers: person, family, chain)",
        ),
    ],
)
def test_bundle_answer_problems(answers: str, path: str, message: str) -> None:
    text = edit(
        SAMPLE_YAML,
        "    shared_fields: [person_name, person_id, phone, shop_name]\n",
        f"    shared_fields: [person_name, person_id, phone, shop_name]\n    answers: {answers}\n",
    )
    problem = only_problem(text)
    assert problem.path == path
    assert problem.message == message if "its answers" in message else message in problem.message


def test_a_question_id_shared_with_other_answers_would_be_asked_twice() -> None:
    seal = SAMPLE_YAML.index("  - code: T-SEAL")
    tail = edit(
        SAMPLE_YAML[seal:],
        '      - id: agent\n        text: {zh: 是否委托他人办理？, en: "Is an agent applying?"}\n',
        "      - id: agent\n        kind: choice\n        text: {zh: 谁来办理？, en: Who applies?}\n        options:\n          - {value: self, label: {zh: 本人, en: Myself}}\n          - {value: other, label: {zh: 他人, en: Someone else}}\n",
    )
    tail = edit(
        tail, "when: {question: agent, equals: true}", "when: {question: agent, equals: other}"
    )
    text = SAMPLE_YAML[:seal] + tail
    problem = only_problem(text)
    assert problem.path == "bundles[0].members[2].item"
    assert problem.message.startswith("question 'agent' has other answers in T-SEAL than in T-REG")


def test_a_queue_says_who_it_is_for() -> None:
    text = edit(
        SAMPLE_YAML,
        "windows: [4], priority: true}",
        "windows: [4], priority: true, description: {zh: 老人、孕妇优先, en: Elderly and pregnant first}}",
    )
    queue = load(text).queues["q-green"]
    assert queue.description is not None and queue.description.zh == "老人、孕妇优先"


def test_field_types_in_the_schema_are_all_known() -> None:
    assert {t.value for t in FieldType} >= {"date", "integer", "choice", "id_number"}
    assert column_of("  x", "x") == 3


def test_a_use_entry_may_add_constraints_to_the_library_fields() -> None:
    text = edit(
        SAMPLE_YAML,
        "      - use: person_id\n      - use: phone\n      - use: shop_name\n      - id: capital",
        "      - use: person_id\n        constraints:\n          - check: {field: person_id, derived: age, gte: 18}\n            message: {zh: 须年满 18 周岁, en: Adults only}\n      - use: phone\n      - use: shop_name\n      - id: capital",
    )
    catalog = load(text)
    added = catalog.items["T-REG"].field("person_id")
    assert added is not None and [c.message.en for c in added.constraints] == ["Adults only"]
    assert catalog.items["T-TAX"].field("person_id").constraints == ()  # the library's own
    bad = text.replace("{field: person_id, derived: age, gte: 18}", "{field: persn_id, gte: 18}")
    problem = only_problem(bad)
    assert (problem.path, problem.message) == (
        "items[0].fields[1].constraints[0].check",
        "unknown field 'persn_id'",
    )
