"""Consultation: one question per screen, Back, the verdict, and the materials (一次性告知)."""

from __future__ import annotations

from kiosk.ui.demo import page_of
from kiosk.ui.navigation import BundleRoute, ItemRoute, Screen
from kiosk.ui.screens.consult import ConsultScreen
from kiosk.ui.screens.item import ItemScreen
from kiosk.ui.screens.verdict import VerdictScreen

from .visitor import answer, tap, texts


def start(window, code: str) -> ConsultScreen:
    window.go(ItemRoute(code))
    tap(page_of(window, ItemScreen).start)
    return page_of(window, ConsultScreen)


def test_questions_one_by_one_to_an_eligible_verdict_with_materials(make_window, catalog):
    window = make_window(catalog)
    consult = start(window, "MS-YB-001")
    assert consult.text.text() == "孩子是否已在本地落户（上好户口）？"
    assert set(consult.answer_values.values()) == {True, False}
    answer(window, False)
    assert consult.text.text() == "父母一方是否在本地参加医保？"
    answer(window, True)
    assert window.current is Screen.VERDICT
    verdict = page_of(window, VerdictScreen)
    shown = texts(verdict, visible_only=True)
    assert "您可以办理" in shown
    assert "请准备以下材料（一次性告知）" in shown
    expected = [line.material.name.zh for line in window.session.notice.lines]
    assert {"出生医学证明", "父（母）本地参保证明", "申请人居民身份证"} <= set(expected)
    assert "居民户口簿" not in expected  # only once the child is registered
    assert all(name in shown for name in expected)
    assert verdict.apply_button.isVisible()


def test_a_refusal_says_why_and_where_to_go_instead(make_window, catalog):
    window = make_window(catalog)
    start(window, "MS-YB-001")
    answer(window, False)  # not registered here
    answer(window, False)  # no parent insured here
    assert window.current is Screen.VERDICT
    verdict = page_of(window, VerdictScreen)
    shown = " ".join(texts(verdict, visible_only=True))
    assert "暂时不能在这里办理" in shown
    assert "孩子未在本地落户且父母均未在本地参保" in shown
    assert "建议：请到孩子户籍所在地或父母参保地的医保经办机构办理" in shown
    assert not verdict.apply_button.isVisible()


def test_back_takes_the_last_answer_back(make_window, catalog):
    window = make_window(catalog)
    consult = start(window, "MS-YB-001")
    answer(window, False)
    tap(consult.back_button)
    assert consult.text.text() == "孩子是否已在本地落户（上好户口）？"
    assert window.session.consultation.answers == {}
    tap(consult.back_button)  # nothing left to take back: leave the consultation
    assert window.current is Screen.ITEM


def test_back_from_the_verdict_asks_the_last_question_again(make_window, catalog):
    window = make_window(catalog)
    consult = start(window, "MS-YB-001")
    answer(window, False)
    answer(window, False)
    tap(page_of(window, VerdictScreen).back_button)
    assert window.current is Screen.CONSULT
    assert consult.text.text() == "父母一方是否在本地参加医保？"


def test_an_item_without_questions_goes_straight_to_its_materials(make_window):
    window = make_window()
    start(window, "T-SEAL")
    assert window.current is Screen.VERDICT
    tap(page_of(window, VerdictScreen).back_button)
    assert window.current is Screen.ITEM  # the empty consultation was not kept in the history


def test_bundle_questions_shared_by_members_are_asked_once_and_back_works(make_window):
    window = make_window()
    window.go(BundleRoute("BD-TEST"))
    tap(window.page().next)
    consult = page_of(window, ConsultScreen)
    assert consult.about.text() == "关于：个体工商户设立登记"
    answer(window, True)  # has premises
    answer(window, True)  # an agent applies — T-TAX asks the same and takes it over
    assert window.current is Screen.VERDICT
    materials = [line.material.id for line in window.session.notice.lines]
    assert "agent_authorization" in materials
    # Back must reach the agent question even though T-TAX's copy of the answer is last.
    tap(page_of(window, VerdictScreen).back_button)
    assert window.current is Screen.CONSULT
    assert consult.text.text() == "是否委托他人代办？"
    assert consult.about.text() == "关于：个体工商户设立登记"
    answer(window, False)
    assert window.current is Screen.VERDICT
    materials = [line.material.id for line in window.session.notice.lines]
    assert "agent_authorization" not in materials
