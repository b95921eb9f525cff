"""售前 consultation: questions, branches, refusals, going back, materials, the notice."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kiosk.catalog import Catalog, parse_catalog
from kiosk.consult import (
    ELIGIBLE,
    BundleConsultation,
    Consultation,
    Verdict,
    VerdictKind,
    answer_paths,
    build_notice,
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
    assert verdict == Verdict(VerdictKind.REFUSED, verdict.reason, None)
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


# ── "later" verdicts, fees, answers given by the bundle, progress ──────────

LATER = """\
    later:
      - when: {question: has_lease, equals: false}
        reason: {zh: 须先签订租赁合同, en: Sign the lease first}
        first: {zh: 与出租方签订租赁合同并备案, en: Sign and file the lease}
        where: {zh: 镇房管所（周一至周五）, en: The town housing office (weekdays)}
        bring:
          - id: lease_filing
            name: {zh: 租赁备案证明, en: Lease filing receipt}
            issuer: {zh: 房管所, en: Housing office}
            obtain: {zh: 备案后领取, en: After filing}
    fees:
      - when: {not: {question: form, equals: family}}
        amount: "20"
        note: {zh: 工本费, en: Certificate fee}
      - when: {question: form, equals: family}
        amount: "0"
        note: {zh: 家庭经营免收, en: Waived for a family business}
      - when: {question: agent, equals: true}
        amount: "5.50"
        note: {zh: 代办费, en: Agent fee}
"""


def later_catalog() -> Catalog:
    text = SAMPLE_YAML.replace(
        "      - when: {question: has_lease, equals: false}\n"
        "        reason: {zh: 须先取得经营场所, en: You need premises first}\n",
        "",
    )
    text = text.replace(
        "    materials:\n      - use: id_card\n      - id: lease",
        LATER + "    materials:\n      - use: id_card\n      - id: lease",
        1,
    )
    return parse_catalog(text, "hekou.yaml")


def test_a_later_verdict_says_why_what_first_where_and_what_to_bring_back() -> None:
    consultation = Consultation(later_catalog().items["T-REG"])
    for question, value in [("agent", False), ("form", "person"), ("rented", True)]:
        consultation.answer(question, value)
    assert consultation.verdict() is None
    consultation.answer("has_lease", False)
    verdict = consultation.verdict()
    assert verdict is not None and verdict.later
    assert verdict.kind is VerdictKind.LATER and not verdict.eligible and not verdict.refused
    assert verdict.reason is not None and verdict.reason.zh == "须先签订租赁合同"
    assert verdict.first is not None and verdict.first.en == "Sign and file the lease"
    assert verdict.where is not None and verdict.where.zh == "镇房管所（周一至周五）"
    # To bring when coming back: the case's materials plus the rule's own.
    assert material_ids(consultation) == ["id_card", "lease", "lease_filing"]


def test_a_later_verdict_waits_for_the_remaining_questions() -> None:
    # The later rule holds as soon as has_lease is no; a question after it is still asked.
    text = LATER.replace("has_lease, equals: false", "rented, equals: true")
    catalog = parse_catalog(
        SAMPLE_YAML.replace(
            "    materials:\n      - use: id_card\n      - id: lease",
            text + "    materials:\n      - use: id_card\n      - id: lease",
            1,
        ),
        "hekou.yaml",
    )
    consultation = Consultation(catalog.items["T-REG"])
    for question, value in [("agent", True), ("form", "person"), ("rented", True)]:
        consultation.answer(question, value)
    assert consultation.verdict() is None  # has_lease is still to be asked
    assert consultation.next_question() is not None
    consultation.answer("has_lease", True)
    verdict = consultation.verdict()
    assert verdict is not None and verdict.later
    assert "proxy_letter" in material_ids(consultation)  # the list is for their case


def test_a_later_notice_lists_what_to_bring_back() -> None:
    catalog = later_catalog()
    consultation = Consultation(catalog.items["T-REG"])
    for question, value in [("agent", False), ("form", "person"), ("rented", True)]:
        consultation.answer(question, value)
    consultation.answer("has_lease", False)
    notice = build_notice(catalog, [consultation])
    assert notice.later and not notice.eligible and not notice.refused
    assert [line.material.id for line in notice.lines] == ["id_card", "lease", "lease_filing"]


@pytest.mark.parametrize(
    ("answers", "fees", "total"),
    [
        ({"agent": False, "form": "person", "rented": False}, [("20.00", "工本费")], "20.00"),
        ({"agent": False, "form": "family", "rented": False}, [("0.00", "家庭经营免收")], "0.00"),
        (
            {"agent": True, "form": "person", "rented": False},
            [("20.00", "工本费"), ("5.50", "代办费")],
            "25.50",
        ),
    ],
)
def test_fees_follow_the_answers(
    answers: dict[str, bool | str], fees: list[tuple[str, str]], total: str
) -> None:
    catalog = later_catalog()
    consultation = Consultation(catalog.items["T-REG"])
    for question, value in answers.items():
        consultation.answer(question, value)
    verdict = consultation.verdict()
    assert verdict is not None and verdict.eligible
    assert [(str(f.amount), f.note.zh) for f in verdict.fees] == fees
    assert verdict.fee_total == Decimal(total)
    assert build_notice(catalog, [consultation]).fees() == {"T-REG": verdict.fees}


def test_an_item_without_fees_has_none_in_its_verdict(reg: Consultation) -> None:
    for question, value in [("agent", False), ("form", "person"), ("rented", False)]:
        reg.answer(question, value)
    assert reg.verdict() == ELIGIBLE and ELIGIBLE.fees == ()


def test_progress_counts_the_questions_still_possible(reg: Consultation) -> None:
    # agent, form, then rented and has_lease depend on the answers: 4 at most.
    assert reg.progress() == (1, 4)
    reg.answer("agent", False)
    assert reg.progress() == (2, 4)
    reg.answer("form", "person")
    assert reg.progress() == (3, 4)
    reg.answer("rented", False)  # has_lease is not asked of those who own
    assert reg.progress() == (3, 3)
    assert reg.next_question() is None


def test_progress_shrinks_when_a_branch_closes(catalog: Catalog) -> None:
    consultation = Consultation(catalog.items["T-REG"])
    consultation.answer("agent", True)
    consultation.answer("form", "chain")  # refused: nothing more to ask
    assert consultation.progress() == (2, 2)


PRODUCES = """\
    produces:
      materials: [licence]
      answers: [{question: invoices, answer: true}]
"""


def producing_catalog(bundle_answers: str = "") -> Catalog:
    text = SAMPLE_YAML.replace(
        "    questions:\n      - id: agent\n", PRODUCES + "    questions:\n      - id: agent\n", 1
    )
    text = text.replace(
        "    shared_fields: [person_name, person_id, phone, shop_name]\n",
        "    shared_fields: [person_name, person_id, phone, shop_name]\n" + bundle_answers,
    )
    return parse_catalog(text, "hekou.yaml")


def test_a_member_answers_the_others_questions_and_provides_their_materials() -> None:
    catalog = producing_catalog()
    bundle = BundleConsultation.start(
        catalog, catalog.bundles["B-SHOP"], ["T-REG", "T-TAX", "T-SEAL"]
    )
    seen = answer_all(bundle, ANSWERS)
    assert "T-TAX.invoices" not in seen  # T-REG's result answers it
    tax = bundle.members[1]
    assert tax.answers.get("invoices") is None and tax.fixed == {"invoices": True}
    assert tax.all_answers()["invoices"] is True
    notice = bundle.notice()
    assert "licence" not in [line.material.id for line in notice.lines]
    (provided,) = notice.provided
    assert (provided.material.id, provided.by_item, provided.items) == (
        "licence",
        "T-REG",
        ("T-TAX", "T-SEAL"),
    )
    assert "invoice_seal" in [line.material.id for line in notice.lines]  # invoices: yes


def test_without_the_producing_member_the_question_is_asked() -> None:
    catalog = producing_catalog()
    bundle = BundleConsultation.start(catalog, catalog.bundles["B-SHOP"], ["T-REG", "T-TAX"])
    assert bundle.members[0].fixed == {}  # T-REG's own question is never preset
    assert bundle.members[1].fixed == {"invoices": True}
    # A single item (no bundle) asks everything and lists everything.
    single = Consultation(catalog.items["T-TAX"])
    assert single.fixed == {}
    for question, value in [("agent", False), ("invoices", False)]:
        single.answer(question, value)
    assert "licence" in [line.material.id for line in build_notice(catalog, [single]).lines]


def test_a_bundle_answers_its_questions_itself() -> None:
    catalog = producing_catalog("    answers: [{question: agent, answer: false}]\n")
    bundle = BundleConsultation.start(
        catalog, catalog.bundles["B-SHOP"], ["T-REG", "T-TAX", "T-SEAL"]
    )
    assert bundle.progress() == (1, 3)  # form, rented, has_lease: agent and invoices are known
    seen = answer_all(bundle, ANSWERS)
    assert seen == ["T-REG.form", "T-REG.rented", "T-REG.has_lease"]
    assert bundle.progress() == (3, 3)
    assert "proxy_letter" not in [line.material.id for line in bundle.notice().lines]
    with pytest.raises(ValueError, match="already answered"):
        bundle.members[0].answer("agent", True)


def test_bundle_progress_counts_a_shared_question_once(catalog: Catalog) -> None:
    bundle = BundleConsultation.start(
        catalog, catalog.bundles["B-SHOP"], ["T-REG", "T-TAX", "T-SEAL"]
    )
    # agent (once for all three), form, rented, has_lease, invoices
    assert bundle.progress() == (1, 5)
    bundle.answer(True)
    assert bundle.progress() == (2, 5)
