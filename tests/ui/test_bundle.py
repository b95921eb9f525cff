"""A bundle: pick items à la carte, type shared fields once, review, and change a line."""

from __future__ import annotations

from kiosk.ui.demo import page_of
from kiosk.ui.navigation import BundlesRoute, ReviewRoute, Screen
from kiosk.ui.screens.apply import ApplyScreen
from kiosk.ui.screens.bundle import BundleScreen
from kiosk.ui.screens.preview import PreviewScreen
from kiosk.ui.screens.review import ReviewScreen
from kiosk.ui.screens.verdict import VerdictScreen

from .conftest import window_services
from .holds import store_gone
from .visitor import answer, settle_work, tap, texts, type_on_keypad, type_text

SHARED = ["applicant_name", "applicant_id_number", "applicant_mobile"]


def pick(window, *optional: str) -> BundleScreen:
    window.go(BundlesRoute())
    tap(window.page().rows["BD-TEST"])
    picker = page_of(window, BundleScreen)
    for code in optional:
        tap(picker.rows[code])
    return picker


def test_required_items_are_fixed_and_optional_ones_chosen_a_la_carte(make_window):
    window = make_window()
    picker = pick(window)
    assert picker.chosen() == ["T-REG", "T-TAX"]
    assert not picker.rows["T-REG"].isEnabled(), "a required item cannot be dropped"
    assert picker.rows["T-REG"].tag.text() == "必办"
    tap(picker.rows["T-SEAL"])
    assert picker.chosen() == ["T-REG", "T-TAX", "T-SEAL"]
    assert picker.next.text() == "下一步（共 3 项）"
    tap(picker.rows["T-SEAL"])
    assert picker.chosen() == ["T-REG", "T-TAX"]
    tap(picker.next)
    assert window.session.bundle.code == "BD-TEST"
    assert window.session.chosen == ["T-REG", "T-TAX"]


def fill_bundle(window) -> None:
    tap(pick(window, "T-SEAL").next)
    answer(window, True)  # premises
    answer(window, False)  # no agent
    tap(page_of(window, VerdictScreen).apply_button)
    page = page_of(window, ApplyScreen)
    assert page.page.item is None, "the shared page comes first"
    assert sorted(page.fields) == sorted(SHARED)
    assert page.feeds.isVisible()
    assert "个体工商户设立登记、新办纳税人涉税事项、公章刻制备案" in page.feeds_text.text()
    type_text(window, "applicant_name", "张小敏")
    type_on_keypad(window, "applicant_id_number", "11010519491231002X")
    type_on_keypad(window, "applicant_mobile", "13812345678")
    tap(page.next)
    assert page.page.item == "T-REG"
    assert not set(page.fields) & set(SHARED), "shared fields are not asked again"
    type_text(window, "T-REG.shop_name", "示范镇小敏餐饮店")
    tap(page.next)
    assert page.page.item == "T-TAX"
    ordinary = next(b for v, b, _ in page.fields["T-TAX.invoice_kind"].options if v == "ordinary")
    tap(ordinary)
    tap(page.next)
    assert page.page.item == "T-SEAL"
    type_on_keypad(window, "T-SEAL.seal_count", "2")
    tap(page.next)


def test_shared_fields_are_typed_once_and_fill_every_form(make_window):
    window = make_window()
    fill_bundle(window)
    assert window.current is Screen.REVIEW
    filling = window.session.filling
    assert filling.is_complete()
    for code in ("T-REG", "T-TAX"):
        values = filling.form_values(code)
        assert values["applicant_name"].value == "张小敏"
        assert values["applicant_id_number"].value == "11010519491231002X"
    assert filling.form_values("T-SEAL")["applicant_mobile"].value == "13812345678"
    assert "applicant_id_number" not in filling.form_values("T-SEAL")


def test_review_lists_every_answer_and_a_tap_goes_back_to_change_it(make_window):
    window = make_window()
    fill_bundle(window)
    review = page_of(window, ReviewScreen)
    shown = texts(review, visible_only=True)
    for value in ("张小敏", "11010519491231002X", "示范镇小敏餐饮店", "普通发票", "2"):
        assert value in shown
    assert "全部填写完整，请核对后提交。" in shown
    line = next(line for line in review.lines if line.key == "T-REG.shop_name")
    tap(line)
    assert window.current is Screen.APPLY
    page = page_of(window, ApplyScreen)
    assert page.page.item == "T-REG"
    assert page.next.text() == "回到核对页"
    type_text(window, "T-REG.shop_name", "示范镇小敏小吃店")
    tap(page.next)
    assert window.current is Screen.REVIEW
    assert "示范镇小敏小吃店" in texts(review, visible_only=True)


def test_review_marks_what_is_missing_and_holds_submit(make_window):
    window = make_window()
    window.session.start_bundle(window.session.catalog.bundles["BD-TEST"])
    window.go(ReviewRoute())
    review = page_of(window, ReviewScreen)
    assert not review.submit_button.isEnabled()
    assert review.status_text.text().startswith("还有 ")
    missing = [line for line in review.lines if line.value.property("role") == "error"]
    assert {line.key for line in missing} >= set(SHARED)


def test_a_store_that_cannot_save_is_told_calmly_and_nothing_typed_is_lost(
    make_window, make_kiosk, qtbot
):
    kiosk = make_kiosk()
    window = make_window(services=window_services(kiosk))
    fill_bundle(window)
    tap(page_of(window, ReviewScreen).submit_button)
    assert window.current is Screen.PREVIEW
    settle_work(window)
    preview = page_of(window, PreviewScreen)
    with store_gone(kiosk):
        tap(preview.submit_button)
        qtbot.waitUntil(lambda: window.toast.isVisible(), timeout=30_000)
    assert window.toast.message.text() == "本机暂时无法保存，请稍候再试或联系工作人员"
    assert window.current is Screen.PREVIEW and preview.submit_button.isEnabled()
    assert window.session.filling is not None and window.session.has_typed_values()
