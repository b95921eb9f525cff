"""读取身份证: the card fills a bundle's shared fields (and every member form that has them),
marked as from the card; an expired card is refused calmly; no reader, no button."""

from __future__ import annotations

from kiosk.forms.filling import Source
from kiosk.idcard import EXPIRED
from kiosk.ui.demo import page_of
from kiosk.ui.navigation import ApplyPage, ReviewRoute
from kiosk.ui.screens.apply import ApplyScreen
from kiosk.ui.screens.review import ReviewScreen
from tests.ui.visitor import tap, type_text

from .steps import settle, write_card

BUNDLE = "BD-START-FOOD"
FROM_CARD = {"legal_rep_name": "张小敏", "legal_rep_id_number": "11010519491231002X"}


def open_shared_page(window, catalog) -> ApplyScreen:
    window.session.start_bundle(catalog.bundles[BUNDLE])
    window.go(ApplyPage(0))
    page = page_of(window, ApplyScreen)
    assert page.page is not None and page.page.item is None, "the shared page"
    return page


def test_a_card_fills_the_bundles_shared_fields(make_kiosk, qtbot, catalog):
    kiosk = make_kiosk()
    write_card(kiosk.card_file)
    window = kiosk.window
    page = open_shared_page(window, catalog)
    assert page.id_card.isVisible() and page.id_card.read.text() == "读取身份证"
    type_text(window, "company_name", "示范镇小敏餐饮有限公司")  # typed before the card
    tap(page.id_card.read)
    settle(window, qtbot)
    filling = window.session.filling
    for key, value in FROM_CARD.items():
        entered = filling.get(key)
        assert entered is not None and (entered.value, entered.source) == (value, Source.ID_CARD)
        assert page.fields[key].value() == value, "the page shows what the card filled"
        assert page.fields[key].tag.text() == "来自身份证"
    assert filling.get("company_name").source is Source.CITIZEN, "what the visitor typed stays"
    assert page.fields["company_name"].tag.isHidden()
    assert "已从身份证填入" in page.id_card.hint.text()
    members = [code for code in window.session.chosen if filling.form_values(code)]
    with_name = [c for c in members if "legal_rep_name" in filling.form_values(c)]
    assert len(with_name) >= 2, "typed once, on every member form that has it"
    window.go(ReviewRoute())
    marks = {line.key: line.mark.text() for line in page_of(window, ReviewScreen).lines}
    assert marks["legal_rep_name"] == "来自身份证" and marks["company_name"] == ""


def test_an_expired_card_is_refused_and_fills_nothing(make_kiosk, qtbot, catalog):
    kiosk = make_kiosk()
    write_card(kiosk.card_file, valid_from="2004-03-01", valid_until="2014-03-01")
    window = kiosk.window
    page = open_shared_page(window, catalog)
    tap(page.id_card.read)
    settle(window, qtbot)
    assert page.id_card.hint.text() == EXPIRED.zh
    assert page.id_card.hint.property("role") == "error"
    assert window.session.filling.get("legal_rep_name") is None
    assert page.id_card.read.isEnabled(), "another card can be tried"


def test_no_reader_no_button_and_only_on_pages_that_want_a_card(make_kiosk, qtbot, catalog):
    window = make_kiosk(reader=False).window
    assert not open_shared_page(window, catalog).id_card.isVisible()
    other = make_kiosk().window
    page = open_shared_page(other, catalog)
    assert page.id_card.isVisible()
    without = next(
        i
        for i, p in enumerate(other.session.filling.pages())
        if not any(slot.field.id_card for slot in p.slots)
    )
    other.go(ApplyPage(without))
    assert not page.id_card.isVisible()
