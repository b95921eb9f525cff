"""售前 consultation: questions, branches, refusals, going back, materials, the notice."""

from __future__ import annotations

import pytest

from kiosk.catalog import Catalog, parse_catalog
from kiosk.consult import (
    ELIGIBLE,
    BundleConsultation,
    Consultation,
    Verdict,
    answer_paths,
    build_notice,
    walk_item,
)
from tests.catalog.samples import SAMPLE_YAML, sample_catalog


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return sample_catalog()


@pytest.fixture
def reg(catalog: Catalog) -> Consultation:
    return Consultation(catalog.items["T-REG"])


def asked(consultation: Consultation) -> str | None:
    question = consultation.next_question()
    return question.id if question else None


def material_ids(consultation: Consultation) -> list[str]:
    return [m.id for m in consultation.materials()]


# ── one item ───────────────────────────────────────────────────────────────


def test_questions_come_in_catalog_order(reg: Consultation) -> None:
    assert asked(reg) == "agent"
    assert reg.verdict() is None  # nothing decided yet
    reg.answer("agent", False)
    assert asked(reg) == "form"
    reg.answer("form", "person")
    assert asked(reg) == "rented"
    reg.answer("rented", True)
    assert asked(reg) == "has_lease"
    reg.answer("has_lease", True)
    assert asked(reg) is None
    assert reg.verdict() == ELIGIBLE
    assert reg.history == ["agent", "form", "rented", "has_lease"]


def test_ask_if_skips_a_question(reg: Consultation) -> None:
    reg.answer("agent", False)
    reg.answer("form", "family")
    reg.answer("rented", False)
    assert asked(reg) is None  # has_lease is asked only of those renting
    assert reg.verdict() == ELIGIBLE


def test_a_branch_with_in(reg: Consultation) -> None:
    reg.answer("agent", True)
    reg.answer("form", "family")
    assert asked(reg) == "rented"  # {question: form, in: [person, family]}


def test_a_refusal_carries_the_reason_and_where_to_go_instead(reg: Consultation) -> None:
    reg.answer("agent", False)
    reg.answer("form", "chain")
    assert asked(reg) is None  # nothing more to ask
    verdict = reg.verdict()
    assert verdict is not None and not verdict.eligible
    assert verdict.reason is not None and verdict.reason.zh == "连锁加盟须以企业形式登记"
    assert verdict.reason.en == "A franchise must register as a company"
    assert verdict.instead is not None and verdict.instead("en") == (
        "Apply for company registration instead"
    )


def test_a_refusal_without_instead(reg: Consultation) -> None:
    reg.answer("agent", False)
    reg.answer("form", "person")
    reg.answer("rented", True)
    reg.answer("has_lease", False)
    verdict = reg.verdict()
    assert verdict == Verdict(False, verdict.reason, None)
    assert verdict.reason is not None and verdict.reason.en == "You need premises first"


def test_a_refusal_fires_as_soon_as_it_is_certain(catalog: Catalog) -> None:
    consultation = Consultation(catalog.items["L-BABY"])
    assert consultation.refusal() is None  # unknown is not a refusal
    consultation.answer("local", False)
    assert consultation.refusal() is not None
    assert consultation.verdict() == consultation.refusal()


def test_answer_refuses_what_the_question_cannot_take(reg: Consultation) -> None:
    with pytest.raises(ValueError, match="not an answer"):
        reg.answer("form", "shop")
    with pytest.raises(ValueError, match="not an answer"):
        reg.answer("agent", "yes")
    with pytest.raises(KeyError):
        reg.answer("no_such_question", True)
    assert reg.answers == {}


def test_back_undoes_the_last_answer(reg: Consultation) -> None:
    assert reg.back() is None  # nothing to undo at the start
    reg.answer("agent", True)
    reg.answer("form", "person")
    question = reg.back()
    assert question is not None and question.id == "form"
    assert reg.answers == {"agent": True}
    assert asked(reg) == "form"
    question = reg.back()
    assert question is not None and question.id == "agent"
    assert reg.answers == {} and reg.history == []


def test_changing_an_earlier_answer_drops_the_abandoned_branch(reg: Consultation) -> None:
    reg.answer("agent", False)
    reg.answer("form", "person")
    reg.answer("rented", True)
    reg.answer("has_lease", True)
    reg.answer("rented", False)  # the visitor changes their mind
    assert reg.answers == {"agent": False, "form": "person", "rented": False}
    assert reg.history == ["agent", "form", "rented"]
    reg.answer("form", "chain")  # rented is not asked of a franchise: dropped too
    assert reg.answers == {"agent": False, "form": "chain"}
    assert not reg.verdict().eligible


def test_going_back_past_a_branch_drops_its_answers(reg: Consultation) -> None:
    reg.answer("agent", False)
    reg.answer("form", "person")
    reg.answer("rented", True)
    reg.answer("has_lease", False)
    assert not reg.verdict().eligible
    reg.back()
    reg.back()  # back to "rented"
    assert reg.answers == {"agent": False, "form": "person"}
    reg.answer("rented", False)
    assert reg.verdict() == ELIGIBLE
    assert "has_lease" not in reg.answers


@pytest.mark.parametrize(
    "answers, expected",
    [
        (
            {"agent": False, "form": "person", "rented": True, "has_lease": True},
            ["id_card", "lease"],
        ),
        ({"agent": False, "form": "person", "rented": False}, ["id_card", "title_deed"]),
        (
            {"agent": True, "form": "family", "rented": False},
            ["id_card", "title_deed", "family_book", "proxy_letter"],
        ),
        ({"agent": True}, ["id_card", "proxy_letter"]),  # so far: unknown is not needed
        ({}, ["id_card"]),
    ],
)
def test_materials_by_condition(
    reg: Consultation, answers: dict[str, bool | str], expected: list[str]
) -> None:
    for question_id, value in answers.items():
        reg.answer(question_id, value)
    assert material_ids(reg) == expected


def test_materials_follow_an_abandoned_branch_out(reg: Consultation) -> None:
    reg.answer("agent", False)
    reg.answer("form", "person")
    reg.answer("rented", True)
    assert "lease" in material_ids(reg)
    reg.answer("form", "chain")
    assert "lease" not in material_ids(reg)


def test_clear(reg: Consultation) -> None:
    reg.answer("agent", True)
    reg.clear()
    assert reg.answers == {} and reg.history == []
    assert asked(reg) == "agent"


# ── the notice (一次性告知) ────────────────────────────────────────────────


def test_a_single_item_notice_carries_version_and_code(catalog: Catalog, reg: Consultation) -> None:
    reg.answer("agent", True)
    reg.answer("form", "family")
    reg.answer("rented", False)
    notice = build_notice(catalog, [reg])
    assert notice.catalog_version == "hekou-test-7"
    assert notice.item_codes == ("T-REG",)
    assert notice.bundle_code is None
    assert notice.eligible
    assert dict(notice.verdicts) == {"T-REG": ELIGIBLE}
    assert [(line.material.id, line.items) for line in notice.lines] == [
        ("id_card", ("T-REG",)),
        ("title_deed", ("T-REG",)),
        ("family_book", ("T-REG",)),
        ("proxy_letter", ("T-REG",)),
    ]
    first = notice.lines[0]
    assert (first.originals, first.copies) == (1, 1)


def test_a_notice_before_the_end_has_no_verdict(catalog: Catalog, reg: Consultation) -> None:
    notice = build_notice(catalog, [reg])
    assert dict(notice.verdicts) == {}


def test_a_refused_notice_is_not_eligible(catalog: Catalog, reg: Consultation) -> None:
    reg.answer("agent", False)
    reg.answer("form", "chain")
    notice = build_notice(catalog, [reg])
    assert not notice.eligible
    assert notice.verdicts["T-REG"].reason is not None


def answer_all(bundle: BundleConsultation, answers: dict[str, bool | str]) -> list[str]:
    """Answer every question the bundle asks; return 'ITEM.question' in the order asked."""
    seen = []
    while (current := bundle.current()) is not None:
        member, question = current
        seen.append(f"{member.item.code}.{question.id}")
        bundle.answer(answers[question.id])
    return seen


ANSWERS: dict[str, bool | str] = {
    "agent": True,
    "form": "person",
    "rented": True,
    "has_lease": True,
    "invoices": True,
}


def test_a_bundle_asks_a_shared_question_once(catalog: Catalog) -> None:
    bundle = BundleConsultation.start(
        catalog, catalog.bundles["B-SHOP"], ["T-REG", "T-TAX", "T-SEAL"]
    )
    assert answer_all(bundle, ANSWERS) == [
        "T-REG.agent",
        "T-REG.form",
        "T-REG.rented",
        "T-REG.has_lease",
        "T-TAX.invoices",  # T-TAX's "agent" was carried over, and T-SEAL's
    ]
    assert bundle.finished()
    assert [m.answers.get("agent") for m in bundle.members] == [True, True, True]


def test_a_bundle_notice_merges_duplicates_and_lists_who_needs_each(catalog: Catalog) -> None:
    bundle = BundleConsultation.start(
        catalog, catalog.bundles["B-SHOP"], ["T-REG", "T-TAX", "T-SEAL"]
    )
    answer_all(bundle, ANSWERS)
    notice = bundle.notice()
    assert notice.bundle_code == "B-SHOP"
    assert notice.item_codes == ("T-REG", "T-TAX", "T-SEAL")
    assert notice.catalog_version == "hekou-test-7"
    lines = {line.material.id: line for line in notice.lines}
    assert list(lines) == ["id_card", "lease", "proxy_letter", "licence", "invoice_seal"]
    assert lines["id_card"].items == ("T-REG", "T-TAX", "T-SEAL")
    assert lines["proxy_letter"].items == ("T-REG", "T-TAX", "T-SEAL")
    assert lines["licence"].items == ("T-TAX", "T-SEAL")
    assert lines["lease"].items == ("T-REG",)
    # One original to show; a copy for each back office that keeps one.
    assert (lines["id_card"].originals, lines["id_card"].copies) == (1, 3)
    assert (lines["licence"].originals, lines["licence"].copies) == (1, 1 + 2)
    assert notice.eligible
    assert set(notice.verdicts) == {"T-REG", "T-TAX", "T-SEAL"}


def test_a_bundle_notice_only_has_the_chosen_items(catalog: Catalog) -> None:
    bundle = BundleConsultation.start(catalog, catalog.bundles["B-SHOP"], ["T-REG", "T-TAX"])
    answer_all(bundle, {**ANSWERS, "agent": False, "invoices": False})
    notice = bundle.notice()
    assert notice.item_codes == ("T-REG", "T-TAX")
    assert [line.material.id for line in notice.lines] == ["id_card", "lease", "licence"]
    assert {line.material.id: line.items for line in notice.lines}["licence"] == ("T-TAX",)


def test_one_refused_member_makes_the_bundle_not_eligible(catalog: Catalog) -> None:
    bundle = BundleConsultation.start(catalog, catalog.bundles["B-SHOP"], ["T-REG", "T-TAX"])
    asked_questions = answer_all(bundle, {**ANSWERS, "form": "chain"})
    assert "T-REG.rented" not in asked_questions
    notice = bundle.notice()
    assert not notice.eligible
    assert not notice.verdicts["T-REG"].eligible
    assert notice.verdicts["T-TAX"].eligible
    # A refused member needs nothing brought: its materials leave the notice.
    assert all("T-REG" not in line.items for line in notice.lines)
    assert {line.material.id for line in notice.lines} == {
        "id_card",
        "proxy_letter",
        "licence",
        "invoice_seal",
    }


def test_back_in_a_bundle_steps_over_carried_answers(catalog: Catalog) -> None:
    bundle = BundleConsultation.start(
        catalog, catalog.bundles["B-SHOP"], ["T-REG", "T-TAX", "T-SEAL"]
    )
    for _ in range(4):  # agent, form, rented, has_lease
        _, question = bundle.current()
        bundle.answer(ANSWERS[question.id])
    member, question = bundle.current()
    assert (member.item.code, question.id) == ("T-TAX", "invoices")
    bundle.back()  # the visitor's last answer was T-REG's has_lease
    member, question = bundle.current()
    assert (member.item.code, question.id) == ("T-REG", "has_lease")
    assert "has_lease" not in member.answers


def test_changing_a_carried_answer_reaches_every_member(catalog: Catalog) -> None:
    bundle = BundleConsultation.start(
        catalog, catalog.bundles["B-SHOP"], ["T-REG", "T-TAX", "T-SEAL"]
    )
    answer_all(bundle, ANSWERS)
    while bundle.current() is None or bundle.current()[1].id != "agent":
        bundle.back()
    member, _ = bundle.current()
    assert member.item.code == "T-REG" and member.answers == {}
    answer_all(bundle, {**ANSWERS, "agent": False})
    assert [m.answers["agent"] for m in bundle.members] == [False, False, False]
    assert "proxy_letter" not in [line.material.id for line in bundle.notice().lines]


def test_back_at_the_start_of_a_bundle_does_nothing(catalog: Catalog) -> None:
    bundle = BundleConsultation.start(catalog, catalog.bundles["B-SHOP"], ["T-REG", "T-TAX"])
    bundle.back()
    _, question = bundle.current()
    assert question.id == "agent"


def test_answering_a_finished_bundle_is_an_error(catalog: Catalog) -> None:
    bundle = BundleConsultation.start(catalog, catalog.bundles["B-SHOP"], ["T-REG", "T-TAX"])
    answer_all(bundle, ANSWERS)
    with pytest.raises(ValueError, match="no question is open"):
        bundle.answer(True)


# ── walking every answer path ──────────────────────────────────────────────


def test_answer_paths_cover_every_way_through(catalog: Catalog) -> None:
    paths = list(answer_paths(catalog.items["T-REG"]))
    # agent (2) × [person: rented no | rented yes × lease (2); family: same; chain: refused]
    assert len(paths) == 2 * (3 + 3 + 1)
    assert all(p.verdict() is not None for p in paths)
    refused = [p for p in paths if not p.verdict().eligible]
    assert len(refused) == 2 * (1 + 1 + 1)
    assert {tuple(sorted(p.answers)) for p in paths} >= {
        ("agent", "form"),
        ("agent", "form", "rented"),
        ("agent", "form", "has_lease", "rented"),
    }


def test_an_item_without_questions_has_one_path(catalog: Catalog) -> None:
    (path,) = answer_paths(catalog.items["L-BIRTH"])
    assert path.verdict() == ELIGIBLE and path.answers == {}


def test_walk_item_finds_nothing_wrong_in_the_sample(catalog: Catalog) -> None:
    assert [p for item in catalog.items.values() for p in walk_item(catalog, item)] == []


def test_walk_item_reports_an_eligible_path_with_nothing_to_bring() -> None:
    text = SAMPLE_YAML.replace(
        "      - id: birth_cert\n",
        "      - id: birth_cert\n        when: {question: local, answered: false}\n",
    )
    # L-BABY: its only material is now needed only before the question is answered.
    catalog = parse_catalog(text, "hekou.yaml")
    problems = walk_item(catalog, catalog.items["L-BABY"])
    assert problems == ["item L-BABY: eligible with no materials after local=True"]
