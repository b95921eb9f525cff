"""Assisted entry: while a guide helps the visitor, what the guide types is stored as
Source.STAFF, tagged 导服代填 on the form page and the review page, and marked on the printed
form; the visitor's own values stay theirs, and typing after staff mode is the visitor's again."""

from __future__ import annotations

from kiosk.forms.filling import Source
from kiosk.ui.demo import page_of
from kiosk.ui.navigation import ApplyPage, Screen
from kiosk.ui.screens.apply import ApplyScreen
from kiosk.ui.screens.review import ReviewScreen
from tests.printing.pdfcheck import squash, text
from tests.services.conftest import ITEM, fill_examples, id_number
from tests.ui.visitor import field, tap, type_text

from .steps import audit_trail, enter_staff, settle

NAME = f"{ITEM}.child_name"


def start_form(window, catalog) -> ApplyScreen:
    session = window.session
    session.start_item(catalog.items[ITEM])
    consultation = session.consultation
    while (question := consultation.next_question()) is not None:
        consultation.answer(question.id, True)
    session.build_notice()
    fill_examples(session)  # the visitor typed everything …
    session.filling.set(f"{ITEM}.child_id_number", id_number(3))
    window.go(ApplyPage(0))
    return page_of(window, ApplyScreen)


def test_assisted_entry_is_marked_on_the_review_and_the_printed_form(make_kiosk, qtbot, catalog):
    kiosk = make_kiosk()
    window = kiosk.window
    page = start_form(window, catalog)
    enter_staff(window, qtbot)
    tap(window.staff.panel.band.buttons["assist"])
    assert not window.staff.panel_open() and window.staff.bar.isVisible()
    assert window.current is Screen.APPLY, "the visitor's screen is where it was"
    type_text(window, NAME, "李小宝")  # … and the guide corrects the child's name
    filling = window.session.filling
    assert filling.get(NAME) is not None and filling.get(NAME).value == "李小宝"
    assert filling.get(NAME).source is Source.STAFF
    assert field(window, NAME).tag.text() == "导服代填" and field(window, NAME).tag.isVisible()
    others = {k: v.source for k, v in filling.values().items() if k != NAME}
    # the visitor's own, or read from the child's ID number (birth date, sex)
    assert set(others.values()) == {Source.CITIZEN, Source.PREFILLED}
    while window.current is Screen.APPLY:
        tap(page.next)
    assert window.current is Screen.REVIEW
    lines = {line.key: line for line in page_of(window, ReviewScreen).lines}
    assert lines[NAME].mark.isVisible() and lines[NAME].mark.text() == "导服代填"
    assert not any(line.mark.isVisible() for key, line in lines.items() if key != NAME)
    settle(window, qtbot)
    services = kiosk.services  # what the window's submit calls, with the draft it freezes
    result = services.submissions.print(services.submissions.submit(window.session.draft()))
    assert result.forms_print is not None and result.forms_print.accepted
    printed = squash(text(kiosk.printed / result.forms_print.result.job.rsplit("/", 1)[-1]))
    assert "李小宝〔导服代填〕" in printed
    trail = [(e.action, e.subject) for e in audit_trail(kiosk.services)]
    assert ("assist_visitor", ITEM) in trail and ("assist_edit", NAME) in trail
    assert "李小宝" not in str([e.detail for e in audit_trail(kiosk.services)]), "keys, not values"


def test_after_staff_mode_the_visitor_types_for_themselves(make_kiosk, qtbot, catalog):
    kiosk = make_kiosk()
    window = kiosk.window
    start_form(window, catalog)
    enter_staff(window, qtbot)
    tap(window.staff.panel.band.buttons["assist"])
    type_text(window, NAME, "李小宝")
    tap(window.staff.bar.buttons["exit_staff"])
    settle(window, qtbot)
    assert not window.staff.unlocked and not window.staff.bar.isVisible()
    assert window.current is Screen.APPLY
    assert window.session.filling.get(NAME).source is Source.STAFF, "what staff typed stays marked"
    type_text(window, NAME, "王小宝")
    settle(window, qtbot)
    assert window.session.filling.get(NAME).source is Source.CITIZEN
    assert field(window, NAME).tag.isHidden()


def test_the_panel_does_not_mark_and_a_visit_reset_ends_the_help(make_kiosk, qtbot, catalog):
    kiosk = make_kiosk()
    window = kiosk.window
    start_form(window, catalog)
    enter_staff(window, qtbot)  # unlocked, but the panel is up: nobody types into the form
    assert window.staff.entry_source(NAME) is Source.CITIZEN
    tap(window.staff.panel.band.buttons["assist"])
    assert window.staff.entry_source(NAME) is Source.STAFF
    window.reset_visit()  # the visitor walked away (the idle countdown ran out)
    settle(window, qtbot)
    assert not window.staff.unlocked and not window.staff.bar.isVisible()
    assert [e.detail for e in audit_trail(kiosk.services) if e.action == "staff_exit"] == [
        {"reason": "visit_over"}
    ]
