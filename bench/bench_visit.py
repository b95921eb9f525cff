"""Taps and seconds for a whole visit, tapped and typed as a visitor does (issue 11).

The real window at 1920×1080 over the real services (a temporary SQLite store,
PDF-folder printers, no ID-card reader), offscreen, with its own Qt Virtual
Keyboard embedded; the 400 ms tap guard as a kiosk has it.  A
:class:`~kiosk.ui.demo.person.Person` taps at screen positions and types every
character on the keyboard (Pinyin, then the candidate, for 汉字) or the kiosk's
pad, as ``kiosk demo`` does; nothing sets a widget's text.

The visitor knows what they came for and wastes no tap: they search by the
item's pinyin initials, answer the questions down an eligible path, fill the
required fields only (each catalog example: the same values ``kiosk demo``
types), moving between fields with 下一项, and go review → preview → 确认提交
until the done screen shows the ticket.  Every tap is counted by what it was —
a character of a value, a Pinyin candidate, a keyboard mode key (⇧, &123, ⌫), a
move between fields (a field tapped, 下一项, 完成), an answer or choice, a
picker step, a screen's own button — so the report can say how much of a visit
is characters the visitor must type whatever the screens do.

Seconds = taps × 0.5 s (a brisk first-time visitor) + the time the kiosk itself
took: every tap's handling up to the screen settled, and the waits for the
preview and for the receipt.  The tap guard's quiet 400 ms after a screen change
is not added: it passes inside the visitor's half second.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bench.offscreen import child_folder, load_average, main, measure_in_child
from kiosk.consult import Answer

if TYPE_CHECKING:
    from PySide6.QtCore import QPoint
    from PySide6.QtWidgets import QWidget

    from kiosk.catalog.model import Question
    from kiosk.consult import Consultation
    from kiosk.ui.demo.visit import DemoVisit
    from kiosk.ui.widgets.fields import FieldWidget
    from kiosk.ui.window import MainWindow

NEWBORN = "MS-YB-001"
BUNDLE = "BD-START-FOOD"
# The bundle as the architecture describes the visit: registration, tax and the food licence
# (required), with seal engraving, a bank account and the shop sign ticked.
BUNDLE_PICKS = ("SC-GA-001", "SC-BANK-001", "SC-CG-001")
# Their case: a limited company in a shop (not a flat), the founder in person, invoices wanted,
# cooked food only, the sign above the door.  Other questions: the first eligible answer.
BUNDLE_CASE: dict[str, Answer] = {
    "company_type": "llc",
    "premises_residential": False,
    "by_agent": False,
    "need_invoices": True,
    "cold_or_raw": False,
    "sign_position": "wall",
}
SECONDS_PER_TAP = 0.5
TARGET_TAPS = 45
CJK = re.compile(r"[\u3400-\u9fff]")


class Kind(StrEnum):
    CHARACTER = "character"  # a key that puts a letter, digit or space of a value in
    CANDIDATE = "candidate"  # a Pinyin candidate chosen
    MODE_KEY = "mode key"  # ⇧, &123 and back, ⌫ of leftover Pinyin, 清空
    FIELD = "field"  # a field tapped, 下一项, 完成 / 收起
    ANSWER = "answer"  # a question answered, a choice on a form, a bundle member ticked
    PICKER = "picker"  # a step of the date or region picker
    SCREEN = "screen"  # a screen's own button: 我要办, a result, 开始办理, 下一步, 提交…
    SWIPE = "swipe"  # the candidate row drawn along to find a character


KIND_WORDS = {
    Kind.CHARACTER: "characters of the values (keyboard and pad)",
    Kind.CANDIDATE: "Pinyin candidates chosen",
    Kind.MODE_KEY: "keyboard mode keys (⇧, &123 and back, ⌫)",
    Kind.FIELD: "moving between fields (a field tapped, 下一项, 完成)",
    Kind.ANSWER: "answers and choices (questions, form choices, members ticked)",
    Kind.PICKER: "picker steps (date, region)",
    Kind.SCREEN: "screen buttons (tile, result, 开始办理, 下一步, 提交…)",
    Kind.SWIPE: "swipes along the candidate row",
}


@dataclass
class Tally:
    """One visit's taps and the kiosk's own time."""

    name: str
    taps: list[tuple[str, str]] = field(default_factory=list)  # (kind, what was being filled)
    handling_s: float = 0.0  # every tap, press to the screen settled
    waits: dict[str, float] = field(default_factory=dict)  # preview, receipt, printing
    wall_s: float = 0.0
    ticket: str = ""
    code: str = ""
    path: list[str] = field(default_factory=list)  # the answers given, question by question
    typed: dict[str, str] = field(default_factory=dict)  # field key → the value typed
    optional_left: int = 0  # optional fields left empty
    card_fields: list[str] = field(default_factory=list)  # filled: what an ID card gives

    def by_kind(self) -> Counter[str]:
        return Counter(kind for kind, _ in self.taps)

    def characters_by_field(self) -> dict[str, int]:
        found: Counter[str] = Counter(what for kind, what in self.taps if kind == Kind.CHARACTER)
        return dict(found)

    @property
    def seconds(self) -> float:
        busy = self.handling_s + self.waits.get("preview", 0) + self.waits.get("receipt", 0)
        return len(self.taps) * SECONDS_PER_TAP + busy


def counting_person(window: MainWindow) -> Any:
    """A :class:`Person` who keeps a tally of taps by kind and of the kiosk's handling time."""
    from PySide6.QtWidgets import QApplication

    from kiosk.ui.demo.person import Person

    class CountingPerson(Person):
        def __init__(self, window: MainWindow):
            super().__init__(window)
            self.tally = Tally("")
            self.doing = Kind.SCREEN
            self.filling = ""  # the field key whose value is being typed

        def tap_at(self, point: QPoint) -> None:
            self._ready_to_tap()  # the guard's quiet time is the visitor's, not the kiosk's
            kind = self.kind_at(point)
            started = time.perf_counter()
            super().tap_at(point)
            self.tally.handling_s += time.perf_counter() - started
            self.tally.taps.append((kind, self.filling))

        def drag(self, start: QPoint, end: QPoint, steps: int = 20) -> None:
            self.tally.taps.append((Kind.SWIPE, self.filling))
            super().drag(start, end, steps)

        def kind_at(self, point: QPoint) -> Kind:
            window: Any = self.window
            dock = window.dock
            keyboard = dock.keyboard_ready
            if keyboard is not None and keyboard.isVisible():
                for key in keyboard.visible_keys():
                    if key.rect.contains(point):
                        if CJK.match(key.label):
                            return Kind.CANDIDATE
                        if key.label == "enter":
                            return Kind.FIELD  # the keyboard's ↵ is 下一项
                        if len(key.label) == 1 or key.label == "space":
                            return Kind.CHARACTER
                        return Kind.MODE_KEY
            target = QApplication.widgetAt(point)
            pad = dock.pad
            if target is not None and (target is pad or pad.isAncestorOf(target)):
                if target in pad.keys.values():
                    return Kind.CHARACTER
                return Kind.FIELD if target is pad.action_key else Kind.MODE_KEY
            if target is not None and dock.isAncestorOf(target):
                return Kind.FIELD  # 下一项 / 收起 beside the keyboard
            for picker in (window.date_picker, window.region_picker):
                if target is not None and picker.isAncestorOf(target):
                    return Kind.PICKER
            return self.doing

    return CountingPerson(window)


class Visitor:
    """The script of one efficient visitor, over the demo's own steps where they fit."""

    def __init__(self, window: MainWindow):
        from kiosk.ui.demo.visit import DemoVisit

        self.window = window
        self.person = counting_person(window)
        self.demo: DemoVisit = DemoVisit(window, Path("unused"), self.person)

    def begin(self, name: str) -> Tally:
        self.window.reset_visit()
        self.person.tally = Tally(name)
        self.person.count = 0  # Person's own count (the glass visit reports it): checked below
        self.person.doing = Kind.SCREEN
        self.person.filling = ""
        return self.person.tally

    def tap(self, widget: QWidget, kind: Kind = Kind.SCREEN) -> None:
        self.person.filling = ""
        self.person.doing = kind
        self.person.tap(widget)
        self.person.doing = Kind.SCREEN

    # ── the visits ──
    def newborn(self, name: str, prefer: dict[str, Answer]) -> Tally:
        """Newborn insurance: found by pinyin initials, questions, form, submit, ticket."""
        from kiosk.ui.demo.visit import page_of, search_letters
        from kiosk.ui.screens.catalog import CatalogScreen
        from kiosk.ui.screens.home import HomeScreen
        from kiosk.ui.screens.item import ItemScreen

        window = self.window
        tally = self.begin(name)
        started = time.perf_counter()
        item = window.session.catalog.items[NEWBORN]
        self.tap(page_of(window, HomeScreen).tiles["tile_apply"])
        catalog_page = page_of(window, CatalogScreen)
        letters = search_letters(item)
        self.type_into(catalog_page.search, letters, "search")
        tally.typed["search"] = letters
        row = next(r for r in catalog_page.rows if r.property("code") == item.code)
        self.tap(row)
        self.tap(page_of(window, ItemScreen).start)
        self.answer(prefer)
        self.apply_and_submit(tally)
        tally.wall_s = time.perf_counter() - started
        return tally

    def bundle(self, name: str) -> Tally:
        """我要创业——餐饮类: the bundle picked from 主题联办, members ticked à la carte."""
        from kiosk.ui.demo.visit import page_of
        from kiosk.ui.screens.bundle import BundleScreen
        from kiosk.ui.screens.home import HomeScreen

        window = self.window
        tally = self.begin(name)
        started = time.perf_counter()
        self.tap(page_of(window, HomeScreen).tiles["tile_bundle"])
        self.tap(window.page().rows[BUNDLE])  # type: ignore[attr-defined]
        picker = page_of(window, BundleScreen)
        for code in BUNDLE_PICKS:
            self.tap(picker.rows[code], Kind.ANSWER)
        self.tap(picker.next)
        self.answer(BUNDLE_CASE)
        self.apply_and_submit(tally)
        tally.wall_s = time.perf_counter() - started
        return tally

    # ── questions ──
    def answer(self, prefer: dict[str, Answer]) -> None:
        """Down an eligible path: the preferred answer where given, else the first answer on
        screen from which the case can still be eligible."""
        from kiosk.consult import BundleConsultation
        from kiosk.ui.navigation import Screen

        window = self.window
        session = window.session
        tally = self.person.tally
        while window.current is Screen.CONSULT:
            consultation = session.consultation
            if isinstance(consultation, BundleConsultation):
                current = consultation.current()
                assert current is not None, "the consultation screen without a question"
                member, question = current
            else:
                assert consultation is not None
                asked = consultation.next_question()
                assert asked is not None
                member, question = consultation, asked
            value = prefer.get(question.id)
            if value is None:
                value = next(v for v in question.answers() if can_be_eligible(member, question, v))
            tally.path.append(f"{question.text.zh} {value_words(question, value)}")
            self.tap(self.demo._answer_button(value), Kind.ANSWER)
        if window.current is not Screen.VERDICT:
            raise RuntimeError(f"after the questions: {window.current}, not the verdict")

    # ── forms ──
    def apply_and_submit(self, tally: Tally) -> None:
        from kiosk.ui.demo.visit import finish_work, page_of
        from kiosk.ui.navigation import Screen
        from kiosk.ui.screens.apply import ApplyScreen
        from kiosk.ui.screens.done import DoneScreen
        from kiosk.ui.screens.preview import PreviewScreen
        from kiosk.ui.screens.review import ReviewScreen
        from kiosk.ui.screens.verdict import VerdictScreen

        window = self.window
        verdict = page_of(window, VerdictScreen)
        if verdict.notice is None or not verdict.apply_button.isVisible():
            raise RuntimeError("the verdict offers no way to apply")
        self.tap(verdict.apply_button)
        page = page_of(window, ApplyScreen)
        while window.current is Screen.APPLY:
            self.fill_page(page)
            before = page.target
            self.tap(page.next)
            if window.current is Screen.APPLY and page.target == before:
                wrong = {k: w.value() for k, w in page.fields.items() if w.error is not None}
                raise RuntimeError(f"the form page would not move on: {wrong}")
        self.tap(page_of(window, ReviewScreen).submit_button)
        started = time.perf_counter()
        finish_work(window)  # the preview's pages rendered
        tally.waits["preview"] = time.perf_counter() - started
        if window.current is not Screen.PREVIEW:
            raise RuntimeError(f"after the review: {window.current}, not the preview")
        self.tap(page_of(window, PreviewScreen).submit_button)  # 确认提交
        done = page_of(window, DoneScreen)
        started = time.perf_counter()
        self.person.wait_for(
            lambda: window.current is Screen.DONE and done.done is not None, "the receipt"
        )
        tally.waits["receipt"] = time.perf_counter() - started
        tally.ticket = done.number.text()
        tally.code = done.done.code if done.done is not None and done.done.code else ""
        started = time.perf_counter()
        finish_work(window)  # the papers, after the receipt: not waited for by the visitor
        tally.waits["printing"] = time.perf_counter() - started
        if not tally.ticket:
            raise RuntimeError("the done screen shows no ticket number")
        swipes = tally.by_kind()[Kind.SWIPE]
        if len(tally.taps) - swipes != self.person.count:
            raise RuntimeError(f"{len(tally.taps)} taps here, {self.person.count} by Person")

    def needs(self, key: str, widget: FieldWidget) -> bool:
        """Whether the visitor has something to put in this field (required ones only)."""
        from kiosk.ui.widgets.fields import AddressField

        filling = self.window.session.filling
        prefill = filling.prefill(key) if filling is not None else None
        if not widget.isVisible() or widget.slot.field.example is None:
            return False
        if prefill is not None and prefill.read_only:
            return False  # worked out from an answer or the ID number
        if not widget.required:
            return False
        wanted = widget.slot.field.example_value()
        if isinstance(widget, AddressField):
            return not widget.detail.text() or widget.value().get("district") != wanted.get(
                "district"
            )
        value = widget.value()
        return value in (None, "", []) or (value != wanted and not isinstance(value, str))

    def fill_page(self, page: Any) -> None:
        """The required fields: the typed ones in a chain (下一项 from one to the next, as the
        pad and the keyboard offer it), the choices and pickers tapped where they are."""
        from PySide6.QtWidgets import QApplication

        from kiosk.ui.widgets.fields import AddressField, ChoiceField

        window = self.window
        done: set[str] = set()
        while True:
            todo = [(k, w) for k, w in page.fields.items() if k not in done and self.needs(k, w)]
            if not todo:
                break
            focused = QApplication.focusWidget()
            key, widget = next(((k, w) for k, w in todo if typed_input(w) is focused), todo[0])
            done.add(key)
            if widget.slot.field.id_card is not None:
                self.person.tally.card_fields.append(key)
            example = widget.slot.field.example_value()
            edit = typed_input(widget)
            self.person.filling = key
            if edit is None:
                chooses = isinstance(widget, ChoiceField)
                self.person.doing = Kind.ANSWER if chooses else Kind.PICKER
                if isinstance(widget, AddressField) and isinstance(example, dict):
                    self.demo.pick_region(widget, region_of(example))
                else:
                    self.demo.fill_field(widget, example)
            else:
                value = example["detail"] if isinstance(example, dict) else example
                if isinstance(value, dt.date):
                    value = value.isoformat()
                if isinstance(widget, AddressField) and widget.region != region_of(example):
                    self.person.doing = Kind.PICKER
                    self.demo.pick_region(widget, region_of(example))
                self.type_into(edit, str(value), key)
                self.person.tally.typed[key] = str(value)
                following = window.next_field_after(edit)
                wanted = {
                    typed_input(w)
                    for k, w in page.fields.items()
                    if k not in done and self.needs(k, w)
                }
                if following is not None and following in wanted:
                    self.next_field()
            self.person.filling = ""
            self.person.doing = Kind.SCREEN
        self.person.tally.optional_left += sum(
            1
            for w in page.fields.values()
            if w.isVisible() and not w.required and w.value() in (None, "", [], {})
        )
        if window.dock.isVisible():  # 完成: the page's own buttons come back
            self.next_field()
            if window.dock.isVisible():
                self.tap(window.dock.hide_button, Kind.FIELD)

    def type_into(self, edit: QWidget, value: str, key: str) -> None:
        """Tap the field unless 下一项 already brought the focus there; then type."""
        from PySide6.QtWidgets import QApplication

        self.person.filling = key
        if QApplication.focusWidget() is not edit:
            self.person.doing = Kind.FIELD
            self.person.tap(edit)
            self.person.wait_for(edit.hasFocus, "the field to take the focus")
        self.person.doing = Kind.SCREEN
        self.person.type(value)

    def next_field(self) -> None:
        dock = self.window.dock
        button = dock.pad.action_key if dock.pad.isVisible() else dock.next_button
        self.tap(button, Kind.FIELD)


def typed_input(widget: FieldWidget) -> QWidget | None:
    """The line (or box) a field's value is typed into; None for choices, dates, pickers."""
    from kiosk.ui.widgets.fields import AddressField, LongTextField, PadField, TextField

    if isinstance(widget, TextField | PadField | LongTextField):
        edit: QWidget = widget.edit
        return edit
    if isinstance(widget, AddressField):
        return widget.detail
    return None


def region_of(example: Any) -> tuple[str, str, str]:
    parts = example if isinstance(example, dict) else {}
    return (parts.get("province", ""), parts.get("city", ""), parts.get("district", ""))


def can_be_eligible(member: Consultation, question: Question, value: Answer) -> bool:
    """Whether some way of answering the rest of this item's questions ends eligible."""
    from kiosk.consult import Consultation

    first = Consultation(
        member.item, dict(member.answers), list(member.history), dict(member.fixed)
    )
    first.answer(question.id, value)
    stack = [first]
    while stack:
        case = stack.pop()
        verdict = case.verdict()
        if verdict is not None:
            if verdict.eligible:
                return True
            continue
        following = case.next_question()
        assert following is not None
        for answer in following.answers():
            branch = Consultation(case.item, dict(case.answers), list(case.history), case.fixed)
            branch.answer(following.id, answer)
            stack.append(branch)
    return False


def value_words(question: Question, value: Answer) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    for option in question.options or ():
        if option.value == value:
            return option.label.zh
    return str(value)


# ── in the child process ──
def measure() -> dict[str, Any]:
    from bench.bench_ui import Window

    folder = child_folder()
    w = Window(folder / "visits")
    try:
        visitor = Visitor(w.window)
        visits = [
            visitor.newborn("newborn, hukou registered (child's ID number)", {}),
            visitor.newborn(
                "newborn, not yet registered (birth certificate, date picker)",
                {"local_hukou": False, "parent_insured_here": True},
            ),
            visitor.bundle("我要创业——餐饮类 (+ seal, bank account, shop sign)"),
        ]
    finally:
        w.close()
    return {"visits": [asdict(v) for v in visits], "load": load_average()}


# ── in `python -m bench` ──
def _tally(data: dict[str, Any]) -> Tally:
    tally = Tally(data["name"])
    tally.taps = [(kind, what) for kind, what in data["taps"]]
    names = ("handling_s", "wall_s", "ticket", "code", "path", "typed", "optional_left")
    for name in (*names, "card_fields"):
        setattr(tally, name, data[name])
    tally.waits = dict(data["waits"])
    return tally


def _field_words(key: str) -> str:
    return key.rsplit(".", 1)[-1]


def run() -> str:
    result = measure_in_child("bench.bench_visit")
    visits = [_tally(v) for v in result["visits"]]
    headline = visits[0]
    lines = [
        "## Taps and seconds for a whole visit (`bench/bench_visit.py`)",
        "",
        "The real window at 1920×1080, offscreen, with its own Qt Virtual Keyboard (Pinyin) and "
        "pad; no ID-card reader; the 400 ms tap guard on.  A `Person` (kiosk/ui/demo/person.py) "
        "taps at screen positions and types every character on the keyboard or pad, as "
        "`kiosk demo` does.  The visitor wastes no tap: pinyin initials in the search, an "
        "eligible path through the questions, the required fields only (the catalog's "
        "examples), 下一项 from one typed field to the next, review → preview → 确认提交 → "
        "the ticket on the done screen (no 好差评).  Seconds = taps × 0.5 s + the kiosk's "
        "own time (every tap handled up to the screen settled, the preview rendered, the "
        "receipt).",
        f"Load average (1 min) at the end: {result['load']} on 2 cores.",
        "",
        "| visit | taps | of which characters | target | seconds (taps × 0.5 s + kiosk) | |",
        "| --- | ---: | ---: | --- | --- | --- |",
    ]
    for visit in visits:
        kinds = visit.by_kind()
        is_newborn = visit.name.startswith("newborn")
        target = f"≤ {TARGET_TAPS} taps" if is_newborn else "—"
        mark = ("✅" if len(visit.taps) <= TARGET_TAPS else "❌") if is_newborn else ""
        busy = visit.seconds - len(visit.taps) * SECONDS_PER_TAP
        lines.append(
            f"| {visit.name} | {len(visit.taps)} | {kinds[Kind.CHARACTER]} | {target} | "
            f"{visit.seconds:.1f} s ({len(visit.taps) * SECONDS_PER_TAP:.1f} + {busy:.1f}) "
            f"| {mark} |"
        )
    lines += ["", "Every tap by what it was:", ""]
    lines.append("| kind | " + " | ".join(f"{i + 1}" for i in range(len(visits))) + " |")
    lines.append("| --- |" + " ---: |" * len(visits))
    for kind in Kind:
        counts = [v.by_kind()[kind] for v in visits]
        if any(counts):
            lines.append(f"| {KIND_WORDS[kind]} | " + " | ".join(map(str, counts)) + " |")
    lines.append("| **all taps** | " + " | ".join(f"**{len(v.taps)}**" for v in visits) + " |")
    lines += ["", "Columns: " + "; ".join(f"{i + 1} = {v.name}" for i, v in enumerate(visits))]
    lines += ["", "The characters, field by field (keys that put a character of the value in):", ""]
    for index, visit in enumerate(visits):
        parts = [
            f"{_field_words(key)} `{visit.typed.get(key, '')}` {count}"
            for key, count in visit.characters_by_field().items()
        ]
        lines.append(f"{index + 1}. " + "; ".join(parts) + ".")
    lines += ["", "The kiosk's own time and the paths taken:", ""]
    for index, visit in enumerate(visits):
        lines.append(
            f"{index + 1}. taps handled {visit.handling_s:.1f} s in all "
            f"({visit.handling_s / max(1, len(visit.taps)) * 1000:.0f} ms a tap); preview "
            f"{visit.waits['preview']:.2f} s; receipt {visit.waits['receipt']:.2f} s; papers "
            f"printed after the receipt {visit.waits['printing']:.2f} s (not waited for); the "
            f"scripted visit took {visit.wall_s:.0f} s.  Ticket {visit.ticket}.  Answers: "
            + "；".join(visit.path)
            + f".  Optional fields left empty: {visit.optional_left}."
        )
    card = sum(1 for _, what in headline.taps if what in headline.card_fields)
    characters = headline.by_kind()[Kind.CHARACTER]
    overhead = len(headline.taps) - characters
    digits = sum(
        count
        for key, count in headline.characters_by_field().items()
        if headline.typed.get(key, "").replace("X", "").isdigit()
    )
    lines += [
        "",
        f"**The newborn visit: {len(headline.taps)} taps** — {characters} are characters of "
        f"the values ({digits} of them digits on the pad: two 18-digit ID numbers and an "
        f"11-digit phone), {overhead} everything else.  "
        + (
            f"The ≤ {TARGET_TAPS} target is out of reach without the ID-card reader: the "
            f"digits alone are {digits} taps, before a single name is spelled.  "
            if digits > TARGET_TAPS or characters > TARGET_TAPS
            else ""
        )
        + "The fields an ID card fills where the kiosk has a reader ("
        + "、".join(_field_words(k) for k in headline.card_fields)
        + f") took {card} of the {len(headline.taps)} taps here; the reader was not "
        "measured.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main(measure, run)
