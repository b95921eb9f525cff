"""Filling one item's form, or a bundle's forms with shared fields typed once.

Values are held once per *key*: a bundle's shared field has the field id as its
key and feeds every chosen member form that has that field; every other field
is keyed ``ITEM.FIELD`` so two items may use the same local id for different
things.  Each value remembers who entered it (citizen, staff, ID-card reader).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from kiosk.catalog import rules
from kiosk.catalog.model import Bundle, FormField, Item, Text
from kiosk.forms.validators import Invalid, Message, display, is_empty, normalise

REQUIRED = Message("此项必填", "This field is required")


class Source(StrEnum):
    CITIZEN = "citizen"
    STAFF = "staff"
    ID_CARD = "id_card"


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
class FieldStatus:
    slot: Slot
    relevant: bool
    required: bool
    entered: EnteredValue | None
    error: Message | None


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
    # Consultation answers per item: form rules may depend on them ({question: q, ...}).
    answers: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    @classmethod
    def for_item(cls, item: Item) -> Filling:
        return cls([item])

    @classmethod
    def for_bundle(cls, bundle: Bundle, chosen: Sequence[Item]) -> Filling:
        present = {f.id for item in chosen for f in item.field_list}
        return cls(list(chosen), frozenset(s for s in bundle.shared_fields if s in present))

    # ── structure ──
    def key(self, item_code: str, field_id: str) -> str:
        return field_id if field_id in self.shared else f"{item_code}.{field_id}"

    def slots(self) -> dict[str, Slot]:
        found: dict[str, tuple[FormField, list[str]]] = {}
        for item in self.items:
            for f in item.field_list:
                entry = found.setdefault(self.key(item.code, f.id), (f, []))
                entry[1].append(item.code)
        return {key: Slot(key, f, tuple(codes)) for key, (f, codes) in found.items()}

    def pages(self) -> list[Page]:
        slots = self.slots()
        pages: list[Page] = []
        shared = tuple(s for s in slots.values() if s.key in self.shared)
        if shared:
            pages.append(Page(SHARED_TITLE, None, shared))
        for item in self.items:
            own = tuple(
                slots[self.key(item.code, f.id)] for f in item.field_list if f.id not in self.shared
            )
            if own:
                pages.append(Page(item.name, item.code, own))
        return pages

    # ── values ──
    def set(self, key: str, raw: Any, source: Source = Source.CITIZEN) -> Message | None:
        """Store a value if it is valid for its field; return the message if not.

        An invalid input leaves the previous valid value in place: nothing
        already entered is lost because of a typo.
        """
        slot = self.slots().get(key)
        if slot is None:
            raise KeyError(key)
        if is_empty(raw):
            self._values.pop(key, None)
            return None
        try:
            value = normalise(slot.field, raw)
        except Invalid as exc:
            return exc.message
        self._values[key] = EnteredValue(value, source)
        return None

    def get(self, key: str) -> EnteredValue | None:
        return self._values.get(key)

    def values(self) -> dict[str, EnteredValue]:
        return dict(self._values)

    def clear(self) -> None:
        self._values.clear()
        self.answers.clear()

    # ── rules ──
    def _lookup(self, item_code: str) -> rules.Lookup:
        def lookup(kind: str, ref: str) -> tuple[bool, Any]:
            if kind == "question":
                answers = self.answers.get(item_code, {})
                return (ref in answers, answers.get(ref))
            entered = self._values.get(self.key(item_code, ref))
            return (entered is not None, entered.value if entered else None)

        return lookup

    def report(self, item_code: str) -> FormReport:
        """Completeness of one member form, judged with its own rules."""
        item = next(i for i in self.items if i.code == item_code)
        slots = self.slots()
        lookup = self._lookup(item.code)
        statuses = []
        for f in item.field_list:
            slot = slots[self.key(item.code, f.id)]
            relevant = f.relevant_if is None or rules.holds(f.relevant_if, lookup)
            required = relevant and (
                f.required or (f.required_if is not None and rules.holds(f.required_if, lookup))
            )
            entered = self._values.get(slot.key)
            error: Message | None = None
            if relevant and entered is None and required:
                error = REQUIRED
            elif relevant and entered is not None:
                for constraint in f.constraints:
                    if constraint.check.evaluate(lookup) is False:
                        error = Message(constraint.message.zh, constraint.message.en)
                        break
            statuses.append(FieldStatus(slot, relevant, required, entered, error))
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
        entered = self._values.get(key)
        slot = self.slots().get(key)
        if entered is None or slot is None:
            return ""
        return display(slot.field, entered.value, language)


def check_examples(item: Item) -> Iterable[str]:
    """Every field's example must be valid and together they must complete the form."""
    filling = Filling.for_item(item)
    problems = []
    for f in item.field_list:
        message = filling.set(filling.key(item.code, f.id), f.example)
        if message is not None:
            problems.append(
                f"item {item.code} field {f.id}: example {f.example!r} is invalid: {message.en}"
            )
    if not problems:
        for status in filling.report(item.code).problems:
            problems.append(
                f"item {item.code} field {status.slot.field.id}: the examples leave "
                f"the form incomplete: {status.error.en if status.error else ''}"
            )
    return problems
