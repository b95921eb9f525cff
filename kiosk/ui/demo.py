"""`kiosk demo`: a scripted visit through the real window, offscreen, with a screenshot per screen.

The script taps the same buttons a visitor would: a pinyin search, an item's
consultation down an eligible path, its form (one wrong ID number first, to
show the inline message), the review; then a bundle (à la carte picker, shared
fields once, each member's own page, review), the life events, a "coming
soon" page and the idle countdown.  Every screen is saved as a 1920×1080 PNG,
once per theme.  Works with any catalog: parts it has no data for are skipped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pypinyin import Style, lazy_pinyin
from PySide6.QtWidgets import QApplication, QPushButton

from kiosk.catalog.model import Bundle, Item
from kiosk.consult import answer_paths
from kiosk.ui.navigation import Screen
from kiosk.ui.screens.apply import ApplyScreen
from kiosk.ui.screens.base import ScreenPage
from kiosk.ui.screens.bundle import BundleScreen
from kiosk.ui.screens.catalog import CatalogScreen
from kiosk.ui.screens.consult import ConsultScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.item import ItemScreen
from kiosk.ui.screens.review import ReviewScreen
from kiosk.ui.screens.verdict import VerdictScreen
from kiosk.ui.widgets.fields import FieldWidget, KeypadField
from kiosk.ui.window import MainWindow

log = logging.getLogger(__name__)

DEMO_THEMES = ("standard", "elder")
WRONG_ID = "110105194912310021"  # right length, wrong check digit


P = TypeVar("P", bound=ScreenPage)


def page_of(window: MainWindow, kind: type[P]) -> P:
    """The window's screen of this type (the demo's way to reach a screen's widgets)."""
    page = window.screens[kind.route]
    assert isinstance(page, kind)
    return page


def settle() -> None:
    app = QApplication.instance()
    if app is not None:
        app.processEvents()
        app.processEvents()


def tap(widget: QPushButton) -> None:
    widget.click()
    settle()


def answer_buttons(window: MainWindow) -> dict[object, QPushButton]:
    """The open question's buttons by the answer they give."""
    return {value: b for b, value in page_of(window, ConsultScreen).answer_values.items()}


def answer_eligibly(window: MainWindow, on_first: Callable[[], None] | None = None) -> None:
    """Answer the open questions so the visit can go on to the forms, where possible.

    A single item follows a known eligible path; a bundle tries each answer and
    takes one back (Back, as a visitor would) when it ends in a refusal.
    """
    consult = page_of(window, ConsultScreen)
    verdict = page_of(window, VerdictScreen)
    session = window.session
    item = session.item
    plan: list[object] | None = None
    if item is not None and session.bundle is None:
        paths = [p for p in answer_paths(item) if (v := p.verdict()) and v.eligible]
        if paths:
            best = max(paths, key=lambda p: len(p.history))
            plan = [best.answers[q] for q in best.history]
    first = True
    while window.current is Screen.CONSULT and consult.question is not None:
        if first and on_first is not None:
            on_first()
        first = False
        buttons = answer_buttons(window)
        if plan:
            tap(buttons[plan.pop(0)])
            continue
        question = consult.question
        for value in question.answers():
            tap(answer_buttons(window)[value])
            refused = verdict.notice is not None and not verdict.notice.eligible
            if window.current is Screen.VERDICT and refused:
                tap(verdict.back_button)
                continue
            break


def fill_with_examples(page: ApplyScreen, skip: set[str] | None = None) -> None:
    """Put each visible field's catalog example in, the way its widget takes input."""
    for key, widget in page.fields.items():
        if not widget.isVisible() or (skip and key in skip):
            continue
        example = widget.slot.field.example
        if isinstance(widget, KeypadField):
            widget.edit.setFocus()
            settle()
            page.keypad.set_target(widget.edit, widget.mode, widget.slot.field.label("zh"))
            widget.edit.setText("")
            page.keypad.press(str(example).replace("-", ""))
            page._keypad_done()
        else:
            widget.set_value(example)
            widget.on_edited(key)
        settle()


def first_keypad_id_field(page: ApplyScreen) -> FieldWidget | None:
    from kiosk.catalog.model import FieldType

    return next((w for w in page.fields.values() if w.slot.field.type is FieldType.ID_NUMBER), None)


class DemoVisit:
    def __init__(self, window: MainWindow, out: Path):
        self.window = window
        self.out = out
        self.saved: list[Path] = []
        self._count = 0

    def shot(self, name: str) -> None:
        settle()
        self._count += 1
        folder = self.out / self.window.theme.name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self._count:02d}-{name}.png"
        self.window.grab().save(str(path), "PNG")
        self.saved.append(path)

    def run(self) -> list[Path]:
        window = self.window
        window.reset_visit()
        self.shot("home")
        item = self._pick_item()
        if item is not None:
            self.single_item(item)
        bundle = self._pick_bundle()
        if bundle is not None:
            window.home()
            self.bundle(bundle)
        else:
            log.info("the catalog has no bundles: the bundle part of the demo is skipped")
        if window.session.catalog.life_events:
            window.home()
            tap(page_of(window, HomeScreen).tiles["tile_event"])
            self.shot("life-events")
            code = next(iter(window.session.catalog.life_events))
            window.go(Screen.EVENT, code)
            self.shot("life-event")
        window.home()
        tap(page_of(window, HomeScreen).tiles["tile_ticket"])
        self.shot("coming-soon")
        window.countdown.start(window.settings.countdown_seconds, window.session.language)
        self.shot("idle-countdown")
        window.reset_visit()
        window.toggle_language()
        self.shot("home-english")
        window.reset_visit()
        return self.saved

    def _pick_item(self) -> Item | None:
        items = self.window.session.catalog.items
        return items.get("MS-YB-001") or next(iter(items.values()), None)

    def _pick_bundle(self) -> Bundle | None:
        bundles = self.window.session.catalog.bundles
        return bundles.get("BD-START-FOOD") or next(iter(bundles.values()), None)

    def single_item(self, item: Item) -> None:
        window = self.window
        tap(page_of(window, HomeScreen).tiles["tile_apply"])
        query = "".join(lazy_pinyin(item.name.zh[:3], style=Style.FIRST_LETTER))
        catalog_page = page_of(window, CatalogScreen)
        catalog_page.search.setText(query)
        self.shot("catalog-pinyin-search")
        row = next((r for r in catalog_page.rows if r.property("code") == item.code), None)
        if row is not None:
            tap(row)
        else:
            window.go(Screen.ITEM, item.code)
        self.shot("item-detail")
        tap(page_of(window, ItemScreen).start)
        answer_eligibly(window, lambda: self.shot("consultation"))
        self.shot("verdict-materials")
        verdict = page_of(window, VerdictScreen)
        if window.current is Screen.VERDICT and verdict.apply_button.isVisible():
            tap(verdict.apply_button)
            self.forms(prefix="apply", show_error=True)

    def forms(self, prefix: str, show_error: bool = False) -> None:
        window = self.window
        pages_seen = 0
        page = page_of(window, ApplyScreen)
        while window.current is Screen.APPLY:
            id_field = first_keypad_id_field(page)
            if show_error and id_field is not None and isinstance(id_field, KeypadField):
                fill_with_examples(page, skip={id_field.slot.key})
                id_field.edit.setText(WRONG_ID)
                tap(page.next)
                self.shot(f"{prefix}-invalid-id")
                show_error = False
            fill_with_examples(page)
            if pages_seen < 2:
                self.shot(f"{prefix}-page-{pages_seen + 1}")
            pages_seen += 1
            before = (window.current, page.target)
            tap(page.next)
            if (window.current, page.target) == before:
                log.warning("the demo could not complete a form page; stopping there")
                return
        self.shot(f"{prefix}-review")
        window.toggle_language()
        self.shot(f"{prefix}-review-english")
        window.toggle_language()
        tap(page_of(window, ReviewScreen).submit_button)
        self.shot(f"{prefix}-submit")

    def bundle(self, bundle: Bundle) -> None:
        window = self.window
        tap(page_of(window, HomeScreen).tiles["tile_bundle"])
        self.shot("bundles")
        window.go(Screen.BUNDLE, bundle.code)
        picker = page_of(window, BundleScreen)
        optional = [m.item for m in bundle.members if not m.required]
        if optional:
            tap(picker.rows[optional[0]])
        self.shot("bundle-picker")
        tap(picker.next)
        answer_eligibly(window, lambda: self.shot("bundle-consultation"))
        self.shot("bundle-verdict")
        verdict = page_of(window, VerdictScreen)
        if window.current is Screen.VERDICT and verdict.apply_button.isVisible():
            tap(verdict.apply_button)
            self.forms(prefix="bundle")


def run_demo(window: MainWindow, out: Path, themes: tuple[str, ...] = DEMO_THEMES) -> list[Path]:
    saved: list[Path] = []
    window.show_at()
    for name in themes:
        window.apply_theme(name)
        saved += DemoVisit(window, out).run()
    return saved
