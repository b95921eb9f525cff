"""Filling one item's form, or a bundle's forms with shared fields typed once.

Values are held once per *key*: a bundle's shared field has the field id as its
key and feeds every chosen member form that has that field; every other field
is keyed ``ITEM.FIELD`` so two items may use the same local id for different
things.  Each value remembers who entered it (citizen, staff, ID-card reader).

What the window only shows, never asks for:

- **Pre-filled fields** (the catalog's ``fill``): a birth date, sex or age taken
  from the form's ID number, or a consultation answer.  :meth:`Filling.prefill`
  says where a value comes from and whether it is read-only; :meth:`Filling.get`
  returns it with :attr:`Source.PREFILLED`.  A read-only value follows its source
  (change the ID number and the birth date follows) and cannot be typed over; while
  the source gives nothing (no ID number yet) the field is typed as any other.  An
  editable one is a suggestion until the visitor types their own.
- **Fields another member provides**: in a bundle, a field a chosen member produces
  (the 统一社会信用代码 of a company being registered in the same bundle) is on no
  other member's form.
- **Options that do not apply**: a choice option with a ``when`` is offered only
  while it holds (:meth:`Filling.options`); one chosen before an answer changed is
  reported as an error on the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kiosk.catalog import rules
from kiosk.catalog.derived import derive
from kiosk.catalog.model import Bundle, FieldOption, FieldType, Fill, FormField, Item, Text
from kiosk.forms.validators import Invalid, display, is_empty, normalise
from kiosk.message import Message

REQUIRED = Message("此项必填", "This field is required")
READ_ONLY = Message(
    "此项已根据您的信息自动填写，无需修改",
    "This is filled in from your details; no need to change it",
)
NOT_OFFERED = Message(
    "所选内容与您的回答不符，请重新选择",
    "A choice no longer fits your answers; please choose again",
)


class Source(StrEnum):
    CITIZEN = "citizen"
    STAFF = "staff"
    ID_CARD = "id_card"
    PREFILLED = "prefilled"  # from an answer or from the ID number (the catalog's ``fill``)


@dataclass(frozen=True)
class EnteredValue:
    value: Any
    source: Source = Source.CITIZEN


@dataclass(frozen=True)
class Slot:
    """One place to type a value: its key, its field definition, and the forms it feeds."""

    key: str
    field: FormField
    items: tuple[str, ...]


@dataclass(frozen=True)
class Page:
    """A screenful of the filling flow: the shared fields, or one item's own fields."""

    title: Text
    item: str | None  # None for the shared page
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class Prefill:
    """Where a pre-filled field's value comes from, and what it is right now.

    ``value`` is None while the source gives nothing (no ID number typed, the question
    not answered): the field is then typed like any other.
    """

    fill: Fill
    source_label: Text  # the ID-number field's label, or the question's text
    value: Any

    @property
    def editable(self) -> bool:
        return self.fill.editable

    @property
    def read_only(self) -> bool:
        """Shown, not typed: a read-only fill whose source gives a value."""
        return not self.fill.editable and self.value is not None


@dataclass(frozen=True)
class FieldStatus:
    slot: Slot
    relevant: bool
    required: bool
    entered: EnteredValue | None
    error: Message | None
    read_only: bool = False  # pre-filled and not to be typed over: the window only shows it

    @property
    def prefilled(self) -> bool:
        return self.entered is not None and self.entered.source is Source.PREFILLED


@dataclass(frozen=True)
class FormReport:
    item: str
    fields: tuple[FieldStatus, ...]

    @property
    def complete(self) -> bool:
        return all(f.error is None for f in self.fields if f.relevant)

    @property
    def problems(self) -> list[FieldStatus]:
        return [f for f in self.fields if f.relevant and f.error is not None]


SHARED_TITLE = Text(zh="共用信息（只填一次）", en="Shared details (typed once)")


@dataclass
class Filling:
    """The forms of the chosen items over one set of values."""

    items: Sequence[Item]
    shared: frozenset[str] = frozenset()
    _values: dict[str, EnteredValue] = field(default_factory=dict, repr=False)
    # Consultation answers per item: form rules and fills may depend on them.
    answers: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    # Bundle members' results: the items whose ``produces.fields`` take fields off the
    # others' forms (the chosen members; for one item, none).
    producers: Sequence[Item] = ()
    _slots: tuple[frozenset[str], dict[str, Slot]] | None = field(
        default=None, repr=False, compare=False
    )

    @classmethod
    def for_item(cls, item: Item) -> Filling:
        return cls([item])

    @classmethod
    def for_bundle(cls, bundle: Bundle, chosen: Sequence[Item]) -> Filling:
        filling = cls(list(chosen), producers=list(chosen))
        present = {f.id for item in chosen for f in filling.fields_of(item)}
        filling.shared = frozenset(s for s in bundle.shared_fields if s in present)
        return filling

    # ── structure ──
    def key(self, item_code: str, field_id: str) -> str:
        return field_id if field_id in self.shared else f"{item_code}.{field_id}"

    def provided_by(self, item: Item, field_id: str) -> str | None:
        """The other chosen member whose result gives this field (then it is not asked)."""
        for other in self.producers:
            if other.code != item.code and field_id in other.produces.fields:
                return other.code
        return None

    def fields_of(self, item: Item) -> tuple[FormField, ...]:
        """The fields of ``item``'s form here: without those another chosen member provides."""
        return tuple(f for f in item.field_list if self.provided_by(item, f.id) is None)

    def slots(self) -> dict[str, Slot]:
        if self._slots is not None and self._slots[0] == self.shared:
            return self._slots[1]
        found: dict[str, tuple[FormField, list[str]]] = {}
        for item in self.items:
            for f in self.fields_of(item):
                entry = found.setdefault(self.key(item.code, f.id), (f, []))
                entry[1].append(item.code)
        slots = {key: Slot(key, f, tuple(codes)) for key, (f, codes) in found.items()}
        self._slots = (self.shared, slots)
        return slots

    def pages(self) -> list[Page]:
        slots = self.slots()
        pages: list[Page] = []
        shared = tuple(s for s in slots.values() if s.key in self.shared)
        if shared:
            pages.append(Page(SHARED_TITLE, None, shared))
        for item in self.items:
            own = tuple(
                slots[self.key(item.code, f.id)]
                for f in self.fields_of(item)
                if f.id not in self.shared
            )
            if own:
                pages.append(Page(item.name, item.code, own))
        return pages

    @property
    def has_form(self) -> bool:
        """False when no chosen item has a form: the visit ends with the notice and a ticket."""
        return bool(self.slots())

    # ── pre-filled values ──
    def prefill(self, key: str) -> Prefill | None:
        """Where the slot's value comes from, if the catalog fills it (else None)."""
        slot = self.slots().get(key)
        if slot is None or slot.field.fill is None:
            return None
        fill = slot.field.fill
        for code in slot.items:
            item = self._item(code)
            if fill.question is not None:
                question = item.question(fill.question)
                if question is None:
                    continue
                answers = self.answers.get(code, {})
                value = answers.get(fill.question)
                return Prefill(fill, question.text, value if fill.question in answers else None)
            source = item.field(fill.field or "")
            if source is None:
                continue
            entered = self._values.get(self.key(code, source.id))
            value = derive(fill.derived, entered.value) if entered and fill.derived else None
            return Prefill(fill, source.label, value)
        return None

    def _item(self, code: str) -> Item:
        return next(i for i in self.items if i.code == code)

    # ── values ──
    def set(self, key: str, raw: Any, source: Source = Source.CITIZEN) -> Message | None:
        """Store a value if it is valid for its field; return the message if not.

        An invalid input leaves the previous valid value in place: nothing
        already entered is lost because of a typo.  A read-only pre-filled field
        refuses any other value (the window shows it, it never offers to type it);
        handing back the value it shows, or nothing, changes nothing.
        """
        slot = self.slots().get(key)
        if slot is None:
            raise KeyError(key)
        prefill = self.prefill(key)
        read_only = prefill is not None and prefill.read_only
        if is_empty(raw):
            if not read_only:  # nothing typed over a read-only value: it stays as it is
                self._values.pop(key, None)
            return None
        try:
            value = normalise(slot.field, raw)
        except Invalid as exc:
            return READ_ONLY if read_only else exc.message
        if read_only:
            # The window hands back what it shows: the same value changes nothing.
            return None if prefill is not None and value == prefill.value else READ_ONLY
        if not self._offered(slot, value):
            return NOT_OFFERED
        self._values[key] = EnteredValue(value, source)
        return None

    def get(self, key: str) -> EnteredValue | None:
        """The value of a slot: typed, or pre-filled (:attr:`Source.PREFILLED`)."""
        prefill = self.prefill(key)
        typed = self._values.get(key)
        if (
            prefill is not None
            and prefill.value is not None
            and (
                prefill.read_only or typed is None  # an editable one: until the visitor types
            )
        ):
            return EnteredValue(prefill.value, Source.PREFILLED)
        return typed

    def values(self) -> dict[str, EnteredValue]:
        found = dict(self._values)
        for key in self.slots():
            entered = self.get(key)
            if entered is not None:
                found[key] = entered
        return found

    def clear(self) -> None:
        self._values.clear()
        self.answers.clear()

    def fill_examples(
        self, source: Source = Source.CITIZEN, today: dt.date | None = None
    ) -> dict[str, Message]:
        """Type every slot's catalog example (the check, the demo and tests fill forms so).

        A slot filled from its source is left be, a date example relative to today
        (``today+30d``) is typed as the date it names; returns the slots whose example
        was refused, with why.
        """
        refused: dict[str, Message] = {}
        for key, slot in self.slots().items():
            prefill = self.prefill(key)
            if prefill is not None and prefill.value is not None:
                continue
            if slot.field.example is None:
                continue  # filled from an answer or an ID number only
            message = self.set(key, slot.field.example_value(today), source)
            if message is not None:
                refused[key] = message
        return refused

    def copy(self) -> Filling:
        """An independent copy (values and answers), e.g. for printing after a reset."""
        return Filling(
            list(self.items),
            self.shared,
            dict(self._values),
            {code: dict(answers) for code, answers in self.answers.items()},
            list(self.producers),
        )

    # ── options that depend on answers ──
    def options(self, key: str) -> tuple[FieldOption, ...]:
        """The options offered now (a shared field: those offered to any of its items)."""
        slot = self.slots()[key]
        offered: dict[str, FieldOption] = {}
        for code in slot.items:
            lookup = self._lookup(code)
            for option in slot.field.offered(lambda c, lk=lookup: rules.holds(c, lk)):
                offered.setdefault(option.value, option)
        return tuple(o for o in slot.field.options if o.value in offered)

    def _offered(self, slot: Slot, value: Any) -> bool:
        if slot.field.type not in (FieldType.CHOICE, FieldType.MULTI_CHOICE):
            return True
        if all(o.when is None for o in slot.field.options):
            return True
        allowed = {o.value for o in self.options(slot.key)}
        chosen = value if isinstance(value, list) else [value]
        return all(v in allowed for v in chosen)

    # ── rules ──
    def _lookup(self, item_code: str) -> rules.Lookup:
        def lookup(kind: str, ref: str) -> tuple[bool, Any]:
            if kind == "question":
                answers = self.answers.get(item_code, {})
                return (ref in answers, answers.get(ref))
            entered = self.get(self.key(item_code, ref))
            return (entered is not None, entered.value if entered else None)

        return lookup

    def report(self, item_code: str) -> FormReport:
        """Completeness of one member form, judged with its own rules."""
        item = self._item(item_code)
        slots = self.slots()
        lookup = self._lookup(item.code)
        statuses = []
        for f in self.fields_of(item):
            slot = slots[self.key(item.code, f.id)]
            relevant = f.relevant_if is None or rules.holds(f.relevant_if, lookup)
            required = relevant and (
                f.required or (f.required_if is not None and rules.holds(f.required_if, lookup))
            )
            entered = self.get(slot.key)
            prefill = self.prefill(slot.key)
            error: Message | None = None
            if relevant and entered is None and required:
                error = REQUIRED
            elif relevant and entered is not None:
                if not self._offered(slot, entered.value):
                    error = NOT_OFFERED
                for constraint in f.constraints:
                    if error is None and constraint.check.evaluate(lookup) is False:
                        error = Message(constraint.message.zh, constraint.message.en)
            read_only = prefill is not None and prefill.read_only
            statuses.append(FieldStatus(slot, relevant, required, entered, error, read_only))
        return FormReport(item.code, tuple(statuses))

    def reports(self) -> list[FormReport]:
        return [self.report(item.code) for item in self.items]

    def is_complete(self) -> bool:
        return all(r.complete for r in self.reports())

    def form_values(self, item_code: str) -> dict[str, EnteredValue]:
        """What goes on one item's form: relevant fields only (abandoned branches dropped)."""
        return {
            s.slot.field.id: s.entered
            for s in self.report(item_code).fields
            if s.relevant and s.entered is not None
        }

    def display(self, key: str, language: str = "zh") -> str:
        entered = self.get(key)
        slot = self.slots().get(key)
        if entered is None or slot is None:
            return ""
        return display(slot.field, entered.value, language)
