"""The zh/en switch: every screen speaks the visitor's language, all of it."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime

import pytest
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget

from kiosk.kinds import DocumentKind
from kiosk.statuses import PrintState, Satisfaction
from kiosk.store.repositories import TicketView
from kiosk.ui.demo import page_of
from kiosk.ui.navigation import (
    ApplyPage,
    BundleRoute,
    BundlesRoute,
    CatalogRoute,
    Done,
    EventRoute,
    EventsRoute,
    HomeRoute,
    Intent,
    ItemRoute,
    PreviewRoute,
    RatingTarget,
    ReviewRoute,
    Route,
    Screen,
    StatusRoute,
    TicketRoute,
)
from kiosk.ui.screens.item import ItemScreen
from kiosk.ui.screens.rating import RatingScreen
from kiosk.ui.screens.status import StatusScreen

from .visitor import CJK, answer, settle_work, tap, texts, type_into

CJK_PUNCTUATION = re.compile(r"[\u3000-\u303f\uff01-\uff0f\uff1a-\uff1f]")  # 、。，：（）？…


def held_ticket() -> Done:
    """A done screen with everything on it: a ticket, a code, one paper printed, one not,
    and the 补打 offer."""
    ticket = TicketView(
        id=uuid.uuid4(),
        number="C012",
        queue="business",
        service_day=date(2026, 11, 28),
        issued_at=datetime(2026, 11, 28, 8, 30, tzinfo=UTC),
        priority=True,
        people_ahead=3,
        wait_minutes=24,
        status="waiting",
        window=None,
        printed=True,
    )
    return Done(
        ticket,
        code="K7QXM3P9RT",
        submission_id=uuid.uuid4(),
        papers=(
            (DocumentKind.TICKET, PrintState.ACCEPTED),
            (DocumentKind.FORM, PrintState.FAILED),
        ),
        reprint_offered=True,
        announce=False,
    )


def reach(window, screen: Screen) -> None:
    """Get to a screen the way a visitor would, with something on it to translate."""
    session = window.session
    if screen is Screen.DONE:
        window.go(held_ticket())
        return
    if screen is Screen.RATING:
        window.go(RatingTarget())
        tap(page_of(window, RatingScreen).levels[Satisfaction.DISSATISFIED])  # the reasons
        return
    if screen is Screen.STATUS:
        window.go(StatusRoute())
        page = page_of(window, StatusScreen)
        type_into(window, page.code_edit, "K7QXM3P9RT")
        tap(page.query_button)
        settle_work(window)
        return
    if screen in (Screen.CONSULT, Screen.VERDICT, Screen.APPLY, Screen.REVIEW, Screen.PREVIEW):
        window.go(ItemRoute("T-REG"))
        tap(page_of(window, ItemScreen).start)
        if screen is Screen.CONSULT:
            return
        answer(window, True)
        answer(window, True)
        if screen is Screen.APPLY:
            window.go(ApplyPage(0))
        elif screen is Screen.REVIEW:
            window.go(ReviewRoute())
        elif screen is Screen.PREVIEW:
            window.go(PreviewRoute())
            settle_work(window)
        return
    routes: dict[Screen, Route] = {
        Screen.HOME: HomeRoute(),
        Screen.CATALOG: CatalogRoute(Intent.GUIDE),
        Screen.ITEM: ItemRoute("T-REG"),
        Screen.BUNDLES: BundlesRoute(),
        Screen.BUNDLE: BundleRoute("BD-TEST"),
        Screen.EVENTS: EventsRoute(),
        Screen.EVENT: EventRoute("LE-SHOP"),
        Screen.TICKET: TicketRoute(),
    }
    assert session.language == "zh"
    window.go(routes[screen])


def shown_texts(window) -> list[str]:
    found = texts(window, visible_only=True)
    found += [
        w.placeholderText()
        for w in window.findChildren(QLineEdit)
        if w.isVisible() and w.placeholderText()
    ]
    # The hall's own name (one language, from the settings) and the switch back to Chinese.
    fixed = {window.header.hall.text(), window.header.language.text()}
    return [t for t in found if t not in fixed]


@pytest.mark.parametrize("screen", list(Screen), ids=lambda s: s.value)
def test_every_screen_switches_language_completely(make_window, screen):
    window = make_window()
    reach(window, screen)
    assert window.current is screen
    assert any(CJK.search(t) for t in shown_texts(window))
    tap(window.header.language)
    assert window.session.language == "en"
    assert window.header.language.text() == "中文"  # the way back, in its own language
    chinese = [t for t in shown_texts(window) if CJK.search(t)]
    assert not chinese, f"{screen.value} still shows Chinese after switching to English"
    punctuated = [t for t in shown_texts(window) if CJK_PUNCTUATION.search(t)]
    assert not punctuated, f"{screen.value}: Chinese punctuation in English text"
    eaten = [
        QPushButton.text(b)
        for b in window.findChildren(QPushButton)
        if b.isVisible() and QKeySequence.mnemonic(QPushButton.text(b)).count()
    ]
    assert not eaten, f"{screen.value}: an '&' taken for a keyboard accelerator: {eaten}"
    tap(window.header.language)
    assert window.session.language == "zh"
    assert window.page().title.text() and CJK.search(window.page().title.text())


def test_english_keeps_the_ampersand_and_names_the_hall_in_english(make_window):
    """ "Investment & Construction" shows its "&" (a QPushButton would underline the C and
    drop the "&"), and the header names the hall with the catalog's English name."""
    window = make_window()
    tap(window.header.language)
    window.go(CatalogRoute(Intent.GUIDE))
    shown = [b for b in window.findChildren(QPushButton) if b.isVisible()]
    tab = next(b for b in shown if b.text() == "Investment & Construction")
    assert not QKeySequence.mnemonic(QPushButton.text(tab)).count()
    assert window.header.hall.text() == "Test Town Approval Bureau"
    tap(window.header.language)
    assert window.header.hall.text() == "测试镇行政审批局"


def test_screens_entered_after_the_switch_are_in_english_too(make_window):
    window = make_window()
    tap(window.header.language)
    window.go(BundleRoute("BD-TEST"))
    assert window.page().title.text() == "Opening a small shop"
    assert not [t for t in shown_texts(window) if CJK.search(t)]


def test_the_countdown_speaks_the_visitors_language(make_window):
    window = make_window()
    tap(window.header.language)
    window.go(BundlesRoute())
    window.countdown.start(15, window.session.language)
    assert window.countdown.title.text() == "Are you still there?"
    visible = [t for t in texts(window.countdown, visible_only=True) if CJK.search(t)]
    assert not visible
    window.countdown.stop()


def test_no_widget_is_left_without_text_in_english(make_window):
    """A guard for the switch itself: labels that had text keep text."""
    window = make_window()
    window.go(ItemRoute("T-REG"))
    before = {id(w) for w in window.page().findChildren(QWidget) if texts(w)}
    tap(window.header.language)
    after = {id(w) for w in window.page().findChildren(QWidget) if texts(w)}
    assert before <= after
