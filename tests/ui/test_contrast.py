"""Contrast as painted: placeholders, the keyboard's labels and the pad's keys read at 4.5:1.

tests/ui/test_theme.py checks the theme's colour tokens; this checks what reaches the
glass, which tokens cannot tell (Qt's style sheets draw a placeholder in the text colour
at half strength whatever the palette says; the keyboard's QML has colours of its own).
The real window, in every theme, with a field focused and the dock open — the Pinyin
keyboard (its symbols page, its candidate row), the English one, the letters-only one of
the search box, the pad of a form and the code pad of 办件查询 — is grabbed as a
screenshot, and each text is measured in its own rectangle:

- background: the commonest colour there (the key's face, the field's fill);
- ink: the colour there with the highest contrast against it (at these sizes the cores
  of the glyphs are fully inked, so that is the text's colour as drawn).

A key the keyboard shows disabled (Pinyin's ' before anything is composed) draws no
label and is left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QImage
from PySide6.QtQuick import QQuickItem
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget

from kiosk.ui.demo import page_of
from kiosk.ui.demo.person import Person
from kiosk.ui.input.keyboard import OnScreenKeyboard
from kiosk.ui.input.pad import Pad
from kiosk.ui.navigation import ApplyPage, CatalogRoute, Intent, StatusRoute
from kiosk.ui.screens.apply import ApplyScreen
from kiosk.ui.screens.catalog import CatalogScreen
from kiosk.ui.theme import THEME_NAMES, THEMES, contrast_ratio
from kiosk.ui.widgets.fields import AddressField, PadField
from kiosk.ui.window import MainWindow

MIN_CONTRAST = 4.5
ITEM = "MS-RS-005"  # 失业登记: a name, an ID number and a phone on the pad, an address


@dataclass(frozen=True)
class Reading:
    what: str
    ink: str
    background: str

    @property
    def ratio(self) -> float:
        return contrast_ratio(self.ink, self.background)

    def __str__(self) -> str:
        return f"{self.what}: {self.ink} on {self.background} = {self.ratio:.2f}:1"


# ── the screenshot ──
class Shot:
    """A grab of the window, read in window coordinates."""

    def __init__(self, window: QWidget):
        picture = window.grab()
        self.scale = picture.devicePixelRatio()
        self.image = picture.toImage().convertToFormat(QImage.Format.Format_RGB32)

    def measure(self, what: str, rect: QRect) -> Reading:
        """Background and ink of ``rect`` (window coordinates)."""
        pixels = (round(v * self.scale) for v in rect.getRect())
        area = QRect(*pixels).intersected(self.image.rect())
        assert not area.isEmpty(), f"{what}: nothing of it on screen"
        bits = self.image.constBits()
        line = self.image.bytesPerLine()
        counts: Counter[int] = Counter()
        for y in range(area.top(), area.bottom() + 1):
            start = y * line + area.left() * 4
            counts.update(bits[start : start + area.width() * 4].cast("I"))
        background = _hex(counts.most_common(1)[0][0])
        ink = max((_hex(c) for c in counts), key=lambda c: contrast_ratio(c, background))
        return Reading(what, ink, background)


def _hex(pixel: int) -> str:
    return f"#{pixel & 0xFFFFFF:06X}"


def stable_shot(window: MainWindow, qtbot) -> Shot:
    """A grab once two in a row are alike: the keyboard's scene has painted what it shows."""
    shots = [Shot(window)]

    def alike() -> bool:
        shots.append(Shot(window))
        return shots[-1].image == shots[-2].image

    qtbot.waitUntil(alike, timeout=30_000)
    return shots[-1]


def shown_rect(widget: QWidget, window: QWidget) -> QRect:
    """The part of ``widget`` on screen, in window coordinates (scroll areas clip it)."""
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        rect = rect.intersected(QRect(parent.mapTo(window, QPoint(0, 0)), parent.size()))
        parent = parent.parentWidget()
    return rect


# ── what is measured ──
def placeholders(window: MainWindow, shot: Shot) -> Iterator[Reading]:
    """Each empty field showing placeholder text: the line of text right of the caret."""
    for edit in window.findChildren(QLineEdit):
        if not edit.isVisible() or edit.text() or not edit.placeholderText():
            continue
        caret = edit.cursorRect()  # the caret and a few pixels either side: left out
        advance = edit.fontMetrics().horizontalAdvance(edit.placeholderText())
        right = min(caret.left() + advance, edit.width() - caret.left())
        line = QRect(QPoint(caret.right() + 1, caret.top()), QPoint(right, caret.bottom()))
        shown = shown_rect(edit, window)
        text = line.translated(edit.mapTo(window, QPoint(0, 0))).intersected(shown)
        if text.height() >= caret.height() // 2:
            yield shot.measure(f"placeholder {edit.placeholderText()!r}", text)


def _inactive_keys(keyboard: OnScreenKeyboard) -> set[tuple[int, int]]:
    """Screen positions of the keys the keyboard shows disabled (they draw no label)."""
    found: set[tuple[int, int]] = set()

    def walk(item: QQuickItem) -> None:
        for child in item.childItems():
            if child.property("key") is not None and not child.isEnabled():
                corner = child.mapToScene(child.boundingRect().topLeft()).toPoint()
                spot = keyboard.mapToGlobal(corner)
                found.add((spot.x(), spot.y()))
            walk(child)

    root = keyboard.rootObject()
    assert root is not None
    walk(root)
    return found


def keyboard_keys(window: MainWindow, shot: Shot, what: str) -> list[Reading]:
    """Every key and word candidate the on-screen keyboard shows."""
    keyboard = window.dock.keyboard_ready
    assert keyboard is not None and keyboard.isVisible()
    inactive = _inactive_keys(keyboard)
    board = shown_rect(keyboard, window)
    readings = []
    for key in keyboard.visible_keys():
        if (key.rect.x(), key.rect.y()) in inactive:
            continue
        rect = QRect(window.mapFromGlobal(key.rect.topLeft()), key.rect.size())
        readings.append(shot.measure(f"{what} key {key.label!r}", rect.intersected(board)))
    return readings


def pad_keys(window: MainWindow, shot: Shot, what: str) -> list[Reading]:
    """Every key of every pad on screen (digits, letters, ⌫, 清空, 下一项 / 查询)."""
    readings = []
    for pad in window.findChildren(Pad):
        if not pad.isVisible():
            continue
        for key in pad.findChildren(QPushButton):
            if key.isVisible() and key.text():
                rect = shown_rect(key, window)
                readings.append(shot.measure(f"{what} pad key {key.text()!r}", rect))
    return readings


# ── the scenes ──
def open_form(window: MainWindow) -> ApplyScreen:
    window.session.start_item(window.session.catalog.items[ITEM])
    window.go(ApplyPage(0))
    return page_of(window, ApplyScreen)


def address_detail(page: ApplyScreen) -> QLineEdit:
    return next(w.detail for w in page.fields.values() if isinstance(w, AddressField))


def id_number(page: ApplyScreen) -> QLineEdit:
    return next(w.edit for w in page.fields.values() if isinstance(w, PadField))


def keyboard_in(window: MainWindow, person: Person, locale: str) -> OnScreenKeyboard:
    keyboard = window.dock.keyboard_ready
    person.wait_for(
        lambda: keyboard is not None and keyboard.isVisible() and keyboard.language == locale,
        f"the {locale} keyboard",
    )
    assert keyboard is not None
    return keyboard


# The English keyboard starts a field with a capital: its shift key is on (keyboard.qml draws
# it; Qt's default style would make the arrow green, 3.3:1).
ACTIVE_SHIFT = "english key 'shift'"


def below(readings: list[Reading]) -> list[str]:
    return [str(r) for r in readings if r.ratio < MIN_CONTRAST]


def lowest(readings: list[Reading]) -> str:
    return str(min(readings, key=lambda r: r.ratio))


@pytest.mark.parametrize("theme", THEME_NAMES)
def test_placeholders_read_at_4_5_to_1(make_window, catalog, qtbot, theme):
    """The address's street line (focused, the keyboard up), in Chinese and English; the
    search box; the code box of 办件查询."""
    window = make_window(catalog, theme=theme)
    person = Person(window)
    page = open_form(window)
    readings: list[Reading] = []
    for language, locale in (("zh", "zh_CN"), ("en", "en_US")):
        if window.session.language != language:
            person.tap(window.dock.hide_button)
            person.tap(window.header.language)
        person.tap(address_detail(page))
        keyboard_in(window, person, locale)
        found = list(placeholders(window, stable_shot(window, qtbot)))
        assert found, f"no placeholder on the {language} form"
        readings += found
    window.go(CatalogRoute(Intent.APPLY))
    person.tap(page_of(window, CatalogScreen).search)
    readings += placeholders(window, stable_shot(window, qtbot))
    window.go(StatusRoute())
    person.wait_for(lambda: window.dock.pad.isVisible(), "the code pad")
    readings += placeholders(window, stable_shot(window, qtbot))
    assert len(readings) >= 4
    print(f"\n{theme}: {len(readings)} placeholders, lowest {lowest(readings)}")
    assert not below(readings)


@pytest.mark.parametrize("theme", THEME_NAMES)
def test_keyboard_and_pad_labels_read_at_4_5_to_1(make_window, catalog, qtbot, theme):
    """Pinyin (its space bar naming the language, its symbols page, its candidates), the
    form's pad in Chinese; the English keyboard and pad; the search box's letters; the code
    pad of 办件查询."""
    window = make_window(catalog, theme=theme)
    person = Person(window)
    page = open_form(window)
    readings: list[Reading] = []
    person.tap(address_detail(page))
    keyboard = keyboard_in(window, person, "zh_CN")
    readings += keyboard_keys(window, stable_shot(window, qtbot), "pinyin")
    person.key("symbols")
    person.wait_for(lambda: "@" in person.keyboard_faces(), "the symbols page")
    readings += keyboard_keys(window, stable_shot(window, qtbot), "symbols")
    person.key("symbols")
    for letter in "zhang":
        person.key(letter)
    person.wait_for(lambda: "张" in person.keyboard_faces(), "the candidates for zhang")
    candidates = keyboard_keys(window, stable_shot(window, qtbot), "candidates")
    assert any("'张'" in r.what for r in candidates)
    readings += candidates
    while keyboard.preedit:
        person.key("backspace")
    person.tap(id_number(page))
    person.wait_for(lambda: window.dock.pad.isVisible(), "the pad")
    readings += pad_keys(window, stable_shot(window, qtbot), "form")
    person.tap(window.dock.hide_button)
    person.tap(window.header.language)
    person.tap(address_detail(page))
    keyboard_in(window, person, "en_US")
    readings += keyboard_keys(window, stable_shot(window, qtbot), "english")
    person.tap(id_number(page))
    person.wait_for(lambda: window.dock.pad.isVisible(), "the pad")
    readings += pad_keys(window, stable_shot(window, qtbot), "english form")
    window.go(CatalogRoute(Intent.APPLY))
    person.tap(page_of(window, CatalogScreen).search)
    keyboard_in(window, person, "en_US")
    readings += keyboard_keys(window, stable_shot(window, qtbot), "search")
    window.go(StatusRoute())
    person.wait_for(lambda: window.dock.pad.isVisible(), "the code pad")
    readings += pad_keys(window, stable_shot(window, qtbot), "status")
    labels = {r.what for r in readings}
    for seen in ("pinyin key 'space'", "english key 'space'", "candidates key '张'"):
        assert seen in labels
    assert sum("pad key" in w for w in labels) >= 20
    print(f"\n{theme}: {len(readings)} labels, lowest {lowest(readings)}")
    assert not below(readings)


def test_the_active_shift_key_reads_at_4_5_to_1(make_window, catalog, qtbot):
    """The English keyboard starts a field with a capital: its shift key shows that."""
    window = make_window(catalog)
    person = Person(window)
    person.tap(window.header.language)
    person.tap(address_detail(open_form(window)))
    keyboard_in(window, person, "en_US")
    readings = keyboard_keys(window, stable_shot(window, qtbot), "english")
    shift = next(r for r in readings if r.what == ACTIVE_SHIFT)
    assert shift.ratio >= MIN_CONTRAST, str(shift)


def test_the_measure_fails_a_faint_placeholder(make_window, qtbot):
    """A field whose placeholder is painted light measures below 4.5:1 (and one painted in
    the theme's muted colour above it): the measure reads the ink as drawn."""
    window = make_window()
    palette = THEMES["standard"].palette
    page = window.page()
    for row, (name, colour) in enumerate((("faint", "#9AA3AE"), ("muted", palette.muted))):
        edit = QLineEdit(page)
        edit.setStyleSheet(f"QLineEdit {{ placeholder-text-color: {colour}; }}")
        edit.setPlaceholderText(f"{name} 详细地址")
        edit.setGeometry(40, 200 + 120 * row, 600, 90)
        edit.show()
    shot = stable_shot(window, qtbot)
    read = {r.what: r for r in placeholders(window, shot)}
    faint, muted = read["placeholder 'faint 详细地址'"], read["placeholder 'muted 详细地址'"]
    assert (faint.ink, muted.ink) == ("#9AA3AE", palette.muted), "the ink as drawn"
    assert faint.background == muted.background == palette.surface
    assert faint.ratio == pytest.approx(contrast_ratio("#9AA3AE", palette.surface))
    assert faint.ratio < MIN_CONTRAST <= muted.ratio
