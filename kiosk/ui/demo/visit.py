"""The scripted visit of ``kiosk demo``, tapped and typed as a visitor would.

A pinyin search on the keyboard, an item's consultation down an eligible path
with "print this list", its form (one wrong ID number first, to show the inline
message), the review, the preview and submit, the done screen and a rating;
then a bundle (à la carte picker, shared fields once, each member's own page);
取号 with an ID number, and again (the 补打 offer); 办件查询 of the code just
made; the life events and the idle countdown.  Every step goes through
:class:`~kiosk.ui.demo.person.Person`: taps at screen positions, the window's
own keyboard and pad, the date and region pickers.  Every screen is saved as a
PNG (the keyboard included: it is part of the window), once per theme.  Works
with any catalog: parts it has no data for are skipped and said so.

When the visit cannot go on (a button that is not there, a form that will not
move on), :class:`DemoStuck` names the step: ``kiosk demo`` exits non-zero.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pypinyin import Style, lazy_pinyin
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from kiosk.catalog.model import Bundle, FieldType, Item
from kiosk.consult import answer_paths
from kiosk.ui.demo.person import Person, Stuck, settle, wait_for
from kiosk.ui.demo.staff_tour import staff_tour
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
from kiosk.ui.widgets.fields import (
    AddressField,
    ChoiceField,
    DateField,
    FieldWidget,
    LongTextField,
    PadField,
    TextField,
)
from kiosk.ui.window import KIOSK_SIZE, MainWindow

log = logging.getLogger(__name__)

DEMO_THEMES = ("standard", "elder")
WRONG_ID = "110105194912310021"  # right length, wrong check digit
TICKET_ID = "11010519491231002X"  # the catalog's example holder, valid


class DemoStuck(RuntimeError):
    """The visit could not go on; the message names the step."""


P = TypeVar("P", bound=ScreenPage)


def page_of(window: MainWindow, kind: type[P]) -> P:
    """The window's screen of this type (the demo's way to find a screen's widgets)."""
    page = window.screens[kind.route]
    assert isinstance(page, kind)
    return page


def finish_work(window: MainWindow, timeout_s: float = 60.0) -> None:
    """Wait until the window's background work (submit, print, query) has answered."""
    wait_for(lambda: window.background.pending() == 0, timeout_s, "the kiosk's background work")


def search_letters(item: Item) -> str:
    """What a visitor types to find an item: the pinyin initials of its first three 汉字."""
    return "".join(lazy_pinyin(item.name.zh[:3], style=Style.FIRST_LETTER)).lower()


class DemoVisit:
    def __init__(
        self,
        window: MainWindow,
        out: Path,
        person: Person | None = None,
        *,
        look: Callable[[str], None] | None = None,
    ):
        self.window = window
        self.out = out
        self.person = person or Person(window)
        self.look = look  # called with each screen's name as it is saved (the layout test)
        self.saved: list[Path] = []
        self._count = 0
        self.step = "start"

    # ── pictures ──
    def shot(self, name: str) -> None:
        settle()
        self._count += 1
        folder = self.out / self.window.theme.name
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self._count:02d}-{name}.png"
        self.window.grab().save(str(path), "PNG")
        self.saved.append(path)
        if self.look is not None:
            self.look(name)

    def let_pages_paint(self) -> None:
        """QtPdf paints a page once it has rendered it: give the screenshot that moment."""
        loop_until = dt.datetime.now() + dt.timedelta(milliseconds=300)
        wait_for(lambda: dt.datetime.now() >= loop_until, 5, "the preview to paint")

    # ── steps ──
    def doing(self, step: str) -> None:
        self.step = step
        log.info("demo: %s", step)

    def tap(self, widget: QWidget) -> None:
        try:
            self.person.tap(widget)
        except Stuck as stuck:
            raise DemoStuck(f"{self.step}: {stuck}") from stuck

    def run(self) -> list[Path]:
        window = self.window
        try:
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
            self.life_events()
            self.doing("the idle countdown")
            window.countdown.start(window.settings.countdown_seconds, window.session.language)
            self.shot("idle-countdown")
            window.reset_visit()
            self.doing("switching to English")
            self.tap(window.header.language)
            self.shot("home-english")
            window.reset_visit()
            staff_tour(self, code)  # a guide's session: PIN pad, each staff panel page
        except Stuck as stuck:
            raise DemoStuck(f"{self.step}: {stuck}") from stuck
        return self.saved

    def _pick_item(self) -> Item | None:
        items = self.window.session.catalog.items
        return items.get("MS-YB-001") or next(iter(items.values()), None)

    def _pick_bundle(self) -> Bundle | None:
        bundles = self.window.session.catalog.bundles
        return bundles.get("BD-START-FOOD") or next(iter(bundles.values()), None)

    def single_item(self, item: Item) -> str | None:
        window, person = self.window, self.person
        self.doing("我要办")
        self.tap(page_of(window, HomeScreen).tiles["tile_apply"])
        self.doing(f"searching for {item.code} by its pinyin initials")
        catalog_page = page_of(window, CatalogScreen)
        person.fill(catalog_page.search, search_letters(item))
        self.shot("catalog-pinyin-search")
        row = next((r for r in catalog_page.rows if r.property("code") == item.code), None)
        if row is None:
            raise DemoStuck(f"{self.step}: {item.code} is not among the results")
        self.tap(row)
        self.shot("item-detail")
        self.doing(f"consulting on {item.code}")
        self.tap(page_of(window, ItemScreen).start)
        self.answer_eligibly(lambda: self.shot("consultation"))
        verdict = page_of(window, VerdictScreen)
        if verdict.print_button.isVisible():
            self.doing("printing the materials list")
            self.tap(verdict.print_button)
            finish_work(window)
        self.shot("verdict-materials")
        window.toast.dismiss()
        if window.current is Screen.VERDICT and verdict.apply_button.isVisible():
            self.tap(verdict.apply_button)
            return self.forms(prefix="apply", show_error=True, rate=True)
        return None

    def answer_eligibly(self, on_first: Callable[[], None] | None = None) -> None:
        """Answer the open questions so the visit can go on to the forms, where possible.

        A single item follows a known eligible path; a bundle tries each answer and
        takes one back (Back, as a visitor would) when it ends in a refusal.
        """
        window = self.window
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
        asked = 0
        while window.current is Screen.CONSULT and consult.question is not None:
            if first and on_first is not None:
                on_first()
            first = False
            asked += 1
            if asked > 60:
                raise DemoStuck(f"{self.step}: the questions never ended ({consult.question.id})")
            if plan:
                self.tap(self._answer_button(plan.pop(0)))
                continue
            question = consult.question
            for value in question.answers():
                self.tap(self._answer_button(value))
                refused = verdict.notice is not None and not verdict.notice.eligible
                if window.current is Screen.VERDICT and refused:
                    self.tap(verdict.back_button)
                    continue
                break

    def _answer_button(self, value: object) -> QPushButton:
        consult = page_of(self.window, ConsultScreen)
        for button, answer in consult.answer_values.items():
            if answer == value:
                return button
        raise DemoStuck(f"{self.step}: no answer button for {value!r}")

    # ── forms ──
    def fill_page(self, page: ApplyScreen, skip: set[str] | None = None) -> None:
        """Each visible field's catalog example, put in the way its widget takes input."""
        filling = page.ctx.session.filling
        for key, widget in list(page.fields.items()):
            started = isinstance(widget, AddressField) and not widget.detail.text()
            if not widget.isVisible() or (skip and key in skip) or (widget.value() and not started):
                continue
            prefill = filling.prefill(key) if filling is not None else None
            if widget.slot.field.example is None or (prefill is not None and prefill.read_only):
                continue  # filled from an answer or the ID number: nothing to type
            self.doing(f"filling {key}")
            self.fill_field(widget, widget.slot.field.example_value())  # today+30d: a date
        self.put_keys_away()

    def fill_field(self, widget: FieldWidget, example: Any) -> None:
        person = self.person
        if example is None:
            return
        if isinstance(widget, TextField | PadField | LongTextField):
            person.fill(widget.edit, str(example))
        elif isinstance(widget, DateField):
            day = example if isinstance(example, dt.date) else dt.date.fromisoformat(str(example))
            self.pick_date(widget, day)
        elif isinstance(widget, ChoiceField):
            wanted = example if isinstance(example, list) else [example]
            for value, option, _ in widget.options:
                if value in wanted and not option.isChecked():
                    self.tap(option)
        elif isinstance(widget, AddressField) and isinstance(example, dict):
            region = (
                example.get("province", ""),
                example.get("city", ""),
                example.get("district", ""),
            )
            if region != widget.region and all(region):
                self.pick_region(widget, region)
            if example.get("detail"):
                person.fill(widget.detail, str(example["detail"]))

    def pick_date(self, widget: DateField, day: dt.date) -> None:
        window = self.window
        self.tap(widget.picker)
        picker = window.date_picker
        wait_for(picker.isVisible, 10, "the date picker")
        lang = window.ctx.language
        from kiosk.ui.text import text

        self.person.tap_text(
            text("picker_decade_button", lang, y=day.year // 10 * 10), within=picker
        )
        self.person.tap_text(text("picker_year_button", lang, y=day.year), within=picker)
        month = picker._month_name(day.month)
        self.person.tap_text(
            text("picker_month_button", lang, m=day.month, month=month), within=picker
        )
        self.person.tap_text(str(day.day), within=picker)

    def pick_region(self, widget: AddressField, region: tuple[str, str, str]) -> None:
        window = self.window
        self.tap(widget.picker)
        picker = window.region_picker
        wait_for(picker.isVisible, 10, "the region picker")
        province, city, district = region
        steps = [province, city, district]
        for name in steps:
            if not picker.isVisible():
                break
            names = {b.text() for b in picker.choice_buttons}
            if name in names:
                self.person.tap_text(name, within=picker)
            elif picker.back.isEnabled() and name == province:
                self.tap(picker.back)
                if name in {b.text() for b in picker.choice_buttons}:
                    self.person.tap_text(name, within=picker)

    def put_keys_away(self) -> None:
        dock = self.window.dock
        if dock.isVisible():
            self.tap(dock.hide_button)

    def forms(self, prefix: str, show_error: bool = False, rate: bool = False) -> str | None:
        """Fill every page, review, preview and submit; the submission's code, if it got one."""
        window = self.window
        pages_seen = 0
        page = page_of(window, ApplyScreen)
        while window.current is Screen.APPLY:
            id_field = next(
                (
                    w
                    for w in page.fields.values()
                    if w.slot.field.type is FieldType.ID_NUMBER and w.isVisible()  # on this path
                ),
                None,
            )
            if show_error and isinstance(id_field, PadField):
                self.doing("typing a wrong ID number")
                self.person.fill(id_field.edit, WRONG_ID)
                self.fill_page(page, skip={id_field.slot.key})
                self.tap(page.next)
                self.shot(f"{prefix}-invalid-id")
                self.doing("correcting the ID number")
                self.tap(id_field.edit)
                self.tap(window.dock.pad.clear_key)
                self.person.type(str(id_field.slot.field.example))
                self.shot(f"{prefix}-id-fixed")
                show_error = False
            self.fill_page(page)
            if pages_seen < 2:
                self.shot(f"{prefix}-page-{pages_seen + 1}")
            pages_seen += 1
            before = (window.current, page.target)
            self.doing(f"leaving form page {pages_seen}")
            self.tap(page.next)
            if (window.current, page.target) == before:
                problems = [
                    f"{k} ({w.error.zh}, {w.value()!r})"
                    for k, w in page.fields.items()
                    if w.error is not None
                ]
                raise DemoStuck(f"form page {pages_seen} would not move on: {problems}")
        self.doing("reviewing")
        self.shot(f"{prefix}-review")
        self.tap(window.header.language)
        self.shot(f"{prefix}-review-english")
        self.tap(window.header.language)
        self.tap(page_of(window, ReviewScreen).submit_button)
        if window.current is Screen.PREVIEW:
            self.doing("the preview")
            finish_work(window)
            self.let_pages_paint()
            self.shot(f"{prefix}-preview")
            self.tap(page_of(window, PreviewScreen).submit_button)
        self.doing("submitting")
        finish_work(window)
        if window.current is not Screen.DONE:
            raise DemoStuck(f"submitting: the done screen did not come ({window.current.value})")
        done = page_of(window, DoneScreen)
        finish_work(window)
        self.shot(f"{prefix}-done")
        code = done.done.code if done.done is not None else None
        if rate and done.rate_button.isVisible():
            self.rate(done)
        return code

    def rate(self, done: DoneScreen) -> None:
        """好差评 of what was just submitted: a low level needs a reason first."""
        window = self.window
        self.doing("rating")
        self.tap(done.rate_button)
        rating = page_of(window, RatingScreen)
        levels = list(rating.levels.values())
        self.tap(levels[3])  # 不满意: the reasons appear, and sending waits for one
        self.shot("rating-reasons")
        self.tap(rating.reasons[0])
        self.tap(levels[1])  # on second thought: 满意
        self.tap(rating.send_button)
        finish_work(window)
        self.shot("rating-thanks")

    def take_ticket(self) -> None:
        """取号 with an ID number; then again with the same one: the 补打 offer."""
        window = self.window
        self.doing("取号")
        page = page_of(window, TicketScreen)
        for _ in range(2):
            self.tap(page_of(window, HomeScreen).tiles["tile_ticket"])
            first = next(iter(page.queue_rows.values()), None)
            if first is None:
                return
            self.tap(first)
            self.person.fill(page.id_edit, TICKET_ID)
            self.shot("ticket")
            self.put_keys_away()
            self.tap(page.take_button)
            finish_work(window)
            self.shot("ticket-done")
            done = page_of(window, DoneScreen)
            if done.offer.isVisible():
                self.tap(done.reprint_button)
                finish_work(window)
                self.shot("ticket-reprinted")
                return
            window.toast.dismiss()
            self.tap(done.finish_button)  # 完成; then the same person takes a number again

    def status(self, code: str | None) -> None:
        """办件查询 of the code just made, typed on the code pad."""
        window = self.window
        self.doing("办件查询")
        self.tap(page_of(window, HomeScreen).tiles["tile_status"])
        page = page_of(window, StatusScreen)
        if code is not None:
            self.person.fill(page.code_edit, code)
            self.shot("status-code-pad")
            self.put_keys_away()
            self.tap(page.query_button)
            finish_work(window)
        self.shot("status")

    def life_events(self) -> None:
        window = self.window
        if not window.session.catalog.life_events:
            return
        self.doing("一件事")
        self.tap(page_of(window, HomeScreen).tiles["tile_event"])
        self.shot("life-events")
        rows = list(getattr(window.page(), "rows", {}).values())
        if rows:
            self.tap(rows[0])
            self.shot("life-event")

    def bundle(self, bundle: Bundle) -> str | None:
        window = self.window
        self.doing(f"主题联办 {bundle.code}")
        self.tap(page_of(window, HomeScreen).tiles["tile_bundle"])
        self.shot("bundles")
        row = getattr(window.page(), "rows", {}).get(bundle.code)
        if row is None:
            raise DemoStuck(f"{self.step}: the bundle is not listed")
        self.tap(row)
        picker = page_of(window, BundleScreen)
        optional = [m.item for m in bundle.members if not m.required]
        if optional:
            self.tap(picker.rows[optional[0]])
        self.shot("bundle-picker")
        self.tap(picker.next)
        self.answer_eligibly(lambda: self.shot("bundle-consultation"))
        self.shot("bundle-verdict")
        verdict = page_of(window, VerdictScreen)
        if window.current is Screen.VERDICT and verdict.apply_button.isVisible():
            self.tap(verdict.apply_button)
            return self.forms(prefix="bundle")
        return None


def run_demo(
    window: MainWindow,
    out: Path,
    themes: tuple[str, ...] = DEMO_THEMES,
    person: Person | None = None,
    size: QSize | None = None,
) -> list[Path]:
    saved: list[Path] = []
    window.show_at(size or KIOSK_SIZE)
    app = QApplication.instance()
    if app is not None:
        app.processEvents()
    for name in themes:
        window.use_base_theme(name)
        saved += DemoVisit(window, out, person).run()
    return saved
