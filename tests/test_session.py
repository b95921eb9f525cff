"""VisitorSession: one visit's choices, answers and typed values — and forgetting them."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from types import FunctionType, MethodType, ModuleType
from typing import Any

import pytest

from kiosk.catalog import Catalog, parse_catalog
from kiosk.consult import BundleConsultation, Consultation
from kiosk.forms.filling import EnteredValue, Filling, Source
from kiosk.session import VisitorSession
from tests.catalog.samples import SAMPLE_YAML, sample_catalog

# What one visitor types: distinctive, so none of it is in the catalog.
NAME = "欧阳测试人"
ID_NUMBER = "320583201006150047"
MOBILE = "13998765432"
SHOP = "欧阳测试面馆"
STREET = "测试巷 99 号"
SCOPE = "测试用经营范围说明"
PERSONAL = [NAME, ID_NUMBER, MOBILE, SHOP, STREET, SCOPE]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return sample_catalog()


def reachable(root: object) -> Iterator[object]:
    """Every object reachable from root through attributes and containers.

    The frozen Catalog is skipped: it is shared by every visit and holds no visitor data.
    """
    seen: set[int] = set()
    stack: list[object] = [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        yield obj
        if isinstance(obj, Catalog | type | ModuleType | FunctionType | MethodType):
            continue
        if isinstance(obj, str | bytes | int | float | bool | None):
            continue
        if isinstance(obj, Mapping):
            stack.extend(obj.keys())
            stack.extend(obj.values())
        elif isinstance(obj, list | tuple | set | frozenset):
            stack.extend(obj)
        if dataclasses.is_dataclass(obj):
            stack.extend(getattr(obj, f.name) for f in dataclasses.fields(obj))
        if hasattr(obj, "__dict__"):
            stack.extend(vars(obj).values())
        for slot in getattr(type(obj), "__slots__", ()):
            if hasattr(obj, slot):
                stack.append(getattr(obj, slot))


def personal_strings(root: object) -> set[str]:
    found = set()
    for obj in reachable(root):
        if isinstance(obj, str):
            found.update(p for p in PERSONAL if p in obj)
    return found


def fill_a_whole_visit(session: VisitorSession, catalog: Catalog) -> None:
    session.language = "en"
    session.priority = True
    session.start_bundle(catalog.bundles["B-SHOP"], ["T-SEAL"])
    consultation = session.consultation
    assert isinstance(consultation, BundleConsultation)
    answers: dict[str, bool | str] = {
        "agent": True,
        "form": "family",
        "rented": False,
        "invoices": True,
    }
    while (current := consultation.current()) is not None:
        consultation.answer(answers[current[1].id])
    filling = session.filling
    assert filling is not None
    typed = {
        "person_name": (NAME, Source.ID_CARD),
        "person_id": (ID_NUMBER, Source.ID_CARD),
        "phone": (MOBILE, Source.CITIZEN),
        "shop_name": (SHOP, Source.STAFF),
        "T-REG.scope": (SCOPE, Source.CITIZEN),
        "T-REG.shop_address": (
            {"province": "江苏省", "city": "苏州市", "district": "吴中区", "detail": STREET},
            Source.CITIZEN,
        ),
    }
    for key, (raw, source) in typed.items():
        assert filling.set(key, raw, source) is None, key
    session.build_notice()


# ── flows ──────────────────────────────────────────────────────────────────


def test_a_new_session_is_empty(catalog: Catalog) -> None:
    session = VisitorSession(catalog)
    assert session.language == "zh"
    assert session.target_code is None
    assert session.items == []
    assert session.answers() == {}
    assert not session.consultation_done()
    with pytest.raises(ValueError, match="no item chosen"):
        session.build_notice()


def test_an_item_visit(catalog: Catalog) -> None:
    session = VisitorSession(catalog)
    item = catalog.items["L-BABY"]
    session.start_item(item)
    assert session.target_code == "L-BABY"
    assert session.chosen == ["L-BABY"] and session.items == [item]
    assert isinstance(session.consultation, Consultation)
    assert isinstance(session.filling, Filling)
    assert not session.consultation_done()
    session.consultation.answer("local", True)
    assert session.consultation_done()
    assert session.answers() == {"L-BABY": {"local": True}}
    notice = session.build_notice()
    assert session.notice is notice
    assert notice.item_codes == ("L-BABY",) and notice.eligible
    assert session.filling.answers == {"L-BABY": {"local": True}}  # for form rules


def test_a_bundle_visit(catalog: Catalog) -> None:
    session = VisitorSession(catalog)
    fill_a_whole_visit(session, catalog)
    assert session.target_code == "B-SHOP"
    assert session.chosen == ["T-REG", "T-TAX", "T-SEAL"]
    assert session.consultation_done()
    assert session.answers()["T-SEAL"] == {"agent": True}  # carried over
    assert session.notice is not None and session.notice.bundle_code == "B-SHOP"
    assert session.filling is not None
    assert session.filling.get("person_name") == EnteredValue(NAME, Source.ID_CARD)
    assert personal_strings(session) == set(PERSONAL)  # the walk does reach typed values


def test_choosing_members_keeps_answers_of_items_that_stay_and_drops_the_notice(
    catalog: Catalog,
) -> None:
    session = VisitorSession(catalog)
    fill_a_whole_visit(session, catalog)
    assert isinstance(session.consultation, BundleConsultation)
    before = {m.item.code: dict(m.answers) for m in session.consultation.members}
    session.choose_members([])
    assert session.chosen == ["T-REG", "T-TAX"]
    assert session.notice is None
    assert isinstance(session.consultation, BundleConsultation)
    after = {m.item.code: dict(m.answers) for m in session.consultation.members}
    assert after == {code: before[code] for code in ("T-REG", "T-TAX")}
    assert session.consultation_done()
    session.choose_members(["T-SEAL"])
    seal = session.consultation.members[-1]
    assert seal.item.code == "T-SEAL"
    assert session.consultation.current() is None
    assert seal.answers == {"agent": before["T-REG"]["agent"]}, "carried over from T-REG"


def test_choosing_a_member_that_answers_a_question_already_answered() -> None:
    # T-SEAL, when chosen, answers T-TAX's invoice question (its produces.answers).
    seal = SAMPLE_YAML.index("  - code: T-SEAL")
    head, tail = SAMPLE_YAML[:seal], SAMPLE_YAML[seal:]
    tail = tail.replace(
        "    questions:\n",
        "    produces: {answers: [{question: invoices, answer: true}]}\n    questions:\n",
        1,
    )
    catalog = parse_catalog(head + tail, "hekou.yaml")
    session = VisitorSession(catalog)
    session.start_bundle(catalog.bundles["B-SHOP"])
    consultation = session.consultation
    assert isinstance(consultation, BundleConsultation)
    while (current := consultation.current()) is not None:
        consultation.answer(False if current[1].id != "form" else "person")
    assert consultation.members[1].answers["invoices"] is False
    session.choose_members(["T-SEAL"])  # the visitor adds the seal: no crash, the seal says
    consultation = session.consultation
    assert isinstance(consultation, BundleConsultation)
    tax = consultation.members[1]
    assert tax.fixed == {"invoices": True} and "invoices" not in tax.answers
    assert session.answers()["T-TAX"]["invoices"] is True


def test_starting_another_case_forgets_the_previous_one(catalog: Catalog) -> None:
    session = VisitorSession(catalog)
    fill_a_whole_visit(session, catalog)
    old_filling = session.filling
    session.start_item(catalog.items["L-BIRTH"])
    assert session.bundle is None and session.notice is None
    assert session.target_code == "L-BIRTH"
    assert old_filling is not None and old_filling.values() == {}
    assert personal_strings(session) == set()
    assert session.language == "en"  # the visitor is the same person: language stays


def test_start_bundle_without_a_choice_takes_the_required_members(catalog: Catalog) -> None:
    session = VisitorSession(catalog)
    session.start_bundle(catalog.bundles["B-SHOP"])
    assert session.chosen == ["T-REG", "T-TAX"]
    assert isinstance(session.consultation, BundleConsultation)
    assert [m.item.code for m in session.consultation.members] == ["T-REG", "T-TAX"]


# ── clear(): nothing personal remains reachable ────────────────────────────


def test_clear_forgets_everything_personal(catalog: Catalog) -> None:
    session = VisitorSession(catalog)
    fill_a_whole_visit(session, catalog)
    started = session.started_at
    session.clear()
    assert personal_strings(session) == set()
    assert session.target_code is None
    assert (session.item, session.bundle, session.chosen) == (None, None, [])
    assert (session.consultation, session.filling, session.notice) == (None, None, None)
    assert session.answers() == {}
    assert session.language == "zh" and session.priority is False
    assert session.started_at >= started


def test_clear_empties_what_screens_may_still_hold(catalog: Catalog) -> None:
    session = VisitorSession(catalog)
    fill_a_whole_visit(session, catalog)
    held = (session.filling, session.consultation)
    session.clear()
    assert personal_strings(held) == set()
    filling, consultation = held
    assert isinstance(filling, Filling) and filling.values() == {} and filling.answers == {}
    assert isinstance(consultation, BundleConsultation)
    assert all(m.answers == {} and m.history == [] for m in consultation.members)


def test_clear_after_a_single_item_visit(catalog: Catalog) -> None:
    session = VisitorSession(catalog)
    session.start_item(catalog.items["T-REG"])
    assert isinstance(session.consultation, Consultation)
    consultation = session.consultation
    consultation.answer("agent", True)
    assert session.filling is not None
    session.filling.set("T-REG.person_name", NAME)
    session.filling.set("T-REG.phone", MOBILE, Source.STAFF)
    session.clear("en")
    assert personal_strings(session) == set()
    assert consultation.answers == {}
    assert session.language == "en"


def test_the_walk_skips_only_the_catalog(catalog: Catalog) -> None:
    # The catalog is reachable but not walked into; everything else is.
    session = VisitorSession(catalog)
    objects = list(reachable(session))
    assert any(obj is catalog for obj in objects)
    assert not any(obj is catalog.items["T-REG"] for obj in objects)
    nested: dict[str, Any] = {"a": [({"b": NAME},)]}
    assert personal_strings(nested) == {NAME}
