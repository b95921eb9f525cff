"""Apply: a widget per field type, the keypad, inline messages that block Next."""

from __future__ import annotations

from kiosk.forms.validators import id_number
from kiosk.ui.demo import page_of
from kiosk.ui.navigation import ApplyPage, Screen
from kiosk.ui.screens.apply import ApplyScreen
from kiosk.ui.widgets.fields import AddressField, ChoiceField, KeypadField, TextField

from .visitor import field, tap, texts, type_on_keypad, type_text

WRONG_CHECK_DIGIT = "110105194912310021"
VALID_ID = "11010519491231002X"


def open_form(window, code: str) -> ApplyScreen:
    """The item's form after its consultation (each question answered yes, or its first
    choice): form rules and fields may depend on the answers."""
    session = window.session
    session.start_item(session.catalog.items[code])
    while (question := session.consultation.next_question()) is not None:
        session.consultation.answer(question.id, question.answers()[0])
    session.build_notice()
    window.go(Screen.APPLY, ApplyPage(0))
    return page_of(window, ApplyScreen)


def test_each_field_type_gets_its_widget(make_window, catalog):
    window = make_window(catalog)
    page = open_form(window, "MS-YB-001")
    kinds = {key.split(".", 1)[1]: type(widget) for key, widget in page.fields.items()}
    assert kinds["child_name"] is TextField
    assert kinds["child_id_number"] is KeypadField
    assert kinds["child_birth_date"] is KeypadField
    assert kinds["guardian_relation"] is ChoiceField
    assert kinds["applicant_mobile"] is KeypadField


def test_an_invalid_id_number_shows_its_message_and_blocks_next(make_window, catalog):
    window = make_window(catalog)
    page = open_form(window, "MS-YB-001")
    type_on_keypad(window, "MS-YB-001.child_id_number", WRONG_CHECK_DIGIT)
    tap(page.next)
    assert window.current is Screen.APPLY, "an invalid page does not move on"
    widget = field(window, "MS-YB-001.child_id_number")
    assert widget.message.isVisible()
    assert widget.message.text() == "身份证号码校验位不对，请逐位核对"
    assert widget.findChild(type(widget.edit)).property("invalid") == "true"
    assert page.problems.isVisible()
    assert window.session.filling.get("MS-YB-001.child_id_number") is None
    window.toggle_language()
    assert widget.message.text() == "The ID number's check digit is wrong; please check each digit"


def test_fixing_the_id_number_clears_the_message(make_window, catalog):
    window = make_window(catalog)
    open_form(window, "MS-YB-001")
    key = "MS-YB-001.applicant_id_number"
    type_on_keypad(window, key, WRONG_CHECK_DIGIT)
    page_of(window, ApplyScreen).keypad.done_key.click()
    widget = field(window, key)
    assert widget.message.isVisible()
    type_on_keypad(window, key, "⌫X")  # the keypad's X for the last character
    assert not widget.message.isVisible(), "typing a correction drops the old complaint"
    page_of(window, ApplyScreen).keypad.done_key.click()
    assert window.session.filling.get(key).value == id_number(VALID_ID)


def test_required_fields_say_so_when_next_is_pressed(make_window):
    window = make_window()
    page = open_form(window, "T-SEAL")
    tap(page.next)
    assert window.current is Screen.APPLY
    messages = [w.message.text() for w in page.fields.values() if w.message.isVisible()]
    assert messages == ["此项必填"] * 3


def test_the_keypad_formats_dates_and_only_number_fields_use_it(make_window, catalog):
    window = make_window(catalog)
    page = open_form(window, "MS-YB-001")
    type_on_keypad(window, "MS-YB-001.child_birth_date", "20240101")
    assert field(window, "MS-YB-001.child_birth_date").edit.text() == "2024-01-01"
    assert not page.keypad.extra.isVisible(), "no X or decimal point for a date"
    type_text(window, "MS-YB-001.child_name", "张小宝")
    assert page.keypad.target is None, "a text field leaves the keypad idle"
    type_on_keypad(window, "MS-YB-001.child_id_number", "1")
    assert page.keypad.extra.text() == "X"


def test_a_field_appears_only_when_its_condition_holds(make_window):
    window = make_window()
    page = open_form(window, "T-REG")
    agent_name = field(window, "T-REG.agent_name")
    assert not agent_name.isVisible()
    yes = next(b for v, b, _ in field(window, "T-REG.agent_applies").options if v is True)
    tap(yes)
    assert agent_name.isVisible()
    assert "（选填）" not in agent_name.caption.text(), "now required"
    tap(page.next)
    assert agent_name.message.text() == "此项必填"


def test_a_complete_form_reaches_the_review_with_every_answer(make_window):
    window = make_window()
    page = open_form(window, "T-SEAL")
    type_text(window, "T-SEAL.applicant_name", "王小明")
    type_on_keypad(window, "T-SEAL.applicant_mobile", "13812345678")
    type_on_keypad(window, "T-SEAL.seal_count", "2")
    tap(page.next)
    assert window.current is Screen.REVIEW
    shown = texts(window.page(), visible_only=True)
    for value in ("王小明", "13812345678", "2", "全部填写完整，请核对后提交。"):
        assert value in shown


def test_an_address_is_four_boxes(make_window, catalog):
    window = make_window(catalog)
    bundle = next(
        (b for b in catalog.bundles.values() if "business_address" in b.shared_fields), None
    )
    if bundle is None:  # the shipped catalog has no such bundle yet: build one from the item
        item = next(i for i in catalog.items.values() if i.field("business_address"))
        window.session.start_item(item)
    else:
        window.session.start_bundle(bundle)
    window.go(Screen.APPLY, ApplyPage(0))
    page = page_of(window, ApplyScreen)
    key = next(k for k in page.fields if k.endswith("business_address"))
    widget = page.fields[key]
    assert isinstance(widget, AddressField)
    assert [e.placeholderText() for e in widget.parts.values()] == [
        "省",
        "市",
        "区（县）",
        "详细地址（街道、门牌号）",
    ]
