"""Apply: a widget per field type, typed on the window's own pad and keyboard.

Numbers go on the kiosk's pad (never the Pinyin keyboard), dates and regions
are picked, text is typed in Pinyin; a message clears the moment its value is
fixed and its line is always reserved, so nothing moves under the finger.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPoint, QRect

from kiosk.forms.validators import id_number
from kiosk.ui.demo import page_of
from kiosk.ui.demo.person import Person
from kiosk.ui.input.kinds import InputKind
from kiosk.ui.navigation import ApplyPage, Screen
from kiosk.ui.screens.apply import ApplyScreen
from kiosk.ui.widgets.fields import AddressField, ChoiceField, DateField, PadField, TextField

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
    window.go(ApplyPage(0))
    Person(window).wait_for(lambda: not window.guard.quiet)
    return page_of(window, ApplyScreen)


def on_screen(widget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def test_each_field_type_gets_its_widget(make_window, catalog):
    window = make_window(catalog)
    page = open_form(window, "MS-YB-001")
    kinds = {key.split(".", 1)[1]: type(widget) for key, widget in page.fields.items()}
    assert kinds["child_name"] is TextField
    assert kinds["child_id_number"] is PadField
    assert kinds["child_birth_date"] is DateField
    assert kinds["guardian_relation"] is ChoiceField
    assert kinds["applicant_mobile"] is PadField


def test_number_fields_open_the_pad_with_their_keys_never_the_keyboard(make_window, catalog):
    window = make_window(catalog)
    open_form(window, "MS-YB-001")
    person = Person(window)
    person.tap(field(window, "MS-YB-001.child_id_number").edit)
    assert window.dock.pad.isVisible() and window.dock.pad.kind is InputKind.ID_NUMBER
    assert "X" in window.dock.pad.keys, "an ID number's last character may be X"
    keyboard = window.dock.keyboard_ready
    assert keyboard is None or not keyboard.isVisible(), "no Pinyin keyboard for a number"
    person.tap(field(window, "MS-YB-001.applicant_mobile").edit)
    assert window.dock.pad.kind is InputKind.DIGITS
    assert set(window.dock.pad.keys) == set("0123456789")
    person.tap(field(window, "MS-YB-001.child_name").edit)
    assert not window.dock.pad.isVisible()
    assert window.dock.keyboard_ready is not None and window.dock.keyboard_ready.isVisible()
    assert (
        "简体中文" in {k.label for k in window.dock.keyboard_ready.visible_keys()}
        or {"space"} <= person.keyboard_faces()
    )


def test_the_focused_field_and_its_message_line_stay_above_the_keys(make_window, catalog):
    window = make_window(catalog)
    open_form(window, "MS-YB-001")
    person = Person(window)
    for key in ("applicant_mobile", "applicant_name", "child_id_number"):
        widget = field(window, f"MS-YB-001.{key}")
        target = widget.findChild(type(widget.edit)) if hasattr(widget, "edit") else widget
        person.tap(target)
        person.wait_for(lambda w=widget: not on_screen(w).intersects(on_screen(window.dock)))
        assert window.dock.isVisible()
        assert on_screen(window.stack).contains(on_screen(widget.message)), key


def test_an_invalid_id_number_shows_its_message_and_blocks_next(make_window, catalog):
    window = make_window(catalog)
    page = open_form(window, "MS-YB-001")
    type_on_keypad(window, "MS-YB-001.child_id_number", WRONG_CHECK_DIGIT)
    Person(window).tap(window.dock.hide_button)
    tap(page.next)
    assert window.current is Screen.APPLY, "an invalid page does not move on"
    widget = field(window, "MS-YB-001.child_id_number")
    assert widget.message.text() == "身份证号码校验位不对，请逐位核对"
    assert widget.edit.property("invalid") == "true"
    assert page.problems.isVisible()
    assert window.session.filling.get("MS-YB-001.child_id_number") is None
    tap(window.header.language)
    assert widget.message.text() == "The ID number's check digit is wrong; please check each digit"


def test_a_fixed_value_clears_its_message_at_once_and_nothing_moves(make_window, catalog):
    window = make_window(catalog)
    page = open_form(window, "MS-YB-001")
    key = "MS-YB-001.applicant_id_number"
    person = Person(window)
    type_on_keypad(window, key, WRONG_CHECK_DIGIT)
    person.tap(window.dock.hide_button)
    tap(page.next)
    widget = field(window, key)
    below = field(window, "MS-YB-001.applicant_mobile")
    assert widget.error is not None
    with_message = below.mapTo(page.form.body, QPoint(0, 0))
    person.tap_end(widget.edit)
    person.tap(window.dock.pad.backspace)
    assert widget.error is not None, "half-way through the fix the message stays"
    person.tap(window.dock.pad.keys["X"])
    assert widget.error is None, "the right last character clears the message at once"
    assert below.mapTo(page.form.body, QPoint(0, 0)) == with_message, "nothing moved"
    assert window.session.filling.get(key).value == id_number(VALID_ID)


def test_long_numbers_are_shown_in_groups_and_kept_plain(make_window, catalog):
    window = make_window(catalog)
    open_form(window, "MS-YB-001")
    type_on_keypad(window, "MS-YB-001.applicant_id_number", VALID_ID)
    type_on_keypad(window, "MS-YB-001.applicant_mobile", "13812345678")
    assert field(window, "MS-YB-001.applicant_id_number").edit.text() == "110105 19491231 002X"
    assert field(window, "MS-YB-001.applicant_mobile").edit.text() == "138 1234 5678"
    Person(window).tap(window.dock.hide_button)
    assert window.session.filling.get("MS-YB-001.applicant_mobile").value == "13812345678"


def test_next_field_moves_on_from_the_pad_and_from_the_keyboard(make_window):
    window = make_window()
    open_form(window, "T-SEAL")
    person = Person(window)
    name = field(window, "T-SEAL.applicant_name").edit
    mobile = field(window, "T-SEAL.applicant_mobile").edit
    count = field(window, "T-SEAL.seal_count").edit
    person.fill(name, "王小明")
    person.key("enter")  # the keyboard's Enter is 下一项
    assert mobile.hasFocus()
    person.type("13812345678")
    person.tap(window.dock.pad.action_key)  # the pad's 下一项
    assert count.hasFocus()
    assert window.session.filling.get("T-SEAL.applicant_name").value == "王小明"
    assert window.session.filling.get("T-SEAL.applicant_mobile").value == "13812345678"


def test_a_date_is_picked_in_four_taps_and_never_in_the_future(make_window, catalog):
    window = make_window(catalog)
    open_form(window, "MS-YB-001")
    person = Person(window)
    widget = field(window, "MS-YB-001.child_birth_date")
    taps = person.count
    person.tap(widget.picker)
    picker = window.date_picker
    assert picker.isVisible()
    today = dt.date.today()
    person.tap_text(f"{today.year // 10 * 10} 年代", within=picker)
    future = [b for b in picker.choice_buttons if b.text() == f"{today.year + 1} 年"]
    assert all(not b.isEnabled() for b in future), "no year after this one"
    person.tap_text("2024 年", within=picker)
    person.tap_text("2 月", within=picker)
    days = [b.text() for b in picker.choice_buttons]
    assert days[-1] == "29", "February 2024 has 29 days"
    person.tap_text("29", within=picker)
    assert person.count - taps == 5  # the field, then decade, year, month, day
    assert not picker.isVisible()
    assert widget.picker.text() == "2024 年 2 月 29 日"
    assert window.session.filling.get("MS-YB-001.child_birth_date").value == "2024-02-29"


def test_required_fields_say_so_when_next_is_pressed(make_window):
    window = make_window()
    page = open_form(window, "T-SEAL")
    tap(page.next)
    assert window.current is Screen.APPLY
    messages = [w.message.text() for w in page.fields.values() if w.error is not None]
    assert messages == ["此项必填"] * 3


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
    Person(window).tap(window.dock.hide_button)
    tap(page.next)
    assert window.current is Screen.REVIEW
    shown = texts(window.page(), visible_only=True)
    for value in ("王小明", "13812345678", "2", "全部填写完整，请核对后提交。"):
        assert value in shown


def test_an_address_is_picked_down_to_the_district_and_its_street_typed(make_window, catalog):
    window = make_window(catalog)
    item = next(i for i in catalog.items.values() if i.field("business_address"))
    window.session.start_item(item)
    window.go(ApplyPage(0))
    page = page_of(window, ApplyScreen)
    key = next(k for k in page.fields if k.endswith("business_address"))
    widget = page.fields[key]
    assert isinstance(widget, AddressField)
    person = Person(window)
    person.tap(widget.picker)
    picker = window.region_picker
    if picker.back.isEnabled() and "江苏省" not in {b.text() for b in picker.choice_buttons}:
        person.tap(picker.back)
        if picker.back.isEnabled():
            person.tap(picker.back)
    person.tap_text("江苏省", within=picker)
    person.tap_text("苏州市", within=picker)
    person.tap_text("吴中区", within=picker)
    assert widget.picker.text() == "江苏省 苏州市 吴中区"
    person.fill(widget.detail, "人民路8号")
    person.tap(window.dock.hide_button)
    stored = window.session.filling.get(key).value
    assert (stored["province"], stored["city"], stored["district"]) == (
        "江苏省",
        "苏州市",
        "吴中区",
    )
    assert stored["detail"] == "人民路8号"


def test_the_birth_date_and_sex_come_from_the_id_number_and_are_shown_not_typed(
    make_window, catalog
):
    window = make_window(catalog)
    session = window.session
    session.start_item(catalog.items["MS-YB-001"])
    consultation = session.consultation
    consultation.answer("local_hukou", True)  # registered: the child has an ID number
    session.build_notice()
    window.go(ApplyPage(0))
    type_on_keypad(window, "MS-YB-001.child_id_number", "110105202401010030")
    Person(window).tap(window.dock.hide_button)
    birth = field(window, "MS-YB-001.child_birth_date")
    assert isinstance(birth, DateField)
    assert birth.picker.text() == "2024 年 1 月 1 日"
    assert not birth.picker.isEnabled(), "read from the ID number: nothing to pick"
    assert birth.tag.isVisible() and "孩子身份证号码" in birth.tag.text()
    assert session.filling.get("MS-YB-001.child_birth_date").value == "2024-01-01"
