"""The zh/en switch: every screen speaks the visitor's language, all of it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit, QWidget

from kiosk.ui.demo import page_of
from kiosk.ui.navigation import ApplyPage, Screen
from kiosk.ui.screens.item import ItemScreen

from .visitor import CJK, answer, tap, texts


def reach(window, screen: Screen) -> None:
    """Get to a screen the way a visitor would, with something on it to translate."""
    session = window.session
    if screen in (Screen.CONSULT, Screen.VERDICT, Screen.APPLY, Screen.REVIEW):
        window.go(Screen.ITEM, "T-REG")
        tap(page_of(window, ItemScreen).start)
        if screen is Screen.CONSULT:
            return
        answer(window, True)
        answer(window, True)
        if screen is Screen.APPLY:
            window.go(Screen.APPLY, ApplyPage(0))
        elif screen is Screen.REVIEW:
            window.go(Screen.REVIEW)
        return
    arg = {
        Screen.CATALOG: "guide",
        Screen.ITEM: "T-REG",
        Screen.BUNDLE: "BD-TEST",
        Screen.EVENT: "LE-SHOP",
        Screen.SOON: "ticket",
    }.get(screen)
    assert session.language == "zh"
    window.go(screen, arg)


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
    tap(window.header.language)
    assert window.session.language == "zh"
    assert window.page().title.text() and CJK.search(window.page().title.text())


def test_screens_entered_after_the_switch_are_in_english_too(make_window):
    window = make_window()
    tap(window.header.language)
    window.go(Screen.BUNDLE, "BD-TEST")
    assert window.page().title.text() == "Opening a small shop"
    assert not [t for t in shown_texts(window) if CJK.search(t)]


def test_the_countdown_speaks_the_visitors_language(make_window):
    window = make_window()
    tap(window.header.language)
    window.go(Screen.BUNDLES)
    window.countdown.start(15, window.session.language)
    assert window.countdown.title.text() == "Are you still there?"
    visible = [t for t in texts(window.countdown, visible_only=True) if CJK.search(t)]
    assert not visible
    window.countdown.stop()


def test_no_widget_is_left_without_text_in_english(make_window):
    """A guard for the switch itself: labels that had text keep text."""
    window = make_window()
    window.go(Screen.ITEM, "T-REG")
    before = {id(w) for w in window.page().findChildren(QWidget) if texts(w)}
    tap(window.header.language)
    after = {id(w) for w in window.page().findChildren(QWidget) if texts(w)}
    assert before <= after
