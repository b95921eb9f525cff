"""Typing at the glass: the window's own keyboard and pad, as a visitor uses them.

Everything here goes through taps on keys (kiosk.ui.demo.person): the search
box takes letters as letters, unfinished Pinyin never turns into a candidate
behind the visitor's back, the keyboard speaks only Chinese and English and
follows the window's language, and it goes away when the screen changes or the
idle warning comes.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QClipboard, QContextMenuEvent, QGuiApplication
from PySide6.QtQuick import QQuickItem
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from kiosk.ui.demo import page_of
from kiosk.ui.demo.person import Person
from kiosk.ui.input.keyboard import OnScreenKeyboard
from kiosk.ui.navigation import ApplyPage, CatalogRoute, Intent, ReviewRoute, Screen
from kiosk.ui.screens.apply import ApplyScreen
from kiosk.ui.screens.catalog import CatalogScreen
from kiosk.ui.widgets.fields import AddressField

from .visitor import field, tap


def on_screen(widget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def open_form(window, code: str = "T-SEAL") -> ApplyScreen:
    window.session.start_item(window.session.catalog.items[code])
    window.go(ApplyPage(0))
    return page_of(window, ApplyScreen)


def open_search(window) -> tuple[Person, CatalogScreen, OnScreenKeyboard]:
    """The catalog's search box tapped: the keyboard is up under it."""
    window.go(CatalogRoute(Intent.APPLY))
    page = page_of(window, CatalogScreen)
    person = Person(window)
    person.tap(page.search)
    keyboard = window.dock.keyboard_ready
    assert keyboard is not None and keyboard.isVisible()
    return person, page, keyboard


def test_the_search_box_takes_letters_and_shows_results_on_every_key(make_window):
    window = make_window()
    person, page, keyboard = open_search(window)
    seen = []
    for letter in "gtg":
        person.key(letter)
        assert keyboard.preedit == "", "letters go in at once: nothing is composed"
        seen.append([row.property("code") for row in page.rows])
    assert page.search.text() == "gtg"
    assert seen[-1][0] == "T-REG", "个体工商户, by its initials"
    assert seen[0] != seen[-1], "the list changed as the letters came"
    assert page.list.isVisible()
    assert not on_screen(page.list).intersects(on_screen(window.dock)), "results above the keys"


def test_unfinished_pinyin_is_kept_as_the_letters_typed(make_window):
    window = make_window()
    open_form(window)
    person = Person(window)
    name = field(window, "T-SEAL.applicant_name").edit
    person.tap(name)
    for letter in "xse":
        person.key(letter)
    assert window.dock.keyboard_ready.preedit, "the letters are being composed"
    person.tap(field(window, "T-SEAL.applicant_mobile").edit)
    assert name.text() == "xse", "never 血色, the first candidate"
    assert window.session.filling.get("T-SEAL.applicant_name").value == "xse"


def test_a_candidate_chosen_is_what_the_field_gets(make_window):
    window = make_window()
    open_form(window)
    person = Person(window)
    person.fill(field(window, "T-SEAL.applicant_name").edit, "张三")
    assert field(window, "T-SEAL.applicant_name").edit.text() == "张三"


def test_the_keyboard_speaks_chinese_and_english_only_and_follows_the_window(make_window):
    window = make_window()
    open_form(window)
    person = Person(window)
    person.tap(field(window, "T-SEAL.applicant_name").edit)
    keyboard = window.dock.keyboard_ready
    assert sorted(keyboard.languages) == ["en_US", "zh_CN"]
    assert keyboard.language == "zh_CN"
    person.key("language")  # the globe: the other of the two, and back
    person.wait_for(lambda: keyboard.language == "en_US")
    person.key("language")
    person.wait_for(lambda: keyboard.language == "zh_CN")
    person.tap(window.dock.hide_button)
    tap(window.header.language)  # the window in English: so is the keyboard
    person.tap(field(window, "T-SEAL.applicant_name").edit)
    person.wait_for(lambda: keyboard.language == "en_US")
    person.type("John")
    assert field(window, "T-SEAL.applicant_name").edit.text() == "John", "no Pinyin in English"
    assert window.dock.caption.text() == "Typing: Applicant's name"


def test_the_keys_go_away_with_the_screen_and_before_the_idle_warning(make_window):
    window = make_window()
    open_form(window)
    person = Person(window)
    person.tap(field(window, "T-SEAL.applicant_name").edit)
    assert window.dock.isVisible()
    window.idle.set_timeout(1)
    person.wait_for(lambda: window.countdown.isVisible(), "the idle warning")
    assert not window.dock.isVisible(), "the warning never sits under the keyboard"
    person.tap(window.countdown.resume)
    person.tap(field(window, "T-SEAL.applicant_mobile").edit)
    assert window.dock.pad.isVisible()
    window.go(ReviewRoute())
    assert not window.dock.isVisible(), "a new screen starts without keys"


def test_a_field_that_takes_no_typing_closes_the_keys(make_window):
    window = make_window()
    open_form(window, "T-REG")
    person = Person(window)
    person.tap(field(window, "T-REG.shop_name").edit)
    assert window.dock.isVisible()
    person.tap(window.dock.hide_button)
    assert not window.dock.isVisible()
    assert window.session.filling.get("T-REG.shop_name") is None


def test_no_menus_and_nothing_left_on_the_clipboard(make_window):
    window = make_window()
    open_form(window)
    edit = field(window, "T-SEAL.applicant_name").edit
    Person(window).tap(edit)
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, QPoint(5, 5), edit.mapToGlobal(QPoint(5, 5))
    )
    QApplication.sendEvent(edit, event)
    assert QApplication.activePopupWidget() is None, "no Undo / Paste menu"
    clipboard = QGuiApplication.clipboard()
    clipboard.setText("张小敏 11010519491231002X", QClipboard.Mode.Clipboard)
    window.reset_visit()
    assert clipboard.text(QClipboard.Mode.Clipboard) == "", "the next visitor pastes nothing"


def test_leaving_a_filled_form_asks_first(make_window):
    window = make_window()
    open_form(window)
    person = Person(window)
    person.fill(field(window, "T-SEAL.applicant_name").edit, "王小明")
    person.tap(window.dock.hide_button)
    page = window.page()
    person.tap(page.home_button)
    assert window.confirm.isVisible() and window.current is Screen.APPLY
    assert window.confirm.stay.text() == "继续填写" and window.confirm.leave.text() == "放弃填写"
    person.tap(window.confirm.stay)
    assert window.current is Screen.APPLY
    assert field(window, "T-SEAL.applicant_name").edit.text() == "王小明", "nothing was lost"
    person.tap(page.back_button)
    assert window.confirm.isVisible(), "返回 out of the form asks too"
    person.tap(window.confirm.leave)
    assert window.current is not Screen.APPLY
    assert not window.session.has_typed_values()


def test_home_and_back_are_well_apart(make_window):
    window = make_window()
    open_form(window)
    page = window.page()
    gap = page.home_button.geometry().left() - page.back_button.geometry().right()
    assert gap >= 40


@pytest.mark.parametrize("theme", ["standard", "elder"])
def test_the_keys_never_cover_the_field_being_filled(make_window, catalog, theme):
    """The form's last text line (the street of the address) opened first: the keyboard's
    candidate row grows the dock after it opens, and the field with its message line still
    sits above the keys; so does every field 下一项 reaches after it."""
    window = make_window(catalog, theme=theme)
    person = Person(window)
    page = open_form(window, "MS-RS-005")
    street = next(w.detail for w in page.fields.values() if isinstance(w, AddressField))
    person.tap(street)
    person.wait_for(lambda: window.dock.keyboard_ready is not None, "the keyboard")
    keyboard = window.dock.keyboard_ready
    person.wait_for(lambda: keyboard.isVisible() and keyboard.height() > 0, "the keys")

    def in_sight(edit) -> bool:
        shown = on_screen(edit)
        holder = edit.parentWidget()
        message = getattr(holder, "message", None) if holder is not None else None
        if message is not None and message.isVisible():
            shown = shown.united(on_screen(message))
        header = on_screen(window.header)
        return shown.top() >= header.bottom() and shown.bottom() <= on_screen(window.dock).top()

    person.wait_for(lambda: in_sight(street), "the street line to come above the keys")
    QTest.qWait(300)  # whatever grows late (the candidate row) has grown by now
    assert in_sight(street), (on_screen(street), on_screen(window.dock))


def _disabled_keys(keyboard: OnScreenKeyboard) -> list[str]:
    found: list[str] = []

    def walk(item: QQuickItem) -> None:
        for child in item.childItems():
            if child.property("key") is not None and not child.isEnabled():
                found.append(str(child.property("displayText")))
            walk(child)

    root = keyboard.rootObject()
    assert root is not None
    walk(root)
    return found


def test_a_key_qt_disables_is_not_drawn(make_window):
    """Pinyin's syllable mark (') is disabled until Pinyin is typed: the kiosk draws no key
    there — a blank key that does nothing when tapped puzzles a visitor — only the board."""
    window = make_window()
    _person, _page, keyboard = open_search(window)
    mark = next(k for k in keyboard.visible_keys() if k.label == "'")
    assert "'" in _disabled_keys(keyboard), "Qt disables it before any Pinyin is typed"
    board = keyboard.grabFramebuffer()
    spot = keyboard.mapFromGlobal(mark.rect.topLeft())
    gap = board.pixelColor(spot.x() + 1, spot.y() + mark.rect.height() // 2)  # between keys
    middle = board.pixelColor(spot + QPoint(mark.rect.width() // 2, mark.rect.height() // 2))
    assert middle == gap, f"a key face is drawn: {middle.name()} on {gap.name()}"


def _letter(keyboard: OnScreenKeyboard, shown: str) -> tuple[int, float]:
    """A letter key's text size (px) and its key face's height."""
    root = keyboard.rootObject()
    assert root is not None
    for item in root.findChildren(QQuickItem, "keyLetter"):
        if item.property("text") == shown and item.isVisible():
            face = item.parentItem()
            assert face is not None
            return item.property("font").pixelSize(), face.height()
    raise AssertionError(f"no letter key {shown!r} on the keyboard")


@pytest.mark.parametrize(("theme", "size"), [("elder", (1366, 768)), ("standard", (1920, 1080))])
def test_the_keyboards_letters_are_large_on_a_short_keyboard_too(make_window, theme, size):
    """Where the keyboard must be short (1366×768, 大字: half the window's height), Qt's
    default drew its letters at 19 px, under a third of the key; the kiosk's are the theme's
    keyboard text size, as far as 70 % of the key's height allows."""
    window = make_window(theme=theme)
    window.show_at(QSize(*size))
    _person, _page, keyboard = open_search(window)
    pixels, height = _letter(keyboard, "q")
    text_size = keyboard.rootObject().property("candidatePixelSize")  # the theme's
    assert pixels >= min(text_size, 0.7 * height) - 1, f"{pixels} px on a {height:.0f} px key"
    assert pixels >= 24
