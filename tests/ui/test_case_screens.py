"""The consultation and verdict screens for the catalog's case constructs, through the real
widgets: 第 N 题，共 M 题, a "later" verdict, fees, what a bundle member provides, an item
with no form, and the hall's name from the catalog (tests/second_bureau/catalog.yaml)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QFrame, QLabel

from kiosk.catalog import Catalog, load_catalog
from kiosk.ui.demo import page_of
from kiosk.ui.navigation import ConsultRoute, ItemRoute, Screen
from kiosk.ui.screens.consult import ConsultScreen
from kiosk.ui.screens.item import ItemScreen
from kiosk.ui.screens.verdict import VerdictScreen
from kiosk.ui.theme import THEMES
from tests.second_bureau import SECOND_CATALOG

from .visitor import answer, tap, texts


@pytest.fixture(scope="module")
def shanbei() -> Catalog:
    return load_catalog(SECOND_CATALOG)


def start(window, code: str) -> ConsultScreen:
    window.go(ItemRoute(code))
    tap(page_of(window, ItemScreen).start)
    return page_of(window, ConsultScreen)


def shown(screen) -> str:
    return " ".join(texts(screen, visible_only=True))


def test_the_progress_says_which_question_of_how_many(make_window, catalog):
    window = make_window(catalog)
    consult = start(window, "MS-YB-001")  # 落户? then (if not) a parent insured here?
    assert consult.progress.text() == "第 1 题，共 2 题"
    answer(window, False)
    assert consult.progress.text() == "第 2 题，共 2 题"
    window.toggle_language()
    assert consult.progress.text() == "Question 2 of 2"


def test_the_total_shrinks_when_a_branch_closes(make_window, catalog):
    window = make_window(catalog)
    consult = start(window, "MS-YB-001")
    answer(window, True)  # registered: no second question
    assert window.current is Screen.VERDICT
    tap(page_of(window, VerdictScreen).back_button)
    assert consult.progress.text() == "第 1 题，共 2 题"


def test_a_later_verdict_says_what_first_where_and_what_to_bring_back(make_window, shanbei):
    window = make_window(shanbei)
    start(window, "CJ-001")
    answer(window, False)  # not assessed yet
    answer(window, False)  # applies in person
    assert window.current is Screen.VERDICT
    verdict = page_of(window, VerdictScreen)
    text = shown(verdict)
    assert "暂时还不能办理" in text and "办证前须先做残疾评定" in text
    assert "请先：持身份证到县人民医院残疾评定门诊做评定" in text
    assert "办理地点：县人民医院门诊楼三楼（每周二、四上午）" in text
    assert "办好后，请带齐以下材料再来（一次性告知）" in text
    assert "残疾评定表" in text
    assert not verdict.apply_button.isVisible()  # nothing to fill in today


@pytest.mark.parametrize("theme", ["standard", "contrast"])
def test_a_later_verdict_has_a_banner_of_its_own(make_window, shanbei, theme):
    """Neither the green "yes" nor the red "no": the theme's "later" colours, read at 4.5:1
    (tests/ui/test_theme.py checks the pair)."""
    window = make_window(shanbei, theme=theme)
    start(window, "CJ-001")
    answer(window, False)
    answer(window, False)
    banner = next(
        frame
        for frame in page_of(window, VerdictScreen).findChildren(QFrame)
        if frame.property("role") == "banner" and frame.isVisible()
    )
    assert banner.property("tone") == "later"
    palette = THEMES[theme].palette
    image = banner.grab().toImage()
    corner = image.pixelColor(image.width() // 2, 4).name().upper()
    assert corner == palette.later_surface.upper()
    title = next(w for w in banner.findChildren(QLabel) if w.text() == "暂时还不能办理")
    shown_colour = title.palette().color(title.foregroundRole()).name().upper()
    assert shown_colour == palette.on_later_surface.upper()


def test_the_fees_of_the_case(make_window, shanbei):
    window = make_window(shanbei)
    start(window, "HJ-002")
    answer(window, True)  # on dibao: the fee is waived
    text = shown(page_of(window, VerdictScreen))
    assert "收费" in text and "低保、特困人员免收工本费：0.00 元" in text
    tap(page_of(window, VerdictScreen).back_button)
    answer(window, False)
    assert "补领工本费：40.00 元" in shown(page_of(window, VerdictScreen))


def test_an_item_with_no_form_leads_to_a_ticket(make_window, shanbei):
    window = make_window(shanbei)
    window.go(ItemRoute("NJ-005"))
    assert "这项业务无需填表" in page_of(window, ItemScreen).start_hint.text()
    start(window, "NJ-005")
    answer(window, "drone")
    verdict = page_of(window, VerdictScreen)
    assert "无需填表" in shown(verdict) and "农业窗口" in shown(verdict)
    assert verdict.apply_button.text() == "取号办理"
    tap(verdict.apply_button)
    assert window.current is Screen.TICKET


def test_a_bundle_says_which_materials_a_member_provides(make_window, shanbei):
    window = make_window(shanbei)
    window.session.start_bundle(shanbei.bundles["BD-FARMSTAY"])
    window.go(ConsultRoute())
    answer(window, False)  # in person
    answer(window, False)  # no cold dishes
    assert window.current is Screen.VERDICT
    text = shown(page_of(window, VerdictScreen))
    assert "以下材料由本次一起办理的事项产生，无需提交" in text
    assert "营业执照（由“个体工商户登记”办理后产生）" in text


def test_the_header_shows_the_bureaus_own_name(make_window, shanbei):
    window = make_window(shanbei)  # Settings() with no hall_name
    assert window.header.hall.text() == "山北乡便民服务中心"
    assert window.windowTitle() == "山北乡便民服务中心"
