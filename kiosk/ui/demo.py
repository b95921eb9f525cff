"""`kiosk demo`: a scripted visit through the real window, offscreen, with a screenshot per screen.

The script taps the same buttons a visitor would: a pinyin search, an item's
consultation down an eligible path with "print this list", its form (one wrong
ID number first, to show the inline message), the review, the preview and
submit, the done screen and a rating (the reasons a low one needs); then a
bundle (à la carte picker, shared fields once, each member's own page, review,
preview, submit); 取号 with an ID number, and again (the 补打 offer); 办件查询
of the code just made; the life events and the idle countdown.  Every screen is
saved as a 1920×1080 PNG, once per theme; the window's services print into the
demo's folder.  Works with any catalog: parts it has no data for are skipped.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from pypinyin import Style, lazy_pinyin
from PySide6.QtCore import QEvent, QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QPushButton

from kiosk.catalog.model import Bundle, Item
from kiosk.consult import answer_paths
from kiosk.ui.navigation import Screen
from kiosk.ui.screens.apply import ApplyScreen
from kiosk.ui.screens.base import ScreenPage
from kiosk.ui.screens.bundle import BundleScreen
from kiosk.ui.screens.catalog import CatalogScreen
from kiosk.ui.screens.consult import ConsultScreen
from kiosk.ui.screens.done import DoneScreen
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.item import ItemScreen
from kiosk.ui.screens.preview import PreviewScreen
from kiosk.ui.screens.rating import RatingScreen
from kiosk.ui.screens.review import ReviewScreen
from kiosk.ui.screens.status import StatusScreen
from kiosk.ui.screens.ticket import TicketScreen
from kiosk.ui.screens.verdict import VerdictScreen
from kiosk.ui.staff.demo import staff_tour
from kiosk.ui.widgets.fields import FieldWidget, KeypadField
from kiosk.ui.window import MainWindow

log = logging.getLogger(__name__)

DEMO_THEMES = ("standard", "elder")
WRONG_ID = "110105194912310021"  # right length, wrong check digit
TICKET_ID = "11010519491231002X"  # the catalog's example holder, valid


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
        # The demo drives the window without an event loop running, and processEvents()
        # leaves deleteLater()'s deletions for a loop that never comes: do them here.
        app.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def tap(widget: QPushButton) -> None:
    widget.click()
    settle()


def settle_for(ms: int) -> None:
    """Run an event loop for a while (work Qt does on threads of its own), then settle."""
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()
    settle()


def finish_work(window: MainWindow, timeout_s: float = 60.0) -> None:
    """Wait until the window's background work (submit, print, query) has answered."""
    deadline = time.monotonic() + timeout_s
    while window.background.pending() and time.monotonic() < deadline:
        window.background.wait(100)
        settle()
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
    filling = page.ctx.session.filling
    for key, widget in page.fields.items():
        if not widget.isVisible() or (skip and key in skip):
            continue
        prefill = filling.prefill(key) if filling is not None else None
        if widget.slot.field.example is None or (prefill is not None and prefill.read_only):
            continue  # filled from an answer or the ID number: nothing to type
        example = widget.slot.field.example_value()  # "today+30d" is typed as that date
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

    return next(
        (
            w
            for w in page.fields.values()
            if w.slot.field.type is FieldType.ID_NUMBER and w.isVisible()  # asked on this path
        ),
        None,
    )


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

    def let_pages_paint(self) -> None:
        """QtPdf paints a page once it has rendered it: give the screenshot a moment."""
        settle_for(300)

    def run(self) -> list[Path]:
        window = self.window
        window.reset_visit()
        self.shot("home")
        item = self._pick_item()
        code = self.single_item(item) if item is not None else None
        bundle = self._pick_bundle()
        if bundle is not None:
            window.reset_visit()
            code = self.bundle(bundle) or code
        else:
            log.info("the catalog has no bundles: the bundle part of the demo is skipped")
        window.reset_visit()
        self.take_ticket()
        window.reset_visit()
        self.status(code)
        window.reset_visit()
        if window.session.catalog.life_events:
            tap(page_of(window, HomeScreen).tiles["tile_event"])
            self.shot("life-events")
            event = next(iter(window.session.catalog.life_events))
            window.go(Screen.EVENT, event)
            self.shot("life-event")
        window.countdown.start(window.settings.countdown_seconds, window.session.language)
        self.shot("idle-countdown")
        window.reset_visit()
        window.toggle_language()
        self.shot("home-english")
        window.reset_visit()
        staff_tour(self, code)  # a guide's session: PIN pad, each staff panel page (kiosk.ui.staff)
        return self.saved

    def _pick_item(self) -> Item | None:
        items = self.window.session.catalog.items
        return items.get("MS-YB-001") or next(iter(items.values()), None)

    def _pick_bundle(self) -> Bundle | None:
        bundles = self.window.session.catalog.bundles
        return bundles.get("BD-START-FOOD") or next(iter(bundles.values()), None)

    def single_item(self, item: Item) -> str | None:
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
        verdict = page_of(window, VerdictScreen)
        if verdict.print_button.isVisible():
            tap(verdict.print_button)  # 一次性告知: the materials list, printed
            finish_work(window)
        self.shot("verdict-materials")
        window.toast.dismiss()
        if window.current is Screen.VERDICT and verdict.apply_button.isVisible():
            tap(verdict.apply_button)
            return self.forms(prefix="apply", show_error=True, rate=True)
        return None

    def forms(self, prefix: str, show_error: bool = False, rate: bool = False) -> str | None:
        """Fill every page, review, preview and submit; the submission's code, if it got one."""
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
                return None
        self.shot(f"{prefix}-review")
        window.toggle_language()
        self.shot(f"{prefix}-review-english")
        window.toggle_language()
        tap(page_of(window, ReviewScreen).submit_button)
        if window.current is Screen.PREVIEW:
            finish_work(window)
            self.let_pages_paint()
            self.shot(f"{prefix}-preview")
            tap(page_of(window, PreviewScreen).submit_button)
        finish_work(window)
        if window.current is not Screen.DONE:
            self.shot(f"{prefix}-submit")
            return None
        done = page_of(window, DoneScreen)
        self.shot(f"{prefix}-done")
        code = done.done.code if done.done is not None else None
        if rate and done.rate_button.isVisible():
            self.rate(done)
        return code

    def rate(self, done: DoneScreen) -> None:
        """好差评 of what was just submitted: a low level needs a reason first."""
        window = self.window
        tap(done.rate_button)
        rating = page_of(window, RatingScreen)
        levels = list(rating.levels.values())
        tap(levels[3])  # 不满意: the reasons appear, and sending waits for one
        self.shot("rating-reasons")
        tap(rating.reasons[0])
        tap(levels[1])  # on second thought: 满意
        tap(rating.send_button)
        finish_work(window)
        self.shot("rating-thanks")

    def take_ticket(self) -> None:
        """取号 with an ID number; then again with the same one: the 补打 offer."""
        window = self.window
        tap(page_of(window, HomeScreen).tiles["tile_ticket"])
        if window.current is not Screen.TICKET:
            self.shot("ticket-soon")
            return
        page = page_of(window, TicketScreen)
        for _ in range(2):
            first = next(iter(page.queue_rows.values()), None)
            if first is None:
                return
            tap(first)
            page.id_edit.setText("")
            page.keypad.press(TICKET_ID)
            self.shot("ticket")
            tap(page.take_button)
            finish_work(window)
            self.shot("ticket-done")
            done = page_of(window, DoneScreen)
            if done.offer.isVisible():
                tap(done.reprint_button)
                finish_work(window)
                self.shot("ticket-reprinted")
                return
            window.toast.dismiss()
            window.back()

    def status(self, code: str | None) -> None:
        """办件查询 of the code just made, typed on the code keyboard."""
        window = self.window
        tap(page_of(window, HomeScreen).tiles["tile_status"])
        if window.current is not Screen.STATUS:
            return
        page = page_of(window, StatusScreen)
        if code is not None:
            page.codepad.press(code)
            tap(page.query_button)
            finish_work(window)
        self.shot("status")

    def bundle(self, bundle: Bundle) -> str | None:
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
            return self.forms(prefix="bundle")
        return None


def run_demo(window: MainWindow, out: Path, themes: tuple[str, ...] = DEMO_THEMES) -> list[Path]:
    saved: list[Path] = []
    window.show_at()
    for name in themes:
        window.apply_theme(name)
        saved += DemoVisit(window, out).run()
    return saved
