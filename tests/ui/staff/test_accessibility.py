"""Every staff screen passes the accessibility audit in the elder theme (and the high-contrast
one): the PIN pad (also locked), each panel page with content on it, the 'helping' strip over a
form with its marks, and the ID-card bar with a refusal showing."""

from __future__ import annotations

import pytest

from kiosk.staff_pin import MAX_ATTEMPTS
from kiosk.ui.demo import page_of
from kiosk.ui.navigation import ApplyPage
from kiosk.ui.screens.apply import ApplyScreen
from kiosk.ui.theme import THEMES
from tests.services.conftest import item_visit, submit
from tests.ui.audit import audit
from tests.ui.visitor import tap, type_text

from .steps import chord, enter_staff, open_page, settle, type_pin, write_card


@pytest.mark.parametrize("theme", ["elder", "contrast"])
def test_every_staff_screen_passes_the_audit(make_kiosk, qtbot, tmp_path, catalog, theme):
    broken = tmp_path / "broken.yaml"
    broken.write_text("meta: {version: 1}\nitems: [\n", encoding="utf-8")
    kiosk = make_kiosk(theme=theme, catalog_path=broken)
    window = kiosk.window
    submitted = submit(kiosk.services, item_visit(catalog))
    kiosk.services.ratings.rate(
        "very_dissatisfied", ["等候时间太长"], submission_id=submitted.receipt.submission_id
    )
    kiosk.services.staff.request_help("apply", "zh")
    problems: dict[str, list[str]] = {}

    def check(name: str) -> None:
        settle(window, qtbot)
        problems[name] = audit(window, THEMES[theme])

    chord(window)
    check("pin pad")
    type_pin(window, "1111")
    check("pin pad, wrong PIN")
    for _ in range(MAX_ATTEMPTS - 1):
        type_pin(window, "1111")
        settle(window, qtbot)
    check("pin pad, locked")
    kiosk.clock.advance(301)
    qtbot.waitUntil(lambda: window.staff.pin_pad.keys["1"].isEnabled(), timeout=30_000)
    tap(window.staff.pin_pad.cancel)
    enter_staff(window, qtbot)
    for key in window.staff.panel.pages:
        page = open_page(window, qtbot, key)
        if key == "reprint":
            page.pad.press(submitted.code)
            tap(page.go)
        if key == "catalog":
            tap(page.reload_button)  # a broken file: its problems are listed
        if key == "printers":
            tap(page.test_buttons["notice"])
        check(f"panel: {key}")
    window.session.start_bundle(catalog.bundles["BD-START-FOOD"])
    window.go(ApplyPage(0))
    tap(window.staff.panel.band.buttons["assist"])
    type_text(window, "company_name", "示范镇小敏餐饮有限公司")
    write_card(kiosk.card_file, valid_from="2004-03-01", valid_until="2014-03-01")
    tap(page_of(window, ApplyScreen).id_card.read)
    check("helping on a form, expired card")
    write_card(kiosk.card_file)
    tap(page_of(window, ApplyScreen).id_card.read)
    check("helping on a form, card read")
    assert len(problems) == 11
    assert {name: found for name, found in problems.items() if found} == {}
