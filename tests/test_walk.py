"""The catalog walk: every answer path, every form with that path's answers, every bundle path.

Each problem is a located :class:`CatalogProblem` (file:line:column and the path of
the entry at fault), reported once.
"""

from __future__ import annotations

import datetime as dt

import pytest

from kiosk import walk
from kiosk.catalog import Catalog, parse_catalog
from kiosk.catalog.problems import CatalogProblem
from kiosk.consult import build_notice
from kiosk.walk import check_catalog, walk_bundle, walk_item
from tests.catalog.samples import SAMPLE_YAML, column_of, line_of, sample_catalog

NAME = "hekou.yaml"


def catalog_of(text: str) -> Catalog:
    return parse_catalog(text, NAME)


def edit(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


def test_the_sample_walks_clean() -> None:
    assert check_catalog(sample_catalog()) == []


def test_an_eligible_path_with_nothing_to_bring_is_located() -> None:
    text = edit(
        SAMPLE_YAML,
        "      - id: birth_cert\n",
        "      - id: birth_cert\n        when: {question: local, answered: false}\n",
    )
    catalog = catalog_of(text)
    (problem,) = walk_item(catalog, catalog.items["L-BABY"])
    assert problem.path == "items[3].materials"
    assert (problem.file, problem.line) == (NAME, line_of(text, "    materials:", 4))
    assert problem.message == (
        "eligible with no materials to bring (list them, or say nothing_to_bring) "
        "(after local=True)"
    )


def test_an_item_may_say_there_is_nothing_to_bring() -> None:
    text = edit(
        SAMPLE_YAML,
        "      - id: birth_cert\n",
        "      - id: birth_cert\n        when: {question: local, answered: false}\n",
    )
    text = edit(
        text,
        "    fields:\n      - id: child_name",
        "    nothing_to_bring: {zh: 信息已共享，无需携带材料, en: Shared online; bring nothing}\n"
        "    fields:\n      - id: child_name",
    )
    catalog = catalog_of(text)
    assert walk_item(catalog, catalog.items["L-BABY"]) == []


def test_an_invalid_example_is_located_at_the_use_entry() -> None:
    text = edit(SAMPLE_YAML, 'example: "13812345678"', 'example: "123"')
    catalog = catalog_of(text)
    problems = check_catalog(catalog)
    # phone is a library field: T-REG and T-TAX use it; each use is where to look.
    assert [p.path for p in problems] == ["items[0].fields[2]", "items[1].fields[2]"]
    problem = problems[1]
    assert (problem.line, problem.column) == (
        line_of(text, "      - use: phone", 2),
        column_of(text, "use: phone", 2),
    )
    assert problem.message.startswith(
        "field 'phone': example '123' is invalid: "
        "Please enter an 11-digit mainland China mobile number (after "
    )
    assert str(problem).startswith(f"{NAME}:{problem.line}:{problem.column} items[1].fields[2]:")


def test_examples_that_break_a_rule_are_reported_once() -> None:
    text = edit(SAMPLE_YAML, 'example: "5000.00"', 'example: "0"')
    catalog = catalog_of(text)
    (problem,) = walk_item(catalog, catalog.items["T-REG"])  # on every path, said once
    assert problem.path == "items[0].fields[4]"
    assert problem.line == line_of(text, "      - id: capital")
    assert problem.message.startswith(
        "field 'capital': the examples leave the form incomplete: The capital must be above 0"
    )


def test_an_example_of_the_wrong_type() -> None:
    text = edit(SAMPLE_YAML, "        example: 李小红\n", "        example: 12\n")
    catalog = catalog_of(text)
    (problem,) = walk_item(catalog, catalog.items["T-REG"])
    assert problem.message.startswith(
        "field 'helper_name': example 12 is invalid: Please enter text"
    )


def test_forms_are_filled_with_each_paths_answers() -> None:
    # Drinks are offered only to those renting: the example is valid on some paths only.
    text = edit(
        SAMPLE_YAML,
        "          - {value: drinks, label: {zh: 饮品, en: Drinks}}\n",
        "          - {value: drinks, label: {zh: 饮品, en: Drinks},"
        " when: {question: rented, equals: true}}\n",
    )
    catalog = catalog_of(text)
    (problem,) = walk_item(catalog, catalog.items["T-REG"])
    assert problem.path == "items[0].fields[10]"
    assert "example ['noodles', 'drinks'] is invalid: A choice no longer fits" in problem.message
    assert "rented=False" in problem.message  # the path that shows it


def test_a_field_filled_from_an_answer_needs_no_example() -> None:
    # The agent question fills a yes/no field: no example, and complete on every path.
    text = edit(
        SAMPLE_YAML,
        "      - id: has_helper\n",
        "      - id: by_agent\n"
        "        type: yesno\n"
        "        label: {zh: 委托办理, en: By an agent}\n"
        "        fill: {question: agent}\n"
        "      - id: has_helper\n",
    )
    catalog = catalog_of(text)
    assert walk_item(catalog, catalog.items["T-REG"]) == []


def test_a_fill_whose_source_gives_nothing_is_reported() -> None:
    # has_lease is asked only of those renting: on the other paths the field stays empty.
    text = edit(
        SAMPLE_YAML,
        "      - id: has_helper\n",
        "      - id: lease_signed\n"
        "        type: yesno\n"
        "        label: {zh: 已签租赁合同, en: Lease signed}\n"
        "        fill: {question: has_lease}\n"
        "      - id: has_helper\n",
    )
    catalog = catalog_of(text)
    (problem,) = walk_item(catalog, catalog.items["T-REG"])
    assert problem.message.startswith(
        "field 'lease_signed': the examples leave the form incomplete: This field is required "
        "(it is filled from 'has_lease', which gives nothing here) (after "
    )
    assert "rented=False" in problem.message


def test_a_date_example_relative_to_today_never_goes_stale() -> None:
    stale = edit(
        SAMPLE_YAML,
        '          - check: {field: open_date, gte: "2020-01-01"}',
        "          - check: {field: open_date, gte: today}",
    )
    catalog = catalog_of(stale)
    (problem,) = walk_item(catalog, catalog.items["T-REG"])  # 2026-05-01 is in the past now
    assert "the examples leave the form incomplete: Not before 2020" in problem.message
    fresh = catalog_of(edit(stale, 'example: "2026-05-01"', "example: today+30d"))
    assert walk_item(fresh, fresh.items["T-REG"]) == []
    later = dt.date.today() + dt.timedelta(days=3650)
    assert walk_item(fresh, fresh.items["T-REG"], today=later) == []


# ── bundles ────────────────────────────────────────────────────────────────


def test_a_question_asked_twice_in_a_bundle_is_found() -> None:
    # T-SEAL asks the same thing as T-REG under another id: the visitor would hear it twice.
    seal = SAMPLE_YAML.index("  - code: T-SEAL")
    head, tail = SAMPLE_YAML[:seal], SAMPLE_YAML[seal:]
    tail = edit(tail, "      - id: agent\n", "      - id: proxy\n")
    tail = edit(tail, "when: {question: agent,", "when: {question: proxy,")
    text = head + tail
    catalog = catalog_of(text)
    problems = walk_bundle(catalog, catalog.bundles["B-SHOP"])
    assert [p.path for p in problems] == ["bundles[0].members[2]"]
    assert problems[0].line == line_of(text, "      - {item: T-SEAL, required: false}")
    assert problems[0].message.startswith(
        "question 'proxy' of T-SEAL is asked again: T-REG.agent already asked "
        '"是否委托他人办理？"'
    )


PRODUCES = """\
    produces:
      materials: [licence]
      fields: [shop_name]
      answers: [{question: invoices, answer: true}]
"""


def with_produces(text: str = SAMPLE_YAML) -> str:
    """T-REG (the licence) produces the licence, the shop name and answers T-TAX's invoices."""
    return edit(
        text,
        "    questions:\n      - id: agent\n",
        PRODUCES + "    questions:\n      - id: agent\n",
    )


def test_a_bundle_whose_members_provide_each_other_walks_clean() -> None:
    catalog = catalog_of(with_produces())
    assert walk_bundle(catalog, catalog.bundles["B-SHOP"]) == []


def test_the_walk_fails_if_a_material_another_member_produces_is_asked_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    catalog = catalog_of(with_produces())

    def ignoring_the_members(catalog, consultations, bundle=None, *, chosen=None):  # type: ignore[no-untyped-def]
        return build_notice(catalog, consultations)  # as if nothing were produced

    monkeypatch.setattr(walk, "build_notice", ignoring_the_members)
    problems = walk_bundle(catalog, catalog.bundles["B-SHOP"])
    messages = {p.message.split(" (")[0] for p in problems}
    assert messages == {
        "T-TAX asks for 'licence', which T-REG produces in this bundle",
        "T-SEAL asks for 'licence', which T-REG produces in this bundle",
    }
    assert all(
        isinstance(p, CatalogProblem) and p.path.startswith("bundles[0].members[") for p in problems
    )


def test_the_walk_fails_if_a_field_another_member_produces_is_on_a_form(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    catalog = catalog_of(with_produces())
    monkeypatch.setattr(walk.Filling, "fields_of", lambda self, item: item.field_list)
    problems = walk_bundle(catalog, catalog.bundles["B-SHOP"])
    assert {p.message.split(" (")[0] for p in problems} == {
        "T-SEAL's form asks for 'shop_name', which T-REG produces in this bundle"
    }
